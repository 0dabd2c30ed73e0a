"""Heavy numeric jobs run in a worker process: a crash ends the job, not the class.

scikit-learn's t-SNE and MDS, and the training of the small networks, run in
native code (C, Cython, BLAS). When such code crashes - as t-SNE's quad
tree did on identical points - it takes down the whole process. If that
process were the Streamlit server, every student would see "Connection
error". So the pages hand this work to a :class:`WorkerPool`:

* each worker is a process of its own (``spawn``: it shares no threads or
  locks with the server) run by ``pebble.ProcessPool``, which gives each job
  its time limit and replaces a worker that died or was stopped: a crash
  fails only that job (:class:`WorkerCrashed`), a job past its limit is
  stopped (:class:`JobTimedOut`);
* a dispatcher thread per worker hands it one job at a time from a fair
  queue (``runtime.fair_queue``): round-robin by *owner* (a student's
  session), so one student's burst never puts many jobs ahead of another
  student's first;
* each owner has at most ``max_per_owner`` jobs waiting or running: a new job
  replaces the owner's older waiting one (an interrupted run's), and a
  waiting job whose owners have all gone (``owner_alive``) is cancelled
  (:class:`JobCancelled`); a queue past ``max_queued`` refuses new jobs
  (:class:`QueueFull`);
* identical requests (the same ``key``) are coalesced: 30 students asking
  for the same map share one run, which is cancelled only when none of them
  still wants it;
* *background* jobs (the start-up warm-up, ``runtime.warmup``) run only when
  no student's job waits; a student who asks for a result queued in the
  background moves it to their lane;
* :meth:`Ticket.position` says how many jobs are ahead; a job may report
  progress (``on_progress=...`` is passed when the caller asks for it).

The server's script threads only *wait* on a job (which releases Python's
GIL), so one student's t-SNE never stalls another student's slider. This
module does not import streamlit: the waiting on screen is in ``ui.heavy``.
Functions sent to a worker must be importable module-level functions, and
their arguments and results picklable.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import multiprocessing.spawn
import os
import pickle
import queue
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from typing import Any

from pebble import ProcessExpired, ProcessPool
from pebble.pool.process import WORKERS_NAME

from runtime import memory
from runtime.fair_queue import FairQueue

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


# -- starting a worker ----------------------------------------------------------
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


# -- in the worker process -----------------------------------------------------
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


# -- in the server -------------------------------------------------------------
@dataclass(eq=False)
class Ticket:
    """A submitted job: its future, its owners, its place in the queue and its latest progress."""

    seq: int
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    key: Hashable | None
    report: bool
    time_limit: float
    background: bool = False
    lane: Hashable | None = None  # the owner whose turn serves it
    owners: set[Hashable] = field(default_factory=set)  # who still wants it (empty: anonymous)
    recycle: bool = False  # start a fresh worker after it (a large read: its memory goes with the process)
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
    """One worker process (a pebble pool of one) and the dispatcher thread that feeds it."""

    def __init__(self, pool: WorkerPool, name: str) -> None:
        self.pool = pool
        self.name = name
        self.processes: ProcessPool | None = None
        self.progress = multiprocessing.get_context("spawn").Queue()
        self.thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self.thread.start()

    def _processes(self) -> ProcessPool:
        if self.processes is None or not self.processes.active:
            self._stop()
            self.processes = ProcessPool(max_workers=1, initializer=_start_worker, initargs=(self.progress,),
                                         context=multiprocessing.get_context("spawn"))
        return self.processes

    def _stop(self) -> None:
        if self.processes is not None:
            self.processes.stop()
            self.processes.join(timeout=5)
        self.processes = None

    def pids(self) -> list[int]:
        manager = getattr(self.processes, "_pool_manager", None)  # pebble keeps its workers there
        workers = getattr(getattr(manager, "worker_manager", None), "workers", {})
        return [pid for pid, process in dict(workers).items() if process.is_alive()]

    def _loop(self) -> None:
        while True:
            ticket = self.pool._next_job()
            if ticket is None:
                self._stop()
                return
            try:
                self._run(ticket)
            except Exception as error:  # noqa: BLE001 - the dispatcher must outlive any job
                log.exception("worker dispatcher failed on %s", _name(ticket.fn))
                self._stop()
                if not ticket.future.done():
                    ticket.future.set_exception(JobError(f"the worker could not run the job ({error})"))
            finally:
                if ticket.recycle:
                    self._stop()
                self.pool._finished(ticket)
            # Hold nothing while waiting for the next job: the last ticket's arguments (an
            # upload's 44 MB of bytes) and result stayed in the server until another job came.
            del ticket

    def _drain(self, ticket: Ticket, wait: float) -> None:
        """Record the progress reports that arrived (waiting up to ``wait`` s for the first)."""
        with contextlib.suppress(queue.Empty):
            while True:
                seq, values = self.progress.get(timeout=wait)
                wait = 0.0
                if seq == ticket.seq:
                    ticket.progress = values
                    if len(ticket.progress_log) < MAX_PROGRESS_LOG:
                        ticket.progress_log.append(values)

    def _run(self, ticket: Ticket) -> None:
        job = self._processes().schedule(_call, args=(ticket.seq, ticket.fn, ticket.args, ticket.kwargs,
                                                      ticket.report), timeout=ticket.time_limit)
        while not job.done():
            self._drain(ticket, 0.1)
        self._drain(ticket, 0.05 if ticket.report else 0.0)
        try:
            ticket.future.set_result(job.result())
        except ProcessExpired as error:
            log.error("worker died (exit code %s) while running %s", error.exitcode, _name(ticket.fn))
            ticket.future.set_exception(WorkerCrashed(f"the worker process stopped (exit code {error.exitcode})"))
        except TimeoutError:
            log.warning("job %s ran past %.0f s; its worker was stopped", _name(ticket.fn), ticket.time_limit)
            ticket.future.set_exception(JobTimedOut(f"the job took longer than its limit of {ticket.time_limit:.0f} s"))
        except CancelledError:
            ticket.future.set_exception(JobCancelled("the job was cancelled"))
        except Exception as error:  # noqa: BLE001 - the job's own exception goes back to the caller
            ticket.future.set_exception(error)


def warm_up(*modules: str) -> list[str]:
    """Import ``modules`` in the worker, so the first real job does not pay for them."""
    import importlib

    return [importlib.import_module(name).__name__ for name in modules]


def _name(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


class WorkerPool:
    """A bounded pool of worker processes with a fair queue.

    Parameters
    ----------
    n_workers : int
        Worker processes (1 on a 2-core server: the other core serves reruns).
    time_limit : float
        Default seconds a job may run before its worker is stopped.
    max_queued : int
        Students' jobs that may wait at once; past it :meth:`submit` raises QueueFull.
    max_background : int
        Background jobs that may wait at once (the warm-up queues a few hundred).
    max_per_owner : int
        Jobs one owner may have waiting or running at once.
    owner_alive : callable, optional
        ``owner_alive(owner) -> bool``: False once the owner (a session) has gone.
        Called with the pool's lock held: keep it cheap, and never call the pool from it.
    """

    def __init__(self, n_workers: int = 1, time_limit: float = 30.0, max_queued: int = 64,
                 max_background: int = 2000, max_per_owner: int = 2,
                 owner_alive: Callable[[Hashable], bool] | None = None) -> None:
        self.n_workers = n_workers
        self.time_limit = time_limit
        self.max_queued = max_queued
        self.max_background = max_background
        self.max_per_owner = max_per_owner
        self.owner_alive = owner_alive
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._waiting = FairQueue()
        self._active: dict[Hashable, Ticket] = {}  # key -> queued or running ticket (for coalescing)
        self._running: set[Ticket] = set()
        self._seq = itertools.count()
        self._workers: list[_Worker] = []
        self._closed = False

    # -- the server's side -----------------------------------------------------
    def submit(self, fn: Callable[..., Any], *args: Any, key: Hashable | None = None, owner: Hashable | None = None,
               report_progress: bool = False, time_limit: float | None = None, background: bool = False,
               recycle: bool = False, **kwargs: Any) -> Ticket:
        """Queue ``fn(*args, **kwargs)`` for a worker; identical ``key``s share one job.

        Parameters
        ----------
        key : hashable, optional
            Names the result: a request with the key of a queued or running job gets that job's ticket.
        owner : hashable, optional
            Who asks (a session id): their jobs take turns with other owners'.
        report_progress : bool
            Pass ``on_progress=`` to ``fn``; its calls land in ``Ticket.progress``.
        time_limit : float, optional
            Seconds this job may run (default: the pool's).
        background : bool
            Run only when no student's job waits (warm-up work).
        recycle : bool
            Replace the worker process after this job (a large read).

        Raises
        ------
        QueueFull
            When ``max_queued`` jobs (``max_background`` background jobs) are already waiting,
            or ``owner`` already has ``max_per_owner`` jobs running.
        """
        with self._lock:
            if self._closed:
                raise JobError("the worker pool is shut down")
            self._cancel_unwanted()
            if owner is not None:
                self._replace_older(owner, key)
            found = self._active.get(key) if key is not None else None
            if found is not None:
                if owner is not None:
                    found.owners.add(owner)
                if not background and found.background:
                    self._waiting.promote(found, owner)
                return found
            if owner is not None and sum(owner in t.owners for t in self._running) >= self.max_per_owner:
                raise QueueFull(f"you already have {self.max_per_owner} calculations running")
            waiting = self._waiting.background_count() if background else len(self._waiting)
            if waiting >= (self.max_background if background else self.max_queued):
                raise QueueFull(f"{waiting} jobs are already waiting")
            ticket = Ticket(next(self._seq), fn, args, kwargs, key, report_progress,
                            float(time_limit or self.time_limit), background=background, lane=owner,
                            owners={owner} if owner is not None else set(), recycle=recycle, _pool=self)
            self._waiting.add(ticket)
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
            return len(self._waiting)

    def background_queued(self) -> int:
        """Background (warm-up) jobs waiting for a worker."""
        with self._lock:
            return self._waiting.background_count()

    def worker_pids(self) -> list[int]:
        """The live worker processes' ids (for tests and monitoring)."""
        return [pid for worker in self._workers for pid in worker.pids()]

    def shutdown(self) -> None:
        """Stop taking jobs; workers finish the running ones and exit."""
        with self._lock:
            self._closed = True
            for ticket in list(self._waiting.waiting()):
                self._drop(ticket, JobError("the worker pool is shut down"))
            self._wake.notify_all()
        for worker in self._workers:
            worker.thread.join(timeout=10)

    # -- owners: replaced and gone ---------------------------------------------
    def _drop(self, ticket: Ticket, error: JobError) -> None:
        """Take a waiting ticket out and fail it with ``error`` (lock held)."""
        self._waiting.remove(ticket)
        if ticket.key is not None and self._active.get(ticket.key) is ticket:
            del self._active[ticket.key]
        if not ticket.future.done():
            ticket.future.set_exception(error)

    def _replace_older(self, owner: Hashable, key: Hashable | None) -> None:
        """``owner`` asks for something new: their older waiting jobs are no longer theirs (lock held)."""
        for ticket in [t for t in self._waiting.waiting() if owner in t.owners and (key is None or t.key != key)]:
            ticket.owners.discard(owner)
            if not ticket.owners:
                self._drop(ticket, JobCancelled("replaced by a newer request from the same page"))

    def _cancel_unwanted(self) -> None:
        """Cancel waiting jobs whose owners have all gone (lock held)."""
        if self.owner_alive is None:
            return
        for ticket in [t for t in self._waiting.waiting() if t.owners]:
            ticket.owners = {owner for owner in ticket.owners if self.owner_alive(owner)}
            if not ticket.owners:
                self._drop(ticket, JobCancelled("the page that asked for it has closed"))

    # -- the dispatchers' side -------------------------------------------------
    def _next_job(self) -> Ticket | None:
        with self._lock:
            while True:
                self._cancel_unwanted()
                if self._closed and not len(self._waiting):
                    return None
                ticket = self._waiting.pop()
                if ticket is not None:
                    self._running.add(ticket)
                    return ticket
                self._wake.wait(timeout=5.0)

    def _finished(self, ticket: Ticket) -> None:
        ticket.args, ticket.kwargs = (), {}  # the job's inputs are no longer needed (the result is in the future)
        with self._lock:
            self._running.discard(ticket)
            if ticket.key is not None and self._active.get(ticket.key) is ticket:
                del self._active[ticket.key]

    def _ahead_of(self, ticket: Ticket) -> int:
        with self._lock:
            if ticket in self._running or ticket.future.done():
                return 0
            order = self._waiting.order()
            return len(self._running) + (order.index(ticket) if ticket in order else 0)
