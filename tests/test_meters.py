"""Meters of what a map keeps: exact values on known cases, sklearn as reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.manifold import trustworthiness as sk_trustworthiness

from embedcore import meters
from embedcore.projection import PCA, rotation_matrix


def _random_orthogonal(d: int, rng: np.random.Generator) -> np.ndarray:
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return Q


# -- recall --------------------------------------------------------------------------------


def test_recall_of_an_isometry_is_one() -> None:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((50, 6))
    moved = X @ _random_orthogonal(6, rng) + 3.0  # rotate/reflect and shift
    assert meters.neighbourhood_recall(X, moved, k=10) == 1.0
    np.testing.assert_allclose(meters.neighbourhood_recall(X, moved, k=10, per_point=True), 1.0)


def test_recall_of_a_shuffled_map_is_near_chance() -> None:
    rng = np.random.default_rng(2)
    X = rng.standard_normal((200, 5))
    shuffled = X[rng.permutation(200)]
    # A random map keeps k/(n-1) of each neighbourhood on average.
    assert meters.neighbourhood_recall(X, shuffled, k=10) == pytest.approx(10 / 199, abs=0.03)


def test_recall_hand_computed() -> None:
    # Points on a line at 0, 1, 3, 6 (gaps 1, 2, 3: no ties); the map swaps
    # the last two points' places.
    X = np.array([[0.0], [1.0], [3.0], [6.0]])
    Y = np.array([[0.0], [1.0], [6.0], [3.0]])
    # Nearest in X: 0->1, 1->0, 2->1, 3->2.  On the map: 0->1, 1->0, 2->3, 3->1.
    per = meters.neighbourhood_recall(X, Y, k=1, per_point=True)
    np.testing.assert_allclose(per, [1.0, 1.0, 0.0, 0.0])
    assert meters.neighbourhood_recall(X, Y, k=1) == 0.5


def test_recall_rejects_mismatched_rows() -> None:
    with pytest.raises(ValueError, match="same number of rows"):
        meters.neighbourhood_recall(np.zeros((5, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="k must be between"):
        meters.neighbourhood_recall(np.eye(5), np.eye(5), k=5)
    with pytest.raises(ValueError, match="NaN"):
        meters.neighbourhood_recall(np.full((5, 2), np.nan), np.eye(5))


# -- trustworthiness -----------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 5, 10, 24])
def test_trustworthiness_matches_sklearn(blobs, k: int) -> None:
    X, _ = blobs
    Y = PCA(2).fit_transform(X)
    np.testing.assert_allclose(
        meters.trustworthiness(X, Y, n_neighbors=k), sk_trustworthiness(X, Y, n_neighbors=k), rtol=1e-12
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(12, 40), k=st.integers(1, 5))
def test_trustworthiness_matches_sklearn_on_random_maps(seed: int, n: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((n, 4)), rng.standard_normal((n, 2))
    np.testing.assert_allclose(meters.trustworthiness(X, Y, k), sk_trustworthiness(X, Y, n_neighbors=k))


def test_trustworthiness_of_an_isometry_is_one() -> None:
    rng = np.random.default_rng(3)
    Y = rng.standard_normal((40, 2))
    assert meters.trustworthiness(Y, Y @ rotation_matrix(37.0) - 5.0, 10) == pytest.approx(1.0)


def test_trustworthiness_needs_small_k() -> None:
    with pytest.raises(ValueError, match="k must be between"):
        meters.trustworthiness(np.eye(10), np.eye(10)[:, :2], n_neighbors=5)


# -- combined meters and curves ------------------------------------------------------------


def test_map_meters_agree_with_the_single_meters(blobs) -> None:
    X, _ = blobs
    Y = PCA(2).fit_transform(X)
    m = meters.map_meters(X, Y, k=10)
    assert m.k == 10
    assert m.recall == pytest.approx(meters.neighbourhood_recall(X, Y, 10))
    assert m.trustworthiness == pytest.approx(sk_trustworthiness(X, Y, n_neighbors=10))
    assert m.explained_variance == pytest.approx(PCA(2).fit(X).explained_variance_ratio_.sum())


def test_map_meters_clip_k_for_small_maps() -> None:
    X = np.random.default_rng(0).standard_normal((9, 3))
    assert meters.map_meters(X, X[:, :2], k=10).k == 4
    with pytest.raises(ValueError, match="at least 5 points"):
        meters.map_meters(X[:4], X[:4, :2])


def test_meter_curve_matches_direct_computation(blobs) -> None:
    X, _ = blobs
    curve = meters.meter_curve(X, [1, 2, 5, 8], k=10)
    Z = PCA(8).fit_transform(X)
    for i, d in enumerate([1, 2, 5, 8]):
        assert curve.recall[i] == pytest.approx(meters.neighbourhood_recall(X, Z[:, :d], 10))
        assert curve.trustworthiness[i] == pytest.approx(sk_trustworthiness(X, Z[:, :d], n_neighbors=10))
    # Keeping every dimension loses nothing.
    assert curve.recall[-1] == pytest.approx(1.0)
    assert curve.trustworthiness[-1] == pytest.approx(1.0)
    assert curve.explained_variance[-1] == pytest.approx(1.0)
    assert np.all(np.diff(curve.explained_variance) > 0)


def test_meter_curve_rejects_bad_dims(blobs) -> None:
    X, _ = blobs
    with pytest.raises(ValueError, match="dims must be"):
        meters.meter_curve(X, [0, 2])
    with pytest.raises(ValueError, match="dims must be"):
        meters.meter_curve(X, [9])


def test_meter_curve_dims_for_recall(blobs) -> None:
    X, _ = blobs
    curve = meters.meter_curve(X, np.arange(1, 9), k=5)
    assert curve.dims_for_recall(1.0) == int(curve.dims[np.argmax(curve.recall >= 1.0)])
    assert curve.dims_for_recall(1.01) is None


def test_largest_distance_change() -> None:
    Y = np.random.default_rng(8).standard_normal((12, 2))
    assert meters.largest_distance_change(Y, Y @ rotation_matrix(33) + 2) < 1e-13
    Z = Y.copy()
    Z[0] += [3.0, 4.0]
    assert meters.largest_distance_change(Y, Z) > 1.0


# -- lost and false neighbours -------------------------------------------------------------


def test_lost_neighbours_marks_false_ones() -> None:
    # Full space: 0 is near 1,2; 3 and 4 are far. The map pulls 4 next to 0.
    X = np.array([[0.0, 0], [1, 0], [0, 1], [10, 0], [0, 10]])
    Y = np.array([[0.0, 0], [1, 0], [5, 5], [9, 9], [0, 0.5]])
    out = meters.lost_neighbours(X, Y, index=0, k=2)
    np.testing.assert_array_equal(out.full, [1, 2])
    np.testing.assert_array_equal(out.on_map, [4, 1])
    np.testing.assert_array_equal(out.false, [4])
    np.testing.assert_array_equal(out.lost, [2])
    np.testing.assert_array_equal(out.full_rank_of_map, [4, 1])
    np.testing.assert_array_equal(out.map_rank_of_full, [2, 3])


def test_lost_neighbours_of_an_isometry_are_none() -> None:
    X = np.random.default_rng(5).standard_normal((30, 2))
    out = meters.lost_neighbours(X, X @ rotation_matrix(90), index=7, k=10)
    assert out.false.size == 0 and out.lost.size == 0
    with pytest.raises(ValueError, match="index must be"):
        meters.lost_neighbours(X, X, index=30)


def test_false_neighbour_pairs_worst_first() -> None:
    X = np.array([[0.0, 0], [1, 0], [0, 1], [10, 0], [0, 10]])
    Y = np.array([[0.0, 0], [1, 0], [5, 5], [9, 9], [0, 0.5]])
    pairs = meters.false_neighbour_pairs(X, Y, k=2, top=3)
    assert (int(pairs.i[0]), int(pairs.j[0])) in {(0, 4), (4, 0), (1, 4), (4, 1)}
    assert np.all(pairs.full_rank > 2) and np.all(pairs.map_rank <= 2)
    assert np.all(np.diff(pairs.full_rank) <= 0)
    assert len({frozenset(p) for p in zip(pairs.i.tolist(), pairs.j.tolist())}) == len(pairs.i)


def test_no_false_pairs_for_an_isometry() -> None:
    X = np.random.default_rng(6).standard_normal((25, 3))
    assert meters.false_neighbour_pairs(X, X + 1.0, k=5).i.size == 0
