"""AppTest: the "Imperfect information" page moves with every control (sections 1-5; the t-SNE knobs have
tests/test_page_imperfect_information_tsne.py).

Each test opens the page, moves controls, and checks the numbers shown (metrics, and the numbers the
keyed sentences quote) against embedcore computed directly; where a section answers a prediction, that
the answer waits for the lock-in.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app_state import APP, II
from embedcore import checkpoints as cp
from embedcore import compression
from embedcore import homework as homework_maps
from embedcore.concepts import REGION_GROUPS, concept_words
from embedcore.knn import knn_accuracy
from embedcore.meters import MapMeters, lost_neighbours, map_meters, meter_curve
from embedcore.projection import concept_axes, project_2d, rotate
from tests.apptest_utils import (
    DASHBOARD,
    PAGES,
    assert_charts_pass_plotlys_validators,
    assert_no_exception,
    chart,
    chart_alt,
    values,
)
from tests.quoted import has


def open_page_with(query: dict[str, str] | None = None, **state) -> AppTest:
    """The page opened fresh: ``query`` as the link's parameters, ``state`` set in the session first."""
    at = AppTest.from_file(DASHBOARD, default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(PAGES["imperfect_information"])
    at.run()
    assert_no_exception(at)
    return at


def lock(at: AppTest, checkpoint: cp.Checkpoint, choice: str | None = None) -> dict:
    """Lock in ``choice`` (default: the first) for ``checkpoint``; return the saved verdict."""
    at.radio(key=APP.check_choice.at(checkpoint.id)).set_value(choice or checkpoint.choices[0]).run()
    at.button(key=APP.check_lock.at(checkpoint.id)).click().run()
    assert_no_exception(at)
    return at.session_state[APP.checks.key][checkpoint.id]


def shown(at: AppTest, container: str) -> dict[str, str]:
    """The metrics inside the keyed container, label -> displayed value."""
    return {m.label: m.value for m in at.get_by_key(container).metric}


# A number as the page prints it: "64", "83%", "0.91", "3.6e-15".
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]\d+)?%?")


def quoted(at: AppTest, key: str) -> list[str]:
    """The numbers that the text of keyed element ``key`` quotes, in order, as printed (not its wording)."""
    box = at.get_by_key(key)
    text = " ".join(str(e.value) for kind in (box.info, box.success, box.warning, box.caption) for e in kind)
    return NUMBER.findall(text)


def scatter_points(spec: dict) -> tuple[list[str], np.ndarray]:
    """A figure's scatter traces: their names and their points stacked in trace order, (n_points, 2)."""
    traces = [t for t in spec["data"] if t.get("type") == "scatter"]
    points = np.vstack([np.column_stack([values(t["x"]), values(t["y"])]) for t in traces])
    return [t["name"] for t in traces], points


def by_group(points: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``points`` (n, 2) reordered group by group, as a chart with one trace per group draws them."""
    return np.vstack([points[labels == g] for g in np.unique(labels)])


def meters(at: AppTest, container: str) -> tuple[str, str, str]:
    values = list(shown(at, container).values())
    assert len(values) == 3
    return values[0], values[1], values[2]


def fmt(m: MapMeters, linear: bool = True) -> tuple[str, str, str]:
    """The three meters as shown; only a PCA (linear) map shows an explained variance."""
    return f"{m.recall:.0%}", f"{m.trustworthiness:.2f}", f"{m.explained_variance:.0%}" if linear else "n/a"


@pytest.fixture(scope="module")
def split() -> compression.DigitsSplit:
    return compression.load_digits_split(test_size=0.3, random_state=0)


@pytest.fixture(scope="module")
def wv():
    from embedcore.wordvectors import load_word_vectors

    return load_word_vectors()


def vectors(wv, groups) -> tuple[list[str], np.ndarray, np.ndarray]:
    words, labels = concept_words(groups)
    return words, labels, np.stack([wv.vector(w) for w in words]).astype(np.float64)


# -- every chart ----------------------------------------------------------------------


def test_every_chart_passes_plotlys_validators() -> None:
    """The figures are built without validation, for speed; check them here instead (small multiples too)."""
    at = open_page_with(**{II.multiples.key: True})
    ids = assert_charts_pass_plotlys_validators(at)
    assert len(ids) == 11, ids
    assert any(i.endswith(f"-{II.multiples_chart.key}") for i in ids), ids


# -- 1. digits ----------------------------------------------------------------------


def test_digits_show_what_the_pixels_lose_and_only_after_the_prediction_what_the_task_keeps(split) -> None:
    at = open_page_with()
    # One picture as its 64 numbers: the grid shows the chosen gallery picture.
    at.slider(key=II.digit.key).set_value(7).run()
    image = split.X_test[compression.gallery_indices(split.y_test)[7]]
    np.testing.assert_array_equal(values(chart(at, II.digit_chart.key)["data"][0]["z"]).ravel(), image)

    curve = compression.compression_curve(split, np.arange(1, 65))
    # Before the lock-in: the code size and the pixels' loss, and no accuracy anywhere in the section.
    for k in (64, 1, 20):
        at.slider(key=II.k.key).set_value(k).run()
        assert shown(at, II.compression_numbers.key) == {
            "Numbers kept": f"{k} of 64", "Pixel variance lost": f"{curve.variance_lost[k - 1]:.0%}"}
        assert [t["name"] for t in chart(at, II.curves_chart.key)["data"]] == [
            "reconstruction error (share of pixel variance lost)"]
        assert quoted(at, II.compression_takeaway.key) == [str(k), "64", f"{curve.variance_lost[k - 1]:.0%}"]

    lock(at, cp.SMALLEST_CODE)
    assert len(chart(at, II.curves_chart.key)["data"]) == 3  # the accuracy panel and its baseline
    for k in (1, 2, 3, 5, 8, 64):
        at.slider(key=II.k.key).set_value(k).run()
        assert_no_exception(at)
        numbers = shown(at, II.compression_numbers.key)
        assert numbers["Held-out accuracy"] == f"{curve.accuracy[k - 1]:.0%}"
        assert numbers["Always the most common digit"] == f"{curve.baseline:.0%}"
        # The takeaway's verdict is read from the numbers (code_verdict), and quotes them.
        acc, full, base, lost = (f"{v:.0%}" for v in (curve.accuracy[k - 1], curve.accuracy[-1], curve.baseline,
                                                     curve.variance_lost[k - 1]))
        pixels = [str(k), "64", lost]
        expected = {"enough": [*pixels, acc, "64", full], "part": [str(k), *pixels, acc, base, full, "64"],
                    "baseline": [str(k), *pixels, acc, base]}
        verdict = compression.code_verdict(curve.accuracy[k - 1], curve.accuracy[-1], curve.baseline)
        assert quoted(at, II.compression_takeaway.key) == expected[verdict], (k, verdict)
    assert compression.code_verdict(curve.accuracy[7], curve.accuracy[-1], curve.baseline) == "enough"  # k = 8


def test_the_one_bit_task_at_one_number_is_no_better_than_always_no(split) -> None:
    """The page's old claim ("far less than the input holds" at 89.4% against the 90% of "no") cannot come back."""
    zero = compression.compression_curve(split, [1, 64], task="zero")
    assert zero.accuracy[0] <= zero.baseline
    assert compression.code_verdict(zero.accuracy[0], zero.accuracy[-1], zero.baseline) == "baseline"


def test_gallery_tiles_originals_above_reconstructions(split) -> None:
    """The gallery is one unvalidated heatmap (for speed): check its pixels and plotly's validators."""
    import json

    import plotly.graph_objects as go

    from ui.imperfect_information.charts import gallery

    rec = compression.reconstruct(split, 5, compression.gallery_indices(split.y_test))
    fig = gallery(rec, 5)
    spec = json.loads(fig.to_figure().to_json())  # to_figure raises ValueError on any invalid property
    go.Figure(spec)
    z = np.asarray(fig.data[0]["z"], dtype=float)
    np.testing.assert_allclose(z[:8, :8], rec.original[0].reshape(8, 8))
    np.testing.assert_allclose(z[10:18, 9:17], rec.rebuilt[1].reshape(8, 8))
    assert np.isnan(z[:, 8]).all() and np.isnan(z[8:10]).all()  # paper between the images
    assert list(spec["layout"]["yaxis"]["ticktext"]) == ["original", "from 5"]


# -- 2. one bit ---------------------------------------------------------------------------


def test_the_one_bit_map_reads_back_its_answers(split) -> None:
    at = open_page_with()
    result = compression.digits_map(split, task="zero", resolution=20)
    names, points = scatter_points(chart(at, II.regions_chart.key))
    assert names == list(compression.TASKS["zero"][2])
    np.testing.assert_allclose(points, by_group(result.points, result.labels), rtol=1e-9, atol=1e-9)
    baseline = compression.compression_curve(split, [2], task="zero").baseline
    accuracy = compression.digits_map(split, task="zero").accuracy
    assert list(shown(at, II.borders_numbers.key).values()) == [f"{accuracy:.0%}", f"{baseline:.0%}"]
    assert quoted(at, II.borders_takeaway.key) == ["2", f"{accuracy:.0%}", f"{baseline:.0%}"]
    assert accuracy > baseline
    # The ten-answer task on the same 2 numbers would answer section 1's prediction: it waits for it.
    lock(at, cp.SMALLEST_CODE)
    digit = compression.digits_map(split, task="digit").accuracy
    most_common = compression.compression_curve(split, [1], task="digit").baseline
    assert list(shown(at, II.borders_numbers.key).values())[2:] == [f"{digit:.0%}", f"{most_common:.0%}"]


# -- 3. axes versus regions ---------------------------------------------------------------


def test_groups_projection_and_rotation(wv) -> None:
    at = open_page_with()
    words, labels, X = vectors(wv, REGION_GROUPS[: II.groups.default])
    Y = project_2d(X, "pca")
    # Where the words without an axis sit, as the numbers on the axes map say.
    axes = concept_axes(X, labels)
    own = np.median(np.concatenate([axes[labels == 0, 0], axes[labels == 1, 1]]))
    centres = np.stack([axes[labels == g].mean(axis=0) for g in range(2, len(np.unique(labels)))])
    assert quoted(at, II.axes_note.key) == [
        f"{own:.2f}", str(len(centres)), f"{centres.min():.2f}", f"{centres.max():.2f}", f"{axes[:, 0].max():.2f}",
        f"{axes[:, 1].max():.2f}"]
    assert centres.max() < 0.2 < own
    # The accuracies answer the prediction: none before it is locked in, and the turn takeaway quotes none.
    assert not has(at, II.knn_numbers.key)
    angles, change = quoted(at, II.turn_takeaway.key)
    assert angles == "72" and 0 < float(change) < 1e-12  # measured on turned maps, not "0.0e+00" at 0 degrees

    lock(at, cp.REGIONS_VS_AXES)
    knn = shown(at, II.knn_numbers.key)
    assert knn["Full space (256 numbers)"] == f"{knn_accuracy(X, labels, 5):.0%}"
    assert knn["Regions map (PCA, 2 numbers)"] == f"{knn_accuracy(Y, labels, 5):.0%}"
    assert knn["Axes map (2 numbers)"] == f"{knn_accuracy(axes, labels, 5):.0%}"
    # ... and the turn takeaway adds the accuracy measured again at every angle.
    turned = [knn_accuracy(rotate(Y, a), labels, 5) for a in range(5, 361, 5)]
    assert quoted(at, II.turn_takeaway.key)[2:] == ["5", *dict.fromkeys([f"{min(turned):.0%}", f"{max(turned):.0%}"])]

    at.slider(key=II.rotation.key).set_value(135).run()
    _, points = scatter_points(chart(at, II.regions_map_chart.key))
    np.testing.assert_allclose(points, by_group(rotate(Y, 135), labels), rtol=1e-9, atol=1e-9)
    assert shown(at, II.knn_numbers.key) == knn  # turning changes no accuracy

    at.slider(key=II.groups.key).set_value(10).run()
    assert_no_exception(at)
    words, labels, X = vectors(wv, REGION_GROUPS)
    assert int(shown(at, II.knn_numbers.key)["Axes map (2 numbers)"].rstrip("%")) < 50
    largest = np.bincount(labels).max() / len(labels)
    assert quoted(at, II.knn_note.key) == [f"{largest:.0%}", str(len(words)), str(len(REGION_GROUPS))]

    at.slider(key=II.groups.key).set_value(2).run()
    at.selectbox(key=II.method.key).select("MDS").run()
    assert_no_exception(at)
    _, labels, X = vectors(wv, REGION_GROUPS[:2])
    assert not has(at, II.axes_note.key)  # both groups have an axis
    mds = project_2d(X, "mds")
    assert shown(at, II.knn_numbers.key)["Regions map (MDS, 2 numbers)"] == f"{knn_accuracy(mds, labels, 5):.0%}"


# -- 4. meters ----------------------------------------------------------------------------


def test_dimension_slider_and_lost_neighbours(wv) -> None:
    at = open_page_with()
    words, labels, X = vectors(wv, REGION_GROUPS)
    curve = meter_curve(X, np.arange(1, 65), k=10)
    for d in (1, 64, 10):
        at.slider(key=II.dims.key).set_value(d).run()
        (box,) = [a for a in chart(at, II.meter_curves_chart.key)["layout"]["annotations"] if "kept" in a["text"]]
        assert NUMBER.findall(box["text"]) == [str(d), "10", f"{curve.recall[d - 1]:.0%}",
                                               f"{curve.trustworthiness[d - 1]:.2f}",
                                               f"{curve.explained_variance[d - 1]:.0%}"]
    needed = curve.dims_for_recall(0.8)
    assert quoted(at, II.dims_takeaway.key) == ["2", f"{curve.recall[1]:.0%}", str(needed), "80%"]

    # Lost neighbours of the default word on the PCA map: the note and the chart's text alternative count them.
    Y = project_2d(X, "pca")
    found = lost_neighbours(X, Y, words.index("election"), k=10)
    kept = 10 - len(found.false)
    assert quoted(at, II.lost_note.key) == ["10", str(kept), "10", str(len(found.false))]
    alt = chart_alt(at, II.lost_chart.key)
    assert NUMBER.findall(alt)[-4:] == ["10", str(kept), "10", str(len(found.false))]
    spec = chart(at, II.lost_chart.key)
    true_marks = next(t for t in spec["data"] if str(t.get("name", "")).startswith("true neighbour"))
    np.testing.assert_array_equal(values(true_marks["customdata"]), found.full)

    at.selectbox(key=II.word.key).select("football").run()
    football = lost_neighbours(X, Y, words.index("football"), k=10)
    assert quoted(at, II.lost_note.key)[1] == str(10 - len(football.false))
    assert "soccer" in [words[j] for j in football.full]
    assert meters(at, II.meters_lost.key) == fmt(map_meters(X, Y))


@pytest.mark.parametrize("label", ["t-SNE", "MDS"])
def test_lost_neighbours_meters_follow_the_projection(wv, label: str) -> None:
    from threadpoolctl import threadpool_limits

    from ui.imperfect_information import cache

    at = open_page_with()
    at.selectbox(key=II.meter_method.key).select(label).run()
    assert_no_exception(at)
    words, _, X = vectors(wv, REGION_GROUPS)
    method = {"t-SNE": "tsne", "MDS": "mds"}[label]
    with threadpool_limits(limits=1):  # as the page computes its maps
        Y = project_2d(X, method, random_state=cache.SEED, perplexity=cache.WORD_PERPLEXITY,
                       max_iter=cache.WORD_TSNE_ITERATIONS)
    assert meters(at, II.meters_lost.key) == fmt(map_meters(X, Y), linear=False)
    assert meters(at, II.meters_lost.key) != fmt(map_meters(X, project_2d(X, "pca")), linear=False)
    # The false neighbours drawn are read off the same map.
    found = lost_neighbours(X, Y, words.index("election"), k=10)
    false_marks = next(t for t in chart(at, II.lost_chart.key)["data"] if str(t.get("name", "")).startswith("false"))
    np.testing.assert_array_equal(values(false_marks["customdata"]), found.false)


# -- 4. homework ----------------------------------------------------------------------------


def test_homework_vote_sentence_and_reveal(wv) -> None:
    at = open_page_with()
    assert at.button(key=II.reveal.key).disabled
    # Saving without a vote is refused (the vote's warning, nothing saved) ...
    at.button(key=II.save_answer.key).click().run()
    assert has(at, II.no_vote.key) and not has(at, II.no_sentence.key)
    assert at.session_state[II.answer.key] == {}

    # ... and so is saving a vote without a sentence (the sentence's warning).
    at.radio(key=II.vote.key).set_value("it depends").run()
    at.button(key=II.save_answer.key).click().run()
    assert has(at, II.no_sentence.key) and not has(at, II.no_vote.key)
    assert at.session_state[II.answer.key] == {}

    sentence = "Good for a pet shop, <b>bad</b> for news."
    at.text_input(key=II.sentence.key).input(sentence).run()
    at.button(key=II.save_answer.key).click().run()
    assert_no_exception(at)
    assert not has(at, II.no_vote.key) and not has(at, II.no_sentence.key)
    assert at.session_state[II.answer.key]["vote"] == "it depends"
    assert sentence in [t.value for t in at.text]  # shown as plain text, tags and all

    at.button(key=II.reveal.key).click().run()
    # The map is a regions map of many groups (t-SNE of the real vectors), and the reveal quotes its evidence.
    words, labels, X = vectors(wv, homework_maps.MAP_GROUPS)
    found = homework_maps.homework_map(X, labels)
    spec = chart(at, II.homework_chart.key)
    shown_points = np.vstack([np.column_stack([values(t["x"]), values(t["y"])]) for t in spec["data"]
                              if t.get("type") == "scatter"])
    np.testing.assert_allclose(np.sort(shown_points, axis=0), np.sort(found.points, axis=0), rtol=1e-6, atol=1e-9)
    # The reveal quotes the pets' 5-NN accuracy on the map, the pair of groups that moved closest together
    # (named in bold; its rank on the map, of how many pairs, and its rank in the full space) and the map's recall@10.
    odd = found.odd_pairs[0]
    assert quoted(at, II.homework_reveal.key) == [
        f"{found.accuracy_of('pets')[1]:.0%}", "5", str(odd.map_rank + 1), str(found.n_pairs), str(odd.full_rank + 1),
        f"{found.meters.recall:.0%}", "10",
    ]
    (reveal,) = at.get_by_key(II.homework_reveal.key).success
    assert re.findall(r"\*\*(.+?)\*\*", reveal.value)[1:] == [odd.first, odd.second]
    coherence = [df.value for df in at.dataframe if "on this map" in df.value.columns][0]
    assert coherence["group"].tolist() == list(homework_maps.MAP_GROUPS)
    moved = [df.value for df in at.dataframe if "rank in the full space" in df.value.columns][0]
    assert (moved["rank on the map"] < moved["rank in the full space"]).all()
    pairs = [df.value for df in at.dataframe if "close on the map to" in df.value.columns][0]
    assert (pairs["rank in full space"] > 10).all() and (pairs["rank on the map"] <= 10).all()
    # The answer and the reveal stay for the session.
    at.run()
    assert at.session_state[II.answer.key]["revealed"] is True


def test_a_word_clicked_on_the_lost_neighbours_map_becomes_the_word_inspected() -> None:
    def script() -> None:
        import streamlit as st

        from app_state import II
        from ui.imperfect_information.meters import inspect_selected
        from ui.state import init_page

        class Event(dict):  # Streamlit's selection state reads by attribute and by key
            __getattr__ = dict.__getitem__

        init_page(II)
        words = tuple(sorted(II.word.choices))
        st.session_state[II.lost_chart.key] = Event(selection=Event(points=[{"customdata": 3}]))
        inspect_selected(words)
        st.text(st.session_state[II.word.key])
        st.session_state[II.lost_chart.key] = Event(selection=Event(points=[]))  # a cleared selection
        inspect_selected(words)
        st.text(st.session_state[II.word.key])

    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception
    third = sorted(II.word.choices)[3]
    assert [t.value for t in at.text] == [third, third]
    # The map carries each point's word index, so a click can name it.
    page = open_page_with()
    spec = chart(page, II.lost_chart.key)
    grey = next(t for t in spec["data"] if t.get("name") == "other words")
    np.testing.assert_array_equal(values(grey["customdata"]), np.arange(len(values(grey["x"]))))
