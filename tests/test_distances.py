"""Distances, cosine similarity and top-k: against numpy's sort and norms, scipy and sklearn."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist
from sklearn.metrics.pairwise import cosine_similarity as sk_cosine

from embedcore import distances


# -- top-k ----------------------------------------------------------------------------------------


def test_k_smallest_matches_argsort() -> None:
    D = np.random.default_rng(4).random((20, 30))
    np.testing.assert_array_equal(distances.k_smallest(D, 5), np.argsort(D, axis=1)[:, :5])
    np.testing.assert_array_equal(distances.k_smallest(D, 30), np.argsort(D, axis=1))


def test_k_largest_is_the_one_top_k() -> None:
    scores = np.array([0.1, 0.9, 0.5, 0.9, -1.0])
    assert distances.k_largest(scores, 3).tolist() == [1, 3, 2]  # ties keep index order
    assert distances.k_largest(scores, 10).tolist() == [1, 3, 2, 0, 4]
    assert distances.k_largest(scores, 0).tolist() == []


# -- Euclidean distances ------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=2, max_size=8, unique=True))
def test_pairwise_distances_match_direct_norms(points: list[tuple[float, float]]) -> None:
    X = np.array(points)
    D = distances.pairwise_distances(X)
    direct = np.linalg.norm(X[:, None, :] - X[None, :, :], axis=2)
    np.testing.assert_allclose(D, direct, atol=1e-6)
    np.testing.assert_allclose(D, D.T)


def test_pairwise_distances_match_scipy_and_are_exactly_zero_to_themselves() -> None:
    rng = np.random.default_rng(11)
    A, B = rng.normal(scale=10.0, size=(30, 5)), rng.normal(size=(7, 5))
    np.testing.assert_allclose(distances.pairwise_distances(A, B), cdist(A, B), rtol=1e-10)
    D = distances.pairwise_distances(A)
    np.testing.assert_allclose(D, cdist(A, A), rtol=1e-10, atol=1e-12)
    # The shortcut |a|^2 + |b|^2 - 2ab leaves rounding on the diagonal; a point is exactly 0 from itself.
    assert np.diag(D).tolist() == [0.0] * 30
    np.testing.assert_allclose(distances.pairwise_distances(A, B) ** 2, distances.squared_distances(A, B))


def test_pairwise_distances_of_one_hot_rows_are_all_sqrt_2() -> None:
    D = distances.pairwise_distances(np.eye(4))
    np.testing.assert_allclose(D, np.sqrt(2) * (1 - np.eye(4)), rtol=0, atol=0)
    with pytest.raises(ValueError, match="NaN"):
        distances.pairwise_distances(np.array([[0.0, np.nan]]))


# -- cosine similarity -------------------------------------------------------------------------


def test_cosine_similarity_on_known_angles() -> None:
    np.testing.assert_allclose(distances.cosine_similarity([1, 1], [-1, 1]), 0.0, atol=1e-15)  # right angle
    np.testing.assert_allclose(distances.cosine_similarity([1, 0], [-3, 0]), -1.0)  # opposite
    np.testing.assert_allclose(distances.cosine_similarity([1, 0], [1, 1]), 1 / np.sqrt(2))
    np.testing.assert_allclose(distances.cosine_similarity([2, 0, 0], [5, 0, 0]), 1.0)  # length does not count


def test_cosine_similarity_matches_sklearn_and_the_formula() -> None:
    rng = np.random.default_rng(12)
    for _ in range(20):
        a, b = rng.normal(size=50), rng.normal(size=50)
        got = distances.cosine_similarity(a, b)
        np.testing.assert_allclose(got, sk_cosine(a[None], b[None])[0, 0], rtol=1e-12)
        np.testing.assert_allclose(got, a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), rtol=1e-15)


def test_cosine_with_a_zero_vector_is_nan_without_a_warning() -> None:
    """The origin has no direction: every caller got NaN here (the inline a.b / (|a| |b|) made 0/0)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the inline copies also raised a RuntimeWarning; this does not
        assert np.isnan(distances.cosine_similarity([0.0, 0.0], [1.0, 0.0]))
        assert np.isnan(distances.cosine_similarity([3.0, 4.0], [0.0, 0.0]))
        assert np.isnan(distances.cosine_similarity(np.zeros(5), np.zeros(5)))


def test_cosine_similarity_needs_two_vectors_of_one_length() -> None:
    with pytest.raises(ValueError, match="same length"):
        distances.cosine_similarity([1.0, 0.0], [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="1-D vectors"):
        distances.cosine_similarity(np.eye(2), np.eye(2))
