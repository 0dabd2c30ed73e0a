"""Every page, every toggle, presenter mode included (issue 21, finding 7).

Presenter mode used to break the Live class page: its header drew a "Start a
class" button with the same key as the page's own (StreamlitDuplicateElementKey).
These tests open each page through ``dashboard.py``, flip every toggle on it
one at a time (with presenter mode off, then on) and check that no run raises
and that each toggle holds the value it was given. The Live class page is
walked twice more: with a class running, and reopened from its teacher link.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import app_state
from app_state import APP, LIVE
from tests.apptest_utils import assert_no_exception
from tests.live_class_utils import open_app, store  # noqa: F401 - store is a fixture

PRESENTER = APP.presenter.key
ALL_PAGES = {page.name: page.path for page in app_state.PAGES}


@pytest.fixture(autouse=True)
def class_store(store):  # type: ignore[no-untyped-def]
    """Every test here gets a class database of its own."""
    return store


def _toggle_keys(at: AppTest) -> list[str]:
    # A disabled toggle (one that waits for a prediction) is one a student cannot flip either.
    return [t.key for t in at.toggle if t.key and not t.disabled]


def _flip_every_toggle(at: AppTest) -> list[str]:
    """Flip each toggle on the page and back; return the keys flipped (presenter mode's last)."""
    keys = sorted(_toggle_keys(at), key=lambda key: key == PRESENTER)
    for key in keys:
        for _ in range(2):  # there and back again
            value = at.toggle(key=key).value
            at.toggle(key=key).set_value(not value).run()
            assert_no_exception(at)
            assert at.toggle(key=key).value is (not value), key
    return keys


@pytest.mark.parametrize("name", list(ALL_PAGES))
def test_every_toggle_on_every_page_with_and_without_presenter_mode(name: str) -> None:
    at = open_app(ALL_PAGES[name])
    assert PRESENTER in _flip_every_toggle(at)
    at.toggle(key=PRESENTER).set_value(True).run()
    assert_no_exception(at)
    assert at.session_state[PRESENTER] is True
    assert PRESENTER in _flip_every_toggle(at)


def test_a_link_in_presenter_mode_opens_the_live_class_page() -> None:
    at = open_app(ALL_PAGES["live_class"], {PRESENTER: "true"})
    assert at.session_state[PRESENTER] is True
    assert len([b for b in at.button if b.key == LIVE.start.key]) == 1


def test_presenter_mode_with_a_class_running(class_store) -> None:
    at = open_app(ALL_PAGES["live_class"], {PRESENTER: "true"})
    at.button(key=LIVE.start.key).click().run()
    assert_no_exception(at)
    code = at.session_state[LIVE.teacher.key]["code"]
    assert PRESENTER in _flip_every_toggle(at)
    assert at.session_state[LIVE.teacher.key]["code"] == code  # the class survived every flip
    for name in ("home", "format_matters"):  # presenter mode on a lesson page, the class still running
        at.switch_page(ALL_PAGES[name]).run()
        assert_no_exception(at)
        assert not [b for b in at.button if b.key == LIVE.start.key]  # a link to the class instead

    new = class_store.create_class()
    teacher = open_app(ALL_PAGES["live_class"], {PRESENTER: "true", "class": new.code, "teacher": new.teacher_key})
    assert teacher.session_state[LIVE.teacher.key]["code"] == new.code
    assert PRESENTER in _flip_every_toggle(teacher)
