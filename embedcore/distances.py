"""Distances and similarities between vectors, and each point's nearest neighbours.

The geometry the other measures stand on (``meters``, ``knn``, ``clusters``,
the word maps, the toy plane, and the top-k of decoding and nearest words):

* **squared Euclidean distances** between rows, from
  ``|a - b|^2 = |a|^2 + |b|^2 - 2 a.b`` (one matrix product, no
  (n, m, d) array of differences), and the **Euclidean distances** that are
  their square roots;
* **cosine similarity** ``cos(a, b) = a.b / (|a| |b|)``; NaN when either
  vector is zero, since the origin has no direction;
* **the k smallest / k largest** entries of each row, the nearest
  neighbours of each point (itself excluded) and the rank of every point
  among another's neighbours.

For unit vectors, Euclidean and cosine order agree:
``|a - b|^2 = 2 - 2 cos(a, b)``. Ties are broken by index (stable sorts),
so every neighbour list is deterministic.

The input checks the measures share (points, labels, a neighbourhood size)
are here too, so each module says the same thing about the same mistake.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


# --------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------


def as_points(X: ArrayLike, name: str) -> NDArray[np.float64]:
    """``X`` as a float array of shape (n_samples, n_features); a 1-D array is one feature.

    Raises
    ------
    ValueError
        If ``X`` has no rows, more than two dimensions, or NaN or infinite values.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n_samples, n_features), got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


def as_point_pair(X_full: ArrayLike, X_map: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The same points in two spaces (a full space and a map): both checked, same number of rows."""
    X_full = as_points(X_full, "X_full")
    X_map = as_points(X_map, "X_map")
    if len(X_full) != len(X_map):
        raise ValueError(
            f"X_full and X_map must have the same number of rows, got {len(X_full)} and {len(X_map)}"
        )
    return X_full, X_map


def as_labels(labels: ArrayLike, n: int) -> NDArray[np.int64]:
    """Group labels of ``n`` points: non-negative integers, shape (n,)."""
    labels = np.asarray(labels)
    if labels.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), got {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0:
        raise ValueError("labels must be non-negative integers")
    return labels.astype(np.int64)


def check_k(k: int, n_samples: int, *, upper: float | None = None) -> int:
    """A neighbourhood size between 1 and ``upper`` (default ``n_samples - 1``: every other point)."""
    k = int(k)
    limit = n_samples - 1 if upper is None else upper
    if not 1 <= k <= limit:
        raise ValueError(f"k must be between 1 and {int(limit)} for {n_samples} points, got {k}")
    return k


# --------------------------------------------------------------------------
# Distances and similarity
# --------------------------------------------------------------------------


def squared_distances(A: ArrayLike, B: ArrayLike | None = None) -> NDArray[np.float64]:
    """Squared Euclidean distances between the rows of ``A`` and ``B``.

    Parameters
    ----------
    A : array-like of shape (n_a, n_features)
    B : array-like of shape (n_b, n_features), optional
        Defaults to ``A``.

    Returns
    -------
    D : ndarray of shape (n_a, n_b)
    """
    A = as_points(A, "A")
    B = A if B is None else as_points(B, "B")
    # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b ; clip the tiny negatives rounding makes.
    D = (A**2).sum(1)[:, None] + (B**2).sum(1)[None, :] - 2.0 * A @ B.T
    return np.maximum(D, 0.0)


def pairwise_distances(A: ArrayLike, B: ArrayLike | None = None) -> NDArray[np.float64]:
    """Euclidean distances between the rows of ``A`` and ``B``: the square roots of :func:`squared_distances`.

    Parameters
    ----------
    A : array-like of shape (n_a, n_features)
    B : array-like of shape (n_b, n_features), optional
        Defaults to ``A``; then the diagonal is exactly 0 (each point to
        itself), where the shortcut's rounding would leave a residue of
        about 1e-16 whose square root is about 1e-8.

    Returns
    -------
    D : ndarray of shape (n_a, n_b)
        For one-hot rows every off-diagonal entry is sqrt(2): all words are
        equally far apart.
    """
    D = squared_distances(A, B)
    if B is None:
        np.fill_diagonal(D, 0.0)
    return np.sqrt(D)


def cosine_similarity(a: ArrayLike, b: ArrayLike) -> float:
    """``cos(a, b) = a.b / (|a| |b|)`` of two vectors of shape (d,), in [-1, 1].

    1 = the same direction, 0 = at right angles (unrelated), -1 = opposite.

    Returns
    -------
    float
        NaN when either vector is zero: the origin has no direction, so there
        is no angle to measure (and no warning: a caller shows the NaN, or
        checks for it).
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"a and b must be 1-D vectors of the same length, got {a.shape} and {b.shape}")
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    if norm == 0.0:
        return float("nan")
    return float(a @ b / norm)


# --------------------------------------------------------------------------
# Nearest first: top-k, neighbour lists, ranks
# --------------------------------------------------------------------------


def k_smallest(D: NDArray[np.float64], k: int) -> NDArray[np.int64]:
    """Column indices of the ``k`` smallest entries of each row, smallest first.

    ``argpartition`` finds them in linear time; only those k are then sorted.

    Parameters
    ----------
    D : ndarray of shape (n_rows, n_cols)
    k : int
        Between 1 and ``n_cols``.

    Returns
    -------
    ndarray of shape (n_rows, k)
    """
    if k >= D.shape[1]:
        return np.argsort(D, axis=1, kind="stable")
    part = np.argpartition(D, k - 1, axis=1)[:, :k]
    order = np.argsort(np.take_along_axis(D, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def k_largest(scores: NDArray[np.float64], k: int) -> NDArray[np.int64]:
    """Indices of the ``k`` largest of ``scores`` (shape (n,)), largest first; ties keep index order.

    :func:`k_smallest` of ``-scores``: the one top-k of embedcore (neighbour
    lists, decoding, nearest words).
    """
    scores = np.asarray(scores)
    k = min(int(k), scores.shape[0])
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    return k_smallest(-scores[None, :], k)[0]


def nearest_neighbours(D: NDArray[np.float64], k: int) -> NDArray[np.int64]:
    """The ``k`` nearest of each row of a square distance matrix (n, n), self excluded: shape (n, k).

    A stable sort breaks ties by index, so results are deterministic.
    """
    D = D.copy()
    np.fill_diagonal(D, np.inf)
    return np.argsort(D, axis=1, kind="stable")[:, :k]


def rank_matrix(D: NDArray[np.float64]) -> NDArray[np.int64]:
    """``R[i, j]`` = rank of ``j`` among ``i``'s neighbours (1 = nearest), from distances D (n, n).

    The point itself gets rank ``n`` (last), so it never counts as a neighbour.
    """
    D = D.copy()
    np.fill_diagonal(D, np.inf)
    order = np.argsort(D, axis=1, kind="stable")
    n = len(D)
    R = np.empty((n, n), dtype=np.int64)
    # Invert each row's permutation: R[i, order[i, r]] = r + 1.
    R[np.arange(n)[:, None], order] = np.arange(1, n + 1)[None, :]
    return R
