"""Features, embeddings & losses' predict-then-reveal checkpoints, judged from trained models.

Each judge trains (or finds, warmed at start-up) exactly the models whose
probes answer it, the same ones the section then shows.
"""

from __future__ import annotations

from app_state import FE
from embedcore import checkpoints as cp
from embedcore import experiments as ex
from ui import checkpoint
from ui.training import train_live

#: The bottleneck question's two widths: the twins' default and a wide one (its prompt names both).
NARROW, WIDE = FE.width.default, 16
#: The loss mixer's width: the bottleneck, where colour and shape compete for room (its prompt names it).
MIXER_WIDTH = FE.width.default


def bottleneck() -> None:
    """Model B's colour probe at embedding widths NARROW and WIDE."""

    def judge(choice: str) -> cp.Verdict:
        """The verdict on ``choice``: model B trained at both widths, its colour probe read at each."""
        narrow, wide = (ex.twins(ex.Experiment(embedding_size=w), *ex.TWINS.values())[1] for w in (NARROW, WIDE))
        b_narrow, b_wide = train_live([narrow, wide], [f"model B, width {NARROW}", f"model B, width {WIDE}"],
                                      what="Training model B twice")
        return cp.judge_bottleneck(choice, b_narrow.probes["colour"].accuracy, b_wide.probes["colour"].accuracy)

    checkpoint.predict(cp.BOTTLENECK, judge)


def grey_model(width: int) -> ex.Experiment:
    """Model A (colour loss) at ``width``, shown grey pictures only."""
    return ex.twins(ex.Experiment(embedding_size=int(width), features=("grey",)), *ex.TWINS.values())[0]


def grey_features(width: int) -> None:
    """How well model A names colours from grey pictures."""

    def judge(choice: str) -> cp.Verdict:
        """The verdict on ``choice``: model A trained on grey pictures, its colour accuracy against chance."""
        (result,) = train_live([grey_model(width)], ["model A, grey pictures"], what="Training model A on grey pictures")
        return cp.judge_grey_features(choice, result.accuracy["colour"], result.probes["colour"].chance)

    checkpoint.predict(cp.GREY_FEATURES, judge)


def _mixer_base() -> ex.Experiment:
    return ex.twins(ex.Experiment(embedding_size=MIXER_WIDTH), *ex.TWINS.values())[0]


def mixer_experiments() -> list[ex.Experiment]:
    """The loss mixer's models at MIXER_WIDTH: one per w of its slider (w = 0 is model B, w = 1 model A)."""
    return [ex.mixed(_mixer_base(), w) for w in ex.mixer_ws(FE.mix_w.step)]


def mixer_middle() -> None:
    """What the embedding trained at w = 0.5 keeps, against each twin."""

    def judge(choice: str) -> cp.Verdict:
        """The verdict on ``choice``: the models at w = 0 (model B), 0.5 and 1 (model A), their probes."""
        b, half, a = train_live([ex.mixed(_mixer_base(), w) for w in (0.0, 0.5, 1.0)],
                                ["w = 0 (model B)", "w = 0.5", "w = 1 (model A)"], what="Training the mixer's middle")
        return cp.judge_mixer_middle(choice, half.probes["colour"].accuracy, half.probes["shape"].accuracy,
                                     a.probes["colour"].accuracy, b.probes["shape"].accuracy)

    checkpoint.predict(cp.MIXER_MIDDLE, judge)
