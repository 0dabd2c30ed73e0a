"""Open every page in a real browser: it renders, shows its title, raises nothing."""

from __future__ import annotations

import pytest

from tests.apptest_utils import TITLES
from tests.browser.conftest import SCREENSHOTS, wait_until_rendered

URL_PATHS = {
    "home": "",
    "format_matters": "format_matters",
    "imperfect_information": "imperfect_information",
    "features_losses": "features_losses",
}


@pytest.mark.parametrize("name", list(URL_PATHS))
def test_page_renders_in_chromium(name: str, app_url: str, page) -> None:
    page.goto(f"{app_url}/{URL_PATHS[name]}")
    wait_until_rendered(page)

    title = page.locator('[data-testid="stMainBlockContainer"] h1').first
    assert title.is_visible()
    assert TITLES[name] in title.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(out))
    assert out.stat().st_size > 10_000
