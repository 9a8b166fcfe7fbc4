"""
==================================================
Real and generated digits: images with image_shape
==================================================

Images go into :class:`~imblearn_baegan.BAEGANSampler` flattened, one row per
image; ``image_shape=(channels, height, width)`` tells it how to fold the
rows back into images, and it then trains DCGAN-style convolutional
networks instead of perceptrons.

We take scikit-learn's 8x8 digits, make two digits rare, balance the classes
with BAEGAN and look at the rare digits it generated next to real ones,
with :func:`~imblearn_baegan.plotting.plot_samples`.
"""

# %%
# Four digits, two of them rare
# -----------------------------
from collections import Counter

import numpy as np
from sklearn.datasets import load_digits

X, y = load_digits(return_X_y=True)
keep = np.isin(y, [0, 3, 5, 8])
X, y = X[keep], y[keep]
rng = np.random.RandomState(0)
rare = np.concatenate([rng.permutation(np.flatnonzero(y == d))[25:] for d in (3, 8)])
X, y = np.delete(X, rare, axis=0), np.delete(y, rare)
print(sorted(Counter(y.tolist()).items()))

# %%
# Over-sampling
# -------------
# The pixels of ``load_digits`` range from 0 to 16; images share one
# min-max range, so the new images come back inside the same range.
from imblearn_baegan import BAEGANSampler

sampler = BAEGANSampler(
    image_shape=(1, 8, 8),
    latent_dim=8,
    conv_width=8,
    pretrain_epochs=25,
    adversarial_epochs=10,
    batch_size=32,
    random_state=0,
)
X_res, y_res = sampler.fit_resample(X, y)
print(sorted(Counter(y_res.tolist()).items()))

# %%
# The rows after the input rows are the generated ones, class by class.
X_new, y_new = X_res[len(X) :], y_res[len(X) :]
print("pixel range of new images:", X_new.min(), X_new.max())

# %%
# Real versus generated
# ---------------------
import matplotlib.pyplot as plt

from imblearn_baegan.plotting import plot_samples

for digit in (3, 8):
    fig = plt.figure(figsize=(9, 2.8), layout="constrained")
    real_fig, new_fig = fig.subfigures(1, 2, wspace=0.05)
    plot_samples(X[y == digit][:12], (1, 8, 8), n_cols=6, title="real", fig=real_fig)
    plot_samples(
        X_new[y_new == digit][:12], (1, 8, 8), n_cols=6, title="generated", fig=new_fig
    )
    fig.suptitle(f"digit {digit}")
plt.show()

# %%
# The generated digits are smoother than the real ones: they are decoded
# from interpolations between the codes of real digits, and the network is
# tiny. A quick check of whether they still look like their class is to ask
# a classifier trained on the real images what it sees in them.
from sklearn.svm import SVC

classifier = SVC().fit(X, y)
agreement = (classifier.predict(X_new) == y_new).mean()
print(f"generated images classified as their intended digit: {agreement:.0%}")
