"""embedcore.tsne: an exact t-SNE that photographs its optimisation, checked against scikit-learn's on the lesson's data."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.manifold import TSNE, trustworthiness
from threadpoolctl import threadpool_limits

from embedcore import clusters, meters, synthetic, tsne
from embedcore.projection import spread_scale


def lesson_points(name: str, n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """A lesson data set, centred and scaled to a spread of 1, as the knobs' runs see it (runtime/jobs.py)."""
    X, labels = synthetic.make_dataset(name, n, random_state=0)
    return (X - X.mean(axis=0)) / spread_scale(X), labels


def test_each_points_neighbourhood_has_the_asked_perplexity() -> None:
    X, _ = lesson_points("distances", 120)
    D = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    for perplexity in (2.0, 30.0):
        conditional = tsne._conditional_probabilities(D, perplexity)
        np.testing.assert_allclose(conditional.sum(axis=1), 1.0, atol=1e-12)
        assert np.all(np.diag(conditional) == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            entropy = -np.nansum(np.where(conditional > 0, conditional * np.log(conditional), 0.0), axis=1)
        np.testing.assert_allclose(np.exp(entropy), perplexity, rtol=1e-4)
    P = tsne.joint_probabilities(X, 30.0)
    np.testing.assert_allclose(P, P.T)
    np.testing.assert_allclose(P.sum(), 1.0)
    assert np.all(np.diag(P) == 0)


def test_the_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    P = tsne.joint_probabilities(rng.normal(size=(25, 4)), 5.0)
    Y = rng.normal(size=(25, 2))
    analytic = tsne.gradient(P, Y)
    step = 1e-6
    numeric = np.zeros_like(Y)
    for i in range(Y.shape[0]):
        for d in range(2):
            up, down = Y.copy(), Y.copy()
            up[i, d] += step
            down[i, d] -= step
            numeric[i, d] = (tsne.kl_divergence(P, up) - tsne.kl_divergence(P, down)) / (2 * step)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-8)


@pytest.mark.parametrize("name, perplexity", [("sizes", 30), ("distances", 30), ("noise", 30), ("distances", 5)])
def test_its_maps_are_as_good_as_scikit_learns(name: str, perplexity: int) -> None:
    """Same data, perplexity and steps: as trustworthy as scikit-learn's exact t-SNE, with as low a KL divergence."""
    X, _ = lesson_points(name)
    with threadpool_limits(limits=1):
        ours = tsne.ExactTSNE(perplexity=perplexity, max_iter=1000).fit(X)
        theirs = TSNE(perplexity=perplexity, max_iter=1000, init="pca", learning_rate="auto", method="exact",
                      random_state=0).fit(X)
    assert ours.n_iter_ == 1000 and ours.embedding_.shape == (300, 2)
    assert trustworthiness(X, ours.embedding_, n_neighbors=10) >= trustworthiness(X, theirs.embedding_,
                                                                                n_neighbors=10) - 0.03
    # Both measure the same loss: KL(P || Q) with P from the same perplexity search.
    assert ours.kl_divergence_ <= theirs.kl_divergence_ * 1.1
    assert clusters.count_clumps(ours.embedding_) == pytest.approx(clusters.count_clumps(theirs.embedding_), abs=2)


def test_a_snapshot_is_the_map_a_shorter_run_ends_with() -> None:
    """No early stop: the map after step k is the same whatever the number of steps, so snapshots are real maps."""
    X, _ = lesson_points("sizes", 200)
    with threadpool_limits(limits=1):
        run = tsne.run_with_snapshots(X, 10.0, [0, 40, 250, 400])
        for place, steps in enumerate((40, 250, 400)):
            shorter = tsne.ExactTSNE(perplexity=10.0, max_iter=steps).fit(X).embedding_
            np.testing.assert_allclose(run.snapshots[place + 1], tsne.fit_to_unit(shorter), atol=2e-3)
    np.testing.assert_array_equal(run.embedding, shorter)
    np.testing.assert_array_equal(run.iterations, [0, 40, 250, 400])
    assert run.snapshots.dtype == np.float16 and run.snapshots.shape == (4, 200, 2)
    assert np.abs(run.snapshots).max(axis=(1, 2)) == pytest.approx(1.0, abs=1e-3)  # each picture fits [-1, 1]
    # Step 0 is the start: PCA, the first axis at a standard deviation of 1e-4 (as scikit-learn starts).
    start = tsne._pca_start(X)
    assert np.std(start[:, 0]) == pytest.approx(1e-4)
    np.testing.assert_allclose(run.snapshots[0], tsne.fit_to_unit(start), atol=2e-3)


def test_the_callback_sees_every_step_and_cannot_change_the_run() -> None:
    X, _ = lesson_points("noise", 60)
    seen: list[int] = []

    def watch(step: int, Y: np.ndarray) -> None:
        seen.append(step)
        with pytest.raises(ValueError, match="read-only"):
            Y[0, 0] = 1.0

    tsne.ExactTSNE(perplexity=5.0, max_iter=30).fit(X, watch)
    assert seen == list(range(31))


def test_the_readings_are_the_meters_of_each_snapshot() -> None:
    X, labels = synthetic.make_dataset("distances", 150, random_state=0)
    scaled = (X - X.mean(axis=0)) / spread_scale(X)
    with threadpool_limits(limits=1):
        run = tsne.run_with_snapshots(scaled, 30.0, [0, 100, 300])
    read = tsne.read_run(X, labels, run)
    for at in range(3):
        shown = run.snapshots[at].astype(np.float64)
        expected = meters.map_meters(X, shown, k=10)
        assert read.recall[at] == pytest.approx(expected.recall)
        assert read.trustworthiness[at] == pytest.approx(expected.trustworthiness)
        assert read.clumps[at] == clusters.count_clumps(shown)
        np.testing.assert_allclose(read.spreads[at], clusters.cluster_spreads(shown, labels))
        np.testing.assert_allclose(read.gaps[at], clusters.centroid_distances(shown, labels))
    # A finished map at perplexity 30 keeps the three clusters apart: three clumps.
    assert read.clumps[-1] == 3 and read.k == 10


def test_bad_settings_are_refused() -> None:
    X, _ = lesson_points("noise", 40)
    with pytest.raises(ValueError, match="below the number of points"):
        tsne.joint_probabilities(X, 40)
    with pytest.raises(ValueError, match="increasing"):
        tsne.run_with_snapshots(X, 5.0, [0, 20, 10])
    with pytest.raises(ValueError, match="max_iter"):
        tsne.ExactTSNE(max_iter=-1).fit(X)
