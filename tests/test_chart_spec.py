"""The fast chart path draws exactly what plotly's own would.

``ui.charts.spec`` replaces ``go.Figure.to_dict()`` (a deep copy and a
narwhals check of every array) on every chart of every rerun, and
``show_chart`` hands the styled spec to ``st.plotly_chart`` as it is. These
tests compare the JSON of both paths, array packing included, and check that
styling a spec never changes the chart it came from (charts can be cached).
"""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io
import plotly.tools

from ui.charts import Chart, _Ready, _style_spec, figure, spec, style


def _plotly_json(fig: go.Figure) -> dict:
    """What st.plotly_chart would send for a plotly figure."""
    return json.loads(plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(fig, True), validate=False))


def _fast_json(chart: Chart | go.Figure) -> dict:
    return json.loads(plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(_Ready(spec(chart)), True),
                                        validate=False))


def _sample() -> Chart:
    rng = np.random.default_rng(0)
    return figure(
        [
            dict(type="scatter", x=rng.normal(size=20), y=rng.normal(size=20).astype(np.float32), mode="markers+text",
                 text=np.array([f"w{i}" for i in range(20)]), name="floats", marker=dict(color=np.arange(20))),
            dict(type="bar", x=np.array([1, 2, 300_000], dtype=np.int64), y=["a", "b", "c"], orientation="h",
                 name="big ints"),
            dict(type="heatmap", z=rng.normal(size=(4, 5)), x=list("abcde"), showscale=False),
            dict(type="scatter", x=np.array([True, False]), y=np.array([], dtype=float), name="odd kinds",
                 customdata=np.array(["a", None], dtype=object), ids=np.array(["1", "2"])),
        ],
        dict(title=dict(text="A sample"), xaxis=dict(range=np.array([0.0, 1.0])), height=300),
        frames=[dict(name="0", data=[dict(type="scatter", x=np.arange(3), y=np.arange(3.0))])],
    )


def test_spec_sends_the_same_json_as_plotlys_to_dict() -> None:
    chart = _sample()
    assert _fast_json(chart) == _plotly_json(chart.to_figure())


def test_a_validated_plotly_figure_takes_the_same_path() -> None:
    fig = go.Figure(go.Scatter(x=np.arange(5), y=np.linspace(0, 1, 5), name="line"))
    assert _fast_json(fig) == _plotly_json(fig)


def test_arrays_are_packed_as_base64_like_plotly_does() -> None:
    packed = spec(_sample())
    scatter, bar, heatmap = packed["data"][:3]
    assert scatter["x"]["dtype"] == "f8" and scatter["y"]["dtype"] == "f4"
    assert bar["x"]["dtype"] == "i4"  # int64 narrowed: plotly.js has no 64-bit integers
    assert heatmap["z"]["shape"] == "4, 5"
    assert isinstance(packed["layout"]["xaxis"]["range"], np.ndarray)  # "range" stays a list, as in plotly


def test_styling_a_spec_leaves_the_chart_unchanged() -> None:
    chart = _sample()
    before = json.dumps(chart.to_figure().to_dict(), sort_keys=True, default=str)
    _style_spec(spec(chart), height=500)
    styled = style(chart)
    assert json.dumps(chart.to_figure().to_dict(), sort_keys=True, default=str) == before
    assert styled.layout["colorway"] and "colorway" not in chart.layout


def test_a_charts_csv_is_written_on_click_and_holds_the_numbers_it_draws(monkeypatch) -> None:
    """show_chart's download is deferred (built only on a click): run that click's callable."""
    import io

    import pandas as pd
    from streamlit.runtime.media_file_manager import MediaFileManager

    from app_state import FE
    from tests.apptest_utils import chart, open_page, values

    made: dict[str, tuple[str, object]] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, *args, **kwargs):  # type: ignore[no-untyped-def]
        file_id = original(self, data_callable, mimetype, coordinates, *args, **kwargs)
        made[file_id] = (kwargs.get("file_name") or (args[0] if args else ""), data_callable)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    at = open_page("features_losses")
    by_name = {made[b.proto.deferred_file_id][0]: made[b.proto.deferred_file_id][1]
               for b in at.get("download_button") if b.proto.deferred_file_id in made}
    assert {"twin-loss-curves.csv", "model-a-colour-loss-map.csv"} <= set(by_name)
    table = pd.read_csv(io.BytesIO(by_name["twin-loss-curves.csv"]()))
    drawn = chart(at, FE.twin_loss_chart.key)["data"]
    np.testing.assert_allclose(table["model A"], values(drawn[0]["y"]))
    np.testing.assert_allclose(table["model B"], values(drawn[1]["y"]))
    points = pd.read_csv(io.BytesIO(by_name["model-a-colour-loss-map.csv"]()))
    assert len(points) == sum(len(values(t["x"])) for t in chart(at, FE.twin_map.at("A", "colour"))["data"])
