"""Heavy numeric jobs run in a worker process: a crash ends the job, not the class.

scikit-learn's t-SNE and MDS, and the training of the small networks, run in
native code (C, Cython, BLAS). When such code crashes - as t-SNE's quad
tree did on identical points - it takes down the whole process. If that
process were the Streamlit server, every student would see "Connection
error". So the pages hand this work to a :class:`WorkerPool`:

* each worker is a process of its own (``spawn``: it shares no threads or
  locks with the server) run by ``pebble.ProcessPool`` (``runtime.process``), which gives each job
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

import itertools
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from runtime.fair_queue import FairQueue
from runtime.process import (  # noqa: F401 - the pool's errors and helpers, re-exported for its users
    JobCancelled,
    JobError,
    JobTimedOut,
    QueueFull,
    WorkerCrashed,
    WorkerProcess,
    one_thread,
    warm_up,
)

# Progress reports kept per job, for a page that draws each one (a loss curve per epoch).
MAX_PROGRESS_LOG = 10_000


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
    """One worker process and the dispatcher thread that feeds it from the pool's queue."""

    def __init__(self, pool: WorkerPool, name: str) -> None:
        self.pool = pool
        self.name = name
        self.process = WorkerProcess()
        self.thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self.thread.start()

    def pids(self) -> list[int]:
        return self.process.pids()

    def _loop(self) -> None:
        while True:
            ticket = self.pool._next_job()
            if ticket is None:
                self.process.stop()
                return
            try:
                on_report = (lambda values, t=ticket: _record(t, values)) if ticket.report else None
                ticket.future.set_result(self.process.run(ticket.seq, ticket.fn, ticket.args, ticket.kwargs,
                                                          time_limit=ticket.time_limit, on_report=on_report))
            except Exception as error:  # noqa: BLE001 - a JobError, or the job's own exception, to the caller
                ticket.future.set_exception(error)
            finally:
                if ticket.recycle:
                    self.process.stop()
                self.pool._finished(ticket)
            # Hold nothing while waiting for the next job: the last ticket's arguments (an
            # upload's 44 MB of bytes) and result stayed in the server until another job came.
            del ticket


def _record(ticket: Ticket, values: tuple[Any, ...]) -> None:
    ticket.progress = values
    if len(ticket.progress_log) < MAX_PROGRESS_LOG:
        ticket.progress_log.append(values)


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
