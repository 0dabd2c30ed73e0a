"""Charts without sight or colour: text alternatives and non-colour codes.

* :func:`summary` writes a one-line text alternative of a figure from the
  numbers the figure itself draws (never from a second copy of them), so the
  words and the picture cannot disagree.
* :func:`ink` darkens a palette colour until text in it reaches the 4.5:1
  contrast of WCAG 2.1 AA on white.
* :func:`add_non_colour_codes` gives each series of a figure its own marker
  shape, line dash or bar pattern where the chart did not choose one, so
  colour is never the only thing that tells series apart.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

# Marker shapes and dashes given to series in order. The first of each is
# plotly's own default, so a single series looks as it always did.
SYMBOLS: tuple[str, ...] = (
    "circle", "square", "diamond", "triangle-up", "x", "star", "triangle-down", "hexagon", "pentagon", "cross",
)
DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
PATTERNS: tuple[str, ...] = ("", "/", ".", "x", "\\", "+")

MAX_ITEMS = 8  # Bars or groups named one by one before "and n more".


# ---------------------------------------------------------------------------
# Contrast
# ---------------------------------------------------------------------------
def _luminance(rgb: Sequence[float]) -> float:
    """Relative luminance of an sRGB colour with channels in [0, 1] (WCAG 2.1)."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _rgb(colour: str) -> tuple[float, float, float]:
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


@functools.lru_cache(maxsize=512)
def contrast(foreground: str, background: str = "#ffffff") -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    a, b = sorted((_luminance(_rgb(foreground)), _luminance(_rgb(background))), reverse=True)
    return (a + 0.05) / (b + 0.05)


@functools.lru_cache(maxsize=512)  # a handful of palette colours, asked for on every chart of every rerun
def ink(colour: str, background: str = "#ffffff", ratio: float = 4.5) -> str:
    """``colour`` darkened (same hue) just enough for text on ``background`` to reach ``ratio``.

    Colours that already reach it, and anything that is not ``#rgb`` or
    ``#rrggbb``, come back unchanged.
    """
    if not re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", colour or ""):
        return colour
    r, g, b = _rgb(colour)
    for step in range(101):
        f = 1 - step / 100
        out = "#{:02x}{:02x}{:02x}".format(*(round(c * f * 255) for c in (r, g, b)))
        if contrast(out, background) >= ratio:
            return colour if step == 0 else out
    return "#000000"


@functools.lru_cache(maxsize=512)
def text_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (plotly's own choice can fall below 4.5:1)."""
    return "#000000" if contrast("#000000", background) >= contrast("#ffffff", background) else "#ffffff"


# ---------------------------------------------------------------------------
# Non-colour codes
# ---------------------------------------------------------------------------
def _parts(fig: go.Figure | dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The trace dicts and the layout dict of a figure or of its spec (``{"data": ..., "layout": ...}``).

    For a plotly figure these are its own storage, read and written without plotly's
    per-property lookups (~0.1 ms a property, many times per rerun): writing into them
    changes the figure. Everything nested in them is a plain dict too.
    """
    if isinstance(fig, dict):
        return fig.setdefault("data", []), fig.setdefault("layout", {})
    if isinstance(getattr(fig, "layout", None), dict):  # a ui.charts.Chart: plain dicts already
        return fig.data, fig.layout
    return list(fig._data), fig._layout  # the figure's own storage: one dict per trace, one for the layout


class _View:
    """Attribute access over a stored plotly dict: ``view.marker.symbol`` is ``d["marker"]["symbol"]``.

    A missing property reads as ``None``, and a missing group of properties
    (a title, an axis, a marker) as an empty view, as plotly's objects read
    when nothing was set.
    """

    __slots__ = ("_d",)
    _GROUPS: tuple[str, ...] = ("title", "marker", "line", "font", "textfont")

    def __init__(self, d: Any) -> None:
        self._d = d if isinstance(d, dict) else {}

    def __getattr__(self, name: str) -> Any:
        value = self._d.get(name)
        if isinstance(value, dict) or (value is None and name.startswith(self._GROUPS)):
            return _View(value)
        return value

    __getitem__ = __getattr__


class _FigureView:
    """A figure (or its spec) read through :class:`_View`: ``.data`` and ``.layout``."""

    def __init__(self, fig: go.Figure | dict[str, Any]) -> None:
        traces, layout = _parts(fig)
        self.data = [_View(t) for t in traces]
        self.layout = _LayoutView(layout)


class _LayoutView(_View):
    """A layout, where ``xaxis2`` and the like are groups too (on a trace they are names)."""

    __slots__ = ()
    _GROUPS = _View._GROUPS + ("xaxis", "yaxis")


def _get(props: dict[str, Any], *path: str) -> Any:
    for name in path:
        if not isinstance(props, dict):
            return None
        props = props.get(name)
    return props


def _put(props: dict[str, Any], value: Any, *path: str) -> None:
    """``props[path[0]][path[1]]... = value``, creating the dicts on the way."""
    for name in path[:-1]:
        props = props.setdefault(name, {})
    props[path[-1]] = value


def _series_key(props: dict[str, Any]) -> str:
    return str(props.get("legendgroup") or props.get("name") or id(props))


def add_non_colour_codes(fig: go.Figure | dict[str, Any]) -> go.Figure | dict[str, Any]:
    """Give every scatter series a marker shape and dash, every bar series a pattern, where unset.

    Series are told apart by name (or legend group), so the panels of small
    multiples that repeat a series repeat its shape too. A figure with one
    series is left alone. Text colours from the palette are darkened with
    :func:`ink` so chart labels stay readable. Works on a figure or on its
    spec dict, in place, writing the stored dicts directly (the values set
    are valid plotly; the page tests run the validators over every chart).
    """
    traces, layout = _parts(fig)
    scatter_keys: dict[str, int] = {}
    bar_keys: dict[str, int] = {}
    for props in traces:
        if props.get("type") in ("scatter", "scattergl"):
            scatter_keys.setdefault(_series_key(props), len(scatter_keys))
        elif props.get("type") == "bar":
            bar_keys.setdefault(_series_key(props), len(bar_keys))
    for props in traces:
        kind = props.get("type")
        if kind in ("scatter", "scattergl"):
            colour = _get(props, "textfont", "color")
            if isinstance(colour, str) and ink(colour) != colour:
                _put(props, ink(colour), "textfont", "color")
            if len(scatter_keys) < 2:
                continue
            i = scatter_keys[_series_key(props)]
            mode = props.get("mode") or "lines+markers"
            if "markers" in mode and _get(props, "marker", "symbol") is None:
                _put(props, SYMBOLS[i % len(SYMBOLS)], "marker", "symbol")
            if "lines" in mode and _get(props, "line", "dash") is None:
                _put(props, DASHES[i % len(DASHES)], "line", "dash")
        elif kind == "bar":
            fill = _get(props, "marker", "color")
            if (props.get("text") is not None and _get(props, "insidetextfont", "color") is None
                    and isinstance(fill, str) and fill.startswith("#")):
                # Numbers printed inside a bar: black or white by contrast with the bar.
                _put(props, text_on(fill), "insidetextfont", "color")
            if len(bar_keys) > 1 and _get(props, "marker", "pattern", "shape") is None:
                shape = PATTERNS[bar_keys[_series_key(props)] % len(PATTERNS)]
                if shape:
                    _put(props, dict(shape=shape, fillmode="overlay", solidity=0.25), "marker", "pattern")
    for note in layout.get("annotations") or ():
        colour = _get(note, "font", "color")
        if isinstance(colour, str) and ink(colour) != colour:
            _put(note, ink(colour), "font", "color")
    return fig


# ---------------------------------------------------------------------------
# Text alternatives
# ---------------------------------------------------------------------------
def plain(text: Any) -> str:
    """Chart text without plotly's HTML (``<br>``, ``<b>``) and extra spaces."""
    text = re.sub(r"<br\s*/?>", " ", str(text or ""))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text))).strip()




def _number(value: float, percent: bool = False) -> str:
    if percent:
        return f"{value:.0%}"
    value = float(value)
    if value == 0 or 0.01 <= abs(value) < 10_000:
        return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:.2g}"


def _array(values: Any) -> np.ndarray:
    if values is None:
        return np.asarray([])
    return np.asarray(values).ravel()


def _is_percent(fig: go.Figure, trace: Any, axis: str) -> bool:
    ref = (getattr(trace, f"{axis}axis", None) or axis)[1:]
    layout_axis = fig.layout[f"{axis}axis{ref}"]
    return "%" in str(layout_axis.tickformat or "")


def _axis_title(fig: go.Figure, trace: Any, axis: str) -> str:
    ref = (getattr(trace, f"{axis}axis", None) or axis)[1:]
    return plain(fig.layout[f"{axis}axis{ref}"].title.text)


def _line(fig: go.Figure, trace: Any) -> str:
    x, y = _array(trace.x), _array(trace.y).astype(float)
    if y.size == 0:
        return ""
    if x.size != y.size:
        x = np.arange(1, y.size + 1)
    pct = _is_percent(fig, trace, "y")
    finite = np.isfinite(y)
    x, y = x[finite], y[finite]
    if y.size == 0:
        return ""
    if y.size == 1 or np.allclose(y, y[0]):
        return f"{plain(trace.name) or 'line'} stays at {_number(y[0], pct)}"
    lo, hi = int(np.argmin(y)), int(np.argmax(y))
    trend = "rises" if y[-1] > y[0] else "falls"
    text = f"{plain(trace.name) or 'line'} {trend} from {_number(y[0], pct)} to {_number(y[-1], pct)}"
    if lo not in (0, y.size - 1) or hi not in (0, y.size - 1):
        text += f" (lowest {_number(y[lo], pct)}, highest {_number(y[hi], pct)})"
    return text


def _bars(fig: go.Figure, trace: Any) -> str:
    """A few bars by name and value; many bars by their range, highest and lowest first."""
    horizontal = trace.orientation == "h"
    names, values = (_array(trace.y), _array(trace.x)) if horizontal else (_array(trace.x), _array(trace.y))
    if values.size == 0:
        return ""
    values = values.astype(float)
    value_axis = "x" if horizontal else "y"
    pct = _is_percent(fig, trace, value_axis)
    label = plain(trace.name) or _axis_title(fig, trace, value_axis)
    if values.size <= MAX_ITEMS:
        text = ", ".join(f"{plain(k)} {_number(v, pct)}" for k, v in zip(names, values))
    else:
        order = np.argsort(values)[::-1]
        top = ", ".join(f"{plain(names[i])} {_number(values[i], pct)}" for i in order[:3])
        low = ", ".join(f"{plain(names[i])} {_number(values[i], pct)}" for i in order[-3:][::-1])
        text = f"{values.size} bars; highest {top}; lowest {low}"
    return f"{label}: {text}" if label else text


def _heatmap(fig: go.Figure, trace: Any) -> str:
    """A heatmap by its size, its rows (when few enough to name) and the range of its values."""
    z = np.asarray(trace.z, dtype=float)
    if z.size == 0 or not np.isfinite(z).any():
        return ""
    rows, cols = (z.shape + (1,))[:2] if z.ndim >= 2 else (1, z.size)
    names = [plain(n) for n in _array(trace.y)] if trace.y is not None else []
    row_text = f" ({', '.join(names)})" if names and len(names) == rows and rows <= MAX_ITEMS else ""
    x_title = _axis_title(fig, trace, "x")
    col_text = f" {x_title}" if x_title else ""
    return (f"a grid of {rows} rows{row_text} by {cols}{col_text} columns, "
            f"values from {_number(np.nanmin(z))} to {_number(np.nanmax(z))}")


def summary(fig: go.Figure) -> str:
    """A one-line text alternative of ``fig``, from the numbers it draws.

    Lines are told by where they start and end (and their extremes), bars by
    their values, groups of points by their size, heatmaps by their range.
    Traces that only shade the background (no hover) are left out. Reads
    the stored dicts (``fig`` may be a figure or its spec dict), so it costs
    no plotly lookups.
    """
    fig = _FigureView(fig)
    title = plain(fig.layout.title.text)
    points: list[str] = []
    parts: list[str] = []
    n_points = n_groups = 0
    for trace in fig.data:
        if trace.hoverinfo == "skip" and trace.type == "heatmap":
            continue  # background shading; the points on it are described
        if trace.type in ("scatter", "scattergl"):
            mode = trace.mode or "lines+markers"
            n = _array(trace.y).size
            if "lines" in mode and n > 1:
                text = _line(fig, trace)
                if text:
                    parts.append(text)
            elif n:
                n_points += n
                if trace.showlegend is not False:
                    n_groups += 1  # counted apart from the names: the "..." that stands for the rest is no group
                    if len(points) < MAX_ITEMS:
                        points.append(f"{plain(trace.name) or 'points'} ({n})")
                    elif len(points) == MAX_ITEMS:
                        points.append("...")
        elif trace.type == "bar":
            text = _bars(fig, trace)
            if text:
                parts.append(text)
        elif trace.type == "heatmap":
            text = _heatmap(fig, trace)
            if text:
                parts.append(text)
    if n_points:
        kinds = f" in {n_groups} groups: " + ", ".join(points) if n_groups > 1 else ""
        x_title = _axis_title(fig, fig.data[0], "x") if fig.data else ""
        axes = f", {_axis_title(fig, fig.data[0], 'y') or 'y'} against {x_title}" if x_title else ""
        parts.insert(0, f"{n_points} points{kinds}{axes}")
    elif parts and any(t.type in ("scatter", "scattergl") for t in fig.data):
        x_title = next((_axis_title(fig, t, "x") for t in fig.data if _axis_title(fig, t, "x")), "")
        if x_title:
            parts[0] = f"over {x_title}, " + parts[0]
    body = "; ".join(parts) or "no data"
    return f"Chart: {title}. {body[0].upper()}{body[1:]}." if title else f"Chart: {body}."
