"""The skorch net that trains DeepSMOTE's autoencoder: reconstruction plus a permutation penalty."""

from __future__ import annotations

import numpy as np
import torch

from ._base_net import BATCH_SIZE, BaseGenerativeNet
from ._batches import RowData
from ._losses import RowReconstructionLoss
from ._networks import Autoencoder

__all__ = ["DeepSMOTENet"]

#: Training defaults of DeepSMOTE, the net's and the sampler's.
DEFAULTS = {"epochs": 27, "lr": 1e-3, "penalty_weight": 1.0}


class DeepSMOTENet(BaseGenerativeNet):
    """Train DeepSMOTE's encoder and decoder: reconstruction plus a permutation penalty.

    Each mini-batch ``x`` gives one Adam step on

        ``L(De(En(x)), x) + penalty_weight * L(De(shift(En(x_c))), x_c)``

    with ``L`` the ``criterion``, the mean squared error (plus cross-entropy
    for the blocks of categorical columns). The first term is the
    reconstruction loss. The second is DeepSMOTE's
    penalty (Dablain, Krawczyk and Chawla, 2022): one class ``k`` is drawn
    uniformly at random among the classes with at least two training rows;
    ``n = min(len(x), rows of k)`` rows of that class (at least 2) are
    drawn without replacement from all of its training rows, in random
    order, as ``x_c``; their codes are shifted by one place
    (``z_1, ..., z_n, z_0``), decoded, and compared with the rows in their
    original order. Each row is thus paired with the decoding of another
    row of its class, never with its own: the decoder learns to map the
    codes of a class to plausible rows of that class, which is what
    decoding latent-SMOTE codes between them asks of it. The codes of the
    penalty are computed without gradient, as in the authors' code: the
    encoder is shaped by the reconstruction loss, the penalty trains the
    decoder.

    Every random draw (the batches, the class and the rows of the penalty)
    comes from the fit's generator ``generator_``, so a ``random_state``
    gives the same networks on any device and in any thread.

    ``fit(X, c)`` takes the rows and the class index of each row. skorch's
    ``train_loss`` is the loss minimised, reconstruction plus weighted
    penalty; with a ``train_split`` the penalty draws only from the
    training rows, and ``valid_loss`` is the reconstruction loss of the
    held-out rows (comparable with ``reconstruction_loss``, not with
    ``train_loss``). The per-batch losses are in the history as
    ``reconstruction_loss`` and ``penalty_loss`` (unweighted).

    Parameters
    ----------
    module : type or torch.nn.Module, default=Autoencoder
        The autoencoder; configure it with ``module__*`` parameters. It
        must offer ``encode(x)`` and ``decode(z)``.
    criterion : type or torch.nn.Module, default=RowReconstructionLoss
        The loss of both terms: the mean squared error, with cross-entropy
        for the blocks of categorical columns (``module__category_sizes``,
        which it takes from the module unless given its own).
    optimizer : type, default=torch.optim.Adam
        Updates the encoder and the decoder.
    penalty_weight : float, default=1.0
        Weight of the penalty in the loss; ``0`` trains a plain
        autoencoder (the penalty is still computed and recorded).
    max_epochs : int, default=27
    batch_size : int, default=64
    lr : float, default=1e-3
    **kwargs
        Any other :class:`BaseGenerativeNet` or :class:`skorch.NeuralNet`
        parameter (``scaling``, ``random_state``, ``data_placement``,
        ``train_split``, ``callbacks``, ...).

    Attributes
    ----------
    module_ : torch.nn.Module
        The trained autoencoder.
    optimizer_ : torch.optim.Optimizer
    generator_ : torch.Generator
        The fit's random number generator, on the CPU.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_baegan import DeepSMOTENet
    >>> X = np.random.RandomState(0).rand(40, 5).astype(np.float32)
    >>> c = np.repeat([0, 1], 20)
    >>> net = DeepSMOTENet(module__n_features=5, module__latent_dim=2,
    ...                    module__hidden_dims=(8,), max_epochs=2,
    ...                    batch_size=16, random_state=0).fit(X, c)
    >>> net.history[-1, "batches", 0, "penalty_loss"] > 0
    True
    >>> net.decode(net.encode(X[:3])).shape
    (3, 5)
    """

    _loss_keys = ("reconstruction_loss", "penalty_loss")
    _shared_shapes = {"criterion": ("category_sizes",)}
    _divergence_hints = {"reconstruction_loss": ("lr",), "penalty_loss": ("lr", "penalty_weight")}
    _prediction_hint = (
        "encode(X) for latent codes, decode(z) for rows, or module_(x) for reconstructions"
    )

    def __init__(
        self,
        module=Autoencoder,
        *args,
        criterion=RowReconstructionLoss,
        optimizer=torch.optim.Adam,
        penalty_weight: float = DEFAULTS["penalty_weight"],
        max_epochs: int = DEFAULTS["epochs"],
        batch_size: int = BATCH_SIZE,
        lr: float = DEFAULTS["lr"],
        **kwargs,
    ):
        self.penalty_weight = penalty_weight
        super().__init__(
            module,
            *args,
            criterion=criterion,
            optimizer=optimizer,
            max_epochs=max_epochs,
            batch_size=batch_size,
            lr=lr,
            **kwargs,
        )

    # -- the rows the penalty draws from -------------------------------------

    def get_iterator(self, dataset, training=False):
        """Batches as the base net slices them; the training rows also feed the penalty."""
        iterator = super().get_iterator(dataset, training=training)
        rows = getattr(self, "_penalty_rows", None)
        # skorch asks for an iterator every epoch: index the classes once a fit.
        if training and (rows is None or rows.data is not iterator.data):
            self._penalty_rows = _ClassRows(iterator.data)
        return iterator

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        """Train as skorch does; the penalty's reference to the rows is dropped afterwards."""
        try:
            return super().fit_loop(X, y, epochs=epochs, **fit_params)
        finally:
            # Neither pickled nor cached with the net: the rows are the caller's.
            self._penalty_rows = None

    def _probe(self, x, c) -> None:
        self.module_(x)

    # -- training ----------------------------------------------------------------

    def train_step(self, batch, **fit_params):
        """One step on the reconstruction loss plus ``penalty_weight`` times the penalty."""
        self._train_mode()
        x, c = batch
        self.optimizer_.zero_grad()
        x_hat = self.module_(x)
        reconstruction = self.get_loss(x_hat, x, X=x, training=True)
        penalty = self.penalty_loss(len(x))
        loss = reconstruction + self.penalty_weight * penalty
        self._step(self.optimizer_, loss, self.module_.named_parameters(), batch)
        self._record_losses({"reconstruction_loss": reconstruction, "penalty_loss": penalty})
        return {"loss": loss, "y_pred": x_hat}

    def penalty_loss(self, n_rows: int) -> torch.Tensor:
        """DeepSMOTE's penalty on rows of one class drawn from the training rows.

        Draws a class uniformly among those with at least two training
        rows, then ``min(max(n_rows, 2), rows of the class)`` of its rows
        without replacement, in random order, all from ``generator_``;
        decodes each row's code shifted by one place and returns the ``criterion``
        against the rows in their original order. Zero when no class has
        two rows. Only available during ``fit``.

        Parameters
        ----------
        n_rows : int
            Rows wanted, normally the size of the current batch.

        Returns
        -------
        loss : torch.Tensor
            A scalar on the training device; it back-propagates into the
            decoder only.
        """
        rows = getattr(self, "_penalty_rows", None)
        if rows is None:
            raise RuntimeError(
                f"{type(self).__name__}.penalty_loss draws from the training rows and "
                "is only available while fit or partial_fit runs."
            )
        members = rows.draw_class(self.generator_)
        if members is None:
            return torch.zeros((), device=self.device)
        n = min(max(n_rows, 2), len(members))
        pick = torch.randperm(len(members), generator=self.generator_)[:n]
        x_class, _ = rows.data.batch(members[pick.to(members.device)])
        with torch.no_grad():
            z = self.module_.encode(x_class)
        # Row i is compared with the decoding of row i + 1's code.
        x_other = self.module_.decode(z.roll(-1, dims=0))
        return self.get_loss(x_other, x_class, X=x_class, training=True)

    def validation_step(self, batch, **fit_params):
        """The reconstruction loss of held-out rows."""
        self._set_training(False)
        x, _ = batch
        with torch.no_grad():
            x_hat = self.module_(x)
            loss = self.get_loss(x_hat, x, X=x, training=False)
        return {"loss": loss, "y_pred": x_hat}

    # -- inference helpers used by the sampler ---------------------------------

    @torch.no_grad()
    def encode(self, X, chunk_size: int = 1024) -> np.ndarray:
        """Latent codes of rows ``X``, in evaluation mode.

        ``X`` is in the units ``fit`` saw (scaled by ``scaling`` when it is
        set), dense or a scipy sparse matrix. Chunks of ``chunk_size`` rows
        (fewer for wide rows: at most about four million values) go to the
        device and their codes come back; a sparse chunk is densified on
        its own.

        Returns
        -------
        Z : ndarray of shape (n_samples, latent_dim)
            float32 codes, on the host.
        """
        return self._map_rows(self.module_.encode, X, chunk_size)

    @torch.no_grad()
    def decode(self, z, chunk_size: int = 1024) -> np.ndarray:
        """Rows in the networks' scaled units decoded from codes ``z``, in evaluation mode.

        Chunks of ``chunk_size`` codes (fewer for wide rows: at most about
        four million values) go to the device and their rows come back, in
        the networks' units; the sampler's
        :meth:`~imblearn_baegan.DeepSMOTESampler.decode` maps them back to rows.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            float32 rows, on the host.

        Raises
        ------
        ValueError
            If ``z`` is not 2-D or holds NaN or infinite values.
        """
        self.check_is_fitted()
        z = torch.as_tensor(np.asarray(z), dtype=torch.float32)
        if z.ndim != 2:
            raise ValueError(f"z must be 2-D, got shape {tuple(z.shape)}.")
        if not torch.isfinite(z).all():
            raise ValueError("z holds NaN or infinite values; codes must be finite.")
        return self._map_codes(self.module_.decode, z, chunk_size=chunk_size)


class _ClassRows:
    """The training rows, with the indices of each class that has at least two of them."""

    def __init__(self, data: RowData):
        self.data = data
        self.members = [m.to(data.storage) for m in data.members() if len(m) >= 2]

    def draw_class(self, generator: torch.Generator) -> torch.Tensor | None:
        """Row indices of a class drawn uniformly; ``None`` when there is none."""
        if not self.members:
            return None
        k = int(torch.randint(len(self.members), (1,), generator=generator))
        return self.members[k]
