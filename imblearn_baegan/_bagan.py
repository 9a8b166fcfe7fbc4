"""The BAGAN-GP over-sampler."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils._param_validation import StrOptions

from ._bagan_net import DEFAULTS, BAGANNet
from ._base import (
    NON_NEGATIVE_INT,
    NON_NEGATIVE_REAL,
    POSITIVE_INT,
    POSITIVE_REAL,
    SHARED_PARAMETER_DOCS,
    BaseDeepOverSampler,
)
from ._base_net import BATCH_SIZE
from ._validation import check_image_shape, check_widths, label_repr, resolve_latent_dim

__all__ = ["BAGANSampler"]


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
    **SHARED_PARAMETER_DOCS,
)
class BAGANSampler(BaseDeepOverSampler):
    """Over-sample with BAGAN-GP: an autoencoder-initialised, class-conditional WGAN-GP.

    BAGAN-GP (Huang and Jafari, 2021, after BAGAN, Mariani et al., 2018)
    trains in two phases, both inside :meth:`fit_resample`
    (:class:`~imblearn_baegan.BAGANNet`):

    (a) a supervised, class-conditional autoencoder (the encoder sees the
        row, the decoder the code and a learned embedding of the class) is
        trained on reconstruction for ``pretrain_epochs`` epochs;
    (b) the generator starts as the autoencoder's decoder (with its class
        embedding) and the critic as its encoder (with an output head of
        its own); each class's codes get a multivariate normal; then, for
        ``adversarial_epochs`` epochs, a class-conditional critic and the
        generator, fed draws of each class's normal, are trained as a
        Wasserstein GAN with gradient penalty (WGAN-GP).

    Each class to over-sample then gets the rows it lacks from the
    generator, fed fresh draws of the class's normal. Tables get
    perceptrons; flattened images with ``image_shape`` get BAEGAN's
    DCGAN-style convolutional nets.

    Read more in the user guide, "The family of deep samplers".

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    {categorical_features}

    {max_categories}

    latent_dim : int or "auto", default="auto"
        Size of the autoencoder's code, and of the generator's input.
        ``"auto"`` takes the number of columns of a table, at most 32, and
        32 for images: a code wider than the row has no more to hold, and
        its class covariances would be singular. The size used is
        ``latent_dim_``.

    hidden_dims : tuple of int, default=(128, 64)
        Hidden layer widths of the tabular encoder (and of the critic,
        which starts from it); the decoder and the generator mirror them.
        Ignored when ``image_shape`` is set.

    conv_width : int, default=32
        Filters of the convolution stage nearest to the image in every
        network; each stage further in doubles them. Ignored for tables.

    {image_shape}

    pretrain_epochs : int, default=10
        Epochs of phase (a), the autoencoder.

    adversarial_epochs : int, default=3
        Epochs of phase (b), the WGAN-GP. ``0`` leaves the GAN out: new
        rows are draws of the class normals decoded by the pre-trained
        decoder.

    n_critic : int, default=5
        Critic steps per generator step. Each mini-batch of real rows gives
        ``n_critic`` critic steps, each with fresh draws, then one generator
        step (see :ref:`bagan-decisions`): the cost of an adversarial epoch
        grows with it.

    gp_weight : float, default=10.0
        Weight of the gradient penalty in the critic's loss.

    batch_size : int, default=64
        Mini-batch size of both phases.

    {rows_per_epoch}

    lr : float, default=1e-3
        Adam learning rate of the autoencoder (phase a).

    generator_lr : float, default=2e-4
        Adam learning rate of the generator (phase b).

    critic_lr : float, default=1e-3
        Adam learning rate of the critic (phase b); faster than the
        generator's (see :ref:`bagan-decisions`).

    generated_fraction : float, default=1.0
        Share of each class's new rows drawn from the generator, as in the
        paper; the others are copies of the class's real rows, drawn at
        random as :class:`~imblearn.over_sampling.RandomOverSampler` does.

    {device}

    {callbacks}

    {verbose}

    {memory}

    Attributes
    ----------
    {shared_attributes}

    net_ : BAGANNet
        The trained skorch net; ``net_.history`` holds the losses of every
        epoch and batch, ``net_.prior_`` the class normals (``mean``,
        ``covariance``).

    latent_dim_ : int
        Size of the code, ``latent_dim`` with ``"auto"`` resolved.

    See Also
    --------
    BAEGANSampler : An adversarial autoencoder with SMOTE in its latent space.
    DeepSMOTESampler : An autoencoder with DeepSMOTE's penalty, and SMOTE between its codes.
    CGANSampler : A conditional GAN trained from scratch.
    compare_samplers : Compare a sampler with SMOTE and the others on your data.
    imblearn.over_sampling.SMOTE : SMOTE in the input space.
    imblearn.over_sampling.SMOTENC : SMOTE for tables with categorical columns.
    imblearn.over_sampling.RandomOverSampler : Over-sample by duplication.

    Notes
    -----
    The generator and the critic start from the autoencoder's decoder and
    encoder, each class's codes get a ridged normal, and the GAN is a WGAN-GP
    whose generated rows take the classes of the real batch. The user guide's
    "The family of deep samplers" lists each point the papers leave open and
    the decision.

    References
    ----------
    .. [1] G. Mariani, F. Scheidegger, R. Istrate, C. Bekas and C. Malossi,
       "BAGAN: Data Augmentation with Balancing GAN", arXiv:1803.09655,
       2018.
    .. [2] G. Huang and A. H. Jafari, "Enhanced balancing GAN: minority-class
       image generation", Neural Computing and Applications, 2021.
    .. [3] I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin and A. Courville,
       "Improved Training of Wasserstein GANs", NeurIPS, 2017.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_baegan import BAGANSampler
    >>> X, y = make_classification(n_samples=300, weights=[0.9],
    ...                            random_state=0)
    >>> sampler = BAGANSampler(pretrain_epochs=1, adversarial_epochs=1,
    ...                        random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 269), (1, 269)]
    """

    _net_class = BAGANNet
    _to_net = {
        "hidden_dims": "module__hidden_dims",
        "image_shape": "module__image_shape",
        "conv_width": "module__conv_width",
        "lr": "lr",
        "generator_lr": "optimizer__lr",
        "critic_lr": "optimizer_critic__lr",
        "pretrain_epochs": "pretrain_epochs",
        "n_critic": "n_critic",
        "gp_weight": "gp_weight",
    }
    _draw_categories = True

    _parameter_constraints: dict = {
        **BaseDeepOverSampler._parameter_constraints,
        **BaseDeepOverSampler._architecture_constraints,
        "latent_dim": [POSITIVE_INT, StrOptions({"auto"})],
        "pretrain_epochs": [NON_NEGATIVE_INT],
        "adversarial_epochs": [NON_NEGATIVE_INT],
        "n_critic": [POSITIVE_INT],
        "gp_weight": [NON_NEGATIVE_REAL],
        "generator_lr": [POSITIVE_REAL],
        "critic_lr": [POSITIVE_REAL],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        categorical_features="auto",
        max_categories: int = 64,
        latent_dim: int | str = "auto",
        hidden_dims: Sequence[int] = (128, 64),
        conv_width: int = 32,
        image_shape: tuple[int, int, int] | None = None,
        pretrain_epochs: int = DEFAULTS["pretrain_epochs"],
        adversarial_epochs: int = DEFAULTS["adversarial_epochs"],
        n_critic: int = DEFAULTS["n_critic"],
        gp_weight: float = DEFAULTS["gp_weight"],
        batch_size: int = BATCH_SIZE,
        rows_per_epoch: int | str | None = "auto",
        lr: float = DEFAULTS["lr"],
        generator_lr: float = DEFAULTS["generator_lr"],
        critic_lr: float = DEFAULTS["critic_lr"],
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
        self.latent_dim = latent_dim
        self.hidden_dims = hidden_dims
        self.conv_width = conv_width
        self.image_shape = image_shape
        self.pretrain_epochs = pretrain_epochs
        self.adversarial_epochs = adversarial_epochs
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        self.batch_size = batch_size
        self.rows_per_epoch = rows_per_epoch
        self.lr = lr
        self.generator_lr = generator_lr
        self.critic_lr = critic_lr
        self.generated_fraction = generated_fraction
        self.device = device
        self.callbacks = callbacks
        self.verbose = verbose
        self.memory = memory

    # -- validation, all of it before any training --------------------------

    def _check_settings(self, n_features: int) -> None:
        check_widths("hidden_dims", self.hidden_dims)
        if self.pretrain_epochs + self.adversarial_epochs == 0:
            raise ValueError(
                "pretrain_epochs and adversarial_epochs are both 0: the networks "
                "would never be trained. Set at least one of them to 1 or more."
            )
        check_image_shape(self.image_shape, n_features)

    def _check_classes(self, counts: dict) -> None:
        """Warn about classes of one row: their normal borrows the pooled covariance."""
        for label, n_samples in counts.items():
            if n_samples == 1:
                warnings.warn(
                    f"Class {label_repr(label)} has a single sample: the covariance of "
                    "one code is undefined, so its normal is centred on that code "
                    "with the pooled within-class covariance of the other classes.",
                    UserWarning,
                )

    # -- training and generation -------------------------------------------

    def _net_settings(self, counts: np.ndarray) -> dict:
        self.latent_dim_ = resolve_latent_dim(
            self.latent_dim, self.image_shape, self.n_features_in_
        )
        return {
            "module__latent_dim": self.latent_dim_,
            "max_epochs": self.pretrain_epochs + self.adversarial_epochs,
        }

    def _generate_scaled(
        self, X_class, index: int, n_new: int, random_state
    ) -> Iterator[tuple[np.ndarray, None]]:
        """The generator fed fresh draws of the class's normal, in the networks' units."""
        return self._generate_from_net(X_class, index, n_new, random_state)
