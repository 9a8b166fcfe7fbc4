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

from ._scaling import MinMaxScaling

__all__: list[str] = []

# What imbalanced-learn's samplers accept; other sparse formats become CSR.
SPARSE_FORMATS = ["csr", "csc"]
# Dtypes torch indexes and converts everywhere; other numbers become float64.
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
# A categorical column with more distinct values than this share of its rows
# looks like an identifier: its categories say nothing about other rows.
_ID_SHARE = 0.5


def is_pandas(X) -> bool:
    return hasattr(X, "dtypes") and hasattr(X, "columns")


def _is_categorical_dtype(dtype) -> bool:
    """Whether ``categorical_features="auto"`` takes a DataFrame column of ``dtype``."""
    import pandas as pd

    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_string_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or dtype == np.dtype(object)
    )


def _missing(values: np.ndarray) -> np.ndarray:
    """Mask of the missing entries (None, NaN, pandas' NA and NaT) of a 1-D array."""
    try:
        import pandas as pd
    except ImportError:
        if values.dtype.kind == "f":
            return np.isnan(values)
        if values.dtype.kind != "O":
            return np.zeros(len(values), dtype=bool)
        return np.array([v is None or (isinstance(v, float) and v != v) for v in values], bool)
    return np.asarray(pd.isna(values), dtype=bool)


def _code_dtype(n_codes: int) -> np.dtype:
    """The smallest signed integer dtype that holds codes ``0 .. n_codes``."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_codes <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


def check_numeric(X, name: str) -> None:
    """Refuse non-numeric ``X`` that no categorical column explains, saying what to do.

    Sparse input passes: scipy sparse matrices and arrays, and DataFrames
    with sparse columns, are validated by scikit-learn's ``check_array``
    later, which also refuses NaN stored in them.

    Raises
    ------
    ValueError or TypeError
        If a column is not numeric (TypeError where numpy raises one, e.g.
        for a dict in an object array), or a sparse column of a DataFrame
        leaves out a value other than 0.

    Examples
    --------
    >>> import numpy as np
    >>> check_numeric(np.array([["a", "b"]]), "BAEGANSampler")
    Traceback (most recent call last):
    ...
    ValueError: BAEGANSampler needs numeric X, got values that are not numbers ...
    """
    if sparse.issparse(X):
        if X.dtype.kind not in "iufb":
            raise TypeError(
                f"{name} needs numeric X, got a sparse matrix of dtype {X.dtype}. "
                "Convert it first, e.g. with X.astype(np.float64)."
            )
        return
    if is_pandas(X):
        import pandas as pd

        bad = [
            str(col)
            for col, dtype in X.dtypes.items()
            if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))
        ]
        if bad:
            raise ValueError(
                f"{name} needs numeric X, got non-numeric columns {bad} that are not "
                "in categorical_features. Name them there (its default, 'auto', "
                "takes category, object, string and bool columns), or encode them "
                "first."
            )
        # A sparse column that leaves out NaN (pandas' default for floats)
        # stands for a column of missing values, not of zeros.
        not_zero = {
            str(col): dtype.fill_value
            for col, dtype in X.dtypes.items()
            if isinstance(dtype, pd.SparseDtype) and dtype.fill_value != 0
        }
        if not_zero:
            col, fill = next(iter(not_zero.items()))
            raise ValueError(
                f"{name} needs sparse columns whose implicit value is 0, got "
                f"{len(not_zero)} sparse column(s) with another fill value, e.g. "
                f"{col!r} with {fill!r}. Fill missing values first, then convert, "
                "e.g. X.fillna(0).astype(pd.SparseDtype(float, 0))."
            )
        return
    array = np.asarray(X)
    if array.dtype.kind in "OUSV":
        try:
            array.astype(np.float64)
        except (TypeError, ValueError) as exc:
            # Same exception type as numpy's, so callers that catch it still do.
            raise type(exc)(
                f"{name} needs numeric X, got values that are not numbers "
                f"({exc}). Name its categorical columns with "
                "categorical_features=[column indices], or encode them first."
            ) from exc


def _dense_numeric(X) -> bool:
    """Whether ``X`` is dense numbers whose missing values can be found per column."""
    if sparse.issparse(X):
        return False
    if is_pandas(X):
        return not any(hasattr(dtype, "fill_value") for dtype in X.dtypes)
    return getattr(X, "dtype", np.dtype(object)).kind in "fc" and getattr(X, "ndim", 0) == 2


def _column_names(X) -> list[str]:
    return [str(c) for c in X.columns] if is_pandas(X) else []


def _non_finite_columns(X, columns, names) -> str | None:
    """The error about missing or infinite numbers in ``columns`` of ``X``, or ``None``."""
    if not is_pandas(X) and np.isfinite(np.sum(X, dtype=np.float64)):
        return None
    bad, kinds = [], set()
    for j in columns:
        values = X.iloc[:, j] if is_pandas(X) else X[:, j]
        if is_pandas(X):
            values = values.to_numpy(dtype=np.float64, na_value=np.nan)
        values = np.asarray(values, dtype=np.float64)
        if np.isfinite(values.sum()):
            continue
        nan = np.isnan(values).any()
        if nan or np.isinf(values).any():
            bad.append(names[j] if names else j)
            kinds.add("NaN" if nan else "infinity")
    if not bad:
        return None
    return (
        f"Input X contains {' and '.join(sorted(kinds))} in numeric column(s) "
        f"{bad}. Impute missing numbers first, e.g. with "
        "sklearn.impute.SimpleImputer before the sampler in the Pipeline; a "
        "missing value in a categorical column is a category of its own."
    )


class _Column:
    """One categorical column: its categories, their codes and the networks' units.

    ``values`` are the categories seen in the training rows, in the order of
    the column's own categories (pandas ``category``), or sorted; code ``k``
    stands for ``values[k]``, and code ``len(values)`` for a missing value
    when the training rows hold one. The networks know ``n_units`` of them:
    all, or the ``max_categories - 1`` most frequent and one unit, *other*,
    that stands for the rest.
    """

    def __init__(self, name, values, counts, has_missing, dtype, max_categories):
        self.name = name
        self.values = values
        self.has_missing = has_missing
        self.dtype = dtype
        n_codes = len(values) + has_missing
        self.n_codes = n_codes
        if n_codes <= max_categories:
            self.unit_of_code = np.arange(n_codes)
            self.n_units = n_codes
            self.other = None
        else:
            # Ties go to the earlier category, so the choice is deterministic.
            order = np.argsort(-counts, kind="stable")
            self.unit_of_code = np.full(n_codes, max_categories - 1)
            self.unit_of_code[order[: max_categories - 1]] = np.arange(max_categories - 1)
            self.n_units = max_categories
            self.other = max_categories - 1
        self.code_of_unit = np.full(self.n_units, -1)
        kept = self.unit_of_code != self.other if self.other is not None else slice(None)
        self.code_of_unit[self.unit_of_code[kept]] = np.arange(n_codes)[kept]

    @property
    def missing_code(self) -> int | None:
        return len(self.values) if self.has_missing else None


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
            if not is_pandas(X):
                return np.empty(0, dtype=int)
            return np.array(
                [j for j, dtype in enumerate(X.dtypes) if _is_categorical_dtype(dtype)], int
            )
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
            names = _column_names(X)
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
        if not (hasattr(X, "shape") or self.categorical_features in (None, "auto")):
            X = np.asarray(X, dtype=object)
        categorical = self._resolve_categorical(X)
        self.input_kind_ = (
            "sparse" if sparse.issparse(X) else "dataframe" if is_pandas(X) else "array"
        )
        self.output_dtypes_ = X.dtypes.copy() if is_pandas(X) else None
        self.columns_ = getattr(X, "columns", None)
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
        check_numeric(X, self.name)
        if _dense_numeric(X):
            message = _non_finite_columns(X, range(X.shape[1]), _column_names(X))
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
        X = compact(X)
        self.storage_dtype_ = X.dtype
        self.categorical_features_ = np.empty(0, dtype=int)
        self.continuous_features_ = np.arange(X.shape[1])
        self._columns = []
        self.scaler_ = MinMaxScaling(per_column=self.per_column).fit(X)
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
        names = _column_names(X)
        numeric = np.setdiff1d(np.arange(X.shape[1]), categorical)
        self.categorical_features_ = categorical
        self.continuous_features_ = numeric
        self.sparse_type_ = None
        numeric_values = [self._numeric_column(X, j, names) for j in numeric]
        bad = [
            names[j] if names else int(j)
            for j, values in zip(numeric, numeric_values)
            if values.dtype.kind == "f" and not np.isfinite(values.sum())
        ]
        if bad:
            raise ValueError(
                f"Input X contains NaN or infinity in numeric column(s) {bad}. Impute "
                "missing numbers first, e.g. with sklearn.impute.SimpleImputer before "
                "the sampler in the Pipeline; a missing value in a categorical column "
                "is a category of its own."
            )
        codes, self._columns = [], []
        for j in categorical:
            column_codes, column = self._categorical_column(X, j, names)
            codes.append(column_codes)
            self._columns.append(column)
        self._warn_identifiers(len(X))
        code_dtype = _code_dtype(max(c.n_codes for c in self._columns))
        storage = np.result_type(code_dtype, *(v.dtype for v in numeric_values))
        if storage.kind == "b":
            storage = code_dtype
        self.storage_dtype_ = storage
        rows = np.empty((X.shape[0], X.shape[1]), dtype=storage)
        for j, values in zip(numeric, numeric_values):
            rows[:, j] = values
        for j, column_codes in zip(categorical, codes):
            rows[:, j] = column_codes
        self.integer_columns_ = np.zeros(X.shape[1], dtype=bool)
        self.integer_columns_[numeric] = [v.dtype.kind in "iub" for v in numeric_values]
        self.scaler_ = MinMaxScaling(per_column=self.per_column).fit(rows[:, numeric])
        self._finish()
        return rows, y

    def _numeric_column(self, X, j, names) -> np.ndarray:
        column = X.iloc[:, j] if is_pandas(X) else X[:, j]
        dtype = column.dtype
        try:
            if is_pandas(X) and isinstance(dtype, np.dtype) and dtype in COMPACT_DTYPES:
                return column.to_numpy()
            if is_pandas(X):
                return column.to_numpy(dtype=np.float64, na_value=np.nan)
            values = column.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{self.name} found values that are not numbers in column "
                f"{names[j] if names else j!r}, which is not in categorical_features. "
                "Add it to categorical_features, or encode it first."
            ) from exc
        if column.dtype == object and np.all(values == np.rint(values)):
            return values.astype(np.int64)
        return values if column.dtype.kind not in "iub" else column

    def _categorical_column(self, X, j, names):
        name = names[j] if names else j
        column = X.iloc[:, j] if is_pandas(X) else X[:, j]
        dtype = column.dtype
        declared = None
        try:
            import pandas as pd
        except ImportError:
            pd = None
        if pd is not None and isinstance(dtype, pd.CategoricalDtype):
            declared = np.asarray(dtype.categories, dtype=object)
            raw = np.asarray(column.cat.codes)
            missing = raw < 0
            present = np.unique(raw[~missing])
            values = declared[present]
            position = np.full(len(declared), -1)
            position[present] = np.arange(len(present))
            codes = np.where(missing, len(present), position[np.maximum(raw, 0)])
        else:
            array = column.to_numpy(dtype=object) if is_pandas(X) else np.asarray(column, object)
            missing = _missing(array)
            values, codes = _unique_codes(array[~missing])
            numbers = np.asarray(values, float) if dtype.kind == "f" else None
            many = numbers is not None and len(values) > self.max_categories
            if many and np.any(numbers != np.rint(numbers)):
                raise ValueError(
                    f"Column {name!r} is in categorical_features, but it holds "
                    f"{len(values)} distinct numbers with fractions: it looks "
                    "continuous. Leave it out of categorical_features."
                )
            full = np.empty(len(array), dtype=np.int64)
            full[~missing] = codes
            full[missing] = len(values)
            codes = full
        has_missing = bool(missing.any())
        counts = np.bincount(codes, minlength=len(values) + has_missing)
        column_info = _Column(name, values, counts, has_missing, dtype, self.max_categories)
        column_info.declared = declared
        return codes, column_info

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
        names = _column_names(X)
        rows = np.empty((X.shape[0], X.shape[1]), dtype=self.storage_dtype_)
        for j in self.continuous_features_:
            values = self._numeric_column(X, j, names)
            if values.dtype.kind == "f" and not np.isfinite(values.sum()):
                raise ValueError(
                    f"Input X contains NaN or infinity in numeric column "
                    f"{names[j] if names else int(j)!r}: impute missing numbers first."
                )
            rows[:, j] = values
        for j, column in zip(self.categorical_features_, self._columns):
            raw = X.iloc[:, j] if is_pandas(X) else X[:, j]
            array = raw.to_numpy(dtype=object) if is_pandas(X) else np.asarray(raw, object)
            rows[:, j] = _lookup_codes(array, column)
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
            unit = _draw_units(block, random_state) if sample else np.argmax(block, axis=1)
            codes = column.code_of_unit[unit]
            other = unit == column.other
            if other.any():
                known = None if class_rows is None else np.asarray(class_rows[:, j], np.int64)
                codes[other] = _rare_codes(
                    column,
                    known,
                    None if base is None else base[other],
                    random_state,
                    int(other.sum()),
                )
            rows[:, j] = codes
        return rows

    # -- storage rows to the caller's container ----------------------------------

    def to_output(self, rows):
        """Storage rows (those of ``fit_resample`` or generated ones) in the input's types.

        A numeric array is returned as it is (imbalanced-learn restores a
        DataFrame's columns and dtypes itself); sparse rows take the input's
        sparse type; rows with categorical columns become a DataFrame with the
        input's columns and dtypes, or a NumPy object array.
        """
        if sparse.issparse(rows):
            return self.sparse_type_(rows)
        if not self.has_categories:
            return rows
        n_rows = len(rows)
        columns = {}
        for j in self.continuous_features_:
            values = rows[:, j]
            if self.integer_columns_[j]:
                values = values.astype(np.int64)
            columns[j] = values
        for j, column in zip(self.categorical_features_, self._columns):
            columns[j] = _category_values(column, np.asarray(rows[:, j], np.int64))
        if self.input_kind_ == "dataframe":
            return self._dataframe(columns, n_rows)
        out = np.empty((n_rows, len(self.integer_columns_)), dtype=object)
        for j, values in columns.items():
            out[:, j] = values
        return out

    def _dataframe(self, columns: dict, n_rows: int):
        import pandas as pd

        frame = pd.DataFrame(
            {j: columns[j] for j in range(len(columns))}, index=pd.RangeIndex(n_rows)
        )
        frame.columns = self.columns_
        for j, column in zip(self.categorical_features_, self._columns):
            if isinstance(column.dtype, pd.CategoricalDtype):
                frame.isetitem(j, pd.Categorical(frame.iloc[:, j], dtype=column.dtype))
        return frame.astype(self.output_dtypes_)

    def to_caller(self, rows):
        """Storage rows as the caller gave the training rows, DataFrames included.

        :meth:`to_output` leaves a numeric DataFrame's rows as an array, for
        imbalanced-learn to restore; rows returned to the caller directly
        (:meth:`generate`) need the columns and dtypes here.
        """
        if self.input_kind_ != "dataframe" or self.has_categories:
            return self.to_output(rows)
        import pandas as pd

        if sparse.issparse(rows):
            frame = pd.DataFrame.sparse.from_spmatrix(rows, columns=self.columns_)
        else:
            frame = pd.DataFrame(rows, columns=self.columns_)
        return frame.astype(self.output_dtypes_)


def _unique_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (sorted where they can be) and each value's index among them."""
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None:
        try:
            codes, uniques = pd.factorize(values, sort=True)
        except TypeError:
            # Values of several types (strings and numbers) cannot be sorted.
            codes, uniques = pd.factorize(values, sort=False)
        return np.asarray(uniques, dtype=object), codes.astype(np.int64)
    try:
        uniques, codes = np.unique(values, return_inverse=True)
    except TypeError:
        index: dict = {}
        codes = np.array([index.setdefault(v, len(index)) for v in values], np.int64)
        uniques = np.array(list(index), dtype=object)
    return np.asarray(uniques, dtype=object), np.asarray(codes, np.int64)


def _lookup_codes(array: np.ndarray, column: _Column) -> np.ndarray:
    """Codes of new rows' values in ``column``; an unknown category is an error."""
    missing = _missing(array)
    index = {value: k for k, value in enumerate(column.values.tolist())}
    codes = np.empty(len(array), dtype=np.int64)
    unknown = []
    for i in np.flatnonzero(~missing):
        code = index.get(array[i])
        if code is None:
            unknown.append(array[i])
            code = 0
        codes[i] = code
    if missing.any():
        if not column.has_missing:
            unknown.append("a missing value")
        codes[missing] = len(column.values)
    if unknown:
        raise ValueError(
            f"Column {column.name!r} holds {unknown[:3]!r}, which the training rows "
            f"of fit_resample did not hold; its categories are "
            f"{column.values.tolist()[:10]!r}{' ...' if len(column.values) > 10 else ''}."
        )
    return codes


def _draw_units(block: np.ndarray, random_state) -> np.ndarray:
    """One unit per row, drawn with the row's values (clipped at 0) as probabilities."""
    p = np.clip(block.astype(np.float64), 0.0, None)
    total = p.sum(axis=1, keepdims=True)
    p = np.where(total > 0, p / np.where(total > 0, total, 1.0), 1.0 / block.shape[1])
    u = random_state.uniform(size=(len(block), 1))
    return np.minimum((np.cumsum(p, axis=1) < u).sum(axis=1), block.shape[1] - 1)


def _rare_codes(column: _Column, known, base, random_state, n: int) -> np.ndarray:
    """Codes for rows whose block picked *other*: the base row's, else drawn from ``known``."""
    rare = column.unit_of_code == column.other
    if known is not None and base is not None:
        kept = known[base]
        out = kept.copy()
        redraw = ~rare[kept]
    else:
        out = np.empty(n, dtype=np.int64)
        redraw = np.ones(n, dtype=bool)
    if redraw.any():
        pool = known[rare[known]] if known is not None else np.empty(0, np.int64)
        if not len(pool):
            pool = np.flatnonzero(rare)
        out[redraw] = pool[random_state.randint(len(pool), size=int(redraw.sum()))]
    return out


def _category_values(column: _Column, codes: np.ndarray) -> np.ndarray:
    """The values of ``codes`` in ``column``, missing ones as NaN, as an object array."""
    values = np.empty(len(column.values) + 1, dtype=object)
    values[: len(column.values)] = column.values
    values[-1] = np.nan
    return values[codes]


def compact(X):
    """``X`` unchanged, unless its dtype is not one torch converts (then float64).

    A sparse ``X`` also becomes a canonical CSR matrix: the form its rows
    are sliced, counted and keyed in.
    """
    if X.dtype not in COMPACT_DTYPES:
        X = X.astype(np.float64)
    return host_csr(X) if sparse.issparse(X) else X


def host_csr(X):
    """Sparse ``X`` as a canonical CSR matrix of a dtype torch converts.

    Canonical (sorted indices, no duplicate entries), so that the number
    of stored values per row and a digest of the stored arrays mean what
    they say. ``X`` is copied only where its format, dtype or duplicate
    entries require; a ``csr_array`` stays one.
    """
    X = X.tocsr()
    if X.dtype not in COMPACT_DTYPES:
        X = X.astype(np.float64)
    if not X.has_canonical_format:
        # sum_duplicates works in place: never on the caller's matrix.
        X = X.copy()
        X.sum_duplicates()
    return X


def integer_columns(X) -> np.ndarray:
    """Boolean mask of the columns whose dtype holds integers or booleans.

    New rows are rounded in these columns so that they come back in the
    caller's units, e.g. counts stay whole numbers.

    Examples
    --------
    >>> import numpy as np
    >>> integer_columns(np.array([[1, 2]]))
    array([ True,  True])
    """
    if is_pandas(X):
        return np.array([getattr(dtype, "kind", "f") in "iub" for dtype in X.dtypes])
    array = X if hasattr(X, "dtype") else np.asarray(X)
    n_columns = array.shape[1] if array.ndim == 2 else 0
    return np.full(n_columns, array.dtype.kind in "iub")
