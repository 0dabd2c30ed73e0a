"""AppTest: every lesson's predict-then-reveal checkpoints, answered right and wrong, and the lesson scores.

The right answer is always worked out here from embedcore, the way the
lesson measures it, never copied from the page.
"""

from __future__ import annotations

import numpy as np
import pytest

from app_state import APP, FE, FM, II
from embedcore import checkpoints as cp
from embedcore import compression, encoding
from embedcore import experiments as ex
from embedcore.wordvectors import load_word_vectors
from tests.apptest_utils import assert_no_exception, open_page


def lock(at, checkpoint: cp.Checkpoint, choice: str):
    """Pick ``choice`` for ``checkpoint``, lock it in, and return the saved verdict."""
    at.radio(key=APP.check_choice.at(checkpoint.id)).set_value(choice).run()
    at.button(key=APP.check_lock.at(checkpoint.id)).click().run()
    assert_no_exception(at)
    return at.session_state[APP.checks.key][checkpoint.id]


def wrong(checkpoint: cp.Checkpoint, right: str) -> str:
    return next(c for c in checkpoint.choices if c != right)


def score(at, key: str) -> str:
    """The lesson's score, "right of total", from the metric in its keyed container."""
    (metric,) = at.get_by_key(key).metric
    return metric.value


@pytest.fixture(scope="module")
def wv():
    return load_word_vectors()


# --------------------------------------------------------------------------
# Format matters
# --------------------------------------------------------------------------
def test_format_matters_checkpoints_right_and_wrong(wv):
    at = open_page("format_matters")
    assert_no_exception(at)
    assert score(at, FM.score.key) == f"0 of {len(cp.lesson_checkpoints('format_matters')) + 3}"

    saved = lock(at, cp.TOY_SUM, "on queen")
    assert saved["correct"] and saved["answer"] == "on queen"

    sweep = encoding.noise_sweep(wv, wv.vector("cat"), random_state=int(at.session_state[FM.noise_seed.key]))
    right = cp.bin_of(sweep.breakpoint, (0.5, 2.0, 4.0), cp.NOISE_FLIP.choices)
    saved = lock(at, cp.NOISE_FLIP, wrong(cp.NOISE_FLIP, right))
    assert not saved["correct"] and saved["answer"] == right
    assert f"{sweep.breakpoint:.2f}" in saved["evidence"]

    vector = wv.vector("king") - wv.vector("man") + wv.vector("woman")
    (top, _), = encoding.decode(wv, vector, k=1, exclude=["king", "man", "woman"])
    right = top if top in cp.ANALOGY.choices else "another word"
    saved = lock(at, cp.ANALOGY, right)
    assert saved["correct"]
    assert score(at, FM.score.key) == "2 of 6"

    # A passed exercise counts too.
    at.text_input(key=FM.ex_queen.key).input("queens").run()
    assert at.session_state[APP.checks.key]["fm.exercise.queen"]["correct"] is True
    assert score(at, FM.score.key) == "3 of 6"


# --------------------------------------------------------------------------
# Imperfect information
# --------------------------------------------------------------------------
def test_imperfect_information_checkpoints_right_and_wrong():
    at = open_page("imperfect_information")
    assert_no_exception(at)

    curve = compression.compression_curve(compression.load_digits_split(), np.arange(1, 65), "digit")
    k = cp.smallest_k(curve.ks, curve.accuracy, 0.9)
    right = cp.bin_of(k, (3, 9, 33), cp.SMALLEST_CODE.choices)
    saved = lock(at, cp.SMALLEST_CODE, right)
    assert saved["correct"] and f"{k} numbers" in saved["evidence"]

    # The regions checkpoint judges the page's own accuracies: read them from the metrics it shows
    # (full space, regions map, axes map).
    _, regions, axes = (int(m.value.rstrip("%")) for m in at.get_by_key(II.knn_numbers.key).metric)
    right = cp.judge_regions_vs_axes(cp.REGIONS_VS_AXES.choices[0], axes / 100, regions / 100).answer
    saved = lock(at, cp.REGIONS_VS_AXES, wrong(cp.REGIONS_VS_AXES, right))
    assert not saved["correct"]

    saved = lock(at, cp.PERPLEXITY_2, "they break into many small clumps")
    assert saved["correct"], saved["evidence"]
    assert score(at, II.score.key) == "2 of 3"


# --------------------------------------------------------------------------
# Features, embeddings & losses
# --------------------------------------------------------------------------
def _has(at, key: str) -> bool:
    """Whether the page shows an element or a container keyed ``key``."""
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True


def test_features_losses_checkpoints_right_and_wrong():
    at = open_page("features_losses", timeout=240)
    assert_no_exception(at)
    # Before any prediction, nothing that answers one is on the page.
    evidence = {cp.BOTTLENECK: FE.width_chart.key, cp.GREY_FEATURES: FE.grey_numbers.key,
                cp.MIXER_MIDDLE: FE.mix_chart.key}
    assert not any(_has(at, key) for key in evidence.values())
    assert at.select_slider(key=FE.width.key).disabled  # the control that answers the bottleneck question

    saved = lock(at, cp.MIXER_MIDDLE, cp.MIXER_MIDDLE.choices[0])
    assert not saved["correct"] and saved["answer"] == "colour fully, shape only partly"
    assert _has(at, evidence[cp.MIXER_MIDDLE]) and not _has(at, evidence[cp.BOTTLENECK])

    saved = lock(at, cp.BOTTLENECK, "it goes up")
    narrow, wide = (ex.run(ex.twins(ex.Experiment(embedding_size=w))[1]) for w in (2, 16))
    grew = wide.probes["colour"].accuracy - narrow.probes["colour"].accuracy
    assert saved["correct"] == (grew >= 0.05)
    assert _has(at, evidence[cp.BOTTLENECK]) and not at.select_slider(key=FE.width.key).disabled
    assert not _has(at, evidence[cp.GREY_FEATURES])

    saved = lock(at, cp.GREY_FEATURES, "better than chance, well short of 90%")
    grey = ex.run(ex.twins(ex.Experiment(features=("grey",)))[0])
    assert grey.probes["colour"].chance + 0.05 < grey.accuracy["colour"] <= 0.9
    assert saved["correct"]
    # After the reveal, the section shows the grey model's number next to the colour model's.
    colour, grey_colour, chance = (m.value for m in at.get_by_key(FE.grey_numbers.key).metric)
    assert grey_colour == f"{grey.accuracy['colour']:.0%}" and chance == f"{grey.probes['colour'].chance:.0%}"
    assert score(at, FE.score.key) == f"{1 + int(grew >= 0.05)} of 3"


def test_features_losses_counts_the_first_prediction_only():
    """A wrong first answer, then Predict again and the right one: the score stays where the first left it."""
    at = open_page("features_losses", timeout=240)
    right = "colour fully, shape only partly"
    saved = lock(at, cp.MIXER_MIDDLE, wrong(cp.MIXER_MIDDLE, right))
    assert not saved["correct"] and saved["answer"] == right
    assert score(at, FE.score.key) == "0 of 3"
    at.button(key=APP.check_again.at(cp.MIXER_MIDDLE.id)).click().run()
    assert not _has(at, FE.mix_chart.key)  # practice asks again, before the evidence
    saved = lock(at, cp.MIXER_MIDDLE, right)
    assert saved["correct"]
    assert score(at, FE.score.key) == "0 of 3"
    assert at.session_state[APP.first_checks.key][cp.MIXER_MIDDLE.id] == {"choice": wrong(cp.MIXER_MIDDLE, right),
                                                                           "correct": False}


@pytest.mark.parametrize("lesson, page", [("format_matters", FM), ("imperfect_information", II),
                                          ("features_losses", FE)])
def test_every_lesson_keeps_homes_promise_of_checked_predictions_and_a_score(lesson, page):
    at = open_page(lesson, timeout=180)
    assert_no_exception(at)
    asked = [r.key for r in at.radio if r.key and r.key.startswith(APP.check_choice.key)]
    assert len(asked) >= 3 and sorted(asked) == sorted(APP.check_choice.at(c.id) for c in cp.lesson_checkpoints(lesson))
    assert score(at, page.score.key).startswith("0 of ")
