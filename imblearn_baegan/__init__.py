"""Deep over-sampling for imbalanced-learn: BAEGAN and other deep samplers on one base."""

from ._bagan import BAGANSampler
from ._bagan_net import BAGANNet
from ._base_net import BaseGenerativeNet
from ._cgan import CGANSampler
from ._cgan_net import CGANNet
from ._deepsmote import DeepSMOTESampler
from ._deepsmote_net import DeepSMOTENet
from ._latent import LatentPrior
from ._losses import FocalLoss
from ._net import BAEGANNet
from ._networks import (
    Autoencoder,
    ConditionalAutoencoder,
    ConditionalDiscriminator,
    ConditionalGenerator,
    LatentDiscriminator,
)
from ._sampler import BAEGANSampler
from ._scaling import MinMaxScaling
from ._strategy import FractionOfMajority

__version__ = "0.1.0"

__all__ = [
    "Autoencoder",
    "BAEGANNet",
    "BAEGANSampler",
    "BAGANNet",
    "BAGANSampler",
    "BaseGenerativeNet",
    "CGANNet",
    "CGANSampler",
    "ConditionalAutoencoder",
    "ConditionalDiscriminator",
    "ConditionalGenerator",
    "DeepSMOTENet",
    "DeepSMOTESampler",
    "FocalLoss",
    "FractionOfMajority",
    "LatentDiscriminator",
    "LatentPrior",
    "MinMaxScaling",
    "__version__",
]
