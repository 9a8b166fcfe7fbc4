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

from imblearn_baegan import BAEGANSampler, BAGANSampler, CGANSampler, DeepSMOTESampler

from ._env import package_source

__all__ = [
    "CNN_ANCHORS",
    "DEEP_SAMPLERS",
    "IMAGE_SAMPLERS",
    "LABELS",
    "SAMPLERS",
    "TABLE_ANCHORS",
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
    "baegan_20_20_half": "BAEGAN, 20+20 epochs, generated_fraction=0.5",
    "baegan_20_20_all": "BAEGAN, 20+20 epochs, generated_fraction=1.0",
    "baegan_40_40_half": "BAEGAN, 40+40 epochs, generated_fraction=0.5",
    "baegan_40_40_all": "BAEGAN, 40+40 epochs, generated_fraction=1.0",
    "baegan_40_40_most": "BAEGAN, 40+40 epochs, generated_fraction=0.75",
    "deepsmote": "DeepSMOTE",
    "bagan": "BAGAN-GP",
    "cgan": "conditional GAN",
    "none_threshold": "none, tuned threshold",
    "none_balanced_weights": "none, class_weight='balanced'",
    "none_class_weighted": "none, class-weighted CE",
    "none_logit_adjusted": "none, logit-adjusted CE",
    "none_augmented": "none + augmentation",
    "ros_augmented": "RandomOverSampler + augmentation",
    "baegan_augmented": "BAEGAN + augmentation",
    "deepsmote_augmented": "DeepSMOTE + augmentation",
    "bagan_augmented": "BAGAN-GP + augmentation",
    "cgan_augmented": "conditional GAN + augmentation",
}
#: What an image classifier's user would do instead of (or beside) a deep
#: sampler: key -> (the sampler before the CNN, how the CNN trains; see
#: benchmarks._cnn.TRAININGS). They are image cells only.
CNN_ANCHORS = {
    "none_class_weighted": ("none", "class-weighted"),
    "none_logit_adjusted": ("none", "logit-adjusted"),
    "none_augmented": ("none", "augmented"),
    **{
        f"{key}_augmented": (key, "augmented")
        for key in ("ros", "baegan", "deepsmote", "bagan", "cgan")
    },
}
#: What a user of a table classifier would do instead of over-sampling: no
#: resampling, and the decision threshold tuned on balanced accuracy, or
#: class weights where the classifier takes them. They are table cells only.
TABLE_ANCHORS = ("none_threshold", "none_balanced_weights")
SAMPLERS = tuple(key for key in LABELS if key not in CNN_ANCHORS and key not in TABLE_ANCHORS)

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
    # Candidates for the defaults on tables, spelled out so that each stays
    # what it was whatever the defaults become: the image defaults (20+20
    # epochs, half the new rows copied) and the former ones (40+40, none).
    **{
        f"baegan_{epochs}_{epochs}_{name}": {
            "pretrain_epochs": epochs,
            "adversarial_epochs": epochs,
            "generated_fraction": share,
        }
        for epochs in (20, 40)
        for name, share in (("half", 0.5), ("all", 1.0))
    },
    "baegan_40_40_most": {
        "pretrain_epochs": 40,
        "adversarial_epochs": 40,
        "generated_fraction": 0.75,
    },
}
# The other deep samplers of the package, at their own defaults.
_FAMILY = {"deepsmote": DeepSMOTESampler, "bagan": BAGANSampler, "cgan": CGANSampler}
DEEP_SAMPLERS = (*_BAEGAN_VARIANTS, *_FAMILY)
# On images latent_dim="auto" is 32: that variant would repeat BAEGAN's cells.
IMAGE_SAMPLERS = tuple(key for key in SAMPLERS if key != "baegan_latent32")


def _known(cls, params: dict | None) -> dict:
    """The shared settings ``cls`` has (e.g. ``image_shape``; ``epochs`` only for some)."""
    known = cls().get_params()
    return {k: v for k, v in (params or {}).items() if k in known}


def make_sampler(key: str, seed: int, baegan_params: dict | None = None):
    """A fresh, seeded sampler.

    Parameters
    ----------
    key : str
        One of :data:`SAMPLERS`, or of :data:`CNN_ANCHORS` (its sampler).
    seed : int
        ``random_state`` of the sampler.
    baegan_params : dict or None, default=None
        Settings shared by every BAEGAN variant (e.g. ``image_shape``, or
        fewer epochs in quick mode). The parameter that defines an ablation
        wins over them. The other deep samplers take those they have.

    Returns
    -------
    sampler : imblearn sampler
        ``"none"`` is an identity :class:`~imblearn.FunctionSampler`, so that
        every competitor sits in the same pipeline.
    """
    key = "none" if key in TABLE_ANCHORS else CNN_ANCHORS.get(key, (key,))[0]
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
        params = {**_known(BAEGANSampler, baegan_params), **_BAEGAN_VARIANTS[key]}
        return BAEGANSampler(random_state=seed, **params)
    if key in _FAMILY:
        return _FAMILY[key](random_state=seed, **_known(_FAMILY[key], baegan_params))
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
        ``package_sha256`` and ``sampler_params`` for the package's deep
        samplers, else empty.
    """
    key = CNN_ANCHORS.get(key, (key,))[0]
    if key not in DEEP_SAMPLERS:
        return {}
    params = make_sampler(key, 0, baegan_params).get_params()
    return {
        "package_sha256": package_source()["sha256"],
        "sampler_params": {
            k: v for k, v in sorted(params.items()) if k not in ("random_state", "callbacks")
        },
    }


def split_by_parameters(cells: list[dict], baegan_params: dict | None = None):
    """The cells a table averages, and the samplers shown with other parameters.

    A table averages cells of one set of settings. A deep sampler with
    cells at the current parameters shows those alone; one that has none
    yet (e.g. every cell ran at former defaults) shows its others, and the
    notes say which parameters differ. A cell that only differs in the
    package's sources stays (the notes name the sources).

    Parameters
    ----------
    cells : list of dict
        Cells with a ``"sampler"`` key; others are kept as they are.
    baegan_params : dict or None, default=None
        As for :func:`make_sampler`.

    Returns
    -------
    kept : list of dict
    other_parameters : dict of str to dict
        Sampler key -> ``{parameter: (value of its cells, current value)}``
        for the samplers shown with other parameters than the current ones.
    """
    deep = [*DEEP_SAMPLERS, *(k for k, (base, _) in CNN_ANCHORS.items() if base in DEEP_SAMPLERS)]
    expected = {
        key: json.loads(json.dumps(fingerprint(key, baegan_params)["sampler_params"]))
        for key in deep
    }

    def current(cell: dict) -> bool:
        key = cell.get("sampler")
        return key not in expected or cell.get("sampler_params") == expected[key]

    has_current = {cell.get("sampler") for cell in cells if current(cell)}
    kept, other_parameters = [], {}
    for cell in cells:
        key = cell.get("sampler")
        if current(cell):
            kept.append(cell)
        elif key not in has_current:
            kept.append(cell)
            ran = cell.get("sampler_params") or {}
            other_parameters.setdefault(key, {}).update(
                {
                    name: (ran.get(name), value)
                    for name, value in expected[key].items()
                    if ran.get(name) != value
                }
            )
    return kept, other_parameters
