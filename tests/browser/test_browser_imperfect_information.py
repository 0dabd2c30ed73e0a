"""The "Imperfect information" page in a real browser: it renders, every section
draws its charts, a slider move updates the numbers, and a screenshot is kept.

Elements are found by their keys (app_state's ``II``; Streamlit gives a keyed
element the class ``st-key-<key>``, dots made dashes) and the headings by their
anchors (``app_state.lessons``), never by their wording.
"""

from __future__ import annotations

from playwright.sync_api import expect

from app_state import II
from app_state.lessons import IMPERFECT_INFORMATION
from embedcore import compression
from tests.browser.conftest import SCREENSHOTS, wait_until_rendered

URL = "imperfect_information"


def keyed(page, key: str):
    """The element with the key ``key``."""
    return page.locator(f".st-key-{key.replace('.', '-')}")


def test_imperfect_information_renders_and_responds(app_url: str, page) -> None:
    page.set_viewport_size({"width": 1400, "height": 12000})
    page.goto(f"{app_url}/{URL}")
    wait_until_rendered(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    main = page.locator('[data-testid="stMainBlockContainer"]')
    for section in IMPERFECT_INFORMATION.sections:  # each heading once, with its anchor
        heading = main.locator(f"#{section.anchor}")
        assert heading.count() == 1 and heading.is_visible(), section.heading
    # Digit, gallery, curves, regions, 2 word maps, lost neighbours, meter curves, homework, t-SNE.
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 10", timeout=60_000)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stMetricValue\"]').length >= 25", timeout=60_000
    )
    # The small multiples are drawn on request, with a progress bar.
    keyed(page, II.multiples.key).locator("label").click()
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 11", timeout=120_000)
    expect(keyed(page, II.multiples_chart.key).locator(".js-plotly-plot")).to_have_count(1)
    wait_until_rendered(page)
    page.wait_for_timeout(1500)  # let the last charts paint

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The whole page, small multiples included (test_browser_pages keeps the top as imperfect_information.png).
    out = SCREENSHOTS / "imperfect_information_full.png"
    page.screenshot(path=str(out))
    assert out.stat().st_size > 50_000

    # Keyboard on the k slider: End = all 64 numbers, nothing lost. The numbers are the page's curve, recomputed.
    curve = compression.compression_curve(compression.load_digits_split(test_size=0.3, random_state=0),
                                          [II.k.default, 64])
    kept, lost, accuracy, _ = (keyed(page, II.compression_numbers.key).locator('[data-testid="stMetricValue"]')
                               .nth(i) for i in range(4))
    expect(kept).to_have_text(f"{II.k.default} of 64")
    expect(lost).to_have_text(f"{curve.variance_lost[0]:.0%}")
    keyed(page, II.k.key).get_by_role("slider").focus()
    page.keyboard.press("End")
    expect(kept).to_have_text("64 of 64", timeout=60_000)
    expect(lost).to_have_text(f"{curve.variance_lost[1]:.0%}")
    expect(accuracy).to_have_text(f"{curve.accuracy[1]:.0%}")
    assert page.locator('[data-testid="stException"]').count() == 0
