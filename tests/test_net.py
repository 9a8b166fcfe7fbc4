"""The skorch layer: registered components, set_params, history, callbacks, verbosity."""

import numpy as np
import pytest
import torch
from conftest import tiny_sampler
from skorch.callbacks import Callback, EarlyStopping

from imblearn_baegan import BAEGANNet


def _tiny_net(**params):
    shapes = dict(latent_dim=2, n_classes=2)
    defaults = {
        **{f"module__{k}": v for k, v in shapes.items()},
        "module__n_features": 5,
        "module__hidden_dims": (8,),
        **{f"discriminator__{k}": v for k, v in shapes.items()},
        "discriminator__hidden_dims": (8,),
        "prior__latent_dim": 2,
        "pretrain_epochs": 1,
        "max_epochs": 2,
        "batch_size": 16,
    }
    return BAEGANNet(**{**defaults, **params})


@pytest.fixture
def net_data():
    rng = np.random.RandomState(0)
    return rng.rand(40, 5).astype(np.float32), np.repeat([0, 1], 20)


def test_components_and_optimizers_are_registered(net_data):
    net = _tiny_net().fit(*net_data)
    assert {"module", "discriminator", "prior"} <= set(net._modules)
    assert {"criterion", "adversarial_criterion"} <= set(net._criteria)
    assert set(net._optimizers) == {
        "optimizer",
        "optimizer_discriminator",
        "optimizer_generator",
    }
    encoder = {id(p) for p in net.module_.encoder.parameters()}
    generator = {id(p) for g in net.optimizer_generator_.param_groups for p in g["params"]}
    assert generator == encoder


def test_set_params_reinitialises_the_discriminator(net_data):
    net = _tiny_net().fit(*net_data)
    net.set_params(optimizer_discriminator__lr=0.05)
    assert net.optimizer_discriminator_.param_groups[0]["lr"] == 0.05
    net.set_params(discriminator__hidden_dims=(4, 4))
    widths = [m.out_features for m in net.discriminator_ if isinstance(m, torch.nn.Linear)]
    assert widths == [4, 4, 2]
    assert (
        _tiny_net(optimizer_discriminator__lr=0.05)
        .fit(*net_data)
        .optimizer_discriminator_.param_groups[0]["lr"]
        == 0.05
    )


def test_history_records_each_loss_per_epoch_and_batch(net_data):
    net = _tiny_net(max_epochs=3).fit(*net_data)
    assert net.history[:, "phase"] == ["pretrain", "adversarial", "adversarial"]
    assert len(net.history[0, "batches"]) == 3
    for key in ("reconstruction_loss", "discriminator_loss", "generator_loss"):
        assert all(np.isfinite(net.history[1:, key]))
        assert len(net.history[-1, "batches", :, key]) == 3
    assert net.history[0, "discriminator_loss"] is None
    assert net.history[0, "generator_loss"] is None


def test_callbacks_pass_through_the_sampler(binary_data):
    class CountEpochs(Callback):
        def initialize(self):
            self.epochs = 0
            return self

        def on_epoch_end(self, net, **kwargs):
            self.epochs += 1

    counter = CountEpochs()
    sampler = tiny_sampler(pretrain_epochs=2, adversarial_epochs=3, callbacks=[counter])
    sampler.fit_resample(*binary_data)
    assert counter.epochs == 5


def test_early_stopping_on_a_training_loss(binary_data):
    stop = EarlyStopping(monitor="train_loss", patience=1, threshold=10.0)
    sampler = tiny_sampler(pretrain_epochs=10, adversarial_epochs=0, callbacks=[stop])
    sampler.fit_resample(*binary_data)
    assert len(sampler.net_.history) < 10


def test_silent_by_default_and_verbose_on_request(binary_data, capsys):
    quiet = tiny_sampler()
    quiet.fit_resample(*binary_data)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert "progress_bar" not in dict(quiet.net_.callbacks_)
    loud = tiny_sampler(verbose=1)
    loud.fit_resample(*binary_data)
    captured = capsys.readouterr()
    assert "reconstruction_loss" in captured.out and "discriminator_loss" in captured.out
    assert "progress_bar" in dict(loud.net_.callbacks_)
