"""The fixed image classifier: a small CNN trained through skorch.

Besides the plain cross-entropy every sampler is scored with, the CNN
trains the way a practitioner would train it instead of over-sampling
(:data:`TRAININGS`): with class-weighted cross-entropy, with logit-adjusted
cross-entropy (Menon et al., ICLR 2021), or on augmented batches (random
shifts of up to a fourteenth of the width, two pixels of Fashion-MNIST's 28,
and, where the images allow, horizontal flips),
each drawn from torch's seeded random state.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from skorch import NeuralNetClassifier
from torch import nn

__all__ = [
    "TRAININGS",
    "CNNSettings",
    "LogitAdjustedLoss",
    "SmallCNN",
    "augment_shift",
    "make_cnn",
    "penultimate_features",
]

#: How the CNN may train: plain cross-entropy, or an anchor's way.
TRAININGS = ("plain", "class-weighted", "logit-adjusted", "augmented")


def augment_shift(width: int) -> int:
    """Largest shift, in pixels, of an augmented image: 2 of 28 (Fashion-MNIST), 1 of 8."""
    return max(1, round(width / 14))


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


class LogitAdjustedLoss(nn.Module):
    """Cross-entropy of ``logits + log(prior)``: the logit-adjusted loss with ``tau = 1``.

    Predictions use the plain logits, so the rare classes' logits learn to
    make up for their low prior (Menon et al., "Long-tail learning via
    logit adjustment", ICLR 2021; the balanced softmax of Ren et al. is the
    same loss).

    Parameters
    ----------
    counts : sequence of int
        Training rows of each class.
    """

    def __init__(self, counts):
        super().__init__()
        prior = torch.as_tensor(counts, dtype=torch.float32)
        self.register_buffer("log_prior", torch.log(prior / prior.sum()))

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return nn.functional.cross_entropy(logits + self.log_prior, target)


def _augment(x: torch.Tensor, flip: bool) -> torch.Tensor:
    """Each image shifted by up to :func:`augment_shift` pixels (zeros fill in), maybe flipped."""
    n, _, height, width = x.shape
    shift = augment_shift(width)
    padded = nn.functional.pad(x, (shift,) * 4)
    offsets = torch.randint(0, 2 * shift + 1, (2, n), device=x.device)
    out = torch.empty_like(x)
    for dy in range(2 * shift + 1):
        for dx in range(2 * shift + 1):
            rows = torch.nonzero((offsets[0] == dy) & (offsets[1] == dx)).flatten()
            if len(rows):
                out[rows] = padded[rows, :, dy : dy + height, dx : dx + width]
    if flip:
        mirrored = torch.rand(n, device=x.device) < 0.5
        out[mirrored] = out[mirrored].flip(-1)
    return out


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
    augment : bool, default=False
        Shift (and with ``flip``, mirror) each training image at random.
    flip : bool, default=True
        Whether augmentation mirrors images left to right (not digits).
    """

    def __init__(
        self,
        image_shape: tuple[int, int, int],
        n_classes: int,
        conv_widths: tuple[int, int] = (32, 64),
        hidden: int = 128,
        dropout: float = 0.25,
        augment: bool = False,
        flip: bool = True,
    ):
        super().__init__()
        channels, height, width = image_shape
        first, second = conv_widths
        self.image_shape = tuple(image_shape)
        self.augment, self.flip = augment, flip
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
        if self.augment and self.training:
            x = _augment(x, self.flip)
        return self.head(self.features(x))


def make_cnn(
    image_shape: tuple[int, int, int],
    n_classes: int,
    settings: CNNSettings,
    training: str = "plain",
    counts=None,
    epochs: int | None = None,
    flip: bool = True,
) -> NeuralNetClassifier:
    """The skorch classifier every image sampler is paired with.

    skorch has no ``random_state``: seed torch (``torch.manual_seed``) right
    before ``fit`` to fix the initial weights, the batch order and the
    augmentation.

    Parameters
    ----------
    image_shape : tuple of (int, int, int)
    n_classes : int
    settings : CNNSettings
    training : {"plain", "class-weighted", "logit-adjusted", "augmented"}, default="plain"
        The loss or the batches: see :data:`TRAININGS`.
    counts : sequence of int or None, default=None
        Training rows of each class, for the class-weighted (``n / (K n_c)``,
        scikit-learn's "balanced" weights) and logit-adjusted losses.
    epochs : int or None, default=None
        Epochs, when not ``settings.epochs`` (to give an anchor as many
        gradient steps as a balanced set gets).
    flip : bool, default=True
        Whether augmentation mirrors images.

    Returns
    -------
    net : skorch.NeuralNetClassifier
        Unfitted; trains on the whole resampled set (no validation split).
    """
    if training not in TRAININGS:
        raise ValueError(f"training must be one of {TRAININGS}, got {training!r}.")
    criterion: dict = {"criterion": nn.CrossEntropyLoss}
    if training == "class-weighted":
        counts = torch.as_tensor(counts, dtype=torch.float32)
        criterion["criterion__weight"] = counts.sum() / (len(counts) * counts)
    elif training == "logit-adjusted":
        criterion = {"criterion": LogitAdjustedLoss, "criterion__counts": list(counts)}
    return NeuralNetClassifier(
        SmallCNN,
        module__image_shape=tuple(image_shape),
        module__n_classes=n_classes,
        module__conv_widths=tuple(settings.conv_widths),
        module__hidden=settings.hidden,
        module__dropout=settings.dropout,
        module__augment=training == "augmented",
        module__flip=flip,
        **criterion,
        optimizer=getattr(torch.optim, settings.optimizer),
        lr=settings.lr,
        max_epochs=epochs or settings.epochs,
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
