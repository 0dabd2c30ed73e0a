"""A safe parser for vector expressions such as ``king - man + woman``.

Students type arithmetic on words; this module turns the text into a weighted
sum of word vectors. It never calls ``eval``: a small tokenizer splits the
text, and a recursive-descent parser follows this grammar::

    expression := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := ("+" | "-")* primary
    primary    := NUMBER | WORD | "quoted text" | "(" expression ")"
                | ("mean" | "avg") "(" expression ("," expression)* ")"

Every operation allowed here is linear (add, subtract, scale by a number,
average), so any valid expression is a linear combination of word vectors,
``sum_i w_i * u(word_i)`` with each ``u`` a unit vector. The parser computes
the weights ``w_i`` exactly; :func:`evaluate` then looks the vectors up.

* ``king - man + woman``           -> +1 king, -1 man, +1 woman
* ``0.5*king + 0.5*queen``         -> +0.5 king, +0.5 queen
* ``mean(cat, dog, puppy)``        -> +1/3 each
* ``"ice cream" - cold + hot``     -> quoted text is embedded as a phrase

Note ``-`` is always minus, so ``king-man+woman`` works without spaces. A
hyphenated word therefore needs quotes: ``"t-shirt"``.

Bad input raises ``ExpressionError`` (a ``ValueError``) that says what is
wrong and where: "position 7" counts characters from 1.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # only for type hints: parsing needs no vectors
    from embedcore.wordvectors import WordVectors

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_TERMS",
    "MAX_WEIGHT",
    "ExpressionError",
    "ExpressionResult",
    "evaluate",
    "parse",
]

MAX_LENGTH = 200  # characters
MAX_TERMS = 20  # words or quoted phrases, counting repeats
MAX_DEPTH = 10  # nested brackets / mean(...) calls
MAX_WEIGHT = 1000.0  # largest |weight| on any number or word
FUNCTIONS = ("mean", "avg")  # both average their arguments

# Weights this close to zero cancelled out (king - king); drop them.
_ZERO_WEIGHT = 1e-9
# A result vector shorter than this has no usable direction.
_ZERO_NORM = 1e-6


class ExpressionError(ValueError):
    """A vector expression that cannot be evaluated.

    Attributes
    ----------
    position : int or None
        1-based character position of the problem (as in the message), or
        ``None`` when the problem is the expression as a whole.
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True, eq=False)
class ExpressionResult:
    """The value of a vector expression.

    Attributes
    ----------
    text : str
        The expression as typed.
    vector : ndarray of shape (dim,), float32, read-only
        ``sum_i weight_i * u(term_i)``, *not* rescaled, so its length shows
        how much the terms cancelled. Use ``wv.nearest(result.vector)``.
    terms : list of (float, str)
        The parsed weighted terms, in order of first appearance, repeated
        words merged. A term is a word, or a quoted phrase such as
        ``'"ice cream"'``.
    oov_words : list of str
        Terms outside the vocabulary. They are still embedded, from word
        pieces, but they are not real vocabulary points.
    suggestions : dict of str to list of str
        For each out-of-vocabulary word, close vocabulary spellings
        ("did you mean"); possibly empty lists.
    """

    text: str
    vector: np.ndarray
    terms: list[tuple[float, str]]
    oov_words: list[str]
    suggestions: dict[str, list[str]]

    @property
    def input_words(self) -> list[str]:
        """The vocabulary words used in the expression (to exclude from neighbours)."""
        oov = set(self.oov_words)
        return [term for _, term in self.terms if term not in oov and not term.startswith('"')]


# ---------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------

# Numbers are written with the ASCII digits 0-9 (\d would also take "\uff12" or "\u0665").
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Letters (any alphabet), with apostrophes inside: king, don't, café.
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_WORDISH = re.compile(r"[\w']+")
_OPERATORS = {"+": "plus", "-": "minus", "*": "times", "/": "divide", "(": "lparen", ")": "rparen", ",": "comma"}


@dataclass(frozen=True)
class _Token:
    kind: str  # number, word, phrase, end, or a name from _OPERATORS
    text: str
    position: int  # 1-based


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in _OPERATORS:
            tokens.append(_Token(_OPERATORS[char], char, i + 1))
            i += 1
        elif char == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise ExpressionError(f"the quote at position {i + 1} is never closed", i + 1)
            phrase = " ".join(text[i + 1 : close].split())
            if not phrase:
                raise ExpressionError(f"the quotes at position {i + 1} are empty", i + 1)
            tokens.append(_Token("phrase", phrase, i + 1))
            i = close + 1
        elif (match := _NUMBER.match(text, i)) is not None:
            end = match.end()
            if end < n and (text[end].isalpha() or text[end] == "_"):
                word = _WORDISH.match(text, end).group()  # type: ignore[union-attr]
                raise ExpressionError(
                    f"missing '*' between the number {match.group()} and '{word}' at position {end + 1}: "
                    f"write {match.group()}*{word}",
                    end + 1,
                )
            tokens.append(_Token("number", match.group(), i + 1))
            i = end
        elif char.isdigit() or unicodedata.category(char) == "No":  # full-width \uff12, Arabic-Indic \u0665, \u00bd
            raise ExpressionError(
                f"'{char}' at position {i + 1} is not one of the digits 0-9: write numbers with 0-9 (2*king)",
                i + 1,
            )
        elif (match := _WORD.match(text, i)) is not None:
            end = match.end()
            if end < n and (text[end].isdigit() or text[end] == "_" or text[end] == "'"):
                bad = _WORDISH.match(text, i).group()  # type: ignore[union-attr]
                raise ExpressionError(
                    f"'{bad}' at position {i + 1} is not a word: words are letters only "
                    "(with apostrophes inside, as in don't)",
                    i + 1,
                )
            tokens.append(_Token("word", match.group(), i + 1))
            i = end
        else:
            shown = char if char.isprintable() else repr(char)
            raise ExpressionError(
                f"'{shown}' at position {i + 1} is not a word, a number or an operator "
                "(use words, numbers, + - * /, brackets and mean(...))",
                i + 1,
            )
    tokens.append(_Token("end", "", n + 1))
    return tokens


# ---------------------------------------------------------------------------
# Parser: each value is a number or a linear combination {term: weight}
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Value:
    position: int  # where the value starts, for error messages
    number: float | None = None  # set for a plain number
    weights: dict[str, float] | None = None  # set for a vector: term -> weight

    @property
    def is_vector(self) -> bool:
        return self.weights is not None


def _check_weight(weight: float, position: int) -> float:
    if not math.isfinite(weight):
        raise ExpressionError(f"the number at position {position} is not finite", position)
    if abs(weight) > MAX_WEIGHT:
        raise ExpressionError(
            f"the weight {weight:g} at position {position} is too large (the limit is ±{MAX_WEIGHT:g})",
            position,
        )
    return weight


def _scaled(value: _Value, factor: float, position: int) -> _Value:
    if value.is_vector:
        assert value.weights is not None
        weights = {t: _check_weight(w * factor, position) for t, w in value.weights.items()}
        return _Value(value.position, weights=weights)
    assert value.number is not None
    return _Value(value.position, number=_check_weight(value.number * factor, position))


class _Parser:
    """Recursive descent over the token list; one method per grammar rule."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.n_terms = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.i]

    def _previous(self) -> _Token | None:
        return self.tokens[self.i - 1] if self.i > 0 else None

    def _advance(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> _Value:
        value = self.expression(depth=0)
        token = self.token
        if token.kind == "rparen":
            raise ExpressionError(f"')' at position {token.position} has no matching '('", token.position)
        if token.kind == "comma":
            raise ExpressionError(
                f"',' at position {token.position} is only allowed inside mean(...)", token.position
            )
        if token.kind != "end":
            raise ExpressionError(
                f"missing operator before '{token.text}' at position {token.position}: "
                "join terms with +, -, * or /",
                token.position,
            )
        return value

    # expression := product (("+" | "-") product)*
    def expression(self, depth: int) -> _Value:
        left = self.product(depth)
        while self.token.kind in ("plus", "minus"):
            op = self._advance()
            right = self.product(depth)
            if not (left.is_vector and right.is_vector):
                if left.is_vector or right.is_vector:
                    raise ExpressionError(
                        f"'{op.text}' at position {op.position} mixes a number and a vector: "
                        "to weight a word, multiply it (0.5*king)",
                        op.position,
                    )
                assert left.number is not None and right.number is not None
                sign = 1.0 if op.kind == "plus" else -1.0
                left = _Value(left.position, number=_check_weight(left.number + sign * right.number, op.position))
                continue
            assert left.weights is not None and right.weights is not None
            weights = dict(left.weights)
            sign = 1.0 if op.kind == "plus" else -1.0
            for term, weight in right.weights.items():
                weights[term] = _check_weight(weights.get(term, 0.0) + sign * weight, op.position)
            left = _Value(left.position, weights=weights)
        return left

    # product := unary (("*" | "/") unary)*
    def product(self, depth: int) -> _Value:
        left = self.unary(depth)
        while self.token.kind in ("times", "divide"):
            op = self._advance()
            right = self.unary(depth)
            if op.kind == "times":
                if left.is_vector and right.is_vector:
                    raise ExpressionError(
                        f"'*' at position {op.position} multiplies two vectors: "
                        "only a number can multiply a word (0.5*king)",
                        op.position,
                    )
                # number * vector, vector * number or number * number
                scaled, factor = (right, left.number) if right.is_vector else (left, right.number)
                assert factor is not None
                scaled = _scaled(scaled, factor, op.position)
                left = _Value(left.position, number=scaled.number, weights=scaled.weights)
            else:
                if right.is_vector:
                    raise ExpressionError(
                        f"'/' at position {op.position} divides by a vector: only division by a number works",
                        op.position,
                    )
                assert right.number is not None
                if right.number == 0.0:
                    raise ExpressionError(f"division by zero at position {op.position}", op.position)
                left = _scaled(left, 1.0 / right.number, op.position)
        return left

    # unary := ("+" | "-")* primary
    def unary(self, depth: int) -> _Value:
        sign = 1.0
        start = self.token.position
        while self.token.kind in ("plus", "minus"):
            if self._advance().kind == "minus":
                sign = -sign
        value = self.primary(depth)
        if sign < 0:
            value = _scaled(value, -1.0, start)
        return _Value(start, number=value.number, weights=value.weights)

    def _missing_term(self) -> ExpressionError:
        """The error for a place where a word, number or bracket should be."""
        token, previous = self.token, self._previous()
        if previous is not None and previous.kind in ("plus", "minus", "times", "divide", "comma"):
            return ExpressionError(
                f"'{previous.text}' at position {previous.position} has nothing after it", previous.position
            )
        if token.kind in ("times", "divide"):
            return ExpressionError(f"'{token.text}' at position {token.position} has nothing before it", token.position)
        if token.kind == "rparen" and previous is not None and previous.kind == "lparen":
            return ExpressionError(f"empty brackets at position {previous.position}", previous.position)
        if token.kind == "rparen":
            return ExpressionError(f"')' at position {token.position} has no matching '('", token.position)
        if token.kind == "comma":
            return ExpressionError(f"',' at position {token.position} has nothing before it", token.position)
        if token.kind == "end" and previous is None:
            return ExpressionError("the expression is empty", None)
        return ExpressionError(f"expected a word at position {token.position}", token.position)

    def _open_bracket(self, depth: int, position: int) -> int:
        if depth + 1 > MAX_DEPTH:
            raise ExpressionError(
                f"brackets nest too deeply at position {position} (the limit is {MAX_DEPTH} levels)", position
            )
        return depth + 1

    def _close_bracket(self, opened: _Token) -> None:
        if self.token.kind != "rparen":
            if self.token.kind == "end":
                raise ExpressionError(f"'(' at position {opened.position} is never closed", opened.position)
            raise ExpressionError(
                f"expected ')' at position {self.token.position} to close the '(' at position {opened.position}",
                self.token.position,
            )
        self._advance()

    def _term(self, term: str, position: int) -> _Value:
        self.n_terms += 1
        if self.n_terms > MAX_TERMS:
            raise ExpressionError(
                f"too many terms: the one at position {position} is past the limit of {MAX_TERMS}", position
            )
        return _Value(position, weights={term: 1.0})

    # primary := NUMBER | WORD | "phrase" | "(" expression ")" | FUNCTION "(" args ")"
    def primary(self, depth: int) -> _Value:
        token = self.token
        if token.kind == "number":
            self._advance()
            return _Value(token.position, number=_check_weight(float(token.text), token.position))
        if token.kind == "phrase":
            self._advance()
            # A quoted single vocabulary word is just that word.
            key = token.text.lower()
            return self._term(key if _WORD.fullmatch(key) else f'"{key}"', token.position)
        if token.kind == "word":
            self._advance()
            if self.token.kind == "lparen":
                return self.call(token, depth)
            return self._term(token.text.lower(), token.position)
        if token.kind == "lparen":
            opened = self._advance()
            inner_depth = self._open_bracket(depth, opened.position)
            value = self.expression(inner_depth)
            self._close_bracket(opened)
            return _Value(opened.position, number=value.number, weights=value.weights)
        raise self._missing_term()

    def call(self, name: _Token, depth: int) -> _Value:
        function = name.text.lower()
        if function not in FUNCTIONS:
            raise ExpressionError(
                f"unknown function '{name.text}' at position {name.position}: "
                f"the functions are {', '.join(f + '(...)' for f in FUNCTIONS)}; "
                "to multiply, use * (2*king)",
                name.position,
            )
        opened = self._advance()
        inner_depth = self._open_bracket(depth, opened.position)
        if self.token.kind == "rparen":
            raise ExpressionError(f"{function}() at position {name.position} needs at least one word", name.position)
        arguments = [self.expression(inner_depth)]
        while self.token.kind == "comma":
            self._advance()
            arguments.append(self.expression(inner_depth))
        self._close_bracket(opened)
        weights: dict[str, float] = {}
        for argument in arguments:
            if not argument.is_vector:
                raise ExpressionError(
                    f"{function}() at position {name.position} averages vectors, but the argument at "
                    f"position {argument.position} is a plain number",
                    argument.position,
                )
            assert argument.weights is not None
            # mean(x_1..x_n) = sum_j x_j / n
            for term, weight in argument.weights.items():
                weights[term] = weights.get(term, 0.0) + weight / len(arguments)
        return _Value(name.position, weights=weights)


def parse(text: str) -> list[tuple[float, str]]:
    """Parse an expression into weighted terms, without looking up any vector.

    Parameters
    ----------
    text : str
        For example ``"king - man + woman"`` or ``"mean(cat, dog)"``.

    Returns
    -------
    list of (float, str)
        ``(weight, term)`` pairs in order of first appearance; a repeated
        term is merged, and terms whose weights cancel to zero are dropped
        (so ``king - king`` gives ``[]``). Words are lowercased; a quoted
        phrase keeps its quotes, e.g. ``'"ice cream"'``.

    Raises
    ------
    ExpressionError
        A ``ValueError`` saying what is wrong and at which position.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is too long: {len(text)} characters (the limit is {MAX_LENGTH})", MAX_LENGTH + 1
        )
    if not text.strip():
        raise ExpressionError("the expression is empty: type words joined by + and -, e.g. king - man + woman")
    value = _Parser(_tokenize(text)).parse()
    if not value.is_vector:
        raise ExpressionError(
            "the expression is a plain number, not a vector: it needs at least one word", value.position
        )
    assert value.weights is not None
    return [(weight, term) for term, weight in value.weights.items() if abs(weight) > _ZERO_WEIGHT]


def evaluate(text: str, wv: WordVectors) -> ExpressionResult:
    """Parse and evaluate a vector expression against word vectors.

    Each term becomes a unit vector: a vocabulary word's own vector, or, for
    a word or quoted phrase outside the vocabulary, ``wv.encode`` of it (built
    from its word pieces). The result is ``sum_i weight_i * u_i``.

    Parameters
    ----------
    text : str
        The expression, at most ``MAX_LENGTH`` characters.
    wv : WordVectors
        The vocabulary and encoder to use.

    Returns
    -------
    ExpressionResult

    Raises
    ------
    ExpressionError
        A ``ValueError``: bad syntax (with its position), or a result of
        (near) zero length, such as ``king - king``, which has no direction.
    """
    terms = parse(text)
    if not terms:
        raise ExpressionError(
            f"'{text.strip()}' cancels out to the zero vector, which has no direction: "
            "no word is nearer to it than any other"
        )
    vector = np.zeros(wv.dim, dtype=np.float32)
    oov_words: list[str] = []
    suggestions: dict[str, list[str]] = {}
    unknown = [term for _, term in terms if term not in wv]
    encoded = dict(zip(unknown, wv.encode([t.strip('"') for t in unknown]))) if unknown else {}
    for weight, term in terms:
        if term in wv:
            unit = wv.vector(term)
        else:
            unit = encoded[term]
            if not np.any(unit):
                raise ExpressionError(f"{term!r} could not be encoded: the model has no pieces for it")
            oov_words.append(term)
            if not term.startswith('"'):
                suggestions[term] = wv.suggest(term)
        vector += np.float32(weight) * unit
    norm = float(np.linalg.norm(vector))
    if norm < _ZERO_NORM:
        raise ExpressionError(
            f"'{text.strip()}' has (near) zero length ({norm:.1e}), so it has no direction: "
            "cosine similarity with it is undefined"
        )
    vector.flags.writeable = False
    return ExpressionResult(
        text=text, vector=vector, terms=terms, oov_words=oov_words, suggestions=suggestions
    )
