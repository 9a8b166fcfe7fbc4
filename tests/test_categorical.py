"""Tables with categorical columns, as users bring them, for every sampler of the family."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import tiny
from imblearn.pipeline import Pipeline
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from imblearn_baegan import RowActivation, RowReconstructionLoss
from imblearn_baegan._losses import relax_categories

N = 240


@pytest.fixture
def table():
    """Numbers, and every kind of column "auto" takes, some with missing values."""
    rng = np.random.RandomState(0)
    y = (np.arange(N) % 5 == 0).astype(int)
    colour = np.where(y == 1, rng.choice(["red", "blue"], N), rng.choice(["green", "blue"], N))
    X = pd.DataFrame(
        {
            "income": rng.gamma(2.0, 1000.0, N) + 4000 * y,
            "children": rng.randint(0, 4, N),
            "colour": pd.Categorical(colour, categories=["red", "green", "blue", "never seen"]),
            "city": rng.choice(["Paris", "Rome", None], N).astype(object),
            "owner": rng.rand(N) < 0.3,
            "plan": pd.array(rng.choice(["basic", "premium", None], N), dtype="string"),
            "score": rng.rand(N).astype(np.float32),
        }
    )
    return X, y


CATEGORICAL = ["colour", "city", "owner", "plan"]


def _generated(X_res, n_input):
    return X_res.iloc[n_input:] if hasattr(X_res, "iloc") else X_res[n_input:]


def test_auto_takes_category_object_string_and_bool_columns(table, make_sampler):
    X, y = table
    sampler = make_sampler()
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.categorical_features_.tolist() == [2, 3, 4, 5]
    assert sampler.continuous_features_.tolist() == [0, 1, 6]
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(X.columns)
    assert X_res.dtypes.equals(X.dtypes)
    assert X_res["colour"].cat.categories.tolist() == ["red", "green", "blue", "never seen"]
    np.testing.assert_array_equal(np.bincount(y_res), [N - N // 5] * 2)
    new = _generated(X_res, N)
    for column in CATEGORICAL:
        seen = set(X[column].dropna())
        assert set(new[column].dropna()) <= seen, column
    # Whole numbers stay whole, inside the training range.
    assert new["children"].between(0, 3).all()


def test_missing_values_are_a_category_that_comes_back_missing(table):
    X, y = table
    X.loc[y == 1, "city"] = None
    sampler = tiny("BAEGANSampler", generated_fraction=1.0)
    new = _generated(sampler.fit_resample(X, y)[0], N)
    # Every minority row's city is missing, so every generated one is.
    assert new["city"].isna().all()
    assert not new["colour"].isna().any()
    assert sampler.categories_[1].tolist() == ["Paris", "Rome"]


def test_decoders_learn_which_categories_a_class_takes(table):
    # The minority's colour is red or blue, never green.
    X, y = table
    for name, params in [
        ("BAEGANSampler", dict(pretrain_epochs=30, adversarial_epochs=5)),
        ("DeepSMOTESampler", dict(epochs=40)),
    ]:
        sampler = tiny(name, generated_fraction=1.0, **params)
        new = _generated(sampler.fit_resample(X, y)[0], N)
        assert (new["colour"] == "green").mean() < 0.1, name


def test_numpy_object_array_with_its_categorical_columns_named_by_index(table, make_sampler):
    X, y = table
    X_obj = X[["income", "city", "children"]].to_numpy(dtype=object)
    sampler = make_sampler(categorical_features=[1])
    X_res, _ = sampler.fit_resample(X_obj, y)
    assert X_res.dtype == object and X_res.shape == (2 * (N - N // 5), 3)
    new = _generated(X_res, N)
    assert {v for v in new[:, 1] if isinstance(v, str)} <= {"Paris", "Rome"}
    assert all(isinstance(v, float) for v in new[:, 0])
    assert all(float(v).is_integer() for v in new[:, 2])
    assert sampler.generate(4, label=1, random_state=0).dtype == object


def test_names_indices_and_a_mask_select_the_same_columns(table):
    X, y = table
    outputs = []
    for spec in (CATEGORICAL, [2, 3, 4, 5], [False, False, True, True, True, True, False], "auto"):
        sampler = tiny("DeepSMOTESampler", categorical_features=spec)
        outputs.append(sampler.fit_resample(X, y)[0])
    for other in outputs[1:]:
        pd.testing.assert_frame_equal(outputs[0], other)


def test_generate_keeps_each_column_dtype(table, make_sampler):
    X, y = table
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    new = sampler.generate(30, label=1, random_state=0)
    assert new.dtypes.equals(X.dtypes) and len(new) == 30
    numeric = X[["income", "children", "score"]].astype(
        {"income": np.float32, "children": np.int16, "score": np.float16}
    )
    sampler = make_sampler()
    X_res, _ = sampler.fit_resample(numeric, y)
    assert X_res.dtypes.equals(numeric.dtypes)
    assert sampler.generate(5, label=1, random_state=0).dtypes.equals(numeric.dtypes)


def test_float16_stays_float16(table, make_sampler):
    X, y = table
    X16 = X[["income", "score"]].to_numpy().astype(np.float16)
    sampler = make_sampler()
    X_res, _ = sampler.fit_resample(X16, y)
    assert X_res.dtype == np.float16
    assert sampler.generate(3, label=1, random_state=0).dtype == np.float16


def test_a_table_of_categorical_columns_only(table, make_sampler):
    X, y = table
    X_cat = X[CATEGORICAL]
    X_res, y_res = make_sampler().fit_resample(X_cat, y)
    assert X_res.dtypes.equals(X_cat.dtypes) and len(X_res) == len(y_res)


def test_an_encoder_after_the_sampler_knows_every_generated_category(table, make_sampler):
    X, y = table
    X = X.drop(columns=["plan"])
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="error"), ["colour", "city", "owner"]),
        remainder=StandardScaler(),
    )
    model = Pipeline(
        [("sampler", make_sampler()), ("encode", encode), ("clf", LogisticRegression(max_iter=500))]
    )
    scores = cross_validate(
        model,
        X.fillna({"city": "none"}),
        y,
        scoring="balanced_accuracy",
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        error_score="raise",
    )
    assert np.isfinite(scores["test_score"]).all()


def test_same_seed_same_rows_and_pickled_samplers_generate_the_same(table, make_sampler):
    X, y = table
    a, _ = make_sampler().fit_resample(X, y)
    sampler = make_sampler()
    b, _ = sampler.fit_resample(X, y)
    pd.testing.assert_frame_equal(a, b)
    restored = pickle.loads(pickle.dumps(sampler))
    pd.testing.assert_frame_equal(
        sampler.generate(20, label=1, random_state=3),
        restored.generate(20, label=1, random_state=3),
    )


def test_a_high_cardinality_column_is_bounded_and_flagged(make_sampler):
    rng = np.random.RandomState(0)
    n = 300
    y = (np.arange(n) % 4 == 0).astype(int)
    X = pd.DataFrame(
        {
            "x": rng.randn(n),
            "id": [f"user{i}" for i in range(n)],
            "shop": rng.choice([f"s{i}" for i in range(40)], n),
        }
    )
    sampler = make_sampler(max_categories=8)
    with pytest.warns(UserWarning, match="'id' has 300 distinct values in 300 rows"):
        X_res, _ = sampler.fit_resample(X, y)
    assert sampler._rows.block_sizes_ == (8, 8)
    assert sampler.net_.get_params_for("module")["n_features"] == 1 + 16
    new = _generated(X_res, n)
    # Rare values come from the class's own rows.
    assert set(new["id"]) <= set(X["id"][y == 1]) | set(X["id"])
    assert set(new["shop"]) <= set(X["shop"])


@pytest.mark.parametrize(
    "spec, match",
    [
        (["colour", "nope"], r"names column\(s\) \['nope'\] that X does not have"),
        ([0, 9], r"indices \[9\] outside the 7 columns"),
        ([True, False], "boolean mask of 2 values, but X has 7 columns"),
        ([0.5], "must hold column indices, names or booleans"),
    ],
)
def test_categorical_features_that_name_no_column(table, spec, match):
    X, y = table
    with pytest.raises(ValueError, match=match):
        tiny("CGANSampler", categorical_features=spec).fit_resample(X, y)


def test_a_continuous_column_given_as_categorical_is_refused(table):
    X, y = table
    with pytest.raises(ValueError, match="'income' is in categorical_features.*looks continuous"):
        tiny("CGANSampler", categorical_features=["income", *CATEGORICAL]).fit_resample(X, y)
    with pytest.raises(ValueError, match="not numbers in column 'city', which is not in"):
        tiny("CGANSampler", categorical_features=["colour"]).fit_resample(X, y)


def test_missing_numbers_name_their_columns(table, make_sampler):
    X, y = table
    X.loc[3, "income"] = np.nan
    X.loc[5, "score"] = np.nan
    with pytest.raises(
        ValueError, match=r"NaN.*numeric column\(s\) \['income', 'score'\].*SimpleImputer"
    ):
        make_sampler().fit_resample(X, y)
    numeric = X[["income", "children", "score"]]
    with pytest.raises(
        ValueError, match=r"Input X contains NaN in numeric column\(s\) \['income', 'score'\]"
    ):
        make_sampler().fit_resample(numeric, y)
    with pytest.raises(ValueError, match=r"Input X contains NaN in numeric column\(s\) \[0, 2\]"):
        make_sampler().fit_resample(numeric.to_numpy(), y)


def test_categories_unseen_in_training_are_refused_when_encoding(table):
    X, y = table
    sampler = tiny("BAEGANSampler")
    sampler.fit_resample(X, y)
    assert sampler.encode(X.iloc[:5]).shape == (5, 4)
    other = X.iloc[:5].copy()
    other["city"] = "Oslo"
    with pytest.raises(ValueError, match="'city' holds \\['Oslo'.*did not hold"):
        sampler.encode(other)


def test_categorical_columns_need_dense_tables(table):
    X, y = table
    with pytest.raises(ValueError, match="image_shape describes images"):
        tiny("BAEGANSampler", image_shape=(1, 1, 7)).fit_resample(X, y)
    from scipy import sparse

    dense = sparse.csr_matrix(X[["income", "children"]].to_numpy(dtype=float))
    with pytest.raises(ValueError, match="sparse input is numeric"):
        tiny("BAEGANSampler", categorical_features=[0]).fit_resample(dense, y)


def test_decode_gives_rows_of_the_input_types(table):
    X, y = table
    sampler = tiny("BAEGANSampler")
    sampler.fit_resample(X, y)
    rows = sampler.decode(sampler.encode(X.iloc[:6]), y[:6])
    assert isinstance(rows, pd.DataFrame) and rows.dtypes.equals(X.dtypes)


# -- the pieces --------------------------------------------------------------------------


def test_row_activation_gives_probabilities_per_block():
    h = torch.randn(5, 2 + 3 + 4)
    out = RowActivation(9, (3, 4))(h)
    torch.testing.assert_close(out[:, :2], torch.sigmoid(h[:, :2]))
    torch.testing.assert_close(out[:, 2:5].sum(dim=1), torch.ones(5))
    torch.testing.assert_close(out[:, 5:].sum(dim=1), torch.ones(5))


def test_reconstruction_loss_is_mse_without_blocks_and_cross_entropy_per_block():
    x_hat, x = torch.rand(4, 3), torch.rand(4, 3)
    assert RowReconstructionLoss()(x_hat, x) == torch.nn.functional.mse_loss(x_hat, x)
    p = torch.tensor([[0.2, 0.7, 0.1]])
    target = torch.tensor([[0.0, 1.0, 0.0]])
    numeric_hat, numeric = torch.tensor([[0.5]]), torch.tensor([[0.1]])
    loss = RowReconstructionLoss((3,))(
        torch.cat([numeric_hat, p], 1), torch.cat([numeric, target], 1)
    )
    expected = ((0.5 - 0.1) ** 2 - np.log(0.7)) / 2
    assert abs(loss.item() - expected) < 1e-6


def test_relaxed_blocks_are_near_one_hot_draws_of_the_probabilities():
    p = torch.tensor([[0.7, 0.2, 0.1]]).repeat(4000, 1)
    x = torch.cat([torch.full((4000, 1), 0.25), p], dim=1)
    relaxed = relax_categories(x, (3,), torch.Generator().manual_seed(0))
    assert torch.equal(relaxed[:, 0], x[:, 0])
    assert (relaxed[:, 1:].max(dim=1).values > 0.9).float().mean() > 0.8
    shares = torch.bincount(relaxed[:, 1:].argmax(dim=1), minlength=3) / 4000
    torch.testing.assert_close(shares, torch.tensor([0.7, 0.2, 0.1]), atol=0.03, rtol=0)


def test_numeric_dataframes_keep_the_numeric_path(table):
    X, y = table
    numeric = X[["income", "children"]]
    sampler = tiny("BAEGANSampler")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X_res, _ = sampler.fit_resample(numeric, y)
    assert sampler.categorical_features_.size == 0 and X_res.dtypes.equals(numeric.dtypes)


def test_sparse_columns_of_a_dataframe_are_numeric_even_of_booleans(table):
    X, y = table
    dummies = pd.get_dummies(X[["city"]], sparse=True)
    sampler = tiny("BAEGANSampler", categorical_features="auto")
    X_res, _ = sampler.fit_resample(pd.concat([X[["income"]], dummies], axis=1), y)
    assert sampler.categorical_features_.size == 0 and len(X_res) == 2 * (N - N // 5)


def test_a_string_array_with_numeric_columns_comes_back_as_objects(table):
    X, y = table
    # A fixed-width string array would cut generated numbers to its width.
    X_str = np.column_stack([X["city"].fillna("?").to_numpy(str), np.round(X["income"], 1)])
    X_str = X_str.astype("<U6")
    sampler = tiny("BAEGANSampler", categorical_features=[0])
    X_res, _ = sampler.fit_resample(X_str, y)
    assert X_res.dtype == object
    new = _generated(X_res, N)
    assert {str(v) for v in new[:, 0]} <= {"Paris", "Rome", "?"}
    assert all(isinstance(v, float) for v in new[:, 1])


def test_object_columns_of_whole_numbers_stay_whole_in_a_dataframe(table):
    X, y = table
    frame = X[["income", "city"]].assign(children=X["children"].astype(object))
    X_res, _ = tiny("BAEGANSampler").fit_resample(frame, y)
    assert all(float(v).is_integer() for v in _generated(X_res, N)["children"])
