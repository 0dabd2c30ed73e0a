"""Cluster geometry: how big the clusters are, how far apart, and how many the eye sees.

The t-SNE lesson compares a map's clusters with the data's: t-SNE keeps
*which* points cluster together, but not the clusters' sizes or the gaps
between them (Wattenberg, Viegas & Johnson, 2016).

* :func:`cluster_spreads` - each cluster's root-mean-square radius;
* :func:`centroid_distances` - the distances between cluster centres;
* :func:`count_clumps` - how many separate clumps a 2-D map shows (single
  linkage at a gap relative to the map's own scale).

References
----------
Wattenberg, Viegas & Johnson (2016), "How to Use t-SNE Effectively",
Distill, https://distill.pub/2016/misread-tsne/.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore.distances import as_labels, as_points, pairwise_distances


def cluster_spreads(X: ArrayLike, labels: ArrayLike) -> NDArray[np.float64]:
    """Root-mean-square distance of each cluster's points to its centre.

    Returns
    -------
    ndarray of shape (n_clusters,), indexed by label.
    """
    X = as_points(X, "X")
    labels = as_labels(labels, len(X))
    out = np.zeros(int(labels.max()) + 1)
    for c in np.unique(labels):
        P = X[labels == c]
        out[c] = np.sqrt(((P - P.mean(axis=0)) ** 2).sum(axis=1).mean())
    return out


def centroid_distances(X: ArrayLike, labels: ArrayLike) -> NDArray[np.float64]:
    """Euclidean distances between the cluster centres, (n_clusters, n_clusters)."""
    X = as_points(X, "X")
    labels = as_labels(labels, len(X))
    centres = np.stack([X[labels == c].mean(axis=0) for c in range(int(labels.max()) + 1)])
    return pairwise_distances(centres)


def count_clumps(Y: ArrayLike, gap: float = 5.0, min_size: int = 5) -> int:
    """How many separate clumps a 2-D map shows: what the eye counts as "clusters".

    Two points belong to one clump when a chain of points links them with
    no step longer than ``gap`` times the map's median nearest-neighbour
    distance (single linkage; the ratio makes the count independent of the
    map's scale, which t-SNE sets arbitrarily). Clumps of fewer than
    ``min_size`` points are strays, not clusters, and are not counted.

    Parameters
    ----------
    Y : array of shape (n_points, n_dims)
        The map, n_points >= 2.

    Returns
    -------
    int
        The number of clumps of at least ``min_size`` points.
    """
    Y = as_points(Y, "Y")
    if len(Y) < 2:
        raise ValueError("count_clumps needs at least 2 points")
    D = pairwise_distances(Y)
    np.fill_diagonal(D, np.inf)
    link = gap * float(np.median(D.min(axis=1)))
    near = D <= link
    # Connected components by breadth-first search over the "near" graph.
    label = np.full(len(Y), -1)
    n_components = 0
    for start in range(len(Y)):
        if label[start] >= 0:
            continue
        label[start] = n_components
        frontier = [start]
        while frontier:
            reached = np.flatnonzero(near[frontier].any(axis=0) & (label < 0))
            label[reached] = n_components
            frontier = reached.tolist()
        n_components += 1
    return int((np.bincount(label) >= min_size).sum())
