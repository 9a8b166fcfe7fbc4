"""A hand-written torch loop over BAEGAN's networks: the reference a step is timed against."""

from __future__ import annotations

import copy
import time

import numpy as np
import torch

from imblearn_baegan._losses import class_logit, gradient_penalty

__all__ = ["package_step_seconds", "plain_step_seconds"]


def plain_step_seconds(net, units: torch.Tensor, c: torch.Tensor, n_steps: int) -> dict:
    """CPU seconds of one training step per phase, in a loop written by hand.

    Copies of a fitted :class:`~imblearn_baegan.BAEGANNet`'s networks,
    criteria and optimizers settings train on ``n_steps`` batches of
    ``net.batch_size`` rows drawn from ``units`` (rows already mapped to
    the networks' units, on the net's device): the reconstruction step of
    pre-training, and the reconstruction, discriminator and generator steps
    of an adversarial batch. It is the loop one writes without skorch,
    callbacks, history or scaling, with a loss read back per batch as any
    loop that logs does.

    Returns
    -------
    seconds : dict
        ``pretrain`` and ``adversarial``: CPU seconds per step.
    """
    autoencoder = copy.deepcopy(net.module_)
    discriminator = copy.deepcopy(net.discriminator_)
    criterion = copy.deepcopy(net.criterion_)
    focal = copy.deepcopy(net.adversarial_criterion_)
    params = net.get_params()
    opt_ae = torch.optim.Adam(autoencoder.parameters(), lr=net.lr)
    opt_d = torch.optim.Adam(
        discriminator.parameters(),
        lr=params.get("optimizer_discriminator__lr", net.lr),
        betas=(0.5, 0.999),
    )
    opt_g = torch.optim.Adam(autoencoder.encoder.parameters(), lr=net.lr, betas=(0.5, 0.999))
    generator = torch.Generator().manual_seed(0)
    latent_dim = net.get_params_for("module")["latent_dim"]

    def batches():
        for _ in range(n_steps):
            idx = torch.randint(len(units), (net.batch_size,), generator=generator)
            yield units[idx], c[idx]

    def reconstruction(x, cb):
        opt_ae.zero_grad()
        loss = criterion(autoencoder(x, cb), x)
        loss.backward()
        opt_ae.step()
        return loss

    def adversarial(x, cb):
        loss = reconstruction(x, cb)
        z_fake = autoencoder.encode(x)
        z_real = torch.randn(len(x), latent_dim, generator=generator)
        real, fake = torch.ones(len(x)), torch.zeros(len(x))
        opt_d.zero_grad()
        z_d = z_fake.detach()
        d_loss = focal(class_logit(discriminator(z_real), cb), real, cb) + focal(
            class_logit(discriminator(z_d), cb), fake, cb
        )
        d_loss = d_loss + net.gp_weight * gradient_penalty(discriminator, z_real, z_d, cb)
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = focal(class_logit(discriminator(z_fake), cb), real, cb)
        g_loss.backward()
        opt_g.step()
        return torch.stack([loss.detach(), d_loss.detach(), g_loss.detach()])

    seconds = {}
    for phase, step in (("pretrain", reconstruction), ("adversarial", adversarial)):
        autoencoder.train()
        discriminator.train()
        start = time.process_time()
        for x, cb in batches():
            step(x, cb).tolist()
        seconds[phase] = (time.process_time() - start) / n_steps
    return seconds


def package_step_seconds(net) -> dict:
    """CPU seconds per training step of each phase of a fitted net, from its history.

    The median epoch's CPU time (``cpu_dur``, recorded by the benchmark's
    callback) over its number of batches.
    """
    seconds = {}
    for phase in ("pretrain", "adversarial"):
        epochs = [e for e in net.history if e.get("phase") == phase]
        if epochs:
            seconds[phase] = float(np.median([e["cpu_dur"] / len(e["batches"]) for e in epochs]))
    return seconds
