"""The room's reasoning on the teacher's view: each question's reasons, and the few chosen for the projector.

Students may give a one-line reason with a prediction (``ui.checkpoint``);
the homework vote always takes one. Under each question of the teacher's
view:

* :func:`on_projector`: the reasons the teacher chose (at most three),
  anonymised (no nickname, no pseudonym), each with the answer it came with;
* :func:`reasons_fold`: a fold listing every reason, grouped by the answer
  chosen, with *Show* / *Take off* and *Hide* per reason; hidden reasons are
  listed without their text, with *Unhide*.

A reason is a student's text: it is only ever shown through ``ui.text.md``
(every markdown character escaped, links defused) or ``st.text``, never as
markdown or HTML, and never on a chart.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

import streamlit as st

from app_state import LIVE
from classroom.store import MAX_SHOWN_REASONS, ClassError, QuestionSummary
from ui.live_session import get_store
from ui.text import md


def _box_key(action, qid: str) -> str:  # type: ignore[no-untyped-def]
    return f"{action.key}-{qid.replace('.', '-')}"


def _act(operation: Callable[..., None], *args: object, **kwargs: object) -> None:
    """Run a teacher's operation on a reason, then redraw the view; a refusal is shown as a plain message."""
    try:
        operation(*args, **kwargs)
    except ClassError as error:
        st.warning(md(str(error)), icon=":material/info:")
        return
    st.rerun()  # the whole view: a click may come in a fragment rerun or a full one


# Our own fixed stylesheet (never student text): the chosen reasons as large quotes, readable from the back row
# (Streamlit fades a quote to 60 %).
_PROJECTOR_CSS = """<style>
[class*="st-key-live-projector-"] blockquote { opacity: 1; }
[class*="st-key-live-projector-"] blockquote p { font-size: 1.35rem; line-height: 1.4; color: #1f2330; }
</style>"""


def on_projector(qid: str, result: QuestionSummary) -> None:
    """The reasons the teacher chose, large and anonymised, in the order they were chosen."""
    shown = [r for r in result.reasons if r.shown]
    if not shown:
        return
    with st.container(border=True, key=_box_key(LIVE.projector, qid)):
        st.html(_PROJECTOR_CSS)
        st.markdown(":material/forum: **The room's reasons**")
        for reason in shown:
            st.markdown(f"> “{md(reason.text)}”")  # a quote of escaped text: never the student's markup
            st.caption(f"with the answer: {md(reason.answer)}")


def reasons_fold(code: str, key: str, qid: str, result: QuestionSummary) -> None:
    """Every reason for question ``qid``, grouped by answer: show up to three on the projector, or hide one."""
    listed = [r for r in result.reasons if not r.hidden]
    hidden = [r for r in result.reasons if r.hidden]
    if not result.reasons:
        return
    full = sum(1 for r in listed if r.shown) >= MAX_SHOWN_REASONS
    store = get_store()
    label = f"Reasons ({len(listed)}): choose up to {MAX_SHOWN_REASONS} for the projector"
    with st.expander(label, icon=":material/format_quote:", key=_box_key(LIVE.reasons, qid)):
        for answer, group in groupby(sorted(listed, key=lambda r: r.answer), key=lambda r: r.answer):
            group = list(group)
            st.markdown(f"**{md(answer)}** ({len(group)})")
            for reason in group:
                text, show, hide = st.columns([6, 2, 1], vertical_alignment="center")
                text.text(reason.text)  # the student's own words, as plain text
                if show.button(
                    "Take off" if reason.shown else "Show",
                    key=LIVE.reason_show.at(qid, reason.student),
                    icon=":material/visibility_off:" if reason.shown else ":material/co_present:",
                    disabled=full and not reason.shown,
                    help=f"Put it on the projector, anonymised (at most {MAX_SHOWN_REASONS}).",
                ):
                    _act(store.show_reason, code, key, qid, reason.student, shown=not reason.shown)
                if hide.button("Hide", key=LIVE.reason_hide.at(qid, reason.student),
                               help="Take it out of this list and off the projector."):
                    _act(store.hide_reason, code, key, qid, reason.student)
        for reason in hidden:
            text, unhide = st.columns([7, 2], vertical_alignment="center")
            text.caption(f"A hidden reason (with the answer {md(reason.answer)})")
            if unhide.button("Unhide", key=LIVE.reason_hide.at(qid, reason.student)):
                _act(store.hide_reason, code, key, qid, reason.student, hidden=False)
