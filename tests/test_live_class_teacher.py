"""The teacher's view keeps its class (issue 21): the link shown once, the cookie, errors, escaped answers.

AppTest cannot send cookies, so the tests stand in for the browser at
``ui.live_session.cookie`` (what ``st.context.cookies`` holds after the
websocket's handshake) and read the cookies the page writes from its fixed
scripts. The real browser, with a real restart, is
tests/browser/test_browser_live_class_crash.py.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from app_state import LIVE
from classroom.store import ClassStore, TooManyTries
from tests.apptest_utils import PAGES, assert_no_exception, chart, metric
from tests.live_class_utils import LIVE_PAGE, open_app, store  # noqa: F401 - store is a fixture
from ui import live_session

AUNT = "fm.exercise.aunt"


@pytest.fixture
def browser_cookies(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The cookies the next sessions' browser sends (fill it before opening a page)."""
    jar: dict[str, str] = {}
    monkeypatch.setattr(live_session, "cookie", lambda name: jar.get(name, ""))
    return jar


def written_cookies(at: AppTest) -> dict[str, str]:
    """Cookies the page's fixed scripts write: name -> value."""
    found = {}
    for element in at.get("html"):
        match = re.search(r"document\.cookie=(\"[^\"]+\")\+'='\+(\"[^\"]*\")", element.proto.body)
        if match:
            found[json.loads(match.group(1))] = json.loads(match.group(2))
    return found


def shown_text(at: AppTest, *, outside_expanders: bool = True) -> str:
    """Every markdown, caption and code text on the page (optionally leaving out folded expanders)."""
    folded = {id(e) for exp in at.expander for kind in ("code", "markdown", "caption") for e in exp.get(kind)}
    return " ".join(
        str(e.value) for kind in ("code", "markdown", "caption") for e in at.get(kind)
        if not (outside_expanders and id(e) in folded)
    )


def test_after_start_the_link_is_shown_once_with_a_copy_button_and_the_key_unprinted(store: ClassStore) -> None:
    at = open_app(LIVE_PAGE)
    at.button(key=LIVE.start.key).click().run()
    assert_no_exception(at)
    teacher = at.session_state[LIVE.teacher.key]
    code, key = teacher["code"], teacher["key"]
    copy = [h.proto.body for h in at.get("html") if "ew-copy-teacher-link" in h.proto.body]
    assert len(copy) == 1 and json.dumps(key) in copy[0] and "location.origin" in copy[0]
    assert any(f"class={code}&teacher=…" in c.value for c in at.code)  # the link, its key left out
    assert key not in shown_text(at)  # never printed outside the folded expander
    assert key in shown_text(at, outside_expanders=False)  # which still has it, for later
    assert written_cookies(at)[live_session.TEACHER_COOKIE] == f"{code}.{key}"  # kept by the browser

    at.button(key=LIVE.link_saved.key).click().run()
    at.run()
    assert not [h for h in at.get("html") if "ew-copy-teacher-link" in h.proto.body]  # once
    assert not [b for b in at.button if b.key == LIVE.link_saved.key]
    assert at.session_state[LIVE.teacher.key]["code"] == code


def test_after_a_restart_the_teachers_page_finds_its_class_in_the_cookie(store: ClassStore, browser_cookies) -> None:
    new = store.create_class()
    store.record(new.code, store.take_seat(new.code).token, "ii.homework.vote", "good")
    browser_cookies[live_session.TEACHER_COOKIE] = f"{new.code}.{new.teacher_key}"
    at = open_app(LIVE_PAGE)  # a new session, as after a reconnect to a restarted server
    assert at.session_state[LIVE.teacher.key]["code"] == new.code
    assert metric(at, "Students joined") == "1"
    assert not [b for b in at.button if b.key == LIVE.start.key]
    assert not [h for h in at.get("html") if "ew-copy-teacher-link" in h.proto.body]  # not shown again
    lesson = open_app(PAGES["home"], {"app.presenter": "true"})  # presenter mode on a lesson page
    assert not [b for b in lesson.button if b.key == LIVE.start.key]

    store.clock = lambda: new.expires_at + 1  # the class has ended: the cookie is let go
    ended = open_app(LIVE_PAGE)
    assert ended.session_state[LIVE.teacher.key] == {}
    assert written_cookies(ended)[live_session.TEACHER_COOKIE] == ""
    assert [b for b in ended.button if b.key == LIVE.start.key]


@pytest.mark.parametrize("key", ["wrong-key-0000000000000000", "not a key", ""])
def test_a_bad_teacher_cookie_opens_nothing(store: ClassStore, browser_cookies, key: str) -> None:
    new = store.create_class()
    browser_cookies[live_session.TEACHER_COOKIE] = f"{new.code}.{key}"
    at = open_app(LIVE_PAGE)
    assert at.session_state[LIVE.teacher.key] == {}
    assert [b for b in at.button if b.key == LIVE.start.key]


@pytest.mark.parametrize("error", [TooManyTries(), OperationalError("SELECT", {}, Exception("database is locked"))])
def test_an_error_while_refreshing_never_forgets_the_class(store: ClassStore, monkeypatch, error) -> None:
    new = store.create_class()
    at = open_app(LIVE_PAGE, {"class": new.code, "teacher": new.teacher_key})
    real = ClassStore.summary

    def failing(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr(ClassStore, "summary", failing)
    at.run()
    assert_no_exception(at)
    assert at.warning and "kept" in at.warning[0].value
    assert at.session_state[LIVE.teacher.key]["code"] == new.code
    monkeypatch.setattr(ClassStore, "summary", real)
    at.run()
    assert metric(at, "Students joined") == "0" and not at.warning


HOSTILE = ['<a href="https://evil.example/x">click me</a>', '<b style="font-size:90px">X</b>', "a &lt; b & c > d"]


def test_students_answers_reach_the_teachers_chart_as_text(store: ClassStore) -> None:
    """Issue 21, finding 6: the answer chart put typed answers into plotly as markup."""
    new = store.create_class()
    for answer in HOSTILE:
        store.record(new.code, store.take_seat(new.code).token, AUNT, answer, checked=False)
    at = open_app(LIVE_PAGE, {"class": new.code, "teacher": new.teacher_key})
    spec = chart(at, LIVE.chart.at(AUNT))
    labels = spec["data"][0]["x"]
    assert not [label for label in labels if "<" in label or ">" in label]
    assert sorted(labels) == sorted(
        ['&lt;a href="https://evil.example/x"&gt;click …',  # cut at 40 characters, then escaped
         '&lt;b style="font-size:90px"&gt;X&lt;/b&gt;', "a &amp;lt; b &amp; c &gt; d"]
    )
    assert spec["data"][0]["hovertemplate"].startswith("%{x}")  # the hover shows the escaped label too


def test_a_browser_gets_one_seat_per_class(store: ClassStore, browser_cookies) -> None:
    new = store.create_class()
    first = open_app(PAGES["home"], {"class": new.code})
    seat = first.session_state[LIVE.joined.key]["token"]
    cookie = written_cookies(first)[live_session.SEAT_COOKIE]
    assert store.unsign(cookie) == first.session_state[LIVE.browser.key]["id"]
    browser_cookies[live_session.SEAT_COOKIE] = cookie
    again = open_app(PAGES["imperfect_information"], {"class": new.code})  # another tab, no ?seat=
    assert again.session_state[LIVE.joined.key]["token"] == seat
    assert live_session.SEAT_COOKIE not in written_cookies(again)  # it has it already
    browser_cookies[live_session.SEAT_COOKIE] = cookie[:-1] + ("0" if cookie[-1] != "0" else "1")  # tampered
    other = open_app(PAGES["home"], {"class": new.code})
    assert other.session_state[LIVE.joined.key]["token"] != seat
    assert store.summary(new.code, new.teacher_key).joined == 2
