"""Draw a lesson from its list of sections (``app_state.lessons``).

A page script is its lesson's table of contents: it reads the values its
sections share (the explored vectors, the embedding width) once, then calls
:func:`draw`, which draws every section in the lesson's order: a numbered
heading, then the section's own function, given the shared values it names
as parameters. The order, the numbers and the titles come from the list,
never from the section modules.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from typing import Any

import streamlit as st

from app_state.lessons import Lesson, Section


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
    """Draw ``lesson``'s sections in order, each given the ``shared`` values it asks for by name."""
    for place, section in enumerate(lesson.sections):
        if place:
            st.divider()
        heading(section)
        fn = function_of(section)
        fn(**{name: shared[name] for name in _parameters(fn) if name in shared})
