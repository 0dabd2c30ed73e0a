"""The live class's tables (SQLAlchemy Core), their version, and the migrations between versions.

:data:`SCHEMA_VERSION` is stored in ``schema_version`` (one row per version
installed); :func:`install` creates what is missing and migrates an older
database one step at a time, so a database file from an older app still opens.

Version history:

1. classes, students, answers, reveals, failed_tries.
2. (issue 21) ``students.browser`` and ``students.address``: keyed hashes of the
   browser's seat cookie and of the address a seat was taken from (seats per
   browser and per address are limited); ``classes.seats_refused``: seats the
   per-address cap turned away, shown to the teacher; ``failed_tries.session``:
   the guessing session (wrong tries are limited per session, and per address
   only at a much higher count); ``app_secrets``: the key that signs seat cookies
   and hashes addresses, shared by every replica on the same database.
3. (issue 25) ``classes.paused``: the teacher paused every student's page;
   ``paces``: per class and lesson page, the last section open to students
   (no row: the whole lesson is open); ``answers.first_answer`` and
   ``answers.first_correct``: a student's first answer to the question, never
   replaced (``answer`` and ``correct`` stay the latest); ``answers.reason``:
   the student's one-line reason with their latest answer;
   ``answers.reason_shown_at`` (when the teacher put it on the projector, NULL
   if not) and ``answers.reason_hidden`` (the teacher hid it).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    false,
    func,
    insert,
    select,
)

SCHEMA_VERSION = 3
MAX_TOKEN = 64
MAX_REASON = 200  # characters of a student's one-line reason
HASH_LENGTH = 32  # hex characters of a keyed hash kept instead of a cookie value or an address

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
    Column("seats_refused", Integer, nullable=False, default=0, server_default="0"),
    Column("paused", Boolean, nullable=False, default=False, server_default=false()),
)

# How far each lesson is open to the class's students: the slug of the last open section
# (app_state.lessons); a lesson without a row is open to its end.
paces = Table(
    "paces",
    metadata,
    Column("class_code", String(16), ForeignKey("classes.code"), primary_key=True),
    Column("page", String(64), primary_key=True),
    Column("slug", String(64), nullable=False),
)

students = Table(
    "students",
    metadata,
    Column("class_code", String(16), ForeignKey("classes.code"), primary_key=True),
    Column("token", String(MAX_TOKEN), primary_key=True),
    Column("nickname", String(40), nullable=False, default=""),
    Column("joined_at", Float, nullable=False),
    Column("browser", String(HASH_LENGTH), nullable=False, default="", server_default=""),
    Column("address", String(HASH_LENGTH), nullable=False, default="", server_default=""),
)
STUDENT_INDEXES = (
    Index("ix_students_class_browser", students.c.class_code, students.c.browser),
    Index("ix_students_class_address", students.c.class_code, students.c.address),
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
    # The first answer the store received from this student, never replaced (what a checkpoint counts).
    Column("first_answer", String(500), nullable=False, default="", server_default=""),
    Column("first_correct", Boolean, nullable=True),
    # The student's one-line reason, given with their latest answer ("" none), and the teacher's choices.
    Column("reason", String(MAX_REASON), nullable=False, default="", server_default=""),
    Column("reason_shown_at", Float, nullable=True),
    Column("reason_hidden", Boolean, nullable=False, default=False, server_default=false()),
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
    Column("source", String(128), nullable=False),  # the address's keyed hash
    Column("at", Float, nullable=False),
    Column("session", String(128), nullable=False, default="", server_default=""),  # the session's keyed hash
    Index("ix_failed_tries_source_at", "source", "at"),
)
FAILED_TRY_INDEXES = (Index("ix_failed_tries_session_at", failed_tries.c.session, failed_tries.c.at),)

app_secrets = Table(
    "app_secrets",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", String(128), nullable=False),
)


def stored_version(conn: Connection) -> int | None:
    return conn.execute(select(func.max(schema_version.c.version))).scalar()


def install(conn: Connection, now: float) -> None:
    """Create the tables on first start, or migrate an older schema to :data:`SCHEMA_VERSION`.

    Runs inside the caller's transaction (PostgreSQL: under an advisory lock, so
    two replicas starting together do it once).
    """
    existed = schema_version.name in _table_names(conn)
    before = stored_version(conn) if existed else None
    if before is not None and before > SCHEMA_VERSION:
        raise RuntimeError(
            f"The class database has schema version {before}; this app knows up to {SCHEMA_VERSION}. Update the app."
        )
    metadata.create_all(conn, checkfirst=True)  # new tables (and every table of a fresh database)
    if before is None:
        conn.execute(insert(schema_version).values(version=SCHEMA_VERSION, installed_at=now))
        return
    if before < 2:
        _migrate_1_to_2(conn)
        conn.execute(insert(schema_version).values(version=2, installed_at=now))
    if before < 3:
        _migrate_2_to_3(conn)
        conn.execute(insert(schema_version).values(version=3, installed_at=now))


def _table_names(conn: Connection) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def _migrate_1_to_2(conn: Connection) -> None:
    """Add version 2's columns and indexes to version 1's tables (both dialects take this SQL)."""
    added = (
        ("students", "browser", f"VARCHAR({HASH_LENGTH}) NOT NULL DEFAULT ''"),
        ("students", "address", f"VARCHAR({HASH_LENGTH}) NOT NULL DEFAULT ''"),
        ("classes", "seats_refused", "INTEGER NOT NULL DEFAULT 0"),
        ("failed_tries", "session", "VARCHAR(128) NOT NULL DEFAULT ''"),
    )
    for table, column, kind in added:
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    for index in (*STUDENT_INDEXES, *FAILED_TRY_INDEXES):
        index.create(conn, checkfirst=True)


def _migrate_2_to_3(conn: Connection) -> None:
    """Add version 3's columns (``paces`` is a new table: ``create_all`` made it).

    An answer stored before version 3 becomes its student's first answer too:
    it is the only one the database has.
    """
    added = (
        ("classes", "paused", "BOOLEAN NOT NULL DEFAULT FALSE"),
        ("answers", "first_answer", "VARCHAR(500) NOT NULL DEFAULT ''"),
        ("answers", "first_correct", "BOOLEAN"),
        ("answers", "reason", f"VARCHAR({MAX_REASON}) NOT NULL DEFAULT ''"),
        ("answers", "reason_shown_at", "FLOAT"),
        ("answers", "reason_hidden", "BOOLEAN NOT NULL DEFAULT FALSE"),
    )
    for table, column, kind in added:
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    conn.exec_driver_sql("UPDATE answers SET first_answer = answer, first_correct = correct")
