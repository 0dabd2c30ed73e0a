"""The end-of-class summary as a self-contained HTML page (issue 25, part 4), on both databases.

The page is parsed with the standard library's HTML parser:

* no ``<script>``, no event-handler attribute, no ``<link>``, ``<iframe>``,
  ``<img>`` or ``<object>``, and no external URL anywhere (attributes, CSS
  ``url(...)`` or ``@import``): it opens the same offline, years later;
* the charts are inline SVG, one per question plus one of the shares right;
* every student text is escaped: a reason or an answer holding ``<b>`` or
  ``<a href>`` makes no element, and reads back as typed;
* the numbers in the table are the store's, recounted here from the raw rows.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest

from classroom.questions import QUESTIONS
from classroom.report_html import render
from classroom.store import ClassStore
from tests.test_classroom_room import PREDICTION
from tests.test_classroom_store import VOTE, Clock, clock, db_url, joined_class, store  # noqa: F401 - fixtures

AUNT = "fm.exercise.aunt"
HOSTILE = ['<b style="font-size:90px">X</b>', '<a href="https://evil.example/x">click</a>', '<script>alert(1)</script>']
ALLOWED = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "span", "table", "thead", "tbody",
           "tr", "th", "td", "section", "blockquote", "svg", "text", "rect", "line", "div"}


class Page(HTMLParser):
    """Tags, attributes, text and the table's rows of a rendered summary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self.rows: dict[str, dict[str, str]] = {}
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        self._in_style = tag == "style"
        if tag == "tr" and "data-question" in values:
            self.rows[values["data-question"]] = {}
        elif tag == "td" and self.rows:
            last = list(self.rows.values())[-1]
            last.update({k.removeprefix("data-"): v for k, v in values.items() if k.startswith("data-")})

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def _class_with_answers(store: ClassStore, clock: Clock):  # type: ignore[no-untyped-def]
    new = joined_class(store, 4)
    choices = QUESTIONS[PREDICTION].choices
    for i, token in enumerate(new.tokens):
        clock.now += 1
        choice = choices[0] if i == 0 else choices[1]
        store.record(new.code, token, PREDICTION, choice, checked=i == 0, reason=HOSTILE[i % len(HOSTILE)])
        store.record(new.code, token, VOTE, ("good", "bad", "it depends")[i % 3], reason=f"vote reason {i}")
    clock.now += 1
    store.record(new.code, new.tokens[1], PREDICTION, choices[0], checked=True, reason=HOSTILE[0])  # after the reveal
    store.record(new.code, new.tokens[2], AUNT, HOSTILE[1], checked=False)
    for reason in store.summary(new.code, new.teacher_key).questions[PREDICTION].reasons[:2]:
        clock.now += 1
        store.show_reason(new.code, new.teacher_key, PREDICTION, reason.student)
    return new


def test_the_summary_is_self_contained_and_escapes_every_student_text(store: ClassStore, clock: Clock) -> None:
    new = _class_with_answers(store, clock)
    html = render(store.report(new.code, new.teacher_key))
    page = parse(html)
    tags = {tag for tag, _ in page.tags}
    assert tags <= ALLOWED, tags - ALLOWED  # no script, link, img, iframe, object, a: student markup made nothing
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "://" not in value and not value.lower().startswith(("javascript:", "data:", "//")), (tag, name)
    css = " ".join(page.styles)
    assert "url(" not in css and "@import" not in css and "://" not in css
    assert html.count("<svg") == 2 + 1 + 2  # answers and shares right: the prediction, the exercise; the vote: answers
    text = " ".join(page.text)
    for typed in HOSTILE:
        assert typed in text  # read back as typed, as text
    assert "<b style" not in html and "&lt;b style=&quot;font-size:90px&quot;&gt;X&lt;/b&gt;" in html


def test_the_summarys_numbers_are_the_stores(store: ClassStore, clock: Clock) -> None:
    new = _class_with_answers(store, clock)
    report = store.report(new.code, new.teacher_key)
    page = parse(render(report))
    assert [t for t, a in page.tags if t == "span" and a.get("data-joined") == "4"]
    rows = store.answer_rows(new.code, new.teacher_key)
    assert set(page.rows) == {r["question"] for r in rows}
    for qid, cells in page.rows.items():
        mine = [r for r in rows if r["question"] == qid]
        assert int(cells["answered"]) == len(mine)
        assert int(cells["reasons"]) == sum(1 for r in mine if r["reason"])
        if QUESTIONS[qid].has_right_answer:
            first = sum(1 for r in mine if r["first_correct"]) / len(mine)
            latest = sum(1 for r in mine if r["correct"]) / len(mine)
            assert float(cells["share-first"]) == pytest.approx(first, abs=1e-6)
            assert float(cells["share-latest"]) == pytest.approx(latest, abs=1e-6)
            wrong = Counter(r["first_answer"] for r in mine if r["first_correct"] is False)
            assert int(cells["common-wrong-count"]) == (max(wrong.values()) if wrong else 0)
        else:
            assert cells["share-first"] == cells["share-latest"] == ""
    assert float(page.rows[PREDICTION]["share-first"]) == pytest.approx(0.25)
    assert float(page.rows[PREDICTION]["share-latest"]) == pytest.approx(0.5)
    shown = [r.text for r in store.summary(new.code, new.teacher_key).questions[PREDICTION].reasons if r.shown]
    assert len(shown) == 2 and all(text in " ".join(page.text) for text in shown)


def test_an_empty_class_has_a_summary_too(store: ClassStore) -> None:
    new = joined_class(store, 0)
    page = parse(render(store.report(new.code, new.teacher_key)))
    assert not page.rows and "No question was answered" in " ".join(page.text)
