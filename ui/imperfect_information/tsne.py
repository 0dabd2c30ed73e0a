"""A section of Imperfect information: t-SNE has knobs (perplexity, iterations) and the picture changes with them."""

from __future__ import annotations

import functools

import streamlit as st

from app_state import II
from embedcore.synthetic import CLUSTER_NAMES, DATASETS
from ui import heavy
from ui.charts import show_chart
from ui.imperfect_information import cache, checks
from ui.imperfect_information import tsne_charts as charts
from ui.imperfect_information.common import DATASET_OF, show_meters
from ui.glossary import define
from ui.layout import more_controls


@heavy.section
def tsne_knobs() -> None:
    """t-SNE has knobs: the same points under other perplexities and iterations, and what a map's shapes do not mean."""
    st.markdown(
        """t-SNE draws beautiful maps, but it has settings, and the picture changes with them. Here the data is
made up, so we **know the truth** and can check the picture against it (after Wattenberg, Viégas & Johnson,
[*How to Use t-SNE Effectively*](https://distill.pub/2016/misread-tsne/), Distill 2016). **Perplexity** is
roughly how many neighbours each point tries to keep close; **iterations** is how long t-SNE runs."""
    )
    define("t-SNE", "perplexity")
    name = DATASET_OF[st.selectbox("Data with known structure", **II.tsne_data.widget)]
    with more_controls("tsne"):
        c2, c4 = st.columns(2)
        n_points = c2.slider("Points", **II.tsne_points.widget)
        iterations = c4.select_slider("Iterations", **II.iterations.widget)
    checks.perplexity_2(name, n_points, int(iterations))
    perplexity = st.select_slider("Perplexity", **II.perplexity.widget)
    st.markdown(f"**The truth:** {DATASETS[name][2]}")

    _, labels = cache.tsne_data(name, n_points)
    with st.spinner(f"Running t-SNE on {n_points} points (a few seconds; each setting is kept once computed)..."):
        Y = cache.tsne_run(name, n_points, perplexity, iterations)
        reading = cache.tsne_reading(name, n_points, perplexity, iterations)
    plots, takeaways = st.columns([3, 2])
    with plots:
        show_chart(
            charts.cluster_map(Y, labels, CLUSTER_NAMES, f"t-SNE, perplexity {perplexity}, {iterations} iterations"),
            key=II.tsne_chart.key,
            data=functools.partial(charts.points_table, Y, labels, CLUSTER_NAMES),
            name=f"tsne-{name}-p{perplexity}-i{iterations}",
        )
    with takeaways:
        _three_things()
    show_meters(reading.meters, key=II.meters_tsne.key, linear=False)
    _against_the_truth(reading, n_points)

    st.subheader("Small multiples: one picture per perplexity")
    if st.toggle(
        f"Draw the small multiples (perplexity {', '.join(map(str, cache.PERPLEXITIES))})",
        help="Five t-SNE runs; each is kept once computed, so coming back is instant.",
        **II.multiples.widget,
    ):
        _small_multiples(name, n_points, iterations)
    st.info(
        "**No single setting is right.** Look at several perplexities before believing a shape, and check the "
        "numbers, not only the picture.",
        icon=":material/lightbulb:",
    )


def _three_things() -> None:
    """The three things to remember about a t-SNE map (after Distill's article), beside the map."""
    st.markdown("**Three things to remember**")
    st.info("**Cluster sizes mean little.** t-SNE evens out density: a wide cluster and a tight one can come "
            "out the same size.", icon=":material/straighten:")
    st.info("**Distances between clusters may mean little.** Gaps on the map need not match the gaps in the "
            "data.", icon=":material/open_in_full:")
    st.info("**Random noise can look clustered.** At low perplexity, pure noise breaks into clumps.",
            icon=":material/grain:")


def _against_the_truth(reading: cache.TsneReading, n_points: int) -> None:
    """The map against the truth: each cluster's spread and the gaps between clusters, in the data and on the map.

    One blob (no clusters) gets a keyed caption instead (``II.one_blob``): any cluster on its map is made up.
    """
    n_clusters = len(reading.spread_true)
    if n_clusters > 1:
        st.markdown("**The numbers: the map against the truth.**")
        st.dataframe(
            {
                "cluster": list(CLUSTER_NAMES[:n_clusters]),
                "spread in the data": [f"{v:.1f}" for v in reading.spread_true],
                "spread on the map": [f"{v:.1f}" for v in reading.spread_map],
                "ratio to cluster A (data)": [f"{v / reading.spread_true[0]:.1f}" for v in reading.spread_true],
                "ratio to cluster A (map)": [f"{v / reading.spread_map[0]:.1f}" for v in reading.spread_map],
            },
            hide_index=True,
        )
        if n_clusters > 2:
            st.caption(
                f"Gap A-B vs B-C: {reading.gaps_true[0, 1]:.0f} vs {reading.gaps_true[1, 2]:.0f} in the data "
                f"(ratio {reading.gaps_true[1, 2] / reading.gaps_true[0, 1]:.1f}); "
                f"{reading.gaps_map[0, 1]:.0f} vs {reading.gaps_map[1, 2]:.0f} on the map "
                f"(ratio {reading.gaps_map[1, 2] / reading.gaps_map[0, 1]:.1f})."
            )
    else:
        st.container(key=II.one_blob.key).caption(
            f"The data has one blob of {n_points} points; any clusters you see on the map are made up."
        )


def _small_multiples(name: str, n_points: int, iterations: int) -> None:
    """One t-SNE map per perplexity of ``cache.PERPLEXITIES``, side by side, with each map's meters in a table.

    Five runs at once, so each is held to at most ``cache.MULTIPLES_MAX_POINTS``
    points and ``cache.MULTIPLES_MAX_ITERATIONS`` iterations (about 1 s of CPU a run).
    """
    n_points, iterations = min(n_points, cache.MULTIPLES_MAX_POINTS), min(iterations, cache.MULTIPLES_MAX_ITERATIONS)
    _, labels = cache.tsne_data(name, n_points)
    st.caption(f"Each picture: {n_points} points, {iterations} iterations.")
    progress = st.progress(0.0, text="Running t-SNE for each perplexity...")
    maps = []
    for i, p in enumerate(cache.PERPLEXITIES):
        maps.append(cache.tsne_run(name, n_points, p, iterations))
        progress.progress((i + 1) / len(cache.PERPLEXITIES), text=f"Perplexity {p} done")
    progress.empty()
    show_chart(
        charts.small_multiples(maps, cache.PERPLEXITIES, labels, CLUSTER_NAMES),
        key=II.multiples_chart.key,
        data=functools.partial(charts.small_multiples_table, maps, cache.PERPLEXITIES, labels, CLUSTER_NAMES),
        name=f"tsne-small-multiples-{name}",
    )
    readings = [cache.tsne_reading(name, n_points, p, iterations) for p in cache.PERPLEXITIES]
    st.dataframe(
        {
            "perplexity": list(cache.PERPLEXITIES),
            "recall@10": [f"{r.meters.recall:.0%}" for r in readings],
            "trustworthiness": [f"{r.meters.trustworthiness:.2f}" for r in readings],
            # No explained-variance column: these are t-SNE maps, and only a PCA map has one.
        },
        hide_index=True,
    )
