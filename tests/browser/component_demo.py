"""The components' demo page (component_demo_page.py) on a live server, and what its tests read from it.

Shared by tests/browser/test_browser_component_*.py and benchmarks/bench_drag.py.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.server_utils import free_port, stop, wait_healthy
from tests.browser.conftest import _require_chromium

ROOT = Path(__file__).resolve().parents[2]
DEMO_PAGE = Path(__file__).with_name("component_demo_page.py")


@contextlib.contextmanager
def demo_server(log_path: Path | None = None) -> Iterator[str]:
    """``streamlit run component_demo_page.py`` on a free loopback port: yields its URL, stops it afterwards."""
    port = free_port()
    log = log_path.open("wb") if log_path is not None else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(DEMO_PAGE), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc=proc)
        yield url
    finally:
        stop(proc)


def open_demo(page, url: str) -> list[object]:  # type: ignore[no-untyped-def]
    """Open the demo page and wait for the plane; returns the list the websocket frames the page sends go to."""
    sent: list[object] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    page.goto(url)
    page.wait_for_selector(".point", timeout=120_000)
    page.locator(".readout .line").first.wait_for(timeout=60_000)
    return sent


def readout(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The plane's readout lines, as the student reads them."""
    return page.locator(".readout .line").all_inner_texts()


def result_point(page) -> tuple[float, float, str]:  # type: ignore[no-untyped-def]
    """Where the browser put the result star, and the nearest word it names."""
    star = page.locator(".result")
    return float(star.get_attribute("data-x")), float(star.get_attribute("data-y")), star.get_attribute("data-nearest")


def point_centre(page, word: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """A word's point on the screen (CSS pixels of the viewport)."""
    box = page.locator(f'.point[data-word="{word}"] .dot').bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def pixels_per_unit(page) -> float:  # type: ignore[no-untyped-def]
    """The plane's scale: king and queen of the starter table are 2 units apart."""
    return (point_centre(page, "king")[0] - point_centre(page, "queen")[0]) / 2


def drag_woman_right(page, sent: list[object]) -> tuple[float, float, str]:  # type: ignore[no-untyped-def]
    """Press on woman and drag her 1.5 units right in 15 moves, without letting go; returns the star then.

    Checks what holds while the drag goes on: nothing was sent to the server (``sent``: the page's websocket
    frames), and the star followed, since king - man + woman = woman + [0, 1], now nearest to king.
    """
    import numpy as np

    unit = pixels_per_unit(page)
    x, y = point_centre(page, "woman")
    before = len(sent)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(x + step * unit * 0.1, y)
    star_x, star_y, nearest = result_point(page)
    assert len(sent) == before, "nothing goes to the server while dragging"
    np.testing.assert_allclose([star_x, star_y], [0.5, 1.0], atol=0.1 + 1e-9)
    assert nearest == "king" and readout(page)[0].startswith("king - man + woman = [")
    return star_x, star_y, nearest


def server_lines(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The page's ``name: value`` text lines (received, returned, python, runs)."""
    lines = page.locator('[data-testid="stText"]').all_inner_texts()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def wait_for_runs(page, runs: int, timeout_ms: int = 60_000) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Wait until the script has run ``runs`` times in all, then return its lines."""
    page.get_by_text(f"runs: {runs}", exact=True).wait_for(timeout=timeout_ms)
    return server_lines(page)


def python_result(lines: dict[str, str]) -> tuple[list[float], str, float]:
    """embedcore's own king - man + woman on the table the server holds: ([x, y], nearest word, distance)."""
    match = re.fullmatch(r"(\[.*\]) (.+) \(([0-9.]+)\)", lines["python"])
    assert match, lines["python"]
    return json.loads(match[1]), match[2], float(match[3])


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo page's server, for one test module (import this fixture and ``demo`` into it)."""
    _require_chromium()
    with demo_server(tmp_path_factory.mktemp("demo") / "streamlit.log") as url:
        yield url


@pytest.fixture()
def demo(browser_context, demo_url: str):  # type: ignore[no-untyped-def]
    """A fresh session of the demo page (its own table) at 1200 x 1400, and the websocket frames it sends."""
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    page.set_viewport_size({"width": 1200, "height": 1400})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, open_demo(page, demo_url)
        assert errors == [], "the page's scripts raised"
    finally:
        page.close()
