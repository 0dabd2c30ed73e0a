"""Features, embeddings & losses' checkpoints on the real models: one right answer for every setting the page offers.

The page lets a student choose the embedding width (``FE.width``, every
choice) before or after each question; the questions name their own
settings, and these tests sweep every width to show the evidence the page
then draws agrees with the verdict. Each model is the one the page trains
(``ui/features_losses/checks.py``), trained here with ``embedcore`` alone.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from app_state import FE
from embedcore import checkpoints as cp
from embedcore import experiments as ex
from ui.features_losses import checks


@functools.cache
def _twins(width: int) -> tuple[ex.Result, ex.Result]:
    return tuple(ex.run_together(list(ex.twins(ex.Experiment(embedding_size=width), *ex.TWINS.values()))))


def test_widening_model_b_lets_colour_in_at_every_wider_width() -> None:
    """The bottleneck question compares widths 2 and 16; the page's evidence shows every width: all agree."""
    goes_up = cp.BOTTLENECK.choices[0]
    narrow = _twins(checks.NARROW)[1].probes["colour"].accuracy
    for width in FE.width.choices:
        if width == checks.NARROW:
            continue
        wide = _twins(width)[1].probes["colour"].accuracy
        assert cp.judge_bottleneck(goes_up, narrow, wide).correct, (width, narrow, wide)
    assert checks.WIDE in FE.width.choices and f"from {checks.NARROW} to {checks.WIDE}" in cp.BOTTLENECK.prompt


def test_grey_pictures_give_the_same_answer_at_every_width() -> None:
    """The grey model follows the page's width: the answer must not."""
    answers = set()
    for width in FE.width.choices:
        grey = ex.run(checks.grey_model(width))
        verdict = cp.judge_grey_features(cp.GREY_FEATURES.choices[0], grey.accuracy["colour"],
                                         grey.probes["colour"].chance)
        answers.add(verdict.answer)
    assert answers == {cp.GREY_FEATURES.choices[1]}  # better than chance, well short of 90%


def test_the_mixers_middle_keeps_colour_fully_and_shape_only_partly() -> None:
    """The mixer stays at the bottleneck's width whatever the page's width: its family is that width's alone."""
    assert {e.embedding_size for e in checks.mixer_experiments()} == {checks.MIXER_WIDTH}
    assert f"In the {checks.MIXER_WIDTH}-number embedding" in cp.MIXER_MIDDLE.prompt
    b, half, a = ex.run_together([ex.mixed(checks.mixer_experiments()[0], w) for w in (0.0, 0.5, 1.0)])
    # w = 0 and w = 1 are the twins themselves.
    assert (b.experiment, a.experiment) == tuple(reversed(ex.twins(ex.Experiment(embedding_size=checks.MIXER_WIDTH))))
    verdict = cp.judge_mixer_middle(cp.MIXER_MIDDLE.choices[1], half.probes["colour"].accuracy,
                                    half.probes["shape"].accuracy, a.probes["colour"].accuracy,
                                    b.probes["shape"].accuracy)
    assert verdict.correct, verdict.evidence
    # Not a near miss: colour within 1 point of model A, shape more than 25 points short of model B.
    assert half.probes["colour"].accuracy >= a.probes["colour"].accuracy - 0.01
    np.testing.assert_array_less(0.25, verdict.measured)


@pytest.mark.parametrize("w", [0.0, 1.0])
def test_the_mixers_ends_are_the_twins(w: float) -> None:
    models = checks.mixer_experiments()
    a, b = ex.twins(ex.Experiment(embedding_size=checks.MIXER_WIDTH))
    assert (models[0], models[-1]) == (b, a)
    assert ex.mixed(models[0], w) in (a, b)
