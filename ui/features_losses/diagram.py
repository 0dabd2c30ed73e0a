"""The network, drawn from its trained layers: inputs -> hidden layers -> embedding -> heads.

Every size on the drawing is read from a trained model
(:func:`embedcore.nn.architecture`), never typed, so the diagram shows the
network the section trained. A section highlights the layer whose map it
draws; a change (a wider embedding, another head weight, grey inputs) is
written under the layer that changed, so the difference is told in words,
not only by colour. The drawing is plain plotly dicts on axes of its own,
so it can stand alone (:func:`network_figure`) or ride in another figure's
frames (:func:`diagram_parts` with ``xref``/``yref``: the loss mixer).

Layout: one column per layer, left to right; a column shows at most
:data:`MAX_DOTS` units (a wider one shows a gap with a vertical ellipsis),
and the heads stack in the last column, one group per head.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from embedcore.nn import LayerShape
from ui.charts import PALETTE, TEXT_GREY, Chart, figure
from ui.text import plot

#: Units a column draws at most; a wider layer shows this many with a gap and an ellipsis.
MAX_DOTS = 7
_GAP = 1.4  # between two layers' columns: room for their two-line labels on a phone
_EDGE_GREY = "#C8CAD0"
_ROLE_COLOUR = {"input": "#999999", "hidden": PALETTE[0], "embedding": PALETTE[1], "head": PALETTE[2]}
_ACTIVATION = {"relu": "ReLU", "tanh": "tanh", "linear": "no bend"}


@dataclass
class Diagram:
    """A drawing's parts, placed on the axes ``xref``/``yref``: traces, notes and the highlight's box."""

    traces: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    shapes: list[dict[str, Any]] = field(default_factory=list)
    width: float = 0.0  # the x range the drawing needs, from -0.7


def _column(units: int, span: float = 1.0) -> tuple[np.ndarray, bool]:
    """The y of each dot drawn for ``units`` units, and whether a gap stands for the rest."""
    if units <= MAX_DOTS:
        half = span * (units - 1) / (MAX_DOTS - 1) if units > 1 else 0.0
        return np.linspace(-half, half, units), False
    slots = np.linspace(-span, span, MAX_DOTS + 1)
    return np.delete(slots, MAX_DOTS // 2), True


def _body_label(layer: LayerShape) -> str:
    """A layer's size and kind under its column, two short lines (a phone fits them)."""
    if layer.role == "input":
        return f"{layer.units:,}<br>inputs"
    if layer.role == "embedding":
        return f"{layer.units:,} numbers<br>embedding"
    return f"{layer.units:,} units<br>{_ACTIVATION.get(layer.activation, layer.activation)}"


def _head_label(layer: LayerShape, note: str | None) -> str:
    """A head's name, classes and loss weight (or ``note``): three short lines beside it."""
    return f"{plot(layer.name)} head:<br>{layer.units} classes<br>{plot(note) if note else f'loss × {layer.weight:g}'}"


def _nodes(layer: LayerShape, x: float, ys: np.ndarray, refs: dict[str, str], changed: bool) -> dict[str, Any]:
    return dict(type="scatter", x=np.full(len(ys), x), y=ys, mode="markers", name=layer.name, showlegend=False,
                customdata=np.full(len(ys), layer.units),
                hovertemplate=f"{plot(layer.name)}: %{{customdata}}<extra></extra>",
                marker=dict(size=11, color=_ROLE_COLOUR[layer.role], symbol="circle",
                            line=dict(width=3 if changed else 1, color="#222222" if changed else "#555555")), **refs)


def _edges(a: tuple[float, np.ndarray], b: tuple[float, np.ndarray]) -> tuple[list[float | None], list[float | None]]:
    """Every dot of column ``a`` joined to every dot of column ``b``: x and y with None between segments."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ya in a[1]:
        for yb in b[1]:
            xs += [a[0], b[0], None]
            ys += [float(ya), float(yb), None]
    return xs, ys


def _head_edge(name: str, xs: list, ys: list, weight: float, top: float, refs: dict[str, str],
               noted: bool) -> dict[str, Any]:
    """The lines into one head: thicker for a larger loss weight, dotted for a head no loss rewards."""
    rewarded = noted or weight > 0
    width = 3.0 if noted else 0.8 + 3.2 * (weight / top if top > 0 else 0.0)
    return dict(type="scatter", x=xs, y=ys, mode="lines", name=f"{name} head's weight", showlegend=False,
                hoverinfo="skip", line=dict(width=width if rewarded else 1.0, color=PALETTE[2] if rewarded else
                                            _EDGE_GREY, dash="solid" if rewarded else "dot"), **refs)


def diagram_parts(layers: Sequence[LayerShape], *, highlight: str | None = "embedding",
                  notes: Mapping[str, str] | None = None, changed: Mapping[str, str] | None = None,
                  xref: str = "x", yref: str = "y", head_text: bool = False) -> Diagram:
    """The drawing of ``layers`` (:func:`embedcore.nn.architecture`) on the axes ``xref``/``yref``.

    Parameters
    ----------
    highlight : str or None
        The layer whose map the section draws: boxed, with "mapped" above it (None: no map).
    notes : mapping of head name to str, optional
        Words that replace a head's "loss × w" (the twins: "model A's loss").
    changed : mapping of layer name to str, optional
        What changed in a layer, written under it ("was 2"); its dots get a heavy ring.
    head_text : bool
        Write the heads' labels as text traces (after the dots) instead of annotations: a slider that
        switches frames without a redraw (the loss mixer) updates traces only.

    Returns
    -------
    Diagram
        Traces in a fixed order for a given list of layers (so frames can
        replace them one for one): the connections, then each head's lines,
        then each layer's dots (then the heads' labels, with ``head_text``).
    """
    notes, changed = dict(notes or {}), dict(changed or {})
    refs = {"xaxis": xref, "yaxis": yref}
    note_refs = {"xref": xref, "yref": yref}
    body = [layer for layer in layers if layer.role != "head"]
    heads = [layer for layer in layers if layer.role == "head"]
    columns = [(_GAP * i, *_column(layer.units)) for i, layer in enumerate(body)]
    head_x = _GAP * (len(body) - 1) + 1.2
    out = Diagram(width=head_x + 1.6)
    xs: list[float | None] = []
    ys: list[float | None] = []
    for (xa, ya, _), (xb, yb, _) in zip(columns, columns[1:]):
        ex, ey = _edges((xa, ya), (xb, yb))
        xs, ys = xs + ex, ys + ey
    out.traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", name="connections", showlegend=False,
                           hoverinfo="skip", line=dict(width=0.5, color=_EDGE_GREY, dash="solid"), **refs))
    centres = np.linspace(0.75, -0.75, len(heads)) if len(heads) > 1 else np.zeros(len(heads))  # first on top
    head_dots = [(centre + _column(min(head.units, 5), 0.3)[0]) for head, centre in zip(heads, centres)]
    top = max((h.weight for h in heads), default=0.0)
    embedding = (columns[-1][0], columns[-1][1])
    for head, dots in zip(heads, head_dots):
        ex, ey = _edges(embedding, (head_x, dots))
        out.traces.append(_head_edge(head.name, ex, ey, head.weight, top, refs, head.name in notes))
    for layer, (x, dots, gap) in zip(body, columns):
        out.traces.append(_nodes(layer, x, dots, refs, layer.name in changed))
        label = _body_label(layer)
        label += f"<br><b>{plot(changed[layer.name])}</b>" if layer.name in changed else ""
        out.annotations.append(dict(text=label, x=x, y=-1.15, xanchor="center", yanchor="top", showarrow=False,
                                    font=dict(size=11, color=TEXT_GREY), **note_refs))
        if gap:
            out.annotations.append(dict(text="⋮", x=x, y=0.0, showarrow=False, font=dict(size=16, color=TEXT_GREY),
                                        **note_refs))
        if layer.name == highlight:
            out.shapes.append(dict(type="rect", x0=x - 0.3, x1=x + 0.3, y0=-1.1, y1=1.1, layer="below",
                                   line=dict(color=TEXT_GREY, width=2, dash="dash"),
                                   fillcolor="rgba(230, 159, 0, 0.15)", **note_refs))
            out.annotations.append(dict(text="<b>mapped</b>", x=x, y=1.12, yanchor="bottom", showarrow=False,
                                        font=dict(size=12, color=TEXT_GREY), **note_refs))
    for head, dots, centre in zip(heads, head_dots, centres):
        out.traces.append(_nodes(head, head_x, dots, refs, head.name in changed))
        label = _head_label(head, notes.get(head.name))
        label += f"<br><b>{plot(changed[head.name])}</b>" if head.name in changed else ""
        if head_text:
            out.traces.append(dict(type="scatter", x=[head_x + 0.15], y=[float(centre)], mode="text", text=[label],
                                   name=f"{head.name} head", textposition="middle right", hoverinfo="skip",
                                   cliponaxis=False,  # like the annotation it replaces: never cut at the axes' edge
                                   showlegend=False, textfont=dict(size=11, color=TEXT_GREY), **refs))
        else:
            out.annotations.append(dict(text=label, x=head_x + 0.15, y=float(centre), xanchor="left",
                                        yanchor="middle", align="left", showarrow=False,
                                        font=dict(size=11, color=TEXT_GREY), **note_refs))
    return out


def describe(layers: Sequence[LayerShape], *, highlight: str | None = "embedding",
             notes: Mapping[str, str] | None = None) -> str:
    """The drawing in one line of text (its accessible name): every layer's size, in order."""
    notes = dict(notes or {})
    parts = []
    for layer in layers:
        if layer.role == "head":
            continue
        text = f"{layer.name}: " + _body_label(layer).replace("<br>", " ")
        parts.append(text + (" (mapped)" if layer.name == highlight else ""))
    heads = [f"{h.name} ({h.units} classes, {notes.get(h.name) or f'loss weight {h.weight:g}'})"
             for h in layers if h.role == "head"]
    return "The network: " + " → ".join(parts) + " → heads: " + ", ".join(heads) + "."


def network_figure(layers: Sequence[LayerShape], *, highlight: str | None = "embedding",
                   notes: Mapping[str, str] | None = None, changed: Mapping[str, str] | None = None,
                   title: str = "", height: int = 300) -> Chart:
    """The network on a figure of its own (see :func:`diagram_parts`)."""
    parts = diagram_parts(layers, highlight=highlight, notes=notes, changed=changed)
    hidden = dict(visible=False, fixedrange=True)
    layout = dict(
        title=dict(text=title),
        height=height,
        showlegend=False,
        xaxis=dict(range=[-0.7, parts.width + 0.9], **hidden),
        yaxis=dict(range=[-1.9, 1.45], **hidden),
        annotations=parts.annotations,
        margin=dict(l=10, r=10, b=10),
    )
    if parts.shapes:  # plotly's validators drop an empty list (the page tests compare the two)
        layout["shapes"] = parts.shapes
    return figure(parts.traces, layout)


def changes(before: Sequence[LayerShape], after: Sequence[LayerShape]) -> dict[str, str]:
    """What differs between two networks, by layer of ``after``: "was 2", "new", "loss was × 1"."""
    old = {layer.name: layer for layer in before}
    found: dict[str, str] = {}
    for layer in after:
        was = old.get(layer.name)
        if was is None:
            found[layer.name] = "new"
        elif was.units != layer.units:
            found[layer.name] = f"was {was.units:,}"
        elif layer.role == "head" and was.weight != layer.weight:
            found[layer.name] = f"loss was × {was.weight:g}"
    return found
