"""Page reruns of this checkout against another commit, measured side by side.

A shared machine's speed drifts by a factor of two over a day, so a rerun
time measured today cannot be held against a figure written down last week.
This script checks the other commit out into a temporary git worktree and
runs ``benchmarks/bench_pages.py`` in both trees in turn (base, this, base,
this, ...), with the same Python environment, and prints each page's median
whole-page rerun (after every control move and a plain rerun) in both and
their ratio.

    python benchmarks/compare_pages.py --base a56b4c8 [--rounds 2]

``a56b4c8`` is the code whose figures set the rerun budgets of issue 13
(README, *Speed*).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("format_matters", "imperfect_information", "features_losses")
ROW = re.compile(r"^(\S+)\s+(.*?)\s+(\d+)$")


def bench(tree: Path) -> dict[str, list[int]]:
    """Whole-page rerun times (ms) per page from one run of ``tree``'s bench_pages.py."""
    out = subprocess.run(
        [sys.executable, "benchmarks/bench_pages.py", "--pages", *PAGES, "--repeat", "3"],
        cwd=tree, capture_output=True, text=True, check=True, env={"HF_HUB_OFFLINE": "1", "WHY_EMBEDDINGS_WARMUP": "0",
                                                                    "PATH": "/usr/bin:/bin"},
    ).stdout
    times: dict[str, list[int]] = defaultdict(list)
    for line in out.splitlines():
        match = ROW.match(line.strip())
        if match and (match.group(2) == "plain rerun" or match.group(2).startswith("move ")):
            times[match.group(1)].append(int(match.group(3)))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the commit to compare against")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    results: dict[str, dict[str, list[int]]] = {"base": defaultdict(list), "this": defaultdict(list)}
    with tempfile.TemporaryDirectory(prefix="why-embeddings-base-") as scratch:
        base = Path(scratch) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            for _ in range(args.rounds):
                for name, tree in (("base", base), ("this", ROOT)):
                    for page, times in bench(tree).items():
                        results[name][page] += times
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
    print(f"whole-page rerun in AppTest, median ms over {args.rounds} interleaved rounds (base {args.base})")
    print(f"{'page':24}{'base':>8}{'this':>8}{'this / base':>13}")
    for page in PAGES:
        before, now = statistics.median(results["base"][page]), statistics.median(results["this"][page])
        print(f"{page:24}{before:8.0f}{now:8.0f}{now / before:13.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
