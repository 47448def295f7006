"""tether.Client against the bundled gateway: the scenarios of bindings/c/tests/client_test.cpp,
from Python."""

import queue
import tempfile
import threading
import unittest

import tether

from .gateway import Gateway, Pki, gateway_config

_pki_directory = None
pki = None


def setUpModule():
    global _pki_directory, pki
    _pki_directory = tempfile.TemporaryDirectory(prefix="tether-py-pki-")
    pki = Pki(_pki_directory.name)


def tearDownModule():
    _pki_directory.cleanup()


def trusting(**options):
    options.setdefault("ca_file", pki.ca_cert)
    options.setdefault("use_proxy_environment", False)
    return options


class EchoTest(unittest.TestCase):
    def setUp(self):
        self.gateway = Gateway(gateway_config(pki))
        self.addCleanup(self.gateway.stop)

    def check_echo(self, url):
        with tether.Client() as client:
            client.connect(url, **trusting())
            self.assertEqual(client.state, "open")
            self.assertEqual(client.transport, "native")
            client.send("hello, gateway")
            self.assertEqual(client.receive(timeout=10), "hello, gateway")
            client.send(b"\x00\x01\xff")
            self.assertEqual(client.receive(timeout=10), b"\x00\x01\xff")
        with self.assertRaises(tether.InvalidStateError):  # the with block freed it
            client.send("after the with block")

    def test_text_and_binary_echo_over_ws(self):
        self.check_echo(self.gateway.ws_url("/echo"))

    def test_text_and_binary_echo_over_wss(self):
        self.check_echo(self.gateway.wss_url("/echo"))

    def test_events_arrive_in_order_and_the_iterator_ends_with_close(self):
        client = tether.Client()
        self.addCleanup(client.free)
        client.connect(self.gateway.ws_url("/echo"), **trusting())
        client.send("one")
        self.assertEqual(client.receive(timeout=10), "one")
        client.close(1000, "bye", wait=False)
        events = list(client)
        self.assertEqual(events[-1].type, "close")
        self.assertEqual(events[-1].close_code, 1000)
        self.assertIsNone(events[-1].error)
        states = [e.new_state for e in events if e.type == "state"]
        self.assertEqual(states, ["closing", "closed"])
        self.assertEqual(client.state, "closed")

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
        client.connect(self.gateway.ws_url("/echo"), **trusting())
        client.send("1")
        self.assertTrue(done.wait(10))
        self.assertEqual(received, [str(i) for i in range(1, 21)])

    def test_close_and_free_from_inside_a_callback(self):
        closed = threading.Event()
        client = tether.Client()

        def on_message(_data):
            client.close(4000, "from the callback", wait=False)

        def on_close(event):
            self.assertEqual(event.close_code, 4000)
            client.free()
            closed.set()

        client.on_message = on_message
        client.on_close = on_close
        client.connect(self.gateway.ws_url("/echo"), **trusting())
        client.send("x")
        self.assertTrue(closed.wait(10))
        with self.assertRaises(tether.InvalidStateError):
            client.send("after free")

    def test_subprotocol_is_reported(self):
        with Gateway(gateway_config(pki, subprotocols=["chat.v2"])) as gateway:
            with tether.Client() as client:
                client.connect(gateway.ws_url("/echo"), subprotocols=["chat.v2"], **trusting())
                self.assertEqual(client.subprotocol, "chat.v2")


class FailureTest(unittest.TestCase):
    def setUp(self):
        self.gateway = Gateway(gateway_config(pki))
        self.addCleanup(self.gateway.stop)

    def test_an_untrusted_certificate_raises_a_tls_error(self):
        with tether.Client() as client:
            with self.assertRaises(tether.TlsError) as raised:
                client.connect(self.gateway.wss_url("/echo"), ca_file=pki.other_ca_cert,
                               use_proxy_environment=False)
            self.assertEqual(raised.exception.code, tether.Code.TLS_UNTRUSTED_CERTIFICATE)
            self.assertTrue(raised.exception.message)
            error_events = [e for e in drain(client) if e.type == "error"]
            self.assertEqual(error_events[0].error.code, tether.Code.TLS_UNTRUSTED_CERTIFICATE)

    def test_a_refused_upgrade_raises_a_handshake_error_with_the_status(self):
        with Gateway(gateway_config(pki, faults={"refuse_upgrade_status": 403})) as gateway:
            with tether.Client() as client:
                with self.assertRaises(tether.HandshakeError) as raised:
                    client.connect(gateway.ws_url("/echo"), **trusting())
                self.assertEqual(raised.exception.http_status, 403)

    def test_a_missing_ca_file_raises_at_connect(self):
        with tether.Client() as client:
            with self.assertRaises(tether.TlsError) as raised:
                client.connect(self.gateway.wss_url("/echo"), ca_file="/nonexistent/ca.pem")
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
            with self.assertRaises(TypeError):
                client.connect("ws://127.0.0.1:1/", no_such_option=1)
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

    def test_a_closed_connection_ends_receive_with_an_error(self):
        with Gateway(gateway_config(pki, faults={"close_after_messages": 1})) as gateway:
            with tether.Client() as client:
                client.connect(gateway.ws_url("/echo"), **trusting())
                client.send("only one")
                self.assertEqual(client.receive(timeout=10), "only one")
                with self.assertRaises(tether.TetherError):
                    client.receive(timeout=10)

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
