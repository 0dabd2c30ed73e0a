"""Module-level jobs for tests/test_worker.py (a spawned worker must be able to import them)."""

from __future__ import annotations

import os
import signal
import time


def add(a: int, b: int) -> int:
    return a + b


def pid() -> int:
    return os.getpid()


def fail(message: str) -> None:
    raise ValueError(message)


def crash() -> None:
    """Die as native code does when it crashes (SIGSEGV: exit code -11)."""
    os.kill(os.getpid(), signal.SIGSEGV)


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def stamped_sleep(seconds: float, tag: str) -> tuple[str, int]:
    """Sleep, then say which process ran it and when (to tell one run from two)."""
    time.sleep(seconds)
    return tag, time.monotonic_ns()


def count_up(n: int, on_progress=None) -> int:
    for i in range(1, n + 1):
        if on_progress is not None:
            on_progress(i, n)
    return n


def wait_for(path: str, limit: float = 60.0) -> str:
    """Hold the worker until the file ``path`` exists (a test releases it by creating the file)."""
    from pathlib import Path

    deadline = time.monotonic() + limit
    while not Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return path


class Picky(Exception):
    """An exception pickle cannot rebuild (two required arguments): pebble's pool broke on one."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def raise_picky() -> None:
    raise Picky("x", 1)
