"""A section of Format matters: axes made of words, and a note on bias."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from app_state import FM, OWN_WORDS
from embedcore import wordaxes, wordlists
from ui.charts import show_chart
from ui.format_matters import cache
from ui.format_matters import charts
from ui.format_matters.common import OWN_WORDS_MAX_CHARS, pieces_note, takeaway
from ui.text import md
from ui.upload import ExploredVectors
from ui.layout import more_controls

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
    st.markdown(f"**{title}**")
    state = st.session_state
    chosen = wordlists.AXIS_PRESETS.get(state.get(preset.key))
    # The words as they will be drawn: a link's value (bound widgets read it when drawn) or the session's.
    words = tuple(st.query_params.get(end.key, state.get(end.key)) for end in (negative, positive))
    if chosen is not None and words != (", ".join(chosen.negative), ", ".join(chosen.positive)):
        state[preset.key] = OWN_WORDS  # e.g. a shared link with its own axis words: don't show a wrong preset
    st.selectbox("Preset", on_change=_use_axis_preset, args=(axis,),
                 **preset.widget)
    # Typing an axis's own words is the explorer's step; the presets are the guided path.
    with more_controls(f"axis_{axis}"):
        low_text = st.text_input("from (-1)", max_chars=200, on_change=_axis_typed, args=(axis,), **negative.widget)
        high_text = st.text_input("to (+1)", max_chars=200, on_change=_axis_typed, args=(axis,), **positive.widget)
    return (wordlists.parse_word_list(low_text, max_words=10), wordlists.parse_word_list(high_text, max_words=10))


def _toy_plane_check(placed: wordaxes.AxisMap) -> None:
    """If the placed words hold king, queen, man and woman: their gaps on the two axes, against the toy plane's."""
    check = wordaxes.toy_plane_check(placed)
    if check is not None:
        # Said from the numbers: real vectors keep some of the toy plane, not all of it.
        st.container(key=FM.axes_toy_check.key).caption(
            f"Against the toy plane: king and queen sit {check.royalty_gap:+.2f} above man and woman on the "
            f"y-axis (toy plane: +1), queen sits {check.gender_gap_royal:+.2f} from king and woman "
            f"{check.gender_gap_common:+.2f} from man on the x-axis (toy plane: -2 each, where male is +1; an "
            "axis from man to woman flips the sign). Real vectors keep the directions only partly: every word "
            "also carries meaning the two axes do not show."
        )


def _bias_note(vectors: ExploredVectors) -> None:
    """A note on bias: job titles on a gender axis (always on the bundled English vectors), and the takeaway."""
    st.markdown("### A note on bias")
    wv = vectors.wv
    if vectors.is_upload:
        st.container(key=FM.bias_bundled.key).caption(
            ":material/info: This note is about English job titles, so it uses the bundled word vectors.")
        wv = vectors.bundled
    professions, scores, label = cache.profession_bias(wv)
    st.markdown(
        "Place job titles on a gender axis (several he/she word pairs averaged) and they spread out: "
        "nothing in the word *nurse* or *carpenter* is male or female, yet the vectors lean one way. "
        "Embeddings learn this from their training text, which reflects who was written about in which "
        "job. Whatever a model learns from such vectors, it can learn the stereotype too."
    )
    show_chart(charts.bias_bars(professions, scores, label), key=FM.bias_chart.key, name="profession-bias",
               data=functools.partial(pd.DataFrame, {"profession": professions, "gender axis": scores}))
    takeaway("Differences between word vectors are directions you can name, measure and reuse - including "
             "directions nobody meant to put there.")


@st.fragment
def word_axes(vectors: ExploredVectors) -> None:
    """Axes made of words: project words onto directions such as man -> woman, and see the bias in profession words."""
    wv = vectors.wv
    st.markdown(
        "Instead of letting a projection choose the axes, **name them**. An axis runs from the mean vector "
        "of some words to the mean vector of others; every word then gets a coordinate along it "
        "(-1 = as far as the 'from' words, +1 = as far as the 'to' words). With a gender axis and a royalty "
        "axis you can check how much of the toy plane of section 1 the real vectors reproduce: the numbers "
        "under the chart compare."
    )
    x_col, y_col = st.columns(2)
    try:
        with x_col:
            x_words = axis_controls("x", "x-axis")
        with y_col:
            y_words = axis_controls("y", "y-axis")
    except ValueError as error:
        st.container(key=FM.axes_error.key).error(f"An axis needs words at both ends: {md(error)}")
        return
    choice = st.selectbox("Words to place", **FM.word_list.widget)
    try:
        if choice == OWN_WORDS:
            words = wordlists.parse_word_list(
                st.text_area("Your words (separate with commas)", max_chars=OWN_WORDS_MAX_CHARS, **FM.own_words.widget),
                max_words=wordlists.MAX_LIST_WORDS,
            )
        else:
            words = list(wordlists.WORD_LIST_PRESETS[choice])
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
            data=functools.partial(pd.DataFrame, {"word": placed.words, "x": placed.coords[:, 0], "y": placed.coords[:, 1]}),
        )
    with numbers:
        angle = wordaxes.axis_angle(x_axis, y_axis)
        st.metric("Cosine between the axes", f"{placed.axis_cosine:.2f}", help="0 = independent (at right angles)")
        st.caption(f"The two axes are {angle:.0f}\u00b0 apart; on the toy plane they were exactly 90\u00b0.")
        st.dataframe(
            pd.DataFrame({"word": placed.words, "x": placed.coords[:, 0].round(2),
                          "y": placed.coords[:, 1].round(2)}),
            hide_index=True, height=360,
        )

    _toy_plane_check(placed)
    _bias_note(vectors)
