"""A section of Imperfect information: t-SNE has knobs (perplexity, iterations) and the picture changes with them.

Both knobs answer in the browser: every picture of the data set shown (each
perplexity's run, photographed at every iteration) is sent once, in one
figure (``tsne_charts.knobs``), and a link sets where the sliders start.
Until the perplexity prediction is revealed, perplexity 2 is left out of
everything the section sends: the figure, the small multiples, the
takeaway and the download.
"""

from __future__ import annotations

import functools

import numpy as np
import streamlit as st

from app_state import II
from embedcore import checkpoints as cp
from embedcore.clusters import centroid_distances, cluster_spreads
from embedcore.synthetic import CLUSTER_NAMES, DATASETS
from embedcore.tsne import RunReadings
from ui import checkpoint
from ui.charts import show_chart
from ui.glossary import define
from ui.imperfect_information import cache, checks
from ui.imperfect_information import tsne_charts as charts
from ui.imperfect_information.common import DATASET_OF
from ui.layout import more_controls
from ui.lesson import section

HIDDEN_UNTIL_REVEALED = 2  # the perplexity the checkpoint asks about


def _start_controls(offered: tuple[int, ...], iterations: tuple[int, ...]) -> tuple[int, int]:
    """The folded, keyboard-operable way to pick the picture shown first (and what a link sets): (perplexity, iteration).

    Plotly's sliders take no keyboard focus; these two do, and they are bound to the URL.
    Before the reveal, a perplexity not offered (2) moves to the nearest one offered.
    """
    state = st.session_state
    raw = st.query_params.get(II.perplexity.key)  # a link's value, read before its widget would drop it
    wanted = int(raw) if raw is not None and II.perplexity.accepts(raw) else state.get(II.perplexity.key)
    if wanted not in offered:
        state[II.perplexity.key] = min(offered, key=lambda p: (abs(p - int(wanted or 0)), p))
    with more_controls("tsne"):
        c1, c2 = st.columns(2)
        perplexity = c1.select_slider("Start at perplexity", **{**II.perplexity.widget, "options": offered})
        iteration = c2.select_slider("Start at iteration", **{**II.iterations.widget, "options": iterations})
    return int(perplexity), int(iteration)


@section
def tsne_knobs() -> None:
    """t-SNE has knobs: the same points under other perplexities, iteration by iteration, against the known truth."""
    st.markdown(
        """t-SNE draws the prettiest maps, and it has knobs. Here the data is made up, so we **know the truth**
(after Distill's [*How to Use t-SNE Effectively*](https://distill.pub/2016/misread-tsne/)). **Perplexity** is roughly
how many neighbours each point keeps close; t-SNE then moves the points for 1,000 **iterations**."""
    )
    define("perplexity")
    name = DATASET_OF[st.selectbox("Data with known structure", **II.tsne_data.widget)]
    checks.perplexity_2(name)
    revealed = checkpoint.revealed(cp.PERPLEXITY_2)
    perplexities = tuple(p for p in II.perplexity.choices if revealed or p != HIDDEN_UNTIL_REVEALED)
    family = cache.tsne_family(name, tuple(II.perplexity.choices), tuple(II.iterations.choices))
    runs = [family.at(p) for p in perplexities]
    X, labels = cache.tsne_data(name)
    truth = charts.Truth(cluster_spreads(X, labels), centroid_distances(X, labels))
    st.markdown(f"**The truth:** {DATASETS[name][2]}")
    start = _start_controls(perplexities, family.iterations)
    row, column = perplexities.index(start[0]), family.iterations.index(start[1])
    chart = charts.knobs([r for r, _ in runs], [m for _, m in runs], perplexities, labels, CLUSTER_NAMES, truth,
                         title=f"t-SNE of {len(X)} points: move the knobs, or play", active=(row, column))
    shown = charts.numbers(perplexities[row], family.iterations[column], runs[row][1], column, truth)
    show_chart(
        chart, key=II.tsne_chart.key, name=f"tsne-{name}-every-picture",
        data=functools.partial(charts.readings_table, [m for _, m in runs], perplexities, family.iterations),
        summary=(f"Chart: t-SNE pictures of {len(X)} points, one per perplexity ({', '.join(map(str, perplexities))})"
                 f" and iteration (0 to {family.iterations[-1]}); the sliders and the play button change the picture "
                 f"in the browser. Shown first: {'; '.join(shown)}."),
    )
    _takeaway(perplexities, [m for _, m in runs], truth)
    if st.toggle(f"Small multiples: the finished maps side by side ({len(perplexities)} perplexities)",
                 **II.multiples.widget):
        maps = [r.snapshots[-1].astype(np.float32) for r, _ in runs]
        show_chart(
            charts.small_multiples(maps, perplexities, labels, CLUSTER_NAMES),
            key=II.multiples_chart.key,
            data=functools.partial(charts.small_multiples_table, maps, perplexities, labels, CLUSTER_NAMES),
            name=f"tsne-small-multiples-{name}",
        )


def _takeaway(perplexities: tuple[int, ...], readings: list[RunReadings], truth: charts.Truth) -> None:
    """What the finished maps say against the truth, over every perplexity offered (not only the one shown)."""
    n_clusters = len(truth.spreads)
    if n_clusters == 2:
        ratios = [m.spreads[-1, 1] / m.spreads[-1, 0] for m in readings]
        lead = (f"**Cluster sizes mean little.** In the data B is {truth.spreads[1] / truth.spreads[0]:.1f} times as "
                f"wide as A; {_span(ratios, '.1f')} times.")
    elif n_clusters >= 3:
        ratios = [m.gaps[-1, 1, 2] / m.gaps[-1, 0, 1] for m in readings]
        lead = (f"**Gaps between clusters may mean little.** In the data the gap B–C is "
                f"{truth.gaps[1, 2] / truth.gaps[0, 1]:.1f} times the gap A–B; {_span(ratios, '.1f')} times.")
    else:
        clumps = [int(m.clumps[-1]) for m in readings]
        lead = (f"**Clumps are not proof of clusters.** This data has none; {_span(clumps, 'd')} clumps, over "
                f"perplexities {perplexities[0]} to {perplexities[-1]}.")
    st.container(key=II.tsne_takeaway.key).info(
        f"{lead} No single setting is right: look at several, and check the numbers.", icon=":material/lightbulb:"
    )


def _span(values: list, spec: str) -> str:
    """``"on the finished maps, 1.0 to 1.3"``, or ``"on every finished map, 1.0"`` when the values print alike."""
    lo, hi = format(min(values), spec), format(max(values), spec)
    return f"on every finished map, {lo}" if lo == hi else f"on the finished maps, {lo} to {hi}"
