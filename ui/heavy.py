"""The pages' door to the worker process: heavy jobs, plain messages, safe fallbacks.

``runtime.worker`` runs t-SNE, MDS and training in a separate process, so that a
crash in native code ends one job instead of the server. This module is the
streamlit side of it:

* :func:`pool` - the one worker pool of the server process, told which
  sessions are still open (a closed tab's waiting jobs are cancelled);
* :func:`run` - run a function there and wait (the wait releases the GIL, so
  other students' reruns go on meanwhile); every job is the asking session's,
  so sessions take turns in the queue;
* :func:`cached` - ``cached(fn, *settings)``: a heavy result named by the call
  itself (``runtime.result_cache.call_key``), answered without running
  anything when it exists: from the artefact shipped in
  ``embedcore/data/precomputed/`` (``embedcore.precomputed``), else from the
  on-disk cache that the start-up warm-up fills (``runtime.result_cache``,
  ``runtime.warmup``), else computed in the worker (and stored on disk for the
  next student, the next restart and other replicas);
* :func:`mapped` - a named 2-D map through :func:`cached`, and
  :func:`projection` - a map of points made here (uploads, typed words, kept
  nowhere on disk); both never crash: points that t-SNE or MDS cannot map
  (all the same, too few) are drawn with PCA, with a note that says why;
* :func:`section` - ``st.fragment`` for a page section, which turns a job
  that failed (crashed, timed out, queue full, cancelled) into a plain
  message in that section while the rest of the page draws as usual.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import streamlit as st

from embedcore import precomputed
from embedcore.projection import METHODS, DegenerateDataError, project_2d
from runtime import memory, result_cache, warmup
from runtime.pool import JOB_TIME_LIMIT, server_pool
from runtime.worker import JobCancelled, JobError, JobTimedOut, QueueFull, Ticket, WorkerCrashed, WorkerPool

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def live_sessions() -> Any:
    """Streamlit's session manager (None outside a running server, as in AppTest).

    ``Runtime._session_mgr`` is private in Streamlit 1.67 (pinned in requirements.txt).
    """
    from streamlit import runtime

    return getattr(runtime.get_instance(), "_session_mgr", None) if runtime.exists() else None


def session_alive(session_id: Hashable) -> bool:
    """Whether the session ``session_id`` still has its tab open (connected)."""
    sessions = live_sessions()
    return sessions is None or sessions.is_active_session(session_id)


def owner() -> str | None:
    """The asking session's id (None outside a script run)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def pool() -> WorkerPool:
    """The server's worker pool (``runtime.pool``): one process, shared by every session."""
    memory.limit_malloc_arenas()  # done by runtime.serve already; under `streamlit run`, from here on
    workers = server_pool()
    workers.owner_alive = session_alive
    return workers


@st.cache_resource(max_entries=1, show_spinner=False)
def shipped() -> precomputed.Precomputed | None:
    """The precomputed maps, if they were built by this very code (else None: the worker computes)."""
    artefact = precomputed.load()
    if artefact is None:
        log.warning("no precomputed maps: the t-SNE lesson's maps will be computed on demand")
        return None
    expected = warmup.fingerprint()
    if artefact.fingerprint != expected:
        log.warning("the precomputed maps (%s) were built by other code (%s): run scripts/build_precomputed.py",
                    artefact.fingerprint, expected)
        return None
    return artefact


@st.cache_resource(max_entries=1, show_spinner=False)
def disk() -> result_cache.ResultCache:
    """The on-disk results (``WHY_EMBEDDINGS_CACHE_DIR``), bounded by ``WHY_EMBEDDINGS_CACHE_MB``."""
    return result_cache.ResultCache()


def lookup(fn: Callable[..., Any], *settings: Any) -> Any:
    """The stored result of ``fn(*settings)`` (shipped or on disk), or ``result_cache.MISSING``."""
    key = result_cache.call_key(fn, *settings)
    artefact = shipped()
    if artefact is not None:
        found = artefact.get(key)
        if found is not None:
            return found
    return disk().get(key)


def submit(fn: Callable[..., Any], *settings: Any, report_progress: bool = False, store: bool = True) -> Ticket:
    """Queue ``fn(*settings)`` in the worker for this session, its result stored on disk under its call.

    Coalesced with anyone asking for the same call (and moved ahead of the
    warm-up if it was queued there). With ``store=False`` the function stores
    its own results (``runtime.jobs.train_together``).
    """
    return pool().submit(result_cache.run_stored, fn, *settings, directory=str(disk().directory), store=store,
                         key=result_cache.call_key(fn, *settings), owner=owner(), report_progress=report_progress)


def cached(fn: Callable[..., Any], *settings: Any) -> Any:
    """``fn(*settings)``, named by the call itself: plain settings only, never a student's upload or words.

    Shipped or warmed results come back at once; otherwise the job runs in the
    worker (:func:`submit`) and this thread waits for it.

    Raises
    ------
    TypeError
        If a setting is not plain (an array, a list): a key never hashes data.
    """
    found = lookup(fn, *settings)
    if found is not result_cache.MISSING:
        return found
    return submit(fn, *settings).result()


def run(fn: Callable[..., Any], *args: Any, key: Hashable | None = None, recycle: bool = False,
        **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in the worker process for this session; nothing is stored.

    ``recycle=True`` replaces the worker process afterwards (a large read's memory goes with it).

    Raises
    ------
    JobError
        If the worker crashed, the job ran past its limit, the queue is full or the job was cancelled.
    """
    return pool().submit(fn, *args, key=key, owner=owner(), recycle=recycle, **kwargs).result()


def plain_message(error: JobError) -> str:
    """What a student reads when a heavy job failed: what happened and what to do."""
    if isinstance(error, WorkerCrashed):
        what = "the calculation stopped unexpectedly (the server itself is fine)"
    elif isinstance(error, JobTimedOut):
        what = f"the calculation took longer than {JOB_TIME_LIMIT:.0f} seconds and was stopped"
    elif isinstance(error, QueueFull):
        what = "the server is busy with other students' calculations"
    elif isinstance(error, JobCancelled):
        what = "a newer request from this page took its place"
    else:
        what = "the calculation could not run"
    return f"This part could not be computed: {what}. Try again in a moment, or choose smaller settings."


@dataclass(frozen=True)
class Projected:
    """A 2-D map and how it was made.

    Attributes
    ----------
    coords : ndarray of shape (n_points, 2)
    method : str
        The method that made ``coords`` ("pca" when it stood in for another).
    note : str or None
        Why the asked-for method was not used, in plain words.
    """

    coords: np.ndarray
    method: str
    note: str | None = None


def _pca_instead(points: np.ndarray, method: str, error: DegenerateDataError) -> Projected:
    note = f"{METHODS.get(method, method)} cannot draw these points: {error}. They are shown with PCA instead."
    return Projected(project_2d(points, "pca"), "pca", note)


def projection(X: np.ndarray, method: str, *, random_state: int = 0, perplexity: float = 30.0,
               max_iter: int = 500) -> Projected:
    """``project_2d`` of points made here (an upload, typed words): t-SNE and MDS in the worker, kept nowhere.

    PCA runs here: it is a few lines of numpy and cannot crash. Degenerate
    points (all the same, fewer than three) get a PCA map - every point at
    the origin when they are all the same - and a note saying why.

    Raises
    ------
    JobError
        If the worker failed (see :func:`section` for the message).
    """
    if method == "pca":
        return Projected(project_2d(X, "pca"), "pca")
    try:
        coords = run(project_2d, np.asarray(X), method, random_state=random_state, perplexity=perplexity,
                     max_iter=max_iter)
    except DegenerateDataError as error:
        return _pca_instead(X, method, error)
    return Projected(coords, method)


def mapped(fn: Callable[..., np.ndarray], *settings: Any, method: str, points: Callable[[], np.ndarray]) -> Projected:
    """The named map ``fn(*settings)`` by ``method`` (through :func:`cached`), or PCA of ``points()``.

    ``points()`` makes the mapped points here, only when they are needed: for
    PCA (computed on the spot, never stored) and when t-SNE or MDS cannot map
    them (degenerate points get a PCA map and a note, as in :func:`projection`).
    """
    if method == "pca":
        return Projected(project_2d(points(), "pca"), "pca")
    try:
        return Projected(np.asarray(cached(fn, *settings)), method)
    except DegenerateDataError as error:
        return _pca_instead(points(), method, error)


def section(fn: F) -> F:
    """``st.fragment``, plus a plain message if a heavy job in the section failed.

    The failed job is logged on the server; the student sees what happened
    and what to try, and every other section of the page still draws.
    """

    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except JobError as error:
            log.warning("section %s: %s", fn.__qualname__, error)
            st.error(plain_message(error), icon=":material/error:")
            return None

    return st.fragment(guarded)  # type: ignore[return-value]
