"""The application: FastAPI routes rendering Jinja2 templates, htmx (vendored) swapping them in.

Every page and fragment is rendered on the server with autoescaping; the browser runs only the
vendored ``htmx.min.js`` and ``app.js`` (which adds the CSRF header and groups keystrokes into one
undo step). :func:`create_app` builds the application for a store and a :class:`Policy`.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape
from starlette.staticfiles import StaticFiles

from accord.scenario.errors import InputError
from accord.web import exports, grid, news, pages, panels
from accord.web.security import Guard, Policy
from accord.web.state import State


def create_app(store_url: str | None = None, policy: Policy | None = None) -> FastAPI:
    """The workspace application over the workspace store at ``store_url``."""
    app = FastAPI(title="Accord workspace", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.accord = State.open(store_url)
    app.mount("/static", StaticFiles(packages=[("accord.web", "static")]), name="static")
    for module in (pages, grid, panels, news, exports):
        app.include_router(module.router)

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        body = app.state.accord.templates.get_template("error.html.j2").render(
            message=str(exc), csrf=getattr(request.state, "csrf", ""))
        return HTMLResponse(body, 404 if "no workspace" in exc.problem else 400)

    @app.exception_handler(RequestValidationError)
    async def bad_form(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"][1:]) or "request"
        shown = f" (got {first['input']!r})" if isinstance(first.get("input"), str) else ""
        return HTMLResponse(f'<p class="error" role="alert">error: {escape(field)}: '
                            f"{escape(first['msg'])}{escape(shown)}</p>")

    app.add_middleware(Guard, policy=policy or Policy())
    return app
