"""Deep over-sampling for imbalanced-learn: BAEGAN and other deep samplers on one base."""

from ._baegan import BAEGANSampler
from ._baegan_net import BAEGANNet
from ._bagan import BAGANSampler
from ._bagan_net import BAGANNet
from ._base_net import BaseGenerativeNet
from ._cgan import CGANSampler
from ._cgan_net import CGANNet
from ._compare import SamplerComparison, compare_samplers
from ._deepsmote import DeepSMOTESampler
from ._deepsmote_net import DeepSMOTENet
from ._latent import ClassNormals, LatentPrior
from ._losses import FocalLoss, RowReconstructionLoss
from ._memory import reduce_memory
from ._networks import (
    Autoencoder,
    BAGANCritic,
    BAGANGenerator,
    ConditionalAutoencoder,
    ConditionalDiscriminator,
    ConditionalGenerator,
    LatentDiscriminator,
    RowActivation,
)
from ._scaling import MinMaxScaling
from ._strategy import FractionOfMajority

__version__ = "0.2.0.dev0"

__all__ = [
    "Autoencoder",
    "BAEGANNet",
    "BAEGANSampler",
    "BAGANCritic",
    "BAGANGenerator",
    "BAGANNet",
    "BAGANSampler",
    "BaseGenerativeNet",
    "CGANNet",
    "CGANSampler",
    "ClassNormals",
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
    "RowActivation",
    "RowReconstructionLoss",
    "SamplerComparison",
    "__version__",
    "compare_samplers",
    "reduce_memory",
]
