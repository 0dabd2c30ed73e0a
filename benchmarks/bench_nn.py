"""How fast does embedcore's numpy MLP train, next to scikit-learn's MLPClassifier?

Prints, for the page's default twin network (768 pixels -> 64 ReLU -> 2-unit
embedding -> softmax) on the default data (1,200 training pictures):

* epochs per second of embedcore.nn.MLP and of sklearn's MLPClassifier on the
  same network, batch size, optimiser and learning rate, and their ratio;
* the wall time of the default twin run (both models, side by side, as the
  page trains them on a cache miss), marked ``ok`` or ``OVER`` against the
  target of under 2 s for the two together, and its probe accuracies;
* the same with numpy's BLAS limited to one thread, as the app trains.

Run: ``.venv/bin/python benchmarks/bench_nn.py`` (takes ~30 s). Timings on a
shared machine are noisy: each figure is the best of a few repeats.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from embedcore import experiments as ex  # noqa: E402
from embedcore.nn import MLP  # noqa: E402

EPOCHS = 10
REPEATS = 3
TWIN_TARGET_S = 2.0  # both default twins, data and probes included, on a cache miss


def best_of(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    experiment = ex.Experiment()
    train, test = ex.load_data(experiment)
    X, y = ex.features(experiment, train), train.labels["shape"]
    print(f"data: {X.shape[0]} pictures x {X.shape[1]} features; network 768 -> 64 -> 2 -> 4; {EPOCHS} epochs")

    for threads in (None, 1):
        label = "default BLAS threads" if threads is None else "BLAS limited to 1 thread"
        limit = threadpool_limits(limits=threads, user_api="blas") if threads else None
        try:
            ours = best_of(
                lambda: MLP((64,), 2, max_epochs=EPOCHS, learning_rate=0.005, batch_size=64).fit(X, y)
            )

            def sklearn_fit() -> None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    # Same sizes; sklearn puts a ReLU on the 2-unit layer too (ours is linear).
                    MLPClassifier(
                        hidden_layer_sizes=(64, 2), solver="adam", learning_rate_init=0.005,
                        batch_size=64, max_iter=EPOCHS, alpha=1e-4, random_state=0,
                        n_iter_no_change=EPOCHS + 1, tol=0.0,
                    ).fit(X, y)

            theirs = best_of(sklearn_fit)
            twins = best_of(lambda: ex.run_together(ex.twins(experiment)), repeats=2)
        finally:
            if limit is not None:
                limit.restore_original_limits()
        print(f"\n[{label}]")
        print(f"  embedcore MLP      : {EPOCHS / ours:7.1f} epochs/s")
        print(f"  sklearn MLPClassifier: {EPOCHS / theirs:5.1f} epochs/s")
        print(f"  ratio (ours / sklearn): {theirs / ours:.2f}x")
        verdict = "ok" if twins < TWIN_TARGET_S else "OVER"
        print(f"  default twin run (2 models x {experiment.epochs} epochs, data + probes included): {twins:.2f} s"
              f"  [{verdict}: target < {TWIN_TARGET_S:g} s together]")

    with threadpool_limits(limits=1, user_api="blas"):
        a, b = ex.run_together(ex.twins(experiment))
    print("\nprobe accuracies of the default twins (held-out, 1 BLAS thread as in the app):")
    for name, result in (("A (colour loss)", a), ("B (shape loss)", b)):
        probes = ", ".join(f"{k} {p.accuracy:.2f} (chance {p.chance:.2f})" for k, p in result.probes.items())
        print(f"  model {name}: {probes}; head accuracy {result.accuracy}; train {result.train_seconds:.2f} s")
    print(f"  (random seed check: {np.round(a.test_embedding[0], 4)})")

    # The taxi levers, as the page sets them up (60 training pictures), over 3 seeds.
    print("\ntaxi levers at 60 training pictures (mean over seeds 0-2; chance 0.50):")
    base = ex.Experiment(
        dataset="vehicles", n_train=60, hidden_sizes=(32,), embedding_size=8,
        loss_weights=(("taxi", 1.0),), epochs=ex.EPOCHS["vehicles"],
    )
    levers = {
        "baseline": {},
        "feature lever (yellow only)": {"features": ("yellow",)},
        "loss lever (colour head w=0.5)": {"loss_weights": (("taxi", 1.0), ("colour", 0.5))},
        "both levers": {"features": ("yellow",), "loss_weights": (("taxi", 1.0), ("colour", 0.5))},
    }
    with threadpool_limits(limits=1, user_api="blas"):
        for name, changes in levers.items():
            runs = [ex.run(base.with_(seed=seed, **changes)) for seed in range(3)]
            taxi = np.mean([r.accuracy["taxi"] for r in runs])
            colour = np.mean([r.probes["colour"].accuracy for r in runs])
            chance = np.mean([r.probes["colour"].chance for r in runs])
            seconds = np.mean([r.train_seconds for r in runs])
            print(f"  {name:32s} taxi {taxi:.3f}  colour kept {colour:.3f} (chance {chance:.2f})  train {seconds:.2f} s")


if __name__ == "__main__":
    main()
