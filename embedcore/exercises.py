"""Checked exercises: small challenges the code can mark, with a hint.

Each checker takes what a student typed, does the maths, and returns
:class:`Feedback` - whether it passes, a message with the numbers behind the
verdict, and a hint for the next try. Checkers never raise on bad input:
the problem becomes the message, so the page can always show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import TYPE_CHECKING

import numpy as np

from embedcore.encoding import WordVectorsLike, clean_text, encode_texts, rank_words
from embedcore.wordaxes import make_axis
from embedcore.wordlists import parse_word_list

if TYPE_CHECKING:  # evaluate() needs the full WordVectors (it suggests spellings)
    from embedcore.wordvectors import WordVectors


@dataclass(frozen=True)
class Feedback:
    """The verdict on one attempt.

    Attributes
    ----------
    passed : bool
    message : str
        What the attempt did, with numbers.
    hint : str
        A nudge for the next try (empty once passed).
    """

    passed: bool
    message: str
    hint: str = ""


# --------------------------------------------------------------------------
# 1. Closer to queen than king is
# --------------------------------------------------------------------------
QUEEN_HINT = (
    "king is quite close to queen (both are royal), so you need a word that shares even more "
    "with queen: another word for a female ruler, a famous queen, or a form of the word queen itself."
)


def check_closer_to_queen(wv: WordVectorsLike, text: str) -> Feedback:
    """Pass if cos(word, queen) > cos(king, queen): the word is closer to queen than king is.

    ``queen`` and ``king`` themselves do not count. Text outside the
    vocabulary is encoded from word pieces and may still pass.
    """
    try:
        word = clean_text(text)
    except ValueError as error:
        return Feedback(False, str(error), QUEEN_HINT)
    if word == "queen":
        return Feedback(False, "queen is always closest to itself - find a different word.", QUEEN_HINT)
    if word == "king":
        return Feedback(False, "king is exactly as close to queen as king is - it has to be closer.", QUEEN_HINT)
    try:
        encoded = encode_texts(wv, [word, "queen", "king"])
    except ValueError as error:
        return Feedback(False, str(error), QUEEN_HINT)
    v, queen, king = encoded.vectors
    mine, kings = float(v @ queen), float(king @ queen)
    pieces = "" if encoded.in_vocab[0] else f" ('{word}' is not in the vocabulary, so it was built from word pieces.)"
    if mine > kings:
        return Feedback(
            True,
            f"Yes: cos({word}, queen) = {mine:.3f} is more than cos(king, queen) = {kings:.3f}.{pieces}",
        )
    return Feedback(
        False,
        f"Not yet: cos({word}, queen) = {mine:.3f}, but cos(king, queen) = {kings:.3f}.{pieces}",
        QUEEN_HINT,
    )


# --------------------------------------------------------------------------
# 2. An expression whose top result is "aunt"
# --------------------------------------------------------------------------
#: The hint's claims, checked against the bundled vectors by tests/test_exercises.py: starting from aunt's
#: male counterpart, this pair of gender words puts another relative first ...
AUNT_HINT_MISS: tuple[str, str] = ("man", "woman")
#: ... and these pairs put aunt first.
AUNT_HINT_PAIRS: tuple[tuple[str, str], ...] = (("husband", "wife"), ("he", "she"))
AUNT_COUNTERPART = "uncle"  # never named in the hint: finding it is the exercise
AUNT_HINT = (
    "Start from aunt's male counterpart in the family and swap its gender with a pair of words. The pair "
    f"matters: with {AUNT_HINT_MISS[0]} \u2192 {AUNT_HINT_MISS[1]} another relative comes first; try "
    + " or ".join(f"{a} \u2192 {b}" for a, b in AUNT_HINT_PAIRS) + "."
)


def check_top_result(wv: WordVectors, expression: str, target: str = "aunt") -> Feedback:
    """Pass if ``expression``'s nearest word (inputs excluded) is ``target``.

    Using ``target`` itself in the expression does not count.
    """
    from embedcore.expressions import evaluate

    hint = AUNT_HINT if target == "aunt" else f"Think of a word like {target} and what differs from it."
    if not expression.strip():
        return Feedback(False, "Type an expression, for example  word - word + word.", hint)
    try:
        result = evaluate(expression, wv)
    except ValueError as error:
        return Feedback(False, f"The expression could not be read: {error}", hint)
    if target in {term.strip('"') for _, term in result.terms}:
        return Feedback(False, f"Using '{target}' itself is too easy - build it from other words.", hint)
    inputs = result.input_words  # left out of the answers, as in the arithmetic section
    ranking = rank_words(wv, result.vector)
    top_word, top_cos = ranking.top(1, exclude=inputs)[0]
    if top_word == target:
        return Feedback(True, f"Yes: the top result is {target} (cosine {top_cos:.3f}).")
    rank, cos = ranking.rank(target, exclude=inputs)
    return Feedback(
        False,
        f"The top result is {top_word} (cosine {top_cos:.3f}); {target} is at rank {rank} (cosine {cos:.3f}).",
        hint,
    )


# --------------------------------------------------------------------------
# 3. An axis on which nurse and engineer land on opposite sides
# --------------------------------------------------------------------------
AXIS_HINT = (
    "Think of what separates the two jobs: what they work with (machine, technology -> care, patient) "
    "or where. A gender axis such as 'male, men' -> 'female, women' splits them too: the vectors learned "
    "that stereotype from their training text."
)


def check_opposite_sides(
    wv: WordVectorsLike,
    negative: str,
    positive: str,
    first: str = "nurse",
    second: str = "engineer",
) -> Feedback:
    """Pass if ``first`` and ``second`` get coordinates of opposite sign on the axis.

    The axis runs from the mean of the ``negative`` words to the mean of the
    ``positive`` words (comma-separated); it may not use the two test words.
    """
    try:
        low, high = parse_word_list(negative, max_words=10), parse_word_list(positive, max_words=10)
    except ValueError as error:
        return Feedback(False, f"Each end of the axis needs words: {error}", AXIS_HINT)
    used = {first, second} & set(low + high)
    if used:
        return Feedback(
            False, f"The axis may not use {' or '.join(sorted(used))} itself - that would be too easy.", AXIS_HINT
        )
    try:
        axis = make_axis(wv, low, high)
        a, b = axis.coordinates(encode_texts(wv, [first, second]).vectors)
    except ValueError as error:
        return Feedback(False, str(error), AXIS_HINT)
    where = f"{first} lands at {a:+.2f} and {second} at {b:+.2f} on {axis.label}"
    if np.sign(a) * np.sign(b) < 0:
        return Feedback(True, f"Yes: {where} - opposite sides of the middle (0).")
    return Feedback(False, f"Not yet: {where} - the same side of the middle (0).", AXIS_HINT)
