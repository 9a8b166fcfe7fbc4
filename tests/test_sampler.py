"""What a user does with the sampler: pipelines, search, validation, pickling, pandas."""

import pickle
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from conftest import tiny_sampler
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from skorch.exceptions import DeviceWarning


def _new_rows(X, X_res):
    return X_res[len(X) :]


def test_pipeline_fits_and_predicts(binary_data, make_sampler):
    X, y = binary_data
    pipe = Pipeline([("sampler", make_sampler()), ("clf", LogisticRegression())])
    pipe.fit(X, y)
    assert pipe.score(X, y) > 0.7
    # The sampler only acts in fit: predict sees the original rows.
    assert pipe.predict(X).shape == y.shape


def test_grid_search_over_two_sampler_hyperparameters(binary_data):
    X, y = binary_data
    pipe = Pipeline([("sampler", tiny_sampler()), ("clf", LogisticRegression())])
    grid = {"sampler__latent_dim": [2, 4], "sampler__focal_gamma": [0.0, 2.0]}
    search = GridSearchCV(
        pipe, grid, cv=StratifiedKFold(2), scoring="balanced_accuracy", error_score="raise"
    )
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_estimator_.named_steps["sampler"].latent_dim in (2, 4)


def test_cross_validate_next_to_smote(binary_data, make_sampler):
    X, y = binary_data
    scores = {}
    for name, sampler in [
        ("deep", make_sampler()),
        ("smote", SMOTE(random_state=0)),
        ("ros", RandomOverSampler(random_state=0)),
    ]:
        pipe = Pipeline([("sampler", sampler), ("clf", LogisticRegression())])
        result = cross_validate(
            pipe, X, y, cv=StratifiedKFold(3), scoring="balanced_accuracy", error_score="raise"
        )
        scores[name] = result["test_score"]
    assert all(len(s) == 3 and np.all(np.isfinite(s)) for s in scores.values())
    assert scores["deep"].mean() > 0.5


def test_clone_gives_same_params_and_same_output(binary_data, make_sampler):
    X, y = binary_data
    sampler = make_sampler(batch_size=32)
    X_res, _ = sampler.fit_resample(X, y)
    twin = clone(sampler)
    assert twin.get_params() == sampler.get_params()
    assert not hasattr(twin, "net_")
    X_twin, _ = twin.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_twin)


@pytest.mark.parametrize(
    "n_features, image_shape, expected",
    [(5, None, 5), (40, None, 32), (64, (1, 8, 8), 32)],
)
def test_auto_latent_dim_follows_the_columns_of_a_table(n_features, image_shape, expected):
    X, y = make_classification(
        n_samples=120, n_features=n_features, n_informative=3, weights=[0.8], random_state=0
    )
    sampler = tiny_sampler(latent_dim="auto", image_shape=image_shape)
    sampler.fit_resample(X, y)
    assert sampler.latent_dim_ == expected
    assert sampler.encode(X[:3]).shape == (3, expected)
    assert sampler.net_.module_.class_embedding.embedding_dim == expected


def test_set_params_reaches_the_networks(binary_data):
    X, y = binary_data
    sampler = tiny_sampler().set_params(latent_dim=3, hidden_dims=(8, 8), gp_weight=1.0)
    sampler.fit_resample(X, y)
    assert sampler.encode(X).shape == (len(X), 3)
    linear = [m for m in sampler.net_.module_.encoder if hasattr(m, "out_features")]
    assert [m.out_features for m in linear] == [8, 8, 3]
    assert sampler.net_.gp_weight == 1.0


def test_pickle_round_trip(binary_data, make_sampler):
    X, y = binary_data
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    loaded = pickle.loads(pickle.dumps(sampler))
    # The reloaded networks generate what the originals do.
    np.testing.assert_array_equal(
        loaded.generate(20, label=1, random_state=0), sampler.generate(20, label=1, random_state=0)
    )
    assert loaded.get_params() == sampler.get_params()
    # A reloaded sampler is a sampler: it can be fitted again.
    X_res, y_res = loaded.fit_resample(X, y)
    assert Counter(y_res)[0] == Counter(y_res)[1]


def test_net_trained_on_gpu_loads_on_cpu(binary_data):
    """skorch maps a CUDA net to the CPU on load; simulate the CUDA side."""
    X, y = binary_data
    sampler = tiny_sampler()
    sampler.fit_resample(X, y)
    codes = sampler.encode(X)
    sampler.net_.device = "cuda"
    payload = pickle.dumps(sampler)
    with pytest.warns(DeviceWarning):
        loaded = pickle.loads(payload)
    assert str(loaded.net_.device) == "cpu"
    np.testing.assert_allclose(loaded.encode(X), codes)


def test_pandas_in_pandas_out(binary_data, make_sampler):
    X, y = binary_data
    X_df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    X_df["count"] = np.arange(len(X)) % 7
    y_s = pd.Series(y, name="target")
    X_res, y_res = make_sampler().fit_resample(X_df, y_s)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(X_df.columns)
    assert y_res.name == "target"
    assert X_res.dtypes.equals(X_df.dtypes)
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X_df)
    # Integer columns stay whole numbers within their range.
    new_counts = X_res["count"].iloc[len(X) :]
    assert new_counts.between(0, 6).all()
    assert len(new_counts) == Counter(y)[0] - Counter(y)[1]


@pytest.mark.parametrize(
    "strategy",
    [
        "auto",
        "minority",
        "not minority",
        "not majority",
        "all",
        {0: 200, 1: 150, 2: 100},
        lambda y: {label: 200 for label in np.unique(y)},
    ],
    ids=["auto", "minority", "not-minority", "not-majority", "all", "dict", "callable"],
)
def test_every_sampling_strategy_form(multiclass_data, strategy, make_sampler):
    X, y = multiclass_data
    sampler = make_sampler(sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(X, y)
    before, after = Counter(y), Counter(y_res)
    for label in before:
        assert after[label] - before[label] == sampler.sampling_strategy_.get(label, 0)
    assert len(X_res) == len(y_res) == len(y) + sum(sampler.sampling_strategy_.values())


def test_float_sampling_strategy_on_binary(binary_data, make_sampler):
    X, y = binary_data
    X_res, y_res = make_sampler(sampling_strategy=0.5).fit_resample(X, y)
    counts = Counter(y_res)
    assert counts[1] == int(0.5 * counts[0])


def test_output_is_input_then_new_rows_in_range(multiclass_data, make_sampler):
    X, y = multiclass_data
    # Every new row generated, none copied.
    sampler = make_sampler(generated_fraction=1.0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    X_new, y_new = _new_rows(X, X_res), y_res[len(y) :]
    for label, n_new in sampler.sampling_strategy_.items():
        assert np.sum(y_new == label) == n_new
    assert np.all(X_new >= X.min(axis=0)) and np.all(X_new <= X.max(axis=0))
    # New rows are new: decoded, not copies of training rows.
    assert not np.any(np.all(np.isclose(X_new[:, None], X[None]), axis=2))


def test_labels_of_any_type(binary_data, make_sampler):
    X, y = binary_data
    y_str = np.where(y == 1, "rare", "common")
    X_res, y_res = make_sampler().fit_resample(X, y_str)
    assert set(y_res) == {"rare", "common"}
    assert Counter(y_res)["rare"] == Counter(y_res)["common"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_dtype_is_preserved(binary_data, dtype, make_sampler):
    X, y = binary_data
    X_res, _ = make_sampler().fit_resample(X.astype(dtype), y)
    assert X_res.dtype == dtype


def test_integer_input_gives_rounded_integer_output(binary_data, make_sampler):
    X, y = binary_data
    X_int = np.rint(X * 10).astype(np.int64)
    X_res, _ = make_sampler().fit_resample(X_int, y)
    assert X_res.dtype == np.int64
    assert np.all(X_res >= X_int.min(axis=0)) and np.all(X_res <= X_int.max(axis=0))


def test_one_feature_table_works(make_sampler):
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(0, 1, 60), rng.normal(3, 1, 15)][:, None]
    y = np.r_[np.zeros(60), np.ones(15)]
    X_res, y_res = make_sampler().fit_resample(X, y)
    assert X_res.shape == (120, 1)
    assert X.min() <= X_res.min() and X_res.max() <= X.max()


def test_constant_column_stays_constant(binary_data, make_sampler):
    X, y = binary_data
    X = np.c_[X, np.full(len(X), 3.5)]
    X_res, _ = make_sampler().fit_resample(X, y)
    assert np.all(X_res[:, -1] == 3.5)


def test_decode_refuses_unknown_labels(binary_data):
    X, y = binary_data
    sampler = tiny_sampler()
    sampler.fit_resample(X, y)
    with pytest.raises(ValueError, match="not seen in fit_resample"):
        sampler.decode(np.zeros((1, 4)), [7])
    with pytest.raises(ValueError, match="shape"):
        sampler.decode(np.zeros((2, 5)), [0, 1])
