"""AppTest: "t-SNE has knobs" sends every picture of the data set shown, once, and keeps perplexity 2 for after the
prediction.

The knobs' figure holds one frame per (perplexity, iteration): its points are the shipped run's snapshot at that
iteration, its numbers box that snapshot's readings. Checked here frame by frame against the runs recomputed by
``runtime.jobs`` (the same call the build made), and the sliders' wiring against the frames' names.
"""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from app_state import II
from embedcore import checkpoints as cp
from embedcore import synthetic
from embedcore.clusters import centroid_distances, cluster_spreads
from runtime import jobs
from tests.apptest_utils import chart, values
from tests.quoted import has, numbers
from tests.test_page_imperfect_information import lock, open_page_with
from ui.imperfect_information import tsne_charts
from ui.imperfect_information.tsne_player import frame_name

ITERATIONS = tuple(II.iterations.choices)
LABEL_OF = {name: label for name, (label, *_) in synthetic.DATASETS.items()}


def run_of(dataset: str, perplexity: int):  # noqa: ANN201
    with threadpool_limits(limits=1):  # as the build ran it
        return jobs.tsne_knob_run(dataset, jobs.TSNE_KNOB_POINTS, perplexity, ITERATIONS)


def frame_points(frame: dict) -> np.ndarray:
    """A frame's points, cluster by cluster (one trace each), in the figure's units."""
    return np.vstack([np.column_stack([values(t["x"]), values(t["y"])]) for t in frame["data"]])


def rows_of(spec: dict) -> list[str]:
    return [step["label"] for step in spec["layout"]["sliders"][0]["steps"]]


@pytest.fixture(scope="module")
def sizes_30():  # noqa: ANN201
    return run_of("sizes", 30)


def test_every_picture_is_sent_once_and_perplexity_2_waits_for_the_prediction(sizes_30) -> None:
    at = open_page_with()
    spec = chart(at, II.tsne_chart.key)
    offered = [p for p in II.perplexity.choices if p != 2]
    assert rows_of(spec) == [str(p) for p in offered]  # no perplexity 2 anywhere before the lock-in
    assert [f["name"] for f in spec["frames"]] == [frame_name(r, c) for r in range(len(offered))
                                                   for c in range(len(ITERATIONS))]
    # One iteration slider per perplexity, the one of the row shown visible, each step one of its row's frames.
    row = offered.index(II.perplexity.default)
    column = ITERATIONS.index(II.iterations.default)
    for r, slider in enumerate(spec["layout"]["sliders"][1:]):
        assert slider["visible"] == (r == row)
        assert [s["args"][0] for s in slider["steps"]] == [[frame_name(r, c)] for c in range(len(ITERATIONS))]
        assert [s["label"] for s in slider["steps"]] == [str(i) for i in ITERATIONS]
    assert spec["layout"]["sliders"][1 + row]["active"] == column
    # Each frame of perplexity 30 is that run's snapshot, with that snapshot's numbers.
    run, readings = sizes_30
    X, labels = synthetic.make_dataset("sizes", jobs.TSNE_KNOB_POINTS, random_state=0)
    truth = tsne_charts.Truth(cluster_spreads(X, labels), centroid_distances(X, labels))
    order = np.argsort(labels, kind="stable")
    for c in (0, 10, len(ITERATIONS) - 1):
        frame = spec["frames"][row * len(ITERATIONS) + c]
        np.testing.assert_array_equal(frame_points(frame), tsne_charts.in_units(run.snapshots[c])[order])
        box = frame["layout"]["annotations"][-1]["text"]
        assert numbers(box) == numbers(" ".join(tsne_charts.numbers(30, ITERATIONS[c], readings, c, truth)))
        # A frame shows its own row's slider at its own column, and its own row's play button.
        assert [s.get("visible") for s in frame["layout"]["sliders"][1:]] == [r == row for r in range(len(offered))]
        assert frame["layout"]["sliders"][1 + row]["active"] == c
        assert [m["visible"] for m in frame["layout"]["updatemenus"]] == [r == row for r in range(len(offered))]
    np.testing.assert_array_equal(frame_points(spec), tsne_charts.in_units(run.snapshots[column])[order])
    # The box of the finished map at 30: what the eye sees (2 clumps) against the truth (B is 10 times as wide).
    assert readings.clumps[-1] == 2 and truth.spreads[1] / truth.spreads[0] > 9
    # Nothing of perplexity 2 in the small multiples or the download either.
    at.toggle(key=II.multiples.key).set_value(True).run()
    multiples = chart(at, II.multiples_chart.key)
    assert [a["text"] for a in multiples["layout"]["annotations"]] == [f"perplexity {p}" for p in offered]


def test_after_the_lock_in_the_figure_holds_perplexity_2() -> None:
    at = open_page_with()
    saved = lock(at, cp.PERPLEXITY_2, cp.PERPLEXITY_2.choices[0])
    assert saved["correct"]
    spec = chart(at, II.tsne_chart.key)
    assert rows_of(spec) == [str(p) for p in II.perplexity.choices]
    assert len(spec["frames"]) == len(II.perplexity.choices) * len(ITERATIONS)
    run, readings = run_of("sizes", 2)
    last = spec["frames"][len(ITERATIONS) - 1]  # perplexity 2, finished
    clumps_line = last["layout"]["annotations"][-1]["text"].split("<br>")[2]
    assert numbers(clumps_line)[0] == readings.clumps[-1] >= 4


def test_a_link_sets_where_the_sliders_start() -> None:
    at = open_page_with({II.perplexity.key: "50", II.iterations.key: "250"})
    spec = chart(at, II.tsne_chart.key)
    offered = [p for p in II.perplexity.choices if p != 2]
    row, column = offered.index(50), ITERATIONS.index(250)
    assert spec["layout"]["sliders"][0]["active"] == row and spec["layout"]["sliders"][1 + row]["active"] == column
    assert numbers(spec["layout"]["annotations"][-1]["text"])[:2] == [50, 250]
    # A link to perplexity 2 before the prediction starts at the nearest picture offered.
    at = open_page_with({II.perplexity.key: "2"})
    assert chart(at, II.tsne_chart.key)["layout"]["sliders"][0]["active"] == 0
    assert at.select_slider(key=II.perplexity.key).value == 5


@pytest.mark.parametrize("dataset", list(synthetic.DATASETS))
def test_the_takeaway_quotes_the_finished_maps_against_the_truth(dataset: str) -> None:
    at = open_page_with(**{II.tsne_data.key: LABEL_OF[dataset]})
    offered = [p for p in II.perplexity.choices if p != 2]
    readings = [run_of(dataset, p)[1] for p in offered]
    X, labels = synthetic.make_dataset(dataset, jobs.TSNE_KNOB_POINTS, random_state=0)
    spreads, gaps = cluster_spreads(X, labels), centroid_distances(X, labels)
    if dataset == "sizes":
        truth, shown = spreads[1] / spreads[0], [m.spreads[-1, 1] / m.spreads[-1, 0] for m in readings]
    elif dataset == "distances":
        truth, shown = gaps[1, 2] / gaps[0, 1], [m.gaps[-1, 1, 2] / m.gaps[-1, 0, 1] for m in readings]
    else:
        truth, shown = None, [int(m.clumps[-1]) for m in readings]
    quoted = numbers(at.get_by_key(II.tsne_takeaway.key).info[0].value)
    span = sorted({round(min(shown), 1), round(max(shown), 1)})
    if truth is None:
        assert quoted == [*span, offered[0], offered[-1]]
    else:
        assert quoted == pytest.approx([round(truth, 1), *span])
        assert min(shown) < truth / 2  # some perplexity offered draws a ratio far from the truth
    assert has(at, II.tsne_chart.key)
