"""The package's view of the library: version, codes, exceptions, and the cookie jar."""

import os
import tempfile
import unittest

import tether


class LibraryTest(unittest.TestCase):
    def test_version_is_the_libraries(self):
        self.assertRegex(tether.version(), r"^\d+\.\d+\.\d+$")

    def test_every_code_maps_to_its_family(self):
        self.assertIsInstance(tether.error_for(tether.Code.TLS_PIN_MISMATCH), tether.TlsError)
        self.assertIsInstance(tether.error_for(tether.Code.CONNECT_TIMEOUT), TimeoutError)
        self.assertIsInstance(tether.error_for(tether.Code.INVALID_ARGUMENT), ValueError)
        self.assertIsInstance(tether.error_for(tether.Code.FILE_ACCESS_FAILED), OSError)
        self.assertIsInstance(tether.error_for(tether.Code.WOULD_BLOCK), BlockingIOError)
        self.assertIsInstance(tether.error_for(tether.Code.OUT_OF_MEMORY), MemoryError)
        self.assertIsInstance(tether.error_for(tether.Code.AUTH_FAILED), tether.AuthError)
        self.assertIsInstance(tether.error_for(tether.Code.AUTH_EXPIRED), tether.AuthError)
        unresponsive = tether.error_for(tether.Code.PEER_UNRESPONSIVE)
        self.assertIsInstance(unresponsive, tether.PeerUnresponsiveError)
        self.assertIsInstance(unresponsive, TimeoutError)
        refused = tether.error_for(tether.Code.NOT_AUTHORIZED, "send refused", 0, 7)
        self.assertIsInstance(refused, tether.NotAuthorizedError)
        self.assertIsInstance(refused, PermissionError)
        self.assertEqual(refused.message_id, 7)
        self.assertEqual(tether.error_for(tether.Code.CONNECTION_LOST).message_id, 0)
        unknown = tether.error_for(4242, "from the future")
        self.assertIs(type(unknown), tether.TetherError)
        self.assertEqual(unknown.code, 4242)
        for code in tether.Code:
            if code != tether.Code.OK:
                error = tether.error_for(code, "detail", 401)
                self.assertIsInstance(error, tether.TetherError)
                self.assertEqual(error.code, code)
                self.assertEqual(error.http_status, 401)
                self.assertIn("detail", str(error))
                self.assertNotIn("unknown tether_code", str(error))


class CookieJarTest(unittest.TestCase):
    def test_a_cookie_round_trips_through_a_file(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "cookies.txt")
            with tether.CookieJar() as jar:
                jar.add_from_string("sid=abc", "wss://gw.example.com/")
                jar.set_from_response("https://gw.example.com/login", "pref=dark; Max-Age=3600")
                self.assertEqual(jar.cookie_header("wss://gw.example.com/echo"),
                                 "sid=abc; pref=dark")
                jar.save(path, include_session_cookies=True)
            with tether.CookieJar() as loaded:
                loaded.load(path)
                self.assertEqual(loaded.cookie_header("wss://gw.example.com/"),
                                 "sid=abc; pref=dark")
                loaded.clear()
                self.assertEqual(loaded.cookie_header("wss://gw.example.com/"), "")

    def test_a_long_header_grows_the_buffer(self):
        with tether.CookieJar() as jar:
            for i in range(40):
                jar.add_from_string(f"name{i}={'v' * 40}", "ws://h/")
            self.assertEqual(len(jar.cookie_header("ws://h/").split("; ")), 40)

    def test_failures_are_typed(self):
        with tempfile.TemporaryDirectory() as directory:
            corrupt = os.path.join(directory, "corrupt.txt")
            with open(corrupt, "w") as file:
                file.write("not a cookie line\n")
            with tether.CookieJar() as jar:
                with self.assertRaises(tether.CookieError) as raised:
                    jar.load(corrupt)
                self.assertEqual(raised.exception.code, tether.Code.COOKIE_FILE_CORRUPT)
                self.assertIn("corrupt.txt", raised.exception.message)
                with self.assertRaises(tether.CookieError):
                    jar.set_from_response("https://a.example.com/", "x=1; Domain=other.org")
                with self.assertRaises(tether.FileAccessError):
                    jar.save("/nonexistent-dir/cookies.txt")
                with self.assertRaises(TypeError):
                    jar.add_from_string(None, "ws://h/")

    def test_a_jar_given_to_connect_outlives_its_python_object(self):
        jar = tether.CookieJar()
        jar.add_from_string("sid=abc", "ws://127.0.0.1/")
        with tether.Client() as client:
            with self.assertRaises(tether.NetworkError):
                client.connect("ws://127.0.0.1:1/echo", cookie_jar=jar,
                               use_proxy_environment=False, timeout=10)
            jar.close()
        jar.close()  # twice is harmless


if __name__ == "__main__":
    unittest.main()
