"""Between a user's rows and the networks' units, both ways.

A sampler sees rows in the caller's types: a NumPy array, a sparse matrix,
a DataFrame whose columns may be numbers, categories, strings or booleans.
The networks see *units*: float32 values in ``[0, 1]``, one per numeric
column (min-max scaled) and one block per categorical column (a one-hot
vector over the categories the networks know). :class:`RowMapping` owns
both directions:

* **rows to storage**: validated rows as one compact numeric array (the
  *storage* form, which training slices, the cache keys and the sampler
  keeps for :meth:`generate`): numeric columns in their own dtype,
  categorical columns as integer codes into the categories seen in the
  training rows;
* **storage to units**: one mini-batch at a time on the training device;
* **units back to rows**: numeric units unscaled, clipped to the training
  range and rounded in integer columns; each categorical block becomes a
  category; then the storage rows become rows of the input's container and
  dtypes (DataFrame columns keep their dtypes, a NumPy object array stays
  one, sparse input stays sparse).
"""

from __future__ import annotations

import hashlib
import warnings
from numbers import Integral

import numpy as np
import torch
from scipy import sparse
from sklearn.utils.validation import (
    _check_feature_names,
    _check_n_features,
    _check_y,
    check_consistent_length,
    validate_data,
)

from ._categories import CategoricalColumn, code_dtype, draw_units, is_categorical_dtype
from ._frames import FrameColumns, holds_numbers
from ._scaling import COMPACT_DTYPES, MinMaxScaling, as_compact
from ._validation import (
    check_numeric,
    column_names,
    dense_numeric,
    integer_columns,
    is_pandas,
    non_finite_columns,
    non_finite_message,
)

__all__: list[str] = []

# What imbalanced-learn's samplers accept; other sparse formats become CSR.
SPARSE_FORMATS = ["csr", "csc"]
# A categorical column with more distinct values than this share of its rows
# looks like an identifier: its categories say nothing about other rows.
_ID_SHARE = 0.5


class RowMapping:
    """The mapping between a user's rows and the networks' units, fitted on training rows.

    Parameters
    ----------
    categorical_features : "auto", None or array-like, default="auto"
        As the samplers' parameter: ``"auto"`` takes the ``category``,
        ``object``, ``string`` and ``bool`` columns of a DataFrame (and none
        of other input); indices, column names or a boolean mask name them.
    max_categories : int, default=64
        Most units a categorical column gets: a column with more categories
        keeps its ``max_categories - 1`` most frequent ones and one unit for
        all the others.
    per_column : bool, default=True
        Scale numeric columns each on its own range (tables), or all on one
        range (images).
    name : str, default="sampler"
        The estimator's name, for the messages.

    Attributes
    ----------
    categorical_features_ : ndarray of int
        Indices of the categorical columns.
    continuous_features_ : ndarray of int
        Indices of the numeric columns.
    scaler_ : MinMaxScaling
        The scaling of the numeric columns.
    n_units_ : int
        Width of the networks' rows: one unit per numeric column, then one
        block per categorical column.
    block_sizes_ : tuple of int
        Units of each categorical column's block, in column order.
    """

    def __init__(
        self,
        categorical_features="auto",
        max_categories: int = 64,
        per_column: bool = True,
        name: str = "sampler",
    ):
        self.categorical_features = categorical_features
        self.max_categories = max_categories
        self.per_column = per_column
        self.name = name

    # -- which columns are categorical ------------------------------------------

    def _resolve_categorical(self, X) -> np.ndarray:
        spec = self.categorical_features
        if spec is None:
            return np.empty(0, dtype=int)
        if isinstance(spec, str) and spec == "auto":
            return auto_categorical(X)
        n_columns = X.shape[1] if getattr(X, "ndim", 2) == 2 else 0
        spec = np.asarray(spec)
        if spec.ndim != 1:
            raise ValueError(
                "categorical_features must be 'auto', None, or a 1-D list of column "
                f"indices, names or booleans, got {self.categorical_features!r}."
            )
        if spec.size and spec.dtype.kind == "b":
            if len(spec) != n_columns:
                raise ValueError(
                    f"categorical_features is a boolean mask of {len(spec)} values, but X "
                    f"has {n_columns} columns."
                )
            return np.flatnonzero(spec)
        if spec.size and spec.dtype.kind in "OUS":
            if not is_pandas(X):
                raise ValueError(
                    "categorical_features names columns, which only a DataFrame has; "
                    "give column indices for other input."
                )
            names = column_names(X)
            missing = [str(s) for s in spec if str(s) not in names]
            if missing:
                raise ValueError(
                    f"categorical_features names column(s) {missing} that X does not "
                    f"have; its columns are {names}."
                )
            return np.array(sorted({names.index(str(s)) for s in spec}), int)
        if spec.size and not all(isinstance(s, Integral) for s in spec.tolist()):
            raise ValueError(
                "categorical_features must hold column indices, names or booleans, got "
                f"{self.categorical_features!r}."
            )
        out = [j for j in spec.tolist() if not -n_columns <= j < n_columns]
        if out:
            raise ValueError(
                f"categorical_features holds indices {out} outside the {n_columns} columns of X."
            )
        return np.array(sorted({j % n_columns for j in spec.tolist()}), int)

    # -- fit: validate the training rows, learn the mapping -----------------------

    def fit(self, estimator, X, y, accept_sparse=None):
        """Validate ``X`` and ``y``, learn the mapping, return the storage rows and ``y``.

        Sets ``n_features_in_`` and ``feature_names_in_`` on ``estimator``,
        as scikit-learn's ``validate_data`` does.
        """
        if accept_sparse is None:
            accept_sparse = SPARSE_FORMATS
        spec = self.categorical_features
        if not (hasattr(X, "shape") or spec is None or isinstance(spec, str)):
            X = np.asarray(X, dtype=object)
        categorical = self._resolve_categorical(X)
        self.input_kind_ = (
            "sparse" if sparse.issparse(X) else "dataframe" if is_pandas(X) else "array"
        )
        self.output_dtypes_ = X.dtypes.copy() if is_pandas(X) else None
        self.columns_ = getattr(X, "columns", None)
        self._frame = None
        if self.input_kind_ == "dataframe":
            self._frame = FrameColumns(self.name).fit(X, categorical)
            self._frame.keep_originals(X)
            X = self._frame.transform(X)
        # An array comes back in its own dtype (objects stay objects), but for
        # a fixed-width string array with numeric columns, whose width would
        # cut generated numbers short.
        self.array_dtype_ = getattr(X, "dtype", None) if self.input_kind_ != "dataframe" else None
        if (
            self.array_dtype_ is not None
            and self.array_dtype_.kind in "US"
            and 0 < categorical.size < X.shape[1]
        ):
            self.array_dtype_ = np.dtype(object)
        if categorical.size and sparse.issparse(X):
            raise ValueError(
                f"{self.name} takes categorical columns in dense input only; "
                "sparse input is numeric."
            )
        if categorical.size and (
            is_pandas(X) and any(hasattr(dtype, "fill_value") for dtype in X.dtypes)
        ):
            raise ValueError(
                f"{self.name} takes categorical columns in dense input only; a "
                "DataFrame of sparse columns is numeric."
            )
        if not categorical.size:
            return self._fit_numeric(estimator, X, y, accept_sparse)
        return self._fit_mixed(estimator, X, y, categorical)

    def _fit_numeric(self, estimator, X, y, accept_sparse):
        names = column_names(X)
        check_numeric(X, self.name)
        if dense_numeric(X):
            message = non_finite_columns(X, range(X.shape[1]), names)
            if message:
                raise ValueError(message)
        self.integer_columns_ = integer_columns(X)
        # The rows keep their dtype (uint8 images stay a byte a pixel); the
        # networks see them scaled to float32 one batch at a time.
        X, y = validate_data(
            estimator, X=X, y=y, reset=True, dtype="numeric", accept_sparse=accept_sparse
        )
        # The output's container and format; the rows are worked on as CSR.
        self.sparse_type_ = type(X) if sparse.issparse(X) else None
        if self.input_kind_ != "dataframe":
            self.array_dtype_ = X.dtype
        X = compact(X)
        self.storage_dtype_ = X.dtype
        self.categorical_features_ = np.empty(0, dtype=int)
        self.continuous_features_ = np.arange(X.shape[1])
        self._columns = []
        self.scaler_ = MinMaxScaling(per_column=self.per_column).fit(X)
        self._check_float32(self.continuous_features_, names)
        self._finish()
        return X, y

    def _fit_mixed(self, estimator, X, y, categorical):
        _check_feature_names(estimator, X, reset=True)
        if not is_pandas(X):
            X = np.asarray(X, dtype=object) if not hasattr(X, "dtype") else X
            if X.ndim != 2:
                raise ValueError(f"Expected a 2-D X, got an array of shape {X.shape}.")
        _check_n_features(estimator, X, reset=True)
        y = _check_y(y, estimator=estimator)
        check_consistent_length(X, y)
        if X.shape[0] == 0:
            raise ValueError(
                f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is required."
            )
        names = column_names(X)
        numeric = np.setdiff1d(np.arange(X.shape[1]), categorical)
        self.categorical_features_ = categorical
        self.continuous_features_ = numeric
        self.sparse_type_ = None
        numeric_values = [self._numeric_column(X, j, names) for j in numeric]
        message = non_finite_message(
            {names[j] if names else int(j): v for j, v in zip(numeric, numeric_values)}
        )
        if message:
            raise ValueError(message)
        codes, self._columns = [], []
        for j in categorical:
            column = X.iloc[:, j] if is_pandas(X) else X[:, j]
            column_codes, column = CategoricalColumn.fit(
                column, names[j] if names else j, self.max_categories
            )
            codes.append(column_codes)
            self._columns.append(column)
        self._warn_identifiers(len(X))
        codes_dtype = code_dtype(max(c.n_codes for c in self._columns))
        storage = np.result_type(codes_dtype, *(v.dtype for v in numeric_values))
        self.storage_dtype_ = storage
        rows = np.empty((X.shape[0], X.shape[1]), dtype=storage)
        for j, values in zip(numeric, numeric_values):
            rows[:, j] = values
        for j, column_codes in zip(categorical, codes):
            rows[:, j] = column_codes
        self.integer_columns_ = np.zeros(X.shape[1], dtype=bool)
        kinds = integer_columns(X) if is_pandas(X) else None
        self.integer_columns_[numeric] = [
            # An object column of whole numbers is integer once converted.
            (kinds is not None and kinds[j]) or v.dtype.kind in "iub"
            for j, v in zip(numeric, numeric_values)
        ]
        self.scaler_ = MinMaxScaling(per_column=self.per_column).fit(rows[:, numeric])
        self._check_float32(numeric, names)
        self._finish()
        return rows, y

    def _check_float32(self, numeric, names) -> None:
        """Refuse numeric columns whose range the float32 networks cannot scale, by name."""
        bad = np.flatnonzero(~self.scaler_.fits_float32())
        if not bad.size:
            return
        bad = [names[numeric[k]] if names else int(numeric[k]) for k in bad]
        raise ValueError(
            f"{self.name} trains its networks in float32, but numeric column(s) {bad} "
            "have a range float32 cannot scale: wider than about 3.4e38, or narrower "
            "than about 2.9e-39. No learning rate helps. Rescale these columns first "
            "(e.g. multiply by a power of ten), then undo it on the resampled rows."
        )

    def _numeric_column(self, X, j, names) -> np.ndarray:
        """Column ``j`` as numbers; whole numbers stored as objects become int64."""
        column = X.iloc[:, j] if is_pandas(X) else X[:, j]
        try:
            values = self._numeric_pandas(column) if is_pandas(X) else column.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{self.name} found values that are not numbers in column "
                f"{names[j] if names else j!r}, which is not in categorical_features. "
                "Add it to categorical_features, or encode it first."
            ) from exc
        if not is_pandas(X) and column.dtype.kind in "iub":
            return column
        # NaN and infinity are refused before they could pass for whole numbers.
        if (
            column.dtype == object
            and np.isfinite(values).all()
            and (values == np.rint(values)).all()
        ):
            return values.astype(np.int64)
        return values

    def _numeric_pandas(self, column) -> np.ndarray:
        dtype = column.dtype
        if isinstance(dtype, np.dtype) and dtype in COMPACT_DTYPES:
            return column.to_numpy()
        return column.to_numpy(dtype=np.float64, na_value=np.nan)

    def _warn_identifiers(self, n_rows: int) -> None:
        for column in self._columns:
            if column.n_codes > self.max_categories and column.n_codes > _ID_SHARE * n_rows:
                warnings.warn(
                    f"Categorical column {column.name!r} has {column.n_codes} distinct "
                    f"values in {n_rows} rows: it looks like an identifier, which "
                    "says nothing about other rows. Drop it before the sampler. The "
                    f"networks see its {self.max_categories - 1} most frequent values; "
                    "new rows draw the others from their class's rows.",
                    UserWarning,
                )

    def _finish(self) -> None:
        n_numeric = len(self.continuous_features_)
        self.block_sizes_ = tuple(c.n_units for c in self._columns)
        self.n_units_ = n_numeric + sum(self.block_sizes_)
        # The unit of each (column, code) pair, as one flat table for the device.
        self._code_offsets = np.cumsum([0] + [c.n_codes for c in self._columns])[:-1]
        block_starts = n_numeric + np.cumsum([0, *self.block_sizes_])[:-1]
        self._unit_table = np.concatenate(
            [start + c.unit_of_code for start, c in zip(block_starts, self._columns)]
            or [np.empty(0, dtype=int)]
        ).astype(np.int64)
        self._block_starts = block_starts

    def signature(self) -> dict:
        """What the networks' units depend on besides the stored rows: for the cache's key."""
        return {
            "categorical": self.categorical_features_.tolist(),
            "blocks": list(self.block_sizes_),
            "units": hashlib.sha256(self._unit_table.tobytes()).hexdigest()[:16],
            "per_column": self.per_column,
        }

    @property
    def has_categories(self) -> bool:
        return bool(self._columns)

    @property
    def categories_(self) -> list[np.ndarray]:
        """The categories of each categorical column seen in the training rows."""
        return [c.values for c in self._columns]

    # -- new rows in storage form -------------------------------------------------

    def storage(self, estimator, X, accept_sparse=None):
        """Rows to encode with the fitted networks, validated as in ``fit``, in storage form."""
        if accept_sparse is None:
            accept_sparse = SPARSE_FORMATS
        if self._frame is not None and is_pandas(X):
            X = self._frame.transform(X)
        if not self.has_categories:
            check_numeric(X, self.name)
            X = validate_data(
                estimator, X=X, reset=False, dtype="numeric", accept_sparse=accept_sparse
            )
            return compact(X)
        _check_feature_names(estimator, X, reset=False)
        if not is_pandas(X):
            X = np.asarray(X, dtype=object) if not hasattr(X, "dtype") else X
        _check_n_features(estimator, X, reset=False)
        names = column_names(X)
        rows = np.empty((X.shape[0], X.shape[1]), dtype=self.storage_dtype_)
        numbers = {j: self._numeric_column(X, j, names) for j in self.continuous_features_}
        message = non_finite_message({names[j] if names else int(j): v for j, v in numbers.items()})
        if message:
            raise ValueError(message)
        for j, values in numbers.items():
            rows[:, j] = values
        for j, column in zip(self.categorical_features_, self._columns):
            raw = X.iloc[:, j] if is_pandas(X) else X[:, j]
            array = raw.to_numpy(dtype=object) if is_pandas(X) else np.asarray(raw, object)
            rows[:, j] = column.codes_of(array)
        return rows

    # -- storage to units ----------------------------------------------------------

    def on_device(self, device):
        """A function that maps a batch of storage rows, a tensor on ``device``, to units."""
        scale = self.scaler_.on_device(device)
        if not self.has_categories:
            return scale
        numeric = torch.as_tensor(self.continuous_features_, device=device)
        categorical = torch.as_tensor(self.categorical_features_, device=device)
        offsets = torch.as_tensor(self._code_offsets, dtype=torch.long, device=device)
        table = torch.as_tensor(self._unit_table, device=device)
        n_numeric, n_units = len(self.continuous_features_), self.n_units_

        def transform(x: torch.Tensor) -> torch.Tensor:
            units = torch.zeros((len(x), n_units), dtype=torch.float32, device=x.device)
            if n_numeric:
                units[:, :n_numeric] = scale(x[:, numeric])
            hot = table[x[:, categorical].long() + offsets]
            return units.scatter_(1, hot, 1.0)

        return transform

    def transform(self, X) -> np.ndarray:
        """Storage rows (an array or a sparse matrix) as float32 units, on the host."""
        if sparse.issparse(X):
            X = X.toarray()
        return self.on_device("cpu")(torch.from_numpy(np.ascontiguousarray(X))).numpy()

    # -- units back to storage rows ----------------------------------------------

    def inverse(
        self,
        units: np.ndarray,
        dtype,
        *,
        class_rows=None,
        base=None,
        sample: bool = False,
        random_state=None,
    ) -> np.ndarray:
        """Units back to storage rows of ``dtype``.

        Numeric units are unscaled, clipped to the training range and
        rounded in integer columns. Each categorical block becomes the
        category of its largest unit, or with ``sample=True`` a category
        drawn with the block's values as probabilities. A block that picks
        *other* (the unit of a high-cardinality column's rare categories)
        keeps the rare category of the row the new row was made from
        (``base``, an index into ``class_rows``), or else draws one from the
        rare categories of ``class_rows`` by their frequency there.
        """
        n_numeric = len(self.continuous_features_)
        x = self.scaler_.inverse_transform(units[:, :n_numeric])
        if np.dtype(dtype).kind in "iub":
            np.rint(x, out=x)
        else:
            rounded = self.integer_columns_[self.continuous_features_]
            x[:, rounded] = np.rint(x[:, rounded])
        if not self.has_categories:
            return x.astype(dtype)
        rows = np.empty((len(units), len(self.integer_columns_)), dtype=dtype)
        rows[:, self.continuous_features_] = x
        for j, start, column in zip(self.categorical_features_, self._block_starts, self._columns):
            block = units[:, start : start + column.n_units]
            unit = draw_units(block, random_state) if sample else np.argmax(block, axis=1)
            codes = column.code_of_unit[unit]
            other = unit == column.other
            if other.any():
                known = None if class_rows is None else np.asarray(class_rows[:, j], np.int64)
                codes[other] = column.draw_rare(
                    known,
                    None if base is None else base[other],
                    random_state,
                    int(other.sum()),
                )
            rows[:, j] = codes
        return rows

    def inverse_sparse(self, units: np.ndarray, n_keep: int, dtype) -> sparse.csr_matrix:
        """Units back to CSR rows of ``dtype``, ``n_keep`` values a row at most.

        Each row keeps the values farthest from the scaled image of 0 of
        their column; the others become implicit zeros. With ``n_keep`` at
        the number of columns every value is kept: the rows of
        :meth:`inverse`, stored sparse. Sparse input has numeric columns only.
        """
        n_rows, n_features = units.shape
        if n_keep >= n_features:
            return sparse.csr_matrix(self.inverse(units, dtype))
        deviation = np.subtract(units, self.scaler_.scaled_zero(), dtype=np.float32)
        np.abs(deviation, out=deviation)
        columns = np.argpartition(deviation, n_features - n_keep, axis=1)[:, -n_keep:]
        del deviation
        columns.sort(axis=1)
        values = self.scaler_.inverse_transform(np.take_along_axis(units, columns, axis=1), columns)
        if np.dtype(dtype).kind in "iub":
            np.rint(values, out=values)
        else:
            rounded = self.integer_columns_[columns]
            values[rounded] = np.rint(values[rounded])
        rows = sparse.csr_matrix(
            (
                values.astype(dtype).ravel(),
                columns.ravel(),
                np.arange(0, n_rows * n_keep + 1, n_keep),
            ),
            shape=(n_rows, n_features),
        )
        # A kept value may still be 0 (rounded, or clipped to the range).
        rows.eliminate_zeros()
        return rows

    # -- storage rows to the caller's container ----------------------------------

    @property
    def _builds_frame(self) -> bool:
        """Whether output rows become a DataFrame here rather than in imbalanced-learn."""
        return self.input_kind_ == "dataframe" and (
            self.has_categories or (self._frame is not None and self._frame.converts)
        )

    def forget_inputs(self) -> None:
        """Drop what only the output of ``fit_resample`` needs of the training rows."""
        if getattr(self, "_frame", None) is not None:
            self._frame.forget_originals()

    def to_output(self, rows, source=None):
        """Storage rows (those of ``fit_resample`` or generated ones) in the input's types.

        A numeric array is returned as it is (imbalanced-learn restores a
        DataFrame's columns and dtypes itself); sparse rows take the input's
        sparse type; rows with categorical columns become a DataFrame with the
        input's columns and dtypes, or a NumPy object array, and so do the
        rows of a DataFrame with dates, durations or numbers stored as
        objects. ``source`` gives, for each row, the training row it copies
        (-1 for a generated row), whose own values such columns then take.
        """
        if sparse.issparse(rows):
            if self.array_dtype_ is not None:
                rows = rows.astype(self.array_dtype_, copy=False)
            return self.sparse_type_(rows)
        if not self._builds_frame and not self.has_categories:
            # Rows held in a wider dtype than the input's (uint16 and the
            # like) go back to it: their values are rounded and in range.
            if self.array_dtype_ is not None and rows.dtype != self.array_dtype_:
                return rows.astype(self.array_dtype_)
            return rows
        n_rows = len(rows)
        columns = {}
        for j in self.continuous_features_:
            values = rows[:, j]
            if self.integer_columns_[j]:
                values = values.astype(np.int64)
            columns[j] = values
        for j, column in zip(self.categorical_features_, self._columns):
            codes = np.asarray(rows[:, j], np.int64)
            frame = self.input_kind_ == "dataframe"
            columns[j] = column.categorical_of(codes) if frame else column.values_of(codes)
        if self.input_kind_ == "dataframe":
            return self._dataframe(columns, n_rows, source)
        out = np.empty((n_rows, len(self.integer_columns_)), dtype=self.array_dtype_)
        for j, values in columns.items():
            out[:, j] = values
        return out

    def _dataframe(self, columns: dict, n_rows: int, source=None):
        import pandas as pd

        frame = pd.DataFrame(
            {j: columns[j] for j in range(len(columns))}, index=pd.RangeIndex(n_rows)
        )
        self._frame.restore(frame, source)
        frame.columns = self.columns_
        return frame.astype(self.output_dtypes_)

    def to_caller(self, rows):
        """Storage rows as the caller gave the training rows, DataFrames included.

        :meth:`to_output` leaves a numeric DataFrame's rows as an array, for
        imbalanced-learn to restore; rows returned to the caller directly
        (:meth:`generate`) need the columns and dtypes here.
        """
        if self.input_kind_ != "dataframe" or self._builds_frame:
            return self.to_output(rows)
        import pandas as pd

        if sparse.issparse(rows):
            frame = pd.DataFrame.sparse.from_spmatrix(rows, columns=self.columns_)
        else:
            frame = pd.DataFrame(rows, columns=self.columns_)
        return frame.astype(self.output_dtypes_)


def auto_categorical(X) -> np.ndarray:
    """Indices of the columns ``categorical_features="auto"`` takes: none outside a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> auto_categorical(pd.DataFrame({"x": [1.0], "plan": ["basic"]})).tolist()
    [1]
    """
    if not is_pandas(X):
        return np.empty(0, dtype=int)
    # Numbers stored as objects (Decimal from a database) are numbers.
    return np.array(
        [
            j
            for j, dtype in enumerate(X.dtypes)
            if is_categorical_dtype(dtype) and not holds_numbers(X.iloc[:, j])
        ],
        int,
    )


def compact(X):
    """``X`` unchanged, unless its dtype is not one torch converts (then float64).

    A sparse ``X`` also becomes a canonical CSR matrix: the form its rows
    are sliced, counted and keyed in.
    """
    return host_csr(X) if sparse.issparse(X) else as_compact(X)


def host_csr(X):
    """Sparse ``X`` as a canonical CSR matrix of a dtype torch converts.

    Canonical (sorted indices, no duplicate entries), so that the number
    of stored values per row and a digest of the stored arrays mean what
    they say. ``X`` is copied only where its format, dtype or duplicate
    entries require; a ``csr_array`` stays one.
    """
    X = as_compact(X.tocsr())
    if not X.has_canonical_format:
        # sum_duplicates works in place: never on the caller's matrix.
        X = X.copy()
        X.sum_duplicates()
    return X


def values_to_keep(X_class) -> int:
    """``k`` of the sparse generation rule: stored values per real row, rounded, at least 1."""
    return max(1, int(np.rint(X_class.nnz / max(X_class.shape[0], 1))))
