"""t-SNE lesson data: seeded, and its known structure is really there."""

from __future__ import annotations

import numpy as np
import pytest

from embedcore import clusters, synthetic


@pytest.mark.parametrize("name", list(synthetic.DATASETS))
def test_datasets_are_seeded_and_shaped(name: str) -> None:
    X, labels = synthetic.make_dataset(name, 200, random_state=1)
    X2, _ = synthetic.make_dataset(name, 200, random_state=1)
    np.testing.assert_array_equal(X, X2)
    assert X.shape == (200, synthetic.N_FEATURES) and labels.shape == (200,)
    assert not np.array_equal(X, synthetic.make_dataset(name, 200, random_state=2)[0])


def test_sizes_one_cluster_ten_times_wider() -> None:
    X, labels = synthetic.clusters_of_different_sizes(1000)
    spreads = clusters.cluster_spreads(X, labels)
    assert spreads[1] / spreads[0] == pytest.approx(10.0, rel=0.1)
    assert np.bincount(labels).tolist() == [500, 500]


def test_distances_one_gap_five_times_the_other() -> None:
    X, labels = synthetic.clusters_at_uneven_distances(900)
    D = clusters.centroid_distances(X, labels)
    assert D[1, 2] / D[0, 1] == pytest.approx(5.0, rel=0.1)


def test_noise_has_one_label_and_bad_sizes_are_refused() -> None:
    _, labels = synthetic.random_noise(50)
    assert set(labels.tolist()) == {0}
    with pytest.raises(ValueError, match="n_points must be between"):
        synthetic.make_dataset("noise", 5)
    with pytest.raises(ValueError, match="unknown data set"):
        synthetic.make_dataset("spiral", 100)
