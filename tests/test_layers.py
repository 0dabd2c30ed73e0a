"""The layers are a checked contract: ``lint-imports`` runs the contracts in pyproject.toml.

pages -> ui -> runtime -> classroom -> app_state -> embedcore, nothing imports
upward, and streamlit is imported only in ui/, pages/ and dashboard.py. The
second test shows the check can fail: a copy of the tree with one wrong
import breaks it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("pages", "ui", "runtime", "classroom", "app_state", "embedcore")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache"], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=120)


def _copy_tree(target: Path) -> None:
    """The packages' Python files and pyproject.toml (no data: the contracts read imports only)."""
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    for package in PACKAGES:
        for source in (ROOT / package).rglob("*.py"):
            copy = target / source.relative_to(ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, copy)


def test_the_import_contracts_hold() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout
    assert result.stdout.count("KEPT") == 2


def test_a_wrong_import_breaks_the_contracts(tmp_path: Path) -> None:
    _copy_tree(tmp_path)
    upward = tmp_path / "embedcore" / "meters.py"
    upward.write_text("import ui.charts  # embedcore must never import ui\n" + upward.read_text())
    streamlit_in_core = tmp_path / "classroom" / "store.py"
    streamlit_in_core.write_text("import streamlit  # only ui/, pages/ and dashboard.py may\n"
                                 + streamlit_in_core.read_text())
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert result.stdout.count("BROKEN") == 2, result.stdout
    assert "embedcore.meters -> ui.charts" in result.stdout
    assert "classroom.store -> streamlit" in result.stdout
