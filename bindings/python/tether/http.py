"""HttpClient: plain HTTP(S) requests (a login form, a token endpoint) through libtether_c's HTTP
helper, with the same TLS rules, proxy, challenge answering and cookie jar as Client.connect()
(docs/http.md).

    with tether.HttpClient() as http:
        response = http.request("https://sso.example.com/login", "POST",
                                headers={"Content-Type": "application/x-www-form-urlencoded"},
                                body="user=alice&password=secret", cookie_jar=jar)
        print(response.status, response.header_values("Set-Cookie"))
"""

import ctypes
import dataclasses
from typing import List, Tuple

from . import _library, _settings
from .challenge import dispatch
from .errors import Code, InvalidStateError, check

_lib = _library.lib


@dataclasses.dataclass(frozen=True)
class Response:
    """What the server answered: any status, 4xx and 5xx included. headers are (name, value)
    pairs in the order received, repeated ones (Set-Cookie) included, names as the server
    spelled them."""

    status: int
    headers: List[Tuple[str, str]]
    body: bytes

    def header_values(self, name):
        """The values of every header called `name` (case-insensitive), in order."""
        wanted = name.lower()
        return [value for header, value in self.headers if header.lower() == wanted]

    @property
    def text(self):
        """The body decoded as UTF-8 (invalid bytes replaced)."""
        return self.body.decode("utf-8", "replace")


def _read_response(handle):
    headers = []
    for index in range(_lib.tether_http_response_header_count(handle)):
        headers.append((_library.text(_lib.tether_http_response_header_name(handle, index)),
                        _library.text(_lib.tether_http_response_header_value(handle, index))))
    length = ctypes.c_size_t(0)
    data = _lib.tether_http_response_body(handle, ctypes.byref(length))
    body = ctypes.string_at(data, length.value) if length.value else b""
    return Response(_lib.tether_http_response_status(handle), headers, body)


class HttpClient(_library.OwnedHandle):
    """Makes requests that share what earlier ones learnt: the answers to challenges, per
    protection space, so that a later request to the same space sends its Authorization at once.

    request() blocks the calling thread (the GIL is released meanwhile) and may be called from any
    thread, concurrently, but never from inside a tether callback (a Client's callbacks, a
    challenge handler, the log callback). The on_challenge handler runs on the thread inside
    request(), which waits for its answer, however late and from whatever thread. close() (or the
    end of a with block) releases the client; later requests raise InvalidStateError."""

    _free = _lib.tether_http_client_free

    def __init__(self):
        self._handle = _lib.tether_http_client_create()
        if not self._handle:
            raise MemoryError("tether_http_client_create failed")

    def request(self, url, method="GET", *, headers=None, body=None, timeout=30.0, **options):
        """Sends one request and returns its Response. Raises the TetherError for a failure that
        left no response (TLS, connection, proxy, timeout, AuthError when a challenge was
        cancelled or the attempts ran out).

        body: bytes, or str (sent as UTF-8). timeout: seconds for each exchange. Options, as for
        Client.connect(): verify_peer, ca_file, ca_path, client_certificate, private_key,
        pinned_public_keys, proxy, use_proxy_environment, connect_timeout, on_challenge,
        auth_max_attempts, allow_insecure_auth, cookie_jar.
        """
        if not self._handle:
            raise InvalidStateError(Code.INVALID_STATE, "the HttpClient was closed")
        request = _lib.tether_http_request_create()
        if not request:
            raise MemoryError("tether_http_request_create failed")
        try:
            setters = _settings.Setters("tether_http_request", request)
            setters("set_url", _library.encode(url, "url"))
            setters("set_method", _library.encode(method, "method"))
            setters("set_timeout_ms", _settings.milliseconds(timeout, "timeout"))
            if body is not None:
                data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
                setters("set_body", data, len(data))
            options = dict(options, headers=headers)
            _settings.apply_shared(setters, options)
            on_challenge = _settings.pop_challenge_handler(options)
            if options:
                raise TypeError("unknown request() options: " + ", ".join(sorted(options)))
            # Alive until perform returns: the library calls it only from inside perform.
            challenge_callback = None
            if on_challenge is not None:
                challenge_callback = _library.CHALLENGE_CALLBACK(
                    lambda handle, _user: dispatch(on_challenge, handle))
                setters("set_challenge_callback", challenge_callback, None)
            response = ctypes.c_void_p()
            check(_lib.tether_http_client_perform(self._handle, request, ctypes.byref(response)),
                  lambda: _lib.tether_http_client_errmsg(self._handle))
            try:
                return _read_response(response)
            finally:
                _lib.tether_http_response_free(response)
        finally:
            _lib.tether_http_request_free(request)


def request(url, method="GET", **options):
    """One request with an HttpClient of its own: nothing is remembered for later requests."""
    with HttpClient() as client:
        return client.request(url, method, **options)
