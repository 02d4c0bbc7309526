"""Each benchmark runs on tiny input and prints its figures (performance itself is measured
by running them, never asserted here)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks import __main__ as bench_all
from benchmarks.common import Figure


def test_every_benchmark_runs_quick_and_prints_one_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    figures = bench_all.main(["--quick"])
    out = capsys.readouterr().out
    measured = [f for f in figures if not math.isnan(f.value_ms)]
    names = " ".join(f.name for f in measured)
    for expected in (
        "start to lesson list",
        "key to next card painted",
        "Enter to next question painted",
        "validate",
        "record one answer durably",
        "class gradebook",
        "merge 2 files of 20 attempts",
        "report one lesson",
        "export answers",
        "scores for one student",
        "class view filled",
        "next lesson's analysis",
        "serve: Enter to answer committed",
        "writers at once, SQLite",
    ):
        assert expected in names
    lost = [f for f in measured if f.name.strip().startswith("answers lost")]
    assert lost and all(f.value_ms == 0 for f in lost)  # concurrent writers lose nothing
    assert all(f.value_ms > 0 for f in measured if f not in lost)
    assert all(isinstance(f, Figure) for f in figures)
    assert "ratio" in out.splitlines()[3] or any("ratio" in line for line in out.splitlines())
