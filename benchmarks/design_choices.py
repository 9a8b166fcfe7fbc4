"""The measurements behind BAEGAN's decisions on the paper's open points.

Each experiment changes one thing against the package's choice and reports
how close the encoder's codes get to the prior, class by class:

- gradient penalty: zero-centred (the package) against WGAN-GP's unit-norm
  target, both with the focal-loss critic;
- discriminator output: one logit per class (the package) against a single
  shared real/encoded logit;
- discriminator learning rate: 1e-3 (the package) against 2e-4;
- prior: N(0, I) for every class (the package) against one Gaussian per
  class with means 4 units from the origin in random directions (a custom
  prior passed to BAEGANNet, which takes any module with ``sample(c)``).

The first three train the encoder against the discriminator alone on a toy
three-class table (200/80/20 rows), which isolates the adversarial game.
The last trains the whole BAEGANNet (reconstruction included) on a
make_classification table. Run: ``python benchmarks/design_choices.py``
(about a minute); results go to benchmarks/results/design_choices.*.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.append(str(_ROOT))

from benchmarks._env import environment, limit_threads  # noqa: E402

limit_threads(1)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.preprocessing import minmax_scale  # noqa: E402

from benchmarks._report import write_results  # noqa: E402
from imblearn_baegan import BAEGANNet  # noqa: E402
from imblearn_baegan._losses import FocalLoss, class_logit, gradient_penalty  # noqa: E402
from imblearn_baegan._networks import LatentDiscriminator, _MLPEncoder  # noqa: E402

_COUNTS = (200, 80, 20)
_STEPS = 1500
_BATCH = 64


def _unit_norm_penalty(discriminator, z_real, z_fake, c):
    """WGAN-GP's penalty, (||grad|| - 1)**2, on the same interpolates."""
    eps = torch.rand(z_real.shape[0], 1)
    z_hat = (eps * z_real + (1.0 - eps) * z_fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(
        class_logit(discriminator(z_hat), c).sum(), z_hat, create_graph=True
    )
    return ((grad.norm(2, dim=1) - 1.0) ** 2).mean()


def _toy_game(
    *, per_class_heads=True, penalty=gradient_penalty, discriminator_lr=1e-3, seed=0
) -> dict:
    """Encoder against discriminator only; returns each class's code statistics."""
    torch.manual_seed(seed)
    c_all = torch.cat([torch.full((n,), k) for k, n in enumerate(_COUNTS)])
    X = torch.rand(len(c_all), 8) + 0.7 * c_all[:, None]
    encoder = _MLPEncoder(8, (64,), 2)
    n_heads = len(_COUNTS) if per_class_heads else 1
    discriminator = LatentDiscriminator(2, n_heads, (64, 64))
    alpha = torch.tensor([len(c_all) / (len(_COUNTS) * n) for n in _COUNTS])
    criterion = FocalLoss(gamma=2.0, alpha=alpha)
    opt_d = torch.optim.Adam(discriminator.parameters(), discriminator_lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(encoder.parameters(), 1e-3, betas=(0.5, 0.999))
    for _ in range(_STEPS):
        idx = torch.randint(0, len(c_all), (_BATCH,))
        x, c = X[idx], c_all[idx]
        head = c if per_class_heads else torch.zeros_like(c)
        z_fake, z_real = encoder(x), torch.randn(_BATCH, 2)
        ones, zeros = torch.ones(_BATCH), torch.zeros(_BATCH)
        opt_d.zero_grad()
        d_loss = criterion(class_logit(discriminator(z_real), head), ones, c) + criterion(
            class_logit(discriminator(z_fake.detach()), head), zeros, c
        )
        (d_loss + 10.0 * penalty(discriminator, z_real, z_fake.detach(), head)).backward()
        opt_d.step()
        opt_g.zero_grad()
        criterion(class_logit(discriminator(z_fake), head), ones, c).backward()
        opt_g.step()
    with torch.no_grad():
        z = encoder(X)
    return _code_stats(z.numpy(), c_all.numpy(), np.zeros((len(_COUNTS), 2)))


def _code_stats(z: np.ndarray, c: np.ndarray, means: np.ndarray) -> dict:
    """Per class: distance of the codes' mean from the prior mean, and their std."""
    stats = {}
    for k in np.unique(c):
        zk = z[c == k]
        stats[f"class {k} mean offset"] = float(np.linalg.norm(zk.mean(0) - means[k]))
        stats[f"class {k} std"] = float(zk.std(0).mean())
    return stats


class _ClassMeansPrior(torch.nn.Module):
    """N(mu_c, I) with class means 4 units from the origin in random directions."""

    def __init__(self, latent_dim: int, n_classes: int):
        super().__init__()
        gen = torch.Generator().manual_seed(0)
        directions = torch.randn(n_classes, latent_dim, generator=gen)
        directions = directions / directions.norm(dim=1, keepdim=True)
        self.register_buffer("means", 4.0 * directions)

    def sample(self, c: torch.Tensor) -> torch.Tensor:
        means = self.means[c]
        return means + torch.randn_like(means)


def _whole_net(prior: str, adversarial_epochs: int) -> dict:
    """Train BAEGANNet on a table; per-class mismatch of the codes with the prior."""
    X, y = make_classification(
        n_samples=300,
        n_features=8,
        n_informative=5,
        n_classes=3,
        weights=[0.6, 0.3, 0.1],
        random_state=0,
    )
    X = minmax_scale(X).astype(np.float32)
    shapes = {"latent_dim": 2, "n_classes": 3}
    params = {
        **{f"module__{k}": v for k, v in shapes.items()},
        "module__n_features": 8,
        "module__hidden_dims": (32,),
        **{f"discriminator__{k}": v for k, v in shapes.items()},
        "discriminator__hidden_dims": (32, 32),
        "adversarial_criterion__alpha": len(y) / (3 * np.bincount(y)),
        "optimizer_discriminator__betas": (0.5, 0.999),
        "optimizer_generator__betas": (0.5, 0.999),
        "pretrain_epochs": 3,
        "max_epochs": 3 + adversarial_epochs,
        "batch_size": 32,
    }
    if prior == "class means":
        params.update(prior=_ClassMeansPrior, prior__n_classes=3, prior__latent_dim=2)
    else:
        params.update(prior__latent_dim=2)
    torch.manual_seed(0)
    net = BAEGANNet(**params).fit(X, y)
    z = net.encode(X).numpy()
    means = net.prior_.means.numpy() if prior == "class means" else np.zeros((3, 2))
    stats = _code_stats(z, y, means)
    mismatch = sum(
        stats[f"class {k} mean offset"] + abs(stats[f"class {k} std"] - 1) for k in range(3)
    )
    return {"per-class mismatch": mismatch}


def main() -> None:
    env = environment()
    toy = {
        "package: zero-centred penalty, one output per class, discriminator lr 1e-3": {},
        "unit-norm (WGAN-GP) penalty": {"penalty": _unit_norm_penalty},
        "one shared output": {"per_class_heads": False},
        "discriminator lr 2e-4": {"discriminator_lr": 2e-4},
    }
    toy_rows = [{"variant": name, **_toy_game(**kwargs)} for name, kwargs in toy.items()]
    prior_rows = [
        {"prior": prior, "adversarial epochs": epochs, **_whole_net(prior, epochs)}
        for prior in ("N(0, I)", "class means")
        for epochs in (0, 50)
    ]
    tables = {
        "adversarial_game": pd.DataFrame(toy_rows),
        "prior": pd.DataFrame(prior_rows),
    }
    notes = [
        "Adversarial game: the encoder trained against the discriminator alone on a toy "
        f"table with class counts {_COUNTS}, {_STEPS} steps of batch {_BATCH}, focal loss "
        "(gamma 2, inverse-frequency alpha), penalty weight 10. The prior is N(0, I): a "
        "class's codes match it when their mean offset is near 0 and their std near 1.",
        "Prior: the whole BAEGANNet (3 pre-training epochs, then adversarial epochs) on "
        "make_classification (300 rows, classes 60/30/10 %). Per-class mismatch adds, "
        "over classes, the distance of the codes' mean from the class's prior mean and "
        "the gap between their std and 1.",
    ]
    out = _ROOT / "benchmarks" / "results"
    paths = write_results(
        out,
        "design_choices",
        title="Design choices on the paper's open points",
        env=env,
        settings={"toy_counts": _COUNTS, "toy_steps": _STEPS, "batch": _BATCH},
        tables=tables,
        notes=notes,
        cells=toy_rows + prior_rows,
    )
    for path in paths:
        print(path)


if __name__ == "__main__":
    main()
