"""Each lesson's predict-then-reveal checkpoints, wired to the numbers the lesson measures.

One function per checkpoint. Each asks its question (``ui.checkpoint.predict``)
and hands it a judge that measures with the same cached calls the lesson
draws with, so the reveal quotes what the student is about to see. The
lesson pages call these just before the control that answers them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from embedcore import checkpoints as cp
from embedcore import encoding, metrics, toyplane
from embedcore import experiments as ex
from embedcore.encoding import WordVectorsLike
from ui import checkpoint
from ui import format_matters_cache as fm_cache
from ui import imperfect_information_cache as ii_cache
from ui.training import train_live

#: Every checked question of each lesson, for its score: the checkpoints, then the exercises.
LESSON_QUESTIONS: dict[str, list[str]] = {
    "format_matters": [c.id for c in cp.lesson_checkpoints("format_matters")]
    + ["fm.exercise.queen", "fm.exercise.aunt", "fm.exercise.axis"],
    "imperfect_information": [c.id for c in cp.lesson_checkpoints("imperfect_information")],
    "features_losses": [c.id for c in cp.lesson_checkpoints("features_losses")],
}


# --------------------------------------------------------------------------
# Format matters
# --------------------------------------------------------------------------
def toy_sum(plane: toyplane.ToyPlane) -> None:
    """Where king - man + woman lands on the student's own toy table."""
    needed = ("king", "man", "woman")
    if not all(w in plane for w in needed):
        st.caption("Put king, man and woman back in the table to try the prediction about them.")
        return

    def judge(choice: str) -> cp.Verdict:
        result = toyplane.arithmetic(plane, [(1, "king"), (-1, "man"), (1, "woman")]).point
        points = {w: plane.vector(w) for w in ("queen", "king", "woman") if w in plane}
        return cp.judge_toy_sum(choice, result, points)

    checkpoint.predict(cp.TOY_SUM, judge)


def noise_flip(wv: WordVectorsLike, seed: int) -> None:
    """How big a random push before cat stops decoding as cat (on this seed's direction)."""
    if "cat" not in wv:
        return

    def judge(choice: str) -> cp.Verdict:
        sweep = fm_cache.noise_sweep(wv, fm_cache.wv_key(wv), "cat", int(seed))
        return cp.judge_noise_flip(choice, sweep.breakpoint)

    checkpoint.predict(cp.NOISE_FLIP, judge, hint="Then type cat above and drag the noise slider to check.")


def analogy(wv: WordVectorsLike) -> None:
    """The nearest word to king - man + woman on the real vectors."""
    if not all(w in wv for w in ("king", "man", "woman")):
        return

    def judge(choice: str) -> cp.Verdict:
        vector = encoding.encode_texts(wv, ["king"]).vectors[0] - encoding.encode_texts(wv, ["man"]).vectors[0]
        vector = vector + encoding.encode_texts(wv, ["woman"]).vectors[0]
        (top, cosine), = encoding.decode(wv, vector, k=1, exclude=["king", "man", "woman"])
        return cp.judge_analogy(choice, top, cosine)

    checkpoint.predict(cp.ANALOGY, judge)


# --------------------------------------------------------------------------
# Imperfect information
# --------------------------------------------------------------------------
def smallest_code() -> None:
    """How few of the 64 numbers still name the digit 90% of the time."""

    def judge(choice: str) -> cp.Verdict:
        curve = ii_cache.compression_curve("digit")
        return cp.judge_smallest_code(choice, curve.ks, curve.accuracy)

    checkpoint.predict(cp.SMALLEST_CODE, judge, hint="Then pick the task 'Which digit?' and slide k to check.")


def regions_vs_axes(groups: tuple[str, ...], method: str) -> None:
    """Which map keeps the current groups apart better."""

    def judge(choice: str) -> cp.Verdict:
        data = ii_cache.concepts(groups)
        on_axes = metrics.knn_accuracy(ii_cache.axes_map(groups), data.labels, k=5)
        return cp.judge_regions_vs_axes(choice, on_axes, ii_cache.knn_accuracy(groups, method))

    checkpoint.predict(cp.REGIONS_VS_AXES, judge, hint=f"For the {len(groups)} groups chosen above.")


def perplexity_2(name: str, n_points: int, iterations: int) -> None:
    """What perplexity 2 does to the current data set's clusters."""

    def judge(choice: str) -> cp.Verdict:
        _, labels = ii_cache.tsne_data(name, n_points)
        clumps = {p: metrics.count_clumps(ii_cache.tsne_run(name, n_points, p, iterations)) for p in (2, 30)}
        return cp.judge_perplexity_2(choice, clumps[2], clumps[30], len(np.unique(labels)))

    checkpoint.predict(cp.PERPLEXITY_2, judge, hint="Then set the perplexity slider to 2 to check.")


# --------------------------------------------------------------------------
# Features, embeddings & losses
# --------------------------------------------------------------------------
def bottleneck() -> None:
    """Model B's colour probe at embedding widths 2 and 16."""

    def judge(choice: str) -> cp.Verdict:
        narrow, wide = (ex.twins(ex.Experiment(embedding_size=w))[1] for w in (2, 16))
        b2, b16 = train_live([narrow, wide], ["model B, width 2", "model B, width 16"], what="Training model B twice")
        return cp.judge_bottleneck(choice, b2.probes["colour"].accuracy, b16.probes["colour"].accuracy)

    checkpoint.predict(cp.BOTTLENECK, judge, hint="Then set the width slider below to 16 to see it.")


def mixer_shape(twins: Callable[[], tuple[ex.Result, ex.Result]]) -> None:
    """The shape probe at w = 0 (model B) and w = 1 (model A): the twins are the mixer's two ends."""

    def judge(choice: str) -> cp.Verdict:
        a, b = twins()
        return cp.judge_mixer_shape(choice, b.probes["shape"].accuracy, a.probes["shape"].accuracy)

    checkpoint.predict(cp.MIXER_SHAPE, judge)


def grey_model(width: int) -> ex.Experiment:
    """Model A (colour loss) at ``width``, shown grey pictures only."""
    return ex.twins(ex.Experiment(embedding_size=width, features=("grey",)))[0]


def grey_features(width: int) -> None:
    """How well model A names colours from grey pictures."""

    def judge(choice: str) -> cp.Verdict:
        (result,) = train_live([grey_model(width)], ["model A, grey pictures"], what="Training model A on grey pictures")
        return cp.judge_grey_features(choice, result.accuracy["colour"], result.probes["colour"].chance)

    checkpoint.predict(cp.GREY_FEATURES, judge)
