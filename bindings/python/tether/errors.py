"""The exceptions of the tether package, one class per family of tether_code values.

Every exception is a TetherError with .code (a Code), .message (the library's detail),
.http_status (the refusing HTTP status, or 0) and .message_id (for NOT_AUTHORIZED, the number
send() returned for the refused message; 0 otherwise).
"""

import enum

from . import _library


class Code(enum.IntEnum):
    """tether_code, value for value (tether.h)."""

    OK = 0
    INVALID_ARGUMENT = 1
    INVALID_STATE = 2
    RESOLVE_FAILED = 3
    CONNECT_FAILED = 4
    CONNECT_TIMEOUT = 5
    HANDSHAKE_TIMEOUT = 6
    TLS_CONFIGURATION = 7
    TLS_FAILED = 8
    TLS_UNTRUSTED_CERTIFICATE = 9
    TLS_HOSTNAME_MISMATCH = 10
    TLS_CERTIFICATE_EXPIRED = 11
    TLS_PIN_MISMATCH = 12
    PROXY_FAILED = 13
    HANDSHAKE_REJECTED = 14
    SUBPROTOCOL_MISMATCH = 15
    AUTH_FAILED = 16
    MESSAGE_TOO_BIG = 17
    PONG_TIMEOUT = 18
    PROTOCOL_ERROR = 19
    CONNECTION_LOST = 20
    CANCELLED = 21
    COOKIE_REJECTED = 22
    COOKIE_FILE_CORRUPT = 23
    FILE_ACCESS_FAILED = 24
    AUTH_EXPIRED = 25
    WOULD_BLOCK = 26
    NOT_AUTHORIZED = 27
    PEER_UNRESPONSIVE = 28
    OUT_OF_MEMORY = 1000
    BUFFER_TOO_SMALL = 1001
    INTERNAL_ERROR = 1002


class TetherError(Exception):
    """A failure reported by libtether_c."""

    def __init__(self, code, message="", http_status=0, message_id=0):
        try:
            code = Code(code)
        except ValueError:
            pass  # a code newer than this package: keep the number
        self.code = code
        self.message = message
        self.http_status = http_status
        self.message_id = message_id
        words = _library.text(_library.lib.tether_strerror(int(code)))
        super().__init__(f"{words}: {message}" if message else words)


class InvalidArgumentError(TetherError, ValueError):
    """A NULL or malformed argument, option or URL."""


class InvalidStateError(TetherError):
    """The call is not allowed in the client's current state."""


class NetworkError(TetherError):
    """Resolving, connecting, the proxy, or a connection lost."""


class TetherTimeoutError(NetworkError, TimeoutError):
    """A connect, handshake or pong timeout."""


class PeerUnresponsiveError(TetherTimeoutError):
    """The peer stopped answering pings without closing (pong_timeout); with reconnect on, the
    client brings the connection back by itself."""


class TlsError(TetherError):
    """TLS configuration or verification failed (certificate, host name, pin)."""


class HandshakeError(TetherError):
    """The server refused the WebSocket upgrade or chose an unacceptable subprotocol."""


class AuthError(TetherError):
    """Authentication was refused or cancelled, or credentials expired while connected."""


class ProtocolError(TetherError):
    """The peer broke the protocol, or a message was too big."""


class CancelledError(TetherError):
    """Cancelled by the application."""


class CookieError(TetherError):
    """A cookie was rejected or a cookie file is corrupt."""


class FileAccessError(TetherError, OSError):
    """A file could not be read or written."""


class WouldBlockError(TetherError, BlockingIOError):
    """The send queue is full (max_queued_messages, max_queued_bytes): nothing was queued and
    the connection goes on; send again once it has drained."""


class NotAuthorizedError(TetherError, PermissionError):
    """The gateway refused one operation on the open connection: a message (.message_id is the
    number send() returned for it) or a topic (.message_id 0). The message was not delivered and
    the connection goes on."""


class TetherMemoryError(TetherError, MemoryError):
    """The library ran out of memory; nothing was changed."""


class InternalError(TetherError):
    """A bug in Tether."""


_CLASSES = {
    Code.INVALID_ARGUMENT: InvalidArgumentError,
    Code.INVALID_STATE: InvalidStateError,
    Code.RESOLVE_FAILED: NetworkError,
    Code.CONNECT_FAILED: NetworkError,
    Code.CONNECT_TIMEOUT: TetherTimeoutError,
    Code.HANDSHAKE_TIMEOUT: TetherTimeoutError,
    Code.TLS_CONFIGURATION: TlsError,
    Code.TLS_FAILED: TlsError,
    Code.TLS_UNTRUSTED_CERTIFICATE: TlsError,
    Code.TLS_HOSTNAME_MISMATCH: TlsError,
    Code.TLS_CERTIFICATE_EXPIRED: TlsError,
    Code.TLS_PIN_MISMATCH: TlsError,
    Code.PROXY_FAILED: NetworkError,
    Code.HANDSHAKE_REJECTED: HandshakeError,
    Code.SUBPROTOCOL_MISMATCH: HandshakeError,
    Code.AUTH_FAILED: AuthError,
    Code.MESSAGE_TOO_BIG: ProtocolError,
    Code.PONG_TIMEOUT: TetherTimeoutError,
    Code.PROTOCOL_ERROR: ProtocolError,
    Code.CONNECTION_LOST: NetworkError,
    Code.CANCELLED: CancelledError,
    Code.COOKIE_REJECTED: CookieError,
    Code.COOKIE_FILE_CORRUPT: CookieError,
    Code.FILE_ACCESS_FAILED: FileAccessError,
    Code.AUTH_EXPIRED: AuthError,
    Code.WOULD_BLOCK: WouldBlockError,
    Code.NOT_AUTHORIZED: NotAuthorizedError,
    Code.PEER_UNRESPONSIVE: PeerUnresponsiveError,
    Code.OUT_OF_MEMORY: TetherMemoryError,
    Code.INTERNAL_ERROR: InternalError,
}


def error_for(code, message="", http_status=0, message_id=0):
    """The exception for a tether_code: the class of its family, TetherError for others."""
    try:
        cls = _CLASSES.get(Code(code), TetherError)
    except ValueError:
        cls = TetherError
    return cls(code, message, http_status, message_id)


def check(code, errmsg):
    """Raises the exception for `code` unless it is OK; errmsg() gives the detail."""
    if code != Code.OK:
        raise error_for(code, _library.text(errmsg()))
