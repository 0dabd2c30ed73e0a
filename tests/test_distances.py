"""Distances and top-k: against numpy's own sort and norms."""

from __future__ import annotations

import numpy as np

from embedcore import distances


def test_k_smallest_matches_argsort() -> None:
    D = np.random.default_rng(4).random((20, 30))
    np.testing.assert_array_equal(distances.k_smallest(D, 5), np.argsort(D, axis=1)[:, :5])
    np.testing.assert_array_equal(distances.k_smallest(D, 30), np.argsort(D, axis=1))


def test_k_largest_is_the_one_top_k() -> None:
    scores = np.array([0.1, 0.9, 0.5, 0.9, -1.0])
    assert distances.k_largest(scores, 3).tolist() == [1, 3, 2]  # ties keep index order
    assert distances.k_largest(scores, 10).tolist() == [1, 3, 2, 0, 4]
    assert distances.k_largest(scores, 0).tolist() == []
