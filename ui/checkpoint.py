"""Predict, then reveal: a checkpoint box, and each lesson's score.

A lesson calls :func:`predict` just *before* the control that answers the
question. The student picks a prediction and locks it in; only then does
the box show the measured answer beside their guess (the verdict comes from
an ``embedcore.checkpoints.judge_*`` function reading the page's own
numbers). :func:`mark` records any other checked answer (the exercises) in
the same place, and :func:`score_line` shows a lesson's score.

Everything a student locks in lives in this session only
(``APP.checks``); in a live class every lock-in also goes to the teacher,
with an optional one-line reason typed beside it (``APP.check_reason``),
and the reveal waits until the teacher reveals it.

The **first** prediction locked in is the one that counts, in the score
and in a live class (``APP.first_checks``; the class's store keeps each
student's first answer as well as their latest); *Predict again* is
practice, sent to the class as the student's latest answer.
Until a prediction is revealed (:func:`revealed`), a section shows nothing
that answers it: the evidence is drawn only after the lock-in.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_state import APP
from classroom.questions import MAX_REASON, QUESTIONS, tidy_reason
from embedcore.checkpoints import Checkpoint, Score, Verdict, score
from ui import live_class
from ui.text import md


def _answers() -> dict[str, dict]:
    return st.session_state[APP.checks.key]


def _firsts() -> dict[str, dict]:
    return st.session_state[APP.first_checks.key]


def revealed(checkpoint: Checkpoint) -> bool:
    """Whether ``checkpoint``'s answer may be shown: locked in, judged and, in a live class, revealed by the teacher.

    A section draws the evidence that answers a checkpoint only when this is True.
    """
    return "evidence" in _answers().get(checkpoint.id, {}) and not live_class.locked(checkpoint.id)


def _lock_in(question_id: str) -> None:
    """The lock button's callback: keep the choice (and the reason, in a class), so the run that follows shows it
    locked and judges it."""
    choice = st.session_state.get(APP.check_choice.at(question_id))
    if choice is not None:
        reason = tidy_reason(st.session_state.get(APP.check_reason.at(question_id)))
        _answers()[question_id] = {"choice": choice, "reason": reason}


def _reason_box(box, question_id: str) -> None:  # type: ignore[no-untyped-def]
    """In a live class: the optional one-line reason beside the lock-in (sent with the prediction)."""
    if live_class.in_class():
        box.text_input(
            "Why? One line for your teacher (optional)",
            max_chars=MAX_REASON,
            key=APP.check_reason.at(question_id),
            placeholder="Because ...",
        )


def mark(question_id: str, choice: str, correct: bool, evidence: str = "") -> None:
    """Record a checked answer for the lesson's score (the latest answer counts)."""
    _answers()[question_id] = {"choice": choice, "answer": "", "correct": bool(correct), "evidence": evidence}


def predict(checkpoint: Checkpoint, judge: Callable[[str], Verdict], *, hint: str = "") -> Verdict | None:
    """Ask for ``checkpoint``'s prediction; once it is locked in, reveal the verdict.

    ``judge(choice)`` is called once, when the student locks in (it may train
    a model or run t-SNE through the worker), and its verdict is kept for the
    session. Returns the verdict, or None while the student has not predicted.
    """
    answers = _answers()
    saved = answers.get(checkpoint.id)
    box = st.container(border=True, key=f"{APP.check_box.key}-{checkpoint.id.replace('.', '-')}")
    box.markdown(f":material/psychology_alt: **Predict first.** {checkpoint.prompt}")
    if hint:
        box.caption(hint)
    choice = box.radio(
        "Your prediction",
        checkpoint.choices,
        index=None if saved is None else checkpoint.choices.index(saved["choice"]),
        key=APP.check_choice.at(checkpoint.id),
        disabled=saved is not None,
    )
    if saved is None:
        _reason_box(box, checkpoint.id)
        box.button(
            "Lock in my prediction", key=APP.check_lock.at(checkpoint.id), disabled=choice is None,
            on_click=_lock_in, args=(checkpoint.id,),
        )
        box.caption("Lock in a prediction to see what the numbers say.")
        return None
    if "evidence" not in saved:  # locked in just now: measure (this may train or map) and judge
        verdict = judge(saved["choice"])
        saved.update(answer=verdict.answer, correct=verdict.correct, evidence=verdict.evidence)
        if checkpoint.id not in _firsts():  # the first prediction counts; later ones are practice
            _firsts()[checkpoint.id] = {"choice": saved["choice"], "correct": verdict.correct}
        if checkpoint.id in QUESTIONS:  # every lock-in: the class keeps the first and the latest
            live_class.record(checkpoint.id, saved["choice"], checked=verdict.correct, reason=saved.get("reason", ""))
        # The lesson's score sits outside this section's fragment: rerun the page once so it counts this answer.
        st.rerun()
    if saved.get("reason"):
        box.caption(f"Your reason: {md(saved['reason'])}")  # the student's own words, escaped
    if live_class.locked(checkpoint.id):
        box.info("Prediction sent. Your teacher will reveal the answer.", icon=":material/hourglass_top:")
        return None
    verdict = Verdict(saved["choice"], saved["answer"], float("nan"), saved["evidence"])
    if saved["correct"]:
        box.success(f"**Right.** {md(saved['evidence'])}", icon=":material/check_circle:")
    else:
        box.warning(
            f"**Not this time:** you said *{md(saved['choice'])}*. {md(saved['evidence'])}",
            icon=":material/lightbulb:",
        )
    if box.button("Predict again", key=APP.check_again.at(checkpoint.id),
                  help="For practice: your first prediction is the one that counts in your score."):
        answers.pop(checkpoint.id, None)
        st.session_state.pop(APP.check_choice.at(checkpoint.id), None)
        st.rerun()
    return verdict


def scored(question_ids: list[str]) -> list[str]:
    """The questions of ``question_ids`` that have a right answer (a vote such as the homework's has none)."""
    return [q for q in question_ids if q not in QUESTIONS or QUESTIONS[q].has_right_answer]


def lesson_score(question_ids: list[str]) -> Score:
    """The session's score over one lesson's checkpoints (their first prediction) and checked questions."""
    counted = {q: a["correct"] for q, a in _answers().items() if "correct" in a}
    counted.update({q: a["correct"] for q, a in _firsts().items()})
    return score(counted, question_ids)


def score_line(question_ids: list[str], *, key: str) -> Score:
    """Show a lesson's score as a metric: right answers of those answered, and how many remain.

    ``question_ids`` are the questions the lesson asks (``Lesson.questions``); those without a
    right answer do not count.
    """
    result = lesson_score(scored(question_ids))
    box = st.container(key=key)
    box.metric(
        "Your score on this lesson",
        f"{result.right} of {result.total}",
        help="Predictions and checked questions you got right; answered "
        f"{result.answered} of {result.total}. Kept for this browser session only.",
    )
    if result.answered < result.total:
        box.caption(f"{result.total - result.answered} still to answer on this page.")
    return result
