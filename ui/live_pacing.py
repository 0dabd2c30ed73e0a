"""Pacing and pause in a live class: how far each lesson is open, and "eyes on me".

* **The student's side.** ``ui.lesson.draw`` asks ``ui.live_class.open_up_to``
  how far a lesson is open; a section past the pace shows its heading and
  :func:`closed_section` (no controls, charts or numbers: its function is not
  called). While the class is paused, the poll fragment of ``ui.live_class``
  draws :func:`paused_layer`, which dims the whole page with a short message.
* **The teacher's side.** :func:`controls` (on the teacher's view): *Open up
  to* per lesson, from the lessons' lists (``app_state.lessons``), and the
  pause button; :func:`pause_button` alone sits in the presenter header of the
  lesson pages while a class runs. In presenter mode the button answers the
  keyboard shortcut ``P``.

The pace and the pause live in the class's store (``ClassStore.set_pace``,
``set_paused``), so every device of the teacher and every student sees the
same. Without ``?class=`` nothing here draws anything on a student's page.
"""

from __future__ import annotations

import streamlit as st

import app_state
from app_state import LIVE
from app_state.lessons import LESSONS, Lesson, Section
from classroom.store import ClassSummary
from ui.live_session import get_store

PAUSE_SHORTCUT = "P"

# Our own fixed markup (never student text): a layer over the whole page, and its message.
# The layer is a live region (role="alert"), so a screen reader announces the pause.
_PAUSED_HTML = """
<style>
.ew-paused { position: fixed; inset: 0; z-index: 1000001; background: rgba(14, 17, 23, 0.74);
  display: flex; align-items: center; justify-content: center; padding: 1rem; }
.ew-paused-box { background: #ffffff; color: #1f2330; max-width: 30rem; padding: 1.5rem 2rem; text-align: center;
  border: 3px solid #0072B2; border-radius: 0.75rem; font-size: 1.15rem; line-height: 1.5;
  box-shadow: 0 0.5rem 2rem rgba(0, 0, 0, 0.4); }
.ew-paused-box strong { display: block; font-size: 1.5rem; margin-bottom: 0.4rem; }
</style>
<div class="ew-paused"><div class="ew-paused-box" role="alert">
<strong>Eyes on your teacher</strong>
Your teacher has paused the class. Your page comes back when they resume.
</div></div>
"""


# --------------------------------------------------------------------------
# The student's side
# --------------------------------------------------------------------------
def paused_layer() -> None:
    """Dim the whole page with the pause message (drawn by the poll fragment while the class is paused)."""
    st.html(_PAUSED_HTML)


def closed_section(section: Section) -> None:
    """What a section past the pace shows under its heading: only that the teacher opens it next."""
    with st.container(key=f"{LIVE.closed.key}-{section.anchor}"):
        st.info("Your teacher will open this section next.", icon=":material/lock_clock:")


# --------------------------------------------------------------------------
# The teacher's side
# --------------------------------------------------------------------------
_TITLES = {page.name: page.heading for page in app_state.PAGES}


WHOLE_LESSON = ""  # the pace menu's first option: no pace (a selectbox shows None as its placeholder)


def _pace_label(lesson: Lesson):  # type: ignore[no-untyped-def]
    headings = {section.slug: section.heading for section in lesson.sections}
    return lambda slug: "the whole lesson" if slug == WHOLE_LESSON else headings[slug]


def _pace_changed(code: str, key: str, page: str) -> None:
    get_store().set_pace(code, key, page, st.session_state[LIVE.pace.at(page)] or None)


def pause_button(code: str, key: str, paused: bool) -> None:
    """*Pause the class* / *Resume the class*; the shortcut ``P`` in presenter mode."""
    presenter = bool(st.session_state.get(app_state.APP.presenter.key))
    st.button(
        "Resume the class" if paused else "Pause the class",
        key=LIVE.pause.key,
        icon=":material/play_arrow:" if paused else ":material/pause:",
        type="primary" if paused else "secondary",
        shortcut=PAUSE_SHORTCUT if presenter else None,
        help="Dims every student's page with a short message until you resume."
        + (f" Shortcut: {PAUSE_SHORTCUT}." if presenter else " In presenter mode the shortcut is P."),
        on_click=get_store().set_paused,
        args=(code, key, not paused),
    )


def controls(code: str, key: str, summary: ClassSummary) -> None:
    """The pace of each lesson and the pause button, as the store has them now (another device may change them)."""
    with st.container(border=True, key=LIVE.pacing_box.key):
        text, button = st.columns([3, 1], vertical_alignment="center")
        text.markdown(
            "**Pace.** Students see each lesson up to the section you choose; a later section shows only its "
            "title. *Move the class* also opens up to where it sends them."
        )
        with button:
            pause_button(code, key, summary.paused)
        if summary.paused:
            st.caption(":material/pause_circle: Paused: every student's page is dimmed until you resume.")
        for column, lesson in zip(st.columns(len(LESSONS)), LESSONS):
            widget = LIVE.pace.at(lesson.page)
            slugs = [section.slug for section in lesson.sections]
            chosen = summary.pace.get(lesson.page)
            st.session_state[widget] = chosen if chosen in slugs else WHOLE_LESSON  # follow the store
            column.selectbox(
                f"{_TITLES.get(lesson.page, lesson.page)}: open up to",
                [WHOLE_LESSON, *slugs],
                format_func=_pace_label(lesson),
                key=widget,
                on_change=_pace_changed,
                args=(code, key, lesson.page),
            )
