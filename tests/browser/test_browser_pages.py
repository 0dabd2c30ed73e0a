"""Open every page in a real browser: it renders, shows its title, raises nothing."""

from __future__ import annotations

import os
import shutil

import pytest

import app_state

from tests.apptest_utils import TITLES
from tests.browser.conftest import ROOT, SCREENSHOTS, wait_until_rendered

# The README's pictures: the top of each page at a laptop's screen size. They are
# copied into docs/ only when asked (UPDATE_SCREENSHOTS=1), so a test run never
# leaves the git tree changed.
README_SHOTS = ROOT / "docs" / "screenshots"
SCREEN = {"x": 0, "y": 0, "width": 1400, "height": 900}

URL_PATHS = {page.name: page.address for page in app_state.STUDENT_PAGES}


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

    top = SCREENSHOTS / f"{name}_top.png"
    page.screenshot(path=str(top), clip=SCREEN)
    assert top.stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(top, README_SHOTS / f"{name}.png")
