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


def test_mixer_ws_cover_zero_to_one_in_equal_steps() -> None:
    import pytest

    assert ex.mixer_ws(0.25) == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert ex.mixer_ws(0.1)[3] == 0.3 == ex.mixed(ex.Experiment(), 0.3).weights()["colour"]
    with pytest.raises(ValueError, match="divide 1"):
        ex.mixer_ws(0.3)


def test_the_mixer_family_holds_each_models_probes_and_map() -> None:
    import numpy as np
    import pytest

    base = ex.Experiment(n_train=120, n_test=60, epochs=3, embedding_size=3)
    results = ex.run_together([ex.mixed(base, w) for w in (1.0, 0.0, 0.5)])  # in any order
    family = ex.mixer_family(results)
    np.testing.assert_array_equal(family.ws, [0.0, 0.5, 1.0])
    by_w = {r.experiment.weights()["colour"]: r for r in results}
    for i, w in enumerate(family.ws):
        for label in ("colour", "shape"):
            assert family.probes[label][i] == by_w[w].probes[label].accuracy
        assert [layer.weight for layer in family.layers[i] if layer.role == "head"] == [w, 1.0 - w]
    assert family.maps.shape == (3, 60, 2)
    # Each map: centred, its farthest point at distance 1.
    np.testing.assert_allclose(family.maps.mean(axis=1), 0, atol=1e-9)
    np.testing.assert_allclose(np.sqrt((family.maps**2).sum(axis=2)).max(axis=1), 1.0)
    assert family.at(0.5) == 1 and family.nearest(0.8) == 2
    with pytest.raises(ValueError, match="no model at w = 0.3"):
        family.at(0.3)
    with pytest.raises(ValueError, match="differ only in their loss"):
        ex.mixer_family([results[0], ex.run(base.with_(seed=1))])


def test_the_weight_an_attribute_needs_reads_its_own_weight() -> None:
    import numpy as np

    family = ex.MixerFamily(ws=np.array([0.0, 0.5, 1.0]), probes={"colour": np.array([0.3, 0.95, 1.0]),
                            "shape": np.array([0.97, 0.6, 0.3])}, chance={"colour": 0.25, "shape": 0.25},
                            maps=np.zeros((3, 1, 2)), labels={}, label_names={}, layers=((), (), ()))
    assert family.weight_needed("colour", 0.9) == 0.5  # colour's weight is w
    assert family.weight_needed("shape", 0.9) == 1.0  # shape's is 1 - w: only at w = 0
    assert family.weight_needed("shape", 0.99) is None
