"""compare_samplers as a user calls it: the same folds, honest verdicts, clear errors."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from conftest import tiny
from imblearn.over_sampling import SMOTE, SMOTEN, SMOTENC, RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.compose import make_column_transformer
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, make_scorer
from sklearn.model_selection import (
    RepeatedStratifiedKFold,
    StratifiedKFold,
    TunedThresholdClassifierCV,
    cross_validate,
)
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from imblearn_baegan import SamplerComparison, compare_samplers
from imblearn_baegan._compare import _default_candidates, paired_verdict

matplotlib.use("Agg")


@pytest.fixture
def data():
    X, y = make_classification(
        n_samples=240, n_features=6, n_informative=3, weights=[0.88], flip_y=0.05, random_state=0
    )
    return X, y


def _candidates():
    return {
        "none": None,
        "tuned threshold": "tuned_threshold",
        "RandomOverSampler": RandomOverSampler(random_state=0),
        "SMOTE": SMOTE(random_state=0),
        "BAEGAN": tiny("BAEGANSampler"),
    }


def test_scores_equal_cross_validate_on_the_same_folds(data):
    X, y = data
    clf = LogisticRegression()
    comparison = compare_samplers(clf, X, y, _candidates(), cv=4, random_state=0, verbose=0)
    folds = StratifiedKFold(4, shuffle=True, random_state=0)
    minority = np.argmin(np.bincount(y))
    precision = make_scorer(
        average_precision_score,
        response_method=("predict_proba", "decision_function"),
        pos_label=minority,
    )
    frame = comparison.to_frame()
    for name, value in _candidates().items():
        if value is None:
            model = clf
        elif value == "tuned_threshold":
            model = TunedThresholdClassifierCV(clf, scoring="balanced_accuracy")
        else:
            model = Pipeline([("sampler", value), ("model", clf)])
        expected = cross_validate(
            model,
            X,
            y,
            cv=folds,
            scoring={"balanced_accuracy": "balanced_accuracy", "average_precision": precision},
        )
        got = frame[frame["candidate"] == name].sort_values("fold")
        np.testing.assert_allclose(got["balanced_accuracy"], expected["test_balanced_accuracy"])
        np.testing.assert_allclose(got["average_precision"], expected["test_average_precision"])
    assert comparison.reference == "SMOTE"
    assert comparison.candidates == list(_candidates())


def test_parallel_fits_give_the_same_scores(data):
    X, y = data
    kwargs = dict(cv=3, random_state=0, verbose=0)
    serial = compare_samplers(LogisticRegression(), X, y, _candidates(), **kwargs)
    parallel = compare_samplers(LogisticRegression(), X, y, _candidates(), n_jobs=2, **kwargs)
    columns = ["candidate", "fold", "balanced_accuracy", "average_precision"]
    pd.testing.assert_frame_equal(serial.to_frame()[columns], parallel.to_frame()[columns])


def _comparison(differences: dict, n_splits: int = 5) -> SamplerComparison:
    """A comparison whose candidates differ from the reference by ``differences``."""
    rng = np.random.RandomState(0)
    base = 0.7 + 0.02 * rng.randn(n_splits)
    rows = [
        {"candidate": "ref", "fold": k, "score": base[k], "fit_time": 0.1, "score_time": 0.0}
        for k in range(n_splits)
    ]
    for name, d in differences.items():
        rows += [
            {
                "candidate": name,
                "fold": k,
                "score": base[k] + d[k],
                "fit_time": 1.0,
                "score_time": 0,
            }
            for k in range(n_splits)
        ]
    return SamplerComparison(rows, ["score"], "ref", test_share=0.25)


def test_verdicts_follow_the_corrected_paired_t_test():
    comparison = _comparison(
        {
            "win": [0.05, 0.06, 0.04, 0.05, 0.055],
            "loss": [-0.05, -0.06, -0.04, -0.05, -0.055],
            "noise": [0.03, -0.02, 0.01, -0.03, 0.02],
            # Higher on every fold, but too unevenly for 5 overlapping folds.
            "uneven": [0.001, 0.002, 0.001, 0.12, 0.001],
        }
    )
    summary = comparison.summary()
    verdicts = summary[("score", "verdict")].to_dict()
    assert verdicts == {
        "ref": "reference",
        "win": "higher",
        "loss": "lower",
        "noise": "within noise",
        "uneven": "within noise",
    }
    assert summary.loc["win", ("score", "folds higher")] == "5/5"
    assert summary.loc["noise", ("score", "difference")] == pytest.approx(0.002)
    assert summary.loc["loss", ("fit time (s)", "mean")] == pytest.approx(1.0)


def test_the_correction_is_wider_than_the_plain_t_test():
    d = [0.03, 0.01, 0.02, 0.04, 0.0]
    # The plain paired t-test (test_share 0) calls this a win (t = 2.83); with the
    # overlap of 5 folds' training sets accounted for, it is within noise.
    assert paired_verdict(d, 0.0)[0] == "higher"
    assert paired_verdict(d, 0.25)[0] == "within noise"
    assert paired_verdict([0.02, 0.03, 0.01, 0.025, 0.015], 0.25)[0] == "higher"
    assert paired_verdict([0.0] * 5, 0.25) == ("within noise", 1.0)
    assert paired_verdict([0.01] * 5, 0.25)[0] == "higher"


def test_a_clear_gain_end_to_end():
    """Balancing beats no resampling on balanced accuracy, on every fold."""
    X, y = make_classification(
        n_samples=600, n_features=5, n_informative=2, weights=[0.95], random_state=1
    )
    comparison = compare_samplers(
        LogisticRegression(),
        X,
        y,
        {"none": None, "ROS": RandomOverSampler(random_state=0)},
        reference="none",
        cv=RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=0),
        scoring="balanced_accuracy",
        verbose=0,
    )
    assert comparison.n_splits == 10
    assert comparison.summary().loc["ROS", ("balanced_accuracy", "verdict")] == "higher"


def test_outputs_a_user_reads(data):
    X, y = data
    comparison = compare_samplers(
        LogisticRegression(), X, y, _candidates(), cv=3, random_state=0, verbose=0
    )
    frame = comparison.to_frame()
    assert frame.shape == (15, 6)
    assert list(frame.columns) == [
        "candidate",
        "fold",
        "balanced_accuracy",
        "average_precision",
        "fit_time",
        "score_time",
    ]
    summary = comparison.summary()
    assert list(summary.index) == list(_candidates())
    assert summary.loc["SMOTE", ("balanced_accuracy", "verdict")] == "reference"
    text = str(comparison)
    assert "reference" in text and all(name in text for name in _candidates())
    html = comparison._repr_html_()
    assert "<table" in html and "verdict" in html
    figure = comparison.plot()
    assert len(figure.axes) == 2
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert len(labels) == 4 and labels[-1].startswith("BAEGAN (")


def test_progress_is_a_line_per_fit_and_silent_with_verbose_0(data, capsys):
    X, y = data
    candidates = {"none": None, "SMOTE": SMOTE(random_state=0)}
    compare_samplers(LogisticRegression(), X, y, candidates, cv=3, verbose=0)
    assert capsys.readouterr().out == ""
    compare_samplers(LogisticRegression(), X, y, candidates, cv=3, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 6
    assert lines[1].startswith("[1/6] none, fold 1 of 3: fit ")
    assert "elapsed" in lines[-1]


def test_default_candidates_follow_the_columns():
    numeric = pd.DataFrame({"x": [1.0, 2.0]})
    mixed = numeric.assign(plan=["a", "b"])
    names = list(_default_candidates(numeric, 0))
    assert names == ["none", "tuned threshold", "RandomOverSampler", "SMOTE", "BAEGAN"]
    nc = _default_candidates(mixed, 0)["SMOTENC"]
    assert isinstance(nc, SMOTENC) and nc.categorical_features == [1]
    assert isinstance(_default_candidates(mixed[["plan"]], 0)["SMOTEN"], SMOTEN)


def test_default_candidates_on_a_mixed_table():
    rng = np.random.RandomState(0)
    n = 150
    y = (np.arange(n) % 6 == 0).astype(int)
    X = pd.DataFrame(
        {
            "x": rng.randn(n) + 2 * y,
            "plan": pd.Categorical(np.where(y == 1, "premium", rng.choice(["basic", "plus"], n))),
        }
    )
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["plan"]), (StandardScaler(), ["x"])
    )
    model = Pipeline([("encode", encode), ("clf", LogisticRegression())])
    comparison = compare_samplers(model, X, y, cv=3, random_state=0, verbose=0)
    assert comparison.candidates == [
        "none",
        "tuned threshold",
        "RandomOverSampler",
        "SMOTENC",
        "BAEGAN",
    ]
    assert comparison.reference == "SMOTENC"
    assert comparison.to_frame()["balanced_accuracy"].between(0, 1).all()


def test_memory_reuses_the_trained_networks(data, tmp_path, monkeypatch):
    from imblearn_baegan import BAEGANNet

    trainings = []
    fit = BAEGANNet.fit
    monkeypatch.setattr(
        BAEGANNet, "fit", lambda net, *a, **k: trainings.append(1) or fit(net, *a, **k)
    )
    X, y = data
    candidates = {"SMOTE": SMOTE(random_state=0), "BAEGAN": tiny("BAEGANSampler")}
    kwargs = dict(cv=3, random_state=0, memory=tmp_path, verbose=0)
    first = compare_samplers(LogisticRegression(), X, y, candidates, **kwargs)
    assert len(trainings) == 3 and len(list(tmp_path.rglob("*.pt"))) == 3
    second = compare_samplers(LogisticRegression(), X, y, candidates, **kwargs)
    assert len(trainings) == 3, "the second call loads every fold's networks"
    pd.testing.assert_series_equal(
        first.to_frame()["balanced_accuracy"], second.to_frame()["balanced_accuracy"]
    )


def test_polars_input_scores_as_pandas_input():
    pl = pytest.importorskip("polars")
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:  # e.g. a pyarrow that needs NumPy 2 beside NumPy 1
        pytest.skip(f"polars converts through pyarrow, which cannot be imported here: {exc}")
    X, y = make_classification(n_samples=120, n_features=4, weights=[0.8], random_state=0)
    frame = pd.DataFrame({f"x{j}": X[:, j] for j in range(4)})
    candidates = {"none": None, "BAEGAN": tiny("BAEGANSampler")}
    kwargs = dict(cv=3, random_state=0, verbose=0)
    on_polars = compare_samplers(
        LogisticRegression(), pl.from_pandas(frame), pl.Series("y", y), candidates, **kwargs
    )
    on_pandas = compare_samplers(LogisticRegression(), frame, pd.Series(y), candidates, **kwargs)
    assert on_polars.reference == "none"
    columns = ["candidate", "fold", "balanced_accuracy", "average_precision"]
    pd.testing.assert_frame_equal(on_polars.to_frame()[columns], on_pandas.to_frame()[columns])


class _Fails:
    """A sampler whose fit fails on the second fold it sees."""

    calls = 0

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self

    def fit_resample(self, X, y):
        type(self).calls += 1
        if type(self).calls == 2:
            raise RuntimeError("out of memory")
        return X, y


def test_a_failing_fold_scores_nan_with_a_warning_and_no_verdict(data):
    X, y = data
    _Fails.calls = 0
    with pytest.warns(UserWarning, match="'flaky' failed on fold 2.*out of memory"):
        comparison = compare_samplers(
            LogisticRegression(), X, y, {"SMOTE": SMOTE(), "flaky": _Fails()}, cv=3, verbose=0
        )
    frame = comparison.to_frame()
    assert frame.loc[frame["candidate"] == "flaky", "balanced_accuracy"].isna().sum() == 1
    summary = comparison.summary()
    assert summary.loc["flaky", ("balanced_accuracy", "verdict")] == "undetermined"
    assert summary.loc["flaky", ("balanced_accuracy", "folds higher")].endswith("/2")
    comparison.plot()
    _Fails.calls = 0
    with pytest.raises(RuntimeError, match="out of memory"):
        compare_samplers(
            LogisticRegression(), X, y, {"flaky": _Fails()}, cv=3, error_score="raise", verbose=0
        )


class TestErrorsBeforeAnyTraining:
    def test_not_a_classifier(self, data):
        from sklearn.linear_model import LinearRegression

        with pytest.raises(TypeError, match="estimator must be a classifier"):
            compare_samplers(LinearRegression(), *data)

    def test_not_a_sampler(self, data):
        with pytest.raises(TypeError, match=r"samplers\['scaler'\] is StandardScaler"):
            compare_samplers(LogisticRegression(), *data, {"scaler": StandardScaler()})

    def test_one_class(self, data):
        X, _ = data
        with pytest.raises(ValueError, match="one class"):
            compare_samplers(LogisticRegression(), X, np.zeros(len(X)))

    def test_a_class_smaller_than_the_folds(self, data):
        X, y = data
        y = y.copy()
        y[np.flatnonzero(y == 1)[3:]] = 0
        with pytest.raises(ValueError, match=r"Class 1 has 3 rows, fewer than the cv=5.*cv to 3"):
            compare_samplers(LogisticRegression(), X, y, {"none": None})

    def test_smote_needs_more_neighbours_than_a_fold_has(self, data):
        X, y = data
        y = y.copy()
        y[np.flatnonzero(y == 1)[6:]] = 0
        with pytest.raises(ValueError, match="'SMOTE' needs k_neighbors \\+ 1 = 6"):
            compare_samplers(LogisticRegression(), X, y, {"SMOTE": SMOTE()}, cv=4)

    def test_a_tuned_threshold_needs_two_classes(self, multiclass_data):
        with pytest.raises(ValueError, match="needs two classes"):
            compare_samplers(LogisticRegression(), *multiclass_data, {"t": "tuned_threshold"})

    def test_adasyn_needs_more_neighbours_than_a_fold_has(self, data):
        from imblearn.over_sampling import ADASYN

        X, y = data
        y = y.copy()
        y[np.flatnonzero(y == 1)[6:]] = 0
        with pytest.raises(ValueError, match="'ADASYN' needs n_neighbors \\+ 1 = 6"):
            compare_samplers(LogisticRegression(), X, y, {"ADASYN": ADASYN()}, cv=4)

    def test_two_candidates_of_one_name(self, data):
        with pytest.raises(ValueError, match="Two candidates are named '1'"):
            compare_samplers(LogisticRegression(), *data, {1: None, "1": SMOTE()})

    def test_an_unknown_reference(self, data):
        with pytest.raises(ValueError, match="reference='SMOTE' is not a candidate"):
            compare_samplers(LogisticRegression(), *data, {"none": None}, reference="SMOTE")


def test_several_classes_score_macro_average_precision(multiclass_data):
    X, y = multiclass_data
    clf = LogisticRegression(max_iter=500)
    comparison = compare_samplers(
        clf, X, y, {"none": None, "SMOTE": SMOTE(random_state=0)}, cv=3, random_state=0, verbose=0
    )
    assert comparison.metrics == ["balanced_accuracy", "average_precision_macro"]
    precision = make_scorer(
        average_precision_score, response_method="predict_proba", average="macro"
    )
    expected = cross_validate(
        Pipeline([("sampler", SMOTE(random_state=0)), ("model", clf)]),
        X,
        y,
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring=precision,
    )["test_score"]
    frame = comparison.to_frame()
    got = frame[frame["candidate"] == "SMOTE"].sort_values("fold")["average_precision_macro"]
    np.testing.assert_allclose(got, expected)


def test_a_test_fold_without_a_class_still_scores(multiclass_data):
    """A user's splits may leave a class out of a test fold, never out of a training one."""
    X, y = multiclass_data
    rare = np.flatnonzero(y == 2)
    others = np.setdiff1d(np.arange(len(y)), rare)
    halves = np.array_split(others, 2)
    splits = [
        (np.concatenate([halves[1], rare]), halves[0]),
        (np.concatenate([halves[0], rare[::2]]), np.concatenate([halves[1], rare[1::2]])),
    ]
    comparison = compare_samplers(
        LogisticRegression(max_iter=500), X, y, {"none": None}, cv=splits, verbose=0
    )
    assert comparison.to_frame()["average_precision_macro"].between(0, 1).all()
