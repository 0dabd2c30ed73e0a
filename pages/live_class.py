"""Live class: the teacher's view of how the room answers.

Start a class (here, or with "Start a class" in presenter mode), project the
code and QR code, and watch the answers come in: the view refreshes itself
every few seconds. Only the teacher key opens it; the key never appears on
a student's page, nor printed on this one. The store is ``classroom.store``;
the pieces are in ``ui.live_teacher``.
"""

from __future__ import annotations

import streamlit as st

from app_state import LIVE
from classroom.store import format_code
from ui import live_class, live_teacher
from ui.layout import page_header
from ui.state import init_page

init_page(LIVE)

page_header(
    "Live class",
    """Ask, and see how the room answers. Students join on their own laptop or phone with the code or the QR code
below; no accounts and no names. Every prediction (with its one-line reason), checked exercise and vote they answer
comes to this screen, where you pace each lesson, pause the room, show a few reasons, reveal the answer to everyone
and move the class on. The summary at the bottom is yours to keep.""",
)

live_teacher.open_from_link()
teacher = live_teacher.current()


# --------------------------------------------------------------------------
# No class yet: start one, or open one with its teacher link or key
# --------------------------------------------------------------------------
if not teacher:
    if st.button("Start a class", key=LIVE.start.key, icon=":material/co_present:", type="primary"):
        live_teacher.start_class()
    with st.expander("Open a class you started on another device"):
        with st.form(LIVE.open_form.key):
            code = st.text_input("Class code", max_chars=20, **LIVE.open_code.widget)
            key = st.text_input("Teacher key", type="password", max_chars=100, **LIVE.open_key.widget)
            if st.form_submit_button("Open"):
                if live_teacher.open_class(code, key):
                    st.rerun()
    st.stop()


# --------------------------------------------------------------------------
# The class: how to join, and (once) the teacher link to save
# --------------------------------------------------------------------------
code, key = teacher["code"], teacher["key"]
live_teacher.keep(teacher)
live_teacher.link_box(teacher)
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
live_teacher.room(code, key)
