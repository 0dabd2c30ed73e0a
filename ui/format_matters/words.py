"""The page's word settings, and the words they hold when the student explores an upload.

English words (king, cat, "man -> woman") mean nothing to an uploaded set of
vectors. So when the page switches to an upload, :func:`follow` saves the
word settings as they were on the bundled vectors and fills them with the
upload's own first labels; when it switches back, it puts the saved values
back. The page calls it once per run, before any section draws a widget:
the page decides what its settings hold, not the upload panel.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import streamlit as st

from app_state import FM, OWN_WORDS
from embedcore.encoding import MAX_TEXT_LENGTH
from embedcore.expressions import MAX_LENGTH
from embedcore.userdata import UploadedWordVectors
from ui.format_matters.common import OWN_WORDS_MAX_CHARS, WORD_LIST_MAX_CHARS
from ui.upload import ExploredVectors

# The settings that hold English words for the bundled vectors.
WORD_SETTINGS = (
    FM.encode_text, FM.analogy, FM.expression, FM.expected, FM.average_words,
    FM.x_preset, FM.x_negative, FM.x_positive, FM.y_preset, FM.y_negative, FM.y_positive,
    FM.word_list, FM.own_words, FM.map_extra, FM.export_words,
)


def _joined(words: Sequence[str], limit: int) -> str:
    """Words joined by commas, as many as fit in ``limit`` characters."""
    out = ""
    for word in words:
        candidate = f"{out}, {word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out


def starter_values(uploaded: UploadedWordVectors) -> dict[str, object]:
    """The word settings filled with the upload's first labels, so every section starts with words it knows."""
    words = uploaded.typable_labels(20) or uploaded.words[:20]  # labels are unique

    def pick(i: int) -> str:
        """The i-th starter label, wrapping round a short list."""
        return words[i % len(words)]

    # Axes a -> b and c -> d; with three words the second axis is c -> a.
    a, b, c, d = pick(0), pick(1), pick(2), pick(3)
    term = {w: uploaded.expression_term(w) or w for w in words}
    if len(words) >= 3:
        expression = f"{term[a]} - {term[b]} + {term[c]}"
    elif len(words) == 2:
        expression = f"{term[a]} + {term[b]}"
    else:
        expression = term[a]
    return {
        FM.encode_text.key: a[:MAX_TEXT_LENGTH],
        FM.analogy.key: None,
        FM.expression.key: expression[:MAX_LENGTH],
        FM.expected.key: "",
        FM.average_words.key: _joined(words[:2], WORD_LIST_MAX_CHARS),
        FM.x_preset.key: OWN_WORDS,
        FM.x_negative.key: a,
        FM.x_positive.key: b,
        FM.y_preset.key: OWN_WORDS,
        FM.y_negative.key: c,
        FM.y_positive.key: d,
        FM.word_list.key: OWN_WORDS,
        FM.own_words.key: _joined(words, OWN_WORDS_MAX_CHARS),
        FM.map_extra.key: "",
        FM.export_words.key: _joined(words[:10], WORD_LIST_MAX_CHARS),
    }


def follow(vectors: ExploredVectors) -> None:
    """Make the word settings fit the vectors explored in this run (see the module's docstring)."""
    state = st.session_state
    if state[FM.words_for.key] == vectors.name:
        return
    if vectors.upload is not None:
        if not state[FM.upload_saved.key]:
            state[FM.upload_saved.key] = {s.key: copy.deepcopy(state.get(s.key, s.default)) for s in WORD_SETTINGS}
        state.update(starter_values(vectors.upload))
    else:
        saved = state[FM.upload_saved.key]
        for setting in WORD_SETTINGS:
            state[setting.key] = copy.deepcopy(saved.get(setting.key, setting.default))
        state[FM.upload_saved.key] = {}
    state[FM.words_for.key] = vectors.name
