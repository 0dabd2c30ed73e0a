"""The homework map: a regions map of many concepts, and evidence that backs each point of the reveal."""

from __future__ import annotations

import numpy as np
import pytest

from embedcore import homework
from embedcore.concepts import concept_words
from embedcore.wordvectors import load_word_vectors


@pytest.fixture(scope="module")
def hw() -> homework.HomeworkMap:
    wv = load_word_vectors()
    words, labels = concept_words(homework.MAP_GROUPS, vocabulary=wv)
    vectors = np.stack([wv.vector(w) for w in words])
    return homework.homework_map(vectors, labels)


def test_the_map_holds_many_concepts_as_regions(hw):
    assert len(hw.groups) >= 10 and {"pets", "vehicles", "politics", "navigation", "foods"} <= set(hw.groups)
    assert hw.points.shape[1] == 2
    # Regions, not axes: most groups keep most of their words together on the map.
    assert np.median(hw.accuracy_map) > 0.75


def test_the_evidence_backs_the_reveal(hw):
    full, on_map = hw.accuracy_of("pets")
    assert on_map > 0.6  # pets make a region
    assert hw.odd_pairs  # some groups moved next to groups they are far from in the full space
    for pair in hw.odd_pairs:
        assert pair.map_rank < pair.full_rank < hw.n_pairs
    assert hw.meters.recall < 0.9  # two numbers do not keep every neighbourhood


def test_a_given_map_is_used_as_it_is_and_must_fit_the_words(hw):
    wv = load_word_vectors()
    words, labels = concept_words(homework.MAP_GROUPS, vocabulary=wv)
    vectors = np.stack([wv.vector(w) for w in words])
    again = homework.homework_map(vectors, labels, points=hw.points)
    np.testing.assert_allclose(again.points, hw.points)
    np.testing.assert_allclose(again.accuracy_map, hw.accuracy_map)
    assert again.odd_pairs == hw.odd_pairs
    with pytest.raises(ValueError, match="one row per word"):
        homework.homework_map(vectors, labels, points=hw.points[:-1])


def test_odd_pairs_finds_the_pair_that_moved_together():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0, 0], [10, 0, 0], [0, 10, 0]], dtype=float)
    labels = np.repeat(np.arange(3), 20)
    X = centres[labels] + rng.normal(0, 0.1, (60, 3))
    # On the map, groups 1 and 2 (14 apart in the full space) land side by side; group 0 far away.
    Y = np.array([[0, 0], [50, 0], [51, 0]], dtype=float)[labels] + rng.normal(0, 0.1, (60, 2))
    pairs, n_pairs = homework.odd_pairs(X, Y, labels, ("a", "b", "c"))
    assert n_pairs == 3
    assert (pairs[0].first, pairs[0].second) == ("b", "c")
    assert pairs[0].full_rank == 2 and pairs[0].map_rank == 0
    with pytest.raises(ValueError, match="group names"):
        homework.odd_pairs(X, Y, labels, ("a", "b"))
