"""Plotly figures and tables of numbers for the "t-SNE has knobs" section of "Imperfect information".

Like ``ui.imperfect_information.charts`` (whose panel layout they share),
plain dicts made into figures without plotly's validators; the page tests
validate them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ui.charts import PALETTE, Chart, figure
from ui.imperfect_information.charts import panel_domains, panel_title


def _cluster_traces(Y: np.ndarray, labels: np.ndarray, names: Sequence[str], *, axes: str | None = None,
                    legend: bool = True) -> list[dict[str, Any]]:
    """One trace of points per cluster; ``axes`` "2" puts them on xaxis2/yaxis2 ("" on the first panel)."""
    traces = []
    for c in np.unique(labels):
        mask = labels == c
        trace = dict(
            type="scatter", x=Y[mask, 0], y=Y[mask, 1], mode="markers", name=f"cluster {names[c]}",
            marker=dict(color=PALETTE[int(c) % len(PALETTE)], size=5), showlegend=legend,
            legendgroup=str(c), hoverinfo="skip",
        )
        if axes is not None:
            trace.update(xaxis=f"x{axes}", yaxis=f"y{axes}")
        traces.append(trace)
    return traces


def cluster_map(Y: np.ndarray, labels: np.ndarray, names: Sequence[str], title: str) -> Chart:
    """A t-SNE map of the lesson's data, one colour per true cluster."""
    # No tick labels: t-SNE's axes and units mean nothing.
    return figure(_cluster_traces(Y, labels, names), dict(
        title=dict(text=title),
        xaxis=dict(showticklabels=False),
        yaxis=dict(showticklabels=False),
        legend=dict(orientation="h", y=-0.05),
        height=420,
    ))


def small_multiples(maps: Sequence[np.ndarray], perplexities: Sequence[int], labels: np.ndarray,
                    names: Sequence[str]) -> Chart:
    """One t-SNE map per perplexity, side by side (one legend, from the first)."""
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


def small_multiples_table(maps: Sequence[np.ndarray], perplexities: Sequence[int], labels: np.ndarray,
                          names: Sequence[str]) -> pd.DataFrame:
    """The numbers behind the small multiples: every map's points, with their perplexity."""
    return pd.concat(
        [points_table(Y, labels, names).assign(perplexity=p) for Y, p in zip(maps, perplexities)], ignore_index=True
    )
