"""Real browser: the twins train and replay, a student predicts then widens the bottleneck, the mixer slides in the browser.

* the twins' replay starts by itself once, can be paused, plays to its last
  epoch and stops there; with prefers-reduced-motion it does not start;
* the width slider waits, greyed out, for the bottleneck prediction; then
  widening lets colour survive in model B;
* after the mixer prediction, moving the mixer's slider switches the
  figure's frame (its probes and both maps) with no message to the server.
"""

from __future__ import annotations

import re

from app_state import FE
from app_state.lessons import FEATURES_LOSSES
from embedcore import checkpoints as cp
from tests.browser.conftest import SCREENSHOTS, lock_in, open_lesson, readme_shot, wait_until_rendered

SECTIONS = {section.slug: section for section in FEATURES_LOSSES.sections}
# A number as the page's sentences quote it: "8", "0.5", "57%".
NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def _keyed(key: str) -> str:
    """The CSS selector of the element keyed ``key``: Streamlit's class ``st-key-<key>``, other characters as dashes."""
    return ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)


def _plot(key: str) -> str:
    """The plotly graph div of the chart keyed ``key``."""
    return f"{_keyed(key)} .js-plotly-plot"


def _active(page, key: str) -> int | None:
    """The frame the chart keyed ``key`` shows: its slider's position (None until plotly has drawn it)."""
    return page.evaluate("(s) => { const el = document.querySelector(s);"
                         " return el && el._fullLayout ? el._fullLayout.sliders[0].active : null; }", _plot(key))


def _numbers(page, key: str) -> str:
    """The numbers of the chart keyed ``key`` as plotly shows them: its text trace named "numbers"."""
    return page.evaluate("(s) => document.querySelector(s)._fullData.find((d) => d.name === 'numbers').text[0]",
                         _plot(key))


def _screenshot(page, section: str, name: str) -> None:
    """Scroll to ``section``'s heading (by its anchor) and save the view as ``name``."""
    page.locator(f"#{SECTIONS[section].anchor}").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(SCREENSHOTS / name))


def test_the_replay_plays_once_by_itself_and_pauses(app_url: str, page) -> None:
    page.goto(app_url)
    wait_until_rendered(page)
    # Not open_lesson: on a cold server the sections below train for longer than the replay lasts.
    page.goto(f"{app_url}/features_losses")
    key = FE.replay_chart.key
    # It starts by itself, from the first epoch (the figure is drawn at the last one).
    page.wait_for_function("(s) => { const el = document.querySelector(s); return el && el._fullLayout"
                           " && el._fullLayout.sliders[0].active < el._fullLayout.sliders[0].steps.length - 1; }",
                           arg=_plot(key), timeout=180_000, polling="raf")
    last = page.evaluate("(s) => document.querySelector(s)._fullLayout.sliders[0].steps.length - 1", _plot(key))
    # The first click on a freshly drawn chart can be swallowed (testing-recipes.md): press Pause until it holds.
    for _ in range(3):
        page.locator(_plot(key)).locator(".updatemenu-button", has_text="Pause").dispatch_event("click")
        paused = _active(page, key)
        page.wait_for_timeout(1000)
        if _active(page, key) == paused:
            break
    page.wait_for_timeout(1000)
    assert _active(page, key) == paused < last, "Pause stops the replay"
    # Played again, it runs to the last epoch and stays there: once, not in a loop.
    page.locator(_plot(key)).locator(".updatemenu-button", has_text="Play").dispatch_event("click")
    page.wait_for_function("([s, last]) => document.querySelector(s)._fullLayout.sliders[0].active === last",
                           arg=[_plot(key), last], timeout=60_000)
    page.wait_for_timeout(1500)
    assert _active(page, key) == last


def test_the_replay_stays_still_when_the_browser_asks_for_reduced_motion(app_url: str, page) -> None:
    page.emulate_media(reduced_motion="reduce")
    open_lesson(page, app_url, "features_losses")
    key = FE.replay_chart.key
    page.wait_for_function("(s) => { const el = document.querySelector(s); return el && el._fullLayout; }",
                           arg=_plot(key))
    last = page.evaluate("(s) => document.querySelector(s)._fullLayout.sliders[0].steps.length - 1", _plot(key))
    seen = set()
    for _ in range(8):  # the replay would have begun within a second of the chart (the script polls every 250 ms)
        seen.add(_active(page, key))
        page.wait_for_timeout(400)
    assert seen == {last}


def test_features_losses_twins_probes_and_width(app_url: str, page) -> None:
    open_lesson(page, app_url, "features_losses")
    assert page.locator('[data-testid="stException"]').count() == 0

    # The probe gap, as a student reads it.
    a_colour = int(_metric(page, "A: colour probe").rstrip("%"))
    a_shape = int(_metric(page, "A: shape probe").rstrip("%"))
    b_colour_narrow = int(_metric(page, "B: colour probe").rstrip("%"))
    assert a_colour - a_shape > 50
    assert page.locator(_plot(FE.twin_diagram.key)).count() == 1
    assert page.locator(".js-plotly-plot").count() >= 8  # diagrams, replay, 4 twin maps, taxi, model map

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _screenshot(page, "twins", "features_losses_twins.png")

    # The width answers the bottleneck question: greyed out until the prediction.
    slider = page.locator(_keyed(FE.width.key)).get_by_role("slider")
    assert slider.get_attribute("aria-disabled") == "true" or slider.is_disabled()
    lock_in(page, cp.BOTTLENECK, cp.BOTTLENECK.choices[0], timeout_ms=180_000)
    page.locator(_plot(FE.width_chart.key)).wait_for()
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
    _screenshot(page, "bottleneck", "features_losses_bottleneck.png")


def test_the_mixer_slider_switches_frames_with_nothing_sent(app_url: str, page) -> None:
    sent: list[object] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    open_lesson(page, app_url, "features_losses")
    assert page.locator(_plot(FE.mix_chart.key)).count() == 0  # its probes answer the question
    lock_in(page, cp.MIXER_MIDDLE, cp.MIXER_MIDDLE.choices[1], timeout_ms=180_000)
    chart = _plot(FE.mix_chart.key)
    page.wait_for_selector(f"{chart} .slider-rail-touch-rect", timeout=180_000)
    page.locator(chart).scroll_into_view_if_needed()
    start = _active(page, FE.mix_chart.key)
    assert start == 5 and NUMBER.findall(_numbers(page, FE.mix_chart.key))[0] == f"{FE.mix_w.default:g}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _screenshot(page, "mixer", "features_losses_mixer.png")

    before = len(sent)
    first_points = page.evaluate("(s) => Array.from(document.querySelector(s)._fullData[4].x).slice(0, 5)", chart)
    rail = page.locator(f"{chart} .slider-rail-touch-rect")
    box = rail.bounding_box()
    # The first click on a freshly drawn chart can be swallowed (testing-recipes.md): click until it moves.
    for _ in range(5):
        rail.click(force=True, position={"x": 2, "y": box["height"] / 2})
        page.wait_for_timeout(300)
        if _active(page, FE.mix_chart.key) == 0:
            break
    assert _active(page, FE.mix_chart.key) == 0
    # The numbers box and the maps follow: w = 0 is model B's loss.
    assert NUMBER.findall(_numbers(page, FE.mix_chart.key))[:3] == ["0", "0", "1"]
    moved = page.evaluate("(s) => Array.from(document.querySelector(s)._fullData[4].x).slice(0, 5)", chart)
    assert moved != first_points
    assert len(sent) == before, "moving the mixer's slider sends nothing to the server"
    assert readme_shot(page.locator(chart), "touch_loss_mixer.png").stat().st_size > 10_000
    assert (SCREENSHOTS / "features_losses_mixer.png").stat().st_size > 10_000
