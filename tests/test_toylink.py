"""The toy table in a link (embedcore.toylink): written compactly, read back exactly, and nothing else read."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embedcore import toylink, toyplane

STARTER = [[w, g, r, a] for w, g, r, a in toyplane.STARTER_WORDS]


def test_the_starter_table_is_the_empty_link() -> None:
    assert toylink.table_to_link(STARTER) == ""
    assert toylink.table_from_link("") == toylink.starter_rows()
    assert toylink.table_to_link([]) == ""  # no positions to carry: the starter table


def test_a_moved_table_reads_back_as_it_was_cleaned() -> None:
    rows = [["king", 1, 1, 0], ["queen", -1, 1, None], ["man", 1, 0, 0], ["Woman ", -0.5, 0.04, 0],
            ["old  duke", 0.8, 0.6, 1], ["a;b:c,d%", 1, 1, 0], ["", 1, 1, 0], ["bad", "x", 1, 0]]
    text = toylink.table_to_link(rows)
    assert text == "king:1,1;queen:-1,1;man:1,0;woman:-0.5,0.04;old duke:0.8,0.6,1;a%3Bb%3Ac%2Cd%25:1,1"
    assert toylink.table_from_link(text) == toylink.table_rows(rows)
    assert [r[0] for r in toylink.table_from_link(text)] == ["king", "queen", "man", "woman", "old duke", "a;b:c,d%"]


@pytest.mark.parametrize(("text", "match"), [
    ("king", "needs 'word:gender,royalty'"),
    ("king:1", "two or three numbers"),
    ("king:1,1,1,1", "two or three numbers"),
    ("king:1.234,1", "two or three numbers"),
    ("king:\u0665,1", "two or three numbers"),  # an Arabic-Indic five: int() would read it
    ("king:1e1,1", "two or three numbers"),
    ("king:6,1", "between -5 and 5"),
    ("King:1,1", "not a word of the table"),
    ("a  b:1,1", "not a word of the table"),
    (":1,1", "not a word of the table"),
    ("%zz:1,1", "as a link writes it"),
    ("king:1,1;king:2,2", "given twice"),
    (";".join(f"w{i}:1,1" for i in range(toylink.MAX_ROWS + 1)), "more than"),
    ("w" * (toylink.MAX_LENGTH + 1), "longer than"),
])
def test_anything_else_is_refused_with_a_reason(text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        toylink.table_from_link(text)
    assert not toylink.is_table_link(text)


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)
coordinate = st.floats(min_value=-5, max_value=5, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(words, coordinate, coordinate, coordinate), max_size=60))
def test_any_table_round_trips_through_its_link(rows: list) -> None:
    text = toylink.table_to_link([list(r) for r in rows])
    assert len(text) <= toylink.MAX_LENGTH
    back = toylink.table_from_link(text)
    clean = toylink.table_rows([list(r) for r in rows])
    assert back == (clean if clean else toylink.starter_rows())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_no_text_breaks_the_reader(text: str) -> None:
    try:
        rows = toylink.table_from_link(text)
    except ValueError:
        return
    assert len(rows) <= toylink.MAX_ROWS
    assert all(toyplane.clean_name(w) == w and all(-5 <= v <= 5 for v in (g, r, a)) for w, g, r, a in rows)
