"""What every result of the API can do: become plain data, JSON, a pandas table, or HTML in Jupyter.

Each result is a pydantic model whose JSON is exactly what the command line prints with
``--format json`` (the schemas in ``docs/`` describe them). ``to_frame`` needs pandas, which is
imported only when it is called, so that the command line starts quickly.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    import pandas as pd


class Tabular:
    """``to_dict``, ``to_json`` and ``_repr_html_`` for a pydantic result with a ``to_frame``."""

    def to_dict(self) -> Any:
        """The result as plain Python data: what ``--format json`` prints, parsed."""
        return self.model_dump(mode="json")  # type: ignore[attr-defined]

    def to_json(self, indent: int | None = 2) -> str:
        """The result as JSON, as ``--format json`` prints it."""
        return self.model_dump_json(indent=indent)  # type: ignore[attr-defined]

    def to_frame(self) -> pd.DataFrame:
        """The result as a pandas DataFrame."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        """Jupyter's view: a caption and the table of :meth:`to_frame`, every string escaped."""
        table = self.to_frame().to_html(escape=True, float_format=lambda v: f"{v:.1f}",
                                        na_rep="–", border=0)
        caption = html.escape(self.caption())
        return f"<div><p><strong>{caption}</strong></p>{table}</div>"

    def caption(self) -> str:
        """One line saying what the table shows."""
        return type(self).__name__


class Result(Tabular, BaseModel):
    """A result document."""


def frame(rows: list[dict], index: str | list[str] | None = None) -> pd.DataFrame:
    """A DataFrame of ``rows`` indexed by ``index``."""
    import pandas as pd

    table = pd.DataFrame(rows)
    return table.set_index(index) if index is not None and len(table) else table
