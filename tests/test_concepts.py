"""Concept groups: every word is in the bundled vocabulary, no word in two groups."""

from __future__ import annotations

import numpy as np
import pytest

from embedcore.concepts import CONCEPT_GROUPS, REGION_GROUPS, concept_words
from embedcore.homework import MAP_GROUPS


def test_every_concept_word_is_in_the_vocabulary() -> None:
    from embedcore.wordvectors import load_word_vectors

    wv = load_word_vectors()
    missing = {g: [w for w in words if w not in wv] for g, words in CONCEPT_GROUPS.items()}
    assert {g: m for g, m in missing.items() if m} == {}


def test_groups_are_disjoint_and_sized() -> None:
    every = [w for words in CONCEPT_GROUPS.values() for w in words]
    assert len(every) == len(set(every))
    for name, words in CONCEPT_GROUPS.items():
        assert 12 <= len(words) <= 20, name
        assert all(w == w.lower().strip() and w.isalpha() for w in words), name


def test_lesson_group_lists() -> None:
    assert len(REGION_GROUPS) == 10 and set(REGION_GROUPS) <= set(CONCEPT_GROUPS)
    assert set(MAP_GROUPS) <= set(CONCEPT_GROUPS)
    assert {"pets", "navigation", "politics", "vehicles", "foods"} <= set(MAP_GROUPS)


def test_concept_words_labels_and_vocabulary_filter() -> None:
    words, labels = concept_words(("pets", "tools"))
    assert words[: len(CONCEPT_GROUPS["pets"])] == list(CONCEPT_GROUPS["pets"])
    np.testing.assert_array_equal(np.bincount(labels), [len(CONCEPT_GROUPS["pets"]), len(CONCEPT_GROUPS["tools"])])
    words, labels = concept_words(("pets",), vocabulary={"dog", "cat"})
    assert words == ["dog", "cat"] and labels.tolist() == [0, 0]
    with pytest.raises(ValueError, match="unknown concept groups"):
        concept_words(("pets", "spaceships"))
    with pytest.raises(ValueError, match="once"):
        concept_words(("pets", "pets"))
