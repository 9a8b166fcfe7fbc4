"""Sparse input: the format is kept, the matrix is never densified whole."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from conftest import tiny_sampler
from imblearn.pipeline import Pipeline
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate

from imblearn_baegan import _base, _batches, _rows

N_ROWS, N_FEATURES, N_MINORITY = 400, 300, 60


@pytest.fixture
def text_like():
    """Non-negative, 1% dense rows: counts in a few columns per row, like a TF matrix."""
    X = sparse.random(
        N_ROWS,
        N_FEATURES,
        density=0.01,
        format="csr",
        random_state=0,
        data_rvs=lambda n: np.random.RandomState(1).uniform(0.1, 1.0, n),
    )
    y = (np.arange(N_ROWS) < N_MINORITY).astype(np.int64)
    return X, y


def _generated(X_res, n_input: int, n_new: int):
    """The generated rows: right after the input's, before any copies."""
    return X_res[n_input : n_input + n_new]


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_format_shape_and_labels_are_kept(text_like, fmt, make_sampler):
    X, y = text_like
    X = X.asformat(fmt)
    X_res, y_res = make_sampler().fit_resample(X, y)
    assert sparse.issparse(X_res) and X_res.format == fmt
    assert isinstance(X_res, sparse.spmatrix)
    assert X_res.shape == (2 * (N_ROWS - N_MINORITY), N_FEATURES)
    assert np.bincount(y_res).tolist() == [N_ROWS - N_MINORITY] * 2
    # The input rows come first, unchanged.
    np.testing.assert_array_equal(X_res[:N_ROWS].toarray(), X.toarray())
    np.testing.assert_array_equal(y_res[:N_ROWS], y)


def test_sparse_arrays_and_other_formats(text_like):
    X, y = text_like
    X_res, _ = tiny_sampler().fit_resample(sparse.csr_array(X), y)
    assert isinstance(X_res, sparse.csr_array)
    # COO and LIL become CSR, as scikit-learn's validation makes them.
    for other in (X.tocoo(), X.tolil()):
        X_res, _ = tiny_sampler().fit_resample(other, y)
        assert X_res.format == "csr"


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_dense_data_in_sparse_format_gives_the_dense_output(binary_data, fmt, make_sampler):
    X, y = binary_data
    assert np.all(X != 0)
    X_dense, y_dense = make_sampler().fit_resample(X, y)
    X_sparse, y_sparse = make_sampler().fit_resample(sparse.csr_matrix(X).asformat(fmt), y)
    np.testing.assert_array_equal(y_sparse, y_dense)
    np.testing.assert_allclose(X_sparse.toarray(), X_dense, rtol=1e-5)


def test_integer_sparse_matrix_keeps_its_dtype_and_is_rounded_as_dense(binary_data, make_sampler):
    X, y = binary_data
    rng = np.random.RandomState(0)
    X = rng.randint(1, 30, size=X.shape).astype(np.int64)
    X_dense, _ = make_sampler().fit_resample(X, y)
    X_sparse, _ = make_sampler().fit_resample(sparse.csr_matrix(X), y)
    assert X_sparse.dtype == np.int64
    np.testing.assert_array_equal(X_sparse.toarray(), X_dense)


def test_integer_counts_stay_integer_and_sparse(text_like):
    X, y = text_like
    counts = X.copy()
    counts.data = np.ceil(counts.data * 5).astype(np.int32)
    counts = counts.astype(np.int32)
    X_res, _ = tiny_sampler(generated_fraction=1.0).fit_resample(counts, y)
    assert X_res.dtype == np.int32
    new = _generated(X_res, N_ROWS, N_ROWS - 2 * N_MINORITY)
    assert new.data.min() >= counts.data.min() and new.data.max() <= counts.data.max()


def test_generated_rows_keep_as_many_values_as_the_class_rows_on_average(text_like, make_sampler):
    X, y = text_like
    n_new = N_ROWS - 2 * N_MINORITY
    sampler = make_sampler(generated_fraction=1.0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.all(y_res[N_ROWS:] == 1)
    new = _generated(X_res, N_ROWS, n_new).tocsr()
    k = max(1, round(X[y == 1].nnz / N_MINORITY))
    stored = np.diff(new.indptr)
    assert stored.max() <= k
    # Decoded rows are dense, so rows short of k are the exception.
    assert stored.mean() > 0.8 * k
    assert new.nnz < 0.05 * new.shape[0] * new.shape[1]
    # The values kept are those farthest from zero: non-negative data
    # stays non-negative, within the columns' range.
    assert new.data.min() >= 0 and new.data.max() <= X.data.max()


def test_values_to_keep_is_the_rounded_mean_of_stored_values_at_least_one():
    rows = sparse.csr_matrix(np.array([[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 1.0]]))
    assert _rows.values_to_keep(rows) == 2  # 7 / 3 rounds to 2
    assert _rows.values_to_keep(sparse.csr_matrix((3, 4))) == 1


def test_pandas_sparse_dataframe_in_and_out(text_like, make_sampler):
    X, y = text_like
    columns = [f"w{i}" for i in range(N_FEATURES)]
    X_df = pd.DataFrame.sparse.from_spmatrix(X, columns=columns)
    y_s = pd.Series(y, name="label")
    sampler = make_sampler()
    X_res, y_res = sampler.fit_resample(X_df, y_s)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert X_res.columns.tolist() == columns and y_res.name == "label"
    assert all(isinstance(dtype, pd.SparseDtype) for dtype in X_res.dtypes)
    assert X_res.sparse.density < 0.05
    X_plain, _ = make_sampler().fit_resample(X, y)
    np.testing.assert_array_equal(X_res.sparse.to_coo().toarray(), X_plain.toarray())
    X_new = sampler.generate(25, label=1, random_state=0)
    assert isinstance(X_new, pd.DataFrame) and X_new.shape == (25, N_FEATURES)
    assert all(isinstance(dtype, pd.SparseDtype) for dtype in X_new.dtypes)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_generate_after_a_sparse_fit(text_like, fmt):
    X, y = text_like
    sampler = tiny_sampler()
    sampler.fit_resample(X.asformat(fmt), y)
    X_new = sampler.generate(500, label=1, random_state=0)
    assert sparse.issparse(X_new) and X_new.format == fmt and X_new.shape == (500, N_FEATURES)
    k = max(1, round(X[y == 1].nnz / N_MINORITY))
    assert np.diff(X_new.tocsr().indptr).max() <= k
    again = sampler.generate(500, label=1, random_state=0)
    assert (X_new != again).nnz == 0


def test_encode_sparse_rows_as_dense_ones(text_like):
    X, y = text_like
    sampler = tiny_sampler()
    sampler.fit_resample(X, y)
    np.testing.assert_allclose(sampler.encode(X), sampler.encode(X.toarray()), rtol=1e-6)


def test_pipeline_and_cross_validate_on_sparse_input(text_like, make_sampler):
    X, y = text_like
    pipeline = Pipeline([("sampler", make_sampler()), ("clf", LogisticRegression())])
    pipeline.fit(X, y)
    assert pipeline.predict(X).shape == (N_ROWS,)
    scores = cross_validate(
        pipeline,
        X.tocsc(),
        y,
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="balanced_accuracy",
        error_score="raise",
    )
    assert np.all(np.isfinite(scores["test_score"]))


def test_pickle_round_trip_after_a_sparse_fit(text_like, make_sampler):
    X, y = text_like
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    restored = pickle.loads(pickle.dumps(sampler))
    a = sampler.generate(50, label=1, random_state=3)
    b = restored.generate(50, label=1, random_state=3)
    assert sparse.issparse(b) and (a != b).nnz == 0


def test_the_matrix_is_never_densified_whole(text_like, monkeypatch):
    X, y = text_like
    chunk_rows, batch_size = 50, 32
    # Chunks of 50 rows, so that densifying the class's rows (60) or the
    # whole matrix (400) would show.
    monkeypatch.setattr(_batches, "CHUNK_VALUES", chunk_rows * N_FEATURES)
    densified = []
    owners = {
        cls
        for fmt in (sparse.csr_matrix, sparse.csc_matrix, sparse.coo_matrix)
        for cls in fmt.__mro__
        if "toarray" in vars(cls) or "todense" in vars(cls)
    }
    for cls in owners:
        for name in ("toarray", "todense"):
            if name in vars(cls):
                original = vars(cls)[name]

                def record(self, *args, _original=original, **kwargs):
                    densified.append(self.shape[0])
                    return _original(self, *args, **kwargs)

                monkeypatch.setattr(cls, name, record)
    sampler = tiny_sampler(batch_size=batch_size)
    X_res, _ = sampler.fit_resample(X, y)
    sampler.generate(200, label=1, random_state=0)
    sampler.encode(X)
    assert densified, "the recording did not see any densification"
    assert max(densified) <= max(chunk_rows, batch_size)
    # The training batches were densified one by one.
    assert batch_size in densified


def test_generation_chunks_are_bounded_by_values_not_rows():
    assert [s.stop - s.start for s in _base.chunked(300, 30_000)][:2] == [139, 139]
    assert [s.stop - s.start for s in _base.chunked(3000, 10)] == [1024, 1024, 952]
    assert _batches.chunk_rows(1024, 30_000) == 139 and _batches.chunk_rows(1024, 10**9) == 1


def test_sparse_input_with_stored_duplicates_is_not_changed(text_like):
    X, y = text_like
    # Every entry stored twice, each with half the value: summed, it is X.
    doubled = sparse.csr_matrix(
        (np.repeat(X.data / 2, 2), np.repeat(X.indices, 2), X.indptr * 2), shape=X.shape
    )
    assert not doubled.has_canonical_format
    before = doubled.copy()
    X_res, _ = tiny_sampler().fit_resample(doubled, y)
    np.testing.assert_array_equal(doubled.data, before.data)
    np.testing.assert_array_equal(doubled.indices, before.indices)
    np.testing.assert_allclose(X_res[:N_ROWS].toarray(), X.toarray())
    X_plain, _ = tiny_sampler().fit_resample(X, y)
    np.testing.assert_allclose(X_res.toarray(), X_plain.toarray())


def test_net_trains_on_sparse_rows_with_a_validation_split(text_like):
    from skorch.dataset import ValidSplit

    from imblearn_baegan import BAEGANNet, MinMaxScaling

    X, y = text_like
    params = dict(
        module__n_features=N_FEATURES,
        module__n_classes=2,
        module__latent_dim=4,
        module__hidden_dims=(16,),
        discriminator__latent_dim=4,
        discriminator__n_classes=2,
        prior__latent_dim=4,
        pretrain_epochs=1,
        max_epochs=2,
        batch_size=64,
        random_state=0,
        train_split=ValidSplit(0.25, stratified=True, random_state=0),
    )
    scaling = MinMaxScaling(per_column=True).fit(X)
    on_sparse = BAEGANNet(scaling=scaling, **params).fit(X, y)
    on_dense = BAEGANNet(scaling=scaling, **params).fit(X.toarray(), y)
    for key in ("train_loss", "valid_loss", "valid_generator_loss"):
        assert on_sparse.history[:, key] == on_dense.history[:, key]
    np.testing.assert_array_equal(on_sparse.encode(X), on_dense.encode(X.toarray()))


def test_memory_cache_keys_sparse_rows(text_like, tmp_path):
    X, y = text_like
    first = tiny_sampler(memory=tmp_path)
    X_first, _ = first.fit_resample(X, y)
    second = tiny_sampler(memory=tmp_path)
    X_second, _ = second.fit_resample(X.tocsc(), y)
    assert not first.memory_hit_ and second.memory_hit_
    assert (X_first != X_second.tocsr()).nnz == 0
    # Other values in the same places are other rows: a miss.
    other = X.copy()
    other.data = other.data[::-1].copy()
    third = tiny_sampler(memory=tmp_path)
    third.fit_resample(other, y)
    assert not third.memory_hit_
