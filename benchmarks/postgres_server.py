"""A throwaway PostgreSQL server for the tests and checks: Debian's ``initdb`` and ``pg_ctl``.

    with TemporaryPostgres() as pg:
        url = pg.url            # postgresql+psycopg://why@127.0.0.1:PORT/why

It initialises a cluster in a temporary directory, starts it on a free
loopback port (no Unix socket outside that directory), creates the ``why``
database and removes everything on exit. PostgreSQL refuses to run as root,
so under root the cluster belongs to the ``postgres`` user (created by
Debian's package) and the commands run through ``runuser``.

Needs Debian's ``postgresql`` package (``.ci/run`` installs it); :func:`find_bin_dir`
returns None when it is missing, so callers can skip or fail with a reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def find_bin_dir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl`` (newest Debian version), or None."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TemporaryPostgres:
    """Start a private PostgreSQL cluster; ``url`` is its SQLAlchemy URL."""

    def __init__(self, bin_dir: Path | None = None) -> None:
        found = bin_dir or find_bin_dir()
        if found is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install -y postgresql)")
        self.bin_dir = found
        self.port = _free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="why-embeddings-pg-"))
        self.datadir = self.workdir / "data"
        self.user = "why"
        self.database = "why"
        self._as: list[str] = []
        self._started = False

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args: str, timeout: float = 120) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, timeout=timeout)

    def start(self) -> TemporaryPostgres:
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")  # Debian's package creates it
            os.chown(self.workdir, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.datadir), "-U", self.user, "--auth=trust",
            "--encoding=UTF8", "--no-locale", "--no-sync",
        )
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.workdir} -c fsync=off -c max_connections=200"
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.datadir), "-o", options,
            "-l", str(self.workdir / "server.log"), "-w", "-t", "60", "start",
        )
        self._started = True
        self._run(str(self.bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, self.database)
        return self

    def stop(self) -> None:
        if self._started:
            try:
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop", timeout=60)
            except (subprocess.SubprocessError, OSError):
                pass
            self._started = False
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> TemporaryPostgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":  # a quick manual check
    t0 = time.time()
    with TemporaryPostgres() as pg:
        print("started", pg.url, f"in {time.time() - t0:.1f} s")
