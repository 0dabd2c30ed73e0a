"""embedcore.experiments: the experiments the page's levers build, without the page."""

from __future__ import annotations

from embedcore import experiments as ex


def test_taxi_pair_has_a_baseline_and_only_the_levers_asked_for() -> None:
    base, levered, name = ex.taxi_pair(60)
    assert (base.dataset, base.n_train, base.loss_weights, levered, name) == ("vehicles", 60, (("taxi", 1.0),), None, "")
    _, levered, name = ex.taxi_pair(60, yellowness=True)
    assert levered.features == ("yellow",) and levered.loss_weights == (("taxi", 1.0),) and name == "yellowness input"
    _, levered, name = ex.taxi_pair(60, colour_head=True, colour_weight=0.25)
    assert levered.loss_weights == (("taxi", 1.0), ("colour", 0.25)) and levered.features == base.features
    assert name == "colour head (w = 0.25)"
    assert ex.taxi_pair(60, colour_head=True, colour_weight=0.0)[1] is None  # a weight of 0 is no lever


def test_designed_gives_every_head_of_the_dataset_its_weight() -> None:
    experiment = ex.designed("vehicles", n_train=200, features=["red"], depth=2, hidden=16, embedding=4,
                             activation="tanh", weights={"taxi": 1.0, "colour": 0.333, "shape": 5.0})
    assert experiment.loss_weights == (("taxi", 1.0), ("colour", 0.33), ("vehicle", 0.0))
    assert experiment.hidden_sizes == (16, 16) and experiment.features == ("red",)
    assert experiment.epochs == ex.EPOCHS["vehicles"]
    experiment.validate()
    assert set(ex.HEADS) == set(ex.EPOCHS)


def test_the_twins_differ_only_in_their_loss() -> None:
    a, b = ex.twins(ex.Experiment(), *ex.TWINS.values())
    assert a.with_(loss_weights=()) == b.with_(loss_weights=())
    assert dict(a.loss_weights)[ex.TWINS["A"]] == 1.0 and dict(b.loss_weights)[ex.TWINS["B"]] == 1.0
