"""Predict-then-reveal checkpoints: the verdicts follow the measured numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from embedcore import checkpoints as cp
from embedcore import clusters, compression, encoding, projection, synthetic, toyplane
from embedcore.wordvectors import WordVectors, load_word_vectors


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    return load_word_vectors()


# --------------------------------------------------------------------------
# The pieces
# --------------------------------------------------------------------------
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_bin_of_picks_the_interval_that_holds_the_value(value):
    edges, choices = (0.5, 2.0, 4.0), ("a", "b", "c", "d")
    got = cp.bin_of(value, edges, choices)
    i = choices.index(got)
    low = -np.inf if i == 0 else edges[i - 1]
    high = np.inf if i == len(edges) else edges[i]
    assert low <= value < high


def test_bin_of_refuses_mismatched_edges():
    with pytest.raises(ValueError, match="need 3 choices"):
        cp.bin_of(1.0, (1.0, 2.0), ("a", "b"))
    with pytest.raises(ValueError, match="increase"):
        cp.bin_of(1.0, (2.0, 1.0), ("a", "b", "c"))


def test_a_choice_outside_the_menu_is_refused():
    with pytest.raises(ValueError, match="not one of the choices"):
        cp.judge_noise_flip("about 3", 3.2)


def test_every_checkpoint_has_distinct_choices_and_a_known_lesson():
    for checkpoint in cp.CHECKPOINTS.values():
        assert len(set(checkpoint.choices)) == len(checkpoint.choices) >= 3
        assert checkpoint.lesson in ("format_matters", "imperfect_information", "features_losses")
    for lesson in ("format_matters", "imperfect_information", "features_losses"):
        assert len(cp.lesson_checkpoints(lesson)) >= 3


def test_score_counts_one_lessons_answers_once():
    got = cp.score({"a": True, "b": False, "other": True}, ["a", "b", "c", "a"])
    assert (got.right, got.answered, got.total) == (1, 2, 3)


# --------------------------------------------------------------------------
# Each verdict, against the lesson's real numbers
# --------------------------------------------------------------------------
def test_toy_sum_lands_on_queen_and_follows_an_edited_table():
    plane = toyplane.starter_plane()
    result = toyplane.arithmetic(plane, [(1, "king"), (-1, "man"), (1, "woman")]).point
    points = {w: plane.vector(w) for w in ("queen", "king", "woman")}
    verdict = cp.judge_toy_sum("on queen", result, points)
    assert verdict.correct and verdict.answer == "on queen"
    assert not cp.judge_toy_sum("on king", result, points).correct
    # Move queen in the table: the sum no longer lands on a word.
    moved = dict(points, queen=np.array([-1.0, 0.5]))
    assert cp.judge_toy_sum("on queen", result, moved).answer == "between words, on none of them"


def test_noise_flip_verdict_matches_the_sweep(wv):
    sweep = encoding.noise_sweep(wv, wv.vector("cat"), random_state=0)
    right = cp.bin_of(sweep.breakpoint, (0.5, 2.0, 4.0), cp.NOISE_FLIP.choices)
    verdict = cp.judge_noise_flip(right, sweep.breakpoint)
    assert verdict.correct
    np.testing.assert_allclose(verdict.measured, sweep.breakpoint)
    # A random push is large before cat changes (high-dimensional space is roomy) ...
    assert verdict.answer in ("2 to 4", "more than 4")
    assert not cp.judge_noise_flip("less than 0.5", sweep.breakpoint).correct
    # ... and no break up to the slider's end is "more than 4".
    assert cp.judge_noise_flip("more than 4", None).correct


def test_analogy_verdict_names_the_ranked_top_word(wv):
    vector = wv.vector("king") - wv.vector("man") + wv.vector("woman")
    (top, cosine), = encoding.decode(wv, vector, k=1, exclude=["king", "man", "woman"])
    verdict = cp.judge_analogy("queen", top, cosine)
    assert verdict.correct == (top == "queen")
    assert cp.judge_analogy("another word", "duchess", 0.5).correct


def test_smallest_code_for_digits_is_read_from_the_curve():
    split = compression.load_digits_split()
    curve = compression.compression_curve(split, np.arange(1, 65), "digit")
    k = cp.smallest_k(curve.ks, curve.accuracy, 0.9)
    assert curve.accuracy[k - 1] >= 0.9 > curve.accuracy[: k - 1].max()
    verdict = cp.judge_smallest_code("3 to 8", curve.ks, curve.accuracy)
    assert verdict.measured == k
    assert verdict.correct == (3 <= k <= 8)
    with pytest.raises(ValueError, match="same shape"):
        cp.smallest_k([1, 2], [0.5], 0.9)


def test_regions_versus_axes_verdict_uses_a_three_point_tie():
    assert cp.judge_regions_vs_axes("the regions map", 0.60, 0.80).correct
    assert cp.judge_regions_vs_axes("the axes map", 0.80, 0.60).correct
    assert cp.judge_regions_vs_axes("neither: within 3 points of each other", 0.85, 0.86).correct


def test_perplexity_2_breaks_real_tsne_clusters_into_clumps():
    X, y = synthetic.make_dataset("distances", 300, 0)
    at = {p: clusters.count_clumps(projection.project_2d(X, "tsne", perplexity=p, random_state=0, max_iter=500))
          for p in (2, 30)}
    n_groups = len(np.unique(y))
    verdict = cp.judge_perplexity_2("they break into many small clumps", at[2], at[30], n_groups)
    assert verdict.correct
    assert at[2] >= 2 * n_groups and at[30] <= n_groups + 1


def test_model_verdicts_follow_the_probe_numbers():
    assert cp.judge_mixer_shape("it falls", 0.97, 0.29).correct
    assert cp.judge_mixer_shape("it stays within 5 points", 0.97, 0.95).correct
    assert cp.judge_bottleneck("it goes up", 0.27, 0.80).correct
    assert not cp.judge_bottleneck("it goes down", 0.27, 0.80).correct
    assert cp.judge_grey_features("better than chance, well short of 90%", 0.56, 0.265).correct
    assert cp.judge_grey_features("no better than chance", 0.28, 0.265).correct
    assert cp.judge_grey_features("still nearly always (over 90%)", 0.99, 0.265).correct
