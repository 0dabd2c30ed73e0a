"""What the teacher reads about the room: each question's summary, its reasons, and the end-of-class report.

Plain functions over one open connection (the teacher's operations in
:mod:`classroom.teacher` check the key first). Students appear only as a
short pseudonym (:func:`pseudonym`), never their seat token.

The end-of-class report (:func:`class_report`) gives per question: how many
answered, the share right at the *first* answer (``first_answer``, never
replaced) and at the *latest* (after the reveal, when a student may try
again), the most common wrong first answer, the number of reasons and the
reasons the teacher put on the projector. ``classroom.report_html`` turns it
into a page the teacher can keep after the class is deleted.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from classroom.questions import QUESTIONS, SECTIONS, Question, section_label
from classroom.results import QuestionSummary, Reason
from classroom.schema import answers

MAX_SHOWN_REASONS = 3  # reasons one question may have on the projector at once


def pseudonym(code: str, token: str) -> str:
    """A student's 10-character pseudonym in class ``code`` (a hash of the seat token, not reversible)."""
    return hashlib.sha256(f"{code}:{token}".encode()).hexdigest()[:10]


def _rows(conn, code: str, ids: list[str]) -> list:  # type: ignore[no-untyped-def]
    return conn.execute(
        select(answers).where(answers.c.class_code == code, answers.c.question.in_(ids)).order_by(answers.c.seq)
    ).all()


def _counted(q: Question, rows: list) -> tuple[list[str], list[bool | None]]:  # type: ignore[type-arg]
    """The answers and verdicts the teacher's view counts: first answers for a checkpoint, else the latest."""
    if q.counts_first:
        return [r.first_answer for r in rows], [r.first_correct for r in rows]
    return [r.answer for r in rows], [r.correct for r in rows]


def _reasons(code: str, rows: list) -> tuple[Reason, ...]:  # type: ignore[type-arg]
    """The non-empty reasons: on the projector first (in the order they were put there), then by answer."""
    given = [r for r in rows if r.reason]
    given.sort(key=lambda r: (r.reason_shown_at is None, r.reason_shown_at or 0.0, r.answer, r.seq))
    return tuple(
        Reason(pseudonym(code, r.token), r.answer, r.reason, r.reason_shown_at is not None, bool(r.reason_hidden))
        for r in given
    )


def summaries(  # type: ignore[no-untyped-def]
    conn, code: str, ids: list[str], revealed: set[str], *, with_reasons: bool = False
) -> dict[str, QuestionSummary]:
    """Each question's distribution, share right and (for the teacher only, ``with_reasons``) its reasons."""
    rows = _rows(conn, code, ids)
    out = {}
    for qid in ids:
        q = QUESTIONS[qid]
        mine = [r for r in rows if r.question == qid]
        given, verdicts = _counted(q, mine)
        counts = Counter(given)
        if q.choices:
            counts = Counter({c: counts.get(c, 0) for c in q.choices})
        correct = sum(1 for v in verdicts if v) if q.has_right_answer else None
        reasons = _reasons(code, mine) if with_reasons else ()
        out[qid] = QuestionSummary(qid, dict(counts), len(mine), correct, qid in revealed, reasons)
    return out


# --------------------------------------------------------------------------
# The end-of-class report
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class QuestionReport:
    """One question at the end of the class.

    Attributes
    ----------
    answered : int
        Students who answered.
    right_first, right_latest : int or None
        Students right at their first answer, and at their latest (after the
        reveal); ``None`` for a question without a right answer (the vote).
    common_wrong : str or None
        The most common wrong first answer (ties: the first in the question's
        choices, else alphabetically); ``None`` if nobody was wrong or there is
        no right answer.
    common_wrong_count : int
        How many students gave it first.
    first_counts : dict of str to int
        The distribution of first answers (every choice of a choice question).
    right_answers : tuple of str
        The first answers that were judged right (for a checked question the
        page's verdict, so an answer is right if it was right for a student).
    reasons : int
        Students who gave a reason with their latest answer.
    shown_reasons : tuple of str
        The reasons the teacher put on the projector (students' text: escape it).
    """

    question: str
    prompt: str
    section: str
    answered: int
    right_first: int | None
    right_latest: int | None
    common_wrong: str | None
    common_wrong_count: int
    first_counts: dict[str, int]
    right_answers: tuple[str, ...]
    reasons: int
    shown_reasons: tuple[str, ...]
    revealed: bool

    def share(self, right: int | None) -> float | None:
        """``right`` as a share of those who answered (None without a right answer or any answer)."""
        return None if right is None or not self.answered else right / self.answered

    @property
    def share_first(self) -> float | None:
        return self.share(self.right_first)

    @property
    def share_latest(self) -> float | None:
        return self.share(self.right_latest)


@dataclass(frozen=True)
class ClassReport:
    """The whole class at the end: who joined, and every question that was answered, in lesson order."""

    code: str
    started_at: float
    made_at: float
    joined: int
    questions: tuple[QuestionReport, ...] = field(default=())


def _most_common_wrong(q: Question, rows: list) -> tuple[str | None, int]:  # type: ignore[type-arg]
    wrong = Counter(r.first_answer for r in rows if r.first_correct is False)
    if not wrong:
        return None, 0
    order = {choice: i for i, choice in enumerate(q.choices)}
    answer = min(wrong, key=lambda a: (-wrong[a], order.get(a, len(order)), a))
    return answer, wrong[answer]


def question_report(code: str, q: Question, rows: list, revealed: bool) -> QuestionReport:  # type: ignore[type-arg]
    """One question's report from its stored rows."""
    firsts = Counter(r.first_answer for r in rows)
    if q.choices:
        firsts = Counter({c: firsts.get(c, 0) for c in q.choices})
    scored = q.has_right_answer
    wrong, wrong_count = _most_common_wrong(q, rows) if scored else (None, 0)
    reasons = _reasons(code, rows)
    return QuestionReport(
        question=q.id,
        prompt=q.prompt,
        section=section_label(q.section.id),
        answered=len(rows),
        right_first=sum(1 for r in rows if r.first_correct) if scored else None,
        right_latest=sum(1 for r in rows if r.correct) if scored else None,
        common_wrong=wrong,
        common_wrong_count=wrong_count,
        first_counts=dict(firsts),
        right_answers=tuple(sorted({r.first_answer for r in rows if r.first_correct})),
        reasons=len(reasons),
        shown_reasons=tuple(r.text for r in reasons if r.shown),
        revealed=revealed,
    )


def class_report(  # type: ignore[no-untyped-def]
    conn, code: str, row, joined: int, revealed: set[str], now: float
) -> ClassReport:
    """The report of class ``code`` (``row``: its ``classes`` row): the questions answered, in lesson order."""
    in_order = [qid for section in SECTIONS for qid in section.asks if qid in QUESTIONS]
    rows = _rows(conn, code, in_order)
    reports = []
    for qid in in_order:
        mine = [r for r in rows if r.question == qid]
        if mine:
            reports.append(question_report(code, QUESTIONS[qid], mine, qid in revealed))
    return ClassReport(code, row.created_at, now, joined, tuple(reports))
