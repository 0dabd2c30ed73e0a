"""AppTest: every lesson's predict-then-reveal checkpoints, answered right and wrong, and the lesson scores.

The right answer is always worked out here from embedcore, the way the
lesson measures it, never copied from the page.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from app_state import APP, FE, FM, II
from embedcore import checkpoints as cp
from embedcore import compression, encoding
from embedcore import experiments as ex
from embedcore.wordvectors import load_word_vectors
from tests.apptest_utils import assert_no_exception, chart, chart_keys, open_page
from tests.quoted import has, keyed_text, numbers
from ui.format_matters.cache import NOISE_STEPS


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
def _plane_expressions(at) -> list[dict]:
    """The expressions the draggable toy plane computes (its main one first, then its readouts)."""
    (component,) = at.get("bidi_component")
    return json.loads(component.proto.json)["expressions"]


def _shows_the_toy_sum(at) -> bool:
    """Whether anything on the page answers "where does king - man + woman land on the toy plane"."""
    sums = [e for e in _plane_expressions(at) if e["kind"] == "sum"]
    return bool(sums) or has(at, FM.toy_result.key) or "\u2212 man" in keyed_text(at, FM.toy_takeaway.key)


def _ranks_the_inputs(at) -> bool:
    """Whether the page shows where king, man and woman rank when nothing is left out (the analogy's answer)."""
    bars = [label for trace in chart(at, FM.neighbours_chart.key)["data"] for label in trace["y"]]
    return has(at, FM.input_ranks.key) or any(label.split(". ", 1)[1] in ("king", "man", "woman") for label in bars)


def test_format_matters_checkpoints_hide_their_evidence_until_the_lock_in(wv):
    at = open_page("format_matters")
    assert_no_exception(at)
    assert score(at, FM.score.key) == f"0 of {len(cp.lesson_checkpoints('format_matters')) + 3}"

    # The toy plane: no sum, no result, no sentence about king - man before the lock-in.
    assert not _shows_the_toy_sum(at) and has(at, FM.toy_locked.key)
    saved = lock(at, cp.TOY_SUM, "on queen")
    assert saved["correct"] and saved["answer"] == "on queen"
    assert _shows_the_toy_sum(at) and not has(at, FM.toy_locked.key)
    assert _plane_expressions(at)[0]["terms"] == [[1.0, 0], [-1.0, 2], [1.0, 3]]

    # The analogy: the ranking leaves the inputs out until the lock-in; then where they rank is shown.
    assert not _ranks_the_inputs(at)
    vector = wv.vector("king") - wv.vector("man") + wv.vector("woman")
    ranked = encoding.decode(wv, vector, k=3)
    assert [w for w, _ in ranked] == ["king", "woman", "queen"]  # the king 0.567, woman 0.532, queen 0.499
    saved = lock(at, cp.ANALOGY, "queen")
    assert not saved["correct"] and saved["answer"] == "king"
    np.testing.assert_allclose(numbers(saved["evidence"]), [c for _, c in ranked], atol=5e-4)
    assert _ranks_the_inputs(at)

    # The noise: no noise chart (and no push's decoding) until the lock-in.
    assert FM.noise_chart.key not in chart_keys(at)
    seed = int(at.session_state[FM.noise_seed.key])
    sweep = encoding.noise_sweep(wv, wv.vector("cat"), max_size=5.0, n_steps=NOISE_STEPS, random_state=seed)
    push = int(np.flatnonzero(np.isclose(sweep.sizes, cp.NOISE_PUSH))[0])  # the push of 1 is one of the slider's steps
    saved = lock(at, cp.NOISE_FLIP, "still cat")
    assert saved["correct"] and sweep.top_words[push] == "cat"
    np.testing.assert_allclose(numbers(saved["evidence"]), [1, sweep.word_cosines[push], sweep.breakpoint], atol=0.0051)
    assert FM.noise_chart.key in chart_keys(at)
    assert score(at, FM.score.key) == "2 of 6"

    # A passed exercise counts too.
    at.text_input(key=FM.ex_queen.key).input("queens").run()
    assert at.session_state[APP.checks.key]["fm.exercise.queen"]["correct"] is True
    assert score(at, FM.score.key) == "3 of 6"


def test_format_matters_counts_the_first_prediction_not_the_practice(wv):
    at = open_page("format_matters")
    saved = lock(at, cp.ANALOGY, "queen")  # wrong: king is nearest before the inputs are left out
    assert not saved["correct"]
    at.button(key=APP.check_again.at(cp.ANALOGY.id)).click().run()
    assert not _ranks_the_inputs(at)  # practice hides the evidence again until the new lock-in
    saved = lock(at, cp.ANALOGY, "king")
    assert saved["correct"]
    assert at.session_state[APP.first_checks.key][cp.ANALOGY.id] == {"choice": "queen", "correct": False}
    assert score(at, FM.score.key) == "0 of 6"


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
        cp.REGIONS_VS_AXES.id: has(at, II.knn_numbers.key),
        # perplexity 2's pictures answer the perplexity question
        cp.PERPLEXITY_2.id: '"label":"2"' in knobs.proto.spec.replace(" ", ""),
    }




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
    at = open_page("features_losses", timeout=240)
    assert_no_exception(at)
    # Before any prediction, nothing that answers one is on the page.
    evidence = {cp.BOTTLENECK: FE.width_chart.key, cp.GREY_FEATURES: FE.grey_numbers.key,
                cp.MIXER_MIDDLE: FE.mix_chart.key}
    assert not any(has(at, key) for key in evidence.values())
    assert at.select_slider(key=FE.width.key).disabled  # the control that answers the bottleneck question

    saved = lock(at, cp.MIXER_MIDDLE, cp.MIXER_MIDDLE.choices[0])
    assert not saved["correct"] and saved["answer"] == "colour fully, shape only partly"
    assert has(at, evidence[cp.MIXER_MIDDLE]) and not has(at, evidence[cp.BOTTLENECK])

    saved = lock(at, cp.BOTTLENECK, "it goes up")
    narrow, wide = (ex.run(ex.twins(ex.Experiment(embedding_size=w))[1]) for w in (2, 16))
    grew = wide.probes["colour"].accuracy - narrow.probes["colour"].accuracy
    assert saved["correct"] == (grew >= 0.05)
    assert has(at, evidence[cp.BOTTLENECK]) and not at.select_slider(key=FE.width.key).disabled
    assert not has(at, evidence[cp.GREY_FEATURES])

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
    assert not has(at, FE.mix_chart.key)  # practice asks again, before the evidence
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
