"""Client: a WebSocket connection through libtether_c, with callbacks and a blocking iterator
of events.

Callbacks (on_state, on_message, on_error, on_close, on_pong, on_revalidation, on_reconnecting,
on_reconnected, on_writable, on_transport_changed, on_challenge) run on Tether's I/O thread, one
at a time; they must not block. Every event also goes into the client's queue, which next_event()
and iteration read from any thread.
"""

import collections
import ctypes
import dataclasses
import queue
import threading
from typing import Optional, Union

from . import _library, _settings
from .challenge import dispatch, report_callback_failure
from .errors import Code, InvalidStateError, TetherError, check, error_for

_lib = _library.lib

_STATES = {0: "idle", 1: "connecting", 2: "authenticating", 3: "open", 4: "closing",
           5: "closed", 6: "revalidating", 7: "reconnecting"}
_REVALIDATION_PHASES = {0: "started", 1: "succeeded", 2: "failed"}
_TRANSPORTS = {0: "none", 1: "native", 2: "emulated"}
_TRANSPORT_POLICIES = ("auto", "native", "emulated")  # tether_transport_policy, in order


@dataclasses.dataclass(frozen=True)
class Event:
    """One thing that happened, its `type` saying what: "state", "message", "error", "close",
    "pong", "revalidation", "reconnecting", "reconnected", "writable" or "transport_changed".

    state:   old_state, new_state ("idle", "connecting", "authenticating", "open", "closing",
             "closed", "revalidating": open, proving its identity again, sends working;
             "reconnecting": the connection dropped and comes back by itself, sends queued)
    message: data (str for a text message, bytes for a binary one)
    error:   error (a TetherError; a NotAuthorizedError names the refused message by
             .message_id, the number send() returned)
    close:   close_code, reason, closed_by_peer, error (None after a clean close)
    pong:    data (the pong's bytes), elapsed (seconds since the client's latest ping: ping()'s
             or the heartbeat's, whose pongs are reported too)
    revalidation: phase ("started", "succeeded" or "failed"), url (the revalidation URL, without
             its query), http_status (the final one, 0 until one came), error (why it failed,
             None unless "failed")
    reconnecting: attempt (1 for the first after the drop), delay (seconds until it starts, as
             the backoff drew it), error (why: the drop, or the previous attempt's failure)
    reconnected: resumed (True: every message sent before the drop arrives exactly once, in
             order; False: a new session), attempts (how many it took), transport ("native" or
             "emulated"), unconfirmed (the numbers send() gave the messages that may not have
             been delivered when not resumed, a range, empty when none)
    writable: no fields; the send queue has room again after a WouldBlockError
    transport_changed: transport ("native" or "emulated": what the connection's attempts use
             from now on), reason (why, in words), error (the native failure that made "auto"
             fall back, None otherwise). Once per connect() and per reconnect attempt with the
             transport the policy starts with, once more with "emulated" when "auto" falls back,
             and once more with "native", error None and a reason naming
             FallbackOptions::upgrade, when the upgrade in place moves an open emulated
             connection to the WebSocket (no state event comes with that one)
    overflow: dropped (how many events the full queue lost at this place; see Client)
    """

    type: str
    old_state: Optional[str] = None
    new_state: Optional[str] = None
    data: Union[str, bytes, None] = None
    error: Optional[TetherError] = None
    close_code: Optional[int] = None
    reason: Optional[str] = None
    closed_by_peer: bool = False
    elapsed: Optional[float] = None
    dropped: int = 0
    phase: Optional[str] = None
    url: Optional[str] = None
    http_status: int = 0
    attempt: int = 0
    delay: Optional[float] = None
    resumed: Optional[bool] = None
    attempts: int = 0
    transport: Optional[str] = None
    unconfirmed: range = range(0)


class EventsLostError(RuntimeError):
    """receive() met an "overflow" event: the queue was full and lost events, messages perhaps."""

    def __init__(self, dropped):
        self.dropped = dropped
        super().__init__(f"{dropped} events were lost: the client's queue was full "
                         "(max_queued_events); read it, or handle events in callbacks only")


class _EventQueue:
    """The events for next_event(), at most `limit`, so that a program that handles everything in
    callbacks and never reads them cannot make the queue grow without end. Past the limit new
    events are dropped, and an "overflow" event with their count takes their place once there is
    room again: a reader always learns that it lost some. The close event is never dropped (the
    iterator ends on it). Thread-safety: safe from any thread."""

    def __init__(self, limit):
        self._limit = limit
        self._events = collections.deque()
        self._dropped = 0
        self._changed = threading.Condition()

    def put(self, event):
        with self._changed:
            if len(self._events) >= self._limit and event.type != "close":
                self._dropped += 1
                return
            if self._dropped:
                self._events.append(Event("overflow", dropped=self._dropped))
                self._dropped = 0
            self._events.append(event)
            self._changed.notify_all()

    def get(self, timeout=None):
        with self._changed:
            if not self._changed.wait_for(lambda: self._events, timeout):
                raise queue.Empty
            return self._events.popleft()


class Client:
    """A WebSocket client.

        with tether.Client() as client:
            client.connect("wss://gateway.example.com/echo", ca_file="ca.pem")
            client.send("hello")
            for event in client:
                if event.type == "message":
                    print(event.data)
                    break

    Methods are safe from any thread, and from inside callbacks. close() then the end of the
    `with` block (or free()) release the connection; no callback runs after free() returns.

    Every event also goes into a queue of at most `max_queued_events`; past it, events are dropped
    and an "overflow" event says how many, so memory stays bounded when nothing reads the queue.
    """

    def __init__(self, on_state=None, on_message=None, on_error=None, on_close=None,
                 on_pong=None, max_queued_events=65536, on_revalidation=None,
                 on_reconnecting=None, on_reconnected=None, on_writable=None,
                 on_transport_changed=None):
        self.on_state = on_state
        self.on_message = on_message
        self.on_error = on_error
        self.on_close = on_close
        self.on_pong = on_pong
        self.on_revalidation = on_revalidation
        self.on_reconnecting = on_reconnecting
        self.on_reconnected = on_reconnected
        self.on_writable = on_writable
        self.on_transport_changed = on_transport_changed
        if max_queued_events < 1:
            raise ValueError("max_queued_events must be at least 1")
        self._events = _EventQueue(max_queued_events)
        self._opened = threading.Event()
        self._ended = threading.Event()
        self._close_event = None
        self._challenge_callback = None  # the ctypes trampoline, alive as long as the client
        self._on_challenge = None
        self._handle = _lib.tether_client_create()
        if not self._handle:
            raise MemoryError("tether_client_create failed")
        # The trampolines must outlive every call the library may make: they live on the client.
        self._callbacks = (
            _library.STATE_CALLBACK(self._state_trampoline),
            _library.MESSAGE_CALLBACK(self._message_trampoline),
            _library.ERROR_CALLBACK(self._error_trampoline),
            _library.CLOSE_CALLBACK(self._close_trampoline),
            _library.PONG_CALLBACK(self._pong_trampoline),
            _library.REVALIDATION_CALLBACK(self._revalidation_trampoline),
            _library.RECONNECTING_CALLBACK(self._reconnecting_trampoline),
            _library.RECONNECTED_CALLBACK(self._reconnected_trampoline),
            _library.WRITABLE_CALLBACK(self._writable_trampoline),
            _library.TRANSPORT_CALLBACK(self._transport_trampoline),
        )
        _lib.tether_client_set_state_callback(self._handle, self._callbacks[0], None)
        _lib.tether_client_set_message_callback(self._handle, self._callbacks[1], None)
        _lib.tether_client_set_error_callback(self._handle, self._callbacks[2], None)
        _lib.tether_client_set_close_callback(self._handle, self._callbacks[3], None)
        _lib.tether_client_set_pong_callback(self._handle, self._callbacks[4], None)
        _lib.tether_client_set_revalidation_callback(self._handle, self._callbacks[5], None)
        _lib.tether_client_set_reconnecting_callback(self._handle, self._callbacks[6], None)
        _lib.tether_client_set_reconnected_callback(self._handle, self._callbacks[7], None)
        _lib.tether_client_set_writable_callback(self._handle, self._callbacks[8], None)
        _lib.tether_client_set_transport_callback(self._handle, self._callbacks[9], None)

    # ---- the C callbacks, on the I/O thread ----

    def _deliver(self, event, callback, *arguments):
        self._events.put(event)
        if callback is not None:
            try:
                callback(*arguments)
            except Exception:  # never let an exception reach ctypes
                report_callback_failure()

    def _state_trampoline(self, _client, old, new, _user):
        event = Event("state", old_state=_STATES.get(old, str(old)),
                      new_state=_STATES.get(new, str(new)))
        if new == 3:
            self._opened.set()
        self._deliver(event, self.on_state, event.old_state, event.new_state)

    def _message_trampoline(self, _client, kind, data, length, _user):
        payload = ctypes.string_at(data, length) if length else b""
        if kind == 0:
            payload = payload.decode("utf-8", "replace")
        self._deliver(Event("message", data=payload), self.on_message, payload)

    def _error_trampoline(self, client, code, message, http_status, _user):
        # Answered only here, inside the error callback on the I/O thread.
        message_id = ctypes.c_ulonglong(0)
        _lib.tether_client_error_message_id(client, ctypes.byref(message_id))
        error = error_for(code, _library.text(message), http_status, message_id.value)
        self._deliver(Event("error", error=error), self.on_error, error)

    def _close_trampoline(self, _client, info_pointer, _user):
        info = info_pointer.contents
        error = (None if info.error == Code.OK
                 else error_for(info.error, _library.text(info.message), info.http_status))
        event = Event("close", close_code=info.code, reason=_library.text(info.reason),
                      closed_by_peer=bool(info.closed_by_peer), error=error)
        self._close_event = event
        self._ended.set()
        self._deliver(event, self.on_close, event)

    def _pong_trampoline(self, _client, payload, length, elapsed_us, _user):
        data = ctypes.string_at(payload, length) if length else b""
        elapsed = elapsed_us / 1e6
        self._deliver(Event("pong", data=data, elapsed=elapsed), self.on_pong, data, elapsed)

    def _revalidation_trampoline(self, _client, info_pointer, _user):
        info = info_pointer.contents
        error = (None if info.error == Code.OK
                 else error_for(info.error, _library.text(info.message), info.http_status))
        event = Event("revalidation", phase=_REVALIDATION_PHASES.get(info.phase, str(info.phase)),
                      url=_library.text(info.url), http_status=info.http_status, error=error)
        self._deliver(event, self.on_revalidation, event)

    def _reconnecting_trampoline(self, _client, info_pointer, _user):
        info = info_pointer.contents
        event = Event("reconnecting", attempt=info.attempt, delay=info.delay_ms / 1000,
                      error=error_for(info.reason, _library.text(info.message),
                                      info.http_status))
        self._deliver(event, self.on_reconnecting, event)

    def _reconnected_trampoline(self, _client, info_pointer, _user):
        info = info_pointer.contents
        unconfirmed = (range(info.first_unconfirmed, info.last_unconfirmed + 1)
                       if info.first_unconfirmed else range(0))
        event = Event("reconnected", resumed=bool(info.resumed), attempts=info.attempts,
                      transport=_TRANSPORTS.get(info.transport, str(info.transport)),
                      unconfirmed=unconfirmed)
        self._deliver(event, self.on_reconnected, event)

    def _writable_trampoline(self, _client, _user):
        self._deliver(Event("writable"), self.on_writable)

    def _transport_trampoline(self, _client, info_pointer, _user):
        info = info_pointer.contents
        message = _library.text(info.message)
        error = (None if info.reason == Code.OK
                 else error_for(info.reason, message, info.http_status))
        event = Event("transport_changed",
                      transport=_TRANSPORTS.get(info.transport, str(info.transport)),
                      reason=message, error=error)
        self._deliver(event, self.on_transport_changed, event)

    def _challenge_trampoline(self, challenge_handle, _user):
        dispatch(self._on_challenge, challenge_handle)

    # ---- calls ----

    def _check(self, code):
        check(code, lambda: _lib.tether_client_errmsg(self._live_handle()))

    def _live_handle(self):
        if not self._handle:
            raise InvalidStateError(Code.INVALID_STATE, "the client was freed")
        return self._handle

    def connect(self, url, *, wait=True, timeout=30.0, **options):
        """Connects to `url` (ws:// or wss://). With wait=True (the default) returns once the
        connection is open and raises the TetherError that ended it otherwise; with wait=False
        returns at once and the events tell the rest.

        Options: origin, subprotocols (list), subprotocol_required, headers (dict or pairs),
        verify_peer, ca_file, ca_path, client_certificate, private_key, pinned_public_keys
        (list), proxy, use_proxy_environment, connect_timeout, handshake_timeout, ping_interval,
        pong_timeout (seconds), max_message_size (bytes), max_queued_messages, max_queued_bytes
        (past either, send() raises WouldBlockError), on_challenge (a callable receiving a
        Challenge), auth_max_attempts, allow_insecure_auth, cookie_jar (a CookieJar), transport
        ("auto", the default: native, then the HTTP emulation when an intermediary breaks it;
        "native"; "emulated"), reconnect (True brings a dropped connection back by itself
        through the "reconnecting" state, resuming the session where the gateway supports it;
        off by default), reconnect_initial_delay, reconnect_max_delay (seconds: the delay
        before attempt k is drawn between zero and min(max, initial * 2**(k-1))),
        reconnect_max_attempts (0, the default: no limit), reconnect_max_duration (seconds
        after the drop; 0: no limit), fallback_race_delay, fallback_probe_timeout,
        fallback_remember_for (seconds, 0 turns each off: how "auto" races the emulation beside
        a slow upgrade, probes a fresh WebSocket, and remembers a fallback so that the next
        connect to that gateway goes to the emulation at once), fallback_upgrade (True, the
        default: a connection that "auto" left on the emulation, and that resumes, moves to the
        WebSocket once a background probe gets through, with no message lost, repeated or
        reordered and no state change; the transport property then says "native"; False: it
        stays emulated), fallback_memory (a FallbackMemory; the process's by default).

        Every method, callback and event behaves the same over either transport; only timings
        and error messages differ (docs/c-api.md, tether_options_set_transport). The transport
        property tells which one carries the connection.
        """
        handle = self._live_handle()
        options_handle = _lib.tether_options_create()
        if not options_handle:
            raise MemoryError("tether_options_create failed")
        try:
            self._apply_options(options_handle, url, options)
            self._opened.clear()
            self._ended.clear()
            self._close_event = None
            self._check(_lib.tether_client_connect(handle, options_handle))
        finally:
            _lib.tether_options_free(options_handle)
        if wait:
            self.wait_open(timeout)

    def wait_open(self, timeout=30.0):
        """Waits until the connection started by connect() is open; raises what ended it."""
        deadline_passed = not _wait_either(self._opened, self._ended, timeout)
        if self._opened.is_set() and not self._ended.is_set():
            return
        if deadline_passed:
            raise error_for(Code.CONNECT_TIMEOUT, f"not open within {timeout} s")
        close = self._close_event
        if close is not None and close.error is not None:
            raise close.error
        raise error_for(Code.CONNECTION_LOST, "the connection closed before it opened")

    def _apply_options(self, handle, url, options):
        setters = _settings.Setters("tether_options", handle)
        setters("set_url", _library.encode(url, "url"))
        options = dict(options)
        _settings.apply_shared(setters, options)
        if "origin" in options:
            setters("set_origin", _library.encode(options.pop("origin"), "origin"))
        if "subprotocol_required" in options:
            setters("set_subprotocol_required", int(bool(options.pop("subprotocol_required"))))
        if "reconnect" in options:
            setters("set_reconnect", int(bool(options.pop("reconnect"))))
        if "fallback_upgrade" in options:
            setters("set_fallback_upgrade", int(bool(options.pop("fallback_upgrade"))))
        if "reconnect_max_attempts" in options:
            setters("set_reconnect_max_attempts", int(options.pop("reconnect_max_attempts")))
        for name in ("handshake_timeout", "ping_interval", "pong_timeout",
                     "reconnect_initial_delay", "reconnect_max_delay", "reconnect_max_duration",
                     "fallback_race_delay", "fallback_probe_timeout", "fallback_remember_for"):
            if name in options:
                setters(f"set_{name}_ms", _settings.milliseconds(options.pop(name), name))
        memory = options.pop("fallback_memory", None)
        if memory is not None:
            setters("set_fallback_memory", memory)
        for subprotocol in options.pop("subprotocols", ()):
            setters("add_subprotocol", _library.encode(subprotocol, "subprotocol"))
        for name in ("max_message_size", "max_queued_messages", "max_queued_bytes"):
            if name in options:
                setters(f"set_{name}", int(options.pop(name)))
        if "transport" in options:
            policy = options.pop("transport")
            if policy not in _TRANSPORT_POLICIES:
                raise ValueError(f"transport must be one of {', '.join(_TRANSPORT_POLICIES)}, "
                                 f"not {policy!r}")
            setters("set_transport", _TRANSPORT_POLICIES.index(policy))
        on_challenge = _settings.pop_challenge_handler(options)
        if on_challenge is not None:
            self._on_challenge = on_challenge
            if self._challenge_callback is None:
                self._challenge_callback = _library.CHALLENGE_CALLBACK(self._challenge_trampoline)
            setters("set_challenge_callback", self._challenge_callback, None)
        if options:
            raise TypeError("unknown connect() options: " + ", ".join(sorted(options)))

    def send(self, message):
        """Queues a message: a str goes as text, bytes-like as binary. Returns its number on the
        connection: 1 for the first message sent since connect() opened it, then 2, 3...,
        going on across reconnects (the number a NotAuthorizedError's message_id names a refused
        message by, and a "reconnected" event's unconfirmed the ones a new session may have
        lost). Works while "open", "revalidating" and "reconnecting" (where it waits for the
        connection to come back). Raises WouldBlockError, queueing nothing, while
        max_queued_messages or max_queued_bytes are reached; on_writable and a "writable" event
        tell when to send again."""
        handle = self._live_handle()
        number = ctypes.c_ulonglong(0)
        if isinstance(message, str):
            data = message.encode("utf-8")
            self._check(_lib.tether_client_send_text_numbered(handle, data, len(data),
                                                              ctypes.byref(number)))
        elif isinstance(message, (bytes, bytearray, memoryview)):
            data = bytes(message)
            self._check(_lib.tether_client_send_binary_numbered(handle, data, len(data),
                                                                ctypes.byref(number)))
        else:
            raise TypeError(f"send() takes str or bytes, not {type(message).__name__}")
        return number.value

    def ping(self, payload=b""):
        """Sends a ping carrying `payload` (bytes, at most 125); on_pong and a "pong" event report
        the answer. Raises InvalidStateError unless open, InvalidArgumentError over 125 bytes."""
        data = bytes(payload)
        self._check(_lib.tether_client_ping(self._live_handle(), data, len(data)))

    def close(self, code=1000, reason="", wait=True, timeout=10.0):
        """Starts the closing handshake; with wait=True returns once the connection has closed.
        Closing a client that is not connected does nothing."""
        if not self._handle or self.state in ("idle", "closed"):
            return
        try:
            self._check(_lib.tether_client_close(self._handle, code,
                                                 _library.encode(reason, "reason")))
        except InvalidStateError:
            return
        if wait:
            self._ended.wait(timeout)

    def free(self):
        """Releases the client. No callback runs after it returns (unless called from a
        callback, which then finishes). Any later call raises InvalidStateError."""
        handle, self._handle = self._handle, None
        if handle:
            _lib.tether_client_free(handle)

    @property
    def state(self):
        value = ctypes.c_int(0)
        self._check(_lib.tether_client_state(self._live_handle(), ctypes.byref(value)))
        return _STATES.get(value.value, str(value.value))

    @property
    def transport(self):
        """"native" or "emulated" while connecting (once a transport is chosen) to closing,
        "none" otherwise."""
        value = ctypes.c_int(0)
        self._check(_lib.tether_client_transport(self._live_handle(), ctypes.byref(value)))
        return _TRANSPORTS.get(value.value, str(value.value))

    @property
    def subprotocol(self):
        handle = self._live_handle()
        length = ctypes.c_size_t(0)
        code = _lib.tether_client_subprotocol(handle, None, 0, ctypes.byref(length))
        if code not in (Code.OK, Code.BUFFER_TOO_SMALL):
            self._check(code)
        buffer = ctypes.create_string_buffer(length.value + 1)
        self._check(_lib.tether_client_subprotocol(handle, buffer, len(buffer),
                                                   ctypes.byref(length)))
        return buffer.value.decode("utf-8")

    # ---- events ----

    def next_event(self, timeout=None):
        """The next event; blocks up to `timeout` seconds (None: forever). Raises queue.Empty
        on timeout."""
        return self._events.get(timeout=timeout)

    def receive(self, timeout=None):
        """The data of the next message, skipping other events; raises the error that closed the
        connection, or InvalidStateError when it closed cleanly, EventsLostError where the full
        queue lost events, and queue.Empty on timeout."""
        while True:
            event = self.next_event(timeout)
            if event.type == "message":
                return event.data
            if event.type == "overflow":
                raise EventsLostError(event.dropped)
            if event.type == "close":
                raise event.error or error_for(Code.INVALID_STATE, "the connection closed")

    def __iter__(self):
        """Events until (and including) the close event of the current connection."""
        while True:
            event = self.next_event()
            yield event
            if event.type == "close":
                return

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        try:
            self.close()
        finally:
            self.free()

    def __del__(self):
        self.free()


def _wait_either(first, second, timeout):
    """Waits until either threading.Event is set; False on timeout."""
    import time
    deadline = None if timeout is None else time.monotonic() + timeout
    while not (first.is_set() or second.is_set()):
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            return False
        first.wait(0.01 if remaining is None else min(0.01, remaining))
    return True
