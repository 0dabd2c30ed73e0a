"""Page benchmark: first render and a rerun after each main control, per page.

Runs each page in Streamlit's AppTest (server-side time only: no browser,
no network) and moves every main control - the settings declared with
``link=True`` in ``app_state.py`` - to another valid value, timing the rerun.
Caches are warm after the first render, as they are for every student
but the first on a hosted server.

    python benchmarks/bench_pages.py [--repeat 3]

Prints a table (median of the repeats, milliseconds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import app_state  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

PAGES = {page.name: (page.path, page.state) for page in app_state.STUDENT_PAGES}
WIDGET_KINDS = ("slider", "select_slider", "selectbox", "radio", "toggle", "checkbox", "text_input", "number_input", "multiselect", "segmented_control")


def find_widget(at: AppTest, key: str):
    for kind in WIDGET_KINDS:
        try:
            for w in getattr(at, kind):
                if w.key == key:
                    return w
        except (AttributeError, KeyError):
            continue
    return None


def bench_page(name: str, repeat: int) -> list[tuple[str, float]]:
    path, page = PAGES[name]
    rows: dict[str, list[float]] = {}
    for _ in range(repeat):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.switch_page(path)
        t = time.perf_counter()
        at.run()
        label = "first render, warm caches" if "first render, cold caches" in rows else "first render, cold caches"
        rows.setdefault(label, []).append(time.perf_counter() - t)
        t = time.perf_counter()
        at.run()
        rows.setdefault("plain rerun", []).append(time.perf_counter() - t)
        for setting in page.items():
            if not (isinstance(setting, app_state.Setting) and setting.link):
                continue
            value = setting.alternative()
            widget = find_widget(at, setting.key)
            # A control that waits for a prediction is greyed out: a student cannot move it either.
            if value is None or widget is None or getattr(widget.proto, "disabled", False):
                continue
            widget.set_value(value)
            t = time.perf_counter()
            at.run()
            rows.setdefault(f"move {setting.key}", []).append(time.perf_counter() - t)
            if at.exception:
                print(f"  ! {name}: {setting.key} raised {at.exception[0].value}", file=sys.stderr)
    return [(label, statistics.median(v)) for label, v in rows.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    args = parser.parse_args()
    print(f"{'page':24}{'action':44}{'ms':>9}")
    for name in args.pages:
        for label, seconds in bench_page(name, args.repeat):
            print(f"{name:24}{label:44}{seconds * 1000:>9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
