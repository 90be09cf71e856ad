"""Simulation results as terminal tables and Markdown: the text on the table round by round
with its scale readings, each round told in plain words, the final text, and the drawn runs with
what each kind of event changed. The numbers and sentences come from the document; nothing is
computed here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from accord.api.simulation import SimulationResult as SimulationDoc


SUMMARY_COLUMNS = ("plan", "agreement [95%]", "walk-outs [95%]", "joint utility",
                   "left on the table", "incentive paid")
FOOTNOTE = ("Utilities are points out of 100, where 100 is a party's ideal text. Joint utility: "
            "the agreements' summed utility as a share of the best any text offers. Left on the "
            "table: the most every party could still have gained at once by another text "
            "(points; a range where it is bracketed, with more than two parties).")


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _rate(rate) -> str:
    return f"{100 * rate.value:.0f}% [{100 * rate.low:.0f}–{100 * rate.high:.0f}]"


def _gap(gap) -> str:
    if gap is None:
        return "–"
    low, high = (100 * g for g in gap)
    return f"{low:.1f}" if abs(high - low) < 0.05 else f"{low:.1f}–{high:.1f}"


def party_cell(row) -> str:
    """A party at the end of a round, in words."""
    if not row.present:
        return "away"
    mark = "would sign" if row.accepting else "holds out"
    return f"{mark}; text worth {100 * row.utility:.0f}, trusts others {100 * row.trust:.0f}%"


def round_rows(doc: SimulationDoc) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the round table: date, venue, each party, drafts and locks."""
    header = ["round", "date", "venue", *doc.parties, "drafts (adopted)", "locked"]
    rows = [[str(r.round), r.date or "", r.venue,
             *(party_cell(r.parties[p]) for p in doc.parties), f"{r.drafts} ({r.adopted})",
             ", ".join(r.locked)] for r in doc.run.rounds]
    return header, rows


def text_rows(doc: SimulationDoc) -> tuple[list[str], list[list[str]]]:
    """The text on the table: every issue by round, and what the final level means."""
    header = ["issue", *(f"round {r.round}" for r in doc.run.rounds), "final text means"]
    rows = [[issue, *(f"{r.text[issue]:g}" for r in doc.run.rounds), doc.run.reading[issue]]
            for issue in doc.issues]
    return header, rows


def summary_rows(doc: SimulationDoc) -> list[list[str]]:
    """One row per variant of the plan."""
    return [[plan, _rate(s.agreement), _rate(s.walkout), _pct(s.welfare_share),
             _gap(s.left_on_table), _pct(s.incentive_paid)] for plan, s in doc.summary.items()]


def _table(title: str, header: list[str], rows: list[list[str]], lines: bool = False) -> Table:
    table = Table(title=title, show_lines=lines)
    for name in header:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


ROUND_NOTE = ("text worth: points out of 100, where 100 is the party's ideal text; trusts "
              "others: the chance it puts on the others honouring a deal")


def rounds_table(doc: SimulationDoc) -> Table:
    """The round-by-round table."""
    by = f", mediator {doc.mediator}" if doc.mediator and doc.protocol == "single-text" else ""
    table = _table(f"{doc.scenario}: {doc.protocol}{by} ({doc.run.outcome})", *round_rows(doc),
                   lines=True)
    table.caption = ROUND_NOTE
    return table


def text_table(doc: SimulationDoc) -> Table:
    """The text on the table, issue by issue and round by round."""
    return _table("The text on the table", *text_rows(doc))


def narration(doc: SimulationDoc) -> Group:
    """Each round in plain words."""
    parts = []
    for r in doc.run.rounds:
        parts.append(Text(f"Round {r.round} ({r.date or 'undated'}, {r.venue or 'no venue'})",
                          style="bold"))
        parts += [Text(f"  - {line}") for line in r.narration]
    if doc.run.flags:
        parts.append(Text("Flags", style="bold"))
        parts += [Text(f"  - {flag}") for flag in doc.run.flags]
    return Group(*parts)


def summary_table(doc: SimulationDoc) -> Table:
    """The drawn runs, one row per variant."""
    table = _table(f"{doc.seeds} draws of the uncertain inputs", list(SUMMARY_COLUMNS),
                   summary_rows(doc))
    table.caption = FOOTNOTE
    return table


def findings(doc: SimulationDoc) -> Group:
    """The headline and what each kind of event changed."""
    return Group(*(Text(f"- {line}") for line in doc.narration))


def markdown(doc: SimulationDoc) -> str:
    """Everything as Markdown."""
    lines = [f"**{doc.scenario}, {doc.protocol}: {doc.run.outcome}**", ""]
    lines += _md(*round_rows(doc)) + ["", ROUND_NOTE, ""] + _md(*text_rows(doc)) + [""]
    for r in doc.run.rounds:
        lines.append(f"*Round {r.round}* ({r.date or 'undated'}, {r.venue or 'no venue'})")
        lines += [f"- {line}" for line in r.narration] + [""]
    lines += [f"- {flag}" for flag in doc.run.flags]
    if doc.summary:
        lines += _md(list(SUMMARY_COLUMNS), summary_rows(doc))
        lines += ["", FOOTNOTE, ""] + [f"- {line}" for line in doc.narration]
    return "\n".join(lines) + "\n"


def _md(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
