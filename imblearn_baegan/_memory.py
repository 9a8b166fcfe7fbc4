"""A disk cache of trained networks, shared by the fits of a search.

A grid search over settings that only change how trained networks are used
(how much to generate, how to decode) would otherwise train the same
networks again for every candidate. Entries are keyed on what training
depends on: the rows, the class of each row, the training parameters, the
seed and the package version.

Several processes may share one folder: an entry is written to a temporary
file and renamed into place, so readers never see half an entry, and a
lock per entry (where the platform has ``fcntl``) makes a second worker
wait for the first one's training instead of repeating it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from scipy import sparse
from skorch.history import History
from sklearn.utils.validation import check_memory

try:
    import fcntl
except ImportError:  # Windows: no lock, so concurrent misses may both train.
    fcntl = None

__all__: list[str] = []

# Bumped when the layout of an entry changes: older entries become misses.
_FORMAT = 1


class _NetCache:
    """Trained networks of a skorch net, stored under ``folder``.

    Parameters
    ----------
    folder : Path
        The ``nets`` folder of the user's cache location.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def from_memory(cls, memory) -> _NetCache | None:
        """The cache of a ``memory`` parameter, or ``None`` when it caches nothing.

        Parameters
        ----------
        memory : None, str, os.PathLike or joblib.Memory
            As scikit-learn's ``Pipeline(memory=...)``.
        """
        if isinstance(memory, os.PathLike):
            memory = os.fspath(memory)
        location = check_memory(memory).location
        if location is None:
            return None
        return cls(Path(location) / "imblearn_baegan" / "nets")

    def key(self, X: np.ndarray, c: np.ndarray, params: dict, seed: int) -> str:
        """A digest of everything the trained networks depend on.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
            The rows, in the dtype training reads them in; a sparse matrix
            is keyed on its format and stored arrays, so it must be in
            canonical form (as the sampler's validation leaves it).
        c : ndarray of shape (n_samples,)
            The class index of each row.
        params : dict
            The training parameters, with JSON-serialisable values.
        seed : int
            The seed of the fit.
        """
        from . import __version__

        digest = hashlib.sha256()
        header = {
            "format": _FORMAT,
            "version": __version__,
            "params": params,
            "seed": int(seed),
            "X": [str(X.dtype), list(X.shape)],
            "c": [str(c.dtype), list(c.shape)],
        }
        if sparse.issparse(X):
            header["X"].append(X.format)
        digest.update(json.dumps(header, sort_keys=True).encode())
        if sparse.issparse(X):
            for part in (X.indptr, X.indices, X.data):
                digest.update(np.ascontiguousarray(part).data)
        else:
            digest.update(np.ascontiguousarray(X).data)
        digest.update(np.ascontiguousarray(c).data)
        return digest.hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pt"

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        """Hold the entry's lock: other workers asking for ``key`` wait here."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if fcntl is None:
            yield
            return
        with open(self.folder / f"{key}.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def load(self, key: str, net) -> bool:
        """Put the entry's networks and history into ``net``; ``False`` on a miss.

        ``net`` is initialised here. An entry that cannot be read, or that
        does not fit ``net``'s networks, is a miss with a warning: the
        caller trains again and overwrites it.
        """
        path = self.path(key)
        if not path.exists():
            return False
        try:
            entry = torch.load(path, map_location="cpu", weights_only=True)
            if entry.get("format") != _FORMAT:
                raise ValueError(f"entry format {entry.get('format')!r}, not {_FORMAT}")
            net.initialize()
            for name, state in entry["modules"].items():
                getattr(net, name + "_").load_state_dict(state)
            net.history = History(entry["history"])
        except Exception as exc:  # any unreadable entry is retrained, never fatal
            reason = (str(exc).strip().splitlines() or [""])[0][:200]
            warnings.warn(
                f"The cached networks in {path} could not be loaded "
                f"({type(exc).__name__}: {reason}); training them again.",
                UserWarning,
            )
            return False
        return True

    def save(self, key: str, net) -> None:
        """Write ``net``'s trained networks and history as the entry of ``key``."""
        entry = {
            "format": _FORMAT,
            "modules": {
                name: {k: v.detach().cpu() for k, v in getattr(net, name + "_").state_dict().items()}
                for name in _module_names(net)
            },
            "history": _plain(net.history.to_list()),
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                torch.save(entry, file)
            os.replace(tmp, self.path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _module_names(net) -> list[str]:
    """The networks skorch registered on ``net``: ``module`` and any custom ones."""
    return [name for name in net._modules if isinstance(getattr(net, name + "_"), torch.nn.Module)]


def _plain(value):
    """``value`` with NumPy scalars made Python ones, so ``weights_only`` loading accepts it."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
