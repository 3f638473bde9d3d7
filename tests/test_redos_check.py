"""The ReDoS check .ci/run makes of every regular expression (.ci/redos.py): it sees what regexploit alone misses."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytest.importorskip("regexploit", reason="the ReDoS analyser comes with the test extra (pip install -e '.[test]')")

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("redos_check", ROOT / ".ci" / "redos.py")
assert _spec is not None and _spec.loader is not None
redos = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = redos  # dataclasses look their module up
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # regexploit imports sre_parse
    _spec.loader.exec_module(redos)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(?:a+)+$",
        r"\s*\s*\s*x",
        # issue 12's caption: exponential inside a lookahead, in a bounded repeat (regexploit alone sees neither)
        r"^\W*pictured:(?=(?:\W*\w+){1,12}\W*$)",
        r"^(?:published|updated)\s*(?:on|at)?\s*[:.]?\s*.{0,60}\d.{0,60}$",
        r"(?!(?:\w+\s?)+$)x",
    ],
)
def test_a_catastrophic_pattern_is_a_finding(pattern):
    assert redos.findings(pattern, 0)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\W*pictured:(?=\W*\w+(?:\W+\w+){0,11}\W*$)",
        r"^(?:published|updated)\s*(?:(?:on|at)\s*)?(?:[:.]\s*)?.{0,60}\d.{0,60}$",
        r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>",
        r"[^\W_]+(?:['’\-][^\W_]+)*",
    ],
)
def test_a_linear_pattern_is_not(pattern):
    assert redos.findings(pattern, 0) == []


@pytest.mark.slow
def test_the_project_has_no_finding():
    result = subprocess.run([sys.executable, str(ROOT / ".ci" / "redos.py")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 finding(s)" in result.stdout
