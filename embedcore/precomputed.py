"""Precomputed 2-D maps shipped with the package (``embedcore/data/precomputed/``).

Every map a finite control of the t-SNE lesson can ask for is computed once
by ``scripts/build_precomputed.py`` and shipped, like the word vectors, so a
server answers those controls without running t-SNE at all. The file holds
float64 arrays named by a key (which settings made them is the build's
business, see ``runtime/warmup.py``) - a few entries are embedcore results made of
arrays, such as the digits lesson's compression curves, stored field by
field and rebuilt from a recipe, never pickled - and a small JSON record of the build: its
format version, the fingerprint of the code and data that made it, and each
entry's settings.

Only this package's own bundled data is read here; nothing is written.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

DIRECTORY = Path(__file__).resolve().parent / "data" / "precomputed"
MAPS_FILE = "maps.npz"
INFO_FILE = "build_info.json"
#: Format of the artefact; a loader refuses any other.
VERSION = 1


@dataclass(frozen=True)
class Precomputed:
    """The shipped maps and the record of their build.

    Attributes
    ----------
    version : int
    fingerprint : str
        Digest of the code, data, library versions and settings that made the maps.
    maps : mapping of str to ndarray
        Read-only float64 arrays of shape (n_points, 2), by key.
    info : dict
        The whole build record (``entries``: key -> the settings, as text).
    """

    version: int
    fingerprint: str
    maps: Mapping[str, Any] = field(repr=False)
    info: dict[str, Any] = field(repr=False)

    def get(self, key: str) -> Any:
        """The entry ``key``: a read-only array, or a tuple of embedcore results (see :func:`pack`); None if absent."""
        return self.maps.get(key)

    def __len__(self) -> int:
        return len(self.maps)


def pack(key: str, value: Any) -> tuple[dict[str, np.ndarray], dict[str, Any] | None]:
    """Arrays to store for ``value`` and, for a result object, the recipe :func:`load` rebuilds it with.

    ``value`` is an array, or an embedcore dataclass of arrays and numbers, or a
    tuple of those. Nothing is pickled: the file holds plain arrays only.
    """
    if isinstance(value, np.ndarray):
        return {key: value}, None
    parts = value if isinstance(value, tuple) else (value,)
    arrays: dict[str, np.ndarray] = {}
    recipe: dict[str, Any] = {"tuple": isinstance(value, tuple), "parts": []}
    for i, part in enumerate(parts):
        cls = type(part)
        if not dataclasses.is_dataclass(part) or not cls.__module__.startswith("embedcore."):
            raise TypeError(f"cannot store a {cls.__name__} in the precomputed file")
        fields = {}
        for f in dataclasses.fields(part):
            item = getattr(part, f.name)
            arrays[f"{key}/{i}/{f.name}"] = np.asarray(item)
            fields[f.name] = "scalar" if np.isscalar(item) else "array"
        recipe["parts"].append({"class": f"{cls.__module__}.{cls.__qualname__}", "fields": fields})
    return arrays, recipe


def _rebuild(key: str, recipe: dict[str, Any], archive: Any) -> Any:
    parts = []
    for i, part in enumerate(recipe["parts"]):
        module, _, name = part["class"].rpartition(".")
        if not module.startswith("embedcore."):
            raise ValueError(f"refusing to build {part['class']}")
        cls = getattr(importlib.import_module(module), name)
        values = {}
        for field_name, kind in part["fields"].items():
            array = np.asarray(archive[f"{key}/{i}/{field_name}"])
            if kind == "scalar":
                values[field_name] = array.item()
            else:
                array.flags.writeable = False
                values[field_name] = array
        parts.append(cls(**values))
    return tuple(parts) if recipe["tuple"] else parts[0]


def load(directory: str | Path | None = None) -> Precomputed | None:
    """The artefact in ``directory`` (default: the bundled one), or None if absent or of another version."""
    folder = Path(directory) if directory is not None else DIRECTORY
    try:
        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        if info.get("version") != VERSION:
            return None
        objects = info.get("objects", {})
        with np.load(folder / MAPS_FILE, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        maps: dict[str, Any] = {}
        for name, array in arrays.items():
            if "/" not in name:
                maps[name] = np.asarray(array, dtype=np.float64)
                maps[name].flags.writeable = False  # shared by every session
        for key, recipe in objects.items():
            maps[key] = _rebuild(key, recipe, arrays)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError):
        return None
    return Precomputed(version=VERSION, fingerprint=str(info.get("fingerprint", "")), maps=maps, info=info)
