"""The guided path in a real browser: each lesson's predictions, locked in and revealed, and the score.

For every checkpoint of a lesson, in page order, the student picks an answer,
locks it in and sees the reveal; the lesson's score then counts every answer.
A screenshot of each lesson's first reveal goes to docs/screenshots for the README.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from embedcore.checkpoints import lesson_checkpoints
from tests.browser.conftest import open_lesson

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.mark.parametrize("lesson", ["format_matters", "imperfect_information", "features_losses"])
def test_a_student_predicts_locks_in_and_sees_each_reveal(app_url: str, browser_context, lesson: str) -> None:
    page = browser_context.new_page()
    try:
        open_lesson(page, app_url, lesson)
        checkpoints = lesson_checkpoints(lesson)
        for i, checkpoint in enumerate(checkpoints):
            box = page.locator(f".st-key-app-check-{checkpoint.id.replace('.', '-')}")
            box.scroll_into_view_if_needed()
            # Take the first answer: the point is the flow, not the score.
            box.get_by_text(checkpoint.choices[0], exact=True).click()
            lock = box.get_by_role("button", name="Lock in my prediction")
            lock.wait_for()
            page.wait_for_function(
                "(el) => !el.disabled", arg=lock.element_handle(), timeout=60_000
            )
            lock.click()
            # The reveal: right (success) or not (warning), with the measured number.
            verdict = box.locator('[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"]')
            verdict.wait_for(timeout=120_000)
            assert re.search(r"\d", verdict.inner_text()), verdict.inner_text()
            assert box.get_by_role("radiogroup").locator("input").first.is_disabled()
            if i == 0 and os.environ.get("UPDATE_SCREENSHOTS") == "1":  # a test run leaves the git tree as it was
                DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                box.screenshot(path=str(DOCS_SCREENSHOTS / f"guided_{lesson}.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
        score = page.locator(f".st-key-{ {'format_matters': 'fm', 'imperfect_information': 'ii', 'features_losses': 'fe'}[lesson] }-score")
        score.scroll_into_view_if_needed()
        value = score.locator('[data-testid="stMetricValue"]').inner_text()
        right, total = (int(n) for n in re.fullmatch(r"(\d+) of (\d+)", value.strip()).groups())
        assert right <= len(checkpoints) <= total
        assert f"{total - len(checkpoints)} still to answer" in score.inner_text() or total == len(checkpoints)
    finally:
        page.close()
