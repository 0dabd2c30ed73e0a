"""Build the shipped precomputed maps: ``embedcore/data/precomputed/`` (maps.npz + build_info.json).

    .venv/bin/python scripts/build_precomputed.py            # rebuild (about 3-5 min on 2 cores)
    .venv/bin/python scripts/build_precomputed.py --check    # does the shipped file match this code?

What goes in is listed by ``runtime.warmup.artefact_jobs`` (the t-SNE knobs, the
word maps and the digits lesson's curves and maps of the Imperfect
information page). Each map is computed with
one BLAS/OpenMP thread, as the server's worker does, in ``--jobs`` processes.
tests/test_precomputed.py recomputes a sample and checks the fingerprint;
rebuild when it fails (after changing embedcore/projection.py, the synthetic
data, the word vectors, the library versions or the settings' choices).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from embedcore import precomputed  # noqa: E402
from runtime import warmup  # noqa: E402


def _run(index: int) -> tuple[int, object]:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        value = warmup.artefact_jobs()[index].run()
    return index, np.asarray(value, dtype=np.float64) if isinstance(value, np.ndarray) else value


def build(directory: Path, jobs: int) -> None:
    entries = warmup.artefact_jobs()
    started = time.monotonic()
    maps: dict[str, np.ndarray] = {}
    objects: dict[str, object] = {}
    with ProcessPoolExecutor(max_workers=jobs) as executor:
        for done, (index, value) in enumerate(executor.map(_run, range(len(entries)), chunksize=4), 1):
            arrays, recipe = precomputed.pack(entries[index].key, value)
            maps.update(arrays)
            if recipe is not None:
                objects[entries[index].key] = recipe
            if done % 25 == 0 or done == len(entries):
                print(f"  {done}/{len(entries)} maps, {time.monotonic() - started:.0f} s", flush=True)
    directory.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(directory / precomputed.MAPS_FILE, **maps)
    info = {
        "version": precomputed.VERSION,
        "fingerprint": warmup.fingerprint(entries),
        "built_by": "scripts/build_precomputed.py",
        "build_seconds": round(time.monotonic() - started, 1),
        "entries": {job.key: repr(job.name) for job in entries},
        "objects": objects,
    }
    (directory / precomputed.INFO_FILE).write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    size = (directory / precomputed.MAPS_FILE).stat().st_size
    print(f"wrote {len(entries)} entries ({size / 2**20:.2f} MB) to {directory} in {time.monotonic() - started:.0f} s")


def check(directory: Path) -> int:
    shipped = precomputed.load(directory)
    if shipped is None:
        print("no artefact (or another format version)")
        return 1
    expected = warmup.fingerprint()
    if shipped.fingerprint != expected:
        print(f"stale: shipped fingerprint {shipped.fingerprint}, this code makes {expected}: rebuild")
        return 1
    missing = [job for job in warmup.artefact_jobs() if shipped.get(job.key) is None]
    print(f"{len(shipped)} maps, fingerprint {shipped.fingerprint} matches; {len(missing)} missing")
    return 1 if missing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    parser.add_argument("--out", type=Path, default=precomputed.DIRECTORY)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        return check(args.out)
    build(args.out, args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
