"""Shared fixtures: small data and a sampler small enough to train in a second."""

import functools

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits, make_classification

from imblearn_baegan import BAEGANSampler, BAGANSampler, CGANSampler, DeepSMOTESampler

# Tiny networks run slower on two threads than on one (the thread hand-off
# costs more than the arithmetic), and CI machines have two cores.
torch.set_num_threads(1)

#: Settings that keep every network tiny; tests change one thing at a time.
TINY = dict(
    latent_dim=4,
    hidden_dims=(16,),
    conv_width=4,
    discriminator_hidden_dims=(16,),
    pretrain_epochs=2,
    adversarial_epochs=2,
    batch_size=64,
    random_state=0,
)


def tiny_sampler(**params) -> BAEGANSampler:
    """A BAEGANSampler with TINY settings, overridden by ``params``."""
    return BAEGANSampler(**{**TINY, **params})


#: Every deep sampler of the package, with settings that keep its networks
#: tiny. Tests of what all of them promise run once per entry.
FAMILY = {
    "BAEGANSampler": (BAEGANSampler, TINY),
    "BAGANSampler": (
        BAGANSampler,
        dict(
            latent_dim=4,
            hidden_dims=(16,),
            conv_width=4,
            pretrain_epochs=2,
            adversarial_epochs=2,
            n_critic=2,
            batch_size=64,
            random_state=0,
        ),
    ),
    "CGANSampler": (
        CGANSampler,
        dict(noise_dim=4, hidden_dims=(16,), conv_width=4, epochs=3, batch_size=64, random_state=0),
    ),
    "DeepSMOTESampler": (
        DeepSMOTESampler,
        dict(
            latent_dim=4, hidden_dims=(16,), conv_width=4, epochs=3, batch_size=64, random_state=0
        ),
    ),
}


def tiny(name: str, **params):
    """The family member ``name`` with its tiny settings, overridden by ``params``."""
    cls, settings = FAMILY[name]
    return cls(**{**settings, **params})


@pytest.fixture(params=list(FAMILY))
def make_sampler(request):
    """A factory of tiny samplers of one family member; each test runs once per member."""
    return functools.partial(tiny, request.param)


@pytest.fixture
def binary_data():
    X, y = make_classification(
        n_samples=200,
        n_features=6,
        n_informative=4,
        weights=[0.85, 0.15],
        random_state=0,
    )
    return X, y


@pytest.fixture
def multiclass_data():
    X, y = make_classification(
        n_samples=300,
        n_features=8,
        n_informative=5,
        n_classes=3,
        weights=[0.6, 0.3, 0.1],
        random_state=0,
    )
    return X, y


@pytest.fixture(scope="session")
def digits_imbalanced():
    """Digits 0, 1 and 2 with 2 made rare: flattened 8x8 images."""
    X, y = load_digits(return_X_y=True)
    keep = np.isin(y, [0, 1, 2])
    X, y = X[keep], y[keep]
    rare = np.flatnonzero(y == 2)[20:]
    mask = np.ones(len(y), bool)
    mask[rare] = False
    return X[mask], y[mask]
