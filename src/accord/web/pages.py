"""The start page (open a built-in scenario, upload or paste a file, the saved workspaces) and
the side-by-side view of several workspaces."""

from __future__ import annotations

from pathlib import PurePath

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse

from accord.api import load, scenarios
from accord.api.workbench import MAX_UPLOAD, load_text
from accord.scenario.errors import InputError
from accord.scenario.format_names import FORMATS
from accord.web.common import redirect, render, state, workspace
from accord.web.views import forecast_table

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """Open a scenario, or go back to a saved workspace."""
    return render(request, "home.html.j2", builtins=scenarios(),
                  workspaces=state(request).workspaces.all(), formats=FORMATS,
                  max_upload=MAX_UPLOAD)


@router.post("/open")
def open_builtin(request: Request, name: str = Form(...)) -> HTMLResponse:
    """A new workspace on a built-in scenario."""
    if name not in {n for n, _ in scenarios()}:
        raise InputError("no built-in scenario of this name", None, None, "name", name,
                         ", ".join(n for n, _ in scenarios()))
    return _opened(request, load(name), name)


@router.post("/upload")
def upload(request: Request, file: UploadFile = File(...),
           format: str = Form("")) -> HTMLResponse:
    """A new workspace on an uploaded scenario file (any format Accord reads)."""
    name = PurePath((file.filename or "upload").replace("\\", "/")).name[:200] or "upload"
    try:
        talks = load_text(file.file.read(MAX_UPLOAD + 1), name, format or None)
    except InputError as exc:
        return _problem(exc)
    return _opened(request, talks, name)


@router.post("/paste")
def paste(request: Request, text: str = Form(""), name: str = Form(""),
          format: str = Form("")) -> HTMLResponse:
    """A new workspace on pasted scenario text."""
    name = PurePath((name.strip() or "pasted.yaml").replace("\\", "/")).name[:200]
    try:
        talks = load_text(text, name, format or None)
    except InputError as exc:
        return _problem(exc)
    return _opened(request, talks, name)


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, w: list[str] = Query(default=[])) -> HTMLResponse:
    """Several workspaces side by side: each one's complete forecast and its chart."""
    st = state(request)
    shown = []
    for wid in dict.fromkeys(w[:6]):
        ws = workspace(request, wid)
        shown.append((ws, forecast_table(st.forecast(ws, complete=True), st.models, True)))
    return render(request, "compare.html.j2", shown=shown)


@router.post("/w/{wid}/delete")
def delete(request: Request, wid: str) -> HTMLResponse:
    """Remove a workspace and its history."""
    state(request).workspaces.delete(workspace(request, wid).id)
    return redirect("/")


@router.post("/w/{wid}/duplicate")
def duplicate(request: Request, wid: str) -> HTMLResponse:
    """A new workspace starting from this one's current version."""
    ws = workspace(request, wid)
    new = state(request).workspaces.create(ws.talks, ws.source, f"copy of {ws.title}")
    return redirect(f"/w/{new}")


@router.post("/w/{wid}/title", response_class=HTMLResponse)
def rename(request: Request, wid: str, title: str = Form("")) -> HTMLResponse:
    """Give the workspace a new title (empty: the scenario's name)."""
    ws = workspace(request, wid)
    state(request).workspaces.rename(ws.id, title.strip() or ws.talks.name)
    return HTMLResponse("")


def _opened(request: Request, talks, source: str) -> HTMLResponse:
    return redirect(f"/w/{state(request).workspaces.create(talks, source)}")


def _problem(exc: InputError) -> HTMLResponse:
    from markupsafe import escape

    return HTMLResponse(f'<span class="error" role="alert">error: {escape(str(exc))}</span>')
