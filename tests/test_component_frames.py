"""ui.components.frames: a slider over precomputed frames, switched in the browser (plotly's animate)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ui.charts import TEXT_GREY, spec, style
from ui.components.frames import PLAY_FRAME_MS, Frame, numbers_annotation, numbers_trace, slider_figure

LAYOUT = dict(xaxis=dict(range=[0, 3]), yaxis=dict(range=[0, 10]),
              annotations=[dict(text="fixed note", x=1, y=1, showarrow=False)])


def _frames(n: int = 4) -> list[Frame]:
    return [Frame(f"k = {k}", [dict(type="scatter", x=np.arange(3.0), y=np.full(3, float(k)), name="points")],
                  numbers=[f"k is {k}", f"twice k: {2 * k}"]) for k in range(n)]


def test_every_step_animates_its_own_frame_at_once() -> None:
    chart = slider_figure(_frames(), LAYOUT, active=2, prefix="k: ")
    assert [f["name"] for f in chart.frames] == ["0", "1", "2", "3"]
    slider = chart.layout["sliders"][0]
    assert slider["active"] == 2
    assert slider["currentvalue"]["prefix"] == "k: "
    assert [s["label"] for s in slider["steps"]] == ["k = 0", "k = 1", "k = 2", "k = 3"]
    for i, step in enumerate(slider["steps"]):
        assert step["method"] == "animate"
        names, options = step["args"]
        assert names == [str(i)]
        assert options["mode"] == "immediate"
        assert options["frame"]["duration"] == 0 and options["transition"]["duration"] == 0


def test_the_figure_starts_on_the_active_frame() -> None:
    frames = _frames()
    chart = slider_figure(frames, LAYOUT, active=3)
    np.testing.assert_array_equal(chart.data[0]["y"], [3.0, 3.0, 3.0])
    assert chart.layout["annotations"][-1]["text"] == "k is 3<br>twice k: 6"
    for i, frame in enumerate(chart.frames):
        np.testing.assert_array_equal(frame["data"][0]["y"], np.full(3, float(i)))


def test_the_numbers_follow_the_slider_and_the_layout_notes_stay() -> None:
    chart = slider_figure(_frames(), LAYOUT)
    for i, frame in enumerate(chart.frames):
        texts = [a["text"] for a in frame["layout"]["annotations"]]
        # plotly replaces a frame's whole annotation list: the layout's own note must be in every frame.
        assert texts == ["fixed note", f"k is {i}<br>twice k: {2 * i}"]
    assert LAYOUT["annotations"] == [dict(text="fixed note", x=1, y=1, showarrow=False)]  # not changed


def test_student_text_is_escaped_for_plotly() -> None:
    chart = slider_figure([Frame("<b>mine</b>", [dict(type="scatter", x=[0], y=[0])], numbers=["<i>x</i> & y"])],
                          {}, prefix="<a href=x>go</a>")
    slider = chart.layout["sliders"][0]
    assert slider["steps"][0]["label"] == "&lt;b&gt;mine&lt;/b&gt;"
    assert slider["currentvalue"]["prefix"] == "&lt;a href=x&gt;go&lt;/a&gt;"
    assert chart.frames[0]["layout"]["annotations"][0]["text"] == "&lt;i&gt;x&lt;/i&gt; &amp; y"
    assert numbers_annotation(["a", "b"])["text"] == "a<br>b"


def test_play_steps_through_frames_without_tweening_and_can_pause() -> None:
    chart = slider_figure(_frames(), LAYOUT, play=True)
    play, pause = chart.layout["updatemenus"][0]["buttons"]
    assert play["method"] == "animate" and play["args"][0] is None
    assert play["args"][1]["frame"]["duration"] == PLAY_FRAME_MS
    assert play["args"][1]["transition"]["duration"] == 0  # no motion between frames
    assert pause["args"] == [[None], pause["args"][1]] and pause["args"][1]["frame"]["duration"] == 0
    assert "updatemenus" not in slider_figure(_frames(), LAYOUT).layout


@pytest.mark.parametrize(
    ("frames", "active", "match"),
    [
        ([], 0, "at least one frame"),
        (_frames(2), 2, r"active must index the frames \(0..1\)"),
        (_frames(2), -1, "active must index"),
        ([Frame("a", [dict(type="scatter")]), Frame("b", [dict(type="scatter")] * 2)], 0, r"same number of traces"),
    ],
)
def test_bad_frames_are_refused(frames: list[Frame], active: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        slider_figure(frames, {}, active=active)


def test_plotly_accepts_the_spec_and_the_app_style_keeps_the_frames() -> None:
    chart = slider_figure(_frames(), LAYOUT, active=1, play=True)
    figure = chart.to_figure()  # plotly's validators: raises on any invalid property
    assert len(figure.frames) == 4 and figure.layout.sliders[0].active == 1
    styled = spec(style(chart))
    assert [f["name"] for f in styled["frames"]] == ["0", "1", "2", "3"]
    assert styled["layout"]["sliders"][0]["active"] == 1
    json.dumps(styled)  # what st.plotly_chart sends is plain JSON


def _restyled(n: int = 4) -> list[Frame]:
    """Frames for a slider without redraw: a fixed line, moving points and their numbers as a text trace."""
    fixed = dict(type="scatter", x=[0, 3], y=[0, 0], mode="lines", name="floor")
    return [Frame(f"k = {k}", [fixed, dict(type="scatter", x=np.arange(3.0), y=np.full(3, float(k)), name="points"),
                               numbers_trace([f"k is {k}"], xaxis="x2", yaxis="y2")]) for k in range(n)]


def test_without_redraw_each_frame_restyles_only_the_traces_that_change() -> None:
    chart = slider_figure(_restyled(), LAYOUT, active=1, redraw=False)
    for step in chart.layout["sliders"][0]["steps"]:
        assert step["args"][1]["frame"] == {"duration": 0, "redraw": False}
    for i, frame in enumerate(chart.frames):
        assert frame["traces"] == [1, 2] and "layout" not in frame  # the floor never changes
        np.testing.assert_array_equal(frame["data"][0]["y"], np.full(3, float(i)))
        assert frame["data"][1]["text"] == [f"k is {i}"]
    assert [t["name"] for t in chart.data] == ["floor", "points", "numbers"]
    assert chart.data[2]["text"] == ["k is 1"]  # the active frame's numbers


def test_without_redraw_numbers_travel_as_escaped_text() -> None:
    trace = numbers_trace(["<b>w</b> = 0.5", "probe 90%"], xaxis="x5", yaxis="y5")
    assert trace["text"] == ["&lt;b&gt;w&lt;/b&gt; = 0.5<br>probe 90%"]
    assert (trace["mode"], trace["xaxis"], trace["yaxis"], trace["showlegend"]) == ("text", "x5", "y5", False)
    assert trace["textfont"]["color"] == TEXT_GREY and trace["cliponaxis"] is False  # readable, never cut off


def test_without_redraw_webgl_traces_and_annotated_frames_are_refused() -> None:
    gl = [Frame("a", [dict(type="scattergl", x=[0], y=[0])]), Frame("b", [dict(type="scattergl", x=[1], y=[0])])]
    with pytest.raises(ValueError, match="SVG scatter traces only"):
        slider_figure(gl, LAYOUT, redraw=False)
    with pytest.raises(ValueError, match="without numbers or annotations"):
        slider_figure(_frames(), LAYOUT, redraw=False)  # their numbers are annotations: plotly would not redraw them
