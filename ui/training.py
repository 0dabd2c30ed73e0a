"""Trained models shared by every session, trained live on a miss.

Why not plain ``st.cache_resource`` on the training function? A live
progress bar and loss curve must be drawn *while* the cached function runs,
into elements made outside it; Streamlit then tries to replay those calls on
every cache hit and fails (``CacheReplayClosureError``). So the trained
results live in a small, bounded, thread-safe store that ``st.cache_resource``
creates once per server process:

* a **hit** returns at once (the page draws the final curves);
* a result the start-up warm-up trained (every twin width, ``runtime.warmup``)
  or that any session trained before comes from the on-disk cache
  (``runtime.result_cache``) at once, even after a restart;
* a **miss** trains in the worker process (``ui.heavy``: a crash there
  ends the job, not the server), while this script thread draws a progress
  bar and the loss curves epoch by epoch from the worker's reports, then
  stores the result;
* when 30 students open the default view together, the first one trains
  and the others wait on a per-key lock (with a spinner), then share the
  result: one training run for the whole room.

Results are keyed by their frozen, fully seeded experiment settings, so a
key always names the same model. Treat what comes back as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from embedcore.experiments import Experiment, Result
from runtime import jobs, result_cache
from ui import heavy


class SharedResults:
    """A bounded least-recently-used map, safe to share between sessions.

    Parameters
    ----------
    max_entries : int
        Oldest entries are dropped beyond this many.
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._items)

    def peek(self, key: Hashable) -> Any | None:
        """The stored value, or None (and mark it recently used)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def get_or_compute(
        self,
        key: Hashable,
        compute: Callable[[], Any],
        on_wait: Callable[[], Any] | None = None,
    ) -> tuple[Any, bool]:
        """The value for ``key``, computing it at most once at a time.

        Parameters
        ----------
        compute : callable
            Makes the value on a miss.
        on_wait : callable, optional
            Returns a context manager (e.g. a spinner) shown while another
            session is computing the same key.

        Returns
        -------
        (value, computed_here) : tuple
        """
        found = self.peek(key)
        if found is not None:
            return found, False
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        if key_lock.locked() and on_wait is not None:
            with on_wait():
                key_lock.acquire()
        else:
            key_lock.acquire()
        try:
            found = self.peek(key)  # another session may have finished it meanwhile
            if found is not None:
                return found, False
            value = compute()
            with self._lock:
                self._items[key] = value
                while len(self._items) > self.max_entries:
                    self._items.popitem(last=False)
            return value, True
        finally:
            key_lock.release()
            with self._lock:
                if not key_lock.locked():
                    self._key_locks.pop(key, None)


@st.cache_resource(max_entries=1, show_spinner=False)
def trained_models() -> SharedResults:
    """The process-wide store of trained results (about 1 MB each at the defaults; every one is also on disk)."""
    return SharedResults(max_entries=12)


def train_live(experiments: Sequence[Experiment], names: Sequence[str], *, what: str = "Training") -> list[Result]:
    """Results of ``experiments`` (trained side by side), with live progress on a miss.

    Parameters
    ----------
    experiments : sequence of Experiment
    names : sequence of str
        A legend name per experiment, for the live loss curves.
    what : str
        Words for the progress bar.
    """
    store = trained_models()
    key = tuple(experiments)
    found = store.peek(key)
    if found is not None:
        return found
    stored = [heavy.lookup(jobs.trained, e) for e in experiments]  # warmed at start-up, or trained by anyone since
    if all(value is not result_cache.MISSING for value in stored):
        value, _ = store.get_or_compute(key, lambda: stored)
        return value

    bar = st.progress(0.0, text=f"{what}...")
    live = st.empty()
    curves: dict[str, list[float]] = {name: [] for name in names}

    def draw(reports: list[tuple[int, int, list[float]]]) -> None:
        """Add the worker's new per-epoch reports to the curves, then redraw once."""
        for _, _, losses in reports:
            for name, loss in zip(names, losses):
                curves[name].append(loss)
        epoch, n_epochs, _ = reports[-1]
        bar.progress(epoch / n_epochs, text=f"{what}: epoch {epoch} of {n_epochs}")
        live.line_chart(pd.DataFrame(curves, index=pd.RangeIndex(1, epoch + 1, name="epoch")), height=220)

    def compute() -> list[Result]:
        # Training runs in the worker process (ui.heavy): a crash there ends this
        # job, not the server, and waiting here leaves the GIL to other students.
        # Each model is stored on disk as jobs.trained(experiment), the key the warm-up uses.
        ticket = heavy.submit(jobs.train_together, key, report_progress=True, store=False)
        drawn = 0
        while True:
            try:
                return ticket.result(timeout=0.2)
            except TimeoutError:
                pass
            new = ticket.progress_log[drawn:]  # a snapshot: the dispatcher thread keeps appending
            if new:
                draw(new)
                drawn += len(new)
            else:
                ahead = ticket.position()
                if ahead:
                    bar.progress(0.0, text=f"{what}: waiting for the server, {ahead} job(s) ahead of yours...")

    try:
        results, _ = store.get_or_compute(
            key, compute, on_wait=lambda: st.spinner("Another student is training this model; it will be shared...")
        )
    finally:
        bar.empty()
        live.empty()
    return results
