"""Heavy results for finite controls exist before a student asks (runtime/warmup.py, ui/heavy.py).

The t-SNE knobs and word maps come from the shipped artefact, the rest from
the on-disk cache that the start-up warm-up fills. These tests check that
the pages and the warm-up name results alike, that a page answers from what
is stored without calling the worker, and that the warm-up fills the cache.
"""

from __future__ import annotations

import numpy as np
import pytest

from app_state import FE, FM, II
from embedcore import experiments as ex
from embedcore.wordlists import CAR_LAND
from runtime import jobs, result_cache, warmup
from runtime.result_cache import call_key
from runtime.worker import WorkerPool
from ui import heavy


@pytest.fixture()
def no_worker(monkeypatch):
    """Any call to the worker pool fails the test: the answer must already exist."""

    def refuse():
        raise AssertionError("the worker was asked for a result that should already exist")

    monkeypatch.setattr(heavy, "pool", refuse)


def test_the_warm_up_covers_every_choice_of_the_warmed_controls() -> None:
    keys = {job.key for job in warmup.warm_jobs()}
    for width in FE.width.choices:
        twins = ex.twins(ex.Experiment(embedding_size=width))
        for experiment in twins:
            assert call_key(jobs.trained, experiment) in keys  # the key ui.training.train_live looks up
            for layer in ("input", "hidden 1", "embedding"):
                for n_points in FE.map_points.choices:
                    for perplexity in FE.map_perplexity.choices:
                        assert call_key(*jobs.fe_call(experiment, layer, n_points, "tsne", perplexity)) in keys
    lo, hi = FM.map_seed.bounds
    for seed in range(lo, hi + 1):
        assert call_key(jobs.carland_map, tuple(CAR_LAND), "tsne", seed) in keys
    # The default width's twins are trained before any other width's.
    trainings = [job for job in warmup.warm_jobs() if job.fn is jobs.trained]
    assert [job.args[0] for job in trainings[:2]] == list(ex.twins(ex.Experiment(embedding_size=FE.width.default)))
    # ... and the checkpoints' models are there too (ui/features_losses/checks.py).
    from ui.features_losses import checks

    assert call_key(jobs.trained, checks.grey_model(FE.width.default)) in keys
    assert {call_key(jobs.trained, e) for e in warmup.checkpoint_models()} <= keys
    from embedcore.compression import TASKS

    shipped = {job.key for job in warmup.artefact_jobs()}
    assert call_key(jobs.homework_points) in shipped and call_key(jobs.homework_points) not in keys
    for task in TASKS:
        assert call_key(jobs.compression_curve, task) in shipped and call_key(jobs.digits_map, task, 90) in shipped


def test_each_result_is_listed_once_and_the_input_layer_is_shared() -> None:
    """One key per result: the input layer's map is the pictures', not computed per model and width."""
    listed = warmup.warm_jobs()
    assert len({job.key for job in listed}) == len(listed)
    inputs = [job for job in listed if job.fn is jobs.input_map]
    assert len(inputs) == len(FE.map_points.choices) * len(FE.map_perplexity.choices)


def test_the_t_sne_knobs_answer_from_the_shipped_maps(no_worker) -> None:
    from ui.imperfect_information import cache

    if heavy.shipped() is None:
        pytest.skip("the shipped maps are stale; tests/test_precomputed.py says so")
    perplexities, iterations = tuple(II.perplexity.choices), tuple(II.iterations.choices)
    for dataset in ("sizes", "noise"):
        family = cache.tsne_family(dataset, perplexities, iterations)
        for perplexity in (2, 30):
            run, _ = family.at(perplexity)
            assert run.snapshots.shape == (len(iterations), cache.TSNE_POINTS, 2)
            key = call_key(jobs.tsne_knob_run, dataset, cache.TSNE_POINTS, perplexity, iterations)
            np.testing.assert_array_equal(run.snapshots, heavy.shipped().get(key)[0].snapshots)
    groups = cache.region_groups(II.groups.default)
    assert cache.word_map(groups, "mds").shape == (len(cache.concepts(groups).words), 2)
    # The digits lesson's curve and map too (section 1 of the same page).
    assert len(cache.compression_curve("digit").accuracy) == 64
    assert cache.digits_map("zero").meters.k == 10


def test_a_warmed_car_land_map_is_what_the_page_draws(no_worker) -> None:
    from ui.format_matters import cache as fm_cache
    from ui.cache import word_vectors

    wv = word_vectors()
    key = call_key(jobs.carland_map, tuple(CAR_LAND), "tsne", 3)
    sentinel = np.arange(2.0 * len(CAR_LAND)).reshape(-1, 2)
    disk = result_cache.ResultCache()
    saved = disk.get(key)
    disk.set(key, sentinel)
    try:
        projected = fm_cache.projection(wv, tuple(CAR_LAND), "tsne", 3)
        np.testing.assert_array_equal(projected.coords, sentinel)
        assert projected.method == "tsne"
    finally:
        if saved is result_cache.MISSING:
            (disk.directory / result_cache.WARM / f"{key}.pkl").unlink()
        else:
            disk.set(key, saved)


def test_typed_words_are_not_kept_on_disk(monkeypatch) -> None:
    """Words a student added go to the worker and nowhere else."""
    from ui.format_matters import cache as fm_cache
    from ui.cache import word_vectors

    asked = []
    monkeypatch.setattr(heavy, "cached", lambda *a, **k: asked.append(a) or pytest.fail("typed words cached"))
    wv = word_vectors()
    words = (*CAR_LAND, "skateboard")
    projected = fm_cache.projection(wv, words, "tsne", 0)
    assert projected.coords.shape == (len(words), 2) and asked == []


def test_the_warm_up_fills_the_disk_cache_in_the_worker(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WHY_EMBEDDINGS_CACHE_DIR", str(tmp_path))
    listed = [job for job in warmup.warm_jobs() if job.fn is jobs.carland_map][:2]
    assert len(warmup.pending(listed)) == 2
    pool = WorkerPool(n_workers=1, time_limit=120.0)
    try:
        tickets = warmup.submit_all(pool, listed)
        assert all(ticket.background for ticket in tickets)
        for ticket in tickets:
            assert ticket.result(timeout=120).shape == (len(CAR_LAND), 2)
    finally:
        pool.shutdown()
    assert warmup.pending(listed) == []
    stored = result_cache.ResultCache().get(listed[0].key)
    np.testing.assert_allclose(stored, listed[0].run(), rtol=1e-6, atol=1e-6)
    assert (tmp_path / result_cache.WARM / f"{listed[0].key}.pkl").exists()  # in the warm budget


def test_the_warm_up_can_be_switched_off(monkeypatch) -> None:
    monkeypatch.setenv("WHY_EMBEDDINGS_WARMUP", "0")
    assert warmup.start(object()) == 0
    monkeypatch.setenv("WHY_EMBEDDINGS_WARMUP", "1")
    assert warmup.enabled()


def test_every_streamlit_cache_is_bounded() -> None:
    """A cache keyed by arguments has max_entries (or ttl); one without arguments holds one value."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    unbounded = []
    for path in [*root.glob("ui/*.py"), *root.glob("pages/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                call = decorator if isinstance(decorator, ast.Call) else None
                target = ast.unparse(call.func if call else decorator)
                if target not in ("st.cache_data", "st.cache_resource"):
                    continue
                bounded = call is not None and any(k.arg in ("max_entries", "ttl") for k in call.keywords)
                if not bounded and (node.args.args or node.args.kwonlyargs):
                    unbounded.append(f"{path.name}:{node.name}")
    assert unbounded == []
