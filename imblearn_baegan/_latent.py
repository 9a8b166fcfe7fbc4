"""Latent spaces: the priors codes are drawn from, and SMOTE between codes."""

from __future__ import annotations

import warnings

import numpy as np
import torch
from sklearn.neighbors import NearestNeighbors
from torch import nn

from ._random import draw
from ._validation import label_repr

__all__ = ["ClassNormals", "LatentPrior", "LatentSMOTE", "latent_smote_neighbours"]


class LatentPrior(nn.Module):
    """The prior ``p(z | c) = N(0, I)``, the same for every class.

    The class reaches the decoder through the embedding layer, so the code
    only has to hold what the class does not say (the supervised
    adversarial-autoencoder design). Per-class means were tried and dropped:
    with modes 4 units apart, the encoder never moved the codes close to
    them (see the user guide, "How BAEGAN works"). The prior is a module so that
    :class:`~imblearn_baegan.BAEGANNet` users can swap in their own through
    its ``prior`` parameter: anything with ``sample(c, generator)``.

    Parameters
    ----------
    latent_dim : int
        Size of the latent code.

    Examples
    --------
    >>> import torch
    >>> LatentPrior(latent_dim=3).sample(torch.tensor([0, 1, 1])).shape
    torch.Size([3, 3])
    """

    def __init__(self, latent_dim: int):
        super().__init__()
        self.latent_dim = latent_dim

    def sample(self, c: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw one code for each class index in ``c``, on ``c``'s device.

        The draws come from ``generator`` (on its own device, then moved),
        or from torch's global generator when it is ``None``.
        """
        return draw(torch.randn, (len(c), self.latent_dim), generator, c.device)


class LatentSMOTE:
    """SMOTE between the latent codes of one class, drawn a chunk at a time.

    Each new code lies on the segment between a random code, its base, and
    one of the base's ``k_neighbors`` nearest neighbours in the same class,
    as in SMOTE. The neighbours are found once; :meth:`draw` makes any
    number of codes, so that a large number of new rows never exists as
    codes all at once.

    Parameters
    ----------
    z : ndarray of shape (n_codes, latent_dim)
        Codes of one class; ``n_codes`` must exceed ``k_neighbors``.
    k_neighbors : int
        Neighbours to interpolate towards.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> z_new, base = LatentSMOTE(z, 2).draw(4, np.random.RandomState(0))
    >>> z_new.shape, base.shape
    ((4, 2), (4,))
    """

    def __init__(self, z: np.ndarray, k_neighbors: int):
        self.z = z
        self.k_neighbors = k_neighbors
        nn_ = NearestNeighbors(n_neighbors=k_neighbors + 1).fit(z)
        self.neighbours = nn_.kneighbors(z, return_distance=False)[:, 1:]

    def draw(self, n_samples: int, random_state) -> tuple[np.ndarray, np.ndarray]:
        """``n_samples`` new codes, and the row of ``z`` each starts from.

        Parameters
        ----------
        n_samples : int
        random_state : numpy.random.RandomState
            Source of the random choices.

        Returns
        -------
        z_new : ndarray of shape (n_samples, latent_dim)
        base : ndarray of shape (n_samples,)
        """
        z = self.z
        base = random_state.randint(0, z.shape[0], size=n_samples)
        cols = random_state.randint(0, self.k_neighbors, size=n_samples)
        steps = random_state.uniform(size=(n_samples, 1))
        return z[base] + steps * (z[self.neighbours[base, cols]] - z[base]), base


def latent_smote_neighbours(
    n_new: dict, counts: dict, k_neighbors: int, single_sample_advice: str
) -> dict:
    """Neighbours latent SMOTE uses for each class that gets new rows.

    A class with a single row cannot be interpolated: the error, raised
    before any training, ends with ``single_sample_advice``. A class with
    ``k_neighbors`` rows or fewer uses all its other rows, with a warning.

    Parameters
    ----------
    n_new : dict
        Label -> rows to generate (``sampling_strategy_``).
    counts : dict
        Label -> rows in ``X``.
    k_neighbors : int
    single_sample_advice : str

    Returns
    -------
    k_neighbors_ : dict
        Label -> neighbours, for the classes with new rows.
    """
    neighbours = {}
    for label, n in n_new.items():
        if n == 0:
            continue
        n_samples = counts[label]
        if n_samples < 2:
            raise ValueError(
                f"Class {label_repr(label)} has a single sample: latent SMOTE needs at "
                f"least 2 samples of each class it over-samples. {single_sample_advice}"
            )
        neighbours[label] = min(k_neighbors, n_samples - 1)
        if neighbours[label] < k_neighbors:
            warnings.warn(
                f"Class {label_repr(label)} has only {n_samples} samples: latent SMOTE "
                f"uses k_neighbors={n_samples - 1} for it instead of {k_neighbors}.",
                UserWarning,
            )
    return neighbours


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
