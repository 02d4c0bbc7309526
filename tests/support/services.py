"""Tests that need a service this machine may lack (PostgreSQL, a headless browser).

Such a test calls :func:`need` with the service's name and what is missing. On a developer's
machine without the service it is skipped *loudly*: the run ends with a summary line naming
every skipped service, how many tests and why (see ``pytest_terminal_summary`` in
``conftest.py``). Where the service's variable says ``required`` (CI sets it), the same call
fails the test instead, so a run can never pass because something it checks was absent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

#: The prefix that marks a skip as a missing service, for the end-of-run summary.
MARK = "needs service"


@dataclass(frozen=True)
class Service:
    """A service some tests need: its name, the variable that makes it required, and how
    a developer gets it."""

    name: str
    required_env: str
    how: str


POSTGRES = Service(
    "PostgreSQL",
    "QUIZAPP_PG_TESTS",
    "start a server and set QUIZAPP_TEST_POSTGRES=postgresql://USER@HOST/DB (see README)",
)
BROWSER = Service(
    "headless Chromium",
    "QUIZAPP_E2E",
    "install Debian's chromium and Python's playwright (see README)",
)


def required(service: Service) -> bool:
    """Whether this run must not skip the service's tests (``VAR=required``)."""
    return os.environ.get(service.required_env, "").strip().lower() == "required"


def need(service: Service, missing: str | None) -> None:
    """Skip (loudly) or fail the calling test when ``missing`` says what is absent; do nothing
    when it is None (the service is there)."""
    if missing is None:
        return
    if required(service):
        pytest.fail(
            f"{service.name} is required here ({service.required_env}=required) but {missing}",
            pytrace=False,
        )
    pytest.skip(f"{MARK}: {service.name}: {missing}; to run these tests, {service.how}")
