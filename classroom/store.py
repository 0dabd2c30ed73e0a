"""The live class's store: classes, students and their answers, through SQLAlchemy Core.

* **SQLite by default**, in a data directory (``WHY_EMBEDDINGS_DATA_DIR``,
  default ``./data``), in WAL mode with a busy timeout, so ``make run``
  needs nothing else. Every transaction starts with ``BEGIN IMMEDIATE``: two
  sessions writing at once queue on the busy timeout instead of failing.
* **PostgreSQL** (psycopg 3) when ``WHY_EMBEDDINGS_DATABASE_URL`` is set, so
  several replicas behind nginx share one class.
* The schema is created on first start and carries a version
  (:data:`SCHEMA_VERSION`, table ``schema_version``) for later migrations.
* A class expires ``WHY_EMBEDDINGS_CLASS_HOURS`` (24 by default) after it
  starts; then it and everything recorded in it is deleted.

Safety rules the store enforces itself, whatever the page does:

* class codes come from :mod:`secrets` (8 characters of a 32-character
  alphabet, about 2^40 codes), and a source that keeps sending unknown codes
  is refused for a while (:data:`MAX_FAILED_TRIES` per :data:`TRY_WINDOW`);
* only a hash of the teacher key is kept, compared with
  :func:`hmac.compare_digest`; the teacher's operations all need the key;
* answers are validated against their question (:mod:`classroom.questions`);
* a student's latest answer counts, and a replayed (same or older) answer
  changes nothing: each answer carries a sequence number (the time it was
  given, in microseconds) and only a higher one replaces the stored one;
* students see the class distribution of a question only once the teacher
  has revealed it, and never other students' answers.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from classroom.questions import QUESTIONS, SECTIONS_BY_ID, BadAnswer, clean_nickname, question

SCHEMA_VERSION = 1
DEFAULT_HOURS = 24.0
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off a projector
CODE_LENGTH = 8
MAX_FAILED_TRIES = 10  # unknown codes or wrong keys per source ...
TRY_WINDOW = 600.0  # ... in this many seconds, then that source waits
MAX_TOKEN = 64

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("installed_at", Float, nullable=False),
)

classes = Table(
    "classes",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("teacher_key_hash", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
    # "Move the class to ...": a section id (classroom.questions.SECTIONS) and a
    # counter that each move increases, so students follow every move once.
    Column("move_to", String(200), nullable=True),
    Column("move_seq", Integer, nullable=False, default=0),
)

students = Table(
    "students",
    metadata,
    Column("class_code", String(16), ForeignKey("classes.code"), primary_key=True),
    Column("token", String(MAX_TOKEN), primary_key=True),
    Column("nickname", String(40), nullable=False, default=""),
    Column("joined_at", Float, nullable=False),
)

answers = Table(
    "answers",
    metadata,
    Column("class_code", String(16), ForeignKey("classes.code"), primary_key=True),
    Column("question", String(64), primary_key=True),
    Column("token", String(MAX_TOKEN), primary_key=True),
    Column("answer", String(500), nullable=False),
    Column("correct", Boolean, nullable=True),
    Column("answered_at", Float, nullable=False),
    Column("seq", BigInteger, nullable=False),
)

reveals = Table(
    "reveals",
    metadata,
    Column("class_code", String(16), ForeignKey("classes.code"), primary_key=True),
    Column("question", String(64), primary_key=True),
    Column("revealed_at", Float, nullable=False),
)

failed_tries = Table(
    "failed_tries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(128), nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_failed_tries_source_at", "source", "at"),
)


# --------------------------------------------------------------------------
# Errors: each carries a message a student or teacher can read as it is.
# --------------------------------------------------------------------------
class ClassError(ValueError):
    """Something the class cannot do; ``str(error)`` is a plain-language message."""


class ClassNotFound(ClassError):
    def __init__(self) -> None:
        super().__init__("There is no class with that code, or it has ended. Check the code with your teacher.")


class TooManyTries(ClassError):
    def __init__(self) -> None:
        super().__init__("Too many wrong codes from here. Wait a few minutes, then try again.")


class WrongKey(ClassError):
    def __init__(self) -> None:
        super().__init__("That teacher key does not open this class.")


class NotJoined(ClassError):
    def __init__(self) -> None:
        super().__init__("Join the class first (open your teacher's class link).")


class NotRevealed(ClassError):
    def __init__(self) -> None:
        super().__init__("Your teacher has not revealed this question yet.")


# --------------------------------------------------------------------------
# What the store hands back
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class NewClass:
    code: str
    teacher_key: str
    expires_at: float


@dataclass(frozen=True)
class ClassState:
    """What every student's page polls: which questions are revealed, where to go."""

    code: str
    expires_at: float
    revealed: frozenset[str]
    move_to: str | None
    move_seq: int


@dataclass(frozen=True)
class QuestionSummary:
    """How the class answered one question.

    Attributes
    ----------
    counts : dict of str to int
        Answers and how many students gave each (latest answer per student).
    answered : int
        Students who answered.
    correct : int or None
        Students whose answer is right; ``None`` if the question has no right answer.
    """

    question: str
    counts: dict[str, int]
    answered: int
    correct: int | None
    revealed: bool

    @property
    def share_correct(self) -> float | None:
        if self.correct is None or self.answered == 0:
            return None
        return self.correct / self.answered


@dataclass(frozen=True)
class ClassSummary:
    code: str
    expires_at: float
    joined: int
    nicknames: list[str]
    questions: dict[str, QuestionSummary] = field(default_factory=dict)
    move_to: str | None = None


def normalise_code(text: object) -> str:
    """A typed class code as stored: upper case, dashes and spaces dropped."""
    if not isinstance(text, str):
        return ""
    return re.sub(r"[\s-]", "", text).upper()[: CODE_LENGTH + 8]


def format_code(code: str) -> str:
    """``ABCD2345`` -> ``ABCD-2345``, easier to read off a projector."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def valid_token(token: object) -> bool:
    """Whether ``token`` can be a student's seat: 8-64 characters of ``A-Z a-z 0-9 _ -``."""
    return isinstance(token, str) and 8 <= len(token) <= MAX_TOKEN and re.fullmatch(r"[A-Za-z0-9_-]+", token) is not None


def database_url_from_env(data_dir: str | os.PathLike | None = None) -> str:
    """``WHY_EMBEDDINGS_DATABASE_URL``, or an SQLite file in the data directory."""
    url = os.environ.get("WHY_EMBEDDINGS_DATABASE_URL", "").strip()
    if url:
        # Plain postgresql:// URLs would pick psycopg2, which is not installed.
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)
    folder = Path(data_dir or os.environ.get("WHY_EMBEDDINGS_DATA_DIR") or "data")
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / 'classes.sqlite3').resolve()}"


def class_hours_from_env() -> float:
    """``WHY_EMBEDDINGS_CLASS_HOURS`` (a positive number), or 24."""
    try:
        hours = float(os.environ.get("WHY_EMBEDDINGS_CLASS_HOURS", DEFAULT_HOURS))
    except ValueError:
        return DEFAULT_HOURS
    return hours if 0 < hours < 24 * 365 else DEFAULT_HOURS


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_settings(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # Let SQLAlchemy's "begin" below open transactions, not pysqlite.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection) -> None:  # type: ignore[no-untyped-def]
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class ClassStore:
    """Classes, students and answers in one database.

    Parameters
    ----------
    url : str
        A SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://...``).
    class_hours : float
        How long a class lives before it and its answers are deleted.
    clock : callable
        Seconds since the epoch (tests pass a fake clock).
    """

    def __init__(
        self, url: str, *, class_hours: float = DEFAULT_HOURS, clock: Callable[[], float] = time.time
    ) -> None:
        self.url = url
        self.class_hours = class_hours
        self.clock = clock
        self.engine = _make_engine(url)
        self._insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        self._last_purge = float("-inf")
        self._purge_lock = threading.Lock()
        self.create_schema()
        self.purge_expired()  # a restart never brings back a class that has expired

    @classmethod
    def from_env(cls, data_dir: str | os.PathLike | None = None) -> ClassStore:
        """The store the environment asks for (see the module docstring)."""
        return cls(database_url_from_env(data_dir), class_hours=class_hours_from_env())

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # ---------------------------------------------------------------- schema
    def create_schema(self) -> None:
        """Create the tables on first start and check the stored schema version."""
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                # Two replicas starting together: one creates, the other waits.
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727161)")
            metadata.create_all(conn, checkfirst=True)
            stored = conn.execute(select(func.max(schema_version.c.version))).scalar()
            if stored is None:
                conn.execute(insert(schema_version).values(version=SCHEMA_VERSION, installed_at=self.clock()))
            elif stored > SCHEMA_VERSION:
                raise RuntimeError(
                    f"The class database has schema version {stored}; this app knows up to {SCHEMA_VERSION}. "
                    "Update the app."
                )
            # stored < SCHEMA_VERSION: later versions migrate here, one step at a time.

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(schema_version.c.version))).scalar_one())

    # -------------------------------------------------------------- throttle
    def _check_throttle(self, conn, source: str, now: float) -> None:  # type: ignore[no-untyped-def]
        if not source:
            return
        tries = conn.execute(
            select(func.count()).select_from(failed_tries).where(
                failed_tries.c.source == source[:128], failed_tries.c.at > now - TRY_WINDOW
            )
        ).scalar_one()
        if tries >= MAX_FAILED_TRIES:
            raise TooManyTries()

    def _fail(self, source: str, now: float, error: ClassError) -> ClassError:
        """Remember a failed try from ``source`` (in its own transaction) and return ``error``."""
        if source:
            with self.engine.begin() as conn:
                conn.execute(insert(failed_tries).values(source=source[:128], at=now))
        return error

    # --------------------------------------------------------------- classes
    def purge_expired(self, *, force: bool = True) -> int:
        """Delete every expired class with its students, answers and reveals; return how many classes.

        With ``force=False`` it runs at most once a minute (callers on busy paths).
        """
        now = self.clock()
        with self._purge_lock:
            if not force and now - self._last_purge < 60:
                return 0
            self._last_purge = now
        with self.engine.begin() as conn:
            expired = select(classes.c.code).where(classes.c.expires_at <= now)
            for table in (answers, reveals, students):
                conn.execute(delete(table).where(table.c.class_code.in_(expired)))
            gone = conn.execute(delete(classes).where(classes.c.expires_at <= now)).rowcount
            conn.execute(delete(failed_tries).where(failed_tries.c.at <= now - TRY_WINDOW))
        return int(gone or 0)

    def create_class(self) -> NewClass:
        """Start a class: a new code and teacher key (the key is shown once, only its hash is kept)."""
        self.purge_expired(force=False)
        now = self.clock()
        key = secrets.token_urlsafe(24)
        expires = now + self.class_hours * 3600
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        insert(classes).values(
                            code=code, teacher_key_hash=_key_hash(key), created_at=now, expires_at=expires, move_seq=0
                        )
                    )
                return NewClass(code, key, expires)
            except IntegrityError:  # the code is taken: draw another
                continue
        raise RuntimeError("Could not find a free class code.")

    def _live_class(self, conn, code: str, now: float):  # type: ignore[no-untyped-def]
        row = conn.execute(select(classes).where(classes.c.code == code)).first()
        if row is None or row.expires_at <= now:
            return None
        return row

    def class_state(self, code: str) -> ClassState:
        """What a student's page needs to follow the class (raises :class:`ClassNotFound`)."""
        code = normalise_code(code)
        now = self.clock()
        with self.engine.connect() as conn:
            row = self._live_class(conn, code, now)
            if row is None:
                raise ClassNotFound()
            revealed = conn.execute(select(reveals.c.question).where(reveals.c.class_code == code)).scalars()
            return ClassState(code, row.expires_at, frozenset(revealed), row.move_to, row.move_seq)

    # -------------------------------------------------------------- students
    def join(self, code: str, token: str, *, nickname: str = "", source: str = "") -> ClassState:
        """Let student ``token`` into class ``code``; joining again is harmless.

        ``source`` identifies who is trying (an IP address): a source with
        too many unknown codes is refused for a while. A nickname is
        optional (see :func:`classroom.questions.clean_nickname`); an empty
        one keeps the nickname the student already has.
        """
        self.purge_expired(force=False)
        now = self.clock()
        code = normalise_code(code)
        if not valid_token(token):
            raise ClassError("This browser's class token is not valid. Reload the class link.")
        try:
            name = clean_nickname(nickname)
        except BadAnswer as error:
            raise ClassError(str(error)) from None
        with self.engine.begin() as conn:
            self._check_throttle(conn, source, now)
            row = self._live_class(conn, code, now)
            if row is not None:
                stmt = self._insert(students).values(class_code=code, token=token, nickname=name, joined_at=now)
                if name:
                    stmt = stmt.on_conflict_do_update(
                        index_elements=[students.c.class_code, students.c.token], set_={"nickname": name}
                    )
                else:
                    stmt = stmt.on_conflict_do_nothing(index_elements=[students.c.class_code, students.c.token])
                conn.execute(stmt)
        if row is None:
            raise self._fail(source, now, ClassNotFound())
        return self.class_state(code)

    def student_answers(self, code: str, token: str) -> dict[str, str]:
        """This student's own latest answers, by question id (for a student who reconnects)."""
        code = normalise_code(code)
        with self.engine.connect() as conn:
            if self._live_class(conn, code, self.clock()) is None:
                raise ClassNotFound()
            rows = conn.execute(
                select(answers.c.question, answers.c.answer).where(
                    answers.c.class_code == code, answers.c.token == token
                )
            )
            return {r.question: r.answer for r in rows}

    def record(
        self,
        code: str,
        token: str,
        question_id: str,
        answer: object,
        *,
        checked: bool | None = None,
        seq: int | None = None,
    ) -> bool:
        """Record a student's answer; return whether it changed what is stored.

        The answer is validated against the question (:class:`BadAnswer`).
        ``seq`` orders a student's answers (default: now, in microseconds):
        the answer replaces the stored one only if its ``seq`` is higher, so
        a replayed or late answer changes nothing.
        """
        q = question(question_id)
        text = q.validate(answer)
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
                class_code=code, question=q.id, token=token, answer=text, correct=correct, answered_at=now, seq=seq
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=[answers.c.class_code, answers.c.question, answers.c.token],
                set_={
                    "answer": stmt.excluded.answer,
                    "correct": stmt.excluded.correct,
                    "answered_at": stmt.excluded.answered_at,
                    "seq": stmt.excluded.seq,
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
            return self._summaries(conn, code, [q.id], {q.id})[q.id]

    # --------------------------------------------------------------- teacher
    def _teacher_class(self, conn, code: str, key: str, source: str, now: float):  # type: ignore[no-untyped-def]
        self._check_throttle(conn, source, now)
        row = self._live_class(conn, code, now)
        if row is None:
            return None, ClassNotFound()
        given = _key_hash(key) if isinstance(key, str) else ""
        if not hmac.compare_digest(given.encode(), row.teacher_key_hash.encode()):
            return None, WrongKey()
        return row, None

    def check_teacher(self, code: str, key: str, *, source: str = "") -> None:
        """Raise :class:`ClassNotFound`, :class:`WrongKey` or :class:`TooManyTries` unless ``key`` opens ``code``."""
        now = self.clock()
        code = normalise_code(code)
        with self.engine.connect() as conn:
            _, error = self._teacher_class(conn, code, key, source, now)
        if error is not None:
            raise self._fail(source, now, error)

    def _summaries(self, conn, code: str, ids: list[str], revealed: set[str]) -> dict[str, QuestionSummary]:  # type: ignore[no-untyped-def]
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

    def summary(self, code: str, key: str, *, source: str = "") -> ClassSummary:
        """Everything the teacher's view shows (needs the teacher key)."""
        now = self.clock()
        code = normalise_code(code)
        with self.engine.connect() as conn:
            row, error = self._teacher_class(conn, code, key, source, now)
            if error is None:
                names = conn.execute(select(students.c.nickname).where(students.c.class_code == code)).scalars().all()
                shown = set(conn.execute(select(reveals.c.question).where(reveals.c.class_code == code)).scalars())
                per_question = self._summaries(conn, code, list(QUESTIONS), shown)
                return ClassSummary(
                    code, row.expires_at, len(names), sorted(n for n in names if n), per_question, row.move_to
                )
        raise self._fail(source, now, error)

    def reveal(self, code: str, key: str, question_id: str, *, revealed: bool = True, source: str = "") -> None:
        """Reveal a question to the class (or hide it again)."""
        q = question(question_id)
        now = self.clock()
        code = normalise_code(code)
        with self.engine.begin() as conn:
            _, error = self._teacher_class(conn, code, key, source, now)
            if error is None:
                conn.execute(delete(reveals).where(reveals.c.class_code == code, reveals.c.question == q.id))
                if revealed:
                    conn.execute(insert(reveals).values(class_code=code, question=q.id, revealed_at=now))
                return
        raise self._fail(source, now, error)

    def move_class(self, code: str, key: str, section_id: str, *, source: str = "") -> None:
        """Send every student to a lesson section (``classroom.questions.SECTIONS``)."""
        if section_id not in SECTIONS_BY_ID:
            raise ClassError("There is no such lesson section.")
        now = self.clock()
        code = normalise_code(code)
        with self.engine.begin() as conn:
            _, error = self._teacher_class(conn, code, key, source, now)
            if error is None:
                conn.execute(
                    update(classes)
                    .where(classes.c.code == code)
                    .values(move_to=section_id, move_seq=classes.c.move_seq + 1)
                )
                return
        raise self._fail(source, now, error)

    def answer_rows(self, code: str, key: str, *, source: str = "") -> list[dict]:
        """Every stored answer of the class, oldest first (needs the teacher key).

        Students appear as a short pseudonym (a hash of their token), never the token itself.
        """
        now = self.clock()
        code = normalise_code(code)
        with self.engine.connect() as conn:
            _, error = self._teacher_class(conn, code, key, source, now)
            if error is None:
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
        raise self._fail(source, now, error)

    def answers_csv(self, code: str, key: str, *, source: str = "") -> str:
        """The class's answers as CSV text; cells that a spreadsheet would run as a formula are quoted with '."""
        buffer = io.StringIO()
        fields = ["question", "answer", "correct", "student", "nickname", "answered_at_utc"]
        writer = csv.DictWriter(buffer, fieldnames=fields)
        writer.writeheader()
        for row in self.answer_rows(code, key, source=source):
            row["answered_at_utc"] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(row.pop("answered_at")))
            row["correct"] = "" if row["correct"] is None else ("yes" if row["correct"] else "no")
            writer.writerow({k: _safe_cell(str(v)) for k, v in row.items()})
        return buffer.getvalue()

    # ------------------------------------------------------------ for checks
    def count_answers(self, code: str | None = None) -> int:
        """How many answers are stored (in one class, or in all): for the load and restart checks."""
        with self.engine.connect() as conn:
            stmt = select(func.count()).select_from(answers)
            if code is not None:
                stmt = stmt.where(answers.c.class_code == normalise_code(code))
            return int(conn.execute(stmt).scalar_one())


def _safe_cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
