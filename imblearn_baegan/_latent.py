"""The latent space: the prior p(z | c) and SMOTE on latent codes (phase c)."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.neighbors import NearestNeighbors
from torch import nn

from ._random import draw

__all__ = ["LatentPrior", "latent_smote"]


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


def latent_smote(
    z: np.ndarray,
    n_samples: int,
    k_neighbors: int,
    random_state: np.random.RandomState,
) -> tuple[np.ndarray, np.ndarray]:
    """SMOTE interpolation between the latent codes of one class.

    Each new code lies on the segment between a random code, its base, and
    one of the base's ``k_neighbors`` nearest neighbours in the same class,
    as in SMOTE.

    Parameters
    ----------
    z : ndarray of shape (n_codes, latent_dim)
        Codes of one class; ``n_codes`` must exceed ``k_neighbors``.
    n_samples : int
        Number of codes to make.
    k_neighbors : int
        Neighbours to interpolate towards.
    random_state : numpy.random.RandomState
        Source of the random choices.

    Returns
    -------
    z_new : ndarray of shape (n_samples, latent_dim)
        The new codes.
    base : ndarray of shape (n_samples,)
        Row of ``z`` each new code starts from.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> z_new, base = latent_smote(z, 4, 2, np.random.RandomState(0))
    >>> z_new.shape, base.shape
    ((4, 2), (4,))
    """
    nn_ = NearestNeighbors(n_neighbors=k_neighbors + 1).fit(z)
    neighbours = nn_.kneighbors(z, return_distance=False)[:, 1:]
    base = random_state.randint(0, z.shape[0], size=n_samples)
    cols = random_state.randint(0, k_neighbors, size=n_samples)
    steps = random_state.uniform(size=(n_samples, 1))
    return z[base] + steps * (z[neighbours[base, cols]] - z[base]), base
