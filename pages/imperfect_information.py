"""Imperfect information: a useful embedding keeps what matters and drops the rest.

The lesson's table of contents: one section per idea, each a fragment in
``ui/imperfect_information/`` (controls -> one embedcore call -> chart ->
explanation).
"""

import streamlit as st

import app_state
from app_state import II
from ui import checkpoint
from ui.imperfect_information import checks
from ui.imperfect_information.digits import compress_digits, one_image
from ui.imperfect_information.homework import homework
from ui.imperfect_information.meters import meters
from ui.imperfect_information.regions import axes_versus_regions
from ui.imperfect_information.tsne import tsne_knobs
from ui.layout import page_header
from ui.state import init_page

init_page(II)

page_header(
    "Imperfect information",
    """A useful embedding *removes* information: it keeps what a task needs and drops the rest. A perfect change of format is possible, but nearly useless. This lesson compresses digit images from 64 numbers down to one, shows that concepts live in **regions** rather than on axes, and puts meters on every 2-D map that say what the projection kept and what it lost. It ends with two questions: is this a good embedding, and how far can we trust a t-SNE picture?""",
)

st.divider()
one_image()
compress_digits()
st.divider()
axes_versus_regions()
st.divider()
meters()
st.divider()
homework()
st.divider()
tsne_knobs()
checkpoint.score_line(checks.QUESTIONS, key=II.score.key)
