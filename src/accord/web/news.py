"""Reading the news into a workspace: paste an article, then accept or reject each proposed
update (an event to record, an actor to add, a stance to review) one at a time. Proposals are
stored with the workspace, so they wait for review across reloads and restarts."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from accord.api.workbench import accept, proposals
from accord.scenario.errors import InputError
from accord.web.common import render, state, workspace
from accord.web.grid import page_context

router = APIRouter()
MAX_ARTICLE = 200_000


@router.post("/w/{wid}/news", response_class=HTMLResponse)
def read(request: Request, wid: str, text: str = Form(""), date: str = Form(""),
         name: str = Form("")) -> HTMLResponse:
    """Code one pasted article's events and store its proposed update for review."""
    from accord.api import ingest  # spaCy loads on the first article, not at start

    st, ws = state(request), workspace(request, wid)
    try:
        if not text.strip():
            raise InputError("the article is empty", name or "article", None, None, None,
                             "the article's text, pasted")
        if len(text) > MAX_ARTICLE:
            raise InputError(f"the article is too long ({len(text):,} characters)",
                             name or "article", accepted=f"at most {MAX_ARTICLE:,} characters")
        article = ingest(text, date.strip() or None, ws.talks.scenario,
                         name=name.strip()[:200] or "pasted article")
    except InputError as exc:
        return render(request, "message.html.j2", error=f"error: {exc}")
    st.workspaces.propose(ws.id, article.article, proposals(article))
    return render(request, "news.html.j2", article=article,
                  **page_context(request, workspace(request, wid)))


@router.post("/w/{wid}/news/{pid}/{verdict}", response_class=HTMLResponse)
def decide(request: Request, wid: str, pid: str, verdict: str) -> HTMLResponse:
    """Accept (apply to the scenario as a new version) or reject one proposed item."""
    st, ws = state(request), workspace(request, wid)
    if verdict not in ("accept", "reject"):
        raise InputError("unknown verdict", None, None, "verdict", verdict, "accept or reject")
    item = st.workspaces.proposal(ws.id, pid)
    edited, label = ws.talks.scenario, ""
    if verdict == "accept":
        try:
            edited, label = accept(ws.talks.scenario, item["kind"], item["payload"])
        except InputError as exc:
            return render(request, "news.html.j2", error=f"error: {exc}",
                          **page_context(request, ws))
    st.workspaces.decide(ws.id, pid, "accepted" if verdict == "accept" else "rejected")
    if label:
        st.workspaces.commit(ws.id, edited, label)
    return render(request, "news.html.j2", refresh=bool(label),
                  **page_context(request, workspace(request, wid)))
