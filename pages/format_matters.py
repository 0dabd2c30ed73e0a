"""Format matters."""

import streamlit as st

import app_state
from ui.layout import page_header

app_state.init_page(app_state.FM)

page_header(
    "Format matters",
    """This lesson shows why a float vector is such a useful format for information. Vectors can be **compared**, **added**, **subtracted** and **averaged**, so concepts become something we can compute with. We start on a hand-made plane where x is gender and y is royalty, add a third axis, then move to real pretrained word vectors (king - man + woman = ?), axes made of words, and a map of cars where similar things sit close together.""",
)
