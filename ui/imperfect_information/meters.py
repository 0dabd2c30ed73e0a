"""A section of Imperfect information: meters of what a projection keeps and what it loses."""

from __future__ import annotations

import functools

import streamlit as st

from app_state import II
from embedcore.meters import lost_neighbours
from embedcore.projection import PROJECTIONS, method_of
from ui import heavy
from ui.charts import selected_ids, show_chart
from ui.imperfect_information import cache
from ui.imperfect_information import charts
from ui.imperfect_information.common import show_meters


def inspect_selected(words: tuple[str, ...]) -> None:
    """The lost-neighbours map's click: the word clicked becomes the word inspected (linked views)."""
    picked = selected_ids(II.lost_chart.key)
    if picked and 0 <= picked[0] < len(words) and words[picked[0]] in II.word.choices:
        st.session_state[II.word.key] = words[picked[0]]


@heavy.section
def meters() -> None:
    """Meters: what a 2-D map keeps and loses (recall@10, trustworthiness, explained variance), word by word."""
    groups = cache.region_groups(10)
    data = cache.concepts(groups)
    group_of = [groups[g] for g in data.labels]
    st.markdown(
        f"""A 2-D map of {data.vectors.shape[1]:,}-number vectors must lose something. Three meters say what:

* **Neighbourhood recall@10** - of each word's 10 nearest words in the full space, the share that are still
  among its 10 nearest on the map. Low recall = **lost neighbours**.
* **Trustworthiness** - do neighbours on the map deserve trust? It drops when words that were far apart land
  close together: **false neighbours**.
* **PCA explained variance** - for a PCA map only: the share of the spread of the vectors that the flat map keeps."""
    )

    c1, c2 = st.columns(2)
    method = method_of(c1.selectbox("Projection", **II.meter_method.widget))
    word = c2.selectbox("Word to inspect", **II.word.widget)
    points = cache.word_map(groups, method)
    index = data.words.index(word)
    found = lost_neighbours(data.vectors, points, index, k=10)

    st.subheader(f"Lost neighbours of “{word}”")
    show_chart(
        charts.lost_neighbours_map(points, data.words, index, found),
        key=II.lost_chart.key,
        data=functools.partial(charts.lost_neighbours_table, data.words, found, group_of),
        name=f"lost-neighbours-{word}-{method}",
        on_select=functools.partial(inspect_selected, tuple(data.words)),
    )
    st.caption(":material/ads_click: Linked to the word menu: click a word on the map (a neighbour, false or "
               "true, or any grey point) to inspect it instead.")
    show_meters(cache.meters_of(groups, points), key=II.meters_lost.key, linear=PROJECTIONS[method].linear)
    st.dataframe(charts.lost_neighbours_table(data.words, found, group_of), hide_index=True)
    n_false = len(found.false)
    st.caption(
        f"{n_false} of the 10 map neighbours of “{word}” are false neighbours (close on the map, not among its "
        f"10 nearest in the full space); {10 - n_false} are true. {len(data.words)} words from {len(groups)} groups."
    )

    st.subheader("Keep more dimensions, lose less")
    st.markdown(
        "A PCA map does not have to be flat. Keep more of its directions and every meter climbs; the "
        "curves show how fast."
    )
    dims = st.slider("Dimensions kept", **II.dims.widget)
    curve = cache.meter_curve(groups)
    at = dims - 1
    a, b, c = st.container(key=II.dims_numbers.key).columns(3)
    a.metric(f"Recall@{curve.k} with {dims} dimensions", f"{curve.recall[at]:.0%}")
    b.metric(f"Trustworthiness with {dims} dimensions", f"{curve.trustworthiness[at]:.2f}")
    c.metric(f"Explained variance with {dims} dimensions", f"{curve.explained_variance[at]:.0%}")
    show_chart(charts.meter_curves(curve, dims), key=II.meter_curves_chart.key, data=functools.partial(charts.meter_table, curve),
               name="meters-over-dimensions")
    needed = curve.dims_for_recall(0.8)
    st.info(
        f"""**Every map is a trade.** A 2-D PCA map keeps {curve.recall[1]:.0%} of the neighbourhoods here; PCA needs
{needed if needed else "more than 64"} dimensions to keep 80%.
A 2-D picture is for eyes; the model downstream can use many more numbers.""",
        icon=":material/lightbulb:",
    )
