"""Pretrained word vectors, bundled for offline use: neighbours and analogies.

The vectors are a static distillation (model2vec) of the sentence encoder
all-MiniLM-L6-v2, built by ``scripts/build_word_vectors.py`` and committed in
``embedcore/data/word_vectors/`` (see the NOTICE there for licences). Each of
the 20,000 most frequent clean English words has one 256-d vector; any other
text can still be embedded from its word pieces with :meth:`WordVectors.encode`.

Everything here is cosine geometry on unit vectors: for unit rows ``V`` and a
unit query ``q``, the cosine similarities are simply ``V @ q``.

Examples
--------
>>> from embedcore.wordvectors import load_word_vectors
>>> wv = load_word_vectors()
>>> wv.analogy("man", "king", "woman", k=1)[0][0]     # king - man + woman
'queen'
>>> [word for word, cosine in wv.nearest("dog", k=4)]
['canine', 'dogs', 'animal', 'puppy']
"""

from __future__ import annotations

import difflib
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from embedcore.distances import k_largest

__all__ = ["DATA_DIR", "UnknownWordError", "WordVectors", "load_word_vectors"]

#: The bundled model folder, found relative to this module so it ships with it.
DATA_DIR = Path(__file__).resolve().parent / "data" / "word_vectors"

# Files load_word_vectors() and encode() need; checked up front because
# model2vec treats a path that does not exist as a Hugging Face Hub repo name.
_REQUIRED_FILES = ("words.tsv", "model.safetensors", "tokenizer.json", "config.json")

# Below this norm a vector is treated as zero: it has no direction, so every
# cosine with it would be 0/0.
_ZERO_NORM = 1e-6


class UnknownWordError(KeyError):
    """A word that is not in the vocabulary (a ``KeyError`` with a readable message)."""

    def __str__(self) -> str:
        # KeyError's own __str__ shows the repr of its argument, quotes and all.
        return str(self.args[0]) if self.args else ""


# ---------------------------------------------------------------------------
# Private pure helpers
# ---------------------------------------------------------------------------


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale each row to unit length; rows of (near) zero length stay zero.

    Parameters
    ----------
    matrix : ndarray of shape (n, dim)

    Returns
    -------
    ndarray of shape (n, dim), float32
    """
    unit = np.array(matrix, dtype=np.float32)  # a float32 copy we may scale in place
    # |x_i| = sqrt(sum_j x_ij^2); einsum avoids a temporary the size of the matrix.
    norms = np.sqrt(np.einsum("ij,ij->i", unit, unit))
    # Dividing by 1 leaves a zero row zero instead of filling it with NaN.
    unit /= np.where(norms > _ZERO_NORM, norms, 1.0)[:, None]
    return unit


def _read_vocabulary(path: Path) -> tuple[list[str], np.ndarray]:
    """Read ``words.tsv``: one ``word<TAB>row`` line per word, most frequent first."""
    words: list[str] = []
    rows: list[int] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, row = line.split("\t")
        words.append(word)
        rows.append(int(row))
    return words, np.asarray(rows, dtype=np.intp)


def _check_data_dir(path: Path) -> None:
    missing = [name for name in _REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"The word-vector folder {path} is missing {', '.join(missing)}. "
            "It is committed with the repository; rebuild it with scripts/build_word_vectors.py."
        )


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


class WordVectors:
    """A fixed vocabulary of unit-length word vectors, plus an encoder for any text.

    One instance is meant to be loaded once and shared read-only (the app
    caches it across sessions), so the matrix is write-protected and nothing
    public mutates the instance. Create it with :func:`load_word_vectors`.

    Parameters
    ----------
    words : sequence of str, length n_words
        The vocabulary, most frequent first. Must be unique.
    vectors : array-like of shape (n_words, dim)
        One vector per word. Rows are scaled to unit length and stored as a
        read-only float32 array.
    model_path : path or None, default=None
        A model2vec folder used by :meth:`encode` for text outside the
        vocabulary. ``None`` disables :meth:`encode`.

    Attributes
    ----------
    words : list of str
        The vocabulary, most frequent first (a fresh copy on each access).
    vectors : ndarray of shape (n_words, dim), float32, read-only
        Unit-length rows, aligned with ``words``.
    dim : int
        The vector dimension.
    """

    def __init__(
        self,
        words: Sequence[str],
        vectors: np.ndarray,
        model_path: str | os.PathLike[str] | None = None,
    ) -> None:
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ValueError(
                f"vectors must have shape (len(words), dim) = ({len(words)}, dim), got {vectors.shape}"
            )
        self._words = list(words)
        self._index = {word: i for i, word in enumerate(self._words)}
        if len(self._index) != len(self._words):
            raise ValueError("words must be unique")
        unit = _normalise_rows(vectors)
        # A NaN or inf anywhere in a row leaves a NaN in its unit row.
        if not np.isfinite(unit).all():
            raise ValueError("vectors contain NaN or infinite values")
        unit.flags.writeable = False  # shared across sessions: nobody may edit it
        self._vectors = unit
        self._model_path = None if model_path is None else Path(model_path)
        self._static_model: Any = None  # model2vec.StaticModel, created on first encode()
        self._model_lock = threading.Lock()

    # -- the vocabulary ------------------------------------------------------

    @property
    def words(self) -> list[str]:
        """list of str: the vocabulary, most frequent first (a copy)."""
        return list(self._words)

    @property
    def vectors(self) -> np.ndarray:
        """ndarray of shape (n_words, dim): unit rows, float32, read-only."""
        return self._vectors

    @property
    def dim(self) -> int:
        """int: the dimension of every vector."""
        return int(self._vectors.shape[1])

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._index

    def __getstate__(self) -> dict[str, Any]:
        # A lock cannot be pickled or deep-copied, and the encoder reloads lazily.
        state = self.__dict__.copy()
        state["_static_model"] = None
        del state["_model_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._vectors.flags.writeable = False  # unpickled arrays come back writeable
        self._model_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"WordVectors(n_words={len(self)}, dim={self.dim})"

    def index(self, word: str) -> int:
        """Row of ``word`` in :attr:`vectors`.

        Raises
        ------
        UnknownWordError
            A ``KeyError`` naming the word and suggesting close vocabulary words.
        """
        try:
            return self._index[word]
        except (KeyError, TypeError):
            raise UnknownWordError(self._unknown_message(word)) from None

    def vector(self, word: str) -> np.ndarray:
        """The unit vector of a vocabulary word.

        Returns
        -------
        ndarray of shape (dim,), float32, read-only

        Raises
        ------
        UnknownWordError
            If ``word`` is not in the vocabulary (use :meth:`encode` for any text).
        """
        return self._vectors[self.index(word)]

    def suggest(self, word: str, n: int = 3) -> list[str]:
        """Vocabulary words spelled like ``word`` ("did you mean"), best first.

        A difflib ratio of at least 0.75, searched among words of similar
        length only, which keeps this well under 50 ms.
        """
        word = str(word).lower()
        pool = [w for w in self._words if abs(len(w) - len(word)) <= 2]
        return difflib.get_close_matches(word, pool, n=n, cutoff=0.75)

    def _unknown_message(self, word: object) -> str:
        message = f"{word!r} is not in the {len(self):,}-word vocabulary"
        if isinstance(word, str):
            close = self.suggest(word)
            if close:
                message += f" (did you mean {', '.join(close)}?)"
            message += "; encode() can still embed it from its word pieces"
        return message

    # -- any text ------------------------------------------------------------

    def _model(self) -> Any:
        """The model2vec StaticModel, loaded from the bundled folder on first use."""
        if self._static_model is None:
            with self._model_lock:  # two sessions may ask at once; load it once
                if self._static_model is None:
                    if self._model_path is None:
                        raise RuntimeError("this WordVectors has no model folder, so it cannot encode text")
                    _check_data_dir(self._model_path)
                    # huggingface_hub reads this when first imported. The path
                    # is local, so nothing should go online anyway; this makes
                    # sure that nothing can.
                    os.environ["HF_HUB_OFFLINE"] = "1"
                    from model2vec import StaticModel

                    model = StaticModel.from_pretrained(self._model_path, force_download=False)
                    # Stored as fp16; averaging in float32 makes encode([word])
                    # agree with vector(word) to float32 precision.
                    model.embedding = np.asarray(model.embedding, dtype=np.float32)
                    self._static_model = model
        return self._static_model

    def encode(self, texts: str | Sequence[str]) -> np.ndarray:
        """Embed any text: words, unknown words, phrases or sentences.

        The text is split into the model's tokens (a vocabulary word is one
        token; other words fall back to word pieces, ``skateboarding`` ->
        ``skate ##boarding``), their vectors are averaged, and the mean is
        scaled to unit length. No torch, no network.

        Parameters
        ----------
        texts : str or sequence of str, length n
            A single string is treated as a list of one.

        Returns
        -------
        ndarray of shape (n, dim), float32
            Unit rows; a text with no tokens at all (e.g. ``""``) gives a zero row.
        """
        if isinstance(texts, str):
            texts = [texts]
        texts = list(texts)
        if not all(isinstance(t, str) for t in texts):
            raise TypeError("encode() takes a string or a sequence of strings")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encoded = self._model().encode(texts, show_progress_bar=False, use_multiprocessing=False)
        return _normalise_rows(encoded)

    # -- geometry ------------------------------------------------------------

    def _as_query(self, query: str | np.ndarray) -> np.ndarray:
        """A unit query vector of shape (dim,) from a word or a vector."""
        if isinstance(query, str):
            return self.vector(query)
        q = np.asarray(query, dtype=np.float32)
        if q.shape != (self.dim,):
            raise ValueError(f"query vector must have shape ({self.dim},), got {q.shape}")
        if not np.all(np.isfinite(q)):
            raise ValueError("query vector contains NaN or infinite values")
        norm = float(np.linalg.norm(q))
        if norm < _ZERO_NORM:
            raise ValueError(
                "the query vector has (near) zero length, so it has no direction: "
                "cosine similarity with it is undefined"
            )
        return q / norm

    def nearest(
        self,
        query: str | np.ndarray,
        k: int = 10,
        exclude: Iterable[str] = (),
    ) -> list[tuple[str, float]]:
        """The ``k`` vocabulary words most similar to a word or a vector.

        Parameters
        ----------
        query : str or ndarray of shape (dim,)
            A vocabulary word (which is itself left out of the answer) or any
            vector of non-zero length (it need not be unit length).
        k : int, default=10
            How many words to return (at most the vocabulary size).
        exclude : iterable of str, default=()
            Words to leave out; words not in the vocabulary are ignored.

        Returns
        -------
        list of (str, float)
            ``(word, cosine similarity)`` pairs, most similar first.

        Raises
        ------
        UnknownWordError
            If ``query`` is a word outside the vocabulary.
        ValueError
            If ``query`` is a vector of the wrong shape, non-finite or of zero length.
        """
        if isinstance(exclude, str):  # one word, not an iterable of letters
            exclude = (exclude,)
        excluded = [self._index[w] for w in exclude if w in self._index]
        if isinstance(query, str):
            excluded.append(self.index(query))
        q = self._as_query(query)
        k = int(k)
        if k < 0:
            raise ValueError(f"k must be >= 0, got {k}")
        # cos(V_i, q) = V_i . q  (rows of V and q are unit vectors)
        scores = self._vectors @ q
        if excluded:
            scores[excluded] = -np.inf
            k = min(k, len(self) - len(set(excluded)))
        top = k_largest(scores, k)
        return [(self._words[i], float(scores[i])) for i in top]

    def analogy(
        self,
        a: str,
        b: str,
        c: str,
        k: int = 10,
        exclude_inputs: bool = True,
    ) -> list[tuple[str, float]]:
        """Answer "a is to b as c is to ?" with the words nearest ``b - a + c``.

        This is 3CosAdd (Mikolov et al., 2013) on unit vectors: it ranks every
        word ``d`` by ``cos(d, b - a + c)``. For ``analogy("man", "king",
        "woman")`` the target is king - man + woman.

        Parameters
        ----------
        a, b, c : str
            Vocabulary words.
        k : int, default=10
            How many answers to return.
        exclude_inputs : bool, default=True
            Leave ``a``, ``b`` and ``c`` out of the answers, as the standard
            benchmark does. With ``False`` students can see that the vector
            nearest king - man + woman is often ``king`` itself: the sum moves
            away from king, but not all the way.

        Returns
        -------
        list of (str, float)
            ``(word, cosine similarity)`` pairs, best first.
        """
        target = self.vector(b) - self.vector(a) + self.vector(c)
        exclude = (a, b, c) if exclude_inputs else ()
        # A vector, not a word, so nearest() leaves b in unless asked not to.
        return self.nearest(target, k=k, exclude=exclude)


def provenance(path: str | os.PathLike[str] | None = None) -> tuple[str, str]:
    """Where the bundled vectors come from: (the model they were distilled from, the tool that distilled them).

    Read from the build's own records (``build_info.json``'s ``source_model``,
    ``config.json``'s ``model_type``), so the page never types them:
    ``("all-MiniLM-L6-v2", "model2vec")``.
    """
    import json

    folder = DATA_DIR if path is None else Path(path)
    source = json.loads((folder / "build_info.json").read_text(encoding="utf-8"))["source_model"]
    tool = json.loads((folder / "config.json").read_text(encoding="utf-8"))["model_type"]
    return source.rsplit("/", 1)[-1], tool


def load_word_vectors(path: str | os.PathLike[str] | None = None) -> WordVectors:
    """Load the bundled word vectors (about 0.1 s; numpy and safetensors only).

    Parameters
    ----------
    path : path or None, default=None
        A folder built by ``scripts/build_word_vectors.py``; ``None`` means the
        one bundled in ``embedcore/data/word_vectors/``.

    Returns
    -------
    WordVectors
        20,000 words x 256 dims. The text encoder behind
        :meth:`WordVectors.encode` is only loaded when first used.

    Notes
    -----
    The model stores one fp16 row per *token* (about 32k: BERT's word pieces
    plus the vocabulary words the build added). ``words.tsv`` maps each
    vocabulary word to its row, so ``vector(w)`` equals ``encode([w])[0]``.
    """
    from safetensors import safe_open

    folder = DATA_DIR if path is None else Path(path)
    _check_data_dir(folder)
    words, rows = _read_vocabulary(folder / "words.tsv")
    with safe_open(str(folder / "model.safetensors"), framework="numpy") as handle:
        embeddings = handle.get_tensor("embeddings")
    return WordVectors(words, embeddings[rows], model_path=folder)
