"""Predict-then-reveal checkpoints: the verdicts follow the measured numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from embedcore import checkpoints as cp
from embedcore import clusters, compression, encoding, projection, synthetic, toyplane
from embedcore.wordvectors import WordVectors, load_word_vectors
from tests.quoted import numbers


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
        cp.judge_noise_flip("about 3", "cat", ["cats"], 0.71, 3.2)


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


def _pushed(wv: WordVectors, word: str, seeds: range, size: float) -> list[str]:
    """What ``word`` decodes to once pushed ``size`` along each seed's direction (encoding.noise_sweep's line)."""
    v = wv.vector(word) / np.linalg.norm(wv.vector(word))
    directions = np.vstack([encoding.noise_direction(v.size, seed, orthogonal_to=v) for seed in seeds])
    pushed = v[None, :] + size * directions
    best = np.argmax(wv.vectors @ pushed.T.astype(np.float32), axis=0)  # cosine ranks as the dot product here
    return [wv.words[i] for i in best]


def test_the_noise_question_has_one_answer_for_every_seed_the_page_offers(wv):
    """It asked "how big a push before cat stops decoding as cat?": over seeds 0-199 that was "2 to 4" 66% of
    the time and "more than 4" 33%, with the seed folded away. Pushed as far as its length, cat stays cat."""
    from app_state import FM

    seeds = range(FM.noise_seed.bounds[0], FM.noise_seed.bounds[1] + 1)
    decoded = _pushed(wv, "cat", seeds, cp.NOISE_PUSH)
    neighbours = [w for w, _ in encoding.decode(wv, wv.vector("cat"), k=10, exclude=["cat"])]
    answers = {cp.judge_noise_flip(cp.NOISE_FLIP.choices[0], word, neighbours, 0.7, None).answer for word in decoded}
    assert answers == {cp.NOISE_FLIP.choices[0]} == {"still cat"}
    # The page's own sweep agrees for a few seeds, the push of 1 being one of its steps.
    for seed in (0, 7, 999):
        sweep = encoding.noise_sweep(wv, wv.vector("cat"), max_size=5.0, n_steps=51, random_state=seed)
        assert sweep.sizes[10] == cp.NOISE_PUSH and sweep.top_words[10] == decoded[seed] == "cat"
    # The old bins did depend on the seed: the push that flips cat spreads over more than one of them.
    flips = [encoding.noise_sweep(wv, wv.vector("cat"), random_state=seed).breakpoint for seed in range(12)]
    assert len({cp.bin_of(np.inf if f is None else f, (2.0, 4.0), ("<2", "2-4", ">4")) for f in flips}) > 1


def test_noise_flip_verdict_names_what_the_push_decodes_to(wv):
    still, neighbour, unrelated = cp.NOISE_FLIP.choices
    sweep = encoding.noise_sweep(wv, wv.vector("cat"), max_size=5.0, n_steps=51, random_state=0)  # the slider's 0.1 steps
    neighbours = [w for w, _ in encoding.decode(wv, wv.vector("cat"), k=10, exclude=["cat"])]
    verdict = cp.judge_noise_flip(still, sweep.top_words[10], neighbours, sweep.word_cosines[10], sweep.breakpoint)
    assert verdict.correct
    np.testing.assert_allclose(verdict.measured, 1 / np.sqrt(2), atol=1e-6)  # at right angles: cos = 1/sqrt(1 + 1)
    np.testing.assert_allclose(numbers(verdict.evidence), [1, sweep.word_cosines[10], sweep.breakpoint], atol=0.0051)
    # Further along, the decoding leaves cat: a neighbour or an unrelated word, as the neighbours say.
    assert cp.judge_noise_flip(still, "kitten", neighbours, 0.3, 3.0).answer == neighbour
    assert cp.judge_noise_flip(still, "owl", neighbours, 0.3, 3.0).answer == unrelated


def test_analogy_verdict_names_the_nearest_word_before_the_inputs_are_left_out(wv):
    queen, king, *_, another_word = cp.ANALOGY.choices
    vector = wv.vector("king") - wv.vector("man") + wv.vector("woman")
    ranked = encoding.decode(wv, vector, k=3)
    verdict = cp.judge_analogy(king, ranked)
    assert verdict.correct and verdict.answer == ranked[0][0] == "king"
    np.testing.assert_allclose(verdict.measured, ranked[0][1])
    np.testing.assert_allclose(numbers(verdict.evidence), [c for _, c in ranked], atol=5e-4)
    assert not cp.judge_analogy(queen, ranked).correct  # queen only leads once the inputs are hidden
    assert encoding.decode(wv, vector, k=1, exclude=["king", "man", "woman"])[0][0] == "queen"
    # A word off the menu is "another word" (which word it is, the verdict keeps only in its evidence).
    off_menu = cp.judge_analogy(another_word, [("duchess", 0.5)])
    assert off_menu.correct and off_menu.measured == 0.5


def test_smallest_code_for_digits_is_read_from_the_curve():
    three_to_eight = cp.SMALLEST_CODE.choices[1]
    split = compression.load_digits_split()
    curve = compression.compression_curve(split, np.arange(1, 65), "digit")
    k = cp.smallest_k(curve.ks, curve.accuracy, 0.9)
    assert curve.accuracy[k - 1] >= 0.9 > curve.accuracy[: k - 1].max()
    verdict = cp.judge_smallest_code(three_to_eight, curve.ks, curve.accuracy)
    assert verdict.measured == k
    # The lesson's one answer: the page's controls (the picture shown, k) do not enter the curve.
    assert verdict.correct and 3 <= k <= 8
    with pytest.raises(ValueError, match="same shape"):
        cp.smallest_k([1, 2], [0.5], 0.9)


def test_regions_versus_axes_verdict_uses_a_three_point_tie():
    axes, regions, tie = cp.REGIONS_VS_AXES.choices
    # measured = regions map's accuracy - axes map's accuracy; within 3 points is a tie.
    for choice, on_axes, on_regions in ((regions, 0.60, 0.80), (axes, 0.80, 0.60), (tie, 0.85, 0.86)):
        verdict = cp.judge_regions_vs_axes(choice, on_axes, on_regions)
        assert verdict.correct and verdict.answer == choice
        np.testing.assert_allclose(verdict.measured, on_regions - on_axes)


@pytest.mark.parametrize("method", ["pca", "tsne", "mds"])
def test_with_all_10_groups_the_regions_map_wins_under_every_projection_offered(wv, method):
    """The question names its 10 groups, so the groups slider cannot change the answer; every projection agrees."""
    from embedcore.concepts import REGION_GROUPS, concept_words
    from embedcore.knn import knn_accuracy
    from runtime import jobs

    words, labels = concept_words(REGION_GROUPS, vocabulary=wv)
    X = np.stack([wv.vector(w) for w in words]).astype(np.float64)
    regions = projection.project_2d(X, "pca") if method == "pca" else jobs.word_map(tuple(REGION_GROUPS), method)
    on_axes = knn_accuracy(projection.concept_axes(X, labels), labels, 5)
    verdict = cp.judge_regions_vs_axes(cp.REGIONS_VS_AXES.choices[1], on_axes, knn_accuracy(regions, labels, 5))
    assert verdict.correct and verdict.measured >= 0.15, verdict


@pytest.mark.parametrize("dataset", list(synthetic.DATASETS))
def test_at_perplexity_2_every_finished_map_breaks_into_clumps(dataset):
    """The question names the finished map (1,000 iterations): every data set the page offers gives one answer."""
    from app_state import II
    from runtime import jobs

    iterations = tuple(II.iterations.choices)
    clumps = {p: jobs.tsne_knob_run(dataset, jobs.TSNE_KNOB_POINTS, p, iterations)[1].clumps for p in (2, 30)}
    n_groups = len(np.unique(synthetic.make_dataset(dataset, jobs.TSNE_KNOB_POINTS)[1]))
    verdict = cp.judge_perplexity_2(cp.PERPLEXITY_2.choices[0], int(clumps[2][-1]), int(clumps[30][-1]), n_groups)
    assert verdict.correct and verdict.measured == clumps[2][-1] >= 2 * n_groups
    assert clumps[30][-1] <= n_groups  # at 30 the map shows the true groups (or one blob)
    # Not during early exaggeration (the first 250 steps): the clumps appear once it ends.
    assert clumps[2][iterations.index(250)] < 2 * n_groups <= clumps[2][iterations.index(300)]


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
