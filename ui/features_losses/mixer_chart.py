"""The loss mixer's figure: every w of its slider is one frame, switched in the browser.

One figure, four panels in three rows: the probe curves over every w (with
the current w marked), the network (its head weights follow w), and the
held-out pictures' embedding map twice, coloured by colour and marked by shape.
Every frame holds all four panels' traces in the same order
(:mod:`ui.components.frames`), and its numbers quote that w's probes, so
nothing goes to the server while the student slides.

Everything that changes with w is a trace (SVG scatter, the numbers and the
heads' labels as text), so the slider restyles the traces in place instead
of redrawing the figure: about twice as fast (``benchmarks/bench_features_losses_browser.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from embedcore.experiments import MixerFamily
from ui.charts import PALETTE, Chart
from ui.components.frames import Frame, numbers_trace, slider_figure
from ui.features_losses.charts import _group_style
from ui.features_losses.diagram import diagram_parts

# Panel domains (paper fractions), in rows so a phone can read them: the curves under the numbers box,
# the network across the whole width, then the two maps side by side.
_NUMBERS, _CURVES, _NETWORK, _MAPS = [0.93, 1.0], [0.68, 0.92], [0.40, 0.58], [0.0, 0.33]
_LEFT, _RIGHT, _WHOLE = [0.0, 0.47], [0.53, 1.0], [0.0, 1.0]
_LABELS = {"colour": "colour probe", "shape": "shape probe"}
#: Points a map draws at most (every k-th held-out picture; the probes use them all). Each point is an SVG
#: marker restyled on every move of the slider: 200 instead of 400 cut the frame's work by a third.
MAP_POINTS = 200


def _curves(family: MixerFamily, i: int) -> list[dict[str, Any]]:
    """Both probes over every w (lines), and their values at the current w (large markers)."""
    out = []
    for j, (label, name) in enumerate(_LABELS.items()):
        style = dict(color=PALETTE[j])
        out.append(dict(type="scatter", x=family.ws, y=family.probes[label], mode="lines", name=name,
                        legendgroup=name, line=dict(**style, dash=("solid", "dash")[j]), xaxis="x", yaxis="y"))
        out.append(dict(type="scatter", x=[family.ws[i]], y=[family.probes[label][i]], mode="markers",
                        name=f"{name} at this w", showlegend=False, legendgroup=name, xaxis="x", yaxis="y",
                        marker=dict(size=13, symbol=("circle", "diamond")[j], line=dict(width=1, color="#333333"),
                                    **style)))
    return out


def _step(family: MixerFamily) -> int:
    """Every how many held-out pictures the maps draw one: at most :data:`MAP_POINTS` per map."""
    return -(-family.maps.shape[1] // MAP_POINTS)


def shown_pictures(family: MixerFamily) -> tuple[int, int]:
    """(pictures each map draws, held-out pictures in all): the same pictures in both maps and every frame."""
    n = family.maps.shape[1]
    return len(range(0, n, _step(family))), n


def _map(family: MixerFamily, i: int, label: str, axis: str) -> list[dict[str, Any]]:
    """The embedding map at frame ``i``, one trace per class of ``label`` (every class in every frame)."""
    step = _step(family)
    Y, labels, names = family.maps[i][::step], family.labels[label][::step], family.label_names[label]
    return [dict(type="scatter", x=Y[labels == k, 0], y=Y[labels == k, 1], mode="markers",
                 name=f"{label}: {name}", marker=_group_style(label, names, k), opacity=0.85,
                 hovertemplate=f"{label}: {name}<extra></extra>", xaxis=f"x{axis}", yaxis=f"y{axis}")
            for k, name in enumerate(names)]


def _network(family: MixerFamily, i: int):  # type: ignore[no-untyped-def]
    return diagram_parts(family.layers[i], highlight="embedding", xref="x2", yref="y2", head_text=True)


def _frame(family: MixerFamily, i: int) -> Frame:
    w = float(family.ws[i])
    colour, shape = (family.probes[label][i] for label in _LABELS)
    numbers = numbers_trace([f"w = {w:g}: colour loss × {w:g}, shape loss × {1 - w:g}",
                             f"colour probe {colour:.0%}, shape probe {shape:.0%}"], xaxis="x5", yaxis="y5")
    return Frame(f"{w:g}", [*_curves(family, i), *_map(family, i, "colour", "3"), *_map(family, i, "shape", "4"),
                            *_network(family, i).traces, numbers])


def mixer_frames(family: MixerFamily, *, active: int) -> Chart:
    """The mixer's figure, starting on frame ``active`` (the link's w); a slider switches w in the browser."""
    frames = [_frame(family, i) for i in range(len(family.ws))]
    chance = family.chance[family.first]
    network = _network(family, 0)  # what does not change with w: the layers' sizes and labels, the highlight
    hidden = dict(visible=False, fixedrange=True)
    square = dict(range=[-1.15, 1.15], showticklabels=False, zeroline=False, fixedrange=True)
    panel = dict(xref="paper", yref="paper", xanchor="center", yanchor="bottom", showarrow=False)
    layout = dict(
        height=1140,
        margin=dict(t=40, b=280),  # the slider, then a legend that wraps to five rows on a phone
        # Under the slider (which hangs about 110 px below the plot), not over its tick labels.
        legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
        xaxis=dict(domain=_WHOLE, range=[-0.05, 1.05], title=dict(text="w (weight of the colour loss)"),
                   anchor="y"),
        yaxis=dict(domain=_CURVES, range=[0, 1.05], tickformat=".0%", title=dict(text="probe"), anchor="x"),
        xaxis2=dict(domain=_WHOLE, range=[-0.7, network.width + 0.9], anchor="y2", **hidden),
        yaxis2=dict(domain=_NETWORK, range=[-1.9, 1.45], anchor="x2", **hidden),
        xaxis3=dict(domain=_LEFT, anchor="y3", **square),
        yaxis3=dict(domain=_MAPS, anchor="x3", **square),
        xaxis4=dict(domain=_RIGHT, anchor="y4", **square),
        yaxis4=dict(domain=_MAPS, anchor="x4", **square),
        xaxis5=dict(domain=_WHOLE, range=[0, 1], anchor="y5", **hidden),
        yaxis5=dict(domain=_NUMBERS, range=[0, 1], anchor="x5", **hidden),
        shapes=[dict(type="line", xref="x", x0=0, x1=1, yref="y", y0=chance, y1=chance,
                     line=dict(color="#999999", dash="dot")),
                *network.shapes],
        annotations=[
            dict(text="chance", x=1, y=chance, xref="x", yref="y", xanchor="right", yanchor="bottom",
                 showarrow=False),
            dict(text="by colour", x=float(np.mean(_LEFT)), y=_MAPS[1], **panel),
            dict(text="by shape", x=float(np.mean(_RIGHT)), y=_MAPS[1], **panel),
            *network.annotations,
        ],
    )
    return slider_figure(frames, layout, active=active, prefix="w = ", redraw=False)
