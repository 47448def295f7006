"""tether.set_log_callback: the library's log lines, at or above a level, in Python, with no
credentials in them."""

import contextlib
import io
import sys
import tempfile
import threading
import unittest
from pathlib import Path

import tether

from .gateway import Gateway, gateway_config, shared_pki, write_users_file

pki = None


def setUpModule():
    global pki
    pki = shared_pki()


class Lines:
    def __init__(self):
        self.lock = threading.Lock()
        self.lines = []

    def __call__(self, level, line):
        with self.lock:
            self.lines.append((level, line))

    def copy(self):
        with self.lock:
            return list(self.lines)


VERIFICATION_OFF = "verification is disabled"


class LogTest(unittest.TestCase):
    def setUp(self):
        self.lines = Lines()
        # The sink is process-wide: leave one that writes to stderr, like the library's default.
        self.addCleanup(tether.set_log_callback,
                        lambda level, line: sys.stderr.write(f"tether: {line}\n"))

    def connect_unverified(self, gateway, path="/echo", **options):
        with tether.Client() as client:
            client.connect(gateway.wss_url(path), verify_peer=False, use_proxy_environment=False,
                           **options)

    def test_a_warning_reaches_the_callback_with_its_level(self):
        tether.set_log_callback(self.lines, "warning")
        with Gateway(gateway_config(pki)) as gateway:
            self.connect_unverified(gateway)
        warnings = [line for level, line in self.lines.copy() if level == "warning"]
        self.assertTrue(any(VERIFICATION_OFF in line for line in warnings), self.lines.copy())

    def test_lines_below_the_level_are_not_delivered(self):
        tether.set_log_callback(self.lines, "error")
        with Gateway(gateway_config(pki)) as gateway:
            self.connect_unverified(gateway)
        self.assertFalse(any(VERIFICATION_OFF in line for _, line in self.lines.copy()))

    def test_none_silences_the_library(self):
        tether.set_log_callback(self.lines, "debug")
        tether.set_log_callback(None)
        with Gateway(gateway_config(pki)) as gateway:
            self.connect_unverified(gateway)
        self.assertEqual(self.lines.copy(), [])

    def test_a_callback_that_raises_is_reported_and_the_connection_goes_on(self):
        def broken(level, line):
            raise RuntimeError("a bug in the application's log callback")

        tether.set_log_callback(broken)
        report = io.StringIO()
        with Gateway(gateway_config(pki)) as gateway, contextlib.redirect_stderr(report):
            self.connect_unverified(gateway)
        self.assertIn("a bug in the application's log callback", report.getvalue())

    def test_bad_arguments_raise(self):
        with self.assertRaises(ValueError):
            tether.set_log_callback(self.lines, "loud")
        with self.assertRaises(TypeError):
            tether.set_log_callback("not callable")

    def test_credentials_never_appear_even_at_debug_level(self):
        for transport in ("native", "emulated"):
            with self.subTest(transport=transport):
                self.lines = Lines()
                self.check_no_credentials_in_the_log(transport)

    def check_no_credentials_in_the_log(self, transport):
        password = "correct-horse-battery"
        with tempfile.TemporaryDirectory() as directory:
            users_file = Path(directory) / "users.json"
            write_users_file(users_file, {"alice": password})
            service = {"schemes": ["basic"], "set_cookie_on_challenge": ["x=1; Domain=other.test"]}
            config = gateway_config(pki, auth={"users_file": str(users_file)},
                                    services={"/echo": service, "/whoami": service})
            tether.set_log_callback(self.lines, "debug")
            with Gateway(config) as gateway, tether.CookieJar() as jar:
                answer = lambda challenge: challenge.answer_password("alice", password)
                self.connect_unverified(gateway, on_challenge=answer, cookie_jar=jar,
                                        transport=transport)
                response = tether.http_request(
                    f"https://localhost:{gateway.wss_port}/whoami", verify_peer=False,
                    use_proxy_environment=False, on_challenge=answer)
                self.assertEqual(response.text, "alice")
        lines = self.lines.copy()
        self.assertGreaterEqual(len(lines), 2, "both requests turned verification off")
        self.assertIn("debug", [level for level, _ in lines])
        for _, line in lines:
            self.assertNotIn(password, line)
            self.assertNotIn("YWxpY2U6Y29ycmVjdC1ob3JzZS1iYXR0ZXJ5", line)  # alice:password

if __name__ == "__main__":
    unittest.main()
