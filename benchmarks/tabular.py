"""Tabular benchmark: KEEL data sets, repeated stratified 5-fold CV, three classifiers.

A cell is one (data set, sampler, repeat): the five folds of one shuffled
split. In each fold the scaler and the sampler are fitted once, and each
classifier completes its own imblearn pipeline on their output.
"""

from __future__ import annotations

import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    StratifiedKFold,
    StratifiedShuffleSplit,
    TunedThresholdClassifierCV,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from ._cache import CellCache
from ._data import TABULAR_DATASETS, load_keel
from ._metrics import TABULAR_METRICS, tabular_scores
from ._plots import bar_chart
from ._protocol import fit_pipelines
from ._report import other_settings_note, source_note, summarise, write_results
from ._samplers import LABELS, fingerprint, make_sampler, split_by_parameters

__all__ = ["CLASSIFIERS", "TabularSettings", "run_tabular", "tabular_settings"]

CLASSIFIERS = {
    "logistic_regression": "logistic regression",
    "knn": "k-nearest neighbours",
    "hist_gradient_boosting": "histogram gradient boosting",
}


# The candidates for the table defaults are compared with the image defaults.
_REFERENCE_CANDIDATE = "baegan_20_20_half"


def _classifiers() -> dict:
    return {
        "logistic_regression": LogisticRegression(max_iter=1000),
        "knn": KNeighborsClassifier(n_neighbors=5),
        "hist_gradient_boosting": HistGradientBoostingClassifier(random_state=0),
    }


def _anchor_classifiers(key: str) -> dict:
    """The classifiers of cell ``key``: the plain ones, or an anchor's.

    ``none_threshold`` tunes each classifier's decision threshold on
    balanced accuracy (5-fold, inside the training fold);
    ``none_balanced_weights`` weights the classes inversely to their
    frequency in the classifiers that take ``class_weight`` (k-nearest
    neighbours has none, and no score).
    """
    classifiers = _classifiers()
    if key == "none_threshold":
        return {
            name: TunedThresholdClassifierCV(clf, scoring="balanced_accuracy", cv=5)
            for name, clf in classifiers.items()
        }
    if key == "none_balanced_weights":
        return {
            name: clf.set_params(class_weight="balanced")
            for name, clf in classifiers.items()
            if "class_weight" in clf.get_params()
        }
    return classifiers


@dataclass(frozen=True)
class TabularSettings:
    """Everything that defines a tabular cell's result apart from its key."""

    datasets: tuple[str, ...]
    n_splits: int = 5
    baegan: dict = field(default_factory=dict)
    #: Score on a validation split of each training fold (a quarter of its
    #: rows, stratified) instead of the test fold: the protocol that chooses
    #: defaults without reading the test folds.
    validation: bool = False

    def cache_dict(self) -> dict:
        """The settings every cell depends on: all but BAEGAN's, which only
        its own cells depend on (see :func:`benchmarks._samplers.fingerprint`)."""
        settings = asdict(self)
        del settings["baegan"]
        if not self.validation:
            # Cells of the test protocol keep the hash they had before it had a twin.
            del settings["validation"]
        settings["classifiers"] = {k: repr(v) for k, v in _classifiers().items()}
        settings["preprocessing"] = "StandardScaler before the sampler"
        return settings

    def as_dict(self) -> dict:
        """Plain dict for JSON, with the classifiers and BAEGAN as resolved."""
        settings = {**self.cache_dict(), "baegan": self.baegan}
        settings["baegan_resolved"] = fingerprint("baegan", self.baegan)["sampler_params"]
        return settings


def tabular_settings(quick: bool, validation: bool = False) -> TabularSettings:
    """Full settings (each sampler's defaults), or tiny ones for ``--quick``:
    two small data sets, 2 folds, 1+1 epochs."""
    if quick:
        return TabularSettings(
            datasets=("new_thyroid1", "ecoli1"),
            n_splits=2,
            baegan={"pretrain_epochs": 1, "adversarial_epochs": 1, "epochs": 1},
            validation=validation,
        )
    return TabularSettings(datasets=TABULAR_DATASETS, validation=validation)


def _stem(settings: TabularSettings) -> str:
    return "tabular_validation" if settings.validation else "tabular"


def _cell(name: str, key: str, repeat: int, settings: TabularSettings) -> dict:
    X, y, _ = load_keel(name)
    folds = StratifiedKFold(settings.n_splits, shuffle=True, random_state=repeat)
    cell = {"dataset": name, "sampler": key, "seed": repeat, "folds": []}
    for fold, (train, test) in enumerate(folds.split(X, y)):
        seed = repeat * settings.n_splits + fold
        if settings.validation:
            inner = StratifiedShuffleSplit(1, test_size=0.25, random_state=seed)
            fit, valid = next(inner.split(X[train], y[train]))
            train, test = train[fit], train[valid]
        sampler = make_sampler(key, seed, settings.baegan)
        try:
            fitted = fit_pipelines(
                [("scale", StandardScaler()), ("sampler", sampler)],
                _anchor_classifiers(key),
                X[train],
                y[train],
            )
        except Exception as exc:  # a failing sampler is a result, not a crash
            cell.update(status="error", error=f"fold {fold}: {type(exc).__name__}: {exc}")
            cell["traceback"] = traceback.format_exc(limit=3)
            return cell
        scores = {
            name_: tabular_scores(y[test], pipeline.predict(X[test]))
            for name_, pipeline in fitted.pipelines.items()
        }
        cell["folds"].append(
            {
                "scores": scores,
                "resample_seconds": fitted.resample_seconds,
                "n_generated": int(len(fitted.y_res) - fitted.n_input),
            }
        )
    cell["status"] = "ok"
    return cell


def _mean_scores(cells: list[dict]) -> pd.DataFrame:
    """Long table: one row per (data set, sampler, classifier, repeat), fold means."""
    rows = []
    for cell in cells:
        if cell["status"] != "ok":
            continue
        for classifier in CLASSIFIERS:
            if classifier not in cell["folds"][0]["scores"]:
                continue
            row = {
                "dataset": cell["dataset"],
                "sampler": cell["sampler"],
                "classifier": classifier,
                "seed": cell["seed"],
            }
            for metric in TABULAR_METRICS:
                row[metric] = float(
                    np.mean([f["scores"][classifier][metric] for f in cell["folds"]])
                )
            row["resample_seconds"] = float(np.mean([f["resample_seconds"] for f in cell["folds"]]))
            rows.append(row)
    return pd.DataFrame(rows)


def _rank_tables(
    scores: pd.DataFrame, n_datasets: int
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Mean rank (1 = best) per sampler, over the data sets where all ranked samplers have results.

    The samplers ranked are those with results on the most data sets; one
    run on fewer (e.g. a variant still running) is listed unranked, with
    its own count, rather than shrinking everyone's ranks to its data sets.
    """
    tables, complete = {}, []
    if scores.empty:
        return tables, complete
    means = scores.groupby(["classifier", "dataset", "sampler"])[list(TABULAR_METRICS)].mean()
    for classifier in CLASSIFIERS:
        # Per classifier: an anchor may have no score behind one (class weights in kNN).
        part = scores[scores["classifier"] == classifier]
        ran = [key for key in LABELS if key in set(part["sampler"])]
        coverage = part.groupby("sampler")["dataset"].nunique()
        ranked = [key for key in ran if coverage[key] == coverage.max()]
        rows = {key: {"sampler": LABELS[key]} for key in ran}
        for metric, label in TABULAR_METRICS.items():
            wide = means.loc[classifier][metric].unstack("sampler").reindex(columns=ran)
            wide = wide.dropna(subset=ranked)
            complete = sorted(wide.index)
            ranks = wide[ranked].rank(axis=1, ascending=False)
            for key in ran:
                # A mean over fewer data sets would not compare with the others'.
                shown = key in ranked and len(wide)
                rows[key][f"{label} rank"] = float(ranks[key].mean()) if shown else np.nan
                rows[key][f"{label} mean"] = float(wide[key].mean()) if shown else np.nan
        table = pd.DataFrame(list(rows.values()))
        table.insert(
            1,
            "datasets",
            [
                f"{coverage[key] if key not in ranked else len(complete)}/{n_datasets}"
                for key in ran
            ],
        )
        tables[f"ranks_{classifier}"] = table
    return tables, complete


def _comparison_note(tables: dict[str, pd.DataFrame]) -> str:
    """BAEGAN's mean rank against SMOTE's, per classifier."""
    verdicts, wins = [], 0
    for classifier, label in CLASSIFIERS.items():
        table = tables.get(f"ranks_{classifier}")
        if table is None:
            continue
        ranks = table.set_index("sampler")["balanced accuracy rank"]
        if "BAEGAN" not in ranks or "SMOTE" not in ranks:
            continue
        b, s = ranks["BAEGAN"], ranks["SMOTE"]
        if np.isnan(b) or np.isnan(s):
            continue
        wins += b <= s
        verdicts.append(f"{label}: BAEGAN {b:.2f} vs SMOTE {s:.2f}")
    if not verdicts:
        return "BAEGAN against SMOTE: not measured yet."
    return (
        "BAEGAN's mean rank in balanced accuracy against SMOTE's, per classifier (lower is "
        f"better): {'; '.join(verdicts)}; BAEGAN's is no worse for {wins} of "
        f"{len(verdicts)} classifiers."
    )


#: The tabular benchmark's line between moderately and very imbalanced tables.
_HIGH_IMBALANCE = 30


def _paired_table(
    scores: pd.DataFrame, key: str, other: str, ratios: dict[str, float] | None = None
) -> pd.DataFrame:
    """Sampler ``key`` minus sampler ``other`` in balanced accuracy, paired by data set.

    Each data set's score is its mean over folds and the repeats both ran;
    the table gives, per classifier, the mean and standard deviation of the
    differences over data sets and on how many ``key`` scored higher. With
    ``ratios`` (imbalance ratio per data set), the tables with a ratio of
    30 or more and the others get rows of their own beside all of them.
    """
    rows = []
    if scores.empty:
        return pd.DataFrame(rows)
    both = scores[scores["sampler"].isin([key, other])]
    for classifier, label in CLASSIFIERS.items():
        part = both[both["classifier"] == classifier]
        wide = part.pivot_table(
            index=["dataset", "seed"], columns="sampler", values="balanced_accuracy"
        ).dropna()
        if key not in wide or other not in wide or wide.empty:
            continue
        per_dataset = (wide[key] - wide[other]).groupby(level="dataset").mean()
        groups = {"all": per_dataset}
        if ratios is not None:
            high = per_dataset.index.map(lambda name: ratios[name] >= _HIGH_IMBALANCE)
            groups[f"imbalance ratio below {_HIGH_IMBALANCE}"] = per_dataset[~high]
            groups[f"imbalance ratio {_HIGH_IMBALANCE} or more"] = per_dataset[high]
        for group, diffs in groups.items():
            mean, std, n = summarise(diffs)
            row = {"classifier": label}
            if ratios is not None:
                row["tables"] = group
            rows.append(
                {
                    **row,
                    "data sets": n,
                    f"{LABELS[key]} minus {LABELS[other]} mean": mean,
                    f"{LABELS[key]} minus {LABELS[other]} std": std,
                    f"{LABELS[key]} higher on": f"{int((diffs > 0).sum())} of {n}",
                }
            )
    return pd.DataFrame(rows)


def _report(
    cache: CellCache, settings: TabularSettings, seeds: list[int], out_dir: Path, env: dict
) -> list[Path]:
    cells = [c for c in cache.cells() if c["seed"] in seeds]
    cells, other_settings = split_by_parameters(cells, settings.baegan)
    scores = _mean_scores(cells)
    tables, complete = _rank_tables(scores, len(settings.datasets))
    ran = sorted({c["sampler"] for c in cells}, key=list(LABELS).index)
    info = []
    for name in settings.datasets:
        _, _, meta = load_keel(name)
        n_done = sum(1 for c in cells if c["dataset"] == name and c["status"] == "ok")
        info.append({**meta, "loader": name, "cells done": f"{n_done}/{len(seeds) * len(ran)}"})
    # A sampler run for fewer repeats than the others is averaged over those it has.
    repeats = {key: len({c["seed"] for c in cells if c["sampler"] == key}) for key in ran}
    short = [f"{LABELS[k]} {n} of {len(seeds)}" for k, n in repeats.items() if n < len(seeds)]
    tables["datasets"] = pd.DataFrame(info)
    if settings.validation:
        # Each candidate for the table defaults against the image defaults.
        for key in ran:
            if key.startswith("baegan_") and key != _REFERENCE_CANDIDATE:
                tables[f"paired_{key}"] = _paired_table(scores, key, _REFERENCE_CANDIDATE)
    else:
        # latent_dim="auto" (the default: the table's columns, at most 32)
        # against the former fixed 32.
        tables["latent_dim"] = _paired_table(scores, "baegan", "baegan_latent32")
        ratios = {row["loader"]: row["imbalance_ratio"] for row in info}
        for key in ("baegan_20_20_half", "baegan_40_40_all"):
            tables[f"defaults_against_{key}"] = _paired_table(scores, "baegan", key, ratios)
    for classifier in CLASSIFIERS:
        if scores.empty:
            break
        part = scores[scores["classifier"] == classifier]
        wide = {}
        for (dataset, key), group in part.groupby(["dataset", "sampler"]):
            mean, std, _ = summarise(group["balanced_accuracy"])
            wide.setdefault(dataset, {"dataset": dataset})
            wide[dataset][f"{LABELS[key]} mean"], wide[dataset][f"{LABELS[key]} std"] = mean, std
        tables[f"balanced_accuracy_{classifier}"] = pd.DataFrame(list(wide.values()))
    errors = [
        f"{c['dataset']} / {LABELS[c['sampler']]} / repeat {c['seed']}: {c['error'].rstrip('.')}"
        for c in cells
        if c["status"] == "error"
    ]
    excluded = sorted(set(settings.datasets) - set(complete))
    protocol = (
        "each training fold split once more, stratified, into three quarters to fit on and "
        "a quarter to score on (the test folds are never read)"
        if settings.validation
        else "scored on the test folds"
    )
    notes = [
        f"Protocol: {settings.n_splits}-fold stratified cross-validation repeated "
        f"{len(seeds)} times (repeat r shuffles with seed r), {protocol}; StandardScaler, "
        "sampler and classifier in one imblearn Pipeline per classifier; metrics on the "
        "minority class (label 1). Scores are fold means, then mean ± std over repeats.",
        "Ranks: per classifier and metric, samplers are ranked on each data set by their "
        "mean over folds and repeats (1 = best, ties share the average rank), then the ranks "
        "are averaged over the data sets where every ranked sampler has results. Samplers "
        "with results on fewer data sets than the others are not ranked: their 'datasets' "
        "column says on how many they ran, and their scores are in the per-data-set tables.",
        _comparison_note(tables),
        "latent_dim table: BAEGAN at its default latent_dim='auto' (a code as wide as the "
        "table's columns, at most 32) minus BAEGAN with latent_dim=32, in balanced accuracy, "
        "paired by data set (mean over folds and the repeats both ran), then mean ± std over "
        "the data sets.",
        "Data sets left out of the ranks (a cell missing or failed): "
        + (", ".join(excluded) if excluded else "none")
        + ".",
        "Failed cells: " + ("; ".join(errors) if errors else "none") + ".",
        other_settings_note(other_settings, LABELS),
        "Samplers with fewer repeats than the others (their scores and ranks average the "
        "repeats they have): " + (", ".join(short) if short else "none") + ".",
        source_note(cells),
    ]
    csv_tables = {}
    if not scores.empty:
        long = scores.groupby(["dataset", "sampler", "classifier"])[list(TABULAR_METRICS)].agg(
            ["mean", "std"]
        )
        long.columns = [f"{metric} {stat}" for metric, stat in long.columns]
        csv_tables["scores"] = long.reset_index()
    title = "Tabular benchmark: KEEL imbalanced data sets"
    if settings.validation:
        title += ", validation splits of the training folds"
    paths = write_results(
        out_dir,
        _stem(settings),
        title=title,
        env=env,
        settings=settings.as_dict(),
        tables=tables,
        notes=notes,
        cells=cells,
        csv_tables=csv_tables,
    )
    for classifier, label in CLASSIFIERS.items():
        table = tables.get(f"ranks_{classifier}")
        if table is None or table["balanced accuracy rank"].isna().all():
            continue
        paths.append(
            bar_chart(
                list(table["sampler"]),
                {m: (list(table[f"{m} rank"]), None) for m in TABULAR_METRICS.values()},
                "mean rank (1 = best)",
                f"{label}: mean rank over {table['datasets'].iloc[0]} KEEL data sets",
                out_dir / f"{_stem(settings)}_ranks_{classifier}.png",
                env,
                # Ranks run from 1 to the number of samplers ranked.
                value_range=(1, len(table)),
            )
        )
    return paths


def run_tabular(
    settings: TabularSettings,
    seeds: list[int],
    samplers: list[str],
    cache_root: Path,
    out_dir: Path,
    env: dict,
    log=print,
    run_missing: bool = True,
) -> list[Path]:
    """Run every missing (data set, sampler, repeat) cell, then write the results.

    Parameters
    ----------
    settings : TabularSettings
    seeds : list of int
        Repeats of the cross-validation.
    samplers : list of str
        Keys of :data:`benchmarks._samplers.SAMPLERS`.
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
        _stem(settings),
        settings.cache_dict(),
        results=out_dir / f"{_stem(settings)}.json",
        key_of=lambda cell: (cell["dataset"], cell["sampler"], cell["seed"]),
    )
    log(f"[tabular] cache {cache.folder}")
    for repeat in seeds if run_missing else []:
        for name in settings.datasets:
            for key in samplers:
                stamp = fingerprint(key, settings.baegan)
                if cache.get(name, key, repeat, fingerprint=stamp) is not None:
                    continue
                cell = _cell(name, key, repeat, settings)
                cache.put(cell, name, key, repeat, fingerprint=stamp)
                log(f"[tabular] {name} / {LABELS[key]} / repeat {repeat}: {cell['status']}")
            _report(cache, settings, seeds, out_dir, env)
    return _report(cache, settings, seeds, out_dir, env)
