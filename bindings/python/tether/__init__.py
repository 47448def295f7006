"""Tether for Python: secure WebSocket connections through libtether_c (ctypes, no compiler).

    import tether
    with tether.Client() as client:
        client.connect("wss://gateway.example.com/echo")
        client.send("hello")
        print(client.receive(timeout=5))

The library is found through TETHER_C_LIBRARY, next to this package, or on the system's library
path. docs/c-api.md describes the C API underneath.
"""

from . import _library
from .client import Challenge, Client, Event
from .cookies import CookieJar
from .errors import (AuthError, CancelledError, Code, CookieError, FileAccessError,
                     HandshakeError, InternalError, InvalidArgumentError, InvalidStateError,
                     NetworkError, ProtocolError, TetherError, TetherMemoryError,
                     TetherTimeoutError, TlsError, error_for)


def version():
    """The version of the loaded libtether_c, e.g. "0.1.0"."""
    return _library.text(_library.lib.tether_version())


__all__ = [
    "AuthError", "CancelledError", "Challenge", "Client", "Code", "CookieError", "CookieJar",
    "Event", "FileAccessError", "HandshakeError", "InternalError", "InvalidArgumentError",
    "InvalidStateError", "NetworkError", "ProtocolError", "TetherError", "TetherMemoryError",
    "TetherTimeoutError", "TlsError", "error_for", "version",
]
