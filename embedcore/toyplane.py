"""A hand-made embedding: concepts as coordinates.

Before any real word vectors, the lesson builds an embedding by hand. Each
axis *is* a concept: x is gender (+1 male, -1 female), y is royal status
(1 royal, 0 not), and an optional third axis is age (-1 child, 0 adult,
+1 old). With coordinates like these, concepts become computable:

* **add and subtract** - ``king - man + woman`` lands exactly on ``queen``;
* **average** - the midpoint of ``king`` and ``queen`` is ``[0, 1]``, "royal,
  neither male nor female";
* **compare** - Euclidean distance and cosine similarity say how alike two
  words are.

The same words written as one-hot vectors (:func:`one_hot`) hold the same
information but allow none of this: every pair is equally far apart.

References
----------
Mikolov, Yih & Zweig (2013), "Linguistic Regularities in Continuous Space
Word Representations", NAACL - the king - man + woman = queen observation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore.distances import cosine_similarity, pairwise_distances

AXES_2D: tuple[str, str] = ("gender", "royalty")
AXES_3D: tuple[str, str, str] = ("gender", "royalty", "age")

#: The four words the plane starts with: (word, gender, royalty, age).
#: Age 0 means "adult", so these sit on the 2-D plane inside the 3-D space.
STARTER_WORDS: tuple[tuple[str, float, float, float], ...] = (
    ("king", 1.0, 1.0, 0.0),
    ("queen", -1.0, 1.0, 0.0),
    ("man", 1.0, 0.0, 0.0),
    ("woman", -1.0, 0.0, 0.0),
)

#: Words that only make sense once age is an axis (child -1, old +1).
AGE_WORDS: tuple[tuple[str, float, float, float], ...] = (
    ("boy", 1.0, 0.0, -1.0),
    ("girl", -1.0, 0.0, -1.0),
    ("prince", 1.0, 1.0, -1.0),
    ("princess", -1.0, 1.0, -1.0),
    ("old man", 1.0, 0.0, 1.0),
    ("old woman", -1.0, 0.0, 1.0),
    ("old king", 1.0, 1.0, 1.0),
    ("old queen", -1.0, 1.0, 1.0),
)

MAX_WORDS = 50

#: The royalty *area*: an ellipse around [0, 1] (gender, royalty), half-widths 1.5 and 0.5. Royalty is a region
#: of the plane, not only the +y direction: king [1, 1] and queen [-1, 1] are inside, man and woman are not.
ROYAL_AREA_CENTRE: tuple[float, float] = (0.0, 1.0)
ROYAL_AREA_HALF_WIDTHS: tuple[float, float] = (1.5, 0.5)


def in_royal_area(points: ArrayLike) -> NDArray[np.bool_]:
    """Whether each point (n_points, >= 2), gender and royalty first, lies in the royalty area (edge included)."""
    P = np.atleast_2d(np.asarray(points, dtype=np.float64))
    if P.shape[1] < 2:
        raise ValueError(f"points need a gender and a royalty coordinate, got shape {P.shape}")
    (cx, cy), (rx, ry) = ROYAL_AREA_CENTRE, ROYAL_AREA_HALF_WIDTHS
    return ((P[:, 0] - cx) / rx) ** 2 + ((P[:, 1] - cy) / ry) ** 2 <= 1.0 + 1e-12
MAX_NAME_LENGTH = 30


# --------------------------------------------------------------------------
# Private helpers
# --------------------------------------------------------------------------
def _to_float(value: object) -> float | None:
    """``value`` as a finite float, or None if it is not a usable number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _is_empty(value: object) -> bool:
    """True for a blank table cell: None, NaN or an empty string."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def clean_name(value: object) -> str:
    """A table cell's word as the plane names it: single spaces, lower case; "" for a blank cell."""
    return "" if _is_empty(value) else " ".join(str(value).split()).lower()


# --------------------------------------------------------------------------
# The plane
# --------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ToyPlane:
    """Words with hand-made coordinates.

    Parameters
    ----------
    names : tuple of str, length n_words
        Unique, non-empty word names.
    coords : ndarray of shape (n_words, n_axes)
        Finite coordinates, one row per word.
    axes : tuple of str, length n_axes
        What each coordinate means, e.g. ``("gender", "royalty")``.
    """

    names: tuple[str, ...]
    coords: NDArray[np.float64]
    axes: tuple[str, ...] = field(default=AXES_2D)

    def __post_init__(self) -> None:
        coords = np.array(self.coords, dtype=np.float64)
        if coords.ndim != 2 or coords.shape != (len(self.names), len(self.axes)):
            raise ValueError(
                f"coords must have shape ({len(self.names)}, {len(self.axes)}), got {coords.shape}"
            )
        if len(set(self.names)) != len(self.names):
            raise ValueError("word names must be unique")
        if not np.all(np.isfinite(coords)):
            raise ValueError("coordinates must be finite numbers")
        coords.setflags(write=False)  # the plane is a value: nobody edits it in place
        object.__setattr__(self, "coords", coords)
        object.__setattr__(self, "names", tuple(self.names))

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __len__(self) -> int:
        return len(self.names)

    def vector(self, name: str) -> NDArray[np.float64]:
        """The coordinates of ``name``, shape (n_axes,)."""
        try:
            return self.coords[self.names.index(name)]
        except ValueError:
            raise KeyError(f"{name!r} is not on the plane") from None

    def nearest(
        self, point: ArrayLike, k: int = 3, exclude: Iterable[str] = ()
    ) -> list[tuple[str, float]]:
        """The ``k`` words closest to ``point`` by Euclidean distance.

        Parameters
        ----------
        point : array-like of shape (n_axes,)
        k : int
        exclude : iterable of str
            Words to leave out.

        Returns
        -------
        list of (word, distance), closest first; ties keep table order.
        """
        point = np.asarray(point, dtype=np.float64)
        if point.shape != (len(self.axes),):
            raise ValueError(f"point must have shape ({len(self.axes)},), got {point.shape}")
        skip = set(exclude)
        distances = np.linalg.norm(self.coords - point, axis=1)
        # A stable sort keeps table order among ties (king and queen are both 1 from [0, 1]).
        order = np.argsort(distances, kind="stable")
        ranked = [(self.names[i], float(distances[i])) for i in order if self.names[i] not in skip]
        return ranked[:k]

    def with_words(self, rows: Iterable[tuple[str, Sequence[float]]]) -> ToyPlane:
        """A new plane with ``rows`` added; words already on the plane keep their place."""
        names, coords = list(self.names), [list(c) for c in self.coords]
        for name, coord in rows:
            if name not in names:
                names.append(name)
                coords.append(list(coord))
        return ToyPlane(tuple(names), np.array(coords, dtype=np.float64).reshape(-1, len(self.axes)), self.axes)


def starter_plane(three_d: bool = False) -> ToyPlane:
    """The four starter words; with ``three_d`` also the age words (boy, prince, ...)."""
    rows = STARTER_WORDS + (AGE_WORDS if three_d else ())
    axes = AXES_3D if three_d else AXES_2D
    coords = np.array([row[1 : 1 + len(axes)] for row in rows], dtype=np.float64)
    return ToyPlane(tuple(row[0] for row in rows), coords, axes)


def clean_table(
    rows: Iterable[Sequence[object]],
    axes: Sequence[str] = AXES_2D,
    *,
    max_words: int = MAX_WORDS,
    empty_is_zero: Sequence[str] = (),
) -> tuple[ToyPlane, list[str]]:
    """Turn a student's edited table into a plane, keeping every usable row.

    A student edits the table freely, so instead of failing on the first bad
    cell we keep the good rows and explain each bad one.

    Parameters
    ----------
    rows : iterable of sequences ``(name, coord_1, ..., coord_d)``
        Raw table rows; cells may be None, NaN, text or numbers.
    axes : sequence of str, length d
        The axis names, used in messages and kept on the plane.
    max_words : int
        Rows beyond this many are dropped (a bounded table stays readable).
    empty_is_zero : sequence of str
        Axes on which an empty cell means 0, e.g. ``("age",)``: a word added
        while the plane was 2-D is an adult.

    Returns
    -------
    plane : ToyPlane
        The valid rows, in table order.
    problems : list of str
        One plain-language message per dropped row or cell (1-based rows).
    """
    axes = tuple(axes)
    names: list[str] = []
    coords: list[list[float]] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        row = list(row)
        raw_name = row[0] if row else None
        name = clean_name(raw_name)
        if not name:
            problems.append(f"Row {number}: the word is empty, so the row is left out.")
            continue
        if len(name) > MAX_NAME_LENGTH:
            problems.append(
                f"Row {number}: '{name[:MAX_NAME_LENGTH]}...' is longer than {MAX_NAME_LENGTH} characters."
            )
            continue
        if name in names:
            problems.append(f"Row {number}: '{name}' is already in the table; only its first row is used.")
            continue
        cells = row[1 : 1 + len(axes)]
        cells += [None] * (len(axes) - len(cells))
        values = [
            0.0 if axis in empty_is_zero and _is_empty(cell) else _to_float(cell) for axis, cell in zip(axes, cells)
        ]
        bad = [axis for axis, v in zip(axes, values) if v is None]
        if bad:
            problems.append(
                f"Row {number} ('{name}'): {' and '.join(bad)} must be a number, so the row is left out."
            )
            continue
        if len(names) >= max_words:
            problems.append(f"The table is limited to {max_words} words; rows after {max_words} are left out.")
            break
        names.append(name)
        coords.append([float(v) for v in values])  # type: ignore[arg-type]
    array = np.array(coords, dtype=np.float64).reshape(len(names), len(axes))
    return ToyPlane(tuple(names), array, axes), problems


# --------------------------------------------------------------------------
# Operations
# --------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ToyResult:
    """The outcome of an operation on the plane.

    Attributes
    ----------
    point : ndarray of shape (n_axes,)
        Where the operation lands.
    path : ndarray of shape (n_steps + 1, n_axes)
        For arithmetic, the head-to-tail route from the origin: row 0 is the
        origin and row i the running total after term i. For an average, the
        chosen words' points.
    nearest : list of (word, distance)
        The closest words to ``point``, closest first.
    """

    point: NDArray[np.float64]
    path: NDArray[np.float64]
    nearest: list[tuple[str, float]]


def arithmetic(plane: ToyPlane, terms: Sequence[tuple[float, str]], k: int = 3) -> ToyResult:
    """Add and subtract words: ``[(+1, "king"), (-1, "man"), (+1, "woman")]``.

    The result is the running sum ``sum_i sign_i * v(word_i)``; ``path`` holds
    every partial sum so the page can draw the terms as arrows, head to tail.

    Parameters
    ----------
    plane : ToyPlane
    terms : sequence of (sign, word)
        Signs are +1 or -1 (any float weight works).
    k : int
        How many nearest words to return.
    """
    if not terms:
        raise ValueError("choose at least one word")
    steps = [np.zeros(len(plane.axes))]
    for sign, word in terms:
        steps.append(steps[-1] + float(sign) * plane.vector(word))
    path = np.vstack(steps)
    return ToyResult(point=path[-1], path=path, nearest=plane.nearest(path[-1], k=k))


def midpoint(plane: ToyPlane, words: Sequence[str], k: int = 3) -> ToyResult:
    """The mean of the chosen words' coordinates: the conceptual midpoint.

    ``midpoint(plane, ["king", "queen"]).point == [0, 1]``: royal, and halfway
    between male and female.
    """
    if not words:
        raise ValueError("choose at least one word to average")
    points = np.vstack([plane.vector(w) for w in words])
    centre = points.mean(axis=0)
    return ToyResult(point=centre, path=points, nearest=plane.nearest(centre, k=k))


#: The signs a term can take in the page's menus; "(none)" ends the expression there.
SIGNS: dict[str, float] = {"+": 1.0, "-": -1.0}


def signed_terms(first: str, *rest: tuple[str, str]) -> list[tuple[float, str]]:
    """Terms for :func:`arithmetic` from menu choices: ``signed_terms("king", ("-", "man"), ("+", "woman"))``.

    Each of ``rest`` is (sign, word) with sign "+" or "-"; a sign of "(none)"
    (any other sign) ends the expression there.
    """
    terms = [(1.0, first)]
    for sign, word in rest:
        if sign not in SIGNS:
            break
        terms.append((SIGNS[sign], word))
    return terms


def expression_text(terms: Sequence[tuple[float, str]]) -> str:
    """``[(1, "king"), (-1, "man")]`` as ``"king - man"``."""
    if not terms:
        return ""
    return " ".join([terms[0][1]] + [f"{'+' if w > 0 else '-'} {word}" for w, word in terms[1:]])


@dataclass(frozen=True)
class ClassicResults:
    """The lesson's two classic results, computed on a plane.

    Attributes
    ----------
    on_starter : bool
        True if the plane lacked one of king, man, woman, queen, so the
        starter plane was used instead.
    analogy : ToyResult
        ``king - man + woman``.
    exact : bool
        Whether the analogy lands exactly on its nearest word.
    midpoint : ndarray of shape (n_axes,)
        The midpoint of king and queen.
    royal_and_neutral : bool
        Whether that midpoint is [0, 1] on gender and royalty: royal, neither
        male nor female.
    difference : ndarray of shape (n_axes,)
        ``king - man``: subtracting man takes the maleness out of king and
        leaves royalty ([0, 1] on the starter table).
    royal : tuple of str
        The plane's words inside the royalty area (:func:`in_royal_area`), in
        table order: royalty is an area of the plane, not one point.
    """

    on_starter: bool
    analogy: ToyResult
    exact: bool
    midpoint: NDArray[np.float64]
    royal_and_neutral: bool
    difference: NDArray[np.float64]
    royal: tuple[str, ...]


CLASSIC_WORDS: tuple[str, ...] = ("king", "man", "woman", "queen")


def classic_results(plane: ToyPlane, three_d: bool = False) -> ClassicResults:
    """king - man + woman and the midpoint of king and queen, on ``plane`` or, if a word is gone, the starter plane."""
    on_starter = not all(word in plane for word in CLASSIC_WORDS)
    if on_starter:
        plane = starter_plane(three_d)
    analogy = arithmetic(plane, [(1.0, "king"), (-1.0, "man"), (1.0, "woman")])
    middle = midpoint(plane, ["king", "queen"]).point
    inside = in_royal_area(plane.coords) if len(plane) else np.zeros(0, dtype=bool)
    return ClassicResults(
        on_starter=on_starter,
        analogy=analogy,
        exact=analogy.nearest[0][1] < 1e-9,
        midpoint=middle,
        royal_and_neutral=bool(np.allclose(middle[:2], [0.0, 1.0])),
        difference=analogy.path[2],  # the running sum after king, then - man
        royal=tuple(w for w, i in zip(plane.names, inside) if i),
    )


@dataclass(frozen=True)
class Comparison:
    """How alike two points are.

    Attributes
    ----------
    distance : float
        Euclidean distance ``|a - b|``; 0 means identical.
    cosine : float
        ``a.b / (|a| |b|)`` in [-1, 1]: 1 same direction, 0 unrelated,
        -1 opposite. NaN if either point is the origin (it has no direction).
    """

    distance: float
    cosine: float


def compare(a: ArrayLike, b: ArrayLike) -> Comparison:
    """Euclidean distance and cosine similarity of two vectors of equal shape (d,)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"a and b must be 1-D vectors of the same length, got {a.shape} and {b.shape}")
    return Comparison(distance=float(np.linalg.norm(a - b)), cosine=cosine_similarity(a, b))


# --------------------------------------------------------------------------
# Why not one-hot?
# --------------------------------------------------------------------------
def one_hot(n_words: int) -> NDArray[np.float64]:
    """One-hot codes for ``n_words`` words: the identity matrix, shape (n_words, n_words).

    Word i is a 1 in column i and 0 elsewhere. It identifies the word and
    nothing else: no two words share a coordinate.
    """
    if n_words < 0:
        raise ValueError(f"n_words must be >= 0, got {n_words}")
    return np.eye(n_words)


@dataclass(frozen=True, eq=False)
class FormatAverage:
    """The average of two words in one format, decoded back to the table.

    Attributes
    ----------
    point : ndarray of shape (d,)
    distances : ndarray of shape (n_words,)
        Distance from ``point`` to every word, in table order.
    """

    point: NDArray[np.float64]
    distances: NDArray[np.float64]


def average_in_format(X: ArrayLike, i: int, j: int) -> FormatAverage:
    """Average rows ``i`` and ``j`` of ``X`` (n, d) and measure the distance to every row.

    With one-hot rows the average is ``[.., 0.5, .., 0.5, ..]``: equally close
    to the two words and equally far from all others - it names no new idea.
    With an embedding, the average is a point with a meaning of its own.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not (0 <= i < len(X) and 0 <= j < len(X)):
        raise ValueError(f"i and j must index rows of X (n={len(X)}), got {i} and {j}")
    point = (X[i] + X[j]) / 2.0
    return FormatAverage(point=point, distances=np.linalg.norm(X - point, axis=1))


@dataclass(frozen=True, eq=False)
class FormatComparison:
    """The same words in two formats: one-hot and the hand-made embedding.

    Attributes
    ----------
    one_hot : ndarray of shape (n_words, n_words)
    one_hot_distances, embedding_distances : ndarray of shape (n_words, n_words)
    one_hot_average, embedding_average : FormatAverage
        The average of the two chosen words in each format.
    """

    one_hot: NDArray[np.float64]
    one_hot_distances: NDArray[np.float64]
    embedding_distances: NDArray[np.float64]
    one_hot_average: FormatAverage
    embedding_average: FormatAverage


def compare_formats(plane: ToyPlane, first: str, second: str) -> FormatComparison:
    """Distances and the average of ``first`` and ``second``, one-hot versus embedded."""
    for word in (first, second):
        if word not in plane:
            raise KeyError(f"{word!r} is not on the plane")
    i, j = plane.names.index(first), plane.names.index(second)
    codes = one_hot(len(plane))
    return FormatComparison(
        one_hot=codes,
        one_hot_distances=pairwise_distances(codes),
        embedding_distances=pairwise_distances(plane.coords),
        one_hot_average=average_in_format(codes, i, j),
        embedding_average=average_in_format(plane.coords, i, j),
    )
