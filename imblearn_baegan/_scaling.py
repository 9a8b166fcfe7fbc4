"""Min-max scaling between the caller's units and the networks' [0, 1]."""

from __future__ import annotations

import numpy as np
import torch

__all__ = ["MinMaxScaling"]


class MinMaxScaling:
    """Scale to ``[0, 1]`` per column (tables) or with one range (images).

    :class:`~imblearn_baegan.BAEGANSampler` fits one on its input (its
    ``scaler_`` attribute) and hands it to the
    :class:`~imblearn_baegan.BAEGANNet` (its ``scaling`` parameter), which
    scales each mini-batch on the training device.

    Images share one range across all pixels: a pixel that is black in every
    training image must not be stretched into noise. Constant columns keep a
    range of 1 so that they map to 0 and back without dividing by zero, and
    ``inverse_transform`` clips to the range seen in ``fit``, so that decoded
    rows never leave the training data's bounds, constant columns included.

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

    def fit(self, X: np.ndarray) -> MinMaxScaling:
        """Record the range of ``X``."""
        if self.per_column:
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

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Map ``X`` to ``[0, 1]`` as float32, the networks' dtype."""
        return ((X - self.data_min_) / self.data_range_).astype(np.float32)

    def tensor_bounds(self, device) -> tuple[torch.Tensor, torch.Tensor]:
        """``data_min_`` and ``data_range_`` as float64 tensors on ``device``."""
        return (
            torch.as_tensor(self.data_min_, device=device),
            torch.as_tensor(self.data_range_, device=device),
        )

    def transform_tensor(self, x: torch.Tensor, bounds=None) -> torch.Tensor:
        """Map a batch of rows to ``[0, 1]`` as float32, on ``x``'s device.

        The arithmetic is that of :meth:`transform` (float64, then float32),
        so rows scaled batch by batch on a device equal rows scaled at once
        on the host. Rows can stay in their compact dtype (uint8 images)
        until they are scaled. ``bounds``, from :meth:`tensor_bounds` on
        ``x``'s device, spares a copy of them to the device per batch.
        """
        low, span = bounds if bounds is not None else self.tensor_bounds(x.device)
        return ((x.to(torch.float64) - low) / span).to(torch.float32)

    def inverse_transform(self, X_scaled: np.ndarray) -> np.ndarray:
        """Map scaled rows back to the units seen in ``fit``, as float64."""
        # In place: generated image sets can hold tens of thousands of rows.
        X = X_scaled.astype(np.float64)
        X *= self.data_range_
        X += self.data_min_
        return np.clip(X, self.data_min_, self.data_max_, out=X)
