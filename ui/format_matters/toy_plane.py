"""Two sections of Format matters: a hand-made plane of concepts, and the same words one-hot.

Both draw the student's table (a Store, read once by the page and passed
in): section 1 edits it, section 2 shows its words in both formats.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

import app_state
from app_state import FM
from embedcore import toyplane
from ui.charts import PALETTE, show_chart
from ui.editor import apply_editor_changes
from ui.format_matters import charts, checks
from ui.format_matters.common import takeaway
from ui.text import md
from ui.glossary import define
from ui.layout import more_controls

SIGNS = {"+": "+ add", "-": "\u2212 subtract", "(none)": "stop here"}


def _save_toy_edits(editor_key: str) -> None:
    """Fold the editor's edits into the stored table, then start a fresh editor."""
    state = st.session_state
    state[FM.toy_table.key] = apply_editor_changes(state[FM.toy_table.key], state.get(editor_key) or {})
    state[FM.toy_version.key] += 1
    state[FM.toy_changed.key] = True


def _toy_editor_frame(rows: list[dict]) -> pd.DataFrame:
    """The stored rows as the editor's frame: numeric coordinate columns, text words."""
    frame = pd.DataFrame(rows, columns=["word", "gender", "royalty", "age"])
    for column in ("gender", "royalty", "age"):
        # A cell that is not a number shows empty; the problem is reported below the table.
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame["word"] = frame["word"].astype("string")
    return frame


def _keep_choice(setting: app_state.Setting, names: tuple[str, ...], fallback: int) -> None:
    """If a word chosen in a menu was deleted from the table, choose another one."""
    state = st.session_state
    if state.get(setting.key) not in names:
        state[setting.key] = names[min(fallback, len(names) - 1)]


def toy_plane_from_table(toy_table: list[dict], three_d: bool) -> tuple[toyplane.ToyPlane, list[str]]:
    """The plane built from the student's table (2-D), or with age and the age words (3-D)."""
    rows = [[r.get("word"), r.get("gender"), r.get("royalty"), r.get("age")] for r in toy_table]
    if not three_d:
        return toyplane.clean_table(rows, toyplane.AXES_2D)
    plane, problems = toyplane.clean_table(rows, toyplane.AXES_3D, empty_is_zero=("age",))
    return plane.with_words((w, (g, r, a)) for w, g, r, a in toyplane.AGE_WORDS), problems


@dataclass(frozen=True)
class _Drawn:
    """What the chosen operation puts on the plane.

    ``result`` is None for Compare (two arrows, no result star); ``path`` is the
    head-to-tail route the 3-D chart draws (Add and subtract only).
    """

    label: str
    result: toyplane.ToyResult | None
    arrows: list[tuple[np.ndarray, np.ndarray, str]]
    highlight: list[str]
    path: np.ndarray | None = None


def _table_editor(toy_table: list[dict], three_d: bool) -> None:
    """The editable table (saved on every edit by ``_save_toy_edits``), its reset button and its limit."""
    editor_key = FM.toy_editor.at(st.session_state[FM.toy_version.key])
    # The container's key only names it for the browser test (CSS class st-key-fm-toy-table).
    st.container(key=FM.toy_table_box.key).data_editor(
        _toy_editor_frame(toy_table),
        key=editor_key,
        num_rows="dynamic",
        hide_index=True,
        column_order=("word", "gender", "royalty", "age") if three_d else ("word", "gender", "royalty"),
        column_config={
            "word": st.column_config.TextColumn("word", max_chars=toyplane.MAX_NAME_LENGTH),
            "gender": st.column_config.NumberColumn("gender (x)", min_value=-5.0, max_value=5.0, step=0.1),
            "royalty": st.column_config.NumberColumn("royalty (y)", min_value=-5.0, max_value=5.0, step=0.1),
            "age": st.column_config.NumberColumn("age (z)", min_value=-5.0, max_value=5.0, step=0.1),
        },
        on_change=_save_toy_edits,
        args=(editor_key,),
    )
    if st.button("Reset the table", key=FM.toy_reset.key, icon=":material/restart_alt:"):
        st.session_state[FM.toy_table.key] = FM.toy_table.factory()
        st.session_state[FM.toy_version.key] += 1
        st.rerun()
    st.caption(f"Up to {toyplane.MAX_WORDS} words." + (" With age on, boy, girl, prince, princess and "
               "the old ones join the table's words." if three_d else ""))


def _result_numbers(result: toyplane.ToyResult, label: str) -> None:
    """Where an operation lands, and its nearest words with their distances."""
    nearest, distance = result.nearest[0]
    coords = ", ".join(f"{v:.2f}" for v in result.point)
    st.container(key=FM.toy_result.key).markdown(
        f"**{md(label)}** = [{coords}]  \nNearest word: **{md(nearest)}** (distance {distance:.2f})")
    st.dataframe(pd.DataFrame(result.nearest, columns=["nearest word", "distance"]).round(3), hide_index=True)


def _add_and_subtract(plane: toyplane.ToyPlane) -> _Drawn:
    """Add and subtract: up to three words, head to tail (king - man + woman to start with)."""
    names = plane.names
    for setting, fallback in ((FM.toy_a, 0), (FM.toy_b, 2), (FM.toy_c, 3)):
        _keep_choice(setting, names, fallback)
    # The guided path starts on king - man + woman; other words are one fold away.
    with more_controls("toy_words"):
        a, sb, b = st.columns([3, 2, 3])
        sc, c, _ = st.columns([2, 3, 3])
        first = a.selectbox("Start with", names, **FM.toy_a.widget)
        sign_b = sb.selectbox("then", format_func=SIGNS.get, **FM.toy_sign_b.widget)
        second = b.selectbox("the word", names, **FM.toy_b.widget)
        sign_c = sc.selectbox("then", format_func=SIGNS.get, **FM.toy_sign_c.widget)
        third = c.selectbox("the word ", names, disabled=sign_c == "(none)", **FM.toy_c.widget)
    terms = toyplane.signed_terms(first, (sign_b, second), (sign_c, third))
    label = toyplane.expression_text(terms)
    result = toyplane.arithmetic(plane, terms)
    _result_numbers(result, label)
    colours = [PALETTE[1], PALETTE[2], PALETTE[3]]
    arrows = [(result.path[i], result.path[i + 1], colours[i]) for i in range(len(terms))]
    return _Drawn(label, result, arrows, [w for _, w in terms], path=result.path)


def _average(plane: toyplane.ToyPlane) -> _Drawn | None:
    """Average: the midpoint of up to ten words (None while none is chosen)."""
    names = plane.names
    state = st.session_state
    state[FM.toy_average.key] = [w for w in state.get(FM.toy_average.key, []) if w in names]
    chosen = st.multiselect("Words to average", names, max_selections=10, **FM.toy_average.widget)
    if not chosen:
        st.info("Choose at least one word to average.")
        return None
    label = f"mean({', '.join(chosen)})"
    result = toyplane.midpoint(plane, chosen)
    _result_numbers(result, label)
    return _Drawn(label, result, [(p, result.point, PALETTE[8]) for p in result.path], chosen)


def _compare(plane: toyplane.ToyPlane) -> _Drawn:
    """Compare: two words' Euclidean distance and cosine similarity, as arrows from the origin."""
    names = plane.names
    _keep_choice(FM.toy_compare_a, names, 0)
    _keep_choice(FM.toy_compare_b, names, 1)
    a, b = st.columns(2)
    first = a.selectbox("Compare", names, **FM.toy_compare_a.widget)
    second = b.selectbox("with", names, **FM.toy_compare_b.widget)
    comparison = toyplane.compare(plane.vector(first), plane.vector(second))
    one, two = st.columns(2)
    one.metric("Euclidean distance", f"{comparison.distance:.2f}", help="0 = the same point")
    two.metric(
        "Cosine similarity",
        "undefined" if np.isnan(comparison.cosine) else f"{comparison.cosine:.2f}",
        help="1 = same direction, 0 = at right angles, -1 = opposite. The origin has no direction.",
    )
    origin = np.zeros(len(plane.axes))
    arrows = [(origin, plane.vector(first), PALETTE[1]), (origin, plane.vector(second), PALETTE[2])]
    return _Drawn("", None, arrows, [first, second])


OPERATIONS = {"Add and subtract": _add_and_subtract, "Average": _average, "Compare": _compare}


def _toy_chart(plane: toyplane.ToyPlane, three_d: bool, drawn: _Drawn) -> None:
    """The plane (or the 3-D space) with the operation's arrows, its highlighted words and its result."""
    names = plane.names
    point = drawn.result.point if drawn.result is not None else None
    point_table = pd.DataFrame(plane.coords, columns=list(plane.axes)).assign(word=list(names))
    if three_d:
        fig = charts.toy_space_3d(names, plane.coords, path=drawn.path, result=point, result_label=drawn.label)
    else:
        fig = charts.toy_plane(names, plane.coords, arrows=drawn.arrows, highlight=drawn.highlight,
                               result=point, result_label=drawn.label)
    show_chart(fig, key=FM.toy_chart.key, data=point_table, name="toy-plane", height=520)


@st.fragment
def toy_plane(toy_table: list[dict]) -> None:
    """Concepts as coordinates: a hand-made plane (gender x royalty, optionally age) to add, subtract, average and compare words on.

    ``toy_table`` is the student's table (rows of word, gender, royalty and
    age), read once by the page: this section edits it and section 2 shows
    its words. A saved edit, or a reset, reruns the whole page, so both
    sections draw the new table.
    """
    st.markdown(
        "Here is an embedding made by hand. Each axis **is** a concept: x is gender (+1 male, -1 female) "
        "and y is royal status (1 royal, 0 not). Edit the table to add, move or delete words, then "
        "compute with them."
    )
    define("vector", "embedding")
    if st.session_state[FM.toy_changed.key]:
        # An edit was saved (this fragment's rerun still holds the old table), and the one-hot
        # section below shows the same words: redraw the whole page once.
        st.session_state[FM.toy_changed.key] = False
        st.rerun()
    three_d = st.toggle("Add a third axis: **age** (-1 child, 0 adult, +1 old)", **FM.toy_3d.widget)
    table, controls = st.columns([2, 3])
    with table:
        _table_editor(toy_table, three_d)
    plane, problems = toy_plane_from_table(toy_table, three_d)
    if problems:
        table.container(key=FM.toy_problems.key).warning(
            "Some rows are left out:\n\n" + "\n".join(f"- {md(p)}" for p in problems[:8]))
    if len(plane) == 0:
        st.container(key=FM.toy_empty.key).info(
            "The table has no usable words. Add a word with numbers for its coordinates, or reset the table.")
        return
    with controls:
        checks.toy_sum(plane)
        operation = st.radio("Operation", horizontal=True, **FM.toy_op.widget)
        drawn = OPERATIONS[operation](plane)
    if drawn is None:
        return
    _toy_chart(plane, three_d, drawn)
    takeaway(_toy_takeaway(plane, three_d), key=FM.toy_takeaway.key)


def _point_text(point: np.ndarray) -> str:
    """A point as the takeaway writes it: ``[-0.5, 1]`` (two decimals at most, no trailing zeros)."""
    # + 0.0 turns -0.0 into 0.0, so a coordinate never reads "-0".
    return "[" + ", ".join(f"{round(float(v), 2) + 0.0:g}" for v in point) + "]"


def _toy_takeaway(plane: toyplane.ToyPlane, three_d: bool) -> str:
    """The classic results, said from the numbers on the student's table (or the starter table if a word is gone)."""
    classic = toyplane.classic_results(plane, three_d)
    nearest, distance = classic.analogy.nearest[0]
    lands = (f"lands exactly on {md(nearest)}" if classic.exact else
             f"lands at {_point_text(classic.analogy.point)}, nearest to {md(nearest)} (distance {distance:.2f})")
    where = "With the starter table" if classic.on_starter else "On your table"
    meaning = ": royal, neither male nor female" if classic.royal_and_neutral else ""
    return (f"{where}, king - man + woman {lands}, and the midpoint of king and queen is "
            f"{_point_text(classic.midpoint)}{meaning}. Each new axis (age) lets the same arithmetic express a new idea.")


# --------------------------------------------------------------------------
# 2. Why not one-hot?
# --------------------------------------------------------------------------
def _distance_table(distances: np.ndarray, names: Sequence[str]) -> pd.DataFrame:
    """A (n, n) distance matrix as a table with a column of row names (the heatmaps' CSV)."""
    return pd.DataFrame(distances, index=list(names), columns=list(names)).reset_index()


@st.fragment
def one_hot(toy_table: list[dict]) -> None:
    """Why not one-hot: the table's words in both formats, their distances, and what averaging means in each.

    ``toy_table`` is the student's table of section 1, read once by the page.
    """
    st.markdown(
        "A one-hot code gives each word its own column: a 1 there and 0 everywhere else. It tells words "
        "apart, and nothing more. Here are the words of your table in both formats."
    )
    define("one-hot")
    plane, _ = toy_plane_from_table(toy_table, False)
    if len(plane) < 2:
        st.container(key=FM.onehot_empty.key).info("Add at least two words to the table above.")
        return
    names = plane.names
    state = st.session_state
    state[FM.onehot_pair.key] = [w for w in state.get(FM.onehot_pair.key, []) if w in names][:2]
    pair = st.multiselect("Average two words", names, max_selections=2, **FM.onehot_pair.widget)
    if len(pair) < 2:
        pair = list(names[:2])
        st.caption(f"Using {md(pair[0])} and {md(pair[1])}; choose two words to change them.")
    formats = toyplane.compare_formats(plane, pair[0], pair[1])

    codes, embedded = st.columns(2)
    with codes:
        st.markdown("**One-hot**")
        st.dataframe(pd.DataFrame(formats.one_hot.astype(int), index=pd.Index(names, name="word"), columns=list(names)))
    with embedded:
        st.markdown("**Embedding (the toy plane)**")
        st.dataframe(pd.DataFrame(plane.coords, index=pd.Index(names, name="word"), columns=list(plane.axes)))
    zmax = float(max(formats.one_hot_distances.max(), formats.embedding_distances.max()))
    left, right = st.columns(2)
    with left:
        show_chart(charts.distance_heatmap(names, formats.one_hot_distances, "One-hot: distances", zmax),
                   key=FM.onehot_chart.key, name="one-hot-distances",
                   data=functools.partial(_distance_table, formats.one_hot_distances, names))
    with right:
        show_chart(charts.distance_heatmap(names, formats.embedding_distances, "Embedding: distances", zmax),
                   key=FM.embedded_chart.key, name="embedding-distances",
                   data=functools.partial(_distance_table, formats.embedding_distances, names))

    st.markdown(f"**The average of {md(pair[0])} and {md(pair[1])}**, and how far it is from every word:")
    averages = pd.DataFrame(
        {
            "word": list(names),
            "distance (one-hot)": formats.one_hot_average.distances.round(3),
            "distance (embedding)": formats.embedding_average.distances.round(3),
        }
    )
    point = ", ".join(f"{v:.2f}" for v in formats.embedding_average.point)
    st.dataframe(averages, hide_index=True)
    st.container(key=FM.onehot_average.key).caption(
        f"One-hot average: 0.5 in two columns, equally close to {md(pair[0])} and {md(pair[1])} and equally far from "
        f"everything else. Embedding average: [{point}], a point with a meaning of its own."
    )
    takeaway(
        "The information is the same in both formats, but the format decides what you can do with it: "
        "in one-hot every pair of words is equally far apart (\u221a2), so distance and averages mean nothing."
    )
