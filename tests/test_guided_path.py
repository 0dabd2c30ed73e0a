"""The guided path: on first open, each section shows only its key controls; the rest sit behind "More controls".

Counted per section (a header and what follows it), on each lesson's first
open: input widgets that are not folded in an expander or popover, leaving out
the predict-then-reveal boxes (their own step of the path). Everything folded
still runs, so a shared link can still set it.
"""

from __future__ import annotations

import pytest

from app_state import APP, FM
from app_state.lessons import FORMAT_MATTERS
from streamlit.testing.v1 import AppTest

from tests.apptest_utils import DASHBOARD, PAGES, assert_no_exception, open_page

INPUTS = {"slider", "select_slider", "selectbox", "multiselect", "radio", "toggle", "checkbox", "text_input",
          "text_area", "number_input", "segmented_control"}
#: "At most about four" controls a section shows on first open.
MOST = 5


def _sections(at) -> dict[str, list[str]]:
    """Section heading -> keys of the unfolded input widgets under it, in page order."""
    found: dict[str, list[str]] = {}
    section = None

    def walk(node, folded: bool) -> None:
        nonlocal section
        kind = getattr(node, "type", None)
        if kind == "header":
            section = node.value
            found[section] = []
        elif kind in INPUTS and not folded and section is not None:
            key = getattr(node, "key", None) or ""
            if not key.startswith(APP.check_choice.key):
                found[section].append(key)
        for child in getattr(node, "children", {}).values():
            walk(child, folded or kind in ("expander", "popover"))

    walk(at.main, False)
    return found


@pytest.mark.parametrize("lesson", ["format_matters", "imperfect_information", "features_losses"])
def test_each_section_opens_with_at_most_about_four_controls(lesson: str) -> None:
    at = open_page(lesson, timeout=180)
    assert_no_exception(at)
    sections = _sections(at)
    assert len(sections) >= 5
    crowded = {title: keys for title, keys in sections.items() if len(keys) > MOST}
    assert not crowded, crowded


def test_folded_controls_still_restore_from_a_link() -> None:
    # The Car-Land seed and the noise direction sit behind "More controls"; a link still sets them.
    at = AppTest.from_file(DASHBOARD, default_timeout=180)
    at.query_params[FM.map_seed.key] = "3"
    at.query_params[FM.noise_seed.key] = "7"
    at.switch_page(PAGES["format_matters"])
    at.session_state[FM.map_method.key] = "PCA"
    at.run()
    assert_no_exception(at)
    sections = _sections(at)
    assert FM.map_seed.key not in sections[FORMAT_MATTERS.section("car-land").heading]
    assert FM.noise_seed.key not in sections[FORMAT_MATTERS.section("encode").heading]
    assert at.slider(key=FM.map_seed.key).value == 3
    assert at.slider(key=FM.noise_seed.key).value == 7
