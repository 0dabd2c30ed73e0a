"""The draggable plane in chromium: the maths follows a drag with nothing sent, Python hears the drop.

On the demo page (component_demo_page.py: the starter table plus a word of
markup, king - man + woman, and the mean of king and queen):

* a mouse drag moves the result star and changes the nearest word while
  **no websocket frame** is sent; the drop sends the move, the script reruns
  once, Python's own sum (embedcore) on what it received equals what the
  browser showed, and the page's link carries the new position;
* arrow keys move the focused point (Shift: a step of 1), its focus ring
  shows, and Python receives the settled position;
* a finger (touch events, 390 px wide) drags a point;
* axe-core finds no violation in the component, and would find one (the
  check sees inside its shadow root); its text reaches 4.5:1.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import numpy as np

from tests.browser.component_demo import (  # noqa: F401 - demo and demo_url are fixtures
    demo, demo_url, drag_woman_right, pixels_per_unit, point_centre, python_result, readout, result_point, server_lines,
    wait_for_runs,
)
from tests.browser.conftest import wait_until_rendered

COMPONENT = "[data-testid='stBidiComponentIsolated']"


def _agrees_with_python(page, lines: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """The star and nearest word the browser shows are embedcore's, on the positions Python received."""
    x, y, nearest = result_point(page)
    point, python_nearest, distance = python_result(lines)
    np.testing.assert_allclose([x, y], point, rtol=0, atol=1e-12)
    assert nearest == python_nearest
    assert f"nearest: {nearest} (distance {distance:.2f})" in readout(page)[0]


def test_a_mouse_drag_updates_in_the_browser_and_sends_only_the_drop(demo) -> None:
    page, sent = demo
    assert result_point(page) == (-1.0, 1.0, "queen")
    before = len(sent)
    star_x, _, _ = drag_woman_right(page, sent)  # nothing sent, the star and the nearest word follow
    page.mouse.up()

    lines = wait_for_runs(page, 2)
    assert len(sent) - before >= 1, "the drop is sent"
    received = json.loads(lines["received"])
    assert set(received) == {"woman"}
    np.testing.assert_allclose(received["woman"], [star_x, 0.0], atol=1e-12)  # woman = star - [0, 1]
    _agrees_with_python(page, lines)
    # The link follows the table Python now holds.
    link = parse_qs(urlparse(page.url).query)["pos"][0]
    assert f"woman:{received['woman'][0]:g},0" in link.split(";")


def test_arrow_keys_move_the_focused_point(demo) -> None:
    page, _ = demo
    man = page.get_by_role("slider", name="man", exact=True)
    man.focus()
    ring = page.locator('.point[data-word="man"] .ring')
    assert ring.evaluate("el => getComputedStyle(el).stroke") != "none", "a keyboard focus is visibly marked"
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Shift+ArrowUp")
    assert man.get_attribute("aria-valuetext") == "gender 0.50, royalty 1.00"
    # king - man + woman = [1 - 0.5 - 1, 1 - 1 + 0]: on the axis, nearest to woman.
    x, y, nearest = result_point(page)
    np.testing.assert_allclose([x, y], [-0.5, 0.0], atol=1e-12)
    assert nearest == "woman"

    page.get_by_text('received: {"man": [0.5, 1.0]}', exact=True).wait_for()
    wait_until_rendered(page)  # the rest of that run: Python's own sum
    _agrees_with_python(page, server_lines(page))
    assert man.evaluate("el => el === el.getRootNode().activeElement"), "the point keeps the focus after the rerun"


def test_a_finger_drags_a_point(demo) -> None:
    page, sent = demo
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)  # the plane redraws at the new width
    width = page.locator(f"{COMPONENT} svg").bounding_box()["width"]
    assert width <= 390, "the plane fits a phone's width"
    page.evaluate("""() => { window.pointerTypes = new Set();
        document.addEventListener('pointermove', e => window.pointerTypes.add(e.pointerType), true); }""")
    unit = pixels_per_unit(page)
    x, y = point_centre(page, "man")
    cdp = page.context.new_cdp_session(page)
    before = len(sent)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):  # man: 1 up, in 10 moves
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - step * unit * 0.1}]})
    assert len(sent) == before
    assert page.evaluate("() => [...window.pointerTypes]") == ["touch"]
    star_x, star_y, nearest = result_point(page)
    np.testing.assert_allclose([star_x, star_y], [-1.0, 0.0], atol=0.1 + 1e-9)  # king - man + woman, man at [1, 1]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    lines = wait_for_runs(page, 2)
    assert set(json.loads(lines["received"])) == {"man"}
    _agrees_with_python(page, lines)


def test_axe_finds_nothing_in_the_plane_and_its_text_is_readable(demo) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, _ = demo
    axe = Axe()
    context = {"include": [[COMPONENT]]}
    results = axe.run(page, context=context)
    assert results.response["passes"], "axe looked at the component"
    assert [(v["id"], v["impact"]) for v in results.response["violations"]] == []
    # The check can fail: a point without its name is an unnamed slider.
    page.locator('.point[data-word="king"]').evaluate("el => el.removeAttribute('aria-label')")
    broken = {v["id"] for v in axe.run(page, context=context).response["violations"]}
    assert "aria-input-field-name" in broken

    contrast = page.evaluate("""() => {
        const root = document.querySelector("[data-testid='stBidiComponentIsolated']").shadowRoot;
        const lum = (rgb) => { const c = rgb.match(/\\d+/g).slice(0, 3).map(v => v / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
            return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
        const out = {};
        for (const sel of ['.label', '.tick', '.title', '.readout', '.hint']) {
            const el = root.querySelector(sel), style = getComputedStyle(el);
            const colour = el instanceof SVGElement ? style.fill : style.color;
            out[sel] = 1.05 / (lum(colour) + 0.05);  // against the white page
        }
        return out; }""")
    assert min(contrast.values()) >= 4.5, contrast
