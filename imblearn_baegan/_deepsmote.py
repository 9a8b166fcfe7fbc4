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
from ._deepsmote_net import DeepSMOTENet
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
        default training on Fashion-MNIST-sized images (see Notes); the
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
    imblearn.over_sampling.SMOTE : SMOTE in the input space.

    Notes
    -----
    The paper and the authors' public code (MNIST) leave these points
    open, or disagree on them; this implementation decides them as
    follows.

    * **The penalty's pairing.** The paper permutes the codes and compares
      their decodings with the rows in their original order. The authors'
      code shifts the rows and the codes alike, which pairs every code
      with its own row: the penalty becomes a second reconstruction loss
      on one class. The paper's reading is implemented: the rows are drawn
      in random order and their codes shifted by one place, so every row
      is compared with the decoding of another row of its class, never
      with its own (a random permutation could leave rows in place).
    * **The penalty's class and rows.** One class per batch, drawn
      uniformly among the classes with at least two training rows, as in
      the authors' code (which draws among all ten MNIST classes): rare
      classes get as much of the penalty as common ones. Its rows are
      drawn without replacement from all the class's training rows (not
      only the batch's, which may hold one row of a rare class or none),
      as many as the batch holds, at least 2. The class and the rows come
      from the fit's seeded generator; they never depend on
      ``sampling_strategy``, so the ``memory`` cache can leave it out.
    * **Gradients of the penalty.** The penalty's codes are computed
      without gradient, as in the authors' code: the encoder is trained by
      the reconstruction loss alone, and the penalty trains the decoder.
    * **Its weight.** ``penalty_weight=1.0``: the authors' code adds the
      two losses unweighted (its ``lambda=0.01`` is declared but unused).
      With the paper's pairing the penalty pulls the decoder towards the
      mean row of each class, so a higher weight gives generated rows that
      spread less around their class's mean and reconstructions that are
      less exact; a lower one keeps more of the spread. It is a training
      parameter like ``lr``, for a search to tune.
    * **One optimiser.** One Adam over the encoder and the decoder (the
      authors use one each with the same settings, which is the same
      update). ``lr=1e-3`` and ``batch_size=64`` as BAEGAN's
      autoencoder, where the authors train 50 to 350 epochs at ``2e-4``
      with batches of 100: the default's epoch budget is far smaller.
    * **The networks.** BAEGAN's autoencoder without the class embedding:
      DCGAN-style convolutions (group norm in the encoder, batch norm in
      the decoder, sigmoid output on min-max scaled pixels, where the
      authors use batch norm in both and ``tanh``), perceptrons for
      tables, which the paper does not treat.
    * **Generation.** SMOTE between the codes of the class's rows (a base
      row, one of its ``k_neighbors`` nearest codes, a uniform step), and
      the new code decoded directly, as in the paper. A class to
      over-sample with a single row cannot be interpolated: it raises an
      error before training; leave it out of ``sampling_strategy``.
    * **Default epochs.** A default fit should cost no more CPU time than
      :class:`~imblearn_baegan.BAEGANSampler`'s default on images of
      28x28, whose 20 adversarial epochs each cost more than a
      pre-training epoch. A DeepSMOTE step is a reconstruction step plus
      the penalty (an encoder pass without gradient, then the decoder
      forward and backward), so it costs more than a reconstruction step
      alone and fewer epochs fit in that budget. The cost benchmark
      measures the fit times of every sampler at its defaults.

    Inputs are min-max scaled (per column for tables, over all pixels for
    images); new samples come back in the input's units and dtype, inside
    the range of the training data, and rounded in integer columns.
    Sparse input gives output of the same format, as for every sampler of
    the package.

    The rows returned are the input rows, in their order, followed by the
    generated rows, class by class, and then by the copied rows, class by
    class, when ``generated_fraction`` is below 1.

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
        epochs: int = 27,
        batch_size: int = 64,
        rows_per_epoch: int | str | None = "auto",
        lr: float = 1e-3,
        penalty_weight: float = 1.0,
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
            most likely category.
        """
        check_is_fitted(self, "net_")
        Z = check_array(Z, dtype=np.float32, input_name="Z")
        if Z.shape[1] != self.latent_dim_:
            raise ValueError(f"Z must have shape (n_samples, {self.latent_dim_}), got {Z.shape}.")
        return self._decoded(self.net_.decode(Z))
