"""No single control or link makes the server work for long: heavy settings are bounded.

Measured before the bounds (see README, hosting): t-SNE of 1,000 points at
perplexity 100 and 1,000 iterations took 5.7 s of CPU, the small multiples at
1,000 points 13.7 s, and an experiment with 3,000 pictures and 3 x 128 units
5.5 s. Each control now stops where one run costs about 2 s, and a link
asking for more is ignored with a notice. These tests check the bounds
through the pages themselves (what the charts hold), not by timing.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from app_state import FE, II
from ui.imperfect_information import cache as ii_cache
from tests.apptest_utils import DASHBOARD, PAGES, assert_no_exception, texts


def _points_in(spec: str) -> int:
    from tests.apptest_utils import values

    return sum(len(values(trace["x"])) for trace in json.loads(spec)["data"] if "x" in trace)


def test_a_link_cannot_ask_for_a_thousand_point_tsne() -> None:
    """The t-SNE knobs draw shipped runs of a fixed size: a link's point count is no setting any more."""
    at = AppTest.from_file(DASHBOARD, default_timeout=180)
    at.query_params["ii.tsne_points"] = "1000"
    at.query_params[II.iterations.key] = "250"
    at.switch_page(PAGES["imperfect_information"])
    at.run()
    assert_no_exception(at)
    shown = [c.proto.spec for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{II.tsne_chart.key}")]
    assert _points_in(shown[0]) == ii_cache.TSNE_POINTS <= 500
    assert at.select_slider(key=II.iterations.key).value == 250  # the link's valid value is kept
    # ... and the student is told the link asked for something the page cannot do.
    notices = texts([*at.caption, *at.warning, *at.info, *at.toast])
    assert "ii.tsne_points" in notices


def test_the_small_multiples_stay_small_whatever_the_sliders_say() -> None:
    at = AppTest.from_file(DASHBOARD, default_timeout=240)
    at.session_state[II.multiples.key] = True
    at.switch_page(PAGES["imperfect_information"])
    at.run()
    assert_no_exception(at)
    spec = next(c.proto.spec for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{II.multiples_chart.key}"))
    # One finished map per perplexity offered (2 waits for its prediction), of the shipped runs' size.
    assert _points_in(spec) == (len(II.perplexity.choices) - 1) * ii_cache.TSNE_POINTS


@pytest.mark.parametrize(
    ("setting", "largest"),
    [(FE.exp_train, 1500)],
    ids=lambda v: getattr(v, "key", str(v)),
)
def test_the_sliders_stop_where_one_run_costs_about_two_seconds(setting, largest) -> None:
    """The page's slider and the link check share one declaration, and stop at the measured bound."""
    page = {"fe": "features_losses", "ii": "imperfect_information"}[setting.key.split(".")[0]]
    at = AppTest.from_file(DASHBOARD, default_timeout=240)
    at.switch_page(PAGES[page])
    at.run()
    assert_no_exception(at)
    slider = at.slider(key=setting.key)
    assert (slider.min, slider.max) == setting.bounds and setting.bounds[1] == largest


@pytest.mark.parametrize(
    ("setting", "largest"),
    [(FE.map_points, 500), (FE.map_perplexity, 50), (FE.width, 32), (II.iterations, 1000)],
    ids=lambda v: getattr(v, "key", str(v)),
)
def test_the_choice_sliders_offer_only_their_declared_choices(setting, largest) -> None:
    """Controls whose every result is shipped or warmed (runtime/warmup.py) offer exactly those values."""
    page = {"fe": "features_losses", "ii": "imperfect_information"}[setting.key.split(".")[0]]
    at = AppTest.from_file(DASHBOARD, default_timeout=240)
    at.switch_page(PAGES[page])
    if setting is FE.map_perplexity:
        at.session_state[FE.map_projection.key] = "t-SNE"  # the perplexity slider shows for t-SNE only
    at.run()
    assert_no_exception(at)
    slider = at.select_slider(key=setting.key)
    assert [type(setting.default)(o) for o in slider.options] == list(setting.choices)
    assert max(setting.choices) == largest
