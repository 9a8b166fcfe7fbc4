"""Min-max scaling between the caller's units and the networks' [0, 1]."""

from __future__ import annotations

import numpy as np
import torch
from scipy import sparse
from sklearn.utils.sparsefuncs import min_max_axis

__all__ = ["MinMaxScaling"]

# Tensor dtypes whose every value float32 holds exactly.
_EXACT_IN_FLOAT32 = {torch.uint8, torch.int8, torch.int16, torch.bool, torch.float16, torch.float32}
# Dtypes torch indexes and converts everywhere (torch.from_numpy takes them);
# other numbers become float64.
COMPACT_DTYPES = {
    np.dtype(t)
    for t in (
        np.uint8,
        np.int8,
        np.int16,
        np.int32,
        np.int64,
        np.bool_,
        np.float16,
        np.float32,
        np.float64,
    )
}


def as_compact(X):
    """``X`` unchanged when torch converts its dtype, else as float64."""
    return X if X.dtype in COMPACT_DTYPES else X.astype(np.float64)


class MinMaxScaling:
    """Scale to ``[0, 1]`` per column (tables) or with one range (images).

    Every sampler fits one on the numeric columns of its input (its
    ``scaler_`` attribute); the mapping of rows to the networks' units that
    the sampler hands its net (the net's ``scaling`` parameter) uses it to
    scale each mini-batch on the training device. A net given a
    ``MinMaxScaling`` as its ``scaling`` uses it alone.

    Images share one range across all pixels: a pixel that is black in every
    training image must not be stretched into noise. Constant columns keep a
    range of 1 so that they map to 0 and back without dividing by zero, and
    ``inverse_transform`` clips to the range seen in ``fit``, so that decoded
    rows never leave the training data's bounds, constant columns included.

    Sparse rows (scipy CSR or CSC) are scaled as the dense rows they stand
    for: their implicit zeros count in the range, and :meth:`transform`
    densifies what it is given, so callers hand it a chunk of rows at a
    time, never a whole large matrix. A stored value of 0 maps to
    :meth:`scaled_zero`, which is not 0 where a column's minimum is
    negative: scaled rows are dense.

    Parameters
    ----------
    per_column : bool
        Scale each column on its own range, or all columns on the global one.

    Attributes
    ----------
    data_min_, data_max_ : ndarray of shape (n_features,)
        Bounds of each column as seen in ``fit``.
    data_range_ : ndarray of shape (n_features,)
        ``data_max_ - data_min_``, with 1 for constant columns.

    Examples
    --------
    >>> import numpy as np
    >>> scaling = MinMaxScaling(per_column=True).fit(np.array([[0.0, 5.0], [2.0, 5.0]]))
    >>> scaling.transform(np.array([[1.0, 5.0]]))
    array([[0.5, 0. ]], dtype=float32)
    """

    def __init__(self, per_column: bool):
        self.per_column = per_column

    def fit(self, X) -> MinMaxScaling:
        """Record the range of ``X``, an array or a sparse matrix."""
        if self.per_column and sparse.issparse(X):
            # 1-D arrays that count the implicit zeros: scipy's own
            # X.min(axis=0) gives a sparse matrix back.
            low, high = min_max_axis(X, axis=0)
        elif self.per_column:
            low, high = X.min(axis=0), X.max(axis=0)
        else:
            low = np.full(X.shape[1], X.min())
            high = np.full(X.shape[1], X.max())
        # float64 before subtracting: booleans cannot be subtracted and
        # unsigned integers would wrap around.
        self.data_min_ = np.asarray(low, dtype=np.float64)
        self.data_max_ = np.asarray(high, dtype=np.float64)
        span = self.data_max_ - self.data_min_
        span[span == 0] = 1.0
        self.data_range_ = span
        return self

    def fits_float32(self) -> np.ndarray:
        """Mask of the columns whose range float32 can scale, and scale back, without overflow.

        Scaling divides by the range in float32: a range beyond float32's
        largest value, or one whose inverse is, gives infinities.
        """
        limit = np.finfo(np.float32).max
        with np.errstate(divide="ignore", over="ignore"):
            return (self.data_range_ <= limit) & (1.0 / self.data_range_ <= limit)

    def transform(self, X) -> np.ndarray:
        """Map ``X`` to ``[0, 1]`` as float32, the networks' dtype.

        The arithmetic of :meth:`on_device`, on the host. A sparse ``X``
        comes back dense: pass a chunk of rows.
        """
        if sparse.issparse(X):
            X = X.toarray()
        X = np.asarray(X)
        X = as_compact(X)
        return self.on_device("cpu")(torch.from_numpy(np.ascontiguousarray(X))).numpy()

    def scaled_zero(self) -> np.ndarray:
        """Where a value of 0 lands in each column, as float32.

        The reference of the sparse generation rule: a generated value that
        lies close to it stands for an implicit zero.
        """
        return self.transform(np.zeros((1, len(self.data_min_))))[0]

    def on_device(self, device):
        """A function that maps a batch of rows, a tensor on ``device``, to float32 ``[0, 1]``.

        The bounds are copied to ``device`` once, here, not once per batch.
        Rows whose values float32 holds exactly (bytes, 16-bit integers,
        half and single floats) are scaled in float32; wider ones (float64,
        32- and 64-bit integers) are first moved to their column's minimum
        in float64, so that a large value in a narrow range (a timestamp in
        seconds, say) keeps its precision, and scaled in float32 after. The
        host's :meth:`transform` runs the same function, so rows scaled
        batch by batch on the CPU equal rows scaled at once.
        """
        low64 = torch.as_tensor(self.data_min_, dtype=torch.float64, device=device)
        low32 = low64.to(torch.float32)
        inverse = torch.as_tensor(1.0 / self.data_range_, dtype=torch.float32, device=device)

        def scale(x: torch.Tensor) -> torch.Tensor:
            if x.dtype in _EXACT_IN_FLOAT32:
                return (x.to(torch.float32) - low32) * inverse
            return (x.to(torch.float64) - low64).to(torch.float32) * inverse

        return scale

    def transform_tensor(self, x: torch.Tensor) -> torch.Tensor:
        """Map a batch of rows to ``[0, 1]`` as float32, on ``x``'s device.

        Rows can stay in their compact dtype (uint8 images) until they are
        scaled. To scale many batches, call :meth:`on_device` once and the
        function it returns on each batch.
        """
        return self.on_device(x.device)(x)

    def inverse_transform(self, X_scaled: np.ndarray, columns=None) -> np.ndarray:
        """Map scaled rows back to the units seen in ``fit``, as float64.

        Parameters
        ----------
        X_scaled : ndarray of shape (n_samples, n_features) or (n_samples, k)
            Scaled rows, or with ``columns`` some values of each row.
        columns : ndarray of shape (n_samples, k) or None, default=None
            The column of each value of ``X_scaled``, when it holds only
            some columns of each row (the values a sparse row keeps).
        """
        low, span, high = self.data_min_, self.data_range_, self.data_max_
        if columns is not None:
            low, span, high = low[columns], span[columns], high[columns]
        # In place: generated image sets can hold tens of thousands of rows.
        X = X_scaled.astype(np.float64)
        X *= span
        X += low
        return np.clip(X, low, high, out=X)
