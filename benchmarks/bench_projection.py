"""Benchmark: projections and meters behind the "Imperfect information" page.

    python benchmarks/bench_projection.py [--repeat 3] [--quick]

Prints the median wall time of each computation (seconds), and ratios where
a shortcut is compared with the plain way:

* meter curve over 64 dimensions (squared distances built up one PCA
  direction at a time) against 64 separate map_meters calls;
* our trustworthiness against scikit-learn's;
* t-SNE with BLAS/OpenMP held to one thread against the default.

Timings on a shared 2-core machine are noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
from sklearn.manifold import trustworthiness as sk_trustworthiness  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from embedcore import compression, knn, meters, synthetic  # noqa: E402
from embedcore.concepts import REGION_GROUPS, concept_words  # noqa: E402
from embedcore.projection import PCA, project_2d  # noqa: E402


def timed(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def row(label: str, seconds: float, note: str = "") -> None:
    print(f"{label:58}{seconds:>9.3f} s  {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the 1,000-point t-SNE runs")
    args = parser.parse_args()
    r = args.repeat

    from embedcore.wordvectors import load_word_vectors

    wv = load_word_vectors()
    words, labels = concept_words(REGION_GROUPS)
    X = np.stack([wv.vector(w) for w in words]).astype(np.float64)
    print(f"{len(words)} concept words x {X.shape[1]} dims; {os.cpu_count()} CPUs; median of {r}\n")

    print("== word maps (section 2-4)")
    for method in ("pca", "mds", "tsne"):
        row(f"project_2d {method} ({len(words)} words)", timed(lambda: project_2d(X, method, perplexity=15, max_iter=500), r))
    Y = project_2d(X, "pca")
    row("map_meters (recall, trustworthiness, explained variance)", timed(lambda: meters.map_meters(X, Y), r))
    ours = timed(lambda: meters.trustworthiness(X, Y, 10), r)
    theirs = timed(lambda: sk_trustworthiness(X, Y, n_neighbors=10), r)
    row("trustworthiness, embedcore", ours)
    row("trustworthiness, scikit-learn", theirs, f"ratio sklearn/ours = {theirs / ours:.1f}x")
    curve = timed(lambda: meters.meter_curve(X, np.arange(1, 65)), r)
    Z = PCA(64).fit_transform(X)
    naive = timed(lambda: [meters.map_meters(X, Z[:, :d]) for d in range(1, 65)], max(1, r // 2))
    row("meter_curve, 64 dimensions (incremental distances)", curve)
    row("64 separate map_meters calls", naive, f"ratio = {naive / curve:.1f}x")
    row("knn_accuracy, full space", timed(lambda: knn.knn_accuracy(X, labels), r))

    print("\n== digits (section 1)")
    split = compression.load_digits_split()
    row("compression_curve, k = 1..64 (fit + 64 k-NN evaluations)",
        timed(lambda: compression.compression_curve(split, np.arange(1, 65)), r))
    row("digits_map (2-D codes, 15-NN regions on a 90 x 90 grid)",
        timed(lambda: compression.digits_map(split, resolution=90), r))
    row("map_meters of the digit map (540 held-out images)",
        timed(lambda: meters.map_meters(split.X_test, PCA(2).fit(split.X_train).transform(split.X_test)), r))

    print("\n== t-SNE on the lesson data (section 5)")
    sizes = [(200, 30, 250), (300, 30, 500), (500, 30, 500)]
    if not args.quick:
        sizes += [(1000, 30, 500), (1000, 100, 1000)]
    for n, perplexity, iters in sizes:
        data, _ = synthetic.make_dataset("sizes", n)
        default = timed(lambda: project_2d(data, "tsne", perplexity=perplexity, max_iter=iters), 1)

        def one_thread() -> None:
            with threadpool_limits(limits=1):
                project_2d(data, "tsne", perplexity=perplexity, max_iter=iters)

        single = timed(one_thread, 1)
        row(f"t-SNE {n} points, perplexity {perplexity}, {iters} iterations", default,
            f"one thread: {single:.2f} s (ratio {single / default:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
