"""Imperfect information: a useful embedding keeps what matters and drops the rest.

The lesson's table of contents is its list of sections
(``app_state.lessons.IMPERFECT_INFORMATION``), drawn in order by
``ui.lesson``; each section is a fragment in ``ui/imperfect_information/``
(controls -> one embedcore call -> chart -> explanation).
"""

import streamlit as st

from app_state import II
from app_state.lessons import IMPERFECT_INFORMATION
from ui import checkpoint, lesson
from ui.layout import page_header
from ui.state import init_page

init_page(II)

page_header(
    "Imperfect information",
    """A useful embedding *removes* information: it keeps what a task needs and drops the rest. Squeeze digit
pictures into a few numbers, see concepts as regions of a map, measure what a flat map loses, and turn t-SNE's
knobs.""",
)

st.divider()
lesson.draw(IMPERFECT_INFORMATION)
checkpoint.score_line(IMPERFECT_INFORMATION.questions, key=II.score.key)
