"""The DeepSMOTE over-sampler."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils import check_array
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from ._base import (
    NON_NEGATIVE_REAL,
    POSITIVE_INT,
    SHARED_PARAMETER_DOCS,
    BaseDeepOverSampler,
    chunked,
)
from ._base_net import BATCH_SIZE
from ._deepsmote_net import DEFAULTS, DeepSMOTENet
from ._latent import LatentSMOTE, latent_smote_neighbours
from ._validation import check_image_shape, check_widths, resolve_latent_dim

__all__ = ["DeepSMOTESampler"]


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
    **SHARED_PARAMETER_DOCS,
)
class DeepSMOTESampler(BaseDeepOverSampler):
    """Over-sample with DeepSMOTE: an autoencoder with a permutation penalty, and latent SMOTE.

    DeepSMOTE (Dablain, Krawczyk and Chawla, 2022) trains an encoder and a
    decoder, without a discriminator, on all the classes, on the
    reconstruction loss plus a penalty: the codes of several rows of one
    class are permuted, decoded, and compared with the rows in their
    original order, so that the decoder learns to turn the codes of a
    class into rows of that class (:class:`~imblearn_baegan.DeepSMOTENet`).
    Each class to over-sample then gets the rows it lacks by SMOTE between
    the codes of its rows, decoded. Tables get perceptrons; flattened
    images with ``image_shape`` get the DCGAN-style convolutional nets of
    :class:`~imblearn_baegan.BAEGANSampler`.

    Read more in the user guide, "The family of deep samplers".

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
        a table, at most 32, and 32 for images, as
        :class:`~imblearn_baegan.BAEGANSampler` does (the paper uses 300
        for images). The size used is ``latent_dim_``.

    hidden_dims : tuple of int, default=(128, 64)
        Hidden layer widths of the tabular encoder; the decoder mirrors them.
        Ignored when ``image_shape`` is set.

    conv_width : int, default=32
        Filters of the first convolution stage of the image networks; each
        later stage doubles them (the paper uses 64). Ignored for tables.

    {image_shape}

    epochs : int, default=27
        Passes over the data, each with one step per mini-batch on the
        reconstruction loss plus the penalty. The default is meant to cost
        no more CPU time than :class:`~imblearn_baegan.BAEGANSampler`'s
        default training on Fashion-MNIST-sized images (see
        :ref:`deepsmote-decisions`); the
        paper trains for 50 to 350 epochs.

    batch_size : int, default=64
        Mini-batch size; the penalty draws as many rows of its class.

    {rows_per_epoch}

    lr : float, default=1e-3
        Adam learning rate of the encoder and the decoder.

    penalty_weight : float, default=1.0
        Weight of the penalty in the loss; ``0`` trains a plain
        autoencoder, which with latent SMOTE is the "AE + latent SMOTE"
        baseline.

    generated_fraction : float in (0, 1], default=1.0
        Share of each class's new rows that DeepSMOTE generates; the others
        are copies of the class's real rows, drawn at random as
        :class:`~imblearn.over_sampling.RandomOverSampler` does. ``1.0``
        generates every new row, as the paper does.

    {device}

    {callbacks}

    {verbose}

    {memory}

    Attributes
    ----------
    {shared_attributes}

    net_ : DeepSMOTENet
        The trained skorch net; ``net_.history`` holds the losses of every
        epoch and batch (``reconstruction_loss`` and ``penalty_loss``).

    k_neighbors_ : dict
        Neighbours latent SMOTE used for each over-sampled class.

    latent_dim_ : int
        Size of the latent code, ``latent_dim`` with ``"auto"`` resolved.

    See Also
    --------
    BAEGANSampler : An adversarial autoencoder with SMOTE in its latent space.
    BAGANSampler : BAGAN-GP: an autoencoder that starts a class-conditional WGAN-GP.
    CGANSampler : A conditional GAN trained from scratch.
    compare_samplers : Compare a sampler with SMOTE and the others on your data.
    imblearn.over_sampling.SMOTE : SMOTE in the input space.
    imblearn.over_sampling.SMOTENC : SMOTE for tables with categorical columns.
    imblearn.over_sampling.RandomOverSampler : Over-sample by duplication.

    Notes
    -----
    The penalty pairs each row with the decoding of another row of its class
    (the paper's reading; the authors' code pairs each row with its own), on
    one class a batch drawn uniformly, and new codes are decoded directly, as
    in the paper. The user guide's "The family of deep samplers" lists each
    point the paper leaves open and the decision.

    References
    ----------
    .. [1] D. Dablain, B. Krawczyk and N. V. Chawla, "DeepSMOTE: Fusing Deep
       Learning and SMOTE for Imbalanced Data", IEEE Transactions on Neural
       Networks and Learning Systems, 2022 (arXiv:2105.02340).

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_baegan import DeepSMOTESampler
    >>> X, y = make_classification(n_samples=300, weights=[0.9],
    ...                            random_state=0)
    >>> sampler = DeepSMOTESampler(epochs=2, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 269), (1, 269)]
    """

    _net_class = DeepSMOTENet
    _to_net = {
        "hidden_dims": "module__hidden_dims",
        "image_shape": "module__image_shape",
        "conv_width": "module__conv_width",
        "epochs": "max_epochs",
        "lr": "lr",
        "penalty_weight": "penalty_weight",
    }
    _generation_params = BaseDeepOverSampler._generation_params | {"k_neighbors"}

    _parameter_constraints: dict = {
        **BaseDeepOverSampler._parameter_constraints,
        **BaseDeepOverSampler._architecture_constraints,
        "k_neighbors": [POSITIVE_INT],
        "latent_dim": [POSITIVE_INT, StrOptions({"auto"})],
        "epochs": [POSITIVE_INT],
        "penalty_weight": [NON_NEGATIVE_REAL],
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
        image_shape: tuple[int, int, int] | None = None,
        epochs: int = DEFAULTS["epochs"],
        batch_size: int = BATCH_SIZE,
        rows_per_epoch: int | str | None = "auto",
        lr: float = DEFAULTS["lr"],
        penalty_weight: float = DEFAULTS["penalty_weight"],
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
        self.k_neighbors = k_neighbors
        self.latent_dim = latent_dim
        self.hidden_dims = hidden_dims
        self.conv_width = conv_width
        self.image_shape = image_shape
        self.epochs = epochs
        self.batch_size = batch_size
        self.rows_per_epoch = rows_per_epoch
        self.lr = lr
        self.penalty_weight = penalty_weight
        self.generated_fraction = generated_fraction
        self.device = device
        self.callbacks = callbacks
        self.verbose = verbose
        self.memory = memory

    # -- validation, all of it before any training --------------------------

    def _check_settings(self, n_features: int) -> None:
        check_widths("hidden_dims", self.hidden_dims)
        check_image_shape(self.image_shape, n_features)

    def _check_classes(self, counts: dict) -> None:
        """Latent SMOTE's neighbours for each class to over-sample: ``k_neighbors_``."""
        self.k_neighbors_ = latent_smote_neighbours(
            self.sampling_strategy_,
            counts,
            self.k_neighbors,
            "Leave the class out of sampling_strategy, or add samples of it.",
        )

    # -- training and generation -------------------------------------------

    def _net_settings(self, counts: np.ndarray) -> dict:
        self.latent_dim_ = resolve_latent_dim(
            self.latent_dim, self.image_shape, self.n_features_in_
        )
        return {"module__latent_dim": self.latent_dim_}

    def _generate_scaled(
        self, X_class, index: int, n_new: int, random_state
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Latent SMOTE between the class's codes, decoded, in the networks' units."""
        smote = LatentSMOTE(self.net_.encode(X_class), self.k_neighbors_[self.classes_[index]])
        for part in chunked(n_new, self._rows.n_units_):
            z_new, base = smote.draw(part.stop - part.start, random_state)
            yield self.net_.decode(z_new), base

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
        """
        check_is_fitted(self, "net_")
        return self.net_.encode(self._check_X(X))

    def decode(self, Z, y=None) -> np.ndarray:
        """Rows decoded from latent codes ``Z``.

        Parameters
        ----------
        Z : array-like of shape (n_samples, ``latent_dim_``)
            Latent codes, e.g. from :meth:`encode` or interpolations of them.
        y : array-like of shape (n_samples,) or None, default=None
            Ignored: DeepSMOTE's decoder does not see the class. Accepted so
            that code written for :meth:`BAEGANSampler.decode
            <imblearn_baegan.BAEGANSampler.decode>` runs unchanged.

        Returns
        -------
        X : ndarray or DataFrame of shape (n_samples, n_features)
            Rows in the units seen by :meth:`fit_resample`, as float64
            (neither rounded nor cast to the input's dtype); with
            categorical columns, rows of the input's types, each block's
            most likely category (a block's *other* unit of
            ``max_categories`` gives one of the column's rare values,
            drawn uniformly with a fixed seed).
        """
        check_is_fitted(self, "net_")
        Z = check_array(Z, dtype=np.float32, input_name="Z")
        if Z.shape[1] != self.latent_dim_:
            raise ValueError(f"Z must have shape (n_samples, {self.latent_dim_}), got {Z.shape}.")
        return self._decoded(self.net_.decode(Z))
