"""Heavy numeric jobs run in a worker process: a crash ends the job, not the class.

scikit-learn's t-SNE and MDS, and the training of the small networks, run in
native code (C, Cython, BLAS). When such code crashes - as t-SNE's quad
tree did on identical points - it takes down the whole process. If that
process were the Streamlit server, every student would see "Connection
error". So the pages hand this work to a :class:`WorkerPool`:

* each worker is a separate process (started with ``spawn``, so it shares
  no threads or locks with the server), fed one job at a time through a
  pipe by a dispatcher thread in the server;
* if the worker dies, only the job it was running fails, with
  :class:`WorkerCrashed`; the dispatcher starts a fresh worker for the next
  job, and the other students never notice;
* a job past its time limit is stopped by killing its worker
  (:class:`JobTimedOut`); a queue past its size limit refuses new jobs
  (:class:`QueueFull`);
* identical requests (the same ``key``) are coalesced: 30 students asking
  for the same map share one run;
* jobs run first come, first served, and :meth:`Ticket.position` tells a
  waiting student how many jobs are ahead of theirs;
* *background* jobs (the start-up warm-up, ``runtime.warmup``) run only when no
  student's job waits; a student who asks for a result that is queued in
  the background moves that job to the students' queue, behind the jobs
  already there;
* a job may report progress (``on_progress=...`` is passed to the function
  when the caller asks for it), which the waiting page can draw.

The server's script threads only *wait* on a job (which releases Python's
GIL), so one student's t-SNE never stalls another student's slider.

This module does not import streamlit: the UI-side waiting (spinners,
messages) is in ``ui.heavy``. Functions sent to a worker must be importable
module-level functions, and their arguments and results picklable.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

# Worker processes use one BLAS/OpenMP thread: on a 2-core server the other
# core belongs to the students' light reruns.
_WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# Progress reports kept per job, for a page that draws each one (a loss curve per epoch).
MAX_PROGRESS_LOG = 10_000


class JobError(RuntimeError):
    """A job that could not give a result, with the reason in plain words."""


class WorkerCrashed(JobError):
    """The worker process died while running the job (its result is lost, the server is fine)."""


class JobTimedOut(JobError):
    """The job ran past its time limit and was stopped."""


class QueueFull(JobError):
    """Too many jobs are waiting; the job was not queued."""


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


def _serve(conn: Any) -> None:  # pragma: no cover - runs in the worker process
    """The worker's loop: receive ``(fn, args, kwargs, report)``, send back the outcome."""
    one_thread()
    while True:
        try:
            fn, args, kwargs, report = conn.recv()
        except (EOFError, OSError):
            return
        if report:
            kwargs = {**kwargs, "on_progress": lambda *values: conn.send(("progress", values))}
        try:
            outcome = ("ok", fn(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - every failure goes back to the caller
            outcome = ("error", error)
        try:
            conn.send(outcome)
        except Exception as error:  # noqa: BLE001 - an unpicklable result or exception
            conn.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))


@dataclass
class Ticket:
    """A submitted job: its future, its place in the queue and its latest progress."""

    seq: int
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    key: Hashable | None
    report: bool
    time_limit: float
    background: bool = False
    future: Future = field(default_factory=Future)
    progress: tuple[Any, ...] | None = None
    progress_log: list[tuple[Any, ...]] = field(default_factory=list)
    _pool: WorkerPool | None = None

    def position(self) -> int:
        """How many jobs run or wait ahead of this one (0: it is running or done)."""
        return 0 if self._pool is None else self._pool._ahead_of(self)

    def result(self, timeout: float | None = None) -> Any:
        return self.future.result(timeout)


class _Worker:
    """One worker process and the dispatcher thread that feeds it."""

    def __init__(self, pool: WorkerPool, name: str) -> None:
        self.pool = pool
        self.name = name
        self.process: Any = None
        self.conn: Any = None
        self.running: Ticket | None = None
        self.thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self.thread.start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        saved = {name: os.environ.get(name) for name in _WORKER_ENV}
        os.environ.update(_WORKER_ENV)  # inherited by the child at spawn time
        try:
            process = context.Process(target=_serve, args=(child,), name=self.name, daemon=True)
            process.start()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        child.close()
        self.process, self.conn = process, parent

    def _stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(timeout=5)
            self.conn.close()
        self.process = self.conn = None

    def _loop(self) -> None:
        while True:
            ticket = self.pool._next_job()
            if ticket is None:
                self._stop()
                return
            self.running = ticket
            try:
                self._run(ticket)
            except Exception as error:  # noqa: BLE001 - the dispatcher must outlive any job
                log.exception("worker dispatcher failed on %s", _name(ticket.fn))
                self._stop()
                if not ticket.future.done():
                    ticket.future.set_exception(JobError(f"the worker could not run the job ({error})"))
            finally:
                self.running = None
                self.pool._finished(ticket)

    def _run(self, ticket: Ticket) -> None:
        if self.process is None or not self.process.is_alive():
            self._start()
        try:
            self.conn.send((ticket.fn, ticket.args, ticket.kwargs, ticket.report))
        except Exception as error:  # noqa: BLE001 - e.g. an argument that cannot be pickled
            ticket.future.set_exception(JobError(f"the job could not be sent to the worker ({error})"))
            return
        deadline = time.monotonic() + ticket.time_limit
        while True:
            left = deadline - time.monotonic()
            try:
                ready = left > 0 and self.conn.poll(min(left, 1.0))
            except (EOFError, OSError):
                ready = True  # the pipe broke: recv below tells how
            if not ready:
                if time.monotonic() < deadline and self.process.is_alive():
                    continue
                if self.process.is_alive():
                    log.warning("job %s ran past %.0f s; stopping its worker", _name(ticket.fn), ticket.time_limit)
                    self._stop()
                    ticket.future.set_exception(
                        JobTimedOut(f"the job took longer than its limit of {ticket.time_limit:.0f} s")
                    )
                    return
            try:
                kind, value = self.conn.recv()
            except (EOFError, OSError):
                self.process.join(timeout=5)  # reap it, so its exit code is known
                code = self.process.exitcode
                log.error("worker died (exit code %s) while running %s", code, _name(ticket.fn))
                self._stop()
                ticket.future.set_exception(WorkerCrashed(f"the worker process stopped (exit code {code})"))
                return
            if kind == "progress":
                ticket.progress = value
                if len(ticket.progress_log) < MAX_PROGRESS_LOG:
                    ticket.progress_log.append(value)
                continue
            if kind == "ok":
                ticket.future.set_result(value)
            else:
                ticket.future.set_exception(value)
            return


def with_progress(fn: Callable[..., Any], *args: Any, progress_arg: str, on_progress: Callable[..., Any],
                  **kwargs: Any) -> Any:
    """Call ``fn`` with the worker's progress reporter under the name ``fn`` expects.

    ``pool.submit(with_progress, run_together, experiments, progress_arg="on_epoch",
    report_progress=True)`` runs ``run_together(experiments, on_epoch=...)``.
    """
    return fn(*args, **{progress_arg: on_progress}, **kwargs)


def warm_up(*modules: str) -> list[str]:
    """Import ``modules`` in the worker, so the first real job does not pay for them."""
    import importlib

    return [importlib.import_module(name).__name__ for name in modules]


def _name(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


class WorkerPool:
    """A bounded pool of worker processes with a first-come, first-served queue.

    Parameters
    ----------
    n_workers : int
        Worker processes (1 on a 2-core server: the other core serves reruns).
    time_limit : float
        Default seconds a job may run before its worker is killed.
    max_queued : int
        Jobs that may wait at once; past it :meth:`submit` raises QueueFull.
    max_background : int
        Background jobs that may wait at once (the warm-up queues a few hundred).
    """

    def __init__(self, n_workers: int = 1, time_limit: float = 30.0, max_queued: int = 64,
                 max_background: int = 2000) -> None:
        self.n_workers = n_workers
        self.time_limit = time_limit
        self.max_queued = max_queued
        self.max_background = max_background
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._queue: deque[Ticket] = deque()
        self._background: deque[Ticket] = deque()  # served only when _queue is empty
        self._active: dict[Hashable, Ticket] = {}  # key -> queued or running ticket (for coalescing)
        self._running: set[int] = set()
        self._seq = itertools.count()
        self._workers: list[_Worker] = []
        self._closed = False

    # -- the server's side -----------------------------------------------------
    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        key: Hashable | None = None,
        report_progress: bool = False,
        time_limit: float | None = None,
        background: bool = False,
        **kwargs: Any,
    ) -> Ticket:
        """Queue ``fn(*args, **kwargs)`` for a worker; identical ``key``s share one job.

        Parameters
        ----------
        key : hashable, optional
            Names the result: a second request with the same key, while the
            first is queued or running, gets the first one's ticket.
        report_progress : bool
            Pass ``on_progress=`` to ``fn``; its calls land in ``Ticket.progress``.
        time_limit : float, optional
            Seconds this job may run (default: the pool's).
        background : bool
            Run only when no other job waits (warm-up work). A later
            foreground request with the same ``key`` promotes it.

        Raises
        ------
        QueueFull
            When ``max_queued`` jobs (``max_background`` background jobs) are already waiting.
        """
        with self._lock:
            if self._closed:
                raise JobError("the worker pool is shut down")
            if key is not None and key in self._active:
                found = self._active[key]
                if not background and found.background:
                    self._promote(found)
                return found
            queue, limit = (self._background, self.max_background) if background else (self._queue, self.max_queued)
            if len(queue) >= limit:
                raise QueueFull(f"{len(queue)} jobs are already waiting")
            ticket = Ticket(next(self._seq), fn, args, kwargs, key, report_progress,
                            float(time_limit or self.time_limit), background=background, _pool=self)
            queue.append(ticket)
            if key is not None:
                self._active[key] = ticket
            while len(self._workers) < self.n_workers:
                self._workers.append(_Worker(self, f"embed-worker-{len(self._workers) + 1}"))
            self._wake.notify()
            return ticket

    def run(self, fn: Callable[..., Any], *args: Any, key: Hashable | None = None, **kwargs: Any) -> Any:
        """Submit and wait for the result (raising the job's own exception or a JobError)."""
        return self.submit(fn, *args, key=key, **kwargs).result()

    def queued(self) -> int:
        """Students' jobs waiting for a worker (not counting the running ones or the background)."""
        with self._lock:
            return len(self._queue)

    def background_queued(self) -> int:
        """Background (warm-up) jobs waiting for a worker."""
        with self._lock:
            return len(self._background)

    def _promote(self, ticket: Ticket) -> None:
        """Move a queued background ticket to the end of the students' queue (lock held)."""
        ticket.background = False
        try:
            self._background.remove(ticket)
        except ValueError:
            return  # already running: nothing to move
        self._queue.append(ticket)

    def worker_pids(self) -> list[int]:
        """The live worker processes' ids (for tests and monitoring)."""
        return [w.process.pid for w in self._workers if w.process is not None and w.process.is_alive()]

    def shutdown(self) -> None:
        """Stop taking jobs; workers finish the running ones and exit."""
        with self._lock:
            self._closed = True
            for ticket in (*self._queue, *self._background):
                ticket.future.set_exception(JobError("the worker pool is shut down"))
            self._queue.clear()
            self._background.clear()
            self._wake.notify_all()
        for worker in self._workers:
            worker.thread.join(timeout=10)

    # -- the dispatchers' side -------------------------------------------------
    def _next_job(self) -> Ticket | None:
        with self._lock:
            while not self._queue and not self._background and not self._closed:
                self._wake.wait()
            if self._closed and not self._queue:
                return None
            ticket = (self._queue or self._background).popleft()
            self._running.add(ticket.seq)
            return ticket

    def _finished(self, ticket: Ticket) -> None:
        with self._lock:
            self._running.discard(ticket.seq)
            if ticket.key is not None and self._active.get(ticket.key) is ticket:
                del self._active[ticket.key]

    def _ahead_of(self, ticket: Ticket) -> int:
        with self._lock:
            if ticket.seq in self._running or ticket.future.done():
                return 0
            if ticket.background:
                return (len(self._running) + len(self._queue)
                        + sum(1 for t in self._background if t.seq < ticket.seq))
            # A promoted ticket keeps its early number but sits where it was put: count by place.
            ahead = 0
            for queued in self._queue:
                if queued is ticket:
                    break
                ahead += 1
            return len(self._running) + ahead
