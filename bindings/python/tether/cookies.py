"""CookieJar: an RFC 6265 cookie jar (docs/cookies.md), shareable by several clients."""

import ctypes

from . import _library
from .errors import Code, check, error_for

_lib = _library.lib


class CookieJar(_library.OwnedHandle):
    """Every method is safe from any thread. Pass it to Client.connect(cookie_jar=...) or
    HttpClient.request(cookie_jar=...). close() (or the end of a with block) drops this
    reference; clients and requests still using the jar keep it alive."""

    _free = _lib.tether_cookie_jar_free

    def __init__(self):
        self._handle = _lib.tether_cookie_jar_create()
        if not self._handle:
            raise MemoryError("tether_cookie_jar_create failed")

    def _check(self, code):
        check(code, lambda: _lib.tether_cookie_jar_errmsg(self._handle))

    def load(self, path, include_session_cookies=True):
        """Adds the cookies of a Netscape cookie file; a missing file is an empty jar."""
        self._check(_lib.tether_cookie_jar_load(
            self._handle, _library.encode(path, "path"), int(bool(include_session_cookies))))

    def save(self, path, include_session_cookies=False):
        """Writes the unexpired cookies atomically, mode 0600."""
        self._check(_lib.tether_cookie_jar_save(
            self._handle, _library.encode(path, "path"), int(bool(include_session_cookies))))

    def add_from_string(self, name_value, url):
        """Stores "name=value" as a host-only session cookie for the host of `url`."""
        self._check(_lib.tether_cookie_jar_add_from_string(
            self._handle, _library.encode(name_value, "name_value"), _library.encode(url, "url")))

    def set_from_response(self, url, set_cookie):
        """Stores the cookie of one Set-Cookie header value received from `url`."""
        self._check(_lib.tether_cookie_jar_set_from_response(
            self._handle, _library.encode(url, "url"), _library.encode(set_cookie, "set_cookie")))

    def cookie_header(self, url):
        """The Cookie header for a request to `url`, "" when no cookie applies."""
        encoded = _library.encode(url, "url")
        size = 256
        while True:
            buffer = ctypes.create_string_buffer(size)
            length = ctypes.c_size_t(0)
            code = _lib.tether_cookie_jar_cookie_header(
                self._handle, encoded, buffer, size, ctypes.byref(length))
            if code == Code.BUFFER_TOO_SMALL:
                size = length.value + 1
                continue
            self._check(code)
            return buffer.raw[:length.value].decode("utf-8")

    def clear(self):
        self._check(_lib.tether_cookie_jar_clear(self._handle))

    @property
    def _as_parameter_(self):
        if not self._handle:
            raise error_for(Code.INVALID_STATE, "the cookie jar was closed")
        return self._handle
