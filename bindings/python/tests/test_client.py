"""tether.Client against the bundled gateway: the scenarios of bindings/c/tests/client_test.cpp,
from Python. Every scenario a connection can run runs over both transports, native and emulated
(docs/emulation.md): the binding behaves the same on each."""

import ctypes
import json
import queue
import tempfile
import threading
import time
import unittest

import tether
from tether import _library

from .gateway import Gateway, config_with_alice, gateway_config, shared_pki, trusting

pki = None


def setUpModule():
    global pki
    pki = shared_pki()


def post_alices_password(url, **options):
    """POSTs alice's user name and password as a form to `url` (/login or /token over https)."""
    return tether.http_request(
        url, "POST", headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=b"username=alice&password=secret", **trusting(**options))


def next_event_of_type(client, event_type):
    """The next event of `event_type`, skipping the others; queue.Empty after 10 s without one."""
    while True:
        event = client.next_event(timeout=10)
        if event.type == event_type:
            return event


class ConnectionScenarios:
    """What a connection does, whatever carries it. Mixed into one TestCase per transport, which
    names it in `transport` (the connect() option)."""

    transport = None

    def setUp(self):
        self.gateway = Gateway(gateway_config(pki))
        self.addCleanup(self.gateway.stop)

    def connect(self, client, url, **options):
        client.connect(url, **trusting(transport=self.transport, **options))

    def start_gateway_with_alice(self, services):
        directory = tempfile.TemporaryDirectory(prefix="tether-py-client-")
        self.addCleanup(directory.cleanup)
        gateway = Gateway(config_with_alice(pki, directory.name, services))
        self.addCleanup(gateway.stop)
        return gateway

    def check_echo(self, url):
        with tether.Client() as client:
            self.connect(client, url)
            self.assertEqual(client.state, "open")
            self.assertEqual(client.transport, self.transport)
            client.send("hello, gateway")
            self.assertEqual(client.receive(timeout=10), "hello, gateway")
            client.send(b"\x00\x01\xff")
            self.assertEqual(client.receive(timeout=10), b"\x00\x01\xff")
        with self.assertRaises(tether.InvalidStateError):  # the with block freed it
            client.send("after the with block")

    def test_a_ping_is_answered_with_its_payload(self):
        pongs = queue.Queue()
        with tether.Client(on_pong=lambda data, elapsed: pongs.put((data, elapsed))) as client:
            with self.assertRaises(tether.InvalidStateError):
                client.ping(b"early")
            self.connect(client, self.gateway.wss_url("/echo"))
            with self.assertRaises(tether.InvalidArgumentError):
                client.ping(b"x" * 126)
            client.ping(b"are you there?")
            data, elapsed = pongs.get(timeout=10)
            self.assertEqual(data, b"are you there?")
            self.assertGreaterEqual(elapsed, 0)
            self.assertLess(elapsed, 10)
            # The queue holds the states and the transport of the connect, then the pong.
            types = [client.next_event(timeout=10).type for _ in range(4)]
            self.assertEqual(types, ["state", "transport_changed", "state", "pong"])

    def test_a_full_event_queue_drops_events_and_says_so_but_keeps_the_close(self):
        echoed = threading.Semaphore(0)
        with tether.Client(max_queued_events=4,
                           on_message=lambda _data: echoed.release()) as client:
            # Connecting, its transport, open: 3 events.
            self.connect(client, self.gateway.ws_url("/echo"))
            for number in range(5):
                client.send(f"message {number}")
            for _ in range(5):
                self.assertTrue(echoed.acquire(timeout=10))
            client.close(1000, "bye")  # waits for the close event
            events = []
            while True:
                try:
                    events.append(client.next_event(timeout=0))
                except queue.Empty:
                    break
        types = [event.type for event in events]
        self.assertEqual(types[:4], ["state", "transport_changed", "state", "message"])
        self.assertEqual(types[-2:], ["overflow", "close"])
        overflow = events[-2]
        # Four more messages, closing and closed were lost, none of them silently.
        self.assertEqual(overflow.dropped, 6)

    def test_receive_raises_where_the_full_queue_lost_events(self):
        echoed = threading.Event()
        with tether.Client(max_queued_events=3, on_message=lambda _data: echoed.set()) as client:
            # Connecting, its transport, open: full.
            self.connect(client, self.gateway.ws_url("/echo"))
            client.send("lost")
            self.assertTrue(echoed.wait(10))
            client.close(1000, "bye")
            with self.assertRaises(tether.EventsLostError) as raised:
                client.receive(timeout=10)
            self.assertEqual(raised.exception.dropped, 3)

    def test_text_and_binary_echo_over_ws(self):
        self.check_echo(self.gateway.ws_url("/echo"))

    def test_text_and_binary_echo_over_wss(self):
        self.check_echo(self.gateway.wss_url("/echo"))

    def test_sends_are_numbered_from_one_on_each_connection(self):
        # Needs the transports that number messages (issue 13): before them send() returns 0.
        with tether.Client() as client:
            self.connect(client, self.gateway.ws_url("/echo"))
            self.assertEqual([client.send("one"), client.send(b"two"), client.send("three")],
                             [1, 2, 3])
            self.assertEqual([client.receive(timeout=10) for _ in range(3)],
                             ["one", b"two", "three"])
            client.close()
            self.connect(client, self.gateway.ws_url("/echo"))
            self.assertEqual(client.send("again"), 1)

    def test_events_arrive_in_order_and_the_iterator_ends_with_close(self):
        client = tether.Client()
        self.addCleanup(client.free)
        self.connect(client, self.gateway.ws_url("/echo"))
        client.send("one")
        self.assertEqual(client.receive(timeout=10), "one")
        client.close(1000, "bye", wait=False)
        events = list(client)
        self.assertEqual(events[-1].type, "close")
        self.assertEqual(events[-1].close_code, 1000)
        self.assertIsNone(events[-1].error)
        self.assertFalse(events[-1].closed_by_peer)
        states = [e.new_state for e in events if e.type == "state"]
        self.assertEqual(states, ["closing", "closed"])
        self.assertEqual(client.state, "closed")
        self.assertEqual(client.transport, "none")

    def test_callbacks_run_and_may_send_from_inside(self):
        received = []
        done = threading.Event()
        client = tether.Client()
        self.addCleanup(client.free)

        def on_message(data):
            received.append(data)
            if int(data) < 20:
                client.send(str(int(data) + 1))
            else:
                done.set()

        client.on_message = on_message
        self.connect(client, self.gateway.ws_url("/echo"))
        client.send("1")
        self.assertTrue(done.wait(10))
        self.assertEqual(received, [str(i) for i in range(1, 21)])

    def test_a_full_send_queue_raises_would_block_and_the_connection_goes_on(self):
        # Inside a callback, on the I/O thread, nothing drains the queue until it returns.
        outcomes = []
        echoed = []
        done = threading.Event()
        client = tether.Client()
        self.addCleanup(client.free)

        def on_message(data):
            echoed.append(data)
            if data == "go":
                for index in range(3):
                    try:
                        client.send(f"burst {index}")
                        outcomes.append("queued")
                    except tether.WouldBlockError as error:
                        outcomes.append(error.code)
            if len(echoed) == 3:
                done.set()

        client.on_message = on_message
        self.connect(client, self.gateway.ws_url("/echo"), max_queued_messages=2)
        client.send("go")
        self.assertTrue(done.wait(10))
        self.assertEqual(outcomes, ["queued", "queued", tether.Code.WOULD_BLOCK])
        self.assertEqual(echoed, ["go", "burst 0", "burst 1"])
        self.assertEqual(client.state, "open")
        # Once the queue has room again the client says so.
        self.assertEqual(next_event_of_type(client, "writable").type, "writable")

    def test_close_and_free_from_inside_a_callback(self):
        closed = threading.Event()
        close_events = []
        client = tether.Client()

        def on_message(_data):
            client.close(4000, "from the callback", wait=False)

        def on_close(event):
            close_events.append(event)
            client.free()
            closed.set()

        client.on_message = on_message
        client.on_close = on_close
        self.connect(client, self.gateway.ws_url("/echo"))
        client.send("x")
        self.assertTrue(closed.wait(10))
        self.assertEqual(close_events[0].close_code, 4000)
        self.assertIsNone(close_events[0].error)
        with self.assertRaises(tether.InvalidStateError):
            client.send("after free")

    def test_the_peers_close_code_is_reported(self):
        faults = {"close_after_messages": 1, "close_code": 4001}
        with Gateway(gateway_config(pki, faults=faults)) as gateway:
            with tether.Client() as client:
                self.connect(client, gateway.ws_url("/echo"))
                client.send("only one")
                events = list(client)
                self.assertEqual([e.data for e in events if e.type == "message"], ["only one"])
                self.assertEqual([e.new_state for e in events if e.type == "state"],
                                 ["connecting", "open", "closed"])
                self.assertEqual(events[-1].close_code, 4001)
                self.assertTrue(events[-1].closed_by_peer)
                self.assertIsNone(events[-1].error)

    def test_a_closed_connection_ends_receive_with_an_error(self):
        with Gateway(gateway_config(pki, faults={"close_after_messages": 1})) as gateway:
            with tether.Client() as client:
                self.connect(client, gateway.ws_url("/echo"))
                client.send("only one")
                self.assertEqual(client.receive(timeout=10), "only one")
                with self.assertRaises(tether.TetherError):
                    client.receive(timeout=10)

    def test_subprotocol_is_reported(self):
        with Gateway(gateway_config(pki, subprotocols=["chat.v2"])) as gateway:
            with tether.Client() as client:
                self.connect(client, gateway.ws_url("/echo"), subprotocols=["chat.v2"])
                self.assertEqual(client.subprotocol, "chat.v2")

    def test_an_untrusted_certificate_raises_a_tls_error(self):
        with tether.Client() as client:
            with self.assertRaises(tether.TlsError) as raised:
                self.connect(client, self.gateway.wss_url("/echo"), ca_file=pki.other_ca_cert)
            self.assertEqual(raised.exception.code, tether.Code.TLS_UNTRUSTED_CERTIFICATE)
            self.assertTrue(raised.exception.message)
            error_events = [e for e in drain(client) if e.type == "error"]
            self.assertEqual(error_events[0].error.code, tether.Code.TLS_UNTRUSTED_CERTIFICATE)

    def check_open_and_echoing(self, client):
        client.wait_open(10)
        self.assertEqual(client.transport, self.transport)
        client.send("authenticated")
        self.assertEqual(client.receive(timeout=10), "authenticated")

    def test_a_basic_challenge_is_answered_later_from_another_thread(self):
        gateway = self.start_gateway_with_alice({"/echo": {"schemes": ["basic"]}})
        url = gateway.wss_url("/echo")
        asked = queue.Queue()
        with tether.Client() as client:
            self.connect(client, url, wait=False, on_challenge=asked.put)
            challenge = asked.get(timeout=10)  # the callback has returned, unanswered
            self.assertEqual((challenge.scheme, challenge.realm, challenge.location),
                             ("Basic", "tether", url))
            self.assertEqual(client.state, "authenticating")
            challenge.answer_password("alice", "secret")  # from the test's thread
            self.check_open_and_echoing(client)
        self.assertEqual(gateway.stats()["upgrades_authenticated"], {"basic": 1})

    def test_a_bearer_challenge_is_answered_with_a_token_from_the_token_endpoint(self):
        gateway = self.start_gateway_with_alice({"/echo": {"schemes": ["bearer"]}})
        token = json.loads(post_alices_password(
            f"https://localhost:{gateway.wss_port}/token").body)["access_token"]
        asked = queue.Queue()
        with tether.Client() as client:
            self.connect(client, gateway.wss_url("/echo"), wait=False, on_challenge=asked.put)
            challenge = asked.get(timeout=10)
            self.assertEqual((challenge.kind, challenge.scheme), ("token", "Bearer"))
            self.assertFalse(challenge.token_refused)
            challenge.answer_token(token)
            self.check_open_and_echoing(client)
        self.assertEqual(gateway.stats()["upgrades_authenticated"], {"bearer": 1})

    def test_a_revalidation_and_a_refused_message_reach_python(self):
        gateway = self.start_gateway_with_alice({"/echo": {"schemes": ["basic"]}})
        gateway.control("revoke", user="alice", service="/echo", right="send")
        # Answers every challenge, the handshake's and the revalidation's.
        def answer(challenge):
            challenge.answer_password("alice", "secret")

        with tether.Client() as client:
            self.connect(client, gateway.wss_url("/echo"), on_challenge=answer)
            number = client.send("refused")
            self.assertEqual(number, 1)
            refusal = next_event_of_type(client, "error")
            self.assertIsInstance(refusal.error, tether.NotAuthorizedError)
            self.assertEqual(refusal.error.message_id, number)
            self.assertEqual(client.state, "open")
            # The right comes back at the next revalidation, which the gateway asks for now.
            gateway.control("grant", user="alice", service="/echo", right="send")
            gateway.control("revalidate")
            started = next_event_of_type(client, "revalidation")
            ended = next_event_of_type(client, "revalidation")
            self.assertEqual((started.phase, ended.phase), ("started", "succeeded"))
            self.assertIsNone(ended.error)
            self.assertEqual(client.send("allowed"), 2)
            self.assertEqual(client.receive(timeout=10), "allowed")

    def test_a_dropped_connection_reconnects_and_the_events_say_so(self):
        with tether.Client() as client:
            self.connect(client, self.gateway.ws_url("/echo"), reconnect=True,
                         reconnect_initial_delay=0.05, reconnect_max_delay=0.2)
            self.assertEqual(client.send("before the drop"), 1)
            self.assertEqual(client.receive(timeout=10), "before the drop")
            self.assertEqual(self.gateway.control("drop_connections")["connections_dropped"], 1)
            events = []
            while not events or events[-1].type != "reconnected":
                events.append(client.next_event(timeout=20))
                self.assertNotEqual(events[-1].type, "close",
                                    f"closed instead of reconnecting: {events[-1].error}")
            states = [(e.old_state, e.new_state) for e in events if e.type == "state"]
            self.assertEqual(states[0], ("open", "reconnecting"))
            self.assertEqual(states[-1], ("reconnecting", "open"))
            attempt = next(e for e in events if e.type == "reconnecting")
            self.assertEqual(attempt.attempt, 1)
            self.assertLessEqual(attempt.delay, 0.2)
            self.assertIsInstance(attempt.error, tether.TetherError)
            self.assertTrue(events[-1].resumed, "the bundled gateway resumes sessions")
            self.assertEqual(list(events[-1].unconfirmed), [])
            self.assertGreaterEqual(events[-1].attempts, 1)
            self.assertEqual(events[-1].transport, self.transport)
            self.assertEqual(client.state, "open")
            self.assertEqual(client.send("after the drop"), 2)
            self.assertEqual(client.receive(timeout=10), "after the drop")

    def test_the_login_session_cookie_is_sent_and_stands_in_for_credentials(self):
        # /echo asks for nothing but the session cookie: without it the gateway answers 403.
        gateway = self.start_gateway_with_alice({"/echo": {"sso_cookie": True}})
        with tether.CookieJar() as jar, tether.Client() as client:
            login = post_alices_password(f"https://localhost:{gateway.wss_port}/login",
                                         cookie_jar=jar)
            self.assertEqual(login.status, 200)
            self.connect(client, gateway.wss_url("/echo"), cookie_jar=jar)
            self.assertEqual(client.transport, self.transport)
        self.assertEqual(gateway.stats()["upgrades_authenticated"], {"session_cookie": 1})

    def test_a_cookie_the_handshake_sets_is_stored_for_the_websocket_url(self):
        # No Path: the default path comes from the WebSocket URL's /echo, which gives "/".
        services = {"/echo": {"set_cookie_on_upgrade": ["affinity=node-1"]}}
        with Gateway(gateway_config(pki, services=services)) as gateway:
            with tether.CookieJar() as jar, tether.Client() as client:
                self.connect(client, gateway.ws_url("/echo"), cookie_jar=jar)
                self.assertEqual(jar.cookie_header(gateway.ws_url("/echo")), "affinity=node-1")
                self.assertEqual(jar.cookie_header(gateway.ws_url("/other")), "affinity=node-1")


class NativeConnectionTest(ConnectionScenarios, unittest.TestCase):
    transport = "native"


class EmulatedConnectionTest(ConnectionScenarios, unittest.TestCase):
    transport = "emulated"


class TransportPolicyTest(unittest.TestCase):
    """The transport option against a gateway that refuses every native upgrade, as a proxy or
    firewall that breaks WebSocket does (docs/emulation.md section 11)."""

    def setUp(self):
        self.gateway = Gateway(gateway_config(pki, faults={"refuse_upgrade_status": 403}))
        self.addCleanup(self.gateway.stop)

    def test_auto_goes_on_over_the_emulation_and_echoes(self):
        with tether.Client() as client:
            client.connect(self.gateway.ws_url("/echo"), transport="auto", **trusting())
            self.assertEqual(client.transport, "emulated")
            client.send("after the fallback")
            self.assertEqual(client.receive(timeout=10), "after the fallback")
            client.close(1000, wait=False)
            events = list(client)
        # The native refusal is no error: the application sees one ordinary connection.
        self.assertEqual([e for e in events if e.type == "error"], [])
        self.assertIsNone(events[-1].error)
        self.assertEqual(self.gateway.stats()["emulated_sessions_created"], 1)

    def test_native_raises_a_handshake_error_with_the_status(self):
        with tether.Client() as client:
            with self.assertRaises(tether.HandshakeError) as raised:
                client.connect(self.gateway.ws_url("/echo"), transport="native", **trusting())
            self.assertEqual(raised.exception.code, tether.Code.HANDSHAKE_REJECTED)
            self.assertEqual(raised.exception.http_status, 403)
        self.assertEqual(self.gateway.stats()["emulated_sessions_created"], 0)


class FallbackMemoryTest(unittest.TestCase):
    """transport="auto" remembers a fallback (docs/emulation.md section 11, "Remembered")."""

    def setUp(self):
        self.gateway = Gateway(gateway_config(pki, faults={"refuse_upgrade_status": 403}))
        self.addCleanup(self.gateway.stop)
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        self.path = f"{self.directory.name}/fallback"

    def open_and_close(self, **options):
        with tether.Client() as client:
            client.connect(self.gateway.ws_url("/echo"), **trusting(**options))
            transport = client.transport
            client.close(1000, wait=False)
            list(client)
        return transport

    def test_a_saved_memory_sends_the_next_run_to_the_emulation_at_once(self):
        with tether.FallbackMemory() as memory:
            self.assertEqual(self.open_and_close(fallback_memory=memory), "emulated")
            memory.save(self.path)
        with open(self.path, encoding="utf-8") as saved:
            self.assertIn(f" 127.0.0.1:{self.gateway.ws_port}\n", saved.read())
        # Upgrades now hang and the race is off: trying the WebSocket first would cost the
        # whole handshake timeout.
        self.gateway.control("hang_upgrades")
        with tether.FallbackMemory() as loaded:
            loaded.load(self.path)
            started = time.monotonic()
            self.assertEqual(self.open_and_close(fallback_memory=loaded, fallback_race_delay=0,
                                                 handshake_timeout=10), "emulated")
            self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(self.gateway.stats()["emulated_sessions_created"], 2)

    def connect_remembered(self, client, memory, **options):
        self.open_and_close(fallback_memory=memory)
        self.gateway.control("allow_upgrades")
        client.connect(self.gateway.ws_url("/echo"),
                       **trusting(fallback_memory=memory, reconnect=True, **options))
        self.assertEqual(client.transport, "emulated")

    def test_a_resumable_connection_moves_to_the_websocket_once_it_gets_through(self):
        changes = queue.Queue()
        with tether.FallbackMemory() as memory, \
                tether.Client(on_transport_changed=changes.put) as client:
            self.connect_remembered(client, memory)
            started = changes.get(timeout=10)
            self.assertEqual((started.transport, started.error), ("emulated", None))
            moved = changes.get(timeout=10)
            self.assertEqual(moved.type, "transport_changed")
            self.assertEqual((moved.transport, moved.error), ("native", None))
            self.assertIn("FallbackOptions::upgrade", moved.reason)
            self.assertEqual(client.transport, "native")
            client.send("after the upgrade")
            self.assertEqual(client.receive(timeout=10), "after the upgrade")
            client.close(1000, wait=False)
            events = list(client)
        # One move; no reconnect, no error: the application saw one connection.
        self.assertTrue(changes.empty(), "a transport change after the move")
        self.assertEqual([e for e in events if e.type in ("error", "reconnecting")], [])
        self.assertEqual(self.gateway.stats()["sessions_resumed"], 1)

    def test_with_fallback_upgrade_off_the_connection_stays_emulated(self):
        with tether.FallbackMemory() as memory, tether.Client() as client:
            self.connect_remembered(client, memory, fallback_upgrade=False)
            # The background probe still runs, and tells the memory the WebSocket works again.
            key_line = f" 127.0.0.1:{self.gateway.ws_port}\n"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                memory.save(self.path)
                with open(self.path, encoding="utf-8") as saved:
                    if key_line not in saved.read():
                        break
                time.sleep(0.01)
            client.send("still emulated")
            self.assertEqual(client.receive(timeout=10), "still emulated")
            self.assertEqual(client.transport, "emulated")
            client.close(1000, wait=False)
            list(client)
        self.assertEqual(self.gateway.stats()["sessions_resumed"], 0)

    def test_remember_for_zero_keeps_nothing(self):
        with tether.FallbackMemory() as memory:
            self.open_and_close(fallback_memory=memory, fallback_remember_for=0)
            memory.save(self.path)
        with open(self.path, encoding="utf-8") as saved:
            self.assertNotIn("127.0.0.1", saved.read())

    def test_a_malformed_file_raises_and_changes_nothing(self):
        with open(self.path, "w", encoding="utf-8") as bad:
            bad.write("not a fallback memory\n")
        with tether.FallbackMemory() as memory:
            with self.assertRaises(tether.InvalidArgumentError):
                memory.load(self.path)
            memory.save(self.path)
        with open(self.path, encoding="utf-8") as saved:
            self.assertNotIn("not a fallback", saved.read())


class ControlChannelEventTest(unittest.TestCase):
    """What the library's callbacks for the control channel become in Python, driven through the
    ctypes trampolines the library calls (a gateway that asks for a revalidation or refuses a
    message is the integration tests' business)."""

    def setUp(self):
        self.seen = []
        self.client = tether.Client(on_state=lambda *states: self.seen.append(states),
                                    on_error=self.seen.append, on_revalidation=self.seen.append)
        self.addCleanup(self.client.free)
        self.state, _, self.error, _, _, self.revalidation, *_ = self.client._callbacks

    def test_revalidating_is_a_state(self):
        self.state(None, 3, 6, None)
        self.state(None, 6, 3, None)
        self.assertEqual(self.seen, [("open", "revalidating"), ("revalidating", "open")])
        event = self.client.next_event(timeout=1)
        self.assertEqual((event.type, event.old_state, event.new_state),
                         ("state", "open", "revalidating"))
        self.assertEqual(_library.text(_library.lib.tether_state_name(6)), "Revalidating")

    def test_a_started_revalidation_is_an_event_without_error(self):
        info = _library.RevalidationInfo(0, b"https://gw.example.com/revalidate", 0, 0, b"")
        self.revalidation(None, ctypes.pointer(info), None)
        event = self.client.next_event(timeout=1)
        self.assertEqual(event.type, "revalidation")
        self.assertEqual(event.phase, "started")
        self.assertEqual(event.url, "https://gw.example.com/revalidate")
        self.assertEqual(event.http_status, 0)
        self.assertIsNone(event.error)
        self.assertEqual(self.seen, [event])

    def test_a_failed_revalidation_carries_its_typed_error(self):
        info = _library.RevalidationInfo(2, b"https://gw.example.com/revalidate", 401,
                                         tether.Code.AUTH_FAILED, b"the gateway refused")
        self.revalidation(None, ctypes.pointer(info), None)
        event = self.client.next_event(timeout=1)
        self.assertEqual((event.phase, event.http_status), ("failed", 401))
        self.assertIsInstance(event.error, tether.AuthError)
        self.assertEqual(event.error.message, "the gateway refused")

    def test_a_refused_operation_is_a_not_authorized_error(self):
        self.error(None, tether.Code.NOT_AUTHORIZED, b"send refused: read-only user", 0, None)
        event = self.client.next_event(timeout=1)
        self.assertEqual(event.type, "error")
        self.assertIsInstance(event.error, tether.NotAuthorizedError)
        self.assertEqual(event.error.code, tether.Code.NOT_AUTHORIZED)
        # No refusal is being reported by the library here, so there is no message number.
        self.assertEqual(event.error.message_id, 0)


class ReconnectEventTest(unittest.TestCase):
    """What the library's reconnecting, reconnected and writable callbacks become in Python,
    driven through the ctypes trampolines the library calls (a real drop is ConnectionScenarios'
    test_a_dropped_connection_reconnects_and_the_events_say_so)."""

    def setUp(self):
        self.seen = []
        self.client = tether.Client(on_state=lambda *states: self.seen.append(states),
                                    on_reconnecting=self.seen.append,
                                    on_reconnected=self.seen.append,
                                    on_writable=lambda: self.seen.append("writable"))
        self.addCleanup(self.client.free)
        (self.state, *_, self.reconnecting, self.reconnected, self.writable,
         _transport_changed) = self.client._callbacks

    def test_reconnecting_is_a_state(self):
        self.state(None, 3, 7, None)
        self.state(None, 7, 3, None)
        self.assertEqual(self.seen, [("open", "reconnecting"), ("reconnecting", "open")])
        event = self.client.next_event(timeout=1)
        self.assertEqual((event.type, event.old_state, event.new_state),
                         ("state", "open", "reconnecting"))
        self.assertEqual(_library.text(_library.lib.tether_state_name(7)), "Reconnecting")

    def test_an_attempt_carries_its_number_delay_and_typed_reason(self):
        info = _library.ReconnectAttemptInfo(2, 1500, tether.Code.PEER_UNRESPONSIVE,
                                             b"no pong within 10000 ms", 0)
        self.reconnecting(None, ctypes.pointer(info), None)
        event = self.client.next_event(timeout=1)
        self.assertEqual((event.type, event.attempt, event.delay), ("reconnecting", 2, 1.5))
        self.assertIsInstance(event.error, tether.PeerUnresponsiveError)
        self.assertIsInstance(event.error, TimeoutError)
        self.assertEqual(event.error.message, "no pong within 10000 ms")
        self.assertEqual(self.seen, [event])

    def test_a_resumed_session_has_nothing_unconfirmed(self):
        info = _library.ReconnectedInfo(1, 3, 2, 0, 0)
        self.reconnected(None, ctypes.pointer(info), None)
        event = self.client.next_event(timeout=1)
        self.assertEqual((event.type, event.resumed, event.attempts, event.transport),
                         ("reconnected", True, 3, "emulated"))
        self.assertEqual(list(event.unconfirmed), [])
        self.assertEqual(self.seen, [event])

    def test_a_new_session_names_the_messages_it_may_have_lost(self):
        info = _library.ReconnectedInfo(0, 1, 1, 41, 43)
        self.reconnected(None, ctypes.pointer(info), None)
        event = self.client.next_event(timeout=1)
        self.assertEqual((event.resumed, event.transport), (False, "native"))
        self.assertEqual(list(event.unconfirmed), [41, 42, 43])

    def test_writable_is_an_event_and_a_callback_without_arguments(self):
        self.writable(None, None)
        self.assertEqual(self.client.next_event(timeout=1).type, "writable")
        self.assertEqual(self.seen, ["writable"])


class TransportChangedEventTest(unittest.TestCase):
    """What the library's transport callback becomes in Python, driven through its ctypes
    trampoline (a real upgrade in place is FallbackMemoryTest's
    test_a_resumable_connection_moves_to_the_websocket_once_it_gets_through)."""

    def setUp(self):
        self.seen = []
        self.client = tether.Client(on_transport_changed=self.seen.append)
        self.addCleanup(self.client.free)
        *_, self.transport_changed = self.client._callbacks

    def test_a_fallback_carries_the_native_failure_as_a_typed_error(self):
        info = _library.TransportChangeInfo(2, tether.Code.HANDSHAKE_REJECTED,
                                            b"the WebSocket upgrade was refused with 403", 403)
        self.transport_changed(None, ctypes.pointer(info), None)
        event = self.client.next_event(timeout=1)
        self.assertEqual((event.type, event.transport), ("transport_changed", "emulated"))
        self.assertEqual(event.reason, "the WebSocket upgrade was refused with 403")
        self.assertIsInstance(event.error, tether.HandshakeError)
        self.assertEqual(event.error.http_status, 403)
        self.assertEqual(self.seen, [event])

    def test_the_upgrade_in_place_is_native_without_an_error(self):
        info = _library.TransportChangeInfo(1, tether.Code.OK,
                                            b"moved without a reconnect (FallbackOptions::upgrade)",
                                            0)
        self.transport_changed(None, ctypes.pointer(info), None)
        event = self.client.next_event(timeout=1)
        self.assertEqual((event.transport, event.error), ("native", None))
        self.assertIn("FallbackOptions::upgrade", event.reason)
        self.assertEqual(self.seen, [event])


class FailureTest(unittest.TestCase):
    def test_a_missing_ca_file_raises_at_connect(self):
        with Gateway(gateway_config(pki)) as gateway:
            with tether.Client() as client:
                with self.assertRaises(tether.TlsError) as raised:
                    client.connect(gateway.wss_url("/echo"), ca_file="/nonexistent/ca.pem")
                self.assertEqual(raised.exception.code, tether.Code.TLS_CONFIGURATION)


class MisuseTest(unittest.TestCase):
    def test_sending_before_connecting_raises_invalid_state(self):
        with tether.Client() as client:
            with self.assertRaises(tether.InvalidStateError) as raised:
                client.send("too early")
            self.assertEqual(raised.exception.code, tether.Code.INVALID_STATE)
            self.assertIn("Open", raised.exception.message)

    def test_a_malformed_url_raises_invalid_argument(self):
        with tether.Client() as client:
            with self.assertRaises(tether.InvalidArgumentError):
                client.connect("http://not-a-websocket/")
            self.assertEqual(client.state, "idle")

    def test_bad_option_values_and_names_raise(self):
        with tether.Client() as client:
            with self.assertRaises(tether.InvalidArgumentError):
                client.connect("ws://127.0.0.1:1/", connect_timeout=0)
            with self.assertRaises(tether.InvalidArgumentError):
                client.connect("ws://127.0.0.1:1/", max_queued_bytes=0)
            with self.assertRaises(TypeError):
                client.connect("ws://127.0.0.1:1/", no_such_option=1)
            with self.assertRaises(ValueError):
                client.connect("ws://127.0.0.1:1/", transport="carrier-pigeon")
            with self.assertRaises(tether.InvalidArgumentError) as raised:
                client.connect("ws://127.0.0.1:1/", reconnect=True, reconnect_initial_delay=0)
            self.assertIn("reconnect_initial_delay", raised.exception.message)
            with self.assertRaises(tether.InvalidArgumentError) as raised:
                client.connect("ws://127.0.0.1:1/", reconnect_max_attempts=-1)
            self.assertIn("zero (no limit) or more", raised.exception.message)
            with self.assertRaises(TypeError):
                client.connect("ws://127.0.0.1:1/", reconnect_max_delay="soon")
            with self.assertRaises(TypeError):
                client.connect(b"ws://bytes-url/")
            with self.assertRaises(TypeError):
                client.send(42)

    def test_a_freed_client_raises_and_freeing_twice_is_harmless(self):
        client = tether.Client()
        client.free()
        client.free()
        with self.assertRaises(tether.InvalidStateError):
            _ = client.state
        client.close()  # closing a freed client does nothing

    def test_receive_times_out_with_queue_empty(self):
        with Gateway(gateway_config(pki)) as gateway:
            with tether.Client() as client:
                client.connect(gateway.ws_url("/echo"), **trusting())
                with self.assertRaises(queue.Empty):
                    client.receive(timeout=0.1)


def drain(client):
    events = []
    while True:
        try:
            events.append(client.next_event(timeout=0.5))
        except queue.Empty:
            return events


if __name__ == "__main__":
    unittest.main()
