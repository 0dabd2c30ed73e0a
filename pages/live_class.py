"""Live class: the teacher's view of how the room answers.

Start a class (here, or with "Start a class" in presenter mode), project the
code and QR code, and watch the answers come in: the view refreshes itself
every few seconds. Only the teacher key opens it; the key never appears on
a student's page. The store is ``classroom.store``; the pieces are in
``ui.live_class``.
"""

from __future__ import annotations

import time

import streamlit as st

import app_state
from app_state import LIVE
from classroom.questions import QUESTIONS
from classroom.store import ClassError, format_code
from ui import live_class
from ui.charts import show_chart
from ui.layout import page_header
from ui.text import md
from ui.state import init_page

init_page(LIVE)

page_header(
    "Live class",
    """Ask, and see how the room answers. Students join on their own laptop or phone with the code or the QR code
below; no accounts and no names. Every checked exercise and vote they answer comes to this screen, where you
reveal the answer to everyone and move the class on.""",
)

live_class.open_from_link()
teacher = st.session_state[LIVE.teacher.key]


# --------------------------------------------------------------------------
# No class yet: start one, or open one with its teacher link or key
# --------------------------------------------------------------------------
if not teacher:
    if st.button("Start a class", key=LIVE.start.key, icon=":material/co_present:", type="primary"):
        live_class.start_class()
    with st.expander("Open a class you started on another device"):
        with st.form(LIVE.open_form.key):
            code = st.text_input("Class code", max_chars=20, **LIVE.open_code.widget)
            key = st.text_input("Teacher key", type="password", max_chars=100, **LIVE.open_key.widget)
            if st.form_submit_button("Open"):
                if live_class.open_class(code, key):
                    st.rerun()
    st.stop()


# --------------------------------------------------------------------------
# The class: how to join
# --------------------------------------------------------------------------
code, key = teacher["code"], teacher["key"]
join_url = live_class.join_link(code)
left, right = st.columns([3, 2], vertical_alignment="center")
with left:
    st.markdown("Join at the link or scan the code. Class code:")
    st.markdown(f"# :blue[{format_code(code)}]")  # our own code: letters and digits only
    st.code(join_url, language=None, wrap_lines=True)
with right:
    st.image(live_class.qr_png(join_url), caption="Scan to join", width=280)
with st.expander("Your teacher link (private: do not project it)", icon=":material/key:"):
    st.caption("It opens this view on another device. Anyone with it can reveal answers and move the class.")
    st.code(live_class.teacher_link(code, key), language=None, wrap_lines=True)


# --------------------------------------------------------------------------
# The room's answers, refreshed every few seconds
# --------------------------------------------------------------------------
@st.fragment(run_every=live_class.POLL_SECONDS)
def room() -> None:
    store = live_class.get_store()
    try:
        summary = store.summary(code, key, source=live_class.source())
    except ClassError as error:
        st.error(f"{md(str(error))} Start a new class.", icon=":material/group_off:")
        st.session_state[LIVE.teacher.key] = {}
        return
    hours_left = max(0.0, (summary.expires_at - time.time()) / 3600)
    joined, answered, ends = st.columns(3)
    joined.metric("Students joined", summary.joined)
    answered.metric("Answers", sum(q.answered for q in summary.questions.values()))
    ends.metric("Class ends in", f"{hours_left:.1f} h", help="Then the class and all its answers are deleted.")

    for qid, result in summary.questions.items():
        question = QUESTIONS[qid]
        with st.container(border=True, key=f"{LIVE.question_box.key}-{qid.replace('.', '-')}"):
            st.markdown(f"**{question.prompt}**  \n{live_class.section_label(question.section.id)}")
            chart, numbers = st.columns([3, 1])
            with chart:
                if result.answered:
                    show_chart(
                        live_class.answer_chart(question, result.counts), key=LIVE.chart.at(qid), height=260
                    )
                else:
                    st.caption("No answers yet.")
            with numbers:
                st.metric("Answered", f"{result.answered} of {summary.joined}")
                if result.share_correct is not None:
                    st.metric("Right", f"{result.share_correct:.0%}")
                elif not question.has_right_answer:
                    st.caption("No single right answer: discuss it.")
                label = "Hide again" if result.revealed else "Reveal to the class"
                st.button(
                    label, key=LIVE.reveal.at(qid), icon=":material/visibility:", width="stretch",
                    on_click=store.reveal, args=(code, key, qid), kwargs={"revealed": not result.revealed},
                )
                if result.revealed:
                    st.caption(":material/check: Revealed on every student's screen.")

    st.selectbox(
        "Move the class to ...",
        live_class.SECTION_IDS,
        format_func=live_class.section_label,
        index=None,
        placeholder="a lesson section",
        **LIVE.move_to.widget,
    )
    if st.button("Move the class", key=LIVE.move.key, icon=":material/arrow_forward:"):
        target = st.session_state[LIVE.move_to.key]
        if target is None:
            st.warning("Choose a section first.")
        else:
            store.move_class(code, key, target)
            st.success(f"Students are on their way to {live_class.section_label(target)}.")
    if summary.move_to:
        st.caption(f"Last move: {live_class.section_label(summary.move_to)}")
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


room()
