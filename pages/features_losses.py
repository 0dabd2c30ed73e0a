"""Features, embeddings & losses."""

import streamlit as st

import app_state
from ui.layout import page_header

app_state.init_page(app_state.FE)

page_header(
    "Features, embeddings & losses",
    """A model is three things: **features** (what it sees), a stack of **embeddings** (what it keeps), and a **loss** (what it is rewarded for). Two identical networks that see the same coloured shapes, one trained to name the colour and one the shape, learn different maps; probes measure what each kept. Then the taxi example shows the three levers you can pull: features, architecture and loss.""",
)
