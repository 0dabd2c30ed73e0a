"""Page furniture: the title block every page starts with."""

from __future__ import annotations

import streamlit as st


def page_header(title: str, intro: str) -> None:
    """Show a page's title and its one-paragraph introduction."""
    st.title(title)
    st.markdown(intro)
