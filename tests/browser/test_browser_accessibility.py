"""Accessibility in a real browser: axe-core on every page, at a laptop's and a phone's size.

What docs/accessibility.md promises, checked in chromium:

* axe-core (bundled by axe-playwright-python) finds no violation of impact
  critical or serious on any page, in its default view and again with every
  expander and popover open, at 1400 x 1000 (sidebar open) and at 390 x 844
  with touch (sidebar folded away, as a phone first shows it);
* chart text (SVG, which axe does not check) reaches 4.5:1 against its
  background;
* on the phone the page never scrolls sideways, and no chart's mode bar
  covers its title, nor does any chart title run past the chart's edge;
* a student can walk a lesson with the keyboard alone: Tab reaches every
  control, the toy plane's points inside their component included, the
  focused one is visibly marked, and arrows and Enter work it;
* a tap on a slider's track moves it.

The phone screenshots of each page (its first screen, and its first chart)
go to artifacts/screenshots/ (and to docs/screenshots/ with
UPDATE_SCREENSHOTS=1, as test_browser_pages does).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, SCREENSHOTS, wait_until_rendered
from tests.browser.test_browser_pages import URL_PATHS

README_SHOTS = ROOT / "docs" / "screenshots"
SIZES = {
    "desktop": dict(viewport={"width": 1400, "height": 1000}),
    "phone": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2),
}
BLOCKING = ("critical", "serious")


@pytest.fixture(scope="module")
def chromium(playwright_driver) -> Iterator[object]:
    """A plain chromium browser (contexts of any size and touch), closed with this module."""
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="module")
def contexts(chromium) -> Iterator[dict[str, object]]:
    """One browser context per screen size, made when first needed (they share its HTTP cache)."""
    made: dict[str, object] = {}

    class Lazy(dict):
        def __missing__(self, size: str):
            made[size] = self[size] = chromium.new_context(**SIZES[size])
            return made[size]

    yield Lazy()
    for context in made.values():
        context.close()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _open(context, app_url: str, name: str):
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{app_url}/{URL_PATHS[name]}")
    wait_until_rendered(page, timeout_ms=180_000)
    return page


def _blocking(axe, page, context: dict | None = None) -> list[str]:
    """The critical and serious axe violations on the page (or in ``context``), one line each."""
    results = axe.run(page, context=context)
    return [
        f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def _open_everything(page) -> int:
    """Open every closed expander and popover; how many were opened."""
    opened = 0
    # Element handles, not nth() locators: each click opens one, which changes what ":not([open])" matches.
    for details in page.locator('[data-testid="stExpander"] details').element_handles():
        if details.get_attribute("open") is None:
            details.query_selector(":scope > summary").click()
            opened += 1
    for button in page.locator('[data-testid="stPopover"] button').all():
        button.click()
        opened += 1
    if opened:
        page.wait_for_timeout(800)
        wait_until_rendered(page)
    return opened


# Per chart: does the mode bar overlap the title, does any title run past the chart's edges?
_CHART_LAYOUT_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map((chart, i) => {
  const box = chart.getBoundingClientRect();
  const bar = chart.querySelector('.modebar');
  const title = chart.querySelector('.gtitle');
  const b = bar && bar.getBoundingClientRect(), t = title && title.getBoundingClientRect();
  const covered = !!(b && t && b.width > 0 && t.width > 0
    && b.left < t.right && t.left < b.right && b.top < t.bottom && t.top < b.bottom);
  const clipped = [...chart.querySelectorAll('.gtitle, .annotation-text, .xtitle, .ytitle')]
    .map(e => e.getBoundingClientRect()).filter(r => r.width > 0)
    .filter(r => r.left < box.left - 1 || r.right > box.right + 1).length;
  return {chart: i, covered, clipped, width: box.width};
})"""


# Every control a student can use, marked so the Tab walk can tick them off. Radio buttons
# (and segmented controls) take one Tab per group and arrows within it, so count their groups.
_MARK_CONTROLS_JS = """() => {
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const wanted = [...document.querySelectorAll('[data-testid="stMain"] :is(button, input, select, textarea, summary, a[href], [role="combobox"])')]
    .filter(e => !e.disabled && e.tabIndex >= 0 && e.type !== 'radio'
      && !(e.closest('details:not([open])') && e.tagName !== 'SUMMARY') && e.getAttribute('role') !== 'radio' && e.type !== 'file')
    .filter(e => visible(e) || (e.type === 'range' && visible(e.closest('[data-testid="stSlider"]'))));
  const groups = [...document.querySelectorAll('[data-testid="stMain"] [role="radiogroup"]')].filter(visible);
  // A custom component's own controls (the toy plane's points) live in its shadow root.
  const inside = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stBidiComponentIsolated"]')]
    .flatMap(host => host.shadowRoot ? [...host.shadowRoot.querySelectorAll('[tabindex="0"]')] : []).filter(visible);
  const all = [...wanted, ...groups, ...inside];
  all.forEach((e, i) => e.dataset.a11yControl = String(i));
  return all.map(e => e.getAttribute('aria-label') || (e.innerText || '').trim().slice(0, 40) || e.tagName);
}"""

# The focused element: its control mark (or its radio group's), and whether the focus shows.
_FOCUSED_JS = """() => {
  // The focused element itself, also inside a component's shadow root (the toy plane's points).
  let e = document.activeElement;
  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
  if (!e || e === document.body) return null;
  const marked = e.closest('[data-a11y-control]');
  // A visually hidden input (a slider's) shows its focus on the nearest visible box around it: the thumb.
  let shown = e;
  while (shown && shown.getBoundingClientRect().width <= 2) shown = shown.parentElement;
  const ring = el => { const cs = getComputedStyle(el);
    return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none'; };
  const container = ['MAIN', 'SECTION', 'DIV', 'CANVAS'].includes(e.tagName) && !e.getAttribute('role');
  // An SVG control draws its own focus ring (the toy plane's points: a circle whose stroke shows on focus).
  const svgRing = e instanceof SVGElement && [...e.querySelectorAll('.ring')]
    .some(c => getComputedStyle(c).stroke !== 'none' && parseFloat(getComputedStyle(c).strokeWidth) > 0);
  // Each element gets a key of its own: labels and markup repeat ("Link to heading", two download buttons).
  if (!e.dataset.a11yKey) e.dataset.a11yKey = String((window.a11yKeys = (window.a11yKeys || 0) + 1));
  return {
    control: marked ? marked.dataset.a11yControl : null,
    label: e.getAttribute('aria-label') || (e.innerText || '').trim().slice(0, 40) || e.tagName,
    visible: container || svgRing || ring(e) || (shown !== e && !!shown && ring(shown)),
    key: e.dataset.a11yKey,
  };
}"""

LESSONS = ("format_matters", "imperfect_information", "features_losses")


def _tab_walk(page, limit: int = 400) -> tuple[set[str], list[str]]:
    """Press Tab until the focus comes round again; the controls reached and any focus not shown."""
    reached: set[str] = set()
    unseen_focus: list[str] = []
    first = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED_JS)
        if focused is None:
            continue
        if first is None:
            first = focused["key"]
        elif focused["key"] == first:
            break
        if focused["control"] is not None:
            reached.add(focused["control"])
        if not focused["visible"]:
            unseen_focus.append(focused["label"])
    return reached, unseen_focus


def _walk_with_the_keyboard(page, name: str) -> None:
    """Tab reaches every control with a visible focus; arrows move a slider; Enter presses a button."""
    controls = page.evaluate(_MARK_CONTROLS_JS)
    assert len(controls) > 5
    reached, unseen_focus = _tab_walk(page)
    missed = [label for i, label in enumerate(controls) if str(i) not in reached]
    assert not missed, f"{name}: Tab never reaches {missed}"
    assert not unseen_focus, f"{name}: focus not visible on {unseen_focus}"

    # Arrows move the first slider, and the page follows.
    slider = page.locator('[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]').first
    before = slider.input_value()
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, v]) => el.value !== v", arg=[slider.element_handle(), before], timeout=30_000)
    wait_until_rendered(page)
    assert page.locator('[data-testid="stException"]').count() == 0

    if name == "features_losses":
        # Enter on a focused button runs it: Run experiment adds the first run's network and log chart.
        charts = page.locator('[data-testid="stPlotlyChart"]').count()
        page.get_by_role("button", name="Run experiment").focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"]').length > {charts}", timeout=120_000
        )
        wait_until_rendered(page)
        assert page.locator('[data-testid="stException"]').count() == 0


def _tap_a_slider(page) -> None:
    """A tap three quarters along the first slider's track moves it there."""
    slider = page.locator('[data-testid="stMain"] [data-testid="stSlider"]').first
    track = slider.locator('[style*="touch-action"]').first
    track.scroll_into_view_if_needed()
    box = track.bounding_box()
    range_input = slider.locator('input[type="range"]')
    before = range_input.input_value()
    page.touchscreen.tap(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    page.wait_for_function("([el, v]) => el.value !== v", arg=[range_input.element_handle(), before], timeout=30_000)
    low, high = float(range_input.get_attribute("min")), float(range_input.get_attribute("max"))
    assert float(range_input.input_value()) == pytest.approx(low + 0.75 * (high - low), abs=0.1 * (high - low))
    wait_until_rendered(page)
    assert page.locator('[data-testid="stException"]').count() == 0


# Chart text (SVG, which axe does not check): each distinct pair of text colour and background,
# with its contrast. The background is white, or the bar a number is printed in. Numbers printed
# on heatmap cells are left out: plotly picks black or white against each cell's colour.
_CHART_TEXT_CONTRAST_JS = """() => {
  const rgb = colour => (colour.match(/\\d+(\\.\\d+)?/g) || []).slice(0, 3).map(Number);
  const lum = c => c.map(v => v / 255).map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const pairs = new Set([...document.querySelectorAll('.js-plotly-plot .main-svg text')]
    .filter(t => !t.closest('.heatmaplayer') && t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => {
      const bar = t.classList.contains('bartext-inside') && t.closest('.point').querySelector('path');
      return getComputedStyle(t).fill + ' on ' + (bar ? getComputedStyle(bar).fill : 'rgb(255, 255, 255)');
    }));
  // A patterned bar (a second bar series) has no single colour to measure against: left out.
  return [...pairs].filter(pair => !pair.includes('url(')).map(pair => [pair, ratio(...pair.split(' on '))]);
}"""


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(URL_PATHS))
def test_page_is_accessible(name: str, size: str, app_url: str, contexts, axe) -> None:
    """axe-core finds nothing critical or serious; the phone layout fits; the lesson works by keyboard and touch."""
    page = _open(contexts[size], app_url, name)
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        problems = _blocking(axe, page)
        assert not problems, f"{name} at {size}, default view:\n" + "\n".join(problems)
        faint = [(pair, round(ratio, 2)) for pair, ratio in page.evaluate(_CHART_TEXT_CONTRAST_JS) if ratio < 4.5]
        assert not faint, f"{name}: chart text below 4.5:1: {faint}"

        if size == "phone":
            # The page itself never scrolls sideways (wide tables scroll inside their own box).
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.querySelector('[data-testid=stMain]').scrollWidth]"
            )
            assert max(widths) <= 390, f"{name} scrolls sideways on a phone: {widths}"
            charts = page.evaluate(_CHART_LAYOUT_JS)
            assert all(c["width"] <= 390 for c in charts), charts
            assert not [c for c in charts if c["covered"]], f"mode bar over a title: {charts}"
            assert not [c for c in charts if c["clipped"]], f"chart text past the edge: {charts}"
            # The first phone screen, and the first chart as a phone shows it.
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shots = [SCREENSHOTS / f"{name}_phone.png"]
            page.screenshot(path=str(shots[0]))
            if charts:
                page.locator('[data-testid="stPlotlyChart"]').first.scroll_into_view_if_needed()
                page.wait_for_timeout(300)
                shots.append(SCREENSHOTS / f"{name}_phone_chart.png")
                page.screenshot(path=str(shots[1]))
            for shot in shots:
                assert shot.stat().st_size > 10_000
                if os.environ.get("UPDATE_SCREENSHOTS") == "1":
                    README_SHOTS.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(shot, README_SHOTS / shot.name)

        if _open_everything(page):
            # The rest of the page was checked above: check what opened (a quicker run).
            opened = [sel for sel in ('[data-testid="stExpander"]', '[data-testid="stPopoverBody"]')
                      if page.locator(sel).count()]
            problems = _blocking(axe, page, {"include": [[sel] for sel in opened]})
            assert not problems, f"{name} at {size}, everything open:\n" + "\n".join(problems)

        # The lessons, worked by hand: keyboard alone on a laptop, touch on a phone.
        if name in LESSONS and size == "desktop":
            _walk_with_the_keyboard(page, name)
        if name == "features_losses" and size == "phone":
            _tap_a_slider(page)
    finally:
        page.close()
