"""A disk cache of trained networks, shared by the fits of a search.

A grid search over settings that only change how trained networks are used
(how much to generate, how to decode) would otherwise train the same
networks again for every candidate. An entry is keyed on everything
training depends on: the rows, the class of each row, the training
parameters, the seed, the package's source code, the torch and skorch
versions and the type of device. The same description is stored in the
entry as its header and checked when it is loaded: an entry that does not
match is trained again, with a warning that says why.

Several processes may share one folder: an entry is written to a temporary
file and renamed into place, so readers never see half an entry, and a
lock per entry (where the platform has ``fcntl``) makes a second worker
wait for the first one's training instead of repeating it.
:func:`reduce_memory` bounds the folder's size.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import tempfile
import time
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import numpy as np
import skorch
import torch
from scipy import sparse
from sklearn.utils.validation import check_memory
from skorch.history import History

try:
    import fcntl
except ImportError:  # Windows: no lock, so concurrent misses may both train.
    fcntl = None

__all__ = ["reduce_memory"]

# Bumped when the layout of an entry changes: older entries become misses.
_FORMAT = 2
_PACKAGE = Path(__file__).resolve().parent
# A temporary file older than this was left by a writer that died.
_STALE_SECONDS = 3600


@functools.lru_cache(maxsize=1)
def _source_hash() -> str:
    """A digest of the package's source files: any change to the code changes it."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def plain(value):
    """``value`` as plain JSON-able Python: NumPy scalars, tuples and arrays normalised.

    Grids are often built with NumPy (``np.arange``, ``np.linspace``), so a
    parameter may be a NumPy integer where another fit passed a Python one:
    both give the same key. Classes are named by module and qualified name;
    other objects by their ``repr``.

    Examples
    --------
    >>> import numpy as np
    >>> plain({"a": np.int64(3), "b": (np.float32(0.5), [1, 2])})
    {'a': 3, 'b': [0.5, [1, 2]]}
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (os.PathLike, torch.device)):
        return str(value)
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return repr(value)


class NetCache:
    """Trained networks of a skorch net, stored under ``folder``.

    Parameters
    ----------
    folder : Path
        The ``nets`` folder of the user's cache location.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def from_memory(cls, memory) -> NetCache | None:
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

    @staticmethod
    def header(X, c: np.ndarray, params: dict, seed: int, device) -> dict:
        """What the trained networks depend on, besides the rows' values.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
            The rows, in the dtype training reads them in.
        c : ndarray of shape (n_samples,)
            The class index of each row.
        params : dict
            The training parameters (normalised with :func:`plain`).
        seed : int
            The seed of the fit.
        device : str
            The training device; only its type counts.
        """
        header = {
            "format": _FORMAT,
            "code": _source_hash(),
            "torch": str(torch.__version__),
            "skorch": skorch.__version__,
            "device": torch.device(device).type,
            "params": plain(params),
            "seed": int(seed),
            "X": [str(X.dtype), list(X.shape)],
            "c": [str(c.dtype), list(c.shape)],
        }
        if sparse.issparse(X):
            header["X"].append(X.format)
        return header

    @staticmethod
    def key(header: dict, X, c: np.ndarray) -> str:
        """A digest of ``header`` and of the rows and classes themselves.

        A sparse ``X`` is keyed on its stored arrays, so it must be in
        canonical form (as the sampler's validation leaves it).
        """
        digest = hashlib.sha256(json.dumps(header, sort_keys=True).encode())
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

    def load(self, key: str, header: dict, net) -> bool:
        """Put the entry's networks and history into ``net``; ``False`` on a miss.

        ``net`` is initialised here. An entry whose header differs from
        ``header``, or that cannot be read, or that does not fit ``net``'s
        networks, is a miss with a warning: the caller trains again and
        overwrites it.
        """
        path = self.path(key)
        if not path.exists():
            return False
        try:
            entry = torch.load(path, map_location="cpu", weights_only=True)
            if entry.get("format") != _FORMAT:
                raise ValueError(f"entry format {entry.get('format')!r}, not {_FORMAT}")
            differ = sorted(k for k in header if entry["header"].get(k) != header[k])
            if differ:
                raise ValueError(f"its {', '.join(differ)} differ from this fit's")
            net.initialize()
            for name, state in entry["modules"].items():
                getattr(net, name + "_").load_state_dict(state)
            net.history = History(entry["history"])
        except Exception as exc:  # any unusable entry is retrained, never fatal
            reason = (str(exc).strip().splitlines() or [""])[0][:200]
            warnings.warn(
                f"The cached networks in {path} were not used "
                f"({type(exc).__name__}: {reason}); training them again.",
                UserWarning,
            )
            return False
        # The last use, for reduce_memory to keep recently used entries.
        with contextlib.suppress(OSError):
            os.utime(path)
        return True

    def save(self, key: str, header: dict, net) -> None:
        """Write ``net``'s networks and history, under ``header``, as the entry of ``key``."""
        entry = {
            "format": _FORMAT,
            "header": header,
            "modules": {
                name: {
                    k: v.detach().cpu() for k, v in getattr(net, name + "_").state_dict().items()
                }
                for name in _module_names(net)
            },
            "history": plain(net.history.to_list()),
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


def _bytes(limit) -> int | None:
    """``bytes_limit`` as a number: an int, or a string such as ``"500M"`` or ``"2G"``."""
    if limit is None or isinstance(limit, int):
        return limit
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*", str(limit), re.IGNORECASE)
    if match is None:
        raise ValueError(f"bytes_limit must be an int or a size such as '500M', got {limit!r}.")
    scale = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}[match.group(2).upper()]
    return int(float(match.group(1)) * scale)


def reduce_memory(memory, *, bytes_limit=None, items_limit=None, age_limit=None) -> dict:
    """Remove cached networks from a ``memory`` folder, least recently used first.

    The samplers' ``memory`` cache never removes an entry by itself: one
    entry, the networks of one fit, takes about the size of their weights
    (four bytes per parameter: hundreds of KiB for tables, a few MiB for images), and a grid
    search writes one per fold and training setting. Call this between
    searches, as :meth:`joblib.Memory.reduce_size` for a pipeline's cache.
    Entries are ordered by their last use (a load or a save); temporary files
    that a dead writer left behind and lock files without an entry go too.

    Parameters
    ----------
    memory : str, path or joblib.Memory
        The location given as the samplers' ``memory``.
    bytes_limit : int, str or None, default=None
        Keep at most this much: bytes, or a size such as ``"500M"``.
    items_limit : int or None, default=None
        Keep at most this many entries; ``0`` clears the cache.
    age_limit : datetime.timedelta, float or None, default=None
        Remove entries not used for this long (a float counts seconds).

    Returns
    -------
    report : dict
        ``removed`` (entries removed), ``kept`` (entries left) and ``bytes``
        (size of the entries left).

    Examples
    --------
    >>> import tempfile
    >>> from imblearn_baegan import reduce_memory
    >>> reduce_memory(tempfile.mkdtemp(), items_limit=0)
    {'removed': 0, 'kept': 0, 'bytes': 0}
    """
    cache = NetCache.from_memory(memory)
    bytes_limit = _bytes(bytes_limit)
    if isinstance(age_limit, timedelta):
        age_limit = age_limit.total_seconds()
    if cache is None or not cache.folder.exists():
        return {"removed": 0, "kept": 0, "bytes": 0}
    now = time.time()
    for tmp in cache.folder.glob(".*.tmp"):
        if now - tmp.stat().st_mtime > _STALE_SECONDS:
            tmp.unlink(missing_ok=True)
    entries = sorted(
        ((p.stat().st_mtime, p.stat().st_size, p) for p in cache.folder.glob("*.pt")),
        reverse=True,
    )
    kept, removed, total = [], 0, 0
    for used, size, path in entries:
        too_old = age_limit is not None and now - used > age_limit
        too_many = items_limit is not None and len(kept) >= items_limit
        too_big = bytes_limit is not None and total + size > bytes_limit
        if too_old or too_many or too_big:
            path.unlink(missing_ok=True)
            removed += 1
        else:
            kept.append(path)
            total += size
    names = {path.stem for path in kept}
    for lock in cache.folder.glob("*.lock"):
        # A young lock without its entry may be held by a worker training it.
        if lock.stem not in names and now - lock.stat().st_mtime > _STALE_SECONDS:
            lock.unlink(missing_ok=True)
    return {"removed": removed, "kept": len(kept), "bytes": total}
