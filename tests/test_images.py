"""The image path: flattened images with ``image_shape`` get convolutional nets."""

from collections import Counter

import numpy as np
import pytest
import torch
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from imblearn_baegan._networks import ConditionalAutoencoder, conv_stage_sizes


def test_digits_8x8(digits_imbalanced, make_sampler):
    X, y = digits_imbalanced
    sampler = make_sampler(image_shape=(1, 8, 8), generated_fraction=1.0)
    X_res, y_res = sampler.fit_resample(X, y)
    counts = Counter(y_res)
    assert counts[0] == counts[1] == counts[2]
    X_new = X_res[len(X) :]
    # One range over all pixels: new images stay within the data's 0..16.
    assert X_new.min() >= X.min() and X_new.max() <= X.max()
    convolutions = (torch.nn.Conv2d, torch.nn.ConvTranspose2d)
    assert any(isinstance(m, convolutions) for m in sampler.net_.module_.modules())
    # Generated images are not copies of the training images.
    assert not (X_new[:, None, :] == X[None, :, :]).all(axis=2).any()


def test_digits_in_a_cross_validated_pipeline(digits_imbalanced, make_sampler):
    X, y = digits_imbalanced
    pipe = Pipeline(
        [
            ("sampler", make_sampler(image_shape=(1, 8, 8))),
            ("clf", LogisticRegression(max_iter=500)),
        ]
    )
    scores = cross_val_score(
        pipe, X, y, cv=StratifiedKFold(3), scoring="balanced_accuracy", error_score="raise"
    )
    assert scores.mean() > 0.8


@pytest.mark.parametrize(
    "image_shape, stages",
    [((1, 8, 8), 1), ((1, 28, 28), 2), ((3, 32, 32), 3), ((1, 64, 64), 4), ((1, 10, 14), 1)],
)
def test_conv_autoencoder_keeps_the_image_size(image_shape, stages):
    channels, height, width = image_shape
    assert len(conv_stage_sizes(height, width)) - 1 == stages
    ae = ConditionalAutoencoder(
        n_features=channels * height * width,
        n_classes=2,
        latent_dim=3,
        image_shape=image_shape,
        conv_width=2,
    )
    convs = [m for m in ae.encoder.modules() if isinstance(m, torch.nn.Conv2d)]
    assert len(convs) == stages
    x = torch.rand(2, channels * height * width)
    assert ae(x, torch.tensor([0, 1])).shape == x.shape


@pytest.mark.parametrize("image_shape", [(1, 28, 28), (3, 32, 32)])
def test_fit_resample_on_larger_images(image_shape, make_sampler):
    rng = np.random.RandomState(0)
    n_features = int(np.prod(image_shape))
    X = rng.rand(30, n_features).astype(np.float32)
    y = np.r_[np.zeros(24, int), np.ones(6, int)]
    X_res, y_res = make_sampler(image_shape=image_shape).fit_resample(X, y)
    assert X_res.shape == (48, n_features) and X_res.dtype == np.float32
    assert Counter(y_res) == {0: 24, 1: 24}
