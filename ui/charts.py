"""Chart conventions shared by every page.

* A colour-blind-safe palette (Okabe & Ito, 2008) for every categorical plot.
* :func:`show_chart` draws a plotly figure with its mode bar (PNG download)
  and offers the numbers behind it as CSV, so a teacher can reuse both.
* :func:`figure` builds a figure from plain dicts without plotly's
  validation, which is most of a chart's server time; every page's chart
  modules use it, and the page tests run plotly's validators instead.
* Every chart works without sight or colour (see docs/accessibility.md):
  :func:`show_chart` gives it a one-line summary, computed from the figure's own
  numbers (:func:`ui.chart_text.summary`), as its accessible name (and as a
  caption where it teaches), and :func:`style` gives each series its own
  marker shape or dash.
  Titles wrap and sit under the mode bar, so a phone shows both.
"""

from __future__ import annotations

import base64
import functools
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import downloads
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


@dataclass
class Chart:
    """A chart as plotly.js draws it: plain trace dicts, a layout dict and, for animations, frames.

    Every chart module builds these (through :func:`figure`) rather than a
    ``go.Figure``: plotly's figure checks every property against its schema
    (about ten times the cost of the dicts), and even unchecked it builds an
    object per trace, about 1 ms a chart on every chart of every rerun.
    ``chart.data[0]["marker"]["color"]`` reads what is drawn; :meth:`to_figure`
    gives the validated plotly figure (the page tests run it over every chart).

    Attributes
    ----------
    data : list of dict
        One dict per trace, in plotly's full nested form, ``"type"`` included.
    layout : dict
    frames : list of dict
        Animation frames (``{"name": ..., "data": [...], "layout": {...}}``), usually empty.
    """

    data: list[dict[str, Any]]
    layout: dict[str, Any]
    frames: list[dict[str, Any]] = field(default_factory=list)

    def to_figure(self) -> go.Figure:
        """The same chart as a validated ``go.Figure`` (raises ``ValueError`` on an invalid property)."""
        return go.Figure(data=self.data, layout=self.layout, frames=self.frames or None)


def figure(traces: Sequence[dict[str, Any]], layout: dict[str, Any],
           frames: Sequence[dict[str, Any]] = ()) -> Chart:
    """A :class:`Chart` from plain trace and layout dicts (nothing is copied or checked).

    Write the dicts in plotly's full nested form (``marker=dict(color=...)``,
    ``title=dict(text=...)``, ``xaxis=dict(title=dict(text=...))``): without
    plotly's validators nothing rewrites a shorthand (``xaxis_title="..."``
    would reach plotly.js as a bare string title), and colour scales must be
    explicit stops (plotly.js knows no ``RdBu_r``). The page tests check every
    chart against the validators.
    """
    return Chart(list(traces), dict(layout), list(frames))


@functools.cache
def _default_template() -> dict[str, Any]:
    """plotly's default template as the dict a figure stores, built once per process and shared (never mutated)."""
    return go.Figure(_validate=False)._layout["template"]


def _copy(value: Any) -> Any:
    """A copy of nested dicts and lists that shares the leaves (numpy arrays, strings, numbers)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copy(v) for v in value)
    return value


def spec(fig: Chart | go.Figure) -> dict[str, Any]:
    """``fig`` as the dict plotly.js draws, as ``go.Figure.to_dict()`` gives it, but cheaper.

    ``to_dict`` deep-copies everything, the template's few hundred entries
    and every array included: about 1.7 ms a chart. This copies the dicts
    and lists (so styling the spec never changes ``fig``, which may be
    cached) and shares the arrays and plotly's default template, which
    nothing writes to. Arrays are packed as base64, as ``to_dict`` packs
    them (``tests/test_chart_spec.py`` checks both give the same JSON).
    """
    if isinstance(fig, Chart):
        data, layout_in, frames_in = fig.data, fig.layout, fig.frames
    else:
        data, layout_in, frames_in = fig._data, fig._layout, [f._props for f in fig._frame_objs]
    layout = {k: _copy(v) for k, v in layout_in.items() if k != "template"}
    out: dict[str, Any] = {"data": [_copy(t) for t in data], "layout": layout}
    if frames_in:
        out["frames"] = [_copy(f) for f in frames_in]
    _pack(out)  # before the template goes in: it holds no arrays, and walking it costs
    layout["template"] = layout_in.get("template") or _default_template()
    return out


# plotly.js's typed-array names, as plotly.py's own ``to_dict`` writes them.
_SHORT_TYPES = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4",
                "float32": "f4", "float64": "f8"}
_SKIPPED_KEYS = ("geojson", "layer", "layers", "range")  # plotly.py leaves these as lists


def _typed(v: np.ndarray) -> Any:
    """A numeric array as plotly.js's base64 typed array, as ``to_dict`` packs it.

    plotly.py's own packer first checks each array against pandas, polars and
    narwhals types (~0.2 ms an array); these are known to be numpy arrays.
    Text and booleans become lists; other kinds (dates) go to plotly's own packer.
    """
    if v.dtype.kind in "USb" or (v.dtype.kind == "O" and v.size):
        return v.tolist()  # text and booleans go as JSON lists, as plotly.py sends them
    if v.size == 0 or v.dtype.kind not in "iuf":
        from _plotly_utils.utils import to_typed_array_spec

        return to_typed_array_spec(v)
    if v.dtype.kind in "iu" and v.dtype.itemsize == 8:
        # plotly.js has no 64-bit integers: the narrowest type that holds them, as plotly.py does.
        lo, hi = int(v.min()), int(v.max())
        for bits in (8, 16, 32):
            info = np.iinfo(f"{'u' if v.dtype.kind == 'u' else ''}int{bits}")
            if info.min <= lo and hi <= info.max:
                v = v.astype(info.dtype)
                break
        else:
            return v
    name = str(v.dtype)
    if name not in _SHORT_TYPES:
        return v
    out = {"dtype": _SHORT_TYPES[name], "bdata": base64.b64encode(np.ascontiguousarray(v)).decode("ascii")}
    if v.ndim > 1:
        out["shape"] = str(v.shape)[1:-1]
    return out


def _pack(value: Any) -> None:
    """Replace every numpy array inside ``value`` (nested dicts and lists) by :func:`_typed`, in place."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _SKIPPED_KEYS:
                continue
            if isinstance(item, np.ndarray):
                value[key] = _typed(item)
            elif isinstance(item, (dict, list, tuple)):
                _pack(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (dict, list, tuple)):
                _pack(item)


class _Ready(go.Figure):
    """A figure already in its final dict form.

    ``st.plotly_chart`` turns a figure into its dict with ``to_dict`` (and a
    dict into a validated figure first, slower still); this one hands over
    the dict :func:`spec` and :func:`_style_spec` made, as it is.
    """

    def __init__(self, ready: dict[str, Any]) -> None:  # no plotly set-up: nothing else is read
        self.__dict__["_ready"] = ready

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__["_ready"]


def _style_spec(out: dict[str, Any], *, height: int | None = None) -> dict[str, Any]:
    """The app's look applied to a figure's spec dict, in place (see :func:`style`)."""
    layout = out["layout"]
    title = dict(layout.get("title") or {})
    text = wrap_title(str(title.get("text") or ""))
    lines = text.count("<br>") + 1 if text else 0
    # Panel titles (annotations just above side-by-side plots) share the width: wrap them
    # narrower, and keep a band for their lines under the chart title.
    panels = [a for a in layout.get("annotations") or ()
              if isinstance(a, dict) and a.get("yref") == "paper" and (a.get("y") or 0) >= 1 and a.get("text")]
    for note in panels:
        note["text"] = wrap_title(note["text"], max(16, TITLE_CHARS // len(panels)))
    panel_px = max((_TITLE_LINE_PX * (a["text"].count("<br>") + 1) for a in panels), default=0)
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
    if layout.get("height") and lines > 1:
        # The extra title lines come out of the margin, not the plot.
        look.setdefault("height", layout["height"])
        look["height"] += _TITLE_LINE_PX * (lines - 1)
    add_non_colour_codes(out)
    for key, value in look.items():
        if isinstance(value, dict) and key != "title" and not key.startswith(("xaxis", "yaxis")):
            # One level of merging, as update_layout's deep merge does for these flat dicts
            # (the title and the axes above already hold the chart's own settings).
            value = {**(layout.get(key) or {}), **value}
        layout[key] = value
    return out


def style(fig: Chart | go.Figure, *, height: int | None = None) -> Chart:
    """Apply the app's look: palette, margins, readable fonts, titles a phone can read.

    Titles wrap at :data:`TITLE_CHARS` and sit left, under the mode bar's
    strip; series get marker shapes, dashes or bar patterns where the chart
    set none (:func:`ui.chart_text.add_non_colour_codes`). A chart's own
    legend position stays; its margins give way to the app's.

    Returns a new :class:`Chart` (``fig`` is left as it was).
    """
    out = _style_spec(spec(fig), height=height)
    return Chart(out["data"], out["layout"], out.get("frames", []))


def show_chart(
    fig: Chart | go.Figure,
    *,
    key: str,
    data: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    name: str = "chart",
    height: int | None = None,
    summary: str | None = None,
    caption: bool = False,
    on_select: Callable[[], None] | None = None,
) -> None:
    """Draw ``fig``, a one-line text summary under it and, if given, offer ``data`` as CSV (``ui.downloads``).

    Parameters
    ----------
    fig : Chart or plotly Figure
    key : str
        Unique element key (also keeps the chart stable across reruns).
    data : DataFrame or callable returning one, optional
        The numbers the chart shows, offered as ``<name>.csv``. Pass a callable
        (``functools.partial(table, ...)``) when the table is only for the
        download: it is then built only if the student clicks.
    name : str
        File name stem for the downloads.
    summary : str, optional
        The chart's text alternative; by default :func:`ui.chart_text.summary`
        writes it from the figure's own numbers. It is always the chart's
        accessible name (``alt``).
    caption : bool
        Also show the summary as a caption under the chart: only where it
        teaches something the chart does not show at a glance.
    on_select : callable, optional
        For linked views: called when the student selects points (click,
        box or lasso); the selection is then in ``st.session_state[key]``.
        The mode bar gets its box and lasso tools back.
    """
    text = summary or chart_summary(fig)
    ready = _Ready(_style_spec(spec(fig), height=height))
    if on_select is None:
        st.plotly_chart(ready, key=key, config=_PLOTLY_CONFIG, alt=text)
    else:
        st.plotly_chart(ready, key=key, config=_SELECT_CONFIG, alt=text,
                        on_select=on_select, selection_mode=("points", "box", "lasso"))
    if caption:
        st.caption(md(text))  # summaries can carry a student's words (an uploaded label)
    if data is not None:
        # One download per section (ui.downloads): the section's menu, or a button of its own outside a section.
        downloads.offer(name, data, key=f"{key}.csv")


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
    fig: Chart,
    xs: np.ndarray,
    ys: np.ndarray,
    z: np.ndarray,
    *,
    opacity: float = 0.18,
) -> Chart:
    """Shade the regions of :func:`embedcore.regions.region_grid` under the traces of ``fig``.

    For a figure already built; a new figure can start its traces with
    :func:`regions_trace` instead.
    """
    # First, so the shading lies underneath every other trace.
    fig.data.insert(0, regions_trace(xs, ys, z, opacity=opacity))
    return fig
