"""Five real browser sessions use every page at the same time, without errors.

The load test (benchmarks/loadtest.py) measures the server with thirty
protocol-level clients; this confirms with real browsers that concurrent
sessions each get working pages.
"""

from __future__ import annotations

import asyncio

from tests.apptest_utils import TITLES
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, in_own_thread
from tests.browser.test_browser_pages import URL_PATHS

N_SESSIONS = 5
# Ready: the run has finished and the page's title is drawn. It returns the title's text itself, so
# reading it cannot race a rerun that redraws the page between "ready" and the read.
READY = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const title = document.querySelector('[data-testid="stMainBlockContainer"] h1');
    const done = app && app.getAttribute('data-test-script-state') !== 'running'
        && !document.querySelector('[data-testid="stStatusWidget"]') && title;
    return done ? title.innerText || ' ' : false;
}"""


async def _student(browser, app_url: str, index: int) -> list[str]:
    problems = []
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        # Each student starts on a different page, then visits all of them.
        names = list(URL_PATHS)
        names = names[index % len(names):] + names[: index % len(names)]
        for name in names:
            await page.goto(f"{app_url}/{URL_PATHS[name]}")
            ready = await page.wait_for_function(READY, timeout=180_000)
            title = await ready.json_value()
            if TITLES[name] not in title:
                problems.append(f"session {index} {name}: title {title!r}")
            if await page.locator('[data-testid="stException"]').count():
                problems.append(f"session {index} {name}: exception shown")
    finally:
        await context.close()
    return problems


async def _run(app_url: str) -> list[str]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            results = await asyncio.gather(*(_student(browser, app_url, i) for i in range(N_SESSIONS)))
        finally:
            await browser.close()
    return [problem for problems in results for problem in problems]


def test_five_browser_sessions_at_once(app_url: str) -> None:
    # In a thread of its own: the session-wide chromium (conftest) keeps an event loop running in this one.
    problems: list = []
    in_own_thread(lambda: problems.extend(asyncio.run(_run(app_url))))
    assert problems == []
