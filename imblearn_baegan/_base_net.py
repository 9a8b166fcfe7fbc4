"""What the skorch nets of every deep sampler share: the base net, rows and batches.

The rows keep the caller's dtype (sparse ones a CSR matrix on the host) and
are scaled one mini-batch at a time on the training device; batches are
sliced from tensors and shuffled by the fit's own random generator.
"""

from __future__ import annotations

import inspect
import math
import threading
import warnings
from collections.abc import Iterator

import numpy as np
import torch
from scipy import sparse
from skorch import NeuralNet
from skorch.callbacks import PassthroughScoring, ProgressBar
from skorch.utils import TeeGenerator, to_tensor
from torch.utils.data import DataLoader, Subset

from ._scaling import MinMaxScaling
from ._threads import take_share, thread_share

__all__ = ["BaseGenerativeNet"]

# Batches are sliced from tensors, not drawn by a DataLoader, so only the
# iterator settings that slicing has a meaning for are accepted.
_ITERATOR_PARAMS = ("batch_size", "shuffle")
# GAN practice (DCGAN, WGAN-GP): a low first moment keeps the alternating
# updates from carrying stale momentum into each other.
_ADVERSARIAL_BETAS = (0.5, 0.999)
# Dtypes torch indexes and converts everywhere; others become float64.
_COMPACT_DTYPES = {np.dtype(t) for t in (np.uint8, np.int8, np.int16, np.int32, np.int64, np.bool_, np.float32, np.float64)}
# Most values a chunk of encoded or decoded rows holds: with 30,000 columns
# a chunk of 1,024 dense float64 rows would take 245 MB.
_CHUNK_VALUES = 2**22
# Module initialisation draws from torch's global generator: the lock keeps
# fits in threads of one process from seeding it under each other's feet.
_INIT_LOCK = threading.Lock()


class _Diverged(FloatingPointError):
    """A loss became NaN or infinite; ``loss`` names it, ``epoch`` says when."""

    def __init__(self, message: str, loss: str, epoch: int):
        super().__init__(message)
        self.loss = loss
        self.epoch = epoch


class _RowData:
    """Rows and class indices, with the scaling applied batch by batch.

    The rows keep the caller's dtype, so uint8 images take a quarter of the
    memory of float32 ones; ``storage`` is where they live (the training
    device, or the host when they do not fit there). Each batch is gathered
    where the rows live, moved to the training device and scaled there.

    Sparse rows stay a scipy CSR matrix on the host: a batch is sliced from
    it and densified alone, so the dense matrix never exists in memory.
    """

    def __init__(self, X, c: torch.Tensor | None, scaling, device):
        self.X = X
        self.c = c
        self.scaling = scaling
        self.device = device
        # Copied to the device once, not once per batch.
        self._bounds = None if scaling is None else scaling.tensor_bounds(device)

    def __len__(self) -> int:
        return self.X.shape[0]

    @property
    def storage(self) -> torch.device:
        """Where the rows live: sparse ones always on the host."""
        return torch.device("cpu") if sparse.issparse(self.X) else self.X.device

    def rows(self, x) -> torch.Tensor:
        """Rows on the training device, scaled to float32; sparse ones densified first."""
        if sparse.issparse(x):
            x = torch.from_numpy(x.toarray())
        x = x.to(self.device, non_blocking=True)
        if self.scaling is None:
            return x.to(torch.float32)
        return self.scaling.transform_tensor(x, self._bounds)

    def _take(self, idx: torch.Tensor):
        if sparse.issparse(self.X):
            return self.X[idx.numpy()]
        return self.X[idx]

    def batch(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.rows(self._take(idx)), self.c[idx].to(self.device)

    def subset(self, indices) -> _RowData:
        idx = torch.as_tensor(np.asarray(indices), dtype=torch.long, device=self.storage)
        return _RowData(self._take(idx), self.c[idx], self.scaling, self.device)

    def chunks(self, n_rows: int) -> Iterator:
        """The rows in order, ``n_rows`` at a time, as they are stored; at least one chunk."""
        n = len(self)
        for start in range(0, max(n, 1), n_rows):
            yield self.X[start : start + n_rows]


class _Batches:
    """Mini-batches sliced from a :class:`_RowData`, shuffled by the fit's generator."""

    def __init__(self, data: _RowData, batch_size: int, shuffle: bool, generator):
        self.data = data
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator

    def __len__(self) -> int:
        return math.ceil(len(self.data) / self.batch_size)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        n, storage = len(self.data), self.data.storage
        if self.shuffle:
            order = torch.randperm(n, generator=self.generator).to(storage)
        else:
            order = torch.arange(n, device=storage)
        for start in range(0, n, self.batch_size):
            yield self.data.batch(order[start : start + self.batch_size])


def _host_tensor(X):
    """``X`` as a CPU tensor, without a copy where its dtype and layout allow.

    A sparse ``X`` becomes a scipy CSR matrix in canonical form instead
    (rows are what batches slice, and torch's sparse tensors have no row
    indexing as fast as scipy's); it is copied only where its format,
    dtype or duplicate entries require.
    """
    if isinstance(X, torch.Tensor):
        return X
    if sparse.issparse(X):
        return _host_csr(X)
    X = np.asarray(X)
    if X.dtype not in _COMPACT_DTYPES:
        X = X.astype(np.float64)
    return torch.as_tensor(np.ascontiguousarray(X))


def _host_csr(X):
    """Sparse ``X`` as a canonical CSR matrix of a dtype torch converts.

    Canonical (sorted indices, no duplicate entries), so that the number
    of stored values per row and a digest of the stored arrays mean what
    they say. ``X`` is copied only where its format, dtype or duplicate
    entries require; a ``csr_array`` stays one.
    """
    X = X.tocsr()
    if X.dtype not in _COMPACT_DTYPES:
        X = X.astype(np.float64)
    if not X.has_canonical_format:
        # sum_duplicates works in place: never on the caller's matrix.
        X = X.copy()
        X.sum_duplicates()
    return X


def _chunk_rows(chunk_size: int, n_features: int) -> int:
    """Rows per chunk: at most ``chunk_size``, and at most ``_CHUNK_VALUES`` values."""
    return max(1, min(chunk_size, _CHUNK_VALUES // max(n_features, 1)))


class BaseGenerativeNet(NeuralNet):
    """Base of the skorch nets that train a deep sampler's networks.

    What every such net shares: rows kept in their own dtype (sparse ones
    in CSR form) and scaled one mini-batch at a time on the training device,
    mini-batches sliced from tensors and shuffled by the fit's own random
    generator (seeded by ``random_state``, so fits in threads of one
    process give the same networks as fits one after the other), the
    networks initialised from that generator, torch's threads shared
    between fits in threads of one process, the losses of each batch in
    the history with a clear error when one becomes non-finite, and no
    prediction methods (the net generates; it predicts nothing).

    A subclass sets ``_loss_keys`` (the losses it records per batch),
    ``_extra_modules`` (networks besides ``module``, each configured by its
    ``<name>__*`` parameters), implements :meth:`_optimized_parameters`
    (the parameters each optimizer updates) and ``train_step``, and calls
    :meth:`_step` for each update and :meth:`_record_losses` once per batch.

    Parameters
    ----------
    module : type or torch.nn.Module
        The main network.
    criterion : type or torch.nn.Module
        The main loss.
    optimizer : type, default=torch.optim.Adam
    scaling : MinMaxScaling or None, default=None
        Applied to every batch of rows before the networks see it.
    random_state : int or None, default=None
        Seed of the fit's random generator, which initialises the networks,
        shuffles the batches and draws every random number of training.
        ``None`` draws the seed from torch's global generator.
    data_placement : {"auto", "device", "host"}, default="auto"
        Where the training rows live. ``"device"`` copies them to the
        training device once; ``"host"`` keeps them in host memory and moves
        each batch; ``"auto"`` picks ``"device"`` when the rows take less
        than half of the device's free memory. Sparse rows stay on the host.
    max_epochs : int, default=40
    batch_size : int, default=64
    lr : float, default=1e-3
        Learning rate of every optimizer that has none of its own.
    train_split : callable or None, default=None
        skorch's validation split; none by default, as a sampler trains on
        all its rows.
    verbose : int, default=0
    **kwargs
        Any other :class:`skorch.NeuralNet` parameter.

    Examples
    --------
    A net that trains a plain autoencoder, one reconstruction step a batch:

    >>> import numpy as np
    >>> import torch
    >>> from imblearn_baegan import Autoencoder, BaseGenerativeNet
    >>> class AutoencoderNet(BaseGenerativeNet):
    ...     _loss_keys = ("reconstruction_loss",)
    ...     def train_step(self, batch, **fit_params):
    ...         self._train_mode()
    ...         x, c = batch
    ...         self.optimizer_.zero_grad()
    ...         loss = self.criterion_(self.module_(x), x)
    ...         self._step(self.optimizer_, loss, self.module_.named_parameters(), batch)
    ...         self._record_losses({"reconstruction_loss": loss})
    ...         return {"loss": loss, "y_pred": x}
    >>> X = np.random.RandomState(0).rand(32, 4).astype(np.float32)
    >>> net = AutoencoderNet(Autoencoder, criterion=torch.nn.MSELoss,
    ...                      module__n_features=4, module__latent_dim=2,
    ...                      max_epochs=2, random_state=0).fit(X, np.zeros(32))
    >>> len(net.history), bool(np.isfinite(net.history[-1, "reconstruction_loss"]))
    (2, True)
    """

    #: Losses recorded for each batch, in the history under these keys.
    _loss_keys: tuple[str, ...] = ()
    #: Networks besides ``module``: ``<name>_`` is built from ``<name>``.
    _extra_modules: tuple[str, ...] = ()
    #: Optimizers that get GAN betas by default.
    _adversarial_optimizers: tuple[str, ...] = ()
    #: The settings most likely to blame when each loss diverges.
    _divergence_hints: dict = {}
    #: What to call instead of the prediction methods.
    _prediction_hint = "the sampler's generation methods"

    def __init__(
        self,
        module,
        *args,
        criterion,
        optimizer=torch.optim.Adam,
        scaling: MinMaxScaling | None = None,
        random_state: int | None = None,
        data_placement: str = "auto",
        max_epochs: int = 40,
        batch_size: int = 64,
        lr: float = 1e-3,
        train_split=None,
        verbose: int = 0,
        **kwargs,
    ):
        self.scaling = scaling
        self.random_state = random_state
        self.data_placement = data_placement
        super().__init__(
            module,
            criterion,
            *args,
            optimizer=optimizer,
            max_epochs=max_epochs,
            batch_size=batch_size,
            lr=lr,
            train_split=train_split,
            verbose=verbose,
            **kwargs,
        )

    # -- initialisation: the extension points skorch documents -------------

    @property
    def _default_callbacks(self):
        callbacks = list(super()._default_callbacks)
        callbacks += [
            (key, PassthroughScoring(name=key, on_train=True)) for key in self._loss_keys
        ]
        if self.verbose:
            callbacks.append(("progress_bar", ProgressBar()))
        return callbacks

    def initialize(self):
        """Check the settings skorch cannot check, seed the fit's generator, build everything."""
        self._check_settings()
        seed = self.random_state
        if seed is None:
            seed = int(torch.randint(np.iinfo(np.int32).max, (1,)).item())
        self.generator_ = torch.Generator().manual_seed(int(seed))
        return super().initialize()

    def _check_settings(self) -> None:
        name = type(self).__name__
        if self.data_placement not in ("auto", "device", "host"):
            raise ValueError(
                "data_placement must be 'auto', 'device' or 'host', got "
                f"{self.data_placement!r}."
            )
        for prefix in ("iterator_train", "iterator_valid"):
            if getattr(self, prefix) is not DataLoader:
                raise ValueError(
                    f"{name} slices its batches from tensors and takes no "
                    f"{prefix}; leave it at its default."
                )
            unknown = sorted(set(self.get_params_for(prefix)) - set(_ITERATOR_PARAMS))
            if unknown:
                raise ValueError(
                    f"{name} slices its batches from tensors, without a "
                    f"DataLoader, so {prefix}__{unknown[0]} has no effect. Only "
                    f"{prefix}__batch_size and {prefix}__shuffle are supported."
                )

    def initialize_module(self):
        """Build ``module`` and the extra networks from the fit's seed."""
        seed = int(torch.randint(np.iinfo(np.int32).max, (1,), generator=self.generator_))
        with _INIT_LOCK, torch.random.fork_rng(devices=[]):
            torch.random.default_generator.manual_seed(seed)
            super().initialize_module()
            for name in self._extra_modules:
                instance = self.initialized_instance(getattr(self, name), self.get_params_for(name))
                setattr(self, name + "_", instance)
        return self

    def _optimized_parameters(self) -> dict:
        """Optimizer name -> the named parameters it updates."""
        return {"optimizer": self.module_.named_parameters()}

    def initialize_optimizer(self, triggered_directly=None):
        """Build every optimizer of :meth:`_optimized_parameters`."""
        for name, named_parameters in self._optimized_parameters().items():
            args, kwargs = self.get_params_for_optimizer(name, named_parameters)
            optimizer = getattr(self, name)
            if (
                name in self._adversarial_optimizers
                and "betas" in inspect.signature(optimizer).parameters
            ):
                kwargs.setdefault("betas", _ADVERSARIAL_BETAS)
            setattr(self, name + "_", optimizer(*args, **kwargs))
        return self

    def set_params(self, **kwargs):
        """Set parameters as skorch does; ``lr`` also reaches the optimizers that share it."""
        super().set_params(**kwargs)
        if "lr" in kwargs and self.initialized_:
            for name in self._optimized_parameters():
                if name != "optimizer" and "lr" not in self.get_params_for(name):
                    for group in getattr(self, name + "_").param_groups:
                        group["lr"] = kwargs["lr"]
        return self

    # -- data: rows in their own dtype, scaled batch by batch --------------

    def get_dataset(self, X, y=None):
        """Rows and class indices, on the device when they fit there; sparse rows on the host."""
        if isinstance(X, _RowData):
            return X
        if y is None:
            raise ValueError(
                f"{type(self).__name__}.fit needs the class index of every row: call fit(X, c)."
            )
        X = _host_tensor(X)
        c = to_tensor(y, device="cpu").long()
        if sparse.issparse(X):
            # Each batch is densified on the host before it moves.
            return _RowData(X, c, self.scaling, self.device)
        storage = self._storage_device(X.element_size() * X.numel())
        return _RowData(X.to(storage), c.to(storage), self.scaling, self.device)

    def _storage_device(self, n_bytes: int) -> torch.device:
        device = torch.device(self.device)
        if device.type == "cpu" or self.data_placement == "host":
            return torch.device("cpu")
        if self.data_placement == "device" or device.type != "cuda":
            return device
        free, _ = torch.cuda.mem_get_info(device)
        return device if n_bytes < free / 2 else torch.device("cpu")

    def get_iterator(self, dataset, training=False):
        """Batches sliced from the rows; training batches are shuffled."""
        if isinstance(dataset, Subset):
            # What skorch's ValidSplit hands back.
            dataset = dataset.dataset.subset(dataset.indices)
        kwargs = self.get_params_for("iterator_train" if training else "iterator_valid")
        batch_size = kwargs.get("batch_size", self.batch_size)
        if batch_size == -1:
            batch_size = len(dataset)
        shuffle = kwargs.get("shuffle", training)
        return _Batches(dataset, batch_size, shuffle, self.generator_)

    # -- training ---------------------------------------------------------------

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        """Train as skorch does, on this fit's share of the process's threads.

        Fits that run in threads of one process (joblib's threading backend,
        a Dask worker with several threads) split torch's threads between
        them instead of each using all of them.
        """
        with thread_share():
            return super().fit_loop(X, y, epochs=epochs, **fit_params)

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        """Open a history row and take this fit's share of the threads again."""
        super().on_epoch_begin(net, dataset_train, dataset_valid, **kwargs)
        # Fits may have started or ended in other threads since the last epoch.
        take_share()

    def _train_mode(self) -> None:
        # Module.train() walks every submodule; only inference and
        # validation leave training mode, so switch back only after them.
        if not self.module_.training:
            self._set_training(True)

    def _step(self, optimizer, loss, named_parameters, batch) -> None:
        """Back-propagate ``loss``, let callbacks see the gradients, step ``optimizer``."""
        loss.backward()
        self.notify(
            "on_grad_computed",
            named_parameters=TeeGenerator(named_parameters),
            batch=batch,
            training=True,
        )
        optimizer.step()

    def _record_losses(self, losses: dict) -> None:
        """Record each batch loss in the history; stop on the first non-finite one."""
        for key, value in losses.items():
            value = value.item()
            if not math.isfinite(value):
                hint = self._divergence_hints.get(key, "the learning rates")
                raise _Diverged(
                    f"The {key.replace('_', ' ')} became {value} in epoch "
                    f"{len(self.history)}: training diverged. Lower {hint}, or "
                    "check X for extreme values.",
                    loss=key,
                    epoch=len(self.history),
                )
            self.history.record_batch(key, value)

    # -- inference -----------------------------------------------------------

    @torch.no_grad()
    def _map_rows(self, fn, X, chunk_size: int) -> np.ndarray:
        """``fn`` of the scaled rows of ``X``, a chunk at a time, in evaluation mode.

        Chunks of ``chunk_size`` rows (fewer for wide rows: at most about
        four million values) go to the device and ``fn``'s output comes
        back, so neither ``X`` nor a float copy of it is held there; a
        sparse chunk is densified on its own.
        """
        self.check_is_fitted()
        self._set_training(False)
        data = _RowData(_host_tensor(X), None, self.scaling, self.device)
        n_rows = _chunk_rows(chunk_size, data.X.shape[1])
        return np.concatenate([fn(data.rows(part)).cpu().numpy() for part in data.chunks(n_rows)])

    @torch.no_grad()
    def _map_codes(self, fn, *tensors: torch.Tensor, chunk_size: int) -> np.ndarray:
        """``fn`` of matching chunks of ``tensors`` (codes, classes), in evaluation mode.

        Each chunk goes to the device and ``fn``'s rows come back; a chunk
        holds ``chunk_size`` rows, fewer for wide rows (at most about four
        million values, from the module's ``n_features``; a custom module
        that does not name it is mapped ``chunk_size`` rows at a time).
        """
        self._set_training(False)
        n_rows = _chunk_rows(chunk_size, self.get_params_for("module").get("n_features", 1))
        chunks = zip(*(_chunks(t, n_rows) for t in tensors))
        return np.concatenate(
            [fn(*(part.to(self.device) for part in parts)).cpu().numpy() for parts in chunks]
        )

    # -- no prediction: the net generates ------------------------------------

    def _no_prediction(self, name: str):
        raise NotImplementedError(
            f"{type(self).__name__}.{name} is not available: the net trains a "
            f"generative model and predicts nothing. Use {self._prediction_hint}."
        )

    def infer(self, x, **fit_params):
        """Not available: raises ``NotImplementedError``."""
        self._no_prediction("infer")

    def forward_iter(self, X, training=False, device="cpu"):
        """Not available: raises ``NotImplementedError``."""
        self._no_prediction("forward_iter")

    def forward(self, X, training=False, device="cpu"):
        """Not available: raises ``NotImplementedError``."""
        self._no_prediction("forward")

    def predict_proba(self, X):
        """Not available: raises ``NotImplementedError``."""
        self._no_prediction("predict_proba")

    def predict(self, X):
        """Not available: raises ``NotImplementedError``."""
        self._no_prediction("predict")



class _PretrainThenAdversarialNet(BaseGenerativeNet):
    """A net that pre-trains an autoencoder, then trains adversarially.

    Epochs up to ``pretrain_epochs`` are phase (a), the later ones phase
    (b); each epoch records its ``phase`` in the history, and the losses of
    one phase are ``None`` in the other's epochs, so that the epoch log has
    every column from the first epoch on. A callback (such as
    ``EarlyStopping``) or an interrupt that ends training in phase (a)
    gets a warning: no adversarial epoch ran.

    A subclass sets ``pretrain_epochs``, ``_pretrain_only_losses`` and
    ``_adversarial_only_losses`` (``None`` in the other phase's epochs),
    ``_adversarial_only_valid_losses`` (the same for validation keys, when
    there is a validation split) and ``_without_adversarial_phase`` (what
    the networks are when phase (b) never ran, for the warning).
    """

    _pretrain_only_losses: tuple[str, ...] = ()
    _adversarial_only_losses: tuple[str, ...] = ()
    _adversarial_only_valid_losses: tuple[str, ...] = ()
    _without_adversarial_phase = "the networks are the pre-trained autoencoder"

    def _check_settings(self) -> None:
        super()._check_settings()
        if not 0 <= self.pretrain_epochs <= self.max_epochs:
            raise ValueError(
                f"pretrain_epochs={self.pretrain_epochs} must lie between 0 and "
                f"max_epochs={self.max_epochs}."
            )

    def _phase(self) -> str:
        return "pretrain" if len(self.history) <= self.pretrain_epochs else "adversarial"

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        """Train as skorch does; warn when training stopped before phase (b)."""
        try:
            return super().fit_loop(X, y, epochs=epochs, **fit_params)
        except KeyboardInterrupt:
            # How skorch's EarlyStopping (or Ctrl-C) ends training.
            self._warn_if_stopped_in_pretraining()
            raise

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        """Open a history row and note which phase the epoch belongs to."""
        super().on_epoch_begin(net, dataset_train, dataset_valid, **kwargs)
        phase = self._phase()
        self.history.record("phase", phase)
        if phase == "pretrain":
            absent = self._adversarial_only_losses
            if dataset_valid is not None:
                absent += self._adversarial_only_valid_losses
        else:
            absent = self._pretrain_only_losses
        for key in absent:
            self.history.record(key, None)

    def _warn_if_stopped_in_pretraining(self) -> None:
        n_epochs = len(self.history)
        if n_epochs <= self.pretrain_epochs < self.max_epochs:
            warnings.warn(
                f"Training stopped after {n_epochs} of {self.pretrain_epochs} "
                "pre-training epochs (by a callback such as EarlyStopping, or an "
                "interrupt): "
                f"none of the {self.max_epochs - self.pretrain_epochs} adversarial "
                f"epochs ran, so {self._without_adversarial_phase}. Monitor a "
                "quantity that keeps improving, raise the callback's patience, or "
                "lower pretrain_epochs.",
                UserWarning,
            )


def _chunks(t: torch.Tensor, size: int) -> list[torch.Tensor]:
    """``t`` split into chunks of ``size`` rows; an empty ``t`` gives one empty chunk."""
    return list(t.split(size)) if len(t) else [t]
