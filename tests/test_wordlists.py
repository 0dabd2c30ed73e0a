"""The curated word lists fit the bundled vocabulary; the list parser is strict."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embedcore import wordlists
from embedcore.expressions import parse
from embedcore.wordvectors import WordVectors, load_word_vectors


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    return load_word_vectors()


def _preset_words() -> set[str]:
    words = set(wordlists.CAR_LAND)
    for items in wordlists.WORD_LIST_PRESETS.values():
        words |= set(items)
    for preset in wordlists.AXIS_PRESETS.values():
        words |= set(preset.negative) | set(preset.positive)
    for analogy in wordlists.analogy_menu().values():
        words |= {term for _, term in parse(analogy.expression)} | {analogy.expected}
    return words


def test_every_preset_word_is_in_the_vocabulary(wv: WordVectors) -> None:
    missing = sorted(w for w in _preset_words() if w not in wv)
    assert missing == []


def test_car_land_has_about_forty_distinct_vehicles() -> None:
    assert 35 <= len(wordlists.CAR_LAND) <= 45
    assert len(set(wordlists.CAR_LAND)) == len(wordlists.CAR_LAND)
    assert {"mercedes", "bmw", "bus", "truck", "tractor", "bicycle", "taxi", "ambulance"} <= set(wordlists.CAR_LAND)


def test_analogy_menu_covers_the_five_groups() -> None:
    assert set(wordlists.ANALOGIES) == {"capitals", "gender", "plurals", "tenses", "comparatives"}
    menu = wordlists.analogy_menu()
    assert menu["gender: king - man + woman"].expected == "queen"
    # The exercise asks for 'aunt': the menu must not give it away.
    assert all(a.expected != "aunt" for a in menu.values())


def test_parse_word_list_cleans_and_deduplicates() -> None:
    assert wordlists.parse_word_list(" Cat, dog ;cat\n  Old   King ,, ") == ["cat", "dog", "old king"]


def test_parse_word_list_bounds_its_input() -> None:
    with pytest.raises(ValueError, match="at least one word"):
        wordlists.parse_word_list(" , ;")
    with pytest.raises(ValueError, match="the limit is 3"):
        wordlists.parse_word_list("a, b, c, d", max_words=3)
    with pytest.raises(ValueError, match="longer than 30"):
        wordlists.parse_word_list("x" * 31)


@given(st.text(max_size=200))
def test_parse_word_list_never_crashes_and_returns_clean_items(text: str) -> None:
    try:
        items = wordlists.parse_word_list(text)
    except ValueError:
        return
    assert items and len(items) == len(set(items)) <= wordlists.MAX_LIST_WORDS
    assert all(item == " ".join(item.split()).lower() and item for item in items)


def test_pairs_to_check_known_pairs_or_the_first_words() -> None:
    assert wordlists.pairs_to_check(["x"], ["rocket"]) == [*wordlists.CAR_LAND_PAIRS, ("mercedes", "rocket")]
    assert wordlists.pairs_to_check(["a", "b", "c", "d"], ["e", "f", "g", "h"], known=None) == [
        ("a", "b"), ("a", "c"), ("b", "c"), ("a", "e"), ("a", "f"), ("a", "g")]
    assert all(w in wordlists.CAR_LAND for pair in wordlists.CAR_LAND_PAIRS for w in pair)
