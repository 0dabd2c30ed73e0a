"""Scale-out: two replicas behind Debian's nginx keep every session on one replica.

Runs deploy/check_scale_out.py, which starts the replicas and nginx on
loopback with deploy/nginx.conf and checks stickiness (HTTP, websocket and
reconnect agree), that both replicas take sessions, and that every page works
through the balancer; with PostgreSQL installed, also that a live class spans
both replicas and one teacher's view counts every student.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_sessions_stick_to_one_replica_behind_nginx() -> None:
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        reason = "nginx not installed (apt-get install -y nginx)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "check_scale_out.py"), "--browsers", "8"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "scale-out check: PASSED" in out
    assert out.count("(HTTP, websocket, reconnect agree)") == 8
    # The live class across both replicas, on a PostgreSQL started for the check.
    from benchmarks.postgres_server import find_bin_dir

    if find_bin_dir() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but PostgreSQL is not installed (apt-get install -y postgresql)", pytrace=False)
        return
    assert "live class: 8 students voted on replicas" in out, out
