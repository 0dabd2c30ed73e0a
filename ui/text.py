"""Show text that came from a student as text: escaped for markdown, or for plotly.

Anything a student sends - a link's parameter names and values, a text box,
an uploaded file's labels and name - may reach an element that renders
markup. Wrap it in one of these two functions where it is shown:

* :func:`md` for Streamlit's markdown: ``st.markdown``, ``st.caption``,
  ``st.info`` / ``st.warning`` / ``st.error`` / ``st.success``, ``st.toast``,
  widget labels, ``help=`` tooltips and ``st.metric`` (label, value, delta).
* :func:`plot` for plotly's small HTML subset: trace ``text``, ``hovertext``,
  ``customdata`` shown through a template, category values (tick labels),
  trace names (legends), titles and annotations.

Escape only the student's part, never a whole sentence of the app's own
markdown (``**Cannot compute:** {md(message)}``).
"""

from __future__ import annotations

import re

# Every ASCII punctuation character. CommonMark lets any of them be escaped
# with a backslash and then shows it as itself; every markdown construct -
# emphasis, links, images, code, raw HTML and autolinks (<), entities (&),
# headings (#), lists (- + * and "1."), block quotes (>), tables (|),
# strikethrough (~), GFM's bare-URL links (they need ":" or "." or "@"),
# Streamlit's LaTeX ($...$) and its ":red[...]" / ":material/...:" directives -
# starts with one of them. Escaping all of them, rather than a hand-picked
# list, also covers constructs a later Streamlit might add.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# A line break would let the text start a block of its own: an indented line
# is code, "===" under a line makes a heading. Student text is inline text.
_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")
# Four leading spaces (or a tab) would make an indented code block of text that
# starts a message; one space is just a space.
_LEADING_SPACE = re.compile(r"^[ \t]+")
# GFM turns bare URLs and e-mail addresses into links *after* parsing, in the
# text itself (remark-gfm's autolink-literal: "https://", "www." and
# "name@host"), so backslashes cannot stop it. An invisible word joiner
# (U+2060) inside each of those patterns does: after "://"'s colon, between
# "www" and ".", after "@".
WORD_JOINER = "\u2060"
_AUTOLINK_START = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)(?=[-\w])", re.IGNORECASE)


def md(text: object) -> str:
    """``text`` escaped so that Streamlit's markdown shows it as it is.

    ``md("[click me](https://evil.example/x)")`` shows those characters, not a
    link; ``md("2*king * man")`` keeps both stars. Line breaks become spaces,
    and bare URLs and e-mail addresses carry an invisible word joiner.
    """
    inline = _LEADING_SPACE.sub(" ", _LINE_BREAKS.sub(" ", str(text)))
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", _AUTOLINK_START.sub(WORD_JOINER, inline))


def plot(text: object) -> str:
    """``text`` escaped for plotly's HTML subset (labels, hover text, legends, titles).

    Plotly renders ``<b>``, ``<br>``, ``<a href=...>`` and a few more tags in
    chart text, and decodes ``&amp;``, ``&lt;``, ``&gt;`` and numeric entities
    back to characters. Escaping ``&``, ``<`` and ``>`` leaves no tag and
    shows the text as typed. (Not ``html.escape``'s quotes: plotly does not
    know ``&quot;`` and would show it literally; outside a tag a quote is text.)
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plots(texts: object) -> list[str]:
    """:func:`plot` applied to each of ``texts``."""
    return [plot(t) for t in texts]  # type: ignore[attr-defined]
