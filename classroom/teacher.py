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

from sqlalchemy import delete, func, insert, select, update

from app_state.lessons import LESSONS, Section
from classroom.codes import normalise_code
from classroom.guard import Caller
from classroom.questions import QUESTIONS, SECTIONS_BY_ID, question
from classroom.report import MAX_SHOWN_REASONS, ClassReport, class_report, pseudonym, summaries
from classroom.results import ClassError, ClassNotFound, ClassSummary, WrongKey
from classroom.schema import answers, classes, paces, reveals, students

JOIN_MINUTES = 15  # the teacher's view shows new seats per minute over this many minutes


def key_hash(key: str) -> str:
    """How a teacher key is kept: its SHA-256 (the key itself has 192 random bits)."""
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def _section(page: str, slug: str) -> Section | None:
    """Section ``slug`` of lesson ``page``, or None (a lesson whose sections changed since the pace was set)."""
    return SECTIONS_BY_ID.get(f"{page}#{slug}")


class TeacherOps:
    """What the teacher's key opens: the room's summary, reveals, moves, pace, pause, reasons, CSV and report.

    Needs from the store it is mixed into: ``engine``, ``clock``, ``_live_class``,
    ``_check_guesses`` and ``_fail``.
    """

    def _teacher_class(self, conn, code: str, key: object, caller: Caller, now: float, *, lock: bool = False):  # type: ignore[no-untyped-def]
        """(row, None) if ``key`` opens ``code``; else (None, the error), after the guessing limits."""
        row = self._live_class(conn, code, now, lock=lock)
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
            # A write locks the class's row: two devices of one teacher change it one at a time.
            row, error = self._teacher_class(conn, code, key, caller, now, lock=write)
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
            summaries(conn, code, list(QUESTIONS), shown, with_reasons=True),
            row.move_to,
            tuple(per_minute.get(ago, 0) for ago in range(JOIN_MINUTES - 1, -1, -1)),
            int(row.seats_refused or 0),
            dict(conn.execute(select(paces.c.page, paces.c.slug).where(paces.c.class_code == code)).all()),
            bool(row.paused),
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
        """Send every student to a lesson section (``classroom.questions.SECTIONS``), and open the lesson up to it.

        A lesson paced to an earlier section opens up to this one; one already
        open further (or to its end) stays as it is: a move never closes a section.
        """
        if section_id not in SECTIONS_BY_ID:
            raise ClassError("There is no such lesson section.")
        target = SECTIONS_BY_ID[section_id]

        def action(conn, code: str, row) -> None:  # type: ignore[no-untyped-def]
            conn.execute(
                update(classes).where(classes.c.code == code).values(move_to=section_id, move_seq=classes.c.move_seq + 1)
            )
            here = (paces.c.class_code == code) & (paces.c.page == target.page)
            slug = conn.execute(select(paces.c.slug).where(here)).scalar()
            pace = _section(target.page, slug) if slug is not None else None
            if pace is not None and pace.number < target.number:
                conn.execute(update(paces).where(here).values(slug=target.slug))

        self._as_teacher(code, key, caller, action, write=True)

    def set_pace(self, code: str, key: str, page: str, slug: str | None, *, caller: Caller = Caller()) -> None:
        """Open lesson ``page`` to the class's students up to its section ``slug``; ``None`` opens all of it."""
        if page not in {lesson.page for lesson in LESSONS}:
            raise ClassError("There is no such lesson.")
        if slug is not None and _section(page, slug) is None:
            raise ClassError("There is no such lesson section.")

        def action(conn, code: str, row) -> None:  # type: ignore[no-untyped-def]
            conn.execute(delete(paces).where(paces.c.class_code == code, paces.c.page == page))
            if slug is not None:
                conn.execute(insert(paces).values(class_code=code, page=page, slug=slug))

        self._as_teacher(code, key, caller, action, write=True)

    def set_paused(self, code: str, key: str, paused: bool, *, caller: Caller = Caller()) -> None:
        """Pause every student's page (``True``) or resume the class (``False``)."""

        def action(conn, code: str, row) -> None:  # type: ignore[no-untyped-def]
            conn.execute(update(classes).where(classes.c.code == code).values(paused=bool(paused)))

        self._as_teacher(code, key, caller, action, write=True)

    def show_reason(
        self, code: str, key: str, question_id: str, student: str, *, shown: bool = True, caller: Caller = Caller()
    ) -> None:
        """Put a student's reason on the projector (at most three per question), or take it off.

        ``student`` is the pseudonym the summary lists (:class:`classroom.results.Reason`).
        Raises :class:`ClassError` for a reason that is gone (the student changed it) or a fourth one.
        """
        q = question(question_id)

        def action(conn, code: str, row) -> None:  # type: ignore[no-untyped-def]
            where = _reason_row(conn, code, q.id, student)
            if shown:
                on = conn.execute(
                    select(func.count()).select_from(answers).where(
                        answers.c.class_code == code, answers.c.question == q.id,
                        answers.c.reason_shown_at.is_not(None), answers.c.token != where.token,
                    )
                ).scalar_one()
                if on >= MAX_SHOWN_REASONS:
                    raise ClassError(f"{MAX_SHOWN_REASONS} reasons are on the projector already: take one off first.")
            values = {"reason_shown_at": self.clock(), "reason_hidden": False} if shown else {"reason_shown_at": None}
            conn.execute(update(answers).where(*where.clause).values(**values))

        self._as_teacher(code, key, caller, action, write=True)

    def hide_reason(
        self, code: str, key: str, question_id: str, student: str, *, hidden: bool = True, caller: Caller = Caller()
    ) -> None:
        """Hide a student's reason from the teacher's list (and the projector), or bring it back."""
        q = question(question_id)

        def action(conn, code: str, row) -> None:  # type: ignore[no-untyped-def]
            where = _reason_row(conn, code, q.id, student)
            values = {"reason_hidden": True, "reason_shown_at": None} if hidden else {"reason_hidden": False}
            conn.execute(update(answers).where(*where.clause).values(**values))

        self._as_teacher(code, key, caller, action, write=True)

    def report(self, code: str, key: str, *, caller: Caller = Caller()) -> ClassReport:
        """The end-of-class report (:func:`classroom.report.class_report`; needs the teacher key)."""

        def action(conn, code: str, row) -> ClassReport:  # type: ignore[no-untyped-def]
            joined = conn.execute(
                select(func.count()).select_from(students).where(students.c.class_code == code)
            ).scalar_one()
            revealed = set(conn.execute(select(reveals.c.question).where(reveals.c.class_code == code)).scalars())
            return class_report(conn, code, row, int(joined), revealed, self.clock())

        return self._as_teacher(code, key, caller, action)

    def answer_rows(self, code: str, key: str, *, caller: Caller = Caller()) -> list[dict]:
        """Every stored answer of the class, oldest first (needs the teacher key).

        Students appear as a short pseudonym (a hash of their token), never the token itself.
        """
        return self._as_teacher(code, key, caller, answer_rows)

    def answers_csv(self, code: str, key: str, *, caller: Caller = Caller()) -> str:
        """The class's answers as CSV text; cells that a spreadsheet would run as a formula are quoted with '."""
        buffer = io.StringIO()
        fields = ["question", "answer", "correct", "reason", "first_answer", "first_correct", "student", "nickname",
                  "answered_at_utc"]
        writer = csv.DictWriter(buffer, fieldnames=fields)
        writer.writeheader()
        for row in self.answer_rows(code, key, caller=caller):
            row["answered_at_utc"] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(row.pop("answered_at")))
            for name in ("correct", "first_correct"):
                row[name] = "" if row[name] is None else ("yes" if row[name] else "no")
            writer.writerow({k: _safe_cell(str(v)) for k, v in row.items()})
        return buffer.getvalue()


class _ReasonRow:
    """The answers row of one student's reason, found by its pseudonym."""

    def __init__(self, code: str, question_id: str, token: str) -> None:
        self.token = token
        self.clause = (answers.c.class_code == code, answers.c.question == question_id, answers.c.token == token)


def _reason_row(conn, code: str, question_id: str, student: str) -> _ReasonRow:  # type: ignore[no-untyped-def]
    """The row whose student has pseudonym ``student`` and a reason (:class:`ClassError` if there is none)."""
    tokens = conn.execute(
        select(answers.c.token).where(
            answers.c.class_code == code, answers.c.question == question_id, answers.c.reason != ""
        )
    ).scalars()
    for token in tokens:
        if pseudonym(code, token) == student:
            return _ReasonRow(code, question_id, token)
    raise ClassError("That reason is no longer there: the student may have changed it.")


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
            "reason": r.reason,
            "first_answer": r.first_answer,
            "first_correct": r.first_correct,
            "student": pseudonym(code, r.token),
            "nickname": r.nickname,
            "answered_at": r.answered_at,
        }
        for r in rows
    ]


def _safe_cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
