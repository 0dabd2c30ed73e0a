"""Pacing and pause in the pages (AppTest, issue 25 part 1).

A student in a class whose teacher paced a lesson sees the sections past the
pace as a heading and a note only: the section's function is not called, so
no chart, widget or number of it reaches the page. The pace follows the
teacher (a new pace reruns the page at the next poll, a move opens up to its
section), and a pause dims the page until the teacher resumes. Without
``?class=`` nothing changes. The real browsers are
tests/browser/test_browser_live_class_pause.py and _whole.py.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import app_state
from app_state import APP, LIVE
from app_state.lessons import LESSONS, Lesson
from classroom.store import ClassStore
from tests.apptest_utils import PAGES, assert_no_exception
from tests.live_class_utils import LIVE_PAGE, open_app, store  # noqa: F401 - store is a fixture

STATE = {page.name: page.state for page in app_state.PAGES}
WIDGETS = {"slider", "text_input", "text_area", "radio", "button", "selectbox", "multiselect", "checkbox",
           "number_input", "select_slider", "button_group", "download_button", "data_editor", "toggle"}
CONTENT = WIDGETS | {"plotly_chart", "metric", "dataframe", "table", "image", "json", "arrow_table"}


def _nodes(node) -> list:  # type: ignore[no-untyped-def]
    """Every element and block under ``node``, in page order (depth first)."""
    found = []
    for child in getattr(node, "children", {}).values():
        found.append(child)
        found.extend(_nodes(child))
    return found


def _key(node) -> str:  # type: ignore[no-untyped-def]
    try:
        return str(node.key or "")
    except (AttributeError, KeyError, TypeError):
        return ""


def sections_drawn(at: AppTest, lesson: Lesson) -> dict[int, list]:
    """Section number -> the elements under its heading, up to the next heading or the lesson's score."""
    headings = {section.heading: section.number for section in lesson.sections}
    score = STATE[lesson.page].score.key
    drawn: dict[int, list] = {}
    current = None
    for node in _nodes(at.main):
        if node.type == "header" and node.value in headings:
            current = headings[node.value]
            drawn[current] = []
        elif _key(node) == score:
            current = None
        elif current is not None:
            drawn[current].append(node)
    return drawn


def student(page: str, code: str | None) -> AppTest:
    return open_app(PAGES[page], {"class": code} if code else None, 180)


def _assert_paced(at: AppTest, lesson: Lesson, open_up_to: int) -> None:
    drawn = sections_drawn(at, lesson)
    assert sorted(drawn) == [s.number for s in lesson.sections]  # every heading is there
    for section in lesson.sections:
        kinds = {node.type for node in drawn[section.number]}
        closed = f"{LIVE.closed.key}-{section.anchor}"
        if section.number <= open_up_to:
            assert kinds & CONTENT, f"{section.heading} is open but drew nothing"
            assert closed not in map(_key, drawn[section.number])
        else:
            assert not kinds & CONTENT, f"{section.heading} is past the pace but drew {kinds & CONTENT}"
            assert [_key(n) for n in drawn[section.number] if _key(n)] == [closed]


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.page for lesson in LESSONS])
def test_a_student_behind_the_pace_sees_no_later_section(store: ClassStore, lesson: Lesson) -> None:
    new = store.create_class()
    store.set_pace(new.code, new.teacher_key, lesson.page, lesson.sections[0].slug)
    at = student(lesson.page, new.code)
    _assert_paced(at, lesson, 1)
    later = set(lesson.questions) - set(lesson.sections[0].asks)
    drawn_keys = {_key(n) for n in _nodes(at.main)}
    assert not {APP.check_choice.at(q) for q in later} & drawn_keys  # no prediction box of a later section
    assert [m for m in at.get_by_key(STATE[lesson.page].score.key).metric]  # the lesson's score is still there

    # The teacher opens one more section: the page follows at its next poll.
    store.set_pace(new.code, new.teacher_key, lesson.page, lesson.sections[1].slug)
    at.run()
    assert_no_exception(at)
    _assert_paced(at, lesson, 2)


def test_a_move_opens_the_lesson_up_to_its_section(store: ClassStore) -> None:
    lesson = next(lesson for lesson in LESSONS if len(lesson.sections) >= 4)
    new = store.create_class()
    store.set_pace(new.code, new.teacher_key, lesson.page, lesson.sections[0].slug)
    at = student("home", new.code)
    store.move_class(new.code, new.teacher_key, lesson.sections[2].id)
    at.run()  # the poll sees the move: the student's page switches to the lesson, open up to section 3
    assert_no_exception(at)
    assert at.session_state[LIVE.seen.key]["pace"] == {lesson.page: lesson.sections[2].slug}
    _assert_paced(at, lesson, 3)


def test_without_a_class_link_every_section_is_drawn(store: ClassStore) -> None:
    lesson = LESSONS[1]
    new = store.create_class()
    store.set_pace(new.code, new.teacher_key, lesson.page, lesson.sections[0].slug)  # another session's class
    at = student(lesson.page, None)
    _assert_paced(at, lesson, len(lesson.sections))


def _paused_layers(at: AppTest) -> int:
    return sum(1 for h in at.get("html") if 'class="ew-paused"' in h.proto.body)


def test_pause_dims_the_students_page_until_the_teacher_resumes(store: ClassStore) -> None:
    new = store.create_class()
    at = student("home", new.code)
    assert _paused_layers(at) == 0 and at.session_state[LIVE.seen.key]["paused"] is False
    store.set_paused(new.code, new.teacher_key, True)
    at.run()
    assert _paused_layers(at) == 1 and at.session_state[LIVE.seen.key]["paused"] is True
    store.set_paused(new.code, new.teacher_key, False)
    at.run()
    assert _paused_layers(at) == 0


def test_the_teachers_pace_and_pause_controls(store: ClassStore) -> None:
    new = store.create_class()
    at = open_app(LIVE_PAGE, {"class": new.code, "teacher": new.teacher_key, APP.presenter.key: "true"}, 60)
    lesson = LESSONS[0]
    pace = at.selectbox(key=LIVE.pace.at(lesson.page))
    assert pace.value == "" and pace.options[0] == "the whole lesson"
    assert len(pace.options) == len(lesson.sections) + 1  # from the lesson's list
    pace.select(lesson.sections[1].slug).run()
    assert_no_exception(at)
    assert store.class_state(new.code).pace == {lesson.page: lesson.sections[1].slug}

    button = at.button(key=LIVE.pause.key)
    assert button.proto.shortcut.lower() == "p"  # presenter mode: the keyboard shortcut
    button.click().run()
    assert store.class_state(new.code).paused is True
    assert at.button(key=LIVE.pause.key).label == "Resume the class"
    at.button(key=LIVE.pause.key).click().run()
    assert store.class_state(new.code).paused is False

    store.set_pace(new.code, new.teacher_key, lesson.page, None)  # from another device: the view follows
    at.run()
    assert at.selectbox(key=LIVE.pace.at(lesson.page)).value == ""  # the whole lesson
    plain = open_app(LIVE_PAGE, {"class": new.code, "teacher": new.teacher_key}, 60)
    assert not plain.button(key=LIVE.pause.key).proto.shortcut  # no shortcut outside presenter mode


def test_the_pause_button_sits_in_the_presenter_header_of_a_lesson(store: ClassStore) -> None:
    at = open_app(LIVE_PAGE, {APP.presenter.key: "true"}, 60)
    at.button(key=LIVE.start.key).click().run()
    code = at.session_state[LIVE.teacher.key]["code"]
    at.switch_page(PAGES["home"]).run()
    assert_no_exception(at)
    at.button(key=LIVE.pause.key).click().run()
    assert store.class_state(code).paused is True
