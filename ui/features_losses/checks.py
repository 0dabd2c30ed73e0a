"""Features, embeddings & losses' predict-then-reveal checkpoints, judged from trained models."""

from __future__ import annotations

from collections.abc import Callable

from embedcore import checkpoints as cp
from embedcore import experiments as ex
from ui import checkpoint
from ui.training import train_live


def bottleneck() -> None:
    """Model B's colour probe at embedding widths 2 and 16."""

    def judge(choice: str) -> cp.Verdict:
        """The verdict on ``choice``: model B trained at widths 2 and 16, its colour probe read at each."""
        narrow, wide = (ex.twins(ex.Experiment(embedding_size=w), *ex.TWINS.values())[1] for w in (2, 16))
        b2, b16 = train_live([narrow, wide], ["model B, width 2", "model B, width 16"], what="Training model B twice")
        return cp.judge_bottleneck(choice, b2.probes["colour"].accuracy, b16.probes["colour"].accuracy)

    checkpoint.predict(cp.BOTTLENECK, judge, hint="Then set the width slider below to 16 to see it.")


def mixer_shape(twins: Callable[[], dict[str, ex.Result]]) -> None:
    """The shape probe at w = 0 (model B) and w = 1 (model A): the twins are the mixer's two ends."""

    def judge(choice: str) -> cp.Verdict:
        """The verdict on ``choice``: the shape probes of the twins the page shows."""
        found = twins()
        return cp.judge_mixer_shape(choice, found["B"].probes["shape"].accuracy, found["A"].probes["shape"].accuracy)

    checkpoint.predict(cp.MIXER_SHAPE, judge, hint="Then retrain at w = 0 and w = 1 to see both ends.")


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
