"""What every deep over-sampler of the package shares: the base class.

A deep over-sampler trains networks on the training rows and then generates
the rows each class lacks. The base holds the steps around those two, in
the order a fit takes them: validate the shared settings, map the rows to
the networks' units (:class:`~imblearn_baegan._rows.RowMapping`), seed the
fit, build the net, train it or load it from the ``memory`` cache, generate
each class's new rows, add ``generated_fraction``'s copies, and map
everything back to the input's types.

A sampler supplies its skorch net (``_net_class``, the parameters it
forwards in ``_to_net`` and the ones it computes in :meth:`_net_settings`),
the rows it generates for a class (:meth:`_generate_scaled`), and
optionally checks of its own settings (:meth:`_check_settings`,
:meth:`_check_classes`).
"""

from __future__ import annotations

import inspect
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
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._base_net import _Diverged
from ._batches import chunk_rows
from ._frames import from_polars, is_polars, to_polars
from ._memory import NetCache, plain
from ._rows import RowMapping, values_to_keep
from ._validation import label_repr, resolve_device

__all__: list[str] = []

POSITIVE_INT = Interval(Integral, 1, None, closed="left")
NON_NEGATIVE_INT = Interval(Integral, 0, None, closed="left")
POSITIVE_REAL = Interval(Real, 0, None, closed="neither")
NON_NEGATIVE_REAL = Interval(Real, 0, None, closed="left")
# Rows generated per step: bounds the float32 working memory whatever the
# number of new rows. Wide rows get fewer, at most CHUNK_VALUES values.
_GENERATION_CHUNK = 1024
# rows_per_epoch="auto": tables and image sets up to this size train on
# every row each epoch; larger ones on a class-aware draw of this many.
AUTO_ROWS_PER_EPOCH = 16_384
# Parameters that change neither the networks nor the output; the device's
# type is in the cache's key as the resolved device, whatever the spelling.
_RUN_PARAMS = frozenset({"random_state", "memory", "device", "callbacks", "verbose"})

#: numpydoc text of the parameters every deep sampler shares, for
#: ``imblearn.utils.Substitution``.
SHARED_PARAMETER_DOCS = {
    "categorical_features": """categorical_features : "auto", None or array-like, default="auto"
        The categorical columns of ``X``: indices, column names (of a
        DataFrame) or a boolean mask. ``"auto"`` takes the columns of a
        DataFrame whose dtype is ``category``, ``object``, ``string`` or
        ``bool`` (imbalanced-learn's ``SMOTENC`` takes ``category`` only),
        and none of other input; ``None`` takes none. A missing value in a
        categorical column is a category of its own. The networks see each
        categorical column as a block of one-hot units and produce one
        block of probabilities for it. Read more in the user guide, "Tables
        with categorical columns".""",
    "max_categories": """max_categories : int, default=64
        Most units a categorical column gets: a column with more categories
        keeps its ``max_categories - 1`` most frequent ones and one unit for
        all the others. A new row in that unit keeps the rare value of the
        real row it was made from, where there is one, or draws one of the
        rare values of the class's rows. Keeps identifier-like columns from
        blowing up the networks' width.""",
    "rows_per_epoch": """rows_per_epoch : int, "auto" or None, default="auto"
        Most rows a training epoch shows, so that the cost of a fit follows
        the classes rather than the size of the table. A larger table shows
        in each epoch a fresh draw of this many rows: every row of the
        classes small enough to fit, and an equal share of each larger
        class, in an order that spreads each class evenly over the batches.
        ``"auto"`` is 16,384; ``None`` shows every row. The draw depends on
        the class sizes only, never on ``sampling_strategy``.""",
    "image_shape": """image_shape : tuple of (int, int, int) or None, default=None
        ``(channels, height, width)`` of the images, whose pixels are the
        columns of ``X`` in C-order; they get DCGAN-style convolutional
        networks. ``None`` treats ``X`` as a table, with perceptrons.""",
    "device": """device : str or torch.device, default="auto"
        Where to train: ``"auto"`` picks CUDA when it is available and the
        CPU otherwise; ``"cpu"``, ``"cuda"`` or ``"cuda:1"`` force a device.
        Other device types are refused.""",
    "callbacks": """callbacks : list of skorch callbacks or None, default=None
        Passed on to the skorch net that trains the networks, e.g.
        ``[skorch.callbacks.EarlyStopping(monitor="train_loss")]``.""",
    "verbose": """verbose : int, default=0
        ``0`` trains silently; ``1`` or more shows skorch's epoch log and
        progress bar.""",
    "memory": """memory : str, path, joblib.Memory or None, default=None
        Where to cache trained networks, as ``Pipeline(memory=...)``: a
        folder, or a :class:`joblib.Memory` whose location is used.
        ``None`` caches nothing. An entry is keyed on the rows, the labels,
        the training parameters, the seed drawn from ``random_state``, the
        package's source code, the torch and skorch versions and the device
        type; the parameters read only after training (``sampling_strategy``,
        ``generated_fraction`` and the sampler's generation settings) are not
        in the key. A grid search over them then trains once per fold, and
        its output is the same as without the cache. Needs an integer
        ``random_state`` and no ``callbacks``: the cache is skipped with a
        warning otherwise. Workers of joblib, Dask or Ray may share one
        folder; :func:`~imblearn_baegan.reduce_memory` bounds its size.
        Read more in the user guide, "Searching at scale".""",
    "shared_attributes": """sampling_strategy_ : dict
        Number of samples to generate for each class.

    generated_fraction_ : float
        The share of the new rows generated rather than copied.

    scaler_ : MinMaxScaling
        The scaling between the numeric columns' units and the networks'
        ``[0, 1]``.

    categorical_features_ : ndarray of int
        Indices of the categorical columns (empty when there are none).

    continuous_features_ : ndarray of int
        Indices of the numeric columns.

    categories_ : list of ndarray
        The categories each categorical column held in the training rows:
        the only values new rows take in it.

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


class BaseDeepOverSampler(BaseOverSampler):
    """Base class of the deep over-samplers: train networks, then generate rows.

    Not for direct use: subclasses define their parameters, their net and
    their generation step.

    ``X`` may be dense (NumPy, or a DataFrame whose columns may be
    categorical), a scipy sparse matrix or array (CSR or CSC; other formats
    are converted to CSR), or a DataFrame of sparse columns. Sparse rows
    stay sparse: only a mini-batch or a chunk of generated rows (at most
    about four million values) is dense at any time. The decoder's rows are
    dense, so for sparse input each generated row keeps its ``k`` values
    farthest, in scaled units, from the scaled image of 0 of their column,
    and its other values become 0; ``k`` is the mean number of stored
    values per row of the class's real rows, rounded, at least 1. The
    output, and :meth:`generate`'s, has the input's types.
    """

    #: The skorch net class that trains the networks.
    _net_class: type
    #: Sampler parameter -> the net parameter it is passed as, unchanged.
    #: Divergence messages name the sampler's parameters through it.
    _to_net: dict = {}
    #: Parameters read only after training, when rows are generated: the
    #: trained networks do not depend on them, so the ``memory`` cache
    #: leaves them out of its key. Subclasses add their own.
    _generation_params: frozenset = frozenset({"sampling_strategy", "generated_fraction"})
    #: Kind of data ("tables" or "images") -> the values of the parameters
    #: whose default is "auto".
    _auto_defaults: dict = {}
    #: How a categorical block of generated units becomes a category: its
    #: largest unit (decoders of real rows' codes), or a draw with the
    #: block as probabilities (generators fed noise).
    _draw_categories: bool = False

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "categorical_features": [StrOptions({"auto"}), "array-like", None],
        "max_categories": [Interval(Integral, 2, None, closed="left")],
        "rows_per_epoch": [POSITIVE_INT, StrOptions({"auto"}), None],
        "generated_fraction": [Interval(Real, 0, 1, closed="right")],
        "device": [str, torch.device],
        "callbacks": [list, None],
        "verbose": ["verbose"],
        "memory": [None, str, os.PathLike, HasMethods(["cache"])],
    }

    #: Constraints of the architecture parameters most samplers share.
    _architecture_constraints: dict = {
        "hidden_dims": ["array-like"],
        "conv_width": [POSITIVE_INT],
        "image_shape": ["array-like", None],
        "batch_size": [POSITIVE_INT],
        "lr": [POSITIVE_REAL],
    }

    # -- what a subclass supplies ---------------------------------------------

    def _net_settings(self, counts: np.ndarray) -> dict:
        """Net parameters the sampler computes rather than forwards (``max_epochs``, ...).

        Parameters
        ----------
        counts : ndarray of shape (n_classes,)
            Rows of each class, in the order of ``classes_``.
        """
        return {}

    @abstractmethod
    def _generate_scaled(
        self, X_class: np.ndarray, index: int, n_new: int, random_state
    ) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
        """New rows of one class, in the networks' units, chunk by chunk.

        Parameters
        ----------
        X_class : ndarray of shape (n_class, n_features)
            The class's rows, in storage form.
        index : int
            The class's index into ``classes_``.
        n_new : int
        random_state : RandomState

        Yields
        ------
        units : ndarray of shape (n_chunk, n_units)
            float rows in ``[0, 1]``, ``n_new`` in all. Chunks of
            :func:`chunked` keep the working memory bounded; ``X_class``
            may be a sparse CSR matrix, whose rows are mapped a chunk at a
            time and never all at once.
        base : ndarray of shape (n_chunk,) or None
            The row of ``X_class`` each new row was made from, or ``None``.
        """

    def _check_settings(self, n_features: int) -> None:
        """Check settings that depend on ``X``'s shape; raise ``ValueError``."""

    def _check_classes(self, counts: dict) -> None:
        """Check that each class to over-sample can be; ``counts`` maps label to rows."""

    # -- validation, all of it before any training ----------------------------

    def fit_resample(self, X, y, **params):
        """Train the networks on ``X`` and ``y``, then add the rows each class lacks.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            The rows: a NumPy array, a pandas or polars DataFrame (whose
            columns may be categorical, dates or durations), or a scipy
            sparse matrix or array.
        y : array-like of shape (n_samples,)
            The class of each row.
        **params : dict
            Passed on to imbalanced-learn's ``fit_resample``.

        Returns
        -------
        X_resampled : {ndarray, DataFrame, sparse matrix} of shape (n_samples_new, n_features)
            ``X`` followed by the new rows, in ``X``'s container, columns and
            dtypes (a polars DataFrame stays one).
        y_resampled : ndarray or Series of shape (n_samples_new,)
            The classes of ``X_resampled``, in ``y``'s container.
        """
        like_X = X.clear() if is_polars(X) and hasattr(X, "columns") else None
        like_y = y.clear() if is_polars(y) else None
        X_res, y_res = super().fit_resample(from_polars(X), from_polars(y), **params)
        # generate() answers in the container fit_resample was given.
        self._polars_like = like_X
        if like_X is not None:
            X_res = to_polars(X_res, like_X)
        if like_y is not None:
            y_res = to_polars(y_res, like_y)
        return X_res, y_res

    def _as_input_frame(self, rows):
        """``rows`` in a polars DataFrame when ``fit_resample`` was given one."""
        like = getattr(self, "_polars_like", None)
        return rows if like is None or not hasattr(rows, "columns") else to_polars(rows, like)

    def _check_X_y(self, X, y, accept_sparse=None):
        # A fit that fails from here on leaves the sampler unfitted, not its
        # former networks beside a mapping of other rows.
        self._forget_fit()
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        self._rows = RowMapping(
            self.categorical_features,
            self.max_categories,
            per_column=getattr(self, "image_shape", None) is None,
            name=type(self).__name__,
        )
        X, y = self._rows.fit(self, X, y, accept_sparse)
        return X, y, binarize_y

    def _check_X(self, X):
        """Rows to encode with the fitted networks, validated as in ``fit_resample``."""
        return self._rows.storage(self, from_polars(X))

    # -- training ---------------------------------------------------------------

    def _fit_resample(self, X, y):
        if getattr(self, "image_shape", None) is not None and self._rows.has_categories:
            raise ValueError(
                "image_shape describes images, whose pixels are numbers, but X has "
                f"categorical columns {self._rows.categorical_features_.tolist()}. Pass "
                "numeric pixels, or categorical_features=None."
            )
        kind = "tables" if getattr(self, "image_shape", None) is None else "images"
        auto = self._auto_defaults.get(kind, {})
        for name in {"generated_fraction", *auto}:
            value = getattr(self, name)
            setattr(self, f"{name}_", auto[name] if value == "auto" else value)
        self._check_settings(X.shape[1])
        device = resolve_device(self.device)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        counts = np.bincount(y_index)
        self._check_classes(dict(zip(self.classes_, counts)))
        self.scaler_ = self._rows.scaler_
        self.categorical_features_ = self._rows.categorical_features_
        self.continuous_features_ = self._rows.continuous_features_
        self.categories_ = self._rows.categories_

        random_state = check_random_state(self.random_state)
        seed = random_state.randint(np.iinfo(np.int32).max)
        try:
            return self._train_and_resample(X, y, y_index, counts, device, seed, random_state)
        except BaseException:
            # Half-trained networks must not pass for a fitted sampler.
            self._forget_fit()
            raise

    def _forget_fit(self) -> None:
        for name in ("net_", "_class_rows"):
            self.__dict__.pop(name, None)
        if "_rows" in self.__dict__:
            self._rows.forget_inputs()

    def _train_and_resample(self, X, y, y_index, counts, device, seed, random_state):
        self.net_ = self._build_net(counts, device, seed)
        cache = self._cache()
        if cache is None:
            self.memory_hit_ = False
            self._train(X, y_index)
        else:
            # Which columns are categorical, and their units, too: the same
            # stored rows mean other networks under another mapping.
            params = {**self._training_params(), "rows": self._rows.signature()}
            header = cache.header(X, y_index, params, seed, device)
            key = cache.key(header, X, y_index)
            # Workers that need the same networks wait for one to train them.
            with cache.lock(key):
                self.memory_hit_ = cache.load(key, header, self.net_)
                if not self.memory_hit_:
                    self._train(X, y_index)
                    cache.save(key, header, self.net_)
        # What generate() needs to make more rows of these classes later.
        self._class_rows = {
            label: X[y == label] for label, n in self.sampling_strategy_.items() if n > 0
        }
        X_res, y_res, source = self._resample(X, y, random_state)
        X_res = self._rows.to_output(X_res, source)
        self._rows.forget_inputs()
        return X_res, y_res

    def _rows_per_epoch(self) -> int | None:
        if isinstance(self.rows_per_epoch, str):
            return AUTO_ROWS_PER_EPOCH
        return self.rows_per_epoch

    def _build_net(self, counts: np.ndarray, device: str, seed: int):
        """The unfitted skorch net: forwarded parameters, computed ones and the shared settings."""
        rows = self._rows
        params = {net: _net_value(getattr(self, name)) for name, net in self._to_net.items()}
        params.update(
            module__n_features=rows.n_units_,
            module__n_classes=len(counts),
            module__category_sizes=rows.block_sizes_,
            batch_size=self.batch_size,
            rows_per_epoch=self._rows_per_epoch(),
            scaling=rows,
            random_state=seed,
            callbacks=self.callbacks,
            device=device,
            verbose=self.verbose,
        )
        params.update(self._net_settings(counts))
        # Only the shapes the net's network takes (DeepSMOTE's sees no class).
        module = inspect.signature(self._net_class).parameters["module"].default
        accepted = inspect.signature(module).parameters
        params = {
            k: v
            for k, v in params.items()
            if not k.startswith("module__") or k.split("__", 1)[1] in accepted
        }
        return self._net_class(**params)

    def _generate_from_net(self, X_class, index: int, n_new: int, random_state) -> Iterator:
        """Rows of class ``index`` from the net's ``sample``, seeded by ``random_state``.

        For the samplers whose networks generate from noise (a conditional
        GAN's generator, BAGAN's class normals) rather than from the
        class's rows.
        """
        generator = torch.Generator().manual_seed(int(random_state.randint(np.iinfo(np.int32).max)))
        for part in chunked(n_new, self._rows.n_units_):
            yield self.net_.sample(np.full(part.stop - part.start, index), generator), None

    def _train(self, X, y_index) -> None:
        try:
            self.net_.fit(X, y_index)
        except _Diverged as exc:
            names = {net: name for name, net in self._to_net.items()}
            hints = self.net_._divergence_hints.get(exc.loss, ("lr",))
            hint = " or ".join(names.get(h, h) for h in hints)
            raise FloatingPointError(
                f"The {exc.loss.replace('_', ' ')} became non-finite in epoch "
                f"{exc.epoch}: training diverged. Lower {hint}, or check X for "
                "extreme values."
            ) from exc

    def _cache(self) -> NetCache | None:
        """The cache of ``memory``, or ``None`` when there is none or it cannot be used."""
        cache = NetCache.from_memory(self.memory)
        if cache is None:
            return None
        reason = None
        if self.callbacks:
            reason = "callbacks change training in ways the cache cannot key"
        elif not isinstance(self.random_state, Integral):
            reason = (
                f"random_state={self.random_state!r} draws new seeds in every fit, so "
                "no two fits could share networks; set random_state to an integer"
            )
        if reason is not None:
            warnings.warn(f"memory is ignored: {reason}.", UserWarning)
            return None
        return cache

    def _training_params(self) -> dict:
        """The parameters the trained networks depend on, as JSON values, and the class."""
        params = self.get_params(deep=False)
        values = {
            name: plain(value)
            for name, value in sorted(params.items())
            if name not in self._generation_params | _RUN_PARAMS
        }
        return {"sampler": type(self).__name__, **values}

    def _decoded(self, units: np.ndarray):
        """Decoded units as rows: float64 numbers, or the input's types with categorical columns."""
        if not self._rows.has_categories:
            return self.scaler_.inverse_transform(units)
        rows = self._rows.inverse(
            units, self._rows.storage_dtype_, random_state=check_random_state(0)
        )
        return self._as_input_frame(self._rows.to_caller(rows))

    # -- generation -------------------------------------------------------------

    def _n_generated(self, n_new: int) -> int:
        # Rounded up, so that every class that asks for rows gets generated ones.
        return int(np.ceil(self.generated_fraction_ * n_new))

    def _resample(self, X, y, random_state):
        """``X`` and ``y`` with the generated rows, then the copies, appended, in storage form.

        A dense output is allocated once, in ``X``'s dtype, and generated
        rows are written into it a chunk at a time; a sparse one is stacked
        from sparse chunks. The third value gives, for each output row, the
        row of ``X`` it copies, or -1 for a generated row.
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
            self._generate_class(
                self._class_rows[label], label, n_new, random_state, X_res[start : start + n_new]
            )
            y_res.append(np.full(n_new, label, dtype=y.dtype))
            start += n_new
        copies = self._copies(y, random_state)
        # Straight into the output: no temporary the size of the copies.
        np.take(X, copies, axis=0, out=X_res[start:], mode="clip")
        y_res.append(y[copies])
        return X_res, np.concatenate(y_res), _sources(len(X), start - len(X), copies)

    def _resample_sparse(self, X, y, n_generated: dict, random_state):
        """:meth:`_resample` for a CSR ``X``: the same rows, in the same order."""
        X_res, y_res = [X], [y]
        for label, n_new in n_generated.items():
            if n_new == 0:
                continue
            X_res.extend(
                self._generated_chunks(self._class_rows[label], label, n_new, random_state)
            )
            y_res.append(np.full(n_new, label, dtype=y.dtype))
        copies = self._copies(y, random_state)
        X_res.append(X[copies])
        y_res.append(y[copies])
        X_res = sparse.vstack(X_res, format="csr", dtype=X.dtype)
        sources = _sources(X.shape[0], sum(n_generated.values()), copies)
        return X_res, np.concatenate(y_res), sources

    def _generate_class(self, X_class, label, n_new: int, random_state, out: np.ndarray) -> None:
        """``n_new`` rows of class ``label`` in storage form, written to ``out``."""
        start = 0
        for x_new in self._generated_chunks(X_class, label, n_new, random_state):
            out[start : start + len(x_new)] = x_new
            start += len(x_new)

    def _generated_chunks(self, X_class, label, n_new: int, random_state) -> Iterator:
        """``n_new`` rows of class ``label`` in storage form, chunk by chunk.

        Dense chunks for dense ``X_class``; CSR chunks, each row keeping
        :func:`values_to_keep` values, for sparse ``X_class``.
        """
        index = int(np.searchsorted(self.classes_, label))
        chunks = self._generate_scaled(X_class, index, n_new, random_state)
        if not sparse.issparse(X_class):
            for units, base in chunks:
                yield self._rows.inverse(
                    units,
                    X_class.dtype,
                    class_rows=X_class,
                    base=base,
                    sample=self._draw_categories,
                    random_state=random_state,
                )
            return
        n_keep = values_to_keep(X_class)
        for units, _ in chunks:
            yield self._rows.inverse_sparse(units, n_keep, X_class.dtype)

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
            the units, types and format of :meth:`fit_resample`'s output: a
            DataFrame (pandas or polars) with the same columns and dtypes
            when it was fitted on one, a NumPy object array when it was
            fitted on one, a sparse matrix of the fitted format when it was
            fitted on one.

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
            X_new = sparse.vstack(list(chunks), format="csr", dtype=X_class.dtype)
        else:
            X_new = np.empty((n_samples, X_class.shape[1]), dtype=X_class.dtype)
            self._generate_class(X_class, label, n_samples, random_state, X_new)
        return self._as_input_frame(self._rows.to_caller(X_new))


def _sources(n_rows: int, n_generated: int, copies: np.ndarray) -> np.ndarray:
    """The training row each output row copies: the rows, then -1 per generated row, the copies."""
    return np.concatenate([np.arange(n_rows), np.full(n_generated, -1), copies])


def _net_value(value):
    """A parameter as the net takes it: sequences as tuples, NumPy scalars as Python ones."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_net_value(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def chunked(n: int, n_features: int = 1) -> Iterator[slice]:
    """Slices of ``range(n)`` of at most the generation chunk's size.

    A chunk holds at most ``_GENERATION_CHUNK`` rows and, for wide rows, at
    most about four million values (``CHUNK_VALUES``), whatever their
    dtype: 30,000 columns give chunks of 139 rows.
    """
    size = chunk_rows(_GENERATION_CHUNK, n_features)
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))
