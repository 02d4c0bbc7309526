"""Running a child process that file permissions apply to, even when the tests run as root.

Root ignores file permissions (CAP_DAC_OVERRIDE), and the tests may run as root (CI does):
then the child drops that capability first, so the kernel enforces the permission bits on it
as on any student's account.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
from collections.abc import Callable, Sequence

import pytest

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def drop_permission_override() -> None:
    """In a child process before it runs: give up root's power to ignore permissions."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_as_user(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Run ``command`` where file permissions apply; skip the test if that cannot be done."""
    preexec: Callable[[], None] | None = drop_permission_override if os.geteuid() == 0 else None
    try:
        return subprocess.run(
            list(command),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            preexec_fn=preexec,
        )
    except subprocess.SubprocessError as error:  # pragma: no cover - a locked-down container
        pytest.skip(f"cannot make a process that file permissions apply to: {error}")
