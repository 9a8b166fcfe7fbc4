"""Image benchmark: imbalanced Fashion-MNIST or digits, a fixed CNN, every sampler.

Per (sampler, seed) cell: draw the imbalanced training subset, resample it,
train the CNN on the result in the same imblearn pipeline, score the
balanced test set, and measure how close the generated minority images are
to held-out real ones (FD in the feature space of a CNN trained on the full
real training set).
"""

from __future__ import annotations

import math
import shutil
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from ._cache import CellCache
from ._cnn import CNNSettings, augment_shift, make_cnn, penultimate_features
from ._data import ImageData, imbalanced_subset
from ._metrics import (
    IMAGE_METRICS,
    MEMORISATION_QUANTILES,
    frechet_distance,
    image_scores,
    memorisation,
)
from ._paper import claims_table, comparison_table
from ._plots import bar_chart, distinct_styles, line_chart, line_panels, sample_grid
from ._protocol import fit_pipelines
from ._report import other_settings_note, source_note, summarise, write_results
from ._samplers import (
    CNN_ANCHORS,
    DEEP_SAMPLERS,
    IMAGE_SAMPLERS,
    LABELS,
    fingerprint,
    make_sampler,
    split_by_parameters,
)

__all__ = ["ImageSettings", "image_settings", "run_images"]

_DEEP = tuple(key for key in DEEP_SAMPLERS if key in IMAGE_SAMPLERS)
_GRID_SAMPLERS = ("smote", *_DEEP)


@dataclass(frozen=True)
class ImageSettings:
    """Everything that defines an image cell's result apart from its key."""

    dataset: str
    counts: tuple[int, ...]
    cnn: CNNSettings
    baegan: dict = field(default_factory=dict)
    extractor_epochs: int = 5
    fd_max_samples: int = 1000
    grid_columns: int = 8
    # Whether augmentation mirrors images: clothes, yes; digits, no.
    augment_flip: bool = True

    def cache_dict(self) -> dict:
        """The settings every cell depends on: all but BAEGAN's, which only
        its own cells depend on (see :func:`benchmarks._samplers.fingerprint`),
        and augmentation's, which only the anchors' cells depend on."""
        settings = asdict(self)
        del settings["baegan"], settings["augment_flip"]
        return settings

    def as_dict(self) -> dict:
        """Plain dict for JSON, with the BAEGAN parameters as resolved."""
        settings = {**self.cache_dict(), "baegan": self.baegan}
        settings["augment_flip"] = self.augment_flip
        settings["baegan_resolved"] = fingerprint("baegan", self.baegan)["sampler_params"]
        return settings


def image_settings(data: ImageData, quick: bool) -> ImageSettings:
    """The settings used for ``data``: full, or tiny for ``--quick``.

    BAEGAN keeps its defaults except ``image_shape``; quick mode trains 1+1 epochs of
    width-8 nets and a narrow CNN for 4 epochs (a few seconds on digits): it
    checks that every step runs, not what the scores are.
    """
    baegan = {"image_shape": data.image_shape}
    if quick:
        return ImageSettings(
            dataset=data.name,
            counts=data.counts,
            cnn=CNNSettings(conv_widths=(8, 16), hidden=32, epochs=4),
            baegan={
                **baegan,
                "pretrain_epochs": 1,
                "adversarial_epochs": 1,
                "epochs": 1,
                "conv_width": 8,
            },
            extractor_epochs=4,
            fd_max_samples=50,
            grid_columns=4,
            augment_flip=data.name != "digits",
        )
    # Digits has ~1,200 balanced training images: 10 epochs would be 100
    # steps, too few for the CNN to settle; Fashion-MNIST has 40,000.
    epochs = 30 if data.name == "digits" else 10
    extractor_epochs = 30 if data.name == "digits" else 5
    return ImageSettings(
        dataset=data.name,
        counts=data.counts,
        cnn=CNNSettings(epochs=epochs),
        baegan=baegan,
        extractor_epochs=extractor_epochs,
        augment_flip=data.name != "digits",
    )


def _cell_key(cell: dict) -> tuple:
    """The cache key of a cell of the result file."""
    return ("reference" if cell["kind"] == "reference" else cell["sampler"], cell["seed"])


def _extractor_path(cache: CellCache, committed: Path) -> Path:
    """Where the cache keeps the FD extractor's weights.

    The weights are also a result file (``committed``): FD from a retrained
    extractor would not compare with the cells' FD, so a fresh clone takes
    them from there, when the result file's settings are the cache's.
    """
    path = cache.path("extractor", suffix=".pt")
    if not path.exists() and cache.results_match and committed.exists():
        shutil.copyfile(committed, path)
    return path


class _Reference:
    """The FD feature extractor and the real images every cell compares against.

    The extractor is loaded from ``weights`` when that file exists, else
    trained from seed 0 and saved there.
    """

    def __init__(self, data: ImageData, settings: ImageSettings, weights: Path):
        n_classes = len(settings.counts)
        extractor = make_cnn(
            data.image_shape, n_classes, replace(settings.cnn, epochs=settings.extractor_epochs)
        )
        if weights.exists():
            extractor.initialize()
            extractor.module_.load_state_dict(torch.load(weights, map_location=extractor.device))
        else:
            torch.manual_seed(0)
            extractor.fit(data.X_pool, data.y_pool)
            torch.save(extractor.module_.state_dict(), weights)
        self.extractor = extractor
        self.extractor_scores = image_scores(data.y_test, extractor.predict(data.X_test))
        self.test_features = {
            c: penultimate_features(extractor, data.X_test[data.y_test == c])
            for c in range(n_classes)
        }
        self.data = data
        self.settings = settings
        self.weights = weights

    def n_fd(self, label: int) -> int:
        """Images of class ``label`` each row's FD uses, equal across rows
        (at most, for samplers that generate fewer)."""
        counts = self.settings.counts
        return int(
            min(
                self.settings.fd_max_samples,
                counts[0] - counts[label],
                np.sum(self.data.y_pool == label),
            )
        )

    def real_images(self, label: int, seed: int) -> np.ndarray:
        """A seeded draw of real training images of one class."""
        members = np.flatnonzero(self.data.y_pool == label)
        rng = np.random.RandomState(seed)
        return self.data.X_pool[rng.choice(members, self.n_fd(label), replace=False)]

    def fd(self, images: np.ndarray, label: int) -> float:
        """FD (classifier features) of ``images`` against the test images of ``label``."""
        return frechet_distance(
            penultimate_features(self.extractor, images), self.test_features[label]
        )


def _minority_labels(counts: tuple[int, ...]) -> list[int]:
    return [c for c in range(len(counts)) if counts[c] < max(counts)]


def _reference_cell(ref: _Reference, seed: int) -> dict:
    labels = _minority_labels(ref.settings.counts)
    return {
        "kind": "reference",
        "seed": seed,
        "fd_real": {str(c): ref.fd(ref.real_images(c, seed), c) for c in labels},
        "fd_n": {str(c): ref.n_fd(c) for c in labels},
    }


def _generated_only(new: np.ndarray, sampler, label) -> np.ndarray:
    """The rows of one class that a BAEGAN variant generated, without its copies.

    With ``generated_fraction`` below 1 the sampler appends copies of real
    rows after the generated ones (its documented order); FD and sample
    grids are about the generated rows.
    """
    return new[: sampler._n_generated(sampler.sampling_strategy_[label])]


def _anchor_cnn(settings: ImageSettings, image_shape, key: str, y: np.ndarray):
    """The CNN of cell ``key``, and its epochs: an anchor's training, at equal steps.

    An anchor that trains on the imbalanced subset itself (no resampling)
    gets as many epochs more as make its gradient steps those of the
    classifier on the balanced set: a sampler multiplies the steps per
    epoch, and comparing at equal epochs would measure training length.
    """
    base, training = CNN_ANCHORS.get(key, (key, "plain"))
    epochs = settings.cnn.epochs
    counts = np.bincount(y, minlength=len(settings.counts))
    if base == "none" and training != "plain":
        batch = settings.cnn.batch_size
        balanced = math.ceil(max(settings.counts) * len(settings.counts) / batch)
        epochs = round(epochs * balanced / math.ceil(len(y) / batch))
    cnn = make_cnn(
        image_shape,
        len(settings.counts),
        settings.cnn,
        training=training,
        counts=counts.tolist(),
        epochs=epochs,
        flip=settings.augment_flip,
    )
    return cnn, training, epochs


def _sampler_cell(ref: _Reference, key: str, seed: int) -> tuple[dict, dict]:
    """Run one (sampler, seed) cell; returns its result and its grid images."""
    data, settings = ref.data, ref.settings
    index = imbalanced_subset(data.y_pool, settings.counts, seed)
    X, y = data.X_pool[index], data.y_pool[index]
    sampler = make_sampler(key, seed, settings.baegan)
    cnn, training, epochs = _anchor_cnn(settings, data.image_shape, key, y)
    cell = {"kind": "sampler", "sampler": key, "seed": seed, "training": training}
    cell["cnn_epochs"] = epochs
    # skorch has no random_state: the seed fixes the CNN's weights and batch
    # order. BAEGAN restores torch's random state after training, so the
    # CNN sees the same state whichever sampler ran before it.
    torch.manual_seed(seed)
    try:
        fitted = fit_pipelines([("sampler", sampler)], {"cnn": cnn}, X, y)
    except Exception as exc:  # a failing sampler is a result, not a crash
        cell.update(status="error", error=f"{type(exc).__name__}: {exc}")
        cell["traceback"] = traceback.format_exc(limit=3)
        return cell, {}
    y_pred = fitted.pipelines["cnn"].predict(data.X_test)
    recalls = [float(np.mean(y_pred[data.y_test == c] == c)) for c in range(len(settings.counts))]
    cell.update(
        status="ok",
        scores=image_scores(data.y_test, y_pred),
        class_recall=recalls,
        n_train=len(y),
        n_resampled=len(fitted.y_res),
        resample_seconds=fitted.resample_seconds,
        classifier_seconds=fitted.classifier_seconds["cnn"],
    )
    if key in CNN_ANCHORS:
        # The rows are the base sampler's, whose own cell measures them.
        return cell, {}
    X_new = fitted.X_res[fitted.n_input :]
    y_new = fitted.y_res[fitted.n_input :]
    rng = np.random.RandomState(seed)
    fd_generated, fd_reconstructed, grid, copying = {}, {}, {}, {}
    fitted_sampler = fitted.pipelines["cnn"].named_steps["sampler"]
    for label in _minority_labels(settings.counts):
        new = X_new[y_new == label]
        if key in _DEEP:
            new = _generated_only(new, fitted_sampler, label)
        if len(new) == 0:
            continue
        n = min(ref.n_fd(label), len(new))
        drawn = new[rng.choice(len(new), n, replace=False)]
        fd_generated[str(label)] = ref.fd(drawn, label)
        copying[label] = memorisation(drawn, X[y == label], data.X_test[data.y_test == label])
        grid[label] = new[rng.choice(len(new), min(settings.grid_columns, len(new)), replace=False)]
        if key in _DEEP and hasattr(fitted_sampler, "encode"):
            real = ref.real_images(label, seed)
            recon = fitted_sampler.decode(fitted_sampler.encode(real), np.full(len(real), label))
            fd_reconstructed[str(label)] = ref.fd(recon.astype(np.float32), label)
    cell.update(fd_generated=fd_generated, fd_reconstructed=fd_reconstructed)
    if copying:
        cell["memorisation"] = _memorisation_summary(copying)
    return cell, grid


def _memorisation_summary(per_class: dict[int, dict]) -> dict:
    """A cell's memorisation check: per class ratios, and pooled distance quantiles."""
    pooled = {
        part: np.concatenate([result[part] for result in per_class.values()])
        for part in ("generated", "held_out")
    }
    levels = list(MEMORISATION_QUANTILES)
    return {
        "median_ratio": {str(c): r["median_ratio"] for c, r in per_class.items()},
        "near_copies": {str(c): r["near_copies"] for c, r in per_class.items()},
        "quantiles": levels,
        "generated_quantiles": np.quantile(pooled["generated"], levels).tolist(),
        "held_out_quantiles": np.quantile(pooled["held_out"], levels).tolist(),
    }


def _classification_table(cells: list[dict], samplers: list[str], seeds: list[int]) -> pd.DataFrame:
    rows = []
    for key in samplers:
        done = [c for c in cells if c.get("sampler") == key and c["status"] == "ok"]
        row = {"sampler": LABELS[key], "seeds": f"{len(done)}/{len(seeds)}"}
        for metric, label in IMAGE_METRICS.items():
            mean, std, _ = summarise(c["scores"][metric] for c in done)
            row[f"{label} mean"], row[f"{label} std"] = mean, std
        row["resample s mean"], row["resample s std"], _ = summarise(
            c["resample_seconds"] for c in done
        )
        row["CNN fit s mean"], row["CNN fit s std"], _ = summarise(
            c["classifier_seconds"] for c in done
        )
        rows.append(row)
    return pd.DataFrame(rows)


def _fd_table(cells: list[dict], samplers: list[str], labels: list[int]) -> pd.DataFrame:
    def row(name: str, dicts: list[dict]) -> dict:
        out = {"images": name, "seeds": len(dicts)}
        per_class = []
        for label in labels:
            mean, std, _ = summarise(d[str(label)] for d in dicts if str(label) in d)
            out[f"class {label} mean"], out[f"class {label} std"] = mean, std
            per_class.append(mean)
        # A class without generated images leaves the average undefined.
        out["average over classes"] = float(np.mean(per_class)) if dicts else float("nan")
        return out

    references = [c for c in cells if c["kind"] == "reference"]
    rows = [row("real vs real", [c["fd_real"] for c in references])]
    ok = [c for c in cells if c["kind"] == "sampler" and c["status"] == "ok"]
    for key in _DEEP:
        dicts = [
            c["fd_reconstructed"] for c in ok if c["sampler"] == key and "fd_reconstructed" in c
        ]
        if dicts:
            rows.append(row(f"reconstructions: {LABELS[key]}", dicts))
    for key in samplers:
        dicts = [c["fd_generated"] for c in ok if c["sampler"] == key and c.get("fd_generated")]
        if dicts:
            rows.append(row(f"generated: {LABELS[key]}", dicts))
    return pd.DataFrame(rows)


def _memorisation_table(cells: list[dict], samplers: list[str]) -> pd.DataFrame:
    """Per sampler: how close its images sit to the training images, over seeds."""
    rows = []
    for key in samplers:
        checks = [
            c["memorisation"]
            for c in cells
            if c.get("sampler") == key and c["status"] == "ok" and "memorisation" in c
        ]
        if not checks:
            continue
        row = {"sampler": LABELS[key], "seeds": len(checks)}
        for name, label, factor in (
            ("median_ratio", "nearest-training distance, generated / held-out real (median)", 1),
            ("near_copies", "near copies (share)", 1),
        ):
            per_seed = [factor * np.mean(list(check[name].values())) for check in checks]
            row[f"{label} mean"], row[f"{label} std"], _ = summarise(per_seed)
        rows.append(row)
    return pd.DataFrame(rows)


def _memorisation_curves(cells: list[dict], seed: int) -> dict[str, tuple[list, list]]:
    """Distribution of nearest-training distances per sampler, one seed, as ECDF points."""
    ok = [c for c in cells if c.get("seed") == seed and "memorisation" in c]
    if not ok:
        return {}
    levels = ok[0]["memorisation"]["quantiles"]
    curves = {"held-out real images": (ok[0]["memorisation"]["held_out_quantiles"], levels)}
    for key in IMAGE_SAMPLERS:
        for cell in ok:
            if cell["sampler"] == key:
                curves[LABELS[key]] = (cell["memorisation"]["generated_quantiles"], levels)
    return curves


_REAL = "real vs real"
_CLASSIC = ("ros", "smote", "borderline_smote", "adasyn", "baegan")


def _fd_panels(fd: pd.DataFrame, labels: list[int]) -> dict[str, dict[str, tuple[list, list]]]:
    """The FD table's rows as three panels of a few lines each.

    Seventeen lines on one axis could not be told apart. Each panel holds
    the real-vs-real reference and one question: BAEGAN against the classic
    samplers, BAEGAN against its own variants, and how well each variant's
    autoencoder reconstructs real images. BAEGAN's line is in the first two.
    """
    series = {
        r["images"]: (labels, [r[f"class {c} mean"] for c in labels]) for _, r in fd.iterrows()
    }

    def panel(names: list[str]) -> dict[str, tuple[list, list]]:
        return {name: series[name] for name in [_REAL, *names] if name in series}

    return {
        "generated: BAEGAN and the classic samplers": panel(
            [f"generated: {LABELS[k]}" for k in _CLASSIC]
        ),
        "generated: BAEGAN's variants and the other deep samplers": panel(
            [f"generated: {LABELS[k]}" for k in _DEEP]
        ),
        "reconstructions of real images by each variant's autoencoder": panel(
            [f"reconstructions: {LABELS[k]}" for k in _DEEP]
        ),
    }


def _fd_styles() -> dict[str, dict]:
    """One look per sampler, the same in every panel; real-vs-real black.

    A variant's reconstructions take its generated line's colour and marker
    with a dotted line, so the eye links the two across panels.
    """
    samplers = [k for k in LABELS if k != "none"]
    styles = {_REAL: {"color": "black", "marker": "o", "linestyle": "-", "linewidth": 2.2}}
    for key, style in distinct_styles(samplers).items():
        # The panel's title says generated or reconstructed.
        styles[f"generated: {LABELS[key]}"] = {**style, "label": LABELS[key]}
        styles[f"reconstructions: {LABELS[key]}"] = {
            **style,
            "label": LABELS[key],
            "linestyle": ":",
        }
    return styles


def _comparison_note(table: pd.DataFrame) -> str:
    """BAEGAN against the best of the other samplers, metric by metric."""
    others = table[~table["sampler"].str.contains("BAEGAN|AE \\+", regex=True)]
    baegan = table[table["sampler"] == "BAEGAN"].iloc[0]
    verdicts = []
    for metric in ("ACSA", "macro F1", "G-mean (macro)"):
        best = others[f"{metric} mean"].max()
        mine = baegan[f"{metric} mean"]
        if np.isnan(mine) or np.isnan(best):
            verdicts.append(f"{metric}: not measured yet")
        else:
            verdicts.append(
                f"{metric}: BAEGAN {mine:.4f} vs best non-BAEGAN {best:.4f} "
                f"({'higher' if mine > best else 'not higher'})"
            )
    return (
        "BAEGAN against the best sampler that is not a BAEGAN variant, on the seeds done so "
        "far (means; the spread over seeds is in the table): " + "; ".join(verdicts) + "."
    )


def _report(
    ref: _Reference, cache: CellCache, seeds, out_dir: Path, env: dict, grids_of
) -> list[Path]:
    settings = ref.settings
    cells = [c for c in cache.cells() if c.get("kind") in ("reference", "sampler")]
    cells = [c for c in cells if c["seed"] in seeds]
    cells, other_settings = split_by_parameters(cells, settings.baegan)
    all_samplers = [*IMAGE_SAMPLERS, *CNN_ANCHORS]
    labels = _minority_labels(settings.counts)
    classification = _classification_table(cells, all_samplers, seeds)
    fd = _fd_table(cells, all_samplers, labels)
    copying = _memorisation_table(cells, all_samplers)
    done = {(c["sampler"], c["seed"]) for c in cells if c["kind"] == "sampler"}
    missing = [f"{LABELS[k]} seed {s}" for s in seeds for k in all_samplers if (k, s) not in done]
    errors = [
        f"{LABELS[c['sampler']]} seed {c['seed']}: {c['error'].rstrip('.')}"
        for c in cells
        if c.get("status") == "error"
    ]
    fd_n = ", ".join(f"class {c}: {ref.n_fd(c)} vs {np.sum(ref.data.y_test == c)}" for c in labels)
    extractor = ", ".join(f"{IMAGE_METRICS[k]} {v:.4f}" for k, v in ref.extractor_scores.items())
    notes = [
        f"Data: {settings.dataset}; training subset class counts {list(settings.counts)} "
        "(class 0 first), drawn without replacement per seed; scored on the full "
        "balanced test set. A seed changes the subset, the sampler and the CNN's initialisation.",
        "Protocol: each sampler and the same skorch CNN sit in one imblearn Pipeline; "
        "the CNN settings are under settings.cnn. Mean ± sample std over the seeds done.",
        "Anchors, what an image classifier's user would try instead of a deep sampler: "
        "no resampling with class-weighted cross-entropy (weights n / (K n_c)), with "
        "logit-adjusted cross-entropy (the training prior's log added to the logits in "
        "the loss, tau = 1, predictions from the plain logits; Menon et al. 2021), and "
        "with augmentation; these train for as many epochs more as give them the gradient "
        "steps of the balanced set (the cells' cnn_epochs). Augmentation (random shifts of "
        f"up to {augment_shift(ref.data.image_shape[2])} pixels, zeros filling in"
        + (", and horizontal flips with probability 0.5" if settings.augment_flip else "")
        + ", drawn in each batch from torch's seeded state) also runs behind random "
        "over-sampling and behind each deep sampler, whose rows are then the same as in "
        "their own cells.",
        _comparison_note(classification),
        f"FD (classifier features): Fréchet distance between images of one minority class "
        f"and that class's test images, in the {settings.cnn.hidden}-unit hidden layer of the "
        f"same CNN architecture trained on the full real training set ({extractor} on the "
        "test set). Not FID: no Inception weights. Images per row vs test images, per class: "
        f"{fd_n}; "
        "'real vs real' draws real training images, 'reconstructions' passes those same "
        "images through the sampler's autoencoder; a BAEGAN variant's 'generated' row "
        "leaves out the copies of real images that generated_fraction below 1 adds.",
        "Memorisation check: for each minority class, the Euclidean pixel distance from "
        "each generated image (those the FD uses) to its nearest training image of the "
        "class, against the same distance for the class's test images, which no sampler "
        "saw; distances are divided by the test images' median. A ratio near 1 means "
        "generated images are as new as unseen real ones; near 0, copies. 'near copies' "
        "counts generated images at most as far from the training set as the closest 1% of "
        "test images. Random over-sampling copies by design and shows what copying looks "
        "like. Mean over classes per seed, then mean ± std over seeds.",
        "The BAEGAN paper's comparison (its Table 3) rerun: paper_comparison holds its "
        "deep samplers and, for context, the simple ones it leaves out, with the paper's "
        "values where it has this data set (its rows come from other papers, classifiers "
        "and protocols; its BAGAN is the original, here BAGAN-GP). paper_claims checks each "
        "claim 'BAEGAN above X': it holds when BAEGAN's mean is above by more than the "
        "larger seed-to-seed standard deviation of the two, is reversed when below by more, "
        "and is within noise otherwise.",
        "Missing cells: " + (", ".join(missing) if missing else "none") + ".",
        other_settings_note(other_settings, LABELS),
        "Failed cells: " + ("; ".join(errors) if errors else "none") + ".",
        source_note([c for c in cells if c["kind"] == "sampler"]),
    ]
    stem = f"images_{settings.dataset}"
    paths = write_results(
        out_dir,
        stem,
        title=f"Image benchmark: imbalanced {settings.dataset}",
        env=env,
        settings=settings.as_dict(),
        tables={
            "classification": classification,
            "fd": fd,
            "memorisation": copying,
            "paper_comparison": comparison_table(cells, settings.dataset),
            "paper_claims": claims_table(cells, settings.dataset),
        },
        notes=notes,
        cells=cells,
    )
    # Beside the cells it scored, so that a fresh clone resumes with it.
    paths.append(shutil.copyfile(ref.weights, out_dir / f"{stem}_extractor.pt"))
    if classification["ACSA mean"].notna().any():
        shown = classification.dropna(subset=["ACSA mean"])
        paths.append(
            bar_chart(
                list(shown["sampler"]),
                {
                    m: (list(shown[f"{m} mean"]), list(shown[f"{m} std"]))
                    for m in ("ACSA", "macro F1", "G-mean (macro)")
                },
                "score",
                f"imbalanced {settings.dataset}: CNN after resampling (mean ± std over seeds)",
                out_dir / f"{stem}_metrics.png",
                env,
            )
        )
        paths.append(
            line_panels(
                _fd_panels(fd, labels),
                "minority class (rarer to the right)",
                "FD (classifier features), log scale; lower is closer to real",
                f"imbalanced {settings.dataset}: FD to held-out real images per class "
                "(mean over the seeds each row ran; the fd table has the counts)",
                out_dir / f"{stem}_fd.png",
                env,
                styles=_fd_styles(),
                log_y=True,
            )
        )
    grid_seed = min(seeds)
    curves = _memorisation_curves(cells, grid_seed)
    if curves:
        styles = {"held-out real images": {"color": "black", "linewidth": 2.2, "marker": ""}}
        styles.update(
            {
                LABELS[k]: {**style, "markersize": 4}
                for k, style in distinct_styles([k for k in IMAGE_SAMPLERS if k != "none"]).items()
            }
        )
        paths.append(
            line_chart(
                curves,
                "distance to the nearest training image of the class / median for test images",
                "share of images at most this far",
                f"imbalanced {settings.dataset}, seed {grid_seed}: are generated images "
                "copies? (left of the black line: closer to the training images than "
                "unseen real images are)",
                out_dir / f"{stem}_memorisation.png",
                env,
                styles=styles,
            )
        )
    real = {c: ref.real_images(c, grid_seed)[: settings.grid_columns] for c in labels}
    paths.append(
        sample_grid(
            real,
            ref.data.image_shape,
            f"real {settings.dataset} images",
            out_dir / f"{stem}_samples_real.png",
            env,
            ref.data.class_names,
        )
    )
    for key in _GRID_SAMPLERS:
        grid = grids_of(key, grid_seed)
        if grid:
            paths.append(
                sample_grid(
                    grid,
                    ref.data.image_shape,
                    f"{LABELS[key]}: generated {settings.dataset} images, seed {grid_seed}",
                    out_dir / f"{stem}_samples_{key}.png",
                    env,
                    ref.data.class_names,
                )
            )
    return paths


def run_images(
    data: ImageData,
    settings: ImageSettings,
    seeds: list[int],
    samplers: list[str],
    cache_root: Path,
    out_dir: Path,
    env: dict,
    log=print,
    run_missing: bool = True,
) -> list[Path]:
    """Run every missing (sampler, seed) cell, then write the results.

    Cells already in the cache are skipped; the result files are rewritten
    after every cell, so an interrupted run still leaves current tables.

    Parameters
    ----------
    data : ImageData
    settings : ImageSettings
    seeds : list of int
    samplers : list of str
        Keys of :data:`benchmarks._samplers.SAMPLERS`, run in this order
        within each seed.
    cache_root : Path
        Cell cache folder.
    out_dir : Path
        Result folder.
    env : dict
        Provenance.
    log : callable, default=print
        Progress messages.
    run_missing : bool, default=True
        ``False`` runs no cell: the results are rewritten from the cells
        already in the cache, stale ones included (their notes say so).

    Returns
    -------
    paths : list of Path
        Result files written.
    """
    stem = f"images_{data.name}"
    cache = CellCache(
        cache_root,
        f"images-{data.name}",
        settings.cache_dict(),
        results=out_dir / f"{stem}.json",
        key_of=_cell_key,
    )
    log(f"[images-{data.name}] cache {cache.folder}")
    ref = _Reference(data, settings, _extractor_path(cache, out_dir / f"{stem}_extractor.pt"))

    def grids_of(key: str, seed: int) -> dict:
        path = cache.path(key, seed, suffix=".npz")
        if not path.exists():
            return {}
        with np.load(path) as stored:
            return {int(k): stored[k] for k in stored.files}

    for seed in seeds if run_missing else []:
        if cache.get("reference", seed) is None:
            cache.put(_reference_cell(ref, seed), "reference", seed)
        for key in samplers:
            stamp = fingerprint(key, settings.baegan)
            if key in CNN_ANCHORS:
                stamp["augment_flip"] = settings.augment_flip
                if CNN_ANCHORS[key][1] == "augmented":
                    stamp["augment_shift"] = augment_shift(data.image_shape[2])
            if key != "none":
                # Cells measured before the memorisation check are run again.
                stamp["checks"] = ["memorisation"]
            if cache.get(key, seed, fingerprint=stamp) is not None:
                continue
            log(f"[images-{data.name}] {LABELS[key]} seed {seed} ...")
            cell, grid = _sampler_cell(ref, key, seed)
            if grid:
                np.savez_compressed(
                    cache.path(key, seed, suffix=".npz"), **{str(k): v for k, v in grid.items()}
                )
            cache.put(cell, key, seed, fingerprint=stamp)
            summary = cell.get("scores", {}).get("acsa", cell.get("error"))
            log(f"[images-{data.name}] {LABELS[key]} seed {seed}: ACSA {summary}")
            _report(ref, cache, seeds, out_dir, env, grids_of)
    return _report(ref, cache, seeds, out_dir, env, grids_of)
