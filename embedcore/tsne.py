"""A small, exact t-SNE you can read, that reports its map while it optimises.

scikit-learn's ``TSNE`` hands back only the finished map. To *watch* t-SNE
work (the "t-SNE has knobs" lesson plays the optimisation), this module
runs the same algorithm, exactly (every pair of points, no Barnes-Hut
tree), with the same schedule as scikit-learn's ``method="exact"``, and
calls ``callback(iteration, Y)`` along the way. It is meant for a few
hundred points: every step costs O(n^2).

The algorithm (van der Maaten & Hinton, 2008), step by step:

1. **Input affinities.** For each point i, a Gaussian over the others,
   ``p_{j|i} ∝ exp(-beta_i |x_i - x_j|^2)``, with ``beta_i`` found by
   bisection so that the distribution's perplexity ``2^H`` (``e^H`` in nats)
   equals the chosen perplexity: roughly, i's number of neighbours.
   Symmetrised: ``P = (P_cond + P_cond^T) / sum``.
2. **Map affinities.** A Student-t with one degree of freedom on the map:
   ``q_ij ∝ 1 / (1 + |y_i - y_j|^2)``, normalised over all pairs.
3. **Loss.** ``KL(P || Q) = sum_ij p_ij log(p_ij / q_ij)``.
4. **Gradient.** ``dKL/dy_i = 4 sum_j (p_ij - q_ij) (y_i - y_j) / (1 + |y_i - y_j|^2)``.
5. **Descent** as scikit-learn does it: the first 250 iterations with P
   multiplied by 12 ("early exaggeration": clusters form loosely first)
   and momentum 0.5, the rest with momentum 0.8; per-coordinate gains
   (grow by 0.2 while the gradient keeps its sign, shrink by x0.8 when it
   flips, at least 0.01); learning rate ``max(n / 12 / 4, 50)``; the map
   starts from PCA, scaled to a standard deviation of 1e-4.

Unlike scikit-learn it never stops early (scikit-learn stops when progress
stalls), so a run of N iterations is exactly N steps, and the map after
step k is the same whatever N is. tests/test_tsne.py checks the gradient
against finite differences and the finished maps against scikit-learn's on
the lesson's data (trustworthiness, KL divergence).

References
----------
van der Maaten & Hinton (2008), "Visualizing Data using t-SNE", JMLR 9, 2579-2605.
scikit-learn, ``sklearn/manifold/_t_sne.py`` (``_joint_probabilities``, ``_kl_divergence``,
``_gradient_descent``, ``TSNE._tsne``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore import clusters, meters
from embedcore.distances import as_labels, as_points, squared_distances
from embedcore.projection import PCA

EXAGGERATION = 12.0  # scikit-learn's early_exaggeration
EXPLORATION_ITERATIONS = 250  # scikit-learn's _EXPLORATION_MAX_ITER
_EPSILON = np.finfo(np.float64).eps  # scikit-learn's MACHINE_EPSILON: no log(0), no division by 0


# --------------------------------------------------------------------------
# Private maths
# --------------------------------------------------------------------------
def _conditional_probabilities(D: NDArray[np.float64], perplexity: float, steps: int = 100,
                               tolerance: float = 1e-5) -> NDArray[np.float64]:
    """``p_{j|i}`` (n, n), each row a Gaussian over the others with the given perplexity.

    Bisection on each row's precision ``beta_i`` (every row at once): the
    entropy ``H_i = log(sum_j e^{-beta d_ij}) + beta sum_j p_{j|i} d_ij`` (nats)
    must reach ``log(perplexity)``; a larger beta means fewer neighbours.
    ``D`` holds squared distances with the diagonal ignored.
    """
    n = D.shape[0]
    target = np.log(perplexity)
    beta = np.ones(n)
    low, high = np.full(n, -np.inf), np.full(n, np.inf)
    off = ~np.eye(n, dtype=bool)
    # Measured from each row's nearest point: the largest term is e^0 = 1, so no row's sum underflows
    # (a shift by a constant changes neither p_{j|i} nor the entropy).
    D = np.where(off, D, np.inf)
    D = D - D.min(axis=1, keepdims=True)
    D[~off] = 0.0
    for _ in range(steps):
        P = np.exp(-D * beta[:, None]) * off
        total = P.sum(axis=1)
        P /= total[:, None]
        entropy = np.log(total) + beta * (D * P).sum(axis=1)
        searching = np.abs(entropy - target) > tolerance  # a row that is close enough stops (as scikit-learn's)
        if not searching.any():
            break
        too_wide = entropy > target  # too many neighbours: sharpen (raise beta)
        low = np.where(searching & too_wide, beta, low)
        high = np.where(searching & ~too_wide, beta, high)
        moved = np.where(too_wide, np.where(np.isinf(high), beta * 2, (beta + high) / 2),
                         np.where(np.isinf(low), beta / 2, (beta + low) / 2))
        beta = np.where(searching, moved, beta)
    return P


def joint_probabilities(X: ArrayLike, perplexity: float) -> NDArray[np.float64]:
    """The symmetric input affinities ``P`` (n, n) of points ``X`` (n, n_features): zero diagonal, sum 1."""
    X = as_points(X, "X")
    n = len(X)
    if not 1 <= perplexity < n:
        raise ValueError(f"perplexity must be at least 1 and below the number of points ({n}), got {perplexity}")
    conditional = _conditional_probabilities(squared_distances(X), float(perplexity))
    P = conditional + conditional.T
    P /= max(P.sum(), _EPSILON)
    np.fill_diagonal(P, 0.0)
    return np.maximum(P, _EPSILON) * ~np.eye(n, dtype=bool)


def _affinities(Y: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The map's Student-t weights ``w_ij = 1 / (1 + |y_i - y_j|^2)`` (zero diagonal) and ``Q = w / sum w``."""
    norms = (Y**2).sum(axis=1)
    W = 1.0 / (1.0 + np.maximum(norms[:, None] + norms[None, :] - 2.0 * (Y @ Y.T), 0.0))
    np.fill_diagonal(W, 0.0)
    return W, np.maximum(W / W.sum(), _EPSILON)


def kl_divergence(P: NDArray[np.float64], Y: NDArray[np.float64]) -> float:
    """``KL(P || Q) = sum_ij p_ij log(p_ij / q_ij)`` for the map ``Y`` (n, 2): t-SNE's loss."""
    _, Q = _affinities(Y)
    off = P > 0
    return float(np.sum(P[off] * np.log(P[off] / Q[off])))


def gradient(P: NDArray[np.float64], Y: NDArray[np.float64]) -> NDArray[np.float64]:
    """``dKL/dY`` (n, 2): ``grad_i = 4 sum_j (p_ij - q_ij) w_ij (y_i - y_j)``."""
    W, Q = _affinities(Y)
    M = (P - Q) * W
    np.fill_diagonal(M, 0.0)
    # sum_j m_ij (y_i - y_j) = y_i sum_j m_ij - (M Y)_i
    return 4.0 * (Y * M.sum(axis=1)[:, None] - M @ Y)


def _pca_start(X: NDArray[np.float64]) -> NDArray[np.float64]:
    """The starting map: the first two principal components, scaled to a standard deviation of 1e-4 along the first."""
    Y = PCA(n_components=2).fit_transform(X)
    scale = float(np.std(Y[:, 0]))
    return Y / scale * 1e-4 if scale > 0 else Y


# --------------------------------------------------------------------------
# The estimator
# --------------------------------------------------------------------------
Callback = Callable[[int, NDArray[np.float64]], None]


class ExactTSNE:
    """Exact t-SNE to 2-D, with a callback along the optimisation (see the module docstring).

    Parameters
    ----------
    perplexity : float
        Roughly how many neighbours each point keeps close (1 <= perplexity < n_samples).
    max_iter : int
        Gradient steps, the first 250 with early exaggeration. Deterministic: no randomness at all.

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, 2)
    kl_divergence_ : float
        ``KL(P || Q)`` of the finished map (without exaggeration).
    n_iter_ : int
        Steps taken (always ``max_iter``).
    """

    def __init__(self, perplexity: float = 30.0, max_iter: int = 1000) -> None:
        self.perplexity = perplexity
        self.max_iter = max_iter

    def fit(self, X: ArrayLike, callback: Callback | None = None) -> ExactTSNE:
        """Map ``X`` (n_samples, n_features); ``callback(iteration, Y)`` sees the start (0) and every step.

        ``Y`` (n_samples, 2) is the map after ``iteration`` steps, read-only: copy it to keep it.
        """
        X = as_points(X, "X")
        if int(self.max_iter) < 0:
            raise ValueError(f"max_iter must be at least 0, got {self.max_iter}")
        P = joint_probabilities(X, self.perplexity)
        learning_rate = max(len(X) / EXAGGERATION / 4.0, 50.0)
        Y = _pca_start(X)
        if callback is not None:
            callback(0, _read_only(Y))
        update = np.zeros_like(Y)
        gains = np.ones_like(Y)
        for step in range(1, int(self.max_iter) + 1):
            exploring = step <= EXPLORATION_ITERATIONS
            if step == EXPLORATION_ITERATIONS + 1:  # scikit-learn starts its second phase afresh
                update, gains = np.zeros_like(Y), np.ones_like(Y)
            slope = gradient(P * EXAGGERATION if exploring else P, Y)
            # Gains: speed up a coordinate while the gradient keeps pointing the same way.
            same_way = update * slope < 0.0
            gains = np.where(same_way, gains + 0.2, gains * 0.8).clip(min=0.01)
            update = (0.5 if exploring else 0.8) * update - learning_rate * gains * slope
            Y = Y + update
            if callback is not None:
                callback(step, _read_only(Y))
        self.embedding_ = Y
        self.kl_divergence_ = kl_divergence(P, Y)
        self.n_iter_ = int(self.max_iter)
        return self

    def fit_transform(self, X: ArrayLike, callback: Callback | None = None) -> NDArray[np.float64]:
        return self.fit(X, callback).embedding_


def _read_only(Y: NDArray[np.float64]) -> NDArray[np.float64]:
    view = Y.view()
    view.flags.writeable = False
    return view


# --------------------------------------------------------------------------
# A run with snapshots
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class TsneRun:
    """One t-SNE optimisation, photographed along the way.

    Attributes
    ----------
    iterations : ndarray of int, shape (n_snapshots,)
        The steps at which the map was kept, increasing, from 0 (the start).
    snapshots : ndarray of float16, shape (n_snapshots, n_samples, 2)
        The map after each of those steps, centred and scaled so that its
        largest coordinate is 1 (t-SNE's units mean nothing; this keeps every
        picture the same size). Stored small: half precision.
    embedding : ndarray of float64, shape (n_samples, 2)
        The finished map, as t-SNE left it (full precision, unscaled).
    kl_divergence : float
        ``KL(P || Q)`` of the finished map.
    """

    iterations: NDArray[np.int64]
    snapshots: NDArray[np.float16]
    embedding: NDArray[np.float64]
    kl_divergence: float


def fit_to_unit(Y: ArrayLike) -> NDArray[np.float64]:
    """``Y`` (n, 2) centred on its mean and scaled so that its largest absolute coordinate is 1."""
    Y = np.asarray(Y, dtype=np.float64)
    centred = Y - Y.mean(axis=0)
    size = float(np.abs(centred).max())
    return centred / size if size > 0 else centred


def run_with_snapshots(X: ArrayLike, perplexity: float, iterations: ArrayLike) -> TsneRun:
    """Run :class:`ExactTSNE` for ``max(iterations)`` steps and keep the map at each step of ``iterations``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    perplexity : float
    iterations : array-like of int
        Increasing steps to photograph; 0 is the starting map.
    """
    at = np.asarray(iterations, dtype=np.int64)
    if at.ndim != 1 or at.size == 0 or at[0] < 0 or np.any(np.diff(at) <= 0):
        raise ValueError("iterations must be increasing steps, from 0 or more")
    wanted = {int(i): place for place, i in enumerate(at)}
    snapshots = np.zeros((at.size, len(np.asarray(X)), 2), dtype=np.float16)

    def keep(step: int, Y: NDArray[np.float64]) -> None:
        if step in wanted:
            snapshots[wanted[step]] = fit_to_unit(Y)

    tsne = ExactTSNE(perplexity=perplexity, max_iter=int(at[-1])).fit(X, keep)
    return TsneRun(at, snapshots, tsne.embedding_, float(tsne.kl_divergence_))


@dataclass(frozen=True)
class RunReadings:
    """What each snapshot of a :class:`TsneRun` shows of the data's known structure (arrays along the snapshots).

    Attributes
    ----------
    recall : ndarray of shape (n_snapshots,)
        Neighbourhood recall@k of each snapshot (:func:`embedcore.meters.map_meters`).
    trustworthiness : ndarray of shape (n_snapshots,)
    clumps : ndarray of int, shape (n_snapshots,)
        Separate clumps the eye would count (:func:`embedcore.clusters.count_clumps`).
    spreads : ndarray of shape (n_snapshots, n_clusters)
        Each true cluster's spread on the snapshot (:func:`embedcore.clusters.cluster_spreads`).
    gaps : ndarray of shape (n_snapshots, n_clusters, n_clusters)
        Distances between the true clusters' centres on the snapshot.
    k : int
        The meters' neighbourhood size.
    """

    recall: NDArray[np.float64]
    trustworthiness: NDArray[np.float64]
    clumps: NDArray[np.int64]
    spreads: NDArray[np.float64]
    gaps: NDArray[np.float64]
    k: int


def read_run(X: ArrayLike, labels: ArrayLike, run: TsneRun, k: int = 10) -> RunReadings:
    """Meters, clumps, spreads and gaps of every snapshot of ``run`` (a map of ``X`` with true ``labels``).

    Read off the snapshots as they are drawn (scaled to fit, half precision):
    every reading is unchanged by the scale.
    """
    X = as_points(X, "X")
    labels = as_labels(labels, len(X))
    shown = [np.asarray(snapshot, dtype=np.float64) for snapshot in run.snapshots]
    found = [meters.map_meters(X, Y, k=k) for Y in shown]
    return RunReadings(
        recall=np.array([m.recall for m in found]),
        trustworthiness=np.array([m.trustworthiness for m in found]),
        clumps=np.array([clusters.count_clumps(Y) for Y in shown], dtype=np.int64),
        spreads=np.stack([clusters.cluster_spreads(Y, labels) for Y in shown]),
        gaps=np.stack([clusters.centroid_distances(Y, labels) for Y in shown]),
        k=found[0].k,
    )


__all__ = ["EXAGGERATION", "EXPLORATION_ITERATIONS", "ExactTSNE", "RunReadings", "TsneRun", "fit_to_unit", "gradient",
           "joint_probabilities", "kl_divergence", "read_run", "run_with_snapshots"]
