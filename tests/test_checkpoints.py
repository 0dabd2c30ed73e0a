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
    on_queen, on_king, _, between_words = cp.TOY_SUM.choices
    plane = toyplane.starter_plane()
    result = toyplane.arithmetic(plane, [(1, "king"), (-1, "man"), (1, "woman")]).point
    points = {w: plane.vector(w) for w in ("queen", "king", "woman")}
    np.testing.assert_allclose(result, points["queen"])
    verdict = cp.judge_toy_sum(on_queen, result, points)
    assert verdict.correct and verdict.answer == on_queen
    assert np.isnan(verdict.measured)  # a place, not a number: the point itself is only in the evidence
    assert not cp.judge_toy_sum(on_king, result, points).correct
    # Move queen in the table: the sum no longer lands on a word.
    moved = dict(points, queen=np.array([-1.0, 0.5]))
    assert cp.judge_toy_sum(on_queen, result, moved).answer == between_words


def test_noise_flip_verdict_matches_the_sweep(wv):
    below_half, _, two_to_four, above_four = cp.NOISE_FLIP.choices
    sweep = encoding.noise_sweep(wv, wv.vector("cat"), random_state=0)
    right = cp.bin_of(sweep.breakpoint, (0.5, 2.0, 4.0), cp.NOISE_FLIP.choices)
    verdict = cp.judge_noise_flip(right, sweep.breakpoint)
    assert verdict.correct
    np.testing.assert_allclose(verdict.measured, sweep.breakpoint)
    # A random push is large before cat changes (high-dimensional space is roomy) ...
    assert verdict.measured >= 2.0 and verdict.answer in (two_to_four, above_four)
    assert not cp.judge_noise_flip(below_half, sweep.breakpoint).correct
    # ... and no break up to the slider's end is the last choice, measured as infinitely far.
    never = cp.judge_noise_flip(above_four, None)
    assert never.correct and never.measured == np.inf


def test_analogy_verdict_names_the_ranked_top_word(wv):
    queen, *_, another_word = cp.ANALOGY.choices
    vector = wv.vector("king") - wv.vector("man") + wv.vector("woman")
    (top, cosine), = encoding.decode(wv, vector, k=1, exclude=["king", "man", "woman"])
    verdict = cp.judge_analogy(queen, top, cosine)
    assert verdict.correct == (top == "queen")
    np.testing.assert_allclose(verdict.measured, cosine)
    # A word off the menu is "another word" (which word it is, the verdict keeps only in its evidence).
    off_menu = cp.judge_analogy(another_word, "duchess", 0.5)
    assert off_menu.correct and off_menu.measured == 0.5


def test_smallest_code_for_digits_is_read_from_the_curve():
    three_to_eight = cp.SMALLEST_CODE.choices[1]
    split = compression.load_digits_split()
    curve = compression.compression_curve(split, np.arange(1, 65), "digit")
    k = cp.smallest_k(curve.ks, curve.accuracy, 0.9)
    assert curve.accuracy[k - 1] >= 0.9 > curve.accuracy[: k - 1].max()
    verdict = cp.judge_smallest_code(three_to_eight, curve.ks, curve.accuracy)
    assert verdict.measured == k
    assert verdict.correct == (3 <= k <= 8)
    with pytest.raises(ValueError, match="same shape"):
        cp.smallest_k([1, 2], [0.5], 0.9)


def test_regions_versus_axes_verdict_uses_a_three_point_tie():
    axes, regions, tie = cp.REGIONS_VS_AXES.choices
    # measured = regions map's accuracy - axes map's accuracy; within 3 points is a tie.
    for choice, on_axes, on_regions in ((regions, 0.60, 0.80), (axes, 0.80, 0.60), (tie, 0.85, 0.86)):
        verdict = cp.judge_regions_vs_axes(choice, on_axes, on_regions)
        assert verdict.correct and verdict.answer == choice
        np.testing.assert_allclose(verdict.measured, on_regions - on_axes)


def test_perplexity_2_breaks_real_tsne_clusters_into_clumps():
    many_clumps = cp.PERPLEXITY_2.choices[0]
    X, y = synthetic.make_dataset("distances", 300, 0)
    at = {p: clusters.count_clumps(projection.project_2d(X, "tsne", perplexity=p, random_state=0, max_iter=500))
          for p in (2, 30)}
    n_groups = len(np.unique(y))
    verdict = cp.judge_perplexity_2(many_clumps, at[2], at[30], n_groups)
    assert verdict.correct and verdict.measured == at[2]
    assert at[2] >= 2 * n_groups and at[30] <= n_groups + 1


def test_model_verdicts_follow_the_probe_numbers():
    # The mixer's middle: each attribute is kept fully when its probe is within 10 points of its own twin's.
    both, colour_only, shape_only, neither = cp.MIXER_MIDDLE.choices
    for choice, colour, shape in ((both, 0.95, 0.90), (colour_only, 0.99, 0.59), (shape_only, 0.6, 0.97),
                                  (neither, 0.6, 0.6)):
        verdict = cp.judge_mixer_middle(choice, colour, shape, 1.0, 0.975)
        assert verdict.correct, (choice, verdict.answer)
        np.testing.assert_allclose(verdict.measured, 0.975 - shape)
    # The two-number judges measure the change (after - before); within 5 points is flat.
    goes_up, goes_down, _ = cp.BOTTLENECK.choices
    verdict = cp.judge_bottleneck(goes_up, 0.27, 0.80)
    assert verdict.correct
    np.testing.assert_allclose(verdict.measured, 0.80 - 0.27)
    wrong = cp.judge_bottleneck(goes_down, 0.27, 0.80)
    assert not wrong.correct and wrong.answer == goes_up
    # Grey features: the colour accuracy is binned against 90% and chance (+5 points).
    nearly_always, short_of_90, at_chance = cp.GREY_FEATURES.choices
    for choice, accuracy in ((short_of_90, 0.56), (at_chance, 0.28), (nearly_always, 0.99)):
        verdict = cp.judge_grey_features(choice, accuracy, 0.265)
        assert verdict.correct and verdict.measured == accuracy
