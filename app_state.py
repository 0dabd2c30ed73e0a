"""Every session-state key of the app, declared once.

Like TensorFlow Playground's ``state.ts``, this module is the single list of
the app's state. Pages never invent keys: they name a declared setting
(``key=FM.expression.key``), and :func:`init_page` gives it its default the
first time a session needs it, whichever page is opened first.

Two kinds of state:

* :class:`Setting` is the value of a widget (slider, select box, text input,
  toggle, ...). Its default lives here, so widgets are created *without*
  ``value=``; Streamlit then reads the value from session state. Settings
  survive page switches (see :func:`persist_settings`).
* :class:`Store` is non-widget state a page keeps for the session: an
  experiment log, a student's vote, an edited table. Each session gets a
  fresh copy of the default from its ``factory``, so one student's list is
  never another's.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import streamlit as st


@dataclass(frozen=True)
class Setting:
    """A widget's value in session state.

    Parameters
    ----------
    key : str
        The session-state key, ``"<page>.<name>"``.
    default : Any
        The value a new session starts with. Its type is the setting's type.
    url : str, optional
        Name of the URL query parameter that mirrors this setting, for the
        page's main controls, so a copied link reproduces the view.
    choices : tuple, optional
        The allowed values (select boxes, radios). A URL value outside them
        is ignored.
    bounds : (low, high), optional
        Inclusive numeric range (sliders, number inputs). A URL value outside
        it is ignored.
    """

    key: str
    default: Any
    url: str | None = None
    choices: tuple[Any, ...] | None = None
    bounds: tuple[float, float] | None = None


@dataclass(frozen=True)
class Store:
    """Non-widget session state, created fresh per session by ``factory``."""

    key: str
    factory: Callable[[], Any] = field(default=dict)


class _Page:
    """A namespace of one page's settings; iterate it to get them all."""

    @classmethod
    def items(cls) -> Iterator[Setting | Store]:
        for value in vars(cls).values():
            if isinstance(value, (Setting, Store)):
                yield value


# --------------------------------------------------------------------------
# Home
# --------------------------------------------------------------------------
class HOME(_Page):
    """The home page has no controls."""


# --------------------------------------------------------------------------
# 1. Format matters
# --------------------------------------------------------------------------
class FM(_Page):
    """Settings of the "Format matters" page."""


# --------------------------------------------------------------------------
# 2. Imperfect information
# --------------------------------------------------------------------------
class II(_Page):
    """Settings of the "Imperfect information" page."""


# --------------------------------------------------------------------------
# 3. Features, embeddings & losses
# --------------------------------------------------------------------------
class FE(_Page):
    """Settings of the "Features, embeddings & losses" page."""


# --------------------------------------------------------------------------
# App-wide
# --------------------------------------------------------------------------
class APP(_Page):
    """Settings shared by every page."""


ALL_PAGES: tuple[type[_Page], ...] = (APP, HOME, FM, II, FE)


def all_settings() -> Iterator[Setting | Store]:
    """Every declared setting and store of every page."""
    for page in ALL_PAGES:
        yield from page.items()


def init_page(page: type[_Page]) -> None:
    """Give each of ``page``'s settings its default if this session lacks it.

    Call it at the top of every page, so that any page works when it is the
    first one a student opens.
    """
    state = st.session_state
    for item in (*APP.items(), *page.items()):
        if item.key in state:
            continue
        if isinstance(item, Store):
            state[item.key] = item.factory()
        else:
            # deepcopy: a list default must never be shared between sessions.
            state[item.key] = copy.deepcopy(item.default)


def persist_settings() -> None:
    """Keep widget values when the student switches pages.

    Streamlit forgets a widget's key at the end of a run in which the widget
    was not drawn. Re-assigning the value turns it into plain session state,
    which survives until the widget is drawn again.
    """
    state = st.session_state
    for item in all_settings():
        if isinstance(item, Setting) and item.key in state:
            state[item.key] = state[item.key]
