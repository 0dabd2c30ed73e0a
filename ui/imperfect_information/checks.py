"""Imperfect information's predict-then-reveal checkpoints, judged from the lesson's own numbers.

Each question has one right answer whatever the page's controls say
(tests/test_lesson_checks.py sweeps them): the digit task's curve does not
depend on k; the regions question names its 10 groups, and the regions map
wins there under every projection; the perplexity question names the
finished map (1,000 iterations), where every data set breaks into clumps.
"""

from __future__ import annotations

import numpy as np

from app_state import II
from embedcore import checkpoints as cp
from ui import checkpoint
from ui.imperfect_information import cache


def smallest_code() -> None:
    """How few of the 64 numbers still name the digit 90% of the time."""

    def judge(choice: str) -> cp.Verdict:
        """Judge ``choice`` against the digit task's cached compression curve (the page's own)."""
        curve = cache.compression_curve("digit")
        return cp.judge_smallest_code(choice, curve.ks, curve.accuracy)

    checkpoint.predict(cp.SMALLEST_CODE, judge, hint="Slide k below: can you still read the rebuilt digits?")


def regions_vs_axes(method: str) -> None:
    """Which 2-D map keeps all 10 concept groups apart better, the regions map drawn by ``method`` or the axes map."""

    def judge(choice: str) -> cp.Verdict:
        """Judge ``choice`` against the 5-NN accuracies of the two maps of every group."""
        groups = cache.region_groups(int(II.groups.bounds[1]))
        return cp.judge_regions_vs_axes(choice, cache.axes_knn_accuracy(groups), cache.knn_accuracy(groups, method),
                                        n_groups=len(groups))

    checkpoint.predict(cp.REGIONS_VS_AXES, judge, hint="Then slide to 10 groups.")


def perplexity_2(name: str) -> None:
    """What perplexity 2 does to data set ``name``'s finished map (clumps counted at 2 and at 30)."""

    def judge(choice: str) -> cp.Verdict:
        """Judge ``choice`` against the clumps of the shipped runs' finished maps at perplexity 2 and 30."""
        family = cache.tsne_family(name, tuple(II.perplexity.choices), tuple(II.iterations.choices))
        _, labels = cache.tsne_data(name)
        clumps = {p: int(family.at(p)[1].clumps[-1]) for p in (2, 30)}
        return cp.judge_perplexity_2(choice, clumps[2], clumps[30], len(np.unique(labels)))

    checkpoint.predict(cp.PERPLEXITY_2, judge)
