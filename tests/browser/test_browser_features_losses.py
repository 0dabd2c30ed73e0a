"""Real browser: the twin models train, the probes show, a student widens the bottleneck."""

from __future__ import annotations

import re

from app_state import FE
from app_state.lessons import FEATURES_LOSSES
from tests.browser.conftest import SCREENSHOTS, wait_until_rendered

SECTIONS = {section.slug: section for section in FEATURES_LOSSES.sections}
# A number as the page's sentences quote it: "8", "0.5", "57%".
NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def _keyed(key: str) -> str:
    """The CSS selector of the element keyed ``key``: Streamlit's class ``st-key-<key>``, other characters as dashes."""
    return ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)


def _screenshot(page, section: str, name: str) -> None:
    """Scroll to ``section``'s heading (by its anchor) and save the view as ``name``."""
    page.locator(f"#{SECTIONS[section].anchor}").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(SCREENSHOTS / name))


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
    _screenshot(page, "twins", "features_losses_twins.png")

    # Widen the bottleneck (widths 2, 4, 8, 16, 32): the twins of each width were trained beforehand or now.
    slider = page.locator(_keyed(FE.width.key)).get_by_role("slider")
    slider.focus()
    for _ in range(2):  # 2 -> 4 -> 8
        slider.press("ArrowRight")
    # The maps' caption quotes the width they show: wait until it is the new one.
    page.wait_for_function(
        "selector => (document.querySelector(selector)?.innerText.match(/\\d+/g) || []).join() === '8'",
        arg=_keyed(FE.twin_maps_note.key),
        timeout=180_000,
    )
    wait_until_rendered(page, timeout_ms=180_000)
    b_colour_wide = int(_metric(page, "B: colour probe").rstrip("%"))
    assert b_colour_wide > b_colour_narrow, (b_colour_narrow, b_colour_wide)
    assert page.locator('[data-testid="stException"]').count() == 0

    # The loss mixer trains on a click, behind a progress bar, and quotes the try (its w first).
    page.locator(_keyed(FE.mix_run.key)).get_by_role("button").click()  # (a hidden copy measures its width)
    latest = page.locator(_keyed(FE.mix_latest.key))
    latest.wait_for(timeout=180_000)
    assert NUMBER.findall(latest.inner_text())[0] == f"{FE.mix_w.default:g}"
    _screenshot(page, "mixer", "features_losses_mixer.png")
    assert (SCREENSHOTS / "features_losses_mixer.png").stat().st_size > 10_000
