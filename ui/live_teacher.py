"""The live class's teacher side: start or open a class, keep it, and the view of the room.

* :func:`start_button`: "Start a class" in presenter mode on the lesson pages
  (the Live class page has its own button).
* :func:`current`: the class this session runs. After a server restart the
  teacher's page reconnects with a new session; it finds the class again in
  the teacher cookie (``ui.live_session``), checks its key with the store
  and carries on. An error while the view refreshes never forgets the class;
  only a class that has ended is let go.
* :func:`link_box`: right after Start a class, the teacher link plainly, once,
  with a copy button; the key itself is never printed (the page is on the
  projector), the link's text shows ``teacher=…``.
* :func:`room`: the view that refreshes itself: joins (and new seats per
  minute, where a script taking seats shows as a spike), the pace and the
  pause (``ui.live_pacing``), each question's answers and reasons
  (``ui.live_reasons``), reveal, move, the CSV and the end-of-class summary
  (``ui.live_summary``).
"""

from __future__ import annotations

import json
import logging
import re
import time

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from app_state import LIVE
from classroom.questions import QUESTIONS, SECTIONS, section_label
from classroom.store import ClassError, ClassNotFound, ClassSummary, normalise_code
from ui import live_class, live_pacing, live_reasons, live_session, live_summary
from ui.charts import PALETTE, figure, show_chart
from ui.live_session import get_store
from ui.state import current_page
from ui.text import md

SECTION_IDS = tuple(s.id for s in SECTIONS)
_log = logging.getLogger(__name__)

# Our own fixed copy button: the link is built in the browser from the page's own origin and two
# values the server made and checked (the class code and the teacher key), never from student text.
_COPY_TEMPLATE = """
<div class="ew-copy-teacher-link">
<button type="button" id="ew-copy-teacher-link" style="padding:0.4rem 0.9rem;border-radius:0.5rem;
 border:1px solid #0072B2;background:#0072B2;color:#fff;font:inherit;cursor:pointer">Copy the teacher link</button>
<span id="ew-copy-teacher-link-status" role="status" style="margin-left:0.6rem"></span>
</div>
<script>(function(){{
const link=location.origin+"/live_class?class="+{code}+"&teacher="+{key};
const button=document.getElementById("ew-copy-teacher-link");
const status=document.getElementById("ew-copy-teacher-link-status");
if(!button){{return;}}
const done=(ok)=>{{status.textContent=ok?"Copied. Paste it somewhere private.":"Copy did not work: open the teacher link below.";}};
button.addEventListener("click",()=>{{
  if(navigator.clipboard&&window.isSecureContext){{navigator.clipboard.writeText(link).then(()=>done(true),()=>done(false));return;}}
  const box=document.createElement("textarea");box.value=link;document.body.appendChild(box);box.select();
  let ok=false;try{{ok=document.execCommand("copy");}}catch(e){{ok=false;}}box.remove();done(ok);
}});
}})();</script>
"""


def _copy_button(code: str, key: str) -> str:
    if not re.fullmatch(r"[2-9A-Z]{8}", code) or not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", key):
        raise ValueError("a class code and teacher key of the wrong shape")
    return _COPY_TEMPLATE.format(code=json.dumps(code), key=json.dumps(key))


# --------------------------------------------------------------------------
# Starting, opening and keeping a class
# --------------------------------------------------------------------------
def start_button() -> None:
    """"Start a class" (presenter mode): a new class, then the Live class page with its code and QR code."""
    live_class._init()
    if current_page() is LIVE:
        return  # the Live class page has its own button (one key, one button: issue 21, finding 7)
    teacher = current()
    if teacher:
        st.page_link(live_class.LIVE_PAGE, label="Your live class", icon=":material/co_present:")
        _header_pause(teacher)
        return
    if st.button("Start a class", key=LIVE.start.key, icon=":material/co_present:",
                 help="Students join with a code or QR code; their answers reach this screen."):
        start_class()


def start_class() -> None:
    new = get_store().create_class()
    st.session_state[LIVE.teacher.key] = {
        "code": new.code, "key": new.teacher_key, "expires_at": new.expires_at, "show_link": True,
    }
    # query_params: switch_page would otherwise clear the link, which fails while widgets are bound to it.
    st.switch_page(live_class.LIVE_PAGE, query_params={})


def open_from_link() -> None:
    """On the Live class page: take ``?class=&teacher=`` into the session and out of the address bar.

    The key then never shows on the projector; the teacher keeps their private link.
    """
    key = st.query_params.get("teacher")
    code = st.query_params.get("class")
    for name in ("teacher", "class", "seat"):
        if name in st.query_params:
            del st.query_params[name]
    if key is not None and code is not None:
        open_class(code, key)


def open_class(code: str, key: str) -> bool:
    """Run class ``code`` in this session if ``key`` opens it (a refusal leaves any class it runs alone)."""
    store = get_store()
    try:
        store.check_teacher(code, key, caller=live_session.caller())
        expires_at = store.class_state(code).expires_at
    except ClassError as error:
        st.error(md(str(error)), icon=":material/lock:")
        return False
    st.session_state[LIVE.teacher.key] = {"code": normalise_code(code), "key": key, "expires_at": expires_at}
    return True


def current() -> dict:
    """The class this session runs ({} if none), found again in the teacher cookie after a restart.

    A cookie that opens nothing (the class has ended) is deleted; one that could
    not be checked (the database did not answer) is tried again on the next run.
    """
    live_class._init()
    state = st.session_state
    teacher = state[LIVE.teacher.key]
    if teacher or not live_session.cookie(live_session.TEACHER_COOKIE):
        return teacher
    if not state[LIVE.teacher_checked.key]:
        saved = live_session.saved_teacher()
        store = get_store()
        try:
            if saved is not None:
                store.check_teacher(*saved, caller=live_session.caller())
                teacher.update(code=saved[0], key=saved[1], expires_at=store.class_state(saved[0]).expires_at)
        except ClassError as error:
            _log.info("the teacher cookie opens no class: %s", error)
        except SQLAlchemyError as error:
            _log.warning("the teacher cookie could not be checked: %s", error)
            return teacher
        state[LIVE.teacher_checked.key] = True
        if teacher:
            return teacher
    live_session.forget_teacher()  # on every run, so the page's elements never shift
    return teacher


def keep(teacher: dict) -> None:
    """Keep the class in the teacher's browser (the teacher cookie) until it ends."""
    live_session.remember_teacher(teacher["code"], teacher["key"], teacher["expires_at"] - time.time())


def forget() -> None:
    st.session_state[LIVE.teacher.key] = {}
    live_session.forget_teacher()


def link_box(teacher: dict) -> None:
    """Right after Start a class: the teacher link, plainly, once, with a copy button (the key not printed)."""
    if not teacher.get("show_link"):
        return
    with st.container(border=True, key=LIVE.link_box.key):
        st.markdown(
            ":material/key: **Save your teacher link now.** It opens this view on another device. This browser "
            "also keeps the class, so a server restart brings the view back. Anyone with the link can reveal "
            "answers and move the class, so its key is not printed here."
        )
        st.html(_copy_button(teacher["code"], teacher["key"]), unsafe_allow_javascript=True)
        st.code(live_class.teacher_link(teacher["code"], "") + "…", language=None, wrap_lines=True)
        if st.button("I have saved it", key=LIVE.link_saved.key, icon=":material/check:"):
            teacher["show_link"] = False
            st.rerun()


def _header_pause(teacher: dict) -> None:
    """The pause button in the presenter header of a lesson page (shortcut P), while the class runs."""
    try:
        paused = get_store().class_state(teacher["code"]).paused
    except (ClassError, SQLAlchemyError) as error:
        _log.info("the pause button could not read the class: %s", error)
        return
    live_pacing.pause_button(teacher["code"], teacher["key"], paused)


# --------------------------------------------------------------------------
# The room, refreshed every few seconds
# --------------------------------------------------------------------------
def joins_chart(per_minute: tuple[int, ...]):
    """New seats in each of the last minutes: a script taking seats stands out as a spike."""
    minutes = [f"{len(per_minute) - 1 - i} min ago" if i < len(per_minute) - 1 else "now" for i in range(len(per_minute))]
    return figure(
        [{"type": "bar", "x": minutes, "y": list(per_minute), "marker": {"color": PALETTE[1]},
          "hovertemplate": "%{x}: %{y} joined<extra></extra>"}],
        {
            "title": {"text": "Students joining, per minute"},
            "xaxis": {"type": "category", "title": {"text": "minute"}},
            "yaxis": {"title": {"text": "joined"}, "rangemode": "tozero", "dtick": max(1, max(per_minute) // 5)},
            "showlegend": False,
            "margin": {"t": 40, "b": 40},
        },
    )


def _summary(code: str, key: str) -> ClassSummary | None:
    """The room as it is now; on an error, a message, and the class is kept (unless it has ended)."""
    try:
        return get_store().summary(code, key, caller=live_session.caller())
    except ClassNotFound as error:
        st.warning(f"{md(str(error))} Start a new class.", icon=":material/group_off:")
        forget()
    except ClassError as error:
        st.warning(f"{md(str(error))} The view tries again in a few seconds; your class is kept.",
                   icon=":material/sync_problem:")
    except SQLAlchemyError as error:
        _log.warning("the teacher's view could not read the class: %s", error)
        st.warning("The class database did not answer. The view tries again in a few seconds; your class is kept.",
                   icon=":material/sync_problem:")
    return None


@st.fragment(run_every=live_class.POLL_SECONDS)
def room(code: str, key: str) -> None:
    """The teacher's view of the room (needs the class's key)."""
    summary = _summary(code, key)
    if summary is None:
        return
    store = get_store()
    hours_left = max(0.0, (summary.expires_at - time.time()) / 3600)
    joined, recent, answered, ends = st.columns(4)
    joined.metric("Students joined", summary.joined)
    recent.metric("Joined in the last minute", summary.joins_per_minute[-1] if summary.joins_per_minute else 0)
    answered.metric("Answers", sum(q.answered for q in summary.questions.values()))
    ends.metric("Class ends in", f"{hours_left:.1f} h", help="Then the class and all its answers are deleted.")
    if summary.seats_refused:
        st.caption(f":material/block: {summary.seats_refused} seats refused: more than "
                   f"{store.seats_per_address} from one network (WHY_EMBEDDINGS_SEATS_PER_ADDRESS).")
    show_chart(joins_chart(summary.joins_per_minute), key=LIVE.joins_chart.key, height=200)
    live_pacing.controls(code, key, summary)

    for qid, result in summary.questions.items():
        _question_box(code, key, qid, result, summary.joined)
    _move_controls(code, key, summary.move_to)
    if summary.nicknames:
        st.text("Nicknames: " + ", ".join(summary.nicknames))  # the students' own words, as plain text
    st.download_button(
        "Download the answers (CSV)",
        data=store.answers_csv(code, key).encode("utf-8"),
        file_name=f"class-{code}.csv",
        mime="text/csv",
        key=LIVE.csv.key,
        icon=":material/download:",
    )
    live_summary.summary(code, key)


def _question_box(code: str, key: str, qid: str, result, joined: int) -> None:  # type: ignore[no-untyped-def]
    question = QUESTIONS[qid]
    with st.container(border=True, key=f"{LIVE.question_box.key}-{qid.replace('.', '-')}"):
        st.markdown(f"**{question.prompt}**  \n{section_label(question.section.id)}")
        chart, numbers = st.columns([3, 1])
        with chart:
            if result.answered:
                show_chart(live_class.answer_chart(question, result.counts), key=LIVE.chart.at(qid), height=260)
            else:
                st.caption("No answers yet.")
        with numbers:
            st.metric("Answered", f"{result.answered} of {joined}")
            if result.share_correct is not None:
                st.metric("Right", f"{result.share_correct:.0%}")
            elif not question.has_right_answer:
                st.caption("No single right answer: discuss it.")
            label = "Hide again" if result.revealed else "Reveal to the class"
            st.button(
                label, key=LIVE.reveal.at(qid), icon=":material/visibility:", width="stretch",
                on_click=get_store().reveal, args=(code, key, qid), kwargs={"revealed": not result.revealed},
            )
            if result.revealed:
                st.caption(":material/check: Revealed on every student's screen.")
        live_reasons.on_projector(qid, result)
        live_reasons.reasons_fold(code, key, qid, result)


def _move_controls(code: str, key: str, last_move: str | None) -> None:
    st.selectbox(
        "Move the class to ...",
        SECTION_IDS,
        format_func=section_label,
        index=None,
        placeholder="a lesson section",
        **LIVE.move_to.widget,
    )
    if st.button("Move the class", key=LIVE.move.key, icon=":material/arrow_forward:"):
        target = st.session_state[LIVE.move_to.key]
        if target is None:
            st.warning("Choose a section first.")
        else:
            get_store().move_class(code, key, target)
            st.success(f"Students are on their way to {section_label(target)}; the lesson is open up to there.")
    if last_move:
        st.caption(f"Last move: {section_label(last_move)}")
