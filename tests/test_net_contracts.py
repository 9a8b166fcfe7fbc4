"""What every sampler's skorch net promises as a skorch NeuralNet, for the whole family."""

import numpy as np
import pytest
from skorch.callbacks import EarlyStopping
from skorch.dataset import ValidSplit


@pytest.fixture
def trained(make_sampler, binary_data):
    """The net a tiny sampler of each family member trained, and the data."""
    X, y = binary_data
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    return sampler.net_, X.astype(np.float32), y


def test_every_loss_is_recorded_batch_by_batch(trained):
    net, _, _ = trained
    batches = [batch for epoch in net.history for batch in epoch["batches"]]
    for key in net._loss_keys:
        values = [batch[key] for batch in batches if key in batch]
        assert values and np.all(np.isfinite(values)), key


def test_train_split_gives_a_validation_loss_every_epoch(trained):
    net, X, y = trained
    net.set_params(train_split=ValidSplit(4, stratified=True)).fit(X, y)
    valid = net.history[:, "valid_loss"]
    assert len(valid) == net.max_epochs and np.all(np.isfinite(valid))


# Two-phase nets stopped in pre-training warn; that warning has tests of its own.
@pytest.mark.filterwarnings("ignore:Training stopped after")
def test_early_stopping_on_the_validation_loss_ends_training(trained):
    net, X, y = trained
    stop = EarlyStopping(monitor="valid_loss", patience=1, threshold=10.0)
    net.set_params(max_epochs=20, train_split=ValidSplit(4, stratified=True), callbacks=[stop])
    net.fit(X, y)
    assert len(net.history) < 20


def test_prediction_is_refused_with_a_pointer_to_generation(trained):
    net, X, _ = trained
    for method in (net.predict, net.predict_proba):
        with pytest.raises(NotImplementedError, match="predicts nothing. Use "):
            method(X)
