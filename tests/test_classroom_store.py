"""The live class's store, on SQLite and on a real PostgreSQL started for the tests.

Every test runs on both databases. PostgreSQL comes from Debian's package
(``initdb`` and ``pg_ctl`` on a temporary directory and port, see
benchmarks/postgres_server.py); without it the PostgreSQL half skips, and
fails under CI=true.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from sqlalchemy import func, inspect, select

from classroom import store as store_module
from classroom.questions import QUESTIONS, SECTIONS, BadAnswer, clean_nickname
from classroom.store import (
    Caller,
    ClassError,
    ClassFull,
    ClassNotFound,
    ClassStore,
    NotJoined,
    NotRevealed,
    TooManyTries,
    WrongKey,
    format_code,
    normalise_code,
)

VOTE = "ii.homework.vote"
QUEEN = "fm.exercise.queen"


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'classes.sqlite3'}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    # Each test starts from an empty database.
    from sqlalchemy import create_engine

    engine = create_engine(url)
    store_module.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_url: str, clock: Clock) -> Iterator[ClassStore]:
    s = ClassStore(db_url, class_hours=24, clock=clock)
    yield s
    s.close()


class Joined(NamedTuple):
    code: str
    teacher_key: str
    tokens: list[str]


def seat(store: ClassStore, code: str, i: int) -> str:
    """The seat the store issues to student ``i`` (a browser of their own)."""
    return store.take_seat(code, caller=Caller(session=f"browser:{i}", browser=f"browser-{i:02d}")).token


def joined_class(store: ClassStore, n: int = 3) -> Joined:
    new = store.create_class()
    return Joined(new.code, new.teacher_key, [seat(store, new.code, i) for i in range(n)])


# --------------------------------------------------------------------------
# Schema, codes, settings
# --------------------------------------------------------------------------
def test_schema_is_created_once_with_a_version(store: ClassStore, db_url: str, clock: Clock) -> None:
    assert store.schema_version() == store_module.SCHEMA_VERSION
    tables = set(inspect(store.engine).get_table_names())
    assert {"schema_version", "classes", "students", "answers", "reveals", "failed_tries"} <= tables
    new = joined_class(store)
    store.record(new.code, new.tokens[0], VOTE, "good")
    again = ClassStore(db_url, clock=clock)  # a restart: nothing recreated, nothing lost
    assert again.schema_version() == store_module.SCHEMA_VERSION
    assert again.student_answers(new.code, new.tokens[0]) == {VOTE: "good"}
    with again.engine.connect() as conn:
        assert len(conn.execute(select(store_module.schema_version)).all()) == 1
    again.close()


def test_a_newer_schema_is_refused(store: ClassStore, db_url: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(store_module.schema_version.insert().values(version=99, installed_at=0.0))
    with pytest.raises(RuntimeError, match="schema version 99"):
        ClassStore(db_url)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path) -> None:
    s = ClassStore(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    s.close()


def test_environment_picks_the_database(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("WHY_EMBEDDINGS_DATABASE_URL", raising=False)
    monkeypatch.setenv("WHY_EMBEDDINGS_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("WHY_EMBEDDINGS_CLASS_HOURS", "2")
    s = ClassStore.from_env()
    assert s.dialect == "sqlite" and (tmp_path / "d" / "classes.sqlite3").exists()
    assert s.class_hours == 2
    s.close()
    monkeypatch.setenv("WHY_EMBEDDINGS_DATABASE_URL", "postgresql://u@h:1/db")
    assert store_module.database_url_from_env() == "postgresql+psycopg://u@h:1/db"
    monkeypatch.setenv("WHY_EMBEDDINGS_CLASS_HOURS", "-3")
    assert store_module.class_hours_from_env() == 24


def test_an_older_database_opens_and_migrates(db_url: str, clock: Clock) -> None:
    """A version 1 database (before issue 21) opens: its class, seats and answers are kept, and work.

    It is migrated step by step to the current version (1 -> 2 -> 3); the
    migration from 2 alone is tests/test_classroom_room.py's.
    """
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    _v1_metadata().create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO schema_version VALUES (1, 0)")
        conn.exec_driver_sql("INSERT INTO failed_tries (source, at) VALUES ('ip:10.0.0.1', 0)")
        conn.exec_driver_sql(
            f"INSERT INTO classes VALUES ('OLDCLASS', '{store_module.key_hash('old-key')}', {clock.now}, "
            f"{clock.now + 3600}, NULL, 0)"
        )
        conn.exec_driver_sql(f"INSERT INTO students VALUES ('OLDCLASS', 'old-seat-000001', 'Ada', {clock.now})")
        conn.exec_driver_sql(
            f"INSERT INTO answers VALUES ('OLDCLASS', '{VOTE}', 'old-seat-000001', 'bad', NULL, {clock.now}, 1)"
        )
    engine.dispose()
    s = ClassStore(db_url, clock=clock)
    assert s.schema_version() == store_module.SCHEMA_VERSION == 3
    assert s.student_answers("OLDCLASS", "old-seat-000001") == {VOTE: "bad"}
    assert s.answer_rows("OLDCLASS", "old-key")[0]["first_answer"] == "bad"  # its only answer is its first
    assert s.take_seat("OLDCLASS", seat="old-seat-000001").reused  # the old seat reconnects
    s.take_seat("OLDCLASS", caller=Caller("session:new", SCHOOL, "new-browser-00001"))
    summary = s.summary("OLDCLASS", "old-key")
    assert summary.joined == 2 and summary.nicknames == ["Ada"] and summary.seats_refused == 0
    with pytest.raises(ClassNotFound):
        s.take_seat("NOTACODE", caller=Caller("session:new", SCHOOL))
    s.close()
    again = ClassStore(db_url, clock=clock)  # opening it again migrates nothing twice
    assert again.schema_version() == 3
    again.close()


def _v1_metadata():  # type: ignore[no-untyped-def]
    """The tables as version 1 declared them (before issue 21)."""
    from sqlalchemy import BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table

    old = MetaData()
    Table("schema_version", old, Column("version", Integer, primary_key=True, autoincrement=False),
          Column("installed_at", Float, nullable=False))
    Table("classes", old, Column("code", String(16), primary_key=True),
          Column("teacher_key_hash", String(64), nullable=False), Column("created_at", Float, nullable=False),
          Column("expires_at", Float, nullable=False, index=True), Column("move_to", String(200), nullable=True),
          Column("move_seq", Integer, nullable=False, default=0))
    Table("students", old, Column("class_code", String(16), ForeignKey("classes.code"), primary_key=True),
          Column("token", String(64), primary_key=True), Column("nickname", String(40), nullable=False, default=""),
          Column("joined_at", Float, nullable=False))
    Table("answers", old, Column("class_code", String(16), ForeignKey("classes.code"), primary_key=True),
          Column("question", String(64), primary_key=True), Column("token", String(64), primary_key=True),
          Column("answer", String(500), nullable=False), Column("correct", Boolean, nullable=True),
          Column("answered_at", Float, nullable=False), Column("seq", BigInteger, nullable=False))
    Table("reveals", old, Column("class_code", String(16), ForeignKey("classes.code"), primary_key=True),
          Column("question", String(64), primary_key=True), Column("revealed_at", Float, nullable=False))
    Table("failed_tries", old, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("source", String(128), nullable=False), Column("at", Float, nullable=False),
          Index("ix_failed_tries_source_at", "source", "at"))
    return old


def test_the_sqlite_database_is_readable_by_the_servers_account_only(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21, finding 9: the file held seat tokens and was created 0644, the folder 0755."""
    monkeypatch.delenv("WHY_EMBEDDINGS_DATABASE_URL", raising=False)
    monkeypatch.setenv("WHY_EMBEDDINGS_DATA_DIR", str(tmp_path / "data"))
    old_umask = os.umask(0o022)  # the usual umask: files 0644, folders 0755
    try:
        s = ClassStore.from_env()
        s.create_class()
        with s.engine.connect() as conn:  # a reader holds the WAL open, so -wal and -shm exist
            conn.exec_driver_sql("SELECT 1").scalar()
            folder = tmp_path / "data"
            modes = {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir()}
            assert {"classes.sqlite3", "classes.sqlite3-wal", "classes.sqlite3-shm"} <= set(modes), modes
            assert set(modes.values()) == {0o600}, modes
            assert folder.stat().st_mode & 0o777 == 0o700
        s.close()
        # A database an older version left readable is tightened when it opens.
        for path in folder.iterdir():
            path.chmod(0o644)
        folder.chmod(0o755)
        ClassStore.from_env().close()
        assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o600}
        assert folder.stat().st_mode & 0o777 == 0o700
    finally:
        os.umask(old_umask)


def test_seat_cookies_are_signed_with_a_key_every_replica_shares(store: ClassStore, db_url: str) -> None:
    signed = store.sign("browser-id-0000000001")
    replica = ClassStore(db_url)
    assert replica.unsign(signed) == "browser-id-0000000001"
    value, signature = signed.split(".")
    forged = f"browser-id-0000000002.{signature}"
    assert replica.unsign(forged) is None
    for bad in ("", "no-dot", f"{value}.{'0' * 32}", f"{value}.{signature}x", None, 7, "<script>.x"):
        assert replica.unsign(bad) is None
    replica.close()


def test_class_codes_are_random_and_readable(store: ClassStore) -> None:
    codes = {store.create_class().code for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert len(code) == 8 and set(code) <= set(store_module.CODE_ALPHABET)
    code = next(iter(codes))
    assert normalise_code(format_code(code).lower()) == code
    assert normalise_code(f" {code[:4]} - {code[4:]} ") == code


# --------------------------------------------------------------------------
# Answers flow in
# --------------------------------------------------------------------------
def test_answers_are_recorded_and_summarised(store: ClassStore) -> None:
    new = joined_class(store, 4)
    store.record(new.code, new.tokens[0], VOTE, "good")
    store.record(new.code, new.tokens[1], VOTE, "it depends")
    store.record(new.code, new.tokens[2], VOTE, "it depends")
    store.record(new.code, new.tokens[0], QUEEN, "monarch", checked=True)
    store.record(new.code, new.tokens[1], QUEEN, "prince", checked=False)
    summary = store.summary(new.code, new.teacher_key)
    assert summary.joined == 4
    vote = summary.questions[VOTE]
    assert vote.counts == {"good": 1, "bad": 0, "it depends": 2}
    assert vote.answered == 3 and vote.correct is None and vote.share_correct is None
    queen = summary.questions[QUEEN]
    assert queen.counts == {"monarch": 1, "prince": 1}
    assert queen.answered == 2 and queen.correct == 1 and queen.share_correct == 0.5
    assert summary.questions["fm.exercise.aunt"].answered == 0
    assert set(summary.questions) == set(QUESTIONS)


def test_the_latest_answer_counts(store: ClassStore, clock: Clock) -> None:
    new = joined_class(store, 1)
    assert store.record(new.code, new.tokens[0], VOTE, "good")
    clock.now += 1
    assert store.record(new.code, new.tokens[0], VOTE, "bad")
    summary = store.summary(new.code, new.teacher_key).questions[VOTE]
    assert summary.counts == {"good": 0, "bad": 1, "it depends": 0} and summary.answered == 1
    assert store.student_answers(new.code, new.tokens[0]) == {VOTE: "bad"}


def test_replayed_and_late_answers_change_nothing(store: ClassStore) -> None:
    new = joined_class(store, 1)
    assert store.record(new.code, new.tokens[0], VOTE, "good", seq=10)
    assert not store.record(new.code, new.tokens[0], VOTE, "good", seq=10)  # the same message again
    assert store.record(new.code, new.tokens[0], VOTE, "bad", seq=20)
    assert not store.record(new.code, new.tokens[0], VOTE, "good", seq=15)  # an older answer arriving late
    assert store.student_answers(new.code, new.tokens[0]) == {VOTE: "bad"}
    assert store.count_answers(new.code) == 1


def test_checked_answers_record_the_pages_verdict(store: ClassStore) -> None:
    new = joined_class(store, 2)
    store.record(new.code, new.tokens[0], QUEEN, "  monarch  ", checked=True)
    with pytest.raises(BadAnswer):
        store.record(new.code, new.tokens[1], QUEEN, "monarch")  # no verdict from the page
    rows = store.answer_rows(new.code, new.teacher_key)
    assert [(r["answer"], r["correct"]) for r in rows] == [("monarch", True)]


# --------------------------------------------------------------------------
# Bad input: each gets a clear message and changes nothing
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (VOTE, "excellent"),
        (VOTE, "GOOD"),
        (VOTE, ""),
        (VOTE, 3),
        (VOTE, None),
        (QUEEN, "x" * 31),
        (QUEEN, "   "),
        (QUEEN, "bad\x00word"),
        ("no.such.question", "good"),
        ("", "good"),
    ],
)
def test_out_of_range_answers_are_refused(store: ClassStore, question: str, answer: object) -> None:
    new = joined_class(store, 1)
    with pytest.raises(BadAnswer) as error:
        store.record(new.code, new.tokens[0], question, answer, checked=True)
    assert str(error.value)
    assert store.count_answers() == 0


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "", "' OR 1=1 --", "<script>alert(1)</script>", "A" * 500, "ÄÖÜ"])
def test_forged_codes_are_refused(store: ClassStore, code: str) -> None:
    real = joined_class(store, 1)
    with pytest.raises(ClassNotFound) as error:
        store.take_seat(code, caller=Caller("session:guesser", "10.0.0.1"))
    assert "code" in str(error.value)
    with pytest.raises(ClassNotFound):
        store.record(code, real.tokens[0], VOTE, "good")
    assert store.count_answers() == 0
    assert _failed_tries(store) == 1  # one wrong try, kept for the guessing limits


def test_a_code_from_another_class_does_not_carry_answers_over(store: ClassStore) -> None:
    first = joined_class(store, 1)
    second = store.create_class()
    store.record(first.code, first.tokens[0], VOTE, "good")
    with pytest.raises(NotJoined):
        store.record(second.code, first.tokens[0], VOTE, "bad")  # a student of another class
    with pytest.raises(WrongKey):
        store.summary(second.code, first.teacher_key)  # another class's teacher key
    assert store.summary(second.code, second.teacher_key).questions[VOTE].answered == 0
    assert store.student_answers(first.code, first.tokens[0]) == {VOTE: "good"}


# --------------------------------------------------------------------------
# Guessing limits that cannot lock out a class (issue 21, finding 1)
# --------------------------------------------------------------------------
SCHOOL = "203.0.113.7"  # one public address for the whole school


def _guess(store: ClassStore, caller: Caller, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        with pytest.raises(ClassNotFound):
            store.take_seat(f"GUESS{i:03d}", caller=caller)


def _failed_tries(store: ClassStore) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(store_module.failed_tries)).scalar_one()


def test_a_school_behind_one_address_gets_in_while_one_student_guesses(store: ClassStore, clock: Clock) -> None:
    real = store.create_class()
    guesser = Caller("browser:guesser", SCHOOL, "guesser-browser-01")
    _guess(store, guesser, store_module.SESSION_TRIES)
    with pytest.raises(TooManyTries):
        store.take_seat(f"GUESS{999}", caller=guesser)
    with pytest.raises(TooManyTries):  # the guessing session waits, even with the right code
        store.take_seat(real.code, caller=guesser)
    tokens = {store.take_seat(real.code, caller=Caller(f"browser:{i}", SCHOOL, f"student-browser-{i:02d}")).token
              for i in range(30)}
    assert len(tokens) == 30  # 30 students behind the same address: every one is in
    assert store.summary(real.code, real.teacher_key, caller=guesser).joined == 30  # the teacher, even from there
    clock.now += store_module.TRY_WINDOW + 1
    assert store.take_seat(real.code, caller=guesser).token not in tokens


def test_an_address_counts_only_at_a_much_higher_count_and_never_alone(store: ClassStore) -> None:
    real = store.create_class()
    per_session = store_module.NOISY_ADDRESS_SESSION_TRIES
    sessions = -(-store_module.ADDRESS_TRIES // per_session)  # a script: many sessions, a few guesses each
    for i in range(sessions):
        _guess(store, Caller(f"session:script-{i}", SCHOOL), per_session, start=i * per_session)
    assert _failed_tries(store) >= store_module.ADDRESS_TRIES
    # A session that has not guessed wrong is always looked up: the right code gets in.
    store.take_seat(real.code, caller=Caller("session:fresh", SCHOOL))
    # A session that guessed wrong a few times, from the noisy address, now waits ...
    with pytest.raises(TooManyTries):
        store.take_seat(real.code, caller=Caller("session:script-0", SCHOOL))
    # ... and from any other address it has its full allowance.
    other = Caller("session:elsewhere", "198.51.100.1")
    _guess(store, other, per_session, start=900)
    store.take_seat(real.code, caller=other)


def test_the_teachers_right_key_is_never_counted_or_refused(store: ClassStore) -> None:
    new = joined_class(store, 1)
    teacher = Caller("browser:teacher", SCHOOL, "teacher-browser-001")
    _guess(store, teacher, store_module.SESSION_TRIES)  # even the teacher's own browser guessed codes
    before = _failed_tries(store)
    for _ in range(3):
        store.check_teacher(new.code, new.teacher_key, caller=teacher)
        store.summary(new.code, new.teacher_key, caller=teacher)
        store.reveal(new.code, new.teacher_key, VOTE, caller=teacher)
        store.move_class(new.code, new.teacher_key, SECTIONS[0].id, caller=teacher)
        store.answers_csv(new.code, new.teacher_key, caller=teacher)
    assert _failed_tries(store) == before
    with pytest.raises(TooManyTries):  # a wrong key from a session that keeps guessing
        store.check_teacher(new.code, "wrong", caller=teacher)
    with pytest.raises(WrongKey):  # counted for its own session only
        store.check_teacher(new.code, "wrong", caller=Caller("browser:other", SCHOOL))
    assert _failed_tries(store) == before + 1


# --------------------------------------------------------------------------
# A seat is one person, and the teacher sees it (issue 21, finding 5)
# --------------------------------------------------------------------------
@pytest.mark.parametrize("forged", ["forged-seat-0001", "x" * 64, "", "short", "<b>x</b>", None, 3])
def test_seats_are_issued_by_the_server_only(store: ClassStore, forged: object) -> None:
    new = store.create_class()
    issued = store.take_seat(new.code, seat=forged, caller=Caller("session:a"))
    assert issued.token != forged and not issued.reused and len(issued.token) >= 16
    with pytest.raises(NotJoined):
        store.record(new.code, str(forged), VOTE, "good")  # a seat never issued cannot answer
    again = store.take_seat(new.code, seat=issued.token, caller=Caller("session:reconnect"))
    assert again.token == issued.token and again.reused  # an issued seat: a reconnect keeps it
    other = store.create_class()
    assert store.take_seat(other.code, seat=issued.token).token != issued.token  # issued in another class
    assert store.summary(new.code, new.teacher_key).joined == 1


def test_one_seat_per_browser(store: ClassStore) -> None:
    new = store.create_class()
    tab = Caller("browser:b1", SCHOOL, "browser-one-00001")
    first = store.take_seat(new.code, caller=tab)
    assert store.take_seat(new.code, caller=tab).token == first.token  # another tab of the same browser
    assert store.take_seat(new.code, caller=Caller("browser:b2", SCHOOL, "browser-two-00001")).token != first.token
    assert store.summary(new.code, new.teacher_key).joined == 2
    with store.engine.connect() as conn:  # the cookie's id and the address are kept only as keyed hashes
        row = conn.execute(select(store_module.students).where(store_module.students.c.token == first.token)).one()
    assert "browser-one" not in row.browser and SCHOOL not in row.address and len(row.address) == 32


def test_seats_per_address_are_capped_and_the_teacher_sees_it(db_url: str, clock: Clock) -> None:
    s = ClassStore(db_url, clock=clock, seats_per_address=5)
    new = s.create_class()
    taken = [s.take_seat(new.code, caller=Caller(f"session:{i}", SCHOOL)).token for i in range(5)]
    for i in range(3):  # a script taking seats in a loop
        with pytest.raises(ClassFull):
            s.take_seat(new.code, seat=f"made-up-seat-{i:04d}", caller=Caller(f"session:x{i}", SCHOOL))
    assert s.take_seat(new.code, seat=taken[0], caller=Caller("session:back", SCHOOL)).token == taken[0]  # reconnects
    s.take_seat(new.code, caller=Caller("session:home", "198.51.100.1"))  # another address
    summary = s.summary(new.code, new.teacher_key)
    assert summary.joined == 6 and summary.seats_refused == 3
    assert _failed_tries(s) == 0  # a full class is not a wrong guess
    s.close()


def test_the_teacher_sees_joins_per_minute(store: ClassStore, clock: Clock) -> None:
    new = store.create_class()
    for minute, joins in ((0, 2), (3, 12), (4, 1)):
        clock.now = 1_800_000_000.0 + minute * 60
        for i in range(joins):
            seat(store, new.code, minute * 100 + i)
    per_minute = store.summary(new.code, new.teacher_key).joins_per_minute
    assert len(per_minute) == store_module.JOIN_MINUTES
    assert per_minute[-5:] == (2, 0, 0, 12, 1) and sum(per_minute) == 15


def test_a_wrong_teacher_key_opens_nothing(store: ClassStore) -> None:
    new = joined_class(store, 1)
    for key in ("", "wrong", new.teacher_key[:-1], new.teacher_key + "x", None):
        with pytest.raises(WrongKey):
            store.check_teacher(new.code, key)  # type: ignore[arg-type]
        with pytest.raises(WrongKey):
            store.reveal(new.code, key, VOTE)  # type: ignore[arg-type]
        with pytest.raises(WrongKey):
            store.move_class(new.code, key, SECTIONS[0].id)  # type: ignore[arg-type]
        with pytest.raises(WrongKey):
            store.answers_csv(new.code, key)  # type: ignore[arg-type]
    state = store.class_state(new.code)
    assert state.revealed == frozenset() and state.move_to is None
    store.check_teacher(new.code, new.teacher_key)
    with store.engine.connect() as conn:  # only a hash of the key is stored
        stored = conn.execute(select(store_module.classes.c.teacher_key_hash)).scalar_one()
    assert new.teacher_key not in stored


@pytest.mark.parametrize(
    "nickname",
    ["x" * 25, "<b>bold</b>", "<img src=x onerror=alert(1)>", "=HYPERLINK(\"x\")", "-2+3", "a\u202eb", "nul\x00byte"],
)
def test_bad_nicknames_are_refused_and_change_nothing(store: ClassStore, nickname: str) -> None:
    new = joined_class(store, 2)
    store.set_nickname(new.code, new.tokens[0], "Ada")
    for token in new.tokens:
        with pytest.raises(ClassError) as error:
            store.set_nickname(new.code, token, nickname)
        assert "nickname" in str(error.value).lower()
    summary = store.summary(new.code, new.teacher_key)
    assert summary.joined == 2 and summary.nicknames == ["Ada"]


def test_nicknames_are_optional_and_bounded(store: ClassStore) -> None:
    assert clean_nickname("") == ""
    assert clean_nickname("  Ada   Lovelace ") == "Ada Lovelace"
    assert clean_nickname("Zoë O'Neil-2") == "Zoë O'Neil-2"
    assert clean_nickname("x" * 24) == "x" * 24
    new = joined_class(store, 1)
    with pytest.raises(NotJoined):
        store.set_nickname(new.code, "never-issued-seat", "Ada")
    assert store.summary(new.code, new.teacher_key).nicknames == []


# --------------------------------------------------------------------------
# Expiry
# --------------------------------------------------------------------------
def test_classes_expire_and_are_deleted(store: ClassStore, clock: Clock) -> None:
    old = joined_class(store, 2)
    store.record(old.code, old.tokens[0], VOTE, "good")
    store.reveal(old.code, old.teacher_key, VOTE)
    clock.now += 23 * 3600
    fresh = joined_class(store, 1)
    store.record(fresh.code, fresh.tokens[0], VOTE, "bad")
    clock.now += 1 * 3600 + 1  # the first class is now 24 h old
    with pytest.raises(ClassNotFound):
        store.take_seat(old.code)
    with pytest.raises(ClassNotFound):
        store.record(old.code, old.tokens[0], VOTE, "bad")
    with pytest.raises(ClassNotFound):
        store.summary(old.code, old.teacher_key)
    store.purge_expired()  # joins purge too (at most once a minute): either way the class is gone
    with store.engine.connect() as conn:
        for table in (store_module.classes, store_module.students, store_module.answers, store_module.reveals):
            codes = set(conn.execute(select(table.c[table.c.keys()[0]])).scalars())
            assert old.code not in codes, table.name
    assert store.summary(fresh.code, fresh.teacher_key).questions[VOTE].counts["bad"] == 1


def test_class_lifetime_is_configurable(db_url: str, clock: Clock) -> None:
    s = ClassStore(db_url, class_hours=0.5, clock=clock)
    new = s.create_class()
    assert new.expires_at == pytest.approx(clock.now + 1800)
    clock.now += 1801
    with pytest.raises(ClassNotFound):
        s.class_state(new.code)
    s.close()


# --------------------------------------------------------------------------
# Reveal, move, export
# --------------------------------------------------------------------------
def test_students_see_the_distribution_only_after_the_reveal(store: ClassStore) -> None:
    new = joined_class(store, 2)
    store.record(new.code, new.tokens[0], VOTE, "good")
    store.record(new.code, new.tokens[1], VOTE, "bad")
    with pytest.raises(NotRevealed):
        store.revealed_summary(new.code, VOTE)
    store.reveal(new.code, new.teacher_key, VOTE)
    assert store.class_state(new.code).revealed == {VOTE}
    shown = store.revealed_summary(new.code, VOTE)
    assert shown.counts == {"good": 1, "bad": 1, "it depends": 0}
    store.reveal(new.code, new.teacher_key, VOTE, revealed=False)
    with pytest.raises(NotRevealed):
        store.revealed_summary(new.code, VOTE)


def test_move_the_class(store: ClassStore) -> None:
    new = store.create_class()
    assert store.class_state(new.code).move_seq == 0
    store.move_class(new.code, new.teacher_key, SECTIONS[3].id)
    store.move_class(new.code, new.teacher_key, SECTIONS[3].id)
    state = store.class_state(new.code)
    assert state.move_to == SECTIONS[3].id and state.move_seq == 2
    with pytest.raises(ClassError):
        store.move_class(new.code, new.teacher_key, "nowhere#at all")
    assert store.class_state(new.code).move_seq == 2


def test_csv_export_has_every_answer_and_no_tokens(store: ClassStore) -> None:
    new = store.create_class()
    tokens = [seat(store, new.code, i) for i in range(2)]
    store.set_nickname(new.code, tokens[0], "Ada")
    store.record(new.code, tokens[0], VOTE, "good")
    store.record(new.code, tokens[1], "fm.exercise.aunt", "=uncle - man + woman", checked=True)
    text = store.answers_csv(new.code, new.teacher_key)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["question"] for r in rows) == sorted([VOTE, "fm.exercise.aunt"])
    by_question = {r["question"]: r for r in rows}
    assert by_question[VOTE]["nickname"] == "Ada" and by_question[VOTE]["correct"] == ""
    assert by_question["fm.exercise.aunt"]["answer"] == "'=uncle - man + woman"  # never a formula
    assert by_question["fm.exercise.aunt"]["correct"] == "yes"
    assert tokens[0] not in text and tokens[1] not in text
    assert len({r["student"] for r in rows}) == 2


# --------------------------------------------------------------------------
# Nothing lost under concurrency
# --------------------------------------------------------------------------
def test_concurrent_students_lose_nothing(db_url: str, clock: Clock) -> None:
    s = ClassStore(db_url, clock=clock)
    new = s.create_class()
    errors: list[BaseException] = []
    choices = QUESTIONS[VOTE].choices

    def student(i: int) -> None:
        try:
            other = ClassStore(db_url, clock=clock) if i % 2 else s  # two "replicas"
            token = seat(other, new.code, i)
            for n in range(5):
                other.record(new.code, token, VOTE, choices[(i + n) % 3], seq=n + 1)
            other.record(new.code, token, QUEEN, f"word{i}", checked=i % 3 == 0, seq=1)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    summary = s.summary(new.code, new.teacher_key)
    assert summary.joined == 20
    assert s.count_answers(new.code) == 40
    expected = [choices[(i + 4) % 3] for i in range(20)]  # each student's last vote
    assert summary.questions[VOTE].counts == {c: expected.count(c) for c in choices}
    assert summary.questions[QUEEN].correct == sum(1 for i in range(20) if i % 3 == 0)
    s.close()
