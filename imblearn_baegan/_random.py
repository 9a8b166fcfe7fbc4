"""Random draws from a fit's own generator, on the device that needs them."""

from __future__ import annotations

import torch

__all__ = ["draw"]


def draw(fn, size: tuple, generator: torch.Generator | None, device, dtype=None) -> torch.Tensor:
    """``fn(size)`` drawn from ``generator``, returned on ``device``.

    The numbers are drawn on the generator's own device (a CPU generator
    cannot fill a CUDA tensor) and moved, so a seed gives the same numbers
    whatever the training device. ``generator=None`` draws from torch's
    global generator, directly on ``device``.

    Examples
    --------
    >>> import torch
    >>> g = torch.Generator().manual_seed(0)
    >>> draw(torch.randn, (2, 3), g, "cpu").shape
    torch.Size([2, 3])
    """
    source = device if generator is None else generator.device
    return fn(size, generator=generator, device=source, dtype=dtype).to(device)
