"""The analyses a workspace runs on demand: leverage, what-if with shocks, and a simulation whose
rounds can be stepped through. Each works on the workspace's current version; a bad request
(an unknown shock, a model name, too many draws) is shown as the command line words it."""

from __future__ import annotations

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse

from accord.api import SimulationResult
from accord.api.workspaces import Workspace
from accord.scenario.errors import InputError
from accord.web import views
from accord.web.common import render, state, workspace

router = APIRouter()
MAX_DRAWS = 5000


@router.post("/w/{wid}/leverage", response_class=HTMLResponse)
def leverage(request: Request, wid: str, model: list[str] = Form(default=[]),
             issue: str = Form(""), top: int = Form(8)) -> HTMLResponse:
    """Who to persuade, on what, and how far the forecast would move."""
    ws = workspace(request, wid)
    try:
        result = ws.talks.leverage(model or state(request).quick, issue or None, top)
    except InputError as exc:
        return render(request, "message.html.j2", error=f"error: {exc}")
    return render(request, "leverage.html.j2", result=result, ws=ws,
                  chart=views.leverage_chart(result) if result.root else None)


@router.post("/w/{wid}/whatif", response_class=HTMLResponse)
def whatif(request: Request, wid: str, shock: list[str] = Form(default=[]),
           custom: str = Form(""), model: list[str] = Form(default=[]),
           draws: int = Form(300), seed: int = Form(2021)) -> HTMLResponse:
    """The baseline and each chosen shock side by side, with intervals over the draws."""
    st, ws = state(request), workspace(request, wid)
    shocks = [*shock, *(line.strip() for line in custom.splitlines() if line.strip())]
    try:
        if not 10 <= draws <= MAX_DRAWS:
            raise InputError("draws out of range", None, None, "draws", draws,
                             f"a whole number from 10 to {MAX_DRAWS}")
        result = ws.talks.whatif(shocks or None, model or st.quick, draws, seed,
                                 store=st.store_url)
    except InputError as exc:
        return render(request, "message.html.j2", error=f"error: {exc}")
    return render(request, "whatif.html.j2", models=views.whatif_views(result, ws.talks.scenario),
                  ws=ws, draws=draws)


@router.post("/w/{wid}/simulate", response_class=HTMLResponse)
def simulate(request: Request, wid: str, protocol: str = Form("single-text"),
             seed: int = Form(0)) -> HTMLResponse:
    """Play the mediated rounds out, then show the first round."""
    ws = workspace(request, wid)
    try:
        doc = _simulation(request, ws, protocol, seed)
    except InputError as exc:
        return render(request, "message.html.j2", error=f"error: {exc}")
    return render(request, "simulation.html.j2", doc=doc, ws=ws, protocol=protocol, seed=seed,
                  chart=views.simulation_chart(doc), k=1, version=ws.head)


@router.get("/w/{wid}/simulate/round", response_class=HTMLResponse)
def simulation_round(request: Request, wid: str, v: int = Query(...),
                     protocol: str = Query("single-text"), seed: int = Query(0),
                     k: int = Query(1)) -> HTMLResponse:
    """Round ``k`` of the simulation of version ``v`` (computed again if it was forgotten)."""
    ws = state(request).workspaces.get(workspace(request, wid).id, v)
    doc = _simulation(request, ws, protocol, seed)
    k = min(max(k, 1), max(len(doc.run.rounds), 1))
    return render(request, "round.html.j2", doc=doc, ws=ws, protocol=protocol, seed=seed, k=k,
                  version=v)


def _simulation(request: Request, ws: Workspace, protocol: str, seed: int) -> SimulationResult:
    return state(request).results.get(
        ("simulation", ws.id, ws.head, protocol, seed),
        lambda: ws.talks.simulate(protocol, seed=seed))
