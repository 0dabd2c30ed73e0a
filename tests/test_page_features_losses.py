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
from streamlit.runtime.state.common import user_key_from_element_id

from app_state import FE
from embedcore import experiments as ex
from embedcore.projection import METHODS, project_2d
from tests.apptest_utils import (
    assert_charts_pass_plotlys_validators,
    assert_no_exception,
    chart,
    chart_keys,
    download,
    open_page,
    texts,
    values,
)
from ui.chart_text import plain

# A number as the page's sentences quote it: "8", "0.5", "57%", "+3.3%", "1,000".
NUMBER = re.compile(r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?%?")


def _text(at, key: str) -> str:
    """The text shown inside the container keyed ``key`` (escapes undone)."""
    box = at.get_by_key(key)
    return texts([*box.markdown, *box.caption, *box.info])


def _quoted(at, key: str) -> list[str]:
    """The numbers the container keyed ``key`` quotes, in order, as shown."""
    return NUMBER.findall(_text(at, key))


def _alt(at, key: str) -> str:
    """The text alternative (also the caption under it) of the chart keyed ``key``."""
    for element in at.get("plotly_chart"):
        if user_key_from_element_id(element.proto.id) == key:
            return element.proto.alt
    raise AssertionError(f"no chart {key}: {chart_keys(at)}")


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


@pytest.fixture(scope="module")
def page():
    at = open_page("features_losses", timeout=180)
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


def test_default_view_draws_both_maps_and_live_sections(page) -> None:
    keys = chart_keys(page)
    for key in (FE.twin_loss_chart.key, FE.twin_map.at("A", "colour"), FE.twin_map.at("B", "shape"), FE.map_chart.key):
        assert key in keys, (key, keys)
    spec = chart(page, FE.twin_map.at("A", "colour"))
    assert {t["name"] for t in spec["data"]} == {"colour: red", "colour: green", "colour: blue", "colour: yellow"}
    assert sum(len(values(t["x"])) for t in spec["data"]) == 400  # the held-out pictures
    assert page.session_state[FE.mix_history.key] == [] and FE.mix_chart.key not in keys
    links = [el.proto.page for el in page.get("page_link")]
    assert any("imperfect_information" in link for link in links)


def test_widening_the_embedding_lets_colour_survive_in_model_b() -> None:
    at = open_page("features_losses", timeout=180)
    narrow = _probe_table(at)[("model B (shape loss)", "colour")]
    at.select_slider(key=FE.width.key).set_value(8).run(timeout=180)
    assert_no_exception(at)
    wide = _probe_table(at)[("model B (shape loss)", "colour")]
    assert wide > narrow + 0.2, (narrow, wide)
    assert at.session_state[FE.width.key] == 8
    assert _quoted(at, FE.twin_maps_note.key) == ["8"]  # the maps' caption names the new width
    # Colour survives in model B by accident, and the takeaway ends on it: B's shape probe, the width,
    # B's colour probe and its chance.
    _, b = _trained(ex.twins(ex.Experiment(embedding_size=8)))
    assert b.probes["colour"].accuracy == wide and b.probes["colour"].above_chance >= 0.15
    quoted = [f"{b.probes['shape'].accuracy:.0%}", "8", f"{wide:.0%}", f"{b.probes['colour'].chance:.0%}"]
    assert _quoted(at, FE.twin_takeaway.key)[-4:] == quoted


def test_twin_maps_switch_to_t_sne() -> None:
    at = open_page("features_losses", timeout=180)
    at.radio(key=FE.twin_projection.key).set_value("t-SNE").run(timeout=180)
    assert_no_exception(at)
    note = _text(at, FE.twin_maps_note.key)  # the maps' caption: the width, and the projection's label
    assert NUMBER.findall(note) == [str(FE.width.default)] and METHODS["tsne"] in note
    a, _ = _trained(ex.twins(ex.Experiment(embedding_size=2)))
    expected = project_2d(a.test_embedding, "tsne", random_state=0, perplexity=30.0, max_iter=500)
    shown = _points(chart(at, FE.twin_map.at("A", "colour")))
    np.testing.assert_allclose(shown, _sorted(expected), rtol=1e-4, atol=1e-4)
    # Not the PCA map (which, at width 2, is the embedding itself turned).
    pca = project_2d(a.test_embedding, "pca")
    assert not np.allclose(shown, _sorted(pca), atol=1e-2)


def test_loss_mixer_adds_points_to_its_history() -> None:
    at = open_page("features_losses", timeout=180)
    at.slider(key=FE.mix_w.key).set_value(1.0).run()
    at.button(key=FE.mix_run.key).click().run(timeout=180)
    assert_no_exception(at)
    history = at.session_state[FE.mix_history.key]
    assert [row["w"] for row in history] == [1.0]
    # w = 1 is model A: the colour probe is high and the shape probe low.
    assert history[0]["colour probe"] - history[0]["shape probe"] > 0.5
    at.slider(key=FE.mix_w.key).set_value(0.0).run()
    at.button(key=FE.mix_run.key).click().run(timeout=180)
    history = at.session_state[FE.mix_history.key]
    assert [row["w"] for row in history] == [1.0, 0.0]
    assert history[1]["shape probe"] > history[1]["colour probe"]
    # The row holds the probes of the model trained with w = 0 (model A's settings, colour weight 0).
    (mixed,) = _trained([ex.mixed(ex.twins(ex.Experiment(embedding_size=FE.width.default))[0], 0.0)])
    assert (history[1]["colour probe"], history[1]["shape probe"], history[1]["chance"]) == (
        round(mixed.probes["colour"].accuracy, 3), round(mixed.probes["shape"].accuracy, 3),
        round(mixed.probes["shape"].chance, 3))
    spec = chart(at, FE.mix_chart.key)
    assert sorted(values(spec["data"][0]["x"]).tolist()) == [0.0, 1.0]
    # The latest try is quoted: its w, its two probes and chance.
    latest = history[-1]
    assert _quoted(at, FE.mix_latest.key) == ["0", *(f"{latest[c]:.0%}" for c in ("colour probe", "shape probe", "chance"))]


def test_taxi_levers_add_rows_to_the_results_table() -> None:
    at = open_page("features_losses", timeout=180)
    at.toggle(key=FE.taxi_yellow.key).set_value(True).run()
    at.button(key=FE.taxi_run.key).click().run(timeout=180)
    assert_no_exception(at)
    table = next(df.value for df in at.dataframe if "taxi accuracy" in df.value.columns)
    assert table["model"].tolist() == ["baseline", "yellowness input"]
    models = ex.taxi_models(FE.taxi_train.default, yellowness=True)
    results = _trained([m for _, m in models])
    # The yellow column is a yes/no probe ("is it yellow?") of each model's embedding, next to its chance.
    for (_, row), result in zip(table.iterrows(), results):
        yellow = ex.probe_one_class(result, "colour", "yellow")
        assert row["yellow kept (probe)"] == round(yellow.accuracy, 3)
        assert row["yellow chance"] == round(yellow.chance, 3)
        assert row["taxi accuracy"] == round(result.accuracy["taxi"], 3)
        assert row["taxi chance"] == round(result.probes["taxi"].chance, 3)
    # The summary quotes the training size, the baseline's accuracy and chance, and the lever's change against it.
    base, lever = (row for _, row in table.iterrows())
    assert _quoted(at, FE.taxi_summary.key) == [
        f"{FE.taxi_train.default:,}", f"{base['taxi accuracy']:.1%}", f"{base['taxi chance']:.0%}",
        f"{lever['taxi accuracy'] - base['taxi accuracy']:+.1%}",
    ]

    # Both levers: each alone and both together, against one baseline.
    at.toggle(key=FE.taxi_colour_head.key).set_value(True).run()
    at.button(key=FE.taxi_run.key).click().run(timeout=180)
    table = next(df.value for df in at.dataframe if "taxi accuracy" in df.value.columns)
    assert table["run"].tolist() == [1, 1, 2, 2, 2, 2]
    assert table["model"].tolist()[2:] == ["baseline", "yellowness input", "colour head (w = 0.5)", "both levers"]


def test_every_chart_passes_plotlys_validators() -> None:
    """The figures are built without validation, for speed; check them here instead.

    The mixer and taxi charts need a run each: the same trainings as the tests
    above, so the shared store of trained models usually has them already.
    """
    at = open_page("features_losses", timeout=180)
    at.slider(key=FE.mix_w.key).set_value(1.0).run()
    at.button(key=FE.mix_run.key).click().run(timeout=180)
    at.toggle(key=FE.taxi_yellow.key).set_value(True).run()
    at.button(key=FE.taxi_run.key).click().run(timeout=180)
    assert_no_exception(at)
    ids = assert_charts_pass_plotlys_validators(at)
    for key in (FE.twin_loss_chart.key, FE.twin_map.at("A", "colour"), FE.twin_map.at("B", "shape"), FE.mix_chart.key,
                FE.taxi_chart.key, FE.map_chart.key):
        assert any(i.endswith(f"-{key}") for i in ids), (key, ids)


def test_taxi_training_size_and_colour_head_weight() -> None:
    at = open_page("features_losses", timeout=180)
    at.slider(key=FE.taxi_train.key).set_value(20).run()
    at.toggle(key=FE.taxi_colour_head.key).set_value(True).run()
    at.slider(key=FE.taxi_colour_w.key).set_value(1.5).run()
    at.button(key=FE.taxi_run.key).click().run(timeout=180)
    assert_no_exception(at)
    table = next(df.value for df in at.dataframe if "taxi accuracy" in df.value.columns)
    assert table["model"].tolist() == ["baseline", "colour head (w = 1.5)"]
    assert table["pictures"].tolist() == [20, 20]
    base = ex.Experiment(dataset="vehicles", n_train=20, hidden_sizes=(32,), embedding_size=8,
                         loss_weights=(("taxi", 1.0),), epochs=ex.EPOCHS["vehicles"])
    levered = base.with_(loss_weights=(("taxi", 1.0), ("colour", 1.5)))
    _, trained = _trained([base, levered])
    assert table["taxi accuracy"].iloc[-1] == round(trained.accuracy["taxi"], 3)
    assert table["yellow kept (probe)"].iloc[-1] == round(ex.probe_one_class(trained, "colour", "yellow").accuracy, 3)


def test_experiment_architecture_levers_reach_the_log_and_its_csv(media) -> None:
    at = open_page("features_losses", timeout=180)
    at.slider(key=FE.exp_train.key).set_value(40)
    at.slider(key=FE.exp_depth.key).set_value(2)
    at.slider(key=FE.exp_hidden.key).set_value(8)
    at.radio(key=FE.exp_activation.key).set_value("tanh")
    at.button(key=FE.exp_run.key).click().run(timeout=180)
    assert_no_exception(at)
    row = at.session_state[FE.log.key][-1]
    assert (row["train pictures"], row["hidden"], row["activation"]) == (40, "8-8", "tanh")
    (experiment,) = at.session_state[FE.last_experiment.key]
    assert experiment.hidden_sizes == (8, 8) and experiment.activation == "tanh"

    at.slider(key=FE.exp_depth.key).set_value(0)
    at.radio(key=FE.exp_activation.key).set_value("relu")
    at.button(key=FE.exp_run.key).click().run(timeout=180)
    assert_no_exception(at)
    table = next(df.value for df in at.dataframe if "accuracy taxi" in df.value.columns)
    assert table["hidden"].tolist() == ["8-8", "none"] and table["activation"].tolist() == ["tanh", "relu"]
    # The log's chart: one point per run and outcome, each run named by the lever it pulled.
    spec = chart(at, FE.log_chart.key)
    taxi = next(t for t in spec["data"] if t["name"] == "accuracy taxi")
    assert list(taxi["x"]) == ["run 1: first run", "run 2: architecture"]
    np.testing.assert_allclose(values(taxi["y"]), table["accuracy taxi"].astype(float).to_numpy())
    # The CSV download holds exactly the table shown.
    csv = pd.read_csv(io.StringIO(download(at, media, "Download the experiment log (CSV)")), dtype=str,
                      keep_default_na=False)
    assert csv.columns.tolist() == table.columns.tolist()
    assert csv.to_numpy().tolist() == table.astype(str).to_numpy().tolist()


def test_experiment_panel_logs_runs_and_rejects_no_features() -> None:
    at = open_page("features_losses", timeout=180)
    at.slider(key=FE.exp_train.key).set_value(100)
    at.slider(key=FE.exp_embedding.key).set_value(4)
    at.button(key=FE.exp_run.key).click().run(timeout=180)
    assert_no_exception(at)
    log = at.session_state[FE.log.key]
    assert len(log) == 1
    assert log[0]["dataset"] == "vehicles" and log[0]["train pictures"] == 100 and log[0]["embedding"] == 4
    assert 0.5 <= log[0]["accuracy taxi"] <= 1.0 and "probe colour" in log[0]
    table = next(df.value for df in at.dataframe if "accuracy taxi" in df.value.columns)
    assert len(table) == 1
    assert FE.log_csv.key in [user_key_from_element_id(d.proto.id) for d in at.get("download_button")]

    at.multiselect(key=FE.exp_features.key).set_value([])
    at.button(key=FE.exp_run.key).click().run(timeout=180)
    with pytest.raises(ValueError) as refused:  # what embedcore says of a model with no features
        ex.Experiment(features=()).validate()
    assert len(at.error) == 1 and str(refused.value) in texts(at.error)
    assert len(at.session_state[FE.log.key]) == 1  # nothing was added

    at.multiselect(key=FE.exp_features.key).set_value(["grey"])
    at.slider(key=FE.exp_w_colour.key).set_value(1.0)
    at.button(key=FE.exp_run.key).click().run(timeout=180)
    log = at.session_state[FE.log.key]
    assert len(log) == 2 and log[1]["features"] == "grey" and "accuracy colour" in log[1]

    # The latest experiment can be looked at in section 6.
    latest = FE.map_model.choices[-1]
    at.selectbox(key=FE.map_model.key).select(latest).run(timeout=180)
    assert_no_exception(at)
    assert latest in plain(chart(at, FE.map_chart.key)["layout"]["title"]["text"])  # the map's title names it


def test_debugging_map_follows_model_layer_and_projection() -> None:
    at = open_page("features_losses", timeout=180)
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

    at.select_slider(key=FE.map_points.key).set_value(100).run()
    at.radio(key=FE.map_projection.key).set_value("t-SNE").run(timeout=180)
    assert_no_exception(at)
    spec = chart(at, FE.map_chart.key)
    assert METHODS["tsne"] in plain(spec["layout"]["title"]["text"])
    assert sum(len(values(t["x"])) for t in spec["data"]) == 100

    # The perplexity slider (shown for t-SNE only) redraws the map with that perplexity.
    at.select_slider(key=FE.map_perplexity.key).set_value(5).run(timeout=180)
    assert_no_exception(at)
    _, b = _trained(ex.twins(ex.Experiment(embedding_size=2)))
    data = ex.fresh_images(b.experiment, 100)
    Z = b.model.transform(ex.features(b.experiment, data), layer="hidden 1")
    expected = project_2d(Z, "tsne", random_state=0, perplexity=5.0, max_iter=500)
    np.testing.assert_allclose(_points(chart(at, FE.map_chart.key)), _sorted(expected), rtol=1e-4, atol=1e-4)


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
    assert set(FE.twin_projection.choices) <= set(METHODS.values())
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
    # A note says PCA stood in for t-SNE, under the model map only (the twins' maps are alive).
    note = _text(at, FE.map_projection_note.key)
    assert METHODS["tsne"] in note and METHODS["pca"] in note
    for letter in ex.TWINS:
        with pytest.raises(KeyError):
            at.get_by_key(FE.twin_projection_note.at(letter))


def test_training_replays_frame_by_frame_and_colour_gathers_only_in_model_a() -> None:
    from embedcore import knn as em

    page = open_page("features_losses", timeout=180)
    assert not [k for k in chart_keys(page) if k.startswith(FE.replay_chart.key)]  # off until asked for
    page.toggle(key=FE.replay.key).set_value(True).run(timeout=180)
    assert_no_exception(page)
    a, b = _trained(ex.twins(ex.Experiment(embedding_size=FE.width.default)))
    gathered = {}  # each model's share of pictures whose 5 nearest map neighbours share their colour, at the end
    for letter, result in (("A", a), ("B", b)):
        spec = chart(page, FE.replay_chart.at(letter))
        frames = ex.replay(result, max_frames=13)
        assert [f["name"] for f in spec["frames"]] == [str(e) for e in frames.epochs]
        assert frames.epochs[-1] == len(result.loss_history)  # the replay ends where training ended
        # Each frame holds every held-out picture, at that epoch's place.
        first = spec["frames"][0]["data"]
        assert sum(len(values(t["x"])) for t in first) == len(result.test_embedding)
        xy = np.vstack([np.column_stack([values(t["x"]), values(t["y"])]) for t in first])
        np.testing.assert_allclose(_sorted(xy), _sorted(frames.maps[0]), rtol=1e-6, atol=1e-9)
        # The summary quotes k = 5 neighbours, and that share at the first and the last frame.
        colours = result.test_labels["colour"]
        start, gathered[letter] = (em.knn_accuracy(frames.maps[i], colours, k=5) for i in (0, -1))
        summary = NUMBER.findall(_alt(page, FE.replay_chart.at(letter)))
        assert summary == ["5", f"{start:.0%}", str(frames.epochs[0]), f"{gathered[letter]:.0%}", str(frames.epochs[-1])]
    # What the summaries claim: colour gathers in model A's map and not in model B's.
    assert gathered["A"] > 0.9 > gathered["B"] + 0.3


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
