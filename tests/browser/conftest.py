"""Real-browser fixtures: a live ``streamlit run`` server and Debian's chromium.

Playwright drives ``/usr/bin/chromium`` (installed by ``.ci/run`` through
apt-get). We never run ``playwright install``: it downloads browsers, which
this network does not allow. Without chromium these tests skip, except under
``CI=true``, where a missing browser is a failure.
"""

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

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = "Debian chromium not found at /usr/bin/chromium (apt-get install -y chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def start_server(port: int, log_path: Path, extra_args: tuple[str, ...] = ()) -> subprocess.Popen:
    """Start ``streamlit run dashboard.py`` on loopback and wait until it is healthy."""
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
            *extra_args,
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    deadline = time.monotonic() + 60
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early; see {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return proc
        except OSError:
            time.sleep(0.25)
    proc.terminate()
    raise RuntimeError(f"streamlit did not become healthy in 60 s; see {log_path}")


@contextlib.contextmanager
def running_server(log_path: Path, extra_args: tuple[str, ...] = ()) -> Iterator[tuple[str, subprocess.Popen]]:
    """A live server on a free port: (base URL, its process); stopped afterwards."""
    _require_chromium()
    port = _free_port()
    proc = start_server(port, log_path, extra_args)
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a live app server for the whole browser session."""
    with running_server(tmp_path_factory.mktemp("server") / "streamlit.log") as (url, _):
        yield url


@pytest.fixture(scope="session")
def playwright_driver():
    """The session's one synchronous Playwright on the main thread.

    A second ``sync_playwright()`` on the same thread, while this one runs, fails ("Sync API inside the asyncio
    loop"), whatever order the modules run in: main-thread fixtures launch their browsers from this one
    (tests that need a Playwright of their own start it in ``in_own_thread``).
    """
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser_context(playwright_driver, tmp_path_factory: pytest.TempPathFactory):
    """A chromium context with a fresh, empty profile."""
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 3000},
    )
    try:
        yield context
    finally:
        context.close()


@pytest.fixture()
def page(browser_context):
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        page.close()


def open_lesson(page, app_url: str, lesson: str, *, width: int = 1400, height: int = 1000) -> None:
    """Open the app's root (so st.navigation is set up), then the lesson at ``/lesson``, and wait for both."""
    page.set_default_timeout(120_000)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url)
    wait_until_rendered(page)
    page.goto(f"{app_url}/{lesson}")
    wait_until_rendered(page)


def wait_until_rendered(page, timeout_ms: int = 120_000) -> None:
    """Wait for Streamlit to finish the script run (its status widget goes away)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') !== 'running'
                && !document.querySelector('[data-testid="stStatusWidget"]')
                && document.querySelector('[data-testid="stMainBlockContainer"] h1')
                // Widgets and charts are loaded lazily; until their code has
                // arrived they show as grey skeletons.
                && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]');
        }""",
        timeout=timeout_ms,
    )
    # A short settle so charts finish drawing before the screenshot.
    page.wait_for_timeout(500)


def in_own_thread(body, *args) -> None:  # type: ignore[no-untyped-def]
    """Run ``body`` in a thread of its own: Playwright's sync API refuses to start inside the
    event loop that the browser tests' session-wide chromium (conftest) keeps in this thread."""
    import threading

    errors: list[BaseException] = []

    def run() -> None:
        try:
            body(*args)
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


README_SCREENSHOTS = ROOT / "docs" / "screenshots"


def readme_shot(locator, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save what ``locator`` shows as ``artifacts/screenshots/<name>`` and return it.

    With ``UPDATE_SCREENSHOTS=1`` it also becomes the README's copy in ``docs/screenshots/``; a plain test run
    never changes the git tree.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / name
    page, box = locator.page, locator.bounding_box()
    viewport = page.viewport_size
    # An element taller than the window is not fully painted where it is off screen: grow the window first.
    if box and viewport and box["height"] + 100 > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": int(box["height"]) + 200})
        locator.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
    try:
        locator.screenshot(path=str(out))
    finally:
        if viewport and page.viewport_size != viewport:
            page.set_viewport_size(viewport)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (README_SCREENSHOTS / name).write_bytes(out.read_bytes())
    return out


def lock_in(page, checkpoint, choice: str, *, timeout_ms: int = 120_000) -> None:  # type: ignore[no-untyped-def]
    """Pick ``choice`` for ``checkpoint`` (an ``embedcore.checkpoints.Checkpoint``), lock it in, and wait for the
    reveal and the run after it (up to ``timeout_ms`` each: a cold server may train first)."""
    box = page.locator(f".st-key-app-check-{checkpoint.id.replace('.', '-')}")
    box.scroll_into_view_if_needed()
    box.get_by_text(choice, exact=True).click()
    lock = box.get_by_role("button", name="Lock in my prediction")
    page.wait_for_function("(el) => !el.disabled", arg=lock.element_handle(), timeout=60_000)
    lock.click()
    box.locator('[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"]').wait_for(
        timeout=timeout_ms)
    wait_until_rendered(page, timeout_ms=timeout_ms)
