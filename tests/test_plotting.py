"""The plotting helpers: grids of images and training histories."""

import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from conftest import tiny_sampler
from skorch.history import History

from imblearn_baegan.plotting import plot_history, plot_samples


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def fitted_sampler():
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=150, n_features=5, n_informative=3, weights=[0.8], random_state=0
    )
    sampler = tiny_sampler(pretrain_epochs=2, adversarial_epochs=3)
    sampler.fit_resample(X, y)
    return sampler


# -- plot_samples -------------------------------------------------------------


def test_plot_samples_draws_one_axes_per_image_with_the_pixels():
    X = np.arange(5 * 12, dtype=float).reshape(5, 12)
    fig = plot_samples(X, (1, 3, 4), labels=list("abcde"), n_cols=3)
    # Two rows of three: the sixth, empty cell is removed.
    assert len(fig.axes) == 5
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(), X[1].reshape(3, 4))
    assert [ax.get_title() for ax in fig.axes] == list("abcde")


def test_plot_samples_infers_square_grey_images():
    fig = plot_samples(np.zeros((2, 64)))
    assert fig.axes[0].images[0].get_array().shape == (8, 8)


def test_plot_samples_accepts_image_arrays_and_rgb():
    rng = np.random.RandomState(0)
    fig = plot_samples(rng.rand(3, 3, 4, 4))
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (4, 4, 3)
    assert image.min() >= 0 and image.max() <= 1


def test_plot_samples_takes_height_width_shape():
    fig = plot_samples(np.zeros((2, 6)), (2, 3))
    assert fig.axes[0].images[0].get_array().shape == (2, 3)


def test_plot_samples_draws_into_a_given_subfigure():
    fig = plt.figure()
    left, right = fig.subfigures(1, 2)
    assert plot_samples(np.zeros((4, 64)), (1, 8, 8), fig=left) is left
    plot_samples(np.ones((2, 64)), (1, 8, 8), fig=right, title="generated")
    assert len(fig.axes) == 6
    assert right._suptitle.get_text() == "generated"


@pytest.mark.parametrize(
    "X, shape, message",
    [
        (np.zeros((2, 10)), None, "not a square number"),
        (np.zeros((2, 64)), (1, 4, 4), "describes 16 values"),
        (np.zeros((2, 64)), (2, 4, 8), "1 or 3 channels"),
        (np.zeros(5), None, "2, 3 or 4 dimensions"),
        (np.zeros((0, 64)), (1, 8, 8), "no image"),
    ],
)
def test_plot_samples_rejects_inconsistent_shapes(X, shape, message):
    with pytest.raises(ValueError, match=message):
        plot_samples(X, shape)


def test_plot_samples_rejects_wrong_number_of_labels():
    with pytest.raises(ValueError, match="3 labels for 2 images"):
        plot_samples(np.zeros((2, 4)), labels=[0, 1, 2])


def test_plot_samples_rejects_non_positive_n_cols():
    with pytest.raises(ValueError, match="n_cols"):
        plot_samples(np.zeros((2, 4)), n_cols=0)


# -- plot_history -------------------------------------------------------------


def test_plot_history_of_a_sampler_shows_each_loss_per_epoch(fitted_sampler):
    fig = plot_history(fitted_sampler)
    assert [ax.get_ylabel() for ax in fig.axes] == [
        "reconstruction loss",
        "discriminator loss",
        "generator loss",
    ]
    history = fitted_sampler.net_.history
    x, y = fig.axes[0].lines[0].get_data()
    np.testing.assert_array_equal(x, [1, 2, 3, 4, 5])
    np.testing.assert_allclose(y, history[:, "reconstruction_loss"])
    # The discriminator trains in phase (b) only: no value for epochs 1-2.
    _, d_loss = fig.axes[1].lines[0].get_data()
    assert np.isnan(d_loss[:2]).all()
    np.testing.assert_allclose(d_loss[2:], [row["discriminator_loss"] for row in history[2:]])


def test_plot_history_shades_the_adversarial_phase(fitted_sampler):
    fig = plot_history(fitted_sampler, keys=["train_loss"])
    (span,) = fig.axes[0].patches
    x_min, x_max = span.get_x(), span.get_x() + span.get_width()
    assert (x_min, x_max) == pytest.approx((2.5, 5.5))


def test_plot_history_accepts_the_net_and_the_history(fitted_sampler):
    for source in (fitted_sampler.net_, fitted_sampler.net_.history):
        fig = plot_history(source, keys=["generator_loss"], log_scale=True)
        assert fig.axes[0].get_yscale() == "log"


def _history(rows):
    """A skorch History with one epoch per dict of ``rows``."""
    history = History()
    for epoch, row in enumerate(rows, start=1):
        history.new_epoch()
        history.record("epoch", epoch)
        for key, value in row.items():
            history.record(key, value)
    return history


def test_plot_history_without_adversarial_epochs_has_no_shading():
    history = _history([{"phase": "pretrain", "reconstruction_loss": loss} for loss in (0.3, 0.2)])
    fig = plot_history(history)
    assert len(fig.axes) == 1
    assert not fig.axes[0].patches


def test_plot_history_leaves_gaps_for_losses_recorded_as_none():
    pretrain = {"phase": "pretrain", "discriminator_loss": None, "generator_loss": None}
    history = _history(
        [
            {**pretrain, "reconstruction_loss": 0.3},
            {**pretrain, "reconstruction_loss": 0.2},
            {
                "phase": "adversarial",
                "reconstruction_loss": 0.1,
                "discriminator_loss": 1.4,
                "generator_loss": 0.7,
            },
        ]
    )
    fig = plot_history(history)
    assert len(fig.axes) == 3
    _, d_loss = fig.axes[1].lines[0].get_data()
    np.testing.assert_array_equal(d_loss, [np.nan, np.nan, 1.4])


def test_plot_history_leaves_out_losses_that_are_none_in_every_epoch():
    # A run without adversarial epochs records the adversarial losses as
    # None throughout: an empty panel would say nothing.
    sampler = tiny_sampler(adversarial_epochs=0)
    X, y = np.random.RandomState(0).rand(40, 3), np.repeat([0, 1], [30, 10])
    sampler.fit_resample(X, y)
    assert all(row["discriminator_loss"] is None for row in sampler.net_.history)
    fig = plot_history(sampler)
    assert [ax.get_ylabel() for ax in fig.axes] == ["reconstruction loss"]
    with pytest.raises(KeyError, match="no \\['discriminator_loss'\\]"):
        plot_history(sampler, keys=["discriminator_loss"])


def test_plot_history_rejects_unknown_keys(fitted_sampler):
    with pytest.raises(KeyError, match="no \\['accuracy'\\]"):
        plot_history(fitted_sampler, keys=["accuracy"])


def test_plot_history_rejects_an_unfitted_sampler_and_other_objects():
    with pytest.raises(TypeError, match="fitted sampler or net of the package"):
        plot_history(tiny_sampler())
    with pytest.raises(TypeError, match="got int"):
        plot_history(3)
    with pytest.raises(ValueError, match="history is empty"):
        plot_history(History())


# -- matplotlib is optional ------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: plot_samples(np.zeros((1, 4))),
        lambda: plot_history(History()),
    ],
    ids=["plot_samples", "plot_history"],
)
def test_missing_matplotlib_raises_a_clear_import_error(monkeypatch, call):
    # A None entry in sys.modules makes the import statement fail.
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"needs matplotlib.*pip install matplotlib"):
        call()


def test_the_module_imports_without_matplotlib(monkeypatch):
    import importlib

    import imblearn_baegan.plotting as plotting

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    assert importlib.reload(plotting).__all__ == ["plot_history", "plot_samples"]


def test_plot_history_plots_every_loss_each_sampler_records(binary_data, make_sampler):
    sampler = make_sampler()
    sampler.fit_resample(*binary_data)
    fig = plot_history(sampler)
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert labels == [key.replace("_", " ") for key in sampler.net_._loss_keys]
    # A bare history gives the same panels.
    bare = plot_history(sampler.net_.history)
    assert [ax.get_ylabel() for ax in bare.axes] == labels
