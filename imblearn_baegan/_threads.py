"""Torch threads shared fairly between fits that run side by side in one process.

joblib's process-based backends (loky, Dask's and Ray's workers) tell each
worker how many threads it has through ``OMP_NUM_THREADS``, which torch
reads when it starts: a fit in such a worker already uses only those.
Fits in threads of one process (joblib's threading backend, a Dask worker
with several threads) would each use all of torch's threads, and on a busy
machine OpenMP threads that outnumber the cores slow everyone down
severalfold. Each running fit therefore takes an equal share of the
process's threads, and takes it again at every epoch as fits start and end.

Torch keeps its thread count per calling thread (OpenMP's), so each fit
sets its own share in the thread it runs in. A fit may also cap its share
(small networks gain nothing from a second thread).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import torch

__all__: list[str] = []

_LOCK = threading.Lock()
_running = 0
_budget = 1
# The cap of the fit running in each thread.
_local = threading.local()


@contextlib.contextmanager
def thread_share(limit: int | None = None) -> Iterator[None]:
    """Run a fit on its share of the process's torch threads, at most ``limit`` of them."""
    global _running, _budget
    before = torch.get_num_threads()
    with _LOCK:
        if _running == 0:
            _budget = before
        _running += 1
    _local.limit = limit
    try:
        take_share()
        yield
    finally:
        with _LOCK:
            _running -= 1
        _local.limit = None
        torch.set_num_threads(before)


def take_share() -> None:
    """Set the calling thread's torch threads to its share of the budget, within its cap."""
    with _LOCK:
        share = max(1, _budget // max(_running, 1))
    limit = getattr(_local, "limit", None)
    if limit is not None:
        share = min(share, limit)
    if torch.get_num_threads() != share:
        torch.set_num_threads(share)
