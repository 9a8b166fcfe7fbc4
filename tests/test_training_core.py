"""The training core keeps skorch's and scikit-learn's contracts.

skorch features (callbacks on gradients, validation splits, iterator and
learning-rate settings), defaults shared with the sampler, seeding that is
safe in threads, and memory that stays close to the input's own size.
"""

import threading
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch
from conftest import tiny_sampler
from skorch.callbacks import Callback, EarlyStopping, GradientNormClipping
from skorch.dataset import ValidSplit
from test_net import _tiny_net

from imblearn_baegan import BAEGANNet, BAEGANSampler, _base


@pytest.fixture
def net_data():
    rng = np.random.RandomState(0)
    return rng.rand(60, 5).astype(np.float32), np.repeat([0, 1, 1], 20)


class _GradNorms(Callback):
    """Records the total gradient norm each time the net reports gradients."""

    def initialize(self):
        self.norms = []
        self.sizes = []
        return self

    def on_grad_computed(self, net, named_parameters, **kwargs):
        grads = [p.grad for _, p in named_parameters if p.grad is not None]
        self.sizes.append(sum(g.numel() for g in grads))
        self.norms.append(torch.linalg.vector_norm(torch.cat([g.flatten() for g in grads])).item())


def test_gradient_norm_clipping_clips_every_optimizer_step(net_data):
    recorder = _GradNorms()
    net = _tiny_net(
        max_epochs=2,
        callbacks=[GradientNormClipping(gradient_clip_value=1e-3), recorder],
    ).fit(*net_data)
    # 4 batches a epoch: one step in pre-training, three in the adversarial epoch.
    assert len(recorder.norms) == 4 + 3 * 4
    assert max(recorder.norms) <= 1e-3 * (1 + 1e-4)
    sizes = {
        sum(p.numel() for p in part.parameters())
        for part in (net.module_, net.discriminator_, net.module_.encoder)
    }
    assert set(recorder.sizes) == sizes


def test_train_split_records_a_validation_loss_per_phase(net_data):
    net = _tiny_net(max_epochs=3, train_split=ValidSplit(0.25, stratified=True))
    net.fit(*net_data)
    assert all(np.isfinite(net.history[:, "valid_loss"]))
    assert net.history[0, "valid_generator_loss"] is None
    assert all(np.isfinite(net.history[1:, "valid_generator_loss"]))
    # 45 training rows in batches of 16, 15 held out in one batch.
    assert net.history[-1, "train_batch_count"] == 3
    assert net.history[-1, "valid_batch_count"] == 1


def test_early_stopping_on_the_validation_loss(net_data):
    stop = EarlyStopping(monitor="valid_loss", patience=1, threshold=10.0)
    net = _tiny_net(max_epochs=10, train_split=ValidSplit(0.25), callbacks=[stop])
    assert len(net.fit(*net_data).history) < 10


def test_iterator_batch_sizes_are_honoured(net_data):
    net = _tiny_net(
        max_epochs=1,
        train_split=ValidSplit(0.25),
        iterator_train__batch_size=5,
        iterator_valid__batch_size=4,
    ).fit(*net_data)
    assert net.history[-1, "train_batch_count"] == 9
    assert net.history[-1, "valid_batch_count"] == 4


@pytest.mark.parametrize(
    "param", ["iterator_train__num_workers", "iterator_valid__collate_fn", "iterator_train"]
)
def test_iterator_settings_without_meaning_are_refused(net_data, param):
    value = 2
    if param == "iterator_train":
        value = type("MyLoader", (torch.utils.data.DataLoader,), {})
    with pytest.raises(ValueError, match="slices its batches"):
        _tiny_net(**{param: value}).fit(*net_data)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "forward", "infer"])
def test_prediction_methods_say_what_to_use_instead(net_data, method):
    net = _tiny_net().fit(*net_data)
    with pytest.raises(NotImplementedError, match="encode"):
        getattr(net, method)(net_data[0])


def test_set_params_lr_reaches_every_optimizer_that_shares_it(net_data):
    net = _tiny_net(optimizer_discriminator__lr=0.02).fit(*net_data)
    net.set_params(lr=0.3)
    lrs = {
        name: {g["lr"] for g in getattr(net, name + "_").param_groups}
        for name in ("optimizer", "optimizer_generator", "optimizer_discriminator")
    }
    assert lrs == {
        "optimizer": {0.3},
        "optimizer_generator": {0.3},
        "optimizer_discriminator": {0.02},
    }
    shared = _tiny_net().fit(*net_data).set_params(lr=0.4)
    assert shared.optimizer_discriminator_.param_groups[0]["lr"] == 0.4


def test_the_sampler_trains_its_net_with_the_defaults_both_read(binary_data):
    # One table of defaults (DEFAULTS) for the net and the sampler; the net
    # takes the image epochs, the sampler resolves "auto" by the data.
    from imblearn_baegan._baegan_net import DEFAULTS

    net_params = BAEGANNet().get_params()
    assert net_params["pretrain_epochs"] == DEFAULTS["pretrain_epochs"]
    assert net_params["lr"] == BAEGANSampler().get_params()["lr"] == DEFAULTS["lr"]
    sampler = tiny_sampler(pretrain_epochs="auto", adversarial_epochs=1)
    sampler.fit_resample(*binary_data)
    fitted = sampler.net_
    assert fitted.pretrain_epochs == 40 and fitted.max_epochs == 41
    assert fitted.gp_weight == DEFAULTS["gp_weight"]
    net = _tiny_net().fit(np.random.rand(20, 5).astype(np.float32), np.repeat([0, 1], 10))
    for name in ("optimizer_discriminator_", "optimizer_generator_"):
        assert getattr(net, name).defaults["betas"] == getattr(fitted, name).defaults["betas"]


class _NaNLoss(torch.nn.Module):
    def forward(self, logit, target, c):
        return logit.sum() * float("nan")


def test_divergence_messages_name_the_nets_or_the_samplers_parameters(net_data, binary_data):
    with pytest.raises(FloatingPointError, match="optimizer_discriminator__lr or gp_weight"):
        _tiny_net(adversarial_criterion=_NaNLoss).fit(*net_data)
    sampler = tiny_sampler(lr=1e12, adversarial_epochs=0)
    with pytest.raises(FloatingPointError, match=r"diverged\. Lower lr, or check X"):
        sampler.fit_resample(*binary_data)


def test_decode_refuses_codes_that_are_not_finite(binary_data):
    sampler = tiny_sampler()
    sampler.fit_resample(*binary_data)
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match="NaN|infinity"):
            sampler.decode(np.full((1, 4), bad), [0])
        with pytest.raises(ValueError, match="finite"):
            sampler.net_.decode(np.full((1, 4), bad), [0])


def test_fits_in_threads_equal_fits_one_after_the_other(binary_data, multiclass_data):
    data = [binary_data, multiclass_data]

    def fit(seed):
        X, y = data[seed % 2]
        return tiny_sampler(random_state=seed).fit_resample(X, y)[0]

    jobs = [0, 1, 2, 3]
    serial = [fit(job) for job in jobs]
    torch_state = torch.random.get_rng_state()
    barrier = threading.Barrier(2)

    def fit_together(job):
        barrier.wait()
        return fit(job)

    with ThreadPoolExecutor(2) as pool:
        for first, second in zip(jobs[::2], jobs[1::2]):
            barrier.reset()
            together = list(pool.map(fit_together, [first, second]))
            for got, job in zip(together, (first, second)):
                np.testing.assert_array_equal(got, serial[job])
    # The fits own their generators: torch's global one is left as it was.
    assert torch.equal(torch.random.get_rng_state(), torch_state)


def test_uint8_images_stay_compact_on_the_host(monkeypatch):
    # Generation works a chunk of rows at a time; a small chunk keeps its
    # float working memory small next to this small input.
    monkeypatch.setattr(_base, "_GENERATION_CHUNK", 64)
    rng = np.random.RandomState(0)
    X = rng.randint(0, 256, size=(3000, 256)).astype(np.uint8)
    y = np.repeat([0, 1], [2500, 500])
    sampler = tiny_sampler(image_shape=(1, 16, 16), pretrain_epochs=1, adversarial_epochs=1)
    # A first fit imports what fits import, which tracemalloc would count.
    sampler.fit_resample(X[::15], y[::15])
    tracemalloc.start()
    X_res, _ = sampler.fit_resample(X, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert X_res.dtype == np.uint8
    # The output (5000 rows) plus working memory under two inputs' size
    # (the class's rows, a chunk of floats); a float64 copy of X alone
    # would take eight.
    assert peak < X_res.nbytes + 2 * X.nbytes


def test_encode_and_decode_in_chunks_equal_encode_and_decode_at_once(digits_imbalanced):
    X, y = digits_imbalanced
    sampler = tiny_sampler(image_shape=(1, 8, 8))
    sampler.fit_resample(X, y)
    net = sampler.net_
    Z = net.encode(X)
    # Convolutions may pick another algorithm for another batch size, so
    # equal up to float32 rounding.
    np.testing.assert_allclose(net.encode(X, chunk_size=7), Z, rtol=1e-5, atol=1e-6)
    c = np.searchsorted(sampler.classes_, y)
    np.testing.assert_allclose(
        net.decode(Z, c, chunk_size=7), net.decode(Z, c), rtol=1e-5, atol=1e-6
    )
    assert isinstance(Z, np.ndarray) and Z.dtype == np.float32


def test_rows_too_large_for_the_device_stay_on_the_host(monkeypatch):
    net = _tiny_net(device="cuda")
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda device: (1000, 8000))
    assert net._storage_device(600).type == "cpu"
    assert net._storage_device(400).type == "cuda"
    assert _tiny_net(device="cuda", data_placement="host")._storage_device(1).type == "cpu"
    assert _tiny_net(device="cuda", data_placement="device")._storage_device(10**9).type == "cuda"


def test_rows_streamed_from_the_host_train_the_same_networks(net_data):
    on_device = _tiny_net(random_state=0, data_placement="device").fit(*net_data)
    on_host = _tiny_net(random_state=0, data_placement="host").fit(*net_data)
    np.testing.assert_array_equal(on_device.encode(net_data[0]), on_host.encode(net_data[0]))
    with pytest.raises(ValueError, match="data_placement"):
        _tiny_net(data_placement="gpu").fit(*net_data)


def test_image_codes_are_the_same_in_training_and_evaluation_mode(digits_imbalanced):
    # The discriminator judges codes in training mode and latent SMOTE reads
    # them in evaluation mode: with batch statistics the two would differ.
    X, y = digits_imbalanced
    # 16x16 pixels: two convolution stages, the second one normalised.
    X = np.kron(X.reshape(-1, 8, 8), np.ones((2, 2))).reshape(len(X), -1)
    sampler = tiny_sampler(image_shape=(1, 16, 16), conv_width=4)
    sampler.fit_resample(X, y)
    encoder = sampler.net_.module_.encoder
    x = torch.as_tensor(sampler.scaler_.transform(X[:50]))
    with torch.no_grad():
        encoder.eval()
        in_eval = encoder(x)
        encoder.train()
        in_training = encoder(x)
        alone = encoder(x[:1])
    torch.testing.assert_close(in_training, in_eval)
    torch.testing.assert_close(alone, in_eval[:1])


def test_early_stopping_in_pretraining_warns_that_no_adversarial_epoch_ran(binary_data):
    stop = EarlyStopping(monitor="train_loss", patience=1, threshold=10.0)
    sampler = tiny_sampler(pretrain_epochs=6, adversarial_epochs=4, callbacks=[stop])
    with pytest.warns(
        UserWarning, match=r"stopped after \d of 6 pre-training epochs.*none of the 4 adversarial"
    ):
        sampler.fit_resample(*binary_data)
    assert {epoch["phase"] for epoch in sampler.net_.history} == {"pretrain"}


def test_early_stopping_in_the_adversarial_phase_is_silent(binary_data, recwarn):
    stop = EarlyStopping(monitor="train_loss", patience=1, threshold=10.0)
    sampler = tiny_sampler(pretrain_epochs=1, adversarial_epochs=6, callbacks=[stop])
    sampler.fit_resample(*binary_data)
    assert len(sampler.net_.history) < 7
    assert not [w for w in recwarn if "pre-training" in str(w.message)]
