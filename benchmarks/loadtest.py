"""Load test: N simulated students on one server, over the real protocol.

Starts ``streamlit run dashboard.py`` on a free loopback port (or uses
``--url``), then drives N concurrent sessions for a bounded time. Each
session opens pages and moves their main controls - the settings declared
with ``link=True`` in ``app_state.py`` - to random valid values, with a short
think time between moves, like a student would.

Reports p50 / p95 time from input to finished rerun, errors (exceptions shown
by the app, failed runs), and the server's resident memory at the start and
the end.

    python benchmarks/loadtest.py                  # 30 sessions, 60 s
    python benchmarks/loadtest.py --sessions 5 --duration 20
    python benchmarks/loadtest.py --class          # a live class: 30 students answer, the teacher watches

Targets on a 2-core machine, default views: p95 < 1 s, no errors, memory
growth <= 20 MB per extra session.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import app_state  # noqa: E402
from server_utils import rss_mb, running_server  # noqa: E402
from st_client import StreamlitSession  # noqa: E402

PAGES = {page.name: (page.address, page.state) for page in app_state.STUDENT_PAGES}


def random_value(setting: app_state.Setting, rng: random.Random):
    """A random valid value for a main control (None if it has no range to sample)."""
    if setting.choices:
        return rng.choice(list(setting.choices))
    if isinstance(setting.default, bool):
        return rng.random() < 0.5
    if setting.bounds is not None and isinstance(setting.default, (int, float)):
        lo, hi = setting.bounds
        if isinstance(setting.default, int):
            return rng.randint(int(lo), int(hi))
        return round(rng.uniform(lo, hi), 2)
    return None


def student(
    index: int,
    url: str,
    deadline: float,
    think: tuple[float, float],
    results: list[dict],
    lock: threading.Lock,
    pages: list[str],
    wide: bool,
    moves: int,
) -> None:
    """One simulated student: open pages in turn and move their main controls."""
    rng = random.Random(index)

    def record(kind: str, page: str, run) -> None:
        with lock:
            results.append(
                {"session": index, "kind": kind, "page": page, "seconds": run.seconds, "status": run.status, "errors": run.exceptions}
            )

    try:
        with StreamlitSession(url) as session:
            # What this student has set; settings persist across page switches, as in a browser.
            current: dict[str, object] = {}
            turn = index
            while time.monotonic() < deadline:
                name = pages[turn % len(pages)]
                turn += 1
                path, page = PAGES[name]
                if turn > index + 1:
                    time.sleep(rng.uniform(*think))
                record("open", name, session.open_page(path))
                controls = [s for s in page.items() if isinstance(s, app_state.Setting) and s.link]
                for _ in range(moves):
                    if time.monotonic() >= deadline or not controls:
                        break
                    time.sleep(rng.uniform(*think))
                    setting = rng.choice(controls)
                    # --wide: random settings; otherwise the teacher's view and one shared alternative.
                    if wide:
                        value = random_value(setting, rng)
                    else:
                        # The whole class follows the teacher: flip between the default and one
                        # shared value, so moves are real changes that share cached results.
                        other = setting.alternative()
                        value = other if current.get(setting.key, setting.default) == setting.default else setting.default
                    if value is None or setting.key not in session.widgets:
                        continue
                    record("move", name, session.set_widget(setting.key, value))
                    current[setting.key] = value
    except Exception as exc:  # a dropped connection is an error to report, not a crash
        with lock:
            results.append({"session": index, "kind": "crash", "page": "", "seconds": 0.0, "status": repr(exc), "errors": [repr(exc)]})


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (bounded)")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), help="min/max seconds between moves")
    parser.add_argument("--moves", type=int, default=3, help="controls moved per page visit before the next page")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--wide", action="store_true", help="random settings instead of the default views")
    parser.add_argument("--url", help="use a running server instead of starting one")
    parser.add_argument(
        "--class", dest="class_mode", action="store_true",
        help="a live class: every student answers every question of the lesson while the teacher's view "
        "refreshes; checks nothing is lost (benchmarks/loadtest_class.py)",
    )
    parser.add_argument("--refresh", type=float, default=3.0, help="class mode: seconds between teacher-view refreshes")
    args = parser.parse_args()
    if not 1 <= args.sessions <= 200 or not 1 <= args.duration <= 900:
        parser.error("sessions must be 1-200 and duration 1-900 s")
    if args.class_mode:
        from loadtest_class import run_class

        return run_class(args)

    with running_server(url=args.url) as (url, pid):
        # Warm the process-wide caches once, as the teacher's run-through before class
        # would: open each page and flip each main control to the shared alternative and
        # back. What a cold cache costs is measured on its own by bench_pages.py.
        with StreamlitSession(url) as warm:
            for name in args.pages:
                path, page = PAGES[name]
                warm.open_page(path)
                if args.wide:
                    continue
                for setting in page.items():
                    if isinstance(setting, app_state.Setting) and setting.link and setting.key in warm.widgets:
                        other = setting.alternative()
                        if other is not None:
                            warm.set_widget(setting.key, other)
                            warm.set_widget(setting.key, setting.default)
        rss_start = rss_mb(pid)
        results: list[dict] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.duration
        threads = [
            threading.Thread(
                target=student,
                args=(i, url, deadline, tuple(args.think), results, lock, args.pages, args.wide, args.moves),
                daemon=True,
            )
            for i in range(args.sessions)
        ]
        for t in threads:
            t.start()
            time.sleep(0.05)  # students arrive over ~a second and a half, not in one instant
        rss_peak = rss_start
        while any(t.is_alive() for t in threads):
            rss_peak = max(rss_peak, rss_mb(pid))
            time.sleep(0.5)
            if time.monotonic() > deadline + 120:
                break
        rss_end = rss_mb(pid)

    moves = [r["seconds"] for r in results if r["kind"] == "move" and r["status"] == "ok"]
    opens = [r["seconds"] for r in results if r["kind"] == "open" and r["status"] == "ok"]
    errors = [r for r in results if r["status"] != "ok" or r["errors"]]
    print(
        f"sessions={args.sessions} duration={args.duration:.0f}s think={args.think[0]:g}-{args.think[1]:g}s "
        f"moves/page={args.moves} pages={','.join(args.pages)} views={'random' if args.wide else 'default'}"
    )
    print(f"{'':18}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for label, values in (("control -> rerun", moves), ("page open", opens)):
        if values:
            print(
                f"{label:18}{len(values):>6}{percentile(values, .5) * 1000:>10.0f}"
                f"{percentile(values, .95) * 1000:>10.0f}{max(values) * 1000:>10.0f}"
            )
    per_page = {}
    for r in results:
        if r["kind"] == "move" and r["status"] == "ok":
            per_page.setdefault(r["page"], []).append(r["seconds"])
    for name, values in sorted(per_page.items()):
        print(f"  {name:28}{len(values):>6}{percentile(values, .5) * 1000:>10.0f}{percentile(values, .95) * 1000:>10.0f}")
    print(f"errors={len(errors)}")
    for r in errors[:5]:
        print("  ", r["page"], r["status"], r["errors"][:1])
    growth = (rss_end - rss_start) / max(args.sessions, 1)
    print(f"server RSS start={rss_start:.0f} MB end={rss_end:.0f} MB peak={rss_peak:.0f} MB growth/session={growth:.1f} MB")
    p95 = percentile(moves, 0.95) if moves else float("inf")
    ok = not errors and p95 < 1.0 and growth <= 20
    print("targets (p95 < 1 s, no errors, <= 20 MB/session):", "MET" if ok else "NOT MET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
