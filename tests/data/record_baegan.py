"""BAEGANSampler outputs recorded before it moved onto the shared base (commit 317f842).

Run from the repository root to record them again: ``python tests/data/record_baegan.py``.
"""
import numpy as np
import torch
from sklearn.datasets import load_digits, make_classification
from imblearn_baegan import BAEGANSampler


def cases():
    X, y = make_classification(n_samples=200, n_features=6, n_informative=4,
                               weights=[0.85, 0.15], random_state=0)
    small = dict(pretrain_epochs=2, adversarial_epochs=2, hidden_dims=(16,), latent_dim=4,
                 discriminator_hidden_dims=(8,), batch_size=32, random_state=0,
                 generated_fraction=1.0)
    yield "table", X, y, small
    yield "table_prior_mixed", X, y, dict(small, generation="prior", generated_fraction=0.5)
    yield "table_direct_int", np.rint(X * 10).astype(np.int64), y, dict(small, decoding="direct")
    digits = load_digits()
    keep = (digits.target < 3) & ((digits.target != 2) | (np.arange(len(digits.target)) % 6 == 0))
    Xd, yd = digits.data[keep].astype(np.uint8), digits.target[keep]
    yield "images", Xd, yd, dict(small, image_shape=(1, 8, 8), conv_width=4)


if __name__ == "__main__":
    torch.set_num_threads(1)
    out = {}
    for name, X, y, params in cases():
        X_res, y_res = BAEGANSampler(**params).fit_resample(X, y)
        out[f"{name}_X"] = X_res[len(X):]
        out[f"{name}_y"] = y_res[len(y):]
    np.savez_compressed("tests/data/baegan_before_base.npz", **out)
    print({k: (v.shape, v.dtype) for k, v in out.items()})
