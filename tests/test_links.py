"""Finding 7 of issue 11: what a link asks for is either applied or named in the notice.

The app's own check (``app_state.url_problems`` / ``Setting.accepts``) must
agree with what Streamlit 1.67's query-parameter binding reads: a value the
check accepts is read by Streamlit as the same value, and a value the check
rejects is named in the notice *and* left out (``drop_ignored_url_values``),
even where Streamlit alone would have read it (``float("\\u0665")`` is 5).
Numbers are ASCII digits, in links and in expressions.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.runtime.state.query_params import parse_url_param
from streamlit.testing.v1 import AppTest

import app_state
from app_state.kinds import parse_url_value
from app_state import FM
from embedcore.expressions import ExpressionError, parse
from tests.apptest_utils import DASHBOARD, PAGES, assert_no_exception, texts

TOGGLES = [s for s in app_state.all_settings() if isinstance(s, app_state.Setting) and s.link
           and isinstance(s.default, bool)]
NUMBERS = [s for s in app_state.all_settings() if isinstance(s, app_state.Setting) and s.link
           and isinstance(s.default, (int, float)) and not isinstance(s.default, bool) and s.bounds]

url_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["true", "TRUE", "False", "yes", "no", "on", "off", "1", "0", "YES", "\u0665", "\uff12",
                     "1_0", " 3", "3 ", "+3", "-0", "3.0", "3.", ".5", "1e1", "1E+1", "nan", "inf", "\u00bd", "٣٠"]),
)


@settings(max_examples=300, deadline=None)
@given(raw=url_text)
def test_a_toggle_value_the_check_accepts_is_read_by_streamlit_as_the_same_value(raw: str) -> None:
    for setting in TOGGLES:
        try:
            streamlit_reads = parse_url_param(raw, "bool_value")
        except ValueError:
            streamlit_reads = None
        if setting.accepts(raw):
            assert streamlit_reads is parse_url_value(raw, setting.default), (setting.key, raw)
        elif raw != "":  # "" clears a widget in Streamlit; the app names it
            assert streamlit_reads is None or not setting.accepts(raw)


@settings(max_examples=300, deadline=None)
@given(raw=url_text)
def test_a_number_the_check_accepts_is_read_by_streamlit_as_the_same_number(raw: str) -> None:
    for setting in NUMBERS:
        if setting.accepts(raw):
            assert raw.isascii(), (setting.key, raw)
            # Sliders are bound as "double_array_value"; Streamlit reads them with float().
            (streamlit_reads,) = parse_url_param([raw], "double_array_value")
            assert math.isclose(float(streamlit_reads), parse_url_value(raw, setting.default)), (setting.key, raw)


@pytest.mark.parametrize("raw", ["YES", "yes", "0", "1", "on", "off", "no", ""])
def test_toggles_take_only_true_or_false(raw: str) -> None:
    """`?fm.toy_3d=YES` and `?fm.exclude_inputs=0` were accepted by the check, and ignored by Streamlit."""
    assert not FM.toy_3d.accepts(raw) and not FM.exclude_inputs.accepts(raw)
    assert FM.toy_3d.accepts("true") and FM.toy_3d.accepts("FALSE")


@pytest.mark.parametrize("raw", ["\u0665", "\uff15", "\u0663", "1_0", "5.0", " 5"])
def test_numbers_in_links_are_ascii_digits(raw: str) -> None:
    assert not FM.map_k.accepts(raw)
    assert FM.map_k.accepts("5") and FM.noise.accepts("0.5") and FM.noise.accepts(".5")


@pytest.mark.parametrize("raw", ["king:9,1", "king:1", "King:1,1", "king:\u0665,1", "a:1,1;a:2,2", "<b>x</b>:1,1"])
def test_a_toy_table_link_is_checked_as_embedcore_reads_it(raw: str) -> None:
    """The toy table rides in one parameter (embedcore.toylink): a value toylink refuses is named in the notice."""
    (problem,) = app_state.url_problems(FM, {FM.toy_pos.key: [raw]})
    assert FM.toy_pos.key in problem
    assert app_state.url_problems(FM, {FM.toy_pos.key: ["king:1,1;queen:-1,1;man:1,0;woman:0.5,0"]}) == []
    assert app_state.url_problems(FM, {FM.toy_pos.key: [""]}) == []  # the starter table


def test_a_repeated_parameter_is_named() -> None:
    problems = app_state.url_problems(FM, {"fm.map_k": ["3", "99"], "fm.noise": ["0.5"]})
    assert len(problems) == 1 and "fm.map_k" in problems[0]


def test_ignored_link_values_get_a_notice_and_leave_the_setting_alone() -> None:
    """Each of these was silently dropped or silently applied (fm.map_k = 5 from an Arabic-Indic five)."""
    at = AppTest.from_file(DASHBOARD, default_timeout=180)
    bad = {
        "fm.toy_3d": "YES",
        "fm.exclude_inputs": "0",
        "fm.map_k": "\u0665",
        "fm.map_seed": ["3", "99"],
        "fm.noise_seed": "\uff17",
    }
    for name, value in bad.items():
        at.query_params[name] = value
    at.query_params["fm.noise"] = "0.5"  # a good value in the same link still counts
    at.switch_page(PAGES["format_matters"])
    at.session_state[FM.map_method.key] = "PCA"
    at.run()
    assert_no_exception(at)
    notice = next(line for line in texts(at.caption).splitlines() if "link_off" in line)
    for name in bad:
        assert name in notice, (name, notice)
        setting = next(s for s in app_state.all_settings() if s.key == name)
        assert at.session_state[name] == setting.default, name
        assert name not in at.query_params  # taken out of the address bar too
    assert at.session_state[FM.noise.key] == 0.5


@pytest.mark.parametrize("expression", ["\uff12*king", "king - \u0665*man", "2\uff12*king", "\u00bd*king"])
def test_expressions_read_ascii_digits_only(expression: str) -> None:
    """`２*king` was 2*king."""
    with pytest.raises(ExpressionError) as error:
        parse(expression)
    bad = next(i for i, c in enumerate(expression) if not c.isascii())
    assert error.value.position == bad + 1
    assert parse("2*king") == [(2.0, "king")]
