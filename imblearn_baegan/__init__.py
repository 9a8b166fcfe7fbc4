"""Deep over-sampling for imbalanced-learn: BAEGAN, an adversarial autoencoder with latent SMOTE."""

from ._net import BAEGANNet
from ._sampler import BAEGANSampler

__version__ = "0.1.0"

__all__ = ["BAEGANNet", "BAEGANSampler", "__version__"]
