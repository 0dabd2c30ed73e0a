"""The teacher's side of the store: operations that need the class's teacher key, and the reports they read.

:class:`TeacherOps` is mixed into :class:`classroom.store.ClassStore`. Every
operation checks the key first: **the right key is never counted against the
guessing limits, nor refused by them** (students' wrong guesses can never reach
the teacher's view); a wrong key or an unknown code is refused, counted as a
wrong try of the caller's session (``_fail``), and a session that keeps
guessing gets :class:`TooManyTries` (``_check_guesses``). See the store's
docstring for the limits.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import time
from collections import Counter
from collections.abc import Callable

from sqlalchemy import delete, insert, select, update

from classroom.codes import normalise_code
from classroom.guard import Caller
from classroom.questions import QUESTIONS, SECTIONS_BY_ID, question
from classroom.results import ClassError, ClassNotFound, ClassSummary, QuestionSummary, WrongKey
from classroom.schema import answers, classes, reveals, students

JOIN_MINUTES = 15  # the teacher's view shows new seats per minute over this many minutes


def key_hash(key: str) -> str:
    """How a teacher key is kept: its SHA-256 (the key itself has 192 random bits)."""
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


class TeacherOps:
    """What the teacher's key opens: the room's summary, reveals, moves and the answers' CSV.

    Needs from the store it is mixed into: ``engine``, ``clock``, ``_live_class``,
    ``_check_guesses`` and ``_fail``.
    """

    def _teacher_class(self, conn, code: str, key: object, caller: Caller, now: float):  # type: ignore[no-untyped-def]
        """(row, None) if ``key`` opens ``code``; else (None, the error), after the guessing limits."""
        row = self._live_class(conn, code, now)
        given = key_hash(key) if isinstance(key, str) else ""
        if row is not None and hmac.compare_digest(given.encode(), row.teacher_key_hash.encode()):
            return row, None  # the right key: never counted, never refused
        self._check_guesses(conn, caller, now)
        return None, (ClassNotFound() if row is None else WrongKey())

    def _as_teacher(self, code: str, key: object, caller: Caller, action: Callable, *, write: bool = False):  # type: ignore[type-arg]
        """Run ``action(conn, code, row)`` if ``key`` opens ``code``; otherwise count the try and raise."""
        now = self.clock()
        code = normalise_code(code)
        with (self.engine.begin() if write else self.engine.connect()) as conn:
            row, error = self._teacher_class(conn, code, key, caller, now)
            if error is None:
                return action(conn, code, row)
        raise self._fail(caller, now, error)

    def check_teacher(self, code: str, key: str, *, caller: Caller = Caller()) -> None:
        """Raise :class:`ClassNotFound`, :class:`WrongKey` or :class:`TooManyTries` unless ``key`` opens ``code``."""
        self._as_teacher(code, key, caller, lambda conn, code, row: None)

    def summary(self, code: str, key: str, *, caller: Caller = Caller()) -> ClassSummary:
        """Everything the teacher's view shows (needs the teacher key)."""
        return self._as_teacher(code, key, caller, self._summary)

    def _summary(self, conn, code: str, row) -> ClassSummary:  # type: ignore[no-untyped-def]
        seats = conn.execute(select(students.c.nickname, students.c.joined_at).where(students.c.class_code == code)).all()
        shown = set(conn.execute(select(reveals.c.question).where(reveals.c.class_code == code)).scalars())
        now_minute = int(self.clock() // 60)
        per_minute = Counter(now_minute - int(s.joined_at // 60) for s in seats)
        return ClassSummary(
            code,
            row.expires_at,
            len(seats),
            sorted(s.nickname for s in seats if s.nickname),
            summaries(conn, code, list(QUESTIONS), shown),
            row.move_to,
            tuple(per_minute.get(ago, 0) for ago in range(JOIN_MINUTES - 1, -1, -1)),
            int(row.seats_refused or 0),
        )

    def reveal(self, code: str, key: str, question_id: str, *, revealed: bool = True, caller: Caller = Caller()) -> None:
        """Reveal a question to the class (or hide it again)."""
        q = question(question_id)

        def action(conn, code: str, row) -> None:  # type: ignore[no-untyped-def]
            conn.execute(delete(reveals).where(reveals.c.class_code == code, reveals.c.question == q.id))
            if revealed:
                conn.execute(insert(reveals).values(class_code=code, question=q.id, revealed_at=self.clock()))

        self._as_teacher(code, key, caller, action, write=True)

    def move_class(self, code: str, key: str, section_id: str, *, caller: Caller = Caller()) -> None:
        """Send every student to a lesson section (``classroom.questions.SECTIONS``)."""
        if section_id not in SECTIONS_BY_ID:
            raise ClassError("There is no such lesson section.")

        def action(conn, code: str, row) -> None:  # type: ignore[no-untyped-def]
            conn.execute(
                update(classes).where(classes.c.code == code).values(move_to=section_id, move_seq=classes.c.move_seq + 1)
            )

        self._as_teacher(code, key, caller, action, write=True)

    def answer_rows(self, code: str, key: str, *, caller: Caller = Caller()) -> list[dict]:
        """Every stored answer of the class, oldest first (needs the teacher key).

        Students appear as a short pseudonym (a hash of their token), never the token itself.
        """
        return self._as_teacher(code, key, caller, answer_rows)

    def answers_csv(self, code: str, key: str, *, caller: Caller = Caller()) -> str:
        """The class's answers as CSV text; cells that a spreadsheet would run as a formula are quoted with '."""
        buffer = io.StringIO()
        fields = ["question", "answer", "correct", "student", "nickname", "answered_at_utc"]
        writer = csv.DictWriter(buffer, fieldnames=fields)
        writer.writeheader()
        for row in self.answer_rows(code, key, caller=caller):
            row["answered_at_utc"] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(row.pop("answered_at")))
            row["correct"] = "" if row["correct"] is None else ("yes" if row["correct"] else "no")
            writer.writerow({k: _safe_cell(str(v)) for k, v in row.items()})
        return buffer.getvalue()


def summaries(conn, code: str, ids: list[str], revealed: set[str]) -> dict[str, QuestionSummary]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        select(answers.c.question, answers.c.answer, answers.c.correct).where(
            answers.c.class_code == code, answers.c.question.in_(ids)
        )
    ).all()
    out = {}
    for qid in ids:
        q = QUESTIONS[qid]
        mine = [r for r in rows if r.question == qid]
        counts = Counter(r.answer for r in mine)
        if q.choices:
            counts = Counter({c: counts.get(c, 0) for c in q.choices})
        correct = sum(1 for r in mine if r.correct) if q.has_right_answer else None
        out[qid] = QuestionSummary(qid, dict(counts), len(mine), correct, qid in revealed)
    return out


def answer_rows(conn, code: str, row) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        select(answers, students.c.nickname)
        .join(students, (students.c.class_code == answers.c.class_code) & (students.c.token == answers.c.token))
        .where(answers.c.class_code == code)
        .order_by(answers.c.answered_at, answers.c.question)
    ).all()
    return [
        {
            "question": r.question,
            "answer": r.answer,
            "correct": r.correct,
            "student": hashlib.sha256(f"{code}:{r.token}".encode()).hexdigest()[:10],
            "nickname": r.nickname,
            "answered_at": r.answered_at,
        }
        for r in rows
    ]


def _safe_cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
