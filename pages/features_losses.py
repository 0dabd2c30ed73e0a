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
    """A model is three things: **features** (what it sees), a stack of **embeddings** (what it keeps) and a
**loss** (what it is rewarded for). Any features, any loss: the embeddings in between find a way to connect them.
But a model is only as good as its features, and held back by a poor loss.""",
)

# The embedding width, read once (section 3 sets it): the twins, the grey model and the model map use it.
lesson.draw(FEATURES_LOSSES, width=int(st.session_state[FE.width.key]))
checkpoint.score_line(FEATURES_LOSSES.questions, key=FE.score.key)
