"""The room's reasoning in the pages (AppTest, issue 25 parts 2 and 4).

* In a class, a prediction takes an optional one-line reason beside its
  lock-in, and every lock-in reaches the store (the first one stays the
  student's first answer); outside a class there is no reason box.
* The homework vote's "why" sentence goes to the class with the vote, and
  comes back to a returning student.
* The teacher's view lists the reasons by answer; up to three go on the
  projector, as text (markup typed by a student is shown as typed); a hidden
  one leaves the list.
* The end-of-class summary's table has the store's numbers.

The store's side, on both databases, is tests/test_classroom_room.py; the
summary's HTML, tests/test_live_summary.py.
"""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from app_state import APP, II, LIVE
from app_state.lessons import IMPERFECT_INFORMATION
from classroom.questions import QUESTIONS
from classroom.store import MAX_SHOWN_REASONS, ClassStore
from tests.apptest_utils import PAGES, assert_no_exception, shown, table
from tests.live_class_utils import LIVE_PAGE, open_app, store  # noqa: F401 - store is a fixture

VOTE = "ii.homework.vote"
# The lesson's first prediction, read from its list (the lessons' checkpoints may change).
PREDICTION = next(q for q in IMPERFECT_INFORMATION.questions if q in QUESTIONS and QUESTIONS[q].counts_first)
CHOICES = QUESTIONS[PREDICTION].choices
MARKUP = ['<b style="font-size:90px">X</b>', '<a href="https://evil.example/x">click me</a>',
          "**bold** and [a link](https://evil.example/y)", "plain and honest"]


def student(code: str | None, seat: str | None = None) -> AppTest:
    query = {name: value for name, value in (("class", code), ("seat", seat)) if value}
    return open_app(PAGES["imperfect_information"], query, 180)


def teacher(code: str, key: str) -> AppTest:
    return open_app(LIVE_PAGE, {"class": code, "teacher": key}, 60)


def lock(at: AppTest, choice: str, reason: str | None = None) -> None:
    at.radio(key=APP.check_choice.at(PREDICTION)).set_value(choice)
    if reason is not None:
        at.text_input(key=APP.check_reason.at(PREDICTION)).input(reason)
    at.run()  # the lock button is enabled once a choice is made
    at.button(key=APP.check_lock.at(PREDICTION)).click().run()
    assert_no_exception(at)


def test_a_prediction_takes_a_reason_in_a_class_and_every_lock_in_is_sent(store: ClassStore) -> None:
    alone = student(None)
    assert APP.check_reason.at(PREDICTION) not in {t.key for t in alone.text_input}  # outside a class: unchanged

    new = store.create_class()
    at = student(new.code)
    lock(at, CHOICES[0], "  Small   pictures need few numbers. ")
    [row] = store.answer_rows(new.code, new.teacher_key)
    assert (row["answer"], row["first_answer"]) == (CHOICES[0], CHOICES[0])
    assert row["reason"] == "Small pictures need few numbers."  # tidied to one line
    first_right = row["correct"]

    store.reveal(new.code, new.teacher_key, PREDICTION)
    at.run()  # the poll sees the reveal
    at.button(key=APP.check_again.at(PREDICTION)).click().run()
    lock(at, CHOICES[1], "")  # practice after the reveal: sent as the latest answer, with no reason
    [row] = store.answer_rows(new.code, new.teacher_key)
    assert (row["first_answer"], row["answer"], row["reason"]) == (CHOICES[0], CHOICES[1], "")
    summary = store.summary(new.code, new.teacher_key).questions[PREDICTION]
    assert summary.correct == int(bool(first_right)) and summary.counts[CHOICES[0]] == 1  # the first counts
    assert at.session_state[APP.first_checks.key][PREDICTION]["choice"] == CHOICES[0]


def test_the_homework_votes_sentence_goes_with_the_vote_and_comes_back(store: ClassStore) -> None:
    new = store.create_class()
    at = student(new.code)
    at.radio(key=II.vote.key).set_value("it depends")
    at.text_input(key=II.sentence.key).input("Pets form a region, the rest mixes.")
    at.button(key=II.save_answer.key).click().run()
    assert_no_exception(at)
    seat = at.session_state[LIVE.joined.key]["token"]
    sent = ("it depends", "Pets form a region, the rest mixes.")
    assert store.student_answers_and_reasons(new.code, seat) == {VOTE: sent}
    again = student(new.code, seat)  # a new session with the same link (a reconnect)
    assert again.text_input(key=II.sentence.key).value == "Pets form a region, the rest mixes."
    assert again.session_state[II.answer.key]["sentence"] == "Pets form a region, the rest mixes."
    assert store.count_answers(new.code) == 1  # showing it again sends nothing


def _projector(at: AppTest) -> list[str]:
    """The markdown bodies in the vote's projector box, as sent to the browser."""
    box = at.get_by_key(f"{LIVE.projector.key}-{VOTE.replace('.', '-')}")
    return [m.value for m in box.markdown]


def test_the_teacher_shows_up_to_three_reasons_as_text_and_hides_one(store: ClassStore) -> None:
    new = store.create_class()
    for i, reason in enumerate(MARKUP):
        seat = store.take_seat(new.code).token
        store.record(new.code, seat, VOTE, ("good", "bad")[i % 2], reason=reason)
    at = teacher(new.code, new.teacher_key)
    students = {r.text: r.student for r in store.summary(new.code, new.teacher_key).questions[VOTE].reasons}
    listed = [t.value for t in at.get_by_key(f"{LIVE.reasons.key}-{VOTE.replace('.', '-')}").text]
    assert sorted(listed) == sorted(MARKUP)  # st.text: plain text, grouped by answer
    for text in MARKUP[:MAX_SHOWN_REASONS]:
        at.button(key=LIVE.reason_show.at(VOTE, students[text])).click().run()
        assert_no_exception(at)
    assert at.button(key=LIVE.reason_show.at(VOTE, students[MARKUP[3]])).disabled  # three at most
    quoted = [b for b in _projector(at) if b.startswith("> ")]
    assert [shown(b) for b in quoted] == [f"> “{text}”" for text in MARKUP[:MAX_SHOWN_REASONS]]  # as typed
    for body in quoted:
        assert not re.search(r"(?<!\\)[<>\[\]*]", body.removeprefix("> ")), body  # every markup character escaped

    at.button(key=LIVE.reason_hide.at(VOTE, students[MARKUP[0]])).click().run()
    assert_no_exception(at)
    reasons = {r.text: r for r in store.summary(new.code, new.teacher_key).questions[VOTE].reasons}
    assert reasons[MARKUP[0]].hidden and not reasons[MARKUP[0]].shown
    listed = [t.value for t in at.get_by_key(f"{LIVE.reasons.key}-{VOTE.replace('.', '-')}").text]
    assert MARKUP[0] not in listed and len(listed) == 3
    assert not at.button(key=LIVE.reason_show.at(VOTE, students[MARKUP[3]])).disabled  # room for one more


def test_the_summary_table_has_the_stores_numbers(store: ClassStore) -> None:
    new = store.create_class()
    seats = [store.take_seat(new.code).token for _ in range(3)]
    for seat, choice in zip(seats, CHOICES):
        store.record(new.code, seat, PREDICTION, choice, checked=choice == CHOICES[0], reason=f"why {choice}")
    store.record(new.code, seats[1], PREDICTION, CHOICES[0], checked=True, seq=10**18)  # tried again, right
    store.record(new.code, seats[2], VOTE, "good", reason="pets")
    at = teacher(new.code, new.teacher_key)
    frame = table(at, "right at the first answer")
    report = store.report(new.code, new.teacher_key)
    assert list(frame["question"]) == [q.prompt for q in report.questions]
    row = frame[frame["question"] == QUESTIONS[PREDICTION].prompt].iloc[0]
    assert row["answered"] == 3 and row["reasons"] == 2  # the retry came without one: latest wins
    assert row["right at the first answer"] == 1 / 3 and row["right after the reveal"] == 2 / 3
    assert row["most common wrong first answer"] in CHOICES[1:]
    vote = frame[frame["question"] == QUESTIONS[VOTE].prompt].iloc[0]
    assert vote["answered"] == 1 and vote["reasons"] == 1
    assert [b for b in at.get("download_button") if b.proto.label == "Download the summary (HTML)"]
