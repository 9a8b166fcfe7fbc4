"""The skorch net that trains the conditional GAN's generator and discriminator."""

from __future__ import annotations

import numpy as np
import torch

from ._base_net import BaseGenerativeNet
from ._losses import relax_categories
from ._networks import ConditionalDiscriminator, ConditionalGenerator
from ._random import draw

__all__ = ["CGANNet"]

#: Training defaults of the conditional GAN, the net's and the sampler's.
DEFAULTS = {"epochs": 20, "lr": 3e-4, "discriminator_lr": 3e-4}


class CGANNet(BaseGenerativeNet):
    """Train a conditional GAN: ``G(z, y)`` against ``D(x, y)``.

    Each mini-batch of real rows ``x`` of classes ``c`` gives one
    discriminator step (real rows against ``G(z, c)``) and one generator
    step (the non-saturating loss ``-log D(G(z, c), c)``), both under
    ``criterion`` (binary cross-entropy on logits).

    ``fit(X, c)`` takes the rows and the class index of each row. skorch's
    ``train_loss`` is the generator's loss; with a ``train_split``,
    ``valid_loss`` is the discriminator's loss on held-out real rows
    against fresh generated rows of the same classes (near ``2 log 2``
    when it cannot tell them apart). The per-batch losses are in the
    history as ``discriminator_loss`` and ``generator_loss``.

    Parameters
    ----------
    module : type or torch.nn.Module, default=ConditionalGenerator
        The generator; configure it with ``module__*`` parameters.
    discriminator : type or torch.nn.Module, default=ConditionalDiscriminator
        Configure it with ``discriminator__*`` parameters.
    criterion : type or torch.nn.Module, default=torch.nn.BCEWithLogitsLoss
    optimizer, optimizer_discriminator : type, default=torch.optim.Adam
        Optimizers of the generator and of the discriminator; an Adam one
        gets ``betas=(0.5, 0.999)`` unless its ``__betas`` says otherwise.
    max_epochs : int, default=20
    lr : float, default=3e-4
        Learning rate of both optimizers unless
        ``optimizer_discriminator__lr`` is given.
    **kwargs
        Any other :class:`BaseGenerativeNet` or :class:`skorch.NeuralNet`
        parameter (``scaling``, ``random_state``, ``data_placement``,
        ``batch_size``, ``callbacks``, ...).

    Attributes
    ----------
    module_, discriminator_ : torch.nn.Module
        The generator and the discriminator.
    optimizer_, optimizer_discriminator_ : torch.optim.Optimizer
    generator_ : torch.Generator
        The fit's random number generator, on the CPU.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from imblearn_baegan import CGANNet
    >>> X = np.random.RandomState(0).rand(40, 5).astype(np.float32)
    >>> c = np.repeat([0, 1], 20)
    >>> net = CGANNet(module__n_features=5, module__n_classes=2,
    ...               max_epochs=2, batch_size=16, random_state=0).fit(X, c)
    >>> net.sample(np.array([1, 1, 0]), torch.Generator().manual_seed(0)).shape
    (3, 5)
    """

    _loss_keys = ("discriminator_loss", "generator_loss")
    _extra_modules = ("discriminator",)
    _adversarial_optimizers = ("optimizer", "optimizer_discriminator")
    _shared_shapes = {
        "discriminator": ("n_features", "n_classes", "hidden_dims", "image_shape", "conv_width"),
    }
    _divergence_hints = {
        "discriminator_loss": ("optimizer_discriminator__lr", "lr"),
        "generator_loss": ("lr", "optimizer_discriminator__lr"),
    }
    _prediction_hint = "sample(c, generator) for new rows"

    def __init__(
        self,
        module=ConditionalGenerator,
        *args,
        discriminator=ConditionalDiscriminator,
        criterion=torch.nn.BCEWithLogitsLoss,
        optimizer=torch.optim.Adam,
        optimizer_discriminator=torch.optim.Adam,
        max_epochs: int = DEFAULTS["epochs"],
        lr: float = DEFAULTS["lr"],
        **kwargs,
    ):
        self.discriminator = discriminator
        self.optimizer_discriminator = optimizer_discriminator
        super().__init__(
            module,
            *args,
            criterion=criterion,
            optimizer=optimizer,
            max_epochs=max_epochs,
            lr=lr,
            **kwargs,
        )

    def _optimized_parameters(self) -> dict:
        return {
            "optimizer": self.module_.named_parameters(),
            "optimizer_discriminator": self.discriminator_.named_parameters(),
        }

    def _probe(self, x, c) -> None:
        self.discriminator_(x, c)
        self.module_(torch.zeros(len(x), self.module_.noise_dim, device=x.device), c)

    def _noise(self, n: int, generator: torch.Generator) -> torch.Tensor:
        return draw(torch.randn, (n, self.module_.noise_dim), generator, self.device)

    def _fake(self, c: torch.Tensor) -> torch.Tensor:
        """Rows of classes ``c`` as the discriminator sees them: categorical blocks relaxed."""
        fake = self.module_(self._noise(len(c), self.generator_), c)
        sizes = self.get_params_for("module").get("category_sizes", ())
        return relax_categories(fake, sizes, self.generator_)

    def train_step(self, batch, **fit_params):
        """One discriminator step, then one generator step."""
        self._train_mode()
        x, c = batch
        fake = self._fake(c)
        real_target, fake_target = torch.ones_like(x[:, 0]), torch.zeros_like(x[:, 0])

        self.optimizer_discriminator_.zero_grad()
        d_loss = self.criterion_(self.discriminator_(x, c), real_target) + self.criterion_(
            self.discriminator_(fake.detach(), c), fake_target
        )
        self._step(
            self.optimizer_discriminator_, d_loss, self.discriminator_.named_parameters(), batch
        )

        self.optimizer_.zero_grad()
        g_loss = self.criterion_(self.discriminator_(fake, c), real_target)
        self._step(self.optimizer_, g_loss, self.module_.named_parameters(), batch)
        self._record_losses({"discriminator_loss": d_loss, "generator_loss": g_loss})
        return {"loss": g_loss, "y_pred": fake}

    def validation_step(self, batch, **fit_params):
        """The discriminator's loss on held-out real rows against fresh generated ones."""
        self._set_training(False)
        x, c = batch
        with torch.no_grad():
            fake = self._fake(c)
            loss = self.criterion_(
                self.discriminator_(x, c), torch.ones_like(x[:, 0])
            ) + self.criterion_(self.discriminator_(fake, c), torch.zeros_like(x[:, 0]))
        return {"loss": loss, "y_pred": fake}

    @torch.no_grad()
    def sample(self, c, generator: torch.Generator | None = None) -> np.ndarray:
        """Rows in ``[0, 1]`` drawn from ``G(z, c)``, one per class index in ``c``.

        Parameters
        ----------
        c : array-like of shape (n_samples,)
            Class indices, ``0 .. n_classes - 1``.
        generator : torch.Generator or None, default=None
            Source of the noise; ``None`` uses torch's global generator.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            float32 rows in the networks' scaled units, on the host.
        """
        self.check_is_fitted()
        self._set_training(False)
        c = torch.as_tensor(np.asarray(c), dtype=torch.long)
        z = self._noise(len(c), generator)
        return self.module_(z, c.to(self.device)).cpu().numpy()
