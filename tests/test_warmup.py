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
from runtime import result_cache, warmup
from ui import heavy
from runtime.worker import WorkerPool


@pytest.fixture()
def no_worker(monkeypatch):
    """Any call to the worker pool fails the test: the answer must already exist."""

    def refuse():
        raise AssertionError("the worker was asked for a result that should already exist")

    monkeypatch.setattr(heavy, "pool", refuse)


def test_the_warm_up_covers_every_choice_of_the_warmed_controls() -> None:
    names = {job.name for job in warmup.warm_jobs()}
    for width in FE.width.choices:
        twins = ex.twins(ex.Experiment(embedding_size=width))
        assert warmup.training_name(tuple(twins)) in names  # the key ui.training.train_live looks up
        for experiment in twins:
            for layer in ("input", "hidden 1", "embedding"):
                for n_points in FE.map_points.choices:
                    for perplexity in FE.map_perplexity.choices:
                        what = warmup.fe_points_name(experiment, layer, n_points)
                        assert warmup.projection_name(what, "tsne", random_state=0, perplexity=perplexity,
                                                      max_iter=500) in names
    lo, hi = FM.map_seed.bounds
    for seed in range(lo, hi + 1):
        assert warmup.projection_name(warmup.carland_name(CAR_LAND), "tsne", random_state=seed,
                                      perplexity=10.0, max_iter=500) in names
    # The default width's twins are trained before any other width's.
    trainings = [job.name for job in warmup.warm_jobs() if job.name[0] == "train"]
    assert trainings[0] == warmup.training_name(tuple(ex.twins(ex.Experiment(embedding_size=FE.width.default))))
    checkpoint_trainings = [warmup.training_name(models) for models in warmup.checkpoint_models()]
    assert len(trainings) == len(FE.width.choices) + len(checkpoint_trainings)
    assert set(checkpoint_trainings) <= names
    # ... and they are the models the checkpoints ask for (ui/features_losses/checks.py).
    from ui.features_losses import checks

    assert warmup.training_name((checks.grey_model(FE.width.default),)) in names
    from embedcore.compression import TASKS

    shipped = {job.name for job in warmup.artefact_jobs()}
    assert warmup.HOMEWORK_NAME in shipped and warmup.HOMEWORK_NAME not in names  # the homework map ships
    for task in TASKS:
        assert ("ii.compression_curve", task) in shipped and ("ii.digits_map", task, 90) in shipped


def test_the_t_sne_knobs_answer_from_the_shipped_maps(no_worker) -> None:
    from ui.imperfect_information import cache

    if heavy.shipped() is None:
        pytest.skip("the shipped maps are stale; tests/test_precomputed.py says so")
    for dataset, n_points, perplexity, iterations in [("sizes", 300, 30, 500), ("noise", 500, 2, 1000)]:
        shown = cache.tsne_run(dataset, n_points, perplexity, iterations)
        assert shown.shape == (n_points, 2)
        key = result_cache.key_of(warmup.tsne_knob_name(dataset, n_points, perplexity, iterations))
        np.testing.assert_array_equal(shown, heavy.shipped().get(key))
    groups = cache.region_groups(II.groups.default)
    assert cache.word_map(groups, "mds").shape == (len(cache.concepts(groups).words), 2)
    # The digits lesson's curve and map too (section 1 of the same page).
    assert len(cache.compression_curve("digit").accuracy) == 64
    assert cache.digits_map("zero").meters.k == 10


def test_a_warmed_car_land_map_is_what_the_page_draws(no_worker) -> None:
    from ui.format_matters import cache as fm_cache
    from ui.cache import word_vectors

    wv = word_vectors()
    name = warmup.projection_name(warmup.carland_name(CAR_LAND), "tsne", random_state=3, perplexity=10.0,
                                  max_iter=500)
    sentinel = np.arange(2.0 * len(CAR_LAND)).reshape(-1, 2)
    disk = result_cache.ResultCache()
    disk.set(result_cache.key_of(name), sentinel)
    try:
        projected = fm_cache.projection(wv, tuple(CAR_LAND), "tsne", 3)
        np.testing.assert_array_equal(projected.coords, sentinel)
        assert projected.method == "tsne"
    finally:
        (disk.directory / f"{result_cache.key_of(name)}.pkl").unlink()


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
    jobs = [job for job in warmup.warm_jobs() if job.name[1][0] == "fm.words"][:2]
    assert len(warmup.pending(jobs)) == 2
    pool = WorkerPool(n_workers=1, time_limit=120.0)
    try:
        tickets = warmup.submit_all(pool, jobs)
        assert all(ticket.background for ticket in tickets)
        for ticket in tickets:
            assert ticket.result(timeout=120).shape == (len(CAR_LAND), 2)
    finally:
        pool.shutdown()
    assert warmup.pending(jobs) == []
    stored = result_cache.ResultCache().get(jobs[0].key)
    np.testing.assert_allclose(stored, jobs[0].run(), rtol=1e-6, atol=1e-6)


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
