"""Curated concept groups: common English words that belong together.

Each group is a concept a student would name without thinking (animals,
foods, tools...). Drawn from real word vectors, a group becomes a *region*
of the map rather than a direction, and the lessons measure how well the
regions stay apart.

Choices, so the groups are fair to compare:

* only common, mostly single-sense words, all in the bundled vocabulary
  (a test checks this);
* no word in two groups, and the "pets" group is kept apart from the wild
  "animals" group on purpose, so the homework map (:mod:`embedcore.homework`)
  can ask whether dogs and lions *should* share a region;
* 14-18 words per group, so no group dominates a k-NN vote.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

import numpy as np
from numpy.typing import NDArray

CONCEPT_GROUPS: dict[str, tuple[str, ...]] = {
    "animals": (
        "lion", "tiger", "elephant", "horse", "cow", "sheep", "pig", "wolf", "bear",
        "monkey", "deer", "fox", "giraffe", "zebra", "camel", "goat", "whale", "eagle",
    ),
    "foods": (
        "bread", "cheese", "rice", "pasta", "pizza", "soup", "salad", "butter", "sandwich",
        "potato", "tomato", "apple", "banana", "cake", "egg", "beef", "noodles", "cookies",
    ),
    "tools": (
        "hammer", "wrench", "saw", "drill", "shovel", "axe", "ladder", "nail", "screw",
        "rake", "scissors", "tools", "hammers", "screws", "drills", "bolt", "glue",
    ),
    "politics": (
        "election", "vote", "government", "parliament", "senate", "congress", "president",
        "minister", "democracy", "policy", "campaign", "candidate", "politician", "ballot",
        "legislation", "governor", "mayor", "politics",
    ),
    "vehicles": (
        "car", "truck", "bus", "van", "bicycle", "motorcycle", "train", "tractor", "taxi",
        "jeep", "scooter", "ambulance", "tram", "sedan", "vehicle", "cars",
    ),
    "emotions": (
        "happy", "sad", "angry", "afraid", "joy", "fear", "anger", "love", "hate", "sadness",
        "happiness", "anxiety", "jealousy", "excitement", "grief", "pride", "shame",
    ),
    "professions": (
        "doctor", "nurse", "teacher", "lawyer", "engineer", "farmer", "pilot", "chef",
        "plumber", "baker", "accountant", "architect", "dentist", "carpenter",
        "scientist", "firefighter", "mechanic", "journalist",
    ),
    "countries": (
        "france", "germany", "italy", "spain", "japan", "china", "india", "brazil", "canada",
        "mexico", "russia", "egypt", "kenya", "australia", "sweden", "norway", "greece", "poland",
    ),
    "sports": (
        "football", "soccer", "tennis", "golf", "basketball", "baseball", "hockey", "cricket",
        "rugby", "boxing", "swimming", "cycling", "skiing", "volleyball", "wrestling",
    ),
    "clothing": (
        "shirt", "trousers", "jacket", "coat", "dress", "skirt", "hat", "scarf", "gloves",
        "socks", "shoes", "boots", "sweater", "jeans", "belt", "blouse",
    ),
    "pets": (
        "dog", "dogs", "cat", "cats", "puppy", "puppies", "kitten", "kittens", "hamster",
        "parrot", "goldfish", "rabbit", "pet", "pets",
    ),
    "navigation": (
        "compass", "map", "gps", "navigation", "latitude", "navigator", "route", "north",
        "south", "east", "west", "atlas", "coordinates", "lighthouse", "direction", "maps",
    ),
}

# The groups the "axes versus regions" section offers, in the order they are
# added as the student asks for more (2 to 10).
REGION_GROUPS: tuple[str, ...] = (
    "animals", "foods", "tools", "politics", "vehicles",
    "emotions", "professions", "countries", "sports", "clothing",
)


def concept_words(
    groups: Sequence[str], vocabulary: Container[str] | None = None
) -> tuple[list[str], NDArray[np.int64]]:
    """The words of ``groups`` and the group index of each.

    Parameters
    ----------
    groups : sequence of str
        Keys of :data:`CONCEPT_GROUPS`; label ``g`` is ``groups[g]``.
    vocabulary : container of str, optional
        If given, words not in it are skipped (a guard; the bundled
        vocabulary holds them all).

    Returns
    -------
    words : list of str
    labels : ndarray of int, shape (len(words),)
    """
    unknown = [g for g in groups if g not in CONCEPT_GROUPS]
    if unknown:
        raise ValueError(f"unknown concept groups {unknown}; choose from {sorted(CONCEPT_GROUPS)}")
    if len(set(groups)) != len(groups):
        raise ValueError("each group may be chosen once")
    words: list[str] = []
    labels: list[int] = []
    for g, name in enumerate(groups):
        for word in CONCEPT_GROUPS[name]:
            if vocabulary is None or word in vocabulary:
                words.append(word)
                labels.append(g)
    return words, np.asarray(labels, dtype=np.int64)
