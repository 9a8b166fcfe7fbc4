"""The skorch net that trains BAEGAN's networks (phases a and b)."""

from __future__ import annotations

import numpy as np
import torch
from skorch.callbacks import PassthroughScoring

from ._base_net import BATCH_SIZE, _PretrainThenAdversarialNet
from ._latent import LatentPrior
from ._losses import FocalLoss, RowReconstructionLoss, class_logit, gradient_penalty
from ._networks import ConditionalAutoencoder, LatentDiscriminator
from ._scaling import MinMaxScaling

__all__ = ["BAEGANNet"]

_LOSS_KEYS = ("reconstruction_loss", "discriminator_loss", "generator_loss")

#: Training defaults of BAEGAN: the net's, and the sampler's (whose epochs
#: are these for images; see BAEGANSampler for tables).
DEFAULTS = {
    "pretrain_epochs": 20,
    "adversarial_epochs": 20,
    "lr": 1e-3,
    "discriminator_lr": 1e-3,
    "gp_weight": 10.0,
}


class BAEGANNet(_PretrainThenAdversarialNet):
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
    ``X`` may also be a scipy sparse matrix: it stays on the host in CSR
    form (whatever ``data_placement`` says), and each mini-batch is
    densified alone before it moves to the device.

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
    images with (on tables it trains 40 + 40 epochs), except two that
    depend on the data the sampler sees: the focal loss weights no class
    more than another (the sampler passes inverse class frequencies as
    ``adversarial_criterion__alpha``), and the network sizes
    (``module__n_features``, ``module__n_classes``, ...) must be given.
    They are given once: the discriminator and the prior take
    ``module__latent_dim`` and ``module__n_classes``, and the criterion
    ``module__category_sizes``, unless given their own.

    Parameters
    ----------
    module : type or torch.nn.Module, default=ConditionalAutoencoder
        The conditional autoencoder; it must offer ``encode``, ``decode`` and
        an ``encoder`` attribute.
    discriminator : type or torch.nn.Module, default=LatentDiscriminator
        Maps latent codes to one logit per class.
    prior : type or torch.nn.Module, default=LatentPrior
        Offers ``sample(c, generator)``, codes drawn from ``p(z | c)``.
    criterion : type or torch.nn.Module, default=RowReconstructionLoss
        Reconstruction loss (the paper's Eq. 2): the mean squared error,
        with cross-entropy for the blocks of categorical columns.
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
        Maps every batch of rows to the networks' units (anything with an
        ``on_device(device)`` method; the sampler passes the mapping of its
        rows, categorical columns included).
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
    ...                 random_state=0, pretrain_epochs=1, max_epochs=2,
    ...                 batch_size=16)
    >>> net = net.fit(X, c)
    >>> [epoch["phase"] for epoch in net.history]
    ['pretrain', 'adversarial']
    >>> net.encode(X[:3]).shape
    (3, 2)
    """

    _loss_keys = _LOSS_KEYS
    _adversarial_only_losses = _LOSS_KEYS[1:]
    _adversarial_only_valid_losses = ("valid_generator_loss",)
    _without_adversarial_phase = "the networks are a plain autoencoder"
    _extra_modules = ("discriminator", "prior")
    _adversarial_optimizers = ("optimizer_discriminator", "optimizer_generator")
    _shared_shapes = {
        "discriminator": ("latent_dim", "n_classes"),
        "prior": ("latent_dim",),
        "criterion": ("category_sizes",),
    }
    _divergence_hints = {
        "reconstruction_loss": ("lr",),
        "discriminator_loss": ("optimizer_discriminator__lr", "gp_weight"),
        "generator_loss": ("lr", "optimizer_discriminator__lr"),
    }
    _prediction_hint = (
        "encode(X) for latent codes, decode(z, c) for rows, or module_(x, c) for reconstructions"
    )

    def __init__(
        self,
        module=ConditionalAutoencoder,
        *args,
        discriminator=LatentDiscriminator,
        prior=LatentPrior,
        criterion=RowReconstructionLoss,
        adversarial_criterion=FocalLoss,
        optimizer=torch.optim.Adam,
        optimizer_discriminator=torch.optim.Adam,
        optimizer_generator=torch.optim.Adam,
        pretrain_epochs: int = DEFAULTS["pretrain_epochs"],
        gp_weight: float = DEFAULTS["gp_weight"],
        scaling: MinMaxScaling | None = None,
        random_state: int | None = None,
        data_placement: str = "auto",
        max_epochs: int = DEFAULTS["pretrain_epochs"] + DEFAULTS["adversarial_epochs"],
        batch_size: int = BATCH_SIZE,
        lr: float = DEFAULTS["lr"],
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
            *args,
            criterion=criterion,
            optimizer=optimizer,
            scaling=scaling,
            random_state=random_state,
            data_placement=data_placement,
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
        callbacks.append(("valid_generator_loss", PassthroughScoring(name="valid_generator_loss")))
        return callbacks

    def initialize_criterion(self):
        """Build the reconstruction and the adversarial criteria."""
        super().initialize_criterion()
        self.adversarial_criterion_ = self.initialized_instance(
            self.adversarial_criterion, self.get_params_for("adversarial_criterion")
        )
        return self

    def _optimized_parameters(self) -> dict:
        """The autoencoder, the discriminator, and the encoder as the generator."""
        return {
            "optimizer": self.module_.named_parameters(),
            "optimizer_discriminator": self.discriminator_.named_parameters(),
            "optimizer_generator": self.module_.encoder.named_parameters(),
        }

    def _probe(self, x, c) -> None:
        z = self.module_.encode(x)
        self.module_.decode(z, c)
        self.discriminator_(z)

    # -- training: the alternating updates of phases (a) and (b) -----------

    def train_step(self, batch, **fit_params):
        """One reconstruction step, then in phase (b) a discriminator and a generator step."""
        self._train_mode()
        x, c = batch
        self.optimizer_.zero_grad()
        x_hat = self.module_(x, c)
        loss = self.get_loss(x_hat, x, X=x, training=True)
        self._step(self.optimizer_, loss, self.module_.named_parameters(), batch)
        losses = {"reconstruction_loss": loss}
        if self._phase() == "adversarial":
            losses.update(self._adversarial_step(x, c, batch))
        self._record_losses(losses)
        return {"loss": loss, "y_pred": x_hat}

    def _adversarial_step(self, x, c, batch) -> dict[str, torch.Tensor]:
        z_fake = self.module_.encode(x)
        z_real = self.prior_.sample(c, self.generator_)
        real, fake = torch.ones_like(z_fake[:, 0]), torch.zeros_like(z_fake[:, 0])
        criterion = self.adversarial_criterion_

        self.optimizer_discriminator_.zero_grad()
        z_fake_d = z_fake.detach()
        d_loss = criterion(class_logit(self.discriminator_(z_real), c), real, c) + criterion(
            class_logit(self.discriminator_(z_fake_d), c), fake, c
        )
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

    # -- inference helpers used by the sampler (phase c) ------------------

    @torch.no_grad()
    def encode(self, X, chunk_size: int = 1024) -> np.ndarray:
        """Latent codes of rows ``X``, in evaluation mode.

        ``X`` is in the units ``fit`` saw (scaled by ``scaling`` when it is
        set), dense or a scipy sparse matrix. Chunks of ``chunk_size`` rows
        (fewer for wide rows: at most about four million values) go to the
        device and their codes come back, so neither ``X`` nor a float copy
        of it is held there; a sparse chunk is densified on its own.

        Returns
        -------
        Z : ndarray of shape (n_samples, latent_dim)
            float32 codes, on the host.
        """
        return self._map_rows(self.module_.encode, X, chunk_size)

    @torch.no_grad()
    def decode(self, z, c, chunk_size: int = 1024) -> np.ndarray:
        """Rows in ``[0, 1]`` decoded from codes ``z`` and class indices ``c``.

        Chunks of ``chunk_size`` codes (fewer for wide rows: at most about
        four million values) go to the device and their rows come back.
        The rows are in the networks' units; the sampler's
        :meth:`~imblearn_baegan.BAEGANSampler.decode` maps them back to rows.

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
        return self._map_codes(self.module_.decode, z, c, chunk_size=chunk_size)
