"""Where the class database lives: the URL from the environment, the engine, and the SQLite file's modes.

* ``WHY_EMBEDDINGS_DATABASE_URL``: a PostgreSQL URL (psycopg 3), shared by replicas;
* otherwise an SQLite file ``classes.sqlite3`` in ``WHY_EMBEDDINGS_DATA_DIR``
  (default ``./data``), in WAL mode with a 30 s busy timeout; every
  transaction starts with ``BEGIN IMMEDIATE`` so writers queue instead of failing.

The SQLite file holds seat tokens (a seat token answers as that student), so the
data directory is made ``0700`` and the file ``0600``: readable by the server's
account only. SQLite gives its ``-wal`` and ``-shm`` files the mode of the
database file, and any that an older version left readable are tightened too.
A PostgreSQL database's access is the operator's (its roles and ``pg_hba.conf``).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

DEFAULT_HOURS = 24.0
DEFAULT_SEATS_PER_ADDRESS = 60
_log = logging.getLogger(__name__)


def _private_directory(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        folder.chmod(0o700)
    except OSError as error:  # not ours (a mounted volume): say so, carry on
        _log.warning("could not make %s private (mode 0700): %s", folder, error)


def private_sqlite_file(path: str | os.PathLike) -> None:
    """Create the SQLite file (and tighten an existing one and its -wal/-shm) with mode 0600."""
    path = Path(path)
    if str(path) in ("", ":memory:"):
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # before SQLite makes it with the umask's mode
    os.close(fd)
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if each.exists():
            try:
                each.chmod(0o600)
            except OSError as error:
                _log.warning("could not make %s private (mode 0600): %s", each, error)


def database_url_from_env(data_dir: str | os.PathLike | None = None) -> str:
    """``WHY_EMBEDDINGS_DATABASE_URL``, or an SQLite file in the (private) data directory."""
    url = os.environ.get("WHY_EMBEDDINGS_DATABASE_URL", "").strip()
    if url:
        # Plain postgresql:// URLs would pick psycopg2, which is not installed.
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)
    folder = Path(data_dir or os.environ.get("WHY_EMBEDDINGS_DATA_DIR") or "data")
    _private_directory(folder)
    return f"sqlite:///{(folder / 'classes.sqlite3').resolve()}"


def _positive_env(name: str, default: float, upper: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if 0 < value < upper else default


def class_hours_from_env() -> float:
    """``WHY_EMBEDDINGS_CLASS_HOURS`` (a positive number), or 24."""
    return _positive_env("WHY_EMBEDDINGS_CLASS_HOURS", DEFAULT_HOURS, 24 * 365)


def seats_per_address_from_env() -> int:
    """``WHY_EMBEDDINGS_SEATS_PER_ADDRESS`` (seats one address may take in one class), or 60."""
    return int(_positive_env("WHY_EMBEDDINGS_SEATS_PER_ADDRESS", DEFAULT_SEATS_PER_ADDRESS, 100_000))


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite in WAL mode, ``BEGIN IMMEDIATE``, its file private."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        private_sqlite_file(engine.url.database or "")

        @event.listens_for(engine, "connect")
        def _sqlite_settings(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # Let SQLAlchemy's "begin" below open transactions, not pysqlite.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection) -> None:  # type: ignore[no-untyped-def]
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
