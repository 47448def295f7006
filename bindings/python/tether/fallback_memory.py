"""FallbackMemory: the gateways whose WebSocket failed lately (docs/emulation.md section 11,
"Remembered"), which a client under transport="auto" reaches over the HTTP emulation at once."""

from . import _library
from .errors import Code, check, error_for

_lib = _library.lib


class FallbackMemory(_library.OwnedHandle):
    """Every method is safe from any thread. Pass it to Client.connect(fallback_memory=...) to
    keep clients apart from the memory the whole process shares, or to save() it between runs.
    close() (or the end of a with block) drops this reference; clients still using the memory
    keep it alive."""

    _free = _lib.tether_fallback_memory_free

    def __init__(self):
        self._handle = _lib.tether_fallback_memory_create()
        if not self._handle:
            raise MemoryError("tether_fallback_memory_create failed")

    def _check(self, code):
        check(code, lambda: _lib.tether_fallback_memory_errmsg(self._handle))

    def load(self, path):
        """Adds the entries still in force of a file save() wrote; a missing file is no error.
        Raises InvalidArgumentError for a malformed file, which changes nothing."""
        self._check(_lib.tether_fallback_memory_load(self._handle, _library.encode(path, "path")))

    def save(self, path):
        """Writes the entries still in force atomically, mode 0600."""
        self._check(_lib.tether_fallback_memory_save(self._handle, _library.encode(path, "path")))

    def clear(self):
        """Forgets every gateway."""
        self._check(_lib.tether_fallback_memory_clear(self._handle))

    @property
    def _as_parameter_(self):
        if not self._handle:
            raise error_for(Code.INVALID_STATE, "the fallback memory was closed")
        return self._handle
