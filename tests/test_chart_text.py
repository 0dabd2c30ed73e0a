"""Charts without sight or colour: summaries from the chart's own numbers, contrast, non-colour codes."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from app_state import II
from tests.apptest_utils import DASHBOARD, PAGES, assert_no_exception, values
from ui.chart_text import (
    DASHES,
    add_non_colour_codes,
    contrast,
    ink,
    plain,
    summary,
)
from ui.charts import PALETTE, TEXT_GREY, TITLE_CHARS, style, wrap_title
from ui.text import md
from ui.features_losses.charts import bars_figure, loss_figure, map_figure, width_figure


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def test_a_loss_summary_states_where_each_curve_starts_and_ends() -> None:
    curves = {"model A (colour loss)": [1.386, 0.92, 0.41, 0.052], "model B (shape loss)": [1.386, 1.1, 0.85, 0.61]}
    text = summary(loss_figure(curves))
    assert "Training loss per epoch" in text
    for name, losses in curves.items():
        part = text.split(name)[1].split(";")[0]
        assert "falls" in part
        assert _numbers(part)[:2] == pytest.approx([losses[0], losses[-1]], rel=0.01)


def test_a_bar_summary_names_each_bar_with_its_value_as_the_axis_formats_it() -> None:
    table = pd.DataFrame({"model": ["baseline", "yellow only"], "taxi accuracy": [0.62, 0.81]})
    text = summary(bars_figure(table, x="model", columns=["taxi accuracy"], title="Latest run"))
    assert "baseline 62%" in text and "yellow only 81%" in text  # the chart's y axis is in percent


def test_many_bars_are_summarised_by_the_highest_and_lowest() -> None:
    import plotly.graph_objects as go

    words = [f"w{i}" for i in range(20)]
    scores = np.linspace(-1, 1, 20)
    fig = go.Figure(go.Bar(x=scores, y=words, orientation="h"), layout=dict(xaxis=dict(title=dict(text="he → she"))))
    text = summary(fig)
    assert "20 bars" in text and "highest w19 1" in text and "lowest w0 -1" in text and "he → she" in text


def test_a_map_summary_counts_the_points_of_each_group() -> None:
    labels = np.array([0, 0, 1, 2, 2, 2])
    Y = np.arange(12, dtype=float).reshape(6, 2)
    text = summary(map_figure(Y, labels, ["red", "green", "blue"], label="colour", title="Model A: coloured by colour"))
    assert "6 points in 3 groups" in text
    assert "colour: red (2)" in text and "colour: green (1)" in text and "colour: blue (3)" in text


@pytest.mark.parametrize("n_groups", [2, 8, 9, 10, 12])
def test_a_map_of_many_groups_is_summarised_with_its_number_of_groups(n_groups: int) -> None:
    """Groups past the eighth are summed up as "...", which is not one more group (the homework map has 10)."""
    from ui.imperfect_information.charts import word_map

    labels = np.repeat(np.arange(n_groups), 3)
    points = np.arange(2.0 * len(labels)).reshape(-1, 2)
    names = [f"group {g}" for g in range(n_groups)]
    text = summary(word_map(points, [f"w{i}" for i in range(len(labels))], labels, names, title="t"))
    assert re.search(r"(\d+) points in (\d+) groups", text).groups() == (str(len(labels)), str(n_groups))
    assert text.count("(3)") == min(n_groups, 8) and text.endswith("...") == (n_groups > 8)


def test_the_homework_and_digit_maps_say_how_many_groups_they_draw() -> None:
    from embedcore import compression
    from embedcore.homework import MAP_GROUPS
    from ui.imperfect_information import charts

    split = compression.load_digits_split(test_size=0.3, random_state=0)
    digits = compression.digits_map(split, task="digit", resolution=10)
    assert " in 10 groups: " in summary(charts.decision_regions(digits, compression.TASKS["digit"][2]))
    labels = np.arange(3 * len(MAP_GROUPS)) % len(MAP_GROUPS)
    homework = charts.word_map(np.zeros((len(labels), 2)), [str(i) for i in labels], labels, MAP_GROUPS, title="t")
    assert f" in {len(MAP_GROUPS)} groups: " in summary(homework) and len(MAP_GROUPS) == 10


def test_the_summary_under_a_page_chart_is_made_from_the_numbers_that_chart_draws() -> None:
    """End to end: the compression curves on the Imperfect information page, as AppTest receives them."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(DASHBOARD, default_timeout=180)
    at.switch_page(PAGES["imperfect_information"])
    at.run()
    assert_no_exception(at)
    charts = list(at.get("plotly_chart"))
    assert charts
    for element in charts:
        assert element.proto.alt.startswith("Chart:"), element.proto.id  # the accessible name
    curves = next(e for e in charts if e.proto.id.endswith(f"-{II.curves_chart.key}"))
    spec = json.loads(curves.proto.spec)
    text = curves.proto.alt
    error = spec["data"][0]
    y = values(error["y"])
    start, end = f"{y[0]:.0%}", f"{y[-1]:.0%}"
    assert f"{plain(error['name'])} rises from {start} to {end}" in text or (
        f"{plain(error['name'])} falls from {start} to {end}" in text
    ), text


def test_ink_reaches_aa_contrast_for_every_palette_colour() -> None:
    for colour in PALETTE:
        assert contrast(ink(colour)) >= 4.5, colour
    assert ink("#0072B2") == "#0072B2"  # already dark enough: unchanged
    assert contrast(TEXT_GREY) >= 4.5
    assert contrast("#000000") == pytest.approx(21)


def test_series_get_their_own_dash_and_marker_shape_but_a_single_series_is_left_alone() -> None:
    fig = add_non_colour_codes(loss_figure({"a": [3, 2, 1], "b": [3, 2.5, 2]}))
    assert [t["line"]["dash"] for t in fig.data] == list(DASHES[:2])
    single = add_non_colour_codes(loss_figure({"a": [3, 2, 1]}))
    assert single.data[0].get("line", {}).get("dash") is None


def test_the_probes_by_width_differ_by_dash_and_marker() -> None:
    fig = add_non_colour_codes(width_figure([2, 4, 8], {"B: colour": [0.3, 0.5, 0.8], "A: shape": [0.3, 0.3, 0.4]},
                                            {"colour": 0.25, "shape": 0.25}, current=4))
    assert len({t["line"]["dash"] for t in fig.data}) == 2 and len({t["marker"]["symbol"] for t in fig.data}) == 2


def test_every_class_on_a_twin_map_has_its_own_marker_shape() -> None:
    labels = np.arange(8) % 4
    Y = np.zeros((8, 2))
    colour = map_figure(Y, labels, ["red", "green", "blue", "yellow"], label="colour", title="t")
    shape = map_figure(Y, labels, ["circle", "square", "triangle", "cross"], label="shape", title="t")
    assert len({t["marker"]["symbol"] for t in colour.data}) == 4
    # Colour groups never borrow the pictures' own shapes, which would read as "this is a circle".
    assert not {t["marker"]["symbol"] for t in colour.data} & {t["marker"]["symbol"] for t in shape.data}


def test_palette_text_is_darkened_to_a_readable_ink() -> None:
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=[0], y=[0], mode="text", text=["cat"], textfont=dict(color=PALETTE[1])))
    add_non_colour_codes(fig)
    assert contrast(fig.data[0].textfont.color) >= 4.5


def test_long_titles_wrap_to_a_phone_and_sit_below_the_mode_bar() -> None:
    title = "Where the 10 true neighbours of “election” ended up after the projection (zoomed in)"
    lines = wrap_title(title).split("<br>")
    assert len(lines) > 1 and all(len(line) <= TITLE_CHARS for line in lines)
    assert " ".join(lines) == title
    fig = style(loss_figure({"a": [1, 0]}, title=title))
    assert fig.layout["title"]["yref"] == "paper" and fig.layout["title"]["yanchor"] == "bottom"
    assert fig.layout["margin"]["t"] >= 30 + 22 * len(lines)  # the mode bar's strip, then the title lines


def test_plain_text_undoes_plotlys_markup() -> None:
    assert plain("A<br>b &lt;c&gt;") == "A b <c>"


def test_numbers_inside_bars_take_black_or_white_by_contrast_with_the_bar() -> None:
    import plotly.graph_objects as go

    green = PALETTE[2]  # plotly would print white on it: 3.4:1
    fig = add_non_colour_codes(go.Figure(go.Bar(x=[0.5], y=["cat"], orientation="h", text=["0.500"],
                                                marker=dict(color=green))))
    assert contrast(fig.data[0].insidetextfont.color, green) >= 4.5


def test_a_heatmap_summary_names_its_rows_and_the_range_of_its_values() -> None:
    from ui.format_matters.charts import distance_heatmap

    distances = np.array([[0.0, 1.2], [1.2, 0.0]])
    text = summary(distance_heatmap(["king", "queen"], distances, "Embedding: distances", 1.4))
    assert "2 rows (king, queen) by 2 columns" in text and "from 0 to 1.2" in text


def _chart_with(caption: bool) -> None:
    from ui.charts import figure, show_chart

    fig = figure([{"type": "scatter", "x": [1, 2, 3], "y": [3, 1, 2], "name": "<b>loss</b>"}], {"title": {"text": "T"}})
    show_chart(fig, key="test.chart", caption=caption)


@pytest.mark.parametrize("caption", [False, True])
def test_the_summary_is_the_charts_name_and_a_caption_only_when_asked(caption: bool) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_chart_with, args=(caption,), default_timeout=30).run()
    (element,) = at.get("plotly_chart")
    assert element.proto.alt.startswith("Chart:")
    assert [c.value for c in at.caption] == ([md(element.proto.alt)] if caption else [])
