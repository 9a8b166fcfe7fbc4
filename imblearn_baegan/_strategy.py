"""Sampling strategies that imbalanced-learn's strings and floats do not cover."""

from __future__ import annotations

from numbers import Real

import numpy as np

__all__ = ["FractionOfMajority"]


class FractionOfMajority:
    """Bring every class to at least a fraction of the majority class's size.

    A callable to pass as ``sampling_strategy`` to any imbalanced-learn
    over-sampler. imbalanced-learn's float strategy does the same for two
    classes only; this one works for any number of classes, so the amount
    of synthetic data can be grid-searched on multi-class data too.

    Parameters
    ----------
    fraction : float in (0, 1]
        Each class is brought to ``round(fraction * n_majority)`` rows; a
        class that already has as many keeps its rows and gets no new ones. ``1.0`` is full balance,
        as ``sampling_strategy="auto"``.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_baegan import FractionOfMajority
    >>> y = np.array([0] * 100 + [1] * 10 + [2] * 60)
    >>> FractionOfMajority(0.5)(y)
    {1: 50, 2: 60}
    """

    def __init__(self, fraction: float):
        if not isinstance(fraction, Real) or isinstance(fraction, bool) or not 0 < fraction <= 1:
            raise ValueError(f"fraction must be a number in (0, 1], got {fraction!r}.")
        self.fraction = float(fraction)

    def __call__(self, y) -> dict:
        """The number of rows each class but the majority should end with.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            The target.

        Returns
        -------
        sampling_strategy : dict
            Class label to its number of rows after over-sampling, as
            imbalanced-learn reads a dict strategy.
        """
        labels, counts = np.unique(np.asarray(y), return_counts=True)
        target = round(self.fraction * counts.max())
        majority = labels[np.argmax(counts)]
        return {
            _plain(label): max(target, int(count))
            for label, count in zip(labels, counts)
            if label != majority
        }

    def __repr__(self) -> str:
        return f"FractionOfMajority({self.fraction!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, FractionOfMajority) and other.fraction == self.fraction

    def __hash__(self) -> int:
        return hash((FractionOfMajority, self.fraction))


def _plain(label):
    return label.item() if isinstance(label, np.generic) else label
