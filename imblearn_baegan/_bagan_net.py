"""The skorch net that trains BAGAN-GP: an autoencoder first, then a WGAN-GP."""

from __future__ import annotations

import inspect
from numbers import Integral

import numpy as np
import torch
from torch.utils.data import Subset

from ._base_net import _Diverged, _PretrainThenAdversarialNet
from ._batches import Batches, chunk_rows, chunks
from ._latent import ClassNormals
from ._losses import RowReconstructionLoss, relax_categories, wgan_gradient_penalty
from ._networks import BAGANCritic, BAGANGenerator, ConditionalAutoencoder

__all__ = ["BAGANNet"]

_LOSS_KEYS = ("reconstruction_loss", "critic_loss", "generator_loss")
# The authors' code: Adam at 2e-4 with betas (0.5, 0.9) for both networks
# of the GAN (WGAN-GP's paper uses 1e-4 and (0, 0.9)). The critic learns
# faster here: see BAGANSampler's Notes.
#: Training defaults of BAGAN-GP, the net's and the sampler's.
DEFAULTS = {
    "pretrain_epochs": 10,
    "adversarial_epochs": 3,
    "n_critic": 5,
    "gp_weight": 10.0,
    "lr": 1e-3,
    "generator_lr": 2e-4,
    "critic_lr": 1e-3,
}
_GAN_LRS = {"optimizer": DEFAULTS["generator_lr"], "optimizer_critic": DEFAULTS["critic_lr"]}
_GAN_BETAS = (0.5, 0.9)
# Submodules of a ConditionalAutoencoder that make its decoding path, the
# generator's initial weights: class embedding, joining layer, decoder.
_DECODING_PATH = ("class_embedding", "join", "decoder")
# Rows encoded at a time when the class normals are fitted.
_CODE_CHUNK = 1024


class BAGANNet(_PretrainThenAdversarialNet):
    """skorch net for BAGAN-GP: a conditional autoencoder, then a class-conditional WGAN-GP.

    Each epoch up to ``pretrain_epochs`` is phase (a): one reconstruction
    step (``criterion``, the mean squared error with cross-entropy for
    categorical blocks) per mini-batch for the supervised,
    class-conditional autoencoder (``autoencoder``: the encoder sees the
    row, the decoder the code and the class). When phase (b) starts (at the
    beginning of the first later epoch):

    * the generator (``module``) gets the autoencoder's decoding path (class
      embedding, joining layer, decoder, with the decoder's batch-norm
      statistics), and the critic's ``encoder`` the autoencoder's encoder;
      the critic's class embedding and head keep their initial weights;
    * each class's codes of the training rows (encoded in evaluation mode)
      get a multivariate normal (``prior``, :class:`ClassNormals`).

    Each epoch of phase (b) then takes every mini-batch of real rows ``x``
    of classes ``c`` through ``n_critic`` critic steps and one generator
    step. A critic step draws fresh codes from the normals of ``c``,
    generates rows of the same classes, and minimises ``mean D(fake, c) -
    mean D(x, c) + gp_weight * GP``, GP being WGAN-GP's penalty (gradient
    norm pulled towards 1 at random interpolates between the real and
    generated rows). The generator step draws fresh codes again and
    minimises ``-mean D(G(z, c), c)``. The autoencoder is not trained in
    phase (b). If training ends before phase (b) (``pretrain_epochs ==
    max_epochs``, or a callback stops it), the generator and the normals
    are set from the autoencoder all the same, so :meth:`sample` decodes
    draws of the normals with the pre-trained decoder.

    ``fit(X, c)`` takes the rows and the class index (``0 .. n_classes-1``)
    of each row. The per-batch losses are in the history as
    ``reconstruction_loss`` (phase a), ``critic_loss`` (phase b, the mean
    over the batch's critic steps, penalty included) and ``generator_loss``
    (phase b), ``None`` in the epochs of the other phase; ``phase`` says
    which phase each epoch belongs to. skorch's ``train_loss`` is the
    reconstruction loss in phase (a) and the generator's loss in phase (b).
    With a ``train_split``, ``valid_loss`` is the reconstruction loss of
    the held-out rows in phase (a), and in phase (b) the critic's loss
    without the penalty on the held-out rows against fresh generated rows
    of their classes (minus the critic's estimate of the Wasserstein
    distance: near 0 when it cannot tell them apart).

    Every random number of training (initial weights, shuffling, code
    draws, interpolation weights) comes from the fit's generator
    ``generator_``, seeded by ``random_state``.

    Parameters
    ----------
    module : type or torch.nn.Module, default=BAGANGenerator
        The generator; its parameters named like the autoencoder's decoding
        path (``class_embedding``, ``join``, ``decoder``) are copied from it.
    autoencoder : type or torch.nn.Module, default=ConditionalAutoencoder
        Trained in phase (a); it must offer ``encode``, an ``encoder``
        attribute and the decoding path above.
    critic : type or torch.nn.Module, default=BAGANCritic
        Maps rows and class indices to scores; its ``encoder`` is copied
        from the autoencoder's.
    prior : type or torch.nn.Module, default=ClassNormals
        Offers ``fit(z, c)`` and ``sample(c, generator)``, and a ``fitted``
        flag.
    criterion : type or torch.nn.Module, default=RowReconstructionLoss
        Reconstruction loss of phase (a): the mean squared error, with
        cross-entropy for the blocks of categorical columns.
    optimizer, optimizer_autoencoder, optimizer_critic : type, default=torch.optim.Adam
        Optimizers of the generator, the autoencoder and the critic. The
        generator learns at ``2e-4`` and the critic at ``1e-3`` unless
        ``optimizer__lr`` or ``optimizer_critic__lr`` says otherwise, and
        an Adam one of theirs gets ``betas=(0.5, 0.9)`` unless its
        ``__betas`` says otherwise; the autoencoder learns at ``lr``.
    pretrain_epochs : int, default=10
        Epochs of phase (a); ``max_epochs - pretrain_epochs`` epochs of
        phase (b) follow.
    n_critic : int, default=5
        Critic steps per generator step, all on the same mini-batch of real
        rows.
    gp_weight : float, default=10.0
        Weight of the gradient penalty in the critic's loss.
    max_epochs : int, default=13
        Epochs of both phases together.
    lr : float, default=1e-3
        Learning rate of the autoencoder, and of any optimizer that has
        none of its own.
    **kwargs
        Any other :class:`BaseGenerativeNet` or :class:`skorch.NeuralNet`
        parameter (``scaling``, ``random_state``, ``data_placement``,
        ``batch_size``, ``train_split``, ``callbacks``, ...), including
        prefixed ones such as ``autoencoder__latent_dim``. The shapes are
        given once, as ``module__*``: the autoencoder and the critic take
        the generator's sizes, the class normals its ``latent_dim`` and
        ``n_classes``, and the criterion its ``category_sizes``, unless
        given their own.

    Attributes
    ----------
    module_, autoencoder_, critic_, prior_ : torch.nn.Module
        The generator, the autoencoder, the critic and the class normals.
    optimizer_, optimizer_autoencoder_, optimizer_critic_ : torch.optim.Optimizer
    generator_ : torch.Generator
        The fit's random number generator, on the CPU (the GAN's generator
        is ``module_``).
    history_ : skorch.history.History
        Losses per batch and per epoch, and the phase of each epoch.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from imblearn_baegan import BAGANNet
    >>> X = np.random.RandomState(0).rand(40, 5).astype(np.float32)
    >>> c = np.repeat([0, 1], 20)
    >>> net = BAGANNet(module__n_features=5, module__n_classes=2, module__latent_dim=2,
    ...                module__hidden_dims=(8,), n_critic=2, pretrain_epochs=1,
    ...                max_epochs=2, batch_size=16, random_state=0)
    >>> net = net.fit(X, c)
    >>> [epoch["phase"] for epoch in net.history]
    ['pretrain', 'adversarial']
    >>> net.sample(np.array([1, 1, 0]), torch.Generator().manual_seed(0)).shape
    (3, 5)
    """

    _loss_keys = _LOSS_KEYS
    _pretrain_only_losses = _LOSS_KEYS[:1]
    _adversarial_only_losses = _LOSS_KEYS[1:]
    _without_adversarial_phase = "the generator is the pre-trained decoder"
    _extra_modules = ("autoencoder", "critic", "prior")
    # The GAN's betas are set in get_params_for_optimizer instead.
    _adversarial_optimizers = ()
    _shapes = (
        "n_features",
        "n_classes",
        "latent_dim",
        "hidden_dims",
        "image_shape",
        "conv_width",
        "category_sizes",
    )
    _shared_shapes = {
        "autoencoder": _shapes,
        "critic": _shapes,
        "prior": ("latent_dim", "n_classes"),
        "criterion": ("category_sizes",),
    }
    _divergence_hints = {
        "reconstruction_loss": ("lr",),
        "critic_loss": ("optimizer_critic__lr", "optimizer__lr", "gp_weight"),
        "generator_loss": ("optimizer__lr", "optimizer_critic__lr"),
    }
    _prediction_hint = "sample(c, generator) for new rows"

    def __init__(
        self,
        module=BAGANGenerator,
        *args,
        autoencoder=ConditionalAutoencoder,
        critic=BAGANCritic,
        prior=ClassNormals,
        criterion=RowReconstructionLoss,
        optimizer=torch.optim.Adam,
        optimizer_autoencoder=torch.optim.Adam,
        optimizer_critic=torch.optim.Adam,
        pretrain_epochs: int = DEFAULTS["pretrain_epochs"],
        n_critic: int = DEFAULTS["n_critic"],
        gp_weight: float = DEFAULTS["gp_weight"],
        max_epochs: int = DEFAULTS["pretrain_epochs"] + DEFAULTS["adversarial_epochs"],
        lr: float = DEFAULTS["lr"],
        **kwargs,
    ):
        self.autoencoder = autoencoder
        self.critic = critic
        self.prior = prior
        self.optimizer_autoencoder = optimizer_autoencoder
        self.optimizer_critic = optimizer_critic
        self.pretrain_epochs = pretrain_epochs
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        for name, rate in _GAN_LRS.items():
            kwargs.setdefault(f"{name}__lr", rate)
        super().__init__(
            module,
            *args,
            criterion=criterion,
            optimizer=optimizer,
            max_epochs=max_epochs,
            lr=lr,
            **kwargs,
        )

    def __getstate__(self):
        state = super().__getstate__()
        # The training rows are kept only while training, never pickled.
        state.pop("_dataset_train", None)
        return state

    # -- initialisation ------------------------------------------------------

    def _check_settings(self) -> None:
        super()._check_settings()
        n_critic = self.n_critic
        if isinstance(n_critic, bool) or not isinstance(n_critic, Integral) or n_critic < 1:
            raise ValueError(f"n_critic must be a positive integer, got {self.n_critic!r}.")
        if not self.gp_weight >= 0:
            raise ValueError(f"gp_weight must be non-negative, got {self.gp_weight!r}.")

    def _optimized_parameters(self) -> dict:
        """The generator, the autoencoder and the critic, each with its optimizer."""
        return {
            "optimizer": self.module_.named_parameters(),
            "optimizer_autoencoder": self.autoencoder_.named_parameters(),
            "optimizer_critic": self.critic_.named_parameters(),
        }

    def get_params_for_optimizer(self, prefix, named_parameters):
        """skorch's optimizer arguments; the GAN's Adam optimizers get ``betas=(0.5, 0.9)``."""
        args, kwargs = super().get_params_for_optimizer(prefix, named_parameters)
        optimizer = getattr(self, prefix)
        if prefix in _GAN_LRS and "betas" in inspect.signature(optimizer).parameters:
            kwargs.setdefault("betas", _GAN_BETAS)
        return args, kwargs

    # -- the two phases ------------------------------------------------------

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        """Train as skorch does; set up the GAN from the autoencoder if phase (b) never began."""
        try:
            try:
                super().fit_loop(X, y, epochs=epochs, **fit_params)
            except KeyboardInterrupt:
                # How skorch's EarlyStopping (or Ctrl-C) ends training;
                # the base warned if it was in phase (a).
                self._start_adversarial_phase_once()
                raise
            self._start_adversarial_phase_once()
        finally:
            # Kept only while training, never pickled with the net.
            self._dataset_train = None
        return self

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        """Open a history row, note the phase, and start phase (b) at its first epoch."""
        super().on_epoch_begin(net, dataset_train, dataset_valid, **kwargs)
        self._dataset_train = dataset_train
        if self._phase() == "adversarial":
            self._start_adversarial_phase_once()

    def _start_adversarial_phase_once(self) -> None:
        """Copy the autoencoder into the generator and the critic, fit the normals; once."""
        dataset = getattr(self, "_dataset_train", None)
        if bool(self.prior_.fitted) or dataset is None:
            return
        autoencoder = self.autoencoder_
        state = {
            key: value
            for key, value in autoencoder.state_dict().items()
            if key.split(".", 1)[0] in _DECODING_PATH
        }
        self.module_.load_state_dict(state)
        self.critic_.encoder.load_state_dict(autoencoder.encoder.state_dict())
        z, c = self._codes(dataset)
        epoch = len(self.history)
        if not torch.isfinite(z).all():
            raise _Diverged(
                f"The codes of the training rows became non-finite in epoch {epoch}: "
                f"pre-training diverged. Lower {self._hint('reconstruction_loss')}, "
                "or check X for extreme values.",
                loss="reconstruction_loss",
                epoch=epoch,
            )
        self.prior_.fit(z, c)
        if not all(torch.isfinite(t).all() for t in (self.prior_.mean, self.prior_.scale_tril)):
            raise _Diverged(
                f"The class normals became non-finite in epoch {epoch}: the codes are "
                f"too large. Lower {self._hint('reconstruction_loss')}, or "
                "check X for extreme values.",
                loss="reconstruction_loss",
                epoch=epoch,
            )

    @torch.no_grad()
    def _codes(self, dataset) -> tuple[torch.Tensor, torch.Tensor]:
        """The autoencoder's codes of the training rows and their classes, in evaluation mode.

        With ``rows_per_epoch`` below the number of rows, the codes of one
        epoch's class-aware draw: every row of the small classes, and as
        many of each large class as an epoch shows, which estimate its mean
        and covariance as well as all of them would, in bounded memory.
        """
        if isinstance(dataset, Subset):
            dataset = dataset.dataset.subset(dataset.indices)
        if self.rows_per_epoch is not None and len(dataset) > self.rows_per_epoch:
            draw = Batches(dataset, 1, True, self.generator_, self.rows_per_epoch)
            dataset = dataset.subset(draw._order().cpu().numpy())
        self._set_training(False)
        n_rows = chunk_rows(_CODE_CHUNK, dataset.X.shape[1])
        codes, classes = [], []
        for x, c in Batches(dataset, n_rows, shuffle=False, generator=None):
            codes.append(self.autoencoder_.encode(x).cpu())
            classes.append(c.cpu())
        return torch.cat(codes), torch.cat(classes)

    def _probe(self, x, c) -> None:
        self.autoencoder_(x, c)
        self.critic_(x, c)
        latent = torch.zeros(len(x), self.module_.latent_dim, device=x.device)
        self.module_(latent, c)

    # -- training steps ------------------------------------------------------

    def train_step(self, batch, **fit_params):
        """Phase (a): a reconstruction step; (b): ``n_critic`` critic steps, a generator step."""
        self._train_mode()
        x, c = batch
        if self._phase() == "pretrain":
            self.optimizer_autoencoder_.zero_grad()
            x_hat = self.autoencoder_(x, c)
            loss = self.get_loss(x_hat, x, X=x, training=True)
            self._step(
                self.optimizer_autoencoder_, loss, self.autoencoder_.named_parameters(), batch
            )
            self._record_losses({"reconstruction_loss": loss})
            return {"loss": loss, "y_pred": x_hat.detach()}
        critic_loss = torch.stack([self._critic_step(x, c, batch) for _ in range(self.n_critic)])
        g_loss, fake = self._generator_step(c, batch)
        self._record_losses({"critic_loss": critic_loss.mean(), "generator_loss": g_loss})
        return {"loss": g_loss, "y_pred": fake}

    def _generate(self, c: torch.Tensor) -> torch.Tensor:
        """Rows of classes ``c`` as the critic sees them: categorical blocks relaxed."""
        fake = self.module_(self.prior_.sample(c, self.generator_), c)
        sizes = self.get_params_for("module").get("category_sizes", ())
        return relax_categories(fake, sizes, self.generator_)

    def _critic_step(self, x, c, batch) -> torch.Tensor:
        with torch.no_grad():
            fake = self._generate(c)
        self.optimizer_critic_.zero_grad()
        scores = self.critic_(torch.cat([x, fake]), torch.cat([c, c]))
        loss = scores[len(x) :].mean() - scores[: len(x)].mean()
        if self.gp_weight:
            penalty = wgan_gradient_penalty(self.critic_, x, fake, c, self.generator_)
            loss = loss + self.gp_weight * penalty
        self._step(self.optimizer_critic_, loss, self.critic_.named_parameters(), batch)
        return loss.detach()

    def _generator_step(self, c, batch) -> tuple[torch.Tensor, torch.Tensor]:
        self.optimizer_.zero_grad()
        fake = self._generate(c)
        loss = -self.critic_(fake, c).mean()
        self._step(self.optimizer_, loss, self.module_.named_parameters(), batch)
        return loss, fake.detach()

    def validation_step(self, batch, **fit_params):
        """Held-out reconstruction loss in phase (a); the critic's loss, unpenalised, in (b)."""
        self._set_training(False)
        x, c = batch
        with torch.no_grad():
            if self._phase() == "pretrain":
                y_pred = self.autoencoder_(x, c)
                loss = self.get_loss(y_pred, x, X=x, training=False)
            else:
                y_pred = self._generate(c)
                loss = self.critic_(y_pred, c).mean() - self.critic_(x, c).mean()
        return {"loss": loss, "y_pred": y_pred}

    # -- generation ------------------------------------------------------------

    @torch.no_grad()
    def sample(
        self, c, generator: torch.Generator | None = None, chunk_size: int = 1024
    ) -> np.ndarray:
        """Rows in ``[0, 1]`` decoded from draws of the class normals, one per index in ``c``.

        Chunks of ``chunk_size`` rows (fewer for wide rows: at most about
        four million values) are drawn, generated on the device and brought
        back.

        Parameters
        ----------
        c : array-like of shape (n_samples,)
            Class indices, ``0 .. n_classes - 1``.
        generator : torch.Generator or None, default=None
            Source of the codes' draws; ``None`` uses torch's global generator.
        chunk_size : int, default=1024

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            float32 rows in the networks' scaled units, on the host.
        """
        self.check_is_fitted()
        if not bool(self.prior_.fitted):
            raise ValueError(
                f"{type(self).__name__} has not fitted its class normals yet: call fit first."
            )
        self._set_training(False)
        c = torch.as_tensor(np.asarray(c), dtype=torch.long)
        n_rows = chunk_rows(chunk_size, self.get_params_for("module").get("n_features", 1))
        parts = [
            self.module_(self.prior_.sample(part, generator).to(self.device), part.to(self.device))
            .cpu()
            .numpy()
            for part in chunks(c, n_rows)
        ]
        return np.concatenate(parts)
