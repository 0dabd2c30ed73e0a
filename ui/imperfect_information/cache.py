"""Cached computations of the "Imperfect information" page.

Caching lives here, in the UI layer, around plain embedcore calls: each
function is keyed by the settings that decide its result (seed included),
so moving a control back to an earlier value is instant. Anything that can
take more than a moment says so in its spinner.

BLAS and OpenMP are held to one thread while these run: on a small shared
server, two busy threads per session fight each other and every other
session (an SVD of 1,257 x 64 was seen to stall for 1.5 s with two threads
under load, and to take 10 ms with one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from embedcore import compression, knn, meters, synthetic, tsne
from embedcore import homework as homework_maps
from embedcore.concepts import REGION_GROUPS, concept_words
from embedcore.meters import FalsePairs, MapMeters, MeterCurve
from embedcore.projection import concept_axes, rotate
from embedcore.regions import region_grid
from runtime import jobs
from runtime.worker import one_thread
from ui import heavy
from ui.cache import word_vectors

SEED = jobs.II_SEED
# Words maps: perplexity for ~30-170 words (t-SNE needs perplexity < n).
WORD_PERPLEXITY = jobs.WORD_PERPLEXITY
WORD_TSNE_ITERATIONS = jobs.WORD_TSNE_ITERATIONS
# Region shading resolution: fine enough to look smooth, cheap to predict.
RESOLUTION = jobs.DIGITS_RESOLUTION
TSNE_POINTS = jobs.TSNE_KNOB_POINTS


# --------------------------------------------------------------------------
# 1. Digits
# --------------------------------------------------------------------------
def _read_only(*arrays: np.ndarray) -> None:
    """Lock arrays that every session shares: a page that tried to change one would fail loudly."""
    for array in arrays:
        array.flags.writeable = False


@st.cache_resource(max_entries=1, show_spinner="Loading the digit images...")
def digits() -> compression.DigitsSplit:
    """scikit-learn's bundled digits, split into training and held-out images.

    A data set is loaded once per server process and shared, read-only, by
    every session (``cache_resource``: no copy per call).
    """
    split = compression.load_digits_split(test_size=0.3, random_state=SEED)
    _read_only(split.X_train, split.y_train, split.X_test, split.y_test)
    return split


@st.cache_data(max_entries=4, show_spinner="Measuring every code size from 64 down to 1...")
def compression_curve(task: str) -> compression.CompressionCurve:
    """Reconstruction error and held-out accuracy for every k from 1 to 64 (warmed at start-up, runtime/warmup.py)."""
    return heavy.cached(jobs.compression_curve, task)


@st.cache_data(max_entries=130, show_spinner="Encoding and decoding the gallery...")
def gallery(k: int) -> compression.Reconstruction:
    """One held-out image of each digit, encoded to ``k`` numbers and decoded."""
    split = digits()
    with one_thread():
        return compression.reconstruct(split, k, compression.gallery_indices(split.y_test))


@dataclass(frozen=True)
class DigitsMapResult:
    map: compression.DigitsMap
    meters: MapMeters


@st.cache_data(max_entries=4, show_spinner="Training a classifier on the 2-number codes...")
def digits_map(task: str) -> DigitsMapResult:
    """Decision regions on the 2-D PCA map, and the map's meters (warmed at start-up, runtime/warmup.py)."""
    result, meters = heavy.cached(jobs.digits_map, task, RESOLUTION)
    return DigitsMapResult(result, meters)


# --------------------------------------------------------------------------
# Word maps (sections 2-4)
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Concepts:
    groups: tuple[str, ...]
    words: tuple[str, ...]
    labels: np.ndarray
    vectors: np.ndarray  # (n_words, dim) float64, unit rows


@st.cache_resource(max_entries=16, show_spinner="Looking up the word vectors...")
def concepts(groups: tuple[str, ...]) -> Concepts:
    """The words of ``groups`` and their vectors (shared read-only by every session)."""
    wv = word_vectors()
    words, labels = concept_words(groups, vocabulary=wv)
    vectors = np.stack([wv.vector(w) for w in words]).astype(np.float64)
    _read_only(labels, vectors)
    return Concepts(tuple(groups), tuple(words), labels, vectors)


def region_groups(n_groups: int) -> tuple[str, ...]:
    """The first ``n_groups`` concept groups of the regions lesson."""
    return REGION_GROUPS[: max(2, min(int(n_groups), len(REGION_GROUPS)))]


@st.cache_data(max_entries=24, show_spinner="Projecting the words to 2-D (t-SNE and MDS take a few seconds)...")
def word_map(groups: tuple[str, ...], method: str) -> np.ndarray:
    """The 2-D map (n_words, 2) of the words of ``groups`` by ``method``."""
    # Shipped (runtime/warmup.py); t-SNE and MDS run in the worker process if not, PCA runs here.
    return heavy.mapped(jobs.word_map, tuple(groups), method, method=method,
                        points=lambda: concepts(groups).vectors).coords


@st.cache_data(max_entries=64, show_spinner="Checking whether the groups stay apart...")
def knn_accuracy(groups: tuple[str, ...], method: str | None) -> float:
    """Leave-one-out 5-NN accuracy of the groups, in full space (``None``) or on a map."""
    data = concepts(groups)
    points = data.vectors if method is None else word_map(groups, method)
    return knn.knn_accuracy(points, data.labels, k=5)


@st.cache_data(max_entries=128, show_spinner="Measuring what the map kept...")
def meters_of(groups: tuple[str, ...], points: np.ndarray) -> MapMeters:
    """The meters of a 2-D map ``points`` of the words of ``groups``.

    Keyed by the map itself (a turned map is measured, not assumed equal),
    so every student on the same view shares one SVD and two neighbour
    searches instead of paying for them on every rerun.
    """
    return meters.map_meters(concepts(groups).vectors, points)


@st.cache_data(max_entries=48, show_spinner="Shading the regions...")
def regions_of(points: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shaded concept regions (k-NN over a grid) under a 2-D map."""
    return region_grid(points, labels, resolution=RESOLUTION, n_neighbors=5)


@st.cache_data(max_entries=16, show_spinner="Measuring each word along the two concept axes...")
def axes_map(groups: tuple[str, ...]) -> np.ndarray:
    """The "one concept per axis" map: cosine with the first two groups' centres."""
    data = concepts(groups)
    return concept_axes(data.vectors, data.labels, axes=(0, 1))


@st.cache_data(max_entries=16, show_spinner="Checking whether the groups stay apart on the axes map...")
def axes_knn_accuracy(groups: tuple[str, ...]) -> float:
    """Leave-one-out 5-NN accuracy of the groups on the "one concept per axis" map."""
    return knn.knn_accuracy(axes_map(groups), concepts(groups).labels, k=5)


@dataclass(frozen=True)
class TurnCheck:
    """A map turned by every angle the slider offers, measured again against the unturned map."""

    angles: np.ndarray  # (n_angles,) degrees, 0 left out
    largest_change: float  # the largest change of any distance between two words, over every angle
    accuracy: np.ndarray  # (n_angles,) leave-one-out 5-NN accuracy of each turned map


@st.cache_data(max_entries=32, show_spinner="Turning the map through every angle...")
def turn_check(groups: tuple[str, ...], method: str, angles: tuple[int, ...]) -> TurnCheck:
    """Turn the regions map of ``groups`` by each of ``angles`` and measure what changed."""
    base = word_map(groups, method)
    labels = concepts(groups).labels
    turned = [rotate(base, angle) for angle in angles]
    return TurnCheck(
        angles=np.asarray(angles),
        largest_change=max(meters.largest_distance_change(points, base) for points in turned),
        accuracy=np.array([knn.knn_accuracy(points, labels, k=5) for points in turned]),
    )


@st.cache_data(max_entries=32, show_spinner="Measuring the meters for every number of dimensions...")
def meter_curve(groups: tuple[str, ...], max_dims: int = 64) -> MeterCurve:
    """Recall, trustworthiness and explained variance of PCA maps of 1..max_dims dimensions."""
    data = concepts(groups)
    with one_thread():
        return meters.meter_curve(data.vectors, np.arange(1, max_dims + 1), k=10)


# --------------------------------------------------------------------------
# 4. Homework
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Homework:
    concepts: Concepts
    map: homework_maps.HomeworkMap
    false_pairs: FalsePairs


@st.cache_data(max_entries=1, show_spinner="Drawing the homework map (t-SNE of every concept word)...")
def homework() -> Homework:
    """The homework's regions map of many concept groups, and its evidence.

    The t-SNE map is shipped (``scripts/build_precomputed.py``; computed in the worker if it is
    missing); the evidence is a few neighbour counts, computed here once per server.
    """
    data = concepts(homework_maps.MAP_GROUPS)
    points = heavy.cached(jobs.homework_points)
    found = homework_maps.homework_map(data.vectors, data.labels, points=points)
    return Homework(
        concepts=data,
        map=found,
        false_pairs=meters.false_neighbour_pairs(data.vectors, found.points, k=10, top=12),
    )


# --------------------------------------------------------------------------
# 5. t-SNE has knobs
# --------------------------------------------------------------------------
@st.cache_resource(max_entries=4, show_spinner="Making the data...")
def tsne_data(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The lesson's data set ``name``: its points (TSNE_POINTS, 10) and true labels (seeded; shared read-only)."""
    X, labels = synthetic.make_dataset(name, TSNE_POINTS, random_state=SEED)
    _read_only(X, labels)
    return X, labels


@dataclass(frozen=True)
class TsneFamily:
    """Every run of one data set the knobs offer: one per perplexity, each photographed at every iteration."""

    perplexities: tuple[int, ...]
    iterations: tuple[int, ...]
    runs: tuple[tsne.TsneRun, ...]  # in the order of ``perplexities``
    readings: tuple[tsne.RunReadings, ...]

    def at(self, perplexity: int) -> tuple[tsne.TsneRun, tsne.RunReadings]:
        """The run and its readings at ``perplexity`` (one of ``perplexities``)."""
        i = self.perplexities.index(perplexity)
        return self.runs[i], self.readings[i]


@st.cache_resource(max_entries=4, show_spinner=False)  # shipped: in memory already; shared read-only
def tsne_family(name: str, perplexities: tuple[int, ...], iterations: tuple[int, ...]) -> TsneFamily:
    """The t-SNE runs of data set ``name`` at each of ``perplexities`` (shipped, runtime/warmup.py)."""
    found = [heavy.cached(jobs.tsne_knob_run, name, TSNE_POINTS, int(p), tuple(iterations)) for p in perplexities]
    return TsneFamily(tuple(perplexities), tuple(iterations), tuple(r for r, _ in found), tuple(m for _, m in found))
