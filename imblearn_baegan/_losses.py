"""Losses: reconstruction of mixed rows, focal loss, gradient penalties, relaxed categories."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from ._random import draw

__all__ = [
    "FocalLoss",
    "RowReconstructionLoss",
    "class_logit",
    "gradient_penalty",
    "relax_categories",
    "wgan_gradient_penalty",
]

# Probabilities are floored here before their logarithm.
_TINY = 1e-7
# CTGAN's temperature: generated blocks close to one-hot, with gradients.
_GUMBEL_TAU = 0.2


class RowReconstructionLoss(nn.Module):
    """Reconstruction loss of rows that mix numeric units and categorical blocks.

    Each numeric unit contributes its squared error and each categorical
    block its cross-entropy against the real row's one-hot category; the
    sum over a row is divided by its number of columns (numeric units plus
    blocks) and averaged over the rows. With no blocks it is the mean
    squared error, :class:`torch.nn.MSELoss`, exactly.

    Parameters
    ----------
    category_sizes : sequence of int, default=()
        Units of each categorical block, which follow the numeric units.

    Examples
    --------
    >>> import torch
    >>> loss = RowReconstructionLoss(category_sizes=(2,))
    >>> x = torch.tensor([[0.5, 1.0, 0.0]])
    >>> round(loss(torch.tensor([[0.5, 0.9, 0.1]]), x).item(), 4)
    0.0527
    """

    def __init__(self, category_sizes=()):
        super().__init__()
        self.category_sizes = tuple(category_sizes)

    def forward(self, x_hat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """Loss of decoded rows ``x_hat`` against real rows ``x``, both in units."""
        if not self.category_sizes:
            return F.mse_loss(x_hat, x)
        n_numeric = x.shape[1] - sum(self.category_sizes)
        sizes = (n_numeric, *self.category_sizes)
        numeric_hat, *blocks_hat = x_hat.split(sizes, dim=1)
        numeric, *blocks = x.split(sizes, dim=1)
        per_row = (numeric_hat - numeric).pow(2).sum(dim=1)
        for p, target in zip(blocks_hat, blocks):
            per_row = per_row - (target * p.clamp_min(_TINY).log()).sum(dim=1)
        return per_row.mean() / (n_numeric + len(self.category_sizes))


def relax_categories(
    x: torch.Tensor, category_sizes, generator: torch.Generator | None = None
) -> torch.Tensor:
    """Generated rows with each categorical block made a near one-hot Gumbel-softmax draw.

    A critic that sees real rows' one-hot blocks beside a generator's
    probabilities tells them apart by their softness alone. As in CTGAN,
    each block of probabilities ``p`` becomes ``softmax((log p + g) / 0.2)``
    with Gumbel noise ``g``: close to one-hot, a draw from ``p``, and
    differentiable. Numeric units pass unchanged.

    Parameters
    ----------
    x : torch.Tensor of shape (n, n_features)
        Generated rows: numeric units, then blocks of probabilities.
    category_sizes : sequence of int
        Units of each block; empty for rows without blocks, which are
        returned as they are.
    generator : torch.Generator or None, default=None
        Source of the Gumbel noise.

    Examples
    --------
    >>> import torch
    >>> x = torch.tensor([[0.3, 0.5, 0.5]])
    >>> out = relax_categories(x, (2,), torch.Generator().manual_seed(0))
    >>> torch.equal(out[:, 0], x[:, 0]), round(out[0, 1:].sum().item(), 6)
    (True, 1.0)
    """
    if not category_sizes:
        return x
    n_numeric = x.shape[1] - sum(category_sizes)
    numeric, *blocks = x.split((n_numeric, *category_sizes), dim=1)
    relaxed = []
    for p in blocks:
        u = draw(torch.rand, tuple(p.shape), generator, p.device, p.dtype)
        gumbel = -(-(u.clamp(_TINY, 1 - _TINY)).log()).log()
        relaxed.append(((p.clamp_min(_TINY).log() + gumbel) / _GUMBEL_TAU).softmax(dim=1))
    return torch.cat([numeric, *relaxed], dim=1)


def class_logit(logits: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """Pick each row's own-class output from the discriminator's logits.

    Parameters
    ----------
    logits : torch.Tensor of shape (n, n_classes)
        One "drawn from the prior" logit per class.
    c : torch.Tensor of shape (n,)
        Class index of each row.

    Returns
    -------
    logit : torch.Tensor of shape (n,)

    Examples
    --------
    >>> import torch
    >>> class_logit(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([1, 0]))
    tensor([2., 3.])
    """
    return logits.gather(1, c[:, None]).squeeze(1)


class FocalLoss(nn.Module):
    """Binary focal loss ``-alpha_c (1 - p_t)**gamma log p_t`` on logits.

    ``p_t`` is the probability the discriminator gives to the right answer
    ("drawn from the prior" or "encoded") and ``alpha_c`` the weight of the
    row's class. With ``gamma=0`` and no ``alpha`` it is the plain binary
    cross-entropy of a standard GAN, which the BAEGAN-L ablation uses.

    The modulating factor ``(1 - p_t)**gamma`` is computed as
    ``exp(gamma * log(1 - p_t))`` from the logit, so that its gradient stays
    finite for every ``gamma >= 0``, ``0 < gamma < 1`` included, even when
    the discriminator is saturated and ``1 - p_t`` rounds to 0.

    With class weights the loss is a weighted mean, ``sum(alpha_c * l) /
    sum(alpha_c)`` over the batch, as in torch's weighted cross-entropy: the
    weights set how much each class counts relative to the others, and the
    loss keeps its scale whether or not a batch holds rows of a rare class.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter: larger values down-weight rows the discriminator
        already gets right.
    alpha : array-like of shape (n_classes,) or None, default=None
        Relative weight of each class. ``None`` weights all rows equally.
        :class:`~imblearn_baegan.BAEGANSampler` passes the inverse class
        frequencies (its ``focal_alpha="balanced"``).

    Examples
    --------
    >>> import torch
    >>> logit, target = torch.tensor([2.0, -1.0]), torch.tensor([1.0, 0.0])
    >>> c = torch.tensor([0, 1])
    >>> plain = FocalLoss(gamma=0.0)(logit, target, c)
    >>> bce = torch.nn.functional.binary_cross_entropy_with_logits(logit, target)
    >>> bool(torch.isclose(plain, bce))
    True
    >>> bool(FocalLoss(gamma=2.0)(logit, target, c) < plain)
    True
    """

    def __init__(self, gamma: float = 2.0, alpha=None):
        super().__init__()
        self.gamma = gamma
        # A buffer moves with the module across devices and pickles with it.
        self.register_buffer("alpha", None if alpha is None else torch.as_tensor(alpha).float())

    def forward(self, logit: torch.Tensor, target: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Mean focal loss of ``logit`` against 0/1 ``target`` for rows of classes ``c``."""
        signed = torch.where(target > 0.5, logit, -logit)
        log_p = F.logsigmoid(signed)
        # log(1 - p_t) = logsigmoid(-signed): no 1 - p_t that can round to 0.
        loss = -torch.exp(self.gamma * F.logsigmoid(-signed)) * log_p
        if self.alpha is None:
            return loss.mean()
        weight = self.alpha[c]
        return (loss * weight).sum() / weight.sum()


def gradient_penalty(
    discriminator: nn.Module,
    z_real: torch.Tensor,
    z_fake: torch.Tensor,
    c: torch.Tensor,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Zero-centred gradient penalty ``E[||grad D_c(z_hat)||**2]`` on interpolated codes.

    ``z_hat`` lies on random segments between prior draws and encoded codes,
    as in WGAN-GP, and ``D_c`` is the output of the row's class. The penalty
    pulls the gradient norm towards 0 rather than WGAN-GP's 1: with a
    cross-entropy (focal) critic, a unit-norm target turns the critic into a
    near-linear slope that shifts all codes the same way, and the codes
    collapsed to a point in our measurements, whereas the zero-centred form
    (Thanh-Tung et al., 2019) let them match the prior.

    Parameters
    ----------
    discriminator : torch.nn.Module
        Maps codes to one logit per class.
    z_real, z_fake : torch.Tensor of shape (n, latent_dim)
        Prior draws and (detached) encoded codes.
    c : torch.Tensor of shape (n,)
        Class index of each row.
    generator : torch.Generator or None, default=None
        Source of the interpolation weights; ``None`` uses torch's global
        generator. The weights are drawn on the generator's device and moved
        to the codes' device.

    Returns
    -------
    penalty : torch.Tensor
        A scalar with a graph back to the discriminator's weights.

    Examples
    --------
    >>> import torch
    >>> d = torch.nn.Linear(2, 3)
    >>> c = torch.tensor([0, 1, 2, 0])
    >>> gradient_penalty(d, torch.zeros(4, 2), torch.ones(4, 2), c).item() >= 0
    True
    """
    grad = _gradient_at_interpolates(
        lambda z_hat: class_logit(discriminator(z_hat), c), z_real, z_fake, generator
    )
    return grad.pow(2).sum(dim=1).mean()


def _gradient_at_interpolates(score, a, b, generator) -> torch.Tensor:
    """Gradient of ``score`` at ``eps * a + (1 - eps) * b``, one ``eps ~ U(0, 1)`` per row.

    The gradient keeps its graph, so that a penalty on it trains the
    network behind ``score``.
    """
    shape = (a.shape[0],) + (1,) * (a.dim() - 1)
    eps = draw(torch.rand, shape, generator, a.device, a.dtype)
    x_hat = (eps * a + (1.0 - eps) * b).requires_grad_(True)
    (grad,) = torch.autograd.grad(score(x_hat).sum(), x_hat, create_graph=True)
    return grad


def wgan_gradient_penalty(
    critic: nn.Module,
    real: torch.Tensor,
    fake: torch.Tensor,
    c: torch.Tensor,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """WGAN-GP's penalty ``E[(||grad_x D(x_hat, c)|| - 1)**2]`` on interpolated rows.

    ``x_hat = eps * real + (1 - eps) * fake`` with ``eps ~ U(0, 1)`` drawn
    once per row (Gulrajani et al., 2017), judged under the row's class
    ``c``; the norm of the critic's gradient with respect to ``x_hat`` is
    pulled towards 1. The critic must judge rows one by one (no batch
    norm), so that each row's gradient is its own.

    Parameters
    ----------
    critic : torch.nn.Module
        Maps rows and class indices, ``critic(x, c)``, to one score per row.
    real, fake : torch.Tensor of shape (n, n_features)
        Real rows and (detached) generated rows of the same classes.
    c : torch.Tensor of shape (n,)
        Class index of each row.
    generator : torch.Generator or None, default=None
        Source of the interpolation weights; ``None`` uses torch's global
        generator.

    Returns
    -------
    penalty : torch.Tensor
        A scalar with a graph back to the critic's weights.

    Examples
    --------
    >>> import torch
    >>> critic = lambda x, c: 3.0 * x.sum(dim=1)
    >>> x = torch.zeros(4, 2)
    >>> round(wgan_gradient_penalty(critic, x, x + 1, torch.zeros(4)).item(), 4)
    10.5147
    """
    grad = _gradient_at_interpolates(lambda x_hat: critic(x_hat, c), real, fake, generator)
    return (grad.flatten(1).norm(2, dim=1) - 1.0).pow(2).mean()
