"""AppTest: the "Features, embeddings & losses" page, driven through its controls.

Trained models live in a process-wide store (ui.training), which the
autouse fixture does not clear: as on a real server, the default twins are
trained once and then shared, which keeps this file quick.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from app_state import APP, FE
from embedcore import checkpoints as cp
from embedcore import experiments as ex
from embedcore import knn
from embedcore.nn import architecture
from embedcore.projection import METHODS, project_2d
from embedcore.shapes import DATASETS, FEATURE_SHIFT, pixel_features
from tests.apptest_utils import (
    assert_charts_pass_plotlys_validators,
    assert_no_exception,
    chart,
    chart_alt,
    chart_keys,
    frame_data,
    open_page,
    texts,
    values,
)
from ui.chart_text import plain
from ui.features_losses import checks
from ui.features_losses.mixer_chart import MAP_POINTS

# A number as the page's sentences quote it: "8", "0.5", "57%", "+3.3%", "1,000", "-0.50".
NUMBER = re.compile(r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?%?")


def _text(at, key: str) -> str:
    """The text shown inside the container keyed ``key`` (escapes undone)."""
    box = at.get_by_key(key)
    return texts([*box.markdown, *box.caption, *box.info])


def _quoted(at, key: str) -> list[str]:
    """The numbers the container keyed ``key`` quotes, in order, as shown."""
    return NUMBER.findall(_text(at, key))


def _probe_table(at) -> dict[tuple[str, str], float]:
    table = next(df.value for df in at.dataframe if "probe reads" in df.value.columns)
    return {(row["model"], row["probe reads"]): row["accuracy"] for _, row in table.iterrows()}


def _points(spec: dict) -> np.ndarray:
    """Every (x, y) of a map figure, sorted by x (the traces split the points by label)."""
    xy = np.vstack([np.column_stack([values(t["x"]), values(t["y"])]) for t in spec["data"]])
    return xy[np.argsort(xy[:, 0])]


def _sorted(Y: np.ndarray) -> np.ndarray:
    return Y[np.argsort(Y[:, 0])]


def _trained(experiments) -> list:
    """The results the page trained, from the process-wide store it shares with this test."""
    from ui.training import trained_models

    found = trained_models().peek(tuple(experiments))
    assert found is not None, "the page has not trained these"
    return found


def _lock(at, checkpoint: cp.Checkpoint, choice: str | None = None) -> None:
    """Lock in ``choice`` (the first by default) for ``checkpoint``: its evidence may then show."""
    at.radio(key=APP.check_choice.at(checkpoint.id)).set_value(choice or checkpoint.choices[0]).run()
    at.button(key=APP.check_lock.at(checkpoint.id)).click().run(timeout=240)
    assert_no_exception(at)


def _drawn_sizes(spec: dict) -> dict[str, int]:
    """A network diagram's layers as drawn: each layer's dots carry its number of units."""
    return {t["name"]: int(values(t["customdata"])[0]) for t in spec["data"] if "customdata" in t}


def _boxed(spec: dict) -> float:
    """The x of the layer the diagram highlights (its dashed box)."""
    (box,) = [s for s in spec["layout"]["shapes"] if s["type"] == "rect"]
    return (box["x0"] + box["x1"]) / 2


@pytest.fixture(scope="module")
def page():
    at = open_page("features_losses", timeout=240)
    assert_no_exception(at)
    return at


def test_default_view_shows_the_probe_gap(page) -> None:
    probes = _probe_table(page)
    assert len(probes) == 4
    a_colour, a_shape = probes[("model A (colour loss)", "colour")], probes[("model A (colour loss)", "shape")]
    b_colour, b_shape = probes[("model B (shape loss)", "colour")], probes[("model B (shape loss)", "shape")]
    assert a_colour - a_shape > 0.5
    assert b_shape - b_colour > 0.4
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["A: colour probe"] == f"{a_colour:.0%}"
    # At the default width neither twin keeps the other attribute, and the takeaway quotes the probes that
    # show it: A's shape probe and its chance, then B's colour and shape probes.
    a, b = _trained(ex.twins(ex.Experiment(embedding_size=FE.width.default)))
    assert (a.probes["shape"].accuracy, b.probes["colour"].accuracy) == (a_shape, b_colour)
    assert a.probes["shape"].above_chance < 0.15 and b.probes["colour"].above_chance < 0.15
    quoted = [a.probes["shape"].accuracy, a.probes["shape"].chance, b.probes["colour"].accuracy, b.probes["shape"].accuracy]
    assert _quoted(page, FE.twin_takeaway.key) == [f"{p:.0%}" for p in quoted]


def test_the_data_section_quotes_what_the_network_receives(page) -> None:
    """Not "between 0 and 1": the network gets each colour value minus 0.5; the range quoted is the features'."""
    images = DATASETS["shapes"](18, random_state=FE.gallery_seed.default).images
    X = pixel_features(images)
    np.testing.assert_allclose(X[:, : 16 * 16], images[..., 0].reshape(18, -1) - FEATURE_SHIFT)
    height, width, channels = images.shape[1:]
    assert _quoted(page, FE.data_takeaway.key) == [
        f"{X.shape[1]:,}", str(height), str(width), str(channels), f"{FEATURE_SHIFT:g}", "18",
        f"{X.min():.2f}", f"{X.max():.2f}"]
    assert X.min() < 0 < X.max() and height * width * channels == X.shape[1]


def test_default_view_draws_every_section_and_no_evidence_before_its_prediction(page) -> None:
    keys = chart_keys(page)
    for key in (FE.twin_diagram.key, FE.replay_chart.key, FE.twin_loss_chart.key, FE.twin_map.at("A", "colour"),
                FE.twin_map.at("B", "shape"), FE.width_diagram.key, FE.mix_diagram.key, FE.taxi_chart.key,
                FE.map_diagram.key, FE.map_chart.key):
        assert key in keys, (key, keys)
    spec = chart(page, FE.twin_map.at("A", "colour"))
    assert {t["name"] for t in spec["data"]} == {"colour: red", "colour: green", "colour: blue", "colour: yellow"}
    assert sum(len(values(t["x"])) for t in spec["data"]) == 400  # the held-out pictures
    # What answers a checkpoint waits for its prediction: the width's evidence, the grey numbers, the mixer.
    for key in (FE.width_chart.key, FE.grey_diagram.key, FE.mix_chart.key):
        assert key not in keys
    for key in (FE.width_takeaway.key, FE.grey_numbers.key, FE.grey_takeaway.key, FE.mix_takeaway.key):
        with pytest.raises(KeyError):
            page.get_by_key(key)
    assert page.select_slider(key=FE.width.key).disabled  # the width answers the bottleneck question
    links = [el.proto.page for el in page.get("page_link")]
    assert any("imperfect_information" in link for link in links)
    page.get_by_key(FE.closing.key)  # the lesson closes on the lens carrying over to the architectures to come


def test_the_twins_diagram_draws_the_trained_networks_sizes(page) -> None:
    a, b = _trained(ex.twins(ex.Experiment(embedding_size=FE.width.default)))
    spec = chart(page, FE.twin_diagram.key)
    layers = architecture(a.model)
    assert _drawn_sizes(spec) == {layer.name: layer.units for layer in layers}
    assert _drawn_sizes(spec) == {"input": a.model.n_features_in_, "hidden 1": 64, "embedding": FE.width.default,
                                  "colour": 4, "shape": 4}
    # The embedding is boxed: the layer whose maps the section draws.
    embedding = next(t for t in spec["data"] if t.get("name") == "embedding")
    assert _boxed(spec) == values(embedding["x"])[0]
    # The twins share every size; each head is one twin's loss.
    assert [(la.name, la.units) for la in architecture(b.model)] == [(la.name, la.units) for la in layers]
    notes = [plain(n["text"]) for n in spec["layout"]["annotations"]]
    assert any("model A's loss" in n and n.startswith("colour head") for n in notes)


def test_the_replay_plays_once_by_itself_unless_motion_is_reduced(page) -> None:
    from ui.features_losses.twins import _AUTOPLAY

    scripts = [h.proto.body for h in page.get("html") if "prefers-reduced-motion" in h.proto.body]
    assert scripts == [_AUTOPLAY]
    assert ".st-key-fe-replay_chart" in _AUTOPLAY  # the replay chart's own CSS class (its element key)
    assert "<" not in _AUTOPLAY.removeprefix("<script>").removesuffix("</script>")  # st.html's sanitiser
    assert page.session_state[FE.replay_played.key] == [True]
    page.run(timeout=240)  # the next run: it played already
    assert not [h for h in page.get("html") if "prefers-reduced-motion" in h.proto.body]


def test_widening_the_embedding_after_the_prediction_lets_colour_survive_in_model_b() -> None:
    at = open_page("features_losses", timeout=240)
    narrow = _probe_table(at)[("model B (shape loss)", "colour")]
    _lock(at, cp.BOTTLENECK, "it goes up")
    assert not at.select_slider(key=FE.width.key).disabled
    at.select_slider(key=FE.width.key).set_value(8).run(timeout=240)
    assert_no_exception(at)
    wide = _probe_table(at)[("model B (shape loss)", "colour")]
    assert wide > narrow + 0.2, (narrow, wide)
    assert at.session_state[FE.width.key] == 8
    assert _quoted(at, FE.twin_maps_note.key) == ["8"]  # the maps' caption names the new width
    # Colour survives in model B by accident, and the takeaway ends on it.
    _, b = _trained(ex.twins(ex.Experiment(embedding_size=8)))
    assert b.probes["colour"].accuracy == wide and b.probes["colour"].above_chance >= 0.15
    quoted = [f"{b.probes['shape'].accuracy:.0%}", "8", f"{wide:.0%}", f"{b.probes['colour'].chance:.0%}"]
    assert _quoted(at, FE.twin_takeaway.key)[-4:] == quoted
    # The diagram at width 8 says what changed: the embedding, drawn 8 wide, was 2.
    spec = chart(at, FE.width_diagram.key)
    assert _drawn_sizes(spec)["embedding"] == 8
    assert any(plain(n["text"]).endswith(f"was {checks.NARROW}") for n in spec["layout"]["annotations"])
    # The evidence: every width's probes, as the twins trained at each width measured them.
    by_width = {w: _trained(ex.twins(ex.Experiment(embedding_size=w))) for w in FE.width.choices}
    drawn = {t["name"]: values(t["y"]) for t in chart(at, FE.width_chart.key)["data"]}
    np.testing.assert_allclose(drawn["model B: colour (not asked for)"],
                               [by_width[w][1].probes["colour"].accuracy for w in FE.width.choices])
    np.testing.assert_allclose(drawn["model A: shape (not asked for)"],
                               [by_width[w][0].probes["shape"].accuracy for w in FE.width.choices])
    b2, b16 = by_width[checks.NARROW][1], by_width[checks.WIDE][1]
    a2, a16 = by_width[checks.NARROW][0], by_width[checks.WIDE][0]
    assert _quoted(at, FE.width_takeaway.key) == [
        str(checks.NARROW), str(checks.WIDE), f"{b2.probes['colour'].accuracy:.0%}",
        f"{b16.probes['colour'].accuracy:.0%}", f"{b2.probes['colour'].chance:.0%}",
        f"{a2.probes['shape'].accuracy:.0%}", f"{a16.probes['shape'].accuracy:.0%}"]


def _mixer_results() -> list[ex.Result]:
    from ui.features_losses.mixer import _CHUNK

    models = checks.mixer_experiments()
    return [r for i in range(0, len(models), _CHUNK) for r in _trained(models[i:i + _CHUNK])]


def test_the_mixer_sends_every_w_once_and_starts_where_the_link_says() -> None:
    from streamlit.testing.v1 import AppTest

    from tests.apptest_utils import DASHBOARD, PAGES

    at = AppTest.from_file(DASHBOARD, default_timeout=240)
    at.query_params[FE.mix_w.key] = "0.3"
    at.switch_page(PAGES["features_losses"])
    at.run()
    assert_no_exception(at)
    assert FE.mix_chart.key not in chart_keys(at)  # the probes at w = 0.5 answer the question
    before = _drawn_sizes(chart(at, FE.mix_diagram.key))
    _lock(at, cp.MIXER_MIDDLE, cp.MIXER_MIDDLE.choices[1])
    assert at.session_state[APP.checks.key][cp.MIXER_MIDDLE.id]["correct"]
    spec = chart(at, FE.mix_chart.key)
    results = sorted(_mixer_results(), key=lambda r: r.experiment.weights()["colour"])
    ws = [r.experiment.weights()["colour"] for r in results]
    assert ws == list(ex.mixer_ws(FE.mix_w.step)) and len(spec["frames"]) == len(ws) == 11
    slider = spec["layout"]["sliders"][0]
    assert slider["active"] == ws.index(0.3)  # the link's w
    for frame, result in zip(spec["frames"], results):
        w = result.experiment.weights()["colour"]
        data = frame_data(spec, frame)  # what the figure shows at this w
        words = {t["name"]: plain(t["text"][0]) for t in data if t.get("mode") == "text"}
        numbers = words["numbers"]
        assert NUMBER.findall(numbers) == [f"{w:g}", f"{w:g}", f"{1 - w:g}",
                                           f"{result.probes['colour'].accuracy:.0%}",
                                           f"{result.probes['shape'].accuracy:.0%}"]
        # The frame's network: the trained model's sizes, its head weights w and 1 - w.
        assert _drawn_sizes({"data": data}) == {la.name: la.units for la in architecture(result.model)} == before
        heads = [words["colour head"], words["shape head"]]
        assert [NUMBER.findall(h)[-1] for h in heads] == [f"{w:g}", f"{1 - w:g}"]
        # Both maps draw the same sample of the held-out pictures, every class in it (the probes use all 400).
        by_colour = [values(t["x"]) for t in data if t.get("xaxis") == "x3"]
        by_shape = [values(t["x"]) for t in data if t.get("xaxis") == "x4"]
        assert sum(map(len, by_colour)) == sum(map(len, by_shape)) == MAP_POINTS == 400 // 2
        assert min(map(len, by_colour)) > 0 and min(map(len, by_shape)) > 0
        np.testing.assert_allclose(np.sort(np.concatenate(by_colour)), np.sort(np.concatenate(by_shape)))
    assert ["200", "400"] == [n for n in NUMBER.findall(chart_alt(at, FE.mix_chart.key)) if n in ("200", "400")]
    family = ex.mixer_family(results)
    half, a, b = family.at(0.5), family.at(1.0), family.at(0.0)
    quoted = _quoted(at, FE.mix_takeaway.key)
    assert quoted[:5] == ["0.5", f"{family.probes['colour'][half]:.0%}", f"{family.probes['colour'][a]:.0%}",
                          f"{family.probes['shape'][half]:.0%}", f"{family.probes['shape'][b]:.0%}"]
    assert quoted[5:] == ["90%", f"{family.weight_needed('colour', 0.9):g}", f"{family.weight_needed('shape', 0.9):g}",
                          str(checks.MIXER_WIDTH)]
    assert family.weight_needed("colour", 0.9) < 0.5 < 1 - family.weight_needed("shape", 0.9) + 0.5


def test_the_taxi_example_opens_with_its_default_run_and_adds_yours() -> None:
    at = open_page("features_losses", timeout=240)
    table = next(df.value for df in at.dataframe if "taxi accuracy" in df.value.columns)
    assert table["model"].tolist() == ["baseline", "yellowness input", "colour head (w = 0.5)", "both levers"]
    models = ex.taxi_models(FE.taxi_train.default, yellowness=True, colour_head=True,
                            colour_weight=FE.taxi_colour_w.default)
    results = _trained([m for _, m in models])
    for (_, row), result in zip(table.iterrows(), results):
        yellow = ex.probe_one_class(result, "colour", "yellow")
        assert row["yellow kept (probe)"] == round(yellow.accuracy, 3)
        assert row["yellow chance"] == round(yellow.chance, 3)
        assert row["taxi accuracy"] == round(result.accuracy["taxi"], 3)
        assert row["taxi chance"] == round(result.probes["taxi"].chance, 3)
    # The takeaway: the size, the baseline and chance, each lever's change in points, and the lever that did most.
    base = table.iloc[0]
    changes = {row["model"]: 100 * (row["taxi accuracy"] - base["taxi accuracy"]) for _, row in table.iloc[1:].iterrows()}
    text = _text(at, FE.taxi_summary.key)
    each = [n for name, points in changes.items() for n in (*NUMBER.findall(name), f"{points:+.1f}")]
    assert NUMBER.findall(text) == [f"{FE.taxi_train.default:,}", f"{base['taxi accuracy']:.1%}",
                                    f"{base['taxi chance']:.0%}", *each]
    assert f"**{max(changes, key=changes.get)}** helped most" in text

    at.slider(key=FE.taxi_train.key).set_value(20).run()
    at.slider(key=FE.taxi_colour_w.key).set_value(1.5).run()
    at.button(key=FE.taxi_run.key).click().run(timeout=240)
    assert_no_exception(at)
    table = next(df.value for df in at.dataframe if "taxi accuracy" in df.value.columns)
    assert table["run"].tolist() == [1] * 4 + [2] * 4 and table["pictures"].tolist()[4:] == [20] * 4
    assert table["model"].tolist()[4:] == ["baseline", "yellowness input", "colour head (w = 1.5)", "both levers"]
    levered = ex.taxi_models(20, yellowness=True, colour_head=True, colour_weight=1.5)
    trained = _trained([m for _, m in levered])
    assert table["taxi accuracy"].iloc[-2] == round(trained[2].accuracy["taxi"], 3)
    assert _quoted(at, FE.taxi_summary.key)[0] == "20"  # the takeaway follows the latest run


def test_the_levers_say_what_one_more_feature_did_against_luck(page) -> None:
    """Not "more features always help": grey added to red, green and blue, seed by seed, against the seed's own spread."""
    from ui.features_losses.levers import ADDED, LUCK_SEEDS, luck_experiments

    pairs = luck_experiments()
    found = [_trained(list(pair)) for pair in pairs]
    assert [b.experiment.features for _, b in found] == [("red", "green", "blue", ADDED)] * len(LUCK_SEEDS)
    without = [a.accuracy["taxi"] for a, _ in found]
    moves = [f"{100 * (b.accuracy['taxi'] - a.accuracy['taxi']):+.1f}" for a, b in found]
    quoted = _quoted(page, FE.levers_takeaway.key)
    assert quoted == [*moves, *(str(s) for s in LUCK_SEEDS), f"{FE.exp_train.default:,}",
                      f"{100 * (max(without) - min(without)):.1f}"]
    # What the sentence claims: grey moves the score by less than the seed alone does.
    assert max(abs(float(m)) for m in moves) < 100 * (max(without) - min(without))


def test_every_chart_passes_plotlys_validators() -> None:
    """The figures are built without validation, for speed; check them here, every piece of evidence shown."""
    at = open_page("features_losses", timeout=240)
    for checkpoint in (cp.BOTTLENECK, cp.GREY_FEATURES, cp.MIXER_MIDDLE):
        _lock(at, checkpoint)
    at.button(key=FE.exp_run.key).click().run(timeout=240)
    assert_no_exception(at)
    ids = assert_charts_pass_plotlys_validators(at)
    for key in (FE.twin_diagram.key, FE.replay_chart.key, FE.twin_loss_chart.key, FE.twin_map.at("A", "colour"),
                FE.width_diagram.key, FE.width_chart.key, FE.grey_diagram.key, FE.mix_chart.key, FE.taxi_chart.key,
                FE.exp_diagram.key, FE.log_chart.key, FE.map_diagram.key, FE.map_chart.key):
        assert any(i.endswith(f"-{key}") for i in ids), (key, ids)


def test_the_grey_model_after_its_prediction() -> None:
    at = open_page("features_losses", timeout=240)
    _lock(at, cp.GREY_FEATURES, cp.GREY_FEATURES.choices[1])
    (grey,) = _trained([checks.grey_model(FE.width.default)])
    colour = _trained(ex.twins(ex.Experiment(embedding_size=FE.width.default)))[0].accuracy["colour"]
    spec = chart(at, FE.grey_diagram.key)
    assert _drawn_sizes(spec)["input"] == grey.model.n_features_in_ == 16 * 16  # one brightness number per pixel
    assert any(plain(n["text"]).endswith(f"was {3 * 16 * 16:,}") for n in spec["layout"]["annotations"])
    assert _quoted(at, FE.grey_takeaway.key) == [f"{grey.accuracy['colour']:.0%}", f"{colour:.0%}",
                                                 f"{grey.probes['colour'].chance:.0%}"]


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Every download made when clicked (``ui.downloads``): its deferred file id -> the function that makes it."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    made: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, *args, **kwargs):  # type: ignore[no-untyped-def]
        file_id = original(self, data_callable, mimetype, coordinates, *args, **kwargs)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


def test_experiment_architecture_levers_reach_the_log_its_diagram_and_its_csv(deferred) -> None:
    at = open_page("features_losses", timeout=240)
    at.slider(key=FE.exp_train.key).set_value(40)
    at.slider(key=FE.exp_depth.key).set_value(2)
    at.slider(key=FE.exp_hidden.key).set_value(8)
    at.radio(key=FE.exp_activation.key).set_value("tanh")
    at.button(key=FE.exp_run.key).click().run(timeout=240)
    assert_no_exception(at)
    row = at.session_state[FE.log.key][-1]
    assert (row["train pictures"], row["hidden"], row["activation"]) == (40, "8-8", "tanh")
    (experiment,) = at.session_state[FE.last_experiment.key]
    assert experiment.hidden_sizes == (8, 8) and experiment.activation == "tanh"

    at.slider(key=FE.exp_depth.key).set_value(0)
    at.radio(key=FE.exp_activation.key).set_value("relu")
    at.button(key=FE.exp_run.key).click().run(timeout=240)
    assert_no_exception(at)
    table = next(df.value for df in at.dataframe if "accuracy taxi" in df.value.columns)
    assert table["hidden"].tolist() == ["8-8", "none"] and table["activation"].tolist() == ["tanh", "relu"]
    # The latest network: no hidden layer now, and the diagram draws the model trained.
    first, latest = at.session_state[FE.last_experiment.key]
    assert (first, latest.hidden_sizes) == (experiment, ())
    (result,) = _trained([latest])
    assert _drawn_sizes(chart(at, FE.exp_diagram.key)) == {la.name: la.units for la in architecture(result.model)}
    # The log's chart: one point per run and outcome, each run named by the lever it pulled.
    spec = chart(at, FE.log_chart.key)
    taxi = next(t for t in spec["data"] if t["name"] == "accuracy taxi")
    assert list(taxi["x"]) == ["run 1: first run", "run 2: architecture"]
    np.testing.assert_allclose(values(taxi["y"]), table["accuracy taxi"].astype(float).to_numpy())
    # The section's download offers the full log, exactly the table shown.
    (button,) = [b.proto for b in at.get("download_button") if b.proto.label == "experiment log"]
    csv = pd.read_csv(io.BytesIO(deferred[button.deferred_file_id]()), dtype=str, keep_default_na=False)
    assert csv.columns.tolist() == table.columns.tolist()
    assert csv.to_numpy().tolist() == table.astype(str).to_numpy().tolist()


def test_experiment_panel_logs_runs_and_rejects_no_features() -> None:
    at = open_page("features_losses", timeout=240)
    at.slider(key=FE.exp_train.key).set_value(100)
    at.slider(key=FE.exp_embedding.key).set_value(4)
    at.button(key=FE.exp_run.key).click().run(timeout=240)
    assert_no_exception(at)
    log = at.session_state[FE.log.key]
    assert len(log) == 1
    assert log[0]["dataset"] == "vehicles" and log[0]["train pictures"] == 100 and log[0]["embedding"] == 4
    assert 0.5 <= log[0]["accuracy taxi"] <= 1.0 and "probe colour" in log[0]

    at.multiselect(key=FE.exp_features.key).set_value([])
    at.button(key=FE.exp_run.key).click().run(timeout=240)
    with pytest.raises(ValueError) as refused:  # what embedcore says of a model with no features
        ex.Experiment(features=()).validate()
    assert len(at.error) == 1 and str(refused.value) in texts(at.error)
    assert len(at.session_state[FE.log.key]) == 1  # nothing was added

    at.multiselect(key=FE.exp_features.key).set_value(["grey"])
    at.slider(key=FE.exp_w_colour.key).set_value(1.0)
    at.button(key=FE.exp_run.key).click().run(timeout=240)
    log = at.session_state[FE.log.key]
    assert len(log) == 2 and log[1]["features"] == "grey" and "accuracy colour" in log[1]
    # What changed since the run before is written under the layer: fewer inputs (grey only).
    spec = chart(at, FE.exp_diagram.key)
    assert any(plain(n["text"]).endswith(f"was {3 * 16 * 16:,}") for n in spec["layout"]["annotations"])

    # The latest experiment can be looked at on the model map.
    latest = FE.map_model.choices[-1]
    at.selectbox(key=FE.map_model.key).select(latest).run(timeout=240)
    assert_no_exception(at)
    assert latest in plain(chart(at, FE.map_chart.key)["layout"]["title"]["text"])  # the map's title names it


def test_debugging_map_follows_model_layer_and_projection() -> None:
    at = open_page("features_losses", timeout=240)
    model_b = FE.map_model.choices[1]
    at.selectbox(key=FE.map_model.key).select(model_b).run()
    at.selectbox(key=FE.map_layer.key).select("hidden 1").run()
    at.selectbox(key=FE.map_colour_by.key).select("colour").run()
    assert_no_exception(at)
    spec = chart(at, FE.map_chart.key)
    title = plain(spec["layout"]["title"]["text"])  # titles wrap with <br> to fit a phone
    # The title names the menus' choices and the layer's width (model B's hidden layer: 64 units).
    assert all(choice in title for choice in (model_b, "hidden 1", METHODS["pca"]))
    assert NUMBER.findall(title) == ["1", "64"]
    assert {t["name"] for t in spec["data"]} == {"colour: red", "colour: green", "colour: blue", "colour: yellow"}
    # The diagram boxes the layer mapped.
    diagram = chart(at, FE.map_diagram.key)
    hidden = next(t for t in diagram["data"] if t.get("name") == "hidden 1")
    assert _boxed(diagram) == values(hidden["x"])[0]

    at.select_slider(key=FE.map_points.key).set_value(100).run()
    at.radio(key=FE.map_projection.key).set_value("t-SNE").run(timeout=240)
    at.select_slider(key=FE.map_perplexity.key).set_value(5).run(timeout=240)
    assert_no_exception(at)
    _, b = _trained(ex.twins(ex.Experiment(embedding_size=2)))
    data = ex.fresh_images(b.experiment, 100)
    Z = b.model.transform(ex.features(b.experiment, data), layer="hidden 1")
    expected = project_2d(Z, "tsne", random_state=0, perplexity=5.0, max_iter=500)
    shown = chart(at, FE.map_chart.key)
    assert METHODS["tsne"] in plain(shown["layout"]["title"]["text"])
    np.testing.assert_allclose(_points(shown), _sorted(expected), rtol=1e-4, atol=1e-4)
    # The takeaway holds the map against the layer: the same 5-NN vote, on the map and in the 64 numbers.
    labels = data.labels["colour"]
    on_map, in_layer = knn.knn_accuracy(expected, labels, k=5), knn.knn_accuracy(Z, labels, k=5)
    assert _quoted(at, FE.map_takeaway.key) == [f"{on_map:.0%}", "5", "64", f"{in_layer:.0%}"]


# ---------------------------------------------------------------------------
# The shared store of trained models (ui.training)
# ---------------------------------------------------------------------------
def test_shared_results_trains_once_for_a_room_of_students() -> None:
    import threading
    import time

    from ui.training import SharedResults

    store = SharedResults(max_entries=4)
    calls, answers = [], []

    def train() -> str:
        calls.append(1)
        time.sleep(0.2)  # long enough for every other "student" to arrive and wait
        return "model"

    students = [threading.Thread(target=lambda: answers.append(store.get_or_compute("default", train))) for _ in range(6)]
    for s in students:
        s.start()
    for s in students:
        s.join()
    assert len(calls) == 1
    assert [value for value, _ in answers] == ["model"] * 6
    assert sum(computed for _, computed in answers) == 1


def test_shared_results_is_bounded_and_recomputes_after_a_failure() -> None:
    from ui.training import SharedResults

    store = SharedResults(max_entries=2)
    for key in ("a", "b", "c"):
        store.get_or_compute(key, lambda k=key: k.upper())
    assert len(store) == 2 and store.peek("a") is None and store.peek("c") == "C"

    def broken() -> str:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.get_or_compute("d", broken)
    assert store.get_or_compute("d", lambda: "D") == ("D", True)


def test_menu_labels_map_back_to_embedcore_names() -> None:
    """Links carry menu labels; every label the settings allow has an embedcore name."""
    from embedcore.projection import METHODS
    from embedcore.shapes import DATASET_TITLES

    assert set(FE.exp_dataset.choices) == set(DATASET_TITLES.values())
    assert set(FE.map_projection.choices) <= set(METHODS.values())


def test_a_dead_model_gets_a_pca_map_not_a_server_crash() -> None:
    """Grey-only features, 3 hidden layers of 4 units, width 2, colour head 2, shape head 0: every layer
    outputs a constant. t-SNE of that map segfaulted and ended the server; now PCA stands in, with a note."""
    at = open_page("features_losses", timeout=180)
    at.session_state[FE.exp_dataset.key] = "Coloured shapes"
    at.run(timeout=180)
    at.multiselect(key=FE.exp_features.key).set_value(["grey"])
    at.slider(key=FE.exp_depth.key).set_value(3)
    at.slider(key=FE.exp_hidden.key).set_value(4)
    at.slider(key=FE.exp_embedding.key).set_value(2)
    at.slider(key=FE.exp_w_colour.key).set_value(2.0)
    at.slider(key=FE.exp_w_shape.key).set_value(0.0)
    at.button(key=FE.exp_run.key).click().run(timeout=180)
    assert_no_exception(at)
    (experiment,) = at.session_state[FE.last_experiment.key]
    assert experiment.features == ("grey",) and experiment.hidden_sizes == (4, 4, 4)
    at.selectbox(key=FE.map_model.key).select(FE.map_model.choices[-1]).run(timeout=180)
    at.radio(key=FE.map_projection.key).set_value("t-SNE").run(timeout=180)
    assert_no_exception(at)
    (result,) = _trained([experiment])
    data = ex.fresh_images(experiment, int(at.session_state[FE.map_points.key]))
    Z = result.model.transform(ex.features(experiment, data), layer=at.session_state[FE.map_layer.key])
    assert np.ptp(Z, axis=0).max() == 0  # the premise: the model is dead, its map one point
    figure = chart(at, FE.map_chart.key)
    assert METHODS["pca"] in plain(figure["layout"]["title"]["text"])
    # A note says PCA stood in for t-SNE, under the model map.
    note = _text(at, FE.map_projection_note.key)
    assert METHODS["tsne"] in note and METHODS["pca"] in note


def test_training_replays_frame_by_frame_and_colour_gathers_only_in_model_a(page) -> None:
    a, b = _trained(ex.twins(ex.Experiment(embedding_size=FE.width.default)))
    spec = chart(page, FE.replay_chart.key)
    frames = {letter: ex.replay(result, max_frames=13) for letter, result in (("A", a), ("B", b))}
    assert [f["name"] for f in spec["frames"]] == [str(e) for e in frames["A"].epochs]
    assert frames["A"].epochs[-1] == len(a.loss_history)  # the replay ends where training ended
    colours = a.test_labels["colour"]
    gathered = {}  # each model's share of pictures whose 5 nearest map neighbours share their colour, at the end
    for panel, (letter, replay) in zip(("x", "x2"), frames.items()):
        # Each frame holds every held-out picture of both twins, each twin on its own panel, at that epoch's place.
        first = [t for t in spec["frames"][0]["data"] if t.get("xaxis", "x") == panel]
        assert sum(len(values(t["x"])) for t in first) == len(a.test_embedding)
        xy = np.vstack([np.column_stack([values(t["x"]), values(t["y"])]) for t in first])
        np.testing.assert_allclose(_sorted(xy), _sorted(replay.maps[0]), rtol=1e-6, atol=1e-9)
        gathered[letter] = knn.knn_accuracy(replay.maps[-1], colours, k=5)
    # The summary quotes, per twin, k = 5 neighbours, that share at the first and the last frame.
    start = {letter: knn.knn_accuracy(r.maps[0], colours, k=5) for letter, r in frames.items()}
    epochs = (str(frames["A"].epochs[0]), str(frames["A"].epochs[-1]))
    assert NUMBER.findall(chart_alt(page, FE.replay_chart.key)) == [
        "5", f"{start['A']:.0%}", epochs[0], f"{gathered['A']:.0%}", epochs[1],
        f"{start['B']:.0%}", epochs[0], f"{gathered['B']:.0%}", epochs[1]]
    # What the summary shows: colour gathers in model A's map and not in model B's.
    assert gathered["A"] > 0.9 > gathered["B"] + 0.3
    # Play and Pause: the student can stop the replay that starts by itself.
    assert [b["label"] for b in spec["layout"]["updatemenus"][0]["buttons"]] == ["Play", "Pause"]


def test_pictures_selected_in_one_twin_map_light_up_in_all_four() -> None:
    at = open_page("features_losses", timeout=180)
    picked = [0, 5, 17, 42]
    at.session_state[FE.twin_selection.key] = picked  # what a selection in any twin map stores
    at.run(timeout=180)
    assert_no_exception(at)
    for letter in ("A", "B"):
        for label in ("colour", "shape"):
            spec = chart(at, FE.twin_map.at(letter, label))
            lit = sorted(int(values(t["customdata"])[j]) for t in spec["data"] for j in t.get("selectedpoints", []))
            assert lit == picked, (letter, label, lit)
    assert _quoted(at, FE.twin_selection_note.key) == [str(len(picked))]  # the caption counts them


def test_selected_ids_reads_a_plotly_selection() -> None:
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from ui.charts import selected_ids

        class Event(dict):  # Streamlit's selection state reads by attribute and by key
            __getattr__ = dict.__getitem__

        points = [{"customdata": [3]}, {"customdata": 7}, {"x": 1}, {"customdata": [True]}]
        st.session_state["event"] = Event(selection=Event(points=points))
        st.text(repr((selected_ids("event"), selected_ids("nothing"))))

    at = AppTest.from_function(script).run()
    assert not at.exception
    assert at.text[0].value == "([3, 7], [])"
