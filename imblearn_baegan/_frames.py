"""DataFrame columns the row mapping does not take as they are, and polars frames.

The row mapping (:mod:`._rows`) works on numbers and categories. A
DataFrame can also hold dates and durations, numbers stored as Python
objects (``Decimal`` from a database, floats in an ``object`` column) and
complex numbers, and it can be a polars frame. :class:`FrameColumns` turns
the first two into numbers before the mapping sees them and back into the
caller's types after, refuses the third by name, and keeps the training
rows' own values, so that the real rows of the output are the input's to
the last nanosecond or digit. Polars frames become pandas ones at the
sampler's door (:func:`from_polars`) and polars again on the way out
(:func:`to_polars`).
"""

from __future__ import annotations

from decimal import Decimal
from numbers import Complex, Number

import numpy as np

__all__: list[str] = []


def is_polars(obj) -> bool:
    """Whether ``obj`` is a polars DataFrame or Series (without importing polars)."""
    return type(obj).__module__.split(".")[0] == "polars" and hasattr(obj, "to_pandas")


def from_polars(X):
    """A polars DataFrame as a pandas one; a polars Series as a NumPy array; else ``X``."""
    if not is_polars(X):
        return X
    if hasattr(X, "columns"):
        return X.to_pandas()
    return X.to_numpy()


def to_polars(result, like):
    """``result`` (a pandas DataFrame or a 1-D array) as polars, with the schema of ``like``.

    Each column gets back its polars dtype (``Enum``, ``Int32``, a time
    unit...), which the trip through pandas may have widened.
    """
    import polars as pl

    if hasattr(like, "columns"):
        return pl.from_pandas(result).cast(like.schema)
    return pl.Series(like.name, np.asarray(result)).cast(like.dtype)


def holds_numbers(column) -> bool:
    """Whether an ``object`` column's values are all numbers (or missing), with at least one.

    Booleans are categories, not numbers; complex numbers are refused
    later, by name.
    """
    import pandas as pd

    if column.dtype != np.dtype(object):
        return False
    values = column.to_numpy()
    present = values[~np.asarray(pd.isna(values), dtype=bool)]
    return len(present) > 0 and all(
        isinstance(v, Number) and not isinstance(v, (bool, np.bool_)) for v in present
    )


def _decimal_places(values) -> Decimal | None:
    """For a column of ``Decimal`` values only, the finest step they hold (``0.01``); else None."""
    if not all(isinstance(v, Decimal) and v.is_finite() for v in values):
        return None
    exponent = min(v.as_tuple().exponent for v in values)
    return Decimal(1).scaleb(exponent)


def _is_complex(value) -> bool:
    return isinstance(value, Complex) and not isinstance(
        value, (float, int, Decimal, np.floating, np.integer)
    )


class _TimeColumn:
    """A datetime or timedelta column as integer ticks of its own unit, both ways."""

    def __init__(self, series):
        import pandas as pd

        self.dtype = series.dtype
        self.is_duration = series.dtype.kind == "m"
        index = pd.TimedeltaIndex(series) if self.is_duration else pd.DatetimeIndex(series)
        # pandas reads a time-zone aware Arrow column in nanoseconds, whatever
        # its unit; the column's own unit keeps new values castable back.
        arrow = getattr(series.dtype, "pyarrow_dtype", None)
        # pandas before 2.0 keeps every time in nanoseconds and has no unit.
        self.unit = getattr(arrow, "unit", None) or getattr(index, "unit", "ns")
        self.tz = None if self.is_duration else index.tz

    def ticks(self, series) -> tuple[np.ndarray, bool]:
        """The column as int64 ticks, and whether it holds a missing time (NaT)."""
        import pandas as pd

        if self.is_duration:
            index = pd.TimedeltaIndex(series)
        else:
            index = pd.DatetimeIndex(series)
            if index.tz is not None:
                index = index.tz_convert("UTC").tz_localize(None)
        if hasattr(index, "as_unit"):
            index = index.as_unit(self.unit)
        return index.asi8, bool(index.hasnans)

    def values(self, ticks: np.ndarray):
        """Integer ticks as a pandas array of the column's dtype."""
        import pandas as pd

        if self.is_duration:
            index = pd.TimedeltaIndex(ticks.view(f"m8[{self.unit}]"))
        else:
            index = pd.DatetimeIndex(ticks.view(f"M8[{self.unit}]"))
            if self.tz is not None:
                index = index.tz_localize("UTC").tz_convert(self.tz)
        return pd.Series(index).astype(self.dtype).array


class FrameColumns:
    """The DataFrame columns turned into numbers for the mapping, fitted on training rows.

    * datetime and timedelta columns (NumPy, time-zone aware or Arrow
      backed) become int64 ticks of their own unit; a missing time (NaT)
      is refused by name, as the mapping refuses a missing number;
    * ``object`` columns of numbers (``Decimal``, floats, integers) that
      are not categorical become float64, or int64 when every value is a
      whole number float64 holds exactly; new values of a ``Decimal``
      column keep the finest step its values have;
    * complex columns are refused by name.

    Parameters
    ----------
    name : str
        The estimator's name, for the messages.
    """

    def __init__(self, name: str):
        self.name = name

    def fit(self, X, categorical: np.ndarray) -> FrameColumns:
        """Find the columns of ``X`` to convert, leaving out the ``categorical`` ones."""
        import pandas as pd

        skip = set(np.asarray(categorical).tolist())
        self.times_ = {}
        self.objects_ = {}
        complex_columns = []
        for j, dtype in enumerate(X.dtypes):
            if j in skip:
                continue
            column = X.iloc[:, j]
            if getattr(dtype, "kind", "") in "mM" and not isinstance(dtype, pd.SparseDtype):
                self.times_[j] = _TimeColumn(column)
            elif getattr(dtype, "kind", "") == "c":
                complex_columns.append(str(X.columns[j]))
            elif holds_numbers(column):
                present = column.dropna().to_numpy()
                if any(_is_complex(v) for v in present):
                    complex_columns.append(str(X.columns[j]))
                else:
                    self.objects_[j] = _decimal_places(present)
        if complex_columns:
            raise ValueError(
                f"{self.name} takes real numbers, but column(s) {complex_columns} hold "
                "complex ones. Split each into its real and imaginary parts first, "
                "e.g. X.assign(z_re=X['z'].map(np.real), z_im=X['z'].map(np.imag))."
            )
        return self

    @property
    def converts(self) -> bool:
        """Whether any column is converted, so that output frames need :meth:`restore`."""
        return bool(self.times_ or self.objects_)

    def transform(self, X):
        """``X`` with the fitted columns as numbers; ``X`` itself when there are none."""
        if not self.converts:
            return X
        X = X.copy(deep=False)
        missing = []
        for j, column in self.times_.items():
            ticks, has_missing = column.ticks(X.iloc[:, j])
            if has_missing:
                missing.append(str(X.columns[j]))
            X.isetitem(j, ticks)
        if missing:
            raise ValueError(
                f"Input X contains NaT (a missing time) in column(s) {missing}. Impute "
                "or drop those rows first; the new rows' times come from the real ones."
            )
        for j in self.objects_:
            values = X.iloc[:, j].to_numpy(dtype=np.float64, na_value=np.nan)
            # Whole numbers that float64 holds exactly become integers.
            whole = (
                np.isfinite(values).all()
                and (values == np.rint(values)).all()
                and (np.abs(values) <= 2**53).all()
            )
            X.isetitem(j, values.astype(np.int64) if whole else values)
        return X

    def keep_originals(self, X) -> None:
        """Keep the training rows' values of the converted columns, for :meth:`restore`."""
        self._originals = {j: X.iloc[:, j].array for j in (*self.times_, *self.objects_)}

    def forget_originals(self) -> None:
        """Drop the training rows' values: they serve one output, not the fitted sampler."""
        self._originals = {}

    def restore(self, frame, source=None) -> None:
        """Put the converted columns of ``frame`` back into the caller's types, in place.

        ``source`` holds, for each row of ``frame``, the training row it is a
        copy of, or -1 for a generated row: copies take the training row's
        own value (no float round-off of a nanosecond timestamp or of a
        ``Decimal``), generated rows the nearest value of the column's type.
        """
        import pandas as pd

        originals = getattr(self, "_originals", {})
        real = None if source is None else np.asarray(source) >= 0
        for j, column in self.times_.items():
            ticks = np.rint(frame.iloc[:, j].to_numpy(dtype=np.float64)).astype(np.int64)
            values = pd.Series(column.values(ticks))
            if real is not None and j in originals and real.any():
                values[real] = pd.Series(originals[j]).iloc[source[real]].to_numpy()
            frame.isetitem(j, values.array)
        for j, step in self.objects_.items():
            numbers = frame.iloc[:, j].to_numpy()
            values = np.empty(len(numbers), dtype=object)
            if step is None:
                values[:] = numbers.tolist()
            else:
                # New values to the finest step of the column's own, not float noise.
                values[:] = [Decimal(repr(float(v))).quantize(step) for v in numbers]
            if real is not None and j in originals and real.any():
                values[real] = np.asarray(originals[j], dtype=object)[source[real]]
            frame.isetitem(j, values)
