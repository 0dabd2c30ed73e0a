"""Format matters: as vectors, concepts can be compared, added, subtracted and averaged.

The lesson's table of contents: one section per idea, each a fragment in
``ui/format_matters/`` (controls -> one embedcore call -> chart ->
explanation). The sections that use word vectors take the vectors the
student explores (the bundled ones or an upload) as a value.
"""

from __future__ import annotations

import streamlit as st

import app_state
from app_state import FM
from ui import checkpoint, upload
from ui.cache import word_vectors
from ui.format_matters import checks, words
from ui.format_matters.arithmetic import averages, word_arithmetic
from ui.format_matters.axes import word_axes
from ui.format_matters.car_land import car_land
from ui.format_matters.encode import encode_decode
from ui.format_matters.exercises import try_it_yourself
from ui.format_matters.toy_plane import one_hot, toy_plane
from ui.layout import page_header
from ui.state import init_page

init_page(FM)

page_header(
    "Format matters",
    """Computers calculate with numbers, so to let a computer work with a word, a picture or a customer, we turn it into numbers; and the *kind* of numbers decides what the computer can do with it. This lesson shows why a float vector is such a useful format for information. Vectors can be **compared**, **added**, **subtracted** and **averaged**, so concepts become something we can compute with. We start on a hand-made plane where x is gender and y is royalty, add a third axis, then move to real pretrained word vectors (king - man + woman = ?), axes made of words, and a map of cars where similar things sit close together.""",
)

# The lesson follows its storyline: a hand-made plane first, then real word vectors, then maps.
# The upload panel sits at the bottom, but the sections above need its answer (bundled vectors or
# an upload), so the lesson's container is made first and filled after the panel has run.
lesson = st.container()
st.divider()
vectors = upload.vectors_to_explore(word_vectors(), fit_settings=words.follow)
with lesson:
    if vectors.is_upload:
        st.info("You are exploring your upload: switch back at the bottom of the page.", icon=":material/upload_file:")
    toy_plane()
    st.divider()
    one_hot()
    st.divider()
    word_arithmetic(vectors)
    averages(vectors)
    st.divider()
    encode_decode(vectors)
    st.divider()
    word_axes(vectors)
    st.divider()
    car_land(vectors)
    st.divider()
    try_it_yourself(vectors)
    checkpoint.score_line(checks.QUESTIONS, key=FM.score.key)
