"""The server process's one worker pool, started once and shared by every session.

``ui.heavy`` hands the pages' heavy jobs to it, each owned by the asking
session, and tells it which sessions are still open (``WorkerPool.owner_alive``);
``runtime.serve`` starts it before Streamlit answers, so a cold server's first
t-SNE does not wait for a worker to start, and its start queues the one
warm-up (``runtime.warmup.start``). Nothing here imports streamlit.
"""

from __future__ import annotations

import threading

from runtime import warmup
from runtime.worker import WorkerPool, one_thread, warm_up

# Seconds one job may run in the worker. Every setting a student can reach
# is bounded to about 2 s of CPU; the limit leaves room for a busy machine.
JOB_TIME_LIMIT = 30.0
# Jobs that may wait at once: a whole class asking for different maps.
MAX_QUEUED = 64
# Jobs one session (one tab) may have waiting or running: the one it waits on, and one more.
MAX_PER_SESSION = 2

_lock = threading.Lock()
_pool: WorkerPool | None = None


def server_pool() -> WorkerPool:
    """The server's worker pool: one process, so the other core serves reruns.

    Made on the first call (in any thread), then the same pool for the life
    of the process.
    """
    global _pool
    with _lock:
        if _pool is None:
            # The server's own numpy (word rankings, small matrix products) runs on many script
            # threads at once: one BLAS thread each, or two cores' worth of spinning BLAS threads
            # fight every session's rerun (a 20,000-word ranking costs 0.64 s of CPU per 200 with
            # one thread, 0.89 s with two).
            one_thread()
            workers = WorkerPool(n_workers=1, time_limit=JOB_TIME_LIMIT, max_queued=MAX_QUEUED,
                                 max_per_owner=MAX_PER_SESSION)
            # Start the worker now and load scikit-learn's manifold learners and the
            # small networks there, so the first student's t-SNE does not wait for it.
            workers.submit(warm_up, "sklearn.manifold", "embedcore.projection", "embedcore.experiments")
            # Then, in the background, every heavy result a finite control can ask for that is
            # not on disk yet (runtime.warmup; off when WHY_EMBEDDINGS_WARMUP=0, as in the tests).
            warmup.start(workers)
            _pool = workers
        return _pool
