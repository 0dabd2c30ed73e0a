"""Tests for embedcore.expressions: a safe parser for vector expressions."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from embedcore.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_TERMS,
    ExpressionError,
    ExpressionResult,
    evaluate,
    parse,
)
from embedcore.wordvectors import WordVectors, load_word_vectors


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    return load_word_vectors()


# ---------------------------------------------------------------------------
# Parsing: weighted terms, no vectors needed
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("king - man + woman", [(1.0, "king"), (-1.0, "man"), (1.0, "woman")]),
        ("king-man+woman", [(1.0, "king"), (-1.0, "man"), (1.0, "woman")]),
        ("King - MAN + Woman", [(1.0, "king"), (-1.0, "man"), (1.0, "woman")]),
        ("0.5*king + 0.5*queen", [(0.5, "king"), (0.5, "queen")]),
        ("king/2 + queen*.5", [(0.5, "king"), (0.5, "queen")]),
        ("paris - france + italy", [(1.0, "paris"), (-1.0, "france"), (1.0, "italy")]),
        ("-man + king", [(-1.0, "man"), (1.0, "king")]),
        ("- -man", [(1.0, "man")]),
        ("2*(king - man)/4", [(0.5, "king"), (-0.5, "man")]),
        ("(1 + 1) * king", [(2.0, "king")]),
        ("king + king - queen", [(2.0, "king"), (-1.0, "queen")]),
        ("king - man + man", [(1.0, "king")]),
        ("1e-1*king", [(0.1, "king")]),
        ("don't + café", [(1.0, "don't"), (1.0, "café")]),
        ('"ice cream" - cold', [(1.0, '"ice cream"'), (-1.0, "cold")]),
        ('"  King "', [(1.0, "king")]),
    ],
)
def test_parse_terms(text: str, terms: list[tuple[float, str]]) -> None:
    parsed = parse(text)
    assert [t for _, t in parsed] == [t for _, t in terms]
    np.testing.assert_allclose([w for w, _ in parsed], [w for w, _ in terms])


def test_parse_mean_and_avg() -> None:
    parsed = parse("mean(cat, dog, puppy)")
    assert [t for _, t in parsed] == ["cat", "dog", "puppy"]
    np.testing.assert_allclose([w for w, _ in parsed], [1 / 3] * 3)
    assert parse("AVG(cat, dog, puppy)") == parsed
    # Arguments can be expressions; mean(x, y) = (x + y) / 2.
    nested = dict((t, w) for w, t in parse("mean(king - man, queen - woman, 2*cat)"))
    np.testing.assert_allclose(
        [nested[t] for t in ("king", "man", "queen", "woman", "cat")], [1 / 3, -1 / 3, 1 / 3, -1 / 3, 2 / 3]
    )
    # "mean" without a bracket is just the word.
    assert parse("mean + cruel") == [(1.0, "mean"), (1.0, "cruel")]


# ---------------------------------------------------------------------------
# Errors: a ValueError that says what is wrong and where
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("", "empty", None),
        ("   ", "empty", None),
        ("king -", "'-' at position 6 has nothing after it", 6),
        ("king - man +", "'\\+' at position 12 has nothing after it", 12),
        ("* king", "'\\*' at position 1 has nothing before it", 1),
        ("king * * queen", "'\\*' at position 6 has nothing after it", 6),
        ("(king - man", "'\\(' at position 1 is never closed", 1),
        ("mean(cat, dog", "'\\(' at position 5 is never closed", 5),
        ("king - man)", "'\\)' at position 11 has no matching '\\('", 11),
        (")", "'\\)' at position 1 has no matching", 1),
        ("king + ()", "empty brackets at position 8", 8),
        ("1e999*king", "number at position 1 is not finite", 1),
        ("5000*king", "weight 5000 at position 1 is too large", 1),
        ("100*king*100", "weight 10000 at position 9 is too large", 9),
        ("king/0", "division by zero at position 5", 5),
        ("king & queen", "'&' at position 6 is not a word, a number or an operator", 6),
        ("king = queen", "'=' at position 6 is not a word", 6),
        ("k1ng + queen", "'k1ng' at position 1 is not a word", 1),
        ("2king", "missing '\\*' between the number 2 and 'king' at position 2", 2),
        ("king queen", "missing operator before 'queen' at position 6", 6),
        ("king * queen", "'\\*' at position 6 multiplies two vectors", 6),
        ("king / queen", "divides by a vector", 6),
        ("2 + king", "'\\+' at position 3 mixes a number and a vector", 3),
        ("3 * 4", "plain number", 1),
        ("sum(cat, dog)", "unknown function 'sum' at position 1", 1),
        ("mean()", "mean\\(\\) at position 1 needs at least one word", 1),
        ("mean(cat, 2)", "argument at position 11 is a plain number", 11),
        ("mean(cat,)", "',' at position 9 has nothing after it", 9),
        ("cat, dog", "',' at position 4 is only allowed inside mean", 4),
        ('"ice cream - cold', "quote at position 1 is never closed", 1),
        ('"" + king', "quotes at position 1 are empty", 1),
        ("x" * (MAX_LENGTH + 1), f"too long: {MAX_LENGTH + 1} characters", MAX_LENGTH + 1),
        (" + ".join(["cat"] * (MAX_TERMS + 1)), f"too many terms: the one at position {6 * MAX_TERMS + 1}", None),
        ("(" * (MAX_DEPTH + 1) + "king" + ")" * (MAX_DEPTH + 1), "brackets nest too deeply", MAX_DEPTH + 1),
    ],
)
def test_parse_errors_say_what_and_where(text: str, message: str, position: int | None) -> None:
    with pytest.raises(ValueError, match=message) as info:
        parse(text)
    assert isinstance(info.value, ExpressionError)
    if position is not None:
        assert info.value.position == position


def test_parse_rejects_non_text() -> None:
    with pytest.raises(ValueError, match="must be text"):
        parse(None)  # type: ignore[arg-type]


def test_exactly_at_the_limits_is_fine() -> None:
    assert len(parse(" + ".join(["cat"] * MAX_TERMS))) == 1
    assert parse("(" * MAX_DEPTH + "king" + ")" * MAX_DEPTH) == [(1.0, "king")]
    text = "king" + " " * (MAX_LENGTH - 4)
    assert len(text) == MAX_LENGTH and parse(text) == [(1.0, "king")]
    assert parse("1000*king") == [(1000.0, "king")]


# ---------------------------------------------------------------------------
# Evaluating against the bundled vectors
# ---------------------------------------------------------------------------


def test_evaluate_king_man_woman(wv: WordVectors) -> None:
    result = evaluate("king - man + woman", wv)
    assert isinstance(result, ExpressionResult)
    expected = wv.vector("king") - wv.vector("man") + wv.vector("woman")
    np.testing.assert_allclose(result.vector, expected, atol=1e-6)
    assert result.terms == [(1.0, "king"), (-1.0, "man"), (1.0, "woman")]
    assert result.oov_words == [] and result.suggestions == {}
    assert result.input_words == ["king", "man", "woman"]
    assert wv.nearest(result.vector, k=1, exclude=result.input_words)[0][0] == "queen"
    assert not result.vector.flags.writeable
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "changed"  # type: ignore[misc]


def test_evaluate_brother_man_woman(wv: WordVectors) -> None:
    result = evaluate("brother - man + woman", wv)
    assert wv.nearest(result.vector, k=1, exclude=result.input_words)[0][0] == "sister"


def test_evaluate_weights_and_mean(wv: WordVectors) -> None:
    halfway = evaluate("0.5*king + 0.5*queen", wv).vector
    np.testing.assert_allclose(halfway, 0.5 * wv.vector("king") + 0.5 * wv.vector("queen"), atol=1e-6)
    mean = evaluate("mean(cat, dog, puppy)", wv).vector
    expected = np.mean([wv.vector(w) for w in ("cat", "dog", "puppy")], axis=0)
    np.testing.assert_allclose(mean, expected, atol=1e-6)
    np.testing.assert_allclose(evaluate("avg(cat, dog, puppy)", wv).vector, mean, atol=1e-7)


def test_evaluate_paris_france_italy(wv: WordVectors) -> None:
    result = evaluate("paris - france + italy", wv)
    top = [w for w, _ in wv.nearest(result.vector, k=5, exclude=result.input_words)]
    assert top[0] == "florence" and "rome" in top  # an honest miss worth showing


def test_out_of_vocabulary_words_are_encoded_and_flagged(wv: WordVectors) -> None:
    result = evaluate("kingg - man + woman", wv)
    assert result.oov_words == ["kingg"]
    assert "king" in result.suggestions["kingg"]
    assert result.input_words == ["man", "woman"]
    expected = wv.encode(["kingg"])[0] - wv.vector("man") + wv.vector("woman")
    np.testing.assert_allclose(result.vector, expected, atol=1e-6)
    phrase = evaluate('"ice cream" + king', wv)
    assert phrase.oov_words == ['"ice cream"'] and phrase.suggestions == {}
    np.testing.assert_allclose(phrase.vector, wv.encode(["ice cream"])[0] + wv.vector("king"), atol=1e-6)


@pytest.mark.parametrize("text", ["king - king", "mean(cat, -cat)", "0.5*dog - dog/2", "kingg - kingg"])
def test_zero_length_result_has_no_direction(wv: WordVectors, text: str) -> None:
    with pytest.raises(ValueError, match="no direction"):
        evaluate(text, wv)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["king", "man", "woman", "kingg", "mean(", "avg(", "sum(", "(", ")", ",", "+", "-", "*", "/",
     "0", "0.5", "2", "1e999", "1e3", ".", "'", '"', " ", "é", "3x", "_", "\t", "king king"]
)
_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(text=st.text(max_size=MAX_LENGTH + 20))
def test_arbitrary_text_only_raises_value_error(wv: WordVectors, text: str) -> None:
    _evaluate_or_value_error(text, wv)


@_SETTINGS
@given(text=st.lists(_PIECES, max_size=40).map("".join))
def test_expression_like_text_only_raises_value_error(wv: WordVectors, text: str) -> None:
    _evaluate_or_value_error(text, wv)


def _evaluate_or_value_error(text: str, wv: WordVectors) -> None:
    try:
        result = evaluate(text, wv)
    except ValueError as error:
        assert str(error)  # never an empty message
        return
    assert result.vector.shape == (wv.dim,)
    assert np.all(np.isfinite(result.vector)) and np.linalg.norm(result.vector) > 0
    assert len(result.terms) <= MAX_TERMS


_WORDS = ["king", "queen", "man", "woman", "cat", "dog"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(-500, 500).map(lambda n: n / 100), st.sampled_from(_WORDS)),
        min_size=1,
        max_size=8,
    )
)
def test_linear_combinations_evaluate_exactly(wv: WordVectors, pairs: list[tuple[float, str]]) -> None:
    """The text w1*word1 + w2*word2 + ... evaluates to sum_i w_i u(word_i)."""
    text = " + ".join(f"({weight!r})*{word}" for weight, word in pairs)
    expected = sum((np.float32(w) * wv.vector(word) for w, word in pairs), np.zeros(wv.dim, np.float32))
    try:
        result = evaluate(text, wv)
    except ValueError as error:
        # Only a combination that cancels out may fail, and it must say so.
        assert "no direction" in str(error) and np.linalg.norm(expected) < 1e-4
        return
    np.testing.assert_allclose(result.vector, expected, atol=1e-4)
