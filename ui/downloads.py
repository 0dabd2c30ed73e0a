"""One download per section: every table a section's charts show, offered as CSV in one place.

A chart drawn with ``show_chart(..., data=...)`` hands its numbers here
(:func:`offer`). Inside a lesson section (``ui.lesson.section``) they are
collected while the section draws, and the section ends with one download:
a button when there is one table, a fold of buttons when there are several.
Outside a section (the live class page), a chart's table gets its own
button under it, as before.

Tables are built only when clicked: ``data`` may be a function that makes
the table.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
import streamlit as st

TableMaker = pd.DataFrame | Callable[[], pd.DataFrame]


@dataclass(frozen=True)
class Table:
    """A table offered for download: what to call it, the numbers (or how to make them) and the button's key."""

    name: str
    data: TableMaker
    key: str


# Sections being drawn on this script thread, innermost last (a fragment's rerun runs on its own thread).
_sections = threading.local()


def _stack() -> list[list[Table]]:
    if not hasattr(_sections, "stack"):
        _sections.stack = []
    return _sections.stack


@contextmanager
def collect() -> Iterator[list[Table]]:
    """Collect the tables the charts drawn in this block offer (see :func:`menu`)."""
    tables: list[Table] = []
    stack = _stack()
    stack.append(tables)
    try:
        yield tables
    finally:
        stack.pop()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "data"


def _csv(data: TableMaker) -> bytes:
    """The CSV of a chart's numbers (``data`` or what it returns), as UTF-8."""
    table = data() if callable(data) else data
    return table.to_csv(index=False).encode("utf-8")


def _button(table: Table, label: str) -> None:
    st.download_button(
        label,
        # Written when the student clicks, not on every rerun (to_csv was ~5% of a page's run).
        data=functools.partial(_csv, table.data),
        file_name=f"{_slug(table.name)}.csv",
        mime="text/csv",
        key=table.key,
        icon=":material/download:",
    )


def offer(name: str, data: TableMaker, *, key: str) -> None:
    """Offer a chart's numbers as ``<name>.csv``: into the section's download, or as a button of its own."""
    table = Table(name, data, key)
    stack = _stack()
    if stack:
        stack[-1].append(table)
    else:
        _button(table, "Download the numbers (CSV)")


def menu(tables: list[Table], *, key: str) -> None:
    """The section's one download: a button for one table, a fold of buttons for several."""
    if len(tables) == 1:
        _button(tables[0], "Download the numbers (CSV)")
    elif tables:
        with st.expander(f"Download the numbers (CSV): {len(tables)} tables", icon=":material/download:", key=key):
            for table in tables:
                _button(table, table.name)
