"""The load test's class mode, small: a few students answer every question, nothing is lost.

The full run (30 students, ``python benchmarks/loadtest.py --class``) gives
the README's figures; this one checks that the check itself works and passes.
"""

from __future__ import annotations

import subprocess
import sys

from tests.apptest_utils import ROOT


def test_class_mode_stores_every_answer_and_the_teacher_view_matches() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "loadtest.py"), "--class", "--sessions", "4",
         "--think", "0.2", "0.6", "--refresh", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "answers sent=16 stored=16 students joined=4" in out, out
    assert "nothing lost: YES" in out, out
