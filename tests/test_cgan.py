"""What is particular to the conditional GAN; the family's common tests cover the rest."""

import numpy as np
import pytest
import torch
from conftest import tiny
from sklearn.datasets import make_blobs
from skorch.callbacks import Callback, EarlyStopping

from imblearn_baegan import CGANNet, CGANSampler


def _net(**params) -> CGANNet:
    shapes = dict(n_features=4, n_classes=2, hidden_dims=(8,))
    return CGANNet(
        **{f"module__{k}": v for k, v in shapes.items()},
        module__noise_dim=3,
        **{f"discriminator__{k}": v for k, v in shapes.items()},
        **{"max_epochs": 2, "batch_size": 16, "random_state": 0, **params},
    )


@pytest.fixture
def rows():
    rng = np.random.RandomState(0)
    return rng.rand(64, 4).astype(np.float32), np.repeat([0, 1], 32)


def test_generated_rows_sit_with_their_class():
    X, y = make_blobs(
        n_samples=[400, 40], centers=[[0, 0], [6, 6]], cluster_std=0.5, random_state=0
    )
    sampler = CGANSampler(
        noise_dim=8,
        hidden_dims=(32, 32),
        epochs=60,
        lr=1e-3,
        discriminator_lr=1e-3,
        random_state=0,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    new = X_res[len(X) :]
    assert np.all(y_res[len(X) :] == 1)
    to_own = np.linalg.norm(new - X[y == 1].mean(axis=0), axis=1)
    to_other = np.linalg.norm(new - X[y == 0].mean(axis=0), axis=1)
    assert np.mean(to_own < to_other) > 0.9
    # New rows, not copies of the 40 real ones.
    assert len(np.unique(new.round(6), axis=0)) == len(new)


def test_a_class_with_one_row_is_generated_from_the_generator(rows):
    X, y = rows
    y = y.copy()
    y[y == 1] = 0
    y[0] = 1
    X_res, y_res = tiny("CGANSampler").fit_resample(X, y)
    assert np.sum(y_res == 1) == np.sum(y_res == 0)


def test_both_losses_are_in_the_history_and_train_loss_is_the_generators(rows):
    X, y = rows
    net = _net().fit(X, y)
    last = net.history[-1]
    assert np.isfinite(last["discriminator_loss"]) and np.isfinite(last["generator_loss"])
    assert last["train_loss"] == pytest.approx(last["generator_loss"])


def test_callbacks_see_both_updates_and_can_stop_training(rows):
    X, y = rows

    class CountGradients(Callback):
        def initialize(self):
            self.calls = 0
            return self

        def on_grad_computed(self, net, named_parameters, **kwargs):
            self.calls += 1

    counter = CountGradients()
    _net(callbacks=[counter], max_epochs=1).fit(X, y)
    # A discriminator and a generator update per batch of 16 rows.
    assert counter.calls == 2 * 4
    stopped = _net(
        max_epochs=50, callbacks=[EarlyStopping(monitor="train_loss", patience=1, threshold=10.0)]
    ).fit(X, y)
    assert len(stopped.history) < 50


def test_set_params_lr_reaches_both_optimizers(rows):
    X, y = rows
    net = _net().fit(X, y)
    net.set_params(lr=0.05)
    assert net.optimizer_.param_groups[0]["lr"] == 0.05
    assert net.optimizer_discriminator_.param_groups[0]["lr"] == 0.05
    own = _net(optimizer_discriminator__lr=0.01).fit(X, y).set_params(lr=0.05)
    assert own.optimizer_discriminator_.param_groups[0]["lr"] == 0.01
    assert own.optimizer_discriminator_.param_groups[0]["betas"] == (0.5, 0.999)


def test_sample_is_seeded_and_predicting_is_refused(rows):
    X, y = rows
    net = _net().fit(X, y)
    c = np.array([0, 1, 1])
    first = net.sample(c, torch.Generator().manual_seed(1))
    assert first.shape == (3, 4) and np.all((first >= 0) & (first <= 1))
    np.testing.assert_array_equal(first, net.sample(c, torch.Generator().manual_seed(1)))
    with pytest.raises(NotImplementedError, match="CGANNet.predict.*sample"):
        net.predict(X)
