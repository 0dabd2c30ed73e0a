"""Each lesson's sections are declared once (app_state.lessons), and everything reads that list.

The page draws them in that order with numbered headings (ui.lesson), the live
class offers them (classroom.questions.SECTIONS) and knows where each question
is asked, and a lesson's score counts the questions its sections ask.
"""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest

from app_state import PAGES
from app_state.lessons import LESSONS, Lesson, Section, all_sections, lesson, lesson_of
from classroom.questions import QUESTIONS, SECTION_OF, SECTIONS
from embedcore.checkpoints import lesson_checkpoints
from tests.apptest_utils import assert_no_exception, open_page
from ui.lesson import function_of


def test_every_lesson_page_has_a_list_and_each_section_an_id_of_its_own() -> None:
    lesson_pages = {page.name for page in PAGES} - {"home", "live_class"}
    assert {lesson_.page for lesson_ in LESSONS} == lesson_pages
    ids = [section.id for section in all_sections()]
    assert len(ids) == len(set(ids))
    for lesson_ in LESSONS:
        assert [s.number for s in lesson_.sections] == list(range(1, len(lesson_.sections) + 1))
        assert all(s.page == lesson_.page for s in lesson_.sections)


def test_two_sections_with_one_slug_are_refused() -> None:
    with pytest.raises(ValueError, match="share a slug"):
        lesson("x", Section("a", "A", "m:f"), Section("a", "B", "m:g"))


def test_each_section_names_a_function_that_draws_it() -> None:
    for section in all_sections():
        fn = function_of(section)
        assert callable(fn), section.draw
        assert inspect.getdoc(fn), f"{section.draw} has no docstring"


def test_a_lessons_questions_are_its_checkpoints_and_the_live_classs_questions() -> None:
    for lesson_ in LESSONS:
        checkpoints = {c.id for c in lesson_checkpoints(lesson_.page)}
        assert checkpoints <= set(lesson_.questions), lesson_.page
        assert set(lesson_.questions) <= set(QUESTIONS) | checkpoints
    asked = [q for s in all_sections() for q in s.asks]
    assert len(asked) == len(set(asked)), "a question is asked by one section only"
    assert set(QUESTIONS) == set(asked)
    assert all(QUESTIONS[q].section is SECTION_OF[q] for q in QUESTIONS)


def test_the_live_class_offers_every_section_in_the_lessons_order() -> None:
    assert SECTIONS == all_sections()


@pytest.mark.parametrize("name", [lesson_.page for lesson_ in LESSONS])
def test_the_page_draws_the_headings_in_the_lists_order(name: str) -> None:
    at = open_page(name, timeout=240)
    assert_no_exception(at)
    headings = [h.value for h in at.header]
    assert headings == [s.heading for s in lesson_of(name).sections]
