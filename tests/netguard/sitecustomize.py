"""Loaded into a subprocess under test: records and refuses any non-loopback connection.

Used by the offline test: the app must start without resolving or contacting any
host but this machine.
"""

import os
import socket

_LOG = os.environ.get("NETGUARD_LOG", "")
_LOCAL = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "", None}
_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _record(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(what + "\n")


def _host(address):
    return address[0] if isinstance(address, tuple) else None


def _guarded_connect(self, address):
    host = _host(address)
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in _LOCAL:
        _record(f"connect {address!r}")
        raise OSError("network access blocked by the offline test")
    return _real_connect(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name not in _LOCAL:
        _record(f"getaddrinfo {name!r}")
        raise socket.gaierror("name resolution blocked by the offline test")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded_connect
socket.getaddrinfo = _guarded_getaddrinfo

# Proof the guard is in place: the test fails when this line is missing, so a guard that
# never loaded cannot pass for "no network access".
_marker = os.environ.get("NETGUARD_LOADED", "")
if _marker:
    with open(_marker, "a", encoding="utf-8") as fh:
        fh.write(f"guard loaded in pid {os.getpid()}\n")
