"""Maps of words: where similar things sit close (Car-Land), and analogy pictures.

Embed a list of words, cluster them in the full embedding space with
k-means, and draw them on a 2-D map (PCA or t-SNE). The map is a picture of
the space, not the space itself, so :func:`pair_distances` puts the two side
by side: is mercedes closer to bmw than to bus in 256-D, and on the map?
:func:`analogy_map` draws an expression such as ``king - man + woman`` on the
PCA plane of its own words, where the parallel offsets show.

References
----------
Lloyd (1982), "Least squares quantization in PCM" - k-means.
van der Maaten & Hinton (2008), "Visualizing Data using t-SNE", JMLR 9.
Mikolov, Yih & Zweig (2013), "Linguistic Regularities in Continuous Space
Word Representations", NAACL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore.distances import cosine_similarity, pairwise_distances
from embedcore.encoding import WordVectorsLike, encode_texts


class WordClusters:
    """k-means on word vectors, with each cluster named after its central word.

    Parameters
    ----------
    n_clusters : int
        How many groups (k).
    random_state : int
        Seed for k-means' initial centres.

    Attributes
    ----------
    labels_ : ndarray of shape (n_words,) of int
        Cluster of each word, numbered by first appearance in the list so the
        colours stay put when k-means permutes its clusters.
    names_ : list of str, length n_clusters_
        For each cluster, the member word closest to its centre.
    n_clusters_ : int
        The groups actually found: ``n_clusters``, or fewer when fewer words
        are distinct (three copies of one point make one group, not three).
    """

    def __init__(self, n_clusters: int = 4, random_state: int = 0) -> None:
        self.n_clusters = n_clusters
        self.random_state = random_state

    def fit(self, X: ArrayLike, words: Sequence[str]) -> WordClusters:
        """Cluster the rows of ``X`` (n_words, dim), one per word of ``words``."""
        from sklearn.cluster import KMeans

        X = np.asarray(X, dtype=np.float64)
        words = list(words)
        if X.ndim != 2 or X.shape[0] != len(words):
            raise ValueError(f"X must have shape ({len(words)}, dim), got {X.shape}")
        k = int(self.n_clusters)
        if not 1 <= k <= len(words):
            raise ValueError(f"k must be between 1 and the number of words ({len(words)}), got {k}")
        # k-means cannot make more groups than there are distinct points.
        k = min(k, len(np.unique(X, axis=0)))
        km = KMeans(n_clusters=k, n_init=10, random_state=self.random_state).fit(X)
        # Renumber clusters in order of first appearance: stable colours.
        order = list(dict.fromkeys(km.labels_.tolist()))
        relabel = {old: new for new, old in enumerate(order)}
        self.labels_ = np.array([relabel[c] for c in km.labels_], dtype=np.int64)
        centres = km.cluster_centers_[order]
        self.names_ = []
        for c in range(k):
            members = np.flatnonzero(self.labels_ == c)
            closest = members[np.argmin(np.linalg.norm(X[members] - centres[c], axis=1))]
            self.names_.append(words[closest])
        self.n_clusters_ = k
        return self


@dataclass(frozen=True, eq=False)
class WordMap:
    """Words embedded, mapped to 2-D and clustered.

    Attributes
    ----------
    words : list of str, length n
    in_vocab : ndarray of bool, shape (n,)
        False for words built from word pieces.
    vectors : ndarray of shape (n, dim)
        Unit vectors in the full space.
    coords : ndarray of shape (n, 2)
        The 2-D map.
    labels : ndarray of int, shape (n,)
        k-means group of each word, found in the full space or on the map.
    cluster_names : list of str
        Each cluster's most central word.
    """

    words: list[str]
    in_vocab: NDArray[np.bool_]
    vectors: NDArray[np.float64]
    coords: NDArray[np.float64]
    labels: NDArray[np.int64]
    cluster_names: list[str]


#: Where k-means looks for groups (``build_word_map``'s ``cluster_on``) -> what a menu calls it.
CLUSTER_ON: dict[str, str] = {"map": "on the map", "space": "in the full space"}


def build_word_map(
    wv: WordVectorsLike,
    words: Sequence[str],
    coords: ArrayLike,
    *,
    n_clusters: int = 5,
    random_state: int = 0,
    cluster_on: str = "space",
) -> WordMap:
    """Embed ``words`` and cluster them, on the 2-D map ``coords`` made of them.

    The map is made first, by any projection
    (``embedcore.projection.project_2d(encode_texts(wv, words).vectors, method)``),
    so that a slow one can be cached or run elsewhere. k-means is seeded by
    ``random_state``.

    Parameters
    ----------
    coords : array-like of shape (n_words, 2)
        The words' map.
    cluster_on : {"space", "map"}
        Run k-means on the full vectors ("space": the colours say which words
        are alike in the embedding, whatever the map shows) or on the 2-D map
        ("map": the groups are the blobs you see, so they inherit the map's
        distortions).
    """
    if cluster_on not in CLUSTER_ON:
        raise ValueError(f"cluster_on must be one of {sorted(CLUSTER_ON)}, got {cluster_on!r}")
    encoded = encode_texts(wv, words)
    coords = np.asarray(coords, dtype=np.float64)
    if coords.shape != (len(encoded.texts), 2):
        raise ValueError(f"coords must have shape ({len(encoded.texts)}, 2), got {coords.shape}")
    features = encoded.vectors if cluster_on == "space" else coords
    clusters = WordClusters(n_clusters=n_clusters, random_state=random_state).fit(features, encoded.texts)
    return WordMap(
        words=list(encoded.texts),
        in_vocab=encoded.in_vocab,
        vectors=encoded.vectors,
        coords=coords,
        labels=clusters.labels_,
        cluster_names=clusters.names_,
    )


@dataclass(frozen=True)
class PairDistance:
    """Two words compared in the full space and on the 2-D map.

    Attributes
    ----------
    cosine : float
        Cosine similarity in the full space (NaN if either word's vector is zero).
    full : float
        Euclidean distance in the full space, divided by the median distance
        between all the map's words there (1 = a typical pair).
    on_map : float
        The same on the 2-D map. Dividing by each space's median makes the
        two columns comparable, since the map has its own units.
    """

    first: str
    second: str
    cosine: float
    full: float
    on_map: float


def pair_distances(
    words: Sequence[str],
    X: ArrayLike,
    Y: ArrayLike,
    pairs: Sequence[tuple[str, str]],
) -> list[PairDistance]:
    """Compare word pairs in the full space ``X`` (n, dim) and on the map ``Y`` (n, 2).

    Pairs that name a word not in ``words`` are skipped.
    """
    words = list(words)
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.shape[0] != len(words) or Y.shape != (len(words), 2):
        raise ValueError("X and Y need one row per word, and Y two columns")
    if len(words) < 2:
        raise ValueError("need at least two words to compare")
    full, flat = pairwise_distances(X), pairwise_distances(Y)
    upper = np.triu_indices(len(words), k=1)
    full_scale = float(np.median(full[upper])) or 1.0
    map_scale = float(np.median(flat[upper])) or 1.0
    index = {w: i for i, w in enumerate(words)}
    out = []
    for a, b in pairs:
        if a not in index or b not in index:
            continue
        i, j = index[a], index[b]
        out.append(PairDistance(a, b, cosine_similarity(X[i], X[j]), full[i, j] / full_scale, flat[i, j] / map_scale))
    return out



@dataclass(frozen=True, eq=False)
class AnalogyMap:
    """The words of an analogy on their own 2-D PCA plane.

    Attributes
    ----------
    words : list of str, length n
        Input words, then result words, then the computed point's label.
    coords : ndarray of shape (n, 2)
    roles : list of str, length n
        "input", "result" (the top answer), "neighbour" or "computed".
    arrows : list of (int, int)
        Index pairs to draw as arrows. For ``a - b + c`` they are ``b -> a``,
        ``c -> top answer`` and ``c -> computed`` (man -> king, woman -> queen,
        woman -> king - man + woman). The last is exactly parallel to the
        first; the second is, if the analogy works.
    offset_cosine : float or None
        Cosine between ``a - b`` and ``answer - c`` in the *full* space
        (1 = exactly parallel); None when there are no arrows, NaN when an
        offset is zero (two of the words share one vector).
    variance_kept : float
        Share of the fitted words' variance the two PCA axes keep.
    """

    words: list[str]
    coords: NDArray[np.float64]
    roles: list[str]
    arrows: list[tuple[int, int]]
    offset_cosine: float | None
    variance_kept: float


def analogy_map(
    wv: WordVectorsLike,
    terms: Sequence[tuple[float, str]],
    vector: ArrayLike,
    results: Sequence[str],
    label: str = "computed",
) -> AnalogyMap:
    """Place an expression's words, its computed vector and its results on a PCA plane.

    The PCA is fitted on the input words and the top result only, so the
    plane is the one that shows the analogy best (a PCA of all 20,000 words,
    or even of the neighbours, would squash it); the computed point and the
    other neighbours are then placed on that plane.

    When the weights sum to 1 (``a - b + c``, ``mean(...)``), the computed
    point is the raw weighted sum: PCA is affine, so ``c -> computed`` is then
    drawn exactly parallel and equal to ``b -> a`` - the parallelogram the
    arithmetic builds. Otherwise it is scaled to unit length like the words.

    Parameters
    ----------
    terms : sequence of (weight, word)
        The expression's terms, e.g. ``[(1, "king"), (-1, "man"), (1, "woman")]``.
    vector : array-like of shape (dim,)
        The expression's value, ``sum_i weight_i * u(word_i)``.
    results : sequence of str
        The nearest words, best first; the first is "the result".
    label : str
        Name for the computed point.
    """
    from embedcore.projection import PCA

    inputs = list(dict.fromkeys(word for _, word in terms))
    found = [w for w in dict.fromkeys(results) if w not in inputs]
    words = inputs + found
    roles = ["input"] * len(inputs) + ["result" if i == 0 else "neighbour" for i in range(len(found))]
    v = np.asarray(vector, dtype=np.float64).ravel()
    affine = abs(sum(weight for weight, _ in terms) - 1.0) < 1e-6
    computed = v if affine else v / np.linalg.norm(v)
    # Quoted phrases ('"ice cream"') are encoded without their quotes - but a
    # word the vectors know as it is (an uploaded label '"The Matrix"', quotes
    # and all) is looked up as it is, as ``evaluate`` does.
    X = np.vstack([encode_texts(wv, [w if w in wv else w.strip('"') for w in words]).vectors, computed])
    fitted = X[: len(inputs) + min(1, len(found))]
    if len(fitted) < 2:
        fitted = X[[0, -1]]
    pca = PCA(n_components=2).fit(fitted)
    arrows: list[tuple[int, int]] = []
    offset_cosine = None
    positive = [w for weight, w in terms if weight > 0]
    negative = [w for weight, w in terms if weight < 0]
    if len(positive) == 2 and len(negative) == 1 and found:
        a, c = inputs.index(positive[0]), inputs.index(positive[1])
        b, d = inputs.index(negative[0]), len(inputs)
        arrows = [(b, a), (c, d), (c, len(X) - 1)]  # man -> king, woman -> queen, woman -> computed
        u, w = X[a] - X[b], X[d] - X[c]
        offset_cosine = cosine_similarity(u, w)
    return AnalogyMap(
        words=words + [label],
        coords=pca.transform(X),
        roles=roles + ["computed"],
        arrows=arrows,
        offset_cosine=offset_cosine,
        variance_kept=float(pca.explained_variance_ratio_.sum()),
    )
