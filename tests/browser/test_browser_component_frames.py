"""ui.components.frames in chromium: the slider swaps frames, and the numbers beside the chart, with nothing sent.

The demo page draws five frames (k = 1..5) starting on k = 3 (``active=2``),
with play and pause buttons. Play must step on to k = 5, and a click at the
slider's start must show frame k = 1: its points, its numbers box and the
slider's own position, while the page sends no websocket frame.
"""

from __future__ import annotations

from tests.browser.component_demo import demo, demo_url  # noqa: F401 - fixtures

CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'


def _shown(page) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate("""(sel) => { const el = document.querySelector(sel);
        return {active: el._fullLayout.sliders[0].active, y: Array.from(el._fullData[0].y),
                numbers: el._fullLayout.annotations.map((a) => a.text)}; }""", CHART)


def test_the_slider_switches_frames_and_numbers_in_the_browser(demo) -> None:
    page, sent = demo
    page.wait_for_selector(f"{CHART} .slider-rail-touch-rect")
    start = _shown(page)
    assert start["active"] == 2 and start["y"][0] == 3
    assert start["numbers"] == ["k is 3<br>k squared over 4: 2.25"]

    before = len(sent)
    page.get_by_text("Play").click()
    page.wait_for_function(f"() => document.querySelector('{CHART}')._fullLayout.sliders[0].active === 4")
    assert _shown(page)["numbers"] == ["k is 5<br>k squared over 4: 6.25"]

    rail = page.locator(f"{CHART} .slider-rail-touch-rect")
    box = rail.bounding_box()
    # The first click on a freshly drawn chart can be swallowed (testing-recipes.md): click until it moves.
    for _ in range(5):
        rail.click(force=True, position={"x": 2, "y": box["height"] / 2})
        page.wait_for_timeout(300)
        if _shown(page)["active"] == 0:
            break
    end = _shown(page)
    assert end["active"] == 0
    assert end["y"][0] == 1
    assert end["numbers"] == ["k is 1<br>k squared over 4: 0.25"]
    assert len(sent) == before, "playing and moving the slider send nothing to the server"
