"""Small pieces every Format matters section uses: the takeaway line, the word-pieces note, neighbour tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from app_state import Setting
from app_state.kinds import parse_url_value
from ui.text import md

VOCAB = "20,000-word vocabulary"


def takeaway(text: str, *, key: str | None = None) -> None:
    """The section's one-line lesson; in a container named ``key`` when given (where a test reads its numbers)."""
    (st.container(key=key) if key else st).markdown(f":material/lightbulb: **Takeaway.** {text}")


def link_value(setting: Setting) -> Any:
    """A linked setting that no widget binds (a slider inside a chart): the link's value if it has one, else the session's.

    The page has already dropped a value ``app_state.url_problems`` refuses, with its notice.
    """
    raw = st.query_params.get(setting.key)
    if raw is not None and setting.accepts(raw):
        st.session_state[setting.key] = parse_url_value(raw, setting.default)
    return st.session_state[setting.key]


def pieces_note(words: Sequence[str], suggestions: dict[str, list[str]] | None = None, *, key: str) -> None:
    """Say which words are outside the vocabulary and were built from word pieces (in a container named ``key``)."""
    if not words:
        return
    parts = []
    for word in words:
        close = (suggestions or {}).get(word) or []
        parts.append(f"'{md(word)}'" + (f" (did you mean {md(', '.join(close))}?)" if close else ""))
    st.container(key=key).info(
        f"{', '.join(parts)} {'is' if len(words) == 1 else 'are'} not in the {VOCAB}, so "
        f"{'it was' if len(words) == 1 else 'they were'} encoded from word pieces.",
        icon=":material/extension:",
    )


def neighbour_table(pairs: Sequence[tuple[str, float]], inputs: Sequence[str] = ()) -> pd.DataFrame:
    """Ranked (word, cosine) pairs as a table, inputs marked."""
    return pd.DataFrame(
        {
            "rank": range(1, len(pairs) + 1),
            "word": [w for w, _ in pairs],
            "cosine similarity": [round(c, 4) for _, c in pairs],
            "input word": [w in inputs for w, _ in pairs],
        }
    )

# Longest texts the word boxes take: a comma-separated word list, and the own-words box of section 4.
WORD_LIST_MAX_CHARS = 300
OWN_WORDS_MAX_CHARS = 600
