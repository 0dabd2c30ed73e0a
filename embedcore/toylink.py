"""The toy table in a link: a compact, checked text form of the words and their coordinates.

A shared link carries the student's toy table (the words they added, and
where they dragged them) as one query parameter::

    king:1,1;queen:-1,1;man:1,0;woman:-0.5,0;duke:0.8,0.6,1

Rows are separated by ``;``; each row is ``word:gender,royalty`` with an
optional third number, age (left out when it is 0). A word is percent-encoded
where it holds ``%``, ``;``, ``:`` or ``,``. The starter table is the empty
string, so a link to the lesson as it opens carries nothing.

What comes back in a link comes from anyone: :func:`table_from_link` takes
only what :func:`table_to_link` could have written - at most
:data:`MAX_ROWS` rows, words that are already clean (as
:func:`embedcore.toyplane.clean_table` writes them) and at most
:data:`~embedcore.toyplane.MAX_NAME_LENGTH` long, each once, numbers of the
form ``-1.25`` inside :data:`BOUNDS` - and raises ``ValueError`` on anything
else, so a page can name the bad parameter instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote, unquote

from embedcore.toyplane import AXES_3D, MAX_NAME_LENGTH, MAX_WORDS, STARTER_WORDS, clean_table

#: The range of every coordinate: the toy table's number columns and the draggable plane's.
BOUNDS: tuple[float, float] = (-5.0, 5.0)
MAX_ROWS = MAX_WORDS
#: The longest link text read: every row at its longest, percent-encoded (3 characters a letter at worst).
MAX_LENGTH = MAX_ROWS * (3 * MAX_NAME_LENGTH + 3 * 6 + 4)

Row = tuple[str, float, float, float]  # word, gender, royalty, age

# A coordinate as the link writes it: ASCII digits, at most two decimals (int() would also read "\u0665" or "1_0").
_NUMBER = re.compile(r"-?[0-9]{1,2}(?:\.[0-9]{1,2})?")
_SAFE = " '!()*-._~"  # kept as they are in a word; letters and digits always are


def _number_text(value: float) -> str:
    """``value`` to two decimals, as short as it goes: 1, -0.5, 0.25 (never "-0")."""
    return f"{round(float(value), 2) + 0.0:g}"


def starter_rows() -> list[Row]:
    """The starter table's rows (what the empty link text means)."""
    return [(w, float(g), float(r), float(a)) for w, g, r, a in STARTER_WORDS]


def table_rows(rows: Iterable[Sequence[object]]) -> list[Row]:
    """The usable rows of a student's table ``(word, gender, royalty[, age])``, cleaned as the plane cleans them.

    Rows the plane leaves out (an empty word, a cell that is no number, a
    repeated word) are left out here too; an empty age is 0; coordinates are
    clamped to :data:`BOUNDS` and rounded to two decimals, as the link keeps them.
    """
    plane, _ = clean_table(rows, AXES_3D, empty_is_zero=("age",))
    lo, hi = BOUNDS
    return [(name, *(round(min(hi, max(lo, float(v))), 2) + 0.0 for v in coords))  # type: ignore[misc]
            for name, coords in zip(plane.names, plane.coords)]


def table_to_link(rows: Iterable[Sequence[object]]) -> str:
    """The link text of a table (rows of word, gender, royalty and optionally age); ``""`` for the starter table.

    An empty table has no positions to carry, so it links as the starter table too.
    """
    clean = table_rows(rows)
    if not clean or clean == starter_rows():
        return ""
    parts = []
    for word, *coords in clean:
        numbers = coords if coords[2] != 0 else coords[:2]
        parts.append(f"{quote(word, safe=_SAFE)}:{','.join(_number_text(v) for v in numbers)}")
    return ";".join(parts)


def _read_row(text: str, seen: set[str]) -> Row:
    name, colon, numbers = text.partition(":")
    if not colon:
        raise ValueError(f"a row needs 'word:gender,royalty', got '{text[:40]}'")
    word = unquote(name, errors="strict")
    if quote(word, safe=_SAFE) != name:  # only the form table_to_link writes: one text per table
        raise ValueError(f"'{name[:40]}' is not a word as a link writes it")
    if not word or word != " ".join(word.split()).lower() or len(word) > MAX_NAME_LENGTH:
        raise ValueError(f"'{word[:40]}' is not a word of the table (lower case, single spaces, at most "
                         f"{MAX_NAME_LENGTH} characters)")
    if word in seen:
        raise ValueError(f"'{word}' is given twice")
    cells = numbers.split(",")
    if len(cells) not in (2, 3) or not all(_NUMBER.fullmatch(c) for c in cells):
        raise ValueError(f"'{word}' needs two or three numbers such as 1,-0.5, got '{numbers[:40]}'")
    values = [float(c) for c in cells] + [0.0] * (3 - len(cells))
    lo, hi = BOUNDS
    if not all(lo <= v <= hi for v in values):
        raise ValueError(f"the numbers of '{word}' must lie between {lo:g} and {hi:g}")
    seen.add(word)
    return (word, *(v + 0.0 for v in values))  # type: ignore[return-value]


def table_from_link(text: str) -> list[Row]:
    """The rows a link text stands for (the starter table for ``""``); ``ValueError`` if it is not one."""
    if text == "":
        return starter_rows()
    if len(text) > MAX_LENGTH:
        raise ValueError(f"the table is longer than {MAX_LENGTH} characters")
    parts = text.split(";")
    if len(parts) > MAX_ROWS:
        raise ValueError(f"the table has more than {MAX_ROWS} rows")
    seen: set[str] = set()
    return [_read_row(part, seen) for part in parts]


def is_table_link(text: str) -> bool:
    """Whether ``text`` is a link text :func:`table_from_link` reads."""
    try:
        table_from_link(text)
    except ValueError:
        return False
    return True
