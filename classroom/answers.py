"""A student's answers in the store: record one (with its reason), read one's own, see a revealed question.

:class:`AnswerOps` is mixed into :class:`classroom.store.ClassStore`; it needs
``engine``, ``clock``, ``_insert`` (the dialect's ``insert``, which has
``on_conflict_do_update``) and ``_live_class`` from it.

Each ``answers`` row is one student's answer to one question: the latest
(``answer``, ``correct``, with its ``reason``), and the first one the store
received (``first_answer``, ``first_correct``), never replaced.
"""

from __future__ import annotations

from sqlalchemy import case, select

from classroom.codes import normalise_code
from classroom.questions import clean_reason, question
from classroom.report import summaries
from classroom.results import ClassNotFound, NotJoined, NotRevealed, QuestionSummary
from classroom.schema import answers, reveals, students


class AnswerOps:
    """What a student's seat does with answers."""

    def student_answers(self, code: str, token: str) -> dict[str, str]:
        """This student's own latest answers, by question id (for a student who reconnects)."""
        return {qid: answer for qid, (answer, _) in self.student_answers_and_reasons(code, token).items()}

    def student_answers_and_reasons(self, code: str, token: str) -> dict[str, tuple[str, str]]:
        """This student's own latest answers with their reasons: question id -> (answer, reason)."""
        code = normalise_code(code)
        with self.engine.connect() as conn:
            if self._live_class(conn, code, self.clock()) is None:
                raise ClassNotFound()
            rows = conn.execute(
                select(answers.c.question, answers.c.answer, answers.c.reason).where(
                    answers.c.class_code == code, answers.c.token == token
                )
            )
            return {r.question: (r.answer, r.reason) for r in rows}

    def record(
        self,
        code: str,
        token: str,
        question_id: str,
        answer: object,
        *,
        checked: bool | None = None,
        seq: int | None = None,
        reason: object = "",
    ) -> bool:
        """Record a student's answer and its optional one-line ``reason``; return whether it changed what is stored.

        The answer is validated against the question, the reason by
        :func:`classroom.questions.clean_reason` (:class:`BadAnswer`); only a
        seat the server issued in this class may answer (:class:`NotJoined`).
        ``seq`` orders a student's answers (default: now, in microseconds): the
        answer and its reason replace the stored ones only if its ``seq`` is
        higher, so a replayed or late answer changes nothing. The student's
        first answer is kept beside the latest and never replaced. A new reason
        text takes the old one off the projector and out of hiding.
        """
        q = question(question_id)
        text = q.validate(answer)
        why = clean_reason(reason)
        correct = q.grade(text, checked)
        now = self.clock()
        seq = int(now * 1_000_000) if seq is None else int(seq)
        code = normalise_code(code)
        with self.engine.begin() as conn:
            if self._live_class(conn, code, now) is None:
                raise ClassNotFound()
            joined = conn.execute(
                select(students.c.token).where(students.c.class_code == code, students.c.token == token)
            ).first()
            if joined is None:
                raise NotJoined()
            stmt = self._insert(answers).values(
                class_code=code, question=q.id, token=token, answer=text, correct=correct, answered_at=now, seq=seq,
                first_answer=text, first_correct=correct, reason=why, reason_shown_at=None, reason_hidden=False,
            )
            same_reason = answers.c.reason == stmt.excluded.reason
            stmt = stmt.on_conflict_do_update(
                index_elements=[answers.c.class_code, answers.c.question, answers.c.token],
                set_={
                    "answer": stmt.excluded.answer,
                    "correct": stmt.excluded.correct,
                    "answered_at": stmt.excluded.answered_at,
                    "seq": stmt.excluded.seq,
                    "reason": stmt.excluded.reason,
                    "reason_shown_at": case((same_reason, answers.c.reason_shown_at), else_=None),
                    "reason_hidden": case((same_reason, answers.c.reason_hidden), else_=False),
                },
                where=answers.c.seq < stmt.excluded.seq,
            ).returning(answers.c.seq)  # a row comes back only if it was written (rowcount is -1 on psycopg)
            return conn.execute(stmt).first() is not None

    def revealed_summary(self, code: str, question_id: str) -> QuestionSummary:
        """The class distribution of one question, for students, once the teacher revealed it."""
        code = normalise_code(code)
        q = question(question_id)
        with self.engine.connect() as conn:
            if self._live_class(conn, code, self.clock()) is None:
                raise ClassNotFound()
            shown = conn.execute(
                select(reveals.c.question).where(reveals.c.class_code == code, reveals.c.question == q.id)
            ).first()
            if shown is None:
                raise NotRevealed()
            return summaries(conn, code, [q.id], {q.id})[q.id]
