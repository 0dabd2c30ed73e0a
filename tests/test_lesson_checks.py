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
def _evidence(at) -> dict[str, bool]:
    """What answers each Imperfect information checkpoint, by key: is it on the page?"""
    curves = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{II.curves_chart.key}"))
    knobs = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{II.tsne_chart.key}"))
    labels = [m.label for m in at.get_by_key(II.compression_numbers.key).metric]
    return {
        # the held-out accuracy (metric and curve) answers the smallest code
        cp.SMALLEST_CODE.id: "Held-out accuracy" in labels and "held-out accuracy" in curves.proto.spec,
        # the two maps' 5-NN accuracies answer regions versus axes
        cp.REGIONS_VS_AXES.id: _has(at, II.knn_numbers.key),
        # perplexity 2's pictures answer the perplexity question
        cp.PERPLEXITY_2.id: '"label":"2"' in knobs.proto.spec.replace(" ", ""),
    }


def _has(at, key: str) -> bool:
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True


def test_imperfect_information_checkpoints_right_and_wrong():
    at = open_page("imperfect_information")
    assert_no_exception(at)
    ids = [c.id for c in cp.lesson_checkpoints("imperfect_information")]
    assert _evidence(at) == dict.fromkeys(ids, False)  # nothing answers a question before its lock-in

    curve = compression.compression_curve(compression.load_digits_split(), np.arange(1, 65), "digit")
    k = cp.smallest_k(curve.ks, curve.accuracy, 0.9)
    right = cp.bin_of(k, (3, 9, 33), cp.SMALLEST_CODE.choices)
    saved = lock(at, cp.SMALLEST_CODE, right)
    assert saved["correct"] and f"{k} numbers" in saved["evidence"]
    assert _evidence(at) == {ids[0]: True, ids[1]: False, ids[2]: False}  # each reveal shows its own evidence only

    # Regions versus axes, wrong first: the evidence shows with the verdict, and Predict again (practice)
    # with the right answer leaves the score as the first answer set it.
    saved = lock(at, cp.REGIONS_VS_AXES, "the axes map")
    assert not saved["correct"] and saved["answer"] == "the regions map"
    assert _evidence(at)[ids[1]]
    assert score(at, II.score.key) == "1 of 3"
    at.button(key=APP.check_again.at(cp.REGIONS_VS_AXES.id)).click().run()
    saved = lock(at, cp.REGIONS_VS_AXES, "the regions map")
    assert saved["correct"]
    assert score(at, II.score.key) == "1 of 3"  # the first answer counts

    saved = lock(at, cp.PERPLEXITY_2, "many small clumps")
    assert saved["correct"], saved["evidence"]
    assert _evidence(at) == dict.fromkeys(ids, True)
    assert score(at, II.score.key) == "2 of 3"


@pytest.mark.parametrize("method", ["PCA", "t-SNE", "MDS"])
def test_the_regions_question_has_one_answer_whatever_the_sliders_say(method):
    """Every projection the page offers, at the fewest and the most groups: the same right answer."""
    for n_groups in (II.groups.bounds[0], II.groups.bounds[1]):
        at = open_page("imperfect_information")
        at.slider(key=II.groups.key).set_value(n_groups).run()
        at.selectbox(key=II.method.key).select(method).run()
        saved = lock(at, cp.REGIONS_VS_AXES, "the regions map")
        assert saved["correct"], (method, n_groups, saved["evidence"])


@pytest.mark.parametrize("label", list(II.tsne_data.choices))
def test_the_perplexity_question_has_one_answer_for_every_data_set(label):
    at = open_page("imperfect_information")
    at.selectbox(key=II.tsne_data.key).select(label).run()
    assert _evidence(at)[cp.PERPLEXITY_2.id] is False
    saved = lock(at, cp.PERPLEXITY_2, "many small clumps")
    assert saved["correct"], (label, saved["evidence"])
    assert _evidence(at)[cp.PERPLEXITY_2.id] is True


def test_the_smallest_code_question_has_one_answer_whatever_k_is():
    for k in (1, 8, 64):
        at = open_page("imperfect_information")
        at.slider(key=II.k.key).set_value(k).run()
        saved = lock(at, cp.SMALLEST_CODE, "3 to 8")
        assert saved["correct"], (k, saved["evidence"])


# --------------------------------------------------------------------------
# Features, embeddings & losses
# --------------------------------------------------------------------------
def test_features_losses_checkpoints_right_and_wrong():
    at = open_page("features_losses", timeout=180)
    assert_no_exception(at)

    saved = lock(at, cp.MIXER_SHAPE, "it rises")
    assert not saved["correct"] and saved["answer"] == "it falls"

    saved = lock(at, cp.BOTTLENECK, "it goes up")
    narrow, wide = (ex.run(ex.twins(ex.Experiment(embedding_size=w))[1]) for w in (2, 16))
    grew = wide.probes["colour"].accuracy - narrow.probes["colour"].accuracy
    assert saved["correct"] == (grew >= 0.05)

    saved = lock(at, cp.GREY_FEATURES, "better than chance, well short of 90%")
    grey = ex.run(ex.twins(ex.Experiment(features=("grey",)))[0])
    assert grey.probes["colour"].chance + 0.05 < grey.accuracy["colour"] <= 0.9
    assert saved["correct"]
    # After the reveal, the section shows the grey model's number next to the colour model's.
    colour, grey_colour, chance = (m.value for m in at.get_by_key(FE.grey_numbers.key).metric)
    assert grey_colour == f"{grey.accuracy['colour']:.0%}" and chance == f"{grey.probes['colour'].chance:.0%}"
    assert score(at, FE.score.key) == f"{1 + int(grew >= 0.05)} of 3"


@pytest.mark.parametrize("lesson, page", [("format_matters", FM), ("imperfect_information", II),
                                          ("features_losses", FE)])
def test_every_lesson_keeps_homes_promise_of_checked_predictions_and_a_score(lesson, page):
    at = open_page(lesson, timeout=180)
    assert_no_exception(at)
    asked = [r.key for r in at.radio if r.key and r.key.startswith(APP.check_choice.key)]
    assert len(asked) >= 3 and sorted(asked) == sorted(APP.check_choice.at(c.id) for c in cp.lesson_checkpoints(lesson))
    assert score(at, page.score.key).startswith("0 of ")
