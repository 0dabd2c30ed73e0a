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

from benchmarks.bench_drag import _stats, drag_moves, slide  # noqa: E402
from benchmarks.server_utils import free_port  # noqa: E402
from embedcore import checkpoints as cp  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, lock_in, open_lesson, start_server  # noqa: E402
from tests.browser.test_browser_format_matters import NOISE_CHART  # noqa: E402


def drag(page, sent: list, moves: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Drag woman left and right across the lesson's plane; times per move and frames sent."""
    lock_in(page, cp.TOY_SUM, cp.TOY_SUM.choices[0])
    page.locator(".plane-svg").scroll_into_view_if_needed()
    before = len(sent)
    times, during = drag_moves(page, sent, moves)
    page.mouse.up()
    page.wait_for_timeout(3000)  # the drop's rerun
    return [_stats("drag: pointer -> DOM", times["dom"]), _stats("drag: pointer -> next frame", times["frame"]),
            f"{'drag: frames sent':<28} {during} while dragging, {len(sent) - before - during} at the drop"]


def noise(page, sent: list, clicks: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Clicks along the noise chart's slider: pointer to plotly's animated event, and frames sent."""
    lock_in(page, cp.NOISE_FLIP, cp.NOISE_FLIP.choices[0])
    return slide(page, sent, clicks, chart=NOISE_CHART)


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
            for part, count in ((drag, args.moves), (noise, args.clicks)):
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
