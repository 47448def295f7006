"""set_log_callback: where libtether_c's few log lines go (warnings such as "TLS certificate
verification is disabled"). Errors are raised as exceptions, never only logged; credentials are
never logged."""

import atexit
import threading

from . import _library
from .challenge import report_callback_failure
from .errors import check

_lib = _library.lib

LEVELS = ("debug", "info", "warning", "error")

_lock = threading.Lock()
_NO_CALLBACK = _library.LOG_CALLBACK()  # NULL: the library logs nothing
_installed = None  # the LOG_CALLBACK the library holds, kept alive here
_exit_hook_registered = False


def _silence_at_exit():
    # The library's threads may outlive the interpreter's finalisation; they must not call into
    # Python then.
    _lib.tether_set_log_callback(LEVELS.index("warning"), _NO_CALLBACK, None)


def set_log_callback(callback, level="warning"):
    """Sends every log line at or above `level` ("debug", "info", "warning", "error") to
    callback(level, line), for the whole process; None silences the library. By default the
    library writes warnings and errors to stderr.

    The callback runs on whichever thread logs (a Tether I/O thread, or the thread inside
    Client.connect() or HttpClient.request()), one line at a time. It must return quickly and must
    not call into tether; an exception it raises is printed and ignored."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if callback is not None and not callable(callback):
        raise TypeError("the log callback must be callable or None")
    global _installed, _exit_hook_registered
    with _lock:
        trampoline = _NO_CALLBACK
        if callback is not None:
            def forward(level_value, line, _user):
                try:
                    callback(LEVELS[level_value], _library.text(line))
                except Exception:
                    report_callback_failure()

            trampoline = _library.LOG_CALLBACK(forward)
            if not _exit_hook_registered:
                atexit.register(_silence_at_exit)
                _exit_hook_registered = True
        check(_lib.tether_set_log_callback(LEVELS.index(level), trampoline, None),
              lambda: b"tether_set_log_callback failed")
        _installed = trampoline  # the previous one is no longer called
