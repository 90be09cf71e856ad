"""Taking the work away: the scenario as YAML (the native format, lossless) and the HTML report
(:mod:`accord.report.html`, the one ``accord report`` writes)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from accord.web.common import state, workspace

router = APIRouter()
MAX_REPORT_DRAWS = 2000


@router.get("/w/{wid}/scenario.yaml")
def scenario_yaml(request: Request, wid: str) -> Response:
    """The current version as a YAML file to save."""
    ws = workspace(request, wid)
    return Response(ws.talks.to_yaml(), media_type="application/yaml; charset=utf-8",
                    headers=_attachment(f"{ws.talks.scenario.id}.yaml"))


@router.get("/w/{wid}/report.html")
def report(request: Request, wid: str, model: list[str] = Query(default=[]),
           draws: int = Query(200, ge=0, le=MAX_REPORT_DRAWS)) -> Response:
    """The self-contained HTML report of the current version."""
    from accord.report.html import render_html  # loads the analyses: on first use only

    ws = workspace(request, wid)
    built = ws.talks.report(model or state(request).quick, draws)
    return Response(render_html(built), media_type="text/html; charset=utf-8",
                    headers=_attachment(f"{ws.talks.scenario.id}-report.html"))


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}
