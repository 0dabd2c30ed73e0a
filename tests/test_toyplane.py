"""The toy plane: exact arithmetic on hand-made coordinates, and one-hot for contrast."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embedcore import toyplane as tp
from embedcore.distances import pairwise_distances


@pytest.fixture()
def plane() -> tp.ToyPlane:
    return tp.starter_plane()


def test_king_minus_man_plus_woman_is_exactly_queen(plane: tp.ToyPlane) -> None:
    result = tp.arithmetic(plane, [(1, "king"), (-1, "man"), (1, "woman")])
    np.testing.assert_allclose(result.point, [-1.0, 1.0], atol=0)
    assert result.nearest[0] == ("queen", 0.0)
    # Head to tail from the origin: 0 -> king -> king - man -> queen.
    np.testing.assert_allclose(result.path, [[0, 0], [1, 1], [0, 1], [-1, 1]])


def test_midpoint_of_king_and_queen_is_royal_and_genderless(plane: tp.ToyPlane) -> None:
    result = tp.midpoint(plane, ["king", "queen"])
    np.testing.assert_allclose(result.point, [0.0, 1.0])
    # Ties (king and queen are both at distance 1) keep table order.
    assert [w for w, _ in result.nearest[:2]] == ["king", "queen"]
    np.testing.assert_allclose([d for _, d in result.nearest[:2]], [1.0, 1.0])


def test_compare_distance_and_cosine(plane: tp.ToyPlane) -> None:
    c = tp.compare(plane.vector("king"), plane.vector("queen"))
    assert c.distance == pytest.approx(2.0)
    assert c.cosine == pytest.approx(0.0)  # [1, 1] . [-1, 1] = 0: at right angles
    c = tp.compare(plane.vector("man"), plane.vector("woman"))
    assert c.cosine == pytest.approx(-1.0)
    assert math.isnan(tp.compare([0, 0], [1, 0]).cosine)  # the origin has no direction


def test_three_d_adds_age(plane: tp.ToyPlane) -> None:
    space = tp.starter_plane(three_d=True)
    assert space.axes == ("gender", "royalty", "age")
    # The starter words keep their 2-D coordinates, at age 0.
    np.testing.assert_allclose(space.vector("king"), [1, 1, 0])
    # A new dimension carries a new concept: king - man + boy = prince.
    result = tp.arithmetic(space, [(1, "king"), (-1, "man"), (1, "boy")])
    assert result.nearest[0] == ("prince", 0.0)


def test_nearest_excludes_and_limits(plane: tp.ToyPlane) -> None:
    assert [w for w, _ in plane.nearest([1, 1], k=2, exclude=["king"])] == ["man", "queen"]
    with pytest.raises(ValueError, match="shape"):
        plane.nearest([1, 1, 1])
    with pytest.raises(KeyError, match="not on the plane"):
        plane.vector("duke")


def test_clean_table_keeps_good_rows_and_explains_bad_ones() -> None:
    rows = [
        ("King", 1, 1),
        ("queen", -1, "abc"),
        ("", 0, 0),
        (None, 0, 0),
        ("king", 5, 5),
        ("duke", 0.5, float("nan")),
        ("earl", "0.5", 0.8),
        ("x" * 40, 0, 0),
    ]
    plane, problems = tp.clean_table(rows)
    assert plane.names == ("king", "earl")
    np.testing.assert_allclose(plane.coords, [[1, 1], [0.5, 0.8]])
    text = "\n".join(problems)
    assert "Row 2 ('queen'): royalty must be a number" in text
    assert "Row 3: the word is empty" in text and "Row 4: the word is empty" in text
    assert "Row 5: 'king' is already in the table" in text
    assert "Row 6 ('duke'): royalty must be a number" in text
    assert "longer than 30 characters" in text


def test_clean_table_bounds_the_number_of_words() -> None:
    rows = [(f"w{i}", i, 0) for i in range(60)]
    plane, problems = tp.clean_table(rows, max_words=50)
    assert len(plane) == 50
    assert any("limited to 50 words" in p for p in problems)


def test_plane_rejects_bad_construction() -> None:
    with pytest.raises(ValueError, match="unique"):
        tp.ToyPlane(("a", "a"), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="finite"):
        tp.ToyPlane(("a",), np.array([[np.nan, 0.0]]))
    with pytest.raises(ValueError, match="shape"):
        tp.ToyPlane(("a",), np.zeros((1, 3)))
    with pytest.raises(ValueError, match="at least one"):
        tp.arithmetic(tp.starter_plane(), [])
    with pytest.raises(ValueError, match="at least one"):
        tp.midpoint(tp.starter_plane(), [])


def test_with_words_adds_without_overwriting(plane: tp.ToyPlane) -> None:
    bigger = plane.with_words([("king", [9, 9]), ("duke", [1, 0.5])])
    np.testing.assert_allclose(bigger.vector("king"), [1, 1])
    np.testing.assert_allclose(bigger.vector("duke"), [1, 0.5])


def test_one_hot_makes_every_pair_equally_far() -> None:
    X = tp.one_hot(4)
    D = pairwise_distances(X)
    off = D[~np.eye(4, dtype=bool)]
    np.testing.assert_allclose(off, math.sqrt(2))
    np.testing.assert_allclose(np.diag(D), 0.0)
    # The average of two one-hot words is equally close to both and equally far from the rest.
    avg = tp.average_in_format(X, 0, 1)
    np.testing.assert_allclose(avg.point, [0.5, 0.5, 0, 0])
    np.testing.assert_allclose(avg.distances[:2], math.sqrt(0.5))
    np.testing.assert_allclose(avg.distances[2:], math.sqrt(1.5))


def test_embedding_average_lands_on_a_meaningful_point(plane: tp.ToyPlane) -> None:
    avg = tp.average_in_format(plane.coords, 0, 2)  # king and man
    np.testing.assert_allclose(avg.point, [1.0, 0.5])  # male, half royal
    np.testing.assert_allclose(pairwise_distances(plane.coords)[0, 1], 2.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["king", "queen", "man", "woman"]), min_size=1, max_size=6))
def test_midpoint_is_the_mean(words: list[str]) -> None:
    plane = tp.starter_plane()
    expected = np.mean([plane.vector(w) for w in words], axis=0)
    np.testing.assert_allclose(tp.midpoint(plane, words).point, expected)


def test_signed_terms_stop_at_none_and_read_back() -> None:
    terms = tp.signed_terms("king", ("-", "man"), ("+", "woman"))
    assert terms == [(1.0, "king"), (-1.0, "man"), (1.0, "woman")]
    assert tp.signed_terms("king", ("+", "man"), ("(none)", "woman")) == [(1.0, "king"), (1.0, "man")]
    assert tp.expression_text(terms) == "king - man + woman"


def test_classic_results_on_the_starter_plane_and_on_an_edited_one() -> None:
    classic = tp.classic_results(tp.starter_plane())
    assert not classic.on_starter and classic.exact and classic.royal_and_neutral
    assert classic.analogy.nearest[0][0] == "queen"
    np.testing.assert_allclose(classic.midpoint, [0.0, 1.0])
    moved = tp.ToyPlane(("king", "man", "woman", "queen"), np.array([[1, 1], [1, 0], [-1, 0], [-1, 1.5]]))
    classic = tp.classic_results(moved)
    assert not classic.exact and not classic.royal_and_neutral
    np.testing.assert_allclose(classic.analogy.point, [-1.0, 1.0])
    gone = tp.ToyPlane(("king", "man"), np.array([[1.0, 1.0], [1.0, 0.0]]))
    assert tp.classic_results(gone).on_starter


def test_subtracting_man_from_king_leaves_royalty_inside_the_royal_area() -> None:
    classic = tp.classic_results(tp.starter_plane())
    np.testing.assert_allclose(classic.difference, [0.0, 1.0])  # king - man: royal, no gender
    assert tp.in_royal_area(classic.difference).all() and classic.royal == ("king", "queen")
    np.testing.assert_allclose(classic.difference, classic.midpoint)  # the same idea as king and queen's middle
    with_age = tp.classic_results(tp.starter_plane(three_d=True), three_d=True)
    np.testing.assert_allclose(with_age.difference, [0.0, 1.0, 0.0])
    assert {"prince", "princess", "old king", "old queen"} <= set(with_age.royal) and "boy" not in with_age.royal
    moved = tp.ToyPlane(("king", "man", "woman", "queen"), np.array([[1, 1], [1, 0], [-1, 0], [-1, 1.6]]))
    assert tp.classic_results(moved).royal == ("king",)


def test_a_cell_is_named_as_the_plane_names_it() -> None:
    assert [tp.clean_name(v) for v in ("  Old   King ", None, float("nan"), "", 3)] == ["old king", "", "", "", "3"]


def test_the_royalty_area_holds_king_and_queen_but_not_man_and_woman() -> None:
    from embedcore.toyplane import in_royal_area, starter_plane

    plane = starter_plane()
    inside = dict(zip(plane.names, in_royal_area(np.vstack([plane.vector(w) for w in plane.names]))))
    assert inside["king"] and inside["queen"] and not inside["man"] and not inside["woman"]
    np.testing.assert_array_equal(in_royal_area([[0, 1], [0, 1.6], [1.5, 1.0], [1.6, 1.0]]), [True, False, True, False])
    with pytest.raises(ValueError, match="royalty coordinate"):
        in_royal_area([[1.0], [2.0]])
