"""Format matters in a real browser: every section renders, the table and an exercise work, a screenshot.

Streamlit scrolls inside its own container, so the long page is captured
with a very tall viewport (full-page screenshots stop at the viewport).
"""

from __future__ import annotations

from app_state.lessons import FORMAT_MATTERS
from tests.browser.conftest import SCREENSHOTS, open_lesson


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
        editor = page.locator(".st-key-fm-toy-table [data-testid='stDataFrame']")
        box = editor.bounding_box()
        row_height = 35  # Streamlit's default; the header row is as tall
        page.mouse.dblclick(box["x"] + box["width"] * 0.55, box["y"] + row_height * 1.5)
        cell = page.locator("input.gdg-input")  # the grid's cell editor, open on king's gender
        cell.wait_for(timeout=30_000)
        cell.fill("0.5")
        cell.press("Enter")
        page.get_by_text("Nearest word: queen (distance 0.50)").wait_for(timeout=60_000)

        # Exercise 1: type a word, press Enter, get checked feedback.
        box = page.get_by_label("Your word")
        box.fill("monarch")
        box.press("Enter")
        page.get_by_text("Yes: cos(monarch, queen)").wait_for(timeout=60_000)

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        out = SCREENSHOTS / "format_matters_full.png"
        page.screenshot(path=str(out))
        assert out.stat().st_size > 100_000
    finally:
        page.close()
