"""Per-cell result cache that makes every benchmark resumable.

A cell is one (data set, sampler, seed) measurement. Its result is written
as JSON the moment it is done, under a folder named after a hash of the
benchmark's settings and of the imblearn_baegan sources, so that changing a
setting or the package never mixes old and new cells, and a restarted run
skips what is already there.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from ._env import package_source

__all__ = ["CellCache", "settings_key"]


def settings_key(settings: dict) -> str:
    """Short, stable hash of a JSON-serialisable settings dict."""
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _write_atomically(path: Path, text: str) -> None:
    # A run killed mid-write must not leave a truncated cell behind that
    # would be read back as done.
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


class CellCache:
    """JSON files, one per cell, for one benchmark under one set of settings.

    Parameters
    ----------
    root : path-like
        The cache folder (``benchmarks/cache`` for real runs).
    benchmark : str
        Name of the benchmark, e.g. ``"images-fmnist"``.
    settings : dict
        Everything that changes the cells' results apart from the cell key
        and the package sources, which are added here.
    """

    def __init__(self, root: str | os.PathLike, benchmark: str, settings: dict):
        settings = {**settings, "imblearn_baegan_sha256": package_source()["sha256"]}
        self.folder = Path(root) / benchmark / settings_key(settings)
        self.folder.mkdir(parents=True, exist_ok=True)
        settings_file = self.folder / "settings.json"
        if not settings_file.exists():
            _write_atomically(settings_file, json.dumps(settings, indent=2, default=str))

    def path(self, *key: object, suffix: str = ".json") -> Path:
        """File of the cell ``key`` (its parts joined by ``__``)."""
        return self.folder / ("__".join(str(part) for part in key) + suffix)

    def get(self, *key: object) -> dict | None:
        """The cell's stored result, or ``None`` when it is not done yet."""
        path = self.path(*key)
        return json.loads(path.read_text()) if path.exists() else None

    def put(self, result: dict, *key: object) -> None:
        """Store a finished cell."""
        _write_atomically(self.path(*key), json.dumps(result, indent=2, default=float))

    def cells(self) -> Iterator[dict]:
        """Every finished cell, in file-name order."""
        for path in sorted(self.folder.glob("*.json")):
            if path.name != "settings.json":
                yield json.loads(path.read_text())
