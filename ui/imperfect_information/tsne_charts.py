"""Plotly figures and tables of numbers for the "t-SNE has knobs" section of "Imperfect information".

Like ``ui.imperfect_information.charts`` (whose panel layout they share),
plain dicts made into figures without plotly's validators; the page tests
validate them. The knobs' figure holds every picture of the data set shown
(:mod:`ui.imperfect_information.tsne_player`); its numbers box says, for the
picture shown, what the map kept and how it compares with the known truth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from embedcore.tsne import RunReadings, TsneRun
from ui.charts import PALETTE, Chart, figure
from ui.components.frames import Frame
from ui.imperfect_information.charts import panel_domains, panel_title
from ui.imperfect_information.tsne_player import knob_figure

# Every picture is scaled to fit [-1, 1] (t-SNE's units mean nothing) and sent as whole numbers of 1/10,000
# (16-bit integers: half the bytes of 32-bit floats, for about 150 pictures). The band above 1.1 holds the numbers.
UNIT = 10_000
X_RANGE = [-1.1 * UNIT, 1.1 * UNIT]
Y_RANGE = [-1.1 * UNIT, 1.7 * UNIT]


def in_units(snapshot: np.ndarray) -> np.ndarray:
    """A snapshot (n, 2) scaled to fit [-1, 1], as the knobs' figure sends it: int16 in 1/10,000 (:data:`UNIT`)."""
    return np.round(np.asarray(snapshot, dtype=np.float64) * UNIT).astype(np.int16)


def _cluster_traces(Y: np.ndarray, labels: np.ndarray, names: Sequence[str], *, axes: str | None = None,
                    legend: bool = True) -> list[dict[str, Any]]:
    """One trace of points per cluster; ``axes`` "2" puts them on xaxis2/yaxis2 ("" on the first panel)."""
    traces = []
    for c in np.unique(labels):
        mask = labels == c
        trace = dict(
            type="scatter", x=Y[mask, 0], y=Y[mask, 1], mode="markers",
            name=f"cluster {names[c]}", marker=dict(color=PALETTE[int(c) % len(PALETTE)], size=5),
            showlegend=legend, legendgroup=str(c), hoverinfo="skip",
        )
        if axes is not None:
            trace.update(xaxis=f"x{axes}", yaxis=f"y{axes}")
        traces.append(trace)
    return traces


@dataclass(frozen=True)
class Truth:
    """The data's own cluster spreads (n_clusters,) and gaps between centres (n_clusters, n_clusters)."""

    spreads: np.ndarray
    gaps: np.ndarray


def ratio_line(readings: RunReadings, truth: Truth, at: int) -> str | None:
    """The line comparing the map with the known truth at snapshot ``at``: sizes (2 clusters) or gaps (3); else None."""
    spreads, gaps = truth.spreads, truth.gaps
    if len(spreads) == 2:
        return (f"width B \u00f7 width A: {readings.spreads[at, 1] / readings.spreads[at, 0]:.1f} here, "
                f"{spreads[1] / spreads[0]:.1f} in the data")
    if len(spreads) >= 3:
        return (f"gap B\u2013C \u00f7 gap A\u2013B: {readings.gaps[at, 1, 2] / readings.gaps[at, 0, 1]:.1f} here, "
                f"{gaps[1, 2] / gaps[0, 1]:.1f} in the data")
    return None


def numbers(perplexity: int, iteration: int, readings: RunReadings, at: int, truth: Truth) -> list[str]:
    """The numbers box of one picture: the knobs, two meters, the clumps the eye sees, and the truth's ratio."""
    n_clusters = len(truth.spreads)
    found = "no clusters" if n_clusters == 1 else f"{n_clusters} clusters"
    lines = [
        f"perplexity {perplexity}, iteration {iteration}",
        f"recall@{readings.k} {readings.recall[at]:.0%}, trustworthiness {readings.trustworthiness[at]:.2f}",
        f"clumps on the map: {readings.clumps[at]} (the data: {found})",
    ]
    extra = ratio_line(readings, truth, at)
    return lines + ([extra] if extra else [])


def knobs(runs: Sequence[TsneRun], readings: Sequence[RunReadings], perplexities: Sequence[int], labels: np.ndarray,
          names: Sequence[str], truth: Truth, *, title: str, active: tuple[int, int]) -> Chart:
    """Every picture of one data set (rows: ``perplexities``, columns: the runs' iterations) in one figure."""
    iterations = [int(i) for i in runs[0].iterations]
    grid = [[Frame(f"{p}, {it}", _cluster_traces(in_units(run.snapshots[c]), labels, names),
                   numbers=numbers(p, it, reading, c, truth))
             for c, it in enumerate(iterations)]
            for p, run, reading in zip(perplexities, runs, readings)]
    bare = dict(showticklabels=False, showgrid=False, zeroline=False, ticks="", fixedrange=True)
    layout = dict(
        title=dict(text=title),
        xaxis=dict(range=X_RANGE, constrain="domain", **bare),
        yaxis=dict(range=Y_RANGE, scaleanchor="x", scaleratio=1, constrain="domain", **bare),
        legend=dict(orientation="h", x=0, xanchor="left", y=0, yanchor="top"),
        height=800,
    )
    return knob_figure(grid, [str(p) for p in perplexities], [str(i) for i in iterations], layout, active=active,
                       row_prefix="perplexity: ", column_prefix="iteration: ")


def small_multiples(maps: Sequence[np.ndarray], perplexities: Sequence[int], labels: np.ndarray,
                    names: Sequence[str]) -> Chart:
    """One finished t-SNE map per perplexity, side by side (one legend, from the first)."""
    domains = panel_domains(len(maps), 0.02)
    traces: list[dict[str, Any]] = []
    layout: dict[str, Any] = {}
    for i, (Y, domain) in enumerate(zip(maps, domains)):
        n = str(i + 1) if i else ""  # plotly's axis names: x, x2, x3, ...
        traces += _cluster_traces(Y, labels, names, axes=n, legend=i == 0)
        layout[f"xaxis{n}"] = dict(anchor=f"y{n}", domain=domain, showticklabels=False)
        layout[f"yaxis{n}"] = dict(anchor=f"x{n}", domain=[0.0, 1.0], showticklabels=False)
    layout["annotations"] = [panel_title(f"perplexity {p}", domain) for p, domain in zip(perplexities, domains)]
    return figure(traces, dict(layout, legend=dict(orientation="h", y=-0.1), height=300))


def points_table(Y: np.ndarray, labels: np.ndarray, names: Sequence[str]) -> pd.DataFrame:
    """The numbers behind a t-SNE map: each point's (x, y) and its true cluster."""
    return pd.DataFrame({"x": Y[:, 0].round(4), "y": Y[:, 1].round(4), "cluster": [names[c] for c in labels]})


def readings_table(readings: Sequence[RunReadings], perplexities: Sequence[int], iterations: Sequence[int]
                   ) -> pd.DataFrame:
    """The numbers behind the knobs' figure: every picture's meters and clumps (and the truth's ratio, if any)."""
    rows = []
    for p, reading in zip(perplexities, readings):
        for at, iteration in enumerate(iterations):
            row = {"perplexity": p, "iteration": int(iteration), f"recall@{reading.k}": round(reading.recall[at], 4),
                   "trustworthiness": round(reading.trustworthiness[at], 4), "clumps": int(reading.clumps[at])}
            if reading.spreads.shape[1] == 2:
                row["width B / width A"] = round(reading.spreads[at, 1] / reading.spreads[at, 0], 3)
            elif reading.spreads.shape[1] >= 3:
                row["gap B-C / gap A-B"] = round(reading.gaps[at, 1, 2] / reading.gaps[at, 0, 1], 3)
            rows.append(row)
    return pd.DataFrame(rows)


def small_multiples_table(maps: Sequence[np.ndarray], perplexities: Sequence[int], labels: np.ndarray,
                          names: Sequence[str]) -> pd.DataFrame:
    """The numbers behind the small multiples: every finished map's points, with their perplexity."""
    return pd.concat(
        [points_table(Y, labels, names).assign(perplexity=p) for Y, p in zip(maps, perplexities)], ignore_index=True
    )
