"""Regions of a 2-D map: which concept owns each patch of the plane.

On a map, a concept is rarely a line along one axis; it is an *area*. To
shade those areas we label every point of a fine grid over the map with the
concept that a classifier (by default k-nearest neighbours on the mapped
points) would predict there.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray


def mesh(
    Y: ArrayLike, *, resolution: int = 120, padding: float = 0.08
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """A regular grid covering the 2-D points ``Y`` (n_points, 2).

    Returns
    -------
    xs : ndarray of shape (resolution,)
    ys : ndarray of shape (resolution,)
    grid : ndarray of shape (resolution * resolution, 2)
        Every (x, y) of the mesh, row-major over ``ys`` then ``xs``.
    """
    Y = np.asarray(Y, dtype=np.float64)
    if Y.ndim != 2 or Y.shape[1] != 2 or len(Y) == 0:
        raise ValueError(f"Y must have shape (n_points, 2), got {Y.shape}")
    if not 2 <= resolution <= 1000:
        raise ValueError(f"resolution must be between 2 and 1000, got {resolution}")
    lo, hi = Y.min(axis=0), Y.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    lo, hi = lo - padding * span, hi + padding * span
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def region_grid(
    Y: ArrayLike,
    labels: ArrayLike,
    *,
    resolution: int = 120,
    n_neighbors: int = 5,
    padding: float = 0.08,
    predict: Callable[[NDArray[np.float64]], NDArray[np.int64]] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Label every cell of a grid over the map with a region index.

    Parameters
    ----------
    Y : array-like of shape (n_points, 2)
        The mapped points.
    labels : array-like of shape (n_points,)
        Integer region (concept) of each point.
    n_neighbors : int
        Votes for the default k-NN classifier; clipped to ``n_points``.
    predict : callable, optional
        Any classifier's ``predict`` on (m, 2) points; replaces k-NN, e.g. to
        draw a trained model's decision regions.

    Returns
    -------
    xs, ys : ndarray of shape (resolution,)
    z : ndarray of shape (resolution, resolution) of int
        ``z[i, j]`` is the region at ``(xs[j], ys[i])``.
    """
    Y = np.asarray(Y, dtype=np.float64)
    labels = np.asarray(labels)
    if labels.shape != (len(Y),):
        raise ValueError(f"labels must have shape ({len(Y)},), got {labels.shape}")
    xs, ys, grid = mesh(Y, resolution=resolution, padding=padding)
    if predict is None:
        from sklearn.neighbors import KNeighborsClassifier

        knn = KNeighborsClassifier(n_neighbors=max(1, min(n_neighbors, len(Y))))
        predict = knn.fit(Y, labels).predict
    z = np.asarray(predict(grid)).reshape(len(ys), len(xs))
    return xs, ys, z.astype(np.int64)
