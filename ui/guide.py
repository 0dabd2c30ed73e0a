"""The teacher's guide (docs/teaching-guide.md), readable and downloadable from Home.

The guide tags every number it quotes with an HTML comment naming it
(``0.567<!--fm.analogy.cos1-->``, checked by tests/test_teaching_guide.py);
the tags are for that test, so they are stripped before the guide is shown.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from app_state import HOME

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "teaching-guide.md"
_TAG = re.compile(r"<!--.*?-->", re.S)


@st.cache_data(max_entries=1)
def guide_text() -> str | None:
    """The guide as a teacher reads it (tags removed), or None if the file is missing from this install."""
    try:
        return _TAG.sub("", GUIDE.read_text(encoding="utf-8"))
    except OSError:
        return None


def show_teaching_guide() -> None:
    """A folded box with the whole guide, and a button to keep it as a file."""
    text = guide_text()
    with st.expander("Teacher's guide: a 45-minute plan per lesson, the answers, and how to run a class"):
        if text is None:
            st.info("The teacher's guide is not part of this installation (docs/teaching-guide.md).")
            return
        st.download_button("Download the guide (Markdown)", text, file_name="why-embeddings-teaching-guide.md",
                           mime="text/markdown", key=HOME.guide_download.key)
        with st.container(key=HOME.guide.key):
            st.markdown(text)
