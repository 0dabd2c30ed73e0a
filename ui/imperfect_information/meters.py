"""A section of Imperfect information: meters of what a flat map keeps and what it loses."""

from __future__ import annotations

import functools

import streamlit as st

from app_state import II
from embedcore.meters import LostNeighbours, lost_neighbours
from embedcore.projection import METHODS, PROJECTIONS, method_of
from ui.charts import selected_ids, show_chart
from ui.glossary import define
from ui.imperfect_information import cache, charts
from ui.imperfect_information.common import show_meters
from ui.lesson import section


def inspect_selected(words: tuple[str, ...]) -> None:
    """The lost-neighbours map's click: the word clicked becomes the word inspected (linked views)."""
    picked = selected_ids(II.lost_chart.key)
    if picked and 0 <= picked[0] < len(words) and words[picked[0]] in II.word.choices:
        st.session_state[II.word.key] = words[picked[0]]


def lost_sentence(word: str, method: str, found: LostNeighbours) -> str:
    """What the lost-neighbours map shows, in numbers: its text alternative and its note."""
    kept = len(found.full) - len(found.false)
    return (f"Of the {len(found.full)} nearest words of “{word}” in the full space, {kept} are still among its "
            f"{len(found.full)} nearest on the {METHODS[method]} map; {len(found.false)} false neighbours (crosses) "
            "took the other places.")


@section
def meters() -> None:
    """Meters: what a 2-D map keeps and loses (recall@10, trustworthiness, explained variance), word by word."""
    groups = cache.region_groups(10)
    data = cache.concepts(groups)
    group_of = [groups[g] for g in data.labels]
    st.markdown(
        f"""A flat map of {data.vectors.shape[1]:,}-number vectors must lose something. Three meters say what:
**recall@10** counts lost neighbours, **trustworthiness** false ones, and, for PCA maps, **explained variance** the
spread kept. Pick a word, or click one on the map."""
    )
    define("recall@10", "trustworthiness", "explained variance")
    c1, c2 = st.columns(2)
    method = method_of(c1.selectbox("Projection", **II.meter_method.widget))
    word = c2.selectbox("Word to inspect", **II.word.widget)
    points = cache.word_map(groups, method)
    index = data.words.index(word)
    found = lost_neighbours(data.vectors, points, index, k=10)
    sentence = lost_sentence(word, method, found)
    show_chart(
        charts.lost_neighbours_map(points, data.words, index, found),
        key=II.lost_chart.key,
        data=functools.partial(charts.lost_neighbours_table, data.words, found, group_of),
        name=f"lost-neighbours-{word}-{method}",
        summary=f"Chart: where the 10 true neighbours of “{word}” ended up. {sentence}",
        on_select=functools.partial(inspect_selected, tuple(data.words)),
    )
    st.container(key=II.lost_note.key).caption(sentence)
    show_meters(cache.meters_of(groups, points), key=II.meters_lost.key, linear=PROJECTIONS[method].linear)

    dims = st.slider("PCA directions kept", help="A PCA map need not be flat: keep more of its directions.",
                     **II.dims.widget)
    curve = cache.meter_curve(groups)
    show_chart(charts.meter_curves(curve, dims), key=II.meter_curves_chart.key,
               data=functools.partial(charts.meter_table, curve), name="meters-over-dimensions")
    needed = curve.dims_for_recall(0.8)
    st.container(key=II.dims_takeaway.key).info(
        f"""**Every flat map is a trade.** A 2-D PCA map keeps {curve.recall[1]:.0%} of the neighbourhoods here; PCA
needs {needed if needed else "more than 64"} directions to keep 80%. A picture is for eyes; a model downstream can use
many more numbers.""",
        icon=":material/lightbulb:",
    )
