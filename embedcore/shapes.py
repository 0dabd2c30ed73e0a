"""Tiny pixel datasets: coloured shapes, and vehicles with taxis among them.

Every generator shares one signature, ``make_<name>(n_samples, *, size,
noise, random_state) -> ImageData``, like TensorFlow Playground's
``dataset.ts``, and :data:`DATASETS` maps a name to its generator so the UI
can build its menus from the keys.

The images are small RGB arrays in ``[0, 1]``. A model's *features* are
their pixels; :func:`pixel_features` turns images into a feature matrix and
can drop input channels or keep only yellowness, which is the "feature lever" of
the lesson.

Coloured shapes
    Four shapes (circle, square, triangle, cross) in four colours (red, green,
    blue, yellow), at a random position and size, with a random brightness and
    pixel noise. Colour and shape are independent, so a model can be asked
    for either, or both.

Vehicles
    A side view of a car, a van, a bus or a truck, in one of seven colours.
    Taxis are the yellow cars. Yellow buses (school buses), vans and trucks
    are *not* taxis, and cars in other colours (orange ones too) are not
    either, so a model needs both colour and shape to spot a taxi.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "cross")
COLOURS: tuple[str, ...] = ("red", "green", "blue", "yellow")
RGB: dict[str, tuple[float, float, float]] = {
    "red": (1.0, 0.1, 0.1),
    "green": (0.1, 0.9, 0.1),
    "blue": (0.15, 0.25, 1.0),
    "yellow": (1.0, 0.9, 0.05),
    "orange": (1.0, 0.55, 0.05),
    "white": (1.0, 1.0, 1.0),
    "purple": (0.6, 0.1, 0.9),
}
VEHICLES: tuple[str, ...] = ("car", "van", "bus", "truck")
VEHICLE_LENGTH = np.array([11.0, 11.0, 14.0, 14.0])  # in 16-px units
VEHICLE_COLOURS: tuple[str, ...] = ("red", "orange", "yellow", "green", "blue", "white", "purple")

#: Feature groups a model may see: one block of ``size * size`` numbers each.
FEATURE_GROUPS: dict[str, str] = {
    "red": "red channel",
    "green": "green channel",
    "blue": "blue channel",
    "grey": "greyscale (brightness only)",
    "yellow": "yellowness, min(R, G) - B (keeps yellow, and orange at half strength)",
}


@dataclass(frozen=True)
class ImageData:
    """A labelled set of small RGB images.

    Attributes
    ----------
    images : ndarray of shape (n_samples, size, size, 3)
        Pixel values in ``[0, 1]``.
    labels : dict of str to ndarray of shape (n_samples,)
        Integer label of each image for every attribute, e.g.
        ``labels["colour"][i]`` indexes ``label_names["colour"]``.
    label_names : dict of str to tuple of str
        The class names of each attribute.
    """

    images: NDArray[np.float64]
    labels: dict[str, NDArray[np.int64]]
    label_names: dict[str, tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.images)

    def subset(self, index: NDArray[np.int64] | slice) -> ImageData:
        """The images (and their labels) at ``index``."""
        return ImageData(
            self.images[index],
            {name: y[index] for name, y in self.labels.items()},
            self.label_names,
        )


def _check(n_samples: int, size: int, noise: float) -> None:
    if not 1 <= int(n_samples) <= 100_000:
        raise ValueError(f"n_samples must be between 1 and 100000, got {n_samples}")
    if not 8 <= int(size) <= 64:
        raise ValueError(f"size must be between 8 and 64 pixels, got {size}")
    if not 0.0 <= float(noise) <= 1.0:
        raise ValueError(f"noise must be between 0 and 1, got {noise}")


def _grid(size: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Pixel-centre coordinates, each of shape (1, size, size): x across, y down."""
    c = np.arange(size) + 0.5
    y, x = np.meshgrid(c, c, indexing="ij")
    return x[None], y[None]


def _shape_masks(
    shape: NDArray[np.int64],
    cx: NDArray[np.float64],
    cy: NDArray[np.float64],
    r: NDArray[np.float64],
    size: int,
) -> NDArray[np.bool_]:
    """Boolean masks of shape (n, size, size): which pixels each shape covers.

    ``r`` is the half-width. The four shapes cover similar areas, so a model
    cannot tell them apart by how many pixels are lit.
    """
    x, y = _grid(size)
    dx, dy = x - cx[:, None, None], y - cy[:, None, None]
    r = r[:, None, None]
    circle = dx**2 + dy**2 <= r**2
    square = np.maximum(np.abs(dx), np.abs(dy)) <= 0.88 * r
    # Apex at the top (y grows downwards); the half-width grows linearly to r at the base.
    triangle = (dy <= 0.8 * r) & (np.abs(dx) <= 0.6 * (dy + 1.2 * r))
    cross = ((np.abs(dx) <= 0.36 * r) & (np.abs(dy) <= 1.05 * r)) | (
        (np.abs(dy) <= 0.36 * r) & (np.abs(dx) <= 1.05 * r)
    )
    masks = np.stack([circle, square, triangle, cross])  # (4, n, size, size)
    return masks[shape, np.arange(len(shape))]


def _paint(
    masks: NDArray[np.bool_],
    colour_rgb: NDArray[np.float64],
    background: NDArray[np.float64],
    noise: float,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Fill masks with colours over a background, add noise, clip to [0, 1].

    masks (n, size, size), colour_rgb (n, 3), background (n, 3) -> (n, size, size, 3).
    """
    m = masks[..., None].astype(np.float64)
    images = m * colour_rgb[:, None, None, :] + (1.0 - m) * background[:, None, None, :]
    images += noise * rng.standard_normal(images.shape)
    return np.clip(images, 0.0, 1.0)


def make_coloured_shapes(
    n_samples: int = 1600,
    *,
    size: int = 16,
    noise: float = 0.1,
    random_state: int = 0,
) -> ImageData:
    """Small images of a circle, square, triangle or cross in one of four colours.

    Parameters
    ----------
    n_samples : int
        Number of images.
    size : int
        Width and height in pixels (8 to 64).
    noise : float
        Standard deviation of the Gaussian pixel noise.
    random_state : int
        Seed: the same seed gives the same images.

    Returns
    -------
    ImageData
        ``images`` of shape (n_samples, size, size, 3); labels ``"colour"``
        (indexes :data:`COLOURS`) and ``"shape"`` (indexes :data:`SHAPES`).
    """
    _check(n_samples, size, noise)
    rng = np.random.default_rng(random_state)
    n = int(n_samples)
    shape = rng.integers(0, len(SHAPES), n)
    colour = rng.integers(0, len(COLOURS), n)
    # Half-width 3.5-5.5 px on a 16 px image; the centre moves up to 1 px
    # each way. (A plain MLP has no notion of translation: with more jitter
    # it needs far more images to learn the shapes.)
    scale = size / 16.0
    r = rng.uniform(3.5, 5.5, n) * scale
    cx = size / 2 + rng.uniform(-1.0, 1.0, n) * scale
    cy = size / 2 + rng.uniform(-1.0, 1.0, n) * scale
    masks = _shape_masks(shape, cx, cy, r, size)
    # A random brightness per image, so "how bright" is a poor hint of "which colour".
    brightness = rng.uniform(0.6, 1.0, n)[:, None]
    rgb = np.array([RGB[c] for c in COLOURS])[colour] * brightness
    background = np.full((n, 3), 0.05)
    images = _paint(masks, rgb, background, noise, rng)
    return ImageData(
        images,
        {"colour": colour.astype(np.int64), "shape": shape.astype(np.int64)},
        {"colour": COLOURS, "shape": SHAPES},
    )


def _vehicle_masks(
    kind: NDArray[np.int64], x0: NDArray[np.float64], base: NDArray[np.float64], size: int
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """Body, window and wheel masks of side-view vehicles, each (n, size, size).

    ``x0`` is the left end and ``base`` the bottom of the body, in 16-pixel
    units (scaled to ``size``). Cars are short and low with a cabin on top,
    vans as short but tall, buses long and tall with a row of windows, trucks
    a small cab before a tall box.
    """
    s = size / 16.0
    x, y = _grid(size)
    x = x / s - x0[:, None, None]  # in 16-px units, 0 at the vehicle's left end
    y = base[:, None, None] - y / s  # height above the body's bottom
    k = kind[:, None, None]

    def box(x_lo: float, x_hi: float, y_lo: float, y_hi: float) -> NDArray[np.bool_]:
        return (x >= x_lo) & (x < x_hi) & (y >= y_lo) & (y < y_hi)

    car = box(0, 11, 0, 3) | box(3, 8, 3, 5)
    car_windows = box(4, 7.5, 3, 4.5)
    van = box(0, 11, 0, 5.5) & ~((x >= 9) & (y >= 3.5))  # a tall box with a sloping nose
    van_windows = box(7, 8.5, 3, 4.5)
    bus = box(0, 14, 0, 7)
    bus_windows = box(1, 13, 4, 6) & ~((np.floor(x) % 3) == 0)
    truck = box(0, 4, 0, 5) | box(4.5, 14, 0, 8)
    truck_windows = box(2, 3.5, 3, 4.5)
    body = np.select([k == 0, k == 1, k == 2], [car, van, bus], truck)
    windows = np.select([k == 0, k == 1, k == 2], [car_windows, van_windows, bus_windows], truck_windows)
    # Two wheels under every vehicle, at a quarter and three quarters of its length.
    length = VEHICLE_LENGTH[kind][:, None, None]
    wheel = lambda at: (x - at) ** 2 + (y + 0.3) ** 2 <= 1.6**2  # noqa: E731
    wheels = wheel(0.22 * length) | wheel(0.78 * length)
    return body & ~windows, windows, wheels & ~body


def make_vehicles(
    n_samples: int = 600,
    *,
    size: int = 16,
    noise: float = 0.08,
    random_state: int = 0,
    taxi_fraction: float = 0.5,
) -> ImageData:
    """Side views of cars, vans, buses and trucks; the yellow cars are taxis.

    Half the images (``taxi_fraction``) are taxis. The rest are split evenly
    between yellow vans, buses and trucks; cars in another colour; and vans,
    buses and trucks in another colour. So "is it yellow?" and "is it a car?"
    are each right only about 5 times in 6: a model needs both.

    Parameters
    ----------
    n_samples, size, noise, random_state
        As in :func:`make_coloured_shapes`.
    taxi_fraction : float
        Share of taxis, between 0 and 1.

    Returns
    -------
    ImageData
        Labels ``"taxi"`` (``("no", "yes")``), ``"colour"`` (indexes
        :data:`VEHICLE_COLOURS`) and ``"vehicle"`` (indexes :data:`VEHICLES`).
    """
    _check(n_samples, size, noise)
    if not 0.0 <= taxi_fraction <= 1.0:
        raise ValueError(f"taxi_fraction must be between 0 and 1, got {taxi_fraction}")
    rng = np.random.default_rng(random_state)
    n = int(n_samples)
    yellow = VEHICLE_COLOURS.index("yellow")
    others = np.array([i for i in range(len(VEHICLE_COLOURS)) if i != yellow])
    # Group 0: taxi; 1: yellow bus/truck; 2: other-coloured car; 3: other-coloured bus/truck.
    rest = (1.0 - taxi_fraction) / 3
    group = rng.choice(4, size=n, p=[taxi_fraction, rest, rest, rest])
    not_car = rng.integers(1, len(VEHICLES), n)
    kind = np.where((group == 0) | (group == 2), 0, not_car)
    colour = np.where(group <= 1, yellow, rng.choice(others, size=n))
    length = VEHICLE_LENGTH[kind]
    x0 = rng.uniform(0.5, 16.0 - length - 0.5)
    base = rng.uniform(11.5, 13.5, n)
    body, windows, wheels = _vehicle_masks(kind, x0, base, size)

    brightness = rng.uniform(0.75, 1.0, n)[:, None]
    rgb = np.array([RGB[c] for c in VEHICLE_COLOURS])[colour] * brightness
    # A grey road scene; windows are pale blue glass, wheels near black.
    background = np.full((n, 3), 0.35)
    images = _paint(body, rgb, background, 0.0, rng)
    images[windows] = (0.7, 0.85, 0.95)
    images[wheels] = (0.05, 0.05, 0.05)
    images = np.clip(images + noise * rng.standard_normal(images.shape), 0.0, 1.0)
    return ImageData(
        images,
        {
            "taxi": (group == 0).astype(np.int64),
            "colour": colour.astype(np.int64),
            "vehicle": kind.astype(np.int64),
        },
        {"taxi": ("no", "yes"), "colour": VEHICLE_COLOURS, "vehicle": VEHICLES},
    )


#: Registry of generators; the UI builds its menus from the keys.
DATASETS: dict[str, Callable[..., ImageData]] = {
    "shapes": make_coloured_shapes,
    "vehicles": make_vehicles,
}
DATASET_TITLES: dict[str, str] = {"shapes": "Coloured shapes", "vehicles": "Vehicles (taxis)"}


def yellowness(images: NDArray[np.float64]) -> NDArray[np.float64]:
    """How yellow each pixel is: ``clip(min(R, G) - B, 0, 1)``.

    (n, size, size, 3) -> (n, size, size). Yellow light is red plus green
    without blue, so yellow scores high (0.85 for the vehicles' yellow) and
    red, green, blue, white, purple and grey score 0 - but orange, red plus
    half as much green, keeps about half (0.5): see :func:`colour_yellowness`.
    """
    images = np.asarray(images, dtype=np.float64)
    return np.clip(np.minimum(images[..., 0], images[..., 1]) - images[..., 2], 0.0, 1.0)


def colour_yellowness(colours: tuple[str, ...] = VEHICLE_COLOURS) -> dict[str, float]:
    """What the yellowness filter keeps of each named colour, at full brightness: ``{"yellow": 0.85, ...}``."""
    rgb = np.array([RGB[c] for c in colours], dtype=np.float64)[:, None, None, :]
    return {c: float(v) for c, v in zip(colours, yellowness(rgb)[:, 0, 0])}


#: What :func:`pixel_features` subtracts from every pixel value, so the features sit around 0.
FEATURE_SHIFT = 0.5


def pixel_features(
    images: NDArray[np.float64], groups: Sequence[str] = ("red", "green", "blue")
) -> NDArray[np.float64]:
    """The feature matrix a model sees: the chosen pixel groups, flattened.

    Parameters
    ----------
    images : ndarray of shape (n_samples, size, size, 3)
    groups : sequence of str
        Keys of :data:`FEATURE_GROUPS`, in any order: ``"red"``, ``"green"``,
        ``"blue"`` (one channel each), ``"grey"`` (the mean of the three, so
        brightness without hue) and ``"yellow"`` (:func:`yellowness`).

    Returns
    -------
    X : ndarray of shape (n_samples, len(groups) * size * size)
        Centred around 0 (pixel - :data:`FEATURE_SHIFT`) so that training starts well:
        pixels in [0, 1] become features in [-0.5, 0.5].
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"images must have shape (n, size, size, 3), got {images.shape}")
    groups = list(dict.fromkeys(groups))  # drop repeats, keep order
    unknown = [g for g in groups if g not in FEATURE_GROUPS]
    if unknown:
        raise ValueError(f"unknown feature group(s) {unknown}; choose from {list(FEATURE_GROUPS)}")
    if not groups:
        raise ValueError("choose at least one feature group: a model with no input learns nothing")
    channel = {"red": 0, "green": 1, "blue": 2}
    blocks = []
    for g in groups:
        if g in channel:
            block = images[..., channel[g]]
        elif g == "grey":
            block = images.mean(axis=-1)
        else:
            block = yellowness(images)
        blocks.append(block.reshape(len(images), -1))
    return np.concatenate(blocks, axis=1) - FEATURE_SHIFT


def upscale(images: NDArray[np.float64], factor: int = 4) -> NDArray[np.float64]:
    """Blow pixels up into ``factor`` x ``factor`` blocks, for crisp display.

    (n, size, size, 3) -> (n, size * factor, size * factor, 3). A browser
    would blur a 16-pixel image stretched to 64; repeating pixels keeps the
    blocky look the model actually sees.
    """
    if not 1 <= int(factor) <= 32:
        raise ValueError(f"factor must be between 1 and 32, got {factor}")
    return np.repeat(np.repeat(np.asarray(images), factor, axis=-3), factor, axis=-2)
