"""Chart conventions shared by every page.

* A colour-blind-safe palette (Okabe & Ito, 2008) for every categorical plot.
* :func:`show_chart` draws a plotly figure with its mode bar (PNG download)
  and offers the numbers behind it as CSV, so a teacher can reuse both.
* :func:`figure` builds a figure from plain dicts without plotly's
  validation, which is most of a chart's server time; every page's chart
  modules use it, and the page tests run plotly's validators instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

# Okabe-Ito: distinguishable under the common colour-vision deficiencies.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
    "#999999",  # grey
    "#882255",  # wine (Tol), for a tenth group
)

# A diverging scale that stays readable without red/green contrast.
DIVERGING = "RdBu_r"
SEQUENTIAL = "Viridis"

_PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def figure(traces: Sequence[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A figure from plain trace and layout dicts, without plotly's slow validation.

    ``go.Scatter(...)``, ``add_trace`` and ``update_layout`` check every
    property against plotly's schema: about ten times the cost of the same
    figure from dicts. Write the dicts in plotly's full nested form
    (``marker=dict(color=...)``, ``title=dict(text=...)``,
    ``xaxis=dict(title=dict(text=...))``): without the validators nothing
    rewrites a shorthand (``xaxis_title="..."`` would reach plotly.js as a
    bare string title), and colour scales must be explicit stops (plotly.js
    knows no ``RdBu_r``). The page tests check every chart against the
    validators.
    """
    return go.Figure(data=list(traces), layout=layout, _validate=False)


def style(fig: go.Figure, *, height: int | None = None) -> go.Figure:
    """Apply the app's look: palette, margins, readable fonts.

    Merged into the layout as ``fig.update_layout`` would (a chart's own
    legend position stays, its margins give way to the app's), but by
    setting whole top-level keys: on a figure from :func:`figure` that
    stores the dicts as they are (~0.1 ms), where ``update_layout`` walks
    plotly's property paths (~2 ms, for every chart on every rerun). On a
    validated figure the keys set are still validated.
    """
    look: dict[str, Any] = {
        "colorway": list(PALETTE),
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "font": {"size": 14},
        "legend": {"itemsizing": "constant"},
    }
    if height is not None:
        look["height"] = height
    for key, value in look.items():
        if isinstance(value, dict):  # flat dicts: one level of merging is update_layout's deep merge
            value = {**fig.layout[key].to_plotly_json(), **value}
        fig.layout[key] = value
    return fig


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "data"


def show_chart(
    fig: go.Figure,
    *,
    key: str,
    data: pd.DataFrame | None = None,
    name: str = "chart",
    height: int | None = None,
) -> None:
    """Draw ``fig`` and, if given, a CSV download of ``data`` behind it.

    Parameters
    ----------
    fig : plotly Figure
    key : str
        Unique element key (also keeps the chart stable across reruns).
    data : DataFrame, optional
        The numbers the chart shows, offered as ``<name>.csv``.
    name : str
        File name stem for the downloads.
    """
    st.plotly_chart(style(fig, height=height), key=key, config=_PLOTLY_CONFIG)
    if data is not None:
        st.download_button(
            "Download the numbers (CSV)",
            data=data.to_csv(index=False).encode("utf-8"),
            file_name=f"{_slug(name)}.csv",
            mime="text/csv",
            key=f"{key}.csv",
            icon=":material/download:",
        )


def regions_trace(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, *, opacity: float = 0.18) -> dict[str, Any]:
    """The shaded regions of :func:`embedcore.regions.region_grid`, as a plain heatmap trace.

    Region ``i`` takes ``PALETTE[i]``, so colour the points with the same
    palette (trace order = region index) and the two agree. Put it first
    among the traces, so the shading lies under every point.
    """
    n = int(z.max()) + 1 if z.size else 1
    # A stepped colour scale: each integer region gets one flat palette colour.
    scale = []
    for i in range(n):
        colour = PALETTE[i % len(PALETTE)]
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return dict(
        type="heatmap",
        x=xs,
        y=ys,
        z=(np.asarray(z) + 0.5) / n,
        zmin=0,
        zmax=1,
        colorscale=scale,
        opacity=opacity,
        showscale=False,
        hoverinfo="skip",
    )


def add_regions(
    fig: go.Figure,
    xs: np.ndarray,
    ys: np.ndarray,
    z: np.ndarray,
    *,
    opacity: float = 0.18,
) -> go.Figure:
    """Shade the regions of :func:`embedcore.regions.region_grid` under the traces of ``fig``.

    For a figure already built; a new figure can start its traces with
    :func:`regions_trace` instead.
    """
    fig.add_trace(regions_trace(xs, ys, z, opacity=opacity))
    # Put the shading underneath every other trace.
    fig.data = (fig.data[-1], *fig.data[:-1])
    return fig
