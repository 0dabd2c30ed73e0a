"""The live class's store: classes, seats and answers, through SQLAlchemy Core.

* **SQLite by default** (``classroom.database``: a private file in
  ``WHY_EMBEDDINGS_DATA_DIR``), or **PostgreSQL** when
  ``WHY_EMBEDDINGS_DATABASE_URL`` is set, so replicas share one class.
* The schema carries a version and migrates older databases
  (:mod:`classroom.schema`); the students' answers are recorded by
  :mod:`classroom.answers`, the teacher's operations are in
  :mod:`classroom.teacher` (what they read in :mod:`classroom.report`),
  reading the client's address and signing cookies in :mod:`classroom.guard`.
* A class expires ``WHY_EMBEDDINGS_CLASS_HOURS`` (24 by default) after it
  starts; then it and everything recorded in it is deleted.

Safety rules the store enforces itself, whatever the page does:

* **Codes and keys.** Class codes come from :mod:`secrets` (8 characters of a
  32-character alphabet, 2^40 codes); teacher keys are 192 random bits, of
  which only a hash is kept and compared with :func:`hmac.compare_digest`.
* **Guessing limits that cannot lock out a class.** Every wrong try (an
  unknown code, a wrong teacher key) is recorded with its guessing *session*
  (a browser's seat cookie, else one Streamlit session) and its *address*
  (:mod:`classroom.guard` reads it behind a trusted proxy):

  - a session with :data:`SESSION_TRIES` wrong tries in :data:`TRY_WINDOW` is
    refused (:class:`TooManyTries`) until the window passes, even with the
    right code: that is what bounds its guessing;
  - an address counts only at a much higher number, :data:`ADDRESS_TRIES`
    wrong tries from all its sessions; then a session *that has itself*
    guessed wrong :data:`NOISY_ADDRESS_SESSION_TRIES` times is refused.
    Never by address alone: a school behind one address is one address, and
    a session that has not guessed wrong is always looked up, so **a right
    code from anyone but the guesser always gets in**;
  - **the teacher's operations with the right key are never counted or
    refused**: the key is checked before any limit (192 bits cannot be
    guessed), so students' guesses never reach the teacher's view or link.

  What this bounds: one session (or browser) tries 10 codes per 10 minutes.
  What it cannot bound, by design: a script that opens a fresh session for
  every guess from a school's shared address is answered like 30 students
  opening the class. There the code space does the work: with 100 classes
  running, a hit needs about 2^40 / 100 = 1.1e10 tries on average, about 7
  years at 50 page opens a second (a 2-core server's ceiling).
* **A seat is one person, issued by the server.** :meth:`ClassStore.take_seat`
  is the only way into a class. It hands back the seat of a ``?seat=`` the
  server issued for this class (a reconnect), else the seat this browser
  already has in the class (its signed seat cookie: one seat per browser),
  else a new random seat, unless the address already holds
  ``WHY_EMBEDDINGS_SEATS_PER_ADDRESS`` seats (60) in the class
  (:class:`ClassFull`, counted for the teacher). A ``?seat=`` the server never
  issued gets a fresh seat, never that one, and answers only count from
  issued seats (:class:`NotJoined`). The teacher sees new seats per minute.
* Answers are validated against their question (:mod:`classroom.questions`);
  the store keeps a student's first answer (never replaced) and their latest
  with its one-line reason; a replayed (same or older) answer changes
  nothing: each carries a sequence number (the time it was given, in
  microseconds) and only a higher one replaces the stored one.
* Students see the class distribution of a question only once the teacher
  has revealed it, and never other students' answers.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from classroom import guard
from classroom.answers import AnswerOps
from classroom.codes import CODE_ALPHABET, CODE_LENGTH, format_code, normalise_code, valid_token
from classroom.database import (
    DEFAULT_HOURS,
    DEFAULT_SEATS_PER_ADDRESS,
    class_hours_from_env,
    database_url_from_env,
    make_engine,
    seats_per_address_from_env,
)
from classroom.guard import Caller
from classroom.questions import BadAnswer, clean_nickname
from classroom.results import (
    ClassError,
    ClassFull,
    ClassNotFound,
    ClassState,
    ClassSummary,
    NewClass,
    NotJoined,
    NotRevealed,
    QuestionSummary,
    Reason,
    Seat,
    TooManyTries,
    WrongKey,
)
from classroom.schema import (
    SCHEMA_VERSION,
    answers,
    app_secrets,
    classes,
    failed_tries,
    install,
    metadata,
    paces,
    reveals,
    schema_version,
    students,
)
from classroom.report import MAX_SHOWN_REASONS, ClassReport, QuestionReport
from classroom.teacher import JOIN_MINUTES, TeacherOps, key_hash

__all__ = [  # what the rest of the app imports from here
    "CODE_ALPHABET", "Caller", "ClassError", "ClassFull", "ClassNotFound", "ClassReport", "ClassState", "ClassStore",
    "ClassSummary", "JOIN_MINUTES", "MAX_SHOWN_REASONS", "NewClass", "NotJoined", "NotRevealed", "QuestionReport",
    "QuestionSummary", "Reason", "SCHEMA_VERSION", "Seat", "TooManyTries", "WrongKey", "answers",
    "class_hours_from_env", "classes", "database_url_from_env", "failed_tries", "format_code", "metadata",
    "normalise_code", "paces", "reveals", "schema_version", "students", "valid_token",
]

SESSION_TRIES = 10  # wrong tries one guessing session may make in TRY_WINDOW
ADDRESS_TRIES = 100  # wrong tries from one address (all its sessions) before it counts as noisy ...
NOISY_ADDRESS_SESSION_TRIES = 3  # ... after which its sessions that guessed wrong this often are refused
TRY_WINDOW = 600.0  # seconds


class ClassStore(AnswerOps, TeacherOps):
    """Classes, seats and answers in one database.

    Parameters
    ----------
    url : str
        A SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://...``).
    class_hours : float
        How long a class lives before it and its answers are deleted.
    seats_per_address : int
        How many seats one address may take in one class.
    clock : callable
        Seconds since the epoch (tests pass a fake clock).
    """

    def __init__(
        self,
        url: str,
        *,
        class_hours: float = DEFAULT_HOURS,
        seats_per_address: int = DEFAULT_SEATS_PER_ADDRESS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self.class_hours = class_hours
        self.seats_per_address = seats_per_address
        self.clock = clock
        self.engine = make_engine(url)
        self._insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        self._last_purge = float("-inf")
        self._purge_lock = threading.Lock()
        self.create_schema()
        self._secret = self._load_secret()
        self.purge_expired()  # a restart never brings back a class that has expired

    @classmethod
    def from_env(cls, data_dir: str | os.PathLike | None = None) -> ClassStore:
        """The store the environment asks for (see ``classroom.database``)."""
        return cls(
            database_url_from_env(data_dir),
            class_hours=class_hours_from_env(),
            seats_per_address=seats_per_address_from_env(),
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # ---------------------------------------------------------------- schema
    def create_schema(self) -> None:
        """Create the tables on first start, migrate an older schema, refuse a newer one."""
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                # Two replicas starting together: one creates, the other waits.
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727161)")
            install(conn, self.clock())

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(schema_version.c.version))).scalar_one())

    def _load_secret(self) -> bytes:
        """The key that signs seat cookies and hashes addresses: made once, shared by every replica."""
        with self.engine.begin() as conn:
            stmt = self._insert(app_secrets).values(name="signing", value=secrets.token_hex(32))
            conn.execute(stmt.on_conflict_do_nothing(index_elements=[app_secrets.c.name]))
            value = conn.execute(select(app_secrets.c.value).where(app_secrets.c.name == "signing")).scalar_one()
        return bytes.fromhex(value)

    def sign(self, value: str) -> str:
        """``value`` with this server's signature (a seat cookie's value)."""
        return guard.sign(self._secret, value)

    def unsign(self, signed: object) -> str | None:
        """The value of a cookie this server signed, or ``None``."""
        return guard.unsign(self._secret, signed)

    def _hash(self, text: str) -> str:
        return guard.keyed_hash(self._secret, text)

    # -------------------------------------------------------- guessing limits
    def _wrong_tries(self, conn, column, value: str, now: float) -> int:  # type: ignore[no-untyped-def]
        return conn.execute(
            select(func.count()).select_from(failed_tries).where(column == value, failed_tries.c.at > now - TRY_WINDOW)
        ).scalar_one()

    def _check_guesses(self, conn, caller: Caller, now: float) -> None:  # type: ignore[no-untyped-def]
        """Refuse a session that keeps guessing (the rules are in the module docstring)."""
        if not caller.session:
            return  # never by address alone
        mine = self._wrong_tries(conn, failed_tries.c.session, self._hash(caller.session), now)
        if mine >= SESSION_TRIES:
            raise TooManyTries()
        if mine >= NOISY_ADDRESS_SESSION_TRIES and caller.address:
            if self._wrong_tries(conn, failed_tries.c.source, self._hash(caller.address), now) >= ADDRESS_TRIES:
                raise TooManyTries()

    def _fail(self, caller: Caller, now: float, error: ClassError) -> ClassError:
        """Remember a wrong try (in its own transaction) and return ``error``."""
        if caller.session or caller.address:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(failed_tries).values(
                        source=self._hash(caller.address), session=self._hash(caller.session), at=now
                    )
                )
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
            for table in (answers, reveals, paces, students):
                conn.execute(delete(table).where(table.c.class_code.in_(expired)))
            gone = conn.execute(delete(classes).where(classes.c.expires_at <= now)).rowcount
            conn.execute(delete(failed_tries).where(failed_tries.c.at <= now - TRY_WINDOW))
        return int(gone or 0)

    def create_class(self) -> NewClass:
        """Start a class: a new code and teacher key (the key is handed out once, only its hash is kept)."""
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
                            code=code, teacher_key_hash=key_hash(key), created_at=now, expires_at=expires, move_seq=0
                        )
                    )
                return NewClass(code, key, expires)
            except IntegrityError:  # the code is taken: draw another
                continue
        raise RuntimeError("Could not find a free class code.")

    def _live_class(self, conn, code: str, now: float, *, lock: bool = False):  # type: ignore[no-untyped-def]
        stmt = select(classes).where(classes.c.code == code)
        row = conn.execute(stmt.with_for_update() if lock else stmt).first()
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
            pace = conn.execute(select(paces.c.page, paces.c.slug).where(paces.c.class_code == code)).all()
            return ClassState(
                code, row.expires_at, frozenset(revealed), row.move_to, row.move_seq, dict(pace), bool(row.paused)
            )

    # ----------------------------------------------------------------- seats
    def take_seat(self, code: str, *, seat: object = "", caller: Caller = Caller()) -> Seat:
        """A seat in class ``code`` for ``caller``: the only way into a class (see the module docstring).

        Raises :class:`TooManyTries` (a session that keeps guessing),
        :class:`ClassNotFound` (counted as a wrong try) or :class:`ClassFull`.
        """
        self.purge_expired(force=False)
        now = self.clock()
        code = normalise_code(code)
        token, reused = None, False
        with self.engine.begin() as conn:
            self._check_guesses(conn, caller, now)
            row = self._live_class(conn, code, now, lock=True)  # one join at a time per class
            if row is not None:
                token, reused = self._seat_for(conn, code, seat, caller, now)
        if row is None:
            raise self._fail(caller, now, ClassNotFound())
        if token is None:
            raise ClassFull()
        return Seat(token, self.class_state(code), reused)

    def _seat_for(self, conn, code: str, seat: object, caller: Caller, now: float) -> tuple[str | None, bool]:  # type: ignore[no-untyped-def]
        """(token, reused): an issued seat, the browser's seat, or a new one; (None, False) past the cap."""
        in_class = students.c.class_code == code
        if valid_token(seat):
            if conn.execute(select(students.c.token).where(in_class, students.c.token == seat)).first():
                return str(seat), True
        browser = self._hash(caller.browser)
        if browser:
            mine = conn.execute(select(students.c.token).where(in_class, students.c.browser == browser)).first()
            if mine is not None:
                return mine.token, True
        address = self._hash(caller.address)
        if address:
            taken = conn.execute(
                select(func.count()).select_from(students).where(in_class, students.c.address == address)
            ).scalar_one()
            if taken >= self.seats_per_address:
                conn.execute(
                    update(classes).where(classes.c.code == code).values(seats_refused=classes.c.seats_refused + 1)
                )
                return None, False
        token = secrets.token_urlsafe(16)
        conn.execute(
            insert(students).values(
                class_code=code, token=token, nickname="", joined_at=now, browser=browser, address=address
            )
        )
        return token, False

    def set_nickname(self, code: str, token: str, nickname: str) -> None:
        """Give seat ``token`` a nickname (see :func:`classroom.questions.clean_nickname`)."""
        try:
            name = clean_nickname(nickname)
        except BadAnswer as error:
            raise ClassError(str(error)) from None
        code = normalise_code(code)
        with self.engine.begin() as conn:
            if self._live_class(conn, code, self.clock()) is None:
                raise ClassNotFound()
            done = conn.execute(
                update(students)
                .where(students.c.class_code == code, students.c.token == token)
                .values(nickname=name)
                .returning(students.c.token)
            ).first()
        if done is None:
            raise NotJoined()

    # ------------------------------------------------------------ for checks
    def count_answers(self, code: str | None = None) -> int:
        """How many answers are stored (in one class, or in all): for the load and restart checks."""
        with self.engine.connect() as conn:
            stmt = select(func.count()).select_from(answers)
            if code is not None:
                stmt = stmt.where(answers.c.class_code == normalise_code(code))
            return int(conn.execute(stmt).scalar_one())
