"""The "Imperfect information" page in a real browser: it renders, every section
draws its charts, a slider move updates the meters, and a screenshot is kept."""

from __future__ import annotations

from tests.browser.conftest import SCREENSHOTS, wait_until_rendered

URL = "imperfect_information"


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def test_imperfect_information_renders_and_responds(app_url: str, page) -> None:
    page.set_viewport_size({"width": 1400, "height": 12000})
    page.goto(f"{app_url}/{URL}")
    wait_until_rendered(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    for header in ("From thousands of numbers to one bit", "Axes versus regions", "Meters:",
                   "is this a good embedding?", "t-SNE has knobs"):
        assert page.get_by_text(header).first.is_visible(), header
    # Digit, gallery, curves, regions, 2 word maps, lost neighbours, meter curves, homework, t-SNE.
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 10", timeout=60_000)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stMetricValue\"]').length >= 25", timeout=60_000
    )
    # The small multiples are drawn on request, with a progress bar.
    page.get_by_text("Draw the small multiples").click()
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 11", timeout=120_000)
    wait_until_rendered(page)
    page.wait_for_timeout(1500)  # let the last charts paint

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The whole page, small multiples included (test_browser_pages keeps the top as imperfect_information.png).
    out = SCREENSHOTS / "imperfect_information_full.png"
    page.screenshot(path=str(out))
    assert out.stat().st_size > 50_000

    # Keyboard on the k slider: End = 64 numbers, nothing lost.
    before = _metric(page, "Pixel variance lost")
    page.get_by_role("slider", name="Numbers kept (k)").focus()
    page.keyboard.press("End")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
            .some(m => m.innerText.includes('Pixel variance lost') && m.innerText.includes('0%')
                  && !m.innerText.includes('10%'))""",
        timeout=60_000,
    )
    assert _metric(page, "Numbers kept") == "64 of 64"
    assert before != _metric(page, "Pixel variance lost")
    assert page.locator('[data-testid="stException"]').count() == 0
