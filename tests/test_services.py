"""The guard for service tests: skipped loudly on a machine without the service, failed where
the run says the service is required."""

from __future__ import annotations

import pytest

from tests.support.lessons import REPO
from tests.support.services import POSTGRES, need

pytest_plugins = ["pytester"]


def test_a_present_service_does_nothing() -> None:
    need(POSTGRES, None)


def test_a_missing_service_skips_and_the_summary_says_why(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest("from tests.conftest import pytest_terminal_summary  # noqa: F401\n")
    pytester.makepyfile(
        "from tests.support.services import POSTGRES, need\n"
        "def test_pg():\n"
        "    need(POSTGRES, 'no server answered at localhost:5432')\n"
    )
    monkeypatch.delenv(POSTGRES.required_env, raising=False)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["*tests skipped for a missing service*", "SKIPPED 1 test(s): PostgreSQL: no server*"]
    )


def test_a_required_service_that_is_missing_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        "from tests.support.services import POSTGRES, need\n"
        "def test_pg():\n"
        "    need(POSTGRES, 'no server answered')\n"
    )
    monkeypatch.setenv(POSTGRES.required_env, "required")
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*PostgreSQL is required here*"])
