"""Section 2 of Format matters: the toy table's words one-hot, against the same words on the plane."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from app_state import FM
from embedcore import toyplane
from ui.charts import show_chart
from ui.format_matters import charts
from ui.format_matters.common import takeaway
from ui.format_matters.toy_plane import toy_plane_from_table
from ui.glossary import define
from ui.lesson import section
from ui.text import md


def _distance_table(distances: np.ndarray, names: Sequence[str]) -> pd.DataFrame:
    """A (n, n) distance matrix as a table with a column of row names (the heatmaps' CSV)."""
    return pd.DataFrame(distances, index=list(names), columns=list(names)).reset_index()


def _pair(names: tuple[str, ...]) -> list[str]:
    """The two words to average: the student's choice, or the table's first two."""
    state = st.session_state
    state[FM.onehot_pair.key] = [w for w in state.get(FM.onehot_pair.key, []) if w in names][:2]
    pair = st.multiselect("Average two words", names, max_selections=2, **FM.onehot_pair.widget)
    return pair if len(pair) == 2 else list(names[:2])


def _heatmaps(names: tuple[str, ...], formats: toyplane.FormatComparison) -> None:
    """The two formats' distance matrices side by side, on one colour scale."""
    zmax = float(max(formats.one_hot_distances.max(), formats.embedding_distances.max()))
    for column, (title, distances, key, name) in zip(st.columns(2), (
        ("One-hot: distances", formats.one_hot_distances, FM.onehot_chart.key, "one-hot-distances"),
        ("Embedding: distances", formats.embedding_distances, FM.embedded_chart.key, "embedding-distances"),
    )):
        with column:
            show_chart(charts.distance_heatmap(names, distances, title, zmax), key=key, name=name,
                       data=functools.partial(_distance_table, distances, names))


def _takeaway(formats: toyplane.FormatComparison) -> str:
    """The two formats' pairwise distances, from the matrices the heatmaps draw."""
    off = ~np.eye(len(formats.one_hot), dtype=bool)
    one_hot, embedded = formats.one_hot_distances[off], formats.embedding_distances[off]
    same = "every pair is" if np.ptp(one_hot) < 1e-12 else "pairs are"
    return (f"Same words, same information: in one-hot {same} {one_hot.min():.2f} apart (\u221a2), so distances "
            f"and averages say nothing; on the plane they run from {embedded.min():.2f} to {embedded.max():.2f}.")


@section
def one_hot(toy_table: list[dict]) -> None:
    """Why not one-hot: the table's words in both formats, their distances, and what averaging means in each.

    ``toy_table`` is the student's table of section 1, read once by the page.
    """
    st.markdown("One-hot gives each word a column of its own: a 1 there, 0 everywhere else. It tells words apart, "
                "and nothing more. Your table's words in both formats:")
    define("one-hot")
    plane, _ = toy_plane_from_table(toy_table, False)
    if len(plane) < 2:
        st.container(key=FM.onehot_empty.key).info("Add at least two words to the table above.")
        return
    names = plane.names
    first, second = _pair(names)
    formats = toyplane.compare_formats(plane, first, second)
    codes, embedded = st.columns(2)
    codes.dataframe(pd.DataFrame(formats.one_hot.astype(int), index=pd.Index(names, name="one-hot"),
                                 columns=list(names)))
    embedded.dataframe(pd.DataFrame(plane.coords, index=pd.Index(names, name="embedding"), columns=list(plane.axes)))
    _heatmaps(names, formats)
    st.dataframe(pd.DataFrame({
        "word": list(names),
        "distance (one-hot)": formats.one_hot_average.distances.round(3),
        "distance (embedding)": formats.embedding_average.distances.round(3),
    }), hide_index=True)
    point = ", ".join(f"{v:.2f}" for v in formats.embedding_average.point)
    st.container(key=FM.onehot_average.key).caption(
        f"Averaged one-hot, {md(first)} and {md(second)} give 0.5 in two columns: equally close to both, equally far "
        f"from the rest. On the plane their average is [{point}], a point with a meaning of its own.")
    takeaway(_takeaway(formats), key=FM.onehot_takeaway.key)
