"""Compression: encode digit images to k numbers and decode them back.

The lessons "from 64 numbers to a few" and "one bit needs only the borders": an 8 x 8 digit image is
64 numbers. PCA keeps its k most varied directions (encode) and rebuilds an
image from them (decode). As k falls, the rebuilt images blur, yet a
classifier trained on the k numbers stays accurate far longer: the task
needs much less than the input holds.

Data: scikit-learn's bundled handwritten digits (Alpaydin & Kaynak, 1998;
UCI "Optical Recognition of Handwritten Digits"), 1,797 images of 8 x 8
grey levels 0-16. ``load_digits`` reads a file shipped inside scikit-learn,
so no download is needed.

References
----------
Alpaydin & Kaynak (1998), UCI ML repository, "Optical Recognition of
Handwritten Digits".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore.distances import k_smallest
from embedcore.knn import knn_predict, majority_vote
from embedcore.projection import PCA

IMAGE_SHAPE = (8, 8)
N_PIXELS = 64
MAX_GREY = 16.0


# --------------------------------------------------------------------------
# Tasks: what the embedding is *for*. Each maps digit labels to task labels.
# --------------------------------------------------------------------------
def _which_digit(y: NDArray[np.int64]) -> NDArray[np.int64]:
    return y.astype(np.int64)


def _is_zero(y: NDArray[np.int64]) -> NDArray[np.int64]:
    return (y == 0).astype(np.int64)


TASKS: dict[str, tuple[str, Callable[[NDArray[np.int64]], NDArray[np.int64]], tuple[str, ...]]] = {
    "digit": ("Which digit? (10 answers)", _which_digit, tuple("0123456789")),
    "zero": ("Is it a zero? (one bit)", _is_zero, ("not zero", "zero")),
}


def task_labels(y: ArrayLike, task: str) -> NDArray[np.int64]:
    """The labels of ``task`` (a key of :data:`TASKS`) for digit labels ``y``."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {sorted(TASKS)}")
    return TASKS[task][1](np.asarray(y))


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class DigitsSplit:
    """Digit images split into a training and a held-out test set.

    Attributes
    ----------
    X_train : ndarray of shape (n_train, 64)
        Grey levels 0-16, one row per 8 x 8 image (row-major).
    y_train : ndarray of shape (n_train,)
        The digit each image shows.
    X_test : ndarray of shape (n_test, 64)
    y_test : ndarray of shape (n_test,)
    """

    X_train: NDArray[np.float64]
    y_train: NDArray[np.int64]
    X_test: NDArray[np.float64]
    y_test: NDArray[np.int64]


def load_digits_split(test_size: float = 0.3, random_state: int = 0) -> DigitsSplit:
    """scikit-learn's bundled digits, split with every digit in both halves."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not 0.05 <= test_size <= 0.95:
        raise ValueError(f"test_size must be between 0.05 and 0.95, got {test_size}")
    digits = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        digits.data.astype(np.float64),
        digits.target.astype(np.int64),
        test_size=test_size,
        random_state=random_state,
        stratify=digits.target,
    )
    return DigitsSplit(X_train, y_train, X_test, y_test)


def gallery_indices(y: ArrayLike) -> NDArray[np.int64]:
    """Row of the first image of each digit 0-9 in ``y``: a varied gallery."""
    y = np.asarray(y)
    return np.array([int(np.flatnonzero(y == d)[0]) for d in np.unique(y)], dtype=np.int64)


# --------------------------------------------------------------------------
# Encode, decode, and what is lost
# --------------------------------------------------------------------------
def fit_codec(X_train: ArrayLike, max_k: int = N_PIXELS) -> PCA:
    """A PCA fitted on the training images, keeping up to ``max_k`` directions.

    Its first k components are the best k-number code for these images in
    the least-squares sense (Eckart & Young, 1936).
    """
    return PCA(n_components=max_k).fit(X_train)


def encode(codec: PCA, X: ArrayLike, k: int) -> NDArray[np.float64]:
    """Encode images (n, 64) to their first ``k`` PCA numbers (n, k)."""
    k = _check_k(codec, k)
    return codec.transform(X)[:, :k]


def decode(codec: PCA, Z: ArrayLike) -> NDArray[np.float64]:
    """Decode codes (n, k) back to images (n, 64): X' = Z V_k + mean."""
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2:
        raise ValueError(f"Z must have shape (n_samples, k), got {Z.shape}")
    k = _check_k(codec, Z.shape[1])
    return Z @ codec.components_[:k] + codec.mean_


def _check_k(codec: PCA, k: int) -> int:
    k = int(k)
    if not 1 <= k <= len(codec.components_):
        raise ValueError(f"k must be between 1 and {len(codec.components_)}, got {k}")
    return k


def reconstruction_error(X: ArrayLike, X_rec: ArrayLike) -> float:
    """Mean squared error per pixel, in grey levels squared.

    Parameters
    ----------
    X, X_rec : array-like of shape (n_samples, n_pixels)
    """
    X = np.asarray(X, dtype=np.float64)
    X_rec = np.asarray(X_rec, dtype=np.float64)
    if X.shape != X_rec.shape:
        raise ValueError(f"X and X_rec must have the same shape, got {X.shape} and {X_rec.shape}")
    return float(((X - X_rec) ** 2).mean())


@dataclass(frozen=True)
class CompressionCurve:
    """Reconstruction error and task accuracy over the code size k.

    Attributes
    ----------
    ks : ndarray of shape (n_k,)
    mse : ndarray of shape (n_k,)
        Mean squared error per pixel of the held-out images rebuilt from k numbers.
    variance_lost : ndarray of shape (n_k,)
        Share of the held-out images' pixel variance the reconstruction misses.
    accuracy : ndarray of shape (n_k,)
        Held-out accuracy of a k-NN classifier trained on the k-number codes.
    baseline : float
        Accuracy of always answering the most common training label.
    """

    ks: NDArray[np.int64]
    mse: NDArray[np.float64]
    variance_lost: NDArray[np.float64]
    accuracy: NDArray[np.float64]
    baseline: float


def compression_curve(
    split: DigitsSplit, ks: ArrayLike, task: str = "digit", n_neighbors: int = 5
) -> CompressionCurve:
    """Measure what codes of each size in ``ks`` keep, on the held-out images.

    The classifier is k-nearest-neighbours on the codes. Its squared
    distances are built one code number at a time (they add up over
    orthogonal PCA coordinates), so the whole curve costs about one fit.
    """
    ks = np.asarray(ks, dtype=np.int64)
    if ks.ndim != 1 or len(ks) == 0 or ks.min() < 1 or ks.max() > N_PIXELS:
        raise ValueError(f"ks must be a list of integers between 1 and {N_PIXELS}")
    y_train = task_labels(split.y_train, task)
    y_test = task_labels(split.y_test, task)
    codec = fit_codec(split.X_train, int(ks.max()))
    Z_train, Z_test = codec.transform(split.X_train), codec.transform(split.X_test)
    total_var = ((split.X_test - split.X_test.mean(axis=0)) ** 2).mean()
    wanted = set(ks.tolist())
    mse, acc = {}, {}
    D = np.zeros((len(Z_test), len(Z_train)))
    n_classes = int(y_train.max()) + 1
    for k in range(1, int(ks.max()) + 1):
        D += (Z_test[:, k - 1, None] - Z_train[None, :, k - 1]) ** 2
        if k in wanted:
            mse[k] = reconstruction_error(split.X_test, decode(codec, Z_test[:, :k]))
            nn = k_smallest(D, n_neighbors)
            acc[k] = float((majority_vote(y_train[nn], n_classes) == y_test).mean())
    mse_arr = np.array([mse[k] for k in ks])
    return CompressionCurve(
        ks=ks,
        mse=mse_arr,
        variance_lost=mse_arr / total_var if total_var > 0 else np.zeros(len(ks)),
        accuracy=np.array([acc[k] for k in ks]),
        baseline=float((y_test == np.bincount(y_train).argmax()).mean()),
    )


def code_verdict(accuracy: float, full_accuracy: float, baseline: float, margin: float = 0.05) -> str:
    """What a code of k numbers keeps of what a task needs, read from three accuracies.

    Returns ``"baseline"`` when the code's held-out ``accuracy`` is no better than
    always giving the most common answer (``baseline``): whatever the task
    needs is gone. ``"enough"`` when it is within ``margin`` of the accuracy
    with every number kept (``full_accuracy``): the task needs no more.
    ``"part"`` in between. (At k = 1 the one-bit task "is it a zero?" scores
    89.4% against the 90% of always answering "no": ``"baseline"``.)
    """
    if accuracy <= baseline:
        return "baseline"
    if accuracy >= full_accuracy - margin:
        return "enough"
    return "part"


@dataclass(frozen=True)
class Reconstruction:
    """Some held-out images, their k-number codes and the rebuilt images.

    Attributes
    ----------
    original : ndarray of shape (n_images, 64)
    code : ndarray of shape (n_images, k)
    rebuilt : ndarray of shape (n_images, 64)
    error : ndarray of shape (n_images,)
        Mean squared error per pixel of each rebuilt image.
    labels : ndarray of shape (n_images,)
    """

    original: NDArray[np.float64]
    code: NDArray[np.float64]
    rebuilt: NDArray[np.float64]
    error: NDArray[np.float64]
    labels: NDArray[np.int64]


def reconstruct(split: DigitsSplit, k: int, indices: ArrayLike) -> Reconstruction:
    """Encode the held-out images ``indices`` to ``k`` numbers and decode them."""
    indices = np.asarray(indices, dtype=np.int64)
    codec = fit_codec(split.X_train, N_PIXELS)
    original = split.X_test[indices]
    code = encode(codec, original, k)
    rebuilt = decode(codec, code)
    return Reconstruction(
        original=original,
        code=code,
        rebuilt=rebuilt,
        error=((original - rebuilt) ** 2).mean(axis=1),
        labels=split.y_test[indices],
    )


@dataclass(frozen=True)
class DigitsMap:
    """Held-out digits on a 2-D PCA map, with a classifier's decision regions.

    Attributes
    ----------
    points : ndarray of shape (n_test, 2)
        The held-out images' 2-number codes.
    labels : ndarray of shape (n_test,)
        Their task labels.
    predicted : ndarray of shape (n_test,)
        What the classifier trained on the 2-D training codes says.
    xs, ys : ndarray of shape (resolution,)
    regions : ndarray of shape (resolution, resolution)
        The classifier's answer over a grid of the plane (``regions[i, j]``
        at ``(xs[j], ys[i])``).
    accuracy : float
        Share of held-out images classified correctly.
    """

    points: NDArray[np.float64]
    labels: NDArray[np.int64]
    predicted: NDArray[np.int64]
    xs: NDArray[np.float64]
    ys: NDArray[np.float64]
    regions: NDArray[np.int64]
    accuracy: float


def digits_map(
    split: DigitsSplit, task: str = "digit", n_neighbors: int = 15, resolution: int = 100
) -> DigitsMap:
    """Train a k-NN classifier on 2-number codes and map its decision regions."""
    from embedcore.regions import region_grid

    y_train = task_labels(split.y_train, task)
    y_test = task_labels(split.y_test, task)
    codec = fit_codec(split.X_train, 2)
    Z_train, Z_test = codec.transform(split.X_train), codec.transform(split.X_test)

    def predict(P: NDArray[np.float64]) -> NDArray[np.int64]:
        return knn_predict(Z_train, y_train, P, k=n_neighbors)

    predicted = predict(Z_test)
    # The grid spans both halves, so every point sits on a shaded patch.
    xs, ys, regions = region_grid(
        np.vstack([Z_train, Z_test]),
        np.concatenate([y_train, y_test]),
        resolution=resolution,
        predict=predict,
    )
    return DigitsMap(
        points=Z_test,
        labels=y_test,
        predicted=predicted,
        xs=xs,
        ys=ys,
        regions=regions,
        accuracy=float((predicted == y_test).mean()),
    )


__all__ = [
    "TASKS",
    "CompressionCurve",
    "code_verdict",
    "DigitsMap",
    "DigitsSplit",
    "Reconstruction",
    "compression_curve",
    "decode",
    "digits_map",
    "encode",
    "fit_codec",
    "gallery_indices",
    "load_digits_split",
    "reconstruct",
    "reconstruction_error",
    "task_labels",
]
