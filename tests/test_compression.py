"""Compressing digits with PCA: error falls as k grows, the task needs little."""

from __future__ import annotations

import numpy as np
import pytest

from embedcore import compression
from embedcore.compression import N_PIXELS


@pytest.fixture(scope="module")
def split() -> compression.DigitsSplit:
    return compression.load_digits_split(test_size=0.3, random_state=0)


def test_split_is_stratified_and_sized(split) -> None:
    assert split.X_train.shape[1] == N_PIXELS == split.X_test.shape[1]
    assert len(split.X_train) + len(split.X_test) == 1797
    assert set(np.unique(split.y_test)) == set(range(10))
    assert split.X_train.min() >= 0 and split.X_train.max() <= compression.MAX_GREY


def test_round_trip_with_64_numbers_is_lossless(split) -> None:
    codec = compression.fit_codec(split.X_train)
    rebuilt = compression.decode(codec, compression.encode(codec, split.X_test, 64))
    np.testing.assert_allclose(rebuilt, split.X_test, atol=1e-9)
    assert compression.reconstruction_error(split.X_test, rebuilt) == pytest.approx(0.0, abs=1e-18)


def test_reconstruction_error_falls_as_k_grows(split) -> None:
    curve = compression.compression_curve(split, np.arange(1, 65))
    # Each extra orthonormal direction adds a square to what is kept: never worse.
    assert np.all(np.diff(curve.mse) <= 1e-12)
    assert curve.mse[0] > 5 * curve.mse[15]
    assert curve.mse[-1] == pytest.approx(0.0, abs=1e-12)
    assert 0.7 < curve.variance_lost[0] < 1.0
    assert curve.variance_lost[-1] == pytest.approx(0.0, abs=1e-12)


def test_the_task_needs_far_less_than_the_input(split) -> None:
    curve = compression.compression_curve(split, [1, 2, 10, 64])
    acc = dict(zip(curve.ks.tolist(), curve.accuracy))
    # Ten numbers of 64 keep almost all the accuracy while losing a lot of pixels.
    assert acc[10] > 0.95 and acc[64] > 0.97
    assert acc[10] > acc[64] - 0.03
    assert curve.variance_lost[2] > 0.2
    assert acc[1] < 0.5  # one number cannot name ten digits...
    assert curve.baseline == pytest.approx(0.1, abs=0.01)


def test_one_bit_task_survives_two_numbers(split) -> None:
    curve = compression.compression_curve(split, [2], task="zero")
    # ...but two numbers answer "is it a zero?" far better than always saying no.
    assert curve.baseline == pytest.approx(0.9, abs=0.01)
    assert curve.accuracy[0] > 0.97


def test_reconstruct_gallery(split) -> None:
    idx = compression.gallery_indices(split.y_test)
    np.testing.assert_array_equal(split.y_test[idx], np.arange(10))
    rec = compression.reconstruct(split, 5, idx)
    assert rec.code.shape == (10, 5) and rec.rebuilt.shape == (10, 64)
    np.testing.assert_allclose(rec.error, ((rec.original - rec.rebuilt) ** 2).mean(axis=1))
    assert compression.reconstruct(split, 64, idx).error.max() < 1e-18


def test_digits_map_regions_agree_with_predictions(split) -> None:
    m = compression.digits_map(split, task="digit", resolution=40)
    assert m.regions.shape == (40, 40) and m.points.shape == (len(split.y_test), 2)
    assert 0.4 < m.accuracy < 0.8  # two numbers name a digit only sometimes
    assert set(np.unique(m.regions)) <= set(range(10))
    m0 = compression.digits_map(split, task="zero", resolution=20)
    assert set(np.unique(m0.regions)) == {0, 1} and m0.accuracy > 0.95


def test_bad_input(split) -> None:
    codec = compression.fit_codec(split.X_train, 8)
    with pytest.raises(ValueError, match="k must be between 1 and 8"):
        compression.encode(codec, split.X_test, 9)
    with pytest.raises(ValueError, match="unknown task"):
        compression.task_labels(split.y_test, "parity")
    with pytest.raises(ValueError, match="ks must be"):
        compression.compression_curve(split, [0, 3])
    with pytest.raises(ValueError, match="same shape"):
        compression.reconstruction_error(np.zeros((2, 64)), np.zeros((3, 64)))
