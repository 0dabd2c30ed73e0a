"""Every heavy result a finite control can ask for, named once: shipped, or warmed at start-up.

A student who moves a slider, a menu or a toggle never waits for t-SNE or
training: the result exists before they ask. Heavy results come in two kinds:

* **Precomputed and shipped** (:func:`artefact_jobs`): the maps of the
  "t-SNE has knobs" section (every data set x points x perplexity x
  iterations), the word maps of "Axes versus regions" and "Meters" (every
  group count x t-SNE/MDS) and the digits lesson's compression curve and
  2-D map for every task. ``scripts/build_precomputed.py`` writes them into
  ``embedcore/data/precomputed/`` (``embedcore.precomputed`` reads it);
  tests/test_precomputed.py checks the file matches the code that made it.
* **Warmed at start-up** (:func:`warm_jobs`): the twin models at every
  embedding width, their t-SNE maps, the model maps of section 6 (every
  model x layer x points x perplexity at every width) and the Car-Land t-SNE
  maps (every seed). :func:`start` queues them in the worker pool as
  *background* jobs when the server's pool starts; each lands in the on-disk
  ``runtime.result_cache``, which survives a restart. A student who asks for one
  that is still queued moves it to the front.

Open-ended work - the experiment form, the mixer and taxi buttons, typed
words, uploads - is not here: it runs in the worker pool on demand.

The page code and this module name a result the same way (a :class:`Job`'s
``name``), so a page finds what the build or the warm-up made. Nothing here
imports streamlit (the worker imports the compute functions), and
``app_state`` is read only inside the functions that list the jobs.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from runtime import result_cache

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent

# The "Imperfect information" page's seeded settings (ui.imperfect_information.cache uses these).
II_SEED = 0
WORD_PERPLEXITY = 15.0
WORD_TSNE_ITERATIONS = 500
# Model maps and twin maps (features & losses) and Car-Land (format matters).
DIGITS_RESOLUTION = 90
FE_TSNE_ITERATIONS = 500
FM_TSNE_PERPLEXITY = 10.0
FM_TSNE_ITERATIONS = 500


@dataclass(frozen=True)
class Job:
    """One heavy result: its ``name`` (the settings that decide it) and how to compute it."""

    name: tuple[Any, ...]
    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def key(self) -> str:
        return result_cache.key_of(self.name)

    def run(self) -> Any:
        return self.fn(*self.args, **dict(self.kwargs))


# --------------------------------------------------------------------------
# Names (shared with the pages)
# --------------------------------------------------------------------------
def projection_name(what: tuple[Any, ...], method: str, *, random_state: int, perplexity: float,
                    max_iter: int) -> tuple[Any, ...]:
    """The name of a 2-D map of the points named ``what``."""
    return ("projection", what, method, int(random_state), float(perplexity), int(max_iter))


def tsne_knob_name(dataset: str, n_points: int, perplexity: int, iterations: int) -> tuple[Any, ...]:
    return projection_name(("ii.tsne", dataset, int(n_points)), "tsne", random_state=II_SEED,
                           perplexity=float(perplexity), max_iter=int(iterations))


def word_map_name(groups: tuple[str, ...], method: str) -> tuple[Any, ...]:
    return projection_name(("ii.words", tuple(groups)), method, random_state=II_SEED,
                           perplexity=WORD_PERPLEXITY, max_iter=WORD_TSNE_ITERATIONS)


def fe_points_name(experiment: Any, layer: str, points: Any) -> tuple[Any, ...]:
    """What the points of a model map are. The input layer is the same pictures for every model."""
    if layer == "input":
        return ("fe.input", experiment.dataset, tuple(experiment.features), experiment.seed, points)
    return ("fe.layer", experiment, layer, points)


def carland_name(words: tuple[str, ...]) -> tuple[Any, ...]:
    return ("fm.words", tuple(words))


def training_name(experiments: tuple[Any, ...]) -> tuple[Any, ...]:
    return ("train", tuple(experiments))


# --------------------------------------------------------------------------
# Compute functions (run in the worker process or the build script)
# --------------------------------------------------------------------------
def tsne_knob_map(dataset: str, n_points: int, perplexity: int, iterations: int) -> np.ndarray:
    from embedcore.projection import project_2d
    from embedcore.synthetic import make_dataset

    X, _ = make_dataset(dataset, int(n_points), random_state=II_SEED)
    return project_2d(X, "tsne", random_state=II_SEED, perplexity=float(perplexity), max_iter=int(iterations))


@functools.lru_cache(maxsize=1)
def _word_vectors() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from embedcore.wordvectors import load_word_vectors

    return load_word_vectors()


def concept_vectors(groups: tuple[str, ...]) -> np.ndarray:
    """The vectors of the words of ``groups``, as ``ui.imperfect_information.cache.concepts`` makes them."""
    from embedcore.concepts import concept_words

    wv = _word_vectors()
    words, _ = concept_words(groups, vocabulary=wv)
    return np.stack([wv.vector(w) for w in words]).astype(np.float64)


HOMEWORK_NAME: tuple[Any, ...] = ("ii.homework", "points")


def homework_points() -> np.ndarray:
    """The homework's t-SNE map of many concept groups' words, shape (n_words, 2) (embedcore.homework)."""
    from embedcore import homework

    return homework.homework_points(concept_vectors(homework.MAP_GROUPS))


def word_map(groups: tuple[str, ...], method: str) -> np.ndarray:
    from embedcore.projection import project_2d

    return project_2d(concept_vectors(tuple(groups)), method, random_state=II_SEED, perplexity=WORD_PERPLEXITY,
                      max_iter=WORD_TSNE_ITERATIONS)


@functools.lru_cache(maxsize=1)
def _digits() -> Any:
    from embedcore import compression

    return compression.load_digits_split(test_size=0.3, random_state=II_SEED)


def compression_curve(task: str) -> Any:
    """Reconstruction error and held-out accuracy for every code size (ui.imperfect_information.cache)."""
    from embedcore import compression

    return compression.compression_curve(_digits(), np.arange(1, compression.N_PIXELS + 1), task=task)


def digits_map(task: str, resolution: int) -> tuple[Any, Any]:
    """Decision regions on the 2-D PCA map of the digits, and the map's meters."""
    from embedcore import compression, meters

    split = _digits()
    result = compression.digits_map(split, task=task, resolution=resolution)
    return result, meters.map_meters(split.X_test, result.points, k=10)


def train(experiments: tuple[Any, ...]) -> list[Any]:
    from embedcore.experiments import run_together

    return run_together(list(experiments))


@functools.lru_cache(maxsize=2)
def _trained(experiments: tuple[Any, ...]) -> list[Any]:
    """Trained results in the worker: from the disk cache (the warm-up trains them first), else trained now."""
    return result_cache.compute_stored(result_cache.key_of(training_name(experiments)), train, experiments)


def fe_map(experiments: tuple[Any, ...], which: int, layer: str, n_points: Any, method: str,
           perplexity: float) -> np.ndarray:
    """A model map of section 6 (``n_points`` fresh pictures) or a twin map (``n_points == "test"``)."""
    from embedcore import experiments as ex
    from embedcore.projection import project_2d

    result = _trained(tuple(experiments))[which]
    if n_points == "test":
        Z = result.test_embedding
    else:
        data = ex.fresh_images(result.experiment, int(n_points))
        Z = result.model.transform(ex.features(result.experiment, data), layer=layer)
    return project_2d(Z, method, random_state=0, perplexity=float(perplexity), max_iter=FE_TSNE_ITERATIONS)


def carland_map(words: tuple[str, ...], method: str, seed: int) -> Any:
    from embedcore.encoding import encode_texts
    from embedcore.projection import project_2d

    vectors = encode_texts(_word_vectors(), list(words)).vectors
    return project_2d(vectors, method, random_state=int(seed), perplexity=FM_TSNE_PERPLEXITY,
                      max_iter=FM_TSNE_ITERATIONS)


# --------------------------------------------------------------------------
# The two lists
# --------------------------------------------------------------------------
def tsne_knob_grid() -> Iterator[tuple[str, int, int, int]]:
    """Every (data set, points, perplexity, iterations) the t-SNE knobs can ask for, small multiples included."""
    from app_state import II
    from embedcore.synthetic import DATASETS

    lo, hi = II.tsne_points.bounds
    for dataset in DATASETS:
        for n_points in range(int(lo), int(hi) + 1, 100):
            for perplexity in II.perplexity.choices:
                for iterations in II.iterations.choices:
                    yield dataset, n_points, int(perplexity), int(iterations)


def word_map_grid() -> Iterator[tuple[tuple[str, ...], str]]:
    from app_state import II
    from embedcore.concepts import REGION_GROUPS

    lo, hi = II.groups.bounds
    for n_groups in range(int(lo), int(hi) + 1):
        for method in ("tsne", "mds"):
            yield tuple(REGION_GROUPS[:n_groups]), method


def artefact_jobs() -> list[Job]:
    """What ``scripts/build_precomputed.py`` ships in ``embedcore/data/precomputed/``."""
    jobs = [Job(tsne_knob_name(*cell), tsne_knob_map, cell) for cell in tsne_knob_grid()]
    jobs += [Job(word_map_name(groups, method), word_map, (groups, method)) for groups, method in word_map_grid()]
    from embedcore.compression import TASKS

    # The digits lesson (section 1): every task's compression curve and 2-D map.
    for task in TASKS:
        jobs.append(Job(("ii.compression_curve", task), compression_curve, (task,)))
        jobs.append(Job(("ii.digits_map", task, DIGITS_RESOLUTION), digits_map, (task, DIGITS_RESOLUTION)))
    # The homework's map of many concept groups: the page computes its evidence from it (a few ms).
    jobs.append(Job(HOMEWORK_NAME, homework_points))
    return jobs


def _twins(width: int) -> tuple[Any, Any]:
    from embedcore import experiments as ex

    return ex.twins(ex.Experiment(embedding_size=int(width)))


def checkpoint_models() -> list[tuple[Any, ...]]:
    """The models the Features & losses checkpoints train, as ``ui.training.train_live`` is given them."""
    from app_state import FE

    narrow_wide = tuple(_twins(w)[1] for w in (2, 16))
    greys = [(_twins(w)[0].with_(features=("grey",)),) for w in FE.width.choices]
    return [narrow_wide, *greys]


def warm_jobs() -> list[Job]:
    """What the server computes in the background at start-up, in the order a class is likely to need it."""
    from app_state import FE, FM
    from embedcore.wordlists import CAR_LAND

    jobs: list[Job] = []
    widths = [FE.width.default, *(w for w in FE.width.choices if w != FE.width.default)]
    layers = ("input", "hidden 1", "embedding")  # the twins: pixels -> 64 units -> the embedding
    perplexities = [FE.map_perplexity.default, *(p for p in FE.map_perplexity.choices if p != FE.map_perplexity.default)]
    points = [FE.map_points.default, *(n for n in FE.map_points.choices if n != FE.map_points.default)]
    seen: set[str] = set()

    def add(job: Job) -> None:
        if job.key not in seen:
            seen.add(job.key)
            jobs.append(job)

    for width in widths:
        twins = _twins(width)
        add(Job(training_name(twins), train, (twins,)))
        for which, experiment in enumerate(twins):
            name = projection_name(fe_points_name(experiment, "embedding", "test"), "tsne", random_state=0,
                                   perplexity=30.0, max_iter=FE_TSNE_ITERATIONS)
            add(Job(name, fe_map, (twins, which, "embedding", "test", "tsne", 30.0)))
        for perplexity in perplexities:
            for n_points in points:
                for which, experiment in enumerate(twins):
                    for layer in layers:
                        name = projection_name(fe_points_name(experiment, layer, n_points), "tsne", random_state=0,
                                               perplexity=float(perplexity), max_iter=FE_TSNE_ITERATIONS)
                        add(Job(name, fe_map, (twins, which, layer, n_points, "tsne", float(perplexity))))
    # The Features & losses checkpoints' models: model B at widths 2 and 16, and model A on grey pictures.
    for models in checkpoint_models():
        add(Job(training_name(models), train, (models,)))
    lo, hi = FM.map_seed.bounds
    for seed in range(int(lo), int(hi) + 1):
        name = projection_name(carland_name(CAR_LAND), "tsne", random_state=seed, perplexity=FM_TSNE_PERPLEXITY,
                               max_iter=FM_TSNE_ITERATIONS)
        add(Job(name, carland_map, (tuple(CAR_LAND), "tsne", seed)))
    return jobs


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
    "embedcore/concepts.py",
    "embedcore/homework.py",
    "embedcore/wordvectors.py",
    "embedcore/data/word_vectors/model.safetensors",
    "embedcore/data/word_vectors/words.tsv",
)


def fingerprint(jobs: list[Job] | None = None) -> str:
    """What made the artefact: the code and data files, library versions and every entry's name."""
    from importlib.metadata import version  # not importing the libraries: cheap at a server's start

    digest = hashlib.sha256()
    digest.update(f"numpy {version('numpy')} scipy {version('scipy')} sklearn {version('scikit-learn')}\n".encode())
    for relative in _FINGERPRINT_SOURCES:
        digest.update(relative.encode() + b"\n")
        digest.update(hashlib.sha256((ROOT / relative).read_bytes()).digest())
    for job in jobs if jobs is not None else artefact_jobs():
        digest.update(repr(job.name).encode() + b"\n")
    return digest.hexdigest()[:24]


# --------------------------------------------------------------------------
# Starting the warm-up
# --------------------------------------------------------------------------
def enabled() -> bool:
    """Warm-up at start-up is on unless ``WHY_EMBEDDINGS_WARMUP=0`` (the tests turn it off)."""
    return os.environ.get("WHY_EMBEDDINGS_WARMUP", "1").strip().lower() not in {"0", "false", "no", "off"}


def pending(jobs: list[Job] | None = None, cache: result_cache.ResultCache | None = None) -> list[Job]:
    """The warm-up jobs whose results are not on disk yet."""
    cache = cache or result_cache.ResultCache()
    return [job for job in (jobs if jobs is not None else warm_jobs()) if job.key not in cache]


def submit_all(pool: Any, jobs: list[Job] | None = None) -> list[Any]:
    """Queue the missing warm-up results in ``pool`` as background jobs; returns their tickets."""
    directory = str(result_cache.cache_dir())
    tickets = []
    for job in pending(jobs):
        tickets.append(pool.submit(result_cache.compute_stored, job.key, job.fn, *job.args, directory=directory,
                                   background=True, key=("cached", job.key), **dict(job.kwargs)))
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
    jobs = warm_jobs()
    todo = pending(jobs)
    print(f"warm-up: {len(jobs)} results, {len(todo)} missing from {result_cache.cache_dir()}")
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
