"""The live class in the pages: joining, recording answers, the teacher's tools.

A student opens the teacher's join link (``?class=CODE``). From then on, on
every page of that session:

* :func:`student_bar` (called by ``ui.layout.page_header``) shows that they
  are in a class, takes a seat the server issues (``ClassStore.take_seat``:
  one per browser, kept in the link as ``?seat=...`` so that a reconnect after
  a server restart keeps their answers; a ``?seat=`` the server never issued
  gets a fresh seat) and polls the class every few seconds: a reveal or a new
  pace reruns the page, "Move the class to ..." switches page and scrolls to
  the section, a pause dims the page (``ui.live_pacing``) until the teacher
  resumes;
* :func:`record` sends an answer the page has just checked, with the
  student's optional one-line reason (one line in the page, where it shows
  the feedback);
* :func:`open_up_to` tells ``ui.lesson.draw`` how far a lesson is open;
* :func:`revealed`, :func:`locked` and :func:`class_result` let a page keep
  its reveal for the teacher and show the class distribution afterwards.

Without ``?class=`` none of this draws anything: the pages are unchanged.

The teacher's side is ``ui.live_teacher``; who is asking and the cookies,
``ui.live_session``. The data lives in :mod:`classroom.store`; this module
holds no state of its own.
"""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

import app_state
from app_state import FM, II, LIVE
from app_state.lessons import Lesson
from classroom.questions import QUESTIONS, SECTIONS, SECTIONS_BY_ID, BadAnswer, Question, tidy_reason
from classroom.store import ClassError, ClassNotFound, ClassState, NotRevealed, format_code, normalise_code
from ui import live_pacing, live_session
from ui.charts import PALETTE, figure, show_chart
from ui.live_session import get_store
from ui.state import current_page
from ui.text import md, plot

POLL_SECONDS = 3  # how often a student's page and the teacher's view look for news
LIVE_PAGE = "pages/live_class.py"


def _init() -> None:
    """Give the live class's stores their defaults (any page may be the first)."""
    for item in LIVE.items():
        if item.key not in st.session_state:
            st.session_state[item.key] = item.factory() if isinstance(item, app_state.Store) else item.default


def _link(path: str, params: dict[str, str]) -> str:
    current = urlsplit(st.context.url or "")
    return urlunsplit((current.scheme, current.netloc, path, urlencode(params), ""))


def join_link(code: str) -> str:
    return _link("/", {"class": code})


def teacher_link(code: str, key: str) -> str:
    return _link("/live_class", {"class": code, "teacher": key})


def qr_png(text: str) -> bytes:
    """A QR code of ``text`` as PNG bytes (segno, no Pillow needed)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


# ==========================================================================
# The student's side
# ==========================================================================
def _in_class() -> dict:
    _init()
    return st.session_state[LIVE.joined.key]


def _restore(given: dict[str, tuple[str, str]]) -> None:
    """Put a returning student's answers (and the vote's reason) back into the page's widgets (only where the
    session has none)."""
    state = st.session_state
    sent = state[LIVE.sent.key]
    for qid, (text, reason) in given.items():
        sent.setdefault(qid, [text, reason])
    answers = {qid: text for qid, (text, _) in given.items()}
    if "ii.homework.vote" in answers:
        saved = state.setdefault(II.answer.key, {})
        if not saved.get("vote"):
            sentence = saved.get("sentence") or given["ii.homework.vote"][1]
            saved.update(vote=answers["ii.homework.vote"], sentence=sentence)
            state[II.vote.key] = answers["ii.homework.vote"]
            if sentence and not state.get(II.sentence.key):
                state[II.sentence.key] = sentence
    for qid, setting in (("fm.exercise.queen", FM.ex_queen), ("fm.exercise.aunt", FM.ex_aunt)):
        if qid in answers and not state.get(setting.key):
            state[setting.key] = answers[qid]
    if "fm.exercise.axis" in answers and not state.get(FM.ex_axis_negative.key):
        low, _, high = answers["fm.exercise.axis"].partition(" -> ")
        state[FM.ex_axis_negative.key], state[FM.ex_axis_positive.key] = low, high


def _join(code: str) -> None:
    """Join class ``code`` with this browser's seat; a refusal is remembered, not retried every run."""
    state = st.session_state
    refused = state[LIVE.refused.key]
    if code in refused:
        st.warning(md(refused[code]), icon=":material/group_off:")
        _remember_browser()
        return
    store = get_store()
    try:
        seat = store.take_seat(code, seat=st.query_params.get("seat") or "", caller=live_session.caller())
        answers = store.student_answers_and_reasons(code, seat.token)
    except ClassError as error:
        refused[code] = str(error)
        st.warning(md(str(error)), icon=":material/group_off:")
        _remember_browser()
        return
    state[LIVE.joined.key] = {"code": seat.state.code, "token": seat.token}
    state[LIVE.seen.key] = _seen(seat.state)
    state[LIVE.sent.key] = {}
    _restore(answers)


def _remember_browser() -> None:
    """The seat cookie, once this browser has opened a class link: its tabs are then one guessing
    session and one seat. Drawn at the same place on every run, so the page's elements never shift."""
    live_session.remember_browser(get_store().class_hours * 3600)


def student_bar() -> None:
    """The class bar under a page's title: only for a session that has a class link.

    Call it from the page header. The teacher's own session, and the Live
    class page, never join as a student.
    """
    _init()
    state = st.session_state
    if current_page() is LIVE or state[LIVE.teacher.key]:
        return
    asked = st.query_params.get("class")
    joined = state[LIVE.joined.key]
    if asked is not None:
        code = normalise_code(asked)
        if code != joined.get("code"):
            _join(code)
            joined = state[LIVE.joined.key]
    if not joined:
        return
    # Keep the class and the seat in the link: a reload or a reconnect after a
    # server restart comes back to the same seat and its answers.
    if st.query_params.get("class") != joined["code"] or st.query_params.get("seat") != joined["token"]:
        st.query_params["class"] = joined["code"]
        st.query_params["seat"] = joined["token"]
    with st.container(border=True):
        left, middle, right = st.columns([5, 2, 1], vertical_alignment="center")
        left.markdown(
            f":material/groups: **You are in class {format_code(joined['code'])}.** "
            "Your answers go to your teacher; other students never see them."
        )
        with middle.popover("Nickname (optional)", icon=":material/badge:"):
            _nickname_form(joined)
        if right.button("Leave", key=LIVE.leave.key, help="Leave the class. Your answers stay with your teacher."):
            _leave()
    _follow_class()
    _remember_browser()
    target = state[LIVE.scroll_to.key]
    if target:
        state[LIVE.scroll_to.key] = None
        _scroll_to(target)


def _nickname_form(joined: dict) -> None:
    st.caption("No names needed. A nickname helps your teacher; it is kept with your answers until the class ends.")
    st.text_input("Nickname", max_chars=40, **LIVE.nickname.widget)
    if st.button("Save nickname", key=LIVE.nickname_save.key):
        try:
            get_store().set_nickname(joined["code"], joined["token"], st.session_state[LIVE.nickname.key] or "")
        except ClassError as error:
            st.warning(md(str(error)))
        else:
            st.success("Saved.")


def _leave() -> None:
    st.session_state[LIVE.joined.key] = {}
    st.session_state[LIVE.seen.key] = {}
    for name in ("class", "seat"):
        if name in st.query_params:
            del st.query_params[name]
    st.rerun()


def _seen(class_state: ClassState) -> dict:
    """What the page remembers of a polled class state (``LIVE.seen``)."""
    return {
        "revealed": sorted(class_state.revealed),
        "move_seq": class_state.move_seq,
        "pace": dict(class_state.pace),
        "paused": class_state.paused,
    }


@st.fragment(run_every=POLL_SECONDS)
def _follow_class() -> None:
    """Poll the class: rerun the page on a reveal or a new pace, switch page on a move, dim it while paused.

    A pause needs no rerun of the page: this fragment draws the dimming layer
    (``ui.live_pacing.paused_layer``) while the class is paused, and the next
    poll after the teacher resumes draws nothing, which removes it.
    """
    state = st.session_state
    joined = state[LIVE.joined.key]
    if not joined:
        return
    try:
        class_state = get_store().class_state(joined["code"])
    except ClassNotFound:
        state[LIVE.refused.key][joined["code"]] = "This class has ended. Your page works as before."
        state[LIVE.joined.key] = {}
        st.rerun(scope="app")
    seen, now = state[LIVE.seen.key], _seen(class_state)
    if class_state.move_seq != seen.get("move_seq") and class_state.move_to in SECTIONS_BY_ID:
        state[LIVE.seen.key] = now
        section = SECTIONS_BY_ID[class_state.move_to]
        state[LIVE.scroll_to.key] = section.id
        st.switch_page(f"pages/{section.page}.py", query_params={"class": joined["code"], "seat": joined["token"]})
    if now["revealed"] != seen.get("revealed") or now["pace"] != seen.get("pace"):
        state[LIVE.seen.key] = now
        st.rerun(scope="app")
    seen["paused"] = now["paused"]
    if now["paused"]:
        live_pacing.paused_layer()


def _scroll_script(anchor: str) -> str:
    return (
        "<script>(function(){const a=" + json.dumps(anchor) + ";let n=0;const go=()=>{"
        "const h=document.getElementById(a);"
        "if(h){h.scrollIntoView({behavior:'smooth',block:'start'});}else if(n++<40){setTimeout(go,250);}};go();})();"
        "</script>"
    )


# One fixed script per lesson section, made once from the lessons' lists (never user text).
_SCROLL_SCRIPTS = {section.id: _scroll_script(section.anchor) for section in SECTIONS}


def _scroll_to(section_id: str) -> None:
    """Scroll the page to the heading of section ``section_id`` (app_state.lessons)."""
    if section_id in _SCROLL_SCRIPTS:
        st.html(_SCROLL_SCRIPTS[section_id], unsafe_allow_javascript=True)


def in_class() -> bool:
    """Whether this session is a student in a live class."""
    return bool(_in_class())


def open_up_to(lesson: Lesson) -> int | None:
    """For a student in a class: the number of ``lesson``'s last section open to them; ``None``: all of it.

    Outside a class, and for a lesson the teacher has not paced, ``None``. A
    pace naming a section the lesson no longer has opens the whole lesson
    (nobody is locked out by a change to the lessons' lists).
    """
    if not _in_class():
        return None
    slug = st.session_state[LIVE.seen.key].get("pace", {}).get(lesson.page)
    section = SECTIONS_BY_ID.get(f"{lesson.page}#{slug}") if slug is not None else None
    return None if section is None else section.number


def revealed(question_id: str) -> bool:
    """Whether the teacher has revealed ``question_id`` to this student's class."""
    joined = _in_class()
    return bool(joined) and question_id in st.session_state[LIVE.seen.key].get("revealed", [])


def locked(question_id: str) -> bool:
    """In a class the teacher reveals: True until they do."""
    return in_class() and not revealed(question_id)


def record(question_id: str, answer: str, *, checked: bool | None = None, reason: str = "") -> None:
    """Send an answer the page has checked to the teacher, with the student's one-line ``reason``
    (nothing happens outside a class).

    An unchanged answer and reason are not sent again. The reason is tidied
    to one line of at most 200 characters, without control characters
    (:func:`classroom.questions.tidy_reason`). A refusal (the class ended, an
    answer out of range) is shown as a plain message.
    """
    joined = _in_class()
    if not joined:
        return
    sent = st.session_state[LIVE.sent.key]
    try:
        text, why = QUESTIONS[question_id].validate(answer), tidy_reason(reason)
        if sent.get(question_id) != [text, why]:
            get_store().record(joined["code"], joined["token"], question_id, text, checked=checked, reason=why)
            sent[question_id] = [text, why]
    except (ClassError, BadAnswer) as error:
        st.caption(f":material/cloud_off: Not sent to your teacher: {md(str(error))}")  # it may quote the answer
        return
    st.caption(":material/cloud_done: Your teacher has your answer.")


def class_result(question_id: str) -> None:
    """Once revealed: how the class answered (the distribution only, never who said what)."""
    joined = _in_class()
    if not joined or not revealed(question_id):
        return
    try:
        summary = get_store().revealed_summary(joined["code"], question_id)
    except (ClassNotFound, NotRevealed):
        return
    q = QUESTIONS[question_id]
    st.markdown(f"**How the class answered** ({summary.answered} answers)")
    if q.choices:
        show_chart(answer_chart(q, summary.counts), key=LIVE.result_chart.at(question_id), height=260)
    elif summary.answered:
        st.progress(summary.correct / summary.answered, text=f"{summary.correct} of {summary.answered} got it right")




def answer_chart(q: Question, counts: dict[str, int]):
    """A bar chart of how many students gave each answer (the ten most common for free text).

    The answers are students' text: cut to 40 characters, then escaped with
    ``ui.text.plot``, so the tick labels and hover text show ``<a href=...>``
    as typed, never as a link or a style (issue 21, finding 6).
    """
    pairs = list(counts.items()) if q.choices else sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:10]
    labels = [plot(label if len(label) <= 40 else label[:39] + "…") for label, _ in pairs]
    return figure(
        [
            {
                "type": "bar",
                "x": labels,
                "y": [n for _, n in pairs],
                "marker": {"color": PALETTE[0]},
                "hovertemplate": "%{x}: %{y} students<extra></extra>",
            }
        ],
        {
            "title": {"text": plot(q.prompt)},
            "xaxis": {"title": {"text": "answer"}, "type": "category"},
            "yaxis": {"title": {"text": "students"}, "rangemode": "tozero", "dtick": 1},
            "showlegend": False,
        },
    )
