"""Every page runs without an exception and shows its title."""

from __future__ import annotations

import pytest

from tests.apptest_utils import PAGES, TITLES, assert_no_exception, open_page


@pytest.mark.parametrize("name", list(PAGES))
def test_page_runs_and_shows_title(name: str) -> None:
    at = open_page(name)
    assert_no_exception(at)
    assert TITLES[name] in [t.value for t in at.title]


def test_home_links_every_lesson() -> None:
    at = open_page("home")
    links = [el.proto.page for el in at.get("page_link")]
    for name in ("format_matters", "imperfect_information", "features_losses"):
        assert PAGES[name] in links or any(name in link for link in links), links
