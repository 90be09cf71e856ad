"""The workspace's guard: what every request must pass and what every response carries.

- **Host.** Bound to a loopback address, only ``Host: 127.0.0.1``, ``localhost`` or ``[::1]`` is
  served (a page elsewhere cannot reach the server through DNS rebinding).
- **Token.** Bound to another address, every request needs the token printed at start: the
  address with ``?token=...`` sets a cookie (HttpOnly, SameSite=Strict) and every later request
  carries it.
- **CSRF.** Every request that changes something (POST) needs the ``X-CSRF-Token`` header equal
  to the ``accord_csrf`` cookie (double submit; a cross-site page can neither read the cookie
  nor send the header without a CORS preflight, which is never granted), and is refused when
  the browser says it comes from another site (``Origin``, ``Sec-Fetch-Site``); another site
  may link to a page but not load one into its own (an image, a script, a fetch).
- **Size.** A request body must state its length (browsers do) and stay under the limit.
- **Headers.** A Content-Security-Policy of ``default-src 'self'`` with no inline script or
  style, so the page can load nothing from another host and run no injected script; no
  framing, no referrer, no caching of pages.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

CSRF_COOKIE, CSRF_HEADER, TOKEN_COOKIE = "accord_csrf", "x-csrf-token", "accord_token"
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Policy:
    """What the guard enforces: ``token`` (None on loopback), the largest body in bytes."""

    loopback: bool = True
    token: str | None = None
    max_body: int = 2_500_000


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name to bind) is this machine only."""
    return host in ("localhost", "::1") or host.startswith("127.")


class Guard:
    """ASGI middleware applying a :class:`Policy` to every HTTP request."""

    def __init__(self, app, policy: Policy):
        self.app, self.policy = app, policy

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self.refusal(request)
        if refusal is not None:
            await _secured(refusal)(scope, receive, send)
            return
        if self.policy.token and request.query_params.get("token") == self.policy.token:
            await _secured(self._admit(request))(scope, receive, send)
            return
        csrf = request.cookies.get(CSRF_COOKIE)
        fresh = csrf is None or len(csrf) < 20
        if fresh:
            csrf = secrets.token_urlsafe(24)
        scope.setdefault("state", {})["csrf"] = csrf

        async def send_secured(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                _apply_headers(headers, request.url.path)
                if fresh:
                    headers.append("set-cookie", _cookie(CSRF_COOKIE, csrf))
            await send(message)

        await self.app(scope, receive, send_secured)

    def refusal(self, request: Request) -> Response | None:
        """The response refusing ``request``, or None where it may pass."""
        host = request.headers.get("host", "")
        name = host[: host.find("]") + 1] if host.startswith("[") else host.split(":")[0]
        if self.policy.loopback and name.lower() not in LOOPBACK_NAMES:
            return PlainTextResponse(f"refused: host {host!r} is not this machine", 421)
        if self.policy.token and not _same(request.cookies.get(TOKEN_COOKIE), self.policy.token) \
                and not _same(request.query_params.get("token"), self.policy.token):
            return PlainTextResponse("refused: open the address `accord serve` printed at start "
                                     "(it carries the token)", 401)
        if request.method in UNSAFE:
            return self._unsafe_refusal(request, host)
        if request.headers.get("sec-fetch-site") == "cross-site" and \
                request.headers.get("sec-fetch-mode") != "navigate":
            return PlainTextResponse("refused: another site may link here, not load from here",
                                     403)
        return None

    def _unsafe_refusal(self, request: Request, host: str) -> Response | None:
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            return PlainTextResponse("refused: a request body must state its length", 411)
        if int(length) > self.policy.max_body:
            return PlainTextResponse(f"refused: the request is larger than "
                                     f"{self.policy.max_body:,} bytes", 413)
        site = request.headers.get("sec-fetch-site")
        origin = request.headers.get("origin")
        if (site is not None and site not in ("same-origin", "none")) or \
                (origin is not None and origin != f"{request.url.scheme}://{host}"):
            return PlainTextResponse("refused: the request comes from another site", 403)
        if not _same(request.headers.get(CSRF_HEADER), request.cookies.get(CSRF_COOKIE)):
            return PlainTextResponse("refused: the page is out of date or the request is "
                                     "forged (reload the page)", 403)
        return None

    def _admit(self, request: Request) -> Response:
        """The token was given in the address: keep it in a cookie, then drop it from the URL."""
        rest = {k: v for k, v in request.query_params.items() if k != "token"}
        target = request.url.path + ("?" + urlencode(rest) if rest else "")
        response = RedirectResponse(target, 303)
        response.headers.append("set-cookie", _cookie(TOKEN_COOKIE, self.policy.token or ""))
        return response


def _secured(response: Response) -> Callable[..., Awaitable[None]]:
    _apply_headers(response.headers, "")
    return response


def _apply_headers(headers: MutableHeaders, path: str) -> None:
    for key, value in HEADERS.items():
        headers[key] = value
    if not path.startswith("/static/"):
        headers["cache-control"] = "no-store"


def _cookie(name: str, value: str) -> str:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict"


def _same(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and secrets.compare_digest(
        given.encode("utf-8"), expected.encode("utf-8"))
