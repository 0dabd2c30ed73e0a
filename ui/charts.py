"""Chart conventions shared by every page.

* A colour-blind-safe palette (Okabe & Ito, 2008) for every categorical plot.
* :func:`show_chart` draws a plotly figure with its mode bar (PNG download)
  and offers the numbers behind it as CSV, so a teacher can reuse both.
* :func:`figure` builds a figure from plain dicts without plotly's
  validation, which is most of a chart's server time; every page's chart
  modules use it, and the page tests run plotly's validators instead.
* Every chart works without sight or colour (see docs/accessibility.md):
  :func:`show_chart` puts a one-line summary, computed from the figure's own
  numbers (:func:`ui.chart_text.summary`), under it and in its accessible
  name, and :func:`style` gives each series its own marker shape or dash.
  Titles wrap and sit under the mode bar, so a phone shows both.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.chart_text import add_non_colour_codes, summary as chart_summary
from ui.text import md

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

_PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    # A short mode bar (PNG, zoom, pan, reset) fits above the title on a phone.
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"],
}

# Charts that link to a twin keep the box and lasso selection tools.
_SELECT_CONFIG = {**_PLOTLY_CONFIG, "modeBarButtonsToRemove": ["zoomIn2d", "zoomOut2d", "autoScale2d"]}


def selected_ids(key: str) -> list[int]:
    """The ids (each point's ``customdata``) a student selected in the chart ``key``, sorted."""
    event = st.session_state.get(key)
    try:
        points = event.selection.points  # type: ignore[union-attr]
    except AttributeError:
        return []
    ids = set()
    for point in points:
        data = point.get("customdata")
        if isinstance(data, (list, tuple)):
            data = data[0] if data else None
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            ids.add(int(data))
    return sorted(ids)


# Chart text (ticks, axis titles, notes): 7:1 on white, the captions' grey (ui/layout.py).
TEXT_GREY = "#555867"

# Titles are wrapped to lines that fit a phone's width (390 px screen, ~358 px chart).
TITLE_CHARS = 44
_MODE_BAR_PX = 30  # the title starts below the mode bar's strip
_TITLE_LINE_PX = 22


def wrap_title(text: str, width: int = TITLE_CHARS) -> str:
    """``text`` broken into lines of at most ``width`` characters with ``<br>`` (kept if already broken)."""
    if not text or "<br" in text or len(text) <= width:
        return text
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


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
    """Apply the app's look: palette, margins, readable fonts, titles a phone can read.

    Titles wrap at :data:`TITLE_CHARS` and sit left, under the mode bar's
    strip; series get marker shapes, dashes or bar patterns where the chart
    set none (:func:`ui.chart_text.add_non_colour_codes`).

    Merged into the layout as ``fig.update_layout`` would (a chart's own
    legend position stays, its margins give way to the app's), but by
    setting whole top-level keys: on a figure from :func:`figure` that
    stores the dicts as they are (~0.1 ms), where ``update_layout`` walks
    plotly's property paths (~2 ms, for every chart on every rerun). On a
    validated figure the keys set are still validated.
    """
    title = fig.layout.title.to_plotly_json()
    text = wrap_title(str(title.get("text") or ""))
    lines = text.count("<br>") + 1 if text else 0
    # Panel titles (annotations just above side-by-side plots) share the width: wrap them
    # narrower, and keep a band for their lines under the chart title.
    notes = (getattr(fig.layout, "_props", None) or {}).get("annotations") or ()
    panels = [fig.layout.annotations[i] for i, a in enumerate(notes)
              if isinstance(a, dict) and a.get("yref") == "paper" and (a.get("y") or 0) >= 1 and a.get("text")]
    for note in panels:
        note.text = wrap_title(note.text, max(16, TITLE_CHARS // len(panels)))
    panel_px = max((_TITLE_LINE_PX * (a.text.count("<br>") + 1) for a in panels), default=0)
    look: dict[str, Any] = {
        "colorway": list(PALETTE),
        "margin": {"l": 10, "r": 10, "t": _MODE_BAR_PX + _TITLE_LINE_PX * lines + panel_px + 8, "b": 10},
        # Streamlit's chart theme writes ticks, axis titles and notes in #808495 (3.7:1 on
        # white); this grey reaches WCAG AA's 4.5:1 (7:1), as the captions do.
        "font": {"size": 14, "color": TEXT_GREY},
        "hoverlabel": {"font": {"color": TEXT_GREY}},
        "legend": {"itemsizing": "constant"},
    }
    if text:
        # From the left edge, just above the plot (and its panel titles): the mode bar keeps
        # the strip above it, so it never covers the title, even on a phone.
        look["title"] = {**title, "text": text, "x": 0, "xref": "container", "xanchor": "left",
                         "y": 1, "yref": "paper", "yanchor": "bottom", "pad": {"l": 8, "b": 6 + panel_px}}
    layout = getattr(fig.layout, "_props", None) or fig.layout.to_plotly_json()
    for name in sorted({k for k in layout if k.startswith(("xaxis", "yaxis"))} | {"xaxis", "yaxis"}):
        axis = dict(layout.get(name) or {})
        axis_title = dict(axis.get("title") or {})
        if name.startswith("xaxis") and len(axis_title.get("text") or "") > TITLE_CHARS:
            # Horizontal: as wide as the chart at most.
            axis_title["text"] = wrap_title(axis_title["text"])
            axis["automargin"] = True
        # The theme sets the axes' own text colours, so the layout's font alone does not reach them.
        axis_title["font"] = {**(axis_title.get("font") or {}), "color": TEXT_GREY}
        axis["tickfont"] = {**(axis.get("tickfont") or {}), "color": TEXT_GREY}
        look[name] = {**axis, "title": axis_title}
    if height is not None:
        look["height"] = height
    if fig.layout.height and lines > 1:
        # The extra title lines come out of the margin, not the plot.
        look.setdefault("height", fig.layout.height)
        look["height"] += _TITLE_LINE_PX * (lines - 1)
    add_non_colour_codes(fig)
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
    summary: str | None = None,
    on_select: Callable[[], None] | None = None,
) -> None:
    """Draw ``fig``, a one-line text summary under it and, if given, a CSV download of ``data``.

    Parameters
    ----------
    fig : plotly Figure
    key : str
        Unique element key (also keeps the chart stable across reruns).
    data : DataFrame, optional
        The numbers the chart shows, offered as ``<name>.csv``.
    name : str
        File name stem for the downloads.
    summary : str, optional
        The chart's text alternative; by default :func:`ui.chart_text.summary`
        writes it from the figure's own numbers. It is the chart's
        accessible name and is shown as a caption under it.
    on_select : callable, optional
        For linked views: called when the student selects points (click,
        box or lasso); the selection is then in ``st.session_state[key]``.
        The mode bar gets its box and lasso tools back.
    """
    text = summary or chart_summary(fig)
    if on_select is None:
        st.plotly_chart(style(fig, height=height), key=key, config=_PLOTLY_CONFIG, alt=text)
    else:
        st.plotly_chart(style(fig, height=height), key=key, config=_SELECT_CONFIG, alt=text,
                        on_select=on_select, selection_mode=("points", "box", "lasso"))
    st.caption(md(text))  # summaries can carry a student's words (an uploaded label)
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
