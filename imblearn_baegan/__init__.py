"""Deep over-sampling for imbalanced-learn: BAEGAN, an adversarial autoencoder with latent SMOTE."""

from ._latent import LatentPrior
from ._losses import FocalLoss
from ._net import BAEGANNet
from ._networks import ConditionalAutoencoder, LatentDiscriminator
from ._sampler import BAEGANSampler
from ._scaling import MinMaxScaling
from ._strategy import FractionOfMajority

__version__ = "0.1.0"

__all__ = [
    "BAEGANNet",
    "BAEGANSampler",
    "ConditionalAutoencoder",
    "FocalLoss",
    "FractionOfMajority",
    "LatentDiscriminator",
    "LatentPrior",
    "MinMaxScaling",
    "__version__",
]
