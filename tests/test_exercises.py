"""The checked exercises pass right answers, fail wrong ones with numbers, and never raise."""

from __future__ import annotations

import pytest

from embedcore import exercises
from embedcore.wordvectors import WordVectors, load_word_vectors


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    return load_word_vectors()


# -- 1. closer to queen than king is -----------------------------------------
def test_a_word_closer_to_queen_passes(wv: WordVectors) -> None:
    feedback = exercises.check_closer_to_queen(wv, "Monarch")
    assert feedback.passed
    assert "cos(monarch, queen)" in feedback.message and "cos(king, queen)" in feedback.message
    assert feedback.hint == ""


def test_a_word_further_from_queen_fails_with_both_numbers_and_a_hint(wv: WordVectors) -> None:
    feedback = exercises.check_closer_to_queen(wv, "prince")
    king = float(wv.vector("king") @ wv.vector("queen"))
    prince = float(wv.vector("prince") @ wv.vector("queen"))
    assert prince < king and not feedback.passed
    assert f"{prince:.3f}" in feedback.message and f"{king:.3f}" in feedback.message
    assert feedback.hint


@pytest.mark.parametrize(("text", "message"), [
    ("queen", "closest to itself"),
    ("king", "exactly as close"),
    ("   ", "Type a word"),
])
def test_trivial_or_empty_answers_are_explained(wv: WordVectors, text: str, message: str) -> None:
    feedback = exercises.check_closer_to_queen(wv, text)
    assert not feedback.passed and message in feedback.message


def test_words_outside_the_vocabulary_are_checked_from_word_pieces(wv: WordVectors) -> None:
    feedback = exercises.check_closer_to_queen(wv, "queenly")
    assert "word pieces" in feedback.message


# -- 2. an expression whose top result is aunt ---------------------------------
def test_an_expression_landing_on_aunt_passes(wv: WordVectors) -> None:
    feedback = exercises.check_top_result(wv, "uncle - he + she")
    assert feedback.passed and "aunt" in feedback.message


def test_a_near_miss_reports_the_top_result_and_aunts_rank(wv: WordVectors) -> None:
    feedback = exercises.check_top_result(wv, "uncle - man + woman")
    assert not feedback.passed
    assert "The top result is grandmother" in feedback.message and "aunt is at rank 2" in feedback.message
    assert "man + woman" in feedback.hint


@pytest.mark.parametrize(("expression", "message"), [
    ("aunt + uncle - uncle", "too easy"),
    ('"aunt" - man + man', "too easy"),
    ("uncle -", "position 7"),
    ("king - king", "zero"),
    ("  ", "Type an expression"),
])
def test_bad_expressions_become_messages(wv: WordVectors, expression: str, message: str) -> None:
    feedback = exercises.check_top_result(wv, expression)
    assert not feedback.passed and message in feedback.message


# -- 3. an axis that separates nurse and engineer ------------------------------
def test_an_axis_that_separates_the_jobs_passes(wv: WordVectors) -> None:
    feedback = exercises.check_opposite_sides(wv, "machine, technology", "care, patient")
    assert feedback.passed and "opposite sides" in feedback.message


def test_an_axis_with_both_jobs_on_one_side_fails_with_coordinates(wv: WordVectors) -> None:
    feedback = exercises.check_opposite_sides(wv, "man", "woman")
    assert not feedback.passed
    assert "nurse lands at +" in feedback.message and "engineer at +" in feedback.message
    assert "same side" in feedback.message and feedback.hint


@pytest.mark.parametrize(("negative", "positive", "message"), [
    ("engineer", "doctor", "may not use engineer"),
    ("", "woman", "needs words"),
    ("man", "man", "no direction"),
])
def test_bad_axes_become_messages(wv: WordVectors, negative: str, positive: str, message: str) -> None:
    feedback = exercises.check_opposite_sides(wv, negative, positive)
    assert not feedback.passed and message in feedback.message
