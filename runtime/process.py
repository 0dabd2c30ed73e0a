"""One worker process: pebble runs it, with a time limit per job, and replaces it when it dies.

``runtime.worker.WorkerPool`` decides *which* job runs next; this module runs it
in a process of its own and says how it ended, in the pool's words: a result,
the job's own exception, or a :class:`JobError` (:class:`WorkerCrashed`,
:class:`JobTimedOut`, :class:`JobCancelled`). Progress reports from the job
come back through a queue while it runs. Nothing here imports streamlit.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.spawn
import os
import pickle
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import CancelledError
from typing import Any

from pebble import ProcessExpired, ProcessPool
from pebble.pool.process import WORKERS_NAME

from runtime import memory

log = logging.getLogger(__name__)

# Worker processes use one BLAS/OpenMP thread: on a 2-core server the other
# core belongs to the students' light reruns.
_WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class JobError(RuntimeError):
    """A job that could not give a result, with the reason in plain words."""


class WorkerCrashed(JobError):
    """The worker process died while running the job (its result is lost, the server is fine)."""


class JobTimedOut(JobError):
    """The job ran past its time limit and was stopped."""


class QueueFull(JobError):
    """Too many jobs are waiting; the job was not queued."""


class JobCancelled(JobError):
    """Nobody wants the job any more: its session asked for something newer, or has gone."""


def one_thread() -> Any:
    """Hold BLAS and OpenMP to one thread: for good (the worker process), or in a ``with`` block.

    On a small shared server, two busy threads per job fight each other and
    every other session. Returns threadpoolctl's limiter (a no-op without it).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn depends on it
        return contextlib.nullcontext()
    return threadpool_limits(limits=1)


_spawn_preparation = multiprocessing.spawn.get_preparation_data


def _preparation_without_main(name: str) -> dict[str, Any]:
    """spawn's preparation data, minus the parent's ``__main__`` for pebble's workers.

    A spawned child imports its parent's ``__main__`` before it runs anything. While
    Streamlit runs a page, ``__main__`` is that page's script (``dashboard.py``), so a
    worker started then - at the first page, or to replace one that crashed - ran
    the whole app, which started a pool of its own, whose worker ran the app again:
    a chain of 150 processes after a browser test. A worker needs nothing from
    ``__main__``: every job is an importable module-level function.
    """
    data = _spawn_preparation(name)
    if name == WORKERS_NAME:
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


multiprocessing.spawn.get_preparation_data = _preparation_without_main


_progress: Any = None


def _start_worker(progress: Any) -> None:  # pragma: no cover - runs in the worker process
    """pebble's initializer: one BLAS thread (before numpy loads), and the progress channel."""
    global _progress
    os.environ.update(_WORKER_ENV)
    _progress = progress
    memory.limit_malloc_arenas()
    one_thread()


def _call(seq: int, fn: Callable[..., Any], args: tuple, kwargs: dict, report: bool) -> Any:  # pragma: no cover
    """Run one job in the worker; an exception that could not travel back is sent as a plain one."""
    if report:
        kwargs = {**kwargs, "on_progress": lambda *values: _progress.put((seq, values))}
    try:
        return fn(*args, **kwargs)
    except Exception as error:
        try:
            pickle.loads(pickle.dumps(error))
        except Exception:  # noqa: BLE001 - pebble's pool breaks on an exception it cannot unpickle
            raise RuntimeError(f"{type(error).__name__}: {error}") from None
        raise
    finally:
        memory.give_back()  # a large job's freed pages go back to the system, not stay in the worker


class WorkerProcess:
    """A pebble pool of one spawned process, started on the first job and replaced when it dies."""

    def __init__(self) -> None:
        self.processes: ProcessPool | None = None
        # A SimpleQueue writes each report to the pipe before put() returns, so every report of a job
        # is there before its result (a Queue's feeder thread could deliver the last ones after it).
        self.progress = multiprocessing.get_context("spawn").SimpleQueue()

    def _processes(self) -> ProcessPool:
        if self.processes is None or not self.processes.active:
            self.stop()
            self.processes = ProcessPool(max_workers=1, initializer=_start_worker, initargs=(self.progress,),
                                         context=multiprocessing.get_context("spawn"))
        return self.processes

    def stop(self) -> None:
        """End the process (the next job starts a fresh one)."""
        if self.processes is not None:
            self.processes.stop()
            self.processes.join(timeout=5)
        self.processes = None

    def pids(self) -> list[int]:
        manager = getattr(self.processes, "_pool_manager", None)  # pebble keeps its workers there
        workers = getattr(getattr(manager, "worker_manager", None), "workers", {})
        return [pid for pid, process in dict(workers).items() if process.is_alive()]

    def _drain(self, seq: int, on_report: Callable[[tuple], None]) -> None:
        """Hand the progress reports of job ``seq`` that have arrived to ``on_report``."""
        while not self.progress.empty():
            sent_by, values = self.progress.get()
            if sent_by == seq:
                on_report(values)

    def run(self, seq: int, fn: Callable[..., Any], args: tuple, kwargs: dict, *, time_limit: float,
            on_report: Callable[[tuple], None] | None = None) -> Any:
        """``fn(*args, **kwargs)`` in the process; ``on_report`` gets its progress (if given).

        Raises
        ------
        WorkerCrashed, JobTimedOut, JobCancelled
            How the process ended the job; or the job's own exception.
        """
        call = {"args": (seq, fn, args, kwargs, on_report is not None), "timeout": time_limit}
        try:
            job = self._processes().schedule(_call, **call)
        except RuntimeError:  # pebble's pool broke ("Unexpected error within the Pool"): a fresh one
            log.warning("the worker pool broke; starting a fresh worker", exc_info=True)
            self.stop()
            job = self._processes().schedule(_call, **call)
        report = on_report or (lambda values: None)
        while not job.done():
            self._drain(seq, report)
            futures.wait([job], timeout=0.1)
        self._drain(seq, report)
        try:
            return job.result()
        except ProcessExpired as error:
            log.error("worker died (exit code %s) while running %s", error.exitcode, name_of(fn))
            raise WorkerCrashed(f"the worker process stopped (exit code {error.exitcode})") from None
        except TimeoutError:
            log.warning("job %s ran past %.0f s; its worker was stopped", name_of(fn), time_limit)
            raise JobTimedOut(f"the job took longer than its limit of {time_limit:.0f} s") from None
        except CancelledError:
            raise JobCancelled("the job was cancelled") from None


def warm_up(*modules: str) -> list[str]:
    """Import ``modules`` in the worker, so the first real job does not pay for them."""
    import importlib

    return [importlib.import_module(name).__name__ for name in modules]


def name_of(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


