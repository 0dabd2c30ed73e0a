"""Shared fixtures for the whole suite."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import numpy as np
import pytest

# Keep the model2vec / Hugging Face stack off the network, everywhere.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# No start-up warm-up in the tests (it would keep the worker busy for minutes), and an empty
# on-disk result cache of their own: a test never depends on what a server warmed before
# (runtime/warmup.py, runtime/result_cache.py). Servers the tests start inherit both.
os.environ["WHY_EMBEDDINGS_WARMUP"] = "0"
os.environ["WHY_EMBEDDINGS_CACHE_DIR"] = tempfile.mkdtemp(prefix="why-embeddings-test-cache-")
atexit.register(shutil.rmtree, os.environ["WHY_EMBEDDINGS_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_data_cache():
    """Clear ``st.cache_data`` between tests so each test computes afresh.

    ``st.cache_resource`` is deliberately *kept*: it holds the loaded word
    vectors, which every page shares read-only, and reloading them in every
    test would only slow the suite down.
    """
    import streamlit as st

    st.cache_data.clear()
    yield


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Record every file the app hands to the media store (download buttons), by file id.

    Read one back with :func:`tests.apptest_utils.download`.
    """
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files


@pytest.fixture()
def blobs() -> tuple[np.ndarray, np.ndarray]:
    """Three well-separated groups of 20 seeded points in 8-D: ``(X, labels)``, shapes (60, 8) and (60,).

    The meters' and the k-NN tests' common data (tests/test_meters.py, tests/test_knn.py).
    """
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=4.0, size=(3, 8))
    labels = np.repeat(np.arange(3), 20)
    return centres[labels] + rng.standard_normal((60, 8)), labels


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL for the whole session (Debian's initdb and pg_ctl): the class store's tests run on it.

    Skips without PostgreSQL, and fails under CI=true.
    """
    from benchmarks.postgres_server import TemporaryPostgres, find_bin_dir

    if find_bin_dir() is None:
        reason = "PostgreSQL not installed (apt-get install -y postgresql)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    with TemporaryPostgres() as pg:
        yield pg.url
