"""Challenge: a server (401) or proxy (407) asking for credentials, answered from Python, for a
Client's handshake or an HttpClient's request alike."""

import sys
import threading
import traceback

from . import _library
from .errors import Code, InvalidStateError, TetherError, error_for

_lib = _library.lib


class Challenge:
    """A server (401) or proxy (407) asking for credentials. Answer exactly once, from any
    thread, now or later: answer_password() (Basic, Digest), answer_token() (Bearer) or cancel().
    A challenge dropped without an answer is cancelled.

    For Bearer, scope, token_error ("invalid_token" when the token sent was refused) and
    token_error_description come from the server, and token_refused says to refresh the token
    rather than answer with the same one."""

    def __init__(self, handle):
        self._handle = handle
        self._lock = threading.Lock()
        self.kind = "token" if _lib.tether_challenge_credential_kind(handle) == 1 else "password"
        self.scheme = _library.text(_lib.tether_challenge_scheme(handle))
        self.realm = _library.text(_lib.tether_challenge_realm(handle))
        self.location = _library.text(_lib.tether_challenge_location(handle))
        self.attempt = _lib.tether_challenge_attempt(handle)
        self.is_proxy = bool(_lib.tether_challenge_is_proxy(handle))
        self.scope = _library.text(_lib.tether_challenge_scope(handle))
        self.token_error = _library.text(_lib.tether_challenge_token_error(handle))
        self.token_error_description = _library.text(
            _lib.tether_challenge_token_error_description(handle))
        self.token_refused = bool(_lib.tether_challenge_token_refused(handle))

    @property
    def answered(self):
        return self._handle is None

    def _answer(self, function, *arguments):
        with self._lock:
            if self._handle is None:
                raise InvalidStateError(Code.INVALID_STATE, "the challenge was already answered")
            code = function(self._handle, *arguments)
            if code == Code.OK:
                self._handle = None  # the library freed it
        if code != Code.OK:
            raise error_for(code, f"{function.__name__} failed")

    def answer_password(self, user, password):
        if self.kind != "password":
            raise error_for(Code.INVALID_ARGUMENT, f"a {self.scheme} challenge takes a token")
        self._answer(_lib.tether_challenge_answer_password,
                     _library.encode(user, "user"), _library.encode(password, "password"))

    def answer_token(self, token):
        if self.kind != "token":
            raise error_for(Code.INVALID_ARGUMENT,
                            f"a {self.scheme} challenge takes a user name and password")
        self._answer(_lib.tether_challenge_answer_token, _library.encode(token, "token"))

    def cancel(self):
        self._answer(_lib.tether_challenge_cancel)

    def __del__(self):
        if getattr(self, "_handle", None) is not None:
            try:
                self.cancel()
            except TetherError:
                pass

    def __repr__(self):
        return (f"Challenge(scheme={self.scheme!r}, realm={self.realm!r}, "
                f"location={self.location!r}, attempt={self.attempt}, is_proxy={self.is_proxy})")


def report_callback_failure():
    """Prints the exception a Python callback raised: it must never reach ctypes."""
    sys.stderr.write("tether: exception in a callback, ignored:\n")
    traceback.print_exc()


def dispatch(handler, challenge_handle):
    """Hands the C challenge to `handler` as a Challenge; cancels it when the handler raises."""
    challenge = Challenge(challenge_handle)
    try:
        handler(challenge)
    except Exception:
        report_callback_failure()
        if not challenge.answered:
            challenge.cancel()
