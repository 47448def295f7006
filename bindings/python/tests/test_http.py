"""tether.HttpClient against the bundled gateway's plain HTTP resources over https: the
scenarios of bindings/c/tests/http_test.cpp, from Python."""

import json
import tempfile
import threading
import unittest

import tether

from .gateway import Gateway, config_with_alice, shared_pki, trusting

pki = None


def setUpModule():
    global pki
    pki = shared_pki()


class Login:
    """An on_challenge handler with fixed answers, recording what it was asked."""

    def __init__(self, user="alice", password="secret", tokens=()):
        self.user = user
        self.password = password
        self.tokens = list(tokens)  # the answer to attempt n is tokens[n - 1]
        self.questions = []

    def __call__(self, challenge):
        self.questions.append(challenge)
        if challenge.kind == "token":
            if challenge.attempt > len(self.tokens):
                challenge.cancel()
            else:
                challenge.answer_token(self.tokens[challenge.attempt - 1])
        else:
            challenge.answer_password(self.user, self.password)


class HttpTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory(prefix="tether-py-http-")
        self.addCleanup(self.directory.cleanup)
        self.http = tether.HttpClient()
        self.addCleanup(self.http.close)

    def start_gateway(self, whoami=None):
        """A gateway with alice/secret whose /whoami service is `whoami`."""
        gateway = Gateway(config_with_alice(pki, self.directory.name, {"/whoami": whoami or {}}))
        self.addCleanup(gateway.stop)
        return gateway

    @staticmethod
    def https(gateway, path):
        return f"https://localhost:{gateway.wss_port}{path}"

    def test_a_get_returns_status_headers_and_body_and_sends_the_jars_cookies(self):
        gateway = self.start_gateway()
        with tether.CookieJar() as jar:
            jar.add_from_string("sid=abc", "https://localhost/")
            response = self.http.request(self.https(gateway, "/echo-cookies"),
                                         **trusting(cookie_jar=jar))
        self.assertEqual(response.status, 200)
        self.assertEqual(response.body, b"sid=abc\n")
        self.assertEqual(response.text, "sid=abc\n")
        self.assertEqual(response.header_values("content-TYPE"), ["text/plain"])

    def test_a_basic_challenge_is_answered_and_the_answer_reused(self):
        gateway = self.start_gateway({"schemes": ["basic"]})
        login = Login()
        url = self.https(gateway, "/whoami")
        response = self.http.request(url, **trusting(on_challenge=login))
        self.assertEqual((response.status, response.text), (200, "alice"))
        self.assertEqual(len(login.questions), 1)
        self.assertEqual(login.questions[0].scheme, "Basic")
        self.assertEqual(login.questions[0].realm, "tether")
        self.assertEqual(self.http.request(url, **trusting(on_challenge=login)).status, 200)
        self.assertEqual(len(login.questions), 1, "the client remembered the accepted answer")

    def test_without_a_handler_the_401_is_the_response_with_its_repeated_headers(self):
        gateway = self.start_gateway({"schemes": ["digest-sha256", "basic"],
                                      "set_cookie_on_challenge": ["first=1; Path=/", "second=2"]})
        response = self.http.request(self.https(gateway, "/whoami"), **trusting())
        self.assertEqual(response.status, 401)
        challenges = response.header_values("WWW-Authenticate")
        self.assertEqual([c.split(" ")[0] for c in challenges], ["Digest", "Basic"])
        self.assertEqual(response.header_values("set-cookie"), ["first=1; Path=/", "second=2"])

    def test_a_wrong_password_raises_an_auth_error_without_the_password(self):
        gateway = self.start_gateway({"schemes": ["basic"]})
        login = Login(password="wrong-password")
        with self.assertRaises(tether.AuthError) as raised:
            self.http.request(self.https(gateway, "/whoami"),
                              **trusting(on_challenge=login, auth_max_attempts=2))
        self.assertEqual(raised.exception.code, tether.Code.AUTH_FAILED)
        self.assertEqual(len(login.questions), 2)
        self.assertNotIn("wrong-password", str(raised.exception))

    def test_a_login_post_stores_the_session_cookie_for_the_websocket(self):
        gateway = self.start_gateway()
        with tether.CookieJar() as jar:
            response = self.http.request(
                self.https(gateway, "/login"), "POST",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                body="username=alice&password=secret", **trusting(cookie_jar=jar))
            self.assertEqual(response.status, 200)
            self.assertTrue(response.header_values("Set-Cookie")[0].startswith("tether_session="))
            self.assertTrue(jar.cookie_header("wss://localhost/echo").startswith(
                "tether_session="))

    def test_a_refused_bearer_token_tells_the_handler_to_refresh_it(self):
        gateway = self.start_gateway({"schemes": ["bearer"]})
        token = json.loads(tether.http_request(
            self.https(gateway, "/token"), "POST",
            headers=[("Content-Type", "application/x-www-form-urlencoded")],
            body=b"username=alice&password=secret", **trusting()).body)["access_token"]
        login = Login(tokens=["expired-token", token])
        response = self.http.request(self.https(gateway, "/whoami"),
                                     **trusting(on_challenge=login))
        self.assertEqual(response.text, "alice")
        self.assertEqual([q.token_error for q in login.questions], ["", "invalid_token"])
        self.assertEqual([q.token_refused for q in login.questions], [False, True])

    def test_a_challenge_answered_later_from_another_thread_is_awaited(self):
        gateway = self.start_gateway({"schemes": ["basic"]})

        def answer_later(challenge):
            threading.Timer(0.05, challenge.answer_password, ("alice", "secret")).start()

        response = self.http.request(self.https(gateway, "/whoami"),
                                     **trusting(on_challenge=answer_later))
        self.assertEqual(response.text, "alice")

    def test_an_untrusted_certificate_raises_a_tls_error(self):
        gateway = self.start_gateway()
        with self.assertRaises(tether.TlsError) as raised:
            self.http.request(self.https(gateway, "/echo-cookies"),
                              **trusting(ca_file=pki.other_ca_cert))
        self.assertEqual(raised.exception.code, tether.Code.TLS_UNTRUSTED_CERTIFICATE)

    def test_misuse_raises(self):
        with self.assertRaises(tether.InvalidArgumentError):
            self.http.request("wss://not-http.example.com/", use_proxy_environment=False)
        with self.assertRaises(tether.InvalidArgumentError):
            self.http.request("https://user:hunter2@localhost:1/")
        with self.assertRaises(tether.InvalidArgumentError):
            self.http.request("https://localhost:1/", timeout=0)
        with self.assertRaises(TypeError):
            self.http.request("https://localhost:1/", no_such_option=1)
        with self.assertRaises(TypeError):
            self.http.request("https://localhost:1/", on_challenge="not callable")
        self.http.close()
        self.http.close()  # twice is harmless
        with self.assertRaises(tether.InvalidStateError):
            self.http.request("https://localhost:1/")


if __name__ == "__main__":
    unittest.main()
