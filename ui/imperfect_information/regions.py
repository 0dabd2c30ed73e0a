"""A section of Imperfect information: concepts on axes versus concepts in regions.

The checkpoint asks which map keeps all 10 groups apart better; until it
is revealed, the section draws both maps (what a student reasons from) but
none of the accuracies that answer it.
"""

from __future__ import annotations

import functools

import numpy as np
import streamlit as st

from app_state import II
from embedcore import checkpoints as cp
from embedcore.projection import METHODS, method_of, rotate
from ui import checkpoint
from ui.charts import show_chart
from ui.glossary import define
from ui.imperfect_information import cache, charts, checks
from ui.lesson import section

# Every angle the turn slider offers but 0 (where nothing has turned).
ANGLES = tuple(range(int(II.rotation.step), int(II.rotation.bounds[1]) + 1, int(II.rotation.step)))


@section
def axes_versus_regions() -> None:
    """Axes versus regions: concept words on two concept axes and on a map of regions, and which keeps groups apart."""
    st.markdown(
        """On the toy plane of *Format matters*, royalty was not just "up": it was the **area** around [0, 1],
fixed by both coordinates. That is how a map holds many concepts: each owns a **region**, and walking from patch
to patch explores the features. The other way gives each concept an **axis**. Both, on the same real word vectors:"""
    )
    define("cosine similarity", "MDS", "t-SNE")
    c1, c2 = st.columns(2)
    n_groups = c1.slider("Concept groups", **II.groups.widget)
    method = method_of(c2.selectbox("Projection for the regions map", **II.method.widget))
    groups = cache.region_groups(n_groups)
    checks.regions_vs_axes(method)
    revealed = checkpoint.revealed(cp.REGIONS_VS_AXES)
    data = cache.concepts(groups)
    left, right = st.columns(2)
    with left:
        _axes_map(groups, data)
    with right:
        degrees = st.slider("Turn the regions map (degrees)", **II.rotation.widget)
        points = rotate(cache.word_map(groups, method), degrees)
        show_chart(
            charts.word_map(points, data.words, data.labels, groups, grid=cache.regions_of(points, data.labels),
                            title=f"Regions: {METHODS[method]} map, turned {degrees}°"),
            key=II.regions_map_chart.key,
            data=functools.partial(charts.word_map_table, points, data.words, data.labels, groups),
            name=f"regions-map-{method}",
        )
    if revealed:
        _groups_apart(groups, data, method)
    _turn_takeaway(groups, method, revealed)


def _axes_map(groups: tuple[str, ...], data: cache.Concepts) -> None:
    """The "one concept per axis" map (cosine with the first two groups' centres), and where the other groups sit."""
    points = cache.axes_map(groups)
    show_chart(
        charts.word_map(
            points, data.words, data.labels, groups, title="Axes: one concept per dimension",
            axis_titles=(f"how like {groups[0]} (cosine)", f"how like {groups[1]} (cosine)"),
        ),
        key=II.axes_chart.key,
        data=functools.partial(charts.word_map_table, points, data.words, data.labels, groups),
        name="axes-map",
    )
    if len(groups) > 2:
        own = np.median([points[data.labels == 0, 0].tolist() + points[data.labels == 1, 1].tolist()])
        centres = np.stack([points[data.labels == g].mean(axis=0) for g in range(2, len(groups))])
        st.container(key=II.axes_note.key).caption(
            f"Words of *{groups[0]}* and *{groups[1]}* sit around {own:.2f} on their own axis. The other "
            f"{len(groups) - 2} groups' centres all sit between {centres.min():.2f} and {centres.max():.2f} on both "
            f"axes: one corner of a map that reaches {points[:, 0].max():.2f} across and {points[:, 1].max():.2f} up."
        )


def _groups_apart(groups: tuple[str, ...], data: cache.Concepts, method: str) -> None:
    """After the reveal: leave-one-out 5-NN accuracy in full space, on the regions map and on the axes map."""
    full = cache.knn_accuracy(groups, None)
    on_map = cache.knn_accuracy(groups, method)
    on_axes = cache.axes_knn_accuracy(groups)
    a, b, c = st.container(key=II.knn_numbers.key).columns(3)
    a.metric(f"Full space ({data.vectors.shape[1]} numbers)", f"{full:.0%}",
             help="Each word's group guessed from its 5 nearest words (leave-one-out).")
    b.metric(f"Regions map ({METHODS[method]}, 2 numbers)", f"{on_map:.0%}", delta=f"{on_map - full:+.0%}")
    c.metric("Axes map (2 numbers)", f"{on_axes:.0%}", delta=f"{on_axes - full:+.0%}")
    largest = float(np.bincount(data.labels).max() / len(data.labels))
    st.container(key=II.knn_note.key).caption(
        f"Always guessing the largest group would score {largest:.0%}. {len(data.words)} words in {len(groups)} groups."
    )


def _turn_takeaway(groups: tuple[str, ...], method: str, revealed: bool) -> None:
    """Turning changes nothing: measured on the map turned by every angle the slider offers (not only the one shown)."""
    check = cache.turn_check(groups, method, ANGLES)
    kept = ""
    if revealed:
        lo, hi = check.accuracy.min(), check.accuracy.max()
        kept = (f", and the 5-nearest-neighbour accuracy is {lo:.0%} at every one" if f"{lo:.0%}" == f"{hi:.0%}"
                else f", and the 5-nearest-neighbour accuracy stays between {lo:.0%} and {hi:.0%}")
    st.container(key=II.turn_takeaway.key).info(
        f"""**Turning the map changes nothing that matters.** Turned by each of the slider's
{len(check.angles)} angles, no distance between two words moves by more than {check.largest_change:.1e}{kept}.
Meaning sits in where the regions are, not in the axes.""",
        icon=":material/lightbulb:",
    )
