"""Room to breathe: each lesson on first open is short enough to read, and each section shows one idea.

Counted on each lesson's first open, with its default settings (issue 23):

* at most 800 words of prose: markdown, captions and alerts that are not folded
  in an expander or popover or hidden in a tab other than the first (chart
  summaries shown as captions included);
* at most one download per section (a button, or one fold of buttons);
* at most four metric tiles per section.
"""

from __future__ import annotations

import re

import pytest

from app_state.lessons import LESSONS
from tests.apptest_utils import assert_no_exception, open_page

PROSE = {"markdown", "caption", "info", "warning", "error", "success"}
MOST_WORDS = 800
MOST_DOWNLOADS = 1
MOST_METRICS = 4
_ICON = re.compile(r":material/[a-z_]+:")
_WORD = re.compile(r"[A-Za-z0-9][\w'\u2019.-]*")


def words(text: str) -> int:
    """Words a student reads in a piece of markdown (icons and markup left out)."""
    return len(_WORD.findall(_ICON.sub(" ", text)))


def _walk(node, visible: bool, visit) -> None:  # noqa: ANN001 - AppTest's element tree
    kind = getattr(node, "type", None)
    visit(node, kind, visible)
    children = list(getattr(node, "children", {}).values())
    for place, child in enumerate(children):
        child_visible = visible and kind not in ("expander", "popover")
        if kind == "tab_container" and place > 0:
            child_visible = False
        _walk(child, child_visible, visit)


def first_open(lesson: str):  # noqa: ANN201
    at = open_page(lesson, timeout=240)
    assert_no_exception(at)
    return at


def count(at) -> tuple[int, dict[str, dict[str, int]]]:  # noqa: ANN001
    """(words of visible prose, {section heading: {"downloads": n, "metrics": n}})."""
    total = 0
    sections: dict[str, dict[str, int]] = {}
    current: dict[str, int] = {"downloads": 0, "metrics": 0}

    def visit(node, kind, visible) -> None:  # noqa: ANN001
        nonlocal total, current
        if kind == "header":
            current = sections.setdefault(node.value, {"downloads": 0, "metrics": 0})
        elif kind in PROSE and visible:
            total += words(str(node.value))
        elif kind == "metric":
            current["metrics"] += 1
        elif kind == "download_button":
            current["downloads"] += 1
        elif kind == "expander" and str(getattr(node, "label", "")).startswith("Download the numbers"):
            current["downloads"] += 1 - len([c for c in node.children.values()
                                             if getattr(c, "type", None) == "download_button"])

    _walk(at.main, True, visit)
    return total, sections


@pytest.mark.parametrize("lesson", [lesson.page for lesson in LESSONS])
def test_a_lesson_opens_with_room_to_breathe(lesson: str) -> None:
    total, sections = count(first_open(lesson))
    assert total <= MOST_WORDS, f"{lesson}: {total} words of prose on first open"
    assert len(sections) >= 5
    crowded = {title: n for title, n in sections.items()
               if n["downloads"] > MOST_DOWNLOADS or n["metrics"] > MOST_METRICS}
    assert not crowded, crowded


def test_the_counter_counts_what_a_student_sees() -> None:
    assert words("**Predict first.** :material/psychology_alt: Where does `king - man` land?") == 7
