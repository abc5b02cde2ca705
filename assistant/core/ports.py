"""Can the web app listen where it was told to? Asked before Gradio loads, so the answer
is one line naming the address and the setting to change, not a traceback from uvicorn.

We bind a throwaway socket the way uvicorn will (``SO_REUSEADDR`` on, so a port left in
TIME_WAIT by a stopped app still counts as free) and close it at once. A port taken
between this check and the real bind is still caught: `serve` turns Gradio's OSError
into the same line (`busy_port_message`).
"""

from __future__ import annotations

import errno
import socket

from assistant.core.errors import SettingsError
from assistant.core.settings import ENV_PREFIX


def busy_port_message(host: str, port: int, reason: str = "it is already in use") -> str:
    """The one line for a port the app cannot listen on.

    >>> busy_port_message("127.0.0.1", 7860)[:52]
    'cannot listen on 127.0.0.1:7860: it is already in us'
    """
    return (
        f"cannot listen on {host}:{port}: {reason}; stop what is using it, or choose "
        f"another port with --port N or {ENV_PREFIX}PORT"
    )


def listen_problem(host: str, port: int) -> str:
    """``""`` when ``host:port`` can be bound now, else the one line saying why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as err:
        return (
            f"cannot listen on {host}:{port}: the address cannot be resolved ({err}); "
            f"choose another with --host or {ENV_PREFIX}HOST"
        )
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            return _bind_reason(host, port, err)
    return ""


def _bind_reason(host: str, port: int, err: OSError) -> str:
    if err.errno == errno.EADDRINUSE:
        return busy_port_message(host, port)
    if err.errno in (errno.EACCES, errno.EPERM):
        return busy_port_message(host, port, "permission denied (ports below 1024 need root)")
    if err.errno == errno.EADDRNOTAVAIL:
        return (
            f"cannot listen on {host}:{port}: this machine has no such address; "
            f"choose another with --host or {ENV_PREFIX}HOST"
        )
    return busy_port_message(host, port, err.strerror or type(err).__name__)


def check_port(host: str, port: int) -> None:
    """Raise `SettingsError` (one line) unless the app can listen on ``host:port``."""
    problem = listen_problem(host, port)
    if problem:
        raise SettingsError(problem)
