"""Same random_state, same output; the caller's global random state is left alone."""

import numpy as np
import torch
from sklearn.base import clone

from imblearn_baegan import BAEGANSampler


def test_same_seed_same_output_across_calls(multiclass_data, make_sampler):
    X, y = multiclass_data
    sampler = make_sampler(random_state=7)
    first = sampler.fit_resample(X, y)
    second = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    np.testing.assert_array_equal(clone(sampler).fit_resample(X, y)[0], first[0])


def test_same_seed_same_output_for_images(digits_imbalanced, make_sampler):
    X, y = digits_imbalanced
    outputs = [make_sampler(image_shape=(1, 8, 8)).fit_resample(X, y)[0] for _ in range(2)]
    np.testing.assert_array_equal(*outputs)


def test_other_seed_other_output(multiclass_data, make_sampler):
    X, y = multiclass_data
    a = make_sampler(random_state=0).fit_resample(X, y)[0]
    b = make_sampler(random_state=1).fit_resample(X, y)[0]
    assert a.shape == b.shape and not np.allclose(a, b)


def test_random_state_instance_is_consumed_like_sklearn(binary_data, make_sampler):
    X, y = binary_data
    rng = np.random.RandomState(0)
    a = make_sampler(random_state=rng).fit_resample(X, y)[0]
    b = make_sampler(random_state=rng).fit_resample(X, y)[0]
    assert not np.allclose(a, b)


def test_global_random_state_is_untouched(multiclass_data, make_sampler):
    X, y = multiclass_data
    torch.manual_seed(123)
    np.random.seed(123)
    torch_state, numpy_state = torch.get_rng_state(), np.random.get_state()
    sampler = make_sampler(random_state=3)
    sampler.fit_resample(X, y)
    if isinstance(sampler, BAEGANSampler):
        # Draws from the prior instead of latent SMOTE.
        make_sampler(random_state=3, generation="prior").fit_resample(X, y)
    assert torch.equal(torch.get_rng_state(), torch_state)
    after = np.random.get_state()
    assert after[0] == numpy_state[0] and np.array_equal(after[1], numpy_state[1])
    assert after[2:] == numpy_state[2:]
