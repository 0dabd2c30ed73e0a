"""ui.text: a student's text, escaped, renders as exactly that text and nothing more.

The markdown checks parse the escaped text with markdown-it-py, a CommonMark
parser, with the extensions Streamlit's markdown also has (GFM tables,
strikethrough, bare-URL links, $...$ maths). Streamlit's own directives
(":red[...]", ":material/...:") start with an unescaped ":", which the
structural property below rules out.
"""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from ui.text import WORD_JOINER, md, plot

PARSER = MarkdownIt("gfm-like").use(dollarmath_plugin)  # gfm-like = CommonMark + tables, ~~, linkify

# remark-gfm (Streamlit's markdown) links bare URLs and e-mail addresses in the parsed *text*, after
# backslash escapes are gone (mdast-util-gfm-autolink-literal; its regexes, with JavaScript's ASCII \w).
# markdown-it's linkify runs before escaped characters are joined to their text, so it misses these.
# Stricter than GFM: any match counts, whatever precedes it.
GFM_AUTOLINKS = (re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE | re.ASCII),
                 re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII))


def gfm_autolinks(text: str) -> list[str]:
    """The bare URLs and addresses remark-gfm would turn into links in ``text`` (parsed text)."""
    return [m.group(0) for pattern in GFM_AUTOLINKS for m in pattern.finditer(text)]

HOSTILE = [
    "[click me](https://evil.example/x)",
    "![i](http://host/u.png)",
    '<a href="https://evil.example">x</a>',
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "https://evil.example/x",
    "www.evil.example",
    "someone@evil.example",
    "**bold** _it_ `code` ~~gone~~",
    "king * man",
    "2*king * 3*queen",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "$x^2$ and $$y$$",
    ":red[red] :material/home: :smile: :streamlit:",
    "&lt;b&gt; &amp; &#60;",
    "back\\slash\\",
    "    indented code",
    "line\n===",
    "a  \nb",
    "[ref]: https://evil.example",
    "\\[already escaped\\]",
]

# Text a student could send: heavy on markdown's special characters.
student_text = st.lists(
    st.one_of(
        st.sampled_from(list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r")),
        st.sampled_from(list("aZ09hpstw")),
        st.sampled_from(["https://", "HTTP://", "www.", "WWW.", "x@y.z", ".example", ":material/home:", ":red["]),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    ),
    max_size=30,
).map("".join)


def _inline_tokens(source: str) -> list:
    """The inline tokens of ``source``, which must parse as one plain paragraph."""
    blocks = PARSER.parse(source)
    assert [t.type for t in blocks] == ["paragraph_open", "inline", "paragraph_close"], source
    return blocks[1].children


def _shown(text: str) -> str:
    """What a paragraph shows for ``text``: line breaks as spaces (md's rule), edges trimmed by the sentence."""
    return re.sub(r"[ \t]*(?:\r\n|\r|\n)[ \t]*", " ", text)


def _assert_plain(text: str) -> None:
    # The app puts student text inside its own sentences ("'{md(word)}' is not ..."), and at their start.
    for source, shown in ((f"x {md(text)} x", f"x {_shown(text)} x"),):
        children = _inline_tokens(source)
        assert {t.type for t in children} <= {"text"}, (text, [t.type for t in children])
        parsed = "".join(t.content for t in children)
        assert gfm_autolinks(parsed) == [], (text, parsed)
        assert parsed.replace(WORD_JOINER, "").split() == shown.replace(WORD_JOINER, "").split()


def test_hostile_text_parses_as_plain_text() -> None:
    for text in HOSTILE:
        _assert_plain(text)
        rendered = PARSER.render(md(text))
        assert gfm_autolinks(rendered) == [], rendered
        assert "<a" not in rendered and "<img" not in rendered and "<code" not in rendered, rendered
        assert "<h1" not in rendered and "<table" not in rendered and "<em" not in rendered, rendered


def test_a_message_that_starts_with_student_text_is_one_paragraph() -> None:
    for text in ("    four spaces", "\tab", "# x", "- x", "1) x", "> x", "=== x", "x\n---"):
        rendered = PARSER.render(md(text)).strip()
        assert rendered.startswith("<p>") and rendered.endswith("</p>"), (text, rendered)
        assert rendered.count("<p>") == 1


def test_stars_survive() -> None:
    """Finding 7: 'king * man' lost its stars to italics."""
    children = _inline_tokens(md("'*' at position 6 multiplies two vectors (0.5*king)"))
    assert "".join(t.content for t in children) == "'*' at position 6 multiplies two vectors (0.5*king)"


@settings(max_examples=400, deadline=None)
@given(student_text)
def test_escaped_text_renders_as_itself(text: str) -> None:
    _assert_plain(text)


@settings(max_examples=400, deadline=None)
@given(student_text)
def test_no_markdown_character_is_left_live(text: str) -> None:
    """Structurally: every ASCII punctuation mark is escaped, and no line break is left.

    Every markdown construct, and each of Streamlit's directives (":red[...]",
    ":material/...:", "$...$"), needs an unescaped punctuation mark or a new line.
    """
    escaped = md(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert gfm_autolinks(escaped.replace("\\", "")) == [], escaped
    i = 0
    while i < len(escaped):
        char = escaped[i]
        if char == "\\":
            assert i + 1 < len(escaped) and re.fullmatch(r"[!-/:-@\[-`{-~]", escaped[i + 1]), escaped
            i += 2
            continue
        assert not re.fullmatch(r"[!-/:-@\[-`{-~]", char), (text, escaped, i)
        i += 1


# --------------------------------------------------------------------------
# plotly
# --------------------------------------------------------------------------
_PLOTLY_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "mu": "\u03bc", "times": "\u00d7",
                    "plusmn": "\u00b1", "deg": "\u00b0"}


def _plotly_shows(text: str) -> str:
    """What plotly.js's svg_text_utils shows for ``text``: tags out, its few entities decoded.

    A transcription of ``convertToTspans`` (plotly.js 3.x, bundled in Streamlit 1.67): it splits
    on tags first, then decodes entities in the text between them.
    """
    parts = re.split(r"(<[^<>]*>)", text)
    shown = []
    for part in parts:
        if re.fullmatch(r"<[^<>]*>", part):
            assert False, f"a tag reached plotly: {part!r} in {text!r}"
        shown.append(re.sub(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);",
                            lambda m: chr(int(m.group(1)[2:], 16)) if m.group(1).startswith("#x")
                            else chr(int(m.group(1)[1:])) if m.group(1).startswith("#")
                            else _PLOTLY_ENTITIES.get(m.group(1), m.group(0)), part))
    return "".join(shown)


def test_plotly_hostile_labels_have_no_tags() -> None:
    for text in HOSTILE:
        escaped = plot(text)
        assert "<" not in escaped and ">" not in escaped
        assert _plotly_shows(escaped) == text


@settings(max_examples=400, deadline=None)
@given(student_text)
def test_plot_shows_the_text_as_typed(text: str) -> None:
    escaped = plot(text)
    assert "<" not in escaped and ">" not in escaped
    assert _plotly_shows(escaped) == text
    assert escaped == html.escape(text, quote=False)
