"""Starting the workspace: check the address, open the scenario given, print where to go, and
serve with uvicorn until interrupted."""

from __future__ import annotations

import errno
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass

from accord.api import load
from accord.scenario.errors import InputError
from accord.web.security import Policy, is_loopback


@dataclass
class Started:
    """Where the workspace runs and what it printed."""

    url: str
    token: str | None


def serve(scenario: str | None, host: str = "127.0.0.1", port: int = 8765,
          store: str | None = None, announce: Callable[[str], None] | None = None) -> Started:
    """Serve the workspace on ``host:port`` until interrupted (port 0: any free port).

    Bound to anything but a loopback address, every request needs the token printed here.
    ``scenario`` (a file or a built-in name) is opened in a workspace first: the one opened
    from the same file with the same contents before, so that restarting keeps the edits."""
    import uvicorn

    announce = announce or (lambda line: print(line, flush=True))

    from accord.web.app import create_app

    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    talks = load(scenario) if scenario is not None else None
    app = create_app(store, Policy(loopback=token is None, token=token))
    sock = _bind(host, port)
    path = "/"
    if talks is not None:
        workspaces = app.state.accord.workspaces
        wid = workspaces.find(talks, scenario) or workspaces.create(talks, scenario)
        path = f"/w/{wid}"
    name = f"[{host}]" if ":" in host else host
    url = f"http://{name}:{sock.getsockname()[1]}{path}"
    if token:
        url += f"?token={token}"
        announce("note: listening beyond this machine; the address below carries the token "
                 "every browser needs")
    announce(f"Accord workspace: {url}")
    announce(f"workspaces saved in {app.state.accord.store_url}; Ctrl+C to stop")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", server_header=False,
                                           access_log=False, timeout_graceful_shutdown=3))
    server.run(sockets=[sock])
    return Started(url, token)


def _bind(host: str, port: int) -> socket.socket:
    if not 0 <= port <= 65535:
        raise InputError("port out of range", None, None, "--port", port, "0 to 65535")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        reason = "the port is in use" if exc.errno == errno.EADDRINUSE else exc.strerror
        raise InputError(f"cannot listen there ({reason})", None, None, "--host/--port",
                         f"{host}:{port}", "a local address and a free port") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock
