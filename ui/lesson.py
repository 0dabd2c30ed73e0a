"""Draw a lesson from its list of sections (``app_state.lessons``), and the decorator every section wears.

A page script is its lesson's table of contents: it reads the values its
sections share (the explored vectors, the embedding width) once, then calls
:func:`draw`, which draws every section in the lesson's order: a numbered
heading, then the section's own function, given the shared values it names
as parameters. The order, the numbers and the titles come from the list,
never from the section modules.

**Pacing.** For a student in a live class whose teacher has paced the lesson
(``ui.live_class.open_up_to``), a section past the pace shows its heading and
"your teacher will open this next" (``ui.live_pacing.closed_section``), and
its function is not called: no controls, charts or numbers reach the page.
Without ``?class=`` every section is drawn.

Every section's drawing function wears :func:`section`: it runs as an
``st.fragment`` (a control reruns its own section only), a failed heavy job
becomes a plain message in that section, and the section's tables end it as
one download (``ui.downloads``).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from app_state import APP
from app_state.lessons import Lesson, Section
from runtime.worker import JobError
from ui import downloads, live_class, live_pacing
from ui.heavy import plain_message

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def section(fn: F) -> F:
    """``st.fragment`` for a section: one download at its end, a plain message if a heavy job failed.

    The failed job is logged on the server; the student sees what happened
    and what to try, and every other section of the page still draws.
    """

    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        with downloads.collect() as tables:
            try:
                result = fn(*args, **kwargs)
            except JobError as error:
                log.warning("section %s: %s", fn.__qualname__, error)
                st.error(plain_message(error), icon=":material/error:")
                result = None
        downloads.menu(tables, key=APP.downloads.at(fn.__module__, fn.__qualname__))
        return result

    return st.fragment(guarded)  # type: ignore[return-value]


@functools.cache
def function_of(section: Section) -> Callable[..., Any]:
    """The function ``section.draw`` names (``"module:function"``)."""
    module, _, name = section.draw.partition(":")
    return getattr(importlib.import_module(module), name)


@functools.cache
def _parameters(fn: Callable[..., Any]) -> tuple[str, ...]:
    # A fragment wraps the section function; its signature is the function's (functools.wraps).
    return tuple(inspect.signature(fn).parameters)


def heading(section: Section) -> None:
    """The section's numbered heading, with an anchor a live class can scroll to."""
    st.header(section.heading, anchor=section.anchor)


def draw(lesson: Lesson, **shared: Any) -> None:
    """Draw ``lesson``'s sections in order, each given the ``shared`` values it asks for by name.

    A section past a live class's pace draws its heading only (see the module docstring).
    """
    open_up_to = live_class.open_up_to(lesson)
    for place, section in enumerate(lesson.sections):
        if place:
            st.divider()
        heading(section)
        if open_up_to is not None and section.number > open_up_to:
            live_pacing.closed_section(section)
            continue
        fn = function_of(section)
        fn(**{name: shared[name] for name in _parameters(fn) if name in shared})
