"""Precomputed 2-D maps shipped with the package (``embedcore/data/precomputed/``).

Every map a finite control of the t-SNE lesson can ask for is computed once
by ``scripts/build_precomputed.py`` and shipped, like the word vectors, so a
server answers those controls without running t-SNE at all. The file holds
float64 arrays named by a key (which settings made them is the build's
business, see ``ui/warmup.py``) and a small JSON record of the build: its
format version, the fingerprint of the code and data that made it, and each
entry's settings.

Only this package's own bundled data is read here; nothing is written.
"""

from __future__ import annotations

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
    maps: Mapping[str, NDArray[np.float64]] = field(repr=False)
    info: dict[str, Any] = field(repr=False)

    def get(self, key: str) -> NDArray[np.float64] | None:
        return self.maps.get(key)

    def __len__(self) -> int:
        return len(self.maps)


def load(directory: str | Path | None = None) -> Precomputed | None:
    """The artefact in ``directory`` (default: the bundled one), or None if absent or of another version."""
    folder = Path(directory) if directory is not None else DIRECTORY
    try:
        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        if info.get("version") != VERSION:
            return None
        with np.load(folder / MAPS_FILE, allow_pickle=False) as archive:
            maps = {name: np.asarray(archive[name], dtype=np.float64) for name in archive.files}
    except (OSError, ValueError, KeyError):
        return None
    for array in maps.values():
        array.flags.writeable = False  # shared by every session
    return Precomputed(version=VERSION, fingerprint=str(info.get("fingerprint", "")), maps=maps, info=info)
