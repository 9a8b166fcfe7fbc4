"""Checks of the samplers' settings that scikit-learn's parameter constraints leave out."""

from __future__ import annotations

from numbers import Integral

import numpy as np
import torch

__all__: list[str] = []

# latent_dim="auto" for images, and its most for tables.
AUTO_LATENT_DIM = 32


def all_positive_ints(values) -> bool:
    """Whether every value is an integer of at least 1."""
    return all(isinstance(v, Integral) and v >= 1 for v in values)


def check_widths(name: str, dims) -> None:
    """Check that the layer widths ``dims`` of parameter ``name`` are positive integers."""
    if not all_positive_ints(dims):
        raise ValueError(f"{name} must hold positive integers, got {dims!r}.")


def check_image_shape(image_shape, n_features: int) -> None:
    """Check ``image_shape`` (or ``None``, a table) against the columns of ``X``."""
    if image_shape is None:
        return
    shape = tuple(image_shape)
    if len(shape) != 3 or not all_positive_ints(shape):
        raise ValueError(
            "image_shape must be (channels, height, width) with positive "
            f"integers, got {image_shape!r}."
        )
    if int(np.prod(shape)) != n_features:
        raise ValueError(
            f"image_shape={shape} describes {int(np.prod(shape))} values per "
            f"image, but X has {n_features} columns. Pass images flattened "
            "in C-order, e.g. X.reshape(len(X), -1) for an array of shape "
            "(n, C, H, W)."
        )


def resolve_latent_dim(latent_dim, image_shape, n_features: int) -> int:
    """``latent_dim`` with ``"auto"`` resolved: a table's columns, at most 32; 32 for images.

    A code wider than the row would give SMOTE in the latent space nothing
    to gain over SMOTE in the input space.
    """
    if latent_dim != "auto":
        return int(latent_dim)
    if image_shape is not None:
        return AUTO_LATENT_DIM
    return min(n_features, AUTO_LATENT_DIM)


def resolve_device(device) -> str:
    """``device`` as the name of a device torch can train on here: ``"cpu"`` or a CUDA one.

    ``"auto"`` picks CUDA when torch sees it. Other device types (``"mps"``,
    ``"xpu"``, ...) are refused here, before any training: the scaling and
    the cache are tested on the CPU and CUDA only, and MPS has no float64.
    """
    if isinstance(device, str) and device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        resolved = torch.device(device)
    except RuntimeError as exc:
        raise ValueError(
            f"device must be 'auto', 'cpu', 'cuda' or 'cuda:N', got {device!r}."
        ) from exc
    if resolved.type not in ("cpu", "cuda"):
        raise ValueError(
            f"device={device!r} is not supported: the samplers train on 'cpu' or "
            "'cuda' ('cuda:N'). Use device='cpu' on this machine."
        )
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was asked for, but torch sees no CUDA "
            "device. Use device='auto' to fall back to the CPU, or install a "
            "CUDA build of torch."
        )
    return str(resolved)


def label_repr(label) -> str:
    """A class label as the user wrote it: ``1`` or ``'cat'``, not ``np.int64(1)``."""
    return repr(label.item() if isinstance(label, np.generic) else label)
