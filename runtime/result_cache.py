"""A bounded on-disk cache of heavy results, shared by the server, its worker and its replicas.

A result is named by the call that makes it (:func:`call_key`: the compute
function's qualified name and its plain arguments), so a page, the warm-up
and the build name it alike. Plain files, no database: a value is written
to a temporary file and moved into place with ``os.replace``, so a reader
never sees half a file and two processes writing the same key write the
same thing twice.

**Two budgets.** Results the warm-up makes (``runtime.warmup.is_warm``) go
to ``warm/``, everything else (a student's own experiment) to ``open/``;
each is trimmed, least recently used first, within its own size limit
(``WHY_EMBEDDINGS_WARM_CACHE_MB``, ``WHY_EMBEDDINGS_CACHE_MB``), so
open-ended jobs can never push out what was warmed.

**Files that cannot run code.** Results are objects (trained networks,
dataclasses of arrays), pickled; unpickling a file someone replaced would
run their code. So each file carries an HMAC-SHA256 of its bytes, and a file
whose signature does not check is deleted unread. The key is derived from
``STREAMLIT_SERVER_COOKIE_SECRET`` when it is set (replicas share it anyway),
else from a random key file made once, readable by the server's account only,
in the data directory (``WHY_EMBEDDINGS_DATA_DIR``, default ``./data``) -
never in the cache directory. The directories are made 0700 and the files 0600.

Only results named by settings go here (``ui.heavy.cached``), never a
student's upload or typed words. The directory is ``WHY_EMBEDDINGS_CACHE_DIR``
or ``.cache/results`` in the repository (git ignores it). Nothing here
imports streamlit: the worker uses it too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import hmac
import logging
import numbers
import os
import pickle
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / ".cache" / "results"
DEFAULT_MAX_BYTES = 256 * 2**20  # open-ended results (students' experiments, about 5 MB each)
DEFAULT_WARM_MAX_BYTES = 128 * 2**20  # the whole warm-up takes about 19 MB
# Bump when the meaning or the layout of a stored result changes without its call changing.
FORMAT = 2
_SUFFIX = ".pkl"
_MAGIC = b"why-embeddings result\n"
_DIGEST = hashlib.sha256().digest_size
WARM, OPEN = "warm", "open"
KEY_FILE = "result-cache.key"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


# --------------------------------------------------------------------------
# Where, how much, and the name of a call
# --------------------------------------------------------------------------
_override = threading.local()


def cache_dir() -> Path:
    """Where results are kept: the job's directory (:func:`using`), ``$WHY_EMBEDDINGS_CACHE_DIR`` or the default."""
    forced = getattr(_override, "directory", None)
    return Path(forced or os.environ.get("WHY_EMBEDDINGS_CACHE_DIR") or DEFAULT_DIR)


@contextlib.contextmanager
def using(directory: str | os.PathLike | None) -> Iterator[None]:
    """Make ``directory`` this thread's cache while the block runs (a job sent by a server with its own)."""
    saved = getattr(_override, "directory", None)
    _override.directory = directory or saved
    try:
        yield
    finally:
        _override.directory = saved


def _megabytes(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return int(float(raw) * 2**20) if raw else default
    except ValueError:
        return default


def max_bytes() -> int:
    return _megabytes("WHY_EMBEDDINGS_CACHE_MB", DEFAULT_MAX_BYTES)


def warm_max_bytes() -> int:
    return _megabytes("WHY_EMBEDDINGS_WARM_CACHE_MB", DEFAULT_WARM_MAX_BYTES)


def _plain(value: Any) -> Any:
    """``value`` as a key part: numbers as floats (2 and 2.0 name one result); refuses arrays and objects."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Real):  # numpy's scalars too
        return float(value)
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and value.__dataclass_params__.frozen:
        fields = tuple((f.name, _plain(getattr(value, f.name))) for f in dataclasses.fields(value))
        return (f"{type(value).__module__}.{type(value).__qualname__}", fields)
    raise TypeError(f"a result is named by plain settings; got a {type(value).__name__}")


def call_name(fn: Callable[..., Any], args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None) -> tuple:
    """The name of the result of ``fn(*args, **kwargs)``: its qualified name and its plain arguments.

    Raises
    ------
    TypeError
        If an argument is not a plain setting (an array, a list, a mutable object).
    """
    qualified = f"{fn.__module__}.{fn.__qualname__}"
    return (qualified, _plain(tuple(args)), tuple(sorted((k, _plain(v)) for k, v in (kwargs or {}).items())))


def key_of(name: tuple[Any, ...]) -> str:
    """A stable file-safe key for ``name`` (a :func:`call_name`): the same in every process."""
    return hashlib.sha256(repr((FORMAT, name)).encode("utf-8")).hexdigest()[:32]


def call_key(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """The key of the result of ``fn(*args, **kwargs)``."""
    return key_of(call_name(fn, args, kwargs))


def is_warm(key: str) -> bool:
    """Whether ``key`` is one of the results the warm-up makes (kept in the warm budget)."""
    from runtime.warmup import warm_keys

    return key in warm_keys()


# --------------------------------------------------------------------------
# The signing key
# --------------------------------------------------------------------------
def data_dir() -> Path:
    return Path(os.environ.get("WHY_EMBEDDINGS_DATA_DIR") or "data")


@functools.lru_cache(maxsize=4)
def _key_from(secret: str | None, key_file: str) -> bytes:
    if secret:
        return hmac.new(secret.encode("utf-8"), b"why-embeddings result cache", hashlib.sha256).digest()
    path = Path(key_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_bytes()
        if len(key) < 32:
            raise ValueError(f"the result cache's key file {path} is damaged: delete it") from None
        return key
    with os.fdopen(handle, "wb") as out:
        out.write(secrets.token_bytes(32))
    return path.read_bytes()


def signing_key(directory: Path | None = None) -> bytes:
    """The key that signs cache files: from the cookie secret, else from ``<data dir>/result-cache.key``.

    Raises
    ------
    ValueError
        If the key file would lie inside the cache ``directory`` (whoever can
        write a cache file could then sign it).
    """
    secret = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or None
    key_file = (data_dir() / KEY_FILE).resolve()
    if secret is None and directory is not None and key_file.is_relative_to(Path(directory).resolve()):
        raise ValueError("the result cache's key file must not be inside the cache directory")
    return _key_from(secret, str(key_file))


# --------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------
class ResultCache:
    """Signed, pickled results in a directory: ``warm/`` and ``open/``, each within its own size limit.

    Parameters
    ----------
    directory : Path, optional
        Default :func:`cache_dir`.
    max_bytes, warm_max_bytes : int, optional
        The open-ended and the warm budget (default :func:`max_bytes`, :func:`warm_max_bytes`).
    """

    def __init__(self, directory: Path | str | None = None, max_bytes: int | None = None,
                 warm_max_bytes: int | None = None) -> None:
        self.directory = Path(directory) if directory is not None else cache_dir()
        self.budgets = {OPEN: int(max_bytes if max_bytes is not None else globals()["max_bytes"]()),
                        WARM: int(warm_max_bytes if warm_max_bytes is not None else globals()["warm_max_bytes"]())}
        self.max_bytes = self.budgets[OPEN]
        self._lock = threading.Lock()

    def _path(self, key: str, budget: str) -> Path:
        return self.directory / budget / f"{key}{_SUFFIX}"

    def _sign(self, data: bytes) -> bytes:
        return hmac.new(signing_key(self.directory), data, hashlib.sha256).digest()

    def _verified(self, key: str) -> tuple[Path, bytes] | None:
        """The path and the pickled bytes of ``key``'s file if its signature checks; a forged file is deleted."""
        for budget in (WARM, OPEN):
            path = self._path(key, budget)
            try:
                blob = path.read_bytes()
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError:
                log.warning("cannot read cache file %s", path, exc_info=True)
                return None
            head, signature, data = blob[:len(_MAGIC)], blob[len(_MAGIC):len(_MAGIC) + _DIGEST], blob[len(_MAGIC) + _DIGEST:]
            if head != _MAGIC or not hmac.compare_digest(signature, self._sign(data)):
                log.warning("refusing cache file %s: its signature does not check (deleted unread)", path)
                path.unlink(missing_ok=True)
                return None
            return path, data
        return None

    def get(self, key: str) -> Any:
        """The stored value, or :data:`MISSING` (also for a file that is unsigned, forged or damaged)."""
        found = self._verified(key)
        if found is None:
            return MISSING
        path, data = found
        try:
            value = pickle.loads(data)  # signed by this server's key: written by it or a replica
        except Exception:  # noqa: BLE001 - a stale class layout: a miss, and the file goes
            log.warning("dropping unreadable cache file %s", path, exc_info=True)
            path.unlink(missing_ok=True)
            return MISSING
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: evicted last
        return value

    def __contains__(self, key: str) -> bool:
        """Whether ``key`` is stored with a good signature (one signed with another key is not, and goes)."""
        return self._verified(key) is not None

    def _folder(self, budget: str) -> Path:
        folder = self.directory / budget
        for path in (self.directory, folder):
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o700)  # only the server's account reads what it will unpickle
        return folder

    def set(self, key: str, value: Any, *, warm: bool | None = None) -> None:
        """Store ``value`` signed (atomically) in its budget (``warm``: default :func:`is_warm`), then trim it."""
        budget = WARM if (is_warm(key) if warm is None else warm) else OPEN
        try:
            folder = self._folder(budget)
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            if len(data) > self.budgets[budget] // 4:
                log.info("not caching %s: %d bytes is too large", key, len(data))
                return
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=_SUFFIX)  # mode 0600
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(_MAGIC + self._sign(data) + data)
                os.replace(temporary, self._path(key, budget))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            log.warning("could not write cache entry %s", key, exc_info=True)
            return
        self.trim(budget)

    def files(self, budget: str | None = None) -> list[Path]:
        found = []
        for name in (budget,) if budget else (WARM, OPEN):
            with contextlib.suppress(FileNotFoundError):
                found += [p for p in (self.directory / name).iterdir()
                          if p.suffix == _SUFFIX and not p.name.startswith(".")]
        return found

    def size(self, budget: str | None = None) -> int:
        total = 0
        for path in self.files(budget):
            with contextlib.suppress(FileNotFoundError):
                total += path.stat().st_size
        return total

    def trim(self, budget: str = OPEN) -> int:
        """Delete ``budget``'s least recently used files until it fits; returns how many went."""
        with self._lock:
            entries = []
            for path in self.files(budget):
                with contextlib.suppress(FileNotFoundError):
                    stat = path.stat()
                    entries.append((stat.st_mtime, stat.st_size, path))
            total = sum(size for _, size, _ in entries)
            removed = 0
            for _, size, path in sorted(entries):
                if total <= self.budgets[budget]:
                    break
                path.unlink(missing_ok=True)
                total -= size
                removed += 1
            # Temporary files left by a killed writer, and files of the unsigned format 1.
            stale = [*self.directory.glob(f"*/.tmp-*{_SUFFIX}"), *self.directory.glob(f"*{_SUFFIX}")]
            for path in stale:
                with contextlib.suppress(FileNotFoundError):
                    if path.parent == self.directory or time.time() - path.stat().st_mtime > 600:
                        path.unlink(missing_ok=True)
            return removed


def run_stored(fn: Callable[..., Any], *args: Any, directory: str | None = None, keep: bool = True,
               store: bool = True, on_progress: Callable[..., Any] | None = None) -> Any:
    """``fn(*args)``, read from the cache if stored there, else computed and stored under :func:`call_key`.

    Runs in the worker process (``ui.heavy``, ``runtime.warmup``). ``directory``
    is the server's cache, for the call and anything it reads from the cache.
    With ``keep=False`` (warm-up jobs) it returns None instead of the value, so
    a result nobody asked for yet is not shipped back to the server. With
    ``store=False`` the call stores its own results (``jobs.train_together``).
    ``on_progress`` goes to ``fn`` and is no part of the key.
    """
    extra = {"on_progress": on_progress} if on_progress is not None else {}
    with using(directory):
        if not store:
            value = fn(*args, **extra)
            return value if keep else None
        cache = ResultCache()
        key = call_key(fn, *args)
        value = cache.get(key)
        if value is MISSING:
            value = fn(*args, **extra)
            cache.set(key, value)
        return value if keep else None
