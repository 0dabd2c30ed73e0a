"""One experiment = features + architecture + loss, trained and measured.

An :class:`Experiment` is a frozen, hashable record of every choice behind a
trained model - the data and seed, the feature groups (the *features*
lever), the layer sizes and activation (the *architecture* lever) and the
head weights (the *loss* lever). :func:`run` trains it and measures it:
each head's accuracy on held-out images, and linear probes on the
embedding for every label (what the embedding kept), themselves fitted and
scored on held-out images. :func:`run_together`
trains several experiments epoch by epoch in lock step, which is how the
page trains its twin models side by side.

Because an experiment is hashable and fully seeded, a UI can cache a
:class:`Result` by its experiment: the same settings always give the same
model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from embedcore.nn import MLP, LayerShape, architecture
from embedcore.probes import ProbeResult, probe_embedding
from embedcore.projection import project_2d
from embedcore.shapes import DATASETS, FEATURE_GROUPS, ImageData, pixel_features

#: Default noise of each dataset's pixels.
NOISE: dict[str, float] = {"shapes": 0.1, "vehicles": 0.08}
#: Epochs that train each dataset's default network well (see benchmarks/bench_nn.py).
EPOCHS: dict[str, int] = {"shapes": 25, "vehicles": 50}
#: Largest sizes a UI may ask for (keeps one training run to seconds).
MAX_TRAIN, MAX_TEST, MAX_WIDTH, MAX_DEPTH = 5000, 2000, 256, 4


@dataclass(frozen=True)
class Experiment:
    """Every setting behind one trained model (hashable, so it can key a cache).

    Parameters
    ----------
    dataset : {"shapes", "vehicles"}
        Key of :data:`embedcore.shapes.DATASETS`.
    n_train, n_test : int
        Training images, and held-out images for accuracies and probes.
    features : tuple of str
        Feature groups the model sees (:data:`embedcore.shapes.FEATURE_GROUPS`).
    hidden_sizes : tuple of int
        Hidden layers before the embedding.
    embedding_size : int
        Width of the embedding layer.
    activation : {"relu", "tanh"}
    loss_weights : tuple of (str, float)
        Weight of each head, e.g. ``(("colour", 1.0), ("shape", 0.0))``.
        Labels of the dataset not named here get weight 0.
    epochs, learning_rate, batch_size
        Training schedule (mini-batch Adam).
    seed : int
        Seeds the images and the network alike.
    """

    dataset: str = "shapes"
    n_train: int = 1200
    n_test: int = 400
    features: tuple[str, ...] = ("red", "green", "blue")
    hidden_sizes: tuple[int, ...] = (64,)
    embedding_size: int = 2
    activation: str = "relu"
    loss_weights: tuple[tuple[str, float], ...] = (("colour", 1.0), ("shape", 0.0))
    epochs: int = 25
    learning_rate: float = 0.005
    batch_size: int = 64
    seed: int = 0

    def with_(self, **changes: object) -> Experiment:
        """A copy with some settings changed (``dataclasses.replace``)."""
        return replace(self, **changes)

    def weights(self) -> dict[str, float]:
        return {name: float(w) for name, w in self.loss_weights}

    def describe(self) -> dict[str, object]:
        """The settings as a flat dict of plain values, for a log row (levers first)."""
        return {
            "dataset": self.dataset,
            "train pictures": self.n_train,
            "features": "+".join(self.features),
            "hidden": "-".join(str(h) for h in self.hidden_sizes) or "none",
            "embedding": self.embedding_size,
            "activation": self.activation,
            "loss": ", ".join(f"{n}={w:g}" for n, w in self.loss_weights),
            "epochs": self.epochs,
            "learning rate": self.learning_rate,
            "batch": self.batch_size,
            "test pictures": self.n_test,
            "seed": self.seed,
        }

    def validate(self) -> None:
        """Raise ``ValueError`` with a readable message for any bad setting."""
        if self.dataset not in DATASETS:
            raise ValueError(f"unknown dataset {self.dataset!r}; choose one of {list(DATASETS)}")
        if not 10 <= self.n_train <= MAX_TRAIN or not 10 <= self.n_test <= MAX_TEST:
            raise ValueError(f"use 10-{MAX_TRAIN} training and 10-{MAX_TEST} test images")
        if not self.features:
            raise ValueError("choose at least one feature group: a model with no input learns nothing")
        unknown = [f for f in self.features if f not in FEATURE_GROUPS]
        if unknown:
            raise ValueError(f"unknown feature group(s) {unknown}")
        if len(self.hidden_sizes) > MAX_DEPTH or any(not 1 <= h <= MAX_WIDTH for h in self.hidden_sizes):
            raise ValueError(f"use at most {MAX_DEPTH} hidden layers of 1-{MAX_WIDTH} units")
        if not 1 <= self.embedding_size <= MAX_WIDTH:
            raise ValueError(f"the embedding needs 1-{MAX_WIDTH} units")
        if not 1 <= self.epochs <= 200:
            raise ValueError("use 1-200 epochs")
        if sum(w for _, w in self.loss_weights) <= 0 or any(w < 0 for _, w in self.loss_weights):
            raise ValueError("give at least one head a positive loss weight (and none a negative one)")


@dataclass
class Result:
    """A trained experiment and what it measured.

    Attributes
    ----------
    experiment : Experiment
    model : MLP
        The trained network (treat as read-only: it may be shared).
    accuracy : dict of str to float
        Held-out accuracy of each head with a positive loss weight.
    probes : dict of str to ProbeResult
        Linear probes on the embedding, one per label of the dataset,
        fitted on the first half of the held-out pictures and scored on
        the second half.
    train_seconds : float
        Wall-clock training time (excluding data generation and probes).
    test_embedding : ndarray of shape (n_test, embedding_size)
    test_labels : dict of str to ndarray of shape (n_test,)
    label_names : dict of str to tuple of str
    """

    experiment: Experiment
    model: MLP
    accuracy: dict[str, float]
    probes: dict[str, ProbeResult]
    train_seconds: float
    test_embedding: NDArray[np.floating]
    test_labels: dict[str, NDArray[np.int64]]
    label_names: dict[str, tuple[str, ...]]
    loss_history: list[float] = field(default_factory=list)
    #: The held-out pictures' embedding after each epoch (row i: after epoch i + 1),
    #: shape (epochs, n_test, embedding_size), float32: what :func:`replay` plays back.
    embedding_history: NDArray[np.float32] | None = None


def load_data(experiment: Experiment) -> tuple[ImageData, ImageData]:
    """The experiment's (train, test) images: one seeded draw, split in two."""
    make = DATASETS[experiment.dataset]
    data = make(
        experiment.n_train + experiment.n_test,
        noise=NOISE[experiment.dataset],
        random_state=experiment.seed,
    )
    return data.subset(slice(0, experiment.n_train)), data.subset(slice(experiment.n_train, None))


def fresh_images(experiment: Experiment, n_samples: int) -> ImageData:
    """New images from the same generator that the model has never seen (for maps)."""
    make = DATASETS[experiment.dataset]
    # A far-away seed: the same distribution, different images.
    return make(n_samples, noise=NOISE[experiment.dataset], random_state=experiment.seed + 10_007)


def features(experiment: Experiment, data: ImageData) -> NDArray[np.float64]:
    """The experiment's input features of ``data``: (n_samples, n_features)."""
    return pixel_features(data.images, experiment.features)


def build_model(experiment: Experiment, label_names: Sequence[str]) -> MLP:
    """An untrained network for ``experiment``; heads for every label."""
    weights = experiment.weights()
    unknown = set(weights) - set(label_names)
    if unknown:
        raise ValueError(f"loss weights name {sorted(unknown)}, but the data has labels {list(label_names)}")
    return MLP(
        hidden_sizes=tuple(experiment.hidden_sizes),
        embedding_size=experiment.embedding_size,
        activation=experiment.activation,  # type: ignore[arg-type]
        loss_weights={name: weights.get(name, 0.0) for name in label_names},
        learning_rate=experiment.learning_rate,
        batch_size=experiment.batch_size,
        max_epochs=experiment.epochs,
        random_state=experiment.seed,
    )


#: Called after every epoch with (epoch, n_epochs, latest loss of each model).
OnEpoch = Callable[[int, int, list[float]], None]


def run_together(experiments: Sequence[Experiment], on_epoch: OnEpoch | None = None) -> list[Result]:
    """Train several experiments side by side, one epoch of each in turn.

    Parameters
    ----------
    experiments : sequence of Experiment
    on_epoch : callable, optional
        ``on_epoch(epoch, n_epochs, losses)`` after each epoch of every
        model, for live progress bars and loss curves; ``losses[i]`` is
        model ``i``'s mean training loss in that epoch (``nan`` once a shorter
        run has finished).

    Returns
    -------
    list of Result
        In the order of ``experiments``.
    """
    for experiment in experiments:
        experiment.validate()
    runs = []
    for experiment in experiments:
        train, test = load_data(experiment)
        model = build_model(experiment, list(train.labels))
        X_train = features(experiment, train)
        runs.append((experiment, train, test, X_train, model, model.iter_epochs(X_train, train.labels)))
    # Snapshots of each model's held-out embedding, epoch by epoch, so a page can replay the training.
    X_tests = [features(experiment, test) for experiment, _, test, *_ in runs]
    history: list[list[NDArray[np.float32]]] = [[] for _ in runs]
    seconds = [0.0] * len(runs)
    n_epochs = max(e.epochs for e in experiments)
    for epoch in range(1, n_epochs + 1):
        losses = []
        for i, (experiment, *_, model, epochs) in enumerate(runs):
            if epoch > experiment.epochs:
                losses.append(float("nan"))
                continue
            start = time.perf_counter()
            losses.append(next(epochs).loss)
            seconds[i] += time.perf_counter() - start
            history[i].append(model.transform(X_tests[i]).astype(np.float32))
        if on_epoch is not None:
            on_epoch(epoch, n_epochs, losses)
    return [
        _measure(experiment, model, train, test, seconds[i], np.stack(history[i]))
        for i, (experiment, train, test, _, model, _) in enumerate(runs)
    ]


def run(experiment: Experiment, on_epoch: OnEpoch | None = None) -> Result:
    """Train one experiment and measure it (see :func:`run_together`)."""
    return run_together([experiment], on_epoch)[0]


def _measure(
    experiment: Experiment,
    model: MLP,
    train: ImageData,
    test: ImageData,
    seconds: float,
    embedding_history: NDArray[np.float32] | None = None,
) -> Result:
    X_test = features(experiment, test)
    weights = experiment.weights()
    accuracy = {
        name: model.score(X_test, test.labels[name], head=name)
        for name in train.labels
        if weights.get(name, 0.0) > 0
    }
    Z_test = model.transform(X_test)
    # The probes learn on one half of the held-out pictures and are scored on
    # the other half, so a probe is as good with 60 training pictures as with
    # 3,000: it measures the embedding, not the size of the training set.
    half = len(X_test) // 2
    fit, score = slice(0, half), slice(half, None)
    probes = probe_embedding(
        Z_test[fit],
        {k: v[fit] for k, v in test.labels.items()},
        Z_test[score],
        {k: v[score] for k, v in test.labels.items()},
    )
    return Result(
        experiment=experiment,
        model=model,
        accuracy=accuracy,
        probes=probes,
        train_seconds=seconds,
        test_embedding=Z_test,
        test_labels=test.labels,
        label_names=train.label_names,
        loss_history=list(model.loss_history_),
        embedding_history=embedding_history,
    )


@dataclass(frozen=True)
class Replay:
    """Training played back: the held-out embedding's 2-D map at some epochs.

    Attributes
    ----------
    epochs : ndarray of shape (n_frames,)
        The epoch each frame shows the end of (1 = after the first pass).
    maps : ndarray of shape (n_frames, n_test, 2)
        Each frame's points, on the same two axes for every frame: the
        final embedding's first two principal axes (the raw numbers when
        the embedding has two), so points move between frames only
        because training moved them.
    loss : ndarray of shape (n_frames,)
        The mean training loss of the epoch each frame ends.
    """

    epochs: NDArray[np.int64]
    maps: NDArray[np.float64]
    loss: NDArray[np.float64]


def replay(result: Result, max_frames: int = 26) -> Replay:
    """Pick up to ``max_frames`` evenly spaced epochs of ``result``'s training, always with the first and last."""
    history = result.embedding_history
    if history is None:
        raise ValueError("this result was trained without embedding snapshots")
    if max_frames < 2:
        raise ValueError(f"max_frames must be at least 2, got {max_frames}")
    rows = np.unique(np.linspace(0, len(history) - 1, min(max_frames, len(history))).round().astype(np.int64))
    H = np.asarray(history[rows], dtype=np.float64)  # (n_frames, n_test, width)
    final = np.asarray(history[-1], dtype=np.float64)
    centre = final.mean(axis=0)
    if final.shape[1] <= 2:
        axes = np.eye(final.shape[1], 2)
    else:  # the final map's principal axes, (width, 2)
        _, _, Vt = np.linalg.svd(final - centre, full_matrices=False)
        axes = Vt[:2].T
    maps = (H - centre) @ axes
    loss = np.asarray(result.loss_history, dtype=np.float64)[rows]
    return Replay(epochs=rows + 1, maps=maps, loss=loss)


#: The heads (labels a loss can reward) of each dataset, in the order the page shows them.
HEADS: dict[str, tuple[str, ...]] = {"shapes": ("colour", "shape"), "vehicles": ("taxi", "colour", "vehicle")}

#: The twin models: letter -> the one label its loss rewards (model A names the colour, B the shape).
TWINS: dict[str, str] = {"A": "colour", "B": "shape"}


def designed(
    dataset: str,
    *,
    n_train: int,
    features: Sequence[str],
    depth: int,
    hidden: int,
    embedding: int,
    activation: str,
    weights: Mapping[str, float],
    seed: int = 0,
) -> Experiment:
    """The experiment a student designs with the three levers (features and data, architecture, loss) and luck.

    ``depth`` hidden layers of ``hidden`` units each; ``weights`` gives each of
    the dataset's :data:`HEADS` its weight (rounded to 2 places; a head not
    named gets 0); ``seed`` draws the pictures and the starting weights.
    """
    return Experiment(
        dataset=dataset,
        n_train=int(n_train),
        features=tuple(features),
        hidden_sizes=(int(hidden),) * int(depth),
        embedding_size=int(embedding),
        activation=activation,
        loss_weights=tuple((head, round(float(weights.get(head, 0.0)), 2)) for head in HEADS[dataset]),
        epochs=EPOCHS[dataset],
        seed=int(seed),
    )


def taxi_models(
    n_train: int, *, yellowness: bool = False, colour_head: bool = False, colour_weight: float = 0.5
) -> list[tuple[str, Experiment]]:
    """The taxi example's models, by name: the baseline, each chosen lever on its own, and both together.

    The feature lever gives the model *yellowness* instead of the colour
    channels; the loss lever adds a colour head of weight ``colour_weight``
    (no lever at all when the weight is 0). With both levers on, each is also
    trained alone, so every lever is compared with the same baseline.
    """
    base = Experiment(
        dataset="vehicles",
        n_train=int(n_train),
        hidden_sizes=(32,),
        embedding_size=8,
        loss_weights=(("taxi", 1.0),),
        epochs=EPOCHS["vehicles"],
    )
    models = [("baseline", base)]
    feature = base.with_(features=("yellow",))
    head_weights = (("taxi", 1.0), ("colour", round(float(colour_weight), 2)))
    head_name = f"colour head (w = {colour_weight:g})"
    use_head = colour_head and colour_weight > 0
    if yellowness:
        models.append(("yellowness input", feature))
    if use_head:
        models.append((head_name, base.with_(loss_weights=head_weights)))
    if yellowness and use_head:
        models.append(("both levers", feature.with_(loss_weights=head_weights)))
    return models


def twins(base: Experiment, first: str = "colour", second: str = "shape") -> tuple[Experiment, Experiment]:
    """Two experiments identical but for the loss: one rewards ``first``, one ``second``."""
    return (
        base.with_(loss_weights=((first, 1.0), (second, 0.0))),
        base.with_(loss_weights=((first, 0.0), (second, 1.0))),
    )


def mixed(base: Experiment, w: float, first: str = "colour", second: str = "shape") -> Experiment:
    """The loss ``w * first + (1 - w) * second``, for ``w`` in [0, 1]."""
    if not 0.0 <= w <= 1.0:
        raise ValueError(f"w must be between 0 and 1, got {w}")
    w = round(float(w), 4)  # 0.30000000000000004 and 0.3 are one experiment
    return base.with_(loss_weights=((first, w), (second, round(1.0 - w, 4))))


@dataclass(frozen=True)
class MixerFamily:
    """The loss mixer's models side by side: one per weight ``w`` of the colour loss.

    Attributes
    ----------
    ws : ndarray of shape (n_w,)
        The colour loss's weight of each model, increasing (shape gets ``1 - w``).
    probes : dict of str to ndarray of shape (n_w,)
        Each label's probe accuracy on each model's embedding (``"colour"``, ``"shape"``).
    chance : dict of str to float
        Each label's chance level (the same pictures for every model).
    maps : ndarray of shape (n_w, n_test, 2)
        Each model's held-out embedding on a 2-D map: the numbers themselves at
        width 2, else its own first two principal axes; each map centred and
        scaled so its farthest point sits at distance 1 (a map's scale means
        nothing, and a fixed scale lets the maps share their axes).
    labels : dict of str to ndarray of shape (n_test,)
    label_names : dict of str to tuple of str
    layers : tuple of tuple of LayerShape
        Each model's layers (:func:`embedcore.nn.architecture`): the same sizes, different head weights.
    first : str
        The label whose loss has weight ``w`` (every other label's has ``1 - w``).
    """

    ws: NDArray[np.float64]
    probes: dict[str, NDArray[np.float64]]
    chance: dict[str, float]
    maps: NDArray[np.float64]
    labels: dict[str, NDArray[np.int64]]
    label_names: dict[str, tuple[str, ...]]
    layers: tuple[tuple[LayerShape, ...], ...]
    first: str = "colour"

    def at(self, w: float) -> int:
        """The index of the model trained with weight ``w`` (ValueError if there is none)."""
        hits = np.flatnonzero(np.isclose(self.ws, float(w)))
        if not hits.size:
            raise ValueError(f"no model at w = {w:g}; the family has {self.ws.tolist()}")
        return int(hits[0])

    def nearest(self, w: float) -> int:
        """The index of the model whose ``w`` is nearest to ``w`` (a link may ask for any w in [0, 1])."""
        return int(np.argmin(np.abs(self.ws - float(w))))

    def weight_needed(self, label: str, level: float = 0.9) -> float | None:
        """The smallest loss weight on ``label`` at which its probe reaches ``level``; None if none does.

        The family's first label (colour) has weight ``w``; any other (shape) has ``1 - w``.
        """
        weights = self.ws if label == self.first else 1.0 - self.ws
        reached = self.probes[label] >= level
        return round(float(weights[reached].min()), 4) if reached.any() else None


def mixer_ws(step: float) -> tuple[float, ...]:
    """Every ``w`` from 0 to 1 in steps of ``step`` (rounded as :func:`mixed` rounds them)."""
    n = int(round(1.0 / float(step)))
    if n < 1 or not np.isclose(n * float(step), 1.0):
        raise ValueError(f"the step must divide 1, got {step}")
    return tuple(round(i / n, 4) for i in range(n + 1))


def mixer_family(results: Sequence[Result], first: str = "colour") -> MixerFamily:
    """Gather the mixer's trained models (:func:`mixed` of one base) into a :class:`MixerFamily`, sorted by ``w``.

    ``w`` is each model's loss weight of ``first``. All results must share
    their held-out pictures (one base experiment, different loss weights).
    """
    if not results:
        raise ValueError("the mixer needs at least one model")
    ordered = sorted(results, key=lambda r: r.experiment.weights().get(first, 0.0))
    if len({(r.experiment.with_(loss_weights=()),) for r in ordered}) != 1:
        raise ValueError("the mixer's models must differ only in their loss weights")
    maps = []
    for result in ordered:
        Z = np.asarray(result.test_embedding, dtype=np.float64)
        Y = Z[:, :2] if Z.shape[1] >= 2 else np.column_stack([Z[:, 0], np.zeros(len(Z))])
        if Z.shape[1] > 2:
            Y = project_2d(Z, "pca")
        Y = Y - Y.mean(axis=0)
        reach = float(np.sqrt((Y**2).sum(axis=1)).max())
        maps.append(Y / reach if reach > 0 else Y)
    labels = dict(ordered[0].test_labels)
    return MixerFamily(
        ws=np.array([r.experiment.weights().get(first, 0.0) for r in ordered], dtype=np.float64),
        probes={name: np.array([r.probes[name].accuracy for r in ordered]) for name in ordered[0].probes},
        chance={name: float(p.chance) for name, p in ordered[0].probes.items()},
        maps=np.stack(maps),
        labels=labels,
        label_names=dict(ordered[0].label_names),
        layers=tuple(architecture(r.model) for r in ordered),
        first=first,
    )


def result_row(result: Result) -> dict[str, object]:
    """One flat log row: the levers, head accuracies, probe accuracies, time, then the rest."""
    settings = result.experiment.describe()
    levers = ("dataset", "train pictures", "features", "hidden", "embedding", "activation", "loss")
    row: dict[str, object] = {k: settings[k] for k in levers}
    for name, acc in result.accuracy.items():
        row[f"accuracy {name}"] = round(acc, 3)
    for name, probe in result.probes.items():
        row[f"probe {name}"] = round(probe.accuracy, 3)
    row["train seconds"] = round(result.train_seconds, 2)
    for name, probe in result.probes.items():
        row[f"chance {name}"] = round(probe.chance, 3)
    row.update({k: v for k, v in settings.items() if k not in levers})
    return row


def probe_one_class(result: Result, label: str, value: str) -> ProbeResult:
    """Probe ``result``'s embedding for one yes/no question: is ``label`` equal to ``value``?

    For the taxi lesson, "is it yellow?" is the colour information that
    matters; a probe for all seven colours would also count the colours the
    yellowness filter drops on purpose. Same split as the other probes:
    fitted on the first half of the held-out pictures, scored on the second.
    """
    names = result.label_names[label]
    if value not in names:
        raise ValueError(f"{label} has no value {value!r}; it has {list(names)}")
    yes = (np.asarray(result.test_labels[label]) == names.index(value)).astype(np.int64)
    Z = result.test_embedding
    half = len(Z) // 2
    probes = probe_embedding(Z[:half], {f"{value}?": yes[:half]}, Z[half:], {f"{value}?": yes[half:]})
    return probes[f"{value}?"]


#: The log columns each lever sets: more data, the features, the architecture, the loss, and luck (the seed).
LEVER_COLUMNS: dict[str, tuple[str, ...]] = {
    "data": ("dataset", "train pictures"),
    "features": ("features",),
    "architecture": ("hidden", "embedding", "activation"),
    "loss": ("loss",),
    "luck": ("seed",),
}


def levers_pulled(before: Mapping[str, object] | None, after: Mapping[str, object]) -> list[str]:
    """The levers whose settings differ between two log rows (:func:`result_row`); ``["first run"]`` with no row before.

    A change of dataset counts as the data lever.
    """
    if before is None:
        return ["first run"]
    return [lever for lever, columns in LEVER_COLUMNS.items() if any(before.get(c) != after.get(c) for c in columns)]


def probe_rows(results: Mapping[str, Result]) -> list[dict[str, object]]:
    """Rows of a probe table: one per (model, label), with chance level."""
    return [
        {
            "model": model_name,
            "probe reads": name,
            "accuracy": round(p.accuracy, 3),
            "chance": round(p.chance, 3),
            "above chance": round(p.above_chance, 3),
        }
        for model_name, result in results.items()
        for name, p in result.probes.items()
    ]
