"""embedcore.probes and embedcore.experiments: probes read what an embedding kept.

The headline test is the **probe gap**: with the page's default settings,
model A (colour loss) keeps colour and drops shape, and model B the reverse.
"""

from __future__ import annotations

import numpy as np
import pytest

from embedcore import experiments as ex
from embedcore.probes import ProbeResult, chance_level, probe_accuracy, probe_embedding


def test_chance_level_is_the_majority_guess() -> None:
    assert chance_level([0, 0, 1], [0, 1, 1, 1]) == 0.25
    assert chance_level(["a", "b", "b"], ["b", "b"]) == 1.0


def test_a_probe_reads_a_label_that_is_there_and_not_one_that_is_not() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, 600)
    kept = np.eye(4)[y] + 0.1 * rng.normal(size=(600, 4))  # the label, one-hot, plus noise
    dropped = rng.normal(size=(600, 4))  # nothing about the label
    train, test = slice(0, 400), slice(400, None)
    assert probe_accuracy(kept[train], y[train], kept[test], y[test]) == 1.0
    blind = probe_accuracy(dropped[train], y[train], dropped[test], y[test])
    assert abs(blind - 0.25) < 0.1


def test_probe_embedding_reports_each_label_with_its_chance() -> None:
    rng = np.random.default_rng(1)
    colour, shape = rng.integers(0, 2, 300), rng.integers(0, 3, 300)
    Z = np.column_stack([colour + 0.05 * rng.normal(size=300), rng.normal(size=300)])
    labels = {"colour": colour, "shape": shape}
    results = probe_embedding(Z[:200], {k: v[:200] for k, v in labels.items()}, Z[200:], {k: v[200:] for k, v in labels.items()})
    assert set(results) == {"colour", "shape"}
    assert isinstance(results["colour"], ProbeResult)
    assert results["colour"].accuracy == 1.0
    assert results["shape"].above_chance < 0.15


def test_a_single_class_probe_falls_back_to_chance() -> None:
    Z = np.zeros((10, 2))
    assert probe_accuracy(Z, np.ones(10), Z[:4], [1, 1, 0, 0]) == 0.5


def test_probe_bad_input() -> None:
    with pytest.raises(ValueError, match="Z_train"):
        probe_accuracy(np.zeros((3, 2)), [0, 1], np.zeros((2, 2)), [0, 1])
    with pytest.raises(ValueError, match="features"):
        probe_accuracy(np.zeros((2, 2)), [0, 1], np.zeros((2, 3)), [0, 1])
    with pytest.raises(ValueError, match="NaN"):
        probe_accuracy(np.full((2, 2), np.nan), [0, 1], np.zeros((2, 2)), [0, 1])
    with pytest.raises(ValueError, match="lacks"):
        probe_embedding(np.zeros((2, 2)), {"colour": [0, 1]}, np.zeros((2, 2)), {})


# ---------------------------------------------------------------------------
# The probe gap of the twin models, at the page's default settings
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def default_twins() -> list[ex.Result]:
    from threadpoolctl import threadpool_limits

    # One BLAS thread, as the app trains: much faster for these small matrices on shared cores.
    with threadpool_limits(limits=1, user_api="blas"):
        return ex.run_together(ex.twins(ex.Experiment()))


def test_probe_gap_model_a_keeps_colour_and_drops_shape(default_twins) -> None:
    a = default_twins[0]
    assert a.accuracy["colour"] > 0.95
    assert a.probes["colour"].accuracy > 0.95
    assert a.probes["colour"].accuracy - a.probes["shape"].accuracy > 0.5
    assert a.probes["shape"].above_chance < 0.15  # shape is (nearly) gone


def test_probe_gap_model_b_keeps_shape_and_drops_colour(default_twins) -> None:
    b = default_twins[1]
    assert b.accuracy["shape"] > 0.9
    assert b.probes["shape"].accuracy > 0.9
    assert b.probes["shape"].accuracy - b.probes["colour"].accuracy > 0.4


def test_twins_differ_only_in_their_loss(default_twins) -> None:
    a, b = default_twins
    assert a.experiment.with_(loss_weights=b.experiment.loss_weights) == b.experiment
    # Same seed and architecture: the two networks start from the same weights ...
    first, second = (_initial_model(e) for e in (a.experiment, b.experiment))
    assert first.weights_ != second.weights_  # (only the loss weights differ)
    for one, two in zip(_dense(first), _dense(second), strict=True):
        np.testing.assert_array_equal(one.W, two.W)
        np.testing.assert_array_equal(one.b, two.b)
    # ... and the loss alone sends them different ways.
    assert a.loss_history != b.loss_history
    assert a.test_embedding.shape == b.test_embedding.shape == (400, 2)


def _initial_model(experiment: ex.Experiment):
    """The experiment's network, built on its training data but not trained (0 epochs)."""
    train, _ = ex.load_data(experiment)
    model = ex.build_model(experiment, list(train.labels))
    model.max_epochs = 0
    return model.fit(ex.features(experiment, train), train.labels)


def _dense(model) -> list:
    """Every Dense layer of ``model``: the body (input to embedding), then the heads in name order."""
    from embedcore.nn import Dense

    return [layer for layer in model.layers_ if isinstance(layer, Dense)] + [model.heads_[h] for h in sorted(model.heads_)]


def test_a_run_is_deterministic_under_its_seed() -> None:
    small = ex.Experiment(n_train=200, n_test=100, hidden_sizes=(16,), epochs=3)
    one, two = ex.run(small), ex.run(small)
    np.testing.assert_array_equal(one.test_embedding, two.test_embedding)
    assert one.probes == two.probes
    other = ex.run(small.with_(seed=1))
    assert not np.allclose(one.test_embedding, other.test_embedding)


def test_run_together_reports_every_epoch() -> None:
    seen = []
    short = ex.Experiment(n_train=100, n_test=50, hidden_sizes=(8,), epochs=3)
    ex.run_together([short, short.with_(epochs=2)], on_epoch=lambda e, n, losses: seen.append((e, n, losses)))
    assert [(e, n) for e, n, _ in seen] == [(1, 3), (2, 3), (3, 3)]
    assert np.isnan(seen[-1][2][1]) and np.isfinite(seen[-1][2][0])


def test_experiment_rows_and_mixing() -> None:
    mix = ex.mixed(ex.Experiment(), 0.3)
    assert mix.weights() == {"colour": 0.3, "shape": 0.7}
    assert ex.mixed(ex.Experiment(), 1.0) == ex.twins(ex.Experiment())[0]  # w = 1 is model A
    with pytest.raises(ValueError, match="between 0 and 1"):
        ex.mixed(ex.Experiment(), 1.5)
    result = ex.run(ex.Experiment(dataset="vehicles", n_train=60, n_test=40, epochs=2, loss_weights=(("taxi", 1.0),)))
    row = ex.result_row(result)
    assert {"accuracy taxi", "probe colour", "probe vehicle", "train seconds", "features"} <= set(row)
    assert "accuracy colour" not in row  # a head with weight 0 reports no accuracy


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"features": ()}, "at least one feature"),
        ({"loss_weights": (("colour", 0.0), ("shape", 0.0))}, "positive loss weight"),
        ({"hidden_sizes": (64,) * 9}, "hidden layers"),
        ({"dataset": "cats"}, "unknown dataset"),
        ({"loss_weights": (("taxi", 1.0),)}, "labels"),
    ],
)
def test_bad_experiments_raise_clear_errors(changes, message) -> None:
    with pytest.raises(ValueError, match=message):
        ex.run(ex.Experiment(n_train=20, n_test=20, epochs=1).with_(**changes))


def test_probe_one_class_asks_a_yes_no_question_of_the_embedding() -> None:
    from embedcore import experiments as ex

    result = ex.run(ex.Experiment(dataset="vehicles", n_train=200, n_test=200, epochs=5,
                                  loss_weights=(("taxi", 1.0),), features=("yellow",)))
    probe = ex.probe_one_class(result, "colour", "yellow")
    colours = np.asarray(result.test_labels["colour"])
    yes = colours[len(colours) // 2:] == result.label_names["colour"].index("yellow")
    np.testing.assert_allclose(probe.chance, max(yes.mean(), 1 - yes.mean()), atol=0.03)
    assert probe.accuracy > probe.chance  # a yellowness-fed taxi model keeps "is it yellow?"
    with pytest.raises(ValueError, match="has no value 'teal'"):
        ex.probe_one_class(result, "colour", "teal")
