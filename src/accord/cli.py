"""The ``accord`` command line: thin commands that parse arguments and call the library."""

from __future__ import annotations

import json
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from accord.api.forecast import forecast as run_forecast
from accord.api.trace import trace_model
from accord.models import MODELS
from accord.models.parameters import parse_params
from accord.report import text
from accord.scenario.catalog import builtin_names, load
from accord.scenario.errors import InputError
from accord.scenario.formats import FORMATS, render, write_file
from accord.scenario.formats.files import atomic_write
from accord.scenario.model import Scenario

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Forecast, simulate and mediate multi-party political negotiations.")
out = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True)


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


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False):
    """Accord: where will each issue land, who can move it, and how sure are we."""


def _load(scenario: str | None, fmt: str | None = None) -> Scenario:
    return _load_with_parameters(scenario, fmt)[0]


def _load_with_parameters(scenario: str | None, fmt: str | None = None,
                          param: list[str] | None = None) -> tuple[Scenario, dict]:
    """The scenario and the model parameters: those the file carries (KTAB XML), overridden by
    ``--param``."""
    loaded = load(scenario, fmt)
    for note in loaded.notes:
        err.print(f"[dim]note: {note}[/dim]")
    params = {model: dict(values) for model, values in loaded.parameters.items()}
    for model, values in parse_params(param or []).items():
        params.setdefault(model, {}).update(values)
    return loaded.scenario, params


def _check_models(names: list[str] | None) -> list[str]:
    for name in names or []:
        if name not in MODELS:
            raise InputError("unknown model", None, None, "--model", name,
                             "one of " + ", ".join(MODELS))
    return names or list(MODELS)


ParamOpt = Annotated[Optional[list[str]], typer.Option(
    "--param", "-p", help="A model parameter as MODEL.NAME=VALUE (repeatable), e.g. "
    "eum.preset=scholz_literal, eum.rounds=20, nash.utility=quadratic.")]


@app.command()
def forecast(
    scenario: ScenarioArg = None,
    model: Annotated[Optional[list[str]], typer.Option(
        "--model", "-m", help=f"Model to run (repeatable): {', '.join(MODELS)}. Default: all.")] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    param: ParamOpt = None,
    source_format: FromOpt = None,
):
    """Forecast where each issue lands, with every model side by side."""
    loaded, params = _load_with_parameters(scenario, source_format, param)
    report = run_forecast(loaded, _check_models(model), params)
    if format is TableFormat.json:
        print(report.model_dump_json(indent=2))
    elif format is TableFormat.markdown:
        print(text.forecast_markdown(report), end="")
    elif format is TableFormat.csv:
        print(text.forecast_csv(report), end="")
    else:
        out.print(text.forecast_table(report))


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
    loaded, params = _load_with_parameters(scenario, source_format, param)
    result = trace_model(loaded, model, issue, params, round_no)
    if format == "json":
        print(json.dumps(result.as_json(), indent=2))
    elif format == "table":
        from accord.report.trace import trace_table

        out.print(trace_table(result))
    else:
        raise InputError("unknown format", None, None, "--format", format, "table or json")


@app.command()
def backtest(
    case_set: Annotated[str, typer.Argument(help="deu3, venezuela, bdm, or all")] = "all",
    model: Annotated[Optional[list[str]], typer.Option(
        "--model", "-m", help="Model to score (repeatable). Default: all.")] = None,
    capability: Annotated[str, typer.Option(help="DEU III capabilities: equal, council, gdp")] = "equal",
    per_case: Annotated[bool, typer.Option("--per-case", help="Also print every scored issue.")] = False,
    draws: Annotated[int, typer.Option("--draws", "-n", min=0, help="Monte Carlo draws per case and model, for the coverage of the 90% interval (0: none).")] = 0,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the comparison as Markdown.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    param: ParamOpt = None,
):
    """Score every model on negotiations whose outcome is known."""
    from dataclasses import asdict

    from accord.analysis.backtest import predict, summarise
    from accord.analysis.casesets import CASE_SETS, load_case_set

    names = _check_models(model)
    sets = list(CASE_SETS) if case_set == "all" else [case_set]
    cases = [c for name in sets for c in load_case_set(name, capability)]  # type: ignore[arg-type]
    predictions = predict(cases, names, parse_params(param or []), progress=err.is_terminal,
                          draws=draws)
    scores = summarise(predictions)
    if output is not None:
        flags = [f"--model {m}" for m in model or []] + [f"--param {p}" for p in param or []]
        if capability != "equal":
            flags.append(f"--capability {capability}")
        if draws:
            flags.append(f"--draws {draws}")
        command = " ".join(["accord backtest", case_set, *flags, f"--output {output}"])
        atomic_write(output, text.backtest_markdown(scores, command))
        err.print(f"wrote {output}")
    if format == "json":
        print(json.dumps({"scores": [asdict(s) for s in scores],
                          "predictions": [asdict(p) | {"error": p.error} for p in predictions]},
                         indent=2))
        return
    if per_case:
        out.print(text.backtest_cases_table(predictions, ["status_quo", *names]))
    out.print(text.backtest_table(scores))


StoreOpt = Annotated[Optional[str], typer.Option(
    "--store", help="Run store: a SQLAlchemy URL (default: SQLite in the user data directory, "
    "or $ACCORD_STORE).")]
WorkersOpt = Annotated[Optional[int], typer.Option(
    "--workers", "-w", help="Local worker processes (default: all cores).")]
SchedulerOpt = Annotated[Optional[str], typer.Option(
    "--scheduler", help="Run the chunks on a Dask cluster: tcp://HOST:PORT.")]


def _summary_json(outcome) -> dict:
    from dataclasses import asdict

    return {"run_id": outcome.run_id, **asdict(outcome.summary)}


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
):
    """How sure: draw uncertain inputs and run a model over every draw."""
    from accord.analysis.shocks import check_shock, parse_shock
    from accord.api.runs import Request, execute, parse_threshold
    from accord.api.store import Store

    loaded = _load(scenario, source_format)
    _check_models([model])
    chosen = parse_shock(loaded, shock) if shock else None
    if chosen is not None:
        check_shock(loaded, chosen)
    request = Request(loaded, model, draws, seed, chunk_size,
                      parse_params(param or []).get(model, {}), chosen,
                      [parse_threshold(loaded, t) for t in threshold or []])
    outcome = execute(request, Store(store), workers, scheduler, err)
    _print_montecarlo(outcome, model, format)


def _print_montecarlo(outcome, model: str, format: str) -> None:
    if format == "json":
        print(json.dumps(_summary_json(outcome), indent=2))
        return
    out.print(text.montecarlo_table(outcome.summary, f"{model}: {outcome.scenario.name}"))
    err.print(f"run {outcome.run_id} stored (accord runs show {outcome.run_id})")


@app.command()
def resume(
    run_id: Annotated[str, typer.Argument(help="A run id from `accord runs`.")],
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
):
    """Finish an interrupted run from its stored chunks."""
    from accord.api.runs import resume as resume_run
    from accord.api.store import Store

    db = Store(store)
    outcome = resume_run(run_id, db, workers, scheduler, err)
    _print_montecarlo(outcome, db.run(run_id)["request"]["model"], format)


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
):
    """What if a party walks out or an outside power changes its offer? Baseline vs shocks."""
    from accord.analysis.shocks import check_shock, parse_shock
    from accord.api.runs import Request, execute
    from accord.api.store import Store

    loaded = _load(scenario, source_format)
    shocks = [parse_shock(loaded, s) for s in shock] if shock else list(loaded.shocks)
    for s in shocks:
        check_shock(loaded, s)
    if not shocks:
        raise InputError("no shocks to compare", None, None, "--shock", None,
                         "--shock ... or a scenario that declares shocks")
    db, params, results = Store(store), parse_params(param or []), {}
    for name in _check_models(model):
        columns = []
        for label, chosen in [("baseline", None), *[(s.id if s.id != "cli" else s.label, s)
                                                     for s in shocks]]:
            request = Request(loaded, name, draws, seed, draws, params.get(name, {}), chosen,
                              kind="whatif")
            columns.append((label, execute(request, db, 1, None, err).summary))
        results[name] = columns
    if format == "json":
        from dataclasses import asdict

        print(json.dumps({m: [{"label": label, **asdict(summary)} for label, summary in cols]
                          for m, cols in results.items()}, indent=2))
        return
    for name, columns in results.items():
        out.print(text.whatif_table(name, columns))
    for s in shocks:
        if s.id != "cli":
            out.print(f"[bold]{s.id}[/bold]: {s.label or s.description}", highlight=False)


@app.command()
def leverage(
    scenario: ScenarioArg = None,
    model: Annotated[Optional[list[str]], typer.Option("--model", "-m")] = None,
    issue: Annotated[Optional[str], typer.Option("--issue", "-i", help="Only this issue.")] = None,
    top: Annotated[int, typer.Option(help="How many levers to show per model.")] = 10,
    step: Annotated[float, typer.Option(help="Position step, as a share of the scale.")] = 0.1,
    param: ParamOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    source_format: FromOpt = None,
):
    """Who can move it: rank each actor's levers by how far they move the forecast."""
    from accord.analysis.leverage import leverage as levers_of
    from accord.analysis.leverage import ranked
    from accord.scenario.arrays import ScenarioArrays

    loaded = _load(scenario, source_format)
    if issue is not None and issue not in {i.id for i in loaded.issues}:
        raise InputError("unknown issue", None, None, "--issue", issue,
                         ", ".join(i.id for i in loaded.issues))
    if not 0 < step <= 1:
        raise InputError("step out of range", None, None, "--step", step, "a share in (0, 1]")
    arrays, params = ScenarioArrays.from_scenario(loaded), parse_params(param or [])
    best = [lv for name in _check_models(model)
            for lv in ranked([lv for lv in levers_of(arrays, name, params.get(name, {}), step)
                              if issue is None or lv.issue == issue], top)]
    if format == "json":
        from dataclasses import asdict

        print(json.dumps([asdict(lv) | {"effect": lv.effect} for lv in best], indent=2))
        return
    out.print(text.leverage_table(best, f"Leverage on {issue or 'every issue'} ({loaded.name})"))


runs_app = typer.Typer(help="Stored runs: list, show, export.", no_args_is_help=False)
app.add_typer(runs_app, name="runs")


@runs_app.callback(invoke_without_command=True)
def runs_list(ctx: typer.Context, store: StoreOpt = None):
    """List stored runs."""
    if ctx.invoked_subcommand is None:
        from accord.api.store import Store

        out.print(text.runs_table(Store(store).list_runs()))


@runs_app.command("show")
def runs_show(run_id: str, store: StoreOpt = None):
    """A run's parameters and, when finished, its summary."""
    from accord.analysis.montecarlo import summarise
    from accord.api.runs import parse_threshold
    from accord.api.store import Store
    from accord.scenario.formats import yaml_format

    db = Store(store)
    record = db.run(run_id)
    shown = {k: v for k, v in record.items() if k != "scenario_yaml"}
    print(json.dumps(shown, indent=2, default=str))
    if record["chunks_done"]:
        scenario = yaml_format.read(record["scenario_yaml"], f"<run {run_id}>")
        thresholds = [parse_threshold(scenario, t) for t in record["request"]["thresholds"]]
        summary = summarise(scenario, db.outcomes(run_id), thresholds)
        out.print(text.montecarlo_table(summary, f"run {run_id} ({record['status']})"))


@runs_app.command("export")
def runs_export(run_id: str, output: Annotated[Path, typer.Option("--output", "-o")],
                format: Annotated[str, typer.Option("--format", "-f", help="csv or parquet")] = "csv",
                store: StoreOpt = None):
    """Export a run's draws (one row per draw, one column per issue) to CSV or Parquet."""
    from accord.api.export import export_run
    from accord.api.store import Store

    export_run(Store(store), run_id, output, format)
    err.print(f"wrote {output}")


@app.command()
def report(
    scenario: ScenarioArg = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")] = Path("report.html"),
    model: Annotated[Optional[list[str]], typer.Option("--model", "-m")] = None,
    draws: Annotated[int, typer.Option("--draws", "-n", min=0, help="Monte Carlo draws per model (0: none).")] = 500,
    seed: Annotated[int, typer.Option(help="Monte Carlo seed.")] = 2021,
    format: Annotated[str, typer.Option("--format", "-f", help="html or markdown")] = "html",
    source_format: FromOpt = None,
):
    """Write a report: one self-contained HTML file with charts (or Markdown for a memo)."""
    from accord.api.report import build
    from accord.report.html import render_html, render_markdown

    if format not in ("html", "markdown"):
        raise InputError("unknown format", None, None, "--format", format, "html or markdown")
    from rich.progress import Progress

    loaded = _load(scenario, source_format)
    names = _check_models(model)
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("computing the report", total=(2 if draws else 1) * len(names) + 1)
        built = build(loaded, names, draws, seed,
                      progress=lambda step: bar.update(task, advance=1, description=step))
    atomic_write(output, render_html(built) if format == "html" else render_markdown(built))
    err.print(f"wrote {output}")


@app.command()
def simulate(
    scenario: ScenarioArg = None,
    protocol: Annotated[str, typer.Option("--protocol", help="single-text (a mediator's single negotiating text) or alternating (alternating offers).")] = "single-text",
    seeds: Annotated[int, typer.Option("--seeds", "-n", min=0, help="More runs with inputs drawn from their uncertainty, summarised with counterfactuals (0: none).")] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the run shown; the drawn runs use the next ones.")] = 0,
    style: Annotated[Optional[list[str]], typer.Option(help="Concession style for every party (boulware, aspiration, linear, conceder, tit_for_tat), or PARTY=STYLE for one (repeatable).")] = None,
    budget: Annotated[int, typer.Option(min=1, help="Drafts per round (single text) or offers per round (alternating).")] = 10,
    majority: Annotated[float, typer.Option(min=0.5, max=1.0, help="Share of capability that adopts a draft (1: unanimity).")] = 1.0,
    trust: Annotated[float, typer.Option(min=0.0, max=1.0, help="Parties' initial trust in each other.")] = 0.5,
    shock: Annotated[Optional[list[str]], typer.Option("--shock", "-s", help="Apply a declared shock even if undated or outside the calendar (repeatable).")] = None,
    extra_rounds: Annotated[int, typer.Option("--extra-rounds", min=0, help="Monthly rounds after the last scheduled one (what-if).")] = 0,
    events: Annotated[bool, typer.Option("--events/--no-events", help="Play the scenario's gestures, incentives and shocks.")] = True,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown")] = "table",
    source_format: FromOpt = None,
):
    """Play the mediated rounds out: single text or alternating offers, gestures, incentives,
    shocks and walk-outs."""
    from dataclasses import replace

    from accord.report import simulation as sim_report
    from accord.sim.document import document
    from accord.sim.engine import SimParams
    from accord.sim.scenario import check_options, parse_styles, run_scenario

    if format not in ("table", "json", "markdown"):
        raise InputError("unknown format", None, None, "--format", format, "table, json or markdown")
    loaded = _load(scenario, source_format)
    check_options(loaded, protocol, shock or [])
    default_style, styles = parse_styles(loaded, style or [])
    base = SimParams()
    params = SimParams(protocol=protocol, party=replace(base.party, style=default_style,
                                                        styles=styles, trust=trust),
                       mediator=replace(base.mediator, budget=budget, majority=majority),
                       offers_per_round=budget)
    from rich.progress import Progress

    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("simulating", total=1 + 5 * seeds)
        run, summaries, notes = run_scenario(loaded, params, seed=seed, seeds=seeds,
                                             shocks=shock or [], extra_rounds=extra_rounds,
                                             events=events, progress=lambda: bar.advance(task))
    doc = document(loaded, run, summaries, notes)
    for note in notes:
        err.print(f"[dim]note: {note}[/dim]")
    if format == "json":
        print(doc.model_dump_json(indent=2))
    elif format == "markdown":
        print(sim_report.markdown(doc), end="")
    else:
        out.print(sim_report.rounds_table(doc))
        out.print(sim_report.outcome_table(doc))
        if summaries:
            out.print(sim_report.summary_table(doc))


@app.command()
def ingest(
    article: Annotated[list[Path], typer.Argument(help="Article text files.")],
    scenario: Annotated[Optional[str], typer.Option("--scenario", "-s", help="Scenario to resolve actors against and to update.")] = None,
    date: Annotated[Optional[str], typer.Option(help="The article's date, YYYY-MM-DD (default: the scenario's as_of, else today).")] = None,
    keep_captions: Annotated[bool, typer.Option("--keep-captions", help="Keep photo captions (repairing them too).")] = False,
    apply: Annotated[bool, typer.Option("--apply", help="Show the diff and write the scenario file.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
):
    """Read articles: clean them, code their events, and propose a scenario update."""
    import datetime as dt

    from accord.news.ingest import ingest as run_ingest
    from accord.news.update import apply as apply_update
    from accord.scenario.formats.files import read_text

    loaded = _load(scenario) if scenario else None
    try:
        day = dt.date.fromisoformat(date) if date else (loaded.as_of if loaded and loaded.as_of else dt.date.today())
    except ValueError:
        raise InputError("not a date", None, None, "--date", date, "YYYY-MM-DD") from None
    results = [run_ingest(read_text(path), day, loaded, str(path), keep_captions) for path in article]
    if format == "json":
        print(json.dumps([r.model_dump(mode="json") for r in results], indent=2, ensure_ascii=False))
    else:
        for r in results:
            out.print(text.ingest_table(r))
    if apply:
        if loaded is None or scenario is None or not Path(scenario).is_file():
            raise InputError("--apply needs a scenario file to write", None, None, "--scenario",
                             scenario, "the path of a YAML scenario (copy a built-in with accord show -f yaml)")
        updated = loaded
        for r in results:
            updated, diff = apply_update(updated, r.update)
            err.print(diff or "no change")
        write_file(updated, scenario, "yaml")
        err.print(f"wrote {scenario}")


@app.command()
def show(
    scenario: ScenarioArg = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or yaml")] = "table",
    source_format: FromOpt = None,
):
    """Print a scenario's actors and stances (or the whole scenario as YAML)."""
    loaded = _load(scenario, source_format)
    if format == "yaml":
        print(render(loaded, "yaml")[0], end="")
    elif format == "table":
        out.print(text.actors_table(loaded))
        out.print(text.stances_table(loaded))
    else:
        raise InputError("unknown format", None, None, "--format", format, "table or yaml")


@app.command()
def scenarios():
    """List the built-in scenarios."""
    for name in builtin_names():
        out.print(f"{name}\t{load(name).scenario.name}")


@app.command()
def schema(what: Annotated[str, typer.Argument(help="scenario, forecast or simulate")] = "scenario"):
    """Print the JSON Schema of the scenario format (or of the forecast or simulate JSON)."""
    from accord.api.forecast import ForecastReport
    from accord.sim.document import SimulationDoc

    models = {"scenario": Scenario, "forecast": ForecastReport, "simulate": SimulationDoc}
    if what not in models:
        raise InputError("unknown schema", None, None, "WHAT", what, ", ".join(models))
    print(json.dumps(models[what].model_json_schema(), indent=2))


@app.command()
def convert(
    source: Annotated[str, typer.Argument(help="Input file, or a built-in scenario name.")],
    target: Annotated[Path, typer.Argument(help="Output file (written atomically).")],
    source_format: FromOpt = None,
    target_format: Annotated[Optional[str], typer.Option(
        "--to", help=f"Output format: {', '.join(FORMATS)} (default: from the name).")] = None,
):
    """Convert a scenario between YAML, KTAB CSV, decide files and plain tables."""
    notes = write_file(_load(source, source_format), target, target_format)
    for note in notes:
        err.print(f"[dim]note: {note}[/dim]")
    err.print(f"wrote {target}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app; user errors print one line and exit 2."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        app(args=argv, prog_name="accord")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except InputError as exc:
        if debug:
            traceback.print_exc()
        err.print(f"[bold red]error:[/bold red] {exc}", highlight=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        err.print("aborted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence, with the way to see more
        if debug:
            traceback.print_exc()
        else:
            err.print(f"[bold red]internal error:[/bold red] {type(exc).__name__}: {exc} "
                      "(run again with --debug for the traceback, and please report it)",
                      highlight=False, soft_wrap=True)
        return 1
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
