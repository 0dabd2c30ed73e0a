"""Training replay: the embedding snapshots kept per epoch, and the frames made from them."""

from __future__ import annotations

import numpy as np
import pytest

from embedcore import experiments as ex

SMALL = ex.Experiment(n_train=200, n_test=100, epochs=6, embedding_size=3)


@pytest.fixture(scope="module")
def twins() -> list[ex.Result]:
    return ex.run_together(list(ex.twins(SMALL)))


def test_one_snapshot_per_epoch(twins):
    for result in twins:
        history = result.embedding_history
        assert history.shape == (SMALL.epochs, SMALL.n_test, SMALL.embedding_size)
        # The last snapshot is the embedding the result measured.
        np.testing.assert_allclose(history[-1], result.test_embedding, rtol=1e-5, atol=1e-6)
        # Training moved the points.
        assert np.abs(history[-1] - history[0]).max() > 1e-3


def test_replay_frames_share_the_final_maps_axes(twins):
    result = twins[0]
    frames = ex.replay(result, max_frames=4)
    assert frames.epochs[0] == 1 and frames.epochs[-1] == SMALL.epochs
    assert len(frames.epochs) == 4 and np.all(np.diff(frames.epochs) > 0)
    assert frames.maps.shape == (4, SMALL.n_test, 2)
    np.testing.assert_allclose(frames.loss, np.asarray(result.loss_history)[frames.epochs - 1])
    # The last frame is the final embedding on its own first two principal axes: centred, spread mostly on x.
    last = frames.maps[-1]
    np.testing.assert_allclose(last.mean(axis=0), 0, atol=1e-5)
    assert last[:, 0].var() >= last[:, 1].var()


def test_replay_of_a_two_number_embedding_shows_the_raw_numbers():
    (result,) = ex.run_together([SMALL.with_(embedding_size=2, epochs=2)])
    frames = ex.replay(result)
    final = result.embedding_history[-1]
    np.testing.assert_allclose(frames.maps[-1], final - final.mean(axis=0), rtol=1e-5, atol=1e-6)


def test_replay_refuses_what_it_cannot_play(twins):
    with pytest.raises(ValueError, match="at least 2"):
        ex.replay(twins[0], max_frames=1)
    bare = ex.Result(**{**twins[0].__dict__, "embedding_history": None})
    with pytest.raises(ValueError, match="without embedding snapshots"):
        ex.replay(bare)


def test_levers_pulled_names_each_changed_lever(twins):
    first = ex.result_row(twins[0])
    assert ex.levers_pulled(None, first) == ["first run"]
    assert ex.levers_pulled(first, first) == []
    changed = {**first, "loss": "colour=0.5, shape=0.5", "features": "grey", "train pictures": 60}
    assert ex.levers_pulled(first, changed) == ["data", "features", "loss"]
    assert ex.levers_pulled(first, {**first, "activation": "tanh"}) == ["architecture"]
