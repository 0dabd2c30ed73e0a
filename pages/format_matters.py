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
from ui.format_matters import toy_plane, words
from ui.layout import page_header
from ui.state import init_page

init_page(FM)

page_header(
    "Format matters",
    """To compute with a word or a picture, we turn it into numbers, and the *kind* of numbers decides what we can do. Float vectors can be **compared**, **added**, **subtracted** and **averaged**: concepts become computable.""",
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
    # A link may carry a toy table (?fm.toy_pos=...). The table is then read once: section 1 edits it (a
    # drop or a saved edit reruns the page), section 2 shows it too.
    toy_plane.table_from_link()
    lesson.draw(FORMAT_MATTERS, vectors=vectors, toy_table=st.session_state[FM.toy_table.key])
    checkpoint.score_line(FORMAT_MATTERS.questions, key=FM.score.key)
