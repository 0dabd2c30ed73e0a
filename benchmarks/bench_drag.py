"""Moves that answer in the browser: input-to-update time, and what the browser sends meanwhile.

On the components' demo page (tests/browser/component_demo_page.py, served
by ``streamlit run``) in headless chromium:

* **drag**: the mouse drags a point of the toy plane (ui.components.plane)
  back and forth, ``--moves`` pointer moves. For each move: ``dom`` is the
  time from the pointer event (its ``timeStamp``) to the end of the plane's
  handler, which has updated the SVG and the readout; ``frame`` is to the
  next animation frame after it (the update is on screen). Then the
  websocket frames the page sent while dragging (should be 0) and at the
  drop (1), and the drop's round trip (pointer up to Python's rerun shown);
* **keys**: ``--keys`` arrow presses on a focused point, and the frames sent
  before the 0.3 s rest that commits them;
* **slide**: clicks along a plotly frames slider (ui.components.frames):
  time from the pointer event to plotly's ``plotly_animated`` (frame and
  numbers swapped), and the frames sent (should be 0).

    python benchmarks/bench_drag.py [--moves 200] [--keys 20] [--clicks 12]

The target is p95 < 100 ms from input to update. Figures on a shared
machine are noisy; chromium's own rendering dominates.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.browser.component_demo import (  # noqa: E402
    demo_server, open_demo, pixels_per_unit, point_centre, wait_for_runs,
)
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# Measured in the page: the plane's own listener sits on its SVG, inside the component's shadow root;
# pointer events are composed, so this one, on the document in the bubbling phase, runs after it.
LISTEN = """() => {
    window.times = {dom: [], frame: []};
    document.addEventListener('pointermove', (e) => {
        if (!e.buttons) return;
        const start = e.timeStamp;
        window.times.dom.push(performance.now() - start);
        requestAnimationFrame(() => window.times.frame.push(performance.now() - start));
    });
}"""
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'  # the first plotly chart on the page
# slides: pointer down -> plotly_animated (the figure's DOM holds the new frame); painted: -> the next frame
# painted after it (a requestAnimationFrame, then a task: what the student sees).
LISTEN_SLIDER = """(sel) => {
    window.slides = []; window.painted = [];
    const chart = document.querySelector(sel);
    let start = null;
    document.addEventListener('pointerdown', (e) => { start = e.timeStamp; }, true);
    chart.on('plotly_animated', () => {
        if (start === null) return;
        const t0 = start; start = null;
        window.slides.push(performance.now() - t0);
        requestAnimationFrame(() => setTimeout(() => window.painted.push(performance.now() - t0), 0));
    });
}"""


def _stats(name: str, values: list[float]) -> str:
    v = np.asarray(values, dtype=float)
    if not v.size:
        return f"{name:<28} no samples"
    return (f"{name:<28} n={v.size:<4} p50 {np.percentile(v, 50):6.1f}  p95 {np.percentile(v, 95):6.1f}  "
            f"max {v.max():6.1f} ms")


def drag_moves(page, sent: list, moves: int) -> tuple[dict, int]:  # type: ignore[no-untyped-def]
    """Press on woman and drag her left and right ``moves`` times, still held: (times per move, frames sent)."""
    page.evaluate(LISTEN)
    unit = pixels_per_unit(page)
    x, y = point_centre(page, "woman")
    before = len(sent)
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, moves + 1):
        # A triangle wave of +-1.5 units: every move crosses a 0.1 step, so each one redraws.
        phase = (k % 60) / 30
        page.mouse.move(x + unit * 1.5 * (phase if phase <= 1 else 2 - phase), y - unit * 0.3 * (k % 2))
    page.wait_for_timeout(200)  # the last frames' callbacks
    return page.evaluate("() => window.times"), len(sent) - before


def drag(page, sent: list, moves: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Drag woman left and right across the plane; times per move, frames sent, the drop's round trip."""
    before = len(sent)
    times, during = drag_moves(page, sent, moves)
    start = time.perf_counter()
    page.mouse.up()
    wait_for_runs(page, 2)
    round_trip = (time.perf_counter() - start) * 1000
    return [
        _stats("drag: pointer -> DOM", times["dom"]),
        _stats("drag: pointer -> next frame", times["frame"]),
        f"{'drag: frames sent':<28} {during} while dragging, {len(sent) - before - during} at the drop",
        f"{'drag: drop -> Python shown':<28} {round_trip:.0f} ms (rerun and redraw, Python included)",
    ]


def keys(page, sent: list, presses: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Arrow presses on a focused point: frames sent before the keys rest, and after."""
    page.get_by_role("slider", name="king", exact=True).focus()
    before = len(sent)
    for k in range(presses):
        page.keyboard.press("ArrowUp" if k % 2 else "ArrowLeft")
    during = len(sent) - before
    page.wait_for_timeout(1500)
    return [f"{'keys: frames sent':<28} {during} during {presses} presses, {len(sent) - before - during} after the rest"]


def slide(page, sent: list, clicks: int, chart: str = CHART) -> list[str]:  # type: ignore[no-untyped-def]
    """Clicks along the frames slider of ``chart`` (a CSS selector): pointer to plotly's animated event, frames sent."""
    rail = page.locator(f"{chart} .slider-rail-touch-rect")
    rail.wait_for()
    rail.scroll_into_view_if_needed()
    page.evaluate(LISTEN_SLIDER, chart)
    box = rail.bounding_box()
    before = len(sent)
    for k in range(clicks):
        rail.click(force=True, position={"x": 2 + (box["width"] - 4) * (k % 5) / 4, "y": box["height"] / 2})
        page.wait_for_timeout(150)
    return [_stats("slide: pointer -> frame", page.evaluate("() => window.slides")),
            f"{'slide: frames sent':<28} {len(sent) - before} during {clicks} clicks"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--keys", type=int, default=20)
    parser.add_argument("--clicks", type=int, default=12)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with demo_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            lines = []
            for part in (drag, keys, slide):
                page = browser.new_page(viewport={"width": 1200, "height": 1400})
                sent = open_demo(page, url)
                page.wait_for_timeout(1000)  # let the first render settle
                lines += part(page, sent, {"drag": args.moves, "keys": args.keys, "slide": args.clicks}[part.__name__])
                page.close()
        finally:
            browser.close()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
