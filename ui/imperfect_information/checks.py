"""Imperfect information's predict-then-reveal checkpoints, judged from the lesson's own numbers."""

from __future__ import annotations

import numpy as np

from embedcore import checkpoints as cp
from embedcore import clusters, knn
from ui import checkpoint
from ui.imperfect_information import cache


def smallest_code() -> None:
    """How few of the 64 numbers still name the digit 90% of the time."""

    def judge(choice: str) -> cp.Verdict:
        """Judge ``choice`` against the digit task's cached compression curve (the page's own)."""
        curve = cache.compression_curve("digit")
        return cp.judge_smallest_code(choice, curve.ks, curve.accuracy)

    checkpoint.predict(cp.SMALLEST_CODE, judge, hint="Then pick the task 'Which digit?' and slide k to check.")


def regions_vs_axes(groups: tuple[str, ...], method: str) -> None:
    """Which 2-D map keeps the current concept groups apart better."""

    def judge(choice: str) -> cp.Verdict:
        """Judge ``choice`` against the 5-NN accuracies of the axes map and the regions map of ``groups``."""
        labels = cache.concepts(groups).labels
        on_axes = knn.knn_accuracy(cache.axes_map(groups), labels, k=5)
        return cp.judge_regions_vs_axes(choice, on_axes, cache.knn_accuracy(groups, method))

    checkpoint.predict(cp.REGIONS_VS_AXES, judge, hint=f"For the {len(groups)} groups chosen above.")


def perplexity_2(name: str, n_points: int, iterations: int) -> None:
    """What perplexity 2 does to the current data set's clusters (clumps counted at 2 and at 30)."""

    def judge(choice: str) -> cp.Verdict:
        """Judge ``choice`` against the clumps of the cached t-SNE maps at perplexity 2 and 30."""
        _, labels = cache.tsne_data(name, n_points)
        clumps = {p: clusters.count_clumps(cache.tsne_run(name, n_points, p, iterations)) for p in (2, 30)}
        return cp.judge_perplexity_2(choice, clumps[2], clumps[30], len(np.unique(labels)))

    checkpoint.predict(cp.PERPLEXITY_2, judge, hint="Then set the perplexity to 2 to check.")
