"""Data with known structure, for learning to read t-SNE maps.

Each generator has the same signature, ``(n_points, random_state) -> (X,
labels)``, so the page can build its menu from :data:`DATASETS` (as
TensorFlow Playground does with its data sets). Because we made the data,
we know the truth a t-SNE picture should show - and can check where the
picture misleads.

The three data sets follow three lessons of Wattenberg, Viegas & Johnson
(2016), "How to Use t-SNE Effectively", Distill
(https://distill.pub/2016/misread-tsne/):

* ``sizes`` - two clusters with the same number of points, one ten times
  wider than the other. t-SNE tends to draw them the same size.
* ``distances`` - three clusters, two close together and one five times
  further away. Gaps between t-SNE clusters need not reflect that.
* ``noise`` - one round Gaussian blob, no clusters at all. At low
  perplexity t-SNE still draws clumps.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

N_FEATURES = 10  # Enough dimensions that the data is not simply a picture already.
MIN_POINTS, MAX_POINTS = 20, 2000
CLUSTER_NAMES = ("A", "B", "C")  # Label 0 is cluster A, and so on.


def _check_n(n_points: int, n_groups: int) -> int:
    n = int(n_points)
    if not MIN_POINTS <= n <= MAX_POINTS:
        raise ValueError(f"n_points must be between {MIN_POINTS} and {MAX_POINTS}, got {n_points}")
    if n < 2 * n_groups:
        raise ValueError(f"n_points must be at least {2 * n_groups} for {n_groups} clusters")
    return n


def _split(n: int, n_groups: int) -> NDArray[np.int64]:
    """Labels 0..n_groups-1 in near-equal runs (the first groups get the remainder)."""
    return np.repeat(np.arange(n_groups), [n // n_groups + (g < n % n_groups) for g in range(n_groups)])


def clusters_of_different_sizes(n_points: int = 300, random_state: int = 0) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Two Gaussian clusters of equal count; cluster 1 is 10 times wider.

    Returns
    -------
    X : ndarray of shape (n_points, 10)
    labels : ndarray of shape (n_points,)
        0 = the narrow cluster (standard deviation 1), 1 = the wide one (10).
    """
    n = _check_n(n_points, 2)
    rng = np.random.default_rng(random_state)
    labels = _split(n, 2)
    std = np.where(labels == 0, 1.0, 10.0)[:, None]
    centres = np.zeros((2, N_FEATURES))
    # Far enough apart (wide cluster's radius is about 10 * sqrt(10) = 32) to never touch.
    centres[1, 0] = 120.0
    X = centres[labels] + std * rng.standard_normal((n, N_FEATURES))
    return X, labels


def clusters_at_uneven_distances(n_points: int = 300, random_state: int = 0) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Three equal Gaussian clusters: 0 and 1 are close, 2 is five times further.

    Centres lie on a line at 0, 10 and 60 (standard deviation 1 each), so
    the gap 0-1 is 10 and the gap 1-2 is 50.

    Returns
    -------
    X : ndarray of shape (n_points, 10)
    labels : ndarray of shape (n_points,)
    """
    n = _check_n(n_points, 3)
    rng = np.random.default_rng(random_state)
    labels = _split(n, 3)
    centres = np.zeros((3, N_FEATURES))
    centres[:, 0] = [0.0, 10.0, 60.0]
    X = centres[labels] + rng.standard_normal((n, N_FEATURES))
    return X, labels


def random_noise(n_points: int = 300, random_state: int = 0) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """One round Gaussian blob in 10-D: there are no clusters to find.

    Returns
    -------
    X : ndarray of shape (n_points, 10)
    labels : ndarray of shape (n_points,), all 0
    """
    n = _check_n(n_points, 1)
    rng = np.random.default_rng(random_state)
    return rng.standard_normal((n, N_FEATURES)), np.zeros(n, dtype=np.int64)


Generator = Callable[[int, int], tuple[NDArray[np.float64], NDArray[np.int64]]]

# name -> (menu label, generator, the truth in words)
DATASETS: dict[str, tuple[str, Generator, str]] = {
    "sizes": (
        "Two clusters, one 10 times wider",
        clusters_of_different_sizes,
        "Clusters A and B have the same number of points, but B is 10 times wider than A.",
    ),
    "distances": (
        "Three clusters at uneven distances",
        clusters_at_uneven_distances,
        "A and B are 10 apart; C is 50 beyond B, five times as far.",
    ),
    "noise": (
        "Random noise (no clusters)",
        random_noise,
        "One round Gaussian blob: every point is drawn from the same distribution. "
        "There are no clusters at all.",
    ),
}


def make_dataset(name: str, n_points: int = 300, random_state: int = 0) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Generate the data set ``name`` (a key of :data:`DATASETS`)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {sorted(DATASETS)}")
    return DATASETS[name][1](n_points, random_state)
