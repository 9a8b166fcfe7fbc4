"""The fixed image classifier: a small CNN trained through skorch."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from skorch import NeuralNetClassifier
from torch import nn

__all__ = ["CNNSettings", "SmallCNN", "make_cnn", "penultimate_features"]


@dataclass(frozen=True)
class CNNSettings:
    """Everything that defines the classifier, recorded with the results."""

    conv_widths: tuple[int, int] = (32, 64)
    hidden: int = 128
    dropout: float = 0.25
    epochs: int = 10
    batch_size: int = 128
    lr: float = 1e-3
    optimizer: str = "Adam"

    def as_dict(self) -> dict:
        """Plain dict for JSON."""
        return asdict(self)


class SmallCNN(nn.Module):
    """Two 3x3 conv + max-pool stages, one hidden layer, logits out.

    Takes flattened images (what imblearn samplers hand over) and reshapes
    them to ``image_shape``.

    Parameters
    ----------
    image_shape : tuple of (int, int, int)
        ``(channels, height, width)``.
    n_classes : int
        Number of output logits.
    conv_widths : tuple of (int, int), default=(32, 64)
        Filters of the two convolution stages.
    hidden : int, default=128
        Width of the hidden layer, whose activations are the FD features.
    dropout : float, default=0.25
        Dropout before the output layer.
    """

    def __init__(
        self,
        image_shape: tuple[int, int, int],
        n_classes: int,
        conv_widths: tuple[int, int] = (32, 64),
        hidden: int = 128,
        dropout: float = 0.25,
    ):
        super().__init__()
        channels, height, width = image_shape
        first, second = conv_widths
        self.image_shape = tuple(image_shape)
        self.features = nn.Sequential(
            nn.Conv2d(channels, first, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(first, second, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(second * (height // 4) * (width // 4), hidden),
            nn.ReLU(),
        )
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(hidden, n_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Samplers may hand back float64; the network runs in float32.
        x = x.float().view(-1, *self.image_shape)
        return self.head(self.features(x))


def make_cnn(
    image_shape: tuple[int, int, int], n_classes: int, settings: CNNSettings
) -> NeuralNetClassifier:
    """The skorch classifier every image sampler is paired with.

    skorch has no ``random_state``: seed torch (``torch.manual_seed``) right
    before ``fit`` to fix the initial weights and the batch order.

    Parameters
    ----------
    image_shape : tuple of (int, int, int)
    n_classes : int
    settings : CNNSettings

    Returns
    -------
    net : skorch.NeuralNetClassifier
        Unfitted; trains on the whole resampled set (no validation split)
        for ``settings.epochs`` epochs.
    """
    return NeuralNetClassifier(
        SmallCNN,
        module__image_shape=tuple(image_shape),
        module__n_classes=n_classes,
        module__conv_widths=tuple(settings.conv_widths),
        module__hidden=settings.hidden,
        module__dropout=settings.dropout,
        criterion=nn.CrossEntropyLoss,
        optimizer=getattr(torch.optim, settings.optimizer),
        lr=settings.lr,
        max_epochs=settings.epochs,
        batch_size=settings.batch_size,
        iterator_train__shuffle=True,
        train_split=None,
        device="cuda" if torch.cuda.is_available() else "cpu",
        verbose=0,
    )


@torch.no_grad()
def penultimate_features(net: NeuralNetClassifier, X: np.ndarray) -> np.ndarray:
    """Hidden-layer activations of a fitted :class:`SmallCNN`, for FD.

    Parameters
    ----------
    net : skorch.NeuralNetClassifier
        Fitted, with a :class:`SmallCNN` module.
    X : ndarray of shape (n_samples, n_pixels)

    Returns
    -------
    features : ndarray of shape (n_samples, hidden), float64
    """
    module = net.module_.eval()
    parts = []
    for chunk in np.array_split(X, max(1, len(X) // 1024)):
        x = torch.as_tensor(chunk, device=net.device).float().view(-1, *module.image_shape)
        parts.append(module.features(x).cpu().double().numpy())
    return np.concatenate(parts)
