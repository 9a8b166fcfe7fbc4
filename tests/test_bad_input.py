"""Bad input gets a clear error, raised before any training, and X stays untouched."""

import numpy as np
import pandas as pd
import pytest
from conftest import tiny_sampler
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError
from skorch.callbacks import Callback


def _fit_and_expect(X, y, error, match, make=tiny_sampler, **params):
    X_before = X.copy()
    with pytest.raises(error, match=match):
        make(**params).fit_resample(X, y)
    if isinstance(X, pd.DataFrame):
        pd.testing.assert_frame_equal(X, X_before)
    elif sparse.issparse(X):
        # Element-wise, with NaN equal to NaN.
        np.testing.assert_array_equal(X.toarray(), X_before.toarray())
    else:
        np.testing.assert_array_equal(X, X_before)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_values(binary_data, value, make_sampler):
    X, y = binary_data
    X = X.copy()
    X[3, 1] = value
    _fit_and_expect(X, y, ValueError, "Input X contains (NaN|infinity)", make=make_sampler)


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_non_finite_values_stored_in_a_sparse_matrix(binary_data, value, make_sampler):
    X, y = binary_data
    X = sparse.csr_matrix(X)
    X.data[5] = value
    _fit_and_expect(X, y, ValueError, "Input X contains (NaN|infinity)", make=make_sampler)


def test_sparse_dataframe_that_leaves_out_nan_says_to_fill_it(binary_data, make_sampler):
    X, y = binary_data
    X_df = pd.DataFrame(np.where(X > 0, X, np.nan)).astype(pd.SparseDtype(float))
    _fit_and_expect(X_df, y, ValueError, r"implicit value is 0.*fillna\(0\)", make=make_sampler)


def test_non_numeric_array_says_to_name_its_categorical_columns(binary_data, make_sampler):
    X, y = binary_data
    X = X.astype(object)
    X[0, 0] = "red"
    _fit_and_expect(X, y, ValueError, "numeric X.*categorical_features", make=make_sampler)


def test_non_numeric_column_left_out_of_categorical_features_is_named(binary_data, make_sampler):
    X, y = binary_data
    X_df = pd.DataFrame(X, columns=list("abcdef"))
    X_df["colour"] = "red"
    _fit_and_expect(
        X_df,
        y,
        ValueError,
        r"non-numeric columns \['colour'\] that are not in categorical_features",
        make=make_sampler,
        categorical_features=None,
    )


def test_single_class(binary_data, make_sampler):
    X, _ = binary_data
    _fit_and_expect(X, np.zeros(len(X)), ValueError, "more than 1 class", make=make_sampler)


def test_continuous_target(binary_data, make_sampler):
    X, _ = binary_data
    _fit_and_expect(
        X, np.linspace(0, 1, len(X)), ValueError, "Unknown label type", make=make_sampler
    )


def test_class_with_one_sample_raises_before_training(binary_data):
    X, y = binary_data
    y = y.copy()
    y[y == 1] = 0
    y[0] = 1
    _fit_and_expect(X, y, ValueError, "single sample.*generation='prior'")
    # Labels appear as the user wrote them, not as NumPy scalars.
    _fit_and_expect(X, y, ValueError, r"^Class 1 has a single sample")
    _fit_and_expect(X, np.where(y == 1, "cat", "dog"), ValueError, r"^Class 'cat' has")


def test_class_smaller_than_k_neighbors_adapts_with_warning(binary_data):
    X, y = binary_data
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:3]]
    X, y = X[keep], y[keep]
    sampler = tiny_sampler(k_neighbors=5)
    with pytest.warns(UserWarning, match="k_neighbors=2"):
        X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.k_neighbors_ == {1: 2}
    assert np.sum(y_res == 1) == np.sum(y_res == 0)


def test_one_sample_class_is_fine_when_sampling_from_the_prior(binary_data):
    X, y = binary_data
    y = y.copy()
    y[y == 1] = 0
    y[0] = 1
    sampler = tiny_sampler(generation="prior")
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.sum(y_res == 1) == np.sum(y_res == 0)
    # Latent SMOTE asked for after the fit needs two rows of the class.
    sampler.set_params(generation="smote")
    with pytest.raises(ValueError, match="single sample"):
        sampler.generate(3, label=1)


def test_generation_switched_to_smote_after_a_prior_fit(binary_data):
    X, y = binary_data
    sampler = tiny_sampler(generation="prior")
    sampler.fit_resample(X, y)
    sampler.set_params(generation="smote")
    assert sampler.generate(5, label=1, random_state=0).shape == (5, X.shape[1])


@pytest.mark.parametrize(
    "shape, match",
    [
        ((1, 8, 8), "describes 64 values per image, but X has 6 columns"),
        ((2, 3, 2), "describes 12 values"),
        ((1, 6), r"\(channels, height, width\)"),
        ((1, 0, 6), "positive"),
    ],
)
def test_image_shape_must_match_columns(binary_data, shape, match, make_sampler):
    X, y = binary_data
    _fit_and_expect(X, y, ValueError, match, image_shape=shape, make=make_sampler)


def test_zero_rows(make_sampler):
    _fit_and_expect(np.empty((0, 4)), np.empty(0), ValueError, "0 sample", make=make_sampler)


def test_diverging_training_names_the_setting(binary_data, make_sampler):
    X, y = binary_data
    _fit_and_expect(
        X, y, FloatingPointError, r"diverged\. Lower .*\blr\b", lr=1e20, make=make_sampler
    )


def test_both_phases_off(binary_data):
    X, y = binary_data
    _fit_and_expect(X, y, ValueError, "never be trained", pretrain_epochs=0, adversarial_epochs=0)


def test_bad_hidden_dims(binary_data, make_sampler):
    X, y = binary_data
    _fit_and_expect(X, y, ValueError, "positive integers", hidden_dims=(16, 0), make=make_sampler)


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_asked_for_without_cuda(binary_data, make_sampler):
    X, y = binary_data
    _fit_and_expect(X, y, ValueError, "no CUDA device", device="cuda", make=make_sampler)


def test_unknown_device_string(binary_data, make_sampler):
    X, y = binary_data
    _fit_and_expect(X, y, ValueError, "device must be", device="quantum", make=make_sampler)


@pytest.mark.parametrize(
    "params",
    [
        {"lr": -1.0},
        {"generated_fraction": 0.0},
        {"generated_fraction": 1.5},
        {"device": 3},
        {"memory": 1.5},
    ],
)
def test_invalid_parameters(binary_data, params, make_sampler):
    X, y = binary_data
    _fit_and_expect(X, y, InvalidParameterError, "parameter", make=make_sampler, **params)


@pytest.mark.parametrize(
    "params",
    [
        {"adversarial_loss": "wasserstein"},
        {"generation": "gan"},
        {"latent_dim": 0},
        {"latent_dim": "columns"},
        {"focal_alpha": "inverse"},
    ],
)
def test_invalid_baegan_parameters(binary_data, params):
    X, y = binary_data
    _fit_and_expect(X, y, InvalidParameterError, "parameter", **params)


@pytest.mark.parametrize("device", ["mps", "xpu", "meta"])
def test_devices_other_than_cpu_and_cuda_are_refused_before_training(binary_data, device):
    X, y = binary_data
    sampler = tiny_sampler(device=device)
    with pytest.raises(ValueError, match=f"device='{device}' is not supported"):
        sampler.fit_resample(X, y)
    assert not hasattr(sampler, "net_")


class _FailsInEpoch(Callback):
    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == 2:
            raise RuntimeError("stopped in epoch 2")


def test_a_fit_that_fails_in_training_leaves_the_sampler_unfitted(binary_data, make_sampler):
    X, y = binary_data
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    sampler.set_params(callbacks=[_FailsInEpoch()])
    with pytest.raises(RuntimeError, match="stopped in epoch 2"):
        sampler.fit_resample(X, y)
    with pytest.raises(NotFittedError):
        sampler.generate(3, label=1)
