"""Plots of what BAEGAN generates and of how its training went.

matplotlib is an optional dependency: it is imported when a function here is
called, not when this module is imported, so that the sampler works without
it. Install it with ``pip install matplotlib``, or the ``plot`` extra from a
clone (``pip install -e ".[plot]"``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure, SubFigure

__all__ = ["plot_history", "plot_samples"]


def _check_matplotlib(caller: str):
    """Import pyplot, or say how to install it when it is missing."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{caller} needs matplotlib, an optional dependency of imblearn-baegan. "
            "Install it with `pip install matplotlib`."
        ) from exc
    return plt


def _images(X, image_shape: Sequence[int] | None) -> np.ndarray:
    """Turn rows or image arrays into ``(n, height, width[, 3])`` for imshow."""
    X = np.asarray(X, dtype=np.float64)
    if image_shape is None:
        if X.ndim == 2:
            side = math.isqrt(X.shape[1])
            if side * side != X.shape[1]:
                raise ValueError(
                    f"X has {X.shape[1]} columns, which is not a square number of "
                    "pixels: pass image_shape=(channels, height, width)."
                )
            image_shape = (1, side, side)
        elif X.ndim == 3:
            image_shape = (1, *X.shape[1:])
        elif X.ndim == 4:
            image_shape = X.shape[1:]
        else:
            raise ValueError(f"X must have 2, 3 or 4 dimensions, got {X.ndim}.")
    image_shape = tuple(int(d) for d in image_shape)
    if len(image_shape) == 2:
        image_shape = (1, *image_shape)
    if len(image_shape) != 3 or image_shape[0] not in (1, 3):
        raise ValueError(
            "image_shape must be (height, width) or (channels, height, width) "
            f"with 1 or 3 channels, got {image_shape!r}."
        )
    if int(np.prod(image_shape)) != int(np.prod(X.shape[1:])):
        raise ValueError(
            f"image_shape={image_shape} describes {int(np.prod(image_shape))} values "
            f"per image, but each row of X has {int(np.prod(X.shape[1:]))}."
        )
    images = X.reshape(len(X), *image_shape)
    if image_shape[0] == 1:
        return images[:, 0]
    # imshow wants RGB last and in [0, 1]; one range for all images keeps
    # their brightness comparable.
    low, high = images.min(), images.max()
    return np.moveaxis((images - low) / ((high - low) or 1.0), 1, -1)


def plot_samples(
    X,
    image_shape: Sequence[int] | None = None,
    *,
    labels: Sequence[Any] | None = None,
    n_cols: int = 8,
    title: str | None = None,
    cmap: str = "gray_r",
    fig: Figure | SubFigure | None = None,
) -> Figure | SubFigure:
    """Show images, given as rows of ``X``, in a grid.

    Use it to look at real and generated samples side by side, e.g. the rows
    that :meth:`~imblearn_baegan.BAEGANSampler.fit_resample` appended.

    Parameters
    ----------
    X : array-like of shape (n_images, n_pixels), (n_images, height, width) \
            or (n_images, channels, height, width)
        The images; rows are flattened in C-order, as the sampler takes them.
    image_shape : tuple of int or None, default=None
        ``(channels, height, width)`` or ``(height, width)`` of one image,
        e.g. the sampler's ``image_shape``. ``None`` infers it from ``X``'s
        shape: square grey images for 2-D ``X``.
    labels : sequence or None, default=None
        One title per image, e.g. the class labels.
    n_cols : int, default=8
        Images per row of the grid.
    title : str or None, default=None
        Title of the whole grid.
    cmap : str, default="gray_r"
        Colour map of grey images; ignored for RGB images.
    fig : matplotlib Figure or SubFigure or None, default=None
        Where to draw; ``None`` makes a new figure sized to the grid. Pass
        one of ``fig.subfigures(1, 2)`` to put two grids side by side.

    Returns
    -------
    fig : matplotlib Figure or SubFigure
        The figure drawn into.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    ValueError
        If ``X`` and ``image_shape`` do not describe the same images.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from imblearn_baegan.plotting import plot_samples
    >>> X, y = load_digits(return_X_y=True)
    >>> fig = plot_samples(X[:16], (1, 8, 8), labels=y[:16], title="Digits")
    >>> len(fig.axes)
    16
    """
    plt = _check_matplotlib("plot_samples")
    if n_cols < 1:
        raise ValueError(f"n_cols must be a positive integer, got {n_cols!r}.")
    images = _images(X, image_shape)
    if len(images) == 0:
        raise ValueError("X holds no image to plot.")
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"Got {len(labels)} labels for {len(images)} images.")
    n_cols = min(n_cols, len(images))
    n_rows = math.ceil(len(images) / n_cols)
    if fig is None:
        fig = plt.figure(figsize=(1.2 * n_cols, 1.2 * n_rows + (0.4 if title else 0)))
    axes = np.atleast_1d(fig.subplots(n_rows, n_cols, squeeze=False)).ravel()
    for i, ax in enumerate(axes):
        if i >= len(images):
            # Empty cells of the last row would otherwise show bare frames.
            fig.delaxes(ax)
            continue
        ax.imshow(images[i], cmap=None if images.ndim == 4 else cmap)
        ax.set_xticks([])
        ax.set_yticks([])
        if labels is not None:
            ax.set_title(str(labels[i]), fontsize="small")
    if title:
        fig.suptitle(title)
    return fig


def _history_of(estimator):
    """The skorch history of a fitted sampler, of a net, or the history itself."""
    net = getattr(estimator, "net_", estimator)
    history = getattr(net, "history", net)
    if not isinstance(history, list) or not all(isinstance(row, dict) for row in history):
        raise TypeError(
            "plot_history takes a fitted sampler or net of the package, or a "
            f"skorch History, got {type(estimator).__name__}."
        )
    if len(history) == 0:
        raise ValueError("The history is empty: fit the sampler (fit_resample) or the net first.")
    return history


def _loss_keys(estimator, history) -> list[str]:
    """The losses the net records per batch, or, for a bare history, its ``*_loss`` keys."""
    net = getattr(estimator, "net_", estimator)
    keys = getattr(net, "_loss_keys", None)
    if keys is None:
        # In the order the losses first get a value: pre-training's first.
        first = {}
        for epoch, row in enumerate(history):
            for position, (key, value) in enumerate(row.items()):
                if value is not None and key not in first:
                    first[key] = (epoch, position)
        keys = sorted(
            (k for k in first if k.endswith("_loss") and k not in ("train_loss", "valid_loss")),
            key=first.get,
        )
    return [k for k in keys if _has_values(history, k)] or ["train_loss"]


def _has_values(history, key: str) -> bool:
    """Whether some epoch records ``key`` with a value other than ``None``."""
    return any(row.get(key) is not None for row in history)


def plot_history(
    estimator,
    *,
    keys: Sequence[str] | None = None,
    log_scale: bool = False,
    fig: Figure | SubFigure | None = None,
) -> Figure | SubFigure:
    """Plot the losses of every epoch, one panel per loss.

    Epochs of the adversarial phase (b) are shaded, so that the change from
    pre-training to adversarial training stands out. Losses an epoch did not
    record, or recorded as ``None`` (the discriminator's and generator's
    during pre-training), are left out of the curve.

    Parameters
    ----------
    estimator : fitted sampler, fitted net or skorch.history.History
        A fitted sampler of the package (its ``net_.history`` is read), a
        fitted net (its ``history``) or a history.
    keys : sequence of str or None, default=None
        Per-epoch history keys to plot. ``None`` plots every loss the net
        records (BAEGAN's reconstruction, discriminator and generator
        losses, BAGAN-GP's critic loss, DeepSMOTE's penalty, ...) that has a
        value in at least one epoch, so a run without adversarial epochs
        gets the reconstruction loss only.
    log_scale : bool, default=False
        Use a logarithmic y axis.
    fig : matplotlib Figure or SubFigure or None, default=None
        Where to draw; ``None`` makes a new figure.

    Returns
    -------
    fig : matplotlib Figure or SubFigure
        The figure drawn into, with one axes per key, sharing the epoch axis.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    KeyError
        If a key in ``keys`` has a value in no epoch.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_baegan import BAEGANSampler
    >>> from imblearn_baegan.plotting import plot_history
    >>> X, y = make_classification(n_samples=200, weights=[0.8],
    ...                            random_state=0)
    >>> sampler = BAEGANSampler(latent_dim=4, hidden_dims=(16,),
    ...                         pretrain_epochs=2, adversarial_epochs=2,
    ...                         random_state=0)
    >>> _ = sampler.fit_resample(X, y)
    >>> fig = plot_history(sampler)
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['reconstruction loss', 'discriminator loss', 'generator loss']
    """
    plt = _check_matplotlib("plot_history")
    history = _history_of(estimator)
    if keys is None:
        keys = _loss_keys(estimator, history)
    missing = [k for k in keys if not _has_values(history, k)]
    if missing:
        raise KeyError(
            f"The history records no {missing} in any epoch; it holds "
            f"{sorted({k for row in history for k in row if k != 'batches'})}."
        )
    epochs = np.array([row.get("epoch", i + 1) for i, row in enumerate(history)])
    adversarial = np.array([row.get("phase") == "adversarial" for row in history])

    if fig is None:
        fig = plt.figure(figsize=(6, 1.8 * len(keys) + 0.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(len(keys), 1, sharex=True, squeeze=False)).ravel()
    for ax, key in zip(axes, keys):
        # NaN leaves a gap in the line where an epoch has no value.
        values = np.array(
            [np.nan if row.get(key) is None else row[key] for row in history],
            dtype=float,
        )
        ax.plot(epochs, values, marker="o", markersize=3)
        if adversarial.any():
            first = epochs[adversarial].min()
            ax.axvspan(first - 0.5, epochs.max() + 0.5, color="tab:orange", alpha=0.12)
        if log_scale:
            ax.set_yscale("log")
        ax.set_ylabel(key.replace("_", " "))
    axes[-1].set_xlabel("epoch")
    if adversarial.any():
        axes[0].set_title("shaded: adversarial phase (b)", fontsize="small", loc="right")
    return fig
