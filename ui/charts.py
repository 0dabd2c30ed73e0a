"""Chart conventions shared by every page.

* A colour-blind-safe palette (Okabe & Ito, 2008) for every categorical plot.
* :func:`show_chart` draws a plotly figure with its mode bar (PNG download)
  and offers the numbers behind it as CSV, so a teacher can reuse both.
"""

from __future__ import annotations

import re

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


def style(fig: go.Figure, *, height: int | None = None) -> go.Figure:
    """Apply the app's look: palette, margins, readable fonts."""
    fig.update_layout(
        colorway=list(PALETTE),
        margin=dict(l=10, r=10, t=40, b=10),
        font=dict(size=14),
        legend=dict(itemsizing="constant"),
    )
    if height is not None:
        fig.update_layout(height=height)
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


def add_regions(
    fig: go.Figure,
    xs: "np.ndarray",
    ys: "np.ndarray",
    z: "np.ndarray",
    *,
    opacity: float = 0.18,
) -> go.Figure:
    """Shade the regions of :func:`embedcore.regions.region_grid` under a scatter.

    Region ``i`` takes ``PALETTE[i]``, so colour the points with the same
    palette (trace order = region index) and the two agree.
    """
    import numpy as np

    n = int(z.max()) + 1 if z.size else 1
    # A stepped colour scale: each integer region gets one flat palette colour.
    scale = []
    for i in range(n):
        colour = PALETTE[i % len(PALETTE)]
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    fig.add_trace(
        go.Heatmap(
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
    )
    # Put the shading underneath every other trace.
    fig.data = (fig.data[-1], *fig.data[:-1])
    return fig
