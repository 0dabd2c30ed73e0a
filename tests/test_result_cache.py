"""The on-disk result cache: bounded, shared between processes, survives a restart (runtime/result_cache.py).

Also finding 4 of issue 21 (open-ended results pushed every warmed one out:
the warm budget is separate) and finding 9 (a replaced cache file ran code
in the server: files are signed, and one whose signature fails is never
unpickled).
"""

from __future__ import annotations

import os
import pickle
import stat
import time

import numpy as np
import pytest

from runtime import jobs, result_cache
from runtime.result_cache import MISSING, ResultCache, call_key, call_name, key_of, run_stored


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory, monkeypatch):
    """Every test signs with a key of its own, in a data directory apart from the cache."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.delenv("STREAMLIT_SERVER_COOKIE_SECRET", raising=False)
    monkeypatch.setenv("WHY_EMBEDDINGS_DATA_DIR", str(folder))
    return folder


def test_a_stored_result_survives_a_new_cache_object(tmp_path) -> None:
    """A restarted server (a new object on the same directory) finds what the last one stored."""
    key = call_key(jobs.word_map, ("animals", "foods"), "tsne")
    ResultCache(tmp_path).set(key, np.arange(6.0).reshape(3, 2))
    np.testing.assert_array_equal(ResultCache(tmp_path).get(key), np.arange(6.0).reshape(3, 2))
    assert ResultCache(tmp_path).get(key_of(("other",))) is MISSING


def test_a_result_is_named_by_the_call_itself() -> None:
    assert call_name(jobs.word_map, (("animals",), "tsne"))[0] == "runtime.jobs.word_map"
    its = (0, 250, 500)
    assert call_key(jobs.tsne_knob_run, "sizes", 300, 30, its) == call_key(jobs.tsne_knob_run, "sizes", 300.0, 30.0, its)
    assert call_key(jobs.tsne_knob_run, "sizes", 300, 30, its) != call_key(jobs.tsne_knob_run, "sizes", 300, 5, its)
    assert call_key(jobs.word_map, ("a",), "tsne") != call_key(jobs.carland_map, ("a",), "tsne")
    assert call_key(jobs.homework_points).isalnum()
    with pytest.raises(TypeError, match="plain settings; got a ndarray"):
        call_key(jobs.word_map, np.zeros((3, 2)), "tsne")  # never hash data: compute functions take settings
    with pytest.raises(TypeError, match="got a list"):
        call_key(jobs.word_map, ["animals"], "tsne")


def test_the_cache_keeps_to_its_size_limit_dropping_the_least_recently_used(tmp_path) -> None:
    cache = ResultCache(tmp_path, max_bytes=40_000)
    blob = np.zeros(1_000)  # about 8 kB pickled
    for i in range(4):
        cache.set(f"k{i}", blob, warm=False)
        os.utime(tmp_path / "open" / f"k{i}.pkl", (time.time() - 100 + i, time.time() - 100 + i))
    assert cache.get("k0") is not MISSING  # read: now the most recently used
    for i in range(4, 6):
        cache.set(f"k{i}", blob, warm=False)
    assert cache.size() <= 40_000
    assert "k0" in cache and "k5" in cache
    assert "k1" not in cache  # the oldest unread went first


def test_open_ended_results_never_push_out_the_warmed_ones(tmp_path) -> None:
    """Finding 4: 48 experiments of 5.3 MB filled the cap and evicted all 220 warmed results."""
    cache = ResultCache(tmp_path, max_bytes=40_000, warm_max_bytes=100_000)
    warmed = [f"warm{i}" for i in range(5)]
    for key in warmed:
        cache.set(key, np.zeros(1_000), warm=True)
    for i in range(30):  # a class's worth of experiments, far past the open budget
        cache.set(f"experiment{i}", np.zeros(1_000), warm=False)
    assert all(key in cache for key in warmed)
    assert cache.size(result_cache.OPEN) <= 40_000 and "experiment0" not in cache


def test_the_warm_budget_is_told_by_the_warm_up_list(tmp_path) -> None:
    from runtime import warmup

    job = warmup.warm_jobs()[0]
    cache = ResultCache(tmp_path)
    cache.set(job.key, 1)
    cache.set(call_key(jobs.carland_map, ("typed", "words"), "tsne", 0), 2)
    assert [p.parent.name for p in sorted(cache.files(), key=lambda p: p.parent.name)] == ["open", "warm"]
    assert (tmp_path / "warm" / f"{job.key}.pkl").exists()


def test_cache_files_and_folders_are_the_servers_alone(tmp_path, data_dir) -> None:
    cache = ResultCache(tmp_path / "results")
    cache.set("k", 1, warm=False)
    assert stat.S_IMODE((tmp_path / "results").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "results" / "open").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "results" / "open" / "k.pkl").stat().st_mode) == 0o600
    key_file = data_dir / result_cache.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and not key_file.is_relative_to(tmp_path / "results")


class _Planted:
    """What the attack of finding 9 planted: a pickle whose loading runs a command."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_never_runs(tmp_path) -> None:
    """Finding 9: replacing a cache file with a crafted pickle ran a command inside the server."""
    cache = ResultCache(tmp_path / "results")
    key = call_key(jobs.carland_map, ("car",), "tsne", 0)
    cache.set(key, np.zeros(3), warm=False)
    marker = tmp_path / "pwned"
    for budget in ("open", "warm"):  # a bare pickle, and one dressed in the file header, in either folder
        for blob in (pickle.dumps(_Planted(str(marker))), result_cache._MAGIC + b"\0" * 32 + pickle.dumps(_Planted(str(marker)))):
            path = tmp_path / "results" / budget / f"{key}.pkl"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(blob)
            assert cache.get(key) is MISSING
            assert not path.exists()  # refused, and deleted unread
    assert not marker.exists()


def test_a_file_signed_with_another_key_is_refused(tmp_path, monkeypatch) -> None:
    """A replica (or an attacker) with another secret cannot hand this server a result."""
    cache = ResultCache(tmp_path / "results")
    monkeypatch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", "the other server's secret")
    cache.set("k", np.arange(3.0), warm=False)
    np.testing.assert_array_equal(cache.get("k"), np.arange(3.0))  # the same secret reads it
    monkeypatch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", "this server's secret")
    assert "k" not in cache  # so the warm-up makes it again
    assert cache.get("k") is MISSING


def test_the_key_file_may_not_live_in_the_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WHY_EMBEDDINGS_DATA_DIR", str(tmp_path / "results" / "data"))
    with pytest.raises(ValueError, match="must not be inside the cache directory"):
        result_cache.signing_key(tmp_path / "results")


def test_run_stored_computes_once(tmp_path) -> None:
    calls = []

    def make(x: int) -> int:
        calls.append(x)
        return x * 2

    assert run_stored(make, 21, directory=str(tmp_path)) == 42
    assert run_stored(make, 21, directory=str(tmp_path)) == 42
    assert calls == [21]
    assert run_stored(make, 21, directory=str(tmp_path), keep=False) is None
    assert ResultCache(tmp_path).get(call_key(make, 21)) == 42


def test_the_location_and_size_come_from_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WHY_EMBEDDINGS_CACHE_DIR", str(tmp_path / "here"))
    monkeypatch.setenv("WHY_EMBEDDINGS_CACHE_MB", "3")
    monkeypatch.setenv("WHY_EMBEDDINGS_WARM_CACHE_MB", "5")
    cache = ResultCache()
    assert cache.directory == tmp_path / "here" and cache.budgets == {"open": 3 * 2**20, "warm": 5 * 2**20}
    monkeypatch.delenv("WHY_EMBEDDINGS_CACHE_DIR")
    assert result_cache.cache_dir() == result_cache.DEFAULT_DIR
