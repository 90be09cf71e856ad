"""What every route needs: the application state, the workspace asked for, and rendering."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from accord.api.workspaces import Workspace
from accord.web.state import State


def state(request: Request) -> State:
    """The application's state."""
    return request.app.state.accord


def workspace(request: Request, wid: str) -> Workspace:
    """The workspace ``wid`` at its head version (an unknown id is an InputError: 404)."""
    return state(request).workspaces.get(wid)


def render(request: Request, template: str, *, status: int = 200,
           headers: dict[str, str] | None = None, **context) -> HTMLResponse:
    """A template rendered with the request's CSRF token, every value escaped."""
    body = state(request).templates.get_template(template).render(
        csrf=request.state.csrf, **context)
    return HTMLResponse(body, status, headers)


def redirect(url: str) -> HTMLResponse:
    """Send an htmx request's page to ``url``."""
    return HTMLResponse("", 200, {"HX-Redirect": url})
