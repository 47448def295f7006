"""The complete program of docs/python.md, taken from the page as it stands and run as a user would
run it, against the bundled gateway whose /echo asks for Basic credentials: the page's example
cannot go stale."""

import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from .gateway import Gateway, config_with_alice, shared_pki

PAGE = Path(__file__).resolve().parents[3] / "docs" / "python.md"


def complete_program():
    """The first ```python block after the heading "## A complete program"."""
    text = PAGE.read_text()
    section = text[text.index("\n## A complete program\n"):]
    return re.search(r"^```python\n(.*?)^```$", section, re.M | re.S).group(1)


class DocsExampleTest(unittest.TestCase):
    def setUp(self):
        directory = tempfile.TemporaryDirectory(prefix="tether-py-docs-")
        self.addCleanup(directory.cleanup)
        self.program = Path(directory.name) / "login_echo.py"
        self.program.write_text(complete_program())
        self.gateway = Gateway(config_with_alice(shared_pki(), directory.name,
                                                 {"/echo": {"schemes": ["basic"]}}))
        self.addCleanup(self.gateway.stop)
        self.url = self.gateway.wss_url("/echo")

    def run_program(self, password):
        environment = dict(os.environ, TETHER_PASSWORD=password, no_proxy="*")
        return subprocess.run([sys.executable, str(self.program), self.url,
                               shared_pki().ca_cert, "alice", "hello from the docs"],
                              env=environment, capture_output=True, text=True, timeout=60)

    def test_the_program_answers_from_its_main_thread_and_prints_the_echo(self):
        result = self.run_program("secret")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout.splitlines(), [
            f"login asked: Basic realm 'tether' for {self.url}",
            "open over the native transport",
            "received: hello from the docs",
        ])
        self.assertEqual(self.gateway.stats()["upgrades_authenticated"], {"basic": 1})

    def test_a_refused_password_is_not_sent_again_and_the_program_exits_1(self):
        result = self.run_program("wrong")
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(result.stdout.count("login asked: Basic"), 2, result.stdout)
        self.assertIn("failed: ", result.stderr)
        self.assertNotIn("received:", result.stdout)
        self.assertEqual(self.gateway.stats()["upgrades_authenticated"], {})


if __name__ == "__main__":
    unittest.main()
