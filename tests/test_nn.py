"""embedcore.nn: gradients, learning, determinism, a reference comparison, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from embedcore.nn import MLP, Dense, ReLU, SoftmaxCrossEntropy, Tanh, softmax


def _numeric_grad(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar function ``f`` at ``x`` (perturbed in place)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


# ---------------------------------------------------------------------------
# Each operation against finite differences
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("op", [ReLU, Tanh])
def test_activation_backward_matches_finite_differences(op) -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 5))
    z[np.abs(z) < 0.05] = 0.3  # keep away from ReLU's kink
    upstream = rng.normal(size=z.shape)
    layer = op()
    layer.forward(z)
    analytic = layer.backward(upstream)
    numeric = _numeric_grad(lambda: float((op().forward(z) * upstream).sum()), z)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_dense_backward_matches_finite_differences() -> None:
    rng = np.random.default_rng(1)
    x, W, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=2)
    upstream = rng.normal(size=(3, 2))
    layer = Dense(W, b)
    layer.forward(x)
    dx = layer.backward(upstream)
    loss = lambda: float(((x @ W + b) * upstream).sum())  # noqa: E731
    np.testing.assert_allclose(dx, _numeric_grad(loss, x), rtol=1e-6)
    np.testing.assert_allclose(layer.dW, _numeric_grad(loss, W), rtol=1e-6)
    np.testing.assert_allclose(layer.db, _numeric_grad(loss, b), rtol=1e-6)


def test_softmax_cross_entropy_value_and_gradient() -> None:
    logits = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 0.5]])
    y = np.array([0, 2])
    ce = SoftmaxCrossEntropy()
    loss = ce.forward(logits, y)
    expected = -np.mean(np.log(softmax(logits)[[0, 1], y]))
    np.testing.assert_allclose(loss, expected)
    np.testing.assert_allclose(loss, (np.log(1 + np.exp(-2) + np.exp(-3)) + np.log(3)) / 2)
    numeric = _numeric_grad(lambda: SoftmaxCrossEntropy().forward(logits, y), logits)
    np.testing.assert_allclose(ce.backward(), numeric, rtol=1e-6, atol=1e-9)


def test_softmax_is_stable_for_huge_logits() -> None:
    p = softmax(np.array([[1000.0, 0.0], [-1000.0, 1000.0]]))
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


# ---------------------------------------------------------------------------
# The whole network against finite differences
# ---------------------------------------------------------------------------
def _toy(n: int = 12, d: int = 5, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = {"colour": rng.integers(0, 3, n), "shape": rng.integers(0, 4, n)}
    return X, y


@pytest.mark.parametrize(
    ("activation", "embedding_activation", "hidden"),
    [("relu", "linear", (6, 4)), ("tanh", "tanh", (5,)), ("relu", "relu", (7,)), ("tanh", "linear", ())],
)
def test_network_gradient_matches_finite_differences(activation, embedding_activation, hidden) -> None:
    """Every layer type and activation, two heads with unequal weights, and the L2 term."""
    X, y = _toy()
    mlp = MLP(
        hidden,
        3,
        activation=activation,
        embedding_activation=embedding_activation,
        loss_weights={"colour": 0.3, "shape": 0.7},
        alpha=0.01,
        dtype=np.float64,
        random_state=3,
    )
    mlp.loss_and_grad(X, y)  # builds the network: its seeded initial weights
    # Biases start at exactly 0, which can put a ReLU input right on its kink
    # (where no derivative exists); nudge every parameter off it.
    theta = mlp.params_ + np.random.default_rng(4).normal(scale=0.1, size=mlp.params_.shape)
    _, analytic = mlp.loss_and_grad(X, y, theta)
    numeric = _numeric_grad(lambda: mlp.loss_and_grad(X, y, theta)[0], theta)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)


def test_loss_weights_scale_each_head() -> None:
    X, y = _toy()
    losses = {}
    for weights in ({"colour": 1.0, "shape": 0.0}, {"colour": 0.0, "shape": 1.0}, {"colour": 0.3, "shape": 0.7}):
        mlp = MLP((4,), 2, loss_weights=weights, alpha=0.0, dtype=np.float64)
        losses[tuple(weights.values())] = mlp.loss_and_grad(X, y)[0]
    # Same seed, same initial weights: the total is the weighted sum of the two heads.
    np.testing.assert_allclose(losses[(0.3, 0.7)], 0.3 * losses[(1.0, 0.0)] + 0.7 * losses[(0.0, 1.0)])


# ---------------------------------------------------------------------------
# Learning
# ---------------------------------------------------------------------------
def _blobs(n: int = 200, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.normal(size=(n, 2)) + np.where(y[:, None] == 1, 3.0, -3.0)
    return X, y


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_loss_falls_on_a_separable_problem(activation) -> None:
    X, y = _blobs()
    mlp = MLP((8,), 2, activation=activation, max_epochs=30, random_state=0).fit(X, y)
    assert len(mlp.loss_history_) == 30
    assert mlp.loss_history_[-1] < 0.1 * mlp.loss_history_[0]
    assert mlp.score(X, y) == 1.0
    np.testing.assert_allclose(mlp.predict_proba(X).sum(axis=1), 1.0, rtol=1e-5)


def test_same_seed_same_model_other_seed_other_model() -> None:
    X, y = _blobs(80)
    a = MLP((8,), 2, max_epochs=5, random_state=7).fit(X, y)
    b = MLP((8,), 2, max_epochs=5, random_state=7).fit(X, y)
    c = MLP((8,), 2, max_epochs=5, random_state=8).fit(X, y)
    np.testing.assert_array_equal(a.transform(X), b.transform(X))
    assert a.loss_history_ == b.loss_history_
    assert not np.allclose(a.transform(X), c.transform(X))


def test_fit_iter_epochs_and_partial_fit_agree() -> None:
    X, y = _blobs(80)
    fitted = MLP((6,), 2, max_epochs=4, random_state=1).fit(X, y)
    live = MLP((6,), 2, max_epochs=4, random_state=1)
    reports = list(live.iter_epochs(X, y))
    stepped = MLP((6,), 2, max_epochs=4, random_state=1)
    for _ in range(4):
        stepped.partial_fit(X, y)
    assert [r.epoch for r in reports] == [1, 2, 3, 4]
    assert [r.loss for r in reports] == fitted.loss_history_ == stepped.loss_history_
    np.testing.assert_array_equal(fitted.transform(X), stepped.transform(X))


def test_a_head_with_zero_weight_does_not_shape_the_embedding() -> None:
    """With weight 0 on "shape", shuffling the shape labels changes nothing the embedding learns."""
    X, y = _toy(40)
    shuffled = {"colour": y["colour"], "shape": np.random.default_rng(5).permutation(y["shape"])}
    kw = dict(loss_weights={"colour": 1.0, "shape": 0.0}, max_epochs=5, random_state=0, dtype=np.float64)
    a = MLP((6,), 2, **kw).fit(X, y)
    b = MLP((6,), 2, **kw).fit(X, shuffled)
    np.testing.assert_allclose(a.transform(X), b.transform(X))


def test_transform_reads_every_layer() -> None:
    X, y = _blobs(30)
    mlp = MLP((6, 5), 3, max_epochs=1).fit(X, y)
    assert mlp.layer_names_ == ["input", "hidden 1", "hidden 2", "embedding"]
    widths = [mlp.transform(X, layer=name).shape[1] for name in mlp.layer_names_]
    assert widths == [2, 6, 5, 3]
    np.testing.assert_allclose(mlp.transform(X, "input"), X.astype(np.float32))
    assert (mlp.transform(X, "hidden 1") >= 0).all()  # after ReLU


def test_accuracy_is_on_par_with_scikit_learn() -> None:
    """Same data, same sizes, same optimiser: within a few points of MLPClassifier."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from embedcore.shapes import make_coloured_shapes, pixel_features

    data = make_coloured_shapes(900, random_state=2)
    X, y = pixel_features(data.images), data.labels["shape"]
    train, test = slice(0, 600), slice(600, None)
    ours = MLP((32,), 16, embedding_activation="relu", max_epochs=25, learning_rate=0.005, alpha=1e-4, random_state=0)
    ours.fit(X[train], y[train])
    theirs = MLPClassifier(
        hidden_layer_sizes=(32, 16), solver="adam", learning_rate_init=0.005, batch_size=64,
        alpha=1e-4, max_iter=25, random_state=0,
    )
    # 25 epochs may or may not count as converged for sklearn: the warning is not what we test.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs.fit(X[train], y[train])
    ours_acc, theirs_acc = ours.score(X[test], y[test]), theirs.score(X[test], y[test])
    assert theirs_acc > 0.6, "the reference itself should learn the shapes"
    assert ours_acc >= theirs_acc - 0.08, (ours_acc, theirs_acc)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------
def test_bad_input_raises_clear_errors() -> None:
    X, y = _toy()
    with pytest.raises(ValueError, match="NaN"):
        MLP().fit(np.full((3, 2), np.nan), [0, 1, 0])
    with pytest.raises(ValueError, match="shape"):
        MLP().fit(X, np.zeros(len(X) + 1))
    with pytest.raises(ValueError, match="does not have"):
        MLP(loss_weights={"size": 1.0}).fit(X, y)
    with pytest.raises(ValueError, match="positive"):
        MLP(loss_weights={"colour": 0.0, "shape": 0.0}).fit(X, y)
    with pytest.raises(ValueError, match="activation"):
        MLP(activation="sigmoid").fit(X, y)
    with pytest.raises(RuntimeError, match="not fitted"):
        MLP().transform(X)
    mlp = MLP((4,), 2, max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="layer"):
        mlp.transform(X, layer="hidden 9")
    with pytest.raises(ValueError, match="features"):
        mlp.transform(X[:, :3])
    with pytest.raises(ValueError, match="unknown head"):
        mlp.predict(X, head="size")


def test_architecture_reads_every_size_off_the_fitted_weights() -> None:
    from embedcore.nn import architecture

    X, y = _blobs(30)
    mlp = MLP((6, 5), 3, loss_weights={"colour": 0.3, "shape": 0.0}, max_epochs=1).fit(
        X, {"colour": y, "shape": (y + 1) % 3})
    layers = architecture(mlp)
    assert [layer.name for layer in layers] == [*mlp.layer_names_, "colour", "shape"]
    assert [layer.role for layer in layers] == ["input", "hidden", "hidden", "embedding", "head", "head"]
    # Each body layer's units is what transform returns there; each head's, its number of classes.
    assert [layer.units for layer in layers[:4]] == [mlp.transform(X, layer=n).shape[1] for n in mlp.layer_names_]
    assert [layer.units for layer in layers[4:]] == [len(mlp.classes_[h]) for h in ("colour", "shape")]
    assert [layer.weight for layer in layers[4:]] == [0.3, 0.0]
    assert [layer.activation for layer in layers[1:]] == ["relu", "relu", "linear", "softmax", "softmax"]
    with pytest.raises(RuntimeError, match="not fitted"):
        architecture(MLP())
