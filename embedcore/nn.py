"""A small multilayer perceptron in numpy, readable in one sitting.

In the spirit of TensorFlow Playground's ``nn.ts`` and Karpathy's micrograd:
each operation's forward pass sits next to its backward pass, and the whole
network is a list of layers, a named **embedding** layer, and one or more
softmax **heads**, each with a loss weight::

    pixels -> Dense -> ReLU -> ... -> Dense (embedding) -> Dense -> softmax   head "colour"
                                                       \\-> Dense -> softmax   head "shape"

    loss = sum over heads k of  w_k * mean cross-entropy_k  +  alpha/2 * sum ||W||^2

So one network can learn colour (w = 1, 0), shape (w = 0, 1) or a mix. The
API follows scikit-learn: ``fit``, ``partial_fit`` (one epoch),
``iter_epochs`` (live training, one epoch per step), ``predict``,
``transform`` (read any layer, by default the embedding) and
``loss_history_``. Training is mini-batch Adam; all randomness (initial
weights, batch order) comes from ``random_state``.

References
----------
Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization", ICLR.
He et al. (2015), "Delving Deep into Rectifiers" (initialisation for ReLU).
Glorot & Bengio (2010), "Understanding the difficulty of training deep
feedforward neural networks" (initialisation for tanh).
Smilkov & Carter (2016), TensorFlow Playground, ``src/nn.ts``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Activation = Literal["relu", "tanh", "linear"]
ACTIVATIONS: tuple[str, ...] = ("relu", "tanh", "linear")

Array = NDArray[np.floating]


# ---------------------------------------------------------------------------
# Operations: each forward next to its backward
# ---------------------------------------------------------------------------
class Dense:
    """A fully connected layer, ``out = x W + b``.

    x (n, n_in) -> out (n, n_out). ``backward`` takes d loss / d out and
    returns d loss / d x, storing ``dW`` and ``db`` on the way.

    Every layer's ``forward`` remembers what its ``backward`` needs only when
    ``keep`` is true (training). Reading a trained network passes
    ``keep=False``, so one trained model can serve many readers at once.
    """

    def __init__(self, W: Array, b: Array) -> None:
        self.W, self.b = W, b
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)

    def forward(self, x: Array, keep: bool = True) -> Array:
        if keep:  # remember the input for backward (training only)
            self._x = x
        return x @ self.W + self.b

    def backward(self, grad: Array) -> Array:
        # out = x W + b  =>  dW = x^T grad, db = sum over rows of grad, dx = grad W^T
        self.dW = self._x.T @ grad
        self.db = grad.sum(axis=0)
        return grad @ self.W.T

    def forget(self) -> None:
        """Drop what training kept (the last batch and its gradients) to save memory."""
        self._x = self.dW = self.db = None


class ReLU:
    """``max(0, z)``; its slope is 1 where z > 0 and 0 elsewhere."""

    def forward(self, z: Array, keep: bool = True) -> Array:
        if keep:
            self._on = z > 0
        return np.maximum(z, 0.0)

    def backward(self, grad: Array) -> Array:
        return grad * self._on

    def forget(self) -> None:
        self._on = None


class Tanh:
    """``tanh(z)``; its slope is ``1 - tanh(z)^2``."""

    def forward(self, z: Array, keep: bool = True) -> Array:
        out = np.tanh(z)
        if keep:
            self._out = out
        return out

    def backward(self, grad: Array) -> Array:
        return grad * (1.0 - self._out**2)

    def forget(self) -> None:
        self._out = None


class Identity:
    """No activation: a linear layer (used for the embedding by default)."""

    def forward(self, z: Array, keep: bool = True) -> Array:
        return z

    def backward(self, grad: Array) -> Array:
        return grad

    def forget(self) -> None:
        pass


def _activation(name: str) -> ReLU | Tanh | Identity:
    return {"relu": ReLU, "tanh": Tanh, "linear": Identity}[name]()


class SoftmaxCrossEntropy:
    """Mean cross-entropy of softmax probabilities against integer labels.

    logits (n, n_classes), y (n,) -> loss (scalar). The gradient is the
    classic ``(softmax(logits) - onehot(y)) / n``.
    """

    def forward(self, logits: Array, y: NDArray[np.int64]) -> float:
        # Subtract the row max first: softmax is unchanged and exp cannot overflow.
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self._p, self._y = np.exp(log_p), y
        return float(-log_p[np.arange(len(y)), y].mean())

    def backward(self) -> Array:
        grad = self._p.copy()
        grad[np.arange(len(self._y)), self._y] -= 1.0
        return grad / len(self._y)

    def forget(self) -> None:
        self._p = self._y = None


def softmax(logits: Array) -> Array:
    """Row-wise softmax, (n, k) -> (n, k); rows sum to 1."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class Adam:
    """Adam: per-parameter steps from running means of the gradient and its square.

    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p -= lr * m_hat / (sqrt(v_hat) + eps)
    where ``m_hat``, ``v_hat`` undo the start-up bias towards zero. It works on
    one flat vector of all parameters, which is much faster in numpy than a
    loop over many small arrays.
    """

    def __init__(self, n_params: int, lr: float, b1: float = 0.9, b2: float = 0.999, dtype: type = np.float32) -> None:
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, 1e-8
        self.m = np.zeros(n_params, dtype=dtype)
        self.v = np.zeros(n_params, dtype=dtype)
        self.t = 0

    def step(self, params: Array, grad: Array) -> None:
        """Update the flat vector ``params`` in place, given its gradient."""
        self.t += 1
        self.m += (1 - self.b1) * (grad - self.m)  # = b1 m + (1 - b1) g
        self.v += (1 - self.b2) * (grad * grad - self.v)
        m_hat = self.m / (1 - self.b1**self.t)
        v_hat = self.v / (1 - self.b2**self.t)
        params -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


# ---------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class EpochReport:
    """What one training epoch reports to a live view."""

    epoch: int
    n_epochs: int
    loss: float
    head_losses: dict[str, float]


def _init_dense(n_in: int, n_out: int, activation: str, rng: np.random.Generator, dtype: type) -> Dense:
    # He init keeps ReLU activations' variance steady layer to layer; Glorot suits tanh/linear.
    scale = np.sqrt(2.0 / n_in) if activation == "relu" else np.sqrt(1.0 / n_in)
    W = (rng.standard_normal((n_in, n_out)) * scale).astype(dtype)
    return Dense(W, np.zeros(n_out, dtype=dtype))


class MLP:
    """A multilayer perceptron with a named embedding layer and weighted softmax heads.

    Parameters
    ----------
    hidden_sizes : tuple of int
        Widths of the hidden layers before the embedding (may be empty).
    embedding_size : int
        Width of the embedding layer, the last layer before the heads. A
        narrow embedding (2-8) is a bottleneck: it keeps little beyond what
        the loss asks for.
    activation : {"relu", "tanh", "linear"}
        Non-linearity of the hidden layers.
    embedding_activation : {"linear", "relu", "tanh"}
        Non-linearity of the embedding layer; linear by default, so the heads
        (and linear probes) read it directly.
    loss_weights : mapping of str to float, optional
        Weight of each head's loss, e.g. ``{"colour": 0.3, "shape": 0.7}``.
        Each name must be a key of the ``y`` given to ``fit``. A head with
        weight 0 is built but never rewarded. Default: weight 1 for every
        label in ``y``.
    learning_rate : float
        Adam's step size.
    batch_size : int
    max_epochs : int
        Number of passes over the data in ``fit`` / ``iter_epochs``.
    alpha : float
        L2 penalty on the weights (not the biases).
    random_state : int
        Seed for the initial weights and the batch order.
    dtype : numpy float type
        ``np.float32`` (fast) or ``np.float64`` (for gradient checks).

    Attributes
    ----------
    layers_ : list
        The body, input to embedding: Dense and activation layers in turn.
    heads_ : dict of str to Dense
        One output layer per label.
    classes_ : dict of str to ndarray
        The sorted class labels of each head.
    weights_ : dict of str to float
        The loss weight of each head (0 for heads not named in ``loss_weights``).
    layer_names_ : list of str
        Names accepted by :meth:`transform`: ``"input"``, ``"hidden 1"``, ...,
        ``"embedding"``.
    loss_history_ : list of float
        Mean training loss (weighted sum over heads) of each epoch.
    head_loss_history_ : dict of str to list of float
        Each head's mean cross-entropy per epoch (unweighted).
    n_epochs_ : int
        Epochs trained so far.

    Examples
    --------
    >>> mlp = MLP(hidden_sizes=(16,), embedding_size=2, max_epochs=5)
    >>> mlp.fit(X, {"colour": colour, "shape": shape})  # doctest: +SKIP
    >>> Z = mlp.transform(X)  # doctest: +SKIP          # (n, 2) embedding
    """

    def __init__(
        self,
        hidden_sizes: tuple[int, ...] = (64,),
        embedding_size: int = 4,
        *,
        activation: Activation = "relu",
        embedding_activation: Activation = "linear",
        loss_weights: Mapping[str, float] | None = None,
        learning_rate: float = 0.005,
        batch_size: int = 64,
        max_epochs: int = 30,
        alpha: float = 1e-4,
        random_state: int = 0,
        dtype: type = np.float32,
    ) -> None:
        self.hidden_sizes = hidden_sizes
        self.embedding_size = embedding_size
        self.activation = activation
        self.embedding_activation = embedding_activation
        self.loss_weights = loss_weights
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.alpha = alpha
        self.random_state = random_state
        self.dtype = dtype

    # -- validation ---------------------------------------------------------
    def _validate_params(self) -> None:
        sizes = tuple(int(h) for h in self.hidden_sizes)
        if any(h < 1 for h in sizes) or int(self.embedding_size) < 1:
            raise ValueError("layer sizes must be at least 1")
        for name in (self.activation, self.embedding_activation):
            if name not in ACTIVATIONS:
                raise ValueError(f"unknown activation {name!r}; choose one of {ACTIVATIONS}")
        if self.learning_rate <= 0 or int(self.batch_size) < 1 or int(self.max_epochs) < 0:
            raise ValueError("learning_rate and batch_size must be positive, max_epochs >= 0")

    def _check_X(self, X: ArrayLike) -> Array:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or len(X) == 0:
            raise ValueError(f"X must be a non-empty 2-D array (n_samples, n_features), got shape {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("X contains NaN or infinite values")
        if hasattr(self, "n_features_in_") and X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, the network expects {self.n_features_in_}")
        return X

    def _check_y(self, y: ArrayLike | Mapping[str, ArrayLike], n: int) -> dict[str, NDArray[np.int64]]:
        """Labels as {head: class indices}; a plain array is one head named "y"."""
        ys = dict(y) if isinstance(y, Mapping) else {"y": y}
        if not ys:
            raise ValueError("y has no labels")
        out: dict[str, NDArray[np.int64]] = {}
        for name, labels in ys.items():
            labels = np.asarray(labels)
            if labels.shape != (n,):
                raise ValueError(f"labels {name!r} must have shape ({n},), got {labels.shape}")
            if hasattr(self, "classes_"):
                known = self.classes_[name]
                idx = np.searchsorted(known, labels)
                if np.any(idx >= len(known)) or np.any(known[np.minimum(idx, len(known) - 1)] != labels):
                    raise ValueError(f"labels {name!r} contain classes unseen in the first fit")
            else:
                idx = np.unique(labels, return_inverse=True)[1]
            out[name] = idx.astype(np.int64)
        return out

    def _weights(self, heads: list[str]) -> dict[str, float]:
        given = dict(self.loss_weights) if self.loss_weights is not None else {h: 1.0 for h in heads}
        unknown = set(given) - set(heads)
        if unknown:
            raise ValueError(f"loss_weights name heads {sorted(unknown)} that y does not have {heads}")
        weights = {h: float(given.get(h, 0.0)) for h in heads}
        if any(w < 0 or not np.isfinite(w) for w in weights.values()):
            raise ValueError(f"loss weights must be finite and >= 0, got {weights}")
        if sum(weights.values()) <= 0:
            raise ValueError("at least one loss weight must be positive: with no loss there is nothing to learn")
        return weights

    # -- building -------------------------------------------------------------
    def _build(self, X: Array, y: Mapping[str, ArrayLike] | ArrayLike) -> None:
        self._validate_params()
        ys = dict(y) if isinstance(y, Mapping) else {"y": y}
        self.classes_ = {name: np.unique(np.asarray(labels)) for name, labels in ys.items()}
        self.weights_ = self._weights(list(self.classes_))
        self._rng = np.random.default_rng(self.random_state)
        sizes = [X.shape[1], *(int(h) for h in self.hidden_sizes), int(self.embedding_size)]
        acts = [self.activation] * len(self.hidden_sizes) + [self.embedding_activation]
        self.layers_: list = []
        for n_in, n_out, act in zip(sizes[:-1], sizes[1:], acts):
            self.layers_ += [_init_dense(n_in, n_out, act, self._rng, self.dtype), _activation(act)]
        # Heads are built in sorted order so that two networks with the same
        # labels and seed start from the same weights, whatever their loss weights.
        self.heads_ = {
            name: _init_dense(sizes[-1], len(self.classes_[name]), "linear", self._rng, self.dtype)
            for name in sorted(self.classes_)
        }
        self._losses = {name: SoftmaxCrossEntropy() for name in self.heads_}
        self._flatten_params()
        self._optimizer = Adam(len(self._theta), lr=self.learning_rate, dtype=self.dtype)
        self.layer_names_ = ["input", *(f"hidden {i + 1}" for i in range(len(self.hidden_sizes))), "embedding"]
        self.n_features_in_ = X.shape[1]
        self.loss_history_: list[float] = []
        self.head_loss_history_: dict[str, list[float]] = {name: [] for name in self.heads_}
        self.n_epochs_ = 0

    def _dense_layers(self) -> list[Dense]:
        return [layer for layer in self.layers_ if isinstance(layer, Dense)] + list(self.heads_.values())

    def _flatten_params(self) -> None:
        """Put every W and b in one flat vector ``_theta``; the layers keep views of it.

        The optimiser then updates all parameters with a few vector operations.
        ``_decay`` is ``alpha`` on weights and 0 on biases (biases are not penalised).
        """
        arrays = [p for d in self._dense_layers() for p in (d.W, d.b)]
        self._theta = np.concatenate([p.ravel() for p in arrays])
        self._decay = np.concatenate(
            [np.full(p.size, self.alpha if i % 2 == 0 else 0.0, dtype=self.dtype) for i, p in enumerate(arrays)]
        )
        offset = 0
        for d in self._dense_layers():
            d.W = self._theta[offset : offset + d.W.size].reshape(d.W.shape)
            offset += d.W.size
            d.b = self._theta[offset : offset + d.b.size]
            offset += d.b.size

    def _flat_grad(self) -> Array:
        # The L2 penalty alpha/2 ||W||^2 adds alpha W to each weight gradient.
        grads = np.concatenate([g.ravel() for d in self._dense_layers() for g in (d.dW, d.db)])
        return grads + self._decay * self._theta

    # -- one step of maths ----------------------------------------------------
    def _embed(self, X: Array) -> Array:
        for layer in self.layers_:
            X = layer.forward(X)
        return X

    def _loss_and_backward(self, X: Array, ys: Mapping[str, NDArray[np.int64]]) -> tuple[float, dict[str, float]]:
        """Forward and backward pass on a batch; fills every layer's gradients.

        Returns the weighted total loss (with the L2 term) and each head's
        cross-entropy.
        """
        emb = self._embed(X)
        total, head_losses = 0.0, {}
        d_emb = np.zeros_like(emb)
        for name, head in self.heads_.items():
            head_losses[name] = self._losses[name].forward(head.forward(emb), ys[name])
            w = self.weights_[name]
            total += w * head_losses[name]
            # Every head reads the embedding, so their gradients add up there.
            d_emb += head.backward(w * self._losses[name].backward())
        grad = d_emb
        for layer in reversed(self.layers_):
            grad = layer.backward(grad)
        total += 0.5 * float(self._decay @ (self._theta * self._theta))
        return total, head_losses

    def _epoch(self, X: Array, ys: Mapping[str, NDArray[np.int64]]) -> EpochReport:
        order = self._rng.permutation(len(X))
        bs = int(self.batch_size)
        sums, total = {name: 0.0 for name in self.heads_}, 0.0
        for start in range(0, len(X), bs):
            idx = order[start : start + bs]
            loss, head_losses = self._loss_and_backward(X[idx], {k: v[idx] for k, v in ys.items()})
            self._optimizer.step(self._theta, self._flat_grad())
            total += loss * len(idx)
            for name in sums:
                sums[name] += head_losses[name] * len(idx)
        # A trained model may be kept (and shared) for a long time: drop the last batch.
        for op in (*self.layers_, *self.heads_.values(), *self._losses.values()):
            op.forget()
        self.n_epochs_ += 1
        self.loss_history_.append(total / len(X))
        for name in sums:
            self.head_loss_history_[name].append(sums[name] / len(X))
        return EpochReport(
            self.n_epochs_, int(self.max_epochs), self.loss_history_[-1], {k: v / len(X) for k, v in sums.items()}
        )

    # -- public API -----------------------------------------------------------
    def iter_epochs(self, X: ArrayLike, y: ArrayLike | Mapping[str, ArrayLike]) -> Iterator[EpochReport]:
        """Train from scratch for ``max_epochs``, yielding after each epoch.

        For live views: ``for report in mlp.iter_epochs(X, y): draw(report)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or mapping of str to such arrays
            One label array per head.
        """
        for name in ("n_features_in_", "classes_"):
            self.__dict__.pop(name, None)  # a fresh fit forgets the previous shapes
        X = self._check_X(X)
        self._build(X, y)
        ys = self._check_y(y, len(X))
        for _ in range(int(self.max_epochs)):
            yield self._epoch(X, ys)

    def fit(self, X: ArrayLike, y: ArrayLike | Mapping[str, ArrayLike]) -> MLP:
        """Train from scratch for ``max_epochs`` epochs; returns ``self``."""
        for _ in self.iter_epochs(X, y):
            pass
        return self

    def partial_fit(self, X: ArrayLike, y: ArrayLike | Mapping[str, ArrayLike]) -> MLP:
        """One more epoch over ``X`` (building the network on the first call)."""
        if not hasattr(self, "layers_"):
            X = self._check_X(X)
            self._build(X, y)
        X = self._check_X(X)
        self._epoch(X, self._check_y(y, len(X)))
        return self

    @property
    def params_(self) -> Array:
        """Every weight and bias in one flat vector, shape (n_params,) (a copy)."""
        self._check_fitted()
        return self._theta.copy()

    def loss_and_grad(
        self, X: ArrayLike, y: ArrayLike | Mapping[str, ArrayLike], params: ArrayLike | None = None
    ) -> tuple[float, Array]:
        """The training loss on ``(X, y)`` and its gradient with respect to :attr:`params_`.

        The loss is what training minimises: the weighted sum of the heads'
        cross-entropies plus the L2 term. An unfitted network is first built
        (its seeded initial weights), as :meth:`partial_fit` does.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or mapping of str to such arrays
        params : array-like of shape (n_params,), optional
            Weights to set first (as laid out in :attr:`params_`).

        Returns
        -------
        loss : float
        grad : ndarray of shape (n_params,)
        """
        X = self._check_X(X)
        if not hasattr(self, "layers_"):
            self._build(X, y)
        if params is not None:
            self._theta[:] = np.asarray(params, dtype=self._theta.dtype).reshape(self._theta.shape)
        loss, _ = self._loss_and_backward(X, self._check_y(y, len(X)))
        grad = self._flat_grad().copy()
        for op in (*self.layers_, *self.heads_.values(), *self._losses.values()):
            op.forget()
        return loss, grad

    def _check_fitted(self) -> None:
        if not hasattr(self, "layers_"):
            raise RuntimeError("this MLP is not fitted yet; call fit(X, y) first")

    def _head(self, head: str | None) -> str:
        if head is None:
            # The head the loss cares most about (ties: the first by name).
            return max(sorted(self.weights_), key=lambda h: self.weights_[h])
        if head not in self.heads_:
            raise ValueError(f"unknown head {head!r}; this network has {list(self.heads_)}")
        return head

    def transform(self, X: ArrayLike, layer: str = "embedding") -> Array:
        """Read a layer: (n_samples, n_features) -> (n_samples, layer width).

        Parameters
        ----------
        layer : str
            One of :attr:`layer_names_`: ``"input"`` returns ``X`` itself,
            ``"hidden k"`` the k-th hidden layer after its activation, and
            ``"embedding"`` the embedding layer.
        """
        self._check_fitted()
        X = self._check_X(X)
        if layer not in self.layer_names_:
            raise ValueError(f"unknown layer {layer!r}; choose one of {self.layer_names_}")
        depth = self.layer_names_.index(layer)  # 0 = input
        for op in self.layers_[: 2 * depth]:  # a Dense and its activation per depth step
            X = op.forward(X, keep=False)
        return X

    def predict_proba(self, X: ArrayLike, head: str | None = None) -> Array:
        """Class probabilities of one head, (n_samples, n_classes of that head)."""
        self._check_fitted()
        name = self._head(head)
        return softmax(self.heads_[name].forward(self.transform(X), keep=False))

    def predict(self, X: ArrayLike, head: str | None = None) -> NDArray:
        """Predicted class of one head (by default the most weighted), shape (n_samples,)."""
        name = self._head(head)
        return self.classes_[name][self.predict_proba(X, head=name).argmax(axis=1)]

    def score(self, X: ArrayLike, y: ArrayLike, head: str | None = None) -> float:
        """Accuracy of one head on ``(X, y)``."""
        return float(np.mean(self.predict(X, head=head) == np.asarray(y)))


# ---------------------------------------------------------------------------
# The network's shape, read off a trained model (for drawing it)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LayerShape:
    """One layer of a trained :class:`MLP`, as a diagram draws it.

    Attributes
    ----------
    name : str
        ``"input"``, ``"hidden 1"``, ..., ``"embedding"`` (:attr:`MLP.layer_names_`), or a head's label.
    units : int
        Numbers per example at this layer (a head: its number of classes).
    role : {"input", "hidden", "embedding", "head"}
    activation : str
        The layer's non-linearity ("relu", "tanh", "linear"; "softmax" for a head; "" for the input).
    weight : float
        A head's loss weight (:attr:`MLP.weights_`); 1.0 for the other layers.
    """

    name: str
    units: int
    role: str
    activation: str = ""
    weight: float = 1.0


def architecture(model: MLP) -> tuple[LayerShape, ...]:
    """The layers of a trained ``model`` in order: input, hidden layers, embedding, then each head.

    Every size is read from the fitted weights (``W`` of shape (n_in, n_out)),
    never from the settings, so a drawing of it shows the network that was trained.
    """
    model._check_fitted()
    dense = [layer for layer in model.layers_ if isinstance(layer, Dense)]
    shapes = [LayerShape("input", int(model.n_features_in_), "input")]
    for name, layer in zip(model.layer_names_[1:], dense):
        role = "embedding" if name == "embedding" else "hidden"
        activation = model.embedding_activation if role == "embedding" else model.activation
        shapes.append(LayerShape(name, int(layer.W.shape[1]), role, str(activation)))
    for name, head in model.heads_.items():
        shapes.append(LayerShape(name, int(head.W.shape[1]), "head", "softmax", float(model.weights_[name])))
    return tuple(shapes)
