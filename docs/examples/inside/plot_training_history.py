"""
=======================================
Training curves from the skorch history
=======================================

:class:`~imblearn_baegan.BAEGANSampler` trains its networks with a
:class:`~imblearn_baegan.BAEGANNet`, a :class:`skorch.NeuralNet`, which it
keeps as ``sampler.net_``. The net's ``history`` records, for every epoch,
the phase (``"pretrain"`` or ``"adversarial"``) and the mean of each loss
over the epoch's batches:

* ``reconstruction_loss`` (also ``train_loss``): the autoencoder's mean
  squared error on rows scaled to ``[0, 1]``, in both phases;
* ``discriminator_loss``: focal loss on prior draws and on codes, each
  judged by their class's output, plus the weighted gradient penalty;
* ``generator_loss``: the encoder's focal loss when it tries to pass its
  codes off as draws of the prior ``N(0, I)``.

The last two exist in the adversarial phase only; pre-training epochs
record them as ``None``. :func:`~imblearn_baegan.plotting.plot_history`
draws them, leaving those epochs out.
"""

# %%
# Train a sampler
# ---------------
from sklearn.datasets import make_classification

from imblearn_baegan import BAEGANSampler

X, y = make_classification(
    n_samples=500, n_features=12, n_informative=6, weights=[0.85, 0.15], random_state=0
)
sampler = BAEGANSampler(
    latent_dim=6,
    hidden_dims=(32,),
    discriminator_hidden_dims=(32,),
    pretrain_epochs=15,
    adversarial_epochs=25,
    random_state=0,
)
X_res, y_res = sampler.fit_resample(X, y)

# %%
# The history as a table
# ----------------------
# Each entry of the history is a dict; pandas turns the per-epoch values
# into a table (the per-batch values sit under ``"batches"``). The rows
# shown straddle the start of the adversarial phase: before it, the
# adversarial losses are ``None``.
import pandas as pd

keys = ["epoch", "phase", "reconstruction_loss", "discriminator_loss", "generator_loss"]
history = pd.DataFrame([{k: row.get(k) for k in keys} for row in sampler.net_.history])
history.set_index("epoch").iloc[12:20].round(4)

# %%
# skorch's own indexing gives one key over all epochs.
sampler.net_.history[-3:, ("epoch", "reconstruction_loss")]

# %%
# The curves
# ----------
# The shaded epochs are the adversarial phase, where the encoder is also
# pulled towards the prior. A reconstruction loss that climbs once the
# adversarial phase starts means the adversarial updates are too strong
# (lower ``lr`` or raise ``pretrain_epochs``). What it did in this run:
losses = {
    phase: [row["reconstruction_loss"] for row in sampler.net_.history if row["phase"] == phase]
    for phase in ("pretrain", "adversarial")
}
start, end = losses["pretrain"][-1], losses["adversarial"][-1]
print(
    f"reconstruction loss: {start:.4f} at the end of pre-training, {end:.4f} at the end "
    f"of the adversarial phase ({'lower' if end < start else 'not lower'}), "
    f"highest {max(losses['adversarial']):.4f} in between"
)

import matplotlib.pyplot as plt

from imblearn_baegan.plotting import plot_history

fig = plot_history(sampler)
plt.show()

# %%
# Comparing two settings
# ----------------------
# ``plot_history`` draws into a figure or sub-figure you pass, so two runs
# can sit side by side; here the BAEGAN-L ablation, with plain binary
# cross-entropy instead of focal loss and the gradient penalty. The
# adversarial losses are on different scales: focal loss shrinks the loss of
# every row the discriminator already gets right, while plain
# cross-entropy does not (a discriminator that cannot tell prior draws from
# codes scores ``2 log 2``, about 1.39, on it).
plain = BAEGANSampler(**{**sampler.get_params(), "adversarial_loss": "plain"})
plain.fit_resample(X, y)

fig = plt.figure(figsize=(10, 5.5), layout="constrained")
left, right = fig.subfigures(1, 2)
plot_history(sampler, fig=left)
left.suptitle('adversarial_loss="focal_gp"')
plot_history(plain, fig=right)
right.suptitle('adversarial_loss="plain"')
plt.show()


# %%
# The two runs share their pre-training settings; read the adversarial
# panels against their own scales, as the note above says, and look for a
# reconstruction loss that climbs in the shaded epochs. :ref:`hyperparameters`
# says which settings to change when it does.
