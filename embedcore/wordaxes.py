"""Axes made of words: a 2-D map whose directions you choose and can read.

A projection such as PCA picks its own axes, and they rarely mean anything.
Here the student names them instead, as in whatlies' ``>>`` projections and
the Embedding Projector's custom projections: an axis runs from the mean
vector of some words (``man``) to the mean vector of others (``woman``).
Every other word then gets a coordinate along it.

Coordinates are scaled so that the two ends land on -1 and +1:

    t(v) = 2 (v - c) . d / |d|^2,   d = mean(positive) - mean(negative),
                                     c = (mean(positive) + mean(negative)) / 2

so ``t = 0`` means "halfway between the two sides", ``t = +1`` "as far
along as the positive words' mean", and beyond +-1 is further still.

References
----------
Bolukbasi et al. (2016), "Man is to Computer Programmer as Woman is to
Homemaker? Debiasing Word Embeddings", NeurIPS - the gender direction.
Warmerdam, Kober & Tatman (2020), "Going Beyond T-SNE: Exposing whatlies in
Text Embeddings", NLP-OSS - projections onto axes made of words.
Smilkov et al. (2016), "Embedding Projector", arXiv:1611.05469.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore.distances import cosine_similarity
from embedcore.encoding import WordVectorsLike, encode_texts


@dataclass(frozen=True, eq=False)
class WordAxis:
    """A direction in embedding space spanned by two groups of words.

    Attributes
    ----------
    negative, positive : tuple of str
        The words at the -1 and +1 ends.
    origin : ndarray of shape (dim,)
        The point halfway between the two ends' means (coordinate 0).
    direction : ndarray of shape (dim,)
        ``mean(positive) - mean(negative)``; its length sets the scale.
    out_of_vocab : tuple of str
        End words that were encoded from word pieces.
    """

    negative: tuple[str, ...]
    positive: tuple[str, ...]
    origin: NDArray[np.float64]
    direction: NDArray[np.float64]
    out_of_vocab: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``"man -> woman"``, for chart axes."""
        return f"{', '.join(self.negative)} \u2192 {', '.join(self.positive)}"

    def coordinates(self, X: ArrayLike) -> NDArray[np.float64]:
        """Coordinates of rows of ``X`` (n, dim) along the axis, shape (n,).

        t = 2 (x - c) . d / |d|^2: the negative mean maps to -1, the positive to +1.
        """
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        if X.shape[1] != self.direction.size:
            raise ValueError(f"X has {X.shape[1]} features, the axis has {self.direction.size}")
        return 2.0 * (X - self.origin) @ self.direction / (self.direction @ self.direction)


def make_axis(wv: WordVectorsLike, negative: Sequence[str], positive: Sequence[str]) -> WordAxis:
    """Build the axis from the mean of ``negative`` to the mean of ``positive`` words.

    Each word is a unit vector (vocabulary words directly, other text from
    word pieces); averaging several words per end lets the shared idea
    outweigh each word's quirks.

    Raises
    ------
    ValueError
        If an end is empty, or both ends have the same mean (no direction).
    """
    negative, positive = tuple(negative), tuple(positive)
    if not negative or not positive:
        raise ValueError("Each end of an axis needs at least one word.")
    neg = encode_texts(wv, negative)
    pos = encode_texts(wv, positive)
    low, high = neg.vectors.mean(axis=0), pos.vectors.mean(axis=0)
    direction = high - low
    if np.linalg.norm(direction) < 1e-6:
        raise ValueError("The two ends of the axis are the same, so it has no direction.")
    return WordAxis(
        negative=negative,
        positive=positive,
        origin=(low + high) / 2.0,
        direction=direction,
        out_of_vocab=tuple(neg.out_of_vocab + pos.out_of_vocab),
    )


def axis_cosine(a: WordAxis, b: WordAxis) -> float:
    """Cosine between two axes' directions: 0 means independent (orthogonal) concepts.

    On the toy plane gender and royalty are at right angles by construction;
    on real vectors the cosine shows how much two concepts overlap. NaN for a
    zero direction (which :func:`make_axis` never makes).
    """
    return cosine_similarity(a.direction, b.direction)


def axis_angle(a: WordAxis, b: WordAxis) -> float:
    """Angle between two axes' directions, in degrees: 90 means independent concepts.

    theta = arccos(cos(a, b)), with the cosine clipped to [-1, 1] against rounding.

    Parameters
    ----------
    a, b : WordAxis
        Axes whose ``direction`` arrays have the same shape, (dim,).

    Returns
    -------
    float
        In [0, 180]: 0 = the same direction, 180 = opposite directions.
    """
    return float(np.degrees(np.arccos(np.clip(axis_cosine(a, b), -1.0, 1.0))))


@dataclass(frozen=True, eq=False)
class AxisMap:
    """Words placed on two word axes.

    Attributes
    ----------
    words : list of str, length n
    coords : ndarray of shape (n, 2)
        Column 0 along ``x_axis``, column 1 along ``y_axis``.
    in_vocab : ndarray of bool, shape (n,)
        False for words encoded from word pieces.
    axis_cosine : float
        Cosine between the two axes (0 = orthogonal).
    """

    words: list[str]
    coords: NDArray[np.float64]
    in_vocab: NDArray[np.bool_]
    axis_cosine: float


def project_words(
    wv: WordVectorsLike, words: Sequence[str], x_axis: WordAxis, y_axis: WordAxis
) -> AxisMap:
    """Place each of ``words`` on the plane spanned by two word axes."""
    encoded = encode_texts(wv, words)
    coords = np.column_stack([x_axis.coordinates(encoded.vectors), y_axis.coordinates(encoded.vectors)])
    return AxisMap(
        words=list(encoded.texts),
        coords=coords,
        in_vocab=encoded.in_vocab,
        axis_cosine=axis_cosine(x_axis, y_axis),
    )


@dataclass(frozen=True)
class ToyPlaneCheck:
    """How far real vectors on two word axes reproduce the toy plane (king [1,1], queen [-1,1], man [1,0], woman [-1,0]).

    Attributes
    ----------
    royalty_gap : float
        Mean y of king and queen minus mean y of man and woman (toy plane: 1).
    gender_gap_royal, gender_gap_common : float
        x of queen minus x of king, and x of woman minus x of man (toy
        plane, where male is +1: -2 and -2; an axis running man -> woman
        flips the sign).
    built_in : frozenset of str
        The names of the gaps above that the axes fix by construction, so they
        are no finding: an axis whose two ends are exactly the two groups a
        gap compares puts them at -1 and +1, a gap of 2 whatever the vectors
        (the x-axis man -> woman, and woman - man).
    """

    royalty_gap: float
    gender_gap_royal: float
    gender_gap_common: float
    built_in: frozenset[str] = frozenset()


TOY_WORDS = ("king", "queen", "man", "woman")
# Each gap: the axis it is read on (0 = x, 1 = y) and the two groups of words it compares.
_GAPS = {
    "royalty_gap": (1, ("man", "woman"), ("king", "queen")),
    "gender_gap_royal": (0, ("king",), ("queen",)),
    "gender_gap_common": (0, ("man",), ("woman",)),
}


def ends_are(axis: WordAxis, first: Sequence[str], second: Sequence[str]) -> bool:
    """Whether ``axis`` runs between exactly these two groups of words (either way round).

    Then their means sit at -1 and +1 by construction: their gap on the axis is 2 (or -2), and says nothing
    about the vectors.
    """
    return {frozenset(axis.negative), frozenset(axis.positive)} == {frozenset(first), frozenset(second)}


def toy_plane_check(placed: AxisMap, x_axis: WordAxis | None = None,
                    y_axis: WordAxis | None = None) -> ToyPlaneCheck | None:
    """Compare the toy plane's four words as placed on real word axes; None if any of them is missing.

    Given the two axes, the check also says which gaps they fix by construction (:attr:`ToyPlaneCheck.built_in`).
    """
    at = {word: i for i, word in enumerate(placed.words)}
    if any(word not in at for word in TOY_WORDS):
        return None
    x, y = placed.coords[:, 0], placed.coords[:, 1]
    king, queen, man, woman = (at[w] for w in TOY_WORDS)
    axes = (x_axis, y_axis)
    built_in = frozenset(name for name, (i, low, high) in _GAPS.items()
                         if axes[i] is not None and ends_are(axes[i], low, high))
    return ToyPlaneCheck(
        royalty_gap=float((y[king] + y[queen]) / 2 - (y[man] + y[woman]) / 2),
        gender_gap_royal=float(x[queen] - x[king]),
        gender_gap_common=float(x[woman] - x[man]),
        built_in=built_in,
    )


def axis_scores(wv: WordVectorsLike, words: Sequence[str], axis: WordAxis) -> NDArray[np.float64]:
    """Coordinates of ``words`` along one axis, shape (n,) - e.g. professions on gender."""
    return axis.coordinates(encode_texts(wv, words).vectors)
