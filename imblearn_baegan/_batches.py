"""The training rows of a net and the mini-batches sliced from them.

Rows stay in the caller's dtype (sparse ones a CSR matrix on the host) and
are mapped to the networks' units one mini-batch at a time on the training
device. Batches are sliced from tensors, in an order drawn by the fit's
own random generator.

An epoch shows every row, unless the net's ``rows_per_epoch`` is smaller
than the table: then each epoch shows at most that many rows, drawn afresh,
and the draw follows the classes, not the table (:func:`epoch_quotas`):
every row of the classes small enough to fit, and an equal share of the
rest for each larger class. Their order spreads each class evenly over the
epoch, so that every batch holds its share of the rare classes.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator

import numpy as np
import torch
from scipy import sparse

from ._rows import host_csr
from ._scaling import as_compact

__all__ = ["count_macs", "epoch_quotas"]

# Most values a chunk of encoded or decoded rows holds: with 30,000 columns
# a chunk of 1,024 dense float64 rows would take 245 MB.
CHUNK_VALUES = 2**22


def epoch_quotas(counts, rows_per_epoch: int | None) -> np.ndarray:
    """Rows of each class one training epoch shows.

    Every row when the classes together fit in ``rows_per_epoch`` (or it
    is ``None``). Otherwise the quota is filled from the smallest class up:
    a class shows all its rows while they fit in an equal share of what is
    left, and the larger classes show that share each, so that the rare
    classes are seen in full and the large ones are capped alike. Every
    class shows at least one row, even when ``rows_per_epoch`` is smaller
    than the number of classes.

    Parameters
    ----------
    counts : array-like of int
        Rows of each class.
    rows_per_epoch : int or None

    Returns
    -------
    quotas : ndarray of int
        Rows of each class per epoch, in the order of ``counts``.

    Examples
    --------
    >>> epoch_quotas([100, 318_400], 16_384).tolist()
    [100, 16284]
    >>> epoch_quotas([100, 300], None).tolist()
    [100, 300]
    """
    counts = np.asarray(counts, dtype=np.int64)
    if rows_per_epoch is None or counts.sum() <= rows_per_epoch:
        return counts.copy()
    left, share = int(rows_per_epoch), 0
    for i, count in enumerate(np.sort(counts)):
        share = left // (len(counts) - i)
        if count > share:
            break
        left -= int(count)
    return np.minimum(counts, max(share, 1))


class RowData:
    """Rows and class indices, mapped to units batch by batch.

    The rows keep the caller's dtype, so uint8 images take a quarter of the
    memory of float32 ones; ``storage`` is where they live (the training
    device, or the host when they do not fit there). Each batch is gathered
    where the rows live, moved to the training device and mapped there.

    Sparse rows stay a scipy CSR matrix on the host: a batch is sliced from
    it and densified alone, so the dense matrix never exists in memory.
    """

    def __init__(self, X, c: torch.Tensor | None, scaling, device):
        self.X = X
        self.c = c
        self.scaling = scaling
        self.device = device
        # The mapping's tables are copied to the device once, not per batch.
        self._units = None if scaling is None else scaling.on_device(device)
        self._members = None

    def __len__(self) -> int:
        return self.X.shape[0]

    @property
    def storage(self) -> torch.device:
        """Where the rows live: sparse ones always on the host."""
        return torch.device("cpu") if sparse.issparse(self.X) else self.X.device

    def rows(self, x) -> torch.Tensor:
        """Rows on the training device, as float32 units; sparse ones densified first."""
        if sparse.issparse(x):
            x = torch.from_numpy(x.toarray())
        x = x.to(self.device, non_blocking=True)
        if self._units is None:
            return x.to(torch.float32)
        return self._units(x)

    def _take(self, idx: torch.Tensor):
        if sparse.issparse(self.X):
            return self.X[idx.numpy()]
        return self.X[idx]

    def batch(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.rows(self._take(idx)), self.c[idx].to(self.device)

    def subset(self, indices) -> RowData:
        idx = torch.as_tensor(np.asarray(indices), dtype=torch.long, device=self.storage)
        return RowData(self._take(idx), self.c[idx], self.scaling, self.device)

    def chunks(self, n_rows: int) -> Iterator:
        """The rows in order, ``n_rows`` at a time, as they are stored; at least one chunk."""
        n = len(self)
        for start in range(0, max(n, 1), n_rows):
            yield self.X[start : start + n_rows]

    def members(self) -> list[torch.Tensor]:
        """Row indices of each class present, on the host; computed once."""
        if self._members is None:
            c = self.c.cpu()
            order = torch.argsort(c, stable=True)
            counts = torch.bincount(c)
            self._members = [part for part in order.split(counts.tolist()) if len(part)]
        return self._members


class Batches:
    """Mini-batches sliced from a :class:`RowData`, in an order the fit's generator draws.

    With ``rows_per_epoch`` smaller than the rows, an epoch is a fresh
    class-aware draw (:func:`epoch_quotas`) whose order spreads each class
    evenly over the batches; otherwise it is every row, shuffled.
    """

    def __init__(
        self, data: RowData, batch_size: int, shuffle: bool, generator, rows_per_epoch=None
    ):
        self.data = data
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator
        self.quotas = None
        if shuffle and rows_per_epoch is not None and len(data) > rows_per_epoch:
            counts = [len(m) for m in data.members()]
            self.quotas = epoch_quotas(counts, rows_per_epoch).tolist()

    def __len__(self) -> int:
        n = len(self.data) if self.quotas is None else sum(self.quotas)
        return math.ceil(n / self.batch_size)

    def _order(self) -> torch.Tensor:
        n, storage = len(self.data), self.data.storage
        if not self.shuffle:
            return torch.arange(n, device=storage)
        if self.quotas is None:
            return torch.randperm(n, generator=self.generator).to(storage)
        picks, keys = [], []
        for members, quota in zip(self.data.members(), self.quotas):
            pick = torch.randperm(len(members), generator=self.generator)[:quota]
            picks.append(members[pick])
            # Row k of a class lands at (k + u) / quota of the epoch: spread
            # evenly, in random order within its slot.
            keys.append((torch.arange(quota) + torch.rand(quota, generator=self.generator)) / quota)
        order = torch.cat(picks)[torch.argsort(torch.cat(keys))]
        return order.to(storage)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        order = self._order()
        for start in range(0, len(order), self.batch_size):
            yield self.data.batch(order[start : start + self.batch_size])


def host_tensor(X):
    """``X`` as a CPU tensor, without a copy where its dtype and layout allow.

    A sparse ``X`` becomes a scipy CSR matrix in canonical form instead
    (rows are what batches slice, and torch's sparse tensors have no row
    indexing as fast as scipy's); it is copied only where its format,
    dtype or duplicate entries require.
    """
    if isinstance(X, torch.Tensor):
        return X
    if sparse.issparse(X):
        return host_csr(X)
    with warnings.catch_warnings():
        # Batches only read the rows, so a read-only array needs no copy.
        warnings.filterwarnings("ignore", "The given NumPy array is not writable")
        return torch.as_tensor(np.ascontiguousarray(as_compact(np.asarray(X))))


def chunk_rows(chunk_size: int, n_features: int) -> int:
    """Rows per chunk: at most ``chunk_size``, and at most ``CHUNK_VALUES`` values."""
    return max(1, min(chunk_size, CHUNK_VALUES // max(n_features, 1)))


def count_macs(forward, modules) -> int:
    """Multiply-adds of the linear and convolution layers of ``modules`` that ``forward()`` runs.

    Counted by forward hooks on those layers, removed afterwards; no
    gradient is taken.

    Examples
    --------
    >>> import torch
    >>> layer = torch.nn.Linear(3, 2)
    >>> count_macs(lambda: layer(torch.zeros(4, 3)), [layer])
    24
    """
    total = 0

    def hook(layer, inputs, output):
        nonlocal total
        if isinstance(layer, torch.nn.Linear):
            total += output.numel() * layer.in_features
        elif isinstance(layer, torch.nn.ConvTranspose2d):
            total += inputs[0].numel() * layer.weight[0].numel()
        else:
            total += output.numel() * layer.weight[0].numel()

    kinds = (torch.nn.Linear, torch.nn.Conv2d, torch.nn.ConvTranspose2d)
    handles = [
        layer.register_forward_hook(hook)
        for module in modules
        for layer in module.modules()
        if isinstance(layer, kinds)
    ]
    try:
        with torch.no_grad():
            forward()
    finally:
        for handle in handles:
            handle.remove()
    return total


def chunks(t: torch.Tensor, size: int) -> list[torch.Tensor]:
    """``t`` split into chunks of ``size`` rows; an empty ``t`` gives one empty chunk."""
    return list(t.split(size)) if len(t) else [t]
