"""Benchmark the bundled word vectors: cold load, nearest neighbours, encode.

Run with ``make bench`` or ``.venv/bin/python benchmarks/bench_wordvectors.py``.
Prints each figure next to its target; the targets come from issue 3:

* ``load_word_vectors()`` cold, in a fresh interpreter: < 0.3 s
* ``nearest`` over the whole vocabulary: < 5 ms median, and within 3x of
  the bare matrix-vector product ``vectors @ q`` it is built on
* ``encode`` of 100 words (first call, which loads the tokenizer, and warm)

Timings on a shared 2-core machine are noisy: each figure is a median.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from embedcore.wordvectors import load_word_vectors  # noqa: E402

# Printed by a fresh interpreter: seconds to import the module, then to load.
_COLD_LOAD = """
import time
t0 = time.perf_counter()
from embedcore.wordvectors import load_word_vectors
t1 = time.perf_counter()
wv = load_word_vectors()
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _median_seconds(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def bench_cold_load(runs: int = 5) -> None:
    imports, loads = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _COLD_LOAD], cwd=REPO, capture_output=True, text=True, check=True,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
        ).stdout.split()
        imports.append(float(out[0]))
        loads.append(float(out[1]))
    load, total = statistics.median(loads), statistics.median(i + l for i, l in zip(imports, loads))
    print(f"load_word_vectors() cold, fresh process: {load * 1e3:6.1f} ms  (target < 300 ms: {_verdict(load < 0.3)})")
    print(f"  import embedcore.wordvectors + load:   {total * 1e3:6.1f} ms  (numpy's own import is most of the rest)")


def bench_nearest(wv, repeats: int = 300) -> None:
    rng = np.random.default_rng(0)
    queries = rng.normal(size=(repeats, wv.dim)).astype(np.float32)
    vectors = wv.vectors
    for q in queries[:20]:  # warm caches and BLAS threads
        vectors @ q
        wv.nearest(q, k=10)
    # Interleave the two so both see the same machine load (it varies a lot
    # on a shared machine, and a busy core delays BLAS threads by a timeslice).
    bare_times, nearest_times = [], []
    for q in queries:
        start = time.perf_counter()
        vectors @ q
        middle = time.perf_counter()
        wv.nearest(q, k=10)
        end = time.perf_counter()
        bare_times.append(middle - start)
        nearest_times.append(end - middle)
    bare_s, nearest_s = statistics.median(bare_times), statistics.median(nearest_times)
    word_s = _median_seconds(lambda: wv.nearest("king", k=10), repeats)
    ratio = nearest_s / bare_s
    print(
        f"nearest(vector, k=10) over {len(wv):,} words: {nearest_s * 1e3:6.3f} ms median "
        f"(target < 5 ms: {_verdict(nearest_s < 5e-3)})"
    )
    print(f"  bare vectors @ q, same size:            {bare_s * 1e3:6.3f} ms  -> ratio {ratio:.2f}x "
          f"(target <= 3x: {_verdict(ratio <= 3)})")
    print(f"  nearest('king', k=10):                  {word_s * 1e3:6.3f} ms")


def bench_encode(wv, repeats: int = 20) -> None:
    words = wv.words[1000:1100]
    start = time.perf_counter()
    wv.encode(words)  # first call: loads model2vec's StaticModel and tokenizer
    first = time.perf_counter() - start
    warm = _median_seconds(lambda: wv.encode(words), repeats)
    print(f"encode(100 words): first call {first * 1e3:6.1f} ms (loads the tokenizer), then {warm * 1e3:6.2f} ms")


def main() -> None:
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}")
    bench_cold_load()
    wv = load_word_vectors()
    bench_nearest(wv)
    bench_encode(wv)


if __name__ == "__main__":
    main()
