"""Categorical columns: their categories, codes and units, both ways.

A categorical column is stored as integer codes into the categories its
training rows held, a missing value being a code of its own. The networks
see a block of units per column: one per category, or, past
``max_categories``, one per frequent category and one, *other*, for the
rest. Going back, a block's unit becomes a category again.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


def is_categorical_dtype(dtype) -> bool:
    """Whether ``categorical_features="auto"`` takes a DataFrame column of ``dtype``."""
    import pandas as pd

    if isinstance(dtype, pd.SparseDtype):
        # Sparse columns (e.g. pd.get_dummies(..., sparse=True)) are numeric
        # input, even of booleans.
        return False
    arrow = getattr(dtype, "pyarrow_dtype", None)
    return (
        isinstance(dtype, pd.CategoricalDtype)
        # What read_parquet(dtype_backend="pyarrow") gives for a categorical.
        or (arrow is not None and str(arrow).startswith("dictionary<"))
        or pd.api.types.is_string_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or dtype == np.dtype(object)
    )


def missing_mask(values: np.ndarray) -> np.ndarray:
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


def code_dtype(n_codes: int) -> np.dtype:
    """The smallest signed integer dtype that holds codes ``0 .. n_codes``."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_codes <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


class CategoricalColumn:
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

    def categorical_of(self, codes: np.ndarray):
        """The values of ``codes`` for a DataFrame column of the column's dtype.

        A pandas ``category`` column is rebuilt from codes into its own
        categories, without hashing a value per row; others get the values.
        """
        import pandas as pd

        if not isinstance(self.dtype, pd.CategoricalDtype):
            return self.values_of(codes)
        position = pd.Index(self.dtype.categories).get_indexer(
            pd.Index(self.values, dtype=self.dtype.categories.dtype)
        )
        # Missing values (the last code) map to -1, pandas' missing code.
        position = np.append(position, -1)
        return pd.Categorical.from_codes(position[codes], dtype=self.dtype)

    @classmethod
    def fit(cls, column, name, max_categories: int) -> tuple[np.ndarray, CategoricalColumn]:
        """The codes of a column of training rows, and the column's categories and units.

        A pandas ``category`` column keeps its categories' order (those the
        rows hold); other columns take their distinct values, sorted where
        they can be. A column of numbers with fractions and more than
        ``max_categories`` values is refused: it looks continuous.
        """
        dtype = column.dtype
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
            array = (
                column.to_numpy(dtype=object)
                if hasattr(column, "to_numpy")
                else np.asarray(column, object)
            )
            missing = missing_mask(array)
            try:
                values, codes = unique_codes(array[~missing])
            except TypeError as exc:
                kinds = sorted({type(v).__name__ for v in array[~missing] if not _hashable(v)})
                raise TypeError(
                    f"Column {name!r} holds values of type {', '.join(kinds) or 'unknown'}, "
                    "which are neither numbers nor categories. Expand them into columns "
                    "of their own, or drop the column, before the sampler."
                ) from exc
            numbers = np.asarray(values, float) if dtype.kind == "f" else None
            many = numbers is not None and len(values) > max_categories
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
        return codes, cls(name, values, counts, has_missing, dtype, max_categories)

    def codes_of(self, array: np.ndarray) -> np.ndarray:
        """Codes of new rows' values in ``column``; an unknown category is an error."""
        missing = missing_mask(array)
        index = {value: k for k, value in enumerate(self.values.tolist())}
        codes = np.empty(len(array), dtype=np.int64)
        unknown = []
        for i in np.flatnonzero(~missing):
            code = index.get(array[i])
            if code is None:
                unknown.append(array[i])
                code = 0
            codes[i] = code
        if missing.any():
            if not self.has_missing:
                unknown.append("a missing value")
            codes[missing] = len(self.values)
        if unknown:
            raise ValueError(
                f"Column {self.name!r} holds {unknown[:3]!r}, which the training rows "
                f"of fit_resample did not hold; its categories are "
                f"{self.values.tolist()[:10]!r}{' ...' if len(self.values) > 10 else ''}."
            )
        return codes

    def draw_rare(self, known, base, random_state, n: int) -> np.ndarray:
        """Codes for rows whose block picked *other*: the base row's, else drawn from ``known``."""
        rare = self.unit_of_code == self.other
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

    def values_of(self, codes: np.ndarray) -> np.ndarray:
        """The values of ``codes`` in ``column``, missing ones as NaN, as an object array."""
        values = np.empty(len(self.values) + 1, dtype=object)
        values[: len(self.values)] = self.values
        values[-1] = np.nan
        return values[codes]


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def unique_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def draw_units(block: np.ndarray, random_state) -> np.ndarray:
    """One unit per row, drawn with the row's values (clipped at 0) as probabilities."""
    p = np.clip(block.astype(np.float64), 0.0, None)
    total = p.sum(axis=1, keepdims=True)
    p = np.where(total > 0, p / np.where(total > 0, total, 1.0), 1.0 / block.shape[1])
    u = random_state.uniform(size=(len(block), 1))
    return np.minimum((np.cumsum(p, axis=1) < u).sum(axis=1), block.shape[1] - 1)
