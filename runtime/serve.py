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

import importlib
import sys
import time
from pathlib import Path

from runtime import memory

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


def preload(modules: tuple[str, ...] = PRELOAD) -> float:
    """Import ``modules``; return the seconds it took."""
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    for name in modules:
        importlib.import_module(name)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    memory.limit_malloc_arenas()
    seconds = preload()
    # The worker pool is one per process (runtime.pool): starting it here makes the
    # first page's call find it running, its worker already importing scikit-learn.
    from runtime.pool import server_pool

    server_pool()
    memory.start_trimming()
    print(f"why-embeddings: loaded the app's modules in {seconds:.1f} s; starting the server", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "dashboard.py"), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
