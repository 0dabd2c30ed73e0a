"""Benchmark: the memory and time it takes to read a large upload, and whether the memory comes back.

Run with ``make bench`` or ``.venv/bin/python benchmarks/bench_upload.py [--rows 20000]``.

For each format (Projector TSV, CSV, .npy) it writes a file just under the
50 MB upload limit (20,000 rows x 256 dimensions by default, 5.1 million
numbers), then, in a fresh interpreter:

1. reads it with ``embedcore.userdata.read_upload`` and builds the
   ``UploadedWordVectors`` a session keeps (this is what the worker process
   does for the app, see ``ui/upload.py``), and reports the peak resident
   memory above the interpreter's baseline (``ru_maxrss``) and the time;
2. drops the set, and reports the resident memory left above the baseline
   after ``gc.collect()`` and ``runtime.memory.give_back`` (glibc's
   ``malloc_trim``: what ``ui.upload`` does when a closed tab's upload is freed).

Before this reader, a 49 MB TSV or CSV took the server from about 0.3 GB to
1.9-2.4 GB while it was read, and 1.3 GB stayed after every tab was closed.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from embedcore import userdata  # noqa: E402

_MEASURE = """
import gc, resource, sys, time
sys.path.insert(0, {repo!r})
import numpy as np
from embedcore import userdata
from runtime import memory
from embedcore.userdata import UploadedWordVectors

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1e6

name, labels_name = {name!r}, {labels_name!r}
data = open({path!r}, "rb").read()
labels = open({labels_path!r}, "rb").read() if labels_name else None
gc.collect()
base = rss_mb()
start = time.perf_counter()
wv = UploadedWordVectors(userdata.read_upload(name, data, labels_name, labels))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3 - base
kept = rss_mb() - base
shape = wv.vectors.shape
del wv
gc.collect()
memory.give_back()
after = rss_mb() - base
print(seconds, peak, kept, after, shape[0], shape[1])
"""


def _files(rows: int, dim: int, folder: Path) -> dict[str, tuple[Path, str, Path | None, str | None]]:
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(rows, dim)).astype(np.float32)
    words = [f"w{i}" for i in range(rows)]
    tsv = folder / "vectors.tsv"
    np.savetxt(tsv, matrix, fmt="%.5f", delimiter="\t")
    meta = folder / "metadata.tsv"
    meta.write_text("\n".join(words) + "\n")
    csv = folder / "vectors.csv"
    with csv.open("w") as f:
        f.write("word," + ",".join(f"d{j}" for j in range(dim)) + "\n")
        for word, row in zip(words, matrix):
            f.write(word + "," + ",".join(f"{x:.5f}" for x in row) + "\n")
    npy = folder / "vectors.npy"
    buffer = io.BytesIO()
    np.save(buffer, matrix.astype(np.float64))
    npy.write_bytes(buffer.getvalue())
    word_list = folder / "words.txt"
    word_list.write_text("\n".join(words) + "\n")
    return {
        "Projector TSV + metadata": (tsv, "vectors.tsv", meta, "metadata.tsv"),
        "CSV": (csv, "vectors.csv", None, None),
        ".npy (float64) + word list": (npy, "vectors.npy", word_list, "words.txt"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--dim", type=int, default=256)
    args = parser.parse_args()
    print(f"Upload limits: {userdata.MAX_MB} MB, {userdata.MAX_ROWS:,} rows, {userdata.MAX_DIM:,} dimensions, "
          f"{userdata.MAX_VALUES:,} numbers")
    with tempfile.TemporaryDirectory() as tmp:
        files = _files(args.rows, args.dim, Path(tmp))
        print(f"{'format':<28} {'file':>8} {'read':>7} {'peak':>9} {'kept':>9} {'after release':>14}")
        for label, (path, name, labels_path, labels_name) in files.items():
            code = _MEASURE.format(repo=str(REPO), name=name, labels_name=labels_name, path=str(path),
                                   labels_path=str(labels_path) if labels_path else "")
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            seconds, peak, kept, after, rows, dim = (float(x) for x in out.split())
            size = path.stat().st_size / 1e6
            print(f"{label:<28} {size:>6.1f}MB {seconds:>6.2f}s {peak:>7.0f}MB {kept:>7.0f}MB {after:>12.0f}MB"
                  f"   ({int(rows):,} x {int(dim)}; peak = {peak / size:.1f}x the file)")


if __name__ == "__main__":
    main()
