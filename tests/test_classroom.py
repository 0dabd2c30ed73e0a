"""Classroom tools shared by every page: share links, presenter mode, link notices."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

import app_state
from tests.apptest_utils import PAGES, assert_no_exception, open_page, texts


def test_share_button_shows_a_link_with_the_page_settings() -> None:
    at = open_page("home")
    at.button(key=app_state.APP.share.key).click().run()
    assert_no_exception(at)
    link = at.code[0].value
    query = parse_qs(urlsplit(link).query)
    assert query[app_state.APP.presenter.key] == ["false"]


@pytest.mark.parametrize(
    ("name", "seed", "value"),
    [("format_matters", app_state.FM.noise_seed, 7), ("features_losses", app_state.FE.gallery_seed, 42)],
)
def test_share_link_carries_the_seeds(name: str, seed: app_state.Setting, value: int) -> None:
    """A copied link reproduces seeded results: the noise direction, the gallery sample."""
    at = open_page(name, timeout=180)
    at.session_state[seed.key] = value
    at.run()
    at.button(key=app_state.APP.share.key).click().run()
    assert_no_exception(at)
    query = parse_qs(urlsplit(at.sidebar.code[0].value).query)
    assert query[seed.key] == [str(value)]


def test_presenter_mode_hides_the_sidebar_tools_and_can_be_switched_off() -> None:
    at = open_page("home")
    at.toggle(key=app_state.APP.presenter.key).set_value(True).run()
    assert_no_exception(at)
    assert not at.sidebar.button  # the share button lives in the sidebar, now hidden
    assert any("font-size: 20px" in el.proto.body for el in at.get("html"))
    at.toggle(key=app_state.APP.presenter.key).set_value(False).run()
    assert at.sidebar.button(key=app_state.APP.share.key) is not None
    # Only the accessibility stylesheet every page carries is left, not the presenter's.
    assert not any("font-size: 20px" in el.proto.body for el in at.get("html"))


def test_a_presenter_link_opens_in_presenter_mode_on_its_first_run() -> None:
    from streamlit.testing.v1 import AppTest

    from tests.apptest_utils import DASHBOARD

    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params[app_state.APP.presenter.key] = "true"
    at.switch_page(PAGES["format_matters"])
    at.run()
    assert_no_exception(at)
    assert any("font-size: 20px" in el.proto.body for el in at.get("html"))  # the presenter's stylesheet
    assert not at.sidebar.button
    assert at.toggle(key=app_state.APP.presenter.key).value is True
    # The student can still switch it off.
    at.toggle(key=app_state.APP.presenter.key).set_value(False).run()
    assert not any("font-size: 20px" in el.proto.body for el in at.get("html"))


@pytest.mark.parametrize("name", list(PAGES))
def test_unknown_and_invalid_link_parameters_get_a_notice_not_an_error(name: str) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.apptest_utils import DASHBOARD

    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["nonsense"] = "1"
    at.query_params[app_state.APP.presenter.key] = "maybe"
    at.switch_page(PAGES[name])
    at.run()
    assert_no_exception(at)
    notice = texts(at.caption)
    assert "unknown parameter 'nonsense'" in notice
    assert "'app.presenter' cannot be 'maybe'" in notice


def test_url_problems_accepts_valid_values() -> None:
    assert app_state.url_problems(app_state.HOME, {"app.presenter": ["true"]}) == []
    assert app_state.url_problems(app_state.HOME, {"app.presenter": ["2"]}) == ["'app.presenter' cannot be '2'"]


def test_store_defaults_are_fresh_per_session() -> None:
    store = app_state.Store("x.log", factory=list)
    assert store.factory() is not store.factory()
