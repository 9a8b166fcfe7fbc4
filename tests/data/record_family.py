"""Outputs of every sampler on numeric input, recorded by the code of one commit.

``family_4c46d99.npz`` holds the outputs of commit 4c46d99, before
categorical columns, the class-aware epochs and float32 scaling. To record
them again from a checkout of another commit, run from its root:
``PYTHONPATH=. python tests/data/record_family.py out.npz``.
"""

import sys

import numpy as np
import torch
from sklearn.datasets import load_digits, make_classification


def cases():
    X, y = make_classification(
        n_samples=200, n_features=6, n_informative=4, weights=[0.85, 0.15], random_state=0
    )
    digits = load_digits()
    keep = (digits.target < 3) & ((digits.target != 2) | (np.arange(len(digits.target)) % 6 == 0))
    Xd, yd = digits.data[keep].astype(np.uint8), digits.target[keep]
    small = dict(hidden_dims=(16,), batch_size=32, random_state=0)
    family = {
        "BAEGANSampler": dict(
            small,
            pretrain_epochs=2,
            adversarial_epochs=2,
            latent_dim=4,
            discriminator_hidden_dims=(8,),
            generated_fraction=1.0,
        ),
        "DeepSMOTESampler": dict(small, epochs=3, latent_dim=4),
        "BAGANSampler": dict(
            small, pretrain_epochs=2, adversarial_epochs=2, latent_dim=4, n_critic=2
        ),
        "CGANSampler": dict(small, epochs=3, noise_dim=4),
    }
    for name, params in family.items():
        yield f"{name}_table", name, X, y, params
        yield f"{name}_int", name, np.rint(X * 10).astype(np.int64), y, params
        yield f"{name}_images", name, Xd, yd, dict(params, image_shape=(1, 8, 8), conv_width=4)


if __name__ == "__main__":
    import imblearn_baegan

    torch.set_num_threads(1)
    out = {}
    for key, name, X, y, params in cases():
        X_res, y_res = getattr(imblearn_baegan, name)(**params).fit_resample(X, y)
        out[f"{key}_X"], out[f"{key}_y"] = X_res[len(X) :], y_res[len(y) :]
    np.savez_compressed(sys.argv[1], **out)
