"""Section 1 of Format matters: a hand-made plane of concepts, to drag, edit and compute with.

The student's table is a Store, read once by the page and passed in; this
section edits it three ways (dragging a point on the plane, the table editor,
the reset button) and keeps the link's copy of it (``FM.toy_pos``,
:mod:`embedcore.toylink`) equal to it. The one-hot section shows its words too.

With age off, the plane is :func:`ui.components.plane.draggable_plane`: the
sum, the result star, the nearest word and the readouts follow a drag in the
browser, and the drop comes back to :func:`_save_moves`. With age on, a
plotly 3-D chart stands in (the component is 2-D).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

import app_state
from app_state import FM
from embedcore import checkpoints as cp
from embedcore import toylink, toyplane
from ui import checkpoint, downloads
from ui.charts import PALETTE, show_chart
from ui.components import plane as dragged
from ui.editor import apply_editor_changes
from ui.format_matters import charts, checks
from ui.format_matters.common import takeaway
from ui.glossary import define
from ui.layout import more_controls
from ui.lesson import section
from ui.text import md

SIGNS = {"+": "+ add", "-": "\u2212 subtract", "(none)": "stop here"}


# --------------------------------------------------------------------------
# The table: edits, drops, the link
# --------------------------------------------------------------------------
def _table_changed() -> None:
    """A new editor from the saved table, and one whole-page rerun so the one-hot section follows."""
    st.session_state[FM.toy_version.key] += 1
    st.session_state[FM.toy_changed.key] = True


def _save_toy_edits(editor_key: str) -> None:
    """Fold the editor's edits into the stored table, then start a fresh editor."""
    state = st.session_state
    state[FM.toy_table.key] = apply_editor_changes(state[FM.toy_table.key], state.get(editor_key) or {})
    _table_changed()


def _save_moves(moved: dict[str, tuple[float, float]]) -> None:
    """The plane's ``on_move``: write the dropped points' gender and royalty into their rows of the table.

    The plane names a row by its cleaned word (``toyplane.clean_name``); the
    first row of that word is the one the plane drew.
    """
    rows = [dict(row) for row in st.session_state[FM.toy_table.key]]
    done: set[str] = set()
    for row in rows:
        name = toyplane.clean_name(row.get("word"))
        if name in moved and name not in done:
            row["gender"], row["royalty"] = moved[name]
            done.add(name)
    st.session_state[FM.toy_table.key] = rows
    _table_changed()


def table_from_link() -> None:
    """If the page was opened with a table in its link (``?fm.toy_pos=...``), make it the student's table.

    Called by the page before it reads the table. A value this session wrote
    itself is not read again; a bad value never gets here (``app_state.url_problems``
    names it and the page drops it).
    """
    state = st.session_state
    raw = st.query_params.get(FM.toy_pos.key)
    if raw is None or raw == state[FM.toy_pos.key] or not FM.toy_pos.accepts(raw):
        return
    state[FM.toy_table.key] = [{"word": w, "gender": g, "royalty": r, "age": a}
                               for w, g, r, a in toylink.table_from_link(raw)]
    state[FM.toy_pos.key] = raw
    state[FM.toy_version.key] += 1


def _table_to_link(toy_table: list[dict]) -> None:
    """Keep the link's copy of the table (and *Copy link to this view*'s) equal to the table."""
    text = toylink.table_to_link([[r.get(c) for c in ("word", "gender", "royalty", "age")] for r in toy_table])
    st.session_state[FM.toy_pos.key] = text
    if text and st.query_params.get(FM.toy_pos.key) != text:
        st.query_params[FM.toy_pos.key] = text
    elif not text and FM.toy_pos.key in st.query_params:
        del st.query_params[FM.toy_pos.key]


def _toy_editor_frame(rows: list[dict]) -> pd.DataFrame:
    """The stored rows as the editor's frame: numeric coordinate columns, text words."""
    frame = pd.DataFrame(rows, columns=["word", "gender", "royalty", "age"])
    for column in ("gender", "royalty", "age"):
        # A cell that is not a number shows empty; the problem is reported below the table.
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame["word"] = frame["word"].astype("string")
    return frame


def _table_editor(toy_table: list[dict], three_d: bool) -> None:
    """The editable table (the plane's accessible twin, saved on every edit), its reset button and its limit."""
    editor_key = FM.toy_editor.at(st.session_state[FM.toy_version.key])
    lo, hi = toylink.BOUNDS
    number = {"min_value": lo, "max_value": hi, "step": 0.1}
    # The container's key only names it for the browser test (CSS class st-key-fm-toy-table).
    st.container(key=FM.toy_table_box.key).data_editor(
        _toy_editor_frame(toy_table),
        key=editor_key,
        num_rows="dynamic",
        hide_index=True,
        column_order=("word", "gender", "royalty", "age") if three_d else ("word", "gender", "royalty"),
        column_config={
            "word": st.column_config.TextColumn("word", max_chars=toyplane.MAX_NAME_LENGTH),
            "gender": st.column_config.NumberColumn("gender (x)", **number),
            "royalty": st.column_config.NumberColumn("royalty (y)", **number),
            "age": st.column_config.NumberColumn("age (z)", **number),
        },
        on_change=_save_toy_edits,
        args=(editor_key,),
    )
    if st.button("Reset the table", key=FM.toy_reset.key, icon=":material/restart_alt:"):
        st.session_state[FM.toy_table.key] = FM.toy_table.factory()
        st.session_state[FM.toy_version.key] += 1
        st.rerun()


def toy_plane_from_table(toy_table: list[dict], three_d: bool) -> tuple[toyplane.ToyPlane, list[str]]:
    """The plane built from the student's table (2-D), or with age and the age words (3-D)."""
    rows = [[r.get("word"), r.get("gender"), r.get("royalty"), r.get("age")] for r in toy_table]
    if not three_d:
        return toyplane.clean_table(rows, toyplane.AXES_2D)
    plane, problems = toyplane.clean_table(rows, toyplane.AXES_3D, empty_is_zero=("age",))
    return plane.with_words((w, (g, r, a)) for w, g, r, a in toyplane.AGE_WORDS), problems


# --------------------------------------------------------------------------
# The operations
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Drawn:
    """What the chosen operation puts on the plane.

    ``expression`` is what the draggable plane computes live; ``result`` and
    ``path`` (the head-to-tail route of add and subtract) are what the 3-D
    chart draws; ``comparison`` is Compare's pair of numbers.
    """

    expression: dragged.Expression
    label: str = ""
    result: toyplane.ToyResult | None = None
    path: np.ndarray | None = None
    comparison: toyplane.Comparison | None = None


def _keep_choice(setting: app_state.Setting, names: tuple[str, ...], fallback: int) -> None:
    """If a word chosen in a menu was deleted from the table, choose another one."""
    state = st.session_state
    if state.get(setting.key) not in names:
        state[setting.key] = names[min(fallback, len(names) - 1)]


def _add_and_subtract(plane: toyplane.ToyPlane) -> _Drawn | None:
    """Add and subtract: up to three words, head to tail (king - man + woman to start with).

    It answers the toy-plane checkpoint, so it computes nothing until the prediction is revealed.
    """
    if not checkpoint.revealed(cp.TOY_SUM):
        st.container(key=FM.toy_locked.key).caption("Lock in your prediction above to add and subtract.")
        return None
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
    result = toyplane.arithmetic(plane, terms)
    return _Drawn(dragged.signed_sum(terms), toyplane.expression_text(terms), result, path=result.path)


def _average(plane: toyplane.ToyPlane) -> _Drawn | None:
    """Average: the midpoint of up to ten words (None while none is chosen)."""
    names = plane.names
    state = st.session_state
    state[FM.toy_average.key] = [w for w in state.get(FM.toy_average.key, []) if w in names]
    chosen = st.multiselect("Words to average", names, max_selections=10, **FM.toy_average.widget)
    if not chosen:
        return None
    expression = dragged.average(chosen)
    return _Drawn(expression, expression.label, toyplane.midpoint(plane, chosen))


def _compare(plane: toyplane.ToyPlane) -> _Drawn:
    """Compare: two words' Euclidean distance and cosine similarity."""
    names = plane.names
    _keep_choice(FM.toy_compare_a, names, 0)
    _keep_choice(FM.toy_compare_b, names, 1)
    a, b = st.columns(2)
    first = a.selectbox("Compare", names, **FM.toy_compare_a.widget)
    second = b.selectbox("with", names, **FM.toy_compare_b.widget)
    comparison = toyplane.compare(plane.vector(first), plane.vector(second))
    return _Drawn(dragged.comparison(first, second), comparison=comparison)


OPERATIONS = {"Add and subtract": _add_and_subtract, "Average": _average, "Compare": _compare}


def _readouts(plane: toyplane.ToyPlane, drawn: _Drawn | None) -> list[dragged.Expression]:
    """The takeaway's classic results, as lines under the plane that follow a drag.

    king - man + woman (and king - man, its first step) answer the checkpoint:
    they join only once it is revealed.
    """
    lines = []
    if checkpoint.revealed(cp.TOY_SUM):
        lines = [dragged.signed_sum([(1, "king"), (-1, "man")]), dragged.signed_sum([(1, "king"), (-1, "man"), (1, "woman")])]
    lines.append(dragged.average(["king", "queen"]))
    shown = drawn.expression if drawn is not None else None
    return [line for line in lines if all(w in plane for w in line.words) and line != shown]


def _three_d_numbers(drawn: _Drawn | None) -> None:
    """With age on, the plotly chart shows no numbers: the result line (or the two comparison numbers)."""
    if drawn is None:
        return
    if drawn.comparison is not None:
        one, two = st.columns(2)
        one.metric("Euclidean distance", f"{drawn.comparison.distance:.2f}")
        cosine = drawn.comparison.cosine
        two.metric("Cosine similarity", "undefined" if np.isnan(cosine) else f"{cosine:.2f}")
    elif drawn.result is not None:
        nearest, distance = drawn.result.nearest[0]
        coords = ", ".join(f"{v:.2f}" for v in drawn.result.point)
        st.container(key=FM.toy_result.key).markdown(
            f"**{md(drawn.label)}** = [{coords}], nearest **{md(nearest)}** (distance {distance:.2f})")


def _draw(plane: toyplane.ToyPlane, three_d: bool, drawn: _Drawn | None) -> None:
    """The draggable plane (2-D) or the plotly space (3-D), and the points' table for the section's download."""
    points = pd.DataFrame(plane.coords, columns=list(plane.axes)).assign(word=list(plane.names))
    if not three_d:
        dragged.draggable_plane(plane.names, plane.coords, key=FM.toy_drag.key,
                                expression=drawn.expression if drawn is not None else None,
                                readouts=_readouts(plane, drawn), on_move=_save_moves)
        downloads.offer("toy-plane", points, key=f"{FM.toy_drag.key}.csv")
        return
    if drawn is None:
        fig = charts.toy_space_3d(plane.names, plane.coords)
    else:
        result = drawn.result.point if drawn.result is not None else None
        fig = charts.toy_space_3d(plane.names, plane.coords, path=drawn.path, result=result, result_label=drawn.label)
    show_chart(fig, key=FM.toy_chart.key, data=points, name="toy-plane", height=520)
    _three_d_numbers(drawn)


# --------------------------------------------------------------------------
# The section
# --------------------------------------------------------------------------
@section
def toy_plane(toy_table: list[dict]) -> None:
    """Concepts as coordinates: a hand-made plane (gender x royalty, optionally age) to drag, edit and compute with.

    ``toy_table`` is the student's table (rows of word, gender, royalty and
    age), read once by the page. A drop, a saved edit or a reset reruns the
    whole page, so the one-hot section draws the new table too.
    """
    st.markdown(
        "An embedding made by hand: each axis **is** a concept, x gender (+1 male, \u22121 female) and y royalty "
        "(1 royal, 0 not). Float vectors are *continuous*: drag a word anywhere, or edit the table."
    )
    define("vector", "embedding", "cosine similarity")
    if st.session_state[FM.toy_changed.key]:
        # A drop or an edit was saved (this fragment's rerun still holds the old table), and the one-hot
        # section below shows the same words: redraw the whole page once.
        st.session_state[FM.toy_changed.key] = False
        st.rerun()
    _table_to_link(toy_table)
    three_d = st.toggle("Add a third axis: **age** (\u22121 child, 0 adult, +1 old)", **FM.toy_3d.widget)
    plane, problems = toy_plane_from_table(toy_table, three_d)
    if len(plane):
        checks.toy_sum(plane)
    shown, side = st.columns([3, 2])
    with side:
        drawn = None
        if len(plane):
            operation = st.radio("Operation", horizontal=True, **FM.toy_op.widget)
            drawn = OPERATIONS[operation](plane)
        _table_editor(toy_table, three_d)
        if problems:
            st.container(key=FM.toy_problems.key).warning(
                "Some rows are left out:\n\n" + "\n".join(f"- {md(p)}" for p in problems[:8]))
    if len(plane) == 0:
        st.container(key=FM.toy_empty.key).info("The table has no usable words: add one, or reset the table.")
        return
    with shown:
        _draw(plane, three_d, drawn)
    takeaway(_toy_takeaway(plane, three_d), key=FM.toy_takeaway.key)


def _point_text(point: np.ndarray) -> str:
    """A point as the takeaway writes it: ``[-0.5, 1]`` (two decimals at most, no trailing zeros)."""
    # + 0.0 turns -0.0 into 0.0, so a coordinate never reads "-0".
    return "[" + ", ".join(f"{round(float(v), 2) + 0.0:g}" for v in point) + "]"


def _toy_takeaway(plane: toyplane.ToyPlane, three_d: bool) -> str:
    """The classic results, said from the numbers on the student's table (or the starter table if a word is gone).

    Before the checkpoint is revealed it leaves out king - man + woman and its first step, king - man.
    """
    classic = toyplane.classic_results(plane, three_d)
    where = "On the starter table" if classic.on_starter else "On your table"
    inside = [w for w in toyplane.CLASSIC_WORDS if w in classic.royal]
    outside = [w for w in toyplane.CLASSIC_WORDS if w not in classic.royal]
    area = (f"Royalty is an area around it: {md(' and '.join(inside)) or 'none of king, queen, man and woman'} "
            f"inside, {md(' and '.join(outside)) or 'none'} outside.")
    middle = f"the midpoint of king and queen is {_point_text(classic.midpoint)}"
    if not checkpoint.revealed(cp.TOY_SUM):
        return f"{where}, {middle}. {area}"
    nearest, distance = classic.analogy.nearest[0]
    lands = (f"lands exactly on {md(nearest)}" if classic.exact else
             f"lands at {_point_text(classic.analogy.point)}, nearest {md(nearest)} (distance {distance:.2f})")
    removed = ": royalty without gender" if np.allclose(classic.difference[:2], [0, 1]) else ""
    return (f"{where}, king \u2212 man = {_point_text(classic.difference)}{removed}; adding woman {lands}. "
            f"Also, {middle}. {area}")
