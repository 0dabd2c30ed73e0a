"""embedcore.experiments: the experiments the page's levers build, without the page."""

from __future__ import annotations

from embedcore import experiments as ex


def test_taxi_models_compare_each_lever_with_one_baseline() -> None:
    ((name, base),) = ex.taxi_models(60)
    assert (name, base.dataset, base.n_train, base.loss_weights) == ("baseline", "vehicles", 60, (("taxi", 1.0),))
    (_, _), (name, feature) = ex.taxi_models(60, yellowness=True)
    assert feature.features == ("yellow",) and feature.loss_weights == (("taxi", 1.0),) and name == "yellowness input"
    (_, _), (name, head) = ex.taxi_models(60, colour_head=True, colour_weight=0.25)
    assert head.loss_weights == (("taxi", 1.0), ("colour", 0.25)) and head.features == base.features
    assert name == "colour head (w = 0.25)"
    assert len(ex.taxi_models(60, colour_head=True, colour_weight=0.0)) == 1  # a weight of 0 is no lever
    # Both levers: each alone and both together, all against the same baseline.
    models = dict(ex.taxi_models(60, yellowness=True, colour_head=True, colour_weight=0.5))
    assert list(models) == ["baseline", "yellowness input", "colour head (w = 0.5)", "both levers"]
    assert models["both levers"] == models["yellowness input"].with_(loss_weights=(("taxi", 1.0), ("colour", 0.5)))


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
