"""Shared by the live class's browser tests: a server with a class database of its own, "the page is drawn",
the teacher's view opened with its link, and a class started in presenter mode."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

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


def teacher_view(  # type: ignore[no-untyped-def]
    browser, url: str, code: str, key: str, *, presenter: bool = False, **context
):
    """The teacher's view of class ``code`` opened with its teacher link in a new context, drawn (1600 x 2400 unless
    ``context`` says otherwise)."""
    context.setdefault("viewport", {"width": 1600, "height": 2400})
    page = browser.new_context(**context).new_page()
    page.goto(f"{url}/live_class?class={code}&teacher={key}" + ("&app.presenter=true" if presenter else ""))
    page.wait_for_function(READY, timeout=180_000)
    return page


def expect_metric(page, label: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the metric ``label`` shows ``value`` and is the only metric of that label on ``page``.

    While a new run replaces the page (after a reconnect, for one), Streamlit keeps the old run's elements on
    screen, faded, until the run ends; one that moved shows twice for a moment (0.1 s here, longer on a loaded
    machine). A plain ``expect(...).to_have_text`` on the label then fails at once on Playwright's strict mode.
    """
    from playwright.sync_api import expect

    metrics = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    value_box = page.locator('[data-testid="stMetricValue"]', has_text=re.compile(rf"^\s*{re.escape(value)}\s*$"))
    expect(metrics.filter(has=value_box).first).to_be_visible()
    expect(metrics).to_have_count(1)  # the old run's copy is gone


class Started(NamedTuple):
    """A class a teacher started in a browser: the teacher's page, join link, code, private link and key."""

    teacher: object
    join_url: str
    code: str
    teacher_url: str
    key: str


def start_in_presenter_mode(browser, app_url: str) -> Started:  # type: ignore[no-untyped-def]
    """The teacher switches presenter mode on, starts a class and says the teacher link is saved."""
    from playwright.sync_api import expect

    teacher = browser.new_context(viewport={"width": 1600, "height": 2400}).new_page()
    teacher.set_default_timeout(60_000)
    teacher.goto(app_url)
    teacher.wait_for_function(READY, timeout=180_000)
    teacher.get_by_text("Presenter mode", exact=True).click()
    teacher.get_by_role("button", name="Start a class").click()
    teacher.locator('[data-testid="stImage"] img').first.wait_for()  # the QR code
    join_url = teacher.locator('[data-testid="stCode"]').filter(has_not_text="teacher=").first.inner_text().strip()
    code = parse_qs(urlsplit(join_url).query)["class"][0]
    assert re.fullmatch(r"[2-9A-Z]{8}", code)
    expect(teacher.locator("h1").filter(has_text=f"{code[:4]}-{code[4:]}")).to_be_visible()
    assert "teacher=" not in teacher.url  # the key never shows on the projector
    # The private link, in its folded expander (the box shown once after Start prints no key).
    teacher_url = teacher.locator('[data-testid="stExpander"] [data-testid="stCode"]').first.text_content().strip()
    teacher.get_by_role("button", name="I have saved it").click()  # the box shown once goes away
    expect(teacher.locator(".st-key-live-teacher-link")).to_have_count(0)
    return Started(teacher, join_url, code, teacher_url, parse_qs(urlsplit(teacher_url).query)["teacher"][0])
