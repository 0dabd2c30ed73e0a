"""The container image holds the whole app: every package the server imports, and the docs Home shows."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _copied() -> set[str]:
    """The paths that deploy/Dockerfile copies from the repository into the image."""
    copied: set[str] = set()
    for line in (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8").splitlines():
        match = re.match(r"COPY\s+(.+?)\s+\S+$", line.strip())
        if match:
            copied.update(part.rstrip("/") for part in match.group(1).split())
    return copied


def test_the_image_copies_every_package_and_the_docs() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in {"tests", "benchmarks"}}
    assert {"embedcore", "ui", "runtime", "app_state", "classroom", "pages"} <= packages  # the scan finds them
    missing = (packages | {"dashboard.py", "docs", ".streamlit", "requirements.txt", "deploy/serve.sh"}) - _copied()
    assert not missing, f"deploy/Dockerfile does not copy {sorted(missing)}"
