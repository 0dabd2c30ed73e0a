"""The end-of-class report as one self-contained HTML page a teacher can keep after the class is deleted.

:func:`render` turns a :class:`classroom.report.ClassReport` into HTML with
its charts drawn here as inline SVG: no script, no external stylesheet, font,
image or link, so it opens the same offline in any browser years later.

Every text a student typed (free-text answers, reasons) and every prompt is
escaped with :func:`html.escape` wherever it goes, in the table, in the SVG
labels and in the quoted reasons: ``<b>`` shows as those three characters.
The numbers sit in the table's cells and in ``data-*`` attributes, which
``tests/test_live_summary.py`` reads back and compares with the store.
"""

from __future__ import annotations

import time
from html import escape

from classroom.codes import format_code
from classroom.report import ClassReport, QuestionReport

# The Okabe-Ito colours the app's charts use (ui.charts.PALETTE): right, wrong, no right answer.
RIGHT, WRONG, NEUTRAL, INK, GRID = "#0072B2", "#D55E00", "#555867", "#1f2330", "#d0d3dc"
MAX_BARS = 8  # answers charted per question: the most common, then "other answers"
LABEL = 40  # characters of an answer shown on a chart (cut, then escaped)

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2330; margin: 2rem auto;
  max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
.wide { overflow-x: auto; margin: 1rem 0 2rem; }
table { border-collapse: collapse; width: 100%; min-width: 40rem; }
th, td { border-bottom: 1px solid #d0d3dc; padding: 0.4rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f2f3f7; }
td.number { text-align: right; white-space: nowrap; }
section { border-top: 2px solid #d0d3dc; padding-top: 0.5rem; margin-top: 1.5rem; }
svg { max-width: 100%; height: auto; display: block; }
blockquote { border-left: 4px solid #0072B2; margin: 0.5rem 0; padding: 0.2rem 0.8rem; background: #f2f3f7; }
.muted { color: #555867; }
"""


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(seconds))


def _share(report: QuestionReport, right: int | None) -> tuple[str, str]:
    """(text, data attribute value) of a share right: "25% (1 of 4)", "0.25"; "-" without a right answer."""
    share = report.share(right)
    if share is None:
        return "-", ""
    return f"{share:.0%} ({right} of {report.answered})", f"{share:.6f}"


def _cut(text: str) -> str:
    return text if len(text) <= LABEL else text[: LABEL - 1] + "…"


def _table(report: ClassReport) -> str:
    head = ("Question", "Section", "Answered", "Right at the first answer", "Right after the reveal",
            "Most common wrong first answer", "Reasons")
    rows = []
    for q in report.questions:
        first, first_value = _share(q, q.right_first)
        latest, latest_value = _share(q, q.right_latest)
        wrong = "-" if q.common_wrong is None else f"{escape(q.common_wrong)} ({q.common_wrong_count})"
        rows.append(
            f'<tr data-question="{escape(q.question)}">'
            f"<td>{escape(q.prompt)}</td><td>{escape(q.section)}</td>"
            f'<td class="number" data-answered="{q.answered}">{q.answered}</td>'
            f'<td class="number" data-share-first="{first_value}">{first}</td>'
            f'<td class="number" data-share-latest="{latest_value}">{latest}</td>'
            f'<td data-common-wrong-count="{q.common_wrong_count}">{wrong}</td>'
            f'<td class="number" data-reasons="{q.reasons}">{q.reasons}</td></tr>'
        )
    header = "".join(f'<th scope="col">{h}</th>' for h in head)
    return (
        '<div class="wide" role="region" aria-label="Summary per question" tabindex="0">'
        f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _bars(title: str, bars: list[tuple[str, float, str, str]], scale: float) -> str:
    """A horizontal bar chart as SVG: ``bars`` are (label, value, value's text, colour); ``scale`` is the longest bar.

    Labels are escaped here; the chart's accessible name is its ``<title>``.
    """
    row, left, width = 30, 260, 300
    height = row * len(bars) + 10
    parts = [
        f'<svg role="img" viewBox="0 0 {left + width + 90} {height}" width="{left + width + 90}" '
        f'height="{height}"><title>{escape(title)}</title>'
    ]
    for i, (label, value, text, colour) in enumerate(bars):
        y = 5 + i * row
        length = 0 if scale <= 0 else width * value / scale
        parts.append(
            f'<text x="{left - 8}" y="{y + 18}" text-anchor="end" font-size="14" fill="{INK}">'
            f"{escape(_cut(label))}</text>"
            f'<rect x="{left}" y="{y + 4}" width="{length:.1f}" height="{row - 10}" fill="{colour}"/>'
            f'<line x1="{left}" y1="{y}" x2="{left}" y2="{y + row}" stroke="{GRID}"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + 18}" font-size="14" fill="{INK}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _answers_chart(q: QuestionReport) -> str:
    """How the class answered first: one bar per answer (the most common ones), right answers marked in words too."""
    ranked = sorted(q.first_counts.items(), key=lambda p: -p[1]) if len(q.first_counts) > MAX_BARS else list(
        q.first_counts.items()
    )
    shown, rest = ranked[:MAX_BARS], sum(n for _, n in ranked[MAX_BARS:])
    bars = []
    for answer, n in shown:
        right = answer in q.right_answers
        colour = NEUTRAL if q.right_first is None else (RIGHT if right else WRONG)
        mark = " (right)" if right else ""
        bars.append((answer + mark, n, str(n), colour))
    if rest:
        bars.append(("other answers", rest, str(rest), NEUTRAL))
    return _bars(f"First answers to: {q.prompt}", bars, max([n for _, n, _, _ in bars], default=0))


def _shares_chart(q: QuestionReport) -> str:
    first, latest = q.share_first or 0.0, q.share_latest or 0.0
    bars = [("right at the first answer", first, f"{first:.0%}", RIGHT),
            ("right after the reveal", latest, f"{latest:.0%}", RIGHT)]
    return _bars(f"Share right: {q.prompt}", bars, 1.0)


def _question(q: QuestionReport) -> str:
    parts = [
        f'<section data-question="{escape(q.question)}"><h2>{escape(q.prompt)}</h2>',
        f'<p class="muted">{escape(q.section)} · {q.answered} answered'
        + ("" if q.revealed else " · not revealed to the class") + "</p>",
        _answers_chart(q),
    ]
    if q.right_first is not None:
        parts.append(_shares_chart(q))
    else:
        parts.append('<p class="muted">No single right answer: a question for discussion.</p>')
    if q.shown_reasons:
        parts.append("<h3>Reasons shown on the projector</h3>")
        parts.extend(f"<blockquote>{escape(text)}</blockquote>" for text in q.shown_reasons)
    parts.append("</section>")
    return "".join(parts)


def render(report: ClassReport) -> str:
    """The whole page (UTF-8 text): the summary table, then each question with its charts and shown reasons."""
    code = escape(format_code(report.code))
    body = (
        f"<h1>Class {code}: summary</h1>"
        f'<p>Started {_when(report.started_at)}; this summary was made {_when(report.made_at)}. '
        f'<span data-joined="{report.joined}">{report.joined} students joined.</span> '
        "Students are anonymous: no names, only their answers and reasons as they typed them.</p>"
    )
    if report.questions:
        body += _table(report) + "".join(_question(q) for q in report.questions)
    else:
        body += "<p>No question was answered in this class.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Class {code}: summary</title><style>{_STYLE}</style></head><body>{body}</body></html>\n"
    )
