"""Features, embeddings & losses: a model is its features, its embeddings and its loss.

The lesson's table of contents is its list of sections
(``app_state.lessons.FEATURES_LOSSES``), drawn in order by ``ui.lesson``;
each section is a fragment in ``ui/features_losses/`` (controls -> one
embedcore call -> chart -> explanation).
"""

import streamlit as st

from app_state import FE
from app_state.lessons import FEATURES_LOSSES
from ui import checkpoint, lesson
from ui.layout import page_header
from ui.state import init_page

init_page(FE)

page_header(
    "Features, embeddings & losses",
    """A model is three things: **features** (what it sees), a stack of **embeddings** (what it keeps), and a **loss** (what it is rewarded for). Two identical networks that see the same coloured shapes, one trained to name the colour and one the shape, learn different maps; probes measure what each kept. The taxi example pulls two of the three levers, features and loss, and the experiment form adds the third, the architecture.""",
)

# The twins' embedding width, read once: the twins, the mixer and the model map all use it.
lesson.draw(FEATURES_LOSSES, width=int(st.session_state[FE.width.key]))
checkpoint.score_line(FEATURES_LOSSES.questions, key=FE.score.key)
