"""Format matters in a real browser: the sections, the draggable toy plane, the noise slider, an exercise.

* every section renders; once the toy-plane prediction is locked in, an edit of
  the table moves the result star, and an exercise is checked;
* a drag on the toy plane moves the result and changes the nearest word with
  **no websocket frame** sent; the drop goes to Python, and the page's link
  then carries the new positions (a new page opened with it shows them);
* the arrow keys move a focused point, and the link follows once they rest;
* the noise chart's slider switches frames (the decoded word beside the chart
  included) in the browser, with no websocket frame sent.

Streamlit scrolls inside its own container, so the long page is captured
with a very tall viewport (full-page screenshots stop at the viewport).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import numpy as np

from app_state import FM
from app_state.lessons import FORMAT_MATTERS
from embedcore import checkpoints as cp
from embedcore import exercises, toylink, toyplane
from embedcore.wordvectors import load_word_vectors
from tests.browser.component_demo import drag_woman_right, readout, result_point
from tests.browser.conftest import SCREENSHOTS, lock_in, open_lesson, readme_shot, wait_until_rendered
from tests.quoted import numbers

NOISE_CHART = ".st-key-fm-chart-noise .js-plotly-plot"


def css_key(key: str) -> str:
    """The CSS class Streamlit gives an element keyed ``key`` (every character but [a-zA-Z0-9_-] becomes '-')."""
    return "st-key-" + "".join(c if c.isalnum() or c in "_-" else "-" for c in key)


def linked_table(page) -> list[tuple[str, float, float, float]]:  # type: ignore[no-untyped-def]
    """The toy table the page's link carries (``?fm.toy_pos=...``), read as embedcore.toylink reads it."""
    return toylink.table_from_link(parse_qs(urlparse(page.url).query)[FM.toy_pos.key][0])


def open_with_frames_counted(page, app_url: str) -> list[object]:  # type: ignore[no-untyped-def]
    """Open the lesson; returns the list every websocket frame the page sends is appended to."""
    sent: list[object] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    open_lesson(page, app_url, "format_matters", height=1400)
    return sent


def test_format_matters_renders_sections_edits_the_table_and_checks_an_exercise(app_url: str, browser_context) -> None:
    page = browser_context.new_page()
    try:
        open_lesson(page, app_url, "format_matters", height=11_000)
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot').length >= 9",
            timeout=120_000,
        )
        main = page.locator('[data-testid="stMainBlockContainer"]')
        for section in FORMAT_MATTERS.sections:  # each heading once, with its anchor
            assert main.locator(f"#{section.anchor}").count() == 1, section.heading
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator(".result").count() == 0, "no result star before the prediction"
        lock_in(page, cp.TOY_SUM, "on queen")
        page.locator(".result").wait_for()
        assert result_point(page) == (-1.0, 1.0, "queen")

        # Edit the toy table: king's gender 1 -> 0.5 moves king - man + woman to [-1.5, 1].
        edited = [dict(row) for row in FM.toy_table.factory()]
        edited[0]["gender"] = 0.5
        plane, _ = toyplane.clean_table([[r["word"], r["gender"], r["royalty"]] for r in edited])
        result = toyplane.arithmetic(plane, [(1, "king"), (-1, "man"), (1, "woman")])
        editor = page.locator(f".{css_key(FM.toy_table_box.key)} [data-testid='stDataFrame']")
        editor.scroll_into_view_if_needed()
        box = editor.bounding_box()
        row_height = 35  # Streamlit's default; the header row is as tall
        # A first click gives the grid the focus (the lock-in button had it), then a double click edits the cell.
        page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + row_height * 1.5)
        page.wait_for_timeout(300)
        page.mouse.dblclick(box["x"] + box["width"] * 0.55, box["y"] + row_height * 1.5)
        cell = page.locator("input.gdg-input")  # the grid's cell editor, open on king's gender
        cell.wait_for(timeout=30_000)
        cell.fill("0.5")
        cell.press("Enter")
        page.wait_for_function("([x, y]) => { const s = document.querySelector"
                               "('[data-testid=stBidiComponentIsolated]')?.shadowRoot?.querySelector('.result');"
                               " return !!s && +s.dataset.x === x && +s.dataset.y === y; }",
                               arg=[float(v) for v in result.point], timeout=60_000)
        nearest, distance = result.nearest[0]
        assert (nearest, round(distance, 2)) == ("queen", 0.5) == (result_point(page)[2], 0.5)
        line = readout(page)[0]  # the readout under the plane says the same: the point, then its distance
        np.testing.assert_allclose(numbers(line.split("=", 1)[1]), [*result.point, distance], atol=0.005)
        assert linked_table(page)[0] == ("king", 0.5, 1.0, 0.0)  # the link follows an edit too

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


def test_a_drag_moves_the_result_in_the_browser_and_the_link_after_the_drop(app_url: str, browser_context) -> None:
    page = browser_context.new_page()
    other = browser_context.new_page()
    try:
        sent = open_with_frames_counted(page, app_url)
        lock_in(page, cp.TOY_SUM, "on queen")
        page.locator(".plane-svg").scroll_into_view_if_needed()
        assert result_point(page) == (-1.0, 1.0, "queen")
        before = len(sent)
        star_x, _, _ = drag_woman_right(page, sent)  # nothing sent, the star and the nearest word follow
        page.mouse.up()

        # The drop goes to Python: the table, and so the link, hold woman where she was dropped.
        page.wait_for_function("(key) => new URLSearchParams(location.search).has(key)", arg=FM.toy_pos.key)
        wait_until_rendered(page)
        assert len(sent) > before, "the drop is sent"
        table = {word: (g, r) for word, g, r, _ in linked_table(page)}
        assert table["woman"] == (star_x, 0.0) and table["king"] == (1.0, 1.0)
        takeaway = page.locator(f".{css_key(FM.toy_takeaway.key)}").inner_text()
        np.testing.assert_allclose(numbers(takeaway)[2:5], [star_x, 1.0, abs(1.0 - star_x)], atol=1e-9)
        assert readme_shot(page.locator(".plane-svg"), "touch_toy_plane.png").stat().st_size > 5_000

        # Anyone who opens the shared link sees the moved word.
        other.set_default_timeout(120_000)
        other.goto(page.url)
        wait_until_rendered(other)
        woman = other.get_by_role("slider", name="woman", exact=True)
        woman.wait_for()
        assert woman.get_attribute("aria-valuetext") == f"gender {star_x:.2f}, royalty 0.00"
    finally:
        other.close()
        page.close()


def test_arrow_keys_move_a_focused_point_and_the_link_follows(app_url: str, browser_context) -> None:
    page = browser_context.new_page()
    try:
        sent = open_with_frames_counted(page, app_url)
        lock_in(page, cp.TOY_SUM, "on queen")
        king = page.get_by_role("slider", name="king", exact=True)
        king.scroll_into_view_if_needed()
        king.focus()
        before = len(sent)
        for _ in range(5):
            page.keyboard.press("ArrowLeft")
        assert king.get_attribute("aria-valuetext") == "gender 0.50, royalty 1.00"
        # king - man + woman = [0.5 - 1 - 1, 1]: nearest queen, half a unit away.
        x, y, nearest = result_point(page)
        np.testing.assert_allclose([x, y], [-1.5, 1.0], atol=1e-12)
        assert nearest == "queen" and len(sent) == before
        # Once the keys rest, the position goes to Python and into the link.
        page.wait_for_function("(key) => new URLSearchParams(location.search).has(key)", arg=FM.toy_pos.key)
        assert linked_table(page)[0] == ("king", 0.5, 1.0, 0.0)
    finally:
        page.close()


def _noise_shown(page) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate("""(sel) => { const el = document.querySelector(sel);
        return {active: el._fullLayout.sliders[0].active, steps: el._fullLayout.sliders[0].steps.length,
                push: el._fullData[0].x[0],
                numbers: el._fullLayout.annotations.map((a) => a.text).pop()}; }""", NOISE_CHART)


def test_the_noise_slider_switches_frames_in_the_browser(app_url: str, browser_context) -> None:
    page = browser_context.new_page()
    try:
        sent = open_with_frames_counted(page, app_url)
        assert page.locator(NOISE_CHART).count() == 0, "no noise chart before the prediction"
        lock_in(page, cp.NOISE_FLIP, "still cat")
        page.wait_for_selector(f"{NOISE_CHART} .slider-rail-touch-rect")
        page.locator(NOISE_CHART).scroll_into_view_if_needed()
        start = _noise_shown(page)
        assert start["active"] == 0 and start["push"] == 0 and "decodes to cat" in start["numbers"]

        before = len(sent)
        rail = page.locator(f"{NOISE_CHART} .slider-rail-touch-rect")
        box = rail.bounding_box()
        # The first click on a freshly drawn chart can be swallowed (testing-recipes.md): click until it moves.
        for _ in range(5):
            rail.click(force=True, position={"x": box["width"] - 2, "y": box["height"] / 2})
            page.wait_for_timeout(300)
            if _noise_shown(page)["active"] != 0:
                break
        end = _noise_shown(page)
        assert end["active"] == end["steps"] - 1 and end["push"] == 5.0
        assert "push 5.00: decodes to" in end["numbers"] and "decodes to cat" not in end["numbers"]
        assert len(sent) == before, "moving the slider sends nothing to the server"
    finally:
        page.close()
