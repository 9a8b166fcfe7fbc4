"""Checks on the caller's X that imbalanced-learn's own validation leaves out."""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["check_numeric", "integer_columns"]


def _is_pandas(X) -> bool:
    return hasattr(X, "dtypes") and hasattr(X, "columns")


def check_numeric(X, name: str) -> None:
    """Refuse non-numeric ``X`` with a message that says what to do.

    Sparse input passes: scipy sparse matrices and arrays, and DataFrames
    with sparse columns, are validated by scikit-learn's ``check_array``
    later, which also refuses NaN stored in them.

    Parameters
    ----------
    X : array-like, sparse matrix or DataFrame
        The caller's input, before any conversion.
    name : str
        The estimator's name, for the messages.

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
    if _is_pandas(X):
        import pandas as pd

        bad = [
            str(col)
            for col, dtype in X.dtypes.items()
            if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))
        ]
        if bad:
            raise ValueError(
                f"{name} needs numeric X, got non-numeric columns {bad}. "
                "Encode them first, e.g. with sklearn.preprocessing.OneHotEncoder "
                "in a ColumnTransformer before the sampler."
            )
        # A sparse column that leaves out NaN (pandas' default for floats)
        # stands for a column of missing values, not of zeros.
        not_zero = {
            str(col): dtype.fill_value
            for col, dtype in X.dtypes.items()
            if isinstance(dtype, pd.SparseDtype) and not dtype.fill_value == 0
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
                f"({exc}). Encode categorical features first, e.g. with "
                "sklearn.preprocessing.OneHotEncoder."
            ) from exc


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
    if _is_pandas(X):
        return np.array([getattr(dtype, "kind", "f") in "iub" for dtype in X.dtypes])
    array = X if hasattr(X, "dtype") else np.asarray(X)
    n_columns = array.shape[1] if array.ndim == 2 else 0
    return np.full(n_columns, array.dtype.kind in "iub")
