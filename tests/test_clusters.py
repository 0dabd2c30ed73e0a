"""Cluster geometry: spreads, gaps between centres, and the clumps a map shows."""

from __future__ import annotations

import numpy as np
import pytest

from embedcore import clusters


def test_cluster_spreads_and_centroid_distances() -> None:
    X = np.array([[0.0, 1], [0, -1], [10, 0], [10, 2], [10, -2]])
    labels = np.array([0, 0, 1, 1, 1])
    np.testing.assert_allclose(clusters.cluster_spreads(X, labels), [1.0, np.sqrt(8 / 3)])
    np.testing.assert_allclose(clusters.centroid_distances(X, labels), [[0, 10], [10, 0]], atol=1e-7)


def test_count_clumps_counts_separated_blobs_and_ignores_strays():
    rng = np.random.default_rng(0)
    blobs = np.vstack([rng.normal(centre, 0.1, size=(40, 2)) for centre in ((0, 0), (10, 0), (0, 10))])
    stray = np.array([[30.0, 30.0]])
    assert clusters.count_clumps(np.vstack([blobs, stray])) == 3
    # Scale-free: the same map, 1,000 times larger, has the same clumps.
    assert clusters.count_clumps(1000 * blobs) == 3
    with pytest.raises(ValueError, match="at least 2 points"):
        clusters.count_clumps(np.zeros((1, 2)))
