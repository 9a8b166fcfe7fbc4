"""Grid-search benchmark: what tuning BAEGAN's generation in cross-validation costs.

The user story: a data scientist grid-searches how much synthetic data to
add (``sampling_strategy=FractionOfMajority(f)``) and how BAEGAN makes it
(``decoding``, ``generated_fraction``) with GridSearchCV, and wants the
search to cost one network training per fold. Those settings only change
how trained networks are used, so with ``BAEGANSampler(memory=folder)`` the
networks of a fold are trained once and read back for every other
candidate, and once more for the refit on all rows.

A cell is one (data set, mode) search; the modes (:data:`MODES`) are BAEGAN
without and with the cache, each serial and with ``n_jobs=2``, and SMOTE's
search of the same fractions as the reference of "how much to generate".
Each cell records the wall time of ``GridSearchCV.fit``, the network
trainings it did and every candidate's CV score, so that the report can put
the modes' costs side by side and check that they find the same scores.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from imblearn.pipeline import Pipeline
from joblib import Parallel, delayed, parallel_config
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, ParameterGrid, StratifiedKFold
from sklearn.preprocessing import StandardScaler

from imblearn_baegan import BAEGANSampler, FractionOfMajority

from ._cache import CellCache
from ._data import digits_counts, imbalanced_subset, load_digits_split, load_keel
from ._report import source_note, write_results
from ._samplers import fingerprint, make_sampler

__all__ = ["MODES", "Mode", "SearchSettings", "run_search", "search_settings"]

_SCORING = "balanced_accuracy"
_FULL_BALANCE = 1.0


@dataclass(frozen=True)
class Mode:
    """How a cell runs its search: which sampler, with BAEGAN's cache or not, how many jobs."""

    label: str
    sampler: str
    cached: bool
    n_jobs: int


#: Mode key -> mode, in the order the cells run and the tables list them.
#: The first is the reference the others' scores are compared with.
MODES = {
    "baegan": Mode("BAEGAN, no cache, n_jobs=1", "baegan", False, 1),
    "baegan_jobs2": Mode("BAEGAN, no cache, n_jobs=2", "baegan", False, 2),
    "baegan_cache": Mode("BAEGAN, cache, n_jobs=1", "baegan", True, 1),
    "baegan_cache_jobs2": Mode("BAEGAN, cache, n_jobs=2", "baegan", True, 2),
    "smote": Mode("SMOTE, n_jobs=1", "smote", False, 1),
}
_REFERENCE = "baegan"


@dataclass(frozen=True)
class SearchSettings:
    """Everything that defines a search cell's result apart from its (data set, mode).

    ``image_baegan`` and ``table_baegan`` hold the BAEGANSampler parameters
    that differ from its defaults, for digits and for the KEEL tables.
    """

    datasets: tuple[str, ...]
    fractions: tuple[float, ...]
    decodings: tuple[str, ...]
    generated_fractions: tuple[float, ...]
    smote_k_neighbors: tuple[int, ...]
    n_splits: int = 3
    threads: int = 1
    image_baegan: dict = field(default_factory=dict)
    table_baegan: dict = field(default_factory=dict)

    def baegan(self, dataset: str) -> dict:
        """The BAEGANSampler parameters of ``dataset``."""
        return self.image_baegan if dataset == "digits" else self.table_baegan

    def cache_dict(self) -> dict:
        """The settings every cell depends on; BAEGAN's go in each cell's fingerprint.

        The threads are in: they change every wall time.
        """
        settings = asdict(self)
        del settings["image_baegan"], settings["table_baegan"]
        settings.update(
            digits_counts=digits_counts(),
            classifier=repr(_classifier()),
            scoring=_SCORING,
            cv=f"StratifiedKFold({self.n_splits}, shuffle=True, random_state=0)",
            pipelines={
                "digits": "sampler, StandardScaler, classifier",
                "tables": "StandardScaler, sampler, classifier",
            },
        )
        return settings

    def as_dict(self) -> dict:
        """Plain dict for JSON, with the BAEGAN parameters as resolved."""
        settings = {
            **self.cache_dict(),
            "image_baegan": self.image_baegan,
            "table_baegan": self.table_baegan,
        }
        for kind in ("image_baegan", "table_baegan"):
            settings[f"{kind}_resolved"] = fingerprint("baegan", settings[kind])["sampler_params"]
        return settings


def search_settings(quick: bool, threads: int) -> SearchSettings:
    """Full settings, or tiny ones for ``--quick``.

    Full: digits and three KEEL tables of 336 to 1,484 rows (imbalance
    ratios 1.9 to 28). BAEGAN keeps its defaults on digits (40+40 epochs,
    about 5 s a fit of the 467 images with one torch thread: already short,
    so not reduced) and trains 20+20 epochs on the tables (about 1 to 4 s a
    fold with one thread). Quick: digits and new_thyroid1, 2 fractions x 2
    decodings, 1+1 epochs of tiny networks.

    Parameters
    ----------
    quick : bool
    threads : int
        Torch threads of the serial searches, as the CLI set them.

    Returns
    -------
    settings : SearchSettings
    """
    image = {"image_shape": (1, 8, 8)}
    if quick:
        tiny = {"pretrain_epochs": 1, "adversarial_epochs": 1, "latent_dim": 8}
        return SearchSettings(
            datasets=("digits", "new_thyroid1"),
            fractions=(0.5, _FULL_BALANCE),
            decodings=("residual", "direct"),
            generated_fractions=(1.0,),
            smote_k_neighbors=(3, 5),
            threads=threads,
            image_baegan={**image, **tiny, "conv_width": 8},
            table_baegan={**tiny, "hidden_dims": (16, 8), "discriminator_hidden_dims": (16,)},
        )
    return SearchSettings(
        datasets=("digits", "ecoli1", "pima", "yeast4"),
        fractions=(0.1, 0.25, 0.5, _FULL_BALANCE),
        decodings=("residual", "direct"),
        generated_fractions=(0.5, 1.0),
        smote_k_neighbors=(3, 5),
        threads=threads,
        image_baegan=image,
        table_baegan={"pretrain_epochs": 20, "adversarial_epochs": 20},
    )


# -- one search ---------------------------------------------------------------


def _classifier() -> LogisticRegression:
    return LogisticRegression(max_iter=1000)


def _load(name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` of a data set: the image benchmark's digits subset of seed 0, or a KEEL table."""
    if name == "digits":
        data = load_digits_split()
        index = imbalanced_subset(data.y_pool, data.counts, 0)
        return data.X_pool[index], data.y_pool[index]
    X, y, _ = load_keel(name)
    return X, y


def _pipeline(sampler, dataset: str) -> Pipeline:
    """The sampler and a logistic regression, scaled where the sampler needs it.

    Tables are standardised first, as in the tabular benchmark: SMOTE's
    neighbours need columns in comparable units. Pixels already share one
    unit, and BAEGAN's image networks read them as they are.
    """
    if dataset == "digits":
        steps = [("sampler", sampler), ("scale", StandardScaler()), ("clf", _classifier())]
    else:
        steps = [("scale", StandardScaler()), ("sampler", sampler), ("clf", _classifier())]
    return Pipeline(steps)


def _grid(sampler: str, settings: SearchSettings) -> dict:
    strategies = [FractionOfMajority(f) for f in settings.fractions]
    if sampler == "smote":
        return {
            "sampler__sampling_strategy": strategies,
            "sampler__k_neighbors": list(settings.smote_k_neighbors),
        }
    return {
        "sampler__sampling_strategy": strategies,
        "sampler__decoding": list(settings.decodings),
        "sampler__generated_fraction": list(settings.generated_fractions),
    }


def _plain(params: dict) -> dict:
    """A candidate's parameters as JSON values; ``FractionOfMajority(f)`` becomes ``fraction=f``."""
    plain = {}
    for name, value in params.items():
        name = name.removeprefix("sampler__")
        if isinstance(value, FractionOfMajority):
            plain["fraction"] = value.fraction
        else:
            plain[name] = value.item() if isinstance(value, np.generic) else value
    return dict(sorted(plain.items()))


def _start_workers(n_jobs: int) -> list[int]:
    """Start the loky workers, and have each train a tiny BAEGAN once.

    Call it under the ``parallel_config`` of the search, so that the search
    reuses these workers. A session's first parallel search spends a few
    seconds starting them and importing torch; left in, that would go to
    whichever mode happens to run first.

    Returns
    -------
    threads : list of int
        The distinct torch thread counts of the workers.
    """
    rng = np.random.RandomState(0)
    X, y = rng.rand(40, 64).astype(np.float32), np.repeat([0, 1], [30, 10])
    tiny = {"latent_dim": 4, "pretrain_epochs": 1, "adversarial_epochs": 1, "random_state": 0}
    image = BAEGANSampler(image_shape=(1, 8, 8), conv_width=4, **tiny)
    table = BAEGANSampler(hidden_dims=(8,), discriminator_hidden_dims=(8,), **tiny)
    # Bound methods of library objects: the workers import them by name,
    # while this module is not importable there.
    tasks = [
        delayed(clone(sampler).fit_resample)(X, y)
        for _ in range(2 * n_jobs)
        for sampler in (image, table)
    ]
    Parallel(n_jobs=n_jobs)(tasks)
    threads = Parallel(n_jobs=n_jobs)(delayed(torch.get_num_threads)() for _ in range(2 * n_jobs))
    return sorted(set(threads))


def _timed_fit(search: GridSearchCV, X, y, worker_threads: int) -> tuple[float, list[int]]:
    """Wall seconds of ``search.fit(X, y)``, and its workers' torch threads (none when serial)."""
    if search.n_jobs == 1:
        start = time.perf_counter()
        search.fit(X, y)
        return time.perf_counter() - start, []
    # loky sets OMP_NUM_THREADS in its workers, torch's thread count too, to
    # this; the default would keep the value this process set for itself.
    with parallel_config(backend="loky", inner_max_num_threads=worker_threads):
        threads = _start_workers(search.n_jobs)
        start = time.perf_counter()
        search.fit(X, y)
        return time.perf_counter() - start, threads


def _cell(name: str, key: str, settings: SearchSettings) -> dict:
    mode = MODES[key]
    X, y = _load(name)
    grid = _grid(mode.sampler, settings)
    n_candidates = len(ParameterGrid(grid))
    cell = {
        "dataset": name,
        "mode": key,
        "sampler": mode.sampler,
        "cached": mode.cached,
        "n_jobs": mode.n_jobs,
        "n_rows": len(y),
        "n_features": X.shape[1],
        "class_counts": np.unique(y, return_counts=True)[1].tolist(),
        "n_candidates": n_candidates,
        "n_splits": settings.n_splits,
        "threads": torch.get_num_threads(),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    # Split the threads of a serial search among the workers, as loky does
    # by default with the cores: both modes then use the same cores.
    worker_threads = max(settings.threads // mode.n_jobs, 1)
    with tempfile.TemporaryDirectory(prefix="baegan-search-memory-") as memory:
        params = dict(settings.baegan(name))
        if mode.cached:
            params["memory"] = memory
        search = GridSearchCV(
            _pipeline(make_sampler(mode.sampler, 0, params), name),
            grid,
            scoring=_SCORING,
            cv=StratifiedKFold(settings.n_splits, shuffle=True, random_state=0),
            refit=True,
            n_jobs=mode.n_jobs,
            error_score="raise",
        )
        try:
            seconds, threads = _timed_fit(search, X, y, worker_threads)
        except Exception as exc:  # a failing search is a result, not a crash
            error = f"{type(exc).__name__}: {exc}".replace(memory, "<memory>")
            return {**cell, "status": "error", "error": error}
        # Each training writes one entry: counting them counts the trainings.
        entries = len(list(Path(memory).rglob("*.pt")))
    if mode.sampler != "baegan":
        trainings = None
    elif mode.cached:
        trainings = entries
    else:
        trainings = n_candidates * settings.n_splits + 1
    results = search.cv_results_
    cell.update(
        status="ok",
        seconds=seconds,
        trainings=trainings,
        trainings_counted=mode.cached,
        cache_entries=entries,
        worker_threads=threads,
        candidates=[_plain(p) for p in results["params"]],
        mean_test_score=[float(s) for s in results["mean_test_score"]],
        std_test_score=[float(s) for s in results["std_test_score"]],
        mean_fit_seconds=[float(s) for s in results["mean_fit_time"]],
        refit_seconds=float(search.refit_time_),
        best_index=int(search.best_index_),
        best_params=_plain(search.best_params_),
        best_score=float(search.best_score_),
    )
    return cell


def _warm_up() -> None:
    """Train a tiny BAEGAN in this process before the first timed search.

    torch's first training in a process pays a few seconds of one-off set-up,
    which would otherwise go to the first cell.
    """
    rng = np.random.RandomState(0)
    X, y = rng.rand(40, 64).astype(np.float32), np.repeat([0, 1], [30, 10])
    tiny = {"latent_dim": 4, "pretrain_epochs": 1, "adversarial_epochs": 1, "random_state": 0}
    BAEGANSampler(image_shape=(1, 8, 8), conv_width=4, **tiny).fit_resample(X, y)
    BAEGANSampler(hidden_dims=(8,), discriminator_hidden_dims=(8,), **tiny).fit_resample(X, y)


# -- report -------------------------------------------------------------------


def _ratio(numerator, denominator) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _threads_label(cell: dict) -> str:
    if cell["n_jobs"] == 1:
        return str(cell["threads"])
    workers = "/".join(str(t) for t in cell.get("worker_threads", [])) or "?"
    return f"{cell['n_jobs']} workers x {workers}"


def _cost_table(done: dict, datasets: tuple[str, ...]) -> pd.DataFrame:
    """Wall time and trainings of every mode; ratios against the mode without cache or jobs.

    A cached row's ratios divide the uncached mode's trainings and wall
    time (same ``n_jobs``) by its own; an ``n_jobs=2`` row's speedup divides
    the serial mode's wall time (same caching) by its own.
    """
    rows = []
    for name in datasets:
        for key, mode in MODES.items():
            cell = done.get((name, key))
            if cell is None:
                continue
            row = {
                "data": name,
                "rows x features": f"{cell['n_rows']} x {cell['n_features']}",
                "mode": mode.label,
            }
            if cell["status"] != "ok":
                rows.append({**row, "status": cell["error"]})
                continue
            uncached = done.get((name, "baegan" if mode.n_jobs == 1 else "baegan_jobs2"))
            serial = done.get((name, key.removesuffix("_jobs2")))
            uncached = uncached if uncached and uncached["status"] == "ok" else None
            serial = serial if serial and serial["status"] == "ok" else None
            row.update(
                {
                    "wall s": cell["seconds"],
                    "trainings": cell["trainings"],
                    "mean fit s": float(np.mean(cell["mean_fit_seconds"])),
                    "no cache / cache: trainings": (
                        _ratio(uncached["trainings"], cell["trainings"])
                        if mode.cached and uncached
                        else None
                    ),
                    "no cache / cache: wall time": (
                        _ratio(uncached["seconds"], cell["seconds"])
                        if mode.cached and uncached
                        else None
                    ),
                    "n_jobs=2 speedup": (
                        _ratio(serial["seconds"], cell["seconds"])
                        if mode.n_jobs > 1 and serial
                        else None
                    ),
                    "torch threads": _threads_label(cell),
                    "load at start": cell["load_average_1min"],
                    "status": "ok",
                }
            )
            rows.append(row)
    return pd.DataFrame(rows, dtype=object)


def _difference(scores: list[float], reference: list[float]) -> str:
    """``"identical"``, or the largest absolute difference, without scientific notation."""
    a, b = np.asarray(scores), np.asarray(reference)
    if np.array_equal(a, b, equal_nan=True):
        return "identical"
    largest = float(np.nanmax(np.abs(a - b)))
    text = np.format_float_positional(largest, precision=2, fractional=False)
    return f"max abs difference {text}"


def _consistency_table(done: dict, datasets: tuple[str, ...]) -> pd.DataFrame:
    """Every BAEGAN mode's CV scores against those of the serial search without cache."""
    rows = []
    for name in datasets:
        reference = done.get((name, _REFERENCE))
        for key, mode in MODES.items():
            cell = done.get((name, key))
            if key == _REFERENCE or mode.sampler != "baegan" or cell is None:
                continue
            row = {"data": name, "mode": mode.label}
            if reference is None or reference["status"] != "ok":
                rows.append({**row, "mean_test_score": f"no {MODES[_REFERENCE].label} to compare"})
            elif cell["status"] != "ok":
                rows.append({**row, "mean_test_score": f"failed: {cell['error']}"})
            elif cell["candidates"] != reference["candidates"]:
                rows.append({**row, "mean_test_score": "other candidates"})
            else:
                same_best = cell["best_params"] == reference["best_params"]
                row.update(
                    {
                        "mean_test_score": _difference(
                            cell["mean_test_score"], reference["mean_test_score"]
                        ),
                        "same best settings": "yes" if same_best else "no",
                        "best score": cell["best_score"],
                        "reference best score": reference["best_score"],
                    }
                )
                rows.append(row)
    return pd.DataFrame(rows, dtype=object)


def _format_settings(params: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


def _how_much_row(cell: dict) -> dict:
    """The best fraction of a search against full balance with its other settings."""
    best = cell["best_params"]
    others = {k: v for k, v in best.items() if k != "fraction"}
    scores = {
        c["fraction"]: s
        for c, s in zip(cell["candidates"], cell["mean_test_score"])
        if {k: v for k, v in c.items() if k != "fraction"} == others
    }
    full = scores.get(_FULL_BALANCE)
    counts = cell["class_counts"]
    return {
        "smallest class / majority": min(counts) / max(counts),
        "best fraction": best["fraction"],
        "its other settings": _format_settings(others),
        "CV balanced accuracy": cell["best_score"],
        "at full balance (1.0)": full,
        "best minus full balance": None if full is None else cell["best_score"] - full,
        "fractions as good": ", ".join(
            f"{f:g}" for f, s in scores.items() if s == cell["best_score"]
        ),
    }


def _how_much_table(done: dict, datasets: tuple[str, ...]) -> pd.DataFrame:
    """BAEGAN's and SMOTE's best fraction per data set, against full balance.

    BAEGAN's row comes from the first of its modes that finished, the
    serial search without cache when it did.
    """
    baegan = [key for key, mode in MODES.items() if mode.sampler == "baegan"]
    rows = []
    for name in datasets:
        for sampler, keys in (("BAEGAN", baegan), ("SMOTE", ["smote"])):
            cells = [done.get((name, key)) for key in keys]
            ok = [c for c in cells if c is not None and c["status"] == "ok"]
            if not ok:
                continue
            rows.append(
                {
                    "data": name,
                    "sampler": sampler,
                    **_how_much_row(ok[0]),
                    "from mode": MODES[ok[0]["mode"]].label,
                }
            )
    return pd.DataFrame(rows, dtype=object)


def _describe_baegan(params: dict) -> str:
    """The training settings of ``params`` that the benchmark sets, as resolved."""
    resolved = fingerprint("baegan", params)["sampler_params"]
    text = f"{resolved['pretrain_epochs']}+{resolved['adversarial_epochs']} epochs"
    if resolved["image_shape"] is not None:
        text += f", conv_width {resolved['conv_width']}"
    else:
        text += f", hidden_dims {tuple(resolved['hidden_dims'])}"
    return text + f", latent_dim {resolved['latent_dim']}"


def _notes(cells: list[dict], settings: SearchSettings, missing: list[str]) -> list[str]:
    tables = [name for name in settings.datasets if name != "digits"]
    n_baegan = len(ParameterGrid(_grid("baegan", settings)))
    n_smote = len(ParameterGrid(_grid("smote", settings)))
    parallel = [c for c in cells if c["n_jobs"] > 1 and c.get("worker_threads")]
    worker_threads = sorted({t for c in parallel for t in c["worker_threads"]})
    errors = [
        f"{c['dataset']} / {MODES[c['mode']].label}: {c['error']}"
        for c in cells
        if c["status"] != "ok"
    ]
    return [
        "The question: a grid search over BAEGAN's generation-time settings (how much to "
        "generate, how to decode, which share of the new rows to generate) should cost one "
        "network training per fold, not one per candidate and fold. Without a cache, "
        f"GridSearchCV trains BAEGAN's networks again for each of the {n_baegan} candidates in "
        f"each of the {settings.n_splits} folds, and once more for the refit on all rows: "
        f"{n_baegan * settings.n_splits + 1} trainings. With BAEGANSampler(memory=folder) the "
        "networks depend only on the training rows, the training parameters and the seed, so "
        f"the cache trains once per fold and once for the refit: {settings.n_splits + 1} "
        "trainings, however many candidates the grid has.",
        f"Search: GridSearchCV over an imblearn Pipeline (sampler, StandardScaler and "
        f"LogisticRegression(max_iter=1000); the tables are standardised before the sampler, "
        f"as in the tabular benchmark), StratifiedKFold({settings.n_splits}, shuffle=True, "
        "random_state=0), scoring balanced accuracy, refit on all rows. BAEGAN's grid: "
        f"sampling_strategy=FractionOfMajority(f) for f in {list(settings.fractions)} (every "
        "class brought to at least that fraction of the majority's rows; 1.0 is full "
        f"balance) x decoding in {list(settings.decodings)} x generated_fraction in "
        f"{list(settings.generated_fractions)}, {n_baegan} candidates; SMOTE's: the same "
        f"fractions x k_neighbors in {list(settings.smote_k_neighbors)}, {n_smote} candidates. "
        "Both samplers have random_state=0.",
        "Data: imbalanced digits as 8x8 images (the image benchmark's training subset of "
        f"seed 0, class counts {list(digits_counts())}) and the KEEL tables "
        f"{', '.join(tables)}. BAEGAN on digits: {_describe_baegan(settings.image_baegan)}; "
        f"on the tables: {_describe_baegan(settings.table_baegan)}; every other parameter at "
        "its default (all of them under 'settings'). 'mean fit s' is GridSearchCV's mean "
        "time to fit a candidate's pipeline on a fold, network training included when it "
        "is not read from the cache.",
        "Trainings: without cache, counted from the grid (candidates x folds + 1 refit); with "
        "the cache, measured: the number of network entries (*.pt) the search wrote in a "
        "fresh, empty cache folder, one per training. Wall time is that of GridSearchCV.fit "
        "alone.",
        "Threads: the serial searches (n_jobs=1) run in the main process with "
        f"{settings.threads} torch thread(s) (--threads; by default the cores visible, as a "
        "user's serial search gets them); with n_jobs=2 each of the two loky "
        f"workers gets {'/'.join(map(str, worker_threads)) or 'threads // 2'} torch thread(s) "
        "(joblib's loky backend sets OMP_NUM_THREADS in its workers, here to threads // 2, "
        "as its default does with the cores), so both modes use the same cores. The workers "
        "are started, and have trained a tiny BAEGAN once, before the clock starts: a "
        "session's first parallel search also spends a few seconds starting them.",
        "Scores: 'mean_test_score' compares cv_results_['mean_test_score'] of every BAEGAN "
        "mode with the serial search without cache, candidate by candidate, for exact "
        "equality. The cache should change no score; n_jobs=2 runs torch with fewer threads "
        "per process, which can change the last bits of a training and so, rarely, a score.",
        "How much to generate: the fraction the search picked and its CV balanced accuracy, "
        "against full balance (fraction 1.0) with the same other settings; ties go to the "
        "first candidate in grid order, and 'fractions as good' lists every fraction that "
        "scored the same. A fraction below 'smallest class / majority' generates no row for "
        "that class (with one minority class: no row at all), so the search can also find "
        "that over-sampling does not help.",
        "Caveat: wall times depend on the hardware and on what else runs on it; the load "
        "average at the start of each search is in the cost table. On a shared machine, "
        "n_jobs=2 can only gain as far as a second core is free, and a serial search with "
        "more torch threads than free cores slows down many times over (its threads wait "
        "for each other): compare wall times only between searches run under the same load, "
        "on an otherwise idle machine.",
        "Missing cells: "
        + (", ".join(missing) if missing else "none")
        + ". Failed cells: "
        + ("; ".join(errors) if errors else "none")
        + ".",
        source_note(cells),
    ]


def _report(cache: CellCache, settings: SearchSettings, out_dir: Path, env: dict) -> list[Path]:
    keys = [(name, key) for name in settings.datasets for key in MODES]
    done = {key: cell for key in keys if (cell := cache.get(*key)) is not None}
    cells = list(done.values())
    missing = [f"{name} / {MODES[key].label}" for name, key in keys if (name, key) not in done]
    return write_results(
        out_dir,
        "search",
        title="Grid search over BAEGAN's generation settings: one training per fold",
        env=env,
        settings=settings.as_dict(),
        tables={
            "cost": _cost_table(done, settings.datasets),
            "scores_against_serial_without_cache": _consistency_table(done, settings.datasets),
            "how_much_to_generate": _how_much_table(done, settings.datasets),
        },
        notes=_notes(cells, settings, missing),
        cells=cells,
    )


def run_search(
    settings: SearchSettings,
    modes: list[str],
    cache_root: Path,
    out_dir: Path,
    env: dict,
    log=print,
    run_missing: bool = True,
) -> list[Path]:
    """Run every missing (data set, mode) cell of ``modes``, then write the results.

    Parameters
    ----------
    settings : SearchSettings
    modes : list of str
        Keys of :data:`MODES` whose missing cells to run, in the order of
        :data:`MODES` within each data set; the results show every cell done.
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
        "search",
        settings.cache_dict(),
        results=out_dir / "search.json",
        key_of=lambda cell: (cell["dataset"], cell["mode"]),
    )
    log(f"[search] cache {cache.folder}")
    warm = False
    for name in settings.datasets if run_missing else []:
        for key, mode in MODES.items():
            if key not in modes:
                continue
            stamp = fingerprint(mode.sampler, settings.baegan(name))
            if cache.get(name, key, fingerprint=stamp) is not None:
                continue
            if not warm:
                _warm_up()
                warm = True
            log(f"[search] {name} / {mode.label} ...")
            cell = _cell(name, key, settings)
            cache.put(cell, name, key, fingerprint=stamp)
            if cell["status"] == "ok":
                trainings = "" if cell["trainings"] is None else f"{cell['trainings']} trainings, "
                summary = (
                    f"{cell['seconds']:.1f} s, {trainings}best {cell['best_score']:.4f} at "
                    f"{_format_settings(cell['best_params'])}"
                )
            else:
                summary = cell["error"]
            log(f"[search] {name} / {mode.label}: {summary}")
            _report(cache, settings, out_dir, env)
    return _report(cache, settings, out_dir, env)
