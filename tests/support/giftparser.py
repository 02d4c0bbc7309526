"""An independent GIFT parser for the tests: gift-pegjs (npm, MIT), run with Node.

``make test`` installs it into ``.venv/gift-pegjs`` when npm is there. Without Node or the
parser the tests that need it are skipped with a loud reason, and under CI (``$CI`` set)
they fail instead, so a missing parser never passes for a clean result.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

from tests.support.lessons import REPO

PARSER_DIR = REPO / ".venv" / "gift-pegjs"
_SCRIPT = (
    "const p = require('gift-pegjs');"
    "let s = ''; process.stdin.setEncoding('utf8');"
    "process.stdin.on('data', d => s += d);"
    "process.stdin.on('end', () => {"
    " try { process.stdout.write(JSON.stringify(p.parse(s))); }"
    " catch (e) { process.stdout.write(JSON.stringify({error: String(e.message),"
    " location: e.location})); } });"
)
# gift-pegjs leaves its escape placeholders in a matching pair's right-hand side (its
# PlainText rule skips the decoding its RichText rule does); decode them as it would.
_PLACEHOLDERS = {
    "&&092;": "\\",
    "&&058;": ":",
    "&&035;": "#",
    "&&061;": "=",
    "&&123;": "{",
    "&&125;": "}",
    "&&126;": "~",
    "&&010": "\n",
}


def _unavailable(reason: str) -> None:
    message = f"GIFT INTEROPERABILITY NOT TESTED: {reason} (run `make gift-parser`)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def parse_gift(text: str) -> list[dict[str, Any]]:
    """GIFT text as gift-pegjs reads it: one dict per question or category."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed")
    if not (PARSER_DIR / "node_modules" / "gift-pegjs").is_dir():
        _unavailable(f"gift-pegjs is not installed in {PARSER_DIR}")
    done = subprocess.run(
        [str(node), "-e", _SCRIPT],
        input=text,
        capture_output=True,
        text=True,
        cwd=PARSER_DIR,
        env={**os.environ, "NODE_PATH": str(PARSER_DIR / "node_modules")},
        timeout=60,
        check=True,
    )
    parsed = json.loads(done.stdout)
    if isinstance(parsed, dict):
        raise AssertionError(f"gift-pegjs rejects the file: {parsed}")
    return list(parsed)


def plain(text: str) -> str:
    """A matching pair's right-hand side with gift-pegjs's placeholders decoded."""
    for placeholder, char in _PLACEHOLDERS.items():
        text = text.replace(placeholder, char)
    return text
