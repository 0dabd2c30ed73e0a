"""Linear probes: measure what an embedding kept.

A *probe* is a simple classifier (here a logistic regression) trained to
read one attribute - colour, shape - out of a model's embedding. If the probe
beats chance on held-out data, the embedding still carries that attribute; if
it sits at chance, the model has thrown it away (or hidden it beyond the
reach of a linear read-out). Probes are how we turn "model A threw away shape"
into a number.

References
----------
Alain & Bengio (2016), "Understanding intermediate layers using linear
classifier probes", arXiv:1610.01644.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class ProbeResult:
    """How well one attribute can be read from an embedding.

    Attributes
    ----------
    label : str
        The attribute probed, e.g. ``"shape"``.
    accuracy : float
        The probe's accuracy on held-out data, in [0, 1].
    chance : float
        Accuracy of always guessing the most common training class.
    """

    label: str
    accuracy: float
    chance: float

    @property
    def above_chance(self) -> float:
        """``accuracy - chance``: how much of the attribute survived."""
        return self.accuracy - self.chance


def chance_level(y_train: ArrayLike, y_test: ArrayLike) -> float:
    """Accuracy on ``y_test`` of always predicting ``y_train``'s most common class."""
    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    if len(y_train) == 0 or len(y_test) == 0:
        raise ValueError("chance_level needs non-empty training and test labels")
    classes, counts = np.unique(y_train, return_counts=True)
    return float(np.mean(y_test == classes[np.argmax(counts)]))


def _check_Z(Z: ArrayLike, n: int, name: str) -> NDArray[np.float64]:
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim == 1:
        Z = Z[:, None]
    if Z.ndim != 2 or len(Z) != n:
        raise ValueError(f"{name} must have shape ({n}, n_features), got {Z.shape}")
    if not np.all(np.isfinite(Z)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return Z


def probe_accuracy(
    Z_train: ArrayLike,
    y_train: ArrayLike,
    Z_test: ArrayLike,
    y_test: ArrayLike,
    *,
    C: float = 1.0,
) -> float:
    """Train a logistic-regression probe on ``Z_train`` and score it on ``Z_test``.

    Parameters
    ----------
    Z_train : array-like of shape (n_train, n_features)
        Embeddings of the training images.
    y_train : array-like of shape (n_train,)
    Z_test : array-like of shape (n_test, n_features)
        Embeddings of held-out images.
    y_test : array-like of shape (n_test,)
    C : float
        Inverse L2 strength of the logistic regression.

    Returns
    -------
    float
        Accuracy on the held-out set.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    Z_train = _check_Z(Z_train, len(y_train), "Z_train")
    Z_test = _check_Z(Z_test, len(y_test), "Z_test")
    if Z_train.shape[1] != Z_test.shape[1]:
        raise ValueError(f"Z_train has {Z_train.shape[1]} features but Z_test has {Z_test.shape[1]}")
    if len(np.unique(y_train)) < 2:
        # Nothing to tell apart: the probe can only guess the one class it saw.
        return chance_level(y_train, y_test)
    # Standardise first, so the probe's penalty treats every embedding unit alike.
    probe = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000))
    probe.fit(Z_train, y_train)
    return float(probe.score(Z_test, y_test))


def probe_embedding(
    Z_train: ArrayLike,
    labels_train: Mapping[str, ArrayLike],
    Z_test: ArrayLike,
    labels_test: Mapping[str, ArrayLike],
) -> dict[str, ProbeResult]:
    """Probe one embedding for several attributes at once.

    Parameters
    ----------
    Z_train, Z_test : array-like of shape (n_train | n_test, n_features)
    labels_train, labels_test : mapping of str to array-like
        One label array per attribute, e.g. ``{"colour": ..., "shape": ...}``.

    Returns
    -------
    dict of str to ProbeResult
        One result per attribute of ``labels_train``.
    """
    missing = set(labels_train) - set(labels_test)
    if missing:
        raise ValueError(f"labels_test lacks {sorted(missing)}")
    return {
        name: ProbeResult(
            name,
            probe_accuracy(Z_train, labels_train[name], Z_test, labels_test[name]),
            chance_level(labels_train[name], labels_test[name]),
        )
        for name in labels_train
    }
