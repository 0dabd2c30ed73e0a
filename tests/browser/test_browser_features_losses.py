"""Real browser: the twin models train, the probes show, a student widens the bottleneck."""

from __future__ import annotations

import re

from tests.browser.conftest import SCREENSHOTS, wait_until_rendered


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def test_features_losses_twins_probes_and_width(app_url: str, page) -> None:
    page.goto(f"{app_url}/features_losses")
    wait_until_rendered(page, timeout_ms=180_000)
    assert page.locator('[data-testid="stException"]').count() == 0

    # The probe gap, as a student reads it.
    a_colour = int(_metric(page, "A: colour probe").rstrip("%"))
    a_shape = int(_metric(page, "A: shape probe").rstrip("%"))
    b_colour_narrow = int(_metric(page, "B: colour probe").rstrip("%"))
    assert a_colour - a_shape > 50
    assert page.locator(".js-plotly-plot").count() >= 6  # loss curves, 4 twin maps, debug map

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_text("2. Twin models", exact=False).first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(SCREENSHOTS / "features_losses_twins.png"))

    # Widen the bottleneck (widths 2, 4, 8, 16, 32): the twins of each width were trained beforehand or now.
    slider = page.get_by_role("slider", name="Embedding width (units)")
    slider.focus()
    for _ in range(2):  # 2 -> 4 -> 8
        slider.press("ArrowRight")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
              .some(el => el.innerText.includes('8 units'))""",
        timeout=180_000,
    )
    wait_until_rendered(page, timeout_ms=180_000)
    b_colour_wide = int(_metric(page, "B: colour probe").rstrip("%"))
    assert b_colour_wide > b_colour_narrow, (b_colour_narrow, b_colour_wide)
    assert page.locator('[data-testid="stException"]').count() == 0

    # The loss mixer trains on a click, behind a progress bar, and plots the try.
    page.get_by_role("button", name=re.compile("^Retrain")).click()
    page.get_by_text("Latest: w = 0.5", exact=False).wait_for(timeout=180_000)
    page.get_by_text("3. The loss mixer", exact=False).first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(SCREENSHOTS / "features_losses_mixer.png"))
    assert (SCREENSHOTS / "features_losses_mixer.png").stat().st_size > 10_000
