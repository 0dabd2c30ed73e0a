"""Teaching a whole class (issue 25) in the store: pace, pause, reasons, first answers and the report.

Every test runs on SQLite and on a real PostgreSQL (the fixtures of
tests/test_classroom_store.py), as the store's other tests do.
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import create_engine, select

from app_state.lessons import FORMAT_MATTERS, IMPERFECT_INFORMATION
from classroom import schema
from classroom import store as store_module
from classroom.questions import QUESTIONS, BadAnswer, clean_reason
from classroom.store import MAX_SHOWN_REASONS, ClassError, ClassNotFound, ClassStore, WrongKey
from tests.test_classroom_store import (  # noqa: F401 - fixtures
    VOTE,
    Clock,
    _v1_metadata,
    clock,
    db_url,
    joined_class,
    store,
)

# The first checkpoint the lessons ask (read from the lists: other work may move or add checkpoints).
PREDICTION = next(q for q in FORMAT_MATTERS.questions + IMPERFECT_INFORMATION.questions if QUESTIONS[q].counts_first)
CHOICES = QUESTIONS[PREDICTION].choices


# --------------------------------------------------------------------------
# Schema version 3, and the migration from version 2
# --------------------------------------------------------------------------
def test_a_version_2_database_opens_and_migrates(db_url: str, clock: Clock) -> None:
    """A database of the app before issue 25 opens: its answers become their students' first answers."""
    engine = create_engine(db_url)
    _v1_metadata().create_all(engine)
    with engine.begin() as conn:
        schema._migrate_1_to_2(conn)  # version 2 is version 1 and this migration
        conn.exec_driver_sql("INSERT INTO schema_version VALUES (1, 0), (2, 0)")
        conn.exec_driver_sql(
            f"INSERT INTO classes (code, teacher_key_hash, created_at, expires_at, move_to, move_seq) VALUES "
            f"('V2CLASS2', '{store_module.key_hash('v2-key')}', {clock.now}, {clock.now + 3600}, NULL, 0)"
        )
        conn.exec_driver_sql(
            "INSERT INTO students (class_code, token, nickname, joined_at) "
            f"VALUES ('V2CLASS2', 'v2-seat-00000001', '', {clock.now})"
        )
        conn.exec_driver_sql(
            f"INSERT INTO answers VALUES ('V2CLASS2', '{VOTE}', 'v2-seat-00000001', 'bad', NULL, {clock.now}, 1)"
        )
    engine.dispose()
    s = ClassStore(db_url, clock=clock)
    assert s.schema_version() == store_module.SCHEMA_VERSION == 3
    state = s.class_state("V2CLASS2")
    assert state.paused is False and state.pace == {}
    [row] = s.answer_rows("V2CLASS2", "v2-key")
    assert (row["answer"], row["first_answer"], row["reason"]) == ("bad", "bad", "")
    clock.now += 1
    assert s.record("V2CLASS2", "v2-seat-00000001", VOTE, "good", reason="Changed my mind.")
    [row] = s.answer_rows("V2CLASS2", "v2-key")
    assert (row["answer"], row["first_answer"], row["reason"]) == ("good", "bad", "Changed my mind.")
    s.set_paused("V2CLASS2", "v2-key", True)
    assert s.class_state("V2CLASS2").paused
    s.close()
    again = ClassStore(db_url, clock=clock)  # opening it again migrates nothing twice
    assert again.schema_version() == 3 and again.class_state("V2CLASS2").paused
    with again.engine.connect() as conn:
        assert sorted(conn.execute(select(schema.schema_version.c.version)).scalars()) == [1, 2, 3]
    again.close()


# --------------------------------------------------------------------------
# Pace and pause
# --------------------------------------------------------------------------
def test_the_pace_opens_each_lesson_up_to_a_section(store: ClassStore) -> None:
    new = joined_class(store, 1)
    assert store.class_state(new.code).pace == {}  # a new class: every lesson open
    first = FORMAT_MATTERS.sections[0]
    store.set_pace(new.code, new.teacher_key, "format_matters", first.slug)
    store.set_pace(new.code, new.teacher_key, "imperfect_information", IMPERFECT_INFORMATION.sections[1].slug)
    assert store.class_state(new.code).pace == {
        "format_matters": first.slug, "imperfect_information": IMPERFECT_INFORMATION.sections[1].slug,
    }
    store.set_pace(new.code, new.teacher_key, "imperfect_information", None)  # open to its end again
    assert store.class_state(new.code).pace == {"format_matters": first.slug}
    for page, slug in (("format_matters", "no-such-section"), ("home", None), ("<b>x</b>", "toy-plane")):
        with pytest.raises(ClassError, match="no such lesson"):
            store.set_pace(new.code, new.teacher_key, page, slug)
    with pytest.raises(WrongKey):
        store.set_pace(new.code, "wrong", "format_matters", None)
    assert store.class_state(new.code).pace == {"format_matters": first.slug}


def test_a_move_opens_the_lesson_up_to_its_section_and_never_closes_one(store: ClassStore) -> None:
    new = joined_class(store, 1)
    sections = FORMAT_MATTERS.sections
    store.set_pace(new.code, new.teacher_key, "format_matters", sections[0].slug)
    store.move_class(new.code, new.teacher_key, sections[2].id)
    assert store.class_state(new.code).pace == {"format_matters": sections[2].slug}
    store.move_class(new.code, new.teacher_key, sections[1].id)  # back to an earlier section: still open to 3
    state = store.class_state(new.code)
    assert state.pace == {"format_matters": sections[2].slug} and state.move_to == sections[1].id
    store.move_class(new.code, new.teacher_key, IMPERFECT_INFORMATION.sections[-1].id)  # an open lesson stays open
    assert store.class_state(new.code).pace == {"format_matters": sections[2].slug}


def test_pause_and_resume(store: ClassStore, clock: Clock) -> None:
    new = joined_class(store, 2)
    store.set_paused(new.code, new.teacher_key, True)
    assert store.class_state(new.code).paused is True
    assert store.take_seat(new.code, seat=new.tokens[0]).state.paused  # a student who reconnects sees it
    store.set_paused(new.code, new.teacher_key, False)
    assert store.class_state(new.code).paused is False
    with pytest.raises(WrongKey):
        store.set_paused(new.code, "wrong", True)
    assert store.class_state(new.code).paused is False


# --------------------------------------------------------------------------
# Reasons and first answers
# --------------------------------------------------------------------------
def test_reasons_are_stored_like_answers_the_latest_wins(store: ClassStore, clock: Clock) -> None:
    new = joined_class(store, 2)
    store.record(new.code, new.tokens[0], VOTE, "good", reason="  Pets sit\ttogether.  ")
    clock.now += 1
    store.record(new.code, new.tokens[1], VOTE, "bad", reason="")
    assert store.student_answers_and_reasons(new.code, new.tokens[0]) == {VOTE: ("good", "Pets sit together.")}
    clock.now += 1
    store.record(new.code, new.tokens[0], VOTE, "it depends", reason="It depends on the task.")
    reasons = store.summary(new.code, new.teacher_key).questions[VOTE].reasons
    assert [(r.answer, r.text) for r in reasons] == [("it depends", "It depends on the task.")]
    assert not store.record(new.code, new.tokens[0], VOTE, "good", reason="late", seq=1)  # a replay: nothing
    assert store.student_answers_and_reasons(new.code, new.tokens[0])[VOTE] == ("it depends", "It depends on the task.")
    assert store.count_answers(new.code) == 2


@pytest.mark.parametrize(
    ("reason", "message"),
    [("x" * 201, "longer than 200"), ("bad\x00reason", "control characters"), ("a\u202eb", "control characters"),
     (7, "must be text")],
)
def test_bad_reasons_are_refused_and_change_nothing(store: ClassStore, reason: object, message: str) -> None:
    new = joined_class(store, 1)
    with pytest.raises(BadAnswer, match=message):
        store.record(new.code, new.tokens[0], VOTE, "good", reason=reason)
    assert store.count_answers() == 0
    assert clean_reason("x" * 200) == "x" * 200 and clean_reason(None) == ""


MARKUP = ['<b style="font-size:90px">X</b>', '<a href="https://evil.example/x">click</a>', "**bold** [l](http://x)"]


def test_reasons_keep_markup_as_typed_and_never_leave_to_students(store: ClassStore) -> None:
    new = joined_class(store, 3)
    for token, reason in zip(new.tokens, MARKUP):
        store.record(new.code, token, VOTE, "good", reason=reason)
    assert sorted(r.text for r in store.summary(new.code, new.teacher_key).questions[VOTE].reasons) == sorted(MARKUP)
    store.reveal(new.code, new.teacher_key, VOTE)
    assert store.revealed_summary(new.code, VOTE).reasons == ()  # students see the distribution only


def test_the_store_keeps_the_first_answer_and_the_latest(store: ClassStore, clock: Clock) -> None:
    new = joined_class(store, 2)
    right, wrong = _right_and_wrong()
    store.record(new.code, new.tokens[0], PREDICTION, wrong, checked=False, reason="a guess")
    store.record(new.code, new.tokens[1], PREDICTION, right, checked=True)
    clock.now += 1
    store.record(new.code, new.tokens[0], PREDICTION, right, checked=True, reason="after the reveal")
    summary = store.summary(new.code, new.teacher_key).questions[PREDICTION]
    assert summary.correct == 1 and summary.answered == 2  # a prediction counts the first answer
    assert summary.counts[wrong] == 1 and summary.counts[right] == 1
    rows = {r["student"]: r for r in store.answer_rows(new.code, new.teacher_key)}
    assert sorted((r["first_answer"], r["answer"]) for r in rows.values()) == sorted([(wrong, right), (right, right)])
    clock.now += 1
    store.record(new.code, new.tokens[0], VOTE, "good")
    clock.now += 1
    store.record(new.code, new.tokens[0], VOTE, "bad")
    assert store.summary(new.code, new.teacher_key).questions[VOTE].counts["bad"] == 1  # a vote: the latest


def _right_and_wrong() -> tuple[str, str]:
    """Two choices of PREDICTION; which is "right" is the page's verdict (``checked``), not the store's."""
    return CHOICES[0], CHOICES[1]


def test_up_to_three_reasons_on_the_projector_or_hidden(store: ClassStore, clock: Clock) -> None:
    new = joined_class(store, 5)
    for i, token in enumerate(new.tokens):
        clock.now += 1
        store.record(new.code, token, VOTE, "good" if i % 2 else "bad", reason=f"reason {i}")
    students = {r.text: r.student for r in store.summary(new.code, new.teacher_key).questions[VOTE].reasons}
    for i in (3, 0, 1):
        clock.now += 1
        store.show_reason(new.code, new.teacher_key, VOTE, students[f"reason {i}"])
    with pytest.raises(ClassError, match=f"{MAX_SHOWN_REASONS} reasons are on the projector"):
        store.show_reason(new.code, new.teacher_key, VOTE, students["reason 4"])
    reasons = store.summary(new.code, new.teacher_key).questions[VOTE].reasons
    assert [r.text for r in reasons if r.shown] == ["reason 3", "reason 0", "reason 1"]  # in the order shown
    store.hide_reason(new.code, new.teacher_key, VOTE, students["reason 0"])  # hiding takes it off the projector
    clock.now += 1
    store.show_reason(new.code, new.teacher_key, VOTE, students["reason 4"])
    reasons = {r.text: r for r in store.summary(new.code, new.teacher_key).questions[VOTE].reasons}
    assert reasons["reason 0"].hidden and not reasons["reason 0"].shown
    assert [t for t, r in reasons.items() if r.shown] == ["reason 3", "reason 1", "reason 4"]
    # A student who changes their reason takes the old one off the projector.
    clock.now += 1
    store.record(new.code, new.tokens[3], VOTE, "bad", reason="a new reason")
    reasons = {r.text: r for r in store.summary(new.code, new.teacher_key).questions[VOTE].reasons}
    assert not reasons["a new reason"].shown and not reasons["a new reason"].hidden
    with pytest.raises(ClassError, match="no longer there"):
        store.show_reason(new.code, new.teacher_key, VOTE, "0123456789")
    with pytest.raises(WrongKey):
        store.show_reason(new.code, "wrong", VOTE, students["reason 2"])
    assert store.summary(new.code, new.teacher_key).questions[VOTE].reasons[0].student != new.tokens[0][:10]


def test_reasons_are_deleted_with_the_class(store: ClassStore, clock: Clock) -> None:
    new = joined_class(store, 1)
    store.record(new.code, new.tokens[0], VOTE, "good", reason="Because pets sit together.")
    store.set_pace(new.code, new.teacher_key, "format_matters", FORMAT_MATTERS.sections[0].slug)
    clock.now += 24 * 3600 + 1
    store.purge_expired()
    with pytest.raises(ClassNotFound):
        store.class_state(new.code)
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.answers.c.reason)).all() == []
        assert conn.execute(select(schema.paces)).all() == []


def test_the_csv_has_the_reasons_and_first_answers(store: ClassStore, clock: Clock) -> None:
    new = joined_class(store, 2)
    store.record(new.code, new.tokens[0], VOTE, "good", reason="=cmd|' /C calc'!A0")
    clock.now += 1
    store.record(new.code, new.tokens[0], VOTE, "bad", reason="-then I changed it")
    store.record(new.code, new.tokens[1], VOTE, "it depends")
    rows = {r["answer"]: r for r in csv.DictReader(io.StringIO(store.answers_csv(new.code, new.teacher_key)))}
    assert rows["bad"]["reason"] == "'-then I changed it"  # never a formula
    assert rows["bad"]["first_answer"] == "good" and rows["bad"]["first_correct"] == ""
    assert rows["it depends"]["reason"] == ""


# --------------------------------------------------------------------------
# The end-of-class report
# --------------------------------------------------------------------------
def test_the_report_counts_first_and_latest_answers_and_reasons(store: ClassStore, clock: Clock) -> None:
    new = joined_class(store, 4)
    right, wrong = _right_and_wrong()
    firsts = [wrong, wrong, right, wrong]
    for token, choice in zip(new.tokens, firsts):
        clock.now += 1
        store.record(new.code, token, PREDICTION, choice, checked=choice == right, reason=f"why {choice}")
    clock.now += 1
    store.record(new.code, new.tokens[0], PREDICTION, right, checked=True)  # tried again after the reveal
    store.record(new.code, new.tokens[0], VOTE, "good", reason="pets")
    store.reveal(new.code, new.teacher_key, PREDICTION)
    student = next(r.student for r in store.summary(new.code, new.teacher_key).questions[PREDICTION].reasons
                   if r.text == f"why {right}")
    store.show_reason(new.code, new.teacher_key, PREDICTION, student)
    report = store.report(new.code, new.teacher_key)
    assert report.joined == 4 and [q.question for q in report.questions] == _in_lesson_order([PREDICTION, VOTE])
    q = next(q for q in report.questions if q.question == PREDICTION)
    assert (q.answered, q.right_first, q.right_latest) == (4, 1, 2)
    assert q.share_first == pytest.approx(0.25) and q.share_latest == pytest.approx(0.5)
    assert (q.common_wrong, q.common_wrong_count) == (wrong, 3)
    assert q.reasons == 3 and q.shown_reasons == (f"why {right}",) and q.revealed  # the retry came without one
    vote = next(q for q in report.questions if q.question == VOTE)
    assert vote.right_first is None and vote.common_wrong is None and vote.share_first is None
    assert vote.first_counts == {"good": 1, "bad": 0, "it depends": 0} and vote.reasons == 1


def _in_lesson_order(ids: list[str]) -> list[str]:
    from classroom.questions import SECTIONS

    order = [q for s in SECTIONS for q in s.asks]
    return sorted(ids, key=order.index)
