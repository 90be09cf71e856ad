"""The ``accord`` command line: thin commands that parse arguments, call :mod:`accord.api` and
render with :mod:`accord.report`.

Only typer is imported at start; each command imports what it needs, so that ``accord --help``
and ``accord scenarios`` start in a fraction of a second.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
import warnings
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from accord.models.names import MODEL_NAMES
from accord.scenario.errors import InputError
from accord.scenario.format_names import FORMATS

if TYPE_CHECKING:
    from rich.console import Console

    from accord.api.negotiation import Negotiation

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Forecast, simulate and mediate multi-party political negotiations.")
MODELS = MODEL_NAMES


@functools.cache
def out() -> Console:
    """The console for results (standard output; wide when not a terminal). Every string is
    printed as text (:class:`accord.report.console.SafeConsole`)."""
    from accord.report.console import SafeConsole

    return SafeConsole(width=None if sys.stdout.isatty() else 200)


@functools.cache
def err() -> Console:
    """The console for notes, progress and errors (standard error)."""
    from accord.report.console import SafeConsole

    return SafeConsole(stderr=True)


def _note(message: str) -> None:
    from accord.report.console import plain

    err().print(plain(f"note: {message}", style="dim"), soft_wrap=True)


class TableFormat(str, Enum):
    """Output formats for results."""

    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


ScenarioArg = Annotated[Optional[str], typer.Argument(
    help="A scenario file (YAML, KTAB CSV, decide, table) or a built-in name.",
    show_default="venezuela-2021")]
FromOpt = Annotated[Optional[str], typer.Option("--from", help=f"Input format: {', '.join(FORMATS)}.")]
ModelsOpt = Annotated[Optional[list[str]], typer.Option(
    "--model", "-m", help=f"Model to run (repeatable): {', '.join(MODELS)}. Default: all.")]
ParamOpt = Annotated[Optional[list[str]], typer.Option(
    "--param", "-p", help="A model parameter as MODEL.NAME=VALUE (repeatable), e.g. "
    "eum.preset=scholz_literal, eum.rounds=20, nash.utility=quadratic.")]
StoreOpt = Annotated[Optional[str], typer.Option(
    "--store", help="Run store: a SQLAlchemy URL (default: SQLite in the user data directory, "
    "or $ACCORD_STORE).")]
WorkersOpt = Annotated[Optional[int], typer.Option(
    "--workers", "-w", min=1, help="Local worker processes (default: all cores).")]
SchedulerOpt = Annotated[Optional[str], typer.Option(
    "--scheduler", help="Run the chunks on a Dask cluster: tcp://HOST:PORT.")]
LEVELS = (0.5, 0.8, 0.9)  # accord.api.forecast.LEVELS, which the start-up does not import
LevelOpt = Annotated[Optional[list[float]], typer.Option(
    "--level", "-l", help="Calibrated interval level, e.g. 0.95 (repeatable; default 0.5, 0.8, "
    "0.9).")]


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False):
    """Accord: where will each issue land, who can move it, and how sure are we."""


def _open(scenario: str | None, fmt: str | None = None) -> Negotiation:
    """The negotiation, with the reader's notes printed."""
    from accord.api import load

    talks = load(scenario, fmt)
    for note in talks.notes:
        _note(note)
    return talks


def _params(param: list[str] | None) -> dict:
    from accord.api import parse_params

    return parse_params(param or [])


def _choice(value: str, allowed: tuple[str, ...], option: str = "--format") -> str:
    if value not in allowed:
        raise InputError("unknown format" if option == "--format" else "unknown value", None,
                         None, option, value, ", ".join(allowed))
    return value


@app.command()
def forecast(
    scenario: ScenarioArg = None,
    model: ModelsOpt = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    param: ParamOpt = None,
    source_format: FromOpt = None,
    level: LevelOpt = None,
    deal_draws: Annotated[int, typer.Option(
        "--deal-draws", min=0, help="Simulated draws for the chance of a deal (0: skip it).")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the deal's draws.")] = 2021,
):
    """Forecast where each issue lands, with every model side by side, and the chance of a deal."""
    from accord.report import text

    result = _open(scenario, source_format).forecast(
        model, _params(param), levels=tuple(level or LEVELS), deal_draws=deal_draws,
        seed=seed)
    if format is TableFormat.json:
        print(result.to_json())
    elif format is TableFormat.markdown:
        print(text.forecast_markdown(result), end="")
    elif format is TableFormat.csv:
        print(text.forecast_csv(result), end="")
    else:
        out().print(text.forecast_table(result))


@app.command()
def trace(
    scenario: ScenarioArg = None,
    model: Annotated[str, typer.Option("--model", "-m", help="A model that runs in rounds.")] = "eum",
    issue: Annotated[Optional[str], typer.Option("--issue", "-i", help="Issue id (default: the first).")] = None,
    round_no: Annotated[int, typer.Option("--round", "-r", help="Round to show (exchange model).")] = 1,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    param: ParamOpt = None,
    source_format: FromOpt = None,
):
    """Round by round: who moved where, and why."""
    _choice(format, ("table", "json"))
    result = _open(scenario, source_format).trace(model, issue, round_no, _params(param))
    if format == "json":
        print(result.to_json())
    else:
        from accord.report.trace import trace_table

        out().print(trace_table(result))


@app.command()
def backtest(
    case_set: Annotated[str, typer.Argument(help="deu3, venezuela, bdm, or all")] = "all",
    model: Annotated[Optional[list[str]], typer.Option(
        "--model", "-m", help="Model to score (repeatable). Default: all.")] = None,
    capability: Annotated[str, typer.Option(
        help="DEU III capabilities: equal, council (treaty in force), nice, gdp")] = "equal",
    cv: Annotated[str, typer.Option(
        "--cv", help="DEU III folds, grouped by proposal: a number, or loo.")] = "10",
    seed: Annotated[int, typer.Option(help="Seed of the folds and the bootstrap.")] = 0,
    per_case: Annotated[bool, typer.Option("--per-case", help="Also print every scored issue.")] = False,
    draws: Annotated[int, typer.Option("--draws", "-n", min=0, help="Monte Carlo draws per case and model: the intervals then include input uncertainty (0: none).")] = 0,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the comparison: JSON with -f json or a .json name, Markdown otherwise.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    param: ParamOpt = None,
):
    """Score every model out of sample on negotiations whose outcome is known."""
    from accord.api import backtest as run_backtest
    from accord.api import check_models
    from accord.api.backtesting import parse_folds, per_issue
    from accord.report import text

    _choice(format, ("table", "json"))
    names = check_models(model)
    folds = parse_folds(cv)
    result = run_backtest(case_set, names, capability, folds, seed, draws, _params(param),
                          progress=err().is_terminal)
    if output is not None:
        from accord.scenario.formats.files import atomic_write

        flags = [f"--model {m}" for m in model or []] + [f"--param {p}" for p in param or []]
        flags += [f"--capability {capability}"] if capability != "equal" else []
        flags += [f"--cv {cv}"] if cv != "10" else []
        flags += [f"--seed {seed}"] if seed else []
        flags += [f"--draws {draws}"] if draws else []
        command = " ".join(["accord backtest", case_set, *flags, f"--output {output}"])
        as_json = format == "json" or output.suffix.lower() == ".json"
        atomic_write(output, result.to_json() + "\n" if as_json
                     else text.backtest_markdown(result.doc, command))
        err().print(f"wrote {output}", markup=False, highlight=False)
    if format == "json":
        if output is None:
            print(result.to_json())
        return
    if per_case:
        out().print(text.backtest_cases_table(per_issue(result.evaluated),
                                              list(result.evaluated.values())[0].models))
    out().print(text.backtest_table(result.doc))


@app.command()
def calibrate(
    capability: Annotated[str, typer.Option(
        help="DEU III capabilities: equal, council (treaty in force), nice, gdp")] = "equal",
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Where to write (default: the calibration Accord ships).")] = None,
):
    """Refit the error models and the ensemble on DEU III and write them with their provenance."""
    from accord.api import calibrate as run_calibrate

    command = "accord calibrate" + (f" --capability {capability}" if capability != "equal" else "")
    path, fitted = run_calibrate(capability, output, command, progress=err().is_terminal)
    record = fitted.record["models"]["ensemble"]
    err().print(f"wrote {path}: ensemble = {fitted.combination.method}; out of sample "
                f"({fitted.record['how']}): MAE {record['mae']:.2f}, CRPS {record['crps']:.2f}",
                markup=False, highlight=False)


@app.command()
def montecarlo(
    scenario: ScenarioArg = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Model to run.")] = "compromise",
    draws: Annotated[int, typer.Option("--draws", "-n", min=1)] = 10_000,
    seed: Annotated[Optional[int], typer.Option(help="Seed (default: random, recorded).")] = None,
    chunk_size: Annotated[Optional[int], typer.Option(
        "--chunk-size", min=1, help="Draws per chunk (default: from the draws and workers).")] = None,
    threshold: Annotated[Optional[list[str]], typer.Option(
        "--threshold", "-t", help="Probability that ISSUE>=VALUE (or <=), repeatable.")] = None,
    shock: Annotated[Optional[str], typer.Option(help="Run under a shock (see whatif).")] = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    store: StoreOpt = None,
    param: ParamOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    source_format: FromOpt = None,
    level: LevelOpt = None,
):
    """How sure: draw uncertain inputs and run a model over every draw."""
    _choice(format, ("table", "json"))
    result = _open(scenario, source_format).montecarlo(
        model, draws, seed, thresholds=threshold or [], shock=shock, chunk_size=chunk_size,
        params=_params(param), workers=workers, scheduler=scheduler, store=store, console=err(),
        levels=tuple(level or LEVELS))
    _print_montecarlo(result, format)


def _print_montecarlo(result, format: str) -> None:
    if format == "json":
        print(result.to_json())
        return
    from accord.report import text

    out().print(text.montecarlo_table(result, result.title))
    err().print(f"run {result.run_id} stored (accord runs show {result.run_id})", markup=False,
                highlight=False)


@app.command()
def resume(
    run_id: Annotated[str, typer.Argument(help="A run id from `accord runs`.")],
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
):
    """Finish an interrupted run from its stored chunks."""
    from accord.api import resume as resume_run

    _choice(format, ("table", "json"))
    _print_montecarlo(resume_run(run_id, workers, scheduler, store, err()), format)


@app.command()
def whatif(
    scenario: ScenarioArg = None,
    shock: Annotated[Optional[list[str]], typer.Option(
        "--shock", "-s", help="A declared shock id, leave=ACTOR, incentive=ID, ACTOR.capability=X, "
        "ISSUE.status_quo=X, ACTOR.ISSUE.position=X or ACTOR.ISSUE.salience=X (repeatable). "
        "Default: every shock the scenario declares.")] = None,
    model: Annotated[Optional[list[str]], typer.Option("--model", "-m")] = None,
    draws: Annotated[int, typer.Option("--draws", "-n", min=1)] = 1000,
    seed: Annotated[int, typer.Option(help="Seed, shared by baseline and shocks.")] = 2021,
    store: StoreOpt = None,
    param: ParamOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    source_format: FromOpt = None,
    level: LevelOpt = None,
):
    """What if a party walks out or an outside power changes its offer? Baseline vs shocks."""
    _choice(format, ("table", "json"))
    talks = _open(scenario, source_format)
    result = talks.whatif(shock, model, draws, seed, _params(param), store, err(),
                          tuple(level or LEVELS))
    if format == "json":
        print(result.to_json())
        return
    from accord.report import text

    for name, columns in result.root.items():
        out().print(text.whatif_table(name, [(c.label, c) for c in columns]))
    declared = {s.id: s for s in talks.scenario.shocks}
    for column in next(iter(result.root.values()))[1:]:
        if column.label in declared:
            s = declared[column.label]
            out().print(f"{s.id}: {s.label or s.description}", markup=False, highlight=False)


@app.command()
def leverage(
    scenario: ScenarioArg = None,
    model: Annotated[Optional[list[str]], typer.Option("--model", "-m")] = None,
    issue: Annotated[Optional[str], typer.Option("--issue", "-i", help="Only this issue.")] = None,
    top: Annotated[int, typer.Option(min=1, help="How many levers to show per model.")] = 10,
    step: Annotated[float, typer.Option(help="Position step, as a share of the scale.")] = 0.1,
    param: ParamOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    source_format: FromOpt = None,
):
    """Who can move it: rank each actor's levers by how far they move the forecast."""
    _choice(format, ("table", "json"))
    talks = _open(scenario, source_format)
    result = talks.leverage(model, issue, top, step, _params(param))
    if format == "json":
        print(result.to_json())
        return
    from accord.report import text

    out().print(text.leverage_table(result.root,
                                    f"Leverage on {issue or 'every issue'} ({talks.name})"))


runs_app = typer.Typer(help="Stored runs: list, show, export.", no_args_is_help=False)
app.add_typer(runs_app, name="runs")


@runs_app.callback(invoke_without_command=True)
def runs_list(ctx: typer.Context, store: StoreOpt = None):
    """List stored runs."""
    if ctx.invoked_subcommand is None:
        from accord.api import stored_runs
        from accord.report import text

        out().print(text.runs_table(stored_runs(store)))


@runs_app.command("show")
def runs_show(run_id: str, store: StoreOpt = None):
    """A run's parameters and, when finished, its summary."""
    import json

    from accord.api import stored_run
    from accord.report import text

    record, summary = stored_run(run_id, store)
    print(json.dumps(record, indent=2, default=str))
    if summary is not None:
        out().print(text.montecarlo_table(summary, summary.title))


@runs_app.command("export")
def runs_export(run_id: str, output: Annotated[Path, typer.Option("--output", "-o")],
                format: Annotated[Optional[str], typer.Option(
                    "--format", "-f", help="csv or parquet (default: from the file name)")] = None,
                store: StoreOpt = None):
    """Export a run's draws (one row per draw, one column per issue) to CSV or Parquet."""
    from accord.api import export_draws

    export_draws(run_id, output, format, store)
    err().print(f"wrote {output}", markup=False, highlight=False)


REPORT_FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


@app.command()
def report(
    scenario: ScenarioArg = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")] = Path("report.html"),
    model: Annotated[Optional[list[str]], typer.Option("--model", "-m")] = None,
    draws: Annotated[int, typer.Option("--draws", "-n", min=0, help="Monte Carlo draws per model (0: none).")] = 500,
    seed: Annotated[int, typer.Option(help="Monte Carlo seed.")] = 2021,
    format: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="html or markdown (default: from the file name)")] = None,
    source_format: FromOpt = None,
):
    """Write a report: one self-contained HTML file with charts (or Markdown for a memo)."""
    from rich.progress import Progress

    from accord.api import check_models
    from accord.report.html import render_html, render_markdown
    from accord.scenario.formats.files import atomic_write, format_from_name

    format = format_from_name(output, format, REPORT_FORMATS)
    talks = _open(scenario, source_format)
    names = check_models(model)
    with Progress(console=err(), transient=True, disable=not err().is_terminal) as bar:
        task = bar.add_task("computing the report", total=(2 if draws else 1) * len(names) + 1)
        built = talks.report(names, draws, seed,
                             progress=lambda step: bar.update(task, advance=1, description=step))
    atomic_write(output, render_html(built) if format == "html" else render_markdown(built))
    err().print(f"wrote {output}", markup=False, highlight=False)


@app.command()
def simulate(
    scenario: ScenarioArg = None,
    protocol: Annotated[str, typer.Option("--protocol", help="single-text (a mediator's single negotiating text) or alternating (alternating offers).")] = "single-text",
    seeds: Annotated[int, typer.Option("--seeds", "--draws", "-n", min=0, max=10_000, help="Runs with the uncertain inputs drawn (stances, reservation values, concession styles, shock sizes and dates), played as planned and with each kind of event taken out (0: none).")] = 0,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the draws and of the shown run's chance events.")] = 0,
    style: Annotated[Optional[list[str]], typer.Option(help="Concession style for every party (boulware, aspiration, linear, conceder, tit_for_tat, drawn: the default), or PARTY=STYLE for one (repeatable).")] = None,
    budget: Annotated[int, typer.Option(min=1, help="Drafts per round (single text) or offers per round (alternating).")] = 10,
    majority: Annotated[float, typer.Option(min=0.5, max=1.0, help="Share of capability that adopts a draft (1: unanimity).")] = 1.0,
    trust: Annotated[float, typer.Option(min=0.0, max=1.0, help="Parties' initial trust in each other.")] = 0.5,
    shock: Annotated[Optional[list[str]], typer.Option("--shock", "-s", help="Play a declared shock even if undated or outside the calendar (repeatable).")] = None,
    extra_rounds: Annotated[int, typer.Option("--extra-rounds", min=0, max=1200, help="Monthly rounds after the last scheduled one (what-if).")] = 0,
    events: Annotated[bool, typer.Option("--events/--no-events", help="Play the scenario's gestures, incentives and shocks.")] = True,
    workers: WorkersOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown")] = "table",
    source_format: FromOpt = None,
):
    """Play the mediated rounds out: single text or alternating offers, gestures, incentives,
    shocks and walk-outs; with --seeds, the chance of agreement and what each event changed."""
    from rich.progress import Progress

    from accord.api.simulation import progress_steps
    from accord.report import simulation as sim_report

    _choice(format, ("table", "json", "markdown"))
    if shock and not events:
        raise InputError("--no-events drops every shock, so --shock would have no effect", None,
                         None, "--shock", shock[0], "--shock without --no-events, or neither")
    talks = _open(scenario, source_format)
    with Progress(console=err(), transient=True, disable=not err().is_terminal) as bar:
        task = bar.add_task("simulating", total=progress_steps(seeds))
        doc = talks.simulate(protocol, seeds=seeds, seed=seed, styles=style or [], budget=budget,
                             majority=majority, trust=trust, shocks=shock or [],
                             extra_rounds=extra_rounds, events=events, workers=workers,
                             progress=lambda: bar.advance(task))
    for note in doc.notes:
        _note(note)
    if format == "json":
        print(doc.to_json())
    elif format == "markdown":
        print(sim_report.markdown(doc), end="")
    else:
        out().print(sim_report.rounds_table(doc))
        out().print(sim_report.text_table(doc))
        out().print(sim_report.narration(doc))
        if doc.summary:
            out().print(sim_report.summary_table(doc))
            out().print(sim_report.findings(doc))


@app.command()
def ingest(
    article: Annotated[list[Path], typer.Argument(help="Article text files.")],
    scenario: Annotated[Optional[str], typer.Option("--scenario", "-s", help="Scenario to resolve actors against and to update.")] = None,
    date: Annotated[Optional[str], typer.Option(help="The article's date, YYYY-MM-DD; required unless its dateline has a date.")] = None,
    keep_captions: Annotated[bool, typer.Option("--keep-captions", help="Keep photo captions (repairing them too).")] = False,
    apply: Annotated[bool, typer.Option("--apply", help="Show the diff and write the scenario file.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
):
    """Read articles: clean them, code their events, and propose a scenario update."""
    import json

    from accord.api import ingest as read_article
    from accord.api.negotiation import Negotiation
    from accord.api.news import apply as apply_updates
    from accord.report import text

    _choice(format, ("table", "json"))
    talks = _open(scenario) if scenario else None
    loaded = talks.scenario if talks else None
    results = [read_article(path, date, loaded, keep_captions) for path in article]
    if format == "json":
        print(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        for r in results:
            out().print(text.ingest_table(r))
    if apply:
        if loaded is None or scenario is None or not Path(scenario).is_file():
            raise InputError("--apply needs a scenario file to write", None, None, "--scenario",
                             scenario, "the path of a YAML scenario (copy a built-in with accord show -f yaml)")
        updated, diffs = apply_updates(loaded, results)
        for diff in diffs or [""]:
            err().print(diff or "no change", markup=False, highlight=False)
        Negotiation(updated).save(scenario, "yaml")
        err().print(f"wrote {scenario}", markup=False, highlight=False)


@app.command()
def show(
    scenario: ScenarioArg = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or yaml")] = "table",
    source_format: FromOpt = None,
):
    """Print a scenario's actors and stances (or the whole scenario as YAML)."""
    _choice(format, ("table", "yaml"))
    talks = _open(scenario, source_format)
    if format == "yaml":
        print(talks.to_yaml(), end="")
        return
    from accord.report import text

    out().print(text.actors_table(talks.scenario))
    out().print(text.stances_table(talks.scenario))


@app.command()
def scenarios():
    """List the built-in scenarios."""
    from accord.api.catalog import scenarios as builtin

    for name, title in builtin():
        print(f"{name}\t{title}")


@app.command()
def schema(what: Annotated[str, typer.Argument(help="scenario, forecast or simulate")] = "scenario"):
    """Print the JSON Schema of the scenario format (or of the forecast or simulate JSON)."""
    import json

    from accord.api import schema as schema_of

    print(json.dumps(schema_of(what), indent=2))


@app.command()
def convert(
    source: Annotated[str, typer.Argument(help="Input file, or a built-in scenario name.")],
    target: Annotated[Path, typer.Argument(help="Output file (written atomically).")],
    source_format: FromOpt = None,
    target_format: Annotated[Optional[str], typer.Option(
        "--to", help=f"Output format: {', '.join(FORMATS)} (default: from the name).")] = None,
):
    """Convert a scenario between YAML, KTAB CSV, decide files and plain tables."""
    for note in _open(source, source_format).save(target, target_format):
        _note(note)
    err().print(f"wrote {target}", markup=False, highlight=False)


@app.command()
def serve(
    scenario: Annotated[Optional[str], typer.Argument(
        help="A scenario file or built-in name to open at once (default: the start page).")] = None,
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0: any free port).")] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; any other than "
                                      "this machine's needs the token printed at start.")] = "127.0.0.1",
    store: StoreOpt = None,
):
    """Open the workspace in the browser: edit actors and stances, watch every model's forecast,
    run leverage, what-ifs, simulations and the news; edits are saved in the run store."""
    from accord.web import serve as start

    start(scenario, host, port, store)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app; user errors print one line and exit 2.

    Every message is printed as text (:class:`accord.report.text.SafeConsole`): a file name or
    value holding markup or terminal controls is shown, never obeyed."""
    from rich.text import Text

    from accord.api.interrupt import RunInterrupted
    from accord.report.console import clean, plain

    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            result = _command()(args=argv, prog_name="accord", standalone_mode=False)
        _numeric_notes(caught)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except InputError as exc:
        if debug:
            traceback.print_exc()
        return _error(str(exc), 2)
    except RunInterrupted as exc:
        err().print(plain(str(exc)), soft_wrap=True)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except (MemoryError, RecursionError) as exc:
        if debug:
            traceback.print_exc()
        what = "memory" if isinstance(exc, MemoryError) else "stack (the input nests too deeply)"
        return _error(f"not enough {what} for this input ({type(exc).__name__}); accepted: a "
                      "smaller input, fewer draws per chunk (--chunk-size), or a simpler model", 2)
    except Exception as exc:  # noqa: BLE001 - last line of defence, with the way to see more
        if _kind(exc, "ClickException", "Abort"):
            return _usage_error(exc)
        if isinstance(exc, OSError) or _kind(exc, "SQLAlchemyError"):
            if debug:
                traceback.print_exc()
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            return _error(f"the system refused: {type(exc).__name__}: {exc}{where}; accepted: "
                          "a writable disk with room, a reachable run store", 2)
        if debug:
            traceback.print_exc()
        else:
            err().print(Text("internal error: ", style="bold red")
                      + plain(f"{type(exc).__name__}: {clean(exc, one_line=True)} "
                                   "(run again with --debug for the traceback, and please report "
                                   "it)"), soft_wrap=True)
        return 1
    if result == 130:  # typer turns Ctrl-C outside a run into exit 130
        err().print("aborted")
    return result if isinstance(result, int) else 0


def _numeric_notes(caught: list[warnings.WarningMessage]) -> None:
    """Numpy's overflow and invalid-value warnings as one note per module; other warnings as
    they were."""
    from accord.report.console import plain

    modules = []
    for w in caught:
        if issubclass(w.category, RuntimeWarning):
            module = Path(w.filename).stem
            if module not in modules:
                modules.append(module)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    for module in modules:
        err().print(plain(f"note: degenerate numbers in {module} (values too far apart "
                             "for floating point, e.g. saliences or capabilities many orders of "
                             "magnitude apart): some results may be n/a or inexact", style="dim"),
                  soft_wrap=True)


@functools.cache
def _command():
    """The click command behind ``app``, built once (typer reads every signature to build it)."""
    return typer.main.get_command(app)


def _kind(exc: BaseException, *names: str) -> bool:
    """Whether ``exc`` is one of click's exceptions ``names`` (typer may bring its own click)."""
    return any(cls.__name__ in names for cls in type(exc).__mro__)


def _usage_error(exc: Exception) -> int:
    """A command-line mistake as one line (or the help, when no command was given)."""
    if _kind(exc, "NoArgsIsHelpError"):
        print(exc.format_message(), file=sys.stderr)
        return 2
    if _kind(exc, "Abort"):
        err().print("aborted")
        return 1
    ctx = getattr(exc, "ctx", None)
    where = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
    return _error(f"{exc.format_message()}{where}", getattr(exc, "exit_code", 2))


def _error(message: str, code: int) -> int:
    """Print ``error: message`` on one line (control characters and line breaks escaped)."""
    from rich.text import Text

    from accord.report.console import clean

    err().print(Text("error: ", style="bold red") + Text(clean(message, one_line=True)),
              soft_wrap=True, highlight=False)
    return code


def _silence_stdout() -> None:
    """After a closed pipe, send what is left of stdout nowhere (no second error at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
