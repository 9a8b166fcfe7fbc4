"""Inputs a native sampler takes: dates, numbers stored as objects, Arrow and polars frames.

Each test is a case a new user ran into, for every sampler of the family:
what they passed, and the behaviour they should get instead of a crash or
a silently wrong result.
"""

from __future__ import annotations

import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from conftest import tiny

N = 240
Y = (np.arange(N) % 6 == 0).astype(int)


def _needs_pyarrow():
    """pyarrow, or a skip saying why it cannot be imported here (e.g. it needs NumPy 2)."""
    try:
        import pyarrow
    except ImportError as exc:
        pytest.skip(f"pyarrow cannot be imported here: {exc}")
    return pyarrow


def _frame(**columns):
    rng = np.random.RandomState(0)
    return pd.DataFrame({"x": rng.rand(N) + Y, **columns})


def _plan():
    return pd.Categorical(np.random.RandomState(1).choice(["a", "b"], N))


def _nanosecond_times():
    rng = np.random.RandomState(2)
    start = pd.Timestamp("2024-01-01 10:00:41.612134249")
    return start + pd.to_timedelta(rng.randint(0, 10**15, N), unit="ns")


@pytest.mark.parametrize("with_categories", [False, True])
def test_a_missing_time_is_refused_by_name(make_sampler, with_categories):
    when = pd.Series(pd.date_range("2020-01-01", periods=N, freq="D"))
    when[4] = pd.NaT
    X = _frame(when=when, **({"plan": _plan()} if with_categories else {}))
    with pytest.raises(ValueError, match=r"NaT .*\['when'\]"):
        make_sampler().fit_resample(X, Y)


@pytest.mark.parametrize("with_categories", [False, True])
def test_times_are_numbers_and_real_rows_come_back_exactly(make_sampler, with_categories):
    when = _nanosecond_times()
    X = _frame(
        when=when,
        paris=pd.date_range("2021-03-01", periods=N, freq="h", tz="Europe/Paris"),
        took=pd.to_timedelta(np.arange(N) % 17, unit="min"),
        **({"plan": _plan()} if with_categories else {}),
    )
    sampler = make_sampler()
    X_res, _ = sampler.fit_resample(X, Y)
    assert X_res.dtypes.equals(X.dtypes)
    # The input's own rows, to the nanosecond: no float round-off.
    assert (X_res["when"].iloc[:N].to_numpy() == when.to_numpy()).all()
    new = X_res.iloc[N:]
    for column in ("when", "paris", "took"):
        assert new[column].notna().all()
        assert X[column].min() <= new[column].min() <= new[column].max() <= X[column].max()
    # generate() gives the same types.
    more = sampler.generate(5, label=1, random_state=0)
    assert more.dtypes.equals(X.dtypes)


def test_arrow_times_with_a_time_zone_keep_their_unit(make_sampler):
    pa = _needs_pyarrow()
    hours = pd.Series(pd.date_range("2020-01-01", periods=N, freq="h"))
    X = _frame(
        at=hours.astype(pd.ArrowDtype(pa.timestamp("us", tz="UTC"))),
        naive=hours.astype(pd.ArrowDtype(pa.timestamp("ms"))),
    )
    X_res, _ = make_sampler().fit_resample(X, Y)
    assert X_res.dtypes.equals(X.dtypes)
    assert X_res["at"].iloc[:N].equals(X["at"])


def test_huge_whole_numbers_stored_as_objects_stay_numbers(make_sampler):
    X = _frame(big=pd.Series([10**19 + 10**17 * (i % 7) for i in range(N)], dtype=object))
    X_res, _ = make_sampler().fit_resample(X, Y)
    new = X_res["big"].iloc[N:].astype(float)
    assert (new >= 10**19).all() and (new <= 10**19 + 6 * 10**17).all()


def test_copied_rows_keep_their_own_times():
    """The rows generated_fraction leaves to random copies are real rows, exactly."""
    when = _nanosecond_times()
    X = _frame(when=when)
    X_res, _ = tiny("BAEGANSampler", generated_fraction=0.5).fit_resample(X, Y)
    n_copies = (len(X_res) - N) // 2
    copied = X_res["when"].to_numpy()[-n_copies:]
    assert np.isin(copied, when.to_numpy()).all()


def test_arrow_dictionary_columns_are_categories(make_sampler):
    pa = _needs_pyarrow()
    dtype = pd.ArrowDtype(pa.dictionary(pa.int8(), pa.string()))
    X = _frame(plan=pd.Series(np.asarray(_plan()), dtype=object).astype(dtype))
    sampler = make_sampler()
    X_res, _ = sampler.fit_resample(X, Y)
    assert sampler.categorical_features_.tolist() == [1]
    assert X_res.dtypes.equals(X.dtypes)
    assert set(X_res["plan"].iloc[N:].astype(str)) <= {"a", "b"}


def test_numbers_stored_as_objects_are_numbers(make_sampler):
    rng = np.random.RandomState(3)
    prices = [Decimal(f"{v:.3f}") for v in rng.rand(N) * 100]
    X = _frame(
        price=pd.Series(prices, dtype=object),
        ratio=pd.Series(rng.rand(N), dtype=object),
        colour=rng.choice(["red", "blue"], N),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sampler = make_sampler()
        X_res, _ = sampler.fit_resample(X, Y)
    assert sampler.categorical_features_.tolist() == [3]
    assert sampler.continuous_features_.tolist() == [0, 1, 2]
    assert X_res.dtypes.equals(X.dtypes)
    # Real rows keep their Decimals; new ones are Decimals of new values.
    assert X_res["price"].iloc[:N].tolist() == prices
    new_prices = X_res["price"].iloc[N:]
    assert all(isinstance(v, Decimal) for v in new_prices)
    # To the cent, as the column's own values, not float noise.
    assert all(v.as_tuple().exponent == -3 for v in new_prices)
    assert len(set(new_prices) - set(prices)) > 0
    assert all(isinstance(v, float) for v in X_res["ratio"].iloc[N:])


def test_a_column_of_lists_is_refused_by_name(make_sampler):
    X = _frame(tags=pd.Series([["a", "b"]] * N, dtype=object))
    with pytest.raises(TypeError, match="Column 'tags' holds values of type list"):
        make_sampler().fit_resample(X, Y)


@pytest.mark.parametrize("scale", [1e39, 1e-41])
@pytest.mark.parametrize("with_categories", [False, True])
def test_ranges_beyond_float32_are_refused_by_name(make_sampler, scale, with_categories):
    X = _frame(**({"plan": _plan()} if with_categories else {}))
    X["huge"] = np.random.RandomState(4).rand(N) * scale
    with pytest.raises(ValueError, match=r"float32.*\['huge'\]"):
        make_sampler().fit_resample(X, Y)


def test_read_only_input_warns_nothing(make_sampler):
    X = np.random.RandomState(5).rand(N, 3)
    X.flags.writeable = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X_res, _ = make_sampler().fit_resample(X, Y)
    assert np.array_equal(X_res[:N], X)


@pytest.mark.parametrize("dtype", [complex, object])
def test_complex_columns_are_refused_by_name(make_sampler, dtype):
    X = _frame(z=pd.Series(np.random.RandomState(6).rand(N) + 1j, dtype=dtype), plan=_plan())
    with pytest.raises(ValueError, match=r"complex.*\['z'\]"):
        make_sampler().fit_resample(X, Y)


def test_true_and_one_in_an_object_column_are_one_category():
    """pandas' hashing makes True == 1; the guide says so, and this pins the behaviour."""
    X = _frame(flag=pd.Series([True, 1] * (N // 2), dtype=object))
    sampler = tiny("BAEGANSampler")
    sampler.fit_resample(X, Y)
    assert len(sampler.categories_[0]) == 1


class TestPolars:
    @pytest.fixture
    def frame(self):
        pl = pytest.importorskip("polars")
        _needs_pyarrow()
        rng = np.random.RandomState(7)
        return pl.DataFrame(
            {
                "x": rng.rand(N) + Y,
                "n": pl.Series(rng.randint(0, 9, N), dtype=pl.Int32),
                "plan": pl.Series(rng.choice(["a", "b"], N)).cast(pl.Categorical),
                "tier": pl.Series(rng.choice(["low", "high"], N), dtype=pl.Enum(["low", "high"])),
                "city": rng.choice(["Paris", "Rome"], N),
                "when": pl.datetime_range(
                    pd.Timestamp("2024-01-01"),
                    pd.Timestamp("2024-01-01") + pd.Timedelta(hours=N - 1),
                    "1h",
                    eager=True,
                ),
            }
        )

    def test_polars_in_polars_out(self, frame, make_sampler):
        import polars as pl

        sampler = make_sampler()
        X_res, y_res = sampler.fit_resample(frame, pl.Series("churned", Y))
        assert isinstance(X_res, pl.DataFrame)
        assert X_res.schema == frame.schema
        assert X_res.head(N).equals(frame)
        assert isinstance(y_res, pl.Series) and y_res.name == "churned"
        assert len(X_res) == len(y_res) > N
        assert set(X_res["city"][N:].to_list()) <= {"Paris", "Rome"}
        more = sampler.generate(4, label=1, random_state=0)
        assert isinstance(more, pl.DataFrame) and more.schema == frame.schema

    def test_categorical_features_by_name(self, frame, make_sampler):
        sampler = make_sampler(categorical_features=["plan", "city"])
        X_res, _ = sampler.fit_resample(frame.drop("tier"), Y)
        assert sampler.categorical_features_.tolist() == [2, 3]
        assert X_res.schema == frame.drop("tier").schema

    def test_in_a_pipeline(self, frame):
        from imblearn.pipeline import Pipeline
        from sklearn.compose import make_column_transformer
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import OneHotEncoder

        encode = make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), ["plan", "tier", "city"]),
            ("passthrough", ["x", "n"]),
        )
        model = Pipeline(
            [("sampler", tiny("BAEGANSampler")), ("encode", encode), ("clf", LogisticRegression())]
        )
        model.fit(frame.drop("when"), Y)
        assert model.predict(frame.drop("when")).shape == (N,)
