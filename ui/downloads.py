"""One download per section: every table a section's charts show, offered as CSV in one place.

A chart drawn with ``show_chart(..., data=...)`` hands its numbers here
(:func:`offer`). Inside a lesson section (``ui.lesson.section``) they are
collected while the section draws, and the section ends with one download:
a button when there is one table, a fold of buttons when there are several.
Outside a section (the live class page), a chart's table gets its own
button under it, as before.

Tables are built only when clicked: ``data`` may be a function that makes
the table. A file that is no CSV table (an Embedding Projector TSV) is offered
the same way, with its own ``file_name`` and ``mime``: its ``data`` is, or
makes, the file's text.
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
CSV = "text/csv"


@dataclass(frozen=True)
class Table:
    """A file offered for download: what to call it, the numbers (or how to make them) and the button's key.

    ``file_name`` and ``mime`` are set for a file that is no CSV table; its
    ``data`` is then, or makes, the file's text.
    """

    name: str
    data: TableMaker | str | Callable[[], str]
    key: str
    file_name: str = ""
    mime: str = CSV


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


def _csv(data: TableMaker | str | Callable[[], str]) -> bytes:
    """The file's bytes: the CSV of a chart's numbers (``data`` or what it returns), or its text, as UTF-8."""
    table = data() if callable(data) else data
    if isinstance(table, str):
        return table.encode("utf-8")
    return table.to_csv(index=False).encode("utf-8")


def _button(table: Table, label: str) -> None:
    st.download_button(
        label,
        # Written when the student clicks, not on every rerun (to_csv was ~5% of a page's run); a file
        # already written as text goes as it is.
        data=table.data.encode("utf-8") if isinstance(table.data, str) else functools.partial(_csv, table.data),
        file_name=table.file_name or f"{_slug(table.name)}.csv",
        mime=table.mime,
        key=table.key,
        icon=":material/download:",
    )


def _single_label(table: Table) -> str:
    """A lone button's label: the usual one for a chart's CSV, the file's own name for any other file."""
    return "Download the numbers (CSV)" if table.mime == CSV else table.name


def offer(name: str, data: TableMaker | str | Callable[[], str], *, key: str, file_name: str = "",
          mime: str = CSV) -> None:
    """Offer a chart's numbers as ``<name>.csv`` (or another file, named ``file_name``): into the section's
    download, or as a button of its own."""
    table = Table(name, data, key, file_name, mime)
    stack = _stack()
    if stack:
        stack[-1].append(table)
    else:
        _button(table, _single_label(table))


def menu(tables: list[Table], *, key: str) -> None:
    """The section's one download: a button for one table, a fold of buttons for several."""
    if len(tables) == 1:
        _button(tables[0], _single_label(tables[0]))
    elif tables:
        kind = " (CSV): {} tables" if all(t.mime == CSV for t in tables) else ": {} files"
        with st.expander("Download the numbers" + kind.format(len(tables)), icon=":material/download:", key=key):
            for table in tables:
                _button(table, table.name)
