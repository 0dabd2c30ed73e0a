"""Every heavy result a finite control can ask for, listed once: shipped, or warmed at start-up.

A student who moves a slider, a menu or a toggle never waits for t-SNE or
training: the result exists before they ask. Each result is one call of a
compute function in ``runtime.jobs``, and the call is its name. Heavy
results come in two kinds:

* **Precomputed and shipped** (:func:`artefact_jobs`): the runs of the
  "t-SNE has knobs" section (every data set x perplexity, each photographed
  at every iteration its slider offers), the word maps of "Axes versus regions" and "Meters" (every
  group count x t-SNE/MDS) and the digits lesson's compression curve and
  2-D map for every task. ``scripts/build_precomputed.py`` writes them into
  ``embedcore/data/precomputed/`` (``embedcore.precomputed`` reads it);
  tests/test_precomputed.py checks the file matches the code that made it.
* **Warmed at start-up** (:func:`warm_jobs`): the twin models at every
  embedding width, the model maps of Features & losses (every model x layer
  x points x perplexity at every width), the models that lesson shows by
  itself (its checkpoints', the loss mixer's family, the taxi example's and
  the levers' defaults) and the Car-Land t-SNE maps (every seed). :func:`start` queues them in the worker pool as
  *background* jobs when the server's pool starts - the one warm-up; each
  lands in the on-disk ``runtime.result_cache``, in its warm budget, which
  survives a restart. A student who asks for one that is still queued moves
  it to the front.

Open-ended work - the experiment form, the mixer and taxi buttons, typed
words, uploads - is not here: it runs in the worker pool on demand.

Nothing here imports streamlit (the worker imports the compute functions),
and ``app_state`` is read only inside the functions that list the jobs.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runtime import jobs, result_cache

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Job:
    """One heavy result: the call that makes it, ``fn(*args)``, which also names it."""

    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()

    @property
    def name(self) -> tuple[Any, ...]:
        return result_cache.call_name(self.fn, self.args)

    @property
    def key(self) -> str:
        return result_cache.key_of(self.name)

    def run(self) -> Any:
        return self.fn(*self.args)


# --------------------------------------------------------------------------
# The two lists
# --------------------------------------------------------------------------
def tsne_knob_grid() -> Iterator[tuple[str, int, int, tuple[int, ...]]]:
    """Every (data set, points, perplexity, snapshot iterations) run the t-SNE knobs can play, small multiples included."""
    from app_state import II
    from embedcore.synthetic import DATASETS

    for dataset in DATASETS:
        for perplexity in II.perplexity.choices:
            yield dataset, jobs.TSNE_KNOB_POINTS, int(perplexity), tuple(int(i) for i in II.iterations.choices)


def word_map_grid() -> Iterator[tuple[tuple[str, ...], str]]:
    from app_state import II
    from embedcore.concepts import REGION_GROUPS

    lo, hi = II.groups.bounds
    for n_groups in range(int(lo), int(hi) + 1):
        for method in ("tsne", "mds"):
            yield tuple(REGION_GROUPS[:n_groups]), method


def artefact_jobs() -> list[Job]:
    """What ``scripts/build_precomputed.py`` ships in ``embedcore/data/precomputed/``."""
    from embedcore.compression import TASKS
    from embedcore.homework import MAP_GROUPS  # noqa: F401 - the homework map's groups (jobs.homework_points)

    listed = [Job(jobs.tsne_knob_run, cell) for cell in tsne_knob_grid()]
    listed += [Job(jobs.word_map, (groups, method)) for groups, method in word_map_grid()]
    # The digits lesson (section 1): every task's compression curve and 2-D map.
    for task in TASKS:
        listed.append(Job(jobs.compression_curve, (task,)))
        listed.append(Job(jobs.digits_map, (task, jobs.DIGITS_RESOLUTION)))
    # The homework's map of many concept groups: the page computes its evidence from it (a few ms).
    listed.append(Job(jobs.homework_points))
    return listed


def _twins(width: int) -> tuple[Any, Any]:
    from embedcore import experiments as ex

    return ex.twins(ex.Experiment(embedding_size=int(width)))


def checkpoint_models() -> list[Any]:
    """The models the Features & losses checkpoints train (``ui/features_losses/checks.py``)."""
    from app_state import FE

    return [_twins(2)[1], _twins(16)[1], *(_twins(w)[0].with_(features=("grey",)) for w in FE.width.choices)]


def opening_models() -> list[Any]:
    """The models Features & losses shows on its first open besides the twins: the taxi example's default run
    and the levers' "one more feature" comparison (``ui/features_losses/taxi.py``, ``levers.py``;
    tests/test_features_losses_warmup.py checks they agree)."""
    from app_state import FE
    from embedcore import experiments as ex

    listed = [e for _, e in ex.taxi_models(FE.taxi_train.default, yellowness=True, colour_head=True,
                                           colour_weight=FE.taxi_colour_w.default)]
    weights = {"taxi": FE.exp_w_taxi.default, "colour": FE.exp_w_colour.default, "vehicle": FE.exp_w_vehicle.default}
    for seed in (0, 1, 2):
        for features in (tuple(FE.exp_features.default), (*FE.exp_features.default, "grey")):
            listed.append(ex.designed("vehicles", n_train=FE.exp_train.default, features=features,
                                      depth=FE.exp_depth.default, hidden=FE.exp_hidden.default,
                                      embedding=FE.exp_embedding.default, activation=FE.exp_activation.default,
                                      weights=weights, seed=seed))
    return listed


def mixer_models() -> list[Any]:
    """The loss mixer's family: one model per w of its slider, at the default width (``ui/features_losses/checks.py``)."""
    from app_state import FE
    from embedcore import experiments as ex

    return [ex.mixed(_twins(FE.width.default)[0], w) for w in ex.mixer_ws(FE.mix_w.step)]


def warm_jobs() -> list[Job]:
    """What the server computes in the background at start-up, in the order a class is likely to need it."""
    from app_state import FE, FM
    from embedcore.wordlists import CAR_LAND

    listed: list[Job] = []
    widths = [FE.width.default, *(w for w in FE.width.choices if w != FE.width.default)]
    layers = ("input", "hidden 1", "embedding")  # the twins: pixels -> 64 units -> the embedding
    perplexities = [FE.map_perplexity.default, *(p for p in FE.map_perplexity.choices if p != FE.map_perplexity.default)]
    points = [FE.map_points.default, *(n for n in FE.map_points.choices if n != FE.map_points.default)]
    seen: set[str] = set()

    def add(fn: Callable[..., Any], *args: Any) -> None:
        job = Job(fn, args)
        if job.key not in seen:
            seen.add(job.key)
            listed.append(job)

    # The lesson's first open: the default twins, then the taxi and levers runs it shows by itself.
    for experiment in (*_twins(FE.width.default), *opening_models()):
        add(jobs.trained, experiment)
    for width in widths:
        twins = _twins(width)
        for experiment in twins:
            add(jobs.trained, experiment)
        for perplexity in perplexities:
            for n_points in points:
                for experiment in twins:
                    for layer in layers:
                        add(*jobs.fe_call(experiment, layer, n_points, "tsne", perplexity))
    # The Features & losses checkpoints' models: model B at widths 2 and 16, and model A on grey pictures.
    for experiment in checkpoint_models():
        add(jobs.trained, experiment)
    for experiment in mixer_models():
        add(jobs.trained, experiment)
    lo, hi = FM.map_seed.bounds
    for seed in range(int(lo), int(hi) + 1):
        add(jobs.carland_map, tuple(CAR_LAND), "tsne", seed)
    return listed


@functools.lru_cache(maxsize=1)
def warm_keys() -> frozenset[str]:
    """The keys of every result a finite control can ask for (warmed or shipped): the cache's warm budget."""
    return frozenset(job.key for job in (*warm_jobs(), *artefact_jobs()))


# --------------------------------------------------------------------------
# The shipped artefact's fingerprint
# --------------------------------------------------------------------------
_FINGERPRINT_SOURCES = (
    "embedcore/compression.py",
    "embedcore/clusters.py",
    "embedcore/distances.py",
    "embedcore/knn.py",
    "embedcore/meters.py",
    "embedcore/projection.py",
    "embedcore/synthetic.py",
    "embedcore/tsne.py",
    "embedcore/concepts.py",
    "embedcore/homework.py",
    "embedcore/wordvectors.py",
    "embedcore/data/word_vectors/model.safetensors",
    "embedcore/data/word_vectors/words.tsv",
)


def fingerprint(listed: list[Job] | None = None) -> str:
    """What made the artefact: the code and data files, library versions and every entry's name."""
    from importlib.metadata import version  # not importing the libraries: cheap at a server's start

    digest = hashlib.sha256()
    digest.update(f"numpy {version('numpy')} scipy {version('scipy')} sklearn {version('scikit-learn')}\n".encode())
    for relative in _FINGERPRINT_SOURCES:
        digest.update(relative.encode() + b"\n")
        digest.update(hashlib.sha256((ROOT / relative).read_bytes()).digest())
    for job in listed if listed is not None else artefact_jobs():
        digest.update(repr(job.name).encode() + b"\n")
    return digest.hexdigest()[:24]


# --------------------------------------------------------------------------
# Starting the warm-up
# --------------------------------------------------------------------------
def enabled() -> bool:
    """Warm-up at start-up is on unless ``WHY_EMBEDDINGS_WARMUP=0`` (the tests turn it off)."""
    return os.environ.get("WHY_EMBEDDINGS_WARMUP", "1").strip().lower() not in {"0", "false", "no", "off"}


def pending(listed: list[Job] | None = None, cache: result_cache.ResultCache | None = None) -> list[Job]:
    """The warm-up jobs whose results are not on disk yet."""
    cache = cache or result_cache.ResultCache()
    return [job for job in (listed if listed is not None else warm_jobs()) if job.key not in cache]


def submit_all(pool: Any, listed: list[Job] | None = None) -> list[Any]:
    """Queue the missing warm-up results in ``pool`` as background jobs; returns their tickets."""
    directory = str(result_cache.cache_dir())
    tickets = []
    for job in pending(listed):
        tickets.append(pool.submit(result_cache.run_stored, job.fn, *job.args, directory=directory,
                                   background=True, key=job.key))
    return tickets


def start(pool: Any) -> int:
    """Warm the on-disk cache in the background (if enabled); returns how many jobs were queued."""
    if not enabled():
        return 0
    try:
        tickets = submit_all(pool)
    except Exception:  # noqa: BLE001 - a failed warm-up must never stop the server
        log.exception("could not start the warm-up")
        return 0
    log.info("warm-up: %d results queued in the background", len(tickets))
    return len(tickets)


def main(argv: list[str] | None = None) -> int:
    """``python -m runtime.warmup``: fill the on-disk cache now (before a class), and say how long it took."""
    import argparse

    from runtime.worker import WorkerPool

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--list", action="store_true", help="only count the jobs")
    args = parser.parse_args(argv)
    listed = warm_jobs()
    todo = pending(listed)
    print(f"warm-up: {len(listed)} results, {len(todo)} missing from {result_cache.cache_dir()}")
    if args.list or not todo:
        return 0
    pool = WorkerPool(n_workers=1, time_limit=120.0, max_queued=len(todo) + 1)
    started = time.monotonic()
    failures = 0
    try:
        for ticket in submit_all(pool, todo):
            try:
                ticket.result()
            except Exception as error:  # noqa: BLE001 - report and go on
                failures += 1
                print(f"  failed: {error}")
    finally:
        pool.shutdown()
    cache = result_cache.ResultCache()
    print(f"warm-up: done in {time.monotonic() - started:.0f} s, {failures} failed, "
          f"{cache.size() / 2**20:.1f} MB on disk")
    return 1 if failures else 0


if __name__ == "__main__":
    # Through the imported module, so the jobs pickle as runtime.warmup.<fn>, not __main__.<fn>.
    from runtime.warmup import main as _main

    raise SystemExit(_main())
