"""The homework map: many concepts squeezed into two dimensions, and the evidence to judge it.

"Is this a good embedding?" is asked of a *regions* map, like the sketch the
lesson follows: ten concept groups (pets, vehicles, politics,
navigation, foods, ...) from real word vectors, placed on a 2-D t-SNE map
where each group gets its own area and the axes mean nothing.

There is no single right answer, and the evidence shows why:

* some groups make tight regions (pets: most pet words' nearest words on the
  map are pet words);
* some unrelated groups end up side by side - pairs of groups that are far
  apart in the full space but near each other on the map
  (:func:`odd_pairs`);
* two numbers cannot keep everything: the map keeps only part of each word's
  neighbourhood (:func:`embedcore.meters.map_meters`).

Whether that is good depends on the problem the map is for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore.clusters import centroid_distances
from embedcore.knn import group_knn_accuracy
from embedcore.meters import MapMeters, map_meters
from embedcore.projection import project_2d

#: The map's concept groups (keys of :data:`embedcore.concepts.CONCEPT_GROUPS`).
#: Ten, so that each gets its own colour of the app's colour-blind-safe palette.
MAP_GROUPS: tuple[str, ...] = (
    "pets", "animals", "foods", "vehicles", "politics", "navigation",
    "countries", "sports", "emotions", "clothing",
)
#: t-SNE settings of the map: a fixed seed, so every student sees the same map.
PERPLEXITY, SEED = 30.0, 0


@dataclass(frozen=True)
class OddPair:
    """Two groups that sit closer together on the map than they are in the full space.

    ``full_rank`` and ``map_rank`` place the distance between the two groups'
    centres among all pairs of groups (0 = the closest pair).
    """

    first: str
    second: str
    full_rank: int
    map_rank: int


@dataclass(frozen=True, eq=False)
class HomeworkMap:
    """The map and its evidence.

    Attributes
    ----------
    groups : tuple of str
    points : ndarray of shape (n_words, 2)
    accuracy_full, accuracy_map : ndarray of shape (n_groups,)
        Per group, the share of its words whose group the 5 nearest words
        guess right (leave-one-out), in the full space and on the map.
    odd_pairs : list of OddPair
        The pairs of groups that moved closest together, most moved first.
    meters : MapMeters
        Recall@10 and trustworthiness of the whole map.
    n_pairs : int
        How many pairs of groups there are (the ranks run from 0 to n_pairs - 1).
    """

    groups: tuple[str, ...]
    points: NDArray[np.float64]
    accuracy_full: NDArray[np.float64]
    accuracy_map: NDArray[np.float64]
    odd_pairs: list[OddPair]
    meters: MapMeters
    n_pairs: int

    def accuracy_of(self, group: str) -> tuple[float, float]:
        """(full space, map) 5-NN accuracy of one group."""
        g = self.groups.index(group)
        return float(self.accuracy_full[g]), float(self.accuracy_map[g])


def odd_pairs(
    X_full: ArrayLike, X_map: ArrayLike, labels: ArrayLike, groups: tuple[str, ...], top: int = 3
) -> tuple[list[OddPair], int]:
    """The ``top`` pairs of groups whose centres moved closest together on the map.

    Each pair's centre distance is ranked among all pairs, in the full space
    (n_words, dim) and on the map (n_words, 2); a pair is odd when its rank
    falls (it became one of the nearer pairs). Returns the pairs, most moved
    first, and the number of pairs.
    """
    full = centroid_distances(X_full, labels)
    mapped = centroid_distances(X_map, labels)
    if full.shape[0] != len(groups):
        raise ValueError(f"labels name {full.shape[0]} groups but {len(groups)} group names were given")
    i, j = np.triu_indices(len(groups), 1)
    full_rank = np.argsort(np.argsort(full[i, j], kind="stable"), kind="stable")
    map_rank = np.argsort(np.argsort(mapped[i, j], kind="stable"), kind="stable")
    moved = full_rank - map_rank
    order = np.argsort(-moved, kind="stable")[:top]
    pairs = [
        OddPair(groups[i[p]], groups[j[p]], int(full_rank[p]), int(map_rank[p])) for p in order if moved[p] > 0
    ]
    return pairs, len(i)


def homework_points(vectors: ArrayLike, random_state: int = SEED) -> NDArray[np.float64]:
    """The homework's 2-D t-SNE map of the concept words ``vectors`` (n_words, dim): shape (n_words, 2)."""
    return project_2d(np.asarray(vectors, dtype=np.float64), "tsne", perplexity=PERPLEXITY, random_state=random_state)


def homework_map(
    vectors: ArrayLike, labels: ArrayLike, groups: tuple[str, ...] = MAP_GROUPS, random_state: int = SEED,
    points: ArrayLike | None = None,
) -> HomeworkMap:
    """Place the concept words ``vectors`` (n_words, dim) on a 2-D t-SNE map and gather the evidence.

    ``labels[i]`` is the index in ``groups`` of word ``i``'s group. ``points``
    (n_words, 2), if given, is the map already made by :func:`homework_points`
    (a server reads it from the shipped maps rather than running t-SNE).
    """
    X = np.asarray(vectors, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    Y = homework_points(X, random_state) if points is None else np.asarray(points, dtype=np.float64)
    if Y.shape != (X.shape[0], 2):
        raise ValueError(f"points must have shape ({X.shape[0]}, 2), one row per word; got {Y.shape}")
    pairs, n_pairs = odd_pairs(X, Y, y, groups)
    return HomeworkMap(
        groups=tuple(groups),
        points=Y,
        accuracy_full=group_knn_accuracy(X, y, k=5),
        accuracy_map=group_knn_accuracy(Y, y, k=5),
        odd_pairs=pairs,
        meters=map_meters(X, Y, k=10),
        n_pairs=n_pairs,
    )


__all__ = ["MAP_GROUPS", "HomeworkMap", "OddPair", "homework_map", "homework_points", "odd_pairs"]
