"""Every model Features & losses shows by itself is warmed at start-up (runtime/warmup.py), under the page's own key.

The warm-up builds its list without importing the page (``runtime`` sits
below ``ui``), so these tests hold the two lists together: the loss
mixer's family, the taxi example's default run and the levers' "one more
feature" comparison, each exactly as the page trains them.
"""

from __future__ import annotations

from app_state import FE
from embedcore import experiments as ex
from runtime import jobs, warmup
from runtime.result_cache import call_key
from ui.features_losses import checks
from ui.features_losses.levers import luck_experiments


def _warm_keys() -> set[str]:
    return {job.key for job in warmup.warm_jobs()}


def test_the_mixers_every_w_is_warmed() -> None:
    keys = _warm_keys()
    models = checks.mixer_experiments()
    assert len(models) == len(ex.mixer_ws(FE.mix_w.step)) == 11
    assert {call_key(jobs.trained, e) for e in models} <= keys


def test_the_taxi_default_run_and_the_levers_comparison_are_warmed() -> None:
    keys = _warm_keys()
    taxi = ex.taxi_models(FE.taxi_train.default, yellowness=True, colour_head=True,
                          colour_weight=FE.taxi_colour_w.default)
    assert {call_key(jobs.trained, e) for _, e in taxi} <= keys
    assert {call_key(jobs.trained, e) for pair in luck_experiments() for e in pair} <= keys
    # The levers' comparison is the experiment form's default run, with and without one more feature group.
    first, _ = luck_experiments()[0]
    assert first.features == tuple(FE.exp_features.default) and first.n_train == FE.exp_train.default


def test_the_twins_maps_are_pca_now_and_not_warmed_as_t_sne() -> None:
    """The twins' section draws PCA maps only (the model map offers t-SNE): no warm-up for a map nobody asks for."""
    keys = _warm_keys()
    for width in FE.width.choices:
        for experiment in ex.twins(ex.Experiment(embedding_size=width)):
            assert call_key(*jobs.fe_call(experiment, "embedding", "test", "tsne", 30.0)) not in keys


def test_what_the_first_open_shows_is_warmed_before_any_map() -> None:
    """A class opening the lesson on a fresh server waits for the twins, taxi and levers models, not for t-SNE."""
    listed = warmup.warm_jobs()
    first_map = next(i for i, job in enumerate(listed) if job.fn in (jobs.fe_map, jobs.input_map))
    opening = {call_key(jobs.trained, e) for e in warmup.opening_models()}
    opening |= {call_key(jobs.trained, e) for e in ex.twins(ex.Experiment(embedding_size=FE.width.default))}
    assert {job.key for job in listed[:first_map]} >= opening
