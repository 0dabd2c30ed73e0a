"""Features, embeddings & losses: a model is its features, its embeddings and its loss.

The lesson's table of contents: one section per idea, each a fragment in
``ui/features_losses/`` (controls -> one embedcore call -> chart ->
explanation).
"""

import streamlit as st

import app_state
from app_state import FE
from ui import checkpoint
from ui.features_losses import checks
from ui.features_losses.data import the_data
from ui.features_losses.features import features_set_the_limit
from ui.features_losses.levers import three_levers
from ui.features_losses.mixer import loss_mixer
from ui.features_losses.model_map import model_map
from ui.features_losses.taxi import taxi_example
from ui.features_losses.twins import twin_models
from ui.layout import page_header
from ui.state import init_page

init_page(FE)

page_header(
    "Features, embeddings & losses",
    """A model is three things: **features** (what it sees), a stack of **embeddings** (what it keeps), and a **loss** (what it is rewarded for). Two identical networks that see the same coloured shapes, one trained to name the colour and one the shape, learn different maps; probes measure what each kept. The taxi example pulls two of the three levers, features and loss, and the experiment form adds the third, the architecture.""",
)

# Sections 3 and 6 follow the width chosen in section 2; remember which width this full run drew.
st.session_state[FE.width_drawn.key] = st.session_state[FE.width.key]
the_data()
twin_models()
features_set_the_limit()
loss_mixer()
taxi_example()
three_levers()
model_map()
checkpoint.score_line(checks.QUESTIONS, key=FE.score.key)
