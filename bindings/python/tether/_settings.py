"""The settings that Client.connect() and HttpClient.request() share (TLS, proxy, connect timeout,
headers, challenges, cookies), applied through the C setters of either handle, tether_options_*
or tether_http_request_*, whose names match."""

from . import _library
from .errors import check

_lib = _library.lib

_STRINGS = {"ca_file": "set_tls_ca_file", "ca_path": "set_tls_ca_path", "proxy": "set_proxy"}
_FLAGS = {
    "verify_peer": "set_tls_verify_peer",
    "use_proxy_environment": "set_use_proxy_environment",
    "allow_insecure_auth": "set_allow_insecure_auth",
}
_DURATIONS = {"connect_timeout": "set_connect_timeout_ms"}


def milliseconds(seconds, name):
    """A duration given in seconds (int or float), as the C API's milliseconds."""
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        raise TypeError(f"{name} is in seconds, an int or a float")
    return int(round(seconds * 1000))


class Setters:
    """Calls the C setters of one handle: setters("set_proxy", b"...") calls
    <prefix>_set_proxy(handle, b"...") and raises what it returns, with the handle's errmsg."""

    def __init__(self, prefix, handle):
        self._prefix = prefix
        self._handle = handle
        self._errmsg = getattr(_lib, f"{prefix}_errmsg")

    def __call__(self, setter, *arguments):
        function = getattr(_lib, f"{self._prefix}_{setter}")
        check(function(self._handle, *arguments), lambda: self._errmsg(self._handle))


def pop_challenge_handler(options):
    """Removes on_challenge from `options` and returns it (None when absent). The caller installs
    its CHALLENGE_CALLBACK with setters("set_challenge_callback", ...) and keeps that alive as
    long as the library may call it."""
    handler = options.pop("on_challenge", None)
    if handler is not None and not callable(handler):
        raise TypeError("on_challenge must be callable")
    return handler


def apply_shared(setters, options):
    """Applies the shared settings found in `options` (a dict) but on_challenge, removing them
    from it."""
    for name in list(options):
        if name in _STRINGS:
            setters(_STRINGS[name], _library.encode(options.pop(name), name))
        elif name in _FLAGS:
            setters(_FLAGS[name], int(bool(options.pop(name))))
        elif name in _DURATIONS:
            setters(_DURATIONS[name], milliseconds(options.pop(name), name))
    headers = options.pop("headers", None) or ()
    for name, value in (headers.items() if isinstance(headers, dict) else headers):
        setters("add_header", _library.encode(name, "header name"),
                _library.encode(value, "header value"))
    for pin in options.pop("pinned_public_keys", ()):
        setters("add_tls_pinned_public_key", _library.encode(pin, "pin"))
    certificate = options.pop("client_certificate", None)
    key = options.pop("private_key", None)
    if (certificate is None) != (key is None):
        raise TypeError("client_certificate and private_key go together")
    if certificate is not None:
        setters("set_tls_client_certificate", _library.encode(certificate, "client_certificate"),
                _library.encode(key, "private_key"))
    if "auth_max_attempts" in options:
        setters("set_auth_max_attempts", int(options.pop("auth_max_attempts")))
    jar = options.pop("cookie_jar", None)
    if jar is not None:
        setters("set_cookie_jar", jar)
