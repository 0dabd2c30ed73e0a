"""The shipped precomputed maps match the code that made them (embedcore/data/precomputed/).

``scripts/build_precomputed.py`` computes every map of the t-SNE knobs and
the word maps (``runtime.warmup.artefact_jobs``) and records a fingerprint of the
code, data and library versions. These tests fail when the file is stale:
rebuild it with ``.venv/bin/python scripts/build_precomputed.py``.
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from app_state import II
from embedcore import precomputed
from runtime import warmup


@pytest.fixture(scope="module")
def shipped() -> precomputed.Precomputed:
    artefact = precomputed.load()
    assert artefact is not None, "embedcore/data/precomputed/ is missing: run scripts/build_precomputed.py"
    return artefact


def test_the_artefact_was_built_by_this_code(shipped) -> None:
    assert shipped.version == precomputed.VERSION
    assert shipped.fingerprint == warmup.fingerprint(), "stale: run scripts/build_precomputed.py"


def test_it_holds_every_map_the_t_sne_knobs_can_ask_for_and_nothing_else(shipped) -> None:
    jobs = warmup.artefact_jobs()
    assert {job.key for job in jobs} == set(shipped.maps)
    cells = list(warmup.tsne_knob_grid())
    # Every data set x perplexity the knobs offer, each run photographed at every iteration of the slider.
    assert len(cells) == len(II.tsne_data.choices) * len(II.perplexity.choices)
    assert {cell[3] for cell in cells} == {tuple(II.iterations.choices)}
    from embedcore.tsne import RunReadings, TsneRun

    for job in jobs:
        if job.fn is warmup.jobs.word_map:
            coords = shipped.get(job.key)
            assert coords.ndim == 2 and coords.shape[1] == 2 and np.isfinite(coords).all(), job.name
        if job.fn is warmup.jobs.tsne_knob_run:
            run, readings = shipped.get(job.key)
            assert isinstance(run, TsneRun) and isinstance(readings, RunReadings), job.name
            assert run.snapshots.shape == (len(II.iterations.choices), job.args[1], 2), job.name
            assert np.isfinite(run.snapshots).all() and len(readings.clumps) == len(II.iterations.choices)
    # The digits lesson's results come back as the embedcore objects the page reads.
    from embedcore.compression import TASKS, CompressionCurve, DigitsMap
    from embedcore.meters import MapMeters

    for task in TASKS:
        assert isinstance(shipped.get(warmup.Job(warmup.jobs.compression_curve, (task,)).key), CompressionCurve)
        digits_map, meters = shipped.get(warmup.Job(warmup.jobs.digits_map, (task, warmup.jobs.DIGITS_RESOLUTION)).key)
        assert isinstance(digits_map, DigitsMap) and isinstance(meters, MapMeters)
        assert isinstance(meters.recall, float) and isinstance(meters.k, int)


def _assert_same(shown, expected, what) -> None:
    if isinstance(expected, np.ndarray):
        np.testing.assert_allclose(shown, expected, rtol=1e-6, atol=1e-6, err_msg=what)
        return
    parts = expected if isinstance(expected, tuple) else (expected,)
    got = shown if isinstance(shown, tuple) else (shown,)
    assert len(got) == len(parts) and [type(g) for g in got] == [type(p) for p in parts], what
    for mine, theirs in zip(got, parts):
        for field in dataclasses.fields(theirs):
            a, b = getattr(mine, field.name), getattr(theirs, field.name)
            if isinstance(b, np.ndarray):
                np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6, err_msg=f"{what} {field.name}")
            else:
                assert a == pytest.approx(b, rel=1e-6), (what, field.name)


def test_the_artefact_stays_small() -> None:
    """The budget the README states: 3 MB for the whole artefact (0.71 MB when the t-SNE snapshots came in)."""
    size = sum(p.stat().st_size for p in precomputed.DIRECTORY.iterdir())
    assert size < 3 * 2**20, size


@pytest.mark.parametrize("seed", [0, 1])
def test_sampled_entries_recompute_to_the_shipped_maps(shipped, seed: int) -> None:
    """Recompute a few entries with the same code, as the worker does (one BLAS/OpenMP thread)."""
    jobs = warmup.artefact_jobs()
    rng = random.Random(seed)
    # Cheap ones: a t-SNE knob run or a word map (a second or two each), and one digits result.
    maps = [j for j in jobs if j.fn in (warmup.jobs.tsne_knob_run, warmup.jobs.word_map)]
    cheap = maps
    others = [j for j in jobs if j not in maps]
    for job in [*rng.sample(cheap, 2), rng.choice(others)]:
        with threadpool_limits(limits=1):
            expected = job.run()
        _assert_same(shipped.get(job.key), expected, repr(job.name))


def test_a_missing_or_foreign_artefact_is_refused(tmp_path) -> None:
    assert precomputed.load(tmp_path) is None
    (tmp_path / precomputed.INFO_FILE).write_text('{"version": 999}')
    assert precomputed.load(tmp_path) is None
