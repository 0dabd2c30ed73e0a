"""Encode and decode: the loop that makes a float vector an embedding.

An embedding is a vector *plus* a way in and a way out:

* **encode** - text to a unit vector. A vocabulary word is looked up; any
  other text is built from its word pieces by the word-vector model
  (``wv.encode``), so every input has a vector;
* **decode** - a vector back to the nearest vocabulary words by cosine
  similarity;
* **noise** - push the vector a distance ``s`` in a random (seeded)
  direction and decode again. How far it can move before the decoding
  changes shows how much room each word has around it.

Every function takes a generic word-vector object (see
:class:`WordVectorsLike`), so the same tools work on any embedding with that
interface, not only the bundled one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore.distances import k_largest

MAX_TEXT_LENGTH = 60


@runtime_checkable
class WordVectorsLike(Protocol):
    """What the lesson tools need from a set of word vectors.

    Attributes
    ----------
    words : list of str, length n_words
        The vocabulary, most frequent first.
    vectors : ndarray of shape (n_words, dim)
        Unit-length rows, aligned with ``words``.
    """

    words: list[str]
    vectors: NDArray[np.float32]

    def __contains__(self, word: object) -> bool: ...

    def index(self, word: str) -> int: ...

    def vector(self, word: str) -> NDArray[np.float32]: ...

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]: ...

    def nearest(
        self, vector_or_word: NDArray[np.float32] | str, k: int = 10, exclude: Iterable[str] = ()
    ) -> list[tuple[str, float]]: ...


# --------------------------------------------------------------------------
# Encode
# --------------------------------------------------------------------------
def _unit(X: NDArray[np.float64]) -> NDArray[np.float64]:
    norms = np.linalg.norm(X, axis=-1, keepdims=True)
    return X / np.where(norms == 0, 1.0, norms)


def clean_text(text: str, *, max_length: int = MAX_TEXT_LENGTH) -> str:
    """Normalise a typed word or phrase: lower case, single spaces, bounded length.

    Raises
    ------
    ValueError
        If nothing is left or the text is longer than ``max_length``.
    """
    cleaned = " ".join(str(text).split()).lower()
    if not cleaned:
        raise ValueError("Type a word or a short phrase.")
    if len(cleaned) > max_length:
        raise ValueError(f"That is {len(cleaned)} characters; keep it under {max_length}.")
    return cleaned


@dataclass(frozen=True, eq=False)
class Encoded:
    """Texts and their vectors.

    Attributes
    ----------
    texts : list of str, length n
    vectors : ndarray of shape (n, dim)
        Unit rows (cosine similarity is then a dot product).
    in_vocab : ndarray of bool, shape (n,)
        False where the text is not a vocabulary word and its vector was built
        from word pieces.
    """

    texts: list[str]
    vectors: NDArray[np.float64]
    in_vocab: NDArray[np.bool_]

    @property
    def out_of_vocab(self) -> list[str]:
        """The texts that were encoded from word pieces."""
        return [t for t, known in zip(self.texts, self.in_vocab) if not known]


def encode_texts(wv: WordVectorsLike, texts: Sequence[str]) -> Encoded:
    """Encode each text to a unit vector, shape (n, dim).

    Vocabulary words use their own row (``wv.vector``); anything else goes
    through ``wv.encode`` (word pieces for unknown words, an average for a
    phrase) and is flagged in ``in_vocab``.

    Raises
    ------
    ValueError
        If ``texts`` is empty or a text encodes to the zero vector (nothing in
        it that the model knows, e.g. only punctuation).
    """
    texts = list(texts)
    if not texts:
        raise ValueError("There is nothing to encode.")
    in_vocab = np.array([t in wv for t in texts], dtype=bool)
    dim = np.asarray(wv.vectors).shape[1]
    out = np.zeros((len(texts), dim))
    for i, text in enumerate(texts):
        if in_vocab[i]:
            out[i] = wv.vector(text)
    unknown = [t for t, known in zip(texts, in_vocab) if not known]
    if unknown:
        out[~in_vocab] = np.asarray(wv.encode(unknown), dtype=np.float64).reshape(len(unknown), dim)
    zero = [t for t, row in zip(texts, out) if not np.any(row)]
    if zero:
        raise ValueError(f"'{zero[0]}' has nothing the model can encode; try letters and words.")
    return Encoded(texts=texts, vectors=_unit(out), in_vocab=in_vocab)


# --------------------------------------------------------------------------
# Decode
# --------------------------------------------------------------------------
def similarities(wv: WordVectorsLike, vector: ArrayLike) -> NDArray[np.float64]:
    """Cosine similarity of ``vector`` (dim,) with every vocabulary word, shape (n_words,)."""
    v = np.asarray(vector, dtype=np.float64).ravel()
    norm = np.linalg.norm(v)
    if norm == 0:
        raise ValueError("The zero vector has no direction, so it has no nearest word.")
    # Rows are unit length, so V v / |v| is the cosine with each word.
    return np.asarray(wv.vectors @ (v / norm).astype(np.float32), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class Ranking:
    """Every vocabulary word ranked by cosine similarity to one vector.

    Computing the similarities is the expensive step (one (n_words, dim)
    matrix-vector product), so a page that needs a top list *and* the rank
    of a few words computes them once and asks this object.

    Attributes
    ----------
    wv : WordVectorsLike
        The vocabulary that was ranked.
    cosines : ndarray of shape (n_words,)
        Cosine similarity of each vocabulary word with the vector.
    """

    wv: WordVectorsLike
    cosines: NDArray[np.float64]

    def top(self, k: int = 10, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
        """The ``k`` most similar words, best first, leaving out ``exclude``."""
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        sims = self.cosines
        skip = set(exclude)
        # Only the best k + |exclude| can make the list: partition, then sort those few.
        n_best = min(len(sims), k + len(skip))
        order = k_largest(sims, n_best)
        words = self.wv.words  # may be a fresh copy per access: read it once
        out = [(words[i], float(sims[i])) for i in order if words[i] not in skip]
        return out[:k]

    def rank(self, word: str, exclude: Iterable[str] = ()) -> tuple[int, float]:
        """Where ``word`` ranks (1 = most similar) and its cosine.

        Words in ``exclude`` are left out of the ranking, as in a list that
        hides the input words; excluding ``word`` itself is ignored. The rank
        is 1 + the number of words strictly more similar.

        Raises
        ------
        KeyError
            If ``word`` is not in the vocabulary.
        """
        if word not in self.wv:
            raise KeyError(f"'{word}' is not in the vocabulary")
        target = float(self.cosines[self.wv.index(word)])
        better = self.cosines > target
        for other in set(exclude) - {word}:
            if other in self.wv:
                better[self.wv.index(other)] = False
        return int(better.sum()) + 1, target


def rank_words(wv: WordVectorsLike, vector: ArrayLike) -> Ranking:
    """Rank the whole vocabulary by cosine similarity to ``vector`` (dim,)."""
    return Ranking(wv, similarities(wv, vector))


def decode(wv: WordVectorsLike, vector: ArrayLike, k: int = 5, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
    """The ``k`` vocabulary words nearest to ``vector`` by cosine, best first."""
    return rank_words(wv, vector).top(k, exclude)


# --------------------------------------------------------------------------
# Noise
# --------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class NoiseSweep:
    """Decoding along a line of growing noise.

    Attributes
    ----------
    sizes : ndarray of shape (n_steps,)
        Noise sizes, increasing from 0.
    word : str
        The clean vector's decoding (its nearest word at noise 0).
    word_cosines : ndarray of shape (n_steps,)
        Cosine of ``word`` with the noisy vector at each size.
    rivals : list of str, length n_steps
        The most similar *other* word at each size.
    rival_cosines : ndarray of shape (n_steps,)
        Its cosine with the noisy vector. Decoding changes where this
        curve overtakes ``word_cosines``.
    top_words : list of str, length n_steps
        The decoded word at each size (``word`` or the rival).
    kept : ndarray of shape (n_steps,)
        Cosine between the noisy and the clean vector, ``1 / sqrt(1 + s^2)``:
        the noise direction is at right angles to the clean vector.
    breakpoint : float or None
        The smallest noise size (to ``tol``) at which the decoded word is no
        longer ``word``; None if it never changes up to ``sizes[-1]``.
    """

    sizes: NDArray[np.float64]
    word: str
    word_cosines: NDArray[np.float64]
    rivals: list[str]
    rival_cosines: NDArray[np.float64]
    top_words: list[str]
    kept: NDArray[np.float64]
    breakpoint: float | None


def noise_direction(dim: int, random_state: int = 0, orthogonal_to: ArrayLike | None = None) -> NDArray[np.float64]:
    """A random unit vector of length ``dim``, the same for the same seed.

    Gaussian coordinates, normalised: every direction is equally likely. With
    ``orthogonal_to``, the part along that vector is removed first, so the
    noise turns the vector rather than stretching it.
    """
    if dim < 1:
        raise ValueError(f"dim must be >= 1, got {dim}")
    u = np.random.default_rng(random_state).standard_normal(dim)
    if orthogonal_to is not None and dim > 1:
        v = np.asarray(orthogonal_to, dtype=np.float64).ravel()
        v = v / np.linalg.norm(v)
        u = u - (u @ v) * v  # Gram-Schmidt: u is now at right angles to v
    return u / np.linalg.norm(u)


@dataclass(frozen=True)
class TowardNeighbour:
    """How far a word's vector can step *towards* its nearest neighbour before it decodes as that neighbour.

    Attributes
    ----------
    word, neighbour : str
    distance : float
        ``|u(word) - u(neighbour)|``, the gap between the two unit vectors.
    flip : float
        Half of ``distance``: by this step the decoding has changed at the
        latest (from there on the moved point is nearer the neighbour than
        the word; another word may overtake even earlier).
    """

    word: str
    neighbour: str
    distance: float
    flip: float


def toward_neighbour(wv: WordVectorsLike, vector: ArrayLike, word: str) -> TowardNeighbour:
    """Step from ``vector`` (the unit vector of ``word``) straight towards its nearest other word."""
    v = np.asarray(vector, dtype=np.float64)
    (neighbour, _), = decode(wv, v, k=1, exclude=[word])
    gap = float(np.linalg.norm(v - encode_texts(wv, [neighbour]).vectors[0]))
    return TowardNeighbour(word=word, neighbour=neighbour, distance=gap, flip=gap / 2)


def perturb(vector: ArrayLike, size: float, random_state: int = 0) -> NDArray[np.float64]:
    """Move a vector (dim,) a distance ``size`` in a seeded random direction.

    ``size`` is measured against the vector's own length of 1: ``size=1``
    moves it as far as it is long. The direction is fixed by the seed and at
    right angles to the vector, so a slider moves the point smoothly along
    one line and only ever turns it away from where it started.
    """
    v = np.asarray(vector, dtype=np.float64).ravel()
    if size < 0:
        raise ValueError(f"noise size must be >= 0, got {size}")
    return v + float(size) * noise_direction(v.size, random_state, orthogonal_to=v)


def noise_sweep(
    wv: WordVectorsLike,
    vector: ArrayLike,
    *,
    max_size: float = 5.0,
    n_steps: int = 51,
    random_state: int = 0,
    tol: float = 0.005,
) -> NoiseSweep:
    """Decode ``vector`` (dim,) under growing noise along one seeded direction.

    The noisy vectors are those of :func:`perturb`. All the grid's decodings
    are one matrix product, (n_words, dim) x (dim, n_steps); the breakpoint is
    then refined by bisection inside the first grid step where the decoded
    word changes.
    """
    v = np.asarray(vector, dtype=np.float64).ravel()
    v = v / np.linalg.norm(v)
    if n_steps < 2 or max_size <= 0:
        raise ValueError("need n_steps >= 2 and max_size > 0")
    u = noise_direction(v.size, random_state, orthogonal_to=v)
    sizes = np.linspace(0.0, max_size, n_steps)
    noisy = v[None, :] + sizes[:, None] * u[None, :]
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    sims = np.asarray(wv.vectors @ noisy.T.astype(np.float32), dtype=np.float64)  # (n_words, n_steps)
    first = int(np.argmax(sims[:, 0]))
    word_cosines = sims[first].copy()
    sims[first] = -np.inf  # the best of the rest is the rival
    rival_index = sims.argmax(axis=0)
    rival_cosines = sims[rival_index, np.arange(n_steps)]
    words = wv.words  # may be a fresh copy per access: read it once
    rivals = [words[i] for i in rival_index]
    top_words = [words[first] if w >= r else rival for w, r, rival in zip(word_cosines, rival_cosines, rivals)]

    def still_first(size: float) -> bool:
        w = v + size * u
        return int(np.argmax(wv.vectors @ (w / np.linalg.norm(w)).astype(np.float32))) == first

    changed = np.flatnonzero(rival_cosines > word_cosines)
    breakpoint: float | None = None
    if changed.size:
        lo, hi = sizes[changed[0] - 1], sizes[changed[0]]
        while hi - lo > tol:
            mid = (lo + hi) / 2
            if still_first(mid):
                lo = mid
            else:
                hi = mid
        breakpoint = float(hi)
    return NoiseSweep(
        sizes=sizes,
        word=words[first],
        word_cosines=word_cosines,
        rivals=rivals,
        rival_cosines=rival_cosines,
        top_words=top_words,
        kept=noisy @ v,
        breakpoint=breakpoint,
    )


# --------------------------------------------------------------------------
# The whole loop, for one text
# --------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class RoundTrip:
    """One text encoded, perturbed and decoded.

    Attributes
    ----------
    text : str
    in_vocab : bool
        False if the text was built from word pieces.
    vector : ndarray of shape (dim,)
        The clean unit vector.
    noisy : ndarray of shape (dim,)
        ``vector`` moved ``noise`` in the seeded random direction.
    decoded, decoded_noisy : list of (word, cosine)
        Nearest vocabulary words of each.
    kept : float
        Cosine between the noisy and the clean vector.
    """

    text: str
    in_vocab: bool
    vector: NDArray[np.float64]
    noisy: NDArray[np.float64]
    decoded: list[tuple[str, float]]
    decoded_noisy: list[tuple[str, float]]
    kept: float


def round_trip(wv: WordVectorsLike, text: str, noise: float = 0.0, random_state: int = 0, k: int = 5) -> RoundTrip:
    """Encode ``text``, add ``noise``, and decode both the clean and the noisy vector.

    Raises
    ------
    ValueError
        For empty or over-long text, or text with nothing to encode.
    """
    text = clean_text(text)
    encoded = encode_texts(wv, [text])
    vector = encoded.vectors[0]
    noisy = perturb(vector, noise, random_state)
    kept = float(noisy @ vector / np.linalg.norm(noisy))
    return RoundTrip(
        text=text,
        in_vocab=bool(encoded.in_vocab[0]),
        vector=vector,
        noisy=noisy,
        decoded=decode(wv, vector, k=k),
        decoded_noisy=decode(wv, noisy, k=k),
        kept=kept,
    )


@dataclass(frozen=True, eq=False)
class Average:
    """The mean of several texts' vectors and its nearest words.

    Attributes
    ----------
    encoded : Encoded
        The texts and their unit vectors.
    vector : ndarray of shape (dim,)
        The mean vector (not rescaled: cosine ignores length).
    neighbours : list of (word, cosine)
        Nearest words, the inputs left out.
    """

    encoded: Encoded
    vector: NDArray[np.float64]
    neighbours: list[tuple[str, float]]

    @property
    def to_mean(self) -> float:
        """The inputs' mean cosine with the mean vector: how close the middle sits to each of them."""
        unit = self.vector / np.linalg.norm(self.vector)
        return float((self.encoded.vectors @ unit).mean())

    @property
    def between(self) -> float | None:
        """The inputs' mean cosine with each other (over distinct pairs); None for a single input."""
        X = self.encoded.vectors
        n = len(X)
        if n < 2:
            return None
        cosines = X @ X.T  # the rows are unit vectors
        return float((cosines.sum() - np.trace(cosines)) / (n * (n - 1)))


def average(wv: WordVectorsLike, texts: Sequence[str], k: int = 10) -> Average:
    """mean(v_1, ..., v_n) and the words nearest it, e.g. mean(cat, dog) -> pet, animal.

    Raises
    ------
    ValueError
        If ``texts`` is empty, or the mean is the zero vector (opposite inputs).
    """
    encoded = encode_texts(wv, texts)
    vector = encoded.vectors.mean(axis=0)
    if np.linalg.norm(vector) < 1e-6:
        raise ValueError("These vectors cancel out: their mean is zero, so it has no nearest word.")
    return Average(encoded, vector, decode(wv, vector, k=k, exclude=encoded.texts))
