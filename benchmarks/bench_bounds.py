"""The heavy settings at their upper bounds: the CPU one run costs (README, hosting).

Each control that starts a t-SNE or a training run stops where one run costs
about 2 s of CPU on this 2-core machine (``app_state``'s bounds). This
script runs each at its bound, on one thread as the worker process does, and
prints the CPU seconds (``time.process_time``) and wall seconds.

    python benchmarks/bench_bounds.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"  # as in the worker process (runtime/worker.py)

from app_state import FE, II  # noqa: E402
from embedcore import experiments as ex  # noqa: E402
from runtime import jobs  # noqa: E402


def timed(what: str, fn, *args) -> None:  # type: ignore[no-untyped-def]
    cpu, wall = time.process_time(), time.perf_counter()
    fn(*args)
    print(f"{what:72}{time.process_time() - cpu:7.2f} s CPU{time.perf_counter() - wall:7.2f} s wall")


def main() -> int:
    # The t-SNE knobs' runs are shipped (scripts/build_precomputed.py); this is what one costs to build.
    iterations = tuple(II.iterations.choices)
    timed(f"t-SNE knob run: {jobs.TSNE_KNOB_POINTS} points, perplexity 100, {iterations[-1]} iterations, "
          f"{len(iterations)} snapshots", jobs.tsne_knob_run, "sizes", jobs.TSNE_KNOB_POINTS, 100, iterations)
    top_train = FE.exp_train.bounds[1]
    top_hidden = FE.exp_hidden.bounds[1]
    deep = ex.Experiment(n_train=top_train, hidden_sizes=(top_hidden,) * FE.exp_depth.bounds[1], embedding_size=8)
    timed(f"experiment: {top_train} pictures, {FE.exp_depth.bounds[1]} x {top_hidden} units", ex.run, deep)
    colour_twin = ex.twins(ex.Experiment(embedding_size=FE.width.default))[0]
    top_map = max(FE.map_points.choices)
    timed(f"model map: t-SNE of {top_map} fresh pictures' embeddings, perplexity 50",
          *jobs.fe_call(colour_twin, "embedding", top_map, "tsne", 50.0))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
