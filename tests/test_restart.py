"""The deployment restarts a dead server: deploy/serve.sh (the container's command) starts it again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
            return answer.read() == b"ok"
    except OSError:
        return False


def _wait(condition, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def _children(pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def test_a_server_that_dies_is_started_again(tmp_path: Path) -> None:
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    supervisor = subprocess.Popen(
        ["bash", str(ROOT / "deploy" / "serve.sh")],
        env={**os.environ, "PYTHON": sys.executable, "PORT": str(port), "ADDRESS": "127.0.0.1", "HF_HUB_OFFLINE": "1"},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        assert _wait(lambda: _healthy(port)), (tmp_path / "serve.log").read_text()[-2000:]
        (first,) = _children(supervisor.pid)
        os.kill(first, signal.SIGSEGV)  # as a crash in native code would end it
        assert _wait(lambda: not _healthy(port), 30)
        assert _wait(lambda: _healthy(port)), (tmp_path / "serve.log").read_text()[-2000:]
        (second,) = _children(supervisor.pid)
        assert second != first
        assert "starting it again" in (tmp_path / "serve.log").read_text()
        # A stop request ends the loop and the server with it.
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
        assert _wait(lambda: not _healthy(port), 30)
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
        log.close()
