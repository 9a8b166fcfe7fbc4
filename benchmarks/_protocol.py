"""Fitting samplers and classifiers in imblearn pipelines."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from imblearn.pipeline import Pipeline
from sklearn.base import clone

__all__ = ["FittedPipelines", "fit_pipelines"]


@dataclass
class FittedPipelines:
    """Fitted pipelines that share their resampling steps.

    ``X_res``/``y_res`` is what the classifiers were trained on; the new
    rows are ``X_res[n_input:]``, since every sampler compared here appends
    its new rows after the input rows.
    """

    pipelines: dict[str, Pipeline]
    X_res: np.ndarray
    y_res: np.ndarray
    n_input: int
    resample_seconds: float
    classifier_seconds: dict[str, float]


def fit_pipelines(
    steps: list[tuple[str, object]], classifiers: dict[str, object], X, y
) -> FittedPipelines:
    """Fit ``Pipeline(steps + [classifier])`` for each classifier.

    ``Pipeline.fit`` runs the steps before the classifier (scaling,
    resampling) and then fits the classifier on their output. Those steps do
    not depend on the classifier, so they are fitted once here and shared:
    each returned pipeline predicts exactly as if it had been fitted on its
    own, the deep samplers are trained once per fold instead of once per
    classifier, and the resampled set stays available for the image-quality
    measures and the timing.

    Parameters
    ----------
    steps : list of (str, estimator)
        The steps before the classifier; the last one is the sampler.
    classifiers : dict of str to estimator
        Unfitted classifiers; each is cloned.
    X, y : array-like
        Training data.

    Returns
    -------
    fitted : FittedPipelines
    """
    resampling = Pipeline(steps)
    start = time.perf_counter()
    X_res, y_res = resampling.fit_resample(X, y)
    resample_seconds = time.perf_counter() - start
    pipelines, seconds = {}, {}
    for name, classifier in classifiers.items():
        start = time.perf_counter()
        fitted = clone(classifier).fit(X_res, y_res)
        seconds[name] = time.perf_counter() - start
        pipelines[name] = Pipeline([*resampling.steps, ("classifier", fitted)])
    return FittedPipelines(pipelines, X_res, y_res, len(X), resample_seconds, seconds)
