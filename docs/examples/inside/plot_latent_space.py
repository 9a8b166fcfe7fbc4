"""
====================================
The latent space and SMOTE inside it
====================================

BAEGAN does not interpolate between rows, as SMOTE does, but between their
latent codes: :meth:`~imblearn_baegan.BAEGANSampler.encode` gives the codes
of rows, :meth:`~imblearn_baegan.BAEGANSampler.decode` turns codes (and
class labels) back into rows. This example looks at the codes projected to
two dimensions with PCA, and repeats phase (c) of the algorithm by hand with
imbalanced-learn's :class:`~imblearn.over_sampling.SMOTE` run on the codes.

It also shows what the adversarial phase (b) does to the latent space, by
comparing a sampler trained without it (``adversarial_epochs=0``, the
DeepSMOTE-style baseline) with one trained with it.
"""

# %%
# Three classes, one rare
# -----------------------
from collections import Counter

from sklearn.datasets import make_classification

X, y = make_classification(
    n_samples=450,
    n_features=10,
    n_informative=5,
    n_classes=3,
    n_clusters_per_class=1,
    weights=[0.55, 0.35, 0.10],
    random_state=3,
)
print(sorted(Counter(y.tolist()).items()))

# %%
# Two samplers: without and with the adversarial phase
# ----------------------------------------------------
from imblearn_baegan import BAEGANSampler

settings = dict(
    latent_dim=6,
    hidden_dims=(32,),
    discriminator_hidden_dims=(32,),
    pretrain_epochs=15,
    random_state=0,
)
samplers = {
    "autoencoder only (adversarial_epochs=0)": BAEGANSampler(adversarial_epochs=0, **settings),
    "BAEGAN (adversarial_epochs=200)": BAEGANSampler(adversarial_epochs=200, **settings),
}
for sampler in samplers.values():
    sampler.fit_resample(X, y)

# %%
# Phase (c) by hand
# -----------------
# SMOTE on the codes of the trained sampler, then the decoder: this is what
# ``fit_resample`` does for every class it over-samples (it uses its own
# seeded SMOTE, so the rows differ, but the procedure is the same).
import numpy as np
from imblearn.over_sampling import SMOTE

sampler = samplers["BAEGAN (adversarial_epochs=200)"]
Z = sampler.encode(X)
Z_res, y_z = SMOTE(random_state=0).fit_resample(Z, y)
Z_new, y_new = Z_res[len(Z) :], y_z[len(Z) :]
X_new = sampler.decode(Z_new, y_new)
print("new codes:", Z_new.shape, "-> new rows:", X_new.shape)

# %%
# The decoded rows are new samples in the input's units. Encoding them again
# should land near the codes they were decoded from; how near, against how
# far the codes lie from their centre, is measured here.
Z_again = sampler.encode(X_new)
gap = np.linalg.norm(Z_again - Z_new, axis=1).mean()
spread = np.linalg.norm(Z - Z.mean(axis=0), axis=1).mean()
print(
    f"mean distance code -> decode -> encode: {gap:.2f}, "
    f"{gap / spread:.0%} of the codes' mean distance from their centre ({spread:.2f})"
)

# %%
# The codes in two dimensions
# ---------------------------
# Real codes are dots, SMOTE codes of the rare class are crosses. Each
# sampler gets its own PCA, fitted on the real codes; the two panels share
# their scale, so the spread of the two latent spaces can be compared.
import matplotlib.pyplot as plt
from sklearn.decomposition import PCA

fig, axes = plt.subplots(1, 2, figsize=(10, 4.5), sharex=True, sharey=True, layout="constrained")
for ax, (name, sampler) in zip(axes, samplers.items()):
    Z = sampler.encode(X)
    Z_res, y_z = SMOTE(random_state=0).fit_resample(Z, y)
    pca = PCA(n_components=2).fit(Z)
    for label, colour in zip(range(3), ["tab:blue", "tab:green", "tab:red"]):
        points = pca.transform(Z[y == label])
        ax.scatter(*points.T, s=10, alpha=0.5, color=colour, label=f"class {label}")
    rare = pca.transform(Z_res[len(Z) :][y_z[len(Z) :] == 2])
    ax.scatter(*rare.T, s=18, marker="x", color="black", label="SMOTE codes, class 2")
    ax.set_title(name, fontsize="medium")
    ax.set_xlabel("PC 1")
    ax.set_ylabel("PC 2")
axes[0].legend(fontsize="small")
plt.show()

# %%
# What the adversarial phase changes
# ----------------------------------
# The prior is ``N(0, I)`` for every class, and the discriminator has one
# output per class: the codes of each class, the rare one included, are
# judged against prior draws on their own. The class itself reaches the
# decoder through the class embedding, so the code only has to hold what
# the class does not say.
#
# For each class, three numbers compare its codes with ``N(0, I)``: how far
# their mean lies from the origin, their standard deviation averaged over
# the latent dimensions (1 under the prior), and the Fréchet distance (the
# distance FID uses) between a Gaussian fitted to them and the prior, which
# is 0 for a perfect match. They are computed here, on this build's run.
import pandas as pd


def frechet_to_standard_normal(Z):
    """Fréchet distance between N(mean(Z), cov(Z)) and N(0, I)."""
    mean = Z.mean(axis=0)
    eigenvalues = np.clip(np.linalg.eigvalsh(np.cov(Z, rowvar=False)), 0, None)
    squared = mean @ mean + (eigenvalues - 2 * np.sqrt(eigenvalues) + 1).sum()
    return np.sqrt(squared)


rows = []
for name, sampler in samplers.items():
    Z = sampler.encode(X)
    for label in range(3):
        Z_c = Z[y == label]
        rows.append(
            {
                "sampler": name.split(" (")[0],
                "class": label,
                "rows": len(Z_c),
                "|mean|": np.linalg.norm(Z_c.mean(axis=0)),
                "mean std": Z_c.std(axis=0).mean(),
                "Fréchet distance": frechet_to_standard_normal(Z_c),
            }
        )
prior_match = pd.DataFrame(rows).set_index(["sampler", "class"])
prior_match.round(2)

# %%
# What the table says, computed from it at this build: for each class, the
# codes' spread and their Fréchet distance to the prior without and with
# the adversarial phase.
before, after = (prior_match.loc[name.split(" (")[0]] for name in samplers)
closer = int((after["Fréchet distance"] < before["Fréchet distance"]).sum())
print(
    f"The adversarial phase brought the codes closer to N(0, I) for {closer} of "
    f"{len(before)} classes, in Fréchet distance."
)
for label in before.index:
    print(
        f"class {label} ({before.loc[label, 'rows']} rows): Fréchet distance "
        f"{before.loc[label, 'Fréchet distance']:.2f} -> "
        f"{after.loc[label, 'Fréchet distance']:.2f}, "
        f"mean standard deviation {before.loc[label, 'mean std']:.2f} -> "
        f"{after.loc[label, 'mean std']:.2f} (1 under the prior)"
    )

# %%
# Nothing in reconstruction asks the codes to fill the space; the
# adversarial phase is what pulls them towards the prior, and with networks
# this small it need not get them there. The plot and the table are a cheap
# check of the latent space on your own data before trusting the rows it
# generates.
