"""Finding 4 of issue 11: nothing a student sends is rendered as markup.

Text from a link (parameter names and values), a text box or an upload
(labels, file names) reaches captions, notices, error boxes, metrics and chart
labels. These tests send links, images and HTML that point at
``evil.example`` through each of those ways and check what the page hands to
the browser:

* every markdown body is parsed with a CommonMark parser (markdown-it-py,
  with GFM's extensions): no link, image or raw HTML may mention evil.example,
  and the text must still be there, shown as text;
* every string of every plotly figure that mentions evil.example must hold
  no tag (plotly renders ``<a href>`` as a live link).
"""

from __future__ import annotations

import json

import numpy as np
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from streamlit.testing.v1 import AppTest

from app_state import FM
from embedcore import userdata
from embedcore.expressions import ExpressionError, parse
from tests.apptest_utils import DASHBOARD, PAGES, assert_no_exception
from tests.test_text import gfm_autolinks
from ui.text import WORD_JOINER

PARSER = MarkdownIt("gfm-like").use(dollarmath_plugin)
HOST = "evil.example"
LINK = f"[click me](https://{HOST}/x)"
IMAGE = f"![i](http://{HOST}/u.png)"
ANCHOR = f'<a href="https://{HOST}/a">a</a>'


# -- what the browser would get ---------------------------------------------------------------


def _markdown_bodies(at: AppTest) -> list[str]:
    """Every string the page renders as markdown: text elements, alerts and metrics."""
    bodies = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success", "toast")
              for e in getattr(at, kind)]
    for m in at.metric:
        bodies += [m.label, m.value, m.proto.delta]
    return [str(b) for b in bodies]


def _tokens(source: str):
    for token in PARSER.parse(source):
        yield token
        yield from token.children or ()


def _parsed_text(source: str) -> str:
    return "".join(t.content for t in _tokens(source) if t.type in ("text", "code_inline"))


def _plain(source: str) -> str:
    """The text a reader sees in ``source``, markup removed."""
    return _parsed_text(source).replace(WORD_JOINER, "")


def assert_no_live_markup(at: AppTest) -> str:
    """No markdown body links to, loads from or embeds HTML about evil.example; return all shown text."""
    shown = []
    for body in _markdown_bodies(at):
        for token in _tokens(body):
            target = " ".join(str(v) for v in (token.attrs or {}).values())
            if token.type in ("link_open", "image"):
                assert HOST not in target, f"live {token.type} to {target!r} in {body!r}"
            if token.type in ("html_inline", "html_block", "math_inline", "math_block"):
                assert HOST not in token.content, f"live {token.type} in {body!r}"
        # GFM links bare URLs in the parsed text, after markdown's escapes (see tests/test_text.py).
        assert not [u for u in gfm_autolinks(_parsed_text(body)) if HOST in u], f"bare URL in {body!r}"
        shown.append(_plain(body))
    return "\n".join(shown)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def chart_strings_about_host(at: AppTest) -> list[str]:
    """Every chart string that mentions evil.example; none may carry a tag."""
    found = []
    for element in at.get("plotly_chart"):
        for text in _strings(json.loads(element.proto.spec)):
            if HOST in text:
                # Plotly's own line break between the lines of a numbers box (ui.components.frames) is no tag.
                bare = text.replace("<br>", "\n")
                assert "<" not in bare and ">" not in bare, f"{element.proto.id}: tag in chart text {text!r}"
                found.append(text)
    return found


def open_fm(query: dict[str, str] | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=180)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.switch_page(PAGES["format_matters"])
    at.session_state[FM.map_method.key] = "PCA"  # no t-SNE wait
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    assert_no_exception(at)
    return at


# -- links ---------------------------------------------------------------------------------


def test_link_parameter_names_and_values_are_shown_as_text() -> None:
    """`/format_matters?[click me](https://evil.example/x)=1` and `?fm.noise=![i](...)`: the notice quotes them."""
    at = open_fm({LINK: "1", "fm.noise": IMAGE})
    notices = [c.value for c in at.caption if LINK[:20] in _plain(c.value) or "fm.noise" in _plain(c.value)]
    assert notices, [c.value for c in at.caption]
    shown = assert_no_live_markup(at)
    assert LINK[:40] in shown and IMAGE[:40] in shown  # quoted, as text


def test_link_text_boxes_are_shown_as_text() -> None:
    """Bound text boxes (encode/decode, a quoted phrase in the expression, averages, axes) echo the text."""
    at = open_fm({
        "fm.encode_text": f"[x](https://{HOST}/e)",
        "fm.expression": f'king + "![i](http://{HOST}/p.png)"',
        "fm.average_words": f"cat, [x](https://{HOST}/m)",
        "fm.y_negative": f"person, <b>[y](//{HOST})</b>",
    })
    shown = assert_no_live_markup(at)
    assert f"[x](https://{HOST}/e)" in shown  # the out-of-vocabulary note quotes it
    assert f"![i](http://{HOST}/p.png)" in shown
    charts = chart_strings_about_host(at)
    assert any(f"[x](https://{HOST}/e)" in t for t in charts)  # the colour strip's label
    assert any(f"&lt;b&gt;[y](//{HOST})&lt;/b&gt;" in t for t in charts)  # the word-axes title


def test_typed_words_in_boxes_and_the_toy_table_are_shown_as_text() -> None:
    word = f"<a href=https://{HOST}>t</a>"[:30]
    table = [{"word": "king", "gender": 1, "royalty": 1, "age": 0}, {"word": "man", "gender": 1, "royalty": 0, "age": 0},
             {"word": "woman", "gender": -1, "royalty": 0, "age": 0}, {"word": "queen", "gender": -1, "royalty": 1, "age": 0},
             {"word": word, "gender": 0.5, "royalty": 0.5, "age": 0},
             {"word": f"[z](https://{HOST}/z)", "gender": "x", "royalty": 0, "age": 0}]
    at = open_fm(state={
        FM.toy_table.key: table,
        FM.toy_a.key: word,
        FM.onehot_pair.key: [word, "king"],
        FM.expected.key: f"[q](https://{HOST}/q)",
        FM.ex_queen.key: f"[r](https://{HOST}/r)",
        FM.map_extra.key: f"bus, ![m](http://{HOST}/m)",
    })
    shown = assert_no_live_markup(at)
    for text in (word, f"[z](https://{HOST}/z)", f"[q](https://{HOST}/q)", f"[r](https://{HOST}/r)"):
        assert text in shown, text
    charts = chart_strings_about_host(at)
    assert any(t.startswith("&lt;a href=") for t in charts)  # the toy plane's and the heat maps' labels
    assert any(f"![m](http://{HOST}/m)" in t for t in charts)  # the Car-Land map


def test_expression_errors_keep_their_stars() -> None:
    """Finding 7: 'king * man' and '2king' came out in italics; the message is shown as the parser wrote it."""
    for expression in ("king * man", "2king * man", "king * man * woman"):
        at = open_fm({"fm.expression": expression})
        try:
            parse(expression)
        except ExpressionError as error:
            message = str(error)
        (box,) = [e.value for e in at.error]
        assert message in _plain(box), (box, message)
        assert not [t for t in _tokens(box) if t.type == "em_open"], box


# -- uploads -------------------------------------------------------------------------------


def test_uploaded_labels_and_file_names_are_shown_as_text() -> None:
    labels = [ANCHOR, LINK, IMAGE, ANCHOR, "cat", "dog"]  # ANCHOR twice: the duplicate warning quotes it
    matrix = np.eye(6) + 0.1
    at = open_fm()
    name = f"v[f](https://{HOST}/f).tsv"
    vectors = [u for u in at.file_uploader if u.key.startswith(FM.upload_vectors.key + ".")][0]
    vectors.set_value((name, userdata.to_projector_tsv(matrix).encode(), "text/plain"))
    meta = [u for u in at.file_uploader if u.key.startswith(FM.upload_labels.key + ".")][0]
    meta.set_value(("metadata.tsv", ("\n".join(labels) + "\n").encode(), "text/plain"))
    at.run()
    assert_no_exception(at)
    shown = assert_no_live_markup(at)
    assert ANCHOR in shown and name in shown  # the duplicate warning and the success message
    charts = chart_strings_about_host(at)
    assert any(t == f'&lt;a href="https://{HOST}/a"&gt;a&lt;/a&gt;' for t in charts), charts
    assert any(LINK in t for t in charts) and any(IMAGE in t for t in charts)
