"""Imperfect information."""

import streamlit as st

import app_state
from ui.layout import page_header

app_state.init_page(app_state.II)

page_header(
    "Imperfect information",
    """A useful embedding *removes* information: it keeps what a task needs and drops the rest. A perfect change of format is possible, but nearly useless. This lesson compresses digit images from 64 numbers down to one, shows that concepts live in **regions** rather than on axes, and puts meters on every 2-D map that say what the projection kept and what it lost. It ends with two questions: is this a good embedding, and how far can we trust a t-SNE picture?""",
)
