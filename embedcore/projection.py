"""Projections: from many dimensions down to a 2-D map.

A projection is itself an embedding of an embedding: it keeps some of the
geometry and drops the rest (see ``embedcore.meters`` for meters of what it
kept). Three families are offered:

* **PCA** - linear; keeps the directions of largest variance. Implemented
  here in a few lines of numpy so students can read it.
* **t-SNE** - non-linear; keeps local neighbourhoods, distorts global
  distances (van der Maaten & Hinton, 2008). Uses scikit-learn.
* **MDS** - tries to keep all pairwise distances (metric MDS). Uses
  scikit-learn.

References
----------
Pearson (1901), "On lines and planes of closest fit to systems of points".
van der Maaten & Hinton (2008), "Visualizing Data using t-SNE", JMLR 9.
Wattenberg, Viegas & Johnson (2016), "How to Use t-SNE Effectively", Distill.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Method = str  # a name in PROJECTIONS

# Points whose spread is below this share of their size differ only by
# float rounding: to any projection they are one point.
_SAME_POINT_TOLERANCE = 1e-9


class DegenerateDataError(ValueError):
    """The points cannot be mapped by a non-linear method (all the same, too few).

    scikit-learn's t-SNE does not reject such data: it divides by a zero
    spread and crashes the whole process in native code (its quad tree).
    So :func:`project_2d` checks first and raises this, with the reason in
    plain words; PCA still works on such data (every point at the origin).
    """


def _as_2d_float(X: ArrayLike, name: str = "X") -> NDArray[np.float64]:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n_samples, n_features), got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{name} has no rows")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


class PCA:
    """Principal component analysis via the SVD (scikit-learn conventions).

    Parameters
    ----------
    n_components : int
        Number of directions to keep.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
    components_ : ndarray of shape (n_components, n_features)
        Orthonormal rows: the kept directions, largest variance first.
    explained_variance_ : ndarray of shape (n_components,)
    explained_variance_ratio_ : ndarray of shape (n_components,)
        Share of the total variance each component keeps.
    """

    def __init__(self, n_components: int = 2) -> None:
        self.n_components = n_components

    def fit(self, X: ArrayLike) -> PCA:
        """Learn the principal directions of ``X`` (n_samples, n_features)."""
        X = _as_2d_float(X)
        n_samples, n_features = X.shape
        k = int(self.n_components)
        if not 1 <= k <= min(n_samples, n_features):
            raise ValueError(
                f"n_components must be between 1 and min(n_samples, n_features)="
                f"{min(n_samples, n_features)}, got {self.n_components}"
            )
        self.mean_ = X.mean(axis=0)
        # X - mean = U S Vt; the rows of Vt are the principal directions.
        _, S, Vt = np.linalg.svd(X - self.mean_, full_matrices=False)
        # Fix each direction's sign (largest |loading| positive) so results are deterministic.
        signs = np.sign(Vt[np.arange(Vt.shape[0]), np.argmax(np.abs(Vt), axis=1)])
        signs[signs == 0] = 1.0
        Vt = Vt * signs[:, None]
        variance = S**2 / max(n_samples - 1, 1)
        total = variance.sum()
        self.components_ = Vt[:k]
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = variance[:k] / total if total > 0 else np.zeros(k)
        self.n_features_in_ = n_features
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            raise RuntimeError("this PCA is not fitted yet; call fit(X) first")

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Encode: (n_samples, n_features) -> (n_samples, n_components). Z = (X - mean) V."""
        self._check_fitted()
        X = _as_2d_float(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, PCA was fitted on {self.n_features_in_}")
        return (X - self.mean_) @ self.components_.T

    def inverse_transform(self, Z: ArrayLike) -> NDArray[np.float64]:
        """Decode: (n_samples, n_components) -> (n_samples, n_features). X' = Z Vt + mean."""
        self._check_fitted()
        Z = _as_2d_float(Z, "Z")
        return Z @ self.components_ + self.mean_

    def fit_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        return self.fit(X).transform(X)


def spread_scale(X: ArrayLike) -> float:
    """How far the points of ``X`` (n_samples, n_features) lie from their mean.

    Returns the largest distance from the centroid, or 0.0 when every point
    is the same up to float rounding (a spread below ``1e-9`` of the
    points' own size). A map of such points has nothing to show.
    """
    X = _as_2d_float(X)
    centred = X - X.mean(axis=0)
    # Scale by the largest entry first so that squaring cannot overflow or underflow.
    size = float(np.abs(X).max())
    if size == 0.0:
        return 0.0
    spread = float(np.sqrt(np.einsum("ij,ij->i", centred / size, centred / size).max())) * size
    return spread if spread > _SAME_POINT_TOLERANCE * size else 0.0


def _pca_2d(X: NDArray[np.float64], *, random_state: int, perplexity: float, max_iter: int) -> NDArray[np.float64]:
    n = X.shape[0]
    if min(X.shape) < 2:
        # One point or one feature: pad so the map is still 2-D.
        out = np.zeros((n, 2))
        if n > 1:
            out[:, 0] = (X - X.mean(axis=0))[:, 0]
        return out
    return PCA(n_components=2).fit_transform(X)


def _tsne_2d(X: NDArray[np.float64], *, random_state: int, perplexity: float, max_iter: int) -> NDArray[np.float64]:
    from sklearn.manifold import TSNE

    tsne = TSNE(
        n_components=2,
        perplexity=float(min(perplexity, X.shape[0] - 1)),
        max_iter=max(int(max_iter), 250),
        init="pca",
        learning_rate="auto",
        random_state=random_state,
    )
    return tsne.fit_transform(X)


def _mds_2d(X: NDArray[np.float64], *, random_state: int, perplexity: float, max_iter: int) -> NDArray[np.float64]:
    from sklearn.manifold import MDS

    # Start from classical MDS (the PCA-like closed form): deterministic and
    # closer to the answer than a random start, so SMACOF converges faster.
    mds = MDS(n_components=2, random_state=random_state, max_iter=int(max_iter), n_init=1, init="classical_mds")
    return mds.fit_transform(X)


@dataclass(frozen=True)
class Projection:
    """One entry of the registry: what a menu shows and what runs.

    Attributes
    ----------
    label : str
        The name a student reads (and a shared link carries): "t-SNE".
    fit : callable
        ``fit(X, *, random_state, perplexity, max_iter)`` maps X of shape
        (n_samples, n_features) to (n_samples, 2). Non-linear methods get X
        centred and scaled to a spread of 1, and at least 3 distinct points.
    linear : bool
        True if the map is a linear function of the points (PCA): then its
        explained variance is its own, and degenerate points are fine.
    keeps_distances : bool
        True if the map's distances are in the data's units (MDS): the map
        of the rescaled points is scaled back.
    """

    label: str
    fit: Callable[..., NDArray[np.float64]]
    linear: bool = False
    keeps_distances: bool = False


# The registry: every menu and lookup of a projection is built from it, so a
# new method (UMAP, Isomap) is one entry here.
PROJECTIONS: dict[str, Projection] = {
    "pca": Projection("PCA", _pca_2d, linear=True),
    "tsne": Projection("t-SNE", _tsne_2d),
    "mds": Projection("MDS", _mds_2d, keeps_distances=True),
}
# name -> label, for menus and sentences.
METHODS: dict[str, str] = {name: projection.label for name, projection in PROJECTIONS.items()}


def method_of(label: str) -> str:
    """The registry name of a menu label: ``method_of("t-SNE") == "tsne"``.

    Raises
    ------
    ValueError
        For a label that no method has.
    """
    for name, projection in PROJECTIONS.items():
        if projection.label == label:
            return name
    raise ValueError(f"unknown projection {label!r}; choose one of {list(METHODS.values())}")


def project_2d(
    X: ArrayLike,
    method: Method = "pca",
    *,
    random_state: int = 0,
    perplexity: float = 30.0,
    max_iter: int = 1000,
) -> NDArray[np.float64]:
    """Project ``X`` of shape (n_samples, n_features) to (n_samples, 2).

    Parameters
    ----------
    method : str
        A name in :data:`PROJECTIONS` ("pca", "tsne", "mds").
    random_state : int
        Seed for t-SNE and MDS (PCA is deterministic).
    perplexity : float
        t-SNE's effective number of neighbours; clipped to ``n_samples - 1``
        because t-SNE needs more points than its perplexity.
    max_iter : int
        Iterations for t-SNE (at least 250) and MDS.

    Raises
    ------
    DegenerateDataError
        For t-SNE and MDS on fewer than 3 points, or on points that are all
        the same (scikit-learn would crash the process on those).
    """
    X = _as_2d_float(X)
    n = X.shape[0]
    if method not in PROJECTIONS:
        raise ValueError(f"unknown projection {method!r}; choose one of {sorted(METHODS)}")
    projection = PROJECTIONS[method]
    options = {"random_state": random_state, "perplexity": perplexity, "max_iter": max_iter}
    if projection.linear:
        return projection.fit(X, **options)
    if n < 3:
        raise DegenerateDataError(f"{projection.label} needs at least 3 points, got {n}")
    spread = spread_scale(X)
    if spread == 0.0:
        raise DegenerateDataError(
            f"all {n} points are the same (or differ only by rounding), so {projection.label} has nothing to "
            "spread out"
        )
    # Centre and rescale to a spread of 1: t-SNE and MDS only see distances,
    # and points of size 1e-200 or 1e200 would underflow or overflow them.
    Y = projection.fit((X - X.mean(axis=0)) / spread, **options)
    return Y * spread if projection.keeps_distances else Y


# --------------------------------------------------------------------------
# Moving a map without changing it, and the "axes" alternative to a map
# --------------------------------------------------------------------------


def rotation_matrix(degrees: float) -> NDArray[np.float64]:
    """The 2 x 2 matrix that turns the plane anticlockwise by ``degrees``.

    R = [[cos t, -sin t], [sin t, cos t]]; R is orthogonal (R^T R = I), so it
    keeps every length and angle.
    """
    t = np.deg2rad(float(degrees))
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, -s], [s, c]])


def rotate(Y: ArrayLike, degrees: float) -> NDArray[np.float64]:
    """Spin a 2-D map ``Y`` (n_points, 2) about its centre by ``degrees``.

    Every pairwise distance stays the same, so every meter of the map stays
    the same: the axes of a map carry no meaning of their own.
    """
    Y = _as_2d_float(Y, "Y")
    if Y.shape[1] != 2:
        raise ValueError(f"Y must have shape (n_points, 2), got {Y.shape}")
    centre = Y.mean(axis=0)
    # Row vectors: y' = (y - c) R^T + c.
    return (Y - centre) @ rotation_matrix(degrees).T + centre


def concept_axes(X: ArrayLike, labels: ArrayLike, axes: tuple[int, int] = (0, 1)) -> NDArray[np.float64]:
    """Coordinates of ``X`` along two concept directions: "one concept per axis".

    Axis 1 points at the centre of group ``axes[0]``, axis 2 at the centre of
    group ``axes[1]`` (both scaled to unit length). A point's coordinate on
    an axis is its dot product with that direction - for unit word vectors,
    how similar (cosine) the word is to the concept: "how animal-like", "how
    food-like". Two axes hold two concepts (four, if the negative ends count
    as "the opposite of"); every other group has no axis of its own.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    labels : array-like of int, shape (n_samples,)
    axes : (int, int)
        The two group labels that get an axis.

    Returns
    -------
    ndarray of shape (n_samples, 2)
        ``X @ [u, v]`` for the unit directions ``u``, ``v``.
    """
    X = _as_2d_float(X)
    labels = np.asarray(labels)
    if labels.shape != (len(X),):
        raise ValueError(f"labels must have shape ({len(X)},), got {labels.shape}")
    a, b = axes
    if a == b or not (np.any(labels == a) and np.any(labels == b)):
        raise ValueError(f"axes must name two different groups present in labels, got {axes}")
    directions = np.column_stack([X[labels == a].mean(axis=0), X[labels == b].mean(axis=0)])
    norms = np.linalg.norm(directions, axis=0)
    if np.any(norms < 1e-12):
        raise ValueError("a group's centre is at the origin; it has no direction to make an axis")
    return X @ (directions / norms)
