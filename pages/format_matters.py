"""Format matters: as vectors, concepts can be compared, added, subtracted and averaged.

The lesson's table of contents is its list of sections
(``app_state.lessons.FORMAT_MATTERS``), drawn in order by ``ui.lesson``;
each section is a fragment in ``ui/format_matters/`` (controls -> one
embedcore call -> chart -> explanation). The sections take what they share
as values: the vectors the student explores (the bundled ones or an upload),
and the student's toy table.
"""

from __future__ import annotations

import streamlit as st

from app_state import FM
from app_state.lessons import FORMAT_MATTERS
from ui import checkpoint, lesson, upload
from ui.cache import word_vectors
from ui.format_matters import words
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
contents = st.container()
st.divider()
vectors = upload.vectors_to_explore(word_vectors(), fit_settings=words.follow)
with contents:
    if vectors.is_upload:
        st.info("You are exploring your upload: switch back at the bottom of the page.", icon=":material/upload_file:")
    # The toy table is read once: section 1 edits it (a saved edit reruns the page), section 2 shows it too.
    lesson.draw(FORMAT_MATTERS, vectors=vectors, toy_table=st.session_state[FM.toy_table.key])
    checkpoint.score_line(FORMAT_MATTERS.questions, key=FM.score.key)
