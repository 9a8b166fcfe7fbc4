"""Does a sampler beat SMOTE on my data? Candidates cross-validated on the same folds.

:func:`compare_samplers` puts each candidate sampler before the same
classifier in an imbalanced-learn ``Pipeline``, scores every candidate on
the same folds, and compares each with a reference fold by fold, with a
test that accounts for the overlap of cross-validation's training sets.
:class:`SamplerComparison` holds the scores and shows them as a tidy
frame, a summary with verdicts, HTML and a figure.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
import warnings
from numbers import Integral

import numpy as np
from imblearn.over_sampling import SMOTE, SMOTEN, SMOTENC, RandomOverSampler
from imblearn.pipeline import Pipeline
from joblib import Parallel, delayed
from scipy import stats
from sklearn.base import clone, is_classifier
from sklearn.metrics import average_precision_score, check_scoring, make_scorer
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV, check_cv
from sklearn.preprocessing import label_binarize
from sklearn.utils import _safe_indexing

from ._baegan import BAEGANSampler
from ._frames import from_polars
from ._rows import auto_categorical
from ._validation import label_repr

__all__ = ["SamplerComparison", "compare_samplers"]

logger = logging.getLogger(__name__)

#: The candidate value that stands for a tuned decision threshold.
TUNED_THRESHOLD = "tuned_threshold"
#: Two-sided level of the corrected paired t-test behind the verdicts.
ALPHA = 0.05
_NO_RESAMPLING = (None, "passthrough")


def compare_samplers(
    estimator,
    X,
    y,
    samplers: dict | None = None,
    *,
    cv=5,
    groups=None,
    scoring=None,
    reference: str | None = None,
    memory=None,
    n_jobs: int | None = None,
    random_state=None,
    error_score=np.nan,
    verbose: int = 1,
) -> SamplerComparison:
    """Cross-validate a classifier behind each sampler, on the same folds, against a reference.

    Each candidate sampler goes before ``estimator`` in an
    imbalanced-learn :class:`~imblearn.pipeline.Pipeline`, so that only the
    training rows of each fold are resampled and anything ``estimator``
    does (encoding categories, scaling) sees the resampled rows. Every
    candidate is scored on the same folds, and each is compared with the
    ``reference`` fold by fold: see :class:`SamplerComparison` for the rule
    behind the verdicts.

    Parameters
    ----------
    estimator : classifier
        The model after the sampler, e.g. a scikit-learn ``Pipeline`` of a
        column encoder and a classifier. It is cloned for every fold.
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        The rows; a pandas or polars DataFrame may have categorical columns.
    y : array-like of shape (n_samples,)
        The class of each row.
    samplers : dict of str to sampler, None or "tuned_threshold", default=None
        The candidates, by name. A value is an imbalanced-learn sampler
        (anything with ``fit_resample``), ``None`` (or ``"passthrough"``)
        for no resampling, or ``"tuned_threshold"`` for no resampling with
        the decision threshold tuned on balanced accuracy by
        :class:`~sklearn.model_selection.TunedThresholdClassifierCV` (two
        classes only). ``None`` compares no resampling, the tuned threshold
        (with two classes), ``RandomOverSampler``, ``SMOTE`` (``SMOTENC``
        when ``X`` has categorical columns, ``SMOTEN`` when it has only
        those; found as the samplers' ``categorical_features="auto"`` finds
        them) and :class:`BAEGANSampler`, each seeded with ``random_state``.
    cv : int or cross-validation splitter, default=5
        An int is the number of folds of a ``StratifiedKFold`` shuffled with
        ``random_state``; any scikit-learn splitter (or iterable of
        train/test indices) is used as it is. The folds are drawn once and
        shared by every candidate.
    groups : array-like of shape (n_samples,) or None, default=None
        Group labels, for splitters that use them (``GroupKFold``).
    scoring : str, callable, list, dict or None, default=None
        Scores to compute, as for :func:`~sklearn.model_selection.cross_validate`,
        but for a callable that returns a dict (give a dict of scorers).
        ``None`` is balanced accuracy and average precision: with two classes
        the average precision of the rarer class, with more its macro mean
        over the classes a test fold holds.
    reference : str or None, default=None
        Name of the candidate the others are compared with. ``None`` takes
        the SMOTE candidate (``"SMOTE"``, ``"SMOTENC"`` or ``"SMOTEN"``)
        when there is one, else the first candidate.
    memory : str, path, joblib.Memory or None, default=None
        Passed on as ``memory`` to every candidate that takes one (the deep
        samplers), so that a second call with the same folds and seeds
        loads the trained networks instead of training them. Needs an
        integer ``random_state`` for the default candidates.
    n_jobs : int or None, default=None
        Fits to run in parallel, through joblib; ``None`` runs one at a time.
        The scores do not depend on it.
    random_state : int, RandomState instance or None, default=None
        Shuffles the folds of an int ``cv`` and seeds the default candidates.
    error_score : "raise" or float, default=np.nan
        A candidate whose fit or scoring fails on a fold gets this score
        there, with a warning naming the candidate, the fold and the error
        (its verdicts are then "undetermined"); ``"raise"`` stops the
        comparison with the error instead.
    verbose : int, default=1
        ``0`` is silent; ``1`` logs a line for each candidate and fold as it
        finishes (to standard output, through the ``imblearn_baegan``
        logger, unless that logger has handlers of its own).

    Returns
    -------
    comparison : SamplerComparison
        The scores of each candidate on each fold, with ``summary()``,
        ``to_frame()`` and ``plot()``.

    Raises
    ------
    TypeError
        If ``estimator`` is not a classifier, or a candidate is not a sampler.
    ValueError
        Before any training: for one class, a class with fewer rows than
        folds, a training fold with too few rows of a class for an
        imbalanced-learn candidate's ``k_neighbors`` or ``n_neighbors``
        (SMOTE, ADASYN...), a tuned threshold with more than two classes,
        two candidates of one name, or an unknown ``reference``.

    See Also
    --------
    SamplerComparison : The result, and the rule behind its verdicts.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imblearn.over_sampling import SMOTE, RandomOverSampler
    >>> from imblearn_baegan import compare_samplers
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> candidates = {"none": None, "ROS": RandomOverSampler(random_state=0),
    ...               "SMOTE": SMOTE(random_state=0)}
    >>> comparison = compare_samplers(
    ...     LogisticRegression(), X, y, candidates, random_state=0, verbose=0
    ... )
    >>> comparison.reference
    'SMOTE'
    >>> comparison.to_frame().shape
    (15, 6)
    >>> comparison.summary().loc["none", ("balanced_accuracy", "verdict")] in (
    ...     "higher", "lower", "within noise")
    True
    """
    if not is_classifier(estimator):
        raise TypeError(
            f"estimator must be a classifier, got {type(estimator).__name__}: "
            "compare_samplers scores a classifier behind each sampler."
        )
    X = from_polars(X)
    y = np.asarray(from_polars(y))
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError(
            f"y holds one class ({classes.tolist()}): there is nothing to compare samplers on."
        )
    splits = _splits(cv, X, y, groups, classes, counts, random_state)
    minority = classes[np.argmin(counts)]
    candidates = _candidates(samplers, X, random_state, memory)
    _check_candidates(candidates, y, splits, classes)
    if reference is None:
        smote = [name for name in ("SMOTE", "SMOTENC", "SMOTEN") if name in candidates]
        reference = smote[0] if smote else next(iter(candidates))
    if reference not in candidates:
        raise ValueError(
            f"reference={reference!r} is not a candidate; the candidates are {list(candidates)}."
        )
    scorers = _scorers(scoring, len(classes), minority)
    clash = sorted(set(scorers) & {"candidate", "fold", "fit_time", "score_time", "error"})
    if clash:
        raise ValueError(f"Scores cannot be named {clash}: the results use those names.")
    models = {name: _model(value, estimator) for name, value in candidates.items()}
    tasks = [(name, k) for name in models for k in range(len(splits))]
    rows = []
    with _progress(verbose):
        logger.info(
            "compare_samplers: %d candidates on %d folds (%d fits), reference %s",
            len(models),
            len(splits),
            len(tasks),
            reference,
        )
        started = time.perf_counter()
        results = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_fit_and_score)(models[name], X, y, *splits[k], scorers, error_score)
            for name, k in tasks
        )
        for done, ((name, k), result) in enumerate(zip(tasks, results), start=1):
            error = result.pop("error")
            if error is not None:
                warnings.warn(
                    f"Candidate {name!r} failed on fold {k + 1}, which scores "
                    f"{error_score} there: {error}",
                    UserWarning,
                )
            rows.append({"candidate": name, "fold": k, **result})
            scores = ", ".join(f"{m} {result[m]:.3f}" for m in scorers)
            logger.info(
                "[%d/%d] %s, fold %d of %d: fit %.1f s, %s (elapsed %.0f s)",
                done,
                len(tasks),
                name,
                k + 1,
                len(splits),
                result["fit_time"],
                scores,
                time.perf_counter() - started,
            )
    test_share = float(np.mean([len(test) / len(train) for train, test in splits]))
    return SamplerComparison(rows, list(scorers), reference, test_share)


def _splits(cv, X, y, groups, classes, counts, random_state) -> list:
    """The folds, drawn once, after checking that every class can be in each."""
    if isinstance(cv, Integral) and not isinstance(cv, bool):
        smallest = int(np.argmin(counts))
        n_rows = int(counts[smallest])
        if n_rows < cv:
            raise ValueError(
                f"Class {label_repr(classes[smallest])} has {n_rows} rows, fewer than the "
                f"cv={cv} folds: each fold needs one. Lower cv to {max(n_rows, 2)} or "
                "fewer, or gather more rows of that class."
            )
        cv = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
    splits = list(check_cv(cv, y, classifier=True).split(X, y, groups))
    for k, (train, _) in enumerate(splits):
        missing = np.setdiff1d(classes, y[train])
        if missing.size:
            raise ValueError(
                f"Training fold {k + 1} holds no row of class(es) "
                f"{', '.join(label_repr(c) for c in missing)}: "
                "use a stratified splitter, or fewer folds."
            )
    return splits


def _candidates(samplers, X, random_state, memory) -> dict:
    """The candidates by name, with ``memory`` passed to those that take it."""
    if samplers is None:
        samplers = _default_candidates(X, random_state)
    if not isinstance(samplers, dict) or not samplers:
        raise TypeError(
            "samplers must be a non-empty dict of name -> sampler, None or "
            f"'tuned_threshold', got {samplers!r}."
        )
    candidates = {}
    for name, value in samplers.items():
        if str(name) in candidates:
            raise ValueError(f"Two candidates are named {str(name)!r}; give each its own name.")
        if isinstance(value, str) and value in ("passthrough", TUNED_THRESHOLD):
            candidates[str(name)] = None if value == "passthrough" else value
            continue
        if value is not None and not hasattr(value, "fit_resample"):
            raise TypeError(
                f"samplers[{name!r}] is {type(value).__name__}, not a sampler (it has no "
                "fit_resample). Give an imbalanced-learn sampler, None for no "
                "resampling, or 'tuned_threshold'."
            )
        if value is not None and memory is not None and "memory" in value.get_params():
            value = clone(value).set_params(memory=memory)
        candidates[str(name)] = value
    return candidates


def _default_candidates(X, random_state) -> dict:
    candidates = {
        "none": None,
        "tuned threshold": TUNED_THRESHOLD,
        "RandomOverSampler": RandomOverSampler(random_state=random_state),
    }
    categorical = auto_categorical(X)
    n_features = X.shape[1]
    if categorical.size == n_features:
        candidates["SMOTEN"] = SMOTEN(random_state=random_state)
    elif categorical.size:
        candidates["SMOTENC"] = SMOTENC(categorical.tolist(), random_state=random_state)
    else:
        candidates["SMOTE"] = SMOTE(random_state=random_state)
    candidates["BAEGAN"] = BAEGANSampler(random_state=random_state)
    return candidates


def _check_candidates(candidates: dict, y, splits, classes) -> None:
    """Refuse, before any training, what would fail in a fold."""
    if len(classes) > 2:
        tuned = [name for name, value in candidates.items() if value == TUNED_THRESHOLD]
        if tuned:
            raise ValueError(
                f"Candidate {tuned[0]!r} tunes a decision threshold, which needs two "
                f"classes; y has {len(classes)}. Leave it out."
            )
    fewest = min(int(np.min(np.unique(y[train], return_counts=True)[1])) for train, _ in splits)
    for name, value in candidates.items():
        # imbalanced-learn's SMOTE family and ADASYN need neighbours + 1 rows
        # of a class; the package's own samplers use fewer where they must.
        if (
            value is None
            or isinstance(value, str)
            or not type(value).__module__.startswith("imblearn.")
        ):
            continue
        params = value.get_params()
        for param in ("k_neighbors", "n_neighbors"):
            k = params.get(param)
            if isinstance(k, Integral) and fewest <= k:
                raise ValueError(
                    f"Candidate {name!r} needs {param} + 1 = {k + 1} rows of each class "
                    f"it over-samples, but a training fold holds only {fewest} rows of "
                    f"the rarest class. Give it {param}={max(fewest - 1, 1)} or fewer, "
                    "or lower cv."
                )


def _scorers(scoring, n_classes: int, minority) -> dict:
    if scoring is None:
        if n_classes == 2:
            precision = make_scorer(
                average_precision_score,
                response_method=("predict_proba", "decision_function"),
                pos_label=minority,
            )
            return {"balanced_accuracy": "balanced_accuracy", "average_precision": precision}
        return {
            "balanced_accuracy": "balanced_accuracy",
            "average_precision_macro": _macro_average_precision,
        }
    if isinstance(scoring, str):
        return {scoring: scoring}
    if callable(scoring):
        return {"score": scoring}
    if isinstance(scoring, (list, tuple, set)):
        return {str(s): s for s in scoring}
    return dict(scoring)


def _macro_average_precision(estimator, X, y) -> float:
    """Macro average precision over the classes ``y`` holds, one column per ``classes_``.

    A test fold without some class would otherwise misalign the binarized
    labels with the score columns, and that class's precision is undefined.
    """
    scores = (
        estimator.predict_proba(X)
        if hasattr(estimator, "predict_proba")
        else estimator.decision_function(X)
    )
    labels = label_binarize(y, classes=estimator.classes_)
    present = labels.sum(axis=0) > 0
    return float(average_precision_score(labels[:, present], scores[:, present], average="macro"))


def _model(value, estimator):
    """The candidate's unfitted model; every fold fits a clone of it."""
    if value is None:
        return estimator
    if isinstance(value, str):
        return TunedThresholdClassifierCV(estimator, scoring="balanced_accuracy")
    return Pipeline([("sampler", value), ("model", estimator)])


def _fit_and_score(model, X, y, train, test, scorers: dict, error_score) -> dict:
    model = clone(model)
    started = time.perf_counter()
    fitted = started
    try:
        model.fit(_safe_indexing(X, train), y[train])
        fitted = time.perf_counter()
        scorer = check_scoring(model, scoring=scorers)
        scores = scorer(model, _safe_indexing(X, test), y[test])
        scores = {name: float(scores[name]) for name in scorers}
        error = None
    except Exception as exc:
        if isinstance(error_score, str) and error_score == "raise":
            raise
        scores = dict.fromkeys(scorers, float(error_score))
        error = f"{type(exc).__name__}: {exc}"
    return {
        **scores,
        "fit_time": fitted - started,
        "score_time": time.perf_counter() - fitted,
        "error": error,
    }


@contextlib.contextmanager
def _progress(verbose: int):
    """Progress lines to standard output for the call, unless logging already handles them."""
    level, propagate = logger.level, logger.propagate
    handler = None
    if not verbose:
        logger.setLevel(logging.WARNING)
    elif not (logging.getLogger("imblearn_baegan").handlers or logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    try:
        yield
    finally:
        if handler is not None:
            logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def paired_verdict(differences, test_share: float, alpha: float = ALPHA) -> tuple[str, float]:
    """The verdict on paired fold differences, and its p-value.

    The corrected resampled t-test of Nadeau and Bengio (2003): the
    variance of the mean difference is ``(1 / k + n_test / n_train)``
    times the differences' variance, not ``1 / k``, because the training
    sets of cross-validation folds overlap. "higher" or "lower" when the
    two-sided p-value is below ``alpha``, "within noise" otherwise.

    Parameters
    ----------
    differences : array-like of shape (k,)
        Candidate minus reference, one value per fold.
    test_share : float
        Mean ratio of test rows to training rows over the folds.
    alpha : float, default=0.05

    Returns
    -------
    verdict : {"higher", "lower", "within noise", "undetermined"}
        "undetermined" when a fold's difference is missing (a failed fit)
        or there are fewer than two folds: no test can be run.
    p_value : float

    Examples
    --------
    >>> paired_verdict([0.05, 0.04, 0.06, 0.05, 0.05], 0.25)[0]
    'higher'
    >>> paired_verdict([0.02, -0.03, 0.01, -0.01, 0.02], 0.25)[0]
    'within noise'
    """
    d = np.asarray(differences, dtype=np.float64)
    if len(d) < 2 or not np.isfinite(d).all():
        return "undetermined", float("nan")
    mean = d.mean()
    variance = d.var(ddof=1)
    if variance == 0:
        p = 1.0 if mean == 0 else 0.0
    else:
        t = mean / np.sqrt((1 / len(d) + test_share) * variance)
        p = float(2 * stats.t.sf(abs(t), df=len(d) - 1))
    if p < alpha:
        return ("higher" if mean > 0 else "lower"), p
    return "within noise", p


class SamplerComparison:
    """Scores of candidate samplers on the same folds, and their verdicts against a reference.

    Made by :func:`compare_samplers`. For each metric, each candidate's
    fold scores are paired with the reference's on the same folds; the
    verdict is "higher" or "lower" when the corrected resampled t-test of
    Nadeau and Bengio (2003) on the paired differences has a two-sided
    p-value below 0.05, and "within noise" otherwise. The correction
    widens the plain t-test's standard error, because the training sets
    of cross-validation folds overlap; a difference that 5 folds call
    "within noise" may still be real. Repeated folds
    (``RepeatedStratifiedKFold``) lower the bar somewhat, through more
    degrees of freedom and a smaller ``1 / k`` term, but the overlap term
    stays. Each verdict is one test at 5%: with several candidates and
    metrics, some "higher" or "lower" verdicts are expected by chance
    alone, so read a lone one with care. A candidate that failed on a
    fold has "undetermined" verdicts.

    Attributes
    ----------
    reference : str
        The candidate the others are compared with.
    metrics : list of str
        The names of the scores.
    candidates : list of str
        The candidates, in the order they were given.
    n_splits : int
        Folds each candidate was scored on.

    See Also
    --------
    compare_samplers : Makes it.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imblearn.over_sampling import SMOTE
    >>> from imblearn_baegan import compare_samplers
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> comparison = compare_samplers(
    ...     LogisticRegression(), X, y, {"none": None, "SMOTE": SMOTE(random_state=0)},
    ...     random_state=0, verbose=0)
    >>> comparison.candidates, comparison.n_splits
    (['none', 'SMOTE'], 5)
    >>> comparison.summary().loc["SMOTE", ("balanced_accuracy", "verdict")]
    'reference'
    >>> comparison.differences("balanced_accuracy")["SMOTE"].tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0]
    """

    def __init__(self, rows: list, metrics: list, reference: str, test_share: float):
        self._rows = rows
        self.metrics = metrics
        self.reference = reference
        self._test_share = test_share
        self.candidates = list(dict.fromkeys(row["candidate"] for row in rows))
        self.n_splits = len({row["fold"] for row in rows})

    def to_frame(self):
        """The scores as a tidy pandas DataFrame: one row per candidate and fold.

        Returns
        -------
        frame : DataFrame
            Columns ``candidate``, ``fold``, one per metric, ``fit_time`` and
            ``score_time`` (wall seconds).
        """
        import pandas as pd

        return pd.DataFrame(self._rows)[
            ["candidate", "fold", *self.metrics, "fit_time", "score_time"]
        ]

    def _scores(self, metric: str) -> dict:
        """Candidate -> its fold scores of ``metric``, in fold order."""
        out = {name: np.full(self.n_splits, np.nan) for name in self.candidates}
        for row in self._rows:
            out[row["candidate"]][row["fold"]] = row[metric]
        return out

    def differences(self, metric: str) -> dict:
        """Candidate -> its fold scores of ``metric`` minus the reference's on the same folds."""
        scores = self._scores(metric)
        return {name: s - scores[self.reference] for name, s in scores.items()}

    def summary(self):
        """One row per candidate: scores, paired differences and verdicts, and fit time.

        Returns
        -------
        summary : DataFrame
            Indexed by candidate, with two levels of columns: for each
            metric its ``mean`` and ``std`` over folds, and against the
            reference the mean paired ``difference``, its ``difference std``,
            the ``folds higher`` (out of the folds), the ``p-value`` and the
            ``verdict`` ("reference" on the reference's own row); then the
            mean ``fit time (s)``.
        """
        import pandas as pd

        columns = {}
        for metric in self.metrics:
            scores, differences = self._scores(metric), self.differences(metric)
            verdicts = {
                name: ("reference", np.nan)
                if name == self.reference
                else paired_verdict(differences[name], self._test_share)
                for name in self.candidates
            }
            columns[(metric, "mean")] = [scores[n].mean() for n in self.candidates]
            columns[(metric, "std")] = [scores[n].std(ddof=1) for n in self.candidates]
            columns[(metric, "difference")] = [differences[n].mean() for n in self.candidates]
            columns[(metric, "difference std")] = [
                differences[n].std(ddof=1) for n in self.candidates
            ]
            columns[(metric, "folds higher")] = [
                f"{int((differences[n] > 0).sum())}/{int(np.isfinite(differences[n]).sum())}"
                for n in self.candidates
            ]
            columns[(metric, "p-value")] = [verdicts[n][1] for n in self.candidates]
            columns[(metric, "verdict")] = [verdicts[n][0] for n in self.candidates]
        frame = self.to_frame()
        fit = frame.groupby("candidate", sort=False)["fit_time"].mean()
        columns[("fit time (s)", "mean")] = [fit[n] for n in self.candidates]
        summary = pd.DataFrame(columns, index=pd.Index(self.candidates, name="candidate"))
        summary.columns = pd.MultiIndex.from_tuples(summary.columns)
        return summary

    def __str__(self) -> str:
        lines = [
            f"{len(self.candidates)} candidates on the same {self.n_splits} folds; each "
            f"compared with {self.reference} fold by fold: mean difference (folds higher, "
            "p-value of a corrected paired t-test), and the verdict at p < 0.05."
        ]
        width = max(len(name) for name in self.candidates) + 2
        header = (
            f"{'candidate':<{width}}"
            + "".join(f"{metric:<52}" for metric in self.metrics)
            + "fit (s)"
        )
        lines += [header, "-" * len(header)]
        summary = self.summary()
        for name in self.candidates:
            row = summary.loc[name]
            cells = []
            for metric in self.metrics:
                score = f"{row[(metric, 'mean')]:.3f} ± {row[(metric, 'std')]:.3f}"
                if name == self.reference:
                    versus = "reference"
                else:
                    versus = (
                        f"{row[(metric, 'difference')]:+.3f} ({row[(metric, 'folds higher')]}, "
                        f"p={row[(metric, 'p-value')]:.2f}) {row[(metric, 'verdict')]}"
                    )
                cells.append(f"{score}  {versus:<36}")
            lines.append(
                f"{name:<{width}}" + "".join(cells) + f"{row[('fit time (s)', 'mean')]:.1f}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<SamplerComparison: {len(self.candidates)} candidates, {self.n_splits} folds, "
            f"reference {self.reference!r}>\n{self}"
        )

    def _repr_html_(self) -> str:
        caption = (
            f"Each candidate against {self.reference} on the same {self.n_splits} folds "
            "(verdicts from a corrected paired t-test at 5%)"
        )
        table = self.summary().to_html(float_format=lambda v: f"{v:.4f}", na_rep="")
        return f"<p>{caption}</p>\n{table}"

    def plot(self, *, figsize=None):
        """Paired fold differences against the reference, one panel per metric.

        Each candidate is a row: its fold differences as points, their mean
        as a bar, the reference at zero; the labels give the verdict and
        the mean fit time. Needs matplotlib.

        Parameters
        ----------
        figsize : tuple of (float, float) or None, default=None

        Returns
        -------
        figure : matplotlib.figure.Figure
        """
        from .plotting import _check_matplotlib

        plt = _check_matplotlib("SamplerComparison.plot")
        others = [name for name in self.candidates if name != self.reference]
        summary = self.summary()
        if figsize is None:
            figsize = (4.2 * len(self.metrics) + 1.5, 0.55 * len(others) + 1.6)
        figure, axes = plt.subplots(1, len(self.metrics), figsize=figsize, squeeze=False)
        colours = {
            "higher": "tab:green",
            "lower": "tab:red",
            "within noise": "tab:gray",
            "undetermined": "white",
        }
        for ax, metric in zip(axes[0], self.metrics):
            differences = self.differences(metric)
            for row, name in enumerate(others):
                verdict = summary.loc[name, (metric, "verdict")]
                ax.barh(row, np.nanmean(differences[name]), color=colours[verdict], alpha=0.35)
                ax.plot(differences[name], np.full(self.n_splits, row), "o", color="black", ms=3)
            ax.axvline(0.0, color="black", lw=1)
            ax.set_yticks(range(len(others)))
            if ax is axes[0][0]:
                ax.set_yticklabels(
                    [f"{n} ({summary.loc[n, ('fit time (s)', 'mean')]:.1f} s)" for n in others]
                )
            else:
                ax.set_yticklabels([])
            ax.invert_yaxis()
            ax.set_xlabel(f"{metric}, minus {self.reference}")
            ax.grid(axis="x", alpha=0.3)
        figure.suptitle(
            f"Fold by fold against {self.reference} (bars: mean; green higher, red lower, "
            "grey within noise; mean fit time in brackets)",
            fontsize="small",
        )
        figure.tight_layout()
        return figure
