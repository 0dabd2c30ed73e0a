"""The on-disk result cache: bounded, shared between processes, survives a restart (runtime/result_cache.py)."""

from __future__ import annotations

import os
import time

import numpy as np

from runtime import result_cache
from runtime.result_cache import MISSING, ResultCache, compute_stored, key_of


def test_a_stored_result_survives_a_new_cache_object(tmp_path) -> None:
    """A restarted server (a new object on the same directory) finds what the last one stored."""
    key = key_of(("projection", ("ii.words", ("animals", "foods")), "tsne", 0, 15.0, 500))
    ResultCache(tmp_path).set(key, np.arange(6.0).reshape(3, 2))
    np.testing.assert_array_equal(ResultCache(tmp_path).get(key), np.arange(6.0).reshape(3, 2))
    assert ResultCache(tmp_path).get(key_of(("other",))) is MISSING


def test_names_give_stable_distinct_keys() -> None:
    assert key_of(("a", 1, 2.0)) == key_of(("a", 1, 2.0))
    assert key_of(("a", 1, 2.0)) != key_of(("a", 2, 1.0))
    assert key_of(("a",)).isalnum()


def test_the_cache_keeps_to_its_size_limit_dropping_the_least_recently_used(tmp_path) -> None:
    cache = ResultCache(tmp_path, max_bytes=40_000)
    blob = np.zeros(1_000)  # about 8 kB pickled
    for i in range(4):
        cache.set(f"k{i}", blob)
        os.utime(tmp_path / f"k{i}.pkl", (time.time() - 100 + i, time.time() - 100 + i))
    assert cache.get("k0") is not MISSING  # read: now the most recently used
    for i in range(4, 6):
        cache.set(f"k{i}", blob)
    assert cache.size() <= 40_000
    assert "k0" in cache and "k5" in cache
    assert "k1" not in cache  # the oldest unread went first


def test_a_damaged_file_is_a_miss_and_is_removed(tmp_path) -> None:
    (tmp_path / "bad.pkl").write_bytes(b"not a pickle")
    assert ResultCache(tmp_path).get("bad") is MISSING
    assert not (tmp_path / "bad.pkl").exists()


def test_compute_stored_computes_once(tmp_path) -> None:
    calls = []

    def make(x: int) -> int:
        calls.append(x)
        return x * 2

    assert compute_stored("k", make, 21, directory=str(tmp_path)) == 42
    assert compute_stored("k", make, 21, directory=str(tmp_path)) == 42
    assert calls == [21]
    assert compute_stored("k", make, 21, directory=str(tmp_path), keep=False) is None


def test_the_location_and_size_come_from_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WHY_EMBEDDINGS_CACHE_DIR", str(tmp_path / "here"))
    monkeypatch.setenv("WHY_EMBEDDINGS_CACHE_MB", "3")
    cache = ResultCache()
    assert cache.directory == tmp_path / "here" and cache.max_bytes == 3 * 2**20
    monkeypatch.delenv("WHY_EMBEDDINGS_CACHE_DIR")
    assert result_cache.cache_dir() == result_cache.DEFAULT_DIR
