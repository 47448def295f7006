"""Tether for Python: secure WebSocket connections through libtether_c (ctypes, no compiler).

    import tether
    with tether.Client() as client:
        client.connect("wss://gateway.example.com/echo")
        client.send("hello")
        print(client.receive(timeout=5))

tether.HttpClient makes plain HTTP(S) requests with the same TLS, proxy, challenge and cookie
rules (a login before connecting); tether.set_log_callback receives the library's log lines.

The library is found through TETHER_C_LIBRARY, next to this package, or on the system's library
path. docs/c-api.md describes the C API underneath.
"""

from . import _library
from .challenge import Challenge
from .client import Client, Event, EventsLostError
from .cookies import CookieJar
from .fallback_memory import FallbackMemory
from .http import HttpClient, Response
from .http import request as http_request
from .log import set_log_callback
from .errors import (AuthError, CancelledError, Code, CookieError, FileAccessError,
                     HandshakeError, InternalError, InvalidArgumentError, InvalidStateError,
                     NetworkError, NotAuthorizedError, PeerUnresponsiveError, ProtocolError,
                     TetherError, TetherMemoryError, TetherTimeoutError, TlsError,
                     WouldBlockError, error_for)


def version():
    """The version of the loaded libtether_c, e.g. "0.1.0"."""
    return _library.text(_library.lib.tether_version())


__all__ = [
    "AuthError", "CancelledError", "Challenge", "Client", "Code", "CookieError", "CookieJar",
    "Event", "EventsLostError", "FallbackMemory", "FileAccessError", "HandshakeError", "HttpClient", "InternalError",
    "InvalidArgumentError", "InvalidStateError", "NetworkError", "NotAuthorizedError",
    "PeerUnresponsiveError", "ProtocolError", "Response",
    "TetherError", "TetherMemoryError", "TetherTimeoutError", "TlsError", "WouldBlockError",
    "error_for",
    "http_request", "set_log_callback", "version",
]
