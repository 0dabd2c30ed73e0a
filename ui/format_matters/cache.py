"""Cached computations of the "Format matters" page.

Caching lives here, in the UI layer, around plain embedcore calls. The word
vectors are an argument like any other: ``hash_funcs`` names them by
:func:`wv_key` (the bundled set by its identity, an upload by its content),
so callers never pass a cache key and the cache never mixes results from
two different embeddings.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from app_state import FM
from embedcore import encoding, regions, wordaxes, wordlists, wordmap, wordvectors
from embedcore.encoding import WordVectorsLike
from runtime import jobs
from ui import heavy

# t-SNE on ~40 words converges well within this; fewer iterations keep the
# first (uncached) draw of the map short on a busy classroom server.
TSNE_ITERATIONS = jobs.FM_TSNE_ITERATIONS
TSNE_PERPLEXITY = jobs.FM_TSNE_PERPLEXITY
NOISE_MAX = FM.noise.bounds[1]  # the sweep runs as far as the slider goes
# One sweep step per slider value (0, 0.1, ..., 5): the noise chart's slider switches between them in the browser.
NOISE_STEPS = int(round((FM.noise.bounds[1] - FM.noise.bounds[0]) / FM.noise.step)) + 1


def wv_key(wv: WordVectorsLike) -> str:
    """A cache key for a word-vector object.

    The bundled vectors live for the whole process, so their ``id`` names
    them. An uploaded set lives in one session and Python reuses the ``id``
    of a dropped object, so it is named by its content (``fingerprint``):
    two sessions, or two uploads, never share a result unless their vectors
    are the same.
    """
    fingerprint = getattr(wv, "fingerprint", None)
    if isinstance(fingerprint, str):
        return f"upload:{fingerprint}"
    return f"{type(wv).__name__}@{id(wv):x}:{len(wv.words)}"


# How st.cache_data hashes word vectors: by wv_key, never by their 20 MB of numbers.
# (By the classes' full names, so that importing this module loads neither class.)
_BY_KEY = {"embedcore.wordvectors.WordVectors": wv_key, "embedcore.userdata.UploadedWordVectors": wv_key}


@st.cache_resource(show_spinner=False)
def provenance() -> tuple[str, str]:
    """:func:`embedcore.wordvectors.provenance`: the bundled vectors' source model and distiller, read once."""
    return wordvectors.provenance()


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=_BY_KEY)
def noise_sweep(wv: WordVectorsLike, text: str, random_state: int) -> encoding.NoiseSweep:
    """Decoding of ``text`` along one seeded noise direction, at every value of the noise slider."""
    vector = encoding.encode_texts(wv, [text]).vectors[0]
    return encoding.noise_sweep(wv, vector, max_size=NOISE_MAX, n_steps=NOISE_STEPS, random_state=random_state)


@st.cache_data(max_entries=256, show_spinner=False, hash_funcs=_BY_KEY)
def round_trip(wv: WordVectorsLike, text: str, noise: float, random_state: int) -> encoding.RoundTrip:
    """:func:`embedcore.encoding.round_trip` with its top 5: two rankings of the whole vocabulary, kept
    so a class dragging the noise slider over the same values ranks each point once."""
    return encoding.round_trip(wv, text, noise, random_state, k=5)


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=_BY_KEY)
def toward_neighbour(wv: WordVectorsLike, word: str) -> encoding.TowardNeighbour:
    """:func:`embedcore.encoding.toward_neighbour` from ``word``'s own vector (one ranking, kept)."""
    return encoding.toward_neighbour(wv, wv.vector(word), word)


@st.cache_data(max_entries=32, hash_funcs=_BY_KEY, show_spinner="Drawing the map (t-SNE takes a few seconds the first time)...")
def projection(wv: WordVectorsLike, words: tuple[str, ...], method: str,
               random_state: int) -> heavy.Projected:
    """The 2-D map of ``words``: cached on its own, so changing k never reruns t-SNE.

    t-SNE runs in the worker process; words it cannot map (an upload whose
    vectors all point the same way) get a PCA map and a note.
    """
    def vectors() -> np.ndarray:
        return encoding.encode_texts(wv, list(words)).vectors

    # The bundled Car-Land words' maps are warmed at start-up (runtime/warmup.py); typed words and uploads are not kept.
    if not wv_key(wv).startswith("upload:") and tuple(words) == tuple(wordlists.CAR_LAND):
        return heavy.mapped(jobs.carland_map, tuple(words), method, int(random_state), method=method, points=vectors)
    return heavy.projection(vectors(), method, random_state=random_state, perplexity=TSNE_PERPLEXITY,
                            max_iter=TSNE_ITERATIONS)


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs=_BY_KEY)
def word_map(
    wv: WordVectorsLike, words: tuple[str, ...], method: str, n_clusters: int, random_state: int,
    cluster_on: str = "space",
) -> tuple[wordmap.WordMap, tuple[np.ndarray, np.ndarray, np.ndarray], heavy.Projected]:
    """The Car-Land map, its k-means groups, their shaded regions, and how the map was made."""
    projected = projection(wv, words, method, random_state)
    built = wordmap.build_word_map(wv, list(words), projected.coords, n_clusters=n_clusters,
                                   random_state=random_state, cluster_on=cluster_on)
    grid = regions.region_grid(built.coords, built.labels, resolution=90, n_neighbors=3)
    return built, grid, projected


@st.cache_data(max_entries=4, show_spinner=False, hash_funcs=_BY_KEY)
def profession_bias(wv: WordVectorsLike) -> tuple[list[str], np.ndarray, str]:
    """Professions' coordinates on the many-pairs gender axis, for the bias note."""
    preset = wordlists.GENDER_AXIS
    axis = wordaxes.make_axis(wv, preset.negative, preset.positive)
    words = list(wordlists.BIAS_PROFESSIONS)
    return words, wordaxes.axis_scores(wv, words, axis), axis.label
