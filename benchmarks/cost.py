"""Cost benchmark: time and memory of fit_resample, and how they grow.

Every cell times one sampler's fit_resample and measures its peak memory.
The cells make these tables (the keys of :data:`TABLES`):

* ``fit_resample``: every sampler on imbalanced digits, Fashion-MNIST
  (9,000 images) and one KEEL table;
* ``scaling_rows``: every deep sampler at its defaults and SMOTE on large,
  very imbalanced tables (20,000 to 1,280,000 rows, 0.5 % minority, 30
  columns): fit time, peak memory against input and output, and BAEGAN's
  time per training step against a hand-written torch loop of the same
  networks and batch;
* ``scaling_image_size``: how fit_resample grows with the image size;
* ``memory``: BAEGAN's peak memory against the input's own size, for uint8
  images of growing numbers of rows;
* ``categories``: BAEGAN on a table with a high-cardinality categorical
  column (10,000 values) against the same table with 100 values, or none;
* ``threads``: BAEGAN's fit alone and beside two busy processes, on the
  threads the package chooses and on all of torch's;
* ``large_quality``: test balanced accuracy on two large tables, the
  1,280,000-row table of ``scaling_rows`` and the 254,654-row AER Fertility
  table (categorical columns, 7.4 % in the minority), behind gradient
  boosting and logistic regression, for BAEGAN, SMOTE (SMOTENC) and no
  resampling;
* ``sparse``: BAEGAN's peak memory and fit time on a text-like sparse CSR
  matrix (20,000 x 30,000 at 0.1 % density), whose dense float64 copy
  would take 4.5 GiB.

In full mode each cell runs in a fresh process, so that its peak memory is
not hidden by memory an earlier cell left to the allocator.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time
from collections.abc import Collection
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from scipy import sparse

from imblearn_baegan import BAEGANSampler

from ._cache import CellCache
from ._cost_data import ROWS, large_data, load_cell_data, text_like
from ._cost_tables import (
    categories_table,
    charts,
    fit_table,
    memory_table,
    quality_table,
    rows_table,
    sparse_table,
    threads_table,
)
from ._data import (
    DEFAULT_FMNIST_PATH,
)
from ._env import limit_threads, package_source
from ._measure import MEMORY_METHOD, EpochCPUTimer, measure, resident_peak_mib
from ._plain_torch import package_step_seconds, plain_step_seconds
from ._report import source_note, write_results
from ._samplers import DEEP_SAMPLERS, IMAGE_SAMPLERS, make_sampler

__all__ = ["TABLES", "CostSettings", "cost_settings", "run_cost"]

#: Result table -> the ``table`` its cells record.
TABLES = {
    "fit_resample": "samplers",
    "scaling_rows": "rows",
    "scaling_image_size": "image_size",
    "memory": "memory",
    "sparse": "sparse",
    "categories": "categories",
    "threads": "threads",
    "large_quality": "large_quality",
}
#: Settings of the ``sparse`` table. Its cell's key names every one of them,
#: so they stay out of the settings hash: adding or changing them leaves
#: the cells of the other tables valid.
_SPARSE_SETTINGS = ("sparse_shape", "sparse_density", "sparse_minority_share", "sparse_epochs")
_SCALING_SAMPLERS = ("smote", "baegan", "deepsmote", "bagan", "cgan")
#: Settings of the tables added since the cost benchmark's settings were
#: hashed; their cells' keys name them, so the older cells stay valid.
_CATEGORY_COUNTS = (0, 100, 10_000)
_CATEGORY_ROWS = 20_000
_THREAD_CELLS = [(threads, load) for threads in ("auto", "all") for load in ("idle", "busy")]
# Batches the hand-written reference loop times per phase.
_PLAIN_STEPS = 300


@dataclass(frozen=True)
class CostSettings:
    """What the cost cells measure; see :func:`cost_settings`.

    ``baegan`` holds BAEGANSampler parameters that differ from its defaults
    (none in full mode).
    """

    fit_resample_data: tuple[str, ...]
    tabular_dataset: str = "abalone19"
    baegan: dict = field(default_factory=dict)
    rows: tuple[int, ...] = (20_000, 80_000, 320_000, 1_280_000)
    image_sizes: tuple[int, ...] = (8, 16, 28, 32, 64)
    image_size_epochs: tuple[int, int] = (2, 2)
    image_size_data: str = "fmnist"
    image_size_scale: float = 0.25
    memory_rows: tuple[int, ...] = (2_000, 8_000, 32_000, 128_000)
    memory_epochs: tuple[int, int] = (1, 1)
    memory_image_side: int = 28
    memory_minority_share: float = 0.25
    isolate: bool = True
    threads: int = 1
    fmnist_path: str = DEFAULT_FMNIST_PATH
    sparse_shape: tuple[int, int] = (20_000, 30_000)
    sparse_density: float = 0.001
    sparse_minority_share: float = 0.05
    sparse_epochs: tuple[int, int] = (1, 1)

    def cache_dict(self) -> dict:
        """The settings every cell depends on: all but ``fmnist_path`` and the sparse ones.

        Where this machine keeps Fashion-MNIST changes no result, and a
        folder of one machine in the key (and in the committed result file)
        would keep another machine from resuming from the result file. The
        settings of the ``sparse`` table are in its cell's key instead.
        """
        settings = asdict(self)
        del settings["fmnist_path"]
        for name in _SPARSE_SETTINGS:
            del settings[name]
        return settings

    def as_dict(self) -> dict:
        """Plain dict for JSON: every setting but ``fmnist_path``, and how memory is measured."""
        sparse_settings = {name: getattr(self, name) for name in _SPARSE_SETTINGS}
        return {**self.cache_dict(), **sparse_settings, "memory_method": MEMORY_METHOD}


def cost_settings(quick: bool, threads: int, fmnist_path: str) -> CostSettings:
    """Full settings, or tiny in-process ones for ``--quick``.

    Full: BAEGAN's default epochs for fit_resample and the row scaling,
    2+2 epochs for the image sizes (on a quarter-size Fashion-MNIST subset,
    2,251 images), 1+1 epochs for the memory, which does not grow with them,
    and for the sparse matrix, whose fit would take about 25 CPU minutes at
    the default 20+20 epochs.
    """
    if quick:
        return CostSettings(
            fit_resample_data=("digits", "tabular"),
            tabular_dataset="new_thyroid1",
            baegan={"pretrain_epochs": 1, "adversarial_epochs": 1, "epochs": 1, "conv_width": 8},
            rows=(2_000, 8_000),
            image_sizes=(8, 16),
            image_size_epochs=(1, 1),
            image_size_data="digits",
            memory_rows=(200, 400),
            isolate=False,
            sparse_shape=(300, 2_000),
            sparse_density=0.01,
            threads=threads,
            fmnist_path=fmnist_path,
        )
    return CostSettings(
        fit_resample_data=("digits", "tabular", "fmnist"),
        threads=threads,
        fmnist_path=fmnist_path,
    )


def _csr_bytes(X) -> int:
    """Bytes of a sparse matrix's stored arrays."""
    X = X.tocsr()
    return X.data.nbytes + X.indices.nbytes + X.indptr.nbytes


def _baegan_params(settings: CostSettings, image_shape) -> dict:
    params = dict(settings.baegan)
    if image_shape is None:
        params.pop("conv_width", None)
    else:
        params["image_shape"] = image_shape
    return params


# -- cells ------------------------------------------------------------------


def _fit_resample_cell(spec: dict) -> dict:
    """Time and memory of one sampler's fit_resample (runs in the worker)."""
    settings = CostSettings(**spec["settings"])
    X, y, image_shape = load_cell_data(spec["data"], settings)
    # Quick mode's tiny epochs win over a cell's own settings.
    params = {**spec.get("params", {}), **_baegan_params(settings, image_shape)}
    if spec.get("epochs"):
        params["pretrain_epochs"], params["adversarial_epochs"] = spec["epochs"]
    params["callbacks"] = [EpochCPUTimer()]
    sampler = make_sampler(spec["sampler"], 0, params)
    cell = {**spec, "n_rows": len(y), "n_features": X.shape[1]}
    cell.pop("settings")
    if spec["sampler"] in DEEP_SAMPLERS:
        # What the fit ran with, so that a report can tell the defaults of the day.
        cell["sampler_params"] = {
            k: v
            for k, v in sorted(sampler.get_params().items())
            if k not in ("random_state", "callbacks")
        }
    try:
        (X_res, _), seconds, cpu_seconds, peak = measure(lambda: sampler.fit_resample(X, y))
    except Exception as exc:  # a failing sampler is a result, not a crash
        return {**cell, "status": "error", "error": f"{type(exc).__name__}: {exc}"}
    cell.update(
        status="ok",
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        peak_mib=peak,
        n_rows_out=len(X_res),
        input_bytes=_nbytes(X),
        output_bytes=_nbytes(X_res),
    )
    if hasattr(sampler, "pretrain_epochs_"):
        # What "auto" resolved to on this data.
        cell["epochs_run"] = [sampler.pretrain_epochs_, sampler.adversarial_epochs_]
    if hasattr(sampler, "net_"):
        history = sampler.net_.history
        # Nets of one phase (the conditional GAN's) record none.
        for phase in ("pretrain", "adversarial"):
            epochs = [e for e in history if e.get("phase", "pretrain") == phase]
            if epochs:
                rows = statistics.median(len(e["batches"]) for e in epochs) * sampler.batch_size
                seconds = statistics.median(e["cpu_dur"] for e in epochs)
                cell[f"{phase}_samples_per_s"] = rows / seconds
    if spec["table"] == "rows" and spec["sampler"] == "baegan":
        # The same networks and batch in a hand-written loop, in this process.
        sample = X[:50_000]
        units = torch.from_numpy(sampler._rows.transform(sample))
        c = torch.as_tensor(np.searchsorted(sampler.classes_, y[: len(sample)]))
        cell["step_cpu_seconds"] = package_step_seconds(sampler.net_)
        cell["plain_step_cpu_seconds"] = plain_step_seconds(sampler.net_, units, c, _PLAIN_STEPS)
    return cell


def _nbytes(X) -> int:
    if hasattr(X, "memory_usage"):
        return int(X.memory_usage(deep=True, index=False).sum())
    return int(X.nbytes)


def _spin(seconds: float) -> None:
    """Keep one core busy, as another single-threaded job would."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def _threads_cell(spec: dict) -> dict:
    """BAEGAN's fit on imbalanced digits, alone or beside two busy processes (runs in the worker).

    ``threads="auto"`` lets the package size the threads; ``"all"`` gives
    every fit all of torch's threads, as the package did before it counted
    a step's work.
    """
    from imblearn_baegan._base_net import BaseGenerativeNet

    from ._data import imbalanced_digits

    X, y = imbalanced_digits(0)
    before, sized = torch.get_num_threads(), BaseGenerativeNet._threads_wanted
    torch.set_num_threads(os.cpu_count() or 1)
    if spec["threads"] == "all":
        BaseGenerativeNet._threads_wanted = lambda self, X, y: None
    params = {"image_shape": (1, 8, 8), **_baegan_params(CostSettings(**spec["settings"]), None)}
    params["pretrain_epochs"], params["adversarial_epochs"] = spec["epochs"]
    sampler = make_sampler("baegan", 0, params)
    busy = []
    if spec["load"] == "busy":
        busy = [multiprocessing.Process(target=_spin, args=(3600,)) for _ in range(2)]
        for process in busy:
            process.start()
    try:
        _, seconds, cpu_seconds, _ = measure(lambda: sampler.fit_resample(X, y))
    finally:
        for process in busy:
            process.terminate()
        BaseGenerativeNet._threads_wanted = sized
        torch.set_num_threads(before)
    cell = {k: v for k, v in spec.items() if k != "settings"}
    return {
        **cell,
        "status": "ok",
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "torch_threads": torch.get_num_threads(),
        "n_rows": len(y),
    }


def _sparse_cell(spec: dict) -> dict:
    """Time and memory of BAEGAN's fit_resample on a text-like CSR matrix (runs in the worker)."""
    settings = CostSettings(**spec["settings"])
    X, y = text_like(settings)
    params = _baegan_params(settings, None)
    params["pretrain_epochs"], params["adversarial_epochs"] = spec["epochs"]
    params["callbacks"] = [EpochCPUTimer()]
    sampler = make_sampler(spec["sampler"], 0, params)
    # A sparse matrix is a table: the table defaults.
    defaults = BAEGANSampler._auto_defaults["tables"]
    cell = {k: v for k, v in spec.items() if k != "settings"}
    cell.update(
        n_rows=X.shape[0],
        n_features=X.shape[1],
        stored=int(X.nnz),
        input_bytes=_csr_bytes(X),
        dense_bytes=X.shape[0] * X.shape[1] * np.dtype(np.float64).itemsize,
        minority_rows=int(np.sum(y == 1)),
        default_epochs=[defaults["pretrain_epochs"], defaults["adversarial_epochs"]],
    )
    try:
        (X_res, _), seconds, cpu_seconds, peak = measure(lambda: sampler.fit_resample(X, y))
    except Exception as exc:  # e.g. a memory error: a result, not a crash
        return {**cell, "status": "error", "error": f"{type(exc).__name__}: {exc}"}
    resident = resident_peak_mib()
    history = sampler.net_.history
    n_generated = sampler._n_generated(sampler.sampling_strategy_[1])
    generated = X_res.tocsr()[len(y) : len(y) + n_generated]
    cell.update(
        status="ok",
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        peak_mib=peak,
        resident_peak_mib=resident,
        output_sparse=bool(sparse.issparse(X_res)),
        output_format=getattr(X_res, "format", None),
        n_rows_out=X_res.shape[0],
        output_stored=int(X_res.nnz),
        output_bytes=_csr_bytes(X_res),
        generated_rows=int(n_generated),
        stored_per_generated_row=generated.nnz / max(n_generated, 1),
        stored_per_minority_row=X[y == 1].nnz / max(int(np.sum(y == 1)), 1),
        epoch_cpu_seconds={
            phase: [e["cpu_dur"] for e in history if e["phase"] == phase]
            for phase in ("pretrain", "adversarial")
        },
    )
    return cell


def _quality_cell(spec: dict) -> dict:
    """Test balanced accuracy of two classifiers after one sampler on a large table (worker)."""
    from imblearn import FunctionSampler
    from imblearn.over_sampling import SMOTENC
    from sklearn.metrics import balanced_accuracy_score

    from .mixed import _classifiers

    X_train, X_test, y_train, y_test, categorical = large_data(spec["data"])
    frame = hasattr(X_train, "columns")
    if frame:
        numeric = [c for c in X_train.columns if c not in categorical]
        classifiers = _classifiers(categorical, numeric)
    else:
        classifiers = _classifiers([], list(range(X_train.shape[1])))
    key = spec["sampler"]
    if key == "smote" and categorical:
        sampler = SMOTENC(categorical_features=categorical, random_state=0)
    elif key == "none":
        # The identity must pass the strings of categorical columns through.
        sampler = FunctionSampler(validate=False)
    else:
        sampler = make_sampler(key, 0, _baegan_params(CostSettings(**spec["settings"]), None))
    (X_res, y_res), seconds, cpu_seconds, peak = measure(
        lambda: sampler.fit_resample(X_train, y_train)
    )
    scores = {}
    for name, classifier in classifiers.items():
        classifier.fit(X_res if frame else pd.DataFrame(X_res), y_res)
        test = X_test if frame else pd.DataFrame(X_test)
        scores[name] = float(balanced_accuracy_score(y_test, classifier.predict(test)))
    cell = {k: v for k, v in spec.items() if k != "settings"}
    return {
        **cell,
        "status": "ok",
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_mib": peak,
        "n_rows": len(y_train),
        "minority_share": float(y_train.mean()),
        "balanced_accuracy": scores,
    }


def _run_cell(spec: dict) -> dict:
    """The cell of ``spec``, by its kind (runs in the worker)."""
    kinds = {"sparse": _sparse_cell, "threads": _threads_cell, "quality": _quality_cell}
    return kinds.get(spec["kind"], _fit_resample_cell)(spec)


def _fingerprint(spec: dict) -> dict:
    """Cells that train BAEGAN's networks are redone when the package changes."""
    if spec["sampler"] not in DEEP_SAMPLERS:
        return {}
    return {"package_sha256": package_source()["sha256"]}


# -- report -----------------------------------------------------------------


def _cell_specs(settings: CostSettings) -> list[tuple[tuple, dict]]:
    """Every cell as ``(key, spec)``, in the order it runs: cheap and headline cells first."""
    size_epochs, memory_epochs = list(settings.image_size_epochs), list(settings.memory_epochs)
    # (key, table, data, sampler, epochs or None for the sampler's own)
    cells = [
        *(
            (("fit_resample", data, key), "samplers", data, key, None)
            for data in settings.fit_resample_data
            for key in IMAGE_SAMPLERS
        ),
        *(
            (("rows", n, key), "rows", f"rows:{n}", key, None)
            for n in settings.rows
            for key in _SCALING_SAMPLERS
        ),
        *(
            (("size", size, key), "image_size", f"size:{size}", key, size_epochs)
            for size in settings.image_sizes
            for key in ("smote", "baegan")
        ),
        *(
            (("memory", n, "baegan"), "memory", f"uint8:{n}", "baegan", memory_epochs)
            for n in settings.memory_rows
        ),
        *(
            (
                ("categories", rows, k, "baegan"),
                "categories",
                f"categories:{rows}:{k}",
                "baegan",
                None,
            )
            for rows in [_CATEGORY_ROWS if settings.isolate else 2_000]
            for k in _CATEGORY_COUNTS
        ),
    ]
    base = {"settings": asdict(settings), "kind": "fit_resample"}
    specs = []
    for key, table, data, sampler, epochs in cells:
        spec = {**base, "data": data, "sampler": sampler, "table": table}
        if epochs:
            spec["epochs"] = epochs
        specs.append((key, spec))
    large = [f"rows:{max(settings.rows)}", "fertility"] if settings.isolate else ["rows:8000"]
    for data in large:
        for sampler in ("none", "smote", "baegan"):
            spec = {
                **base,
                "kind": "quality",
                "data": data,
                "sampler": sampler,
                "table": "large_quality",
            }
            specs.append((("large_quality", data, sampler), spec))
    for threads, load in _THREAD_CELLS:
        spec = {
            **base,
            "kind": "threads",
            "data": "digits",
            "sampler": "baegan",
            "table": "threads",
            "threads": threads,
            "load": load,
            "epochs": [3, 3],
        }
        specs.append((("threads", threads, load), spec))
    n_rows, n_features = settings.sparse_shape
    epochs = list(settings.sparse_epochs)
    shape = f"{n_rows}x{n_features}"
    key = (
        "sparse",
        shape,
        settings.sparse_density,
        settings.sparse_minority_share,
        f"{epochs[0]}+{epochs[1]}",
        "baegan",
    )
    spec = {
        **base,
        "kind": "sparse",
        "data": f"csr:{shape}",
        "sampler": "baegan",
        "table": "sparse",
        "epochs": epochs,
    }
    specs.append((key, spec))
    return specs


def _report(cache: CellCache, settings: CostSettings, out_dir: Path, env: dict) -> list[Path]:
    # In the order the cells run, which groups them by data set and sampler.
    cells = [cache.get(*key) for key, _ in _cell_specs(settings)]
    cells = [c for c in cells if c is not None]
    tables = {
        "fit_resample": fit_table(cells, "samplers"),
        "scaling_rows": rows_table(cells),
        "scaling_image_size": fit_table(cells, "image_size"),
        "memory": memory_table(cells),
        "sparse": sparse_table(cells),
        "categories": categories_table(cells),
        "threads": threads_table(cells),
        "large_quality": quality_table(cells),
    }
    done = {tuple(c["key"]) for c in cells}
    missing = [" / ".join(map(str, key)) for key, _ in _cell_specs(settings) if key not in done]
    fmnist = [
        c
        for c in cells
        if c.get("table") == "samplers"
        and c["data"] == "fmnist"
        and c["sampler"] == "baegan"
        and c["status"] == "ok"
    ]
    headline = (
        f"Default BAEGANSampler fit_resample on imbalanced Fashion-MNIST ({fmnist[0]['n_rows']} "
        f"images): {fmnist[0]['seconds']:.1f} s wall, {fmnist[0]['cpu_seconds']:.1f} s CPU."
        if fmnist
        else "Default BAEGANSampler fit_resample on Fashion-MNIST: not measured in this run."
    )
    notes = [
        "Time: 'seconds' is wall time, 'CPU seconds' the process's CPU time "
        "(time.process_time). The machine is shared, so wall time includes waiting for "
        "the CPU; with one thread per process, CPU time is what the work costs on an idle "
        "core. Rates per CPU second come from a skorch callback timing each epoch's CPU "
        "time (EpochCPUTimer). 'epochs' is what a deep sampler's fit trained for (one "
        "number, or pre-training + adversarial); 'not recorded' marks cells measured before "
        "the cells recorded their parameters, at the defaults of the version named in the "
        "source note.",
        f"Memory: {MEMORY_METHOD}. "
        + (
            "Each fit_resample cell ran in a fresh process."
            if settings.isolate
            else "Quick mode: all cells in one process, so peak memory is only indicative."
        ),
        headline,
        f"Scaling with rows: make_classification ({ROWS['features']} features, "
        f"{ROWS['minority_share']:.1%} minority), every deep sampler at its defaults, each "
        "cell in a fresh process. 'peak minus output MiB' is what the fit holds beyond its "
        "own output (the input existed before the call). BAEGAN's 'step ms' is the median "
        "CPU time of a training step in the fit (an epoch's CPU time over its batches); "
        "'/ plain torch' divides it by the step of a hand-written loop over copies of the "
        f"same networks, losses and batch size, {_PLAIN_STEPS} steps per phase in the same "
        "process after the fit (benchmarks/_plain_torch.py).",
        f"Scaling with image size: Fashion-MNIST subset resized, BAEGAN "
        f"{settings.image_size_epochs[0]}+{settings.image_size_epochs[1]} epochs.",
        f"Categories: make_classification ({_CATEGORY_ROWS:,} rows, 10 numeric columns, 5% "
        "minority) and one categorical column whose values follow a Zipf-like distribution, "
        "BAEGAN at its defaults (max_categories=64: the column gets at most 64 units).",
        "Large quality: each table split once, 80% to train and 20% to test, stratified; "
        "BAEGAN and SMOTE (SMOTENC on the Fertility table's categorical columns) at their "
        "defaults; gradient boosting with native categories and logistic regression on "
        "one-hot and standardised columns, the mixed-type benchmark's classifiers. One split "
        "and one seed: read differences below a few thousandths as noise.",
        "Threads: BAEGAN at its defaults but 3+3 epochs on the README's imbalanced digits (8x8 "
        "images), "
        "torch allowed every core; alone, and beside two processes that each keep a core "
        "busy, with the threads the package chooses or all of torch's.",
        f"Memory against input size: random uint8 images of "
        f"{settings.memory_image_side}x{settings.memory_image_side} pixels (the pixel values do "
        f"not change the cost), a {settings.memory_minority_share:g} share of the rows in the "
        f"minority class, BAEGAN {settings.memory_epochs[0]}+{settings.memory_epochs[1]} epochs; "
        "'input MiB' is the input's own size (rows x features x 1 byte), 'peak / input' the "
        "peak memory over it, resampled output included; 'marginal peak / input' is the "
        "growth of the peak over the growth of the input from the previous size.",
        _sparse_note(settings),
        f"Threads: {settings.threads} per process. Missing cells: "
        + (", ".join(missing) if missing else "none")
        + ".",
        source_note(cells),
    ]
    paths = write_results(
        out_dir,
        "cost",
        title="Cost benchmark",
        env=env,
        settings=settings.as_dict(),
        tables=tables,
        notes=notes,
        cells=cells,
    )
    paths += charts(tables, cells, out_dir, env)
    return paths


def _sparse_note(settings: CostSettings) -> str:
    n_rows, n_features = settings.sparse_shape
    pre, adv = settings.sparse_epochs
    return (
        f"Sparse: BAEGANSampler at its defaults but {pre}+{adv} epochs on a text-like CSR "
        f"matrix of {n_rows:,} x {n_features:,} float64 values at {settings.sparse_density:g} "
        f"density (TF-IDF-like, non-negative: Zipf-distributed words, a "
        f"{settings.sparse_minority_share:g} share of the rows in a minority class with a "
        "topic of its own), in a fresh process. Memory does not depend on the number of "
        "epochs (the same networks, batches and chunks in every epoch), so fewer epochs "
        "than the default keep the cell short; 'CPU s at default epochs (estimated)' "
        "scales the measured median epochs to the defaults. 'peak MiB' is what the call "
        "added, as in the other tables; 'peak resident MiB' is the process's peak "
        "resident set during the call in absolute terms (torch, the input and the output "
        "included); 'dense float64 MiB' is what the matrix would take densified, for "
        "contrast. 'values per generated row' against 'values per minority row': the "
        "generated rows keep the class's mean number of stored values."
    )


def run_cost(
    settings: CostSettings,
    cache_root: Path,
    out_dir: Path,
    env: dict,
    log=print,
    run_missing: bool = True,
    tables: Collection[str] | None = None,
    samplers: Collection[str] | None = None,
) -> list[Path]:
    """Run every missing cost cell, then write the results.

    Parameters
    ----------
    settings : CostSettings
    cache_root : Path
    out_dir : Path
    env : dict
    log : callable, default=print
    run_missing : bool, default=True
        ``False`` runs no cell: the results are rewritten from the cells
        already in the cache, stale ones included (their notes say so).
    tables : collection of str or None, default=None
        Keys of :data:`TABLES` whose missing cells to run; ``None`` runs
        them all. The results show every cell done, whichever table it is in.
    samplers : collection of str or None, default=None
        Sampler keys whose missing cells to run; ``None`` runs them all.

    Returns
    -------
    paths : list of Path
    """
    chosen = {TABLES[name] for name in (TABLES if tables is None else tables)}
    # The hash covers the settings only, not the prose of the report.
    cache = CellCache(
        cache_root,
        "cost",
        settings.cache_dict(),
        results=out_dir / "cost.json",
        key_of=lambda cell: tuple(cell["key"]),
    )
    log(f"[cost] cache {cache.folder}")
    pool = None
    if settings.isolate:
        pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            max_tasks_per_child=1,
            initializer=limit_threads,
            initargs=(settings.threads,),
        )
    try:
        for key, spec in _cell_specs(settings) if run_missing else []:
            if spec["table"] not in chosen or (samplers and spec["sampler"] not in samplers):
                continue
            stamp = _fingerprint(spec)
            if cache.get(*key, fingerprint=stamp) is not None:
                continue
            log(f"[cost] {' / '.join(map(str, key))} ...")
            try:
                cell = pool.submit(_run_cell, spec).result() if pool else _run_cell(spec)
            except Exception as exc:  # e.g. the worker ran out of memory
                cell = {k: v for k, v in spec.items() if k != "settings"}
                cell.update(status="error", error=f"{type(exc).__name__}: {exc}")
            cell["key"] = list(key)
            cache.put(cell, *key, fingerprint=stamp)
            _report(cache, settings, out_dir, env)
    finally:
        if pool:
            pool.shutdown()
    return _report(cache, settings, out_dir, env)
