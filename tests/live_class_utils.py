"""Shared by the live class's AppTest tests: a class store of the test's own, and opening a page with a link."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_utils import DASHBOARD, assert_no_exception

LIVE_PAGE = "pages/live_class.py"


@pytest.fixture
def store(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """A fresh store for the app (the app's cached one is dropped before and after)."""
    from ui import live_class

    monkeypatch.delenv("WHY_EMBEDDINGS_DATABASE_URL", raising=False)
    monkeypatch.setenv("WHY_EMBEDDINGS_DATA_DIR", str(tmp_path))
    live_class.get_store.clear()
    s = live_class.get_store()
    yield s
    live_class.get_store.clear()
    s.close()


def open_app(path: str, query: dict[str, str] | None = None, timeout: float = 120) -> AppTest:
    """Run the app through dashboard.py with the link's ``query``, switch to page ``path``, check it ran."""
    at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.switch_page(path)
    at.run()
    assert_no_exception(at)
    return at
