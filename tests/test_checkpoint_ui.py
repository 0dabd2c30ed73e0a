"""The predict-then-reveal box and the glossary, on their own (the lessons' own tests use them in place)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app_state import APP
from embedcore.checkpoints import NOISE_FLIP

RIGHT, _, WRONG = NOISE_FLIP.choices  # "still cat", "a close neighbour ...", "an unrelated word"
from ui.glossary import TERMS


def _script() -> None:
    import app_state
    from embedcore import checkpoints as cp
    from ui import checkpoint, glossary
    from ui.state import init_page

    init_page(app_state.HOME)
    glossary.define("cosine similarity", "probe")
    # Pushed by 1, cat still decodes as cat (it holds up to 3.2): "still cat" is right.
    checkpoint.predict(cp.NOISE_FLIP, lambda choice: cp.judge_noise_flip(choice, "cat", ["cats"], 0.71, 3.2))
    checkpoint.score_line([cp.NOISE_FLIP.id, "some.other.question"], key="test-score")


def _run() -> AppTest:
    at = AppTest.from_function(_script, default_timeout=30)
    at.run()
    assert not at.exception
    return at


def _lock(at: AppTest, choice: str) -> AppTest:
    at.radio(key=APP.check_choice.at(NOISE_FLIP.id)).set_value(choice).run()
    at.button(key=APP.check_lock.at(NOISE_FLIP.id)).click().run()
    assert not at.exception
    return at


def test_nothing_is_revealed_before_a_prediction_is_locked_in():
    at = _run()
    assert NOISE_FLIP.id not in at.session_state[APP.checks.key]
    assert not at.success and not at.warning
    assert at.button(key=APP.check_lock.at(NOISE_FLIP.id)).disabled  # no choice yet
    assert at.metric[0].value == "0 of 2"


def test_a_right_prediction_is_revealed_and_scored():
    at = _lock(_run(), RIGHT)
    saved = at.session_state[APP.checks.key][NOISE_FLIP.id]
    assert saved["correct"] is True and saved["choice"] == RIGHT and saved["answer"] == RIGHT
    assert "3.20" in saved["evidence"]  # the reveal quotes the measured number
    assert len(at.success) == 1 and not at.warning
    assert at.radio(key=APP.check_choice.at(NOISE_FLIP.id)).disabled  # locked in
    assert at.metric[0].value == "1 of 2"


def test_a_wrong_prediction_shows_the_measured_answer_and_can_be_retried():
    at = _lock(_run(), WRONG)
    saved = at.session_state[APP.checks.key][NOISE_FLIP.id]
    assert saved["correct"] is False and saved["answer"] == RIGHT
    assert len(at.warning) == 1 and not at.success
    assert at.metric[0].value == "0 of 2"
    at.button(key=APP.check_again.at(NOISE_FLIP.id)).click().run()
    assert NOISE_FLIP.id not in at.session_state[APP.checks.key]
    _lock(at, RIGHT)
    assert at.session_state[APP.checks.key][NOISE_FLIP.id]["correct"] is True


def test_the_first_prediction_is_the_one_that_counts():
    at = _lock(_run(), WRONG)
    assert at.metric[0].value == "0 of 2"
    at.button(key=APP.check_again.at(NOISE_FLIP.id)).click().run()
    _lock(at, RIGHT)  # right this time: shown as right, but practice
    assert at.session_state[APP.checks.key][NOISE_FLIP.id]["correct"] is True
    assert at.session_state[APP.first_checks.key][NOISE_FLIP.id] == {"choice": WRONG, "correct": False}
    assert len(at.success) == 1
    assert at.metric[0].value == "0 of 2"  # the score did not change


def test_the_glossary_defines_every_term_the_lessons_use():
    needed = {"cosine similarity", "PCA", "t-SNE", "MDS", "k-means", "probe", "loss", "cross-entropy",
              "epoch", "ReLU", "softmax", "bottleneck"}
    assert needed <= set(TERMS)
    at = _run()
    shown = " ".join(m.value for m in at.markdown)
    assert TERMS["cosine similarity"] in shown and TERMS["probe"] in shown
