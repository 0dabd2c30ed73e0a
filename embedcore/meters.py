"""Meters of a map: what a projection keeps and what it loses.

A map (a 2-D projection, or any low-dimensional embedding) is judged against
the full space it came from. Three meters, all in [0, 1], 1 = nothing lost:

* **neighbourhood recall@k** - the share of each point's k nearest neighbours
  in the full space that are still among its k nearest on the map. It
  punishes *missing* neighbours.
* **trustworthiness** (Venna & Kaski, 2001) - punishes *false* neighbours:
  points that are close on the map but were far in the full space, weighted
  by how far they were.
* **explained variance** of PCA - the share of the data's variance a linear
  map keeps (see :class:`embedcore.projection.PCA`).

:func:`map_meters` reads all three at once, :func:`meter_curve` for PCA maps
of 1, 2, ... dimensions. Behind the numbers, point by point:
:func:`lost_neighbours` (one point's missing and false neighbours) and
:func:`false_neighbour_pairs` (the worst false neighbours of the whole map);
:func:`largest_distance_change` says whether two maps are the same up to a
rotation. Distances are Euclidean (:mod:`embedcore.distances`); for
unit-length word vectors Euclidean order equals cosine order.

References
----------
Venna & Kaski (2001), "Neighborhood preservation in nonlinear projection
methods: an experimental study", ICANN.
Lee & Verleysen (2009), "Quality assessment of dimensionality reduction:
rank-based criteria", Neurocomputing 72.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore.distances import (
    as_point_pair,
    as_points,
    check_k,
    nearest_neighbours,
    rank_matrix,
    squared_distances,
)

# --------------------------------------------------------------------------
# The meters
# --------------------------------------------------------------------------


def _recall_from_neighbours(full: NDArray[np.int64], mapped: NDArray[np.int64]) -> NDArray[np.float64]:
    k = full.shape[1]
    # Row-wise set intersection: sort both and count shared members.
    shared = np.array([np.intersect1d(a, b, assume_unique=True).size for a, b in zip(full, mapped)])
    return shared / k


def neighbourhood_recall(
    X_full: ArrayLike, X_map: ArrayLike, k: int = 10, *, per_point: bool = False
) -> float | NDArray[np.float64]:
    """Share of each point's k nearest neighbours that the map keeps.

    ``recall_i = |N_k^full(i) & N_k^map(i)| / k``, averaged over points.

    Parameters
    ----------
    X_full : array-like of shape (n_samples, n_features)
        The points in the full space.
    X_map : array-like of shape (n_samples, n_components)
        The same points on the map (same row order).
    k : int
        Neighbourhood size, between 1 and ``n_samples - 1``.
    per_point : bool
        Return every point's recall instead of the mean.

    Returns
    -------
    float, or ndarray of shape (n_samples,) if ``per_point``
        1.0 when every neighbourhood survives, e.g. for an isometry
        (a rotation, reflection or translation of the full space).
    """
    X_full, X_map = as_point_pair(X_full, X_map)
    k = check_k(k, len(X_full))
    recall = _recall_from_neighbours(
        nearest_neighbours(squared_distances(X_full), k),
        nearest_neighbours(squared_distances(X_map), k),
    )
    return recall if per_point else float(recall.mean())


def _trustworthiness_from_ranks(full_ranks: NDArray[np.int64], mapped: NDArray[np.int64]) -> float:
    n, k = mapped.shape
    # r(i, j) for each j among i's k nearest on the map; only ranks beyond k
    # (false neighbours) are penalised, by how far beyond k they are.
    r = full_ranks[np.arange(n)[:, None], mapped]
    penalty = np.maximum(r - k, 0).sum()
    return float(1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty)


def trustworthiness(X_full: ArrayLike, X_map: ArrayLike, n_neighbors: int = 10) -> float:
    """How far one can trust the map's neighbourhoods (Venna & Kaski, 2001).

    ``T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in N_k^map(i)} max(0, r(i, j) - k)``
    where ``r(i, j)`` is the rank of ``j`` among ``i``'s neighbours in the full
    space. Same definition as ``sklearn.manifold.trustworthiness``.

    Parameters
    ----------
    X_full : array-like of shape (n_samples, n_features)
    X_map : array-like of shape (n_samples, n_components)
    n_neighbors : int
        Must be below ``n_samples / 2`` (the normalisation needs it).

    Returns
    -------
    float
        1.0 when no map neighbour is a false one.
    """
    X_full, X_map = as_point_pair(X_full, X_map)
    n = len(X_full)
    k = check_k(n_neighbors, n, upper=(n - 1) / 2)
    return _trustworthiness_from_ranks(
        rank_matrix(squared_distances(X_full)),
        nearest_neighbours(squared_distances(X_map), k),
    )


def meter_k(n_samples: int, k: int = 10) -> int:
    """The neighbourhood size the meters can use for ``n_samples`` points.

    ``k`` clipped so that trustworthiness is defined (``k < n / 2``).
    """
    if n_samples < 5:
        raise ValueError(f"the meters need at least 5 points, got {n_samples}")
    return max(1, min(int(k), (n_samples - 1) // 2))


@dataclass(frozen=True)
class MapMeters:
    """What a map kept, each in [0, 1] (1 = nothing lost).

    Attributes
    ----------
    recall : float
        Mean neighbourhood recall@k.
    trustworthiness : float
        Trustworthiness at the same k.
    explained_variance : float
        Share of the full space's variance that PCA to the map's number of
        dimensions keeps (for a non-linear map: what a linear one would keep).
    k : int
        The neighbourhood size used.
    """

    recall: float
    trustworthiness: float
    explained_variance: float
    k: int


def map_meters(X_full: ArrayLike, X_map: ArrayLike, k: int = 10) -> MapMeters:
    """All three meters of a map of ``X_full`` (n, d) to ``X_map`` (n, m).

    ``k`` is clipped with :func:`meter_k` so small maps still get meters.
    """
    X_full, X_map = as_point_pair(X_full, X_map)
    n = len(X_full)
    k = meter_k(n, k)
    D_full = squared_distances(X_full)
    mapped = nearest_neighbours(squared_distances(X_map), k)
    recall = _recall_from_neighbours(nearest_neighbours(D_full, k), mapped)
    return MapMeters(
        recall=float(recall.mean()),
        trustworthiness=_trustworthiness_from_ranks(rank_matrix(D_full), mapped),
        explained_variance=_pca_variance_kept(X_full, X_map.shape[1]),
        k=k,
    )


def _pca_variance_kept(X: NDArray[np.float64], n_components: int) -> float:
    """Share of total variance in the top ``n_components`` principal directions."""
    centred = X - X.mean(axis=0)
    # Singular values squared are the variances along the principal directions.
    s2 = np.linalg.svd(centred, compute_uv=False) ** 2
    total = s2.sum()
    return float(s2[:n_components].sum() / total) if total > 0 else 1.0


@dataclass(frozen=True)
class MeterCurve:
    """Meters of PCA maps that keep 1, 2, ... dimensions.

    Attributes
    ----------
    dims : ndarray of shape (n_dims,)
    recall, trustworthiness, explained_variance : ndarray of shape (n_dims,)
        The meters of the map that keeps ``dims[i]`` principal directions.
    k : int
    """

    dims: NDArray[np.int64]
    recall: NDArray[np.float64]
    trustworthiness: NDArray[np.float64]
    explained_variance: NDArray[np.float64]
    k: int

    def dims_for_recall(self, target: float) -> int | None:
        """The fewest dimensions whose map reaches ``target`` recall (None if none does)."""
        reached = np.flatnonzero(self.recall >= target)
        return int(self.dims[reached[0]]) if reached.size else None


def meter_curve(X: ArrayLike, dims: ArrayLike, k: int = 10) -> MeterCurve:
    """Meters of the PCA map of ``X`` (n_samples, n_features) to each of ``dims``.

    The full-space ranks are computed once; the map's squared distances are
    built up one principal direction at a time (they add up over orthogonal
    coordinates), so the whole curve costs little more than one map.
    """
    from embedcore.projection import PCA

    X = as_points(X, "X")
    n = len(X)
    dims = np.asarray(dims, dtype=np.int64)
    max_dim = min(X.shape)
    if dims.ndim != 1 or len(dims) == 0 or dims.min() < 1 or dims.max() > max_dim:
        raise ValueError(f"dims must be a list of integers between 1 and {max_dim}")
    k = meter_k(n, k)
    D_full = squared_distances(X)
    full_nn = nearest_neighbours(D_full, k)
    full_ranks = rank_matrix(D_full)

    pca = PCA(n_components=int(dims.max())).fit(X)
    Z = pca.transform(X)
    cumulative = np.cumsum(pca.explained_variance_ratio_)
    recall, trust = {}, {}
    wanted = set(dims.tolist())
    D_map = np.zeros((n, n))
    for d in range(1, int(dims.max()) + 1):
        # Squared distances add up over orthogonal coordinates.
        D_map += (Z[:, d - 1, None] - Z[None, :, d - 1]) ** 2
        if d in wanted:
            mapped = nearest_neighbours(D_map, k)
            recall[d] = _recall_from_neighbours(full_nn, mapped).mean()
            trust[d] = _trustworthiness_from_ranks(full_ranks, mapped)
    return MeterCurve(
        dims=dims,
        recall=np.array([recall[d] for d in dims]),
        trustworthiness=np.array([trust[d] for d in dims]),
        explained_variance=cumulative[dims - 1],
        k=k,
    )


def largest_distance_change(Y_a: ArrayLike, Y_b: ArrayLike) -> float:
    """The largest change in any pairwise distance between two maps of the same points.

    0 (up to rounding) when one map is a rotation, reflection or shift of the other.

    Parameters
    ----------
    Y_a, Y_b : array-like of shape (n_samples, n_components)
    """
    from scipy.spatial.distance import pdist

    Y_a, Y_b = as_point_pair(Y_a, Y_b)
    if len(Y_a) < 2:
        return 0.0
    # pdist subtracts the coordinates directly; the |a|^2 + |b|^2 - 2ab shortcut of
    # embedcore.distances loses ~1e-8 to cancellation near zero distance (two
    # points in one place), which would hide an exact isometry.
    return float(np.abs(pdist(Y_a) - pdist(Y_b)).max())


# --------------------------------------------------------------------------
# Lost and false neighbours
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class LostNeighbours:
    """One point's neighbourhood in the full space and on the map.

    Attributes
    ----------
    full : ndarray of shape (k,)
        Indices of its k nearest in the full space, nearest first.
    on_map : ndarray of shape (k,)
        Indices of its k nearest on the map, nearest first.
    lost : ndarray
        Full-space neighbours that are not map neighbours.
    false : ndarray
        Map neighbours that are not full-space neighbours (close on the map,
        far in truth).
    full_rank_of_map : ndarray of shape (k,)
        For each of ``on_map``, its rank in the full space (1 = nearest).
    map_rank_of_full : ndarray of shape (k,)
        For each of ``full``, its rank on the map.
    """

    full: NDArray[np.int64]
    on_map: NDArray[np.int64]
    lost: NDArray[np.int64]
    false: NDArray[np.int64]
    full_rank_of_map: NDArray[np.int64]
    map_rank_of_full: NDArray[np.int64]


def lost_neighbours(X_full: ArrayLike, X_map: ArrayLike, index: int, k: int = 10) -> LostNeighbours:
    """Compare point ``index``'s k nearest in the full space and on the map.

    Parameters
    ----------
    X_full : array-like of shape (n_samples, n_features)
    X_map : array-like of shape (n_samples, n_components)
    index : int
        Row of the point to inspect.
    k : int
        Between 1 and ``n_samples - 1``.
    """
    X_full, X_map = as_point_pair(X_full, X_map)
    n = len(X_full)
    if not 0 <= int(index) < n:
        raise ValueError(f"index must be between 0 and {n - 1}, got {index}")
    k = check_k(k, n)
    i = int(index)
    # Only row i is needed: rank everything by distance from point i.
    d_full = squared_distances(X_full[i : i + 1], X_full)[0]
    d_map = squared_distances(X_map[i : i + 1], X_map)[0]
    d_full[i] = d_map[i] = np.inf
    order_full = np.argsort(d_full, kind="stable")
    order_map = np.argsort(d_map, kind="stable")
    rank_full = np.empty(n, dtype=np.int64)
    rank_map = np.empty(n, dtype=np.int64)
    rank_full[order_full] = np.arange(1, n + 1)
    rank_map[order_map] = np.arange(1, n + 1)
    full, on_map = order_full[:k], order_map[:k]
    return LostNeighbours(
        full=full,
        on_map=on_map,
        lost=full[rank_map[full] > k],
        false=on_map[rank_full[on_map] > k],
        full_rank_of_map=rank_full[on_map],
        map_rank_of_full=rank_map[full],
    )


@dataclass(frozen=True)
class FalsePairs:
    """Pairs that are close on the map but far apart in the full space.

    Attributes
    ----------
    i, j : ndarray of shape (n_pairs,)
        Row indices of each pair (``j`` is among ``i``'s k nearest on the map).
    map_rank : ndarray of shape (n_pairs,)
        Rank of ``j`` among ``i``'s neighbours on the map.
    full_rank : ndarray of shape (n_pairs,)
        Rank of ``j`` among ``i``'s neighbours in the full space.
    """

    i: NDArray[np.int64]
    j: NDArray[np.int64]
    map_rank: NDArray[np.int64]
    full_rank: NDArray[np.int64]


def false_neighbour_pairs(X_full: ArrayLike, X_map: ArrayLike, k: int = 10, top: int = 10) -> FalsePairs:
    """The ``top`` worst false neighbours of a map, worst first.

    A pair (i, j) is a false neighbour when ``j`` is among ``i``'s ``k``
    nearest on the map but ranks beyond ``k`` in the full space. Pairs are
    sorted by full-space rank (the further in truth, the worse); each
    unordered pair is listed once.
    """
    X_full, X_map = as_point_pair(X_full, X_map)
    n = len(X_full)
    k = check_k(k, n)
    ranks_full = rank_matrix(squared_distances(X_full))
    ranks_map = rank_matrix(squared_distances(X_map))
    i, j = np.nonzero((ranks_map <= k) & (ranks_full > k))
    # Keep one direction of each pair: the one where it ranks worse in truth.
    worst = {}
    for a, b in zip(i.tolist(), j.tolist()):
        key = (min(a, b), max(a, b))
        if key not in worst or ranks_full[a, b] > ranks_full[worst[key]]:
            worst[key] = (a, b)
    pairs = sorted(worst.values(), key=lambda p: (-ranks_full[p], ranks_map[p], p))[: max(int(top), 0)]
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    return FalsePairs(i=a, j=b, map_rank=ranks_map[a, b], full_rank=ranks_full[a, b])
