"""What is DeepSMOTE's own: the permutation penalty, its losses, and its generation."""

import numpy as np
import pytest
import torch
from conftest import tiny
from scipy import sparse
from sklearn.datasets import make_classification
from skorch.dataset import ValidSplit
from torch import nn

from imblearn_baegan import DeepSMOTENet, DeepSMOTESampler


class _Identity(nn.Module):
    """Codes are the rows and rows the codes; one encoder weight, at 1."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(()))

    def encode(self, x):
        return x * self.scale

    def decode(self, z):
        return z

    def forward(self, x, c=None):
        return self.decode(self.encode(x))


def _identity_net(**params):
    return DeepSMOTENet(
        module=_Identity, lr=0.1, max_epochs=10, batch_size=2, random_state=0, **params
    )


# Two rows per class: a row's only partner differs by 1 in class 0 and by 2 in
# class 1, in both columns.
_PAIRS_X = np.array([[0.0, 0.0], [1.0, 1.0], [3.0, 3.0], [5.0, 5.0]], dtype=np.float32)
_PAIRS_C = np.array([0, 0, 1, 1])


def test_penalty_compares_each_row_with_another_rows_decoding():
    net = _identity_net().fit(_PAIRS_X, _PAIRS_C)
    batches = [batch for epoch in net.history for batch in epoch["batches"]]
    # The autoencoder is perfect, so reconstruction costs nothing...
    assert all(b["reconstruction_loss"] == 0.0 for b in batches)
    # ...and the penalty is the squared distance to the other row of the class:
    # 0 without the permutation (or with the codes and rows shifted alike), 1
    # or 4 within a class, 9 or more across classes.
    penalties = {b["penalty_loss"] for b in batches}
    assert penalties == {1.0, 4.0}


def test_penalty_trains_the_decoder_only():
    net = _identity_net(penalty_weight=10.0).fit(_PAIRS_X, _PAIRS_C)
    # The penalty is not zero, yet the encoder's weight got no gradient from it.
    assert net.history[-1, "batches", -1, "penalty_loss"] > 0
    assert net.module_.scale.item() == 1.0


def test_penalty_skips_classes_with_a_single_row():
    X = np.vstack([_PAIRS_X, [[9.0, 9.0]]]).astype(np.float32)
    c = np.r_[_PAIRS_C, 2]
    net = _identity_net().fit(X, c)
    assert {b["penalty_loss"] for e in net.history for b in e["batches"]} == {1.0, 4.0}


def test_no_class_with_two_rows_gives_a_zero_penalty():
    net = _identity_net().fit(_PAIRS_X[[0, 2]], np.array([0, 1]))
    assert {b["penalty_loss"] for e in net.history for b in e["batches"]} == {0.0}


def test_penalty_is_only_available_during_fit():
    net = _identity_net().fit(_PAIRS_X, _PAIRS_C)
    with pytest.raises(RuntimeError, match="only available while fit"):
        net.penalty_loss(2)


def test_per_batch_losses_are_in_the_history(binary_data):
    X, y = binary_data
    sampler = tiny("DeepSMOTESampler", penalty_weight=0.5, batch_size=32)
    sampler.fit_resample(X, y)
    history = sampler.net_.history
    assert len(history) == sampler.epochs
    for epoch in history:
        assert len(epoch["batches"]) == int(np.ceil(len(X) / 32))
        for batch in epoch["batches"]:
            expected = batch["reconstruction_loss"] + 0.5 * batch["penalty_loss"]
            assert batch["train_loss"] == pytest.approx(expected, rel=1e-5)
            assert batch["penalty_loss"] > 0
        assert np.isfinite(epoch["reconstruction_loss"]) and np.isfinite(epoch["penalty_loss"])
    # The training rows are not kept with the trained net.
    assert sampler.net_._penalty_rows is None


def test_train_split_records_the_held_out_reconstruction_loss(binary_data):
    X, y = binary_data
    net = DeepSMOTENet(
        module__n_features=X.shape[1],
        module__latent_dim=3,
        module__hidden_dims=(8,),
        max_epochs=3,
        random_state=0,
        train_split=ValidSplit(0.25, stratified=True),
    )
    net.fit(X.astype(np.float32), y)
    valid = net.history[:, "valid_loss"]
    assert len(valid) == 3 and np.all(np.isfinite(valid))
    # 150 training rows in batches of 64, then the held-out rows.
    batches = net.history[-1, "batches"]
    assert sum("train_loss" in b for b in batches) == 3
    assert sum(b.get("valid_batch_size", 0) for b in batches) == 50


def test_class_with_a_single_row_fails_before_training(binary_data):
    X, y = binary_data
    y = y.copy()
    y[y == 1] = 0
    y[0] = 1
    sampler = tiny("DeepSMOTESampler")
    with pytest.raises(ValueError, match=r"^Class 1 has a single sample.*sampling_strategy"):
        sampler.fit_resample(X, y)
    assert not hasattr(sampler, "net_")
    with pytest.raises(ValueError, match=r"^Class 'cat' has a single sample"):
        tiny("DeepSMOTESampler").fit_resample(X, np.where(y == 1, "cat", "dog"))


def test_single_row_class_left_out_of_the_strategy_is_fine(multiclass_data):
    X, y = multiclass_data
    y = y.copy()
    y[y == 2] = 0
    y[0] = 2
    sampler = tiny("DeepSMOTESampler", sampling_strategy={1: int(np.sum(y == 0))})
    _, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [np.sum(y == 0)] * 2 + [1]


def test_small_class_uses_fewer_neighbours_with_a_warning(binary_data):
    X, y = binary_data
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:3]]
    sampler = tiny("DeepSMOTESampler", k_neighbors=5)
    with pytest.warns(UserWarning, match="k_neighbors=2"):
        sampler.fit_resample(X[keep], y[keep])
    assert sampler.k_neighbors_ == {1: 2}


@pytest.mark.parametrize("image_shape, n_features", [(None, 6), ((1, 8, 8), 64)])
def test_encode_and_decode_shapes(image_shape, n_features):
    rng = np.random.RandomState(0)
    X = rng.rand(60, n_features)
    y = np.r_[np.zeros(45, int), np.ones(15, int)]
    sampler = tiny("DeepSMOTESampler", latent_dim=3, image_shape=image_shape)
    sampler.fit_resample(X, y)
    assert sampler.latent_dim_ == 3
    Z = sampler.net_.encode(X[:5])
    assert Z.shape == (5, 3) and Z.dtype == np.float32
    rows = sampler.net_.decode(Z)
    assert rows.shape == (5, n_features) and rows.dtype == np.float32
    assert rows.min() >= 0 and rows.max() <= 1
    # Chunks of any size give the same codes and rows.
    np.testing.assert_allclose(sampler.net_.encode(X[:5], chunk_size=2), Z, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(sampler.net_.decode(Z, chunk_size=2), rows, rtol=1e-5, atol=1e-6)
    # The sampler's own helpers work in X's units.
    assert sampler.encode(X[:5]).shape == (5, 3)
    assert sampler.decode(Z).shape == (5, n_features)
    with pytest.raises(ValueError, match="shape"):
        sampler.decode(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="NaN or infinite"):
        sampler.net_.decode(np.full((1, 3), np.nan))


def test_auto_latent_dim_is_baegans():
    X = np.random.RandomState(0).rand(50, 40)
    y = np.r_[np.zeros(40, int), np.ones(10, int)]
    sampler = tiny("DeepSMOTESampler", latent_dim="auto", epochs=1)
    sampler.fit_resample(X, y)
    assert sampler.latent_dim_ == 32
    sampler.set_params(latent_dim="auto").fit_resample(X[:, :5], y)
    assert sampler.latent_dim_ == 5


def test_generated_rows_lie_nearer_their_own_class():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0.0, 1.0, (200, 4)), rng.normal(8.0, 1.0, (30, 4))])
    y = np.r_[np.zeros(200, int), np.ones(30, int)]
    sampler = DeepSMOTESampler(
        latent_dim=2, hidden_dims=(16,), epochs=40, lr=3e-3, batch_size=32, random_state=0
    )
    X_res, y_res = sampler.fit_resample(X, y)
    new = X_res[len(X) :]
    assert len(new) == 170 and np.all(y_res[len(X) :] == 1)
    to_own = np.linalg.norm(new - X[y == 1].mean(0), axis=1)
    to_other = np.linalg.norm(new - X[y == 0].mean(0), axis=1)
    assert np.all(to_own < to_other)


def test_sparse_input_gives_sparse_output(binary_data):
    X, y = binary_data
    X = np.where(np.abs(X) < 1.0, 0.0, X)
    X_res, y_res = tiny("DeepSMOTESampler").fit_resample(sparse.csr_matrix(X), y)
    assert sparse.issparse(X_res) and X_res.format == "csr"
    assert np.bincount(y_res).tolist() == [np.sum(y == 0)] * 2
    np.testing.assert_array_equal(X_res[: len(X)].toarray(), X)


def test_decode_takes_and_ignores_the_labels_as_baegan_does():
    X, y = make_classification(n_samples=120, n_features=5, weights=[0.8], random_state=0)
    sampler = tiny("DeepSMOTESampler")
    sampler.fit_resample(X, y)
    Z = sampler.encode(X[:4])
    np.testing.assert_array_equal(sampler.decode(Z, y[:4]), sampler.decode(Z))
