"""A section of Format matters: axes made of words, and the bias a gender axis finds in job titles."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import streamlit as st

from app_state import FM, OWN_WORDS
from embedcore import wordaxes, wordlists
from ui.charts import show_chart
from ui.format_matters import cache, charts
from ui.format_matters.common import OWN_WORDS_MAX_CHARS, pieces_note, takeaway
from ui.layout import more_controls
from ui.lesson import section
from ui.text import md
from ui.upload import ExploredVectors

AXIS_SETTINGS = {
    "x": (FM.x_preset, FM.x_negative, FM.x_positive),
    "y": (FM.y_preset, FM.y_negative, FM.y_positive),
}


def _use_axis_preset(axis: str) -> None:
    """The preset menu's callback: write the preset's words into the axis's two ends."""
    preset_setting, negative, positive = AXIS_SETTINGS[axis]
    preset = wordlists.AXIS_PRESETS.get(st.session_state[preset_setting.key])
    if preset is not None:
        st.session_state[negative.key] = ", ".join(preset.negative)
        st.session_state[positive.key] = ", ".join(preset.positive)


def _axis_typed(axis: str) -> None:
    """An end's callback: typed words are the student's own, so the menu says so."""
    st.session_state[AXIS_SETTINGS[axis][0].key] = OWN_WORDS


def axis_controls(axis: str, title: str) -> tuple[list[str], list[str]]:
    """A preset menu and the two ends of one axis; returns the parsed word lists."""
    preset, negative, positive = AXIS_SETTINGS[axis]
    state = st.session_state
    chosen = wordlists.AXIS_PRESETS.get(state.get(preset.key))
    # The words as they will be drawn: a link's value (bound widgets read it when drawn) or the session's.
    words = tuple(st.query_params.get(end.key, state.get(end.key)) for end in (negative, positive))
    if chosen is not None and words != (", ".join(chosen.negative), ", ".join(chosen.positive)):
        state[preset.key] = OWN_WORDS  # e.g. a shared link with its own axis words: don't show a wrong preset
    st.selectbox(title, on_change=_use_axis_preset, args=(axis,), **preset.widget)
    # Typing an axis's own words is the explorer's step; the presets are the guided path.
    with more_controls(f"axis_{axis}"):
        low_text = st.text_input("from (-1)", max_chars=200, on_change=_axis_typed, args=(axis,), **negative.widget)
        high_text = st.text_input("to (+1)", max_chars=200, on_change=_axis_typed, args=(axis,), **positive.widget)
    return (wordlists.parse_word_list(low_text, max_words=10), wordlists.parse_word_list(high_text, max_words=10))


def toy_check_text(check: wordaxes.ToyPlaneCheck) -> str:
    """The toy words' gaps on the two axes, against the toy plane's; a gap the axes fix by construction is said
    to be one, not compared as a finding (an axis from man to woman puts them 2 apart whatever the vectors)."""
    found, fixed = [], []
    for name, gap, text in (
        ("royalty_gap", check.royalty_gap, f"king and queen sit {check.royalty_gap:+.2f} above man and woman "
                                           "(toy plane: +1)"),
        ("gender_gap_royal", check.gender_gap_royal, f"queen sits {check.gender_gap_royal:+.2f} from king across "
                                                     "(toy plane: 2 apart)"),
        ("gender_gap_common", check.gender_gap_common, f"woman sits {check.gender_gap_common:+.2f} from man across "
                                                       "(toy plane: 2 apart)"),
    ):
        (fixed if name in check.built_in else found).append((name, gap, text))
    parts = ["Against the toy plane: " + "; ".join(text for _, _, text in found) + "."] if found else []
    words = {"royalty_gap": "the royal and the common pair", "gender_gap_royal": "king and queen",
             "gender_gap_common": "man and woman"}
    parts += [f"{words[name].capitalize()} are an axis's own ends, so their gap is 2 by construction, not a finding."
              for name, _, _ in fixed]
    return " ".join(parts)


def _bias(vectors: ExploredVectors) -> tuple[list[str], np.ndarray]:
    """Job titles on a gender axis (always on the bundled English vectors), drawn; their scores."""
    wv = vectors.wv
    if vectors.is_upload:
        st.container(key=FM.bias_bundled.key).caption(
            ":material/info: Job titles are English words: this chart uses the bundled word vectors.")
        wv = vectors.bundled
    professions, scores, label = cache.profession_bias(wv)
    st.markdown("**Bias.** Nothing in *nurse* or *carpenter* is male or female, yet on a gender axis (he/she pairs "
                "averaged) the vectors lean: they learned who their training text wrote about.")
    show_chart(charts.bias_bars(professions, scores, label), key=FM.bias_chart.key, name="profession-bias",
               data=functools.partial(pd.DataFrame, {"profession": professions, "gender axis": scores}))
    return professions, scores


def _placed_words(vectors: ExploredVectors) -> list[str]:
    """The words to place: a preset list, or the student's own."""
    choice = st.selectbox("Words to place", **FM.word_list.widget)
    if choice != OWN_WORDS:
        return list(wordlists.WORD_LIST_PRESETS[choice])
    own = st.text_area("Your words (separate with commas)", max_chars=OWN_WORDS_MAX_CHARS, **FM.own_words.widget)
    return wordlists.parse_word_list(own, max_words=wordlists.MAX_LIST_WORDS)


@section
def word_axes(vectors: ExploredVectors) -> None:
    """Axes made of words: project words onto directions such as man -> woman, and see the bias in profession words."""
    wv = vectors.wv
    st.markdown("Name the axes yourself: each runs from the mean vector of some words (\u22121) to that of others "
                "(+1). How much of the toy plane do real vectors keep?")
    x_col, y_col = st.columns(2)
    try:
        with x_col:
            x_words = axis_controls("x", "x-axis")
        with y_col:
            y_words = axis_controls("y", "y-axis")
        words = _placed_words(vectors)
        x_axis = wordaxes.make_axis(wv, *(vectors.as_labels(end) for end in x_words))
        y_axis = wordaxes.make_axis(wv, *(vectors.as_labels(end) for end in y_words))
        placed = wordaxes.project_words(wv, vectors.as_labels(words), x_axis, y_axis)
    except ValueError as error:
        st.container(key=FM.axes_error.key).error(md(error))
        return
    pieces_note(list(dict.fromkeys(x_axis.out_of_vocab + y_axis.out_of_vocab
                                   + tuple(w for w, k in zip(placed.words, placed.in_vocab) if not k))),
                key=FM.axes_pieces.key)
    chart, numbers = st.columns([3, 1])
    with chart:
        show_chart(
            charts.axis_map(placed.words, placed.coords, placed.in_vocab, x_axis.label, y_axis.label),
            key=FM.axes_chart.key, name="word-axes",
            data=functools.partial(pd.DataFrame, {"word": placed.words, "x": placed.coords[:, 0],
                                                  "y": placed.coords[:, 1]}),
        )
    with numbers:
        st.metric("Cosine between the axes", f"{placed.axis_cosine:.2f}", help="0 = independent (at right angles)")
        st.dataframe(pd.DataFrame({"word": placed.words, "x": placed.coords[:, 0].round(2),
                                   "y": placed.coords[:, 1].round(2)}), hide_index=True, height=360)
    check = wordaxes.toy_plane_check(placed, x_axis, y_axis)
    if check is not None:
        st.container(key=FM.axes_toy_check.key).caption(toy_check_text(check))
    professions, scores = _bias(vectors)
    low, high = int(np.argmin(scores)), int(np.argmax(scores))
    takeaway(f"The two axes are {wordaxes.axis_angle(x_axis, y_axis):.0f}\u00b0 apart (toy plane: 90\u00b0), and job "
             f"titles spread from {md(professions[low])} ({scores[low]:+.2f}) to {md(professions[high])} "
             f"({scores[high]:+.2f}) on the gender axis: directions you can name, measure and reuse, including ones "
             "nobody meant to put there.", key=FM.axes_takeaway.key)
