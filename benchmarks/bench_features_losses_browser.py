"""The loss mixer's slider in chromium: input-to-update time, what the browser sends, and what the page weighs.

Starts ``streamlit run`` (warm-up off, a cache directory of its own unless
``WHY_EMBEDDINGS_CACHE_DIR`` is set), opens *Features, embeddings & losses*
in headless chromium, locks in the mixer prediction (the slider is drawn
only after it), then clicks along the mixer's plotly slider ``--clicks``
times. For each click: the time from the pointer event to plotly's
``plotly_animated`` (the frame, its maps, network and numbers swapped), and
to the next frame painted after it (``painted_*``). The page asks for
reduced motion, so the twins' replay, which otherwise plays once when the
page opens, does not animate beside the mixer while it is timed.
Then the websocket frames the page sent while sliding (should be 0), and
the size of the mixer's figure as the browser received it (every w's frame).

    python benchmarks/bench_features_losses_browser.py [--clicks 20]

The target is p95 < 100 ms from input to update. Figures on a shared
machine are noisy. The slider restyles the traces in place (no redraw,
``ui.features_losses.mixer_chart``); before that, with WebGL maps redrawn
in full, p50/p95 was 94/107 ms on a quiet run, against 69/75 ms after.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from app_state import FE  # noqa: E402
from embedcore import checkpoints as cp  # noqa: E402
from benchmarks.bench_drag import LISTEN_SLIDER  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, lock_in, running_server, wait_until_rendered  # noqa: E402

CHART = ".st-key-" + FE.mix_chart.key.replace(".", "-") + " .js-plotly-plot"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clicks", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("WHY_EMBEDDINGS_WARMUP", "0")
    os.environ.setdefault("WHY_EMBEDDINGS_CACHE_DIR", tempfile.mkdtemp(prefix="bench-fe-"))
    from playwright.sync_api import sync_playwright

    with running_server(Path(tempfile.mkdtemp()) / "streamlit.log") as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        # Reduced motion keeps the twins' replay (an earlier section, played once on opening) still, so the
        # figures are the mixer's own and not its contention with another chart's animation.
        page = browser.new_page(viewport={"width": 1400, "height": 1200}, reduced_motion="reduce")
        page.set_default_timeout(300_000)
        sent: list[object] = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
        page.goto(url)
        wait_until_rendered(page, timeout_ms=300_000)
        page.goto(f"{url}/features_losses")
        wait_until_rendered(page, timeout_ms=300_000)
        lock_in(page, cp.MIXER_MIDDLE, cp.MIXER_MIDDLE.choices[1], timeout_ms=300_000)
        page.wait_for_selector(f"{CHART} .slider-rail-touch-rect", timeout=300_000)
        page.locator(CHART).scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        size = page.evaluate("(s) => { const el = document.querySelector(s);"
                             " return JSON.stringify({data: el.data, layout: el.layout, frames: el._transitionData._frames}).length; }",
                             CHART)
        page.evaluate(LISTEN_SLIDER, CHART)
        rail = page.locator(f"{CHART} .slider-rail-touch-rect")
        box = rail.bounding_box()
        before = len(sent)
        rng = np.random.default_rng(0)
        for _ in range(args.clicks):
            rail.click(force=True, position={"x": float(rng.uniform(2, box["width"] - 2)), "y": box["height"] / 2})
            page.wait_for_timeout(250)
        times = np.asarray(page.evaluate("() => window.slides"), dtype=float)
        painted = np.asarray(page.evaluate("() => window.painted"), dtype=float)
        sliding = len(sent) - before
        browser.close()
    print(json.dumps({"clicks": args.clicks, "updates": int(times.size),
                      "p50_ms": round(float(np.percentile(times, 50)), 1) if times.size else None,
                      "p95_ms": round(float(np.percentile(times, 95)), 1) if times.size else None,
                      "painted_p50_ms": round(float(np.percentile(painted, 50)), 1) if painted.size else None,
                      "painted_p95_ms": round(float(np.percentile(painted, 95)), 1) if painted.size else None,
                      "frames_sent_while_sliding": sliding, "figure_json_kb": round(size / 1024, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
