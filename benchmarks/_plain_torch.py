"""A plain-torch training loop for BAEGAN's networks: the throughput reference."""

from __future__ import annotations

import time

import torch
from torch import nn

from imblearn_baegan import BAEGANNet
from imblearn_baegan._latent import LatentPrior
from imblearn_baegan._losses import FocalLoss, class_logit, gradient_penalty
from imblearn_baegan._networks import ConditionalAutoencoder, LatentDiscriminator

__all__ = ["train_plain_torch"]

_LOSS_KEYS = ("reconstruction_loss", "discriminator_loss", "generator_loss")


def train_plain_torch(net: BAEGANNet, X: torch.Tensor, c: torch.Tensor) -> list[dict]:
    """Train BAEGAN's networks without skorch and time each epoch.

    The networks, losses, optimizers, batch size, epochs and shuffling are
    those of the unfitted ``net`` (as ``BAEGANSampler`` configures it); the
    loop is what one would write by hand: tensors already on the device,
    sliced into shuffled batches, one reconstruction step per batch and, in
    the adversarial epochs, one discriminator and one generator step.

    With torch seeded as before ``net.fit``, it draws the same random
    numbers in the same order as :class:`BAEGANNet`, so its epoch losses
    must equal those in ``net.history``: the benchmark checks this, which
    catches a reference that no longer trains what the package trains.

    Parameters
    ----------
    net : BAEGANNet
        Unfitted; only its parameters are read.
    X : torch.Tensor of shape (n_samples, n_features)
        Rows scaled to ``[0, 1]``, float32, on ``net.device``.
    c : torch.Tensor of shape (n_samples,)
        Class indices, int64, on ``net.device``.

    Returns
    -------
    epochs : list of dict
        Per epoch: ``phase`` ("pretrain" or "adversarial"), ``dur`` (wall
        seconds), ``cpu_dur`` (CPU seconds) and the batch-size-weighted mean
        of each loss, under the names ``BAEGANNet`` records them.
    """
    params = net.get_params()
    device = net.device
    autoencoder = ConditionalAutoencoder(**net.get_params_for("module")).to(device)
    discriminator = LatentDiscriminator(**net.get_params_for("discriminator")).to(device)
    prior = LatentPrior(**net.get_params_for("prior")).to(device)
    focal = FocalLoss(**net.get_params_for("adversarial_criterion")).to(device)
    mse = nn.MSELoss()
    opt_ae = torch.optim.Adam(autoencoder.parameters(), lr=net.lr)
    opt_d = torch.optim.Adam(
        discriminator.parameters(),
        lr=params["optimizer_discriminator__lr"],
        betas=params["optimizer_discriminator__betas"],
    )
    opt_g = torch.optim.Adam(
        autoencoder.encoder.parameters(), lr=net.lr, betas=params["optimizer_generator__betas"]
    )
    epochs = []
    for epoch in range(net.max_epochs):
        adversarial = epoch >= net.pretrain_epochs
        autoencoder.train()
        discriminator.train()
        totals = dict.fromkeys(_LOSS_KEYS, 0.0)
        start, cpu_start = time.perf_counter(), time.process_time()
        order = torch.randperm(len(X)).to(device)
        for begin in range(0, len(X), net.batch_size):
            idx = order[begin : begin + net.batch_size]
            x, cb = X[idx], c[idx]
            opt_ae.zero_grad()
            loss = mse(autoencoder(x, cb), x)
            loss.backward()
            opt_ae.step()
            losses = {"reconstruction_loss": loss}
            if adversarial:
                z_fake = autoencoder.encode(x)
                z_real = prior.sample(cb)
                real, fake = torch.ones_like(z_fake[:, 0]), torch.zeros_like(z_fake[:, 0])
                opt_d.zero_grad()
                z_fake_d = z_fake.detach()
                d_loss = focal(class_logit(discriminator(z_real), cb), real, cb) + focal(
                    class_logit(discriminator(z_fake_d), cb), fake, cb
                )
                if net.gp_weight:
                    d_loss = d_loss + net.gp_weight * gradient_penalty(
                        discriminator, z_real, z_fake_d, cb
                    )
                d_loss.backward()
                opt_d.step()
                opt_g.zero_grad()
                g_loss = focal(class_logit(discriminator(z_fake), cb), real, cb)
                g_loss.backward()
                opt_g.step()
                losses.update(discriminator_loss=d_loss, generator_loss=g_loss)
            # A hand-written loop logs its losses too; .item() also keeps the
            # timing honest on asynchronous devices.
            for key, value in losses.items():
                totals[key] += value.item() * len(idx)
        epoch_log = {
            "phase": "adversarial" if adversarial else "pretrain",
            "dur": time.perf_counter() - start,
            "cpu_dur": time.process_time() - cpu_start,
        }
        epoch_log.update(
            {k: v / len(X) for k, v in totals.items() if adversarial or k == "reconstruction_loss"}
        )
        epochs.append(epoch_log)
    return epochs
