"""Finds and loads libtether_c and declares the C functions (tether.h) for ctypes.

Search order: the TETHER_C_LIBRARY environment variable (a path), a libtether_c.so next to this
package, then the system's library path (ctypes.util.find_library).
"""

import ctypes
import ctypes.util
import os
from pathlib import Path

c_char_p = ctypes.c_char_p
c_int = ctypes.c_int
c_long = ctypes.c_long
c_size_t = ctypes.c_size_t
c_void_p = ctypes.c_void_p
c_uint = ctypes.c_uint
c_ulonglong = ctypes.c_ulonglong


class CloseInfo(ctypes.Structure):
    """tether_close_info: valid only during the close callback."""

    _fields_ = [
        ("code", c_uint),
        ("reason", c_char_p),
        ("error", c_int),
        ("message", c_char_p),
        ("http_status", c_int),
        ("closed_by_peer", c_int),
    ]


class RevalidationInfo(ctypes.Structure):
    """tether_revalidation_info: valid only during the revalidation callback."""

    _fields_ = [
        ("phase", c_int),
        ("url", c_char_p),
        ("http_status", c_int),
        ("error", c_int),
        ("message", c_char_p),
    ]


class ReconnectAttemptInfo(ctypes.Structure):
    """tether_reconnect_attempt_info: valid only during the reconnecting callback."""

    _fields_ = [
        ("attempt", c_uint),
        ("delay_ms", c_ulonglong),
        ("reason", c_int),
        ("message", c_char_p),
        ("http_status", c_int),
    ]


class ReconnectedInfo(ctypes.Structure):
    """tether_reconnected_info: valid only during the reconnected callback."""

    _fields_ = [
        ("resumed", c_int),
        ("attempts", c_uint),
        ("transport", c_int),
        ("first_unconfirmed", c_ulonglong),
        ("last_unconfirmed", c_ulonglong),
    ]


class TransportChangeInfo(ctypes.Structure):
    """tether_transport_change_info: valid only during the transport callback."""

    _fields_ = [
        ("transport", c_int),
        ("reason", c_int),
        ("message", c_char_p),
        ("http_status", c_int),
    ]


STATE_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_int, c_void_p)
MESSAGE_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_void_p, c_size_t, c_void_p)
ERROR_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_char_p, c_int, c_void_p)
CLOSE_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, ctypes.POINTER(CloseInfo), c_void_p)
PONG_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_void_p, c_size_t, c_ulonglong, c_void_p)
REVALIDATION_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, ctypes.POINTER(RevalidationInfo),
                                         c_void_p)
RECONNECTING_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, ctypes.POINTER(ReconnectAttemptInfo),
                                         c_void_p)
RECONNECTED_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, ctypes.POINTER(ReconnectedInfo), c_void_p)
WRITABLE_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_void_p)
TRANSPORT_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, ctypes.POINTER(TransportChangeInfo),
                                      c_void_p)
CHALLENGE_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_void_p)
LOG_CALLBACK = ctypes.CFUNCTYPE(None, c_int, c_char_p, c_void_p)

# name: (result type, argument types)
_PROTOTYPES = {
    "tether_version": (c_char_p, []),
    "tether_strerror": (c_char_p, [c_int]),
    "tether_state_name": (c_char_p, [c_int]),
    "tether_transport_name": (c_char_p, [c_int]),
    "tether_set_log_callback": (c_int, [c_int, LOG_CALLBACK, c_void_p]),
    # cookie jar
    "tether_cookie_jar_create": (c_void_p, []),
    "tether_cookie_jar_free": (None, [c_void_p]),
    "tether_cookie_jar_load": (c_int, [c_void_p, c_char_p, c_int]),
    "tether_cookie_jar_save": (c_int, [c_void_p, c_char_p, c_int]),
    "tether_cookie_jar_add_from_string": (c_int, [c_void_p, c_char_p, c_char_p]),
    "tether_cookie_jar_set_from_response": (c_int, [c_void_p, c_char_p, c_char_p]),
    "tether_cookie_jar_cookie_header": (
        c_int, [c_void_p, c_char_p, c_char_p, c_size_t, ctypes.POINTER(c_size_t)]),
    "tether_cookie_jar_clear": (c_int, [c_void_p]),
    "tether_cookie_jar_errmsg": (c_char_p, [c_void_p]),
    # fallback memory
    "tether_fallback_memory_create": (c_void_p, []),
    "tether_fallback_memory_free": (None, [c_void_p]),
    "tether_fallback_memory_load": (c_int, [c_void_p, c_char_p]),
    "tether_fallback_memory_save": (c_int, [c_void_p, c_char_p]),
    "tether_fallback_memory_clear": (c_int, [c_void_p]),
    "tether_fallback_memory_errmsg": (c_char_p, [c_void_p]),
    # challenges
    "tether_challenge_credential_kind": (c_int, [c_void_p]),
    "tether_challenge_scheme": (c_char_p, [c_void_p]),
    "tether_challenge_realm": (c_char_p, [c_void_p]),
    "tether_challenge_location": (c_char_p, [c_void_p]),
    "tether_challenge_attempt": (c_int, [c_void_p]),
    "tether_challenge_is_proxy": (c_int, [c_void_p]),
    "tether_challenge_scope": (c_char_p, [c_void_p]),
    "tether_challenge_token_error": (c_char_p, [c_void_p]),
    "tether_challenge_token_error_description": (c_char_p, [c_void_p]),
    "tether_challenge_token_refused": (c_int, [c_void_p]),
    "tether_challenge_answer_password": (c_int, [c_void_p, c_char_p, c_char_p]),
    "tether_challenge_answer_token": (c_int, [c_void_p, c_char_p]),
    "tether_challenge_cancel": (c_int, [c_void_p]),
    # options
    "tether_options_create": (c_void_p, []),
    "tether_options_free": (None, [c_void_p]),
    "tether_options_set_url": (c_int, [c_void_p, c_char_p]),
    "tether_options_set_origin": (c_int, [c_void_p, c_char_p]),
    "tether_options_add_subprotocol": (c_int, [c_void_p, c_char_p]),
    "tether_options_set_subprotocol_required": (c_int, [c_void_p, c_int]),
    "tether_options_add_header": (c_int, [c_void_p, c_char_p, c_char_p]),
    "tether_options_set_tls_verify_peer": (c_int, [c_void_p, c_int]),
    "tether_options_set_tls_ca_file": (c_int, [c_void_p, c_char_p]),
    "tether_options_set_tls_ca_path": (c_int, [c_void_p, c_char_p]),
    "tether_options_set_tls_client_certificate": (c_int, [c_void_p, c_char_p, c_char_p]),
    "tether_options_add_tls_pinned_public_key": (c_int, [c_void_p, c_char_p]),
    "tether_options_set_proxy": (c_int, [c_void_p, c_char_p]),
    "tether_options_set_use_proxy_environment": (c_int, [c_void_p, c_int]),
    "tether_options_set_connect_timeout_ms": (c_int, [c_void_p, c_long]),
    "tether_options_set_handshake_timeout_ms": (c_int, [c_void_p, c_long]),
    "tether_options_set_max_message_size": (c_int, [c_void_p, c_size_t]),
    "tether_options_set_max_queued_messages": (c_int, [c_void_p, c_size_t]),
    "tether_options_set_max_queued_bytes": (c_int, [c_void_p, c_size_t]),
    "tether_options_set_ping_interval_ms": (c_int, [c_void_p, c_long]),
    "tether_options_set_pong_timeout_ms": (c_int, [c_void_p, c_long]),
    "tether_options_set_challenge_callback": (c_int, [c_void_p, CHALLENGE_CALLBACK, c_void_p]),
    "tether_options_set_auth_max_attempts": (c_int, [c_void_p, c_int]),
    "tether_options_set_allow_insecure_auth": (c_int, [c_void_p, c_int]),
    "tether_options_set_cookie_jar": (c_int, [c_void_p, c_void_p]),
    "tether_options_set_transport": (c_int, [c_void_p, c_int]),
    "tether_options_set_reconnect": (c_int, [c_void_p, c_int]),
    "tether_options_set_reconnect_initial_delay_ms": (c_int, [c_void_p, c_long]),
    "tether_options_set_reconnect_max_delay_ms": (c_int, [c_void_p, c_long]),
    "tether_options_set_reconnect_max_attempts": (c_int, [c_void_p, c_int]),
    "tether_options_set_reconnect_max_duration_ms": (c_int, [c_void_p, c_long]),
    "tether_options_set_fallback_race_delay_ms": (c_int, [c_void_p, c_long]),
    "tether_options_set_fallback_probe_timeout_ms": (c_int, [c_void_p, c_long]),
    "tether_options_set_fallback_remember_for_ms": (c_int, [c_void_p, c_long]),
    "tether_options_set_fallback_upgrade": (c_int, [c_void_p, c_int]),
    "tether_options_set_fallback_memory": (c_int, [c_void_p, c_void_p]),
    "tether_options_errmsg": (c_char_p, [c_void_p]),
    # client
    "tether_client_create": (c_void_p, []),
    "tether_client_free": (None, [c_void_p]),
    "tether_client_set_state_callback": (c_int, [c_void_p, STATE_CALLBACK, c_void_p]),
    "tether_client_set_message_callback": (c_int, [c_void_p, MESSAGE_CALLBACK, c_void_p]),
    "tether_client_set_error_callback": (c_int, [c_void_p, ERROR_CALLBACK, c_void_p]),
    "tether_client_set_close_callback": (c_int, [c_void_p, CLOSE_CALLBACK, c_void_p]),
    "tether_client_set_pong_callback": (c_int, [c_void_p, PONG_CALLBACK, c_void_p]),
    "tether_client_set_revalidation_callback": (
        c_int, [c_void_p, REVALIDATION_CALLBACK, c_void_p]),
    "tether_client_set_reconnecting_callback": (
        c_int, [c_void_p, RECONNECTING_CALLBACK, c_void_p]),
    "tether_client_set_reconnected_callback": (
        c_int, [c_void_p, RECONNECTED_CALLBACK, c_void_p]),
    "tether_client_set_writable_callback": (c_int, [c_void_p, WRITABLE_CALLBACK, c_void_p]),
    "tether_client_set_transport_callback": (c_int, [c_void_p, TRANSPORT_CALLBACK, c_void_p]),
    "tether_client_error_message_id": (c_int, [c_void_p, ctypes.POINTER(c_ulonglong)]),
    "tether_client_connect": (c_int, [c_void_p, c_void_p]),
    "tether_client_send_text_numbered": (
        c_int, [c_void_p, c_char_p, c_size_t, ctypes.POINTER(c_ulonglong)]),
    "tether_client_send_binary_numbered": (
        c_int, [c_void_p, c_char_p, c_size_t, ctypes.POINTER(c_ulonglong)]),
    "tether_client_close": (c_int, [c_void_p, c_uint, c_char_p]),
    "tether_client_ping": (c_int, [c_void_p, c_char_p, c_size_t]),
    "tether_client_state": (c_int, [c_void_p, ctypes.POINTER(c_int)]),
    "tether_client_transport": (c_int, [c_void_p, ctypes.POINTER(c_int)]),
    "tether_client_subprotocol": (
        c_int, [c_void_p, c_char_p, c_size_t, ctypes.POINTER(c_size_t)]),
    "tether_client_errmsg": (c_char_p, [c_void_p]),
    # HTTP helper
    "tether_http_request_create": (c_void_p, []),
    "tether_http_request_free": (None, [c_void_p]),
    "tether_http_request_set_method": (c_int, [c_void_p, c_char_p]),
    "tether_http_request_set_url": (c_int, [c_void_p, c_char_p]),
    "tether_http_request_add_header": (c_int, [c_void_p, c_char_p, c_char_p]),
    "tether_http_request_set_body": (c_int, [c_void_p, c_char_p, c_size_t]),
    "tether_http_request_set_tls_verify_peer": (c_int, [c_void_p, c_int]),
    "tether_http_request_set_tls_ca_file": (c_int, [c_void_p, c_char_p]),
    "tether_http_request_set_tls_ca_path": (c_int, [c_void_p, c_char_p]),
    "tether_http_request_set_tls_client_certificate": (c_int, [c_void_p, c_char_p, c_char_p]),
    "tether_http_request_add_tls_pinned_public_key": (c_int, [c_void_p, c_char_p]),
    "tether_http_request_set_proxy": (c_int, [c_void_p, c_char_p]),
    "tether_http_request_set_use_proxy_environment": (c_int, [c_void_p, c_int]),
    "tether_http_request_set_connect_timeout_ms": (c_int, [c_void_p, c_long]),
    "tether_http_request_set_timeout_ms": (c_int, [c_void_p, c_long]),
    "tether_http_request_set_challenge_callback": (
        c_int, [c_void_p, CHALLENGE_CALLBACK, c_void_p]),
    "tether_http_request_set_auth_max_attempts": (c_int, [c_void_p, c_int]),
    "tether_http_request_set_allow_insecure_auth": (c_int, [c_void_p, c_int]),
    "tether_http_request_set_cookie_jar": (c_int, [c_void_p, c_void_p]),
    "tether_http_request_errmsg": (c_char_p, [c_void_p]),
    "tether_http_client_create": (c_void_p, []),
    "tether_http_client_free": (None, [c_void_p]),
    "tether_http_client_perform": (c_int, [c_void_p, c_void_p, ctypes.POINTER(c_void_p)]),
    "tether_http_client_errmsg": (c_char_p, [c_void_p]),
    "tether_http_response_status": (c_int, [c_void_p]),
    "tether_http_response_header_count": (c_size_t, [c_void_p]),
    "tether_http_response_header_name": (c_char_p, [c_void_p, c_size_t]),
    "tether_http_response_header_value": (c_char_p, [c_void_p, c_size_t]),
    "tether_http_response_body": (c_void_p, [c_void_p, ctypes.POINTER(c_size_t)]),
    "tether_http_response_free": (None, [c_void_p]),
}


def _candidates():
    configured = os.environ.get("TETHER_C_LIBRARY")
    if configured:
        yield configured
        return
    here = Path(__file__).resolve().parent
    for directory in (here, here.parent):
        for found in sorted(directory.glob("libtether_c.so*")):
            yield str(found)
    found = ctypes.util.find_library("tether_c")
    if found:
        yield found


def _load():
    tried = []
    for candidate in _candidates():
        try:
            library = ctypes.CDLL(candidate)  # CDLL releases the GIL during every call
        except OSError as error:
            tried.append(f"{candidate}: {error}")
            continue
        for name, (result, arguments) in _PROTOTYPES.items():
            function = getattr(library, name)
            function.restype = result
            function.argtypes = arguments
        return library
    raise ImportError(
        "libtether_c not found: set TETHER_C_LIBRARY to its path, put it next to the tether "
        "package, or install it where the dynamic linker looks"
        + ("" if not tried else " (tried " + "; ".join(tried) + ")"))


lib = _load()


class OwnedHandle:
    """A Python object owning one C handle (self._handle) that `_free` releases: on close(), at
    the end of a with block, or when the object is collected. Closing twice is harmless."""

    _free = None  # the C free function, e.g. lib.tether_cookie_jar_free

    def close(self):
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            self._free(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        self.close()


def text(value):
    """A C string from the library as str ("" for NULL)."""
    return value.decode("utf-8", "replace") if value else ""


def encode(value, name):
    """A str argument as bytes for the C API; refuses other types with a TypeError."""
    if isinstance(value, str):
        if "\0" in value:
            raise ValueError(f"{name} must not contain NUL characters")
        return value.encode("utf-8")
    if isinstance(value, os.PathLike):
        return os.fsencode(value)
    raise TypeError(f"{name} must be a str, not {type(value).__name__}")
