"""Checks of the samplers' settings and inputs that scikit-learn's own checks leave out."""

from __future__ import annotations

from numbers import Integral

import numpy as np
import torch
from scipy import sparse

__all__: list[str] = []

# latent_dim="auto" for images, and its most for tables.
AUTO_LATENT_DIM = 32


def all_positive_ints(values) -> bool:
    """Whether every value is an integer of at least 1."""
    return all(isinstance(v, Integral) and v >= 1 for v in values)


def check_widths(name: str, dims) -> None:
    """Check that the layer widths ``dims`` of parameter ``name`` are positive integers."""
    if not all_positive_ints(dims):
        raise ValueError(f"{name} must hold positive integers, got {dims!r}.")


def check_image_shape(image_shape, n_features: int) -> None:
    """Check ``image_shape`` (or ``None``, a table) against the columns of ``X``."""
    if image_shape is None:
        return
    shape = tuple(image_shape)
    if len(shape) != 3 or not all_positive_ints(shape):
        raise ValueError(
            "image_shape must be (channels, height, width) with positive "
            f"integers, got {image_shape!r}."
        )
    if int(np.prod(shape)) != n_features:
        raise ValueError(
            f"image_shape={shape} describes {int(np.prod(shape))} values per "
            f"image, but X has {n_features} columns. Pass images flattened "
            "in C-order, e.g. X.reshape(len(X), -1) for an array of shape "
            "(n, C, H, W)."
        )


def resolve_latent_dim(latent_dim, image_shape, n_features: int) -> int:
    """``latent_dim`` with ``"auto"`` resolved: a table's columns, at most 32; 32 for images.

    A code wider than the row would give SMOTE in the latent space nothing
    to gain over SMOTE in the input space.
    """
    if latent_dim != "auto":
        return int(latent_dim)
    if image_shape is not None:
        return AUTO_LATENT_DIM
    return min(n_features, AUTO_LATENT_DIM)


def resolve_device(device) -> str:
    """``device`` as the name of a device torch can train on here: ``"cpu"`` or a CUDA one.

    ``"auto"`` picks CUDA when torch sees it. Other device types (``"mps"``,
    ``"xpu"``, ...) are refused here, before any training: the scaling and
    the cache are tested on the CPU and CUDA only, and MPS has no float64.
    """
    if isinstance(device, str) and device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        resolved = torch.device(device)
    except RuntimeError as exc:
        raise ValueError(
            f"device must be 'auto', 'cpu', 'cuda' or 'cuda:N', got {device!r}."
        ) from exc
    if resolved.type not in ("cpu", "cuda"):
        raise ValueError(
            f"device={device!r} is not supported: the samplers train on 'cpu' or "
            "'cuda' ('cuda:N'). Use device='cpu' on this machine."
        )
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was asked for, but torch sees no CUDA "
            "device. Use device='auto' to fall back to the CPU, or install a "
            "CUDA build of torch."
        )
    return str(resolved)


def label_repr(label) -> str:
    """A class label as the user wrote it: ``1`` or ``'cat'``, not ``np.int64(1)``."""
    return repr(label.item() if isinstance(label, np.generic) else label)


def is_pandas(X) -> bool:
    return hasattr(X, "dtypes") and hasattr(X, "columns")


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


def dense_numeric(X) -> bool:
    """Whether ``X`` is dense numbers whose missing values can be found per column."""
    if sparse.issparse(X):
        return False
    if is_pandas(X):
        return not any(hasattr(dtype, "fill_value") for dtype in X.dtypes)
    return getattr(X, "dtype", np.dtype(object)).kind in "fc" and getattr(X, "ndim", 0) == 2


def column_names(X) -> list[str]:
    return [str(c) for c in X.columns] if is_pandas(X) else []


def non_finite_columns(X, columns, names) -> str | None:
    """The error about missing or infinite numbers in ``columns`` of ``X``, or ``None``."""
    if not is_pandas(X) and np.isfinite(np.sum(X, dtype=np.float64)):
        return None
    by_name = {}
    for j in columns:
        values = X.iloc[:, j] if is_pandas(X) else X[:, j]
        if is_pandas(X):
            values = values.to_numpy(dtype=np.float64, na_value=np.nan)
        by_name[names[j] if names else j] = values
    return non_finite_message(by_name)


def non_finite_message(columns: dict) -> str | None:
    """The error about the columns (name -> numbers) that hold NaN or infinity, or ``None``."""
    bad, kinds = [], set()
    for name, values in columns.items():
        values = np.asarray(values, dtype=np.float64)
        if np.isfinite(values.sum()):
            continue
        nan = np.isnan(values).any()
        if nan or np.isinf(values).any():
            bad.append(name)
            kinds.add("NaN" if nan else "infinity")
    if not bad:
        return None
    return (
        f"Input X contains {' and '.join(sorted(kinds))} in numeric column(s) "
        f"{bad}. Impute missing numbers first, e.g. with "
        "sklearn.impute.SimpleImputer before the sampler in the Pipeline; a "
        "missing value in a categorical column is a category of its own."
    )


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
