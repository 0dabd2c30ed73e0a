"""Plotly figures of the "Features, embeddings & losses" page.

Pure drawing: numbers in, figures out. The page shows them with
:func:`ui.charts.show_chart`, which adds the palette and a CSV download.

Speed: the traces and layouts are plain dicts in plotly's full nested form,
made into figures by :func:`ui.charts.figure` without plotly's validators
(a map took ~5 ms validated, ~0.5 ms from dicts, on every rerun of the page).
The page tests check every chart against the validators instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from embedcore.nn import LayerShape
from ui.charts import PALETTE, Chart, figure

# Colour names drawn in a colour-blind-safe colour close to their own
# (Okabe-Ito), so "red" points look reddish without relying on red/green.
SWATCH: dict[str, str] = {
    "red": "#D55E00",
    "orange": "#E69F00",
    "yellow": "#F0E442",
    "green": "#009E73",
    "blue": "#0072B2",
    "white": "#BBBBBB",
    "purple": "#CC79A7",
}
SYMBOLS: dict[str, str] = {"circle": "circle", "square": "square", "triangle": "triangle-up", "cross": "cross"}
# Other labels (colour, vehicle, taxi) get a marker shape per class too, so colour is never the
# only code; these are none of the pictures' own shapes, which would read as "this is a triangle".
OTHER_SYMBOLS: tuple[str, ...] = ("diamond", "star", "hexagon", "x", "pentagon", "triangle-down", "hourglass", "bowtie")


def _group_style(label: str, names: Sequence[str], i: int) -> dict:
    """The marker of class ``i`` of ``label``: colours in their own swatch, shapes as their own symbol."""
    if label == "colour":
        colour = SWATCH.get(names[i], PALETTE[i % len(PALETTE)])
    else:
        colour = PALETTE[i % len(PALETTE)]
    if label == "shape":
        symbol = SYMBOLS.get(names[i], OTHER_SYMBOLS[i % len(OTHER_SYMBOLS)])
    else:
        symbol = OTHER_SYMBOLS[i % len(OTHER_SYMBOLS)]
    return dict(color=colour, symbol=symbol, size=7, line=dict(width=0.5, color="#333333"))


def map_figure(
    Y: np.ndarray,
    labels: np.ndarray,
    names: Sequence[str],
    *,
    label: str,
    title: str,
    height: int = 360,
    ids: np.ndarray | None = None,
    selected: Sequence[int] = (),
) -> Chart:
    """A 2-D map, one trace per class of ``label`` (so the legend names them).

    Parameters
    ----------
    Y : ndarray of shape (n_points, 2)
    labels : ndarray of shape (n_points,)
        Class index of each point, into ``names``.
    label : str
        The attribute shown: "colour" uses colour-name swatches, "shape"
        uses a marker symbol per shape, anything else the palette.
    ids : ndarray of shape (n_points,), optional
        Each point's id (its picture's index), carried as ``customdata`` so a
        selection names the pictures, and so a twin map can light them up.
    selected : sequence of int
        Ids to highlight; the other points fade (none selected: all shown alike).
    """
    picked = set(int(i) for i in selected)
    traces = []
    for i, name in enumerate(names):
        mask = labels == i
        if not mask.any():
            continue
        traces.append(dict(
            type="scattergl",
            x=Y[mask, 0],
            y=Y[mask, 1],
            mode="markers",
            name=f"{label}: {name}",
            marker=_group_style(label, names, i),
            opacity=0.85,
            hovertemplate=f"{label}: {name}<extra></extra>",
        ))
        if ids is not None:
            own = np.asarray(ids)[mask]
            traces[-1]["customdata"] = own
            if picked:
                traces[-1]["selectedpoints"] = [j for j, i in enumerate(own) if int(i) in picked]
                traces[-1]["selected"] = dict(marker=dict(opacity=1.0, size=10))
                traces[-1]["unselected"] = dict(marker=dict(opacity=0.12))
    return figure(traces, dict(
        title=dict(text=title, font=dict(size=15)),
        height=height,
        # A map's axes have no meaning of their own (any rotation is as good),
        # so no axis titles; the legend sits under the plot.
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0),
        margin=dict(b=70),
    ))


def map_data(Y: np.ndarray, labels: Mapping[str, np.ndarray], names: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The numbers behind a map: x, y and every label by name."""
    data = pd.DataFrame({"x": np.round(Y[:, 0], 5), "y": np.round(Y[:, 1], 5)})
    for label, y in labels.items():
        data[label] = [names[label][int(i)] for i in y]
    return data


def loss_figure(curves: Mapping[str, Sequence[float]], *, title: str = "Training loss per epoch") -> Chart:
    """Loss curves, one line per model."""
    traces = [
        dict(type="scatter", x=np.arange(1, len(losses) + 1), y=list(losses), mode="lines", name=name)
        for name, losses in curves.items()
    ]
    return figure(traces, dict(
        title=dict(text=title),
        xaxis=dict(title=dict(text="epoch")),
        yaxis=dict(title=dict(text="training loss")),
        height=300,
    ))


def bars_figure(table: pd.DataFrame, *, x: str, columns: Sequence[str], title: str) -> Chart:
    """Grouped bars: one group per row of ``table`` (named by column ``x``)."""
    traces = [
        dict(type="bar", x=table[x].tolist(), y=table[column].to_numpy(), name=column,
             marker=dict(color=PALETTE[i % len(PALETTE)]))
        for i, column in enumerate(columns)
    ]
    return figure(traces, dict(
        title=dict(text=title), barmode="group", yaxis=dict(range=[0, 1.05], tickformat=".0%"), height=320
    ))


def log_figure(log: Sequence[Mapping[str, object]]) -> Chart:
    """The experiment log as outcome by lever: every run's accuracies, each run named by the levers it pulled.

    Parameters
    ----------
    log : sequence of dict
        Rows of :func:`embedcore.experiments.result_row` with a ``"run"`` number, oldest first.
    """
    from embedcore.experiments import levers_pulled

    ticks = [
        f"run {row['run']}: " + " + ".join(levers_pulled(log[i - 1] if i else None, row) or ["no change"])
        for i, row in enumerate(log)
    ]
    outcomes = [c for c in dict.fromkeys(k for row in log for k in row) if str(c).startswith(("accuracy ", "probe "))]
    traces = [
        dict(type="scatter", x=ticks, y=[row.get(c) for row in log], mode="lines+markers", name=c,
             hovertemplate=f"%{{x}}<br>{c}: %{{y:.0%}}<extra></extra>", connectgaps=False)
        for c in outcomes
    ]
    return figure(traces, dict(
        title=dict(text="Your experiments: what each lever did", font=dict(size=15)),
        yaxis=dict(title=dict(text="held-out accuracy"), tickformat=".0%", range=[0, 1.05]),
        xaxis=dict(type="category", tickangle=-30),
        legend=dict(orientation="h", yanchor="top", y=-0.35, x=0),
        margin=dict(b=140),
        height=420,
    ))


def layer_table(layers: Sequence[LayerShape]) -> pd.DataFrame:
    """The numbers behind a network diagram: each layer's name, role, units, activation and loss weight."""
    return pd.DataFrame([{"layer": layer.name, "role": layer.role, "units": layer.units,
                          "activation": layer.activation, "loss weight": layer.weight if layer.role == "head" else None}
                         for layer in layers])


def width_figure(widths: Sequence[int], lines: Mapping[str, Sequence[float]], chance: Mapping[str, float], *,
                 current: int) -> Chart:
    """Probe accuracy against the embedding width: one line per probe, dotted chance lines, the page's width marked.

    Parameters
    ----------
    widths : sequence of int, length n
        The embedding widths, drawn as evenly spaced categories (they double).
    lines : mapping of str to sequence of float, each length n
        A probe's accuracy at each width, by legend name.
    chance : mapping of str to float
        Chance level, by the same legend names (drawn dotted, labelled at the right).
    """
    x = [str(w) for w in widths]
    traces = [
        dict(type="scatter", x=x, y=list(values), mode="lines+markers", name=name,
             line=dict(color=PALETTE[i], dash=("solid", "dash")[i % 2]), marker=dict(size=9))
        for i, (name, values) in enumerate(lines.items())
    ]
    shapes, notes = [], []
    for i, (name, level) in enumerate(chance.items()):
        shapes.append(dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=level, y1=level,
                           line=dict(color="#999999", dash="dot")))
        notes.append(dict(text=f"chance ({name})", showarrow=False, xref="x domain", x=1, xanchor="right", yref="y",
                          y=level, yanchor="top" if i else "bottom"))
    shapes.append(dict(type="line", xref="x", x0=str(current), x1=str(current), yref="y domain", y0=0, y1=1,
                       line=dict(color="#555867", dash="dash")))
    notes.append(dict(text="the page's width", showarrow=False, xref="x", x=str(current), xanchor="left",
                      yref="y domain", y=1, yanchor="top"))
    return figure(traces, dict(
        title=dict(text="What survives by accident, by width"),
        xaxis=dict(title=dict(text="embedding width (numbers)"), type="category"),
        yaxis=dict(title=dict(text="probe accuracy (held-out)"), range=[0, 1.05], tickformat=".0%"),
        legend=dict(orientation="h", yanchor="top", y=-0.25, x=0),
        shapes=shapes,
        annotations=notes,
        height=360,
    ))
