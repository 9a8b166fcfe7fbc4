"""The skorch net that trains BAEGAN's networks (phases a and b)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import torch
from skorch import NeuralNet
from skorch.callbacks import PassthroughScoring, ProgressBar
from skorch.utils import to_tensor

from ._latent import LatentPrior
from ._losses import FocalLoss, class_logit, gradient_penalty
from ._networks import ConditionalAutoencoder, LatentDiscriminator

__all__ = ["BAEGANNet"]

_LOSS_KEYS = ("reconstruction_loss", "discriminator_loss", "generator_loss")
# The sampler's settings most likely to blame when each loss diverges.
_DIVERGENCE_HINTS = {
    "reconstruction_loss": "the learning rate (lr)",
    "discriminator_loss": "discriminator_lr or gp_weight",
    "generator_loss": "the learning rate (lr) or discriminator_lr",
}


class _TensorDataset:
    """Rows and class indices held as two tensors, on the training device."""

    def __init__(self, X: torch.Tensor, c: torch.Tensor):
        self.X = X
        self.c = c

    def __len__(self) -> int:
        return len(self.X)


class _ShuffledBatches:
    """Iterates over shuffled mini-batches by slicing whole tensors.

    A DataLoader collates sample by sample and draws its permutation from
    the global random state; slicing tensors that already sit on the device
    is faster, and the permutation comes from the seeded state the sampler
    sets up around training.
    """

    def __init__(self, dataset: _TensorDataset, batch_size: int):
        self.dataset = dataset
        self.batch_size = batch_size

    def __len__(self) -> int:
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        X, c = self.dataset.X, self.dataset.c
        order = torch.randperm(len(X)).to(X.device)
        for start in range(0, len(X), self.batch_size):
            idx = order[start : start + self.batch_size]
            yield X[idx], c[idx]


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

    Parameters
    ----------
    module : type or torch.nn.Module, default=ConditionalAutoencoder
        The conditional autoencoder; it must offer ``encode``, ``decode`` and
        an ``encoder`` attribute.
    discriminator : type or torch.nn.Module, default=LatentDiscriminator
        Maps latent codes to one logit per class.
    prior : type or torch.nn.Module, default=LatentPrior
        Offers ``sample(c)``, codes drawn from ``p(z | c)``.
    criterion : type or torch.nn.Module, default=torch.nn.MSELoss
        Reconstruction loss (the paper's Eq. 2).
    adversarial_criterion : type or torch.nn.Module, default=FocalLoss
        Classification loss of the discriminator and generator (Eqs. 4-5).
    optimizer, optimizer_discriminator, optimizer_generator : type, default=torch.optim.Adam
        Optimizers of the autoencoder, the discriminator and the generator
        (the encoder's weights). ``lr`` is their default learning rate.
    pretrain_epochs : int, default=10
        Epochs of phase (a) before the adversarial updates start;
        ``max_epochs - pretrain_epochs`` epochs of phase (b) follow.
    gp_weight : float, default=10.0
        Weight of the gradient penalty in the discriminator loss.
    **kwargs
        Any other :class:`skorch.NeuralNet` parameter, including prefixed
        ones such as ``module__latent_dim``.

    Attributes
    ----------
    module_, discriminator_, prior_ : torch.nn.Module
        The initialised networks and prior.
    optimizer_, optimizer_discriminator_, optimizer_generator_ : torch.optim.Optimizer
        The initialised optimizers.
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
    ...                 prior__latent_dim=2,
    ...                 pretrain_epochs=1, max_epochs=2, batch_size=16)
    >>> net = net.fit(X, c)
    >>> [epoch["phase"] for epoch in net.history]
    ['pretrain', 'adversarial']
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
        pretrain_epochs: int = 10,
        gp_weight: float = 10.0,
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
        super().__init__(
            module,
            criterion,
            *args,
            optimizer=optimizer,
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
        if self.verbose:
            callbacks.append(("progress_bar", ProgressBar()))
        return callbacks

    def initialize_module(self):
        """Build the autoencoder, the latent discriminator and the prior."""
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
            setattr(self, name + "_", getattr(self, name)(*args, **kwargs))
        return self

    # -- data: whole tensors on the device, sliced into batches ------------

    def get_dataset(self, X, y=None):
        """Put the rows and class indices on ``self.device`` once."""
        if isinstance(X, _TensorDataset):
            return X
        X = to_tensor(X, device=self.device).float()
        c = to_tensor(y, device=self.device).long()
        return _TensorDataset(X, c)

    def get_iterator(self, dataset, training=False):
        """Shuffled batches sliced from the device tensors."""
        batch_size = self.batch_size if self.batch_size != -1 else len(dataset)
        return _ShuffledBatches(dataset, batch_size)

    # -- training: the alternating updates of phases (a) and (b) -----------

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        """Open a history row and note which phase the epoch belongs to."""
        super().on_epoch_begin(net, dataset_train, dataset_valid, **kwargs)
        phase = self._phase()
        self.history.record("phase", phase)
        if phase == "pretrain":
            # None rather than absent, so that the epoch log has the
            # adversarial columns from the first epoch on.
            for key in _LOSS_KEYS[1:]:
                self.history.record(key, None)

    def _phase(self) -> str:
        return "pretrain" if len(self.history) <= self.pretrain_epochs else "adversarial"

    def train_step(self, batch, **fit_params):
        """One reconstruction step, then in phase (b) a discriminator and a generator step."""
        # Module.train() walks every submodule; only encode/decode leave
        # training mode, so switch back only after them.
        if not self.module_.training:
            self._set_training(True)
        x, c = batch
        self.optimizer_.zero_grad()
        x_hat = self.module_(x, c)
        loss = self.get_loss(x_hat, x, X=x, training=True)
        loss.backward()
        self.optimizer_.step()
        losses = {"reconstruction_loss": loss}
        if self._phase() == "adversarial":
            losses.update(self._adversarial_step(x, c))
        for key, value in losses.items():
            value = value.item()
            if not math.isfinite(value):
                raise FloatingPointError(
                    f"The {key.replace('_', ' ')} became {value} in epoch "
                    f"{len(self.history)}: training diverged. Lower "
                    f"{_DIVERGENCE_HINTS[key]}, or check X for extreme values."
                )
            self.history.record_batch(key, value)
        return {"loss": loss, "y_pred": x_hat}

    def _adversarial_step(self, x, c) -> dict[str, torch.Tensor]:
        z_fake = self.module_.encode(x)
        z_real = self.prior_.sample(c)
        real, fake = torch.ones_like(z_fake[:, 0]), torch.zeros_like(z_fake[:, 0])
        criterion = self.adversarial_criterion_

        self.optimizer_discriminator_.zero_grad()
        z_fake_d = z_fake.detach()
        d_loss = criterion(
            class_logit(self.discriminator_(z_real), c), real, c
        ) + criterion(class_logit(self.discriminator_(z_fake_d), c), fake, c)
        if self.gp_weight:
            d_loss = d_loss + self.gp_weight * gradient_penalty(
                self.discriminator_, z_real, z_fake_d, c
            )
        d_loss.backward()
        self.optimizer_discriminator_.step()

        self.optimizer_generator_.zero_grad()
        g_loss = criterion(class_logit(self.discriminator_(z_fake), c), real, c)
        g_loss.backward()
        self.optimizer_generator_.step()
        return {"discriminator_loss": d_loss, "generator_loss": g_loss}

    # -- inference helpers used by the sampler (phase c) ------------------

    @torch.no_grad()
    def encode(self, X, chunk_size: int = 1024) -> torch.Tensor:
        """Latent codes of scaled rows ``X``, in evaluation mode, on ``self.device``."""
        self._set_training(False)
        X = to_tensor(X, device=self.device).float()
        return torch.cat([self.module_.encode(part) for part in X.split(chunk_size)])

    @torch.no_grad()
    def decode(self, z, c, chunk_size: int = 1024) -> torch.Tensor:
        """Scaled rows decoded from codes ``z`` and class indices ``c``."""
        self._set_training(False)
        z = to_tensor(z, device=self.device).float()
        c = to_tensor(c, device=self.device).long()
        parts = [
            self.module_.decode(zp, cp)
            for zp, cp in zip(z.split(chunk_size), c.split(chunk_size))
        ]
        return torch.cat(parts)
