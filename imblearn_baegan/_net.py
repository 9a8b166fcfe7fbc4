"""The skorch net that trains BAEGAN's networks (phases a and b)."""

from __future__ import annotations

import inspect
import math
import threading
import warnings
from collections.abc import Iterator

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import PassthroughScoring, ProgressBar
from skorch.utils import TeeGenerator, to_tensor
from torch.utils.data import DataLoader, Subset

from ._latent import LatentPrior
from ._losses import FocalLoss, class_logit, gradient_penalty
from ._networks import ConditionalAutoencoder, LatentDiscriminator
from ._scaling import MinMaxScaling
from ._threads import take_share, thread_share

__all__ = ["BAEGANNet"]

_LOSS_KEYS = ("reconstruction_loss", "discriminator_loss", "generator_loss")
# The net's settings most likely to blame when each loss diverges.
_DIVERGENCE_HINTS = {
    "reconstruction_loss": "lr",
    "discriminator_loss": "optimizer_discriminator__lr or gp_weight",
    "generator_loss": "lr or optimizer_discriminator__lr",
}
# Batches are sliced from tensors, not drawn by a DataLoader, so only the
# iterator settings that slicing has a meaning for are accepted.
_ITERATOR_PARAMS = ("batch_size", "shuffle")
# GAN practice (DCGAN, WGAN-GP): a low first moment keeps the alternating
# updates from carrying stale momentum into each other.
_ADVERSARIAL_BETAS = (0.5, 0.999)
_ADVERSARIAL_OPTIMIZERS = ("optimizer_discriminator", "optimizer_generator")
# Dtypes torch indexes and converts everywhere; others become float64.
_COMPACT_DTYPES = {np.dtype(t) for t in (np.uint8, np.int8, np.int16, np.int32, np.int64, np.bool_, np.float32, np.float64)}
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
    """

    def __init__(self, X: torch.Tensor, c: torch.Tensor, scaling, device):
        self.X = X
        self.c = c
        self.scaling = scaling
        self.device = device
        # Copied to the device once, not once per batch.
        self._bounds = None if scaling is None else scaling.tensor_bounds(device)

    def __len__(self) -> int:
        return len(self.X)

    def rows(self, x: torch.Tensor) -> torch.Tensor:
        """Rows on the training device, scaled to float32."""
        x = x.to(self.device, non_blocking=True)
        if self.scaling is None:
            return x.to(torch.float32)
        return self.scaling.transform_tensor(x, self._bounds)

    def batch(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.rows(self.X[idx]), self.c[idx].to(self.device)

    def subset(self, indices) -> _RowData:
        idx = torch.as_tensor(np.asarray(indices), dtype=torch.long, device=self.X.device)
        return _RowData(self.X[idx], self.c[idx], self.scaling, self.device)


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
        n, storage = len(self.data), self.data.X.device
        if self.shuffle:
            order = torch.randperm(n, generator=self.generator).to(storage)
        else:
            order = torch.arange(n, device=storage)
        for start in range(0, n, self.batch_size):
            yield self.data.batch(order[start : start + self.batch_size])


def _host_tensor(X) -> torch.Tensor:
    """``X`` as a CPU tensor, without a copy where its dtype and layout allow."""
    if isinstance(X, torch.Tensor):
        return X
    X = np.asarray(X)
    if X.dtype not in _COMPACT_DTYPES:
        X = X.astype(np.float64)
    return torch.as_tensor(np.ascontiguousarray(X))


class BAEGANNet(NeuralNet):
    """skorch net for BAEGAN's conditional autoencoder and latent GAN.

    The module is the :class:`ConditionalAutoencoder`; the latent
    discriminator, the prior and the adversarial criterion are registered as
    further components, so that ``discriminator__hidden_dims``,
    ``prior__latent_dim``, ``adversarial_criterion__gamma`` or
    ``optimizer_discriminator__lr`` work with ``set_params`` like any skorch
    parameter.

    Each epoch up to ``pretrain_epochs`` is phase (a): one reconstruction
    step per batch. Later epochs are phase (b): the reconstruction step, a
    discriminator step (adversarial criterion plus ``gp_weight`` times the
    gradient penalty) and a generator step. The generator is the encoder
    itself, updated by its own optimizer, so the adversarial phase shapes
    the very codes that latent SMOTE interpolates. The reconstruction,
    discriminator and generator losses are recorded per batch and per epoch
    in ``history``; in pre-training epochs the last two are ``None``.

    ``fit(X, c)`` takes the rows and the class index (``0 .. n_classes-1``)
    of each row. With ``scaling=None`` the rows must already lie in
    ``[0, 1]``; with a fitted :class:`MinMaxScaling` they stay in the
    caller's units and dtype and each mini-batch is scaled on the device.

    What the net does with skorch's features:

    * callbacks get every event, ``on_grad_computed`` once per optimizer
      step with that optimizer's parameters, so ``GradientNormClipping``
      clips the autoencoder, the discriminator and the generator;
    * ``train_split`` (e.g. ``skorch.dataset.ValidSplit(0.2,
      stratified=True)``) records ``valid_loss``, the reconstruction loss of
      the held-out rows, in every epoch, and ``valid_generator_loss`` in
      adversarial epochs; ``EarlyStopping`` can monitor either;
    * ``iterator_train__batch_size``, ``iterator_valid__batch_size`` and
      ``iterator_train__shuffle`` are honoured; other iterator settings are
      refused, because batches are sliced from tensors, not drawn by a
      ``DataLoader``;
    * ``set_params(lr=...)`` reaches every optimizer that has no learning
      rate of its own (``optimizer_discriminator__lr`` or
      ``optimizer_generator__lr``);
    * ``predict``, ``predict_proba``, ``forward`` and ``infer`` raise
      ``NotImplementedError``: the net generates, it does not predict. Use
      :meth:`encode`, :meth:`decode` or ``module_(x, c)``.

    The defaults are those :class:`~imblearn_baegan.BAEGANSampler` trains
    with, except two that depend on the data the sampler sees: the focal
    loss weights no class more than another (the sampler passes inverse
    class frequencies as ``adversarial_criterion__alpha``), and the network
    sizes (``module__n_features``, ``module__n_classes``, ...) must be given.

    Parameters
    ----------
    module : type or torch.nn.Module, default=ConditionalAutoencoder
        The conditional autoencoder; it must offer ``encode``, ``decode`` and
        an ``encoder`` attribute.
    discriminator : type or torch.nn.Module, default=LatentDiscriminator
        Maps latent codes to one logit per class.
    prior : type or torch.nn.Module, default=LatentPrior
        Offers ``sample(c, generator)``, codes drawn from ``p(z | c)``.
    criterion : type or torch.nn.Module, default=torch.nn.MSELoss
        Reconstruction loss (the paper's Eq. 2).
    adversarial_criterion : type or torch.nn.Module, default=FocalLoss
        Classification loss of the discriminator and generator (Eqs. 4-5).
    optimizer, optimizer_discriminator, optimizer_generator : type, default=torch.optim.Adam
        Optimizers of the autoencoder, the discriminator and the generator
        (the encoder's weights). ``lr`` is their default learning rate; an
        Adam discriminator or generator gets ``betas=(0.5, 0.999)`` unless
        ``optimizer_discriminator__betas`` or ``optimizer_generator__betas``
        says otherwise.
    pretrain_epochs : int, default=20
        Epochs of phase (a) before the adversarial updates start;
        ``max_epochs - pretrain_epochs`` epochs of phase (b) follow.
    gp_weight : float, default=10.0
        Weight of the gradient penalty in the discriminator loss.
    scaling : MinMaxScaling or None, default=None
        Applied to every batch of rows before the networks see it.
    random_state : int or None, default=None
        Seed of the generator that initialises the networks, shuffles the
        batches and draws the prior samples and penalty weights. The fit
        owns that generator, so fits in several threads of one process give
        the same networks as fits one after the other. ``None`` draws the
        seed from torch's global generator.
    data_placement : {"auto", "device", "host"}, default="auto"
        Where the training rows live. ``"device"`` copies them to the
        training device once; ``"host"`` keeps them in host memory and moves
        each batch; ``"auto"`` picks ``"device"`` when the rows take less
        than half of the device's free memory. On the CPU both are the same.
    max_epochs : int, default=40
        Epochs of both phases together.
    batch_size : int, default=64
        Mini-batch size of both phases.
    lr : float, default=1e-3
        Learning rate of every optimizer that has none of its own.
    **kwargs
        Any other :class:`skorch.NeuralNet` parameter, including prefixed
        ones such as ``module__latent_dim``.

    Attributes
    ----------
    module_, discriminator_, prior_ : torch.nn.Module
        The initialised networks and prior.
    optimizer_, optimizer_discriminator_, optimizer_generator_ : torch.optim.Optimizer
        The initialised optimizers.
    generator_ : torch.Generator
        The fit's random number generator, on the CPU.
    history_ : skorch.history.History
        Losses per batch and per epoch, and the phase of each epoch.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_baegan import BAEGANNet
    >>> X = np.random.RandomState(0).rand(40, 5).astype(np.float32)
    >>> c = np.repeat([0, 1], 20)
    >>> net = BAEGANNet(module__n_features=5, module__n_classes=2,
    ...                 module__latent_dim=2, module__hidden_dims=(8,),
    ...                 discriminator__latent_dim=2, discriminator__n_classes=2,
    ...                 prior__latent_dim=2, random_state=0,
    ...                 pretrain_epochs=1, max_epochs=2, batch_size=16)
    >>> net = net.fit(X, c)
    >>> [epoch["phase"] for epoch in net.history]
    ['pretrain', 'adversarial']
    >>> net.encode(X[:3]).shape
    (3, 2)
    """

    def __init__(
        self,
        module=ConditionalAutoencoder,
        *args,
        discriminator=LatentDiscriminator,
        prior=LatentPrior,
        criterion=torch.nn.MSELoss,
        adversarial_criterion=FocalLoss,
        optimizer=torch.optim.Adam,
        optimizer_discriminator=torch.optim.Adam,
        optimizer_generator=torch.optim.Adam,
        pretrain_epochs: int = 20,
        gp_weight: float = 10.0,
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
        self.discriminator = discriminator
        self.prior = prior
        self.adversarial_criterion = adversarial_criterion
        self.optimizer_discriminator = optimizer_discriminator
        self.optimizer_generator = optimizer_generator
        self.pretrain_epochs = pretrain_epochs
        self.gp_weight = gp_weight
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
            (key, PassthroughScoring(name=key, on_train=True)) for key in _LOSS_KEYS
        ]
        callbacks.append(
            ("valid_generator_loss", PassthroughScoring(name="valid_generator_loss"))
        )
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
        if self.data_placement not in ("auto", "device", "host"):
            raise ValueError(
                "data_placement must be 'auto', 'device' or 'host', got "
                f"{self.data_placement!r}."
            )
        if not 0 <= self.pretrain_epochs <= self.max_epochs:
            raise ValueError(
                f"pretrain_epochs={self.pretrain_epochs} must lie between 0 and "
                f"max_epochs={self.max_epochs}."
            )
        for prefix in ("iterator_train", "iterator_valid"):
            if getattr(self, prefix) is not DataLoader:
                raise ValueError(
                    f"BAEGANNet slices its batches from tensors and takes no "
                    f"{prefix}; leave it at its default."
                )
            unknown = sorted(set(self.get_params_for(prefix)) - set(_ITERATOR_PARAMS))
            if unknown:
                raise ValueError(
                    f"BAEGANNet slices its batches from tensors, without a "
                    f"DataLoader, so {prefix}__{unknown[0]} has no effect. Only "
                    f"{prefix}__batch_size and {prefix}__shuffle are supported."
                )

    def initialize_module(self):
        """Build the autoencoder, the latent discriminator and the prior from the fit's seed."""
        seed = int(torch.randint(np.iinfo(np.int32).max, (1,), generator=self.generator_))
        with _INIT_LOCK, torch.random.fork_rng(devices=[]):
            torch.random.default_generator.manual_seed(seed)
            super().initialize_module()
            self.discriminator_ = self.initialized_instance(
                self.discriminator, self.get_params_for("discriminator")
            )
            self.prior_ = self.initialized_instance(self.prior, self.get_params_for("prior"))
        return self

    def initialize_criterion(self):
        """Build the reconstruction and the adversarial criteria."""
        super().initialize_criterion()
        self.adversarial_criterion_ = self.initialized_instance(
            self.adversarial_criterion, self.get_params_for("adversarial_criterion")
        )
        return self

    def initialize_optimizer(self, triggered_directly=None):
        """Build one optimizer for the autoencoder, the discriminator and the generator."""
        parts = {
            "optimizer": self.module_.named_parameters(),
            "optimizer_discriminator": self.discriminator_.named_parameters(),
            "optimizer_generator": self.module_.encoder.named_parameters(),
        }
        for name, named_parameters in parts.items():
            args, kwargs = self.get_params_for_optimizer(name, named_parameters)
            optimizer = getattr(self, name)
            if name in _ADVERSARIAL_OPTIMIZERS and "betas" in inspect.signature(optimizer).parameters:
                kwargs.setdefault("betas", _ADVERSARIAL_BETAS)
            setattr(self, name + "_", optimizer(*args, **kwargs))
        return self

    def set_params(self, **kwargs):
        """Set parameters as skorch does; ``lr`` also reaches the optimizers that share it."""
        super().set_params(**kwargs)
        if "lr" in kwargs and self.initialized_:
            for name in _ADVERSARIAL_OPTIMIZERS:
                if "lr" not in self.get_params_for(name):
                    for group in getattr(self, name + "_").param_groups:
                        group["lr"] = kwargs["lr"]
        return self

    # -- data: rows in their own dtype, scaled batch by batch --------------

    def get_dataset(self, X, y=None):
        """Rows and class indices, on the device when they fit there."""
        if isinstance(X, _RowData):
            return X
        if y is None:
            raise ValueError(
                "BAEGANNet.fit needs the class index of every row: call fit(X, c)."
            )
        X = _host_tensor(X)
        c = to_tensor(y, device="cpu").long()
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

    # -- training: the alternating updates of phases (a) and (b) -----------

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        """Train as skorch does, on this fit's share of the process's threads.

        Fits that run in threads of one process (joblib's threading backend,
        a Dask worker with several threads) split torch's threads between
        them instead of each using all of them.
        """
        with thread_share():
            try:
                return super().fit_loop(X, y, epochs=epochs, **fit_params)
            except KeyboardInterrupt:
                # How skorch's EarlyStopping (or Ctrl-C) ends training.
                self._warn_if_stopped_in_pretraining()
                raise

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        """Open a history row and note which phase the epoch belongs to."""
        super().on_epoch_begin(net, dataset_train, dataset_valid, **kwargs)
        # Fits may have started or ended in other threads since the last epoch.
        take_share()
        phase = self._phase()
        self.history.record("phase", phase)
        if phase == "pretrain":
            # None rather than absent, so that the epoch log has the
            # adversarial columns from the first epoch on.
            for key in _LOSS_KEYS[1:]:
                self.history.record(key, None)
            if dataset_valid is not None:
                self.history.record("valid_generator_loss", None)

    def _warn_if_stopped_in_pretraining(self) -> None:
        n_epochs = len(self.history)
        if n_epochs <= self.pretrain_epochs < self.max_epochs:
            warnings.warn(
                f"Training stopped after {n_epochs} of {self.pretrain_epochs} "
                "pre-training epochs (by a callback such as EarlyStopping, or an "
                "interrupt): "
                f"none of the {self.max_epochs - self.pretrain_epochs} adversarial "
                "epochs ran, so the networks are a plain autoencoder. Monitor a "
                "quantity that keeps improving, raise the callback's patience, or "
                "lower pretrain_epochs.",
                UserWarning,
            )

    def _phase(self) -> str:
        return "pretrain" if len(self.history) <= self.pretrain_epochs else "adversarial"

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

    def train_step(self, batch, **fit_params):
        """One reconstruction step, then in phase (b) a discriminator and a generator step."""
        # Module.train() walks every submodule; only encode/decode and
        # validation leave training mode, so switch back only after them.
        if not self.module_.training:
            self._set_training(True)
        x, c = batch
        self.optimizer_.zero_grad()
        x_hat = self.module_(x, c)
        loss = self.get_loss(x_hat, x, X=x, training=True)
        self._step(self.optimizer_, loss, self.module_.named_parameters(), batch)
        losses = {"reconstruction_loss": loss}
        if self._phase() == "adversarial":
            losses.update(self._adversarial_step(x, c, batch))
        for key, value in losses.items():
            value = value.item()
            if not math.isfinite(value):
                raise _Diverged(
                    f"The {key.replace('_', ' ')} became {value} in epoch "
                    f"{len(self.history)}: training diverged. Lower "
                    f"{_DIVERGENCE_HINTS[key]}, or check X for extreme values.",
                    loss=key,
                    epoch=len(self.history),
                )
            self.history.record_batch(key, value)
        return {"loss": loss, "y_pred": x_hat}

    def _adversarial_step(self, x, c, batch) -> dict[str, torch.Tensor]:
        z_fake = self.module_.encode(x)
        z_real = self.prior_.sample(c, self.generator_)
        real, fake = torch.ones_like(z_fake[:, 0]), torch.zeros_like(z_fake[:, 0])
        criterion = self.adversarial_criterion_

        self.optimizer_discriminator_.zero_grad()
        z_fake_d = z_fake.detach()
        d_loss = criterion(
            class_logit(self.discriminator_(z_real), c), real, c
        ) + criterion(class_logit(self.discriminator_(z_fake_d), c), fake, c)
        if self.gp_weight:
            d_loss = d_loss + self.gp_weight * gradient_penalty(
                self.discriminator_, z_real, z_fake_d, c, self.generator_
            )
        self._step(
            self.optimizer_discriminator_, d_loss, self.discriminator_.named_parameters(), batch
        )

        self.optimizer_generator_.zero_grad()
        g_loss = criterion(class_logit(self.discriminator_(z_fake), c), real, c)
        self._step(
            self.optimizer_generator_, g_loss, self.module_.encoder.named_parameters(), batch
        )
        return {"discriminator_loss": d_loss, "generator_loss": g_loss}

    def validation_step(self, batch, **fit_params):
        """Reconstruction loss of held-out rows; in phase (b) also the generator's loss."""
        self._set_training(False)
        x, c = batch
        with torch.no_grad():
            z = self.module_.encode(x)
            x_hat = self.module_.decode(z, c)
            loss = self.get_loss(x_hat, x, X=x, training=False)
            if self._phase() == "adversarial":
                real = torch.ones_like(z[:, 0])
                logit = class_logit(self.discriminator_(z), c)
                g_loss = self.adversarial_criterion_(logit, real, c)
                self.history.record_batch("valid_generator_loss", g_loss.item())
        return {"loss": loss, "y_pred": x_hat}

    # -- no prediction: the net generates ------------------------------------

    def _no_prediction(self, name: str):
        raise NotImplementedError(
            f"BAEGANNet.{name} is not available: the net trains a generative "
            "model and predicts nothing. Use encode(X) for latent codes, "
            "decode(z, c) for rows, or module_(x, c) for reconstructions."
        )

    def infer(self, x, **fit_params):
        """Not available: raises ``NotImplementedError`` (see :meth:`encode`, :meth:`decode`)."""
        self._no_prediction("infer")

    def forward_iter(self, X, training=False, device="cpu"):
        """Not available: raises ``NotImplementedError`` (see :meth:`encode`, :meth:`decode`)."""
        self._no_prediction("forward_iter")

    def forward(self, X, training=False, device="cpu"):
        """Not available: raises ``NotImplementedError`` (see :meth:`encode`, :meth:`decode`)."""
        self._no_prediction("forward")

    def predict_proba(self, X):
        """Not available: raises ``NotImplementedError`` (see :meth:`encode`, :meth:`decode`)."""
        self._no_prediction("predict_proba")

    def predict(self, X):
        """Not available: raises ``NotImplementedError`` (see :meth:`encode`, :meth:`decode`)."""
        self._no_prediction("predict")

    # -- inference helpers used by the sampler (phase c) ------------------

    @torch.no_grad()
    def encode(self, X, chunk_size: int = 1024) -> np.ndarray:
        """Latent codes of rows ``X``, in evaluation mode.

        ``X`` is in the units ``fit`` saw (scaled by ``scaling`` when it is
        set). Chunks of ``chunk_size`` rows go to the device and their codes
        come back, so neither ``X`` nor a float copy of it is held there.

        Returns
        -------
        Z : ndarray of shape (n_samples, latent_dim)
            float32 codes, on the host.
        """
        self.check_is_fitted()
        self._set_training(False)
        data = _RowData(_host_tensor(X), None, self.scaling, self.device)
        parts = [
            self.module_.encode(data.rows(part)).cpu().numpy()
            for part in _chunks(data.X, chunk_size)
        ]
        return np.concatenate(parts)

    @torch.no_grad()
    def decode(self, z, c, chunk_size: int = 1024) -> np.ndarray:
        """Rows in ``[0, 1]`` decoded from codes ``z`` and class indices ``c``.

        Chunks of ``chunk_size`` codes go to the device and their rows come
        back. The rows are in the networks' scaled units; a ``scaling``
        maps them back with ``inverse_transform``.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            float32 rows, on the host.

        Raises
        ------
        ValueError
            If ``z`` holds NaN or infinite values, or ``z`` and ``c`` differ
            in length.
        """
        self.check_is_fitted()
        z = torch.as_tensor(z, dtype=torch.float32)
        c = torch.as_tensor(c, dtype=torch.long)
        if z.ndim != 2 or len(z) != len(c):
            raise ValueError(
                "z must be 2-D with one class index in c per row, got z of "
                f"shape {tuple(z.shape)} and {len(c)} class indices."
            )
        if not torch.isfinite(z).all():
            raise ValueError("z holds NaN or infinite values; codes must be finite.")
        self._set_training(False)
        parts = [
            self.module_.decode(zp.to(self.device), cp.to(self.device)).cpu().numpy()
            for zp, cp in zip(_chunks(z, chunk_size), _chunks(c, chunk_size))
        ]
        return np.concatenate(parts)


def _chunks(t: torch.Tensor, size: int) -> list[torch.Tensor]:
    """``t`` split into chunks of ``size`` rows; an empty ``t`` gives one empty chunk."""
    return list(t.split(size)) if len(t) else [t]
