"""Hardening: odd links, extreme controls and pasted HTML never break a page.

These tests walk whatever controls the pages declare, so they grow with the
app: a new slider is tested at its extremes without anyone writing a test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app_state
from tests.apptest_utils import DASHBOARD, PAGES, ROOT, assert_no_exception, open_page

PAGE_CLASSES = {page.name: page.state for page in app_state.STUDENT_PAGES}
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)><b>bold</b>'


def _url_settings(name: str) -> list[app_state.Setting]:
    page = PAGE_CLASSES[name]
    return [s for s in (*app_state.APP.items(), *page.items()) if isinstance(s, app_state.Setting) and s.link]


# -- links with random values ------------------------------------------------------

_url_value = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "true", "false", "nan", "-inf", "1e308", "0", "-1", "%00", "../../etc/passwd", HOSTILE]),
)


@pytest.mark.parametrize("name", list(PAGES))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_link_parameters_never_break_a_page(name: str, data: st.DataObject) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    for setting in _url_settings(name):
        if data.draw(st.booleans(), label=f"set {setting.key}"):
            at.query_params[setting.key] = data.draw(_url_value, label=setting.key)
    if data.draw(st.booleans(), label="unknown parameter"):
        at.query_params[data.draw(st.text(min_size=1, max_size=10), label="unknown name")] = "1"
    at.switch_page(PAGES[name])
    at.run()
    assert_no_exception(at)


@pytest.mark.parametrize("value", ["inf", "-1e308", "nan"])
@pytest.mark.parametrize("name", list(PAGES))
def test_non_finite_numbers_in_every_link_parameter(name: str, value: str) -> None:
    """Every parameter of the page at once set to a non-finite or huge number (once found by the test above:
    a number box crashed on 'INF')."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    for setting in _url_settings(name):
        at.query_params[setting.key] = value
    at.switch_page(PAGES[name])
    at.run()
    assert_no_exception(at)


@pytest.mark.parametrize("name", list(PAGES))
def test_valid_link_parameters_are_applied(name: str) -> None:
    """A shared link reproduces the view: each main control takes the link's value."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    expected = {}
    for setting in _url_settings(name):
        value = _other_valid_value(setting)
        if value is not None:
            at.query_params[setting.key] = value[0]
            expected[setting.key] = value[1]
    at.switch_page(PAGES[name])
    at.run()
    assert_no_exception(at)
    for key, value in expected.items():
        assert at.session_state[key] == value, key


def _other_valid_value(setting: app_state.Setting) -> tuple[str, object] | None:
    """A valid non-default value as (URL text, parsed value)."""
    default = setting.default
    if setting.choices:
        others = [c for c in setting.choices if c != default]
        return (str(others[-1]), others[-1]) if others else None
    if isinstance(default, bool):
        return ("false" if default else "true", not default)
    if setting.bounds is not None and isinstance(default, (int, float)):
        lo, hi = setting.bounds
        value = type(default)(lo if default != lo else hi)
        return (str(value), value)
    return None


# -- every control at its extremes ---------------------------------------------------


def _widget_keys(at, kind: str) -> list[str]:
    return [w.key for w in getattr(at, kind) if w.key]


@pytest.mark.parametrize("name", list(PAGES))
def test_every_slider_at_its_minimum_and_maximum(name: str) -> None:
    at = open_page(name, timeout=180)
    assert_no_exception(at)
    for kind in ("slider", "select_slider", "number_input"):
        for key in _widget_keys(at, kind):
            for end in ("min", "max"):
                widgets = [w for w in getattr(at, kind) if w.key == key]
                if not widgets:
                    continue  # hidden by an earlier move
                widget = widgets[0]
                if widget.disabled:
                    continue  # waiting for a prediction: no student can move it (AppTest refuses too)
                value = _extreme(widget, kind, end)
                if value is None:
                    continue
                widget.set_value(value).run()
                assert_no_exception(at)
                # Back to the default so one extreme doesn't compound the next.
                at.session_state[key] = at.session_state[key]


def _extreme(widget, kind: str, end: str):
    if kind == "select_slider":
        options = list(widget.options)
        return options[0] if end == "min" else options[-1]
    if kind == "number_input":
        # None for an unbounded end: nothing to walk to.
        bound = widget.min if end == "min" else widget.max
        return None if bound is None else type(widget.value)(bound)
    value = widget.value
    bound = widget.min if end == "min" else widget.max
    if isinstance(value, tuple):
        return (widget.min, widget.min) if end == "min" else (widget.max, widget.max)
    return bound


# -- pasted HTML is shown as text ----------------------------------------------------


@pytest.mark.parametrize("name", list(PAGES))
def test_html_in_every_text_box_is_shown_as_text(name: str) -> None:
    at = open_page(name, timeout=180)
    for kind in ("text_input", "text_area"):
        for key in _widget_keys(at, kind):
            widgets = [w for w in getattr(at, kind) if w.key == key]
            if not widgets:
                continue
            widgets[0].input(HOSTILE).run()
            assert_no_exception(at)
            for element in at.get("html"):
                assert "<script" not in element.proto.body and "onerror" not in element.proto.body


def test_no_user_text_is_rendered_as_html() -> None:
    """No page or UI helper turns on HTML rendering for markdown."""
    sources = [*ROOT.glob("pages/**/*.py"), *ROOT.glob("ui/**/*.py"), ROOT / "dashboard.py"]
    offenders = [str(p.relative_to(ROOT)) for p in sources if "unsafe_allow_html=True" in p.read_text()]
    assert offenders == []
    # st.html is used for our own fixed stylesheet only.
    for path in sources:
        for line in path.read_text().splitlines():
            if "st.html(" in line:
                assert "st.html(_" in line, f"{path.name}: st.html must take a module constant: {line.strip()}"


def test_hostile_page_files_are_not_in_the_tree() -> None:
    assert Path(DASHBOARD).is_file()
