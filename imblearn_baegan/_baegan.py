"""BAEGANSampler: imbalanced-learn's interface to BAEGAN."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from numbers import Real

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils import check_array
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._baegan_net import DEFAULTS, BAEGANNet
from ._base import (
    NON_NEGATIVE_INT,
    NON_NEGATIVE_REAL,
    POSITIVE_INT,
    POSITIVE_REAL,
    SHARED_PARAMETER_DOCS,
    BaseDeepOverSampler,
    chunked,
)
from ._base_net import BATCH_SIZE
from ._batches import epoch_quotas
from ._latent import LatentSMOTE, latent_smote_neighbours
from ._validation import check_image_shape, check_widths, resolve_latent_dim

__all__ = ["BAEGANSampler"]


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
    **SHARED_PARAMETER_DOCS,
)
class BAEGANSampler(BaseDeepOverSampler):
    """Over-sample with BAEGAN: an adversarial autoencoder and SMOTE in its latent space.

    BAEGAN (Balanced oversampling with AutoEncoders and GANs) trains in three
    phases, all inside :meth:`fit_resample`:

    (a) a conditional autoencoder (encoder, class-embedding layer, decoder)
        is pre-trained on reconstruction for ``pretrain_epochs`` epochs;
    (b) for ``adversarial_epochs`` epochs, a discriminator on the latent
        space with a class-aware output learns to tell the encoder's codes
        from draws of the prior, under focal loss plus a gradient penalty,
        while the encoder, acting as the generator, learns to fool it and
        the reconstruction steps go on;
    (c) for each class to over-sample, SMOTE interpolates between the latent
        codes of its samples and the decoder turns the new codes, with the
        class embedding, into new samples.

    The networks are trained by a :class:`~imblearn_baegan.BAEGANNet`, a
    :class:`skorch.NeuralNet`. Tables get perceptrons; flattened images with
    ``image_shape`` get DCGAN-style convolutional nets.

    Read more in the user guide, "How BAEGAN works".

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    {categorical_features}

    {max_categories}

    k_neighbors : int, default=5
        Neighbours used by SMOTE in the latent space. A class with fewer
        than ``k_neighbors + 1`` samples uses all its other samples, with a
        warning.

    latent_dim : int or "auto", default="auto"
        Size of the latent code. ``"auto"`` takes the number of columns of
        a table, at most 32, and 32 for images: a code wider than the row
        would give SMOTE in the latent space nothing to gain over SMOTE in
        the input space. The size used is ``latent_dim_``.

    hidden_dims : tuple of int, default=(128, 64)
        Hidden layer widths of the tabular encoder; the decoder mirrors them.
        Ignored when ``image_shape`` is set.

    conv_width : int, default=32
        Filters of the first convolution stage of the image networks; each
        later stage doubles them (the paper's Table 1 uses 64). Ignored for
        tables.

    discriminator_hidden_dims : tuple of int, default=(64, 64)
        Hidden layer widths of the latent discriminator.

    {image_shape}

    pretrain_epochs : int or "auto", default="auto"
        Epochs of phase (a). ``"auto"``: 40 for tables, 20 for images (see
        Notes). ``0`` gives the BAEGAN-AE ablation (no pre-training). The
        number used is ``pretrain_epochs_``.

    adversarial_epochs : int or "auto", default="auto"
        Epochs of phase (b). ``"auto"``: 40 for tables, 20 for images. ``0``
        leaves out the adversarial stage, which gives the DeepSMOTE-style
        baseline: an autoencoder plus latent SMOTE. The number used is
        ``adversarial_epochs_``.

    batch_size : int, default=64
        Mini-batch size of both phases.

    {rows_per_epoch}

    lr : float, default=1e-3
        Adam learning rate of the autoencoder and of the generator.

    discriminator_lr : float, default=1e-3
        Adam learning rate of the discriminator; a much slower one leaves
        the codes bunched instead of spread over the prior.

    focal_gamma : float, default=2.0
        Focusing parameter of the focal loss; ``0`` is plain cross-entropy.

    focal_alpha : {{"balanced"}} or None, default="balanced"
        Class weights of the focal loss. ``"balanced"`` weights the rows of
        each class by the inverse of its share of the rows an epoch shows
        (its share of ``X`` when an epoch shows every row; see
        ``rows_per_epoch``), so every class counts the same in the
        adversarial losses; ``None`` weights rows equally.

    gp_weight : float, default=10.0
        Weight of the gradient penalty in the discriminator loss.

    adversarial_loss : {{"focal_gp", "plain"}}, default="focal_gp"
        ``"plain"`` replaces focal loss and the gradient penalty with plain
        cross-entropy (``focal_gamma``, ``focal_alpha`` and ``gp_weight`` are
        then ignored): the BAEGAN-L ablation.

    generation : {{"smote", "prior"}}, default="smote"
        How phase (c) makes new latent codes: SMOTE between the codes of the
        class, or draws from the class's prior (the BAEGAN-S ablation).

    decoding : {{"residual", "direct"}}, default="residual"
        How a new code becomes a row. ``"direct"`` decodes it, as in the
        paper. ``"residual"`` adds to the real row the code was interpolated
        from the change the decoder predicts between the two codes,
        ``x_base + De(z_new, c) - De(z_base, c)``: the row keeps the detail
        that the autoencoder blurs away, and moves as the decoder says.
        Ignored with ``generation="prior"``, whose codes come from no real
        row: they are decoded directly. The default departs from the paper
        (see Notes).

    generated_fraction : float in (0, 1] or "auto", default="auto"
        Share of each class's new rows that BAEGAN generates. The rest are
        copies of the class's real rows drawn at random, as
        :class:`~imblearn.over_sampling.RandomOverSampler` makes them: they
        keep the classifier anchored on real rows while the generated ones
        add variety. ``"auto"``: 0.75 for tables, 0.5 for images (see
        Notes); ``1.0`` generates every new row, as the paper does. The
        share used is ``generated_fraction_``.

    {device}

    {callbacks}

    {verbose}

    {memory}

    Attributes
    ----------
    {shared_attributes}

    net_ : BAEGANNet
        The trained skorch net; ``net_.history`` holds the losses of every
        epoch and batch.

    k_neighbors_ : dict
        Neighbours latent SMOTE used for each over-sampled class.

    latent_dim_ : int
        Size of the latent code, ``latent_dim`` with ``"auto"`` resolved.

    pretrain_epochs_, adversarial_epochs_ : int
        The epochs of each phase, ``"auto"`` resolved.

    See Also
    --------
    DeepSMOTESampler : An autoencoder with DeepSMOTE's penalty, and SMOTE between its codes.
    BAGANSampler : BAGAN-GP: an autoencoder that starts a class-conditional WGAN-GP.
    CGANSampler : A conditional GAN trained from scratch.
    compare_samplers : Compare a sampler with SMOTE and the others on your data.
    imblearn.over_sampling.SMOTE : SMOTE in the input space.
    imblearn.over_sampling.SMOTENC : SMOTE for tables with categorical columns.
    imblearn.over_sampling.RandomOverSampler : Over-sample by duplication.

    Notes
    -----
    The generator of phase (b) is the encoder itself, the discriminator has
    one output per class, the prior is ``N(0, I)`` for every class, and the
    gradient penalty is zero-centred; residual decoding departs from the
    paper. The user guide's "How BAEGAN works" gives the reasons and the
    measurements behind each choice and the defaults, and "Tables with
    categorical columns" how categorical columns are generated.

    The rows returned are the input rows, in their order, then the generated
    rows class by class, then the copied rows class by class.

    References
    ----------
    .. [1] "Adversarial Autoencoders Oversampling Algorithm for Imbalanced
       Image Data", Journal of Electronics & Information Technology.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_baegan import BAEGANSampler
    >>> X, y = make_classification(n_samples=300, weights=[0.9, 0.1],
    ...                            random_state=0)
    >>> sorted(Counter(y.tolist()).items())
    [(0, 268), (1, 32)]
    >>> sampler = BAEGANSampler(pretrain_epochs=2, adversarial_epochs=2,
    ...                         random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 268), (1, 268)]
    """

    _net_class = BAEGANNet
    _to_net = {
        "hidden_dims": "module__hidden_dims",
        "image_shape": "module__image_shape",
        "conv_width": "module__conv_width",
        "discriminator_hidden_dims": "discriminator__hidden_dims",
        "lr": "lr",
        "discriminator_lr": "optimizer_discriminator__lr",
        "gp_weight": "gp_weight",
    }
    # Chosen on validation splits, never on a benchmark's test folds: tables
    # on the tabular benchmark's training folds, images on Fashion-MNIST's
    # training pool (the user guide's "Choosing hyperparameters").
    _auto_defaults = {
        "tables": {"pretrain_epochs": 40, "adversarial_epochs": 40, "generated_fraction": 0.75},
        "images": {
            "pretrain_epochs": DEFAULTS["pretrain_epochs"],
            "adversarial_epochs": DEFAULTS["adversarial_epochs"],
            "generated_fraction": 0.5,
        },
    }
    _generation_params = BaseDeepOverSampler._generation_params | {
        "k_neighbors",
        "generation",
        "decoding",
    }

    _parameter_constraints: dict = {
        **BaseDeepOverSampler._parameter_constraints,
        **BaseDeepOverSampler._architecture_constraints,
        "k_neighbors": [POSITIVE_INT],
        "latent_dim": [POSITIVE_INT, StrOptions({"auto"})],
        "discriminator_hidden_dims": ["array-like"],
        "pretrain_epochs": [NON_NEGATIVE_INT, StrOptions({"auto"})],
        "adversarial_epochs": [NON_NEGATIVE_INT, StrOptions({"auto"})],
        "generated_fraction": [Interval(Real, 0, 1, closed="right"), StrOptions({"auto"})],
        "discriminator_lr": [POSITIVE_REAL],
        "focal_gamma": [NON_NEGATIVE_REAL],
        "focal_alpha": [StrOptions({"balanced"}), None],
        "gp_weight": [NON_NEGATIVE_REAL],
        "adversarial_loss": [StrOptions({"focal_gp", "plain"})],
        "generation": [StrOptions({"smote", "prior"})],
        "decoding": [StrOptions({"direct", "residual"})],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        categorical_features="auto",
        max_categories: int = 64,
        k_neighbors: int = 5,
        latent_dim: int | str = "auto",
        hidden_dims: Sequence[int] = (128, 64),
        conv_width: int = 32,
        discriminator_hidden_dims: Sequence[int] = (64, 64),
        image_shape: tuple[int, int, int] | None = None,
        pretrain_epochs: int | str = "auto",
        adversarial_epochs: int | str = "auto",
        batch_size: int = BATCH_SIZE,
        rows_per_epoch: int | str | None = "auto",
        lr: float = DEFAULTS["lr"],
        discriminator_lr: float = DEFAULTS["discriminator_lr"],
        focal_gamma: float = 2.0,
        focal_alpha: str | None = "balanced",
        gp_weight: float = DEFAULTS["gp_weight"],
        adversarial_loss: str = "focal_gp",
        generation: str = "smote",
        decoding: str = "residual",
        generated_fraction: float | str = "auto",
        device: str | torch.device = "auto",
        callbacks: list | None = None,
        verbose: int = 0,
        memory=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.categorical_features = categorical_features
        self.max_categories = max_categories
        self.k_neighbors = k_neighbors
        self.latent_dim = latent_dim
        self.hidden_dims = hidden_dims
        self.conv_width = conv_width
        self.discriminator_hidden_dims = discriminator_hidden_dims
        self.image_shape = image_shape
        self.pretrain_epochs = pretrain_epochs
        self.adversarial_epochs = adversarial_epochs
        self.batch_size = batch_size
        self.rows_per_epoch = rows_per_epoch
        self.lr = lr
        self.discriminator_lr = discriminator_lr
        self.focal_gamma = focal_gamma
        self.focal_alpha = focal_alpha
        self.gp_weight = gp_weight
        self.adversarial_loss = adversarial_loss
        self.generation = generation
        self.decoding = decoding
        self.generated_fraction = generated_fraction
        self.device = device
        self.callbacks = callbacks
        self.verbose = verbose
        self.memory = memory

    # -- validation, all of it before any training --------------------------

    def _check_settings(self, n_features: int) -> None:
        for name in ("hidden_dims", "discriminator_hidden_dims"):
            check_widths(name, getattr(self, name))
        if self.pretrain_epochs_ + self.adversarial_epochs_ == 0:
            raise ValueError(
                "pretrain_epochs and adversarial_epochs are both 0: the networks "
                "would never be trained. Set at least one of them to 1 or more."
            )
        check_image_shape(self.image_shape, n_features)

    def _check_classes(self, counts: dict) -> None:
        """Latent SMOTE's neighbours for each class to over-sample: ``k_neighbors_``."""
        self.k_neighbors_ = latent_smote_neighbours(
            {} if self.generation == "prior" else self.sampling_strategy_,
            counts,
            self.k_neighbors,
            "Leave the class out of sampling_strategy, or use generation='prior'.",
        )

    # -- training and generation -------------------------------------------

    def _net_settings(self, counts: np.ndarray) -> dict:
        """The code size, the phases' epochs and the adversarial loss's settings."""
        self.latent_dim_ = resolve_latent_dim(
            self.latent_dim, self.image_shape, self.n_features_in_
        )
        plain = self.adversarial_loss == "plain"
        alpha = None
        if not plain and self.focal_alpha == "balanced":
            # Inverse frequencies in the rows an epoch shows.
            shown = epoch_quotas(counts, self._rows_per_epoch())
            alpha = shown.sum() / (len(shown) * shown)
        return {
            "module__latent_dim": self.latent_dim_,
            "adversarial_criterion__gamma": 0.0 if plain else float(self.focal_gamma),
            "adversarial_criterion__alpha": alpha,
            "gp_weight": 0.0 if plain else float(self.gp_weight),
            "pretrain_epochs": self.pretrain_epochs_,
            "max_epochs": self.pretrain_epochs_ + self.adversarial_epochs_,
        }

    def _generate_scaled(
        self, X_class: np.ndarray, index: int, n_new: int, random_state
    ) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
        """Phase (c) for one class: new codes, decoded, in the networks' units."""
        parts = chunked(n_new, self._rows.n_units_)
        if self.generation == "prior":
            generator = torch.Generator().manual_seed(
                int(random_state.randint(np.iinfo(np.int32).max))
            )
            for part in parts:
                c = torch.full((part.stop - part.start,), index)
                z_new = self.net_.prior_.sample(c, generator).numpy()
                yield self.net_.decode(z_new, c.numpy()), None
            return
        z = self.net_.encode(X_class)
        label = self.classes_[index]
        k_neighbors = self.k_neighbors_.get(label)
        if k_neighbors is None:
            # Fitted with generation="prior", set to "smote" since.
            k_neighbors = latent_smote_neighbours(
                {label: n_new}, {label: len(X_class)}, self.k_neighbors, "Use generation='prior'."
            )[label]
        smote = LatentSMOTE(z, k_neighbors)
        for part in parts:
            z_new, base = smote.draw(part.stop - part.start, random_state)
            c = np.full(len(z_new), index)
            x_new = self.net_.decode(z_new, c)
            if self.decoding == "residual":
                # Categorical blocks too: the base row's one-hot plus the
                # decoder's change keeps the base's category unless the
                # decoder moves decisively away from it.
                x_new -= self.net_.decode(z[base], c)
                x_new += self._rows.transform(X_class[base])
                np.clip(x_new, 0.0, 1.0, out=x_new)
            yield x_new, base

    # -- the latent space, for inspection -----------------------------------

    def encode(self, X) -> np.ndarray:
        """Latent codes of ``X`` under the fitted encoder.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows in the units seen by :meth:`fit_resample`; a sparse matrix
            is encoded a chunk of rows at a time, never densified whole.

        Returns
        -------
        Z : ndarray of shape (n_samples, ``latent_dim_``)
            The codes, as float32.

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> from imblearn_baegan import BAEGANSampler
        >>> X, y = make_classification(n_samples=100, weights=[0.8],
        ...                            random_state=0)
        >>> sampler = BAEGANSampler(latent_dim=3, pretrain_epochs=1,
        ...                         adversarial_epochs=1, random_state=0)
        >>> _ = sampler.fit_resample(X, y)
        >>> sampler.encode(X[:4]).shape
        (4, 3)
        """
        check_is_fitted(self, "net_")
        return self.net_.encode(self._check_X(X))

    def decode(self, Z, y) -> np.ndarray:
        """Rows decoded from latent codes ``Z`` for the classes ``y``.

        Parameters
        ----------
        Z : array-like of shape (n_samples, ``latent_dim_``)
            Latent codes, e.g. from :meth:`encode` or interpolations of them.
        y : array-like of shape (n_samples,)
            Class labels, among ``classes_``.

        Returns
        -------
        X : ndarray or DataFrame of shape (n_samples, n_features)
            Rows in the units seen by :meth:`fit_resample`, as float64
            (neither rounded nor cast to the input's dtype); with
            categorical columns, rows of the input's types, each block's
            most likely category (a block's *other* unit of
            ``max_categories`` gives one of the column's rare values,
            drawn uniformly with a fixed seed).

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> from imblearn_baegan import BAEGANSampler
        >>> X, y = make_classification(n_samples=100, weights=[0.8],
        ...                            random_state=0)
        >>> sampler = BAEGANSampler(pretrain_epochs=1, adversarial_epochs=1,
        ...                         random_state=0)
        >>> _ = sampler.fit_resample(X, y)
        >>> sampler.decode(sampler.encode(X[:2]), y[:2]).shape
        (2, 20)
        """
        check_is_fitted(self, "net_")
        Z = check_array(Z, dtype=np.float32, input_name="Z")
        y = np.asarray(y)
        if Z.shape[1] != self.latent_dim_ or len(Z) != len(y):
            raise ValueError(
                f"Z must have shape (n_samples, {self.latent_dim_}) with one label "
                f"in y per row, got Z of shape {Z.shape} and {len(y)} labels."
            )
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(
                f"y holds labels {unknown.tolist()} that were not seen in "
                f"fit_resample; known classes are {self.classes_.tolist()}."
            )
        c = np.searchsorted(self.classes_, y)
        return self._decoded(self.net_.decode(Z, c))
