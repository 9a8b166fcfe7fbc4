"""The conditional GAN over-sampler."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring

from ._base import (
    POSITIVE_INT,
    POSITIVE_REAL,
    SHARED_PARAMETER_DOCS,
    BaseDeepOverSampler,
)
from ._base_net import BATCH_SIZE
from ._cgan_net import DEFAULTS, CGANNet
from ._validation import check_image_shape, check_widths

__all__ = ["CGANSampler"]


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
    **SHARED_PARAMETER_DOCS,
)
class CGANSampler(BaseDeepOverSampler):
    """Over-sample with a conditional GAN: new rows drawn from ``G(z, y)``.

    A generator ``G(z, y)`` and a discriminator ``D(x, y)``, both told the
    class through a learned embedding, are trained against each other with
    binary cross-entropy on all classes (:class:`~imblearn_baegan.CGANNet`).
    Each class to over-sample then gets the rows it lacks from ``G(z, y)``
    with fresh noise ``z``. Tables get perceptrons; images
    (``image_shape``) get BAEGAN's DCGAN-style convolutional nets.

    Read more in the user guide, "The family of deep samplers".

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    {categorical_features}

    {max_categories}

    noise_dim : int, default=128
        Size of the noise vector ``z``.

    hidden_dims : tuple of int, default=(128, 64)
        Hidden layer widths of the discriminator for tables, listed from the
        row side; the generator runs through them in reverse. Ignored when
        ``image_shape`` is set.

    conv_width : int, default=32
        Filters of the convolution stage nearest to the image in both
        networks; each stage further in doubles them. Ignored for tables.

    {image_shape}

    epochs : int, default=20
        Passes over the data, each with one discriminator and one generator
        step per mini-batch. The default, the lower end of the recipe's 20
        to 40 epochs, keeps a fit on images of 28x28 within the CPU time of
        :class:`~imblearn_baegan.BAEGANSampler`'s default fit (see
        :ref:`cgan-decisions`).

    batch_size : int, default=64
        Mini-batch size.

    {rows_per_epoch}

    lr : float, default=3e-4
        Adam learning rate of the generator.

    discriminator_lr : float, default=3e-4
        Adam learning rate of the discriminator.

    generated_fraction : float, default=1.0
        Share of each class's new rows drawn from the generator; the others
        are copies of the class's real rows, drawn at random as
        :class:`~imblearn.over_sampling.RandomOverSampler` does.

    {device}

    {callbacks}

    {verbose}

    {memory}

    Attributes
    ----------
    {shared_attributes}

    net_ : CGANNet
        The trained skorch net; ``net_.history`` holds the losses of every
        epoch and batch.

    See Also
    --------
    BAEGANSampler : An adversarial autoencoder with SMOTE in its latent space.
    DeepSMOTESampler : An autoencoder with DeepSMOTE's penalty, and SMOTE between its codes.
    BAGANSampler : BAGAN-GP: an autoencoder that starts a class-conditional WGAN-GP.
    compare_samplers : Compare a sampler with SMOTE and the others on your data.
    imblearn.over_sampling.SMOTE : SMOTE in the input space.
    imblearn.over_sampling.SMOTENC : SMOTE for tables with categorical columns.
    imblearn.over_sampling.RandomOverSampler : Over-sample by duplication.

    Notes
    -----
    The class reaches both networks as a learned embedding, the generator
    minimises the non-saturating loss, and the generated rows of each step take
    the classes of the real batch. The user guide's "The family of deep
    samplers" lists each point the recipe leaves open and the decision.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_baegan import CGANSampler
    >>> X, y = make_classification(n_samples=300, weights=[0.9],
    ...                            random_state=0)
    >>> sampler = CGANSampler(epochs=2, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 269), (1, 269)]
    """

    _net_class = CGANNet
    _to_net = {
        "noise_dim": "module__noise_dim",
        "hidden_dims": "module__hidden_dims",
        "image_shape": "module__image_shape",
        "conv_width": "module__conv_width",
        "epochs": "max_epochs",
        "lr": "lr",
        "discriminator_lr": "optimizer_discriminator__lr",
    }
    _draw_categories = True

    _parameter_constraints: dict = {
        **BaseDeepOverSampler._parameter_constraints,
        **BaseDeepOverSampler._architecture_constraints,
        "noise_dim": [POSITIVE_INT],
        "epochs": [POSITIVE_INT],
        "discriminator_lr": [POSITIVE_REAL],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        categorical_features="auto",
        max_categories: int = 64,
        noise_dim: int = 128,
        hidden_dims: Sequence[int] = (128, 64),
        conv_width: int = 32,
        image_shape: tuple[int, int, int] | None = None,
        epochs: int = DEFAULTS["epochs"],
        batch_size: int = BATCH_SIZE,
        rows_per_epoch: int | str | None = "auto",
        lr: float = DEFAULTS["lr"],
        discriminator_lr: float = DEFAULTS["discriminator_lr"],
        generated_fraction: float = 1.0,
        device: str | torch.device = "auto",
        callbacks: list | None = None,
        verbose: int = 0,
        memory=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.categorical_features = categorical_features
        self.max_categories = max_categories
        self.noise_dim = noise_dim
        self.hidden_dims = hidden_dims
        self.conv_width = conv_width
        self.image_shape = image_shape
        self.epochs = epochs
        self.batch_size = batch_size
        self.rows_per_epoch = rows_per_epoch
        self.lr = lr
        self.discriminator_lr = discriminator_lr
        self.generated_fraction = generated_fraction
        self.device = device
        self.callbacks = callbacks
        self.verbose = verbose
        self.memory = memory

    def _check_settings(self, n_features: int) -> None:
        check_widths("hidden_dims", self.hidden_dims)
        check_image_shape(self.image_shape, n_features)

    def _generate_scaled(
        self, X_class, index: int, n_new: int, random_state
    ) -> Iterator[tuple[np.ndarray, None]]:
        """``G(z, y)`` for fresh noise, in the networks' units."""
        return self._generate_from_net(X_class, index, n_new, random_state)
