"""Start and measure a local app server for benchmarks (loopback only)."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{url} did not become healthy in {timeout:.0f} s")


def start_streamlit(port: int, *, env: dict[str, str] | None = None, log=subprocess.DEVNULL) -> subprocess.Popen:
    """The app's server (``python -m runtime.serve``, as ``deploy/serve.sh`` starts it) on 127.0.0.1:port."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "runtime.serve",
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none",
            "--server.runOnSave", "false",
            "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(template: str, replica_ports: list[int], listen_port: int, workdir: Path) -> str:
    """deploy/nginx.conf with its ports and scratch paths moved to this run's."""
    conf = template.replace("server 127.0.0.1:8501;", f"server 127.0.0.1:{replica_ports[0]};")
    conf = conf.replace("server 127.0.0.1:8502;", f"server 127.0.0.1:{replica_ports[1]};")
    conf = conf.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{listen_port};")
    conf = conf.replace("/tmp/why-embeddings-nginx", str(workdir / "nginx"))
    for port in (8501, 8502, 8080):
        assert f"127.0.0.1:{port};" not in conf, "template changed: update nginx_config()"
    return conf


@contextlib.contextmanager
def running_server(url: str | None = None, env: dict[str, str] | None = None, replicas: int = 1,
                   log_dir: Path | None = None) -> Iterator[tuple[str, list[int] | None, list[str]]]:
    """Yield (base URL, the server pids, each server's own URL). With ``url``, use that server (pids unknown).

    ``replicas=2`` starts two servers behind nginx with ``deploy/nginx.conf``, as a
    class server with two cores runs (one Python process uses one core for its
    scripts); the URL is nginx's. With ``log_dir``, each server's output and nginx's
    go to files there (``replica0.log``, ``replica1.log``, ``nginx.log``), which are kept.
    """
    if url:
        yield url.rstrip("/"), None, [url.rstrip("/")]
        return
    if replicas not in (1, 2):
        raise ValueError("deploy/nginx.conf names two replicas: replicas must be 1 or 2")
    if replicas == 2 and not Path(NGINX).exists():
        raise RuntimeError(f"nginx not found at {NGINX}: apt-get install -y nginx-light")
    workdir = log_dir or Path(tempfile.mkdtemp(prefix="why-embeddings-servers-"))

    def output(name: str):  # type: ignore[no-untyped-def]
        return (workdir / name).open("wb") if log_dir is not None else subprocess.DEVNULL

    ports = [free_port() for _ in range(replicas)]
    if replicas == 2:
        env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **(env or {})}  # shared by the replicas
    procs = [start_streamlit(port, env=env, log=output(f"replica{i}.log")) for i, port in enumerate(ports)]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for server, proc in zip(servers, procs):
            wait_healthy(server, proc=proc)
        base = servers[0]
        if replicas == 2:
            listen = free_port()
            conf = workdir / "nginx.conf"
            conf.write_text(nginx_config((ROOT / "deploy" / "nginx.conf").read_text(), ports, listen, workdir))
            procs.append(subprocess.Popen([NGINX, "-c", str(conf), "-p", str(workdir), "-g", "daemon off;"],
                                          stdout=output("nginx.log"), stderr=subprocess.STDOUT))
            base = f"http://127.0.0.1:{listen}"
            wait_healthy(base, proc=procs[-1])
        yield base, [proc.pid for proc in procs[:replicas]], servers
    finally:
        for proc in reversed(procs):  # nginx first, then the servers behind it
            stop(proc)
        if log_dir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def rss_mb(pid: int | Sequence[int] | None) -> float:
    """Resident memory of a process (or the sum over several) in MB (NaN if unknown)."""
    if pid is None:
        return float("nan")
    if not isinstance(pid, int):
        return sum(rss_mb(p) for p in pid)
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def children_rss_mb(pid: int | Sequence[int] | None) -> float:
    """Resident memory of a process's direct children in MB (the worker process), 0 if none."""
    if pid is None:
        return float("nan")
    if not isinstance(pid, int):
        return sum(children_rss_mb(p) for p in pid)
    total = 0.0
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            for child in task.read_text().split():
                value = rss_mb(int(child))
                total += 0.0 if value != value else value
        except OSError:
            pass
    return total
