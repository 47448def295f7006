"""The bundled tether-gateway for the Python tests: a throw-away PKI made with the openssl
command-line tool, its users file, and the gateway run as a child process (docs/gateway.md).
The C++ tests have the same helpers in tests/support (Pki, write_users_file, Gateway), which
Python cannot call.

TETHER_GATEWAY names the gateway executable (ctest sets it)."""

import atexit
import hashlib
import json
import secrets
import os
import select
import shutil
import signal
import subprocess
import tempfile
import urllib.request
from pathlib import Path


def _openssl(*arguments, cwd):
    subprocess.run(["openssl", *arguments], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


class Pki:
    """A test CA, a localhost server certificate it signed, and another CA that signed nothing.
    ECDSA P-256, valid for 30 days. Every attribute is an absolute path (str)."""

    def __init__(self, directory):
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name in ("ca", "other_ca"):
            _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "30",
                     "-subj", f"/CN=Tether Python test {name}",
                     "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory)
        (directory / "server.ext").write_text(
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost",
                 cwd=directory)
        _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", "server.pem", "-days", "30",
                 "-extfile", "server.ext", cwd=directory)
        self.ca_cert = str(directory / "ca.pem")
        self.other_ca_cert = str(directory / "other_ca.pem")
        self.server_cert = str(directory / "server.pem")
        self.server_key = str(directory / "server.key")


_shared_pki = None


def shared_pki():
    """The run's Pki, made on first use in a directory removed at exit, as tests/support's
    shared_pki() is for the C++ tests."""
    global _shared_pki
    if _shared_pki is None:
        directory = tempfile.TemporaryDirectory(prefix="tether-py-pki-")
        atexit.register(directory.cleanup)
        _shared_pki = Pki(directory.name)
    return _shared_pki


def trusting(**options):
    """Client.connect() or HttpClient.request() options that trust shared_pki()'s CA and ignore
    any proxy in the environment, `options` merged in."""
    options.setdefault("ca_file", shared_pki().ca_cert)
    options.setdefault("use_proxy_environment", False)
    return options


def write_users_file(path, passwords_by_user, realm="tether"):
    """The gateway's users file (docs/gateway.md, "The users file") for these users: a salted
    SHA-256 for Basic, /token and /login, and the Digest HA1 and userhash for `realm`, which must
    be the config's auth.realm."""
    users = {}
    for user, password in passwords_by_user.items():
        salt = secrets.token_hex(16)
        digest = {}
        for name, algorithm in (("MD5", "md5"), ("SHA-256", "sha256")):
            digest[name] = {
                "ha1": hashlib.new(algorithm, f"{user}:{realm}:{password}".encode()).hexdigest(),
                "userhash": hashlib.new(algorithm, f"{user}:{realm}".encode()).hexdigest(),
            }
        users[user] = {"salt": salt,
                       "sha256": hashlib.sha256((salt + password).encode()).hexdigest(),
                       "digest": digest}
    Path(path).write_text(json.dumps({"realm": realm, "users": users}))


class GatewayStartError(RuntimeError):
    pass


class Gateway:
    """tether-gateway with `config` (a dict, the JSON of --config), ws and wss on ports the OS
    chooses. Use as a context manager, or call stop()."""

    def __init__(self, config, executable=None):
        self.executable = executable or os.environ.get("TETHER_GATEWAY")
        if not self.executable:
            raise GatewayStartError("TETHER_GATEWAY is not set (ctest sets it)")
        self._directory = tempfile.mkdtemp(prefix="tether-py-gateway-")
        config_path = Path(self._directory) / "gateway.json"
        config_path.write_text(json.dumps(config))
        self._stderr_path = Path(self._directory) / "stderr.txt"
        self._ready = False
        with open(self._stderr_path, "wb") as stderr:
            self._process = subprocess.Popen(
                [self.executable, "--config", str(config_path)], stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=stderr)
        line = self._read_ready_line(10.0)
        ready = json.loads(line)
        if ready.get("event") != "ready":
            self.stop()
            raise GatewayStartError(f"unexpected first line from the gateway: {line!r}")
        self.ws_port = ready["ws_port"]
        self.wss_port = ready.get("wss_port")
        self._control_secret = ready["control_secret"]
        self._ready = True

    def _read_ready_line(self, timeout):
        readable, _, _ = select.select([self._process.stdout], [], [], timeout)
        line = self._process.stdout.readline() if readable else b""
        if not line:
            self.stop()
            raise GatewayStartError("the gateway did not report ready: "
                                    + self._stderr_path.read_text(errors="replace"))
        return line.decode()

    def ws_url(self, path):
        return f"ws://127.0.0.1:{self.ws_port}{path}"

    def wss_url(self, path, host="localhost"):
        return f"wss://{host}:{self.wss_port}{path}"

    def stats(self):
        """The gateway's counters (docs/gateway.md, "/_stats"), from its ws port, bypassing any
        proxy in the environment."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"http://127.0.0.1:{self.ws_port}/_stats", timeout=10) as response:
            return json.loads(response.read())

    def control(self, action, **fields):
        """Does `action` through POST /_control (docs/gateway.md), e.g. control("revalidate") or
        control("revoke", user="alice", service="/echo", right="send"); returns its JSON answer."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.ws_port}/_control", method="POST",
            data=json.dumps({"action": action, **fields}).encode(),
            headers={"Tether-Control-Secret": self._control_secret})
        with opener.open(request, timeout=10) as response:
            return json.loads(response.read())

    def stop(self):
        """Stops the gateway. One that had stopped on its own after it was ready (a crash, a
        sanitizer's report) raises, with its standard error, so that the test says why its
        requests found nobody listening."""
        status = self._process.poll()
        died = None
        if status is not None and self._ready:
            died = (f"the gateway exited on its own with status {status}; its stderr:\n"
                    + self._stderr_path.read_text(errors="replace"))
        if status is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process.stdout.close()
        shutil.rmtree(self._directory, ignore_errors=True)
        self._ready = False
        if died:
            raise RuntimeError(died)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def gateway_config(pki, **extra):
    """ws and wss with the PKI's localhost certificate, `extra` keys merged over it."""
    config = {"ws_port": 0, "wss_port": 0,
              "tls": {"certificate": pki.server_cert, "private_key": pki.server_key}}
    config.update(extra)
    return config


def config_with_alice(pki, directory, services, **extra):
    """gateway_config() with a users file, written into `directory`, in which alice's password is
    "secret", and with `services` (docs/gateway.md), e.g. {"/echo": {"schemes": ["basic"]}}."""
    users_file = Path(directory) / "users.json"
    write_users_file(users_file, {"alice": "secret"})
    return gateway_config(pki, auth={"users_file": str(users_file)}, services=services, **extra)
