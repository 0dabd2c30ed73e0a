"""The draggable plane's Python side (ui.components.plane): the data it sends, what it accepts back.

The browser half (plane.js) is tested in tests/browser/test_browser_component_*.py;
here a drop is simulated in AppTest by sending the component's trigger as a
browser would.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.testing.v1 import AppTest

from embedcore import toyplane
from ui.components import plane
from ui.components.plane import average, comparison, plane_data, read_moved, signed_sum

WORDS = ("king", "queen", "man", "woman")
COORDS = np.array([[1.0, 1.0], [-1.0, 1.0], [1.0, 0.0], [-1.0, 0.0]])
ANALOGY = [(1.0, "king"), (-1.0, "man"), (1.0, "woman")]
HOSTILE = '<img src=x onerror="alert(1)">'
COMPONENT_DIR = Path(plane.__file__).parent


# --------------------------------------------------------------------------
# The data sent to the browser
# --------------------------------------------------------------------------
def test_plane_data_sends_words_coordinates_and_expressions_by_index() -> None:
    data = plane_data(WORDS, COORDS, expression=signed_sum(ANALOGY), readouts=[average(["king", "queen"])])
    assert data["words"] == list(WORDS)
    np.testing.assert_array_equal(data["coords"], COORDS)
    assert data["expressions"] == [
        {"kind": "sum", "label": "king - man + woman", "exclude": [], "terms": [[1.0, 0], [-1.0, 2], [1.0, 3]]},
        {"kind": "mean", "label": "mean(king, queen)", "exclude": [], "words": [0, 1]},
    ]
    assert data["draw_first"] is True
    assert data["highlight"] == [0, 2, 3]
    assert data["bounds"] == [-5.0, 5.0] and data["step"] == 0.1
    assert data["area"]["centre"] == list(toyplane.ROYAL_AREA_CENTRE)
    json.dumps(data)  # all of it is plain JSON


def test_plane_data_without_a_main_expression_draws_none() -> None:
    data = plane_data(WORDS, COORDS, readouts=[comparison("king", "queen")], area=False)
    assert data["draw_first"] is False and data["highlight"] == [] and data["area"] is None
    assert data["expressions"] == [{"kind": "compare", "label": "king and queen", "exclude": [], "words": [0, 1]}]


def test_plane_data_keeps_gender_and_royalty_of_a_3d_table() -> None:
    three_d = np.hstack([COORDS, np.ones((4, 1))])
    np.testing.assert_array_equal(plane_data(WORDS, three_d)["coords"], COORDS)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(words=WORDS, coords=COORDS[:3]), ValueError, r"shape \(4, 2\)"),
        (dict(words=WORDS, coords=np.where(COORDS == 0, np.nan, COORDS)), ValueError, "finite"),
        (dict(words=("king", "king", "man", "woman"), coords=COORDS), ValueError, "unique"),
        (dict(words=WORDS, coords=COORDS, expression=signed_sum([(1, "prince")])), KeyError, "prince"),
        (dict(words=WORDS, coords=COORDS, expression=signed_sum(ANALOGY, exclude=["duke"])), KeyError, "duke"),
    ],
)
def test_plane_data_rejects_what_it_cannot_draw(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        plane_data(**kwargs)


def test_expressions_label_and_check_themselves() -> None:
    assert signed_sum([(1, "king"), (-1, "man")]).label == toyplane.expression_text([(1, "king"), (-1, "man")])
    assert average(["king", "queen"], label="royal").label == "royal"
    with pytest.raises(ValueError, match="at least one word"):
        signed_sum([])
    with pytest.raises(ValueError, match="at least one word"):
        average([])
    bad = plane.Expression("compare", ("king", "queen", "man"))
    with pytest.raises(ValueError, match="exactly two"):
        plane_data(WORDS, COORDS, expression=bad)


def test_student_words_travel_as_data_never_as_markup_or_code() -> None:
    """A word typed into the table reaches the browser only inside the JSON ``data``; plane.js sets it as text."""
    data = plane_data((*WORDS[:3], HOSTILE), COORDS, expression=signed_sum([(1, HOSTILE)]))
    assert data["words"][3] == HOSTILE and data["expressions"][0]["label"] == HOSTILE
    js = (COMPONENT_DIR / "plane.js").read_text()
    css = (COMPONENT_DIR / "plane.css").read_text()
    # No way into HTML parsing or code: text goes through textContent and setAttribute only.
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                  "createContextualFragment"):
        assert risky not in js, risky
    # Nothing is fetched at run time: no requests, no imports, no address but the SVG namespace.
    for fetching in ("fetch(", "XMLHttpRequest", "import(", "import ", "WebSocket", "sendBeacon"):
        assert fetching not in js, fetching
    assert re.findall(r"https?://[^\s\"']+", js) == ["http://www.w3.org/2000/svg"]
    assert "url(" not in css and "@import" not in css
    assert "textContent" in js and "setAttribute" in js


# --------------------------------------------------------------------------
# What comes back from the browser
# --------------------------------------------------------------------------
def test_read_moved_keeps_known_words_on_the_grid_inside_the_range() -> None:
    payload = [["king", 0.23, 7.0], ["man", -0.04, -5.26], ["queen", 1, -1]]
    assert read_moved(payload, WORDS) == {"king": (0.2, 5.0), "man": (0.0, -5.0), "queen": (1.0, -1.0)}
    assert math.copysign(1.0, read_moved(payload, WORDS)["man"][0]) == 1.0  # never -0.0
    assert read_moved([["king", 0.3, 0.1]], WORDS, bounds=(-1.0, 0.2)) == {"king": (0.2, 0.1)}


@pytest.mark.parametrize(
    "payload",
    [
        None, "king", {"king": [1, 1]}, [], [["prince", 1, 1]], [["king", float("nan"), 1]],
        [["king", 1, float("inf")]], [["king", True, 1]], [["king", "1", 1]], [["king", 1]], [["king", 1, 1, 1]],
        [[1, 1, 1]], ["king"],
    ],
)
def test_read_moved_refuses_what_is_not_a_known_word_at_finite_numbers(payload: object) -> None:
    assert read_moved(payload, WORDS) is None


def test_read_moved_takes_each_word_once_and_reads_no_more_entries_than_words() -> None:
    assert read_moved([["king", 1, 1], ["king", 2, 2]], WORDS) == {"king": (1.0, 1.0)}
    flood = [["prince", 0, 0]] * 4 + [["king", 3, 3]]
    assert read_moved(flood, WORDS) is None  # only len(words) entries are looked at


# --------------------------------------------------------------------------
# A drop, as the browser sends it, in AppTest
# --------------------------------------------------------------------------
SCRIPT = """
import json
import streamlit as st
from ui.components.plane import draggable_plane, signed_sum

state = st.session_state
state.setdefault("moves", [])
state["seen_before_mount"] = len(state["moves"])  # on_move runs before the script
returned = draggable_plane(["king", "queen", "man", "woman"], [[1, 1], [-1, 1], [1, 0], [-1, 0]], key="plane",
                           expression=signed_sum([(1, "king"), (-1, "man"), (1, "woman")]),
                           on_move=state["moves"].append)
st.text(json.dumps(returned))
"""


def _drop(at: AppTest, moved: object) -> AppTest:
    """Run ``at`` again as the browser does after a drop: the component's ``moved`` trigger set to ``moved``."""
    component = at.get("bidi_component")[0].proto
    widgets = at._tree.get_widget_states()
    trigger = widgets.widgets.add()
    trigger.id = _make_trigger_id(component.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": "moved", "value": moved}])
    return at._run(widgets)


def test_a_drop_reaches_on_move_before_the_run_and_is_returned_once() -> None:
    at = AppTest.from_string(SCRIPT, default_timeout=30).run()
    assert not at.exception
    assert json.loads(at.text[0].value) is None
    component = at.get("bidi_component")[0].proto
    assert json.loads(component.json)["words"] == ["king", "queen", "man", "woman"]

    _drop(at, [["woman", 0.5, 0.04], ["intruder", 1, 1], ["king", float("nan"), 0]])
    assert not at.exception
    assert at.session_state["moves"] == [{"woman": (0.5, 0.0)}]
    assert at.session_state["seen_before_mount"] == 1
    assert json.loads(at.text[0].value) == {"woman": [0.5, 0.0]}

    at.run()  # a trigger lasts one run
    assert json.loads(at.text[0].value) is None
    assert len(at.session_state["moves"]) == 1
