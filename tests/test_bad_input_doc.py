"""docs/bad-input.md says what the app answers; these tests hold the app to it.

* Every example of the expression table gives exactly the documented message,
  and that message, escaped for markdown as the page shows it, reads the same
  (issue 11, finding 7: "king * man" came out in italics).
* The link notices quoted in the "Links" section are what ``url_problems`` says.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

import app_state
from embedcore.expressions import evaluate
from tests.apptest_utils import ROOT
from ui.text import WORD_JOINER, md

DOC = (ROOT / "docs" / "bad-input.md").read_text()
EXPRESSIONS = DOC.split("## The expression box")[1].split("\n## ")[0]
LINKS = DOC.split("## Links (URL parameters)")[1].split("\n## ")[0]
ROW = re.compile(r'^\|\s*(?P<what>.+?)\s*\|\s*`(?P<example>.+?)`\s*\|\s*"(?P<message>.+)"\s*\|$')
EXAMPLES = [m.group("example", "message") for line in EXPRESSIONS.splitlines() if (m := ROW.match(line))]


@pytest.fixture(scope="module")
def wv():
    from ui.cache import word_vectors

    return word_vectors()


def test_the_table_has_its_examples() -> None:
    assert len(EXAMPLES) >= 20
    assert "king * man" in dict(EXAMPLES) and "2king" in dict(EXAMPLES)


@pytest.mark.parametrize(("example", "message"), EXAMPLES, ids=[e for e, _ in EXAMPLES])
def test_each_expression_example_gives_the_documented_message(wv, example: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        evaluate(example, wv)
    assert str(error.value) == message
    # As the page shows it: escaped, then rendered as markdown, it reads exactly the same.
    paragraph = MarkdownIt("commonmark").parseInline(md(message))[0].children
    assert "".join(t.content for t in paragraph if t.type == "text").replace(WORD_JOINER, "") == message


def _quoted(text: str) -> list[str]:
    return re.findall(r'"([^"]+)"', " ".join(text.split()))


def test_the_link_notices_in_the_doc_are_the_apps() -> None:
    quoted = _quoted(LINKS)
    notice = next(q for q in quoted if q.startswith(":material/link_off:"))
    problems = app_state.url_problems(app_state.FM, {"foo": ["1"], "fm.map_k": ["99"]})
    assert notice == ":material/link_off: Some settings in this link were ignored: " + "; ".join(problems) + "."
    assert app_state.url_problems(app_state.FM, {"fm.toy_3d": ["YES"]})[0] in quoted
    assert app_state.url_problems(app_state.FM, {"fm.map_k": ["3", "99"]})[0] in quoted
