"""Plotly figures and tables of numbers for the "Imperfect information" page.

Each function turns an embedcore result into a figure (or the DataFrame of
numbers behind one) and nothing more: no maths, no streamlit. The page draws
them with :func:`ui.charts.show_chart`.

Speed: the traces and layouts are plain dicts in plotly's full nested form
(``xaxis=dict(title=dict(text=...))``, not ``xaxis_title=...``), made into figures by
:func:`ui.charts.figure` without plotly's validators, which cost most of the
page's server time on every rerun. The two-panel figures lay out their axes
by hand, as ``make_subplots`` would. The page tests check every chart
against the validators instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from embedcore.compression import IMAGE_SHAPE, MAX_GREY, CompressionCurve, DigitsMap, Reconstruction
from embedcore.meters import FalsePairs, LostNeighbours, MeterCurve
from ui.charts import PALETTE, Chart, figure, regions_trace
from ui.components.frames import numbers_annotation

BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW, BLACK, GREY = PALETTE[:9]
# Ink on paper: 0 is white, 16 is black.
INK = [[0.0, "#ffffff"], [1.0, "#000000"]]
_MAX_LABELLED_POINTS = 45  # Above this, words show on hover only; the map stays readable.


def _square(xaxis: dict[str, Any], yaxis: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The x and y axes of a map, one unit as long across as up.

    So a turned map looks turned, not stretched; "domain" shrinks the plot
    instead of padding the ranges.
    """
    return dict(
        xaxis={**xaxis, "constrain": "domain"},
        yaxis={**yaxis, "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"},
    )


def _vline(x: float, xref: str = "x", yref: str = "y") -> dict[str, Any]:
    """A black line across one plot at ``x`` (what ``fig.add_vline`` draws)."""
    return dict(type="line", xref=xref, x0=x, x1=x, yref=f"{yref} domain", y0=0, y1=1, line=dict(color=BLACK, width=2))


def panel_domains(n: int, spacing: float) -> list[list[float]]:
    """The x domains of ``n`` plots side by side, as ``make_subplots(cols=n, horizontal_spacing=...)`` sets them."""
    width = (1.0 - spacing * (n - 1)) / n
    starts = [sum([width] * c) + c * spacing for c in range(n)]
    return [[start, start + width] for start in starts]


def panel_title(text: str, domain: Sequence[float]) -> dict[str, Any]:
    """A title centred above the plot spanning ``domain`` (as ``make_subplots`` writes ``subplot_titles``)."""
    return dict(text=text, showarrow=False, font=dict(size=16), xref="paper", x=sum(domain) / 2.0, xanchor="center",
                yref="paper", y=1.0, yanchor="bottom")


# --------------------------------------------------------------------------
# 1. Digits
# --------------------------------------------------------------------------
def _grey_levels(z: np.ndarray, **style: Any) -> dict[str, Any]:
    """A heatmap of digit pixels: ink on paper, 0 white to 16 black."""
    return dict(type="heatmap", z=z, colorscale=INK, zmin=0, zmax=MAX_GREY, **style)


def digit_numbers(image: np.ndarray, label: int) -> Chart:
    """One 8 x 8 digit as a grid of its 64 grey levels, each number printed."""
    grid = np.asarray(image).reshape(IMAGE_SHAPE)
    heatmap = _grey_levels(
        grid,
        text=grid.astype(int),
        texttemplate="%{text}",
        textfont=dict(size=15),
        showscale=False,
        hovertemplate="row %{y}, column %{x}: %{z:.0f}<extra></extra>",
    )
    bare = dict(showticklabels=False, showgrid=False, zeroline=False, ticks="")
    return figure([heatmap], dict(
        title=dict(text=f"A handwritten {label}: its 64 numbers"),
        **_square(bare, dict(autorange="reversed", **bare)),
    ))


def digit_table(image: np.ndarray) -> pd.DataFrame:
    """The 64 numbers of one image as an 8 x 8 table."""
    grid = np.asarray(image).reshape(IMAGE_SHAPE).astype(int)
    return pd.DataFrame(grid, columns=[str(j) for j in range(IMAGE_SHAPE[1])])


def _tile(images: np.ndarray, gap: int = 1) -> np.ndarray:
    """Lay (n, 64) images side by side as one (8, n*9 - 1) picture, NaN in the gaps."""
    rows, cols = IMAGE_SHAPE
    n = len(images)
    tiled = np.full((rows, n * (cols + gap) - gap), np.nan)
    for i, image in enumerate(images):
        tiled[:, i * (cols + gap): i * (cols + gap) + cols] = np.asarray(image).reshape(IMAGE_SHAPE)
    return tiled


def gallery(rec: Reconstruction, k: int) -> Chart:
    """Originals (top row) above their reconstructions from ``k`` numbers.

    All the images are tiled into one heatmap (NaN gaps show as paper):
    one trace instead of two per digit keeps this chart, redrawn on every
    move of the k slider, cheap to build and to send.
    """
    rows = IMAGE_SHAPE[0]
    top, bottom = _tile(rec.original), _tile(rec.rebuilt)
    z = np.vstack([top, np.full((2, top.shape[1]), np.nan), bottom])
    label = f"from {k}"
    trace = _grey_levels(
        z,
        showscale=False,
        hoverongaps=False,
        hovertemplate="%{z:.1f}<extra></extra>",
    )
    layout = dict(
        title=dict(text=f"Originals, and rebuilt from {k} number{'s' if k != 1 else ''}"),
        height=260,
        xaxis=dict(showticklabels=False, showgrid=False, zeroline=False, ticks="", constrain="domain"),
        yaxis=dict(
            autorange="reversed", showgrid=False, zeroline=False, ticks="", scaleanchor="x", constrain="domain",
            tickmode="array", tickvals=[(rows - 1) / 2, rows + 2 + (rows - 1) / 2], ticktext=["original", label],
        ),
    )
    return figure([trace], layout)


def gallery_table(rec: Reconstruction) -> pd.DataFrame:
    """The numbers behind the gallery: each gallery digit and its rebuilt image's error per pixel."""
    return pd.DataFrame({"digit": rec.labels, "mean squared error per pixel": rec.error.round(3)})


def compression_curves(curve: CompressionCurve, k: int, *, accuracy: bool = True) -> Chart:
    """Share of pixel variance lost (left) and held-out accuracy (right), k from 64 down to 1.

    Two panels side by side, a black line at the current ``k`` in each; with
    ``accuracy=False`` (before the section's prediction is revealed) the
    reconstruction panel alone, across the whole width.
    """
    left, right = panel_domains(2, 0.12) if accuracy else ([0.0, 1.0], None)

    def axes(n: str, domain: list[float]) -> dict[str, Any]:
        """The x and y axes of panel ``n`` ("" or "2") over the x ``domain``."""
        # Read left to right as compression: 64 numbers first, 1 number last.
        return {
            f"xaxis{n}": dict(anchor=f"y{n}", domain=domain, autorange="reversed",
                              title=dict(text="numbers kept (k)")),
            f"yaxis{n}": dict(anchor=f"x{n}", domain=[0.0, 1.0], range=[0, 1.02], tickformat=".0%"),
        }

    traces = [
        dict(type="scatter", x=curve.ks, y=curve.variance_lost,
             name="reconstruction error (share of pixel variance lost)", line=dict(color=VERMILLION), xaxis="x",
             yaxis="y"),
    ]
    layout: dict[str, Any] = dict(**axes("", left), legend=dict(orientation="h", y=-0.3), height=380,
                                  annotations=[panel_title("Reconstruction error: what the pixels lose", left)],
                                  shapes=[_vline(k, "x", "y")])
    if accuracy:
        traces += [
            dict(type="scatter", x=curve.ks, y=curve.accuracy, name="held-out accuracy (5-NN on the codes)",
                 line=dict(color=BLUE), xaxis="x2", yaxis="y2"),
            dict(type="scatter", x=[curve.ks.min(), curve.ks.max()], y=[curve.baseline, curve.baseline],
                 name="always give the most common answer", line=dict(color=GREY, dash="dot"), xaxis="x2",
                 yaxis="y2"),
        ]
        layout.update(axes("2", right))
        layout["annotations"].append(panel_title("Held-out accuracy: what the task keeps", right))
        layout["shapes"].append(_vline(k, "x2", "y2"))
    return figure(traces, layout)


def compression_table(curve: CompressionCurve, *, accuracy: bool = True) -> pd.DataFrame:
    """The numbers behind the compression curves: error (and, with ``accuracy``, held-out accuracy) for every k."""
    table = {
        "numbers kept (k)": curve.ks,
        "mean squared error per pixel": curve.mse.round(4),
        "share of pixel variance lost": curve.variance_lost.round(4),
    }
    if accuracy:
        table["held-out accuracy"] = curve.accuracy.round(4)
    return pd.DataFrame(table)


def decision_regions(result: DigitsMap, class_names: Sequence[str]) -> Chart:
    """Held-out digits on the 2-D map, over the classifier's shaded regions."""
    traces = [regions_trace(result.xs, result.ys, result.regions, opacity=0.22)]
    for c, name in enumerate(class_names):
        mask = result.labels == c
        traces.append(dict(
            type="scatter",
            x=result.points[mask, 0],
            y=result.points[mask, 1],
            mode="markers",
            name=name,
            marker=dict(color=PALETTE[c % len(PALETTE)], size=6, line=dict(width=0.5, color="white")),
            hovertemplate=f"{name}<extra></extra>",
        ))
    return figure(traces, dict(
        title=dict(text="Pictures as 2 numbers; shading: the answer"),
        xaxis=dict(title=dict(text="code number 1")),
        yaxis=dict(title=dict(text="code number 2")),
        height=480,
    ))


def digits_map_table(result: DigitsMap, class_names: Sequence[str]) -> pd.DataFrame:
    """The numbers behind the 2-number map: each held-out image's code, true answer and predicted answer."""
    return pd.DataFrame(
        {
            "code 1": result.points[:, 0].round(3),
            "code 2": result.points[:, 1].round(3),
            "true answer": [class_names[i] for i in result.labels],
            "classifier says": [class_names[i] for i in result.predicted],
        }
    )


# --------------------------------------------------------------------------
# Word maps
# --------------------------------------------------------------------------
def word_map(
    points: np.ndarray,
    words: Sequence[str],
    labels: np.ndarray,
    group_names: Sequence[str],
    *,
    title: str,
    grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    axis_titles: tuple[str, str] = ("", ""),
    show_text: bool | None = None,
) -> Chart:
    """Words on a 2-D map, one colour per concept group, optionally over its regions.

    Words are printed next to their points when ``show_text`` (by default,
    only for small maps); otherwise they show on hover.
    """
    if show_text is None:
        show_text = len(words) <= _MAX_LABELLED_POINTS
    words = np.asarray(words)
    traces = [regions_trace(*grid, opacity=0.2)] if grid is not None else []
    for g, name in enumerate(group_names):
        mask = labels == g
        traces.append(dict(
            type="scatter",
            x=points[mask, 0],
            y=points[mask, 1],
            mode="markers+text" if show_text else "markers",
            text=words[mask],
            textposition="top center",
            textfont=dict(size=11, color=PALETTE[g % len(PALETTE)]),
            name=name,
            marker=dict(color=PALETTE[g % len(PALETTE)], size=8, line=dict(width=0.5, color="white")),
            hovertemplate="%{text}<extra>" + name + "</extra>",
        ))
    return figure(traces, dict(
        title=dict(text=title),
        **_square(dict(title=dict(text=axis_titles[0])), dict(title=dict(text=axis_titles[1]))),
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.12, yanchor="top"),
        height=560,
    ))


def word_map_table(points: np.ndarray, words: Sequence[str], labels: np.ndarray, group_names: Sequence[str]) -> pd.DataFrame:
    """The numbers behind a word map: each word, its group and its (x, y) on the map."""
    return pd.DataFrame(
        {
            "word": list(words),
            "group": [group_names[g] for g in labels],
            "x": points[:, 0].round(4),
            "y": points[:, 1].round(4),
        }
    )


def meter_curves(curve: MeterCurve, dims: int) -> Chart:
    """The three meters of PCA maps keeping 1..64 dimensions, a black line at ``dims`` and its numbers in a box."""
    at = int(np.flatnonzero(curve.dims == dims)[0])
    traces = [
        dict(type="scatter", x=curve.dims, y=values, name=name, line=dict(color=colour))
        for values, name, colour in (
            (curve.recall, f"neighbourhood recall@{curve.k}", BLUE),
            (curve.trustworthiness, "trustworthiness", ORANGE),
            (curve.explained_variance, "PCA explained variance", GREEN),
        )
    ]
    return figure(traces, dict(
        title=dict(text=f"Meters of PCA maps, 1 to {int(curve.dims.max())} directions"),
        xaxis=dict(title=dict(text="directions kept")),
        yaxis=dict(range=[0, 1.02], tickformat=".0%", title=dict(text="meter")),
        shapes=[_vline(dims)],
        # The numbers at the line, bottom right: the curves start low on the left and end high on the right.
        annotations=[{**numbers_annotation([
            f"{dims} direction{'s' if dims != 1 else ''} kept",
            f"recall@{curve.k} {curve.recall[at]:.0%}, trustworthiness {curve.trustworthiness[at]:.2f}",
            f"explained variance {curve.explained_variance[at]:.0%}",
        ]), "x": 0.99, "xanchor": "right", "y": 0.03, "yanchor": "bottom"}],
        legend=dict(orientation="h", y=-0.25),
        height=400,
    ))


def meter_table(curve: MeterCurve) -> pd.DataFrame:
    """The numbers behind the meter curves: the three meters for every number of dimensions kept."""
    return pd.DataFrame(
        {
            "dimensions kept": curve.dims,
            f"recall@{curve.k}": curve.recall.round(4),
            "trustworthiness": curve.trustworthiness.round(4),
            "explained variance": curve.explained_variance.round(4),
        }
    )


def lost_neighbours_map(points: np.ndarray, words: Sequence[str], index: int, found: LostNeighbours) -> Chart:
    """One word, lines to its true neighbours, and its false neighbours on the map marked."""
    words = np.asarray(words)
    others = dict(
        type="scatter", x=points[:, 0], y=points[:, 1], mode="markers", name="other words",
        marker=dict(color="#cccccc", size=6), text=words, hovertemplate="%{text}<extra></extra>",
        customdata=np.arange(len(words)),  # a click names the word, for the linked view
    )
    # Lines from the word to each true neighbour: long lines are neighbours the map tore away.
    xs, ys = [], []
    for j in found.full:
        xs += [points[index, 0], points[j, 0], None]
        ys += [points[index, 1], points[j, 1], None]
    lines = dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color=BLUE, width=1),
                 name="line to a true neighbour", hoverinfo="skip")
    true = found.full
    true_marks = dict(
        type="scatter", x=points[true, 0], y=points[true, 1], mode="markers+text", text=words[true],
        textposition="top center", name="true neighbour (10 nearest in full space)", textfont=dict(color=BLUE),
        marker=dict(color=BLUE, size=10), hovertemplate="%{text}<extra>true neighbour</extra>",
        customdata=np.asarray(true),
    )
    false = found.false
    false_marks = dict(
        type="scatter", x=points[false, 0], y=points[false, 1], mode="markers+text", text=words[false],
        textposition="bottom center", name="false neighbour (close on the map, far in truth)",
        textfont=dict(color=VERMILLION), marker=dict(color=VERMILLION, size=12, symbol="x"),
        hovertemplate="%{text}<extra>false neighbour</extra>",
        customdata=np.asarray(false),
    )
    chosen = dict(
        type="scatter", x=[points[index, 0]], y=[points[index, 1]], mode="markers+text", text=[words[index]],
        textposition="top center", name="the chosen word", textfont=dict(size=16, color=BLACK),
        marker=dict(color=BLACK, size=16, symbol="star"),
    )
    # Zoom on the word and both of its neighbourhoods; the rest of the map is context.
    focus = points[np.concatenate([[index], found.full, found.on_map])]
    lo, hi = focus.min(axis=0), focus.max(axis=0)
    pad = 0.15 * np.maximum(hi - lo, 1e-6)
    return figure([others, lines, true_marks, false_marks, chosen], dict(
        title=dict(text=f"The 10 neighbours of “{words[index]}”, on the map"),
        xaxis=dict(range=[lo[0] - pad[0], hi[0] + pad[0]]),
        yaxis=dict(range=[lo[1] - pad[1], hi[1] + pad[1]]),
        legend=dict(orientation="h", y=-0.15),
        height=520,
    ))


def lost_neighbours_table(words: Sequence[str], found: LostNeighbours, groups: Sequence[str]) -> pd.DataFrame:
    """Side by side: the 10 nearest in full space and the 10 nearest on the map."""
    false = set(found.false.tolist())
    lost = set(found.lost.tolist())
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(found.full) + 1),
            "nearest in full space": [words[j] for j in found.full],
            "still a map neighbour?": ["no (lost)" if j in lost else "yes" for j in found.full],
            "rank on the map": found.map_rank_of_full,
            "nearest on the map": [words[j] for j in found.on_map],
            "group": [groups[j] for j in found.on_map],
            "true neighbour?": ["FALSE neighbour" if j in false else "yes" for j in found.on_map],
            "rank in full space": found.full_rank_of_map,
        }
    )


def false_pairs_table(words: Sequence[str], groups: Sequence[str], pairs: FalsePairs) -> pd.DataFrame:
    """The worst false neighbours: word pairs close on the map, far apart in the full space, with both ranks."""
    return pd.DataFrame(
        {
            "word": [words[i] for i in pairs.i],
            "its group": [groups[i] for i in pairs.i],
            "close on the map to": [words[j] for j in pairs.j],
            "that word's group": [groups[j] for j in pairs.j],
            "rank on the map": pairs.map_rank,
            "rank in full space": pairs.full_rank,
        }
    )
