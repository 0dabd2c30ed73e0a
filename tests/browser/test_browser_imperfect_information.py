"""The "Imperfect information" page in a real browser: it renders, every section draws its charts, a slider move
updates the numbers, the t-SNE knobs answer in the browser, and a screenshot is kept.

Elements are found by their keys (app_state's ``II``; Streamlit gives a keyed
element the class ``st-key-<key>``, dots made dashes) and the headings by their
anchors (``app_state.lessons``), never by their wording.
"""

from __future__ import annotations

from playwright.sync_api import expect

from app_state import APP, II
from app_state.lessons import IMPERFECT_INFORMATION
from embedcore import checkpoints as cp
from embedcore import compression
from tests.browser.conftest import SCREENSHOTS, open_lesson, readme_shot, wait_until_rendered

URL = "imperfect_information"
KNOBS = f".st-key-{II.tsne_chart.key.replace('.', '-')} .js-plotly-plot"


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
    # Digit, gallery, curves, one-bit map, 2 word maps, lost neighbours, meter curves, homework, t-SNE knobs.
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 10", timeout=60_000)
    # The small multiples are drawn on request.
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
    # Before the smallest-code prediction the section shows what the pixels lose, and no accuracy.
    curve = compression.compression_curve(compression.load_digits_split(test_size=0.3, random_state=0),
                                          [II.k.default, 64])
    tiles = keyed(page, II.compression_numbers.key).locator('[data-testid="stMetricValue"]')
    expect(tiles).to_have_count(2)
    kept, lost = tiles.nth(0), tiles.nth(1)
    expect(kept).to_have_text(f"{II.k.default} of 64")
    expect(lost).to_have_text(f"{curve.variance_lost[0]:.0%}")
    keyed(page, II.k.key).get_by_role("slider").focus()
    page.keyboard.press("End")
    expect(kept).to_have_text("64 of 64", timeout=60_000)
    expect(lost).to_have_text(f"{curve.variance_lost[1]:.0%}")
    assert page.locator('[data-testid="stException"]').count() == 0


def _knobs(page) -> dict:  # type: ignore[no-untyped-def]
    """What the knobs' figure shows now: its sliders' positions and labels, the frame and its numbers box."""
    return page.evaluate("""(sel) => { const el = document.querySelector(sel); const L = el._fullLayout;
        return {rows: L.sliders[0].steps.map((s) => s.label), row: L.sliders[0].active,
                columns: L.sliders.slice(1).map((s) => s.visible ? s.active : null),
                frame: L._currentFrame || null, box: L.annotations[L.annotations.length - 1].text,
                x0: el._fullData[0].x[0]}; }""", KNOBS)


def _click_rail(page, index: int, share: float, until) -> dict:  # type: ignore[no-untyped-def]
    """Click the ``index``-th visible slider rail at ``share`` of its length until ``until(state)``; the state."""
    rails = [r for r in page.locator(f"{KNOBS} .slider-rail-touch-rect").all() if r.is_visible()]
    box = rails[index].bounding_box()
    for _ in range(5):  # the first click on a freshly drawn chart can be swallowed (testing-recipes.md)
        rails[index].click(force=True, position={"x": max(2, share * box["width"]), "y": box["height"] / 2})
        page.wait_for_timeout(400)
        state = _knobs(page)
        if until(state):
            return state
    raise AssertionError(f"the slider did not move: {_knobs(page)}")


def test_the_t_sne_knobs_answer_in_the_browser_and_play_the_optimisation(app_url: str, page) -> None:
    sent: list[object] = []
    open_lesson(page, app_url, URL, height=1400)
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    page.reload()
    wait_until_rendered(page)
    page.locator(KNOBS).scroll_into_view_if_needed()
    page.wait_for_selector(f"{KNOBS} .slider-rail-touch-rect")
    page.wait_for_timeout(1000)
    start = _knobs(page)
    offered = [str(p) for p in II.perplexity.choices if p != 2]
    assert start["rows"] == offered  # perplexity 2 waits for its prediction, in the figure too
    assert start["row"] == offered.index(str(II.perplexity.default))
    before = len(sent)

    # The perplexity slider: its first step shows perplexity 5's finished map, its numbers box too.
    moved = _click_rail(page, 0, 0.0, lambda s: s["row"] == 0)
    assert moved["box"].startswith(f"perplexity {offered[0]}, iteration {II.iterations.choices[-1]}")
    assert moved["frame"] == f"0-{len(II.iterations.choices) - 1}" and moved["x0"] != start["x0"]
    # The iteration slider (perplexity 5's): an early picture of the same run.
    early = _click_rail(page, 1, 0.25, lambda s: s["columns"][0] not in (None, len(II.iterations.choices) - 1))
    column = early["columns"][0]
    assert early["frame"] == f"0-{column}"
    assert early["box"].startswith(f"perplexity {offered[0]}, iteration {II.iterations.choices[column]}")
    # Play: the run from its start to its finished map, the slider following.
    page.get_by_text("Play the optimisation").first.click()
    page.wait_for_function(
        f"() => document.querySelector('{KNOBS}')._fullLayout._currentFrame === '0-{len(II.iterations.choices) - 1}'",
        timeout=30_000)
    assert _knobs(page)["columns"][0] == len(II.iterations.choices) - 1
    assert len(sent) == before, "moving the knobs and playing send nothing to the server"
    assert readme_shot(page.locator(KNOBS), "touch_tsne_knobs.png").stat().st_size > 10_000
    assert page.locator('[data-testid="stException"]').count() == 0

    # Locked in, the prediction brings perplexity 2 into the figure (one rerun).
    keyed(page, APP.check_choice.at(cp.PERPLEXITY_2.id)).get_by_text(cp.PERPLEXITY_2.choices[0]).click()
    lock = keyed(page, APP.check_lock.at(cp.PERPLEXITY_2.id)).get_by_role("button")
    expect(lock).to_be_enabled(timeout=60_000)
    lock.click()
    page.wait_for_function(
        f"() => {{ const el = document.querySelector('{KNOBS}');"
        " return el && el._fullLayout.sliders[0].steps[0].label === '2'; }", timeout=60_000)
    wait_until_rendered(page)
    assert _knobs(page)["rows"] == [str(p) for p in II.perplexity.choices]
