"""Axes made of words: exact values on hand-made vectors, properties on the bundled ones."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embedcore import wordaxes, wordlists
from embedcore.wordvectors import WordVectors, load_word_vectors

# A tiny embedding whose axes mean something: (maleness, royalty, other).
TOY = {
    "man": [1.0, 0.0, 0.0],
    "woman": [-1.0, 0.0, 0.0],
    "king": [1.0, 1.0, 0.0],
    "queen": [-1.0, 1.0, 0.0],
    "person": [0.0, -1.0, 0.0],
    "royal": [0.0, 1.0, 0.0],
    "apple": [0.0, 0.0, 1.0],
}


@pytest.fixture(scope="module")
def toy() -> WordVectors:
    # WordVectors scales rows to unit length; no model folder, so every word must be known.
    return WordVectors(list(TOY), np.array(list(TOY.values())))


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    """The bundled vectors, loaded once for this module."""
    return load_word_vectors()


def test_ends_of_an_axis_land_on_minus_and_plus_one(toy: WordVectors) -> None:
    axis = wordaxes.make_axis(toy, ["man"], ["woman"])
    np.testing.assert_allclose(axis.coordinates(np.vstack([toy.vector("man"), toy.vector("woman")])), [-1, 1])
    # king = (1, 1, 0)/sqrt(2): t = 2 (king - 0) . (-2, 0, 0) / 4 = -1/sqrt(2)
    np.testing.assert_allclose(axis.coordinates(toy.vector("king")), [-1 / np.sqrt(2)])
    np.testing.assert_allclose(axis.coordinates(toy.vector("apple")), [0.0])  # unrelated: the middle
    assert axis.label == "man \u2192 woman"


def test_an_end_of_several_words_uses_their_mean(toy: WordVectors) -> None:
    axis = wordaxes.make_axis(toy, ["man", "king"], ["woman", "queen"])
    low = (toy.vector("man") + toy.vector("king")) / 2
    high = (toy.vector("woman") + toy.vector("queen")) / 2
    np.testing.assert_allclose(axis.direction, high - low, rtol=1e-6)
    np.testing.assert_allclose(axis.origin, (low + high) / 2, atol=1e-7)
    np.testing.assert_allclose(axis.coordinates(np.vstack([low, high])), [-1, 1], rtol=1e-6)


def test_toy_axes_are_orthogonal_and_recover_the_toy_plane(toy: WordVectors) -> None:
    gender = wordaxes.make_axis(toy, ["man"], ["woman"])
    royalty = wordaxes.make_axis(toy, ["person"], ["royal"])
    assert wordaxes.axis_cosine(gender, royalty) == pytest.approx(0.0, abs=1e-7)
    placed = wordaxes.project_words(toy, ["king", "queen", "man", "woman"], gender, royalty)
    x, y = placed.coords.T
    assert x[1] > 0 > x[0]  # queen on the woman side, king on the man side
    assert y[0] == pytest.approx(y[1]) and y[0] > y[2]  # king and queen equally royal, above man
    assert placed.axis_cosine == pytest.approx(0.0, abs=1e-7)
    assert placed.in_vocab.all()


def test_a_zero_direction_has_no_cosine_and_no_angle(toy: WordVectors) -> None:
    """make_axis never builds one, but a hand-made axis can: NaN, as before, and now without a warning."""
    flat = wordaxes.WordAxis(negative=("a",), positive=("b",), origin=np.zeros(3), direction=np.zeros(3))
    gender = wordaxes.make_axis(toy, ["man"], ["woman"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(wordaxes.axis_cosine(flat, gender))
        assert np.isnan(wordaxes.axis_angle(gender, flat))


def test_axis_angle_in_degrees(toy: WordVectors) -> None:
    gender = wordaxes.make_axis(toy, ["man"], ["woman"])  # direction (-2, 0, 0)
    royalty = wordaxes.make_axis(toy, ["person"], ["royal"])  # direction (0, 2, 0)
    assert wordaxes.axis_angle(gender, royalty) == pytest.approx(90.0)
    assert wordaxes.axis_angle(gender, gender) == pytest.approx(0.0, abs=1e-5)  # clipped: never NaN
    assert wordaxes.axis_angle(gender, wordaxes.make_axis(toy, ["woman"], ["man"])) == pytest.approx(180.0)
    # man -> queen: (-1, 1, 0)/sqrt(2) - (1, 0, 0) = -(1 + s, -s, 0) with s = 1/sqrt(2); against (-1, 0, 0)
    # tan(theta) = s / (1 + s) = sqrt(2) - 1 = tan(22.5 degrees)
    towards_queen = wordaxes.make_axis(toy, ["man"], ["queen"])
    assert wordaxes.axis_angle(gender, towards_queen) == pytest.approx(22.5, rel=1e-6)
    assert wordaxes.axis_angle(towards_queen, gender) == pytest.approx(22.5, rel=1e-6)


def test_bad_axes_raise(toy: WordVectors) -> None:
    with pytest.raises(ValueError, match="at least one word"):
        wordaxes.make_axis(toy, [], ["woman"])
    with pytest.raises(ValueError, match="same"):
        wordaxes.make_axis(toy, ["man"], ["man"])
    axis = wordaxes.make_axis(toy, ["man"], ["woman"])
    with pytest.raises(ValueError, match="features"):
        axis.coordinates(np.zeros((1, 5)))


@settings(max_examples=50, deadline=None)
@given(st.floats(-3, 3), st.sampled_from(list(TOY)), st.sampled_from(list(TOY)))
def test_coordinates_are_affine(alpha: float, first: str, second: str) -> None:
    toy = WordVectors(list(TOY), np.array(list(TOY.values())))
    axis = wordaxes.make_axis(toy, ["man", "person"], ["queen"])
    a, b = toy.vector(first).astype(float), toy.vector(second).astype(float)
    mixed = axis.coordinates(alpha * a + (1 - alpha) * b)
    expected = alpha * axis.coordinates(a) + (1 - alpha) * axis.coordinates(b)
    np.testing.assert_allclose(mixed, expected, atol=1e-9)


def test_real_vectors_recover_gender_and_royalty(wv: WordVectors) -> None:
    gender = wordaxes.make_axis(wv, ["man"], ["woman"])
    preset = wordlists.AXIS_PRESETS["royalty: person, peasant -> royal, monarch"]
    royalty = wordaxes.make_axis(wv, preset.negative, preset.positive)
    placed = wordaxes.project_words(wv, ["king", "queen", "man", "woman"], gender, royalty)
    (kx, ky), (qx, qy), (mx, my), (wx, wy) = placed.coords
    assert qx > kx and wx > mx  # the female word of each pair is further towards 'woman'
    assert min(ky, qy) > max(my, wy)  # both royals above both commoners
    assert abs(placed.axis_cosine) < 0.3  # nearly independent concepts


def test_professions_lean_along_the_gender_axis(wv: WordVectors) -> None:
    """The bias the page shows: learned from text, not put there by anyone."""
    preset = wordlists.GENDER_AXIS
    axis = wordaxes.make_axis(wv, preset.negative, preset.positive)
    nurse, engineer, carpenter = wordaxes.axis_scores(wv, ["nurse", "engineer", "carpenter"], axis)
    assert nurse > 0.3 > engineer
    assert carpenter < 0


def test_words_outside_the_vocabulary_are_flagged(wv: WordVectors) -> None:
    axis = wordaxes.make_axis(wv, ["man"], ["commoner"])
    assert axis.out_of_vocab == ("commoner",)
    placed = wordaxes.project_words(wv, ["king", "skateboarding"], axis, axis)
    assert placed.in_vocab.tolist() == [True, False]
    assert np.isfinite(placed.coords).all()


def test_toy_plane_check_reads_the_gaps_off_the_placed_words() -> None:
    from embedcore.wordaxes import AxisMap, toy_plane_check

    toy = AxisMap(words=["king", "queen", "man", "woman", "cat"],
                  coords=np.array([[1.0, 1.0], [-1.0, 1.0], [1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]]),
                  in_vocab=np.ones(5, bool), axis_cosine=0.0)
    check = toy_plane_check(toy)
    assert (check.royalty_gap, check.gender_gap_royal, check.gender_gap_common) == (1.0, -2.0, -2.0)
    assert toy_plane_check(AxisMap(words=["king", "queen"], coords=np.zeros((2, 2)), in_vocab=np.ones(2, bool),
                                   axis_cosine=0.0)) is None
    assert check.built_in == frozenset()  # no axes given: nothing is known to be fixed


def test_a_gap_between_an_axis_own_ends_is_fixed_by_construction(wv: WordVectors) -> None:
    """"woman +2.00 from man" on the axis man -> woman was compared with the toy plane as if it were a finding."""
    words = ["king", "queen", "man", "woman"]
    royalty = wordaxes.make_axis(wv, ["person", "peasant"], ["royal", "monarch"])
    for ends in ((["man"], ["woman"]), (["woman"], ["man"])):
        gender = wordaxes.make_axis(wv, *ends)
        check = wordaxes.toy_plane_check(wordaxes.project_words(wv, words, gender, royalty), gender, royalty)
        assert check.built_in == {"gender_gap_common"}
        assert abs(check.gender_gap_common) == pytest.approx(2.0, abs=1e-9)  # whatever the vectors
    he_she = wordaxes.make_axis(wv, ["he"], ["she"])
    check = wordaxes.toy_plane_check(wordaxes.project_words(wv, words, he_she, royalty), he_she, royalty)
    assert check.built_in == frozenset() and abs(check.gender_gap_common) != pytest.approx(2.0, abs=0.01)
    by_pairs = wordaxes.make_axis(wv, ["man", "woman"], ["queen", "king"])
    check = wordaxes.toy_plane_check(wordaxes.project_words(wv, words, he_she, by_pairs), he_she, by_pairs)
    assert check.built_in == {"royalty_gap"} and check.royalty_gap == pytest.approx(2.0, abs=1e-9)
