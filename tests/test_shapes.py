"""embedcore.shapes: the pixel datasets and the feature groups."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embedcore.shapes import (
    COLOURS,
    FEATURE_GROUPS,
    SHAPES,
    VEHICLE_COLOURS,
    VEHICLES,
    make_coloured_shapes,
    make_vehicles,
    pixel_features,
    upscale,
    yellowness,
)


def test_coloured_shapes_have_the_documented_form() -> None:
    data = make_coloured_shapes(200, random_state=0)
    assert data.images.shape == (200, 16, 16, 3)
    assert data.images.min() >= 0.0 and data.images.max() <= 1.0
    assert data.label_names == {"colour": COLOURS, "shape": SHAPES}
    for name, names in data.label_names.items():
        assert set(np.unique(data.labels[name])) == set(range(len(names)))


def test_same_seed_same_images_other_seed_other_images() -> None:
    a, b = make_coloured_shapes(20, random_state=3), make_coloured_shapes(20, random_state=3)
    c = make_coloured_shapes(20, random_state=4)
    np.testing.assert_array_equal(a.images, b.images)
    np.testing.assert_array_equal(a.labels["shape"], b.labels["shape"])
    assert not np.allclose(a.images, c.images)


def test_the_painted_colour_is_the_labelled_colour() -> None:
    data = make_coloured_shapes(200, noise=0.0, random_state=1)
    # The brightest pixels of an image are the shape's; their mean hue names the colour.
    for img, colour in zip(data.images, data.labels["colour"]):
        lit = img[img.sum(axis=-1) > 0.3].mean(axis=0)
        r, g, b = lit
        name = COLOURS[colour]
        expected = {"red": r > 2 * g and r > 2 * b, "green": g > 2 * r and g > 2 * b,
                    "blue": b > 2 * r and b > 2 * g, "yellow": r > 2 * b and g > 2 * b}[name]
        assert expected, (name, lit)


def test_shapes_cover_similar_areas() -> None:
    """A model cannot tell shapes apart by how many pixels are lit."""
    data = make_coloured_shapes(800, noise=0.0, random_state=2)
    area = (data.images.max(axis=-1) > 0.2).sum(axis=(1, 2))
    means = [area[data.labels["shape"] == s].mean() for s in range(len(SHAPES))]
    assert max(means) / min(means) < 1.45, dict(zip(SHAPES, means))


def test_vehicles_taxi_means_yellow_car() -> None:
    data = make_vehicles(600, random_state=0)
    assert data.images.shape == (600, 16, 16, 3)
    yellow = data.labels["colour"] == VEHICLE_COLOURS.index("yellow")
    car = data.labels["vehicle"] == VEHICLES.index("car")
    np.testing.assert_array_equal(data.labels["taxi"] == 1, yellow & car)
    assert 0.42 < data.labels["taxi"].mean() < 0.58
    # Neither colour nor shape alone settles it: both kinds of non-taxi occur.
    assert (yellow & ~car).sum() > 50 and (car & ~yellow).sum() > 50


def test_yellowness_keeps_only_yellow() -> None:
    pure = np.array([[[[1.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [0.4, 0.4, 0.4]]]])
    np.testing.assert_allclose(yellowness(pure), [[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0]]])


@settings(max_examples=25, deadline=None)
@given(groups=st.lists(st.sampled_from(list(FEATURE_GROUPS)), min_size=1, max_size=6))
def test_pixel_features_has_one_block_per_distinct_group(groups) -> None:
    images = make_coloured_shapes(3, size=8, random_state=0).images
    X = pixel_features(images, groups)
    assert X.shape == (3, len(set(groups)) * 64)
    assert np.all(X >= -0.5) and np.all(X <= 0.5)


def test_pixel_features_channels_are_the_pixels() -> None:
    images = make_coloured_shapes(2, random_state=0).images
    X = pixel_features(images, ["blue"])
    np.testing.assert_allclose(X, images[..., 2].reshape(2, -1) - 0.5)


def test_bad_settings_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="n_samples"):
        make_coloured_shapes(0)
    with pytest.raises(ValueError, match="size"):
        make_vehicles(5, size=4)
    with pytest.raises(ValueError, match="noise"):
        make_coloured_shapes(5, noise=-1)
    images = make_coloured_shapes(2).images
    with pytest.raises(ValueError, match="at least one"):
        pixel_features(images, [])
    with pytest.raises(ValueError, match="unknown feature"):
        pixel_features(images, ["infrared"])


def test_upscale_repeats_pixels() -> None:
    images = make_coloured_shapes(2, size=8).images
    big = upscale(images, 3)
    assert big.shape == (2, 24, 24, 3)
    np.testing.assert_array_equal(big[:, ::3, ::3], images)


def test_the_yellowness_filter_keeps_yellow_and_half_of_orange() -> None:
    """The taxi lesson says what the feature lever keeps; these are the numbers it quotes."""
    from embedcore.shapes import colour_yellowness

    kept = colour_yellowness()
    np.testing.assert_allclose([kept["yellow"], kept["orange"]], [0.85, 0.5], atol=1e-9)
    assert all(kept[c] == 0.0 for c in ("red", "green", "blue", "white", "purple"))
