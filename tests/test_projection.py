"""Projections: PCA round trips, rotations keep every distance, concept axes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.decomposition import PCA as SkPCA

from embedcore import distances, meters
from embedcore.projection import PCA, concept_axes, project_2d, rotate, rotation_matrix


@pytest.fixture()
def X() -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.standard_normal((40, 6)) * np.array([5.0, 3.0, 2.0, 1.0, 0.5, 0.1])


def test_pca_round_trip_with_all_components(X) -> None:
    pca = PCA(6).fit(X)
    np.testing.assert_allclose(pca.inverse_transform(pca.transform(X)), X, atol=1e-10)
    np.testing.assert_allclose(pca.explained_variance_ratio_.sum(), 1.0)


def test_pca_matches_sklearn_up_to_sign(X) -> None:
    ours = PCA(3).fit(X)
    ref = SkPCA(3).fit(X)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(np.abs(ours.components_ @ ref.components_.T), np.eye(3), atol=1e-8)


def test_pca_rejects_bad_input(X) -> None:
    with pytest.raises(ValueError, match="n_components"):
        PCA(7).fit(X)
    with pytest.raises(RuntimeError, match="not fitted"):
        PCA(2).transform(X)


def test_project_2d_pca_shape_and_known_methods(X) -> None:
    assert project_2d(X, "pca").shape == (40, 2)
    with pytest.raises(ValueError, match="unknown projection"):
        project_2d(X, "umap")  # type: ignore[arg-type]


def test_project_2d_mds_keeps_distances_of_planar_data() -> None:
    # Points that already lie in a plane: metric MDS can keep every distance.
    rng = np.random.default_rng(1)
    P = rng.standard_normal((20, 2))
    X = np.column_stack([P, np.zeros((20, 3))]) @ np.linalg.qr(rng.standard_normal((5, 5)))[0]
    Y = project_2d(X, "mds", max_iter=300)
    assert meters.neighbourhood_recall(X, Y, k=5) > 0.95


def test_project_2d_tsne_is_seeded() -> None:
    X = np.random.default_rng(2).standard_normal((30, 4))
    a = project_2d(X, "tsne", perplexity=5, max_iter=250, random_state=3)
    b = project_2d(X, "tsne", perplexity=5, max_iter=250, random_state=3)
    np.testing.assert_allclose(a, b)


# -- rotation ------------------------------------------------------------------


def test_rotation_matrix_is_orthogonal_and_turns_anticlockwise() -> None:
    R = rotation_matrix(90)
    np.testing.assert_allclose(R.T @ R, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(R @ [1.0, 0.0], [0.0, 1.0], atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(degrees=st.floats(-720, 720), seed=st.integers(0, 1000))
def test_rotation_keeps_every_distance(degrees: float, seed: int) -> None:
    Y = np.random.default_rng(seed).standard_normal((15, 2))
    Z = rotate(Y, degrees)
    np.testing.assert_allclose(distances.squared_distances(Z), distances.squared_distances(Y), atol=1e-9)
    np.testing.assert_allclose(Z.mean(axis=0), Y.mean(axis=0), atol=1e-9)


def test_rotation_leaves_the_meters_unchanged(X) -> None:
    Y = project_2d(X, "pca")
    before, after = meters.map_meters(X, Y), meters.map_meters(X, rotate(Y, 123.0))
    assert before == after


def test_rotate_full_turn_and_bad_shape() -> None:
    Y = np.random.default_rng(3).standard_normal((10, 2))
    np.testing.assert_allclose(rotate(Y, 360), Y, atol=1e-12)
    with pytest.raises(ValueError, match="n_points, 2"):
        rotate(np.zeros((4, 3)), 10)


# -- concept axes ----------------------------------------------------------------


def test_concept_axes_point_at_the_two_groups() -> None:
    rng = np.random.default_rng(4)
    centres = np.eye(5) * 10
    labels = np.repeat(np.arange(5), 10)
    X = centres[labels] + rng.standard_normal((50, 5)) * 0.1
    Y = concept_axes(X, labels, axes=(0, 1))
    assert Y.shape == (50, 2)
    # Group 0 is far out on axis 1, group 1 on axis 2; group 4 gets no axis
    # and lands at the origin, on top of groups 2 and 3.
    np.testing.assert_allclose(Y[labels == 0].mean(0), [10, 0], atol=0.2)
    np.testing.assert_allclose(Y[labels == 1].mean(0), [0, 10], atol=0.2)
    np.testing.assert_allclose(Y[labels >= 2].mean(0), [0, 0], atol=0.2)


def test_concept_axes_are_dot_products_with_unit_centres() -> None:
    rng = np.random.default_rng(5)
    X = rng.standard_normal((30, 4))
    labels = np.repeat(np.arange(3), 10)
    Y = concept_axes(X, labels, axes=(2, 0))
    u = X[20:].mean(0) / np.linalg.norm(X[20:].mean(0))
    v = X[:10].mean(0) / np.linalg.norm(X[:10].mean(0))
    np.testing.assert_allclose(Y, np.column_stack([X @ u, X @ v]))


def test_concept_axes_rejects_bad_groups() -> None:
    X = np.random.default_rng(6).standard_normal((10, 3))
    labels = np.repeat([0, 1], 5)
    with pytest.raises(ValueError, match="two different groups"):
        concept_axes(X, labels, axes=(0, 0))
    with pytest.raises(ValueError, match="two different groups"):
        concept_axes(X, labels, axes=(0, 7))


# --------------------------------------------------------------------------
# Degenerate input: caught before scikit-learn can crash the process
# --------------------------------------------------------------------------
def test_identical_points_no_longer_crash_the_process() -> None:
    """sklearn's t-SNE segfaults (exit 139) on identical points; project_2d must refuse them first.

    Run in a child process: before the fix this test's own process would have died.
    """
    import subprocess
    import sys

    code = (
        "import numpy as np\n"
        "from embedcore.projection import project_2d, DegenerateDataError\n"
        "try:\n"
        "    project_2d(np.ones((3, 3)), 'tsne')\n"
        "except DegenerateDataError:\n"
        "    print('refused')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]))
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "refused"


@pytest.mark.parametrize("method", ["tsne", "mds"])
@pytest.mark.parametrize(
    "points",
    [
        np.ones((3, 3)),
        np.full((12, 4), -2.5),
        # Differences far below float64's precision at this size: one point to any projection.
        1e8 + 1e-9 * np.random.default_rng(0).standard_normal((10, 3)),
    ],
    ids=["ones", "constant", "rounding-only"],
)
def test_non_linear_maps_refuse_points_that_are_all_the_same(method, points) -> None:
    from embedcore.projection import DegenerateDataError

    with pytest.raises(DegenerateDataError, match="are the same"):
        project_2d(points, method)


@pytest.mark.parametrize("method", ["tsne", "mds"])
def test_non_linear_maps_need_three_points(method) -> None:
    from embedcore.projection import DegenerateDataError

    with pytest.raises(DegenerateDataError, match="at least 3 points"):
        project_2d(np.eye(2), method)


def test_pca_of_identical_points_puts_them_all_at_the_origin() -> None:
    np.testing.assert_allclose(project_2d(np.ones((5, 3)), "pca"), np.zeros((5, 2)))


@pytest.mark.parametrize("method", ["tsne", "mds"])
@pytest.mark.parametrize("size", [1e-200, 1e200])
def test_non_linear_maps_work_at_any_scale(method, size) -> None:
    """Tiny points used to crash t-SNE too (exit 139), huge ones to overflow into NaN."""
    rng = np.random.default_rng(1)
    points = size * np.vstack([rng.normal(0, 1, (6, 3)), rng.normal(8, 1, (6, 3))])
    Y = project_2d(points, method, perplexity=3, max_iter=300)
    assert Y.shape == (12, 2)
    assert np.all(np.isfinite(Y))
    # The two blobs stay apart whatever the scale: each point's nearest neighbour is in its own blob.
    Y = Y / np.abs(Y).max()
    d = np.linalg.norm(Y[:, None] - Y[None], axis=-1) + np.eye(12) * 10
    assert np.all(np.argmin(d, axis=1) // 6 == np.arange(12) // 6)


def test_mds_keeps_the_data_units() -> None:
    """Rescaling for the solver is undone: MDS distances stay in the data's own units."""
    rng = np.random.default_rng(2)
    points = 1e3 * rng.standard_normal((15, 2))
    Y = project_2d(points, "mds", max_iter=500)
    original = np.linalg.norm(points[:, None] - points[None], axis=-1)
    mapped = np.linalg.norm(Y[:, None] - Y[None], axis=-1)
    np.testing.assert_allclose(mapped, original, rtol=0.05, atol=5.0)


@settings(max_examples=25, deadline=None)
@given(
    row=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=6),
    n=st.integers(3, 12),
)
def test_spread_scale_is_zero_exactly_when_all_rows_are_equal(row, n) -> None:
    from embedcore.projection import spread_scale

    X = np.tile(np.asarray(row), (n, 1))
    assert spread_scale(X) == 0.0
    X[0, 0] += 1.0 + abs(row[0])  # one point moved by more than rounding
    assert spread_scale(X) > 0.0


def test_the_registry_names_labels_and_lookups_agree() -> None:
    from embedcore.projection import METHODS, PROJECTIONS, method_of

    assert METHODS == {name: p.label for name, p in PROJECTIONS.items()}
    for name, label in METHODS.items():
        assert method_of(label) == name
    assert [name for name, p in PROJECTIONS.items() if p.linear] == ["pca"]
    with pytest.raises(ValueError, match="unknown projection"):
        method_of("UMAP")
