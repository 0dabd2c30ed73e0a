"""Start the app server with everything a page imports already loaded.

``streamlit run dashboard.py`` imports nothing of the app until the first
student connects; that student's first page then imports numpy, pandas,
plotly, scikit-learn and SciPy (about 2.5 s of one core here), while the
worker process starts and imports its own copy, and every student who
arrives meanwhile waits behind it. A class that opens the link together is
exactly that case. This entry point does the importing first, then starts
the worker pool, and only then starts Streamlit, so the server reports
healthy (``/_stcore/health``) when it is ready to answer at full speed:

    python -m runtime.serve [streamlit options, e.g. --server.port 8501]

It runs ``streamlit run dashboard.py`` in this process (Streamlit's own
command line), so every ``--server.*`` option works as before. The module
cache is the process's, so the page scripts find the modules loaded.
No results are computed here: with ``WHY_EMBEDDINGS_WARMUP=0`` the result
cache stays as empty as it was.
"""

from __future__ import annotations

import ctypes
import functools
import importlib
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What the pages import, heaviest first (scikit-learn pulls in SciPy); the lesson
# packages import their embedcore modules. ``sklearn.datasets`` and
# ``model_selection`` are imported inside functions by the digits lesson.
PRELOAD: tuple[str, ...] = (
    "numpy", "pandas", "pyarrow", "plotly.graph_objects", "plotly.io", "sklearn", "sklearn.datasets",
    "sklearn.model_selection", "sklearn.manifold", "sklearn.decomposition", "sklearn.neighbors",
    "app_state", "ui.charts", "ui.heavy", "ui.checkpoint", "ui.live_class",
    "ui.format_matters", "ui.imperfect_information", "ui.features_losses",
)

# glibc's malloc gives every thread that allocates its own arena, up to 8 per core, and
# Streamlit runs each script run on a new thread: a busy class server's memory then creeps
# up for many minutes as arenas fragment (the load test's 5-minute soak grew 21 % after its
# first minute). Two arenas are plenty for scripts that take turns on the GIL anyway.
M_ARENA_MAX = -8  # from glibc's malloc.h
ARENAS = 2
TRIM_EVERY_S = 30.0


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library, if it is glibc (Debian, the Docker image); None elsewhere."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc's, absent from musl and macOS
    except (OSError, AttributeError):
        return None
    return libc


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process (before any thread starts); False where there is no glibc."""
    libc = _glibc()
    return libc is not None and bool(libc.mallopt(M_ARENA_MAX, arenas))


def trim_freed_memory_forever(libc: ctypes.CDLL, every: float = TRIM_EVERY_S) -> None:
    """Every ``every`` seconds, hand memory that Python freed back to the system (glibc's ``malloc_trim``).

    Freed memory otherwise stays in the process's resident size, so a class server's
    memory would only ever grow. A trim takes a few milliseconds.
    """
    while True:
        time.sleep(every)
        libc.malloc_trim(0)


def start_trimming() -> None:
    """Run :func:`trim_freed_memory_forever` on a daemon thread (nothing on a system without glibc)."""
    libc = _glibc()
    if libc is not None:
        threading.Thread(target=trim_freed_memory_forever, args=(libc,), name="malloc-trim", daemon=True).start()


def preload(modules: tuple[str, ...] = PRELOAD) -> float:
    """Import ``modules``; return the seconds it took."""
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    for name in modules:
        importlib.import_module(name)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    limit_malloc_arenas()
    seconds = preload()
    # The worker pool is one per process (runtime.pool): starting it here makes the
    # first page's call find it running, its worker already importing scikit-learn.
    from runtime.pool import server_pool

    server_pool()
    start_trimming()
    print(f"why-embeddings: loaded the app's modules in {seconds:.1f} s; starting the server", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "dashboard.py"), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
