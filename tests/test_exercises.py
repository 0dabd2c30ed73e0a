"""The checked exercises pass right answers, fail wrong ones with numbers, and never raise.

A verdict's message is checked through what it reports: the numbers it
quotes, recomputed here from the vectors, and for bad input the very message
of the parser or reader that refused it.
"""

from __future__ import annotations

import numpy as np
import pytest

from embedcore import exercises
from embedcore.encoding import clean_text, encode_texts, rank_words
from embedcore.expressions import evaluate
from embedcore.wordaxes import make_axis
from embedcore.wordlists import parse_word_list
from embedcore.wordvectors import WordVectors, load_word_vectors
from tests.quoted import numbers

ROUNDED = 5e-4  # the messages give cosines to 3 decimals


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    return load_word_vectors()


def cosines_with_queen(wv: WordVectors, word: str) -> tuple[float, float]:
    """cos(word, queen) and cos(king, queen), the word encoded as the checker encodes it."""
    word_vector, queen, king = encode_texts(wv, [word, "queen", "king"]).vectors
    return float(word_vector @ queen), float(king @ queen)


def ranked(wv: WordVectors, expression: str, target: str = "aunt") -> tuple[tuple[str, float], tuple[int, float]]:
    """The expression's top word and cosine, and the target's rank and cosine (inputs left out, as the checker does)."""
    result = evaluate(expression, wv)
    ranking = rank_words(wv, result.vector)
    return ranking.top(1, exclude=result.input_words)[0], ranking.rank(target, exclude=result.input_words)


# -- 1. closer to queen than king is -----------------------------------------
def test_a_word_closer_to_queen_passes(wv: WordVectors) -> None:
    feedback = exercises.check_closer_to_queen(wv, "Monarch")
    mine, kings = cosines_with_queen(wv, "monarch")  # typed words are cleaned: Monarch is monarch
    assert feedback.passed and mine > kings
    np.testing.assert_allclose(numbers(feedback.message), [mine, kings], atol=ROUNDED)
    assert feedback.hint == ""


def test_a_word_further_from_queen_fails_with_both_numbers_and_a_hint(wv: WordVectors) -> None:
    feedback = exercises.check_closer_to_queen(wv, "prince")
    prince, king = cosines_with_queen(wv, "prince")
    assert prince < king and not feedback.passed
    np.testing.assert_allclose(numbers(feedback.message), [prince, king], atol=ROUNDED)
    assert feedback.hint == exercises.QUEEN_HINT


def test_trivial_or_empty_answers_are_refused_before_any_cosine(wv: WordVectors) -> None:
    with pytest.raises(ValueError) as empty:
        clean_text("   ")
    feedback = {text: exercises.check_closer_to_queen(wv, text) for text in ("queen", "king", "   ")}
    refused = [(False, exercises.QUEEN_HINT, [])] * 3
    assert [(f.passed, f.hint, numbers(f.message)) for f in feedback.values()] == refused
    assert feedback["   "].message == str(empty.value)  # the cleaner's own reason
    assert len({f.message for f in feedback.values()}) == 3  # queen and king each get a reason of their own


def test_words_outside_the_vocabulary_are_checked_from_word_pieces(wv: WordVectors) -> None:
    assert "queenly" not in wv
    feedback = exercises.check_closer_to_queen(wv, "queenly")
    # The cosine it quotes is the word-pieces vector's: the word was checked, not refused.
    np.testing.assert_allclose(numbers(feedback.message), cosines_with_queen(wv, "queenly"), atol=ROUNDED)
    assert feedback.message.count("queenly") == 2  # the verdict, and the note that it was built from pieces
    assert exercises.check_closer_to_queen(wv, "prince").message.count("prince") == 1  # no note for a known word


# -- 2. an expression whose top result is aunt ---------------------------------
def test_an_expression_landing_on_aunt_passes(wv: WordVectors) -> None:
    feedback = exercises.check_top_result(wv, "uncle - he + she")
    (top, cosine), _ = ranked(wv, "uncle - he + she")
    assert feedback.passed and top == "aunt"
    np.testing.assert_allclose(numbers(feedback.message), [cosine], atol=ROUNDED)


def test_a_near_miss_reports_the_top_result_and_aunts_rank(wv: WordVectors) -> None:
    feedback = exercises.check_top_result(wv, "uncle - man + woman")
    (top, top_cosine), (rank, cosine) = ranked(wv, "uncle - man + woman")
    assert not feedback.passed and (top, rank) == ("grandmother", 2)
    assert top in feedback.message
    np.testing.assert_allclose(numbers(feedback.message), [top_cosine, rank, cosine], atol=ROUNDED)
    assert feedback.hint == exercises.AUNT_HINT


def test_the_aunt_hint_says_what_the_vectors_do(wv: WordVectors) -> None:
    """The hint once said "____ - man + woman", which gives grandmother (0.619) before aunt."""
    start = exercises.AUNT_COUNTERPART
    assert start not in exercises.AUNT_HINT  # the hint leaves finding it to the student

    def top(pair: tuple[str, str]) -> str:
        expression = f"{start} - {pair[0]} + {pair[1]}"
        return ranked(wv, expression)[0][0]

    assert top(exercises.AUNT_HINT_MISS) != "aunt"  # "another relative comes first"
    assert [top(pair) for pair in exercises.AUNT_HINT_PAIRS] == ["aunt"] * len(exercises.AUNT_HINT_PAIRS)
    for word in (*exercises.AUNT_HINT_MISS, *(w for pair in exercises.AUNT_HINT_PAIRS for w in pair)):
        assert word in exercises.AUNT_HINT


def test_using_aunt_itself_is_refused(wv: WordVectors) -> None:
    feedback = [exercises.check_top_result(wv, text) for text in ("aunt + uncle - uncle", '"aunt" - man + man')]
    assert [(f.passed, f.hint, numbers(f.message)) for f in feedback] == [(False, exercises.AUNT_HINT, [])] * 2
    assert feedback[0].message == feedback[1].message  # quoted or not, aunt is aunt
    assert feedback[0].message != exercises.check_top_result(wv, "  ").message


@pytest.mark.parametrize(("expression", "position"), [("uncle -", [7]), ("king - king", [])])
def test_unreadable_expressions_give_the_parsers_message(wv: WordVectors, expression: str, position: list) -> None:
    with pytest.raises(ValueError) as caught:
        evaluate(expression, wv)
    feedback = exercises.check_top_result(wv, expression)
    assert not feedback.passed and feedback.hint == exercises.AUNT_HINT
    assert feedback.message.endswith(str(caught.value))
    assert numbers(feedback.message) == position  # where "uncle -" stops: its dangling '-', counted from 1


def test_an_empty_expression_is_refused_without_a_ranking(wv: WordVectors) -> None:
    feedback = exercises.check_top_result(wv, "  ")
    assert (feedback.passed, feedback.hint, numbers(feedback.message)) == (False, exercises.AUNT_HINT, [])


# -- 3. an axis that separates nurse and engineer ------------------------------
def coordinates(wv: WordVectors, negative: str, positive: str) -> list[float]:
    """Where nurse and engineer land on the axis negative -> positive."""
    axis = make_axis(wv, parse_word_list(negative), parse_word_list(positive))
    return list(axis.coordinates(encode_texts(wv, ["nurse", "engineer"]).vectors))


def test_an_axis_that_separates_the_jobs_passes(wv: WordVectors) -> None:
    feedback = exercises.check_opposite_sides(wv, "machine, technology", "care, patient")
    nurse, engineer = coordinates(wv, "machine, technology", "care, patient")
    assert feedback.passed and nurse * engineer < 0
    np.testing.assert_allclose(numbers(feedback.message), [nurse, engineer, 0], atol=0.0051)  # and the middle, 0


def test_an_axis_with_both_jobs_on_one_side_fails_with_coordinates(wv: WordVectors) -> None:
    feedback = exercises.check_opposite_sides(wv, "man", "woman")
    nurse, engineer = coordinates(wv, "man", "woman")
    assert not feedback.passed and nurse > 0 and engineer > 0
    np.testing.assert_allclose(numbers(feedback.message), [nurse, engineer, 0], atol=0.0051)
    assert feedback.hint == exercises.AXIS_HINT


def test_an_axis_may_not_use_the_jobs_themselves(wv: WordVectors) -> None:
    feedback = exercises.check_opposite_sides(wv, "engineer", "doctor")
    assert (feedback.passed, feedback.hint, numbers(feedback.message)) == (False, exercises.AXIS_HINT, [])
    assert "engineer" in feedback.message and "nurse" not in feedback.message  # names the word it used


@pytest.mark.parametrize(("negative", "positive"), [("", "woman"), ("man", "man")])
def test_bad_axes_give_the_readers_message(wv: WordVectors, negative: str, positive: str) -> None:
    with pytest.raises(ValueError) as caught:
        make_axis(wv, parse_word_list(negative), parse_word_list(positive))
    feedback = exercises.check_opposite_sides(wv, negative, positive)
    assert (feedback.passed, feedback.hint) == (False, exercises.AXIS_HINT)
    assert feedback.message.endswith(str(caught.value))
