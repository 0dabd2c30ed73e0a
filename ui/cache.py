"""Process-wide caches shared by every session.

Loading the word vectors costs a fraction of a second and ~20 MB; with
``st.cache_resource`` a server hosting a whole class does it once, and every
session reads the same read-only object. Never mutate what these return.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from embedcore.wordvectors import WordVectors


@st.cache_resource(show_spinner="Loading the word vectors...")
def word_vectors() -> WordVectors:
    """The bundled word vectors, loaded once per server process."""
    # The vectors ship in the repo; never let the tokenizer stack reach for a hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from embedcore.wordvectors import load_word_vectors

    return load_word_vectors()
