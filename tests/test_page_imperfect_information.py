"""AppTest: the "Imperfect information" page moves with every control.

Each test opens the page once (t-SNE kept small through session state, so
the suite stays quick), moves controls, and checks the numbers shown against
embedcore computed directly.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app_state import II
from embedcore import compression, synthetic
from embedcore import homework as homework_maps
from embedcore.clusters import cluster_spreads
from embedcore.concepts import REGION_GROUPS, concept_words
from embedcore.knn import knn_accuracy
from embedcore.meters import MapMeters, lost_neighbours, map_meters, meter_curve
from embedcore.projection import project_2d, rotate
from tests.apptest_utils import (
    DASHBOARD,
    PAGES,
    assert_charts_pass_plotlys_validators,
    assert_no_exception,
    chart,
    values,
)

# Small t-SNE settings for every test: 200 points, the minimum 250 iterations.
SMALL_TSNE = {II.tsne_points.key: 200, II.iterations.key: 250}


def open_small(**state) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=180)
    for key, value in {**SMALL_TSNE, **state}.items():
        at.session_state[key] = value
    at.switch_page(PAGES["imperfect_information"])
    at.run()
    assert_no_exception(at)
    return at


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


def has(at: AppTest, key: str) -> bool:
    """Whether the page shows an element with the key ``key`` (declared in app_state) on this run."""
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True


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
    at = open_small(**{II.multiples.key: True})
    ids = assert_charts_pass_plotlys_validators(at)
    assert len(ids) == 11, ids
    assert any(i.endswith(f"-{II.multiples_chart.key}") for i in ids), ids


# -- 1. digits ----------------------------------------------------------------------


def test_digit_sliders_move_the_gallery_curves_and_meters(split) -> None:
    at = open_small()
    # One image as its 64 numbers: the table shows the chosen gallery image.
    at.slider(key=II.digit.key).set_value(7).run()
    image = split.X_test[compression.gallery_indices(split.y_test)[7]]
    table = [df.value for df in at.dataframe if df.value.shape == (8, 8)][0]
    np.testing.assert_array_equal(table.to_numpy().ravel(), image.astype(int))

    curve = compression.compression_curve(split, np.arange(1, 65))
    for k in (64, 1, 20):
        at.slider(key=II.k.key).set_value(k).run()
        assert_no_exception(at)
        numbers = shown(at, II.compression_numbers.key)
        assert numbers["Numbers kept"] == f"{k} of 64"
        assert numbers["Pixel variance lost"] == f"{curve.variance_lost[k - 1]:.0%}"
        assert numbers["Held-out accuracy"] == f"{curve.accuracy[k - 1]:.0%}"
    assert shown(at, II.compression_numbers.key)["Pixel variance lost"] != "0%"

    # One number cannot name a digit, but it nearly answers the one-bit question.
    at.slider(key=II.k.key).set_value(2).run()
    digit_acc = shown(at, II.compression_numbers.key)["Held-out accuracy"]
    at.selectbox(key=II.task.key).select(compression.TASKS["zero"][0]).run()
    zero_curve = compression.compression_curve(split, [2], task="zero")
    assert shown(at, II.compression_numbers.key)["Held-out accuracy"] == f"{zero_curve.accuracy[0]:.0%}"
    assert int(digit_acc.rstrip("%")) < int(f"{zero_curve.accuracy[0]:.0%}".rstrip("%"))
    # Every accuracy has its baseline beside it, and at k = 1 the one-bit task is no better than "always no".
    assert shown(at, II.compression_numbers.key)["Always the most common answer"] == f"{zero_curve.baseline:.0%}"
    at.slider(key=II.k.key).set_value(1).run()
    zero = compression.compression_curve(split, [1, 2, 64], task="zero")  # k = 1, 2 and all 64
    assert zero.accuracy[0] <= zero.baseline
    # The takeaway quotes the curve at k = 1, all 64, the baseline and the one-bit task at k = 2. At or
    # below the baseline it says so and quotes k again: "no better than ... (baseline): at k = 1 ...".
    assert quoted(at, II.compression_takeaway.key) == [
        "1", "64", f"{zero.variance_lost[0]:.0%}", f"{zero.accuracy[0]:.0%}", "64", f"{zero.accuracy[2]:.0%}",
        f"{zero.baseline:.0%}", "1", f"{zero.baseline:.0%}", "2", f"{zero.accuracy[1]:.0%}",
    ]

    # The 2-D decision-region map draws the held-out codes, one trace per answer of the task, and carries its meters.
    result = compression.digits_map(split, task="zero", resolution=20)
    assert meters(at, II.meters_digits.key) == fmt(map_meters(split.X_test, result.points, k=10))
    names, points = scatter_points(chart(at, II.regions_chart.key))
    assert names == list(compression.TASKS["zero"][2])
    np.testing.assert_allclose(points, by_group(result.points, result.labels), rtol=1e-9, atol=1e-9)


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


# -- 2. axes versus regions ---------------------------------------------------------------


def test_groups_projection_and_rotation(wv) -> None:
    at = open_small()
    words, labels, X = vectors(wv, REGION_GROUPS[: II.groups.default])
    Y = project_2d(X, "pca")
    assert meters(at, II.meters_regions.key) == fmt(map_meters(X, Y))
    knn = shown(at, II.knn_numbers.key)
    assert knn["Full space (256 numbers)"] == f"{knn_accuracy(X, labels, 5):.0%}"
    assert knn["Regions map (PCA, 2 numbers)"] == f"{knn_accuracy(Y, labels, 5):.0%}"
    # The default shows the lesson's point: regions keep the groups apart clearly better than axes.
    assert int(knn["Regions map (PCA, 2 numbers)"].rstrip("%")) >= int(knn["Axes map (2 numbers)"].rstrip("%")) + 10

    # Turning the map: every meter and accuracy stays exactly the same.
    before = (meters(at, II.meters_regions.key), shown(at, II.knn_numbers.key))
    at.slider(key=II.rotation.key).set_value(135).run()
    assert_no_exception(at)
    assert (meters(at, II.meters_regions.key), shown(at, II.knn_numbers.key)) == before
    turned = rotate(Y, 135)
    _, points = scatter_points(chart(at, II.regions_map_chart.key))
    np.testing.assert_allclose(points, by_group(turned, labels), rtol=1e-9, atol=1e-9)
    # The takeaway quotes the angle, the largest distance change (tiny), then recall and the 5-NN accuracy
    # measured again on the turned map, each beside its value before turning.
    angle, change, *numbers = quoted(at, II.turn_takeaway.key)
    assert angle == "135" and float(change) < 1e-12
    assert numbers == [
        f"{map_meters(X, turned).recall:.0%}", f"{map_meters(X, Y).recall:.0%}", "5",
        f"{knn_accuracy(turned, labels, 5):.0%}", f"{knn_accuracy(Y, labels, 5):.0%}",
    ]

    # More groups: the axes map has only two axes, so it falls behind the full space.
    at.slider(key=II.groups.key).set_value(10).run()
    assert_no_exception(at)
    words, labels, X = vectors(wv, REGION_GROUPS)
    knn = shown(at, II.knn_numbers.key)
    assert knn["Full space (256 numbers)"] == f"{knn_accuracy(X, labels, 5):.0%}"
    assert int(knn["Axes map (2 numbers)"].rstrip("%")) < 50
    # Beside them: what always guessing the largest group scores, and how many words in how many groups.
    assert len(words) == 171
    largest = np.bincount(labels).max() / len(labels)
    assert quoted(at, II.knn_note.key) == [f"{largest:.0%}", str(len(words)), str(len(REGION_GROUPS))]

    at.slider(key=II.groups.key).set_value(2).run()
    at.selectbox(key=II.method.key).select("MDS").run()
    assert_no_exception(at)
    _, labels, X = vectors(wv, REGION_GROUPS[:2])
    mds = project_2d(X, "mds")
    assert meters(at, II.meters_regions.key) == fmt(map_meters(X, mds), linear=False)
    assert shown(at, II.knn_numbers.key)["Regions map (MDS, 2 numbers)"] == f"{knn_accuracy(mds, labels, 5):.0%}"


# -- 3. meters ----------------------------------------------------------------------------


def test_dimension_slider_and_lost_neighbours(wv) -> None:
    at = open_small()
    words, labels, X = vectors(wv, REGION_GROUPS)
    curve = meter_curve(X, np.arange(1, 65), k=10)
    for d in (1, 64, 10):
        at.slider(key=II.dims.key).set_value(d).run()
        numbers = list(shown(at, II.dims_numbers.key).values())
        assert numbers == [
            f"{curve.recall[d - 1]:.0%}",
            f"{curve.trustworthiness[d - 1]:.2f}",
            f"{curve.explained_variance[d - 1]:.0%}",
        ]

    # Lost neighbours of the default word on the PCA map, false ones marked.
    Y = project_2d(X, "pca")
    found = lost_neighbours(X, Y, words.index("election"), k=10)
    table = [df.value for df in at.dataframe if "nearest on the map" in df.value.columns][0]
    assert table["nearest in full space"].tolist() == [words[j] for j in found.full]
    assert table["nearest on the map"].tolist() == [words[j] for j in found.on_map]
    assert (table["true neighbour?"] == "FALSE neighbour").sum() == len(found.false) > 0

    at.selectbox(key=II.word.key).select("football").run()
    table = [df.value for df in at.dataframe if "nearest on the map" in df.value.columns][0]
    football = lost_neighbours(X, Y, words.index("football"), k=10)
    assert table["nearest in full space"].tolist() == [words[j] for j in football.full]
    assert "soccer" in table["nearest in full space"].tolist()
    assert meters(at, II.meters_lost.key) == fmt(map_meters(X, Y))


@pytest.mark.parametrize("label", ["t-SNE", "MDS"])
def test_lost_neighbours_meters_follow_the_projection(wv, label: str) -> None:
    from threadpoolctl import threadpool_limits

    from ui.imperfect_information import cache

    at = open_small()
    at.selectbox(key=II.meter_method.key).select(label).run()
    assert_no_exception(at)
    words, _, X = vectors(wv, REGION_GROUPS)
    method = {"t-SNE": "tsne", "MDS": "mds"}[label]
    with threadpool_limits(limits=1):  # as the page computes its maps
        Y = project_2d(X, method, random_state=cache.SEED, perplexity=cache.WORD_PERPLEXITY,
                       max_iter=cache.WORD_TSNE_ITERATIONS)
    assert meters(at, II.meters_lost.key) == fmt(map_meters(X, Y), linear=False)
    assert meters(at, II.meters_lost.key) != fmt(map_meters(X, project_2d(X, "pca")), linear=False)
    # The neighbour table is read off the same map.
    found = lost_neighbours(X, Y, words.index("election"), k=10)
    table = [df.value for df in at.dataframe if "nearest on the map" in df.value.columns][0]
    assert table["nearest on the map"].tolist() == [words[j] for j in found.on_map]


# -- 4. homework ----------------------------------------------------------------------------


def test_homework_vote_sentence_and_reveal(wv) -> None:
    at = open_small()
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


# -- 5. t-SNE ------------------------------------------------------------------------------------


def test_tsne_sliders_and_small_multiples() -> None:
    at = open_small()
    X, labels = synthetic.make_dataset("sizes", 200, random_state=0)
    Y = project_2d(X, "tsne", perplexity=30, max_iter=250, random_state=0)
    assert meters(at, II.meters_tsne.key) == fmt(map_meters(X, Y, k=10), linear=False)

    at.select_slider(key=II.perplexity.key).set_value(5).run()
    assert_no_exception(at)
    Y5 = project_2d(X, "tsne", perplexity=5, max_iter=250, random_state=0)
    assert meters(at, II.meters_tsne.key) == fmt(map_meters(X, Y5, k=10), linear=False)
    spreads = [df.value for df in at.dataframe if "spread on the map" in df.value.columns][0]
    assert spreads["ratio to cluster A (data)"].tolist()[1] == f"{cluster_spreads(X, labels)[1] / cluster_spreads(X, labels)[0]:.1f}"

    at.selectbox(key=II.tsne_data.key).select(synthetic.DATASETS["noise"][0]).run()
    at.select_slider(key=II.iterations.key).set_value(500).run()
    noise, _ = synthetic.make_dataset("noise", 200, random_state=0)
    Yn = project_2d(noise, "tsne", perplexity=5, max_iter=500, random_state=0)
    assert meters(at, II.meters_tsne.key) == fmt(map_meters(noise, Yn, k=10), linear=False)
    at.slider(key=II.tsne_points.key).set_value(300).run()
    assert_no_exception(at)
    # Noise has no clusters: no spreads against the truth, but the one-blob note, quoting the number of points.
    assert len(np.unique(synthetic.make_dataset("noise", 300, random_state=0)[1])) == 1
    assert quoted(at, II.one_blob.key) == ["300"]
    assert not [df for df in at.dataframe if "spread on the map" in df.value.columns]

    # Back to small settings (instant: each setting is cached), then the small multiples.
    at.slider(key=II.tsne_points.key).set_value(200).run()
    at.select_slider(key=II.iterations.key).set_value(250).run()

    at.toggle(key=II.multiples.key).set_value(True).run()
    assert_no_exception(at)
    table = [df.value for df in at.dataframe if "perplexity" in df.value.columns][0]
    assert table["perplexity"].tolist() == [2, 5, 30, 50, 100]
    # One panel per perplexity, each a map of the 200 noise points (one cluster: one trace a panel, in point
    # order), and each panel the map the table measures.
    spec = chart(at, II.multiples_chart.key)
    panels = [t for t in spec["data"] if t.get("type") == "scatter"]
    assert [t.get("xaxis", "x") for t in panels] == ["x", "x2", "x3", "x4", "x5"]
    noise, _ = synthetic.make_dataset("noise", 200, random_state=0)
    for trace, recall in zip(panels, table["recall@10"]):
        panel = np.column_stack([values(trace["x"]), values(trace["y"])])
        assert panel.shape == (200, 2)
        assert recall == f"{map_meters(noise, panel, k=10).recall:.0%}"


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
    page = open_small()
    spec = chart(page, II.lost_chart.key)
    grey = next(t for t in spec["data"] if t.get("name") == "other words")
    np.testing.assert_array_equal(values(grey["customdata"]), np.arange(len(values(grey["x"]))))
