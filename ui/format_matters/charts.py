"""Plotly figures for the "Format matters" page.

Each function turns an embedcore result into a figure and nothing more: no
maths, no streamlit. The page draws them with :func:`ui.charts.show_chart`.

Speed: plotly validates every property of ``go.Scatter(...)`` and every
``update_layout`` call, which cost tens of milliseconds per figure - most of
a section's rerun. So figures are built here from plain dicts with
:func:`ui.charts.figure` (``_validate=False``), written in plotly's full
nested form (``marker=dict(color=...)``, ``title=dict(text=...)``) since no
validator rewrites the shorthand. The tests check every figure against
plotly's validators.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from plotly.colors import get_colorscale

from ui.charts import DIVERGING, PALETTE, Chart, figure
from ui.components.frames import Frame, slider_figure
from ui.text import plot, plots

BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, _, BLACK, GREY = PALETTE[:9]

#: Palette positions for map groups: distinct hues first (blue and sky blue, or black and
#: grey, look alike once shaded at low opacity).
GROUP_COLOURS: tuple[int, ...] = (0, 1, 2, 3, 5, 6, 9, 4)


def _scale(name: str) -> list[list[Any]]:
    """A named colour scale as explicit stops: plotly.js knows no '_r' names such as RdBu_r."""
    return get_colorscale(name)


def _title(text: str) -> dict[str, str]:
    """An axis or colour-bar title in plotly's full form."""
    return {"text": text}


def _arrow(x0: float, y0: float, x1: float, y1: float, colour: str, width: float = 2.5) -> dict:
    """A plotly annotation drawing an arrow from (x0, y0) to (x1, y1) in data units."""
    return dict(
        x=float(x1), y=float(y1), ax=float(x0), ay=float(y0), xref="x", yref="y", axref="x", ayref="y",
        showarrow=True, arrowhead=3, arrowsize=1.4, arrowwidth=width, arrowcolor=colour, text="", standoff=4,
    )


def _vline(x: float, colour: str, width: float = 2, dash: str = "solid") -> dict:
    """A vertical line at data ``x`` across the whole plot height (a plotly shape)."""
    return dict(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=colour, width=width, dash=dash))


def _hline(y: float, colour: str, width: float = 1, dash: str = "solid") -> dict:
    """A horizontal line at data ``y`` across the whole plot width (a plotly shape)."""
    return dict(type="line", y0=y, y1=y, x0=0, x1=1, xref="paper", line=dict(color=colour, width=width, dash=dash))


# --------------------------------------------------------------------------
# Encode and decode
# --------------------------------------------------------------------------
def vector_strip(vectors: np.ndarray, labels: Sequence[str]) -> Chart:
    """Each row of ``vectors`` (m, dim) as a strip of coloured cells, one per number."""
    vectors = np.atleast_2d(vectors)
    limit = float(np.abs(vectors).max()) or 1.0
    heatmap = dict(
        type="heatmap", z=vectors, x=np.arange(vectors.shape[1]), y=plots(labels), colorscale=_scale(DIVERGING),
        zmin=-limit, zmax=limit, colorbar=dict(title=_title("value"), thickness=12),
        hovertemplate="%{y}<br>dimension %{x}: %{z:.3f}<extra></extra>",
    )
    return figure([heatmap], dict(xaxis=dict(title=_title("dimension")), yaxis=dict(autorange="reversed")))


def _noise_frame(sweep: Any, i: int) -> Frame:
    """One value of the noise slider: where it is on the two curves, and what the push decodes to."""
    size, word = float(sweep.sizes[i]), plot(sweep.word)
    hover = "push %{x:.2f}: %{y:.3f}<extra></extra>"
    traces = [
        dict(type="scatter", mode="lines", x=[size, size], y=[0, 1.05], line=dict(color=BLACK, width=2),
             name="push", showlegend=False, hoverinfo="skip"),
        dict(type="scatter", mode="markers", x=[size], y=[float(sweep.word_cosines[i])], showlegend=False,
             name=f"cosine with '{word}'", marker=dict(color=BLUE, size=11, symbol="circle"), hovertemplate=hover),
        dict(type="scatter", mode="markers", x=[size], y=[float(sweep.rival_cosines[i])], showlegend=False,
             name="the best other word", marker=dict(color=ORANGE, size=11, symbol="diamond"), hovertemplate=hover),
    ]
    numbers = [f"push {size:.2f}: decodes to {sweep.top_words[i]}",
               f"cosine with {sweep.word}: {sweep.word_cosines[i]:.3f}",
               f"best other word: {sweep.rivals[i]} {sweep.rival_cosines[i]:.3f}"]
    return Frame(f"{size:.2f}", traces, numbers=numbers)


def noise_frames(sweep: Any, active: int) -> Chart:
    """The noise sweep (an ``encoding.NoiseSweep``) with a slider over its sizes that answers in the browser.

    Each size is a frame (:func:`ui.components.frames.slider_figure`): the push's line, its two points and the
    numbers beside the chart (the decoded word, its cosine, the best other word). The two curves stay put: they
    come after the frames' traces, and a frame replaces only the traces it holds (plotly.js maps a frame's
    ``data[i]`` to trace ``i``).
    """
    curves = [
        dict(type="scatter", mode="lines", x=sweep.sizes, y=sweep.word_cosines, name=f"cosine with '{plot(sweep.word)}'",
             line=dict(color=BLUE, width=3), hovertemplate="push %{x:.2f}: %{y:.3f}<extra></extra>"),
        dict(type="scatter", mode="lines", x=sweep.sizes, y=sweep.rival_cosines, name="cosine with the best other word",
             line=dict(color=ORANGE, dash="dot"), text=plots(sweep.rivals),
             hovertemplate="push %{x:.2f}: <b>%{text}</b> %{y:.3f}<extra></extra>"),
    ]
    shapes, annotations = [], []
    if sweep.breakpoint is not None:
        shapes.append(dict(type="rect", x0=sweep.breakpoint, x1=float(sweep.sizes[-1]), y0=0, y1=1, yref="paper",
                           fillcolor=VERMILLION, opacity=0.08, line=dict(width=0)))
        annotations.append(dict(x=sweep.breakpoint, y=0.05, yref="paper", xanchor="left", showarrow=False,
                                text=f" another word from {sweep.breakpoint:.2f}", font=dict(color=VERMILLION)))
    layout = dict(
        shapes=shapes, annotations=annotations, margin=dict(b=150),
        xaxis=dict(title=_title("push (1 = the vector's own length)"), range=[-0.05, float(sweep.sizes[-1]) + 0.05]),
        yaxis=dict(title=_title("cosine similarity"), range=[0, 1.05]), legend=dict(orientation="h", y=1.12),
    )
    chart = slider_figure([_noise_frame(sweep, i) for i in range(len(sweep.sizes))], layout, active=active,
                          prefix="push: ")
    chart.data.extend(curves)
    return chart


# --------------------------------------------------------------------------
# The toy plane with age (the 2-D plane is ui.components.plane)
# --------------------------------------------------------------------------
def toy_space_3d(names: Sequence[str], coords: np.ndarray, *, path: np.ndarray | None = None,
                 result: np.ndarray | None = None, result_label: str = "result") -> Chart:
    """Words in gender x royalty x age, with an optional head-to-tail path and result."""
    coords = np.asarray(coords, dtype=float)
    traces = [dict(
        type="scatter3d", mode="markers+text", x=coords[:, 0], y=coords[:, 1], z=coords[:, 2], text=plots(names),
        marker=dict(size=6, color=coords[:, 2], colorscale=_scale("Cividis"), cmin=-1, cmax=1), name="words",
        hovertemplate="%{text}: [%{x:.1f}, %{y:.1f}, %{z:.1f}]<extra></extra>",
    )]
    if path is not None and len(path) > 1:
        traces.append(dict(type="scatter3d", mode="lines+markers", x=path[:, 0], y=path[:, 1], z=path[:, 2],
                           line=dict(color=ORANGE, width=6), marker=dict(size=3, color=ORANGE), name="steps",
                           hoverinfo="skip"))
    if result is not None:
        traces.append(dict(type="scatter3d", mode="markers", x=[result[0]], y=[result[1]], z=[result[2]],
                           marker=dict(symbol="diamond", size=9, color=VERMILLION), name=plot(result_label)))
    return figure(traces, dict(
        scene=dict(xaxis=dict(title=_title("gender")), yaxis=dict(title=_title("royalty")),
                   zaxis=dict(title=_title("age")), camera=dict(eye=dict(x=1.5, y=-1.6, z=0.9))),
        showlegend=False, height=520,
    ))


# --------------------------------------------------------------------------
# One-hot versus embedding
# --------------------------------------------------------------------------
def distance_heatmap(names: Sequence[str], distances: np.ndarray, title: str, zmax: float) -> Chart:
    """Pairwise distances as a heatmap; one shared ``zmax`` makes two formats comparable."""
    heatmap = dict(
        type="heatmap", z=distances, x=plots(names), y=plots(names), colorscale=_scale("Viridis"), zmin=0, zmax=zmax,
        hovertemplate="%{y} \u2194 %{x}: %{z:.2f}<extra></extra>", colorbar=dict(title=_title("distance"), thickness=12),
    )
    if len(names) <= 12:  # numbers in the cells only while they fit
        heatmap.update(text=np.round(distances, 2), texttemplate="%{text}")
    return figure([heatmap], dict(title=_title(title), yaxis=dict(autorange="reversed"), height=380))


# --------------------------------------------------------------------------
# Word arithmetic
# --------------------------------------------------------------------------
def neighbour_bars(words: Sequence[str], cosines: Sequence[float], inputs: Sequence[str] = (),
                   expected: str = "") -> Chart:
    """Top results as horizontal bars, best on top; input words and the expected answer stand out."""
    role = ["input word" if w in inputs else "expected answer" if w == expected else "result" for w in words]
    colour = {"result": BLUE, "input word": GREY, "expected answer": GREEN}
    traces = []
    for name in ("result", "expected answer", "input word"):
        idx = [i for i, r in enumerate(role) if r == name]
        if idx:
            traces.append(dict(
                type="bar", orientation="h", x=[cosines[i] for i in idx], y=[f"{i + 1}. {plot(words[i])}" for i in idx],
                name=name, marker=dict(color=colour[name]), text=[f"{cosines[i]:.3f}" for i in idx],
                textposition="auto", hovertemplate="%{y}: cosine %{x:.3f}<extra></extra>",
            ))
    order = [f"{i + 1}. {plot(w)}" for i, w in enumerate(words)]
    return figure(traces, dict(
        xaxis=dict(title=_title("cosine similarity"), range=[0, 1]),
        yaxis=dict(categoryorder="array", categoryarray=order[::-1]),
        barmode="overlay", legend=dict(orientation="h", y=-0.2), height=420,
    ))


def analogy_picture(words: Sequence[str], coords: np.ndarray, roles: Sequence[str],
                    arrows: Sequence[tuple[int, int]]) -> Chart:
    """Words of an analogy on their own PCA plane, with parallel offset arrows.

    ``roles`` are "input", "result", "neighbour" or "computed" per word;
    ``arrows`` are (from, to) index pairs.
    """
    style = {
        "input": dict(color=BLUE, size=13, symbol="circle"),
        "result": dict(color=VERMILLION, size=15, symbol="circle"),
        "neighbour": dict(color=GREY, size=9, symbol="circle"),
        "computed": dict(color=VERMILLION, size=18, symbol="star"),
    }
    traces = []
    for role in ("neighbour", "input", "result", "computed"):
        idx = [i for i, r in enumerate(roles) if r == role]
        if idx:
            traces.append(dict(
                type="scatter", mode="markers+text", x=coords[idx, 0], y=coords[idx, 1],
                text=[plot(words[i]) for i in idx], textposition="top center", name=role, marker=style[role],
                hovertemplate="%{text}<extra>" + role + "</extra>",
            ))
    # man -> king and woman -> queen in colour; woman -> computed (the same step as man -> king) thin and grey.
    colours = [ORANGE, GREEN, GREY]
    annotations = [
        _arrow(coords[a, 0], coords[a, 1], coords[b, 0], coords[b, 1], colours[min(i, 2)], 2.5 if i < 2 else 1.2)
        for i, (a, b) in enumerate(arrows)
    ]
    return figure(traces, dict(
        title=_title("The analogy on the PCA plane of its own words"), annotations=annotations,
        xaxis=dict(title=_title("PCA 1")),
        yaxis=dict(title=_title("PCA 2"), scaleanchor="x", scaleratio=1),
        legend=dict(orientation="h", y=-0.2), height=480,
    ))


# --------------------------------------------------------------------------
# Axes made of words
# --------------------------------------------------------------------------
def axis_map(words: Sequence[str], coords: np.ndarray, in_vocab: np.ndarray, x_label: str, y_label: str) -> Chart:
    """Words placed on two word axes; the ends of each axis are marked at -1 and +1."""
    traces = []
    for known, name, symbol, colour in ((True, "vocabulary word", "circle", BLUE),
                                        (False, "built from word pieces", "diamond-open", ORANGE)):
        idx = np.flatnonzero(np.asarray(in_vocab) == known)
        if idx.size:
            traces.append(dict(
                type="scatter", mode="markers+text", x=coords[idx, 0], y=coords[idx, 1],
                text=[plot(words[i]) for i in idx], textposition="top center", name=name,
                marker=dict(size=10, color=colour, symbol=symbol),
                hovertemplate="%{text}: (%{x:.2f}, %{y:.2f})<extra></extra>",
            ))
    shapes = [_vline(v, GREY, 1, "dot") for v in (-1, 1)] + [_hline(v, GREY, 1, "dot") for v in (-1, 1)]
    return figure(traces, dict(
        shapes=shapes, xaxis=dict(title=_title(plot(x_label)), zeroline=True, zerolinecolor=BLACK),
        yaxis=dict(title=_title(plot(y_label)), zeroline=True, zerolinecolor=BLACK),
        legend=dict(orientation="h", y=-0.2), height=520,
    ))


def bias_bars(words: Sequence[str], scores: np.ndarray, axis_label: str) -> Chart:
    """Words sorted by their coordinate on one axis (e.g. professions on gender)."""
    order = np.argsort(scores)
    bars = dict(
        type="bar", orientation="h", x=np.asarray(scores)[order], y=[plot(words[i]) for i in order],
        marker=dict(color=[ORANGE if scores[i] > 0 else BLUE for i in order]),
        hovertemplate="%{y}: %{x:+.2f}<extra></extra>",
    )
    return figure([bars], dict(
        xaxis=dict(title=_title(plot(axis_label))), yaxis=dict(dtick=1, automargin=True),
        height=max(320, 22 * len(words)), showlegend=False,
    ))


# --------------------------------------------------------------------------
# Car-Land
# --------------------------------------------------------------------------
def group_regions(z: np.ndarray) -> np.ndarray:
    """Map group numbers in a region grid to palette positions, for ``ui.charts.add_regions``."""
    return np.asarray(GROUP_COLOURS)[np.asarray(z) % len(GROUP_COLOURS)]


def word_map(words: Sequence[str], Y: np.ndarray, labels: np.ndarray, cluster_names: Sequence[str],
             own: np.ndarray, in_vocab: np.ndarray, method: str) -> Chart:
    """Words on a 2-D map, one colour per group; shade with ``add_regions(fig, xs, ys, group_regions(z))``."""
    traces = []
    for c, name in enumerate(cluster_names):
        idx = np.flatnonzero(labels == c)
        hover = [plot(words[i]) + (" (your word" + ("" if in_vocab[i] else ", from word pieces") + ")" if own[i] else "")
                 for i in idx]
        traces.append(dict(
            type="scatter", mode="markers+text", x=Y[idx, 0], y=Y[idx, 1], text=[plot(words[i]) for i in idx],
            textposition="top center", textfont=dict(size=12), customdata=hover,
            name=f"group {c + 1}: around '{plot(name)}'",
            marker=dict(size=[15 if own[i] else 10 for i in idx], color=PALETTE[GROUP_COLOURS[c % len(GROUP_COLOURS)]],
                        symbol=["star" if own[i] else "circle" for i in idx],
                        line=dict(color=BLACK, width=[1.5 if own[i] else 0.5 for i in idx])),
            hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
        ))
    return figure(traces, dict(
        xaxis=dict(title=_title(f"{method} 1"), showticklabels=False),
        yaxis=dict(title=_title(f"{method} 2"), showticklabels=False),
        legend=dict(orientation="h", y=-0.12), height=620,
    ))
