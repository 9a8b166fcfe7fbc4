"""What is specific to BAGAN-GP: the switch from autoencoder to GAN, the class normals,
WGAN-GP's penalty, the critic steps, the phases, validation and single-row classes."""

from collections import Counter

import numpy as np
import pytest
import torch
from conftest import tiny
from sklearn.utils._param_validation import InvalidParameterError
from skorch.callbacks import Callback
from skorch.dataset import ValidSplit

import imblearn_baegan._bagan_net as bagan_net
from imblearn_baegan import BAGANNet
from imblearn_baegan._bagan_net import ClassNormals
from imblearn_baegan._losses import wgan_gradient_penalty


def _bagan(**params):
    return tiny("BAGANSampler", **params)


def _tiny_net(**params):
    shapes = dict(n_features=5, n_classes=2, latent_dim=2, hidden_dims=(8,))
    defaults = {
        **{
            f"{name}__{k}": v
            for name in ("module", "autoencoder", "critic")
            for k, v in shapes.items()
        },
        "prior__latent_dim": 2,
        "prior__n_classes": 2,
        "n_critic": 2,
        "pretrain_epochs": 1,
        "max_epochs": 2,
        "batch_size": 16,
        "random_state": 0,
    }
    return BAGANNet(**{**defaults, **params})


@pytest.fixture
def net_data():
    rng = np.random.RandomState(0)
    return rng.rand(40, 5).astype(np.float32), np.repeat([0, 1], 20)


def _state(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _codes(sampler, X):
    """The autoencoder's codes of X, as the net computes them at the switch."""
    net = sampler.net_
    net.autoencoder_.eval()
    x = torch.as_tensor(sampler.scaler_.transform(X), dtype=torch.float32)
    with torch.no_grad():
        return net.autoencoder_.encode(x).double()


def _ridged(cov):
    d = cov.shape[0]
    return cov + (1e-3 * torch.diagonal(cov).mean() + 1e-8) * torch.eye(d, dtype=cov.dtype)


class _AtFirstAdversarialEpoch(Callback):
    """Copies of the networks' weights when phase (b) begins, before any GAN step."""

    def initialize(self):
        self.states = None
        return self

    def on_epoch_begin(self, net, **kwargs):
        if self.states is None and net.history[-1]["phase"] == "adversarial":
            self.states = {
                name: _state(getattr(net, name + "_"))
                for name in ("module", "autoencoder", "critic")
            }


# -- the switch: the generator from the decoder, the critic from the encoder --


@pytest.mark.parametrize("image", [False, True])
def test_generator_and_critic_start_from_the_autoencoder(digits_imbalanced, image):
    X, y = digits_imbalanced
    spy = _AtFirstAdversarialEpoch()
    params = dict(image_shape=(1, 8, 8)) if image else {}
    sampler = _bagan(callbacks=[spy], pretrain_epochs=2, adversarial_epochs=1, **params)
    sampler.fit_resample(X, y)
    generator, autoencoder, critic = (spy.states[k] for k in ("module", "autoencoder", "critic"))
    # Every weight and buffer of the generator (batch-norm statistics
    # included for images) is the autoencoder's decoding path at the switch.
    assert set(generator) == {
        k for k in autoencoder if k.split(".")[0] in ("class_embedding", "join", "decoder")
    }
    for key, value in generator.items():
        torch.testing.assert_close(value, autoencoder[key], rtol=0, atol=0)
    encoder = {k: v for k, v in critic.items() if k.startswith("encoder.")}
    assert encoder and len(encoder) == sum(k.startswith("encoder.") for k in autoencoder)
    for key, value in encoder.items():
        torch.testing.assert_close(value, autoencoder[key], rtol=0, atol=0)
    # The critic's head is its own: one score per row.
    assert sampler.net_.critic_.head[-1].out_features == 1
    # The GAN steps then move the generator and the critic, never the autoencoder.
    net = sampler.net_
    assert not torch.equal(net.module_.join.weight, spy.states["module"]["join.weight"])
    for key, value in net.autoencoder_.state_dict().items():
        torch.testing.assert_close(value, autoencoder[key], rtol=0, atol=0)


def test_without_adversarial_epochs_the_generator_is_the_trained_decoder(binary_data):
    X, y = binary_data
    sampler = _bagan(pretrain_epochs=2, adversarial_epochs=0)
    X_res, y_res = sampler.fit_resample(X, y)
    net = sampler.net_
    assert net.history[:, "phase"] == ["pretrain", "pretrain"]
    for key, value in net.module_.state_dict().items():
        torch.testing.assert_close(value, net.autoencoder_.state_dict()[key], rtol=0, atol=0)
    assert bool(net.prior_.fitted)
    assert Counter(y_res.tolist())[0] == Counter(y_res.tolist())[1]


# -- the class normals ---------------------------------------------------------


def test_class_normals_match_the_codes_mean_and_covariance(multiclass_data):
    X, y = multiclass_data
    sampler = _bagan()
    sampler.fit_resample(X, y)
    z = _codes(sampler, X)
    normals = sampler.net_.prior_
    assert normals.mean.shape == (3, sampler.latent_dim_)
    for k in range(3):
        z_k = z[y == k]
        torch.testing.assert_close(normals.mean[k].double(), z_k.mean(0), rtol=1e-5, atol=1e-5)
        expected = _ridged(torch.as_tensor(np.cov(z_k.numpy(), rowvar=False)))
        torch.testing.assert_close(normals.covariance[k].double(), expected, rtol=1e-4, atol=1e-6)
        torch.testing.assert_close(
            normals.scale_tril[k] @ normals.scale_tril[k].T,
            normals.covariance[k],
            rtol=1e-4,
            atol=1e-6,
        )


def test_draws_follow_the_class_normal():
    normals = ClassNormals(latent_dim=2, n_classes=2)
    g = torch.Generator().manual_seed(0)
    z = torch.cat(
        [
            torch.randn(400, 2, generator=g) * torch.tensor([1.0, 3.0]),
            torch.randn(400, 2, generator=g) + 5.0,
        ]
    )
    c = torch.repeat_interleave(torch.tensor([0, 1]), 400)
    normals.fit(z, c)
    draws = normals.sample(torch.ones(20000, dtype=torch.long), torch.Generator().manual_seed(1))
    torch.testing.assert_close(draws.mean(0), normals.mean[1], atol=0.05, rtol=0)
    torch.testing.assert_close(torch.cov(draws.T), normals.covariance[1], atol=0.05, rtol=0.05)
    # The fit's generator alone decides the draws.
    a = normals.sample(c, torch.Generator().manual_seed(3))
    b = normals.sample(c, torch.Generator().manual_seed(3))
    assert torch.equal(a, b)


def test_normals_of_classes_with_fewer_rows_than_code_values_are_valid():
    normals = ClassNormals(latent_dim=6, n_classes=2)
    z = torch.randn(10, 6, generator=torch.Generator().manual_seed(0))
    c = torch.tensor([0] * 7 + [1] * 3)
    normals.fit(z, c)
    # Rank 2 in 6 dimensions: the ridge keeps the factor defined.
    assert torch.isfinite(normals.scale_tril).all()
    assert (torch.linalg.eigvalsh(normals.covariance[1]) > 0).all()


# -- classes of a single row ---------------------------------------------------


def test_single_row_class_borrows_the_pooled_covariance(multiclass_data):
    X, y = multiclass_data
    y = y.copy()
    lone = np.flatnonzero(y == 2)[0]
    keep = (y != 2) | (np.arange(len(y)) == lone)
    X, y = X[keep], y[keep]
    sampler = _bagan()
    with pytest.warns(UserWarning, match=r"^Class 2 has a single sample.*pooled"):
        X_res, y_res = sampler.fit_resample(X, y)
    assert len(set(Counter(y_res.tolist()).values())) == 1
    z = _codes(sampler, X)
    normals = sampler.net_.prior_
    torch.testing.assert_close(normals.mean[2].double(), z[y == 2][0], rtol=1e-5, atol=1e-5)
    pooled = sum((np.sum(y == k) - 1) * np.cov(z[y == k].numpy(), rowvar=False) for k in (0, 1)) / (
        np.sum(y != 2) - 2
    )
    torch.testing.assert_close(
        normals.covariance[2].double(), _ridged(torch.as_tensor(pooled)), rtol=1e-4, atol=1e-6
    )
    # New rows of the lone class differ from each other and from its row.
    new = X_res[len(X) :][y_res[len(X) :] == 2]
    assert len(np.unique(new.round(6), axis=0)) == len(new)


def test_normals_when_no_class_has_two_rows_or_a_class_has_none():
    z = torch.tensor([[0.0, 0.0], [2.0, 1.0], [4.0, 5.0]])
    normals = ClassNormals(latent_dim=2, n_classes=4).fit(z, torch.tensor([0, 1, 2]))
    overall = torch.as_tensor(np.cov(z.numpy(), rowvar=False), dtype=torch.float64)
    for k in range(3):
        torch.testing.assert_close(normals.mean[k], z[k])
        torch.testing.assert_close(
            normals.covariance[k].double(), _ridged(overall), rtol=1e-5, atol=1e-6
        )
    # Class 3 has no row (held out by a validation split): all codes' normal.
    torch.testing.assert_close(normals.mean[3], z.mean(0))


# -- WGAN-GP's penalty and the critic steps ------------------------------------


def test_gradient_penalty_is_wgan_gp_at_interpolates():
    seen = []

    def critic(x, c):
        seen.append(x.detach().clone())
        return 0.5 * x.pow(2).sum(dim=1)  # gradient x

    real = torch.zeros(6, 3)
    fake = torch.arange(1.0, 7.0)[:, None] * torch.ones(6, 3)
    generator = torch.Generator().manual_seed(0)
    penalty = wgan_gradient_penalty(critic, real, fake, torch.zeros(6), generator)
    eps = torch.rand((6, 1), generator=torch.Generator().manual_seed(0))
    x_hat = eps * real + (1 - eps) * fake
    # One weight per row, in [0, 1]: each point lies on its real-fake segment.
    torch.testing.assert_close(seen[0], x_hat)
    torch.testing.assert_close(penalty, ((x_hat.norm(dim=1) - 1) ** 2).mean())


def test_gradient_penalty_pulls_the_norm_to_one():
    x, c = torch.rand(8, 4), torch.zeros(8, dtype=torch.long)
    linear = torch.nn.Linear(4, 1, bias=False)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[0.6, 0.8, 0.0, 0.0]]))
    critic = lambda x, c: linear(x).squeeze(1)  # noqa: E731
    assert wgan_gradient_penalty(critic, x, x.flip(0), c).item() == pytest.approx(0.0, abs=1e-10)
    with torch.no_grad():
        linear.weight.mul_(3.0)
    penalty = wgan_gradient_penalty(critic, x, x.flip(0), c)
    assert penalty.item() == pytest.approx(4.0)
    penalty.backward()
    assert linear.weight.grad is not None and linear.weight.grad.abs().sum() > 0


class _StepLog(Callback):
    """The optimizers' steps, in order, per batch."""

    def on_train_begin(self, net, **kwargs):
        self.batches = []
        for name in ("optimizer", "optimizer_critic", "optimizer_autoencoder"):
            optimizer = getattr(net, name + "_")
            optimizer.step = self._logged(optimizer.step, name)

    def on_batch_begin(self, net, batch=None, training=None, **kwargs):
        if training:
            self.batches.append((net.history[-1]["phase"], []))

    def _logged(self, step, name):
        def logged(*args, **kwargs):
            self.batches[-1][1].append(name)
            return step(*args, **kwargs)

        return logged


@pytest.mark.parametrize("n_critic", [1, 3])
def test_n_critic_critic_steps_then_one_generator_step_per_batch(net_data, monkeypatch, n_critic):
    penalties = []

    def spy(critic, real, fake, c, generator=None):
        penalties.append((real, fake, c))
        return wgan_gradient_penalty(critic, real, fake, c, generator)

    monkeypatch.setattr(bagan_net, "wgan_gradient_penalty", spy)
    log = _StepLog()
    net = _tiny_net(n_critic=n_critic, pretrain_epochs=2, max_epochs=4, callbacks=[log])
    net.fit(*net_data)
    batches_per_epoch = 3  # 40 rows, batches of 16
    pretrain = [steps for phase, steps in log.batches if phase == "pretrain"]
    adversarial = [steps for phase, steps in log.batches if phase == "adversarial"]
    assert pretrain == [["optimizer_autoencoder"]] * 2 * batches_per_epoch
    assert adversarial == [["optimizer_critic"] * n_critic + ["optimizer"]] * 2 * batches_per_epoch
    # One penalty per critic step, on the batch's real rows and generated
    # rows of the same classes.
    assert len(penalties) == n_critic * 2 * batches_per_epoch
    for real, fake, c in penalties:
        assert real.shape == fake.shape and len(c) == len(real)
        assert not fake.requires_grad


def test_no_penalty_without_gp_weight(net_data, monkeypatch):
    calls = []
    monkeypatch.setattr(bagan_net, "wgan_gradient_penalty", lambda *a, **k: calls.append(1))
    _tiny_net(gp_weight=0.0).fit(*net_data)
    assert not calls


def test_gan_optimizers_use_the_authors_settings(net_data):
    net = _tiny_net().fit(*net_data)
    for name, rate in (("optimizer_", 2e-4), ("optimizer_critic_", 1e-3)):
        group = getattr(net, name).param_groups[0]
        assert (group["lr"], group["betas"]) == (rate, (0.5, 0.9))
    assert net.optimizer_autoencoder_.param_groups[0]["lr"] == 1e-3


def test_sampler_passes_its_learning_rates(net_data):
    sampler = _bagan(lr=0.01, generator_lr=0.002, critic_lr=0.003)
    sampler.fit_resample(*net_data)
    net = sampler.net_
    rates = [
        getattr(net, n).param_groups[0]["lr"]
        for n in ("optimizer_autoencoder_", "optimizer_", "optimizer_critic_")
    ]
    assert rates == [0.01, 0.002, 0.003]


# -- phases, history, validation -----------------------------------------------


def test_phases_and_losses_in_the_history(net_data):
    net = _tiny_net(pretrain_epochs=2, max_epochs=4).fit(*net_data)
    history = net.history
    assert history[:, "phase"] == ["pretrain", "pretrain", "adversarial", "adversarial"]
    for epoch in history:
        pretrain = epoch["phase"] == "pretrain"
        active = ["reconstruction_loss"] if pretrain else ["critic_loss", "generator_loss"]
        idle = ["critic_loss", "generator_loss"] if pretrain else ["reconstruction_loss"]
        assert all(np.isfinite(epoch[key]) for key in active)
        assert all(epoch[key] is None for key in idle)
        for batch in epoch["batches"]:
            assert set(active) <= set(batch) and not set(idle) & set(batch)
            # train_loss: reconstruction, then the generator's loss.
            assert batch["train_loss"] == pytest.approx(batch[active[-1]])


def test_train_split_gives_a_valid_loss(net_data):
    net = _tiny_net(pretrain_epochs=2, max_epochs=3, train_split=ValidSplit(4, stratified=True))
    net.fit(*net_data)
    valid = net.history[:, "valid_loss"]
    assert len(valid) == 3 and all(np.isfinite(valid))
    # The normals were fitted on the training rows only (30 of the 40):
    # the first fold of StratifiedKFold is held out.
    X, c = net_data
    net.autoencoder_.eval()
    with torch.no_grad():
        z = net.autoencoder_.encode(torch.as_tensor(X)).double()
    held_out = np.r_[np.arange(5), np.arange(20, 25)]
    train = np.setdiff1d(np.arange(40), held_out)
    for k in (0, 1):
        rows = train[c[train] == k]
        torch.testing.assert_close(
            net.prior_.mean[k].double(), z[rows].mean(0), rtol=1e-5, atol=1e-6
        )


def test_stopped_in_pretraining_warns_and_still_generates(binary_data):
    class StopAfterFirstEpoch(Callback):
        def on_epoch_end(self, net, **kwargs):
            raise KeyboardInterrupt

    X, y = binary_data
    sampler = _bagan(pretrain_epochs=3, adversarial_epochs=2, callbacks=[StopAfterFirstEpoch()])
    with pytest.warns(UserWarning, match="after 1 of 3 pre-training epochs.*2 adversarial"):
        X_res, _ = sampler.fit_resample(X, y)
    net = sampler.net_
    assert len(net.history) == 1 and bool(net.prior_.fitted)
    torch.testing.assert_close(
        net.module_.join.weight, net.autoencoder_.join.weight, rtol=0, atol=0
    )
    assert np.isfinite(X_res).all()


def test_sample_is_reproducible_and_chunked(net_data):
    net = _tiny_net().fit(*net_data)
    c = np.r_[np.zeros(5, int), np.ones(5, int)]
    a = net.sample(c, torch.Generator().manual_seed(0))
    b = net.sample(c, torch.Generator().manual_seed(0))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (10, 5) and a.dtype == np.float32 and a.min() >= 0 and a.max() <= 1
    assert net.sample(c, torch.Generator().manual_seed(0), chunk_size=3).shape == (10, 5)
    assert net.sample(np.empty(0, int)).shape == (0, 5)


def test_sample_before_fit_is_refused():
    net = _tiny_net().initialize()
    with pytest.raises(ValueError, match="class normals"):
        net.sample([0, 1])


# -- settings --------------------------------------------------------------------


@pytest.mark.parametrize(
    "params", [{"n_critic": 0}, {"gp_weight": -1.0}, {"critic_lr": 0.0}, {"latent_dim": "columns"}]
)
def test_invalid_bagan_parameters(binary_data, params):
    with pytest.raises(InvalidParameterError, match="parameter"):
        _bagan(**params).fit_resample(*binary_data)


def test_both_phases_off(binary_data):
    with pytest.raises(ValueError, match="never be trained"):
        _bagan(pretrain_epochs=0, adversarial_epochs=0).fit_resample(*binary_data)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"pretrain_epochs": 3, "max_epochs": 2}, "must lie between 0 and max_epochs"),
        ({"n_critic": 0}, "n_critic must be a positive integer"),
    ],
)
def test_net_refuses_bad_settings(net_data, params, match):
    with pytest.raises(ValueError, match=match):
        _tiny_net(**params).fit(*net_data)


def test_latent_dim_auto(binary_data, digits_imbalanced):
    sampler = _bagan(latent_dim="auto")
    sampler.fit_resample(*binary_data)
    assert sampler.latent_dim_ == 6
    sampler = _bagan(latent_dim="auto", image_shape=(1, 8, 8))
    sampler.fit_resample(*digits_imbalanced)
    assert sampler.latent_dim_ == 32 and sampler.net_.prior_.mean.shape[1] == 32
