"""Figures for the result folder."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: the benchmarks run in the background

import matplotlib.pyplot as plt
import numpy as np

from ._report import save_figure

__all__ = ["bar_chart", "distinct_styles", "line_chart", "line_panels", "palette", "sample_grid"]

_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "*", "h", "p")
_LINESTYLES = ("-", "--", "-.", ":")


def palette() -> list[tuple[float, float, float]]:
    """Distinct colours, one per sampler: tab10, then tab20's lighter shades."""
    tab20 = plt.get_cmap("tab20").colors
    return list(plt.get_cmap("tab10").colors) + list(tab20[1::2])


def distinct_styles(names: list[str]) -> dict[str, dict]:
    """A colour, a marker and a line style per name, no two names alike.

    Colour alone does not tell a dozen lines apart, in print or for readers
    who see colours differently; marker and line style change together with
    it, so that each name keeps a look of its own in every panel.

    Parameters
    ----------
    names : list of str
        In a fixed order (e.g. the benchmark's sampler order), so that a name
        gets the same style in every figure.

    Returns
    -------
    styles : dict of str to dict
        ``Axes.plot`` keywords per name: ``color``, ``marker``, ``linestyle``.
    """
    colours = palette()
    return {
        name: {
            "color": colours[i % len(colours)],
            "marker": _MARKERS[i % len(_MARKERS)],
            "linestyle": _LINESTYLES[i % len(_LINESTYLES)],
        }
        for i, name in enumerate(names)
    }


def sample_grid(
    images: dict[int, np.ndarray],
    image_shape: tuple[int, int, int],
    title: str,
    path: Path,
    env: dict,
    class_names: tuple[str, ...] = (),
) -> Path:
    """One row of images per class, each row named for its class.

    Parameters
    ----------
    images : dict of int to ndarray of shape (n, n_pixels)
        Images per class label, pixels in ``[0, 1]``.
    image_shape : tuple of (int, int, int)
    title : str
    path : Path
        PNG to write.
    env : dict
        Provenance, see :func:`benchmarks._report.save_figure`.
    class_names : tuple of str, default=()
        The name of each label; ``class <label>`` where there is none.
    """
    labels = sorted(images)
    n_cols = max(len(v) for v in images.values())
    fig, axes = plt.subplots(
        len(labels),
        n_cols,
        figsize=(0.8 * n_cols + 0.6, 0.8 * len(labels) + 0.5),
        squeeze=False,
        layout="constrained",
    )
    for row, label in enumerate(labels):
        for col in range(n_cols):
            ax = axes[row, col]
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            if col < len(images[label]):
                image = images[label][col].reshape(image_shape)
                ax.imshow(np.moveaxis(image, 0, -1).squeeze(), cmap="gray", vmin=0, vmax=1)
            if col == 0:
                name = class_names[label] if label < len(class_names) else f"class {label}"
                ax.set_ylabel(name, fontsize=7, rotation=0, ha="right", va="center")
    fig.suptitle(title, fontsize=9)
    return save_figure(fig, path, env)


def bar_chart(
    groups: list[str],
    bars: dict[str, tuple[list, list | None]],
    ylabel: str,
    title: str,
    path: Path,
    env: dict,
    value_range: tuple[float, float] | None = None,
) -> Path:
    """Grouped bars, one group per entry of ``groups``.

    Parameters
    ----------
    groups : list of str
        Group labels on the x axis.
    bars : dict of str to (means, stds or None)
        Legend label -> one value per group, with optional error bars.
    ylabel, title : str
    path : Path
    env : dict
    value_range : (float, float) or None, default=None
        Every value the quantity can take, e.g. ``(1, n_samplers)`` for mean
        ranks: the bars then start at its lower end and the axis spans it,
        so that bar lengths compare. ``None`` suits scores, which crowd near
        the top: the axis starts a little below the lowest bar.
    """
    fig, ax = plt.subplots(figsize=(max(6.0, 0.7 * len(groups)), 3.6), layout="constrained")
    x = np.arange(len(groups))
    width = 0.8 / len(bars)
    base = 0.0 if value_range is None else value_range[0]
    lowest = np.inf
    for i, (label, (means, stds)) in enumerate(bars.items()):
        means = np.asarray(means, dtype=float)
        errors = None if stds is None else np.nan_to_num(np.asarray(stds, dtype=float))
        ax.bar(
            x + (i - (len(bars) - 1) / 2) * width,
            means - base,
            width,
            bottom=base,
            yerr=errors,
            label=label,
            capsize=2,
        )
        lowest = min(lowest, np.nanmin(means, initial=np.inf))
    ax.set_xticks(x, groups, rotation=30, ha="right", fontsize=8)
    if value_range is not None:
        low, high = value_range
        # Headroom above the range for the legend.
        ax.set_ylim(low, high + 0.12 * (high - low))
        if float(low).is_integer() and high - low <= 20:
            ax.set_yticks(np.arange(low, np.floor(high) + 1))
    elif np.isfinite(lowest):
        ax.set_ylim(bottom=max(0.0, lowest - 0.1 * abs(lowest) - 0.05))
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7, ncol=len(bars))
    ax.set_title(title, fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    return save_figure(fig, path, env)


def line_chart(
    series: dict[str, tuple[list, list]],
    xlabel: str,
    ylabel: str,
    title: str,
    path: Path,
    env: dict,
    log: bool = False,
    styles: dict[str, dict] | None = None,
) -> Path:
    """One line per named series of ``(x, y)`` points, legend on the right.

    Parameters
    ----------
    series : dict of str to (list, list)
    xlabel, ylabel, title : str
    path : Path
    env : dict
    log : bool, default=False
        Log scale on both axes (for growth with size).
    styles : dict of str to dict or None, default=None
        Extra ``Axes.plot`` keywords per series name (colour, line style).
    """
    fig, ax = plt.subplots(figsize=(7.5, 3.8), layout="constrained")
    for name, (xs, ys) in series.items():
        ax.plot(xs, ys, **{"marker": "o", "label": name, **(styles or {}).get(name, {})})
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return save_figure(fig, path, env)


def line_panels(
    panels: dict[str, dict[str, tuple[list, list]]],
    xlabel: str,
    ylabel: str,
    title: str,
    path: Path,
    env: dict,
    styles: dict[str, dict],
    log_y: bool = False,
) -> Path:
    """Small multiples: one panel of a few lines each, sharing both axes.

    Parameters
    ----------
    panels : dict of str to dict of str to (list, list)
        Panel title -> its series, as for :func:`line_chart`. A series may
        appear in several panels (e.g. a reference line).
    xlabel, ylabel, title : str
    path : Path
    env : dict
    styles : dict of str to dict
        ``Axes.plot`` keywords per series name, the same in every panel
        (see :func:`distinct_styles`); a ``label`` among them is the name
        shown in the legend.
    log_y : bool, default=False
        Log scale on the value axis, for values that span several orders of
        magnitude.
    """
    fig, axes = plt.subplots(
        1,
        len(panels),
        figsize=(4.2 * len(panels), 4.6),
        sharex=True,
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    for ax, (panel, series) in zip(axes[0], panels.items()):
        for name, (xs, ys) in series.items():
            style = {"label": name, "markersize": 5, "linewidth": 1.3, **styles.get(name, {})}
            ax.plot(xs, ys, **style)
        if log_y:
            ax.set_yscale("log")
        ax.set_title(panel, fontsize=8)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.grid(alpha=0.3, which="both" if log_y else "major")
        # Below the panel: the lines stay clear of it, and the panels of equal
        # width line up.
        ax.legend(
            fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False
        )
    xs = sorted({x for series in panels.values() for xs_, _ in series.values() for x in xs_})
    if len(xs) <= 12:
        # Few points, e.g. classes: a tick on each.
        axes[0][0].set_xticks(xs)
    axes[0][0].set_ylabel(ylabel)
    fig.suptitle(title, fontsize=9)
    return save_figure(fig, path, env)
