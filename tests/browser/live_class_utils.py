"""Shared by the live class's browser tests: a server with a class database of its own, and "the page is drawn"."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, _require_chromium, start_server

# The script finished its run and the page has its title (lighter than conftest's wait_until_rendered,
# which also waits for every lazy chart: a live page refreshes itself every few seconds).
READY = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') !== 'running'
        && document.querySelector('[data-testid="stMainBlockContainer"] h1');
}"""


@pytest.fixture()
def live_server(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """(URL, data directory): a server of its own, with its class database in a temporary directory."""
    _require_chromium()
    monkeypatch.setenv("WHY_EMBEDDINGS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WHY_EMBEDDINGS_DATABASE_URL", raising=False)
    port = _free_port()
    proc = start_server(port, tmp_path / "streamlit.log")
    try:
        yield f"http://127.0.0.1:{port}", tmp_path / "data"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@contextlib.contextmanager
def chromium(timeout_ms: int = 90_000) -> Iterator:
    """Debian's chromium, launched for one test (call inside ``conftest.in_own_thread``); ``expect`` waits ``timeout_ms``."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=timeout_ms)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
