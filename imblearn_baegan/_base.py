"""What every deep over-sampler of the package shares: the base class.

A deep over-sampler trains networks on the scaled rows and then generates
the rows each class lacks. Everything around those two steps is the same
for all of them and lives here: validating ``X`` and ``y`` and the shared
parameters, scaling, the seed of the fit, the device, keeping the input's
dtype and rounding its integer columns, sparse input, ``generated_fraction``
copies, the ``memory`` cache of trained networks, :meth:`generate`, and the
errors.

Sparse input (scipy CSR or CSC, other formats converted to CSR, or a
DataFrame of sparse columns) stays sparse: its rows are kept as a CSR
matrix on the host, and each mini-batch, encoding chunk and generation
chunk is densified alone. Generated rows come out of the decoder dense,
so each keeps the ``k`` values that deviate most, in scaled units, from
where a 0 lands (``|s - s0|``), and the others become implicit zeros;
``k`` is the mean number of stored values per row of the class's real
rows, rounded, at least 1 (:func:`_values_to_keep`). Data that is dense
in a sparse format keeps every value, so its output equals that of the
dense array. The output has the input's format.

A sampler supplies its skorch net (:meth:`_build_net`), the rows it
generates for a class (:meth:`_generate_scaled`), and optionally checks of
its own settings (:meth:`_check_settings`, :meth:`_check_classes`).
"""

from __future__ import annotations

import os
import warnings
from abc import abstractmethod
from collections.abc import Iterator
from numbers import Integral, Real

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from scipy import sparse
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from ._memory import _NetCache
from ._base_net import _CHUNK_VALUES, _Diverged, _host_csr
from ._scaling import MinMaxScaling
from ._validation import check_numeric, integer_columns

__all__: list[str] = []

_POSITIVE_INT = Interval(Integral, 1, None, closed="left")
_NON_NEGATIVE_INT = Interval(Integral, 0, None, closed="left")
_POSITIVE_REAL = Interval(Real, 0, None, closed="neither")
_NON_NEGATIVE_REAL = Interval(Real, 0, None, closed="left")
# latent_dim="auto" for images, and its most for tables.
_AUTO_LATENT_DIM = 32
# Rows generated per step: bounds the float32 working memory whatever the
# number of new rows. Wide rows get fewer, at most _CHUNK_VALUES values.
_GENERATION_CHUNK = 1024
# What imbalanced-learn's samplers accept; other sparse formats become CSR.
_SPARSE_FORMATS = ["csr", "csc"]
# Parameters that change neither the networks nor the output: ``device`` is
# left out of the cache key so that networks trained on a GPU serve a fit on
# the CPU.
_RUN_PARAMS = frozenset({"random_state", "memory", "device", "callbacks", "verbose"})

#: numpydoc text of the parameters every deep sampler shares, for
#: ``imblearn.utils.Substitution``.
SHARED_PARAMETER_DOCS = {
    "image_shape": """image_shape : tuple of (int, int, int) or None, default=None
        ``(channels, height, width)`` of the images, whose pixels are the
        columns of ``X`` in C-order; they get DCGAN-style convolutional
        networks. ``None`` treats ``X`` as a table, with perceptrons.""",
    "device": """device : str or torch.device, default="auto"
        Where to train: ``"auto"`` picks CUDA when it is available and the
        CPU otherwise; ``"cpu"``, ``"cuda"`` or ``"cuda:1"`` force a device.""",
    "callbacks": """callbacks : list of skorch callbacks or None, default=None
        Passed on to the skorch net that trains the networks, e.g.
        ``[skorch.callbacks.EarlyStopping(monitor="train_loss")]``.""",
    "verbose": """verbose : int, default=0
        ``0`` trains silently; ``1`` or more shows skorch's epoch log and
        progress bar.""",
    "memory": """memory : str, path, joblib.Memory or None, default=None
        Where to cache trained networks, as ``Pipeline(memory=...)``: a
        folder, or a :class:`joblib.Memory` whose location is used.
        ``None`` caches nothing. The cache is keyed on the rows, the labels,
        the training parameters and the seed drawn from ``random_state``;
        the parameters read only after training (``sampling_strategy``,
        ``generated_fraction`` and the sampler's generation settings) are
        not in the key, nor is ``device``. A grid search over them then
        trains once per fold, and its output is the same as without the
        cache. Needs an integer ``random_state`` (with ``None`` no two fits
        could share networks) and no ``callbacks`` (their effect cannot be
        keyed): the cache is skipped with a warning otherwise. Workers of
        joblib, Dask or Ray may share one folder. Read more in the user
        guide, "Searching at scale".""",
    "shared_attributes": """sampling_strategy_ : dict
        Number of samples to generate for each class.

    scaler_ : MinMaxScaling
        The scaling between ``X``'s units and the networks' ``[0, 1]``.

    classes_ : ndarray of shape (n_classes,)
        The class labels, in the order of the networks' class index.

    memory_hit_ : bool
        Whether the networks came from the cache of ``memory`` instead of
        being trained.

    n_features_in_ : int
        Number of features in the input dataset.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit_resample``. Defined only when
        ``X`` has feature names that are all strings.""",
}


def all_positive_ints(values) -> bool:
    """Whether every value is an integer of at least 1."""
    return all(isinstance(v, Integral) and v >= 1 for v in values)


def check_widths(name: str, dims) -> None:
    """Check that the layer widths ``dims`` of parameter ``name`` are positive integers."""
    if not all_positive_ints(dims):
        raise ValueError(f"{name} must hold positive integers, got {dims!r}.")


def resolve_latent_dim(latent_dim, image_shape, n_features: int) -> int:
    """``latent_dim`` with ``"auto"`` resolved: a table's columns, at most 32; 32 for images.

    A code wider than the row would give SMOTE in the latent space nothing
    to gain over SMOTE in the input space.
    """
    if latent_dim != "auto":
        return int(latent_dim)
    if image_shape is not None:
        return _AUTO_LATENT_DIM
    return min(n_features, _AUTO_LATENT_DIM)


def latent_smote_neighbours(
    n_new: dict, counts: dict, k_neighbors: int, single_sample_advice: str
) -> dict:
    """Neighbours latent SMOTE uses for each class that gets new rows.

    A class with a single row cannot be interpolated: the error, raised
    before any training, ends with ``single_sample_advice``. A class with
    ``k_neighbors`` rows or fewer uses all its other rows, with a warning.

    Parameters
    ----------
    n_new : dict
        Label -> rows to generate (``sampling_strategy_``).
    counts : dict
        Label -> rows in ``X``.
    k_neighbors : int
    single_sample_advice : str

    Returns
    -------
    k_neighbors_ : dict
        Label -> neighbours, for the classes with new rows.
    """
    neighbours = {}
    for label, n in n_new.items():
        if n == 0:
            continue
        n_samples = counts[label]
        if n_samples < 2:
            raise ValueError(
                f"Class {label_repr(label)} has a single sample: latent SMOTE needs at "
                f"least 2 samples of each class it over-samples. {single_sample_advice}"
            )
        neighbours[label] = min(k_neighbors, n_samples - 1)
        if neighbours[label] < k_neighbors:
            warnings.warn(
                f"Class {label_repr(label)} has only {n_samples} samples: latent SMOTE "
                f"uses k_neighbors={n_samples - 1} for it instead of {k_neighbors}.",
                UserWarning,
            )
    return neighbours


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


def label_repr(label) -> str:
    """A class label as the user wrote it: ``1`` or ``'cat'``, not ``np.int64(1)``."""
    return repr(label.item() if isinstance(label, np.generic) else label)


class BaseDeepOverSampler(BaseOverSampler):
    """Base class of the deep over-samplers: train networks, then generate rows.

    Not for direct use: subclasses define their parameters, their net and
    their generation step.

    ``X`` may be dense, a scipy sparse matrix or array (CSR or CSC; other
    formats are converted to CSR), or a DataFrame of sparse columns. Sparse
    rows stay sparse: they are kept in CSR form, and only a mini-batch or a
    chunk of generated rows (at most about four million values) is dense at
    any time. The decoder's rows are dense, so for sparse input each
    generated row keeps its ``k`` values farthest, in scaled units, from
    the scaled image of 0 of their column, and its other values become 0,
    the implicit value; ``k`` is the mean number of stored values per row
    of the class's real rows, rounded, at least 1. Dense data stored in a
    sparse format keeps every value and gives the output of the dense
    array. The output, and :meth:`generate`'s, has the input's format.
    """

    #: Parameters read only after training, when rows are generated: the
    #: trained networks do not depend on them, so the ``memory`` cache
    #: leaves them out of its key. Subclasses add their own.
    _generation_params: frozenset = frozenset({"sampling_strategy", "generated_fraction"})
    #: The sampler's settings most likely to blame when each loss of its
    #: net diverges, by the loss's history key.
    _divergence_hints: dict = {}

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "generated_fraction": [Interval(Real, 0, 1, closed="right")],
        "device": [str, torch.device],
        "callbacks": [list, None],
        "verbose": ["verbose"],
        "memory": [None, str, os.PathLike, HasMethods(["cache"])],
    }

    #: Constraints of the architecture parameters most samplers share.
    _architecture_constraints: dict = {
        "hidden_dims": ["array-like"],
        "conv_width": [_POSITIVE_INT],
        "image_shape": ["array-like", None],
        "batch_size": [_POSITIVE_INT],
        "lr": [_POSITIVE_REAL],
    }

    # -- what a subclass supplies ---------------------------------------------

    @abstractmethod
    def _build_net(self, n_features: int, counts: np.ndarray, device: str, seed: int):
        """The unfitted skorch net that trains the networks.

        Parameters
        ----------
        n_features : int
        counts : ndarray of shape (n_classes,)
            Rows of each class, in the order of ``classes_``.
        device : str
        seed : int
            The fit's seed, for the net's ``random_state``.
        """

    @abstractmethod
    def _generate_scaled(
        self, X_class: np.ndarray, index: int, n_new: int, random_state
    ) -> Iterator[np.ndarray]:
        """New rows of one class, in the networks' scaled units, chunk by chunk.

        Parameters
        ----------
        X_class : ndarray of shape (n_class, n_features)
            The class's rows, in ``X``'s units.
        index : int
            The class's index into ``classes_``.
        n_new : int
        random_state : RandomState

        Yields
        ------
        rows : ndarray of shape (n_chunk, n_features)
            float rows in ``[0, 1]``, ``n_new`` in all. Chunks of
            :func:`chunked` keep the working memory bounded; ``X_class``
            may be a sparse CSR matrix, whose rows are densified a chunk at
            a time (e.g. by ``scaler_.transform``) and never all at once.
        """

    def _check_settings(self, n_features: int) -> None:
        """Check settings that depend on ``X``'s shape; raise ``ValueError``."""

    def _check_classes(self, counts: dict) -> None:
        """Check that each class to over-sample can be; ``counts`` maps label to rows."""

    # -- validation, all of it before any training ----------------------------

    def _check_X_y(self, X, y, accept_sparse=None):
        if accept_sparse is None:
            accept_sparse = _SPARSE_FORMATS
        check_numeric(X, type(self).__name__)
        # Kept to round new rows in integer columns: a DataFrame that mixes
        # integer and float columns becomes one float array below.
        self._integer_columns = integer_columns(X)
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        # The rows keep their dtype (uint8 images stay a byte a pixel); the
        # networks see them scaled to float32 one batch at a time.
        X, y = validate_data(
            self, X=X, y=y, reset=True, dtype="numeric", accept_sparse=accept_sparse
        )
        # The output's container and format; the rows are worked on as CSR.
        self._sparse_type = type(X) if sparse.issparse(X) else None
        return compact(X), y, binarize_y

    def _check_X(self, X):
        """Rows to encode with the fitted networks: validated as in ``fit_resample``."""
        check_numeric(X, type(self).__name__)
        X = validate_data(self, X=X, reset=False, dtype="numeric", accept_sparse=_SPARSE_FORMATS)
        return compact(X)

    def _resolve_device(self) -> str:
        if isinstance(self.device, str) and self.device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        try:
            device = torch.device(self.device)
        except RuntimeError as exc:
            raise ValueError(
                f"device must be 'auto', 'cpu', 'cuda' or 'cuda:N', got {self.device!r}."
            ) from exc
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(
                f"device={self.device!r} was asked for, but torch sees no CUDA "
                "device. Use device='auto' to fall back to the CPU, or install a "
                "CUDA build of torch."
            )
        return str(device)

    # -- training ---------------------------------------------------------------

    def _fit_resample(self, X, y):
        self._check_settings(X.shape[1])
        device = self._resolve_device()
        self.classes_, y_index = np.unique(y, return_inverse=True)
        counts = np.bincount(y_index)
        self._check_classes(dict(zip(self.classes_, counts)))

        random_state = check_random_state(self.random_state)
        seed = random_state.randint(np.iinfo(np.int32).max)
        self.scaler_ = MinMaxScaling(per_column=self._per_column_scaling()).fit(X)
        self.net_ = self._build_net(X.shape[1], counts, device, seed)
        cache = self._cache()
        if cache is None:
            self.memory_hit_ = False
            self._train(X, y_index)
        else:
            key = cache.key(X, y_index, self._training_params(), seed)
            # Workers that need the same networks wait for one to train them.
            with cache.lock(key):
                self.memory_hit_ = cache.load(key, self.net_)
                if not self.memory_hit_:
                    self._train(X, y_index)
                    cache.save(key, self.net_)
        # What generate() needs to make more rows of these classes later.
        self._class_rows = {
            label: X[y == label] for label, n in self.sampling_strategy_.items() if n > 0
        }
        return self._resample(X, y, random_state)

    def _net_params(self, device: str, seed: int) -> dict:
        """The net settings every sampler passes the same way."""
        return {
            "batch_size": self.batch_size,
            "scaling": self.scaler_,
            "random_state": seed,
            "callbacks": self.callbacks,
            "device": device,
            "verbose": self.verbose,
        }

    def _generate_from_net(self, X_class, index: int, n_new: int, random_state) -> Iterator:
        """Rows of class ``index`` from the net's ``sample``, seeded by ``random_state``.

        For the samplers whose networks generate from noise (a conditional
        GAN's generator, BAGAN's class normals) rather than from the
        class's rows.
        """
        generator = torch.Generator().manual_seed(
            int(random_state.randint(np.iinfo(np.int32).max))
        )
        for part in chunked(n_new, X_class.shape[1]):
            yield self.net_.sample(np.full(part.stop - part.start, index), generator)

    def _per_column_scaling(self) -> bool:
        """Scale each column on its own (tables), or all values together (images)."""
        return getattr(self, "image_shape", None) is None

    def _train(self, X, y_index) -> None:
        try:
            self.net_.fit(X, y_index)
        except _Diverged as exc:
            hint = self._divergence_hints.get(exc.loss, "the learning rates")
            raise FloatingPointError(
                f"The {exc.loss.replace('_', ' ')} became non-finite in epoch "
                f"{exc.epoch}: training diverged. Lower {hint}, or check X for "
                "extreme values."
            ) from exc

    def _cache(self) -> _NetCache | None:
        """The cache of ``memory``, or ``None`` when there is none or it cannot be used."""
        cache = _NetCache.from_memory(self.memory)
        if cache is None:
            return None
        reason = None
        if self.callbacks:
            reason = "callbacks change training in ways the cache cannot key"
        elif self.random_state is None:
            reason = (
                "random_state=None draws new seeds in every fit, so no two fits "
                "could share networks; set random_state to an integer"
            )
        if reason is not None:
            warnings.warn(f"memory is ignored: {reason}.", UserWarning)
            return None
        return cache

    def _training_params(self) -> dict:
        """The parameters the trained networks depend on, as JSON values, and the class."""
        params = self.get_params(deep=False)
        values = {
            name: np.asarray(value).tolist() if isinstance(value, (tuple, list, np.ndarray)) else value
            for name, value in sorted(params.items())
            if name not in self._generation_params | _RUN_PARAMS
        }
        return {"sampler": type(self).__name__, **values}

    # -- generation -------------------------------------------------------------

    def _n_generated(self, n_new: int) -> int:
        # Rounded up, so that every class that asks for rows gets generated ones.
        return int(np.ceil(self.generated_fraction * n_new))

    def _resample(self, X, y, random_state):
        """``X`` and ``y`` with the generated rows, then the copies, appended.

        A dense output is allocated once, in ``X``'s dtype, and generated
        rows are written into it a chunk at a time; a sparse one is stacked
        from sparse chunks and takes the input's format.
        """
        n_generated = {
            label: self._n_generated(n_new) for label, n_new in self.sampling_strategy_.items()
        }
        if sparse.issparse(X):
            return self._resample_sparse(X, y, n_generated, random_state)
        n_total = len(X) + sum(self.sampling_strategy_.values())
        X_res = np.empty((n_total, X.shape[1]), dtype=X.dtype)
        X_res[: len(X)] = X
        y_res = [y]
        start = len(X)
        for label, n_new in n_generated.items():
            if n_new == 0:
                continue
            self._generate_class(self._class_rows[label], label, n_new, random_state,
                                 X_res[start : start + n_new])
            y_res.append(np.full(n_new, label, dtype=y.dtype))
            start += n_new
        copies = self._copies(y, random_state)
        X_res[start:] = X[copies]
        y_res.append(y[copies])
        return X_res, np.concatenate(y_res)

    def _resample_sparse(self, X, y, n_generated: dict, random_state):
        """:meth:`_resample` for a CSR ``X``: the same rows, in the same order."""
        X_res, y_res = [X], [y]
        for label, n_new in n_generated.items():
            if n_new == 0:
                continue
            X_res.extend(self._generated_chunks(self._class_rows[label], label, n_new, random_state))
            y_res.append(np.full(n_new, label, dtype=y.dtype))
        copies = self._copies(y, random_state)
        X_res.append(X[copies])
        y_res.append(y[copies])
        X_res = sparse.vstack(X_res, format="csr", dtype=X.dtype)
        return self._sparse_type(X_res), np.concatenate(y_res)

    def _generate_class(self, X_class, label, n_new: int, random_state, out: np.ndarray) -> None:
        """``n_new`` rows of class ``label`` in ``X``'s units, written to ``out``."""
        start = 0
        for x_new in self._generated_chunks(X_class, label, n_new, random_state):
            out[start : start + len(x_new)] = x_new
            start += len(x_new)

    def _generated_chunks(self, X_class, label, n_new: int, random_state) -> Iterator:
        """``n_new`` rows of class ``label`` in ``X``'s units and dtype, chunk by chunk.

        Dense chunks for dense ``X_class``; CSR chunks, each row keeping
        :func:`_values_to_keep` values, for sparse ``X_class``.
        """
        index = int(np.searchsorted(self.classes_, label))
        chunks = self._generate_scaled(X_class, index, n_new, random_state)
        if not sparse.issparse(X_class):
            for x_new in chunks:
                yield self._to_input_units(x_new, X_class.dtype)
            return
        n_keep = _values_to_keep(X_class)
        zero = self.scaler_.scaled_zero()
        for x_new in chunks:
            yield self._to_sparse_input_units(x_new, n_keep, zero, X_class.dtype)

    def _to_input_units(self, x_scaled: np.ndarray, dtype) -> np.ndarray:
        """Scaled rows back in ``X``'s units, rounded in integer columns."""
        x = self.scaler_.inverse_transform(x_scaled)
        if np.dtype(dtype).kind in "iub":
            return np.rint(x, out=x).astype(dtype)
        x[:, self._integer_columns] = np.rint(x[:, self._integer_columns])
        return x.astype(dtype)

    def _to_sparse_input_units(self, x_scaled: np.ndarray, n_keep: int, zero, dtype):
        """Scaled rows back in ``X``'s units as CSR, ``n_keep`` values a row at most.

        Each row keeps the values farthest from ``zero`` (the scaled image
        of 0 per column); the others become implicit zeros. With ``n_keep``
        at the number of columns every value is kept: the rows of the dense
        path, stored sparse.
        """
        n_rows, n_features = x_scaled.shape
        if n_keep >= n_features:
            return sparse.csr_matrix(self._to_input_units(x_scaled, dtype))
        deviation = np.subtract(x_scaled, zero, dtype=np.float32)
        np.abs(deviation, out=deviation)
        columns = np.argpartition(deviation, n_features - n_keep, axis=1)[:, -n_keep:]
        del deviation
        columns.sort(axis=1)
        values = self.scaler_.inverse_transform(
            np.take_along_axis(x_scaled, columns, axis=1), columns
        )
        if np.dtype(dtype).kind in "iub":
            np.rint(values, out=values)
        else:
            rounded = self._integer_columns[columns]
            values[rounded] = np.rint(values[rounded])
        rows = sparse.csr_matrix(
            (values.astype(dtype).ravel(), columns.ravel(), np.arange(0, n_rows * n_keep + 1, n_keep)),
            shape=(n_rows, n_features),
        )
        # A kept value may still be 0 (rounded, or clipped to the range).
        rows.eliminate_zeros()
        return rows

    def _copies(self, y, random_state) -> np.ndarray:
        """Rows of ``X`` to copy: what ``generated_fraction`` leaves to random over-sampling."""
        copies = [np.empty(0, dtype=np.intp)]
        for label, n_new in self.sampling_strategy_.items():
            n_copies = n_new - self._n_generated(n_new)
            if n_copies:
                copies.append(random_state.choice(np.flatnonzero(y == label), n_copies))
        return np.concatenate(copies)

    def generate(self, n_samples: int, label, *, random_state=None):
        """New rows of one class from the trained networks, without training again.

        The generation step of :meth:`fit_resample` alone, with the
        sampler's generation settings (for BAEGAN: latent SMOTE between the
        codes of the class's rows seen in :meth:`fit_resample`, then
        decoding). Use it to try several amounts of synthetic data from one
        training.

        Parameters
        ----------
        n_samples : int
            Number of rows to generate.
        label : object
            The class, one of those :meth:`fit_resample` over-sampled (the
            keys of ``sampling_strategy_`` with new rows).
        random_state : int, RandomState instance or None, default=None
            Seeds the generation: the same value gives the same rows.

        Returns
        -------
        X_new : ndarray, sparse matrix or DataFrame of shape (n_samples, n_features)
            Generated rows only (``generated_fraction`` does not apply), in
            the units, dtype and format of :meth:`fit_resample`'s output: a
            sparse matrix of the fitted format (rows sparsified as the class
            Notes say) when it was fitted on one, a DataFrame with the same
            columns (sparse ones for sparse input) when it was fitted on one.

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> from imblearn_baegan import BAEGANSampler
        >>> X, y = make_classification(n_samples=200, weights=[0.9],
        ...                            random_state=0)
        >>> sampler = BAEGANSampler(pretrain_epochs=1, adversarial_epochs=1,
        ...                         random_state=0)
        >>> _ = sampler.fit_resample(X, y)
        >>> sampler.generate(500, label=1, random_state=0).shape
        (500, 20)
        """
        check_is_fitted(self, "net_")
        if not isinstance(n_samples, Integral) or isinstance(n_samples, bool) or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
        if label not in self._class_rows:
            known = [label_repr(known) for known in self._class_rows]
            raise ValueError(
                f"Class {label_repr(label)} was not over-sampled by fit_resample, so its "
                "rows were not kept; generate() can make rows of "
                f"{', '.join(known) or 'no class'}. Include the class in "
                "sampling_strategy and fit again."
            )
        X_class = self._class_rows[label]
        random_state = check_random_state(random_state)
        if sparse.issparse(X_class):
            chunks = self._generated_chunks(X_class, label, n_samples, random_state)
            X_new = self._sparse_type(sparse.vstack(list(chunks), format="csr", dtype=X_class.dtype))
        else:
            X_new = np.empty((n_samples, X_class.shape[1]), dtype=X_class.dtype)
            self._generate_class(X_class, label, n_samples, random_state, X_new)
        if hasattr(self, "feature_names_in_"):
            import pandas as pd

            if sparse.issparse(X_new):
                return pd.DataFrame.sparse.from_spmatrix(X_new, columns=self.feature_names_in_)
            return pd.DataFrame(X_new, columns=self.feature_names_in_)
        return X_new


def compact(X):
    """``X`` unchanged, unless its float dtype is neither float32 nor float64.

    A sparse ``X`` also becomes a canonical CSR matrix: the form its rows
    are sliced, counted and keyed in.
    """
    if X.dtype.kind == "f" and X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    return _host_csr(X) if sparse.issparse(X) else X


def chunked(n: int, n_features: int = 1) -> Iterator[slice]:
    """Slices of ``range(n)`` of at most the generation chunk's size.

    A chunk holds at most ``_GENERATION_CHUNK`` rows and, for wide rows, at
    most about four million values (``_CHUNK_VALUES``), whatever their
    dtype: 30,000 columns give chunks of 139 rows.
    """
    size = max(1, min(_GENERATION_CHUNK, _CHUNK_VALUES // max(n_features, 1)))
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def _values_to_keep(X_class) -> int:
    """``k`` of the sparse generation rule: stored values per real row, rounded, at least 1."""
    return max(1, int(np.rint(X_class.nnz / max(X_class.shape[0], 1))))
