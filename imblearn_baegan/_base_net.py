"""What the skorch nets of every deep sampler share: the base net and the two-phase net."""

from __future__ import annotations

import inspect
import math
import threading
import warnings

import numpy as np
import torch
from scipy import sparse
from skorch import NeuralNet
from skorch.callbacks import PassthroughScoring, ProgressBar
from skorch.utils import TeeGenerator, to_tensor
from torch.utils.data import DataLoader, Subset

from ._batches import Batches, RowData, chunk_rows, chunks, count_macs, host_tensor
from ._scaling import MinMaxScaling
from ._threads import take_share, thread_share

__all__ = ["BaseGenerativeNet"]

# Batches are sliced from tensors, not drawn by a DataLoader, so only the
# iterator settings that slicing has a meaning for are accepted.
_ITERATOR_PARAMS = ("batch_size", "shuffle")
# GAN practice (DCGAN, WGAN-GP): a low first moment keeps the alternating
# updates from carrying stale momentum into each other.
_ADVERSARIAL_BETAS = (0.5, 0.999)
#: Mini-batch size of every net and sampler unless told otherwise.
BATCH_SIZE = 64
# Below this many multiply-adds in one forward pass of a batch through the
# networks, a second thread saves no wall time and doubles the CPU time
# (perceptrons on tables, 8x8 images: a few million); Fashion-MNIST's
# convolutions (hundreds of millions) run twice as fast on two.
_ONE_THREAD_WORK = 2**25
# Module initialisation draws from torch's global generator: the lock keeps
# fits in threads of one process from seeding it under each other's feet.
_INIT_LOCK = threading.Lock()


class _Diverged(FloatingPointError):
    """A loss became NaN or infinite; ``loss`` names it, ``epoch`` says when."""

    def __init__(self, message: str, loss: str, epoch: int):
        super().__init__(message)
        self.loss = loss
        self.epoch = epoch


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
    ``<name>__*`` parameters), ``_shared_shapes`` (the shape parameters of
    ``module`` that other components take too, so that they are given
    once, as ``module__*``), ``_divergence_hints`` (the net's parameters to
    lower when a loss diverges), implements :meth:`_optimized_parameters`
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
        Maps every batch of rows to the networks' units: anything with an
        ``on_device(device)`` method that returns that function (the
        samplers pass the mapping of their rows, categorical columns
        included).
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
    rows_per_epoch : int or None, default=None
        Most rows a training epoch shows. ``None`` shows every row. With
        fewer than the rows, each epoch draws afresh every row of the
        classes small enough to fit and an equal share of each larger class,
        ordered so that every batch holds its share of each class.
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
    #: Component -> the shape parameters it takes from ``module``'s unless
    #: given its own (``discriminator__latent_dim`` wins over
    #: ``module__latent_dim``).
    _shared_shapes: dict[str, tuple[str, ...]] = {}
    #: Loss -> the net's parameters most likely to blame when it diverges.
    _divergence_hints: dict[str, tuple[str, ...]] = {}
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
        batch_size: int = BATCH_SIZE,
        rows_per_epoch: int | None = None,
        lr: float = 1e-3,
        train_split=None,
        verbose: int = 0,
        **kwargs,
    ):
        self.scaling = scaling
        self.random_state = random_state
        self.data_placement = data_placement
        self.rows_per_epoch = rows_per_epoch
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
        callbacks += [(key, PassthroughScoring(name=key, on_train=True)) for key in self._loss_keys]
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
                f"data_placement must be 'auto', 'device' or 'host', got {self.data_placement!r}."
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

    def get_params_for(self, prefix):
        """skorch's ``<prefix>__*`` parameters, with the shapes shared from ``module``'s."""
        params = super().get_params_for(prefix)
        shared = self._shared_shapes.get(prefix)
        target = getattr(self, prefix, None)
        if shared and isinstance(target, type):
            accepted = inspect.signature(target).parameters
            module_params = super().get_params_for("module")
            params = {
                **{k: module_params[k] for k in shared if k in module_params and k in accepted},
                **params,
            }
        return params

    def _hint(self, loss: str) -> str:
        """The parameters to lower when ``loss`` diverges, as a message names them."""
        return " or ".join(self._divergence_hints.get(loss, ("lr",)))

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
        if isinstance(X, RowData):
            return X
        if y is None:
            raise ValueError(
                f"{type(self).__name__}.fit needs the class index of every row: call fit(X, c)."
            )
        X = host_tensor(X)
        c = to_tensor(y, device="cpu").long()
        if sparse.issparse(X):
            # Each batch is densified on the host before it moves.
            return RowData(X, c, self.scaling, self.device)
        storage = self._storage_device(X.element_size() * X.numel())
        return RowData(X.to(storage), c.to(storage), self.scaling, self.device)

    def _storage_device(self, n_bytes: int) -> torch.device:
        device = torch.device(self.device)
        if device.type == "cpu" or self.data_placement == "host":
            return torch.device("cpu")
        if self.data_placement == "device" or device.type != "cuda":
            return device
        free, _ = torch.cuda.mem_get_info(device)
        return device if n_bytes < free / 2 else torch.device("cpu")

    def get_iterator(self, dataset, training=False):
        """Batches sliced from the rows; training ones shuffled, ``rows_per_epoch`` at most."""
        if isinstance(dataset, Subset):
            # What skorch's ValidSplit hands back.
            dataset = dataset.dataset.subset(dataset.indices)
        kwargs = self.get_params_for("iterator_train" if training else "iterator_valid")
        batch_size = kwargs.get("batch_size", self.batch_size)
        if batch_size == -1:
            batch_size = len(dataset)
        shuffle = kwargs.get("shuffle", training)
        rows = self.rows_per_epoch if training else None
        return Batches(dataset, batch_size, shuffle, self.generator_, rows)

    # -- training ---------------------------------------------------------------

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        """Train as skorch does, on as many of torch's threads as the networks can use.

        Small networks train on one thread: a second saves no wall time and
        doubles the CPU time, and on a busy machine threads waiting for a
        core slow every step down. The work of a step is counted, not timed
        (so a fit's threads, and its numbers, do not depend on the load):
        the multiply-adds of one forward pass of a batch through the
        networks (:meth:`_probe`). Larger networks take their share of
        torch's threads (:func:`torch.get_num_threads`, which sets the most
        a fit uses), split with the fits that run in other threads of one
        process (joblib's threading backend, a Dask worker with several
        threads).
        """
        with thread_share(self._threads_wanted(X, y)):
            return super().fit_loop(X, y, epochs=epochs, **fit_params)

    def _threads_wanted(self, X, y) -> int | None:
        """One thread when a batch's forward pass is small; ``None`` (a fair share) otherwise."""
        if y is None and not isinstance(X, (RowData, Subset)):
            return None
        if isinstance(X, (RowData, Subset)):
            data = X.dataset if isinstance(X, Subset) else X
        else:
            # One row is enough to count, and never the whole table on the device.
            data = self.get_dataset(X[:1], np.asarray(y)[:1])
        x, c = next(iter(Batches(data, 1, False, None)))
        modules = [self.module_, *(getattr(self, f"{name}_") for name in self._extra_modules)]
        self._set_training(False)
        try:
            macs = count_macs(lambda: self._probe(x, c), modules)
        except Exception:  # a custom network the probe cannot run: share the threads
            return None
        finally:
            self._set_training(True)
        return 1 if macs * self.batch_size < _ONE_THREAD_WORK else None

    def _probe(self, x: torch.Tensor, c: torch.Tensor) -> None:
        """One forward pass of a row through the networks a training step runs.

        What :meth:`fit_loop` counts to size the threads; subclasses whose
        step runs more than ``module_(x, c)`` say so here.
        """
        self.module_(x, c)

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
        """Record each batch loss in the history; stop on the first non-finite one.

        The losses come back from the device together, one synchronisation
        a batch instead of one a loss.
        """
        values = torch.stack([value.detach().float() for value in losses.values()]).tolist()
        for key, value in zip(losses, values):
            if not math.isfinite(value):
                raise _Diverged(
                    f"The {key.replace('_', ' ')} became {value} in epoch "
                    f"{len(self.history)}: training diverged. Lower {self._hint(key)}, "
                    "or check X for extreme values.",
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
        data = RowData(host_tensor(X), None, self.scaling, self.device)
        n_rows = chunk_rows(chunk_size, data.X.shape[1])
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
        n_rows = chunk_rows(chunk_size, self.get_params_for("module").get("n_features", 1))
        parts = zip(*(chunks(t, n_rows) for t in tensors))
        return np.concatenate(
            [fn(*(part.to(self.device) for part in chunk)).cpu().numpy() for chunk in parts]
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
