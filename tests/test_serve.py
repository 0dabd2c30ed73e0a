"""runtime.serve: the server entry point loads the app before Streamlit starts answering."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_preload_imports_every_module_a_page_needs() -> None:
    # In a fresh interpreter: after preload, opening a lesson's modules imports nothing heavy.
    code = (
        "import sys; from runtime import serve; serve.preload(); "
        "loaded = set(sys.modules); "
        "import ui.format_matters, ui.imperfect_information, ui.features_losses, sklearn.manifold, plotly.io; "
        "print(sorted(set(sys.modules) - loaded))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "WHY_EMBEDDINGS_WARMUP": "0"})
    assert out.stdout.strip() == "[]"


def test_every_preloaded_module_exists() -> None:
    import importlib.util

    from runtime.serve import PRELOAD

    missing = [name for name in PRELOAD if importlib.util.find_spec(name) is None]
    assert not missing


def test_malloc_arenas_are_capped_in_a_fresh_process() -> None:
    # glibc (Debian, the Docker image): mallopt accepts the cap. Run apart: it is for good.
    code = "from runtime import memory; print(memory.limit_malloc_arenas())"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
