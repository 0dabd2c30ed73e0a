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
        yaxis=dict(title=dict(text="loss (cross-entropy)")),
        height=300,
    ))


def mixer_figure(history: pd.DataFrame) -> Chart:
    """Probe accuracy against the loss weight ``w`` of colour, one line per probe, over a dotted chance line."""
    history = history.sort_values("w")
    traces = [
        dict(
            type="scatter",
            x=history["w"].to_numpy(),
            y=history[column].to_numpy(),
            mode="lines+markers",
            name=name,
            line=dict(color=PALETTE[i]),
            marker=dict(size=10),
        )
        for i, (column, name) in enumerate((("colour probe", "colour kept"), ("shape probe", "shape kept")))
    ]
    chance = float(history["chance"].iloc[0]) if len(history) else 0.25
    # A dotted line across the plot at chance, labelled at its right end (what add_hline draws).
    line = dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=chance, y1=chance,
                line=dict(color="#999999", dash="dot"))
    label = dict(text="chance", showarrow=False, xref="x domain", x=1, xanchor="right", yref="y", y=chance,
                 yanchor="bottom")
    return figure(traces, dict(
        title=dict(text="What the embedding keeps, as you move the loss"),
        xaxis=dict(title=dict(text="w (weight of the colour loss; shape gets 1 - w)"), range=[-0.05, 1.05]),
        yaxis=dict(title=dict(text="probe accuracy (held-out)"), range=[0, 1.05], tickformat=".0%"),
        shapes=[line],
        annotations=[label],
        height=340,
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
