"""The live class in the pages (AppTest): students' answers reach the teacher's view.

Each test gets its own SQLite store in a temporary data directory. The
teacher's side is driven through the Live class page; the students' side
through the lesson pages opened with a class link (``?class=CODE``).
"""

from __future__ import annotations

import csv
import io

import pytest
from streamlit.testing.v1 import AppTest

import app_state
from app_state import FM, II, LIVE
from classroom.store import ClassStore
from tests.apptest_utils import DASHBOARD, PAGES, assert_charts_pass_plotlys_validators, assert_no_exception, download
from tests.live_class_utils import LIVE_PAGE, open_app, store  # noqa: F401 - store is a fixture

VOTE = "ii.homework.vote"


def student(page: str, code: str | None, seat: str | None = None, timeout: float = 120) -> AppTest:
    query = {name: value for name, value in (("class", code), ("seat", seat)) if value is not None}
    return open_app(PAGES[page], query, timeout)


def teacher(query: dict[str, str] | None = None) -> AppTest:
    return open_app(LIVE_PAGE, query, 60)


def vote(at: AppTest, choice: str, sentence: str = "Pets and foods are apart.") -> None:
    at.radio(key=II.vote.key).set_value(choice)
    at.text_input(key=II.sentence.key).input(sentence)
    at.button(key=II.save_answer.key).click().run()
    assert_no_exception(at)


# --------------------------------------------------------------------------
# Without a class link nothing changes
# --------------------------------------------------------------------------
@pytest.mark.parametrize("page", list(PAGES))
def test_pages_are_unchanged_without_a_class_link(store: ClassStore, page: str) -> None:
    at = student(page, None)
    assert at.session_state[LIVE.joined.key] == {}
    assert not [b for b in at.button if b.key == LIVE.leave.key]
    assert store.count_answers() == 0


def test_the_vote_outside_a_class_still_reveals_by_itself(store: ClassStore) -> None:
    at = student("imperfect_information", None)
    vote(at, "good")
    reveal = at.button(key=II.reveal.key)
    assert not reveal.disabled
    reveal.click().run()
    assert at.session_state[II.answer.key]["revealed"] is True
    assert store.count_answers() == 0


# --------------------------------------------------------------------------
# Students
# --------------------------------------------------------------------------
def test_a_students_vote_reaches_the_class_and_the_reveal_waits_for_the_teacher(store: ClassStore) -> None:
    new = store.create_class()
    at = student("imperfect_information", new.code.lower())  # codes are read case-insensitively
    joined = at.session_state[LIVE.joined.key]
    assert joined["code"] == new.code
    assert at.query_params["seat"] in (joined["token"], [joined["token"]])  # the seat rides in the link for reconnects
    assert "teacher" not in at.query_params
    vote(at, "it depends")
    assert store.summary(new.code, new.teacher_key).questions[VOTE].counts["it depends"] == 1
    assert at.button(key=II.reveal.key).disabled  # the teacher reveals in a class
    assert not [c for c in at.get("plotly_chart") if c.proto.id.endswith(LIVE.result_chart.at(VOTE))]

    store.reveal(new.code, new.teacher_key, VOTE)
    at.session_state[LIVE.seen.key]["revealed"] = [VOTE]  # what the poll fragment sees next
    at.run()
    assert_no_exception(at)
    charts = [c for c in at.get("plotly_chart") if c.proto.id.endswith(LIVE.result_chart.at(VOTE))]
    assert len(charts) == 1
    import json

    spec = json.loads(charts[0].proto.spec)
    assert dict(zip(spec["data"][0]["x"], spec["data"][0]["y"])) == {"good": 0, "bad": 0, "it depends": 1}
    assert_charts_pass_plotlys_validators(at)


def test_changing_a_vote_keeps_only_the_latest(store: ClassStore) -> None:
    new = store.create_class()
    at = student("imperfect_information", new.code)
    vote(at, "good")
    vote(at, "bad")
    counts = store.summary(new.code, new.teacher_key).questions[VOTE].counts
    assert counts == {"good": 0, "bad": 1, "it depends": 0}
    assert store.count_answers(new.code) == 1


def test_exercises_record_the_checkers_verdict(store: ClassStore) -> None:
    new = store.create_class()
    at = student("format_matters", new.code, timeout=180)
    at.text_input(key=FM.ex_queen.key).input("monarch").run()
    at.text_input(key=FM.ex_aunt.key).input("uncle - man + woman").run()
    at.text_input(key=FM.ex_axis_negative.key).input("man").run()
    at.text_input(key=FM.ex_axis_positive.key).input("woman").run()
    assert_no_exception(at)
    rows = {r["question"]: r for r in store.answer_rows(new.code, new.teacher_key)}
    from embedcore import exercises
    from ui.cache import word_vectors

    wv = word_vectors()
    assert rows["fm.exercise.queen"]["answer"] == "monarch"
    assert rows["fm.exercise.queen"]["correct"] == exercises.check_closer_to_queen(wv, "monarch").passed
    assert rows["fm.exercise.aunt"]["correct"] == exercises.check_top_result(wv, "uncle - man + woman").passed
    assert rows["fm.exercise.axis"]["answer"] == "man -> woman"
    assert rows["fm.exercise.axis"]["correct"] == exercises.check_opposite_sides(wv, "man", "woman").passed
    at.text_input(key=FM.ex_queen.key).input("prince").run()
    rows = {r["question"]: r for r in store.answer_rows(new.code, new.teacher_key)}
    assert rows["fm.exercise.queen"]["answer"] == "prince" and store.count_answers(new.code) == 3


def test_a_returning_student_keeps_their_seat_and_answers(store: ClassStore) -> None:
    new = store.create_class()
    first = student("imperfect_information", new.code)
    vote(first, "bad")
    seat = first.session_state[LIVE.joined.key]["token"]
    again = student("imperfect_information", new.code, seat=seat)  # a new session, same link
    assert again.session_state[LIVE.joined.key]["token"] == seat
    assert again.session_state[II.answer.key]["vote"] == "bad"
    assert again.radio(key=II.vote.key).value == "bad"
    assert store.summary(new.code, new.teacher_key).joined == 1


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "<b>x</b>", "'; DROP TABLE classes; --", "A" * 300])
def test_a_forged_code_gets_a_message_and_changes_nothing(store: ClassStore, code: str) -> None:
    real = store.create_class()
    at = student("imperfect_information", code)
    assert at.session_state[LIVE.joined.key] == {}
    assert at.warning and "code" in at.warning[0].value
    at.run()
    at.run()  # the refusal is remembered, not retried (and counted) every run
    vote(at, "good")
    assert store.count_answers() == 0
    assert store.summary(real.code, real.teacher_key).joined == 0
    with store.engine.connect() as conn:
        from sqlalchemy import func, select

        from classroom.store import failed_tries

        assert conn.execute(select(func.count()).select_from(failed_tries)).scalar_one() == 1


def test_an_expired_class_tells_the_student(store: ClassStore) -> None:
    new = store.create_class()
    store.clock = lambda: new.expires_at + 1
    at = student("home", new.code)
    assert at.session_state[LIVE.joined.key] == {}
    assert at.warning and "ended" in at.warning[0].value


def test_oversized_and_html_nicknames_are_refused(store: ClassStore) -> None:
    new = store.create_class()
    at = student("home", new.code)
    for bad in ("x" * 30, "<img src=x onerror=alert(1)>"):
        at.text_input(key=LIVE.nickname.key).input(bad)
        at.button(key=LIVE.nickname_save.key).click().run()
        assert_no_exception(at)
        assert at.warning and "nickname" in at.warning[0].value.lower()
    assert store.summary(new.code, new.teacher_key).nicknames == []
    at.text_input(key=LIVE.nickname.key).input("Ada")
    at.button(key=LIVE.nickname_save.key).click().run()
    assert store.summary(new.code, new.teacher_key).nicknames == ["Ada"]


# --------------------------------------------------------------------------
# The teacher
# --------------------------------------------------------------------------
def test_start_a_class_from_presenter_mode(store: ClassStore) -> None:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.switch_page(PAGES["home"])
    at.run()
    assert not [b for b in at.button if b.key == LIVE.start.key]  # only in presenter mode
    at.toggle(key=app_state.APP.presenter.key).set_value(True).run()
    at.button(key=LIVE.start.key).click().run()
    assert_no_exception(at)
    teacher_state = at.session_state[LIVE.teacher.key]
    store.check_teacher(teacher_state["code"], teacher_state["key"])
    assert len(at.get("image")) == 1  # the QR code
    assert any(f"class={teacher_state['code']}" in c.value for c in at.code)


def test_the_teacher_view_shows_the_room(store: ClassStore, media: dict[str, bytes]) -> None:
    new = store.create_class()
    seats = [store.take_seat(new.code).token for _ in range(3)]
    for seat, choice in zip(seats, ["good", "it depends", "it depends"]):
        store.record(new.code, seat, VOTE, choice)
    store.record(new.code, seats[0], "fm.exercise.queen", "monarch", checked=True)
    store.record(new.code, seats[1], "fm.exercise.queen", "=prince", checked=False)
    at = teacher({"class": new.code, "teacher": new.teacher_key})
    assert "teacher" not in at.query_params and "class" not in at.query_params  # the key leaves the address bar
    from tests.apptest_utils import chart, metric

    assert metric(at, "Students joined") == "3"
    vote_chart = chart(at, LIVE.chart.at(VOTE))
    assert dict(zip(vote_chart["data"][0]["x"], vote_chart["data"][0]["y"])) == {"good": 1, "bad": 0, "it depends": 2}
    queen = chart(at, LIVE.chart.at("fm.exercise.queen"))
    assert sorted(queen["data"][0]["x"]) == ["=prince", "monarch"]
    assert "50%" in [m.value for m in at.metric]
    assert_charts_pass_plotlys_validators(at)

    at.button(key=LIVE.reveal.at(VOTE)).click().run()
    assert store.class_state(new.code).revealed == {VOTE}
    at.selectbox(key=LIVE.move_to.key).select_index(6).run()
    at.button(key=LIVE.move.key).click().run()
    state = store.class_state(new.code)
    assert state.move_seq == 1 and state.move_to == at.session_state[LIVE.move_to.key]

    rows = list(csv.DictReader(io.StringIO(download(at, media, "Download the answers (CSV)"))))
    assert len(rows) == 5
    assert {r["answer"] for r in rows} >= {"good", "monarch", "'=prince"}


@pytest.mark.parametrize("key", ["wrong", "", "x" * 500])
def test_a_wrong_teacher_key_opens_nothing(store: ClassStore, key: str) -> None:
    new = store.create_class()
    at = teacher({"class": new.code, "teacher": key})
    assert at.session_state[LIVE.teacher.key] == {}
    assert at.error
    assert not at.get("plotly_chart") and not [m for m in at.metric]
    assert "teacher" not in at.query_params


def test_a_student_page_never_carries_the_teacher_key(store: ClassStore) -> None:
    new = store.create_class()
    at = student("imperfect_information", new.code)
    vote(at, "good")
    shown = " ".join(str(e.value) for kind in ("markdown", "caption", "code", "text") for e in at.get(kind) if hasattr(e, "value"))
    assert new.teacher_key not in shown
    assert new.teacher_key not in repr({k: at.session_state[k] for k in at.session_state})


def test_a_returning_student_gets_their_exercise_answers_back(store: ClassStore) -> None:
    new = store.create_class()
    seat = store.take_seat(new.code).token
    store.record(new.code, seat, "fm.exercise.queen", "monarch", checked=True)
    store.record(new.code, seat, "fm.exercise.axis", "machine -> patient", checked=True)
    at = student("format_matters", new.code, seat=seat, timeout=180)
    assert at.text_input(key=FM.ex_queen.key).value == "monarch"
    assert at.text_input(key=FM.ex_axis_negative.key).value == "machine"
    assert at.text_input(key=FM.ex_axis_positive.key).value == "patient"
    assert at.text_input(key=FM.ex_aunt.key).value == ""
    assert store.count_answers(new.code) == 2  # showing them again sends nothing new


def test_leaving_the_class(store: ClassStore) -> None:
    new = store.create_class()
    at = student("home", new.code)
    assert at.session_state[LIVE.joined.key]
    at.button(key=LIVE.leave.key).click().run()
    assert_no_exception(at)
    assert at.session_state[LIVE.joined.key] == {}
    assert "class" not in at.query_params and "seat" not in at.query_params
    assert not [b for b in at.button if b.key == LIVE.leave.key]


@pytest.mark.parametrize("seat", ["<b>x</b>", "short", "ünïcödeseat", "x" * 100])
def test_a_forged_seat_gets_a_fresh_one(store: ClassStore, seat: str) -> None:
    new = store.create_class()
    at = student("home", new.code, seat=seat)
    token = at.session_state[LIVE.joined.key]["token"]
    assert token != seat and len(token) >= 16
    assert store.summary(new.code, new.teacher_key).joined == 1
