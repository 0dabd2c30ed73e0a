"""k-nearest-neighbour classification: do the groups stay apart?

A point's group is guessed by a majority vote of its ``k`` nearest
neighbours (Fix & Hodges, 1951; Cover & Hart, 1967). The lessons use it as a
measure of a space, not as a model: if most points' neighbours share their
group, the groups stay apart in that space (the full space, a map, a
compressed code, a network's embedding).

* :func:`knn_accuracy` - leave-one-out accuracy over all points;
* :func:`group_knn_accuracy` - the same, group by group (which group is
  incoherent?);
* :func:`knn_predict` - classify new points by their nearest training points
  (the digits lesson's held-out codes);
* :func:`majority_vote` - the vote itself; a tie goes to the nearest.

Distances are Euclidean (:mod:`embedcore.distances`).

References
----------
Fix & Hodges (1951), "Discriminatory analysis. Nonparametric discrimination:
consistency properties", USAF School of Aviation Medicine.
Cover & Hart (1967), "Nearest neighbor pattern classification", IEEE
Transactions on Information Theory 13(1).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore.distances import as_labels, as_points, check_k, k_smallest, nearest_neighbours, squared_distances


def majority_vote(neighbour_labels: NDArray[np.int64], n_classes: int) -> NDArray[np.int64]:
    """Majority vote per row; a tie goes to the class met first (the nearest).

    Parameters
    ----------
    neighbour_labels : ndarray of int, shape (n_samples, k)
        Labels of each sample's neighbours, nearest first.
    n_classes : int
        Labels lie in ``0 .. n_classes - 1``.

    Returns
    -------
    ndarray of shape (n_samples,)
    """
    n, k = neighbour_labels.shape
    counts = np.zeros((n, n_classes), dtype=np.int64)
    first = np.full((n, n_classes), k, dtype=np.int64)
    rows = np.arange(n)
    for r in range(k - 1, -1, -1):  # backwards, so the nearest position wins
        counts[rows, neighbour_labels[:, r]] += 1
        first[rows, neighbour_labels[:, r]] = r
    # More votes first, then the earlier (nearer) first appearance.
    return np.argmax(counts * (k + 1) - first, axis=1)


def knn_accuracy(X: ArrayLike, labels: ArrayLike, k: int = 5) -> float:
    """Leave-one-out k-NN accuracy: how often a point's group is its neighbours' group.

    Each point is classified by a majority vote of its ``k`` nearest *other*
    points. High accuracy means the groups stay apart in this space.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    labels : array-like of int, shape (n_samples,)
    k : int
        Between 1 and ``n_samples - 1``.
    """
    X = as_points(X, "X")
    labels = as_labels(labels, len(X))
    k = check_k(k, len(X))
    nn = nearest_neighbours(squared_distances(X), k)
    predicted = majority_vote(labels[nn], int(labels.max()) + 1)
    return float((predicted == labels).mean())


def group_knn_accuracy(X: ArrayLike, labels: ArrayLike, k: int = 5) -> NDArray[np.float64]:
    """Leave-one-out k-NN accuracy of each group on its own: is *this* group coherent?

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    labels : array-like of int, shape (n_samples,)
    k : int

    Returns
    -------
    ndarray of shape (n_groups,)
        Entry ``g`` is the share of group ``g``'s points whose neighbours vote
        for ``g`` (NaN for a label with no points).
    """
    X = as_points(X, "X")
    labels = as_labels(labels, len(X))
    k = check_k(k, len(X))
    nn = nearest_neighbours(squared_distances(X), k)
    correct = majority_vote(labels[nn], int(labels.max()) + 1) == labels
    counts = np.bincount(labels)
    hits = np.bincount(labels, weights=correct)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, hits / np.maximum(counts, 1), np.nan)


def knn_predict(
    X_train: ArrayLike, y_train: ArrayLike, X_test: ArrayLike, k: int = 5
) -> NDArray[np.int64]:
    """Classify each row of ``X_test`` by a vote of its ``k`` nearest training rows.

    Parameters
    ----------
    X_train : array-like of shape (n_train, n_features)
    y_train : array-like of int, shape (n_train,)
    X_test : array-like of shape (n_test, n_features)

    Returns
    -------
    ndarray of shape (n_test,)
    """
    X_train = as_points(X_train, "X_train")
    X_test = as_points(X_test, "X_test")
    if X_train.shape[1] != X_test.shape[1]:
        raise ValueError(f"X_test has {X_test.shape[1]} features, X_train has {X_train.shape[1]}")
    y_train = as_labels(y_train, len(X_train))
    k = check_k(k, len(X_train), upper=len(X_train))
    nn = k_smallest(squared_distances(X_test, X_train), k)
    return majority_vote(y_train[nn], int(y_train.max()) + 1)
