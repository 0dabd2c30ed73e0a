"""The heavy results' compute functions: plain settings in, arrays made inside.

Every heavy result a page shows is one call of a function here, and the call
names it: ``result_cache.call_key(fn, *settings)`` is the function's
qualified name and its plain arguments (strings, numbers, tuples, frozen
dataclasses such as an ``Experiment``), never an array. The page asks with
``ui.heavy.cached(jobs.word_map, groups, "tsne")``, the warm-up and the build
(``runtime.warmup``) list the same calls, so the three always agree on the
key, and each result is computed in exactly one place: here, in the worker
process (or the build script).

The functions build their own inputs (the word vectors, the digits, the
pictures, a trained model from the shared cache), so nothing large crosses
the pipe to the worker and nothing large is hashed. Nothing here imports
streamlit; ``app_state`` is not read at all.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np

from runtime import result_cache

# The "Imperfect information" page's seeded settings (ui.imperfect_information.cache uses these).
II_SEED = 0
TSNE_KNOB_POINTS = 300  # points of each "t-SNE has knobs" data set
WORD_PERPLEXITY = 15.0
WORD_TSNE_ITERATIONS = 500
# Model maps and twin maps (features & losses) and Car-Land (format matters).
DIGITS_RESOLUTION = 90
FE_TSNE_ITERATIONS = 500
FM_TSNE_PERPLEXITY = 10.0
FM_TSNE_ITERATIONS = 500


# --------------------------------------------------------------------------
# Imperfect information
# --------------------------------------------------------------------------
def tsne_knob_run(dataset: str, n_points: int, perplexity: float, iterations: tuple[int, ...]) -> tuple[Any, Any]:
    """The "t-SNE has knobs" section's run of a lesson data set: its snapshots at ``iterations`` and their readings.

    ``(embedcore.tsne.TsneRun, embedcore.tsne.RunReadings)``: the exact t-SNE, photographed along the
    optimisation (the section plays it), and what each photo shows of the known structure.
    """
    from embedcore import tsne
    from embedcore.projection import spread_scale
    from embedcore.synthetic import make_dataset

    X, labels = make_dataset(dataset, int(n_points), random_state=II_SEED)
    scaled = (X - X.mean(axis=0)) / spread_scale(X)  # centred, spread 1: as project_2d hands t-SNE its points
    run = tsne.run_with_snapshots(scaled, float(perplexity), tuple(int(i) for i in iterations))
    return run, tsne.read_run(X, labels, run)


@functools.lru_cache(maxsize=1)
def _word_vectors() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from embedcore.wordvectors import load_word_vectors

    return load_word_vectors()


def concept_vectors(groups: tuple[str, ...]) -> np.ndarray:
    """The vectors (n_words, dim) of the words of ``groups``, as ``ui.imperfect_information.cache.concepts`` makes them."""
    from embedcore.concepts import concept_words

    wv = _word_vectors()
    words, _ = concept_words(groups, vocabulary=wv)
    return np.stack([wv.vector(w) for w in words]).astype(np.float64)


def homework_points() -> np.ndarray:
    """The homework's t-SNE map of many concept groups' words, shape (n_words, 2) (embedcore.homework)."""
    from embedcore import homework

    return homework.homework_points(concept_vectors(homework.MAP_GROUPS))


def word_map(groups: tuple[str, ...], method: str) -> np.ndarray:
    """The 2-D map (n_words, 2) of the words of ``groups`` by ``method`` ("tsne" or "mds")."""
    from embedcore.projection import project_2d

    return project_2d(concept_vectors(tuple(groups)), method, random_state=II_SEED, perplexity=WORD_PERPLEXITY,
                      max_iter=WORD_TSNE_ITERATIONS)


@functools.lru_cache(maxsize=1)
def _digits() -> Any:
    from embedcore import compression

    return compression.load_digits_split(test_size=0.3, random_state=II_SEED)


def compression_curve(task: str) -> Any:
    """Reconstruction error and held-out accuracy for every code size (``embedcore.compression``)."""
    from embedcore import compression

    return compression.compression_curve(_digits(), np.arange(1, compression.N_PIXELS + 1), task=task)


def digits_map(task: str, resolution: int) -> tuple[Any, Any]:
    """Decision regions on the 2-D PCA map of the digits, and the map's meters."""
    from embedcore import compression, meters

    split = _digits()
    result = compression.digits_map(split, task=task, resolution=int(resolution))
    return result, meters.map_meters(split.X_test, result.points, k=10)


# --------------------------------------------------------------------------
# Features, embeddings & losses
# --------------------------------------------------------------------------
def trained(experiment: Any) -> Any:
    """One trained model and what it measured (``embedcore.experiments.run``).

    Seeded, so an experiment trained alone or beside its twin is the same model:
    :func:`train_together` stores each of its results under this call's key.
    """
    from embedcore.experiments import run

    return run(experiment)


def train_together(experiments: tuple[Any, ...], on_progress: Any = None) -> list[Any]:
    """Train ``experiments`` side by side, reporting every epoch; each result is stored as ``trained(e)``.

    ``on_progress(epoch, n_epochs, losses)`` is the worker's reporter (the page
    draws the loss curves from it). Returns the results in order.
    """
    from embedcore.experiments import run_together

    cache = result_cache.ResultCache()
    stored = [cache.get(result_cache.call_key(trained, e)) for e in experiments]
    if all(value is not result_cache.MISSING for value in stored):
        return stored
    results = run_together(list(experiments), on_epoch=on_progress)
    for experiment, result in zip(experiments, results):
        cache.set(result_cache.call_key(trained, experiment), result)
    return results


@functools.lru_cache(maxsize=4)
def _trained_here(experiment: Any) -> Any:
    """A trained model in this process: from the shared cache (the warm-up trains them first), else trained now."""
    return result_cache.run_stored(trained, experiment)


def fe_points(experiment: Any, layer: str, n_points: int, model: Any) -> np.ndarray:
    """``layer``'s outputs (n_points, layer width) of ``model`` on ``n_points`` fresh pictures of ``experiment``."""
    from embedcore import experiments as ex

    data = ex.fresh_images(experiment, int(n_points))
    return model.transform(ex.features(experiment, data), layer=layer)


def layer_width(model: Any, layer: str) -> int:
    """Numbers per picture at ``layer`` of a trained ``embedcore.nn.MLP`` (no pictures needed)."""
    depth = model.layer_names_.index(layer)  # 0 = input; then a Dense and its activation per step
    return int(model.n_features_in_ if depth == 0 else model.layers_[2 * depth - 2].W.shape[1])


def fe_map(experiment: Any, layer: str, n_points: int | str, method: str, perplexity: float) -> np.ndarray:
    """A model map of section 6 (``n_points`` fresh pictures) or a twin map (``n_points == "test"``), (n, 2)."""
    from embedcore.projection import project_2d

    result = _trained_here(experiment)
    if n_points == "test":
        Z = result.test_embedding
    else:
        Z = fe_points(experiment, layer, int(n_points), result.model)
    return project_2d(Z, method, random_state=0, perplexity=float(perplexity), max_iter=FE_TSNE_ITERATIONS)


def input_map(dataset: str, features: tuple[str, ...], seed: int, n_points: int, method: str,
              perplexity: float) -> np.ndarray:
    """The map (n_points, 2) of the input layer: the pictures' features, the same for every model trained on them."""
    from embedcore import experiments as ex
    from embedcore.projection import project_2d

    experiment = ex.Experiment(dataset=dataset, features=tuple(features), seed=int(seed))  # what decides the pictures
    X = ex.features(experiment, ex.fresh_images(experiment, int(n_points)))
    return project_2d(X, method, random_state=0, perplexity=float(perplexity), max_iter=FE_TSNE_ITERATIONS)


def fe_call(experiment: Any, layer: str, n_points: int | str, method: str, perplexity: float) -> tuple[Any, ...]:
    """The call ``(fn, *settings)`` that makes a model's map: the page and the warm-up ask for the same one.

    The input layer's map is the pictures' alone, shared by every model (and width) that sees them.
    """
    if layer == "input" and n_points != "test":
        return (input_map, experiment.dataset, tuple(experiment.features), int(experiment.seed), int(n_points),
                method, float(perplexity))
    return (fe_map, experiment, layer, n_points if n_points == "test" else int(n_points), method, float(perplexity))


# --------------------------------------------------------------------------
# Format matters
# --------------------------------------------------------------------------
def carland_map(words: tuple[str, ...], method: str, seed: int) -> np.ndarray:
    """The Car-Land map (n_words, 2) of the bundled vectors' ``words``."""
    from embedcore.encoding import encode_texts
    from embedcore.projection import project_2d

    vectors = encode_texts(_word_vectors(), list(words)).vectors
    return project_2d(vectors, method, random_state=int(seed), perplexity=FM_TSNE_PERPLEXITY,
                      max_iter=FM_TSNE_ITERATIONS)
