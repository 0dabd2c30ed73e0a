"""A section of Imperfect information: concepts on axes versus concepts in regions."""

from __future__ import annotations

import functools

import numpy as np
import streamlit as st

from app_state import II
from embedcore import knn, meters
from embedcore.projection import METHODS, PROJECTIONS, method_of, rotate
from ui import heavy
from ui.charts import show_chart
from ui.imperfect_information import cache, checks
from ui.imperfect_information import charts
from ui.imperfect_information.common import show_meters
from ui.glossary import define


@heavy.section
def axes_versus_regions() -> None:
    """Axes versus regions: concept words on two word axes and on a map of regions, and which one keeps the groups apart."""
    st.markdown(
        """Two ways a plane can hold concepts:

* **Axes** - one concept per dimension: x = "how much like an animal", y = "how much like a food".
  Two dimensions hold two concepts (four if "the opposite of" counts). Every other concept has no axis
  and piles up in the middle.
* **Regions** - a concept is an *area* of the plane. Two dimensions can hold many concepts, each in its
  own patch, as long as the borders fall in the right places. Walking across such a map, from one patch to
  the next, is exploring the space of features.

A real embedding has hundreds of numbers, and its regions can combine meanings in millions of ways: far more than
anyone could lay out or remember. Nobody has to: a network places them while it trains."""
    )
    define("MDS")
    c1, c2 = st.columns(2)
    n_groups = c1.slider("Concept groups", **II.groups.widget)
    method = method_of(c2.selectbox("Projection for the regions map", **II.method.widget))
    groups = cache.region_groups(n_groups)
    checks.regions_vs_axes(groups, method)
    data = cache.concepts(groups)
    st.markdown(f"Both maps below use the same real word vectors ({data.vectors.shape[1]:,} numbers per word).")
    axes_points = _axes_map(groups, data)

    degrees = st.slider("Turn the regions map (degrees)", **II.rotation.widget)
    base = cache.word_map(groups, method)
    points = rotate(base, degrees)
    grid = cache.regions_of(points, data.labels)
    show_chart(
        charts.word_map(
            points, data.words, data.labels, groups, grid=grid,
            title=f"Regions: {METHODS[method]} map, turned {degrees}°",
        ),
        key=II.regions_map_chart.key,
        data=functools.partial(charts.word_map_table, points, data.words, data.labels, groups),
        name=f"regions-map-{method}",
    )
    turned = cache.meters_of(groups, points)  # measured again on the turned map
    show_meters(turned, key=II.meters_regions.key, linear=PROJECTIONS[method].linear)
    on_map = _groups_apart(groups, data, method, points, axes_points)
    _turn_takeaway(groups, method, base, points, degrees, turned, on_map)


def _axes_map(groups: tuple[str, ...], data: cache.Concepts) -> np.ndarray:
    """The "one concept per axis" map (cosine with the first two groups' centres) and its meters; returns its points."""
    axes_points = cache.axes_map(groups)
    show_chart(
        charts.word_map(
            axes_points, data.words, data.labels, groups, title="Axes: one concept per dimension",
            axis_titles=(f"how like {groups[0]} (cosine)", f"how like {groups[1]} (cosine)"),
        ),
        key=II.axes_chart.key,
        data=functools.partial(charts.word_map_table, axes_points, data.words, data.labels, groups),
        name="axes-map",
        height=440,
    )
    show_meters(cache.meters_of(groups, axes_points), key=II.meters_axes.key, linear=False)
    if len(groups) > 2:
        st.caption(
            f"Only *{groups[0]}* and *{groups[1]}* have an axis. The other {len(groups) - 2} group"
            f"{'s' if len(groups) > 3 else ''} ({', '.join(groups[2:])}) can only pile up near the middle."
        )
    return axes_points


def _groups_apart(groups: tuple[str, ...], data: cache.Concepts, method: str, points: np.ndarray,
                  axes_points: np.ndarray) -> float:
    """Do the groups stay apart? 5-NN accuracy in full space, on the (turned) regions map and on the axes map.

    Beside them, the largest group's share (what always guessing it scores). Returns the regions map's accuracy.
    """
    full = cache.knn_accuracy(groups, None)
    on_map = knn.knn_accuracy(points, data.labels, k=5)  # the turned map, measured again
    on_axes = knn.knn_accuracy(axes_points, data.labels, k=5)
    largest = float(np.bincount(data.labels).max() / len(data.labels))
    st.markdown("**Do the groups stay apart?** Leave-one-out 5-nearest-neighbour accuracy: each word's group "
                "is guessed from its 5 nearest words.")
    a, b, c = st.container(key=II.knn_numbers.key).columns(3)
    a.metric(f"Full space ({data.vectors.shape[1]} numbers)", f"{full:.0%}")
    b.metric(f"Regions map ({METHODS[method]}, 2 numbers)", f"{on_map:.0%}", delta=f"{on_map - full:+.0%}")
    c.metric("Axes map (2 numbers)", f"{on_axes:.0%}", delta=f"{on_axes - full:+.0%}")
    st.container(key=II.knn_note.key).caption(
        f"Always guessing the largest group would score {largest:.0%}. {len(data.words)} words in {len(groups)} groups."
    )
    return on_map


def _turn_takeaway(groups: tuple[str, ...], method: str, base: np.ndarray, points: np.ndarray, degrees: int,
                   turned: meters.MapMeters, on_map: float) -> None:
    """The takeaway: turning the map changes no distance, so no meter and no accuracy (measured again, quoted)."""
    moved = meters.largest_distance_change(points, base)
    before = cache.meters_of(groups, base)
    unturned = cache.knn_accuracy(groups, method)
    st.container(key=II.turn_takeaway.key).info(
        f"""**Turning the map changes nothing that matters.** After turning it {degrees}°, the largest change in any
distance between two words is {moved:.1e}. Measured again on the turned map, recall is {turned.recall:.0%}
(before turning: {before.recall:.0%}) and the 5-nearest-neighbour accuracy {on_map:.0%} (before: {unturned:.0%}).
So the axes of a map mean nothing by themselves: what carries meaning is *where the regions are* and *how far
apart* things are.""",
        icon=":material/lightbulb:",
    )
