"""embedcore is a pure library: no module in it may import streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

EMBEDCORE = Path(__file__).resolve().parent.parent / "embedcore"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    # importlib.import_module("streamlit") would dodge the AST check.
    text = path.read_text(encoding="utf-8")
    if "import_module(\"streamlit" in text or "import_module('streamlit" in text:
        names.add("streamlit")
    return names


def test_embedcore_has_python_files() -> None:
    assert (EMBEDCORE / "__init__.py").is_file()


def test_no_embedcore_module_imports_streamlit() -> None:
    offenders = [
        str(path.relative_to(EMBEDCORE.parent))
        for path in sorted(EMBEDCORE.rglob("*.py"))
        if any(m == "streamlit" or m.startswith("streamlit.") for m in _imported_modules(path))
    ]
    assert offenders == [], f"embedcore must not import streamlit: {offenders}"


def test_purity_check_catches_an_import(tmp_path: Path) -> None:
    """The checker itself can fail: a planted import is found."""
    bad = tmp_path / "bad.py"
    bad.write_text("from streamlit import session_state\n", encoding="utf-8")
    assert "streamlit" in _imported_modules(bad)


def test_the_module_map_lists_every_module() -> None:
    """embedcore/__init__.py's docstring names every module, so a reader finds each idea."""
    import embedcore

    modules = {path.stem for path in EMBEDCORE.glob("*.py") if path.stem != "__init__"}
    missing = [name for name in sorted(modules) if f"``{name}``" not in embedcore.__doc__]
    assert missing == []
