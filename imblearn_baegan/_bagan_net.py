"""The skorch net that trains BAGAN-GP: an autoencoder first, then a WGAN-GP."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from numbers import Integral

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import Subset

from ._base_net import _Batches, _chunk_rows, _chunks, _Diverged, _PretrainThenAdversarialNet
from ._losses import wgan_gradient_penalty
from ._networks import _LEAK, ConditionalAutoencoder, _decoder, _encoder, _mlp
from ._random import draw

__all__ = ["BAGANCritic", "BAGANGenerator", "BAGANNet", "ClassNormals"]

_LOSS_KEYS = ("reconstruction_loss", "critic_loss", "generator_loss")
# The authors' code: Adam at 2e-4 with betas (0.5, 0.9) for both networks
# of the GAN (WGAN-GP's paper uses 1e-4 and (0, 0.9)). The critic learns
# faster here: see BAGANSampler's Notes.
_GAN_LRS = {"optimizer": 2e-4, "optimizer_critic": 1e-3}
_GAN_BETAS = (0.5, 0.9)
# Submodules of a ConditionalAutoencoder that make its decoding path, the
# generator's initial weights: class embedding, joining layer, decoder.
_DECODING_PATH = ("class_embedding", "join", "decoder")
# Rows encoded at a time when the class normals are fitted.
_CODE_CHUNK = 1024


class BAGANGenerator(nn.Module):
    """BAGAN-GP's generator: the decoding path of a :class:`ConditionalAutoencoder`.

    A code ``z`` is joined with a learned embedding of the class
    (concatenation, then a linear layer back to ``latent_dim``) and decoded
    to a row scaled to ``[0, 1]``. The submodules carry the names and shapes
    of the autoencoder's (``class_embedding``, ``join``, ``decoder``), so
    that :class:`BAGANNet` can copy the pre-trained autoencoder's weights
    into it.

    Parameters
    ----------
    n_features : int
        Number of output columns (pixels times channels for images).
    n_classes : int
        Number of classes the embedding knows.
    latent_dim : int, default=32
        Size of the code.
    hidden_dims : sequence of int, default=(128, 64)
        Widths of the autoencoder's encoder for tables; the generator runs
        through them in reverse. Ignored for images.
    image_shape : tuple of (int, int, int) or None, default=None
        ``(channels, height, width)``; when given, a convolutional decoder
        is built.
    conv_width : int, default=32
        Filters of the stage nearest to the image; each stage towards the
        code doubles them.

    Examples
    --------
    >>> import torch
    >>> g = BAGANGenerator(n_features=5, n_classes=2, latent_dim=3)
    >>> g(torch.randn(4, 3), torch.tensor([0, 1, 1, 0])).shape
    torch.Size([4, 5])
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        latent_dim: int = 32,
        hidden_dims: Sequence[int] = (128, 64),
        image_shape: Sequence[int] | None = None,
        conv_width: int = 32,
    ):
        super().__init__()
        self.latent_dim = latent_dim
        self.decoder = _decoder(latent_dim, n_features, hidden_dims, image_shape, conv_width)
        self.class_embedding = nn.Embedding(n_classes, latent_dim)
        self.join = nn.Linear(2 * latent_dim, latent_dim)

    def forward(self, z: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Scaled rows of classes ``c`` decoded from codes ``z``."""
        return self.decoder(self.join(torch.cat([z, self.class_embedding(c)], dim=1)))


class BAGANCritic(nn.Module):
    """BAGAN-GP's class-conditional critic: the autoencoder's encoder and a head of its own.

    The row goes through an encoder of the autoencoder's architecture (named
    ``encoder``, so that :class:`BAGANNet` can copy the pre-trained weights
    into it), a LeakyReLU, and is concatenated with a learned embedding of
    the class; a perceptron head maps the pair to one unbounded score (a
    Wasserstein critic, no sigmoid). No batch norm, so that the gradient
    penalty is per row.

    Parameters
    ----------
    n_features : int
        Number of input columns.
    n_classes : int
        Number of classes the embedding knows.
    latent_dim : int, default=32
        Width of the encoder's output (the autoencoder's code size).
    hidden_dims : sequence of int, default=(128, 64)
        Widths of the encoder's hidden layers for tables. Ignored for images.
    image_shape : tuple of (int, int, int) or None, default=None
        ``(channels, height, width)``; when given, a convolutional encoder
        is built.
    conv_width : int, default=32
        Filters of the first convolution stage; each later stage doubles them.
    embedding_dim : int, default=16
        Size of the class embedding.
    head_dims : sequence of int, default=(64,)
        Hidden widths of the head after the concatenation.

    Examples
    --------
    >>> import torch
    >>> critic = BAGANCritic(n_features=5, n_classes=2, latent_dim=3)
    >>> critic(torch.rand(4, 5), torch.tensor([0, 1, 1, 0])).shape
    torch.Size([4])
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        latent_dim: int = 32,
        hidden_dims: Sequence[int] = (128, 64),
        image_shape: Sequence[int] | None = None,
        conv_width: int = 32,
        embedding_dim: int = 16,
        head_dims: Sequence[int] = (64,),
    ):
        super().__init__()
        self.encoder = _encoder(n_features, latent_dim, hidden_dims, image_shape, conv_width)
        self.class_embedding = nn.Embedding(n_classes, embedding_dim)
        self.head = nn.Sequential(*_mlp([latent_dim + embedding_dim, *head_dims, 1]))

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Scores of rows ``x`` of classes ``c``: higher for rows that look real."""
        h = F.leaky_relu(self.encoder(x), _LEAK)
        return self.head(torch.cat([h, self.class_embedding(c)], dim=1)).squeeze(1)


class ClassNormals(nn.Module):
    """One multivariate normal per class over the autoencoder's codes.

    :meth:`fit` sets each class's mean to the mean of its codes and its
    covariance to their sample covariance (denominator ``n_c - 1``) plus a
    ridge: ``ridge`` times the mean variance (trace over ``latent_dim``),
    plus ``1e-8``, on the diagonal. The ridge keeps the Cholesky factor
    defined when a class has no more rows than the code has dimensions (its
    sample covariance is then singular) or when its codes coincide, and
    moves no variance by more than ``ridge`` times the mean variance.

    The covariance of a single code is undefined: a class with one row gets
    the pooled within-class covariance of the classes with two or more
    (each weighted by ``n_c - 1``), centred on its code; when no class has
    two rows, the covariance of all codes. A class without rows (held out
    by a validation split) gets the mean and covariance of all codes.

    The means, covariances and Cholesky factors are buffers, so they move
    with the module across devices and are saved in its ``state_dict``.

    Parameters
    ----------
    latent_dim : int
        Size of the code.
    n_classes : int
        Number of classes.
    ridge : float, default=1e-3
        Diagonal added to each covariance, relative to its mean variance.

    Examples
    --------
    >>> import torch
    >>> normals = ClassNormals(latent_dim=2, n_classes=2)
    >>> z = torch.randn(50, 2, generator=torch.Generator().manual_seed(0))
    >>> _ = normals.fit(z, torch.arange(50) % 2)
    >>> normals.sample(torch.tensor([0, 1, 1])).shape
    torch.Size([3, 2])
    """

    def __init__(self, latent_dim: int, n_classes: int, ridge: float = 1e-3):
        super().__init__()
        self.latent_dim = latent_dim
        self.n_classes = n_classes
        self.ridge = ridge
        eye = torch.eye(latent_dim).repeat(n_classes, 1, 1)
        self.register_buffer("mean", torch.zeros(n_classes, latent_dim))
        self.register_buffer("covariance", eye.clone())
        self.register_buffer("scale_tril", eye.clone())
        self.register_buffer("fitted", torch.tensor(False))

    @torch.no_grad()
    def fit(self, z: torch.Tensor, c: torch.Tensor) -> ClassNormals:
        """Fit each class's normal to its codes ``z`` (class indices ``c``), in float64."""
        z = z.detach().to("cpu", torch.float64)
        c = c.detach().to("cpu", torch.long)
        counts = torch.bincount(c, minlength=self.n_classes)
        means = torch.empty(self.n_classes, self.latent_dim, dtype=torch.float64)
        covs = torch.empty(self.n_classes, self.latent_dim, self.latent_dim, dtype=torch.float64)
        overall = _covariance(z)
        pooled, dof = torch.zeros_like(overall), 0
        for k in range(self.n_classes):
            z_k = z[c == k]
            means[k] = z_k.mean(dim=0) if len(z_k) else z.mean(dim=0)
            if len(z_k) >= 2:
                covs[k] = _covariance(z_k)
                pooled += (len(z_k) - 1) * covs[k]
                dof += len(z_k) - 1
        pooled = pooled / dof if dof else overall
        for k in range(self.n_classes):
            if counts[k] < 2:
                covs[k] = pooled if counts[k] == 1 else overall
        scale = self.ridge * torch.diagonal(covs, dim1=1, dim2=2).mean(dim=1) + 1e-8
        covs += scale[:, None, None] * torch.eye(self.latent_dim, dtype=torch.float64)
        tril = torch.linalg.cholesky(covs)
        for name, value in (("mean", means), ("covariance", covs), ("scale_tril", tril)):
            getattr(self, name).copy_(value.to(getattr(self, name).dtype))
        self.fitted.fill_(True)
        return self

    def sample(self, c: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
        """One code drawn from the normal of each class index in ``c``, on ``c``'s device.

        The standard normal draws come from ``generator`` (on its own device,
        then moved), or from torch's global generator when it is ``None``.
        """
        device = self.mean.device
        eps = draw(torch.randn, (len(c), self.latent_dim), generator, device)
        c_here = c.to(device)
        z = torch.empty_like(eps)
        for k in torch.unique(c_here).tolist():
            rows = c_here == k
            z[rows] = self.mean[k] + eps[rows] @ self.scale_tril[k].T
        return z.to(c.device)


def _covariance(z: torch.Tensor) -> torch.Tensor:
    """Sample covariance of the rows of ``z`` (denominator ``n - 1``)."""
    centred = z - z.mean(dim=0)
    return centred.T @ centred / max(len(z) - 1, 1)


class BAGANNet(_PretrainThenAdversarialNet):
    """skorch net for BAGAN-GP: a conditional autoencoder, then a class-conditional WGAN-GP.

    Each epoch up to ``pretrain_epochs`` is phase (a): one reconstruction
    step (``criterion``, MSE) per mini-batch for the supervised,
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
    criterion : type or torch.nn.Module, default=torch.nn.MSELoss
        Reconstruction loss of phase (a).
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
        prefixed ones such as ``autoencoder__latent_dim``.

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
    >>> shapes = dict(n_features=5, n_classes=2, latent_dim=2, hidden_dims=(8,))
    >>> net = BAGANNet(**{f"{name}__{k}": v for name in ("module", "autoencoder", "critic")
    ...                   for k, v in shapes.items()},
    ...                prior__latent_dim=2, prior__n_classes=2, n_critic=2,
    ...                pretrain_epochs=1, max_epochs=2, batch_size=16, random_state=0)
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
    _divergence_hints = {
        "reconstruction_loss": "lr",
        "critic_loss": "optimizer_critic__lr, optimizer__lr or gp_weight",
        "generator_loss": "optimizer__lr or optimizer_critic__lr",
    }
    _prediction_hint = "sample(c, generator) for new rows"

    def __init__(
        self,
        module=BAGANGenerator,
        *args,
        autoencoder=ConditionalAutoencoder,
        critic=BAGANCritic,
        prior=ClassNormals,
        criterion=torch.nn.MSELoss,
        optimizer=torch.optim.Adam,
        optimizer_autoencoder=torch.optim.Adam,
        optimizer_critic=torch.optim.Adam,
        pretrain_epochs: int = 10,
        n_critic: int = 5,
        gp_weight: float = 10.0,
        max_epochs: int = 13,
        lr: float = 1e-3,
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
                f"pre-training diverged. Lower {self._divergence_hints['reconstruction_loss']}, "
                "or check X for extreme values.",
                loss="reconstruction_loss",
                epoch=epoch,
            )
        self.prior_.fit(z, c)
        if not all(torch.isfinite(t).all() for t in (self.prior_.mean, self.prior_.scale_tril)):
            raise _Diverged(
                f"The class normals became non-finite in epoch {epoch}: the codes are "
                f"too large. Lower {self._divergence_hints['reconstruction_loss']}, or "
                "check X for extreme values.",
                loss="reconstruction_loss",
                epoch=epoch,
            )

    @torch.no_grad()
    def _codes(self, dataset) -> tuple[torch.Tensor, torch.Tensor]:
        """The autoencoder's codes of the training rows and their classes, in evaluation mode."""
        if isinstance(dataset, Subset):
            dataset = dataset.dataset.subset(dataset.indices)
        self._set_training(False)
        n_rows = _chunk_rows(_CODE_CHUNK, dataset.X.shape[1])
        codes, classes = [], []
        for x, c in _Batches(dataset, n_rows, shuffle=False, generator=None):
            codes.append(self.autoencoder_.encode(x).cpu())
            classes.append(c.cpu())
        return torch.cat(codes), torch.cat(classes)

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
        return self.module_(self.prior_.sample(c, self.generator_), c)

    def _critic_step(self, x, c, batch) -> torch.Tensor:
        with torch.no_grad():
            fake = self._generate(c)
        self.optimizer_critic_.zero_grad()
        scores = self.critic_(torch.cat([x, fake]), torch.cat([c, c]))
        loss = scores[len(x):].mean() - scores[: len(x)].mean()
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
        n_rows = _chunk_rows(chunk_size, self.get_params_for("module").get("n_features", 1))
        parts = [
            self.module_(self.prior_.sample(part, generator).to(self.device), part.to(self.device))
            .cpu()
            .numpy()
            for part in _chunks(c, n_rows)
        ]
        return np.concatenate(parts)
