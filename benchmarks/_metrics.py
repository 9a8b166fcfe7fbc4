"""Scores: classification metrics of both protocols and the Fréchet distance."""

from __future__ import annotations

import numpy as np
from imblearn.metrics import geometric_mean_score
from sklearn.metrics import balanced_accuracy_score, f1_score, pairwise_distances_argmin_min

__all__ = [
    "IMAGE_METRICS",
    "MEMORISATION_QUANTILES",
    "TABULAR_METRICS",
    "frechet_distance",
    "image_scores",
    "memorisation",
    "tabular_scores",
]

# Key -> label, in table order.
IMAGE_METRICS = {
    "acsa": "ACSA",
    "macro_f1": "macro F1",
    "gmean_macro": "G-mean (macro)",
    "gmean_multiclass": "G-mean (multiclass)",
}
TABULAR_METRICS = {
    "balanced_accuracy": "balanced accuracy",
    "minority_f1": "minority F1",
    "gmean": "G-mean",
}


def image_scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """The papers' metrics for a multi-class image test set.

    ACSA is the balanced accuracy. The G-mean is given twice: one-vs-rest
    averaged over classes (``average="macro"``, the papers' GM) and the
    product form over all class recalls (``average="multiclass"``, which is
    0 as soon as one class is never predicted right).

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_samples,)

    Returns
    -------
    scores : dict
        Keys of :data:`IMAGE_METRICS`.
    """
    return {
        "acsa": float(balanced_accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro")),
        "gmean_macro": float(geometric_mean_score(y_true, y_pred, average="macro")),
        "gmean_multiclass": float(geometric_mean_score(y_true, y_pred, average="multiclass")),
    }


def tabular_scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Binary metrics with the minority class labelled 1.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_samples,)

    Returns
    -------
    scores : dict
        Keys of :data:`TABULAR_METRICS`; the G-mean is
        ``sqrt(sensitivity * specificity)``.
    """
    return {
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
        "minority_f1": float(f1_score(y_true, y_pred, pos_label=1, zero_division=0)),
        "gmean": float(geometric_mean_score(y_true, y_pred, average="binary")),
    }


def _psd_sqrt(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix."""
    values, vectors = np.linalg.eigh(matrix)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def frechet_distance(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets.

    ``||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))``, the formula
    of FID, here on whatever feature space the caller chose. The trace of
    ``(S_a S_b)^(1/2)`` is taken as that of the symmetric
    ``(S_a^(1/2) S_b S_a^(1/2))^(1/2)``, which has the same eigenvalues and
    stays stable when there are fewer samples than features (singular
    covariances), where ``scipy.linalg.sqrtm`` of the product does not.

    Parameters
    ----------
    features_a, features_b : ndarray of shape (n, d)

    Returns
    -------
    distance : float
    """
    mu_a, mu_b = features_a.mean(axis=0), features_b.mean(axis=0)
    cov_a = np.atleast_2d(np.cov(features_a, rowvar=False))
    cov_b = np.atleast_2d(np.cov(features_b, rowvar=False))
    root_a = _psd_sqrt(cov_a)
    middle = root_a @ cov_b @ root_a
    trace_root = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0, None)).sum()
    diff = mu_a - mu_b
    return float(diff @ diff + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root)


#: Levels at which :func:`memorisation` summarises the distance distributions.
MEMORISATION_QUANTILES = tuple(np.round(np.linspace(0.0, 1.0, 21), 2))


def memorisation(generated: np.ndarray, train: np.ndarray, held_out: np.ndarray) -> dict:
    """Whether generated images sit closer to the training images than new real ones do.

    Each generated image's Euclidean distance to its nearest training image
    of the same class is compared with the same distance for real images
    the sampler never saw (``held_out``). A generator that copies its
    training images gives distances near 0; one that draws new images like
    the real ones gives the held-out distribution. Distances are divided by
    the held-out median, so classes and data sets compare.

    Parameters
    ----------
    generated, train, held_out : ndarray of shape (n, n_pixels)
        Images of one class, in the same units.

    Returns
    -------
    result : dict
        ``median_ratio``: median generated distance over median held-out
        distance (1 for a generator like real data, 0 for copies);
        ``near_copies``: share of generated images at most as far from the
        training images as the closest 1% of held-out images;
        ``generated`` and ``held_out``: the scaled distances themselves.
    """

    def nearest(queries: np.ndarray) -> np.ndarray:
        _, distances = pairwise_distances_argmin_min(
            queries.astype(np.float32), train.astype(np.float32)
        )
        return distances

    d_held_out = nearest(held_out)
    scale = float(np.median(d_held_out))
    d_generated = nearest(generated) / scale
    d_held_out = d_held_out / scale
    return {
        "median_ratio": float(np.median(d_generated)),
        "near_copies": float(np.mean(d_generated <= np.quantile(d_held_out, 0.01))),
        "generated": d_generated,
        "held_out": d_held_out,
    }
