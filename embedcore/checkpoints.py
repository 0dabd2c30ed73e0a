"""Predict, then reveal: each lesson's checkpoints and how their answers are computed.

A checkpoint asks a student to commit to a prediction *before* they touch
the control that answers it (see ``shared`` teaching notes: a wrong guess,
once corrected, sticks better than a sentence read). The right choice is
never stored. Each checkpoint has a ``judge_*`` function that reads the
number the lesson itself measures - a noise breakpoint, an accuracy curve,
a probe - and names the choice that number supports. So if the data, the
model or a student's edit changes the number, the verdict follows it.

Every ``judge_*`` function returns a :class:`Verdict`; :func:`score` adds up
a lesson's verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class Checkpoint:
    """One prediction a lesson asks for.

    Attributes
    ----------
    id : str
        Stable identifier, ``"<lesson prefix>.predict.<name>"`` (also the
        live class's question id).
    lesson : str
        The lesson page's ``url_path`` (``"format_matters"``).
    prompt : str
        The question, asked before the control that answers it.
    choices : tuple of str
        What the student may predict. Exactly one is supported by the numbers.
    """

    id: str
    lesson: str
    prompt: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """A prediction held against the measured number.

    Attributes
    ----------
    choice : str
        What the student predicted.
    answer : str
        The choice the measurement supports.
    measured : float
        The number behind ``answer`` (NaN when it is a count of words, etc. that has no single number).
    evidence : str
        One plain sentence with the number, shown at the reveal.
    """

    choice: str
    answer: str
    measured: float
    evidence: str

    @property
    def correct(self) -> bool:
        return self.choice == self.answer


def _check_choice(checkpoint: Checkpoint, choice: str) -> str:
    if choice not in checkpoint.choices:
        raise ValueError(f"'{str(choice)[:40]}' is not one of the choices of {checkpoint.id}")
    return choice


def bin_of(value: float, edges: Sequence[float], choices: Sequence[str]) -> str:
    """The choice whose interval holds ``value``: ``choices[i]`` covers ``[edges[i-1], edges[i])``.

    ``len(choices)`` must be ``len(edges) + 1``; the first choice is open below,
    the last open above.
    """
    if len(choices) != len(edges) + 1:
        raise ValueError(f"need {len(edges) + 1} choices for {len(edges)} edges, got {len(choices)}")
    if any(b <= a for a, b in zip(edges, edges[1:])):
        raise ValueError("edges must increase")
    return choices[int(np.searchsorted(np.asarray(edges, dtype=float), value, side="right"))]


def by_change(change: float, tolerance: float, rises: str, falls: str, flat: str) -> str:
    """``flat`` if ``|change| < tolerance``, else ``rises`` or ``falls`` by its sign (the two-number judges)."""
    if abs(change) < tolerance:
        return flat
    return rises if change > 0 else falls


def _judge_change(
    checkpoint: Checkpoint, choice: str, before: float, after: float, *, roles: tuple[str, str, str],
    evidence: str, tolerance: float = 0.05,
) -> Verdict:
    """A judge of "what happens to this number", from ``after - before`` (see :func:`by_change`).

    ``roles`` says what each of the checkpoint's choices claims, in their order:
    ``"rises"``, ``"falls"`` or ``"flat"`` (within ``tolerance``).
    """
    _check_choice(checkpoint, choice)
    change = float(after) - float(before)
    answer = by_change(change, tolerance, **dict(zip(roles, checkpoint.choices)))
    return Verdict(choice, answer, change, f"{evidence}: {answer}.")


# --------------------------------------------------------------------------
# Format matters
# --------------------------------------------------------------------------
TOY_SUM = Checkpoint(
    "fm.predict.toy_sum",
    "format_matters",
    "On the toy plane, where does king - man + woman land?",
    ("on queen", "on king", "on woman", "between words, on none of them"),
)


def judge_toy_sum(choice: str, result: ArrayLike, points: Mapping[str, ArrayLike]) -> Verdict:
    """Where the toy-plane sum landed.

    Parameters
    ----------
    result : array of shape (dim,)
        king - man + woman, computed on the student's table.
    points : mapping of word to array of shape (dim,)
        The table's points for (at least) queen, king and woman.
    """
    _check_choice(TOY_SUM, choice)
    r = np.asarray(result, dtype=float)
    answer = TOY_SUM.choices[-1]
    for word in ("queen", "king", "woman"):
        if word in points and np.allclose(np.asarray(points[word], dtype=float), r, atol=1e-9):
            answer = f"on {word}"
            break
    where = ", ".join(f"{x:g}" for x in r)
    return Verdict(choice, answer, float("nan"), f"king - man + woman = [{where}]: it lands {answer}.")


#: How far the noise checkpoint pushes cat: as far as its vector is long (the slider's 1).
NOISE_PUSH = 1.0

NOISE_FLIP = Checkpoint(
    "fm.predict.noise_flip",
    "format_matters",
    "The vector of cat is 1 long. Push it as far again, 1, in a random direction. What does it decode to?",
    ("still cat", "a close neighbour, such as cats or kitten", "an unrelated word"),
)


def judge_noise_flip(choice: str, decoded: str, neighbours: Sequence[str], cosine: float,
                     breakpoint: float | None, word: str = "cat") -> Verdict:
    """What ``word`` decodes to once pushed :data:`NOISE_PUSH` along one seeded random direction.

    Parameters
    ----------
    decoded : str
        The nearest word to the pushed vector.
    neighbours : sequence of str
        ``word``'s own nearest words (itself left out): a decoding among them is a "close neighbour".
    cosine : float
        The pushed vector's cosine with ``word``.
    breakpoint : float or None
        The push at which the decoding changes along the same direction (None: not up to the slider's end).
    """
    _check_choice(NOISE_FLIP, choice)
    if decoded == word:
        answer = NOISE_FLIP.choices[0]
    elif decoded in neighbours:
        answer = NOISE_FLIP.choices[1]
    else:
        answer = NOISE_FLIP.choices[2]
    holds = "past the slider's end" if breakpoint is None else f"up to a push of {breakpoint:.2f}"
    return Verdict(choice, answer, float(cosine),
                   f"Pushed by {NOISE_PUSH:g}, {word} decodes as {decoded} (cosine {cosine:.2f} with {word}); "
                   f"in this direction {word} holds {holds}.")


ANALOGY = Checkpoint(
    "fm.predict.analogy",
    "format_matters",
    "On the real word vectors, which word is nearest to king - man + woman, before anything is left out?",
    ("queen", "king", "woman", "another word"),
)


def judge_analogy(choice: str, ranked: Sequence[tuple[str, float]]) -> Verdict:
    """The nearest word to the sum, the input words *included*, from the ranking's top (word, cosine) pairs."""
    _check_choice(ANALOGY, choice)
    if not ranked:
        raise ValueError("the ranking is empty")
    top, cosine = ranked[0]
    answer = top if top in ANALOGY.choices[:-1] else ANALOGY.choices[-1]
    listed = ", ".join(f"{word} {c:.3f}" for word, c in ranked[:3])
    return Verdict(choice, answer, float(cosine), f"Nearest first: {listed}.")


# --------------------------------------------------------------------------
# Imperfect information
# --------------------------------------------------------------------------
SMALLEST_CODE = Checkpoint(
    "ii.predict.smallest_code",
    "imperfect_information",
    "A digit picture is 64 numbers. How few can its code keep and still name the digit right 90% of the time?",
    ("1 or 2", "3 to 8", "9 to 32", "more than 32"),
)


def smallest_k(ks: ArrayLike, accuracy: ArrayLike, target: float) -> int | None:
    """The smallest code size in ``ks`` (n_k,) whose ``accuracy`` (n_k,) reaches ``target``; None if none does."""
    ks, accuracy = np.asarray(ks), np.asarray(accuracy, dtype=float)
    if ks.shape != accuracy.shape:
        raise ValueError(f"ks and accuracy must have the same shape, got {ks.shape} and {accuracy.shape}")
    hits = np.flatnonzero(accuracy >= target)
    return int(ks[hits[0]]) if hits.size else None


def judge_smallest_code(choice: str, ks: ArrayLike, accuracy: ArrayLike, target: float = 0.9) -> Verdict:
    """Bin the smallest code that reaches ``target`` accuracy on the held-out digits."""
    _check_choice(SMALLEST_CODE, choice)
    k = smallest_k(ks, accuracy, target)
    measured = float("inf") if k is None else float(k)
    answer = bin_of(measured, (3, 9, 33), SMALLEST_CODE.choices)
    if k is None:
        evidence = f"No code size names the held-out digits right {target:.0%} of the time: {answer}."
    else:
        evidence = f"The smallest code that names the held-out digits right {target:.0%} of the time has {k} numbers: {answer}."
    return Verdict(choice, answer, measured, evidence)


REGIONS_VS_AXES = Checkpoint(
    "ii.predict.regions_vs_axes",
    "imperfect_information",
    "Only two groups can have an axis of their own. With all 10 concept groups, which map keeps the groups apart "
    "better (more words whose 5 nearest words share their group)?",
    ("the axes map", "the regions map", "neither: within 3 points of each other"),
)


def judge_regions_vs_axes(choice: str, axes_accuracy: float, regions_accuracy: float, n_groups: int = 10) -> Verdict:
    """Compare the leave-one-out 5-NN accuracies of the two maps of ``n_groups`` groups (a tie is within 3 points)."""
    return _judge_change(
        REGIONS_VS_AXES, choice, axes_accuracy, regions_accuracy, roles=("falls", "rises", "flat"), tolerance=0.03,
        evidence=f"With {n_groups} groups: regions map {regions_accuracy:.0%}, axes map {axes_accuracy:.0%}",
    )


PERPLEXITY_2 = Checkpoint(
    "ii.predict.perplexity_2",
    "imperfect_information",
    "Perplexity is roughly how many neighbours each point keeps close. Set it to 2 and let t-SNE finish "
    "(1,000 iterations): what does the map show?",
    ("many small clumps", "one round blob", "much the same picture as at 30"),
)


def judge_perplexity_2(choice: str, clumps_at_2: int, clumps_at_30: int, n_groups: int) -> Verdict:
    """Compare the clumps (see :func:`embedcore.clusters.count_clumps`) at perplexity 2 and 30.

    "Many small clumps" means at least twice as many clumps as true groups;
    "one round blob" means a single clump.
    """
    _check_choice(PERPLEXITY_2, choice)
    if clumps_at_2 >= 2 * n_groups:
        answer = PERPLEXITY_2.choices[0]
    elif clumps_at_2 <= 1:
        answer = PERPLEXITY_2.choices[1]
    else:
        answer = PERPLEXITY_2.choices[2]
    return Verdict(
        choice, answer, float(clumps_at_2),
        f"At perplexity 2 the map shows {clumps_at_2} clumps, at 30 it shows {clumps_at_30}, "
        f"for {n_groups} true groups: {answer}.",
    )


# --------------------------------------------------------------------------
# Features, embeddings & losses
# --------------------------------------------------------------------------
MIXER_MIDDLE = Checkpoint(
    "fe.predict.mixer_middle",
    "features_losses",
    "In the 2-number embedding, set w = 0.5: colour and shape count equally in the loss. "
    "What will the embedding keep?",
    ("both, each about as well as its own twin", "colour fully, shape only partly",
     "shape fully, colour only partly", "each only partly"),
)


def judge_mixer_middle(
    choice: str, colour_at_half: float, shape_at_half: float, colour_of_a: float, shape_of_b: float,
    *, tolerance: float = 0.1,
) -> Verdict:
    """What the embedding trained at w = 0.5 keeps, against the twin rewarded for each attribute alone.

    An attribute is kept *fully* when its probe at w = 0.5 is within ``tolerance``
    of the twin trained for it alone (model A for colour, model B for shape).
    ``measured`` is the shape probe's shortfall against model B.
    """
    _check_choice(MIXER_MIDDLE, choice)
    colour_full = float(colour_at_half) >= float(colour_of_a) - tolerance
    shape_full = float(shape_at_half) >= float(shape_of_b) - tolerance
    both, colour_only, shape_only, neither = MIXER_MIDDLE.choices
    answer = {(True, True): both, (True, False): colour_only, (False, True): shape_only, (False, False): neither}[
        (colour_full, shape_full)]
    return Verdict(
        choice, answer, float(shape_of_b) - float(shape_at_half),
        f"At w = 0.5 the colour probe reads {colour_at_half:.0%} (model A {colour_of_a:.0%}) and the shape probe "
        f"{shape_at_half:.0%} (model B {shape_of_b:.0%}): {answer}.",
    )


BOTTLENECK = Checkpoint(
    "fe.predict.bottleneck",
    "features_losses",
    "Model B is rewarded for shape only. Widen its embedding from 2 to 16 numbers: "
    "how much colour will a probe find in it?",
    ("it goes up", "it goes down", "it stays within 5 points"),
)


def judge_bottleneck(choice: str, colour_probe_narrow: float, colour_probe_wide: float) -> Verdict:
    """Compare the colour probe on model B's embedding at the two widths."""
    return _judge_change(
        BOTTLENECK, choice, colour_probe_narrow, colour_probe_wide, roles=("rises", "falls", "flat"),
        evidence=f"Colour probe {colour_probe_narrow:.0%} at the narrow width, {colour_probe_wide:.0%} at the wide one",
    )


GREY_FEATURES = Checkpoint(
    "fe.predict.grey_features",
    "features_losses",
    "Model A is rewarded for colour. Show it grey pictures (brightness only): how well will it name the colour?",
    ("still nearly always (over 90%)", "better than chance, well short of 90%", "no better than chance"),
)


def judge_grey_features(choice: str, colour_accuracy: float, chance: float) -> Verdict:
    """Bin model A's held-out colour accuracy on grey-only input against chance (within 5 points = chance)."""
    _check_choice(GREY_FEATURES, choice)
    accuracy = float(colour_accuracy)
    if accuracy > 0.9:
        answer = GREY_FEATURES.choices[0]
    elif accuracy > float(chance) + 0.05:
        answer = GREY_FEATURES.choices[1]
    else:
        answer = GREY_FEATURES.choices[2]
    return Verdict(
        choice, answer, accuracy,
        f"On grey pictures model A names the colour {accuracy:.0%} of the time (chance {chance:.0%}): {answer}.",
    )


#: Every checkpoint, by id (pages look theirs up here; the live class registers them).
CHECKPOINTS: dict[str, Checkpoint] = {
    c.id: c
    for c in (TOY_SUM, NOISE_FLIP, ANALOGY, SMALLEST_CODE, REGIONS_VS_AXES, PERPLEXITY_2,
              BOTTLENECK, GREY_FEATURES, MIXER_MIDDLE)
}


def lesson_checkpoints(lesson: str) -> list[Checkpoint]:
    """The checkpoints of one lesson, in the order they appear."""
    return [c for c in CHECKPOINTS.values() if c.lesson == lesson]


@dataclass(frozen=True)
class Score:
    """A lesson's score: ``right`` of ``answered`` answers, out of ``total`` questions."""

    right: int
    answered: int
    total: int


def score(correct: Mapping[str, bool], question_ids: Iterable[str]) -> Score:
    """Add up the verdicts ``correct`` (question id -> right?) over one lesson's ``question_ids``.

    Answers to other lessons' questions are ignored; a question asked twice counts once.
    """
    ids = list(dict.fromkeys(question_ids))
    answered = [q for q in ids if q in correct]
    return Score(right=sum(bool(correct[q]) for q in answered), answered=len(answered), total=len(ids))


__all__ = [
    "ANALOGY",
    "BOTTLENECK",
    "CHECKPOINTS",
    "GREY_FEATURES",
    "MIXER_MIDDLE",
    "NOISE_FLIP",
    "NOISE_PUSH",
    "PERPLEXITY_2",
    "REGIONS_VS_AXES",
    "SMALLEST_CODE",
    "TOY_SUM",
    "Checkpoint",
    "Score",
    "Verdict",
    "bin_of",
    "by_change",
    "judge_analogy",
    "judge_bottleneck",
    "judge_grey_features",
    "judge_mixer_middle",
    "judge_noise_flip",
    "judge_perplexity_2",
    "judge_regions_vs_axes",
    "judge_smallest_code",
    "judge_toy_sum",
    "lesson_checkpoints",
    "score",
    "smallest_k",
]
