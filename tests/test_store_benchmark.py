"""Smoke test of benchmarks/store.py on tiny input: it runs and prints a median per line.
(Performance itself is measured by running the script, never asserted here.)"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "store.py"


def test_store_benchmark_runs_quick(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("store_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--quick", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    timed = re.findall(r"^(.+?)\s+(\d+\.\d{3}) ms", out, flags=re.MULTILINE)
    labels = [label for label, _ in timed]
    assert any("record one answer durably" in label for label in labels)
    assert any("history" in label for label in labels)
    assert any("gradebook" in label for label in labels)
    assert all(float(ms) > 0 for _, ms in timed)
    assert list(tmp_path.iterdir()) == []  # its temporary databases are cleaned up
