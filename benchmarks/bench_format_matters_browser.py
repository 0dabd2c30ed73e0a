"""Format matters in chromium: a drag on the toy plane and the noise slider, input to update, and what is sent.

The lesson page itself (``python -m streamlit run dashboard.py``, started here
on a free port), in headless chromium, after locking in the two predictions
that unlock the evidence (the toy-plane sum, the noise push):

* **drag**: the mouse drags woman back and forth, ``--moves`` pointer moves:
  time from the pointer event to the end of the plane's handler (``dom``) and
  to the next animation frame (``frame``, the update on screen); the websocket
  frames the page sent while dragging (should be 0) and at the drop;
* **slide**: ``--clicks`` clicks along the noise chart's slider (51 frames, 0 to 5 by 0.1):
  time from the pointer event to plotly's ``plotly_animated`` (frame and
  numbers swapped), and the frames sent (should be 0).

    python benchmarks/bench_format_matters_browser.py [--moves 200] [--clicks 12]

The target is p95 < 100 ms from input to update. Figures on a shared machine
are noisy; chromium's own rendering dominates. (benchmarks/bench_drag.py
measures the same on the components' small demo page.)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("WHY_EMBEDDINGS_WARMUP", "0")

from benchmarks.bench_drag import LISTEN, _stats  # noqa: E402
from benchmarks.server_utils import free_port  # noqa: E402
from embedcore import checkpoints as cp  # noqa: E402
from tests.browser.component_demo import pixels_per_unit, point_centre  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, open_lesson, start_server  # noqa: E402
from tests.browser.test_browser_format_matters import NOISE_CHART, lock_in  # noqa: E402

LISTEN_NOISE = """(sel) => {
    window.slides = [];
    const chart = document.querySelector(sel);
    let start = null;
    document.addEventListener('pointerdown', (e) => { start = e.timeStamp; }, true);
    chart.on('plotly_animated', () => { if (start !== null) window.slides.push(performance.now() - start); start = null; });
}"""


def drag(page, sent: list, moves: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Drag woman left and right across the lesson's plane; times per move and frames sent."""
    lock_in(page, cp.TOY_SUM, cp.TOY_SUM.choices[0])
    page.locator(".plane-svg").scroll_into_view_if_needed()
    page.evaluate(LISTEN)
    unit = pixels_per_unit(page)
    x, y = point_centre(page, "woman")
    before = len(sent)
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, moves + 1):
        phase = (k % 60) / 30  # a triangle wave of +-1.5 units: every move crosses a 0.1 step
        page.mouse.move(x + unit * 1.5 * (phase if phase <= 1 else 2 - phase), y - unit * 0.3 * (k % 2))
    page.wait_for_timeout(200)
    during = len(sent) - before
    times = page.evaluate("() => window.times")
    page.mouse.up()
    page.wait_for_timeout(3000)
    return [_stats("drag: pointer -> DOM", times["dom"]), _stats("drag: pointer -> next frame", times["frame"]),
            f"{'drag: frames sent':<28} {during} while dragging, {len(sent) - before - during} at the drop"]


def slide(page, sent: list, clicks: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Clicks along the noise chart's slider: pointer to plotly's animated event, and frames sent."""
    lock_in(page, cp.NOISE_FLIP, cp.NOISE_FLIP.choices[0])
    rail = page.locator(f"{NOISE_CHART} .slider-rail-touch-rect")
    rail.wait_for()
    rail.scroll_into_view_if_needed()
    page.evaluate(LISTEN_NOISE, NOISE_CHART)
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
    parser.add_argument("--clicks", type=int, default=12)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_server(port, Path(tempfile.mkdtemp()) / "streamlit.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            lines = []
            for part, count in ((drag, args.moves), (slide, args.clicks)):
                page = browser.new_page()
                sent: list[object] = []
                page.on("websocket", lambda ws, sent=sent: ws.on("framesent", lambda frame: sent.append(frame)))
                open_lesson(page, f"http://127.0.0.1:{port}", "format_matters", height=1400)
                lines += part(page, sent, count)
                page.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
