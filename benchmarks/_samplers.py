"""The competitors: every sampler the benchmarks compare, by key."""

from __future__ import annotations

import json

from imblearn import FunctionSampler
from imblearn.over_sampling import (
    ADASYN,
    SMOTE,
    BorderlineSMOTE,
    RandomOverSampler,
)

from imblearn_baegan import BAEGANSampler

from ._env import package_source

__all__ = [
    "DEEP_SAMPLERS",
    "IMAGE_SAMPLERS",
    "LABELS",
    "SAMPLERS",
    "fingerprint",
    "make_sampler",
    "split_by_parameters",
]

# Key -> label in the result tables, in the order the tables list them.
LABELS = {
    "none": "none",
    "ros": "RandomOverSampler",
    "smote": "SMOTE",
    "borderline_smote": "BorderlineSMOTE",
    "adasyn": "ADASYN",
    "baegan": "BAEGAN",
    "ae_latent_smote": "AE + latent SMOTE",
    "baegan_ae": "BAEGAN-AE",
    "baegan_l": "BAEGAN-L",
    "baegan_s": "BAEGAN-S",
    "baegan_direct": "BAEGAN, direct decoding (the paper's)",
    "baegan_latent32": "BAEGAN, latent_dim=32",
}
SAMPLERS = tuple(LABELS)

# Each ablation or option changes one BAEGANSampler parameter away from the defaults.
_BAEGAN_VARIANTS = {
    "baegan": {},
    "ae_latent_smote": {"adversarial_epochs": 0},
    "baegan_ae": {"pretrain_epochs": 0},
    "baegan_l": {"adversarial_loss": "plain"},
    "baegan_s": {"generation": "prior"},
    "baegan_direct": {"decoding": "direct"},
    # The former fixed code size, against the default that follows the columns.
    "baegan_latent32": {"latent_dim": 32},
}
DEEP_SAMPLERS = tuple(_BAEGAN_VARIANTS)
# On images latent_dim="auto" is 32: that variant would repeat BAEGAN's cells.
IMAGE_SAMPLERS = tuple(key for key in SAMPLERS if key != "baegan_latent32")


def make_sampler(key: str, seed: int, baegan_params: dict | None = None):
    """A fresh, seeded sampler.

    Parameters
    ----------
    key : str
        One of :data:`SAMPLERS`.
    seed : int
        ``random_state`` of the sampler.
    baegan_params : dict or None, default=None
        Settings shared by every BAEGAN variant (e.g. ``image_shape``, or
        fewer epochs in quick mode). The parameter that defines an ablation
        wins over them.

    Returns
    -------
    sampler : imblearn sampler
        ``"none"`` is an identity :class:`~imblearn.FunctionSampler`, so that
        every competitor sits in the same pipeline.
    """
    if key == "none":
        return FunctionSampler()
    if key == "ros":
        return RandomOverSampler(random_state=seed)
    if key == "smote":
        return SMOTE(random_state=seed)
    if key == "borderline_smote":
        return BorderlineSMOTE(random_state=seed)
    if key == "adasyn":
        return ADASYN(random_state=seed)
    if key in _BAEGAN_VARIANTS:
        params = {**(baegan_params or {}), **_BAEGAN_VARIANTS[key]}
        return BAEGANSampler(random_state=seed, **params)
    raise KeyError(f"Unknown sampler {key!r}; choose from {', '.join(SAMPLERS)}.")


def fingerprint(key: str, baegan_params: dict | None = None) -> dict:
    """What a cell of sampler ``key`` depends on beyond the benchmark's settings.

    A BAEGAN variant's results change with the package's sources and with
    its parameters (defaults included), so its cells record both and are
    run again when either changes. The other samplers come from
    imbalanced-learn, whose version every result file records: their
    fingerprint is empty.

    Parameters
    ----------
    key : str
        One of :data:`SAMPLERS`.
    baegan_params : dict or None, default=None
        As for :func:`make_sampler`.

    Returns
    -------
    fingerprint : dict
        ``package_sha256`` and ``sampler_params`` for BAEGAN variants, else empty.
    """
    if key not in _BAEGAN_VARIANTS:
        return {}
    params = make_sampler(key, 0, baegan_params).get_params()
    return {
        "package_sha256": package_source()["sha256"],
        "sampler_params": {
            k: v for k, v in sorted(params.items()) if k not in ("random_state", "callbacks")
        },
    }


def split_by_parameters(cells: list[dict], baegan_params: dict | None = None):
    """Cells run with the current sampler parameters, and the others.

    A table averages cells of one set of settings: a BAEGAN variant's cell
    run with other parameters (e.g. former defaults) is left out of it,
    while a cell that only differs in the package's sources stays (the
    notes name the sources).

    Parameters
    ----------
    cells : list of dict
        Cells with a ``"sampler"`` key; others are kept as they are.
    baegan_params : dict or None, default=None
        As for :func:`make_sampler`.

    Returns
    -------
    current, other : list of dict
    """
    expected = {key: fingerprint(key, baegan_params) for key in DEEP_SAMPLERS}
    current, other = [], []
    for cell in cells:
        stamp = expected.get(cell.get("sampler"))
        if stamp and json.loads(json.dumps(stamp["sampler_params"])) != cell.get("sampler_params"):
            other.append(cell)
        else:
            current.append(cell)
    return current, other
