"""The pages' door to the worker process: heavy jobs, plain messages, safe fallbacks.

``runtime.worker`` runs t-SNE, MDS and training in a separate process, so that a
crash in native code ends one job instead of the server. This module is the
streamlit side of it:

* :func:`pool` - the one worker pool of the server process;
* :func:`run` - run a function there and wait (the wait releases the GIL, so
  other students' reruns go on meanwhile);
* :func:`cached` - a heavy result named by the settings that decide it,
  answered without running anything when it exists: from the artefact
  shipped in ``embedcore/data/precomputed/`` (``embedcore.precomputed``),
  else from the on-disk cache that the start-up warm-up fills
  (``runtime.result_cache``, ``runtime.warmup``), else computed in the worker (and
  stored on disk for the next student, the next restart and other replicas);
* :func:`projection` - a 2-D map that never crashes: points that t-SNE or MDS
  cannot map (all the same, too few) are drawn with PCA, with a note that
  says why. Given a ``name``, it goes through :func:`cached`; without one
  (uploads, typed words) it runs in the worker and is kept nowhere on disk;
* :func:`section` - ``st.fragment`` for a page section, which turns a job
  that failed (crashed, timed out, queue full) into a plain message in that
  section while the rest of the page draws as usual.
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
from runtime import result_cache, warmup
from runtime.pool import JOB_TIME_LIMIT, server_pool
from runtime.worker import JobError, JobTimedOut, QueueFull, WorkerCrashed, WorkerPool

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def pool() -> WorkerPool:
    """The server's worker pool (``runtime.pool``): one process, shared by every session."""
    return server_pool()


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


def lookup(name: tuple[Any, ...]) -> Any:
    """The stored result called ``name`` (shipped or on disk), or ``result_cache.MISSING``."""
    key = result_cache.key_of(name)
    artefact = shipped()
    if artefact is not None:
        found = artefact.get(key)
        if found is not None:
            return found
    return disk().get(key)


def cached(name: tuple[Any, ...], fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, named by ``name`` (the plain settings that decide it).

    Shipped or warmed results come back at once. Otherwise the job runs in
    the worker, coalesced with anyone asking for the same name (and moved
    ahead of the warm-up if it was queued there), and its result is stored
    on disk. Never pass a student's upload or typed text here.
    """
    found = lookup(name)
    if found is not result_cache.MISSING:
        return found
    key = result_cache.key_of(name)
    return pool().run(result_cache.compute_stored, key, fn, *args, directory=str(disk().directory),
                      key=("cached", key), **kwargs)


def run(fn: Callable[..., Any], *args: Any, key: Hashable | None = None, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in the worker process; the job's own exceptions come back as they are.

    Raises
    ------
    JobError
        If the worker crashed, the job ran past its limit or the queue is full.
    """
    return pool().run(fn, *args, key=key, **kwargs)


def plain_message(error: JobError) -> str:
    """What a student reads when a heavy job failed: what happened and what to do."""
    if isinstance(error, WorkerCrashed):
        what = "the calculation stopped unexpectedly (the server itself is fine)"
    elif isinstance(error, JobTimedOut):
        what = f"the calculation took longer than {JOB_TIME_LIMIT:.0f} seconds and was stopped"
    elif isinstance(error, QueueFull):
        what = "the server is busy with other students' calculations"
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


def projection(X: np.ndarray, method: str, *, random_state: int = 0, perplexity: float = 30.0,
               max_iter: int = 500, name: tuple[Any, ...] | None = None) -> Projected:
    """``project_2d`` with t-SNE and MDS in the worker, and PCA for points they cannot map.

    ``name`` says what the points ``X`` are (settings only, see ``runtime.warmup``):
    the map is then looked up, warmed and stored by :func:`cached`.

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
        if name is not None:
            coords = cached(warmup.projection_name(name, method, random_state=random_state, perplexity=perplexity,
                                                   max_iter=max_iter),
                            project_2d, np.asarray(X), method, random_state=random_state, perplexity=perplexity,
                            max_iter=max_iter)
        else:
            coords = run(project_2d, np.asarray(X), method, random_state=random_state,
                         perplexity=perplexity, max_iter=max_iter)
    except DegenerateDataError as error:
        note = f"{METHODS.get(method, method)} cannot draw these points: {error}. They are shown with PCA instead."
        return Projected(project_2d(X, "pca"), "pca", note)
    return Projected(coords, method)


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
