"""The projector in a real browser: students' answers as text, and the teacher link shown once (issue 21).

* Finding 6: a typed exercise answer ``<a href="https://evil.example/x">click
  me</a>`` became a clickable link on the teacher's answer chart, and ``<b
  style="font-size:90px">X</b>`` 90 px text. Two students (protocol clients,
  ``benchmarks/st_client.py``) type them into the Format matters exercise; the
  teacher's chart in chromium must hold no ``<a>`` element, no style from the
  student and show the characters as typed, on the axis and in the hover text.
* Issue 25: a student's reason ``<b style="font-size:90px">X</b>``, a link
  or markdown, put on the projector by the teacher, shows as the characters
  typed, in the projector's quotes and in the teacher's list of reasons.
* After "Start a class" the teacher link is shown once, plainly, with a copy
  button that puts the whole link on the clipboard; its key is not printed
  on the projector (only inside the folded expander), and the box goes away
  once the teacher says it is saved.
"""

from __future__ import annotations

import re
import sys
from urllib.parse import parse_qs, urlsplit

from app_state import FM
from classroom.store import ClassStore
from tests.browser.conftest import ROOT, in_own_thread
from tests.browser.live_class_utils import READY, chromium, live_server, teacher_view  # noqa: F401 - a fixture

HOSTILE = ['<a href="https://evil.example/x">click me</a>', '<b style="font-size:90px">X</b>']


def _students_type(url: str, code: str) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from st_client import StreamlitSession

    for answer in HOSTILE:
        with StreamlitSession(url) as student:
            first = student.open_page("format_matters", f"class={code}")
            assert first.status == "ok" and not first.exceptions
            run = student.set_widget(FM.ex_aunt.key, answer)
            assert run.status == "ok" and not run.exceptions


def test_students_answers_are_text_on_the_projector(live_server) -> None:
    in_own_thread(_markup, live_server)


def _markup(live_server) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    url, data = live_server
    store = ClassStore.from_env(data)
    new = store.create_class()
    _students_type(url, new.code)
    assert store.count_answers(new.code) == 2
    store.close()
    with chromium(90_000) as browser:
        page = teacher_view(browser, url, new.code, new.teacher_key)
        chart = page.locator(".st-key-live-question-fm-exercise-aunt .js-plotly-plot")
        expect(chart).to_be_visible()
        ticks = chart.locator(".xtick text")
        expect(ticks).to_have_count(2)
        shown = sorted(t.text_content() for t in ticks.all())
        assert shown == sorted(['<a href="https://evil.example/x">click …', '<b style="font-size:90px">X</b>'])
        assert chart.locator("a").count() == 0  # no link anywhere in the chart's SVG
        assert chart.locator('[style*="90px"]').count() == 0  # no style from the student
        assert page.locator('a[href*="evil.example"]').count() == 0
        for bar in chart.locator(".point path").all():
            where = bar.bounding_box()  # plotly's drag layer takes the pointer: move the mouse there
            page.mouse.move(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
            hover = page.locator(".hoverlayer .hovertext")
            expect(hover).to_have_count(1)
            assert hover.locator("a").count() == 0 and hover.locator('[style*="90px"]').count() == 0
            assert "<" in hover.text_content()  # the characters as typed


def test_the_teacher_link_is_shown_once_with_a_copy_button(live_server) -> None:
    in_own_thread(_copy_link, live_server)


def _copy_link(live_server) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    url, _ = live_server
    with chromium(90_000) as browser:
        context = browser.new_context(viewport={"width": 1600, "height": 2000})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
        page = context.new_page()
        page.goto(f"{url}/live_class")
        page.wait_for_function(READY, timeout=180_000)
        page.get_by_role("button", name="Start a class").click()
        box = page.locator(".st-key-live-teacher-link")
        expect(box).to_be_visible()
        box.get_by_role("button", name="Copy the teacher link").click()
        expect(box.get_by_role("status")).to_have_text(re.compile("Copied"))
        copied = page.evaluate("navigator.clipboard.readText()")
        query = parse_qs(urlsplit(copied).query)
        assert copied.startswith(f"{url}/live_class?") and set(query) == {"class", "teacher"}
        key = query["teacher"][0]
        assert len(key) >= 32
        assert key not in page.locator('[data-testid="stMain"]').inner_text()  # not on the projector
        assert key not in page.url
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert cookies["ew_teacher"] == f"{query['class'][0]}.{key}"  # kept for a restart

        teacher = browser.new_context().new_page()  # the copied link opens the view on another device
        teacher.goto(copied)
        teacher.wait_for_function(READY, timeout=180_000)
        expect(teacher.locator("h1").filter(has_text=query["class"][0][:4])).to_be_visible()

        box.get_by_role("button", name="I have saved it").click()
        expect(box).to_have_count(0)
        page.reload()
        page.wait_for_function(READY, timeout=180_000)
        expect(page.locator("h1").filter(has_text=query["class"][0][:4])).to_be_visible()  # the cookie kept it
        expect(page.locator(".st-key-live-teacher-link")).to_have_count(0)  # shown once


REASONS = ['<b style="font-size:90px">X</b> is why', '<a href="https://evil.example/x">click me</a>',
           "**bold** and [a link](https://evil.example/y) and $x$"]


def test_a_reason_with_markup_is_text_on_the_projector(live_server) -> None:
    in_own_thread(_reason_markup, live_server)


def _reason_markup(live_server) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    url, data = live_server
    store = ClassStore.from_env(data)
    new = store.create_class()
    for reason in REASONS:
        store.record(new.code, store.take_seat(new.code).token, "ii.homework.vote", "good", reason=reason)
    for reason in store.summary(new.code, new.teacher_key).questions["ii.homework.vote"].reasons:
        store.show_reason(new.code, new.teacher_key, "ii.homework.vote", reason.student)
    store.close()
    with chromium(90_000) as browser:
        page = teacher_view(browser, url, new.code, new.teacher_key)
        projector = page.locator(".st-key-live-projector-ii-homework-vote")
        quotes = projector.locator("blockquote")
        expect(quotes).to_have_count(3)
        shown = [q.inner_text().strip().replace("\u2060", "") for q in quotes.all()]  # md: a word joiner in URLs
        assert shown == [f"“{r}”" for r in REASONS]
        fold = page.locator(".st-key-live-reasons-ii-homework-vote")
        fold.locator("summary").click()
        for reason in REASONS:
            expect(fold.get_by_text(reason, exact=True)).to_be_visible()  # st.text: as typed
        for where in (projector, fold):
            assert where.locator("b, strong:has-text('bold'), a, img, script, .katex").count() == 0
            assert where.locator('[style*="90px"]').count() == 0
        assert page.locator('a[href*="evil.example"]').count() == 0
