"""Network builders of every deep sampler: encoders, decoders, generators, discriminators.

Tabular rows get multi-layer perceptrons. Images get DCGAN-style convolutional
nets after Table 1 of the BAEGAN paper (4x4 kernels, stride 2, padding 1,
doubling filters), with as many stride-2 stages as the image size allows, so
that 8x8, 28x28, 32x32 and 64x64 inputs all work without padding.

A row the networks see holds one unit per numeric column, in ``[0, 1]``,
then one block per categorical column (``category_sizes``): a one-hot vector
in real rows, probabilities in decoded or generated ones
(:class:`RowActivation`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

__all__ = [
    "Autoencoder",
    "BAGANCritic",
    "BAGANGenerator",
    "ConditionalAutoencoder",
    "ConditionalDiscriminator",
    "ConditionalGenerator",
    "LatentDiscriminator",
    "RowActivation",
    "conv_stage_sizes",
]

_LEAK = 0.2


def _mlp(sizes: Sequence[int]) -> list[nn.Module]:
    """Linear layers with LeakyReLU between them (none after the last)."""
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(nn.LeakyReLU(_LEAK))
    return layers


def conv_stage_sizes(height: int, width: int) -> list[tuple[int, int]]:
    """Spatial sizes seen by each stride-2 convolution, input size first.

    A stage halves the size (rounding down, as a 4x4 kernel with stride 2 and
    padding 1 does) for as long as both sides are at least 8, so the
    bottleneck is between 4 and 7 pixels a side: 64 -> 4 (four stages, the
    paper's), 32 -> 4, 28 -> 7, 8 -> 4. Images smaller than 8 pixels get no
    convolution stage and go straight to the linear projection.

    Parameters
    ----------
    height, width : int
        Image size in pixels.

    Returns
    -------
    sizes : list of (int, int)
        ``sizes[0]`` is the input size and ``sizes[-1]`` the bottleneck size.

    Examples
    --------
    >>> conv_stage_sizes(28, 28)
    [(28, 28), (14, 14), (7, 7)]
    """
    sizes = [(height, width)]
    while min(sizes[-1]) >= 8:
        h, w = sizes[-1]
        sizes.append((h // 2, w // 2))
    return sizes


class RowActivation(nn.Module):
    """The last activation of a table's decoder: a sigmoid on numeric units, softmax on blocks.

    Numeric units are min-max scaled columns, so the sigmoid keeps every
    decoded value inside the training range; each categorical block becomes
    probabilities over its categories.

    Parameters
    ----------
    n_features : int
        Units of a row.
    category_sizes : sequence of int, default=()
        Units of each categorical block, which follow the numeric units.

    Examples
    --------
    >>> import torch
    >>> out = RowActivation(5, (3,))(torch.zeros(1, 5))
    >>> out[0, :2].tolist(), round(out[0, 2:].sum().item(), 6)
    ([0.5, 0.5], 1.0)
    """

    def __init__(self, n_features: int, category_sizes: Sequence[int] = ()):
        super().__init__()
        self.n_numeric = n_features - sum(category_sizes)
        self.category_sizes = tuple(category_sizes)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        numeric, *blocks = h.split((self.n_numeric, *self.category_sizes), dim=1)
        return torch.cat([torch.sigmoid(numeric), *(b.softmax(dim=1) for b in blocks)], dim=1)


def _output_activation(n_features: int, category_sizes: Sequence[int]) -> nn.Module:
    # A plain sigmoid when every column is numeric: the same module, so the
    # same networks, as before categorical columns existed.
    if not category_sizes:
        return nn.Sigmoid()
    return RowActivation(n_features, category_sizes)


class _MLPEncoder(nn.Sequential):
    def __init__(self, n_features: int, hidden_dims: Sequence[int], latent_dim: int):
        super().__init__(*_mlp([n_features, *hidden_dims, latent_dim]))


class _MLPDecoder(nn.Sequential):
    def __init__(
        self,
        latent_dim: int,
        hidden_dims: Sequence[int],
        n_features: int,
        category_sizes: Sequence[int] = (),
    ):
        super().__init__(
            *_mlp([latent_dim, *reversed(hidden_dims), n_features]),
            _output_activation(n_features, category_sizes),
        )


class _ConvEncoder(nn.Module):
    def __init__(self, image_shape: Sequence[int], conv_width: int, latent_dim: int):
        super().__init__()
        channels, height, width = image_shape
        sizes = conv_stage_sizes(height, width)
        layers: list[nn.Module] = []
        n_in = channels
        for stage in range(len(sizes) - 1):
            n_out = conv_width * 2**stage
            layers.append(nn.Conv2d(n_in, n_out, 4, 2, 1, bias=stage == 0))
            # DCGAN leaves the norm out of the first stage. Group norm has no
            # batch statistics: the codes the discriminator judges in
            # training mode are the codes latent SMOTE reads in evaluation
            # mode, and no running statistics are updated twice per batch.
            if stage > 0:
                layers.append(nn.GroupNorm(math.gcd(32, n_out), n_out))
            layers.append(nn.LeakyReLU(_LEAK))
            n_in = n_out
        self.image_shape = tuple(image_shape)
        self.features = nn.Sequential(*layers)
        self.project = nn.Linear(n_in * sizes[-1][0] * sizes[-1][1], latent_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.view(-1, *self.image_shape)
        return self.project(self.features(x).flatten(1))


class _ConvDecoder(nn.Module):
    def __init__(self, latent_dim: int, conv_width: int, image_shape: Sequence[int]):
        super().__init__()
        channels, height, width = image_shape
        sizes = conv_stage_sizes(height, width)
        n_stages = len(sizes) - 1
        n_in = conv_width * 2 ** (n_stages - 1) if n_stages else channels
        self.bottleneck = (n_in, *sizes[-1])
        # The paper's first deconvolution (k4 s1 p0 on a 1x1 input) is a
        # linear map to a 4x4 grid; a Linear layer does the same for any
        # bottleneck size.
        self.project = nn.Linear(latent_dim, n_in * sizes[-1][0] * sizes[-1][1])
        layers: list[nn.Module] = []
        if n_stages:
            layers += [nn.BatchNorm2d(n_in), nn.ReLU()]
        for stage in reversed(range(n_stages)):
            n_out = channels if stage == 0 else conv_width * 2 ** (stage - 1)
            (h_out, w_out), (h_in, w_in) = sizes[stage], sizes[stage + 1]
            # A k4 s2 p1 transposed convolution doubles the size; the output
            # padding restores the odd sizes the encoder rounded down (7 -> 3).
            padding = (h_out - 2 * h_in, w_out - 2 * w_in)
            layers.append(
                nn.ConvTranspose2d(n_in, n_out, 4, 2, 1, output_padding=padding, bias=stage == 0)
            )
            if stage > 0:
                layers += [nn.BatchNorm2d(n_out), nn.ReLU()]
            n_in = n_out
        layers.append(nn.Sigmoid())
        self.features = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.project(z).view(-1, *self.bottleneck)
        return self.features(x).flatten(1)


def _encoder(
    n_features: int, latent_dim: int, hidden_dims: Sequence[int], image_shape, conv_width: int
) -> nn.Module:
    """Rows to codes: a perceptron for tables, convolutions for images."""
    if image_shape is None:
        return _MLPEncoder(n_features, hidden_dims, latent_dim)
    return _ConvEncoder(image_shape, conv_width, latent_dim)


def _decoder(
    latent_dim: int,
    n_features: int,
    hidden_dims: Sequence[int],
    image_shape,
    conv_width: int,
    category_sizes: Sequence[int] = (),
) -> nn.Module:
    """Codes to rows in ``[0, 1]``, mirroring :func:`_encoder`; tables may have blocks."""
    if image_shape is None:
        return _MLPDecoder(latent_dim, hidden_dims, n_features, category_sizes)
    if category_sizes:
        raise ValueError("Images have no categorical columns: category_sizes must be empty.")
    return _ConvDecoder(latent_dim, conv_width, image_shape)


class ConditionalAutoencoder(nn.Module):
    """Encoder, class-embedding layer and decoder of BAEGAN.

    The encoder maps a row to a latent code ``z`` and does not see the class;
    the embedding layer joins ``z`` with a learned embedding of the class
    (concatenation followed by a linear layer) and the decoder maps the
    result back to a row scaled to ``[0, 1]``. In BAEGAN's adversarial phase
    the encoder is also the generator.

    Parameters
    ----------
    n_features : int
        Number of input columns (pixels times channels for images).
    n_classes : int
        Number of classes the embedding knows.
    latent_dim : int, default=32
        Size of the latent code.
    hidden_dims : sequence of int, default=(128, 64)
        Widths of the encoder's hidden layers for tabular data; the decoder
        mirrors them. Ignored for images.
    image_shape : tuple of (int, int, int) or None, default=None
        ``(channels, height, width)``; when given, convolutional nets are
        built instead of perceptrons.
    conv_width : int, default=32
        Filters of the first convolution stage; each later stage doubles
        them (the paper uses 64).
    category_sizes : sequence of int, default=()
        Units of each categorical block of a table's rows, which follow its
        numeric units (see :class:`RowActivation`).

    Examples
    --------
    >>> import torch
    >>> ae = ConditionalAutoencoder(n_features=64, n_classes=3, latent_dim=4,
    ...                             image_shape=(1, 8, 8), conv_width=4)
    >>> x = torch.rand(5, 64)
    >>> ae(x, torch.tensor([0, 1, 2, 0, 1])).shape
    torch.Size([5, 64])
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        latent_dim: int = 32,
        hidden_dims: Sequence[int] = (128, 64),
        image_shape: Sequence[int] | None = None,
        conv_width: int = 32,
        category_sizes: Sequence[int] = (),
    ):
        super().__init__()
        shape = (hidden_dims, image_shape, conv_width)
        self.encoder = _encoder(n_features, latent_dim, *shape)
        self.decoder = _decoder(latent_dim, n_features, *shape, category_sizes)
        self.class_embedding = nn.Embedding(n_classes, latent_dim)
        self.join = nn.Linear(2 * latent_dim, latent_dim)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Latent codes of scaled rows ``x``."""
        return self.encoder(x)

    def decode(self, z: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Scaled rows decoded from codes ``z`` conditioned on class indices ``c``."""
        z_c = self.join(torch.cat([z, self.class_embedding(c)], dim=1))
        return self.decoder(z_c)

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Reconstruct ``x`` through the latent code and the class embedding."""
        return self.decode(self.encode(x), c)


class LatentDiscriminator(nn.Sequential):
    """Discriminator on latent codes with a class-aware output.

    It returns one logit per class: output ``c`` says whether a code of
    class ``c`` looks drawn from the prior rather than encoded. Each class
    is judged on its own, so the codes of a rare class must match the prior
    too instead of hiding behind the majority, and focal loss can weight
    the classes. There is no batch norm, which would break the per-sample
    gradient penalty.

    Parameters
    ----------
    latent_dim : int
        Size of the latent code.
    n_classes : int
        Number of classes.
    hidden_dims : sequence of int, default=(64, 64)
        Widths of the hidden layers.

    Examples
    --------
    >>> import torch
    >>> LatentDiscriminator(latent_dim=4, n_classes=3)(torch.zeros(2, 4)).shape
    torch.Size([2, 3])
    """

    def __init__(self, latent_dim: int, n_classes: int, hidden_dims: Sequence[int] = (64, 64)):
        super().__init__(*_mlp([latent_dim, *hidden_dims, n_classes]))


class ConditionalGenerator(nn.Module):
    """Generator ``G(z, y)`` of the conditional GAN.

    The noise ``z`` is concatenated with a learned embedding of the class
    and mapped to a row scaled to ``[0, 1]``: a perceptron for tables, or
    the DCGAN-style transposed convolutions of BAEGAN's image decoder.

    Parameters
    ----------
    n_features : int
        Number of output columns (pixels times channels for images).
    n_classes : int
        Number of classes the embedding knows.
    noise_dim : int, default=32
        Size of the noise vector ``z``.
    hidden_dims : sequence of int, default=(128, 64)
        Widths of the hidden layers for tables, listed from the row side as
        for the discriminator: the generator runs through them in reverse.
        Ignored for images.
    image_shape : tuple of (int, int, int) or None, default=None
        ``(channels, height, width)``; when given, a convolutional
        generator is built.
    conv_width : int, default=32
        Filters of the stage nearest to the image; each stage towards the
        noise doubles them.
    category_sizes : sequence of int, default=()
        Units of each categorical block of a table's rows, which follow its
        numeric units (see :class:`RowActivation`).

    Examples
    --------
    >>> import torch
    >>> g = ConditionalGenerator(n_features=64, n_classes=3, noise_dim=4,
    ...                          image_shape=(1, 8, 8), conv_width=4)
    >>> g(torch.randn(5, 4), torch.tensor([0, 1, 2, 0, 1])).shape
    torch.Size([5, 64])
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        noise_dim: int = 32,
        hidden_dims: Sequence[int] = (128, 64),
        image_shape: Sequence[int] | None = None,
        conv_width: int = 32,
        category_sizes: Sequence[int] = (),
    ):
        super().__init__()
        self.noise_dim = noise_dim
        self.class_embedding = nn.Embedding(n_classes, noise_dim)
        self.body = _decoder(
            2 * noise_dim, n_features, hidden_dims, image_shape, conv_width, category_sizes
        )

    def forward(self, z: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Scaled rows of classes ``c`` from noise ``z``."""
        return self.body(torch.cat([z, self.class_embedding(c)], dim=1))


class ConditionalDiscriminator(nn.Module):
    """Discriminator ``D(x, y)`` of the conditional GAN: one logit, real or generated.

    Tables: a perceptron on the row concatenated with a learned embedding
    of the class. Images: BAEGAN's convolutional encoder turns the image
    into features first, which are then concatenated with the embedding.
    No batch norm, so that real and generated batches are judged row by
    row and a gradient penalty stays per-sample.

    Parameters
    ----------
    n_features : int
        Number of input columns.
    n_classes : int
        Number of classes the embedding knows.
    hidden_dims : sequence of int, default=(128, 64)
        Widths of the hidden layers after the concatenation.
    embedding_dim : int, default=16
        Size of the class embedding.
    image_shape : tuple of (int, int, int) or None, default=None
        ``(channels, height, width)``; when given, convolutional features
        are extracted first.
    conv_width : int, default=32
        Filters of the first convolution stage; each later stage doubles them.

    Examples
    --------
    >>> import torch
    >>> d = ConditionalDiscriminator(n_features=5, n_classes=2)
    >>> d(torch.rand(3, 5), torch.tensor([0, 1, 1])).shape
    torch.Size([3])
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        hidden_dims: Sequence[int] = (128, 64),
        embedding_dim: int = 16,
        image_shape: Sequence[int] | None = None,
        conv_width: int = 32,
    ):
        super().__init__()
        self.class_embedding = nn.Embedding(n_classes, embedding_dim)
        if image_shape is None:
            self.features, n_in = nn.Identity(), n_features
        else:
            n_in = hidden_dims[0] if hidden_dims else 64
            self.features = nn.Sequential(
                _ConvEncoder(image_shape, conv_width, n_in), nn.LeakyReLU(_LEAK)
            )
        self.head = nn.Sequential(*_mlp([n_in + embedding_dim, *hidden_dims, 1]))

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Logits that rows ``x`` of classes ``c`` are real."""
        h = torch.cat([self.features(x), self.class_embedding(c)], dim=1)
        return self.head(h).squeeze(1)


class Autoencoder(nn.Module):
    """Encoder and decoder that do not see the class (DeepSMOTE's).

    Parameters
    ----------
    n_features : int
        Number of input columns.
    latent_dim : int, default=32
        Size of the latent code.
    hidden_dims : sequence of int, default=(128, 64)
        Encoder widths for tables; the decoder mirrors them. Ignored for images.
    image_shape : tuple of (int, int, int) or None, default=None
        ``(channels, height, width)``; when given, convolutional nets are built.
    conv_width : int, default=32
        Filters of the first convolution stage; each later stage doubles them.
    category_sizes : sequence of int, default=()
        Units of each categorical block of a table's rows, which follow its
        numeric units (see :class:`RowActivation`).

    Examples
    --------
    >>> import torch
    >>> Autoencoder(n_features=6, latent_dim=2)(torch.rand(4, 6)).shape
    torch.Size([4, 6])
    """

    def __init__(
        self,
        n_features: int,
        latent_dim: int = 32,
        hidden_dims: Sequence[int] = (128, 64),
        image_shape: Sequence[int] | None = None,
        conv_width: int = 32,
        category_sizes: Sequence[int] = (),
    ):
        super().__init__()
        shape = (hidden_dims, image_shape, conv_width)
        self.encoder = _encoder(n_features, latent_dim, *shape)
        self.decoder = _decoder(latent_dim, n_features, *shape, category_sizes)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Latent codes of scaled rows ``x``."""
        return self.encoder(x)

    def decode(self, z: torch.Tensor, c: torch.Tensor | None = None) -> torch.Tensor:
        """Scaled rows decoded from codes ``z``; the class ``c`` is not used."""
        return self.decoder(z)

    def forward(self, x: torch.Tensor, c: torch.Tensor | None = None) -> torch.Tensor:
        """Reconstruct ``x`` through its latent code."""
        return self.decode(self.encode(x))


class BAGANGenerator(nn.Module):
    """BAGAN-GP's generator: the decoding path of a :class:`ConditionalAutoencoder`.

    A code ``z`` is joined with a learned embedding of the class
    (concatenation, then a linear layer back to ``latent_dim``) and decoded
    to a row scaled to ``[0, 1]``. The submodules carry the names and shapes
    of the autoencoder's (``class_embedding``, ``join``, ``decoder``), so
    that :class:`BAGANNet` can copy the pre-trained autoencoder's weights
    into it.

    Parameters
    ----------
    n_features : int
        Number of output columns (pixels times channels for images).
    n_classes : int
        Number of classes the embedding knows.
    latent_dim : int, default=32
        Size of the code.
    hidden_dims : sequence of int, default=(128, 64)
        Widths of the autoencoder's encoder for tables; the generator runs
        through them in reverse. Ignored for images.
    image_shape : tuple of (int, int, int) or None, default=None
        ``(channels, height, width)``; when given, a convolutional decoder
        is built.
    conv_width : int, default=32
        Filters of the stage nearest to the image; each stage towards the
        code doubles them.
    category_sizes : sequence of int, default=()
        Units of each categorical block of a table's rows, which follow its
        numeric units (see :class:`RowActivation`).

    Examples
    --------
    >>> import torch
    >>> g = BAGANGenerator(n_features=5, n_classes=2, latent_dim=3)
    >>> g(torch.randn(4, 3), torch.tensor([0, 1, 1, 0])).shape
    torch.Size([4, 5])
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        latent_dim: int = 32,
        hidden_dims: Sequence[int] = (128, 64),
        image_shape: Sequence[int] | None = None,
        conv_width: int = 32,
        category_sizes: Sequence[int] = (),
    ):
        super().__init__()
        self.latent_dim = latent_dim
        self.decoder = _decoder(
            latent_dim, n_features, hidden_dims, image_shape, conv_width, category_sizes
        )
        self.class_embedding = nn.Embedding(n_classes, latent_dim)
        self.join = nn.Linear(2 * latent_dim, latent_dim)

    def forward(self, z: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Scaled rows of classes ``c`` decoded from codes ``z``."""
        return self.decoder(self.join(torch.cat([z, self.class_embedding(c)], dim=1)))


class BAGANCritic(nn.Module):
    """BAGAN-GP's class-conditional critic: the autoencoder's encoder and a head of its own.

    The row goes through an encoder of the autoencoder's architecture (named
    ``encoder``, so that :class:`BAGANNet` can copy the pre-trained weights
    into it), a LeakyReLU, and is concatenated with a learned embedding of
    the class; a perceptron head maps the pair to one unbounded score (a
    Wasserstein critic, no sigmoid). No batch norm, so that the gradient
    penalty is per row.

    Parameters
    ----------
    n_features : int
        Number of input columns.
    n_classes : int
        Number of classes the embedding knows.
    latent_dim : int, default=32
        Width of the encoder's output (the autoencoder's code size).
    hidden_dims : sequence of int, default=(128, 64)
        Widths of the encoder's hidden layers for tables. Ignored for images.
    image_shape : tuple of (int, int, int) or None, default=None
        ``(channels, height, width)``; when given, a convolutional encoder
        is built.
    conv_width : int, default=32
        Filters of the first convolution stage; each later stage doubles them.
    embedding_dim : int, default=16
        Size of the class embedding.
    head_dims : sequence of int, default=(64,)
        Hidden widths of the head after the concatenation.

    Examples
    --------
    >>> import torch
    >>> critic = BAGANCritic(n_features=5, n_classes=2, latent_dim=3)
    >>> critic(torch.rand(4, 5), torch.tensor([0, 1, 1, 0])).shape
    torch.Size([4])
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        latent_dim: int = 32,
        hidden_dims: Sequence[int] = (128, 64),
        image_shape: Sequence[int] | None = None,
        conv_width: int = 32,
        embedding_dim: int = 16,
        head_dims: Sequence[int] = (64,),
    ):
        super().__init__()
        self.encoder = _encoder(n_features, latent_dim, hidden_dims, image_shape, conv_width)
        self.class_embedding = nn.Embedding(n_classes, embedding_dim)
        self.head = nn.Sequential(*_mlp([latent_dim + embedding_dim, *head_dims, 1]))

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Scores of rows ``x`` of classes ``c``: higher for rows that look real."""
        h = F.leaky_relu(self.encoder(x), _LEAK)
        return self.head(torch.cat([h, self.class_embedding(c)], dim=1)).squeeze(1)
