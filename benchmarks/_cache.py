"""Per-cell result cache that makes every benchmark resumable.

A cell is one (data set, sampler, seed) measurement. Its result is written
as JSON the moment it is done, under a folder named after a hash of the
benchmark's settings, so that changing a setting never mixes old and new
cells, and a restarted run skips what is already there.

The imblearn_baegan sources and the BAEGAN parameters are not part of that
hash: they change only the BAEGAN cells, which record both (their
*fingerprint*) and are run again when either differs. The cells of the
other samplers stay valid while the package changes.

The folder is a local working copy: the committed record is the result
file ``<stem>.json``, which holds every cell it reports, fingerprints
included. A cache given that file takes from it the cells it lacks, so a
fresh clone resumes a run from ``benchmarks/results/`` alone.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

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


def _as_json(values: dict) -> dict:
    """``values`` as they read back from JSON (tuples become lists)."""
    return json.loads(json.dumps(values, default=str))


def _written_under(saved: dict, settings: dict) -> bool:
    """Whether a result file's settings hold every one of ``settings`` unchanged.

    A result file records more than the cache's settings (e.g. the BAEGAN
    parameters, which go in the cells' fingerprints), so equality is
    checked on the cache's settings only.
    """
    return all(saved.get(name, object()) == value for name, value in _as_json(settings).items())


class CellCache:
    """JSON files, one per cell, for one benchmark under one set of settings.

    Parameters
    ----------
    root : path-like
        The cache folder (``benchmarks/cache`` for real runs).
    benchmark : str
        Name of the benchmark, e.g. ``"images-fmnist"``.
    settings : dict
        Everything that changes every cell's result apart from the cell key.
    results : path-like or None, default=None
        The benchmark's result file ``<stem>.json``. When it was written
        under ``settings``, its cells that the folder lacks are copied in;
        cells already in the folder win, so a local run is never undone.
    key_of : callable or None, default=None
        Maps a cell of ``results`` to the key it is stored under; required
        with ``results``.

    Attributes
    ----------
    folder : Path
        Where the cells are.
    results_match : bool
        Whether ``results`` exists and was written under ``settings``:
        other files written beside it (e.g. trained weights) belong to
        these cells too.
    """

    def __init__(
        self,
        root: str | os.PathLike,
        benchmark: str,
        settings: dict,
        results: str | os.PathLike | None = None,
        key_of: Callable[[dict], tuple] | None = None,
    ):
        self.folder = Path(root) / benchmark / settings_key(settings)
        self.folder.mkdir(parents=True, exist_ok=True)
        settings_file = self.folder / "settings.json"
        if not settings_file.exists():
            _write_atomically(settings_file, json.dumps(settings, indent=2, default=str))
        self.results_match = False
        if results is not None and Path(results).exists():
            saved = json.loads(Path(results).read_text())
            self.results_match = _written_under(saved.get("settings", {}), settings)
            if self.results_match:
                self._copy_missing(saved.get("cells", []), key_of)

    def _copy_missing(self, cells: list[dict], key_of: Callable[[dict], tuple]) -> None:
        for cell in cells:
            path = self.path(*key_of(cell))
            if not path.exists():
                _write_atomically(path, json.dumps(cell, indent=2))

    def path(self, *key: object, suffix: str = ".json") -> Path:
        """File of the cell ``key`` (its parts joined by ``__``)."""
        return self.folder / ("__".join(str(part) for part in key) + suffix)

    def get(self, *key: object, fingerprint: dict | None = None) -> dict | None:
        """The cell's stored result, or ``None`` when it must be (re)done.

        A cell is redone when it is missing, or when it was stored with a
        ``fingerprint`` (e.g. the package sources and sampler parameters)
        that differs from the one given.
        """
        path = self.path(*key)
        if not path.exists():
            return None
        cell = json.loads(path.read_text())
        for name, value in _as_json(fingerprint or {}).items():
            if cell.get(name) != value:
                return None
        return cell

    def put(self, result: dict, *key: object, fingerprint: dict | None = None) -> None:
        """Store a finished cell, with the ``fingerprint`` it was computed under."""
        result = {**result, **_as_json(fingerprint or {})}
        _write_atomically(self.path(*key), json.dumps(result, indent=2, default=float))

    def cells(self) -> Iterator[dict]:
        """Every finished cell, in file-name order."""
        for path in sorted(self.folder.glob("*.json")):
            if path.name != "settings.json":
                yield json.loads(path.read_text())
