"""Export a stored run's draws: one row per draw, one column per issue, on each issue's scale."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from accord.api.runs import stored_outcome
from accord.api.store import Store
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.formats.files import atomic_write, format_from_name

SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def export_run(store: Store, run_id: str, path: Path, fmt: str | None = None) -> None:
    """Write the run's draws to ``path`` (atomically) as CSV or Parquet; without ``fmt``, the
    format the file name's extension stands for."""
    fmt = format_from_name(path, fmt, SUFFIXES)
    outcome = stored_outcome(run_id, store)
    arrays = ScenarioArrays.from_scenario(outcome.scenario)
    values = arrays.to_scale(outcome.outcomes)
    columns = list(arrays.issue_ids)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["draw", *columns])
        for d, row in enumerate(values):
            writer.writerow([d, *(repr(float(v)) for v in row)])
        atomic_write(path, buffer.getvalue())
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"draw": list(range(len(values))),
                      **{c: values[:, j] for j, c in enumerate(columns)}})
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer)
    atomic_write(path, buffer.getvalue().to_pybytes())
