"""A bounded on-disk cache of heavy results, shared by the server, its worker and its replicas.

The warm-up (``runtime.warmup``) computes every heavy result a finite control can
ask for - trained twin models, model maps, Car-Land maps - in the worker
process, and each result lands here, one file per result. The server reads
them back on a student's request; a restarted server (or a second replica
on the same machine) finds them still there.

Plain files, no database: a value is pickled to a temporary file and moved
into place with ``os.replace``, so a reader never sees half a file and two
processes writing the same key just write the same thing twice. The total
size is bounded (:data:`DEFAULT_MAX_BYTES`, or ``WHY_EMBEDDINGS_CACHE_MB``):
past it, the least recently used files are deleted.

Only results named by settings go here (``ui.heavy.cached``), never a
student's upload or typed words. The directory is
``WHY_EMBEDDINGS_CACHE_DIR`` or ``.cache/results`` in the repository (git
ignores it). Nothing here imports streamlit: the worker uses it too.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / ".cache" / "results"
DEFAULT_MAX_BYTES = 256 * 2**20  # the whole warm-up takes about 60 MB
# Bump when the meaning of a stored result changes without its name changing.
FORMAT = 1
_SUFFIX = ".pkl"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def cache_dir() -> Path:
    """Where results are kept: ``$WHY_EMBEDDINGS_CACHE_DIR`` or ``.cache/results`` in the repository."""
    return Path(os.environ.get("WHY_EMBEDDINGS_CACHE_DIR") or DEFAULT_DIR)


def max_bytes() -> int:
    raw = os.environ.get("WHY_EMBEDDINGS_CACHE_MB")
    try:
        return int(float(raw) * 2**20) if raw else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


def key_of(name: tuple[Any, ...]) -> str:
    """A stable file-safe key for ``name``, a tuple of plain values (str, numbers, tuples, frozen dataclasses).

    The ``repr`` of such values is the same in every process, so the server,
    its worker and the build script name a result the same way.
    """
    text = repr((FORMAT, name))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class ResultCache:
    """Pickled results in a directory, at most ``max_bytes`` in total.

    Parameters
    ----------
    directory : Path, optional
        Default :func:`cache_dir`.
    max_bytes : int, optional
        Default :func:`max_bytes`.
    """

    def __init__(self, directory: Path | str | None = None, max_bytes: int | None = None) -> None:
        self.directory = Path(directory) if directory is not None else cache_dir()
        self.max_bytes = int(max_bytes if max_bytes is not None else globals()["max_bytes"]())
        self._lock = threading.Lock()

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}{_SUFFIX}"

    def get(self, key: str) -> Any:
        """The stored value, or :data:`MISSING` (also for a file that cannot be read)."""
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                value = pickle.load(handle)
        except FileNotFoundError:
            return MISSING
        except Exception:  # noqa: BLE001 - a damaged or foreign file is a miss, and goes
            log.warning("dropping unreadable cache file %s", path, exc_info=True)
            path.unlink(missing_ok=True)
            return MISSING
        try:
            os.utime(path)  # recently used: evicted last
        except OSError:
            pass
        return value

    def __contains__(self, key: str) -> bool:
        return self._path(key).exists()

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` (atomically), then trim the directory to its size limit."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            if len(data) > self.max_bytes // 4:
                log.info("not caching %s: %d bytes is too large", key, len(data))
                return
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=_SUFFIX)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, self._path(key))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            log.warning("could not write cache entry %s", key, exc_info=True)
            return
        self.trim()

    def files(self) -> list[Path]:
        try:
            return [p for p in self.directory.iterdir() if p.suffix == _SUFFIX and not p.name.startswith(".")]
        except FileNotFoundError:
            return []

    def size(self) -> int:
        total = 0
        for path in self.files():
            try:
                total += path.stat().st_size
            except FileNotFoundError:
                pass
        return total

    def trim(self) -> int:
        """Delete the least recently used files until the total fits; returns how many went."""
        with self._lock:
            entries = []
            for path in self.files():
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue
                entries.append((stat.st_mtime, stat.st_size, path))
            total = sum(size for _, size, _ in entries)
            removed = 0
            for _, size, path in sorted(entries):
                if total <= self.max_bytes:
                    break
                path.unlink(missing_ok=True)
                total -= size
                removed += 1
            # Temporary files left by a killed writer.
            for stale in self.directory.glob(".tmp-*"):
                try:
                    if time.time() - stale.stat().st_mtime > 600:
                        stale.unlink(missing_ok=True)
                except FileNotFoundError:
                    pass
            return removed


def compute_stored(key: str, fn: Any, *args: Any, directory: str | None = None, keep: bool = True,
                   **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, read from the cache if stored there, else computed and stored.

    Runs in the worker process (``ui.heavy.cached``, ``runtime.warmup``). With
    ``keep=False`` (warm-up jobs) it returns None instead of the value, so a
    result nobody asked for yet is not shipped back to the server.
    """
    cache = ResultCache(directory)
    value = cache.get(key)
    if value is MISSING:
        value = fn(*args, **kwargs)
        cache.set(key, value)
    return value if keep else None
