"""Helpers for AppTest page tests.

Pages are run through ``dashboard.py`` so that ``st.navigation`` is set up
exactly as in the real app (page links, page config), then switched to the
page under test - which also proves any page works as the first one opened.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(ROOT / "dashboard.py")

PAGES = {
    "home": "pages/home.py",
    "format_matters": "pages/format_matters.py",
    "imperfect_information": "pages/imperfect_information.py",
    "features_losses": "pages/features_losses.py",
}

TITLES = {
    "home": "Why Embeddings",
    "format_matters": "Format matters",
    "imperfect_information": "Imperfect information",
    "features_losses": "Features, embeddings & losses",
}


def open_page(name: str, timeout: float = 60) -> AppTest:
    """Run the app, switch to page ``name`` and return the finished AppTest."""
    at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
    at.switch_page(PAGES[name])
    at.run()
    return at


def assert_no_exception(at: AppTest) -> None:
    """Fail with the app's own error text if the page raised."""
    errors = [e.value for e in at.exception]
    assert not errors, f"page raised: {errors}"


def download(at: AppTest, media: dict[str, bytes], label: str) -> str:
    """The text behind the download button labelled ``label`` (``media``: the conftest fixture)."""
    buttons = [b.proto for b in at.get("download_button") if b.proto.label == label]
    assert len(buttons) == 1, [b.proto.label for b in at.get("download_button")]
    return media[PurePosixPath(buttons[0].url).stem].decode("utf-8")
