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

import pytest
from sqlalchemy import inspect, select

from benchmarks.postgres_server import TemporaryPostgres, find_bin_dir
from classroom import store as store_module
from classroom.questions import QUESTIONS, SECTIONS, BadAnswer, clean_nickname
from classroom.store import (
    ClassError,
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
TOKENS = [f"student-token-{i:02d}" for i in range(40)]


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if find_bin_dir() is None:
        reason = "PostgreSQL not installed (apt-get install -y postgresql)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    with TemporaryPostgres() as pg:
        yield pg.url


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


def joined_class(store: ClassStore, n: int = 3):
    new = store.create_class()
    for token in TOKENS[:n]:
        store.join(new.code, token)
    return new


# --------------------------------------------------------------------------
# Schema, codes, settings
# --------------------------------------------------------------------------
def test_schema_is_created_once_with_a_version(store: ClassStore, db_url: str, clock: Clock) -> None:
    assert store.schema_version() == store_module.SCHEMA_VERSION
    tables = set(inspect(store.engine).get_table_names())
    assert {"schema_version", "classes", "students", "answers", "reveals", "failed_tries"} <= tables
    new = joined_class(store)
    store.record(new.code, TOKENS[0], VOTE, "good")
    again = ClassStore(db_url, clock=clock)  # a restart: nothing recreated, nothing lost
    assert again.schema_version() == store_module.SCHEMA_VERSION
    assert again.student_answers(new.code, TOKENS[0]) == {VOTE: "good"}
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
    store.record(new.code, TOKENS[0], VOTE, "good")
    store.record(new.code, TOKENS[1], VOTE, "it depends")
    store.record(new.code, TOKENS[2], VOTE, "it depends")
    store.record(new.code, TOKENS[0], QUEEN, "monarch", checked=True)
    store.record(new.code, TOKENS[1], QUEEN, "prince", checked=False)
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
    assert store.record(new.code, TOKENS[0], VOTE, "good")
    clock.now += 1
    assert store.record(new.code, TOKENS[0], VOTE, "bad")
    summary = store.summary(new.code, new.teacher_key).questions[VOTE]
    assert summary.counts == {"good": 0, "bad": 1, "it depends": 0} and summary.answered == 1
    assert store.student_answers(new.code, TOKENS[0]) == {VOTE: "bad"}


def test_replayed_and_late_answers_change_nothing(store: ClassStore) -> None:
    new = joined_class(store, 1)
    assert store.record(new.code, TOKENS[0], VOTE, "good", seq=10)
    assert not store.record(new.code, TOKENS[0], VOTE, "good", seq=10)  # the same message again
    assert store.record(new.code, TOKENS[0], VOTE, "bad", seq=20)
    assert not store.record(new.code, TOKENS[0], VOTE, "good", seq=15)  # an older answer arriving late
    assert store.student_answers(new.code, TOKENS[0]) == {VOTE: "bad"}
    assert store.count_answers(new.code) == 1


def test_checked_answers_record_the_pages_verdict(store: ClassStore) -> None:
    new = joined_class(store, 2)
    store.record(new.code, TOKENS[0], QUEEN, "  monarch  ", checked=True)
    with pytest.raises(BadAnswer):
        store.record(new.code, TOKENS[1], QUEEN, "monarch")  # no verdict from the page
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
        store.record(new.code, TOKENS[0], question, answer, checked=True)
    assert str(error.value)
    assert store.count_answers() == 0


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "", "' OR 1=1 --", "<script>alert(1)</script>", "A" * 500, "ÄÖÜ"])
def test_forged_codes_are_refused(store: ClassStore, code: str) -> None:
    joined_class(store, 1)
    with pytest.raises(ClassNotFound) as error:
        store.join(code, TOKENS[5], source="10.0.0.1")
    assert "code" in str(error.value)
    with pytest.raises(ClassNotFound):
        store.record(code, TOKENS[0], VOTE, "good")
    assert store.count_answers() == 0


def test_a_code_from_another_class_does_not_carry_answers_over(store: ClassStore) -> None:
    first = joined_class(store, 1)
    second = store.create_class()
    store.record(first.code, TOKENS[0], VOTE, "good")
    with pytest.raises(NotJoined):
        store.record(second.code, TOKENS[0], VOTE, "bad")  # a student of another class
    with pytest.raises(WrongKey):
        store.summary(second.code, first.teacher_key)  # another class's teacher key
    assert store.summary(second.code, second.teacher_key).questions[VOTE].answered == 0
    assert store.student_answers(first.code, TOKENS[0]) == {VOTE: "good"}


def test_guessing_codes_is_throttled(store: ClassStore, clock: Clock) -> None:
    real = joined_class(store, 0)
    for i in range(store_module.MAX_FAILED_TRIES):
        with pytest.raises(ClassNotFound):
            store.join(f"GUESS{i:03d}", TOKENS[0], source="10.0.0.9")
    with pytest.raises(TooManyTries):
        store.join(real.code, TOKENS[0], source="10.0.0.9")  # even the right code, for a while
    store.join(real.code, TOKENS[1], source="10.0.0.10")  # other sources are not affected
    with pytest.raises(TooManyTries):
        store.summary(real.code, real.teacher_key, source="10.0.0.9")
    clock.now += store_module.TRY_WINDOW + 1
    store.join(real.code, TOKENS[0], source="10.0.0.9")
    assert store.summary(real.code, real.teacher_key).joined == 2


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
    new = store.create_class()
    store.join(new.code, TOKENS[0], nickname="Ada")
    with pytest.raises(ClassError) as error:
        store.join(new.code, TOKENS[0], nickname=nickname)
    assert "nickname" in str(error.value).lower()
    with pytest.raises(ClassError):
        store.join(new.code, TOKENS[1], nickname=nickname)
    summary = store.summary(new.code, new.teacher_key)
    assert summary.joined == 1 and summary.nicknames == ["Ada"]


def test_nicknames_are_optional_and_bounded() -> None:
    assert clean_nickname("") == ""
    assert clean_nickname("  Ada   Lovelace ") == "Ada Lovelace"
    assert clean_nickname("Zoë O'Neil-2") == "Zoë O'Neil-2"
    assert clean_nickname("x" * 24) == "x" * 24


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "has space in it", "<script>x</script>", None])
def test_bad_student_tokens_are_refused(store: ClassStore, token: object) -> None:
    new = store.create_class()
    with pytest.raises(ClassError):
        store.join(new.code, token)  # type: ignore[arg-type]
    assert store.summary(new.code, new.teacher_key).joined == 0


# --------------------------------------------------------------------------
# Expiry
# --------------------------------------------------------------------------
def test_classes_expire_and_are_deleted(store: ClassStore, clock: Clock) -> None:
    old = joined_class(store, 2)
    store.record(old.code, TOKENS[0], VOTE, "good")
    store.reveal(old.code, old.teacher_key, VOTE)
    clock.now += 23 * 3600
    fresh = joined_class(store, 1)
    store.record(fresh.code, TOKENS[0], VOTE, "bad")
    clock.now += 1 * 3600 + 1  # the first class is now 24 h old
    with pytest.raises(ClassNotFound):
        store.join(old.code, TOKENS[3])
    with pytest.raises(ClassNotFound):
        store.record(old.code, TOKENS[0], VOTE, "bad")
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
    store.record(new.code, TOKENS[0], VOTE, "good")
    store.record(new.code, TOKENS[1], VOTE, "bad")
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
    store.join(new.code, TOKENS[0], nickname="Ada")
    store.join(new.code, TOKENS[1])
    store.record(new.code, TOKENS[0], VOTE, "good")
    store.record(new.code, TOKENS[1], "fm.exercise.aunt", "=uncle - man + woman", checked=True)
    text = store.answers_csv(new.code, new.teacher_key)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["question"] for r in rows) == sorted([VOTE, "fm.exercise.aunt"])
    by_question = {r["question"]: r for r in rows}
    assert by_question[VOTE]["nickname"] == "Ada" and by_question[VOTE]["correct"] == ""
    assert by_question["fm.exercise.aunt"]["answer"] == "'=uncle - man + woman"  # never a formula
    assert by_question["fm.exercise.aunt"]["correct"] == "yes"
    assert TOKENS[0] not in text and TOKENS[1] not in text
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
            other.join(new.code, TOKENS[i])
            for n in range(5):
                other.record(new.code, TOKENS[i], VOTE, choices[(i + n) % 3], seq=n + 1)
            other.record(new.code, TOKENS[i], QUEEN, f"word{i}", checked=i % 3 == 0, seq=1)
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
