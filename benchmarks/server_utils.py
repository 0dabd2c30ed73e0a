"""Start and measure a local app server for benchmarks (loopback only)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{url} did not become healthy in {timeout:.0f} s")


def start_streamlit(port: int, *, env: dict[str, str] | None = None, log=subprocess.DEVNULL) -> subprocess.Popen:
    """``streamlit run dashboard.py`` on 127.0.0.1:port, hosting settings on."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none",
            "--server.runOnSave", "false",
            "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def running_server(url: str | None = None, env: dict[str, str] | None = None) -> Iterator[tuple[str, int | None]]:
    """Yield (base URL, server pid). With ``url``, use that server (pid unknown)."""
    if url:
        yield url.rstrip("/"), None
        return
    port = free_port()
    proc = start_streamlit(port, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, proc=proc)
        yield base, proc.pid
    finally:
        stop(proc)


def rss_mb(pid: int | None) -> float:
    """Resident memory of a process in MB (NaN if unknown)."""
    if pid is None:
        return float("nan")
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def children_rss_mb(pid: int | None) -> float:
    """Resident memory of a process's direct children in MB (the worker process), 0 if none."""
    if pid is None:
        return float("nan")
    total = 0.0
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            for child in task.read_text().split():
                value = rss_mb(int(child))
                total += 0.0 if value != value else value
        except OSError:
            pass
    return total
