"""Tuning BAEGAN for images on training data only.

Each candidate is a set of BAEGANSampler settings, measured one change at a
time against the defaults, with RandomOverSampler and SMOTE as references.
For seed ``s`` the candidate sees exactly the image benchmark's imbalanced
training subset of seed ``s``, and is scored on a balanced validation set
drawn from the rest of the training pool. The test set is never read, so
the defaults chosen here are not fitted to the numbers the image benchmark
reports. The pipeline and the CNN are the image benchmark's.

Differences between candidates are small next to the spread over seeds, but
every candidate sees the same subsets, validation sets and CNN seeds: the
table gives each candidate's difference to RandomOverSampler seed by seed
(paired), whose spread is the one that matters.
"""

from __future__ import annotations

import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from ._cache import CellCache
from ._cnn import CNNSettings, make_cnn
from ._data import ImageData, imbalanced_subset
from ._metrics import IMAGE_METRICS, image_scores
from ._protocol import fit_pipelines
from ._report import source_note, summarise, write_results
from ._samplers import fingerprint, make_sampler

__all__ = [
    "CANDIDATES",
    "PAPER_SETTINGS",
    "QUICK_CANDIDATES",
    "TuningSettings",
    "run_tuning",
    "tuning_settings",
]

_LONGER = {"pretrain_epochs": 40, "adversarial_epochs": 40}

#: Where the candidates start: the paper's settings, which were the package's
#: defaults when tuning began. Spelling them out keeps every candidate what
#: it was when it ran, whatever the defaults became.
PAPER_SETTINGS = {
    "decoding": "direct",
    "pretrain_epochs": 20,
    "adversarial_epochs": 20,
    "generated_fraction": 1.0,
}

#: Candidate key -> (label, sampler key, BAEGANSampler settings on top of
#: the benchmark's and :data:`PAPER_SETTINGS`). The references come first;
#: every other candidate changes one thing, or combines changes that helped
#: on their own.
CANDIDATES: dict[str, tuple[str, str, dict]] = {
    "ros": ("RandomOverSampler", "ros", {}),
    "smote": ("SMOTE", "smote", {}),
    "defaults": ("the paper's settings (direct decoding, 20+20 epochs)", "baegan", {}),
    "residual": ("decoding='residual'", "baegan", {"decoding": "residual"}),
    "longer": ("40+40 epochs", "baegan", _LONGER),
    "residual_longer": (
        "decoding='residual', 40+40 epochs (the former defaults)",
        "baegan",
        {"decoding": "residual", **_LONGER},
    ),
    "wider": ("conv_width=64, latent_dim=64", "baegan", {"conv_width": 64, "latent_dim": 64}),
    "residual_wider": (
        "decoding='residual', conv_width=64, latent_dim=64",
        "baegan",
        {"decoding": "residual", "conv_width": 64, "latent_dim": 64},
    ),
    "mixed": ("generated_fraction=0.5", "baegan", {"generated_fraction": 0.5}),
    "residual_mixed": (
        "decoding='residual', generated_fraction=0.5 (20+20 epochs: the defaults)",
        "baegan",
        {"decoding": "residual", "generated_fraction": 0.5},
    ),
    "residual_mixed_longer": (
        "decoding='residual', generated_fraction=0.5, 40+40 epochs",
        "baegan",
        {"decoding": "residual", "generated_fraction": 0.5, **_LONGER},
    ),
    # A cheaper fit that might have kept the former defaults' quality: half
    # the filters (about a quarter of the convolutions' work).
    "narrow": (
        "decoding='residual', 40+40 epochs, conv_width=16",
        "baegan",
        {"decoding": "residual", **_LONGER, "conv_width": 16},
    ),
}
QUICK_CANDIDATES = ("ros", "defaults", "residual")
_REFERENCE = "ros"
_METRICS = ("acsa", "macro_f1", "gmean_macro")


@dataclass(frozen=True)
class TuningSettings:
    """Everything that defines a tuning cell's result apart from its candidate."""

    dataset: str
    counts: tuple[int, ...]
    cnn: CNNSettings
    validation_per_class: int
    baegan: dict = field(default_factory=dict)

    def cache_dict(self) -> dict:
        """The settings every cell depends on; BAEGAN's go in each cell's fingerprint."""
        settings = asdict(self)
        del settings["baegan"]
        return settings


def tuning_settings(data: ImageData, quick: bool) -> TuningSettings:
    """The image benchmark's CNN and counts; tiny networks with ``quick``.

    Fashion-MNIST keeps 500 validation images a class out of the ~2,000 or
    more that each subset leaves; digits only 4, as its pool keeps at least
    124 images a class and the subset takes up to 120 (enough for the quick
    run, too few for tuning).
    """
    baegan = {"image_shape": data.image_shape, **PAPER_SETTINGS}
    per_class = 4 if data.name == "digits" else 500
    if quick:
        return TuningSettings(
            dataset=data.name,
            counts=data.counts,
            cnn=CNNSettings(conv_widths=(8, 16), hidden=32, epochs=10),
            validation_per_class=per_class,
            baegan={**baegan, "pretrain_epochs": 1, "adversarial_epochs": 1, "conv_width": 8},
        )
    return TuningSettings(
        dataset=data.name,
        counts=data.counts,
        cnn=CNNSettings(epochs=30 if data.name == "digits" else 10),
        validation_per_class=per_class,
        baegan=baegan,
    )


def validation_indices(
    y_pool: np.ndarray, train: np.ndarray, per_class: int, seed: int
) -> np.ndarray:
    """A balanced draw of ``per_class`` pool rows a class, none of them in ``train``.

    Parameters
    ----------
    y_pool : ndarray of shape (n_pool,)
    train : ndarray of int
        Indices of the training subset.
    per_class : int
    seed : int

    Returns
    -------
    indices : ndarray of int
        Sorted indices into the pool.
    """
    rng = np.random.RandomState(10_000 + seed)
    rest = np.setdiff1d(np.arange(len(y_pool)), train)
    parts = [
        rng.choice(rest[y_pool[rest] == label], per_class, replace=False)
        for label in np.unique(y_pool)
    ]
    return np.sort(np.concatenate(parts))


def _cell(data: ImageData, settings: TuningSettings, name: str, seed: int) -> dict:
    _, key, params = CANDIDATES[name]
    train = imbalanced_subset(data.y_pool, settings.counts, seed)
    valid = validation_indices(data.y_pool, train, settings.validation_per_class, seed)
    sampler = make_sampler(key, seed, {**settings.baegan, **params})
    cnn = make_cnn(data.image_shape, len(settings.counts), settings.cnn)
    cell = {"candidate": name, "sampler": key, "params": params, "seed": seed}
    torch.manual_seed(seed)
    try:
        fitted = fit_pipelines(
            [("sampler", sampler)], {"cnn": cnn}, data.X_pool[train], data.y_pool[train]
        )
    except Exception as exc:  # a failing candidate is a result, not a crash
        cell.update(status="error", error=f"{type(exc).__name__}: {exc}")
        cell["traceback"] = traceback.format_exc(limit=3)
        return cell
    y_pred = fitted.pipelines["cnn"].predict(data.X_pool[valid])
    cell.update(
        status="ok",
        scores=image_scores(data.y_pool[valid], y_pred),
        resample_seconds=fitted.resample_seconds,
    )
    return cell


def _table(cells: list[dict], names: list[str], seeds: list[int]) -> pd.DataFrame:
    ok = {(c["candidate"], c["seed"]): c for c in cells if c["status"] == "ok"}
    rows = []
    for name in names:
        done = [ok[name, s] for s in seeds if (name, s) in ok]
        row = {"candidate": CANDIDATES[name][0], "seeds": f"{len(done)}/{len(seeds)}"}
        for metric in _METRICS:
            label = IMAGE_METRICS[metric]
            row[f"{label} mean"], row[f"{label} std"], _ = summarise(
                c["scores"][metric] for c in done
            )
        for metric in _METRICS:
            label = IMAGE_METRICS[metric]
            paired = [
                ok[name, s]["scores"][metric] - ok[_REFERENCE, s]["scores"][metric]
                for s in seeds
                if (name, s) in ok and (_REFERENCE, s) in ok
            ]
            row[f"{label} minus ROS mean"], row[f"{label} minus ROS std"], _ = summarise(paired)
        row["resample s mean"], row["resample s std"], _ = summarise(
            c["resample_seconds"] for c in done
        )
        rows.append(row)
    return pd.DataFrame(rows)


def _report(
    cache: CellCache,
    settings: TuningSettings,
    names: list[str],
    seeds: list[int],
    out_dir: Path,
    env: dict,
) -> list[Path]:
    cells = [c for c in cache.cells() if c["seed"] in seeds and c["candidate"] in names]
    errors = [
        f"{CANDIDATES[c['candidate']][0]} seed {c['seed']}: {c['error']}"
        for c in cells
        if c["status"] != "ok"
    ]
    notes = [
        f"Data: {settings.dataset}, the image benchmark's training subsets (class counts "
        f"{list(settings.counts)}); scored on {settings.validation_per_class} validation "
        "images a class drawn from the rest of the training pool. The test set is not used.",
        "Every BAEGAN row starts from the paper's settings (direct decoding, 20+20 "
        "epochs; the package's defaults when tuning began) and changes the BAEGAN "
        "settings shown under 'candidates' in the settings; "
        "'minus ROS' is the candidate's score minus RandomOverSampler's on the same seed "
        "(same subset, validation set and CNN seed), mean ± std over seeds.",
        "Failed cells: " + ("; ".join(errors) if errors else "none") + ".",
        source_note(cells),
    ]
    report_settings = {
        **asdict(settings),
        "candidates": {
            label: {"sampler": key, **params}
            for label, key, params in (CANDIDATES[n] for n in names)
        },
    }
    return write_results(
        out_dir,
        f"tuning_{settings.dataset}",
        title=f"Tuning BAEGAN on {settings.dataset}, validation data only",
        env=env,
        settings=report_settings,
        tables={"validation": _table(cells, names, seeds)},
        notes=notes,
        cells=cells,
    )


def run_tuning(
    data: ImageData,
    settings: TuningSettings,
    seeds: list[int],
    names: list[str],
    cache_root: Path,
    out_dir: Path,
    env: dict,
    log=print,
    run_missing: bool = True,
) -> list[Path]:
    """Run every missing (candidate, seed) cell, then write the results.

    Parameters
    ----------
    data : ImageData
    settings : TuningSettings
    seeds : list of int
    names : list of str
        Keys of :data:`CANDIDATES`, run in this order within each seed.
    cache_root : Path
    out_dir : Path
    env : dict
    log : callable, default=print
    run_missing : bool, default=True
        ``False`` runs no cell: the results are rewritten from the cells
        already in the cache, stale ones included (their notes say so).

    Returns
    -------
    paths : list of Path
    """
    cache = CellCache(
        cache_root,
        f"tuning-{data.name}",
        settings.cache_dict(),
        results=out_dir / f"tuning_{data.name}.json",
        key_of=lambda cell: (cell["candidate"], cell["seed"]),
    )
    log(f"[tuning-{data.name}] cache {cache.folder}")
    for seed in seeds if run_missing else []:
        for name in names:
            label, key, params = CANDIDATES[name]
            stamp = fingerprint(key, {**settings.baegan, **params})
            if cache.get(name, seed, fingerprint=stamp) is not None:
                continue
            log(f"[tuning-{data.name}] {label} seed {seed} ...")
            cell = _cell(data, settings, name, seed)
            cache.put(cell, name, seed, fingerprint=stamp)
            summary = cell.get("scores", {}).get("acsa", cell.get("error"))
            log(f"[tuning-{data.name}] {label} seed {seed}: validation ACSA {summary}")
            _report(cache, settings, names, seeds, out_dir, env)
    return _report(cache, settings, names, seeds, out_dir, env)
