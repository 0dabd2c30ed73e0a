"""Format matters in a real browser: every section renders, the table and an exercise work, a screenshot.

Streamlit scrolls inside its own container, so the long page is captured
with a very tall viewport (full-page screenshots stop at the viewport).
"""

from __future__ import annotations

import numpy as np

from app_state import FM
from app_state.lessons import FORMAT_MATTERS
from embedcore import exercises, toyplane
from embedcore.wordvectors import load_word_vectors
from tests.browser.conftest import SCREENSHOTS, open_lesson
from tests.quoted import numbers


def css_key(key: str) -> str:
    """The CSS class Streamlit gives an element keyed ``key`` (every character but [a-zA-Z0-9_-] becomes '-')."""
    return "st-key-" + "".join(c if c.isalnum() or c in "_-" else "-" for c in key)


# The toy chart's result star (its second trace) has landed at [x, y].
STAR_AT = """([cls, x, y]) => {
    const plot = document.querySelector(`.${cls} .js-plotly-plot`);
    const star = plot && plot._fullData && plot._fullData[1];
    return !!star && Math.abs(star.x[0] - x) < 1e-9 && Math.abs(star.y[0] - y) < 1e-9;
}"""


def test_format_matters_renders_sections_edits_the_table_and_checks_an_exercise(app_url: str, browser_context) -> None:
    page = browser_context.new_page()
    try:
        open_lesson(page, app_url, "format_matters", height=11_000)
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot').length >= 11",
            timeout=120_000,
        )
        main = page.locator('[data-testid="stMainBlockContainer"]')
        for section in FORMAT_MATTERS.sections:  # each heading once, with its anchor
            assert main.locator(f"#{section.anchor}").count() == 1, section.heading
        assert page.locator('[data-testid="stException"]').count() == 0

        # Edit the toy table: king's gender 1 -> 0.5 moves king - man + woman to [-1.5, 1].
        edited = [dict(row) for row in FM.toy_table.factory()]
        edited[0]["gender"] = 0.5
        plane, _ = toyplane.clean_table([[r["word"], r["gender"], r["royalty"]] for r in edited])
        result = toyplane.arithmetic(plane, [(1, "king"), (-1, "man"), (1, "woman")])
        editor = page.locator(f".{css_key(FM.toy_table_box.key)} [data-testid='stDataFrame']")
        box = editor.bounding_box()
        row_height = 35  # Streamlit's default; the header row is as tall
        page.mouse.dblclick(box["x"] + box["width"] * 0.55, box["y"] + row_height * 1.5)
        cell = page.locator("input.gdg-input")  # the grid's cell editor, open on king's gender
        cell.wait_for(timeout=30_000)
        cell.fill("0.5")
        cell.press("Enter")
        page.wait_for_function(STAR_AT, arg=[css_key(FM.toy_chart.key), *result.point], timeout=60_000)
        nearest, distance = result.nearest[0]
        assert (nearest, round(distance, 2)) == ("queen", 0.5)
        shown = page.locator(f".{css_key(FM.toy_result.key)}").inner_text()
        assert nearest in shown  # the numbers under the table say the same: the point, then its distance
        np.testing.assert_allclose(numbers(shown), [*result.point, distance], atol=0.005)

        # Exercise 1: type a word, press Enter, get checked feedback.
        box = page.get_by_label("Your word")
        box.fill("monarch")
        box.press("Enter")
        verdict = page.locator(f".{css_key(FM.ex_feedback.at('queen'))} [data-testid='stAlertContentSuccess']")
        verdict.wait_for(timeout=60_000)
        feedback = exercises.check_closer_to_queen(load_word_vectors(), "monarch")
        assert feedback.passed
        np.testing.assert_allclose(numbers(verdict.inner_text()), numbers(feedback.message))

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        out = SCREENSHOTS / "format_matters_full.png"
        page.screenshot(path=str(out))
        assert out.stat().st_size > 100_000
    finally:
        page.close()
