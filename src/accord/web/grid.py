"""The workspace page: the actor and stance grid, validated as you type, with undo, and the
forecast that follows each edit.

An edit is one field (a stance's position and salience, an actor's name, role or capability, an
issue's status quo) posted as typed. A valid edit is saved as a new version and answered at once
with the quick models' forecast; the models that run in rounds follow in a second request that
the answer triggers. An invalid edit is answered with the command line's message next to the
field; nothing is saved and the text typed stays where it is.
"""

from __future__ import annotations

import re
import time

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from accord.api.workbench import (
    add_actor,
    remove_actor,
    set_actor,
    set_stance,
    set_status_quo,
)
from accord.api.workspaces import Workspace
from accord.scenario.errors import InputError
from accord.scenario.model import Role
from accord.web import views
from accord.web.common import render, state, workspace
from accord.web.views import forecast_table

router = APIRouter()
SLOT = re.compile(r"^[a-z0-9-]{1,40}$")


def page_context(request: Request, ws: Workspace, issue: str | None = None) -> dict:
    """Everything the workspace page shows for ``ws``'s head version."""
    st = state(request)
    full = st.full_forecast_ready(ws)
    report = full or st.forecast(ws, complete=False)
    scenario = ws.talks.scenario
    issue = issue if issue in {i.id for i in scenario.issues} else scenario.issues[0].id
    return {
        "ws": ws, "s": scenario, "roles": [r.value for r in Role],
        "stances": {(x.actor, x.issue): x for x in scenario.stances},
        "table": forecast_table(report, st.models, full is not None),
        "issue": issue, "positions": views.positions(scenario, issue),
        "quick": st.quick, "slow": st.slow, "models": st.models,
        "history": st.workspaces.history(ws.id)[:30],
        "proposals": st.workspaces.proposals(ws.id),
    }


@router.get("/w/{wid}", response_class=HTMLResponse)
def show(request: Request, wid: str) -> HTMLResponse:
    """The workspace page."""
    return render(request, "workspace.html.j2", **page_context(request, workspace(request, wid)))


@router.post("/w/{wid}/edit", response_class=HTMLResponse)
def edit(request: Request, wid: str, cell: str = Form(...), slot: str = Form(""),
         burst: str = Form(""), value: str = Form(""), position: str = Form(""),
         salience: str = Form("")) -> HTMLResponse:
    """One field of the grid, as typed: saved when valid, its error shown when not."""
    start = time.perf_counter()
    st, ws = state(request), workspace(request, wid)
    slot = slot if SLOT.match(slot) else ""
    kind, _, rest = cell.partition(":")
    scenario, where = ws.talks.scenario, ws.source
    issue = None
    try:
        if kind == "stance":
            actor, _, issue = rest.partition(":")
            edited, label = set_stance(scenario, actor, issue, position, salience, where)
        elif kind == "actor":
            actor, _, field = rest.rpartition(":")
            edited, label = set_actor(scenario, actor, field, value, where)
        elif kind == "sq":
            issue = rest
            edited, label = set_status_quo(scenario, issue, value, where)
        else:
            raise InputError("unknown field", None, None, "cell", cell,
                             "stance:ACTOR:ISSUE, actor:ID:FIELD or sq:ISSUE")
    except InputError as exc:
        return render(request, "edited.html.j2", slot=slot, error=f"error: {exc}", ws=ws)
    if not label:
        return render(request, "edited.html.j2", slot=slot, error=None, ws=ws)
    st.workspaces.commit(ws.id, edited, label, burst[:64] or None)
    ws = workspace(request, wid)
    table = forecast_table(st.forecast(ws, complete=False), st.models, False)
    chart = views.positions(ws.talks.scenario, issue) if issue else None
    response = render(request, "edited.html.j2", slot=slot, error=None, ws=ws, table=table,
                      label=label, issue=issue, positions=chart,
                      s=ws.talks.scenario)
    response.headers["Server-Timing"] = f"edit;dur={(time.perf_counter() - start) * 1000:.1f}"
    return response


@router.get("/w/{wid}/forecast", response_class=HTMLResponse)
def full_forecast(request: Request, wid: str, v: int = Query(...)) -> Response:
    """Every model's forecast of version ``v``; nothing if a newer edit has been made since."""
    start = time.perf_counter()
    st, ws = state(request), workspace(request, wid)
    if v != ws.head:
        return Response(status_code=204)
    table = forecast_table(st.forecast(ws, complete=True), st.models, True)
    if workspace(request, wid).head != v:  # edited meanwhile: that edit's forecast will come
        return Response(status_code=204)
    response = render(request, "forecast.html.j2", table=table, ws=ws)
    response.headers["Server-Timing"] = f"forecast;dur={(time.perf_counter() - start) * 1000:.1f}"
    return response


@router.get("/w/{wid}/positions", response_class=HTMLResponse)
def positions(request: Request, wid: str, issue: str = Query("")) -> HTMLResponse:
    """The actors on one issue."""
    ws = workspace(request, wid)
    scenario = ws.talks.scenario
    issue = issue if issue in {i.id for i in scenario.issues} else scenario.issues[0].id
    return render(request, "positions.html.j2", ws=ws, s=scenario, issue=issue,
                  positions=views.positions(scenario, issue))


@router.get("/w/{wid}/sync", response_class=HTMLResponse)
def sync(request: Request, wid: str, v: int = Query(...)) -> HTMLResponse:
    """Whether the workspace moved on from version ``v`` (edited in another tab)."""
    return render(request, "sync.html.j2", ws=workspace(request, wid), seen=v)


@router.post("/w/{wid}/undo", response_class=HTMLResponse)
def undo(request: Request, wid: str) -> HTMLResponse:
    """Take the last edit back."""
    state(request).workspaces.undo(workspace(request, wid).id)
    return _refreshed(request, wid)


@router.post("/w/{wid}/redo", response_class=HTMLResponse)
def redo(request: Request, wid: str) -> HTMLResponse:
    """Make the last undone edit again."""
    state(request).workspaces.redo(workspace(request, wid).id)
    return _refreshed(request, wid)


@router.post("/w/{wid}/actors", response_class=HTMLResponse)
def new_actor(request: Request, wid: str, id: str = Form(""), name: str = Form(""),
              role: str = Form("party"), capability: str = Form("")) -> HTMLResponse:
    """Add an actor (stances are set in the grid afterwards)."""
    ws = workspace(request, wid)
    try:
        edited, label = add_actor(ws.talks.scenario, id, name, role, capability, ws.source)
    except InputError as exc:
        return render(request, "message.html.j2", error=f"error: {exc}", status=200,
                      headers={"HX-Retarget": "#add-actor-error", "HX-Reswap": "innerHTML"})
    state(request).workspaces.commit(ws.id, edited, label)
    return _refreshed(request, wid)


@router.post("/w/{wid}/actors/{actor}/remove", response_class=HTMLResponse)
def drop_actor(request: Request, wid: str, actor: str) -> HTMLResponse:
    """Remove an actor, its stances and what names it."""
    ws = workspace(request, wid)
    try:
        edited, label = remove_actor(ws.talks.scenario, actor, ws.source)
    except InputError as exc:
        return render(request, "message.html.j2", error=f"error: {exc}",
                      headers={"HX-Retarget": "#add-actor-error", "HX-Reswap": "innerHTML"})
    state(request).workspaces.commit(ws.id, edited, label)
    return _refreshed(request, wid)


def _refreshed(request: Request, wid: str) -> HTMLResponse:
    """The grid, the forecast and the bar again, after a change that reshapes them."""
    return render(request, "workspace_body.html.j2",
                  **page_context(request, workspace(request, wid)))
