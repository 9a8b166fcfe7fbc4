"""Cost benchmark: time and memory of fit_resample, training throughput, scaling.

Cells:

* ``fit_resample``: wall and CPU time and peak memory of every sampler on imbalanced
  digits, Fashion-MNIST (9,000 images) and one KEEL table;
* ``throughput``: BAEGAN's samples/s per phase through skorch
  (:class:`~imblearn_baegan.BAEGANNet`) against a plain-torch loop training
  the same networks, alternating in one process;
* ``loading``: batches sliced from device tensors (what BAEGANNet does)
  against skorch's default DataLoader over a skorch Dataset;
* ``rows`` and ``image_size``: how fit_resample grows with the number of
  rows and with the image size.

In full mode each fit_resample cell runs in a fresh process, so that its
peak memory is not hidden by memory an earlier cell left to the allocator.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import make_classification
from sklearn.preprocessing import StandardScaler

from ._cache import CellCache
from ._data import (
    DEFAULT_FMNIST_PATH,
    FMNIST_COUNTS,
    imbalanced_subset,
    load_digits_split,
    load_fashion_mnist,
    load_keel,
)
from ._dataloader_net import DataLoaderBAEGANNet
from ._env import limit_threads, package_source
from ._measure import MEMORY_METHOD, EpochCPUTimer, measure
from ._plain_torch import train_plain_torch
from ._plots import bar_chart, line_chart
from ._report import source_note, write_results
from ._samplers import DEEP_SAMPLERS, LABELS, SAMPLERS, make_sampler

__all__ = ["CostSettings", "cost_settings", "run_cost"]

_DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
_LOSS_KEYS = ("reconstruction_loss", "discriminator_loss", "generator_loss")
_SCALING_SAMPLERS = ("ros", "smote", "borderline_smote", "adasyn", "baegan")


@dataclass(frozen=True)
class CostSettings:
    """What the cost cells measure; see :func:`cost_settings`.

    ``baegan`` holds BAEGANSampler parameters that differ from its defaults
    (none in full mode).
    """

    fit_resample_data: tuple[str, ...]
    tabular_dataset: str = "abalone19"
    baegan: dict = field(default_factory=dict)
    throughput_data: tuple[str, ...] = ("fmnist", "tabular")
    throughput_epochs: tuple[int, int] = (3, 3)
    throughput_rounds: int = 3
    rows: tuple[int, ...] = (1_000, 4_000, 16_000, 64_000)
    image_sizes: tuple[int, ...] = (8, 16, 28, 32, 64)
    image_size_epochs: tuple[int, int] = (2, 2)
    image_size_data: str = "fmnist"
    image_size_scale: float = 0.25
    isolate: bool = True
    threads: int = 1
    fmnist_path: str = DEFAULT_FMNIST_PATH

    def as_dict(self) -> dict:
        """Plain dict for JSON."""
        settings = asdict(self)
        settings["memory_method"] = MEMORY_METHOD
        return settings


def cost_settings(quick: bool, threads: int, fmnist_path: str) -> CostSettings:
    """Full settings, or tiny in-process ones for ``--quick``.

    Full: BAEGAN's default epochs for fit_resample and the row scaling,
    3+3 epochs x 3 alternating rounds for the throughput, 2+2 epochs for
    the image sizes (on a quarter-size Fashion-MNIST subset, 2,151 images).
    """
    if quick:
        return CostSettings(
            fit_resample_data=("digits", "tabular"),
            tabular_dataset="new_thyroid1",
            baegan={"pretrain_epochs": 1, "adversarial_epochs": 1, "conv_width": 8},
            throughput_data=("digits", "tabular"),
            throughput_epochs=(1, 1),
            throughput_rounds=1,
            rows=(1_000, 4_000),
            image_sizes=(8, 16),
            image_size_epochs=(1, 1),
            image_size_data="digits",
            isolate=False,
            threads=threads,
            fmnist_path=fmnist_path,
        )
    return CostSettings(
        fit_resample_data=("digits", "tabular", "fmnist"),
        threads=threads,
        fmnist_path=fmnist_path,
    )


# -- data -------------------------------------------------------------------


def _load(name: str, settings: CostSettings) -> tuple[np.ndarray, np.ndarray, tuple | None]:
    """Training data of a cost cell: ``(X, y, image_shape)``."""
    if name == "tabular":
        X, y, _ = load_keel(settings.tabular_dataset)
        return StandardScaler().fit_transform(X), y, None
    if name == "digits":
        data = load_digits_split()
    elif name == "fmnist":
        data = load_fashion_mnist(settings.fmnist_path)
    elif name.startswith("rows:"):
        X, y = make_classification(
            n_samples=int(name[5:]),
            n_features=20,
            n_informative=10,
            weights=[0.9],
            random_state=0,
        )
        return X, y, None
    elif name.startswith("size:"):
        return _resized_images(int(name[5:]), settings)
    else:
        raise KeyError(name)
    index = imbalanced_subset(data.y_pool, data.counts, 0)
    return data.X_pool[index], data.y_pool[index], data.image_shape


def _resized_images(size: int, settings: CostSettings):
    """An imbalanced image subset resized to size x size.

    Fashion-MNIST with its counts scaled by ``image_size_scale``, or digits
    at their own counts (quick mode).
    """
    if settings.image_size_data == "fmnist":
        data = load_fashion_mnist(settings.fmnist_path)
        counts = [max(2, round(n * settings.image_size_scale)) for n in FMNIST_COUNTS]
    else:
        data = load_digits_split()
        counts = list(data.counts)
    index = imbalanced_subset(data.y_pool, tuple(counts), 0)
    images = torch.as_tensor(data.X_pool[index]).view(-1, *data.image_shape)
    resized = torch.nn.functional.interpolate(
        images, size=(size, size), mode="bilinear", antialias=size < images.shape[-1]
    ).clamp(0, 1)
    return resized.flatten(1).numpy(), data.y_pool[index], (1, size, size)


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
    X, y, image_shape = _load(spec["data"], settings)
    params = _baegan_params(settings, image_shape)
    if spec.get("epochs"):
        params["pretrain_epochs"], params["adversarial_epochs"] = spec["epochs"]
    params["callbacks"] = [EpochCPUTimer()]
    sampler = make_sampler(spec["sampler"], 0, params)
    cell = {**spec, "n_rows": len(y), "n_features": X.shape[1]}
    cell.pop("settings")
    try:
        (X_res, _), seconds, cpu_seconds, peak = measure(lambda: sampler.fit_resample(X, y))
    except Exception as exc:  # a failing sampler is a result, not a crash
        return {**cell, "status": "error", "error": f"{type(exc).__name__}: {exc}"}
    cell.update(
        status="ok", seconds=seconds, cpu_seconds=cpu_seconds, peak_mib=peak, n_rows_out=len(X_res)
    )
    if hasattr(sampler, "net_"):
        history = sampler.net_.history
        for phase in ("pretrain", "adversarial"):
            durations = [e["cpu_dur"] for e in history if e["phase"] == phase]
            if durations:
                cell[f"{phase}_samples_per_s"] = len(y) / statistics.median(durations)
    return cell


def _scaled(X: np.ndarray, image_shape) -> np.ndarray:
    """[0, 1] scaling as BAEGANSampler does it (per column for tables)."""
    from imblearn_baegan._scaling import MinMaxScaling

    return MinMaxScaling(per_column=image_shape is None).fit(X).transform(X)


def _unfitted_net(
    X, y, image_shape, settings: CostSettings, epochs: tuple[int, int], net_class=None
):
    """The BAEGANNet BAEGANSampler would train on ``X``, with ``epochs``."""
    pretrain, adversarial = epochs
    params = {
        **_baegan_params(settings, image_shape),
        "pretrain_epochs": pretrain,
        "adversarial_epochs": adversarial,
        "callbacks": [EpochCPUTimer()],
    }
    sampler = make_sampler("baegan", 0, params)
    # _build_net is private; the benchmark uses it so that every comparison
    # trains exactly the net the sampler would build.
    net = sampler._build_net(X.shape[1], np.bincount(y), _DEVICE)
    if net_class is not None:
        net = net_class(**net.get_params(deep=False), iterator_train__shuffle=True)
    return net


def _phase_rates(runs: list[list[dict]], n_rows: int, skip_first: bool, clock: str) -> dict:
    """Samples/s per phase: the median epoch over runs, the first epoch of
    each run's phase left out as warm-up when ``skip_first``; ``clock`` is
    ``"dur"`` (wall time) or ``"cpu_dur"`` (CPU time)."""
    rates = {}
    for phase in ("pretrain", "adversarial"):
        durations = []
        for run in runs:
            run_durations = [e[clock] for e in run if e["phase"] == phase]
            durations += (
                run_durations[1:] if skip_first and len(run_durations) > 1 else run_durations
            )
        if durations:
            rates[phase] = n_rows / statistics.median(durations)
    return rates


def _skorch_epochs(net, X, c) -> list[dict]:
    """Train ``net`` from seed 0; per epoch: phase, seconds and mean losses."""
    torch.manual_seed(0)
    net.fit(X, c)
    keys = ("phase", "dur", "cpu_dur", *_LOSS_KEYS)
    # Losses a phase does not compute are absent or None, depending on the
    # package version.
    return [{k: epoch[k] for k in keys if epoch.get(k) is not None} for epoch in net.history]


def _loss_mismatch(a: list[dict], b: list[dict]) -> float:
    """Largest relative difference between the epoch losses of two runs."""
    worst = 0.0
    for epoch_a, epoch_b in zip(a, b, strict=True):
        for key in _LOSS_KEYS:
            if key in epoch_a or key in epoch_b:
                x, y = epoch_a[key], epoch_b[key]
                worst = max(worst, abs(x - y) / max(abs(x), abs(y), 1e-12))
    return worst


def _throughput_cell(spec: dict) -> dict:
    """skorch vs plain torch, alternating rounds in this one process."""
    settings = CostSettings(**spec["settings"])
    X, y, image_shape = _load(spec["data"], settings)
    X = _scaled(X, image_shape)
    Xt = torch.as_tensor(X, device=_DEVICE)
    ct = torch.as_tensor(y, dtype=torch.long, device=_DEVICE)
    runs = {"skorch": [], "plain_torch": []}
    mismatch = 0.0
    for _ in range(settings.throughput_rounds):
        net = _unfitted_net(X, y, image_shape, settings, settings.throughput_epochs)
        skorch_run = _skorch_epochs(net, X, y)
        torch.manual_seed(0)
        net = _unfitted_net(X, y, image_shape, settings, settings.throughput_epochs)
        plain_run = train_plain_torch(net, Xt, ct)
        mismatch = max(mismatch, _loss_mismatch(skorch_run, plain_run))
        runs["skorch"].append(skorch_run)
        runs["plain_torch"].append(plain_run)
    skip = min(settings.throughput_epochs) > 1
    rates = {
        f"{k} {clock}": _phase_rates(v, len(y), skip, clock)
        for k, v in runs.items()
        for clock in ("dur", "cpu_dur")
    }
    return {
        "kind": "throughput",
        "data": spec["data"],
        "n_rows": len(y),
        "status": "ok",
        "epochs": runs,
        "samples_per_s": rates,
        "loss_mismatch": mismatch,
    }


def _loading_cell(spec: dict) -> dict:
    """Slicing device tensors against skorch's DataLoader: iteration alone, then training."""
    settings = CostSettings(**spec["settings"])
    X, y, image_shape = _load(spec["data"], settings)
    X = _scaled(X, image_shape)
    out = {"kind": "loading", "data": spec["data"], "n_rows": len(y), "status": "ok"}
    for name, net_class in (("slicing", None), ("dataloader", DataLoaderBAEGANNet)):
        net = _unfitted_net(X, y, image_shape, settings, settings.throughput_epochs, net_class)
        dataset = net.get_dataset(X, y)
        times = []
        for _ in range(5):
            start = time.process_time()
            for batch in net.get_iterator(dataset, training=True):
                _ = batch[0].sum()  # touch the data as a training step would
            times.append(time.process_time() - start)
        out[f"{name}_iteration_samples_per_s"] = len(y) / statistics.median(times)
        rates = _phase_rates(
            [_skorch_epochs(net, X, y)], len(y), min(settings.throughput_epochs) > 1, "cpu_dur"
        )
        for phase, rate in rates.items():
            out[f"{name}_{phase}_samples_per_s"] = rate
    return out


_CELL_FUNCTIONS = {
    "fit_resample": _fit_resample_cell,
    "throughput": _throughput_cell,
    "loading": _loading_cell,
}


def _run_cell(spec: dict) -> dict:
    """Entry point of a cell, in this process or a fresh worker."""
    return _CELL_FUNCTIONS[spec["kind"]](spec)


def _fingerprint(spec: dict) -> dict:
    """Cells that train BAEGAN's networks are redone when the package changes."""
    if spec["kind"] == "fit_resample" and spec["sampler"] not in DEEP_SAMPLERS:
        return {}
    return {"package_sha256": package_source()["sha256"]}


# -- report -----------------------------------------------------------------


def _cell_specs(settings: CostSettings) -> list[tuple[tuple, dict]]:
    """Every cell, in the order it runs: cheap and headline cells first."""
    base = {"settings": asdict(settings)}
    specs = []
    for data in settings.throughput_data:
        specs.append((("throughput", data), {**base, "kind": "throughput", "data": data}))
        specs.append((("loading", data), {**base, "kind": "loading", "data": data}))
    for data in settings.fit_resample_data:
        for key in SAMPLERS:
            specs.append(
                (
                    ("fit_resample", data, key),
                    {
                        **base,
                        "kind": "fit_resample",
                        "data": data,
                        "sampler": key,
                        "table": "samplers",
                    },
                )
            )
    for n in settings.rows:
        for key in _SCALING_SAMPLERS:
            specs.append(
                (
                    ("rows", n, key),
                    {
                        **base,
                        "kind": "fit_resample",
                        "data": f"rows:{n}",
                        "sampler": key,
                        "table": "rows",
                    },
                )
            )
    for size in settings.image_sizes:
        for key in ("smote", "baegan"):
            specs.append(
                (
                    ("size", size, key),
                    {
                        **base,
                        "kind": "fit_resample",
                        "data": f"size:{size}",
                        "sampler": key,
                        "table": "image_size",
                        "epochs": list(settings.image_size_epochs),
                    },
                )
            )
    return specs


def _fit_table(cells: list[dict], table: str) -> pd.DataFrame:
    rows = []
    for c in cells:
        if c.get("table") != table:
            continue
        rows.append(
            {
                "data": c["data"],
                "sampler": LABELS[c["sampler"]],
                "rows in": c.get("n_rows"),
                "features": c.get("n_features"),
                "rows out": c.get("n_rows_out"),
                "seconds": c.get("seconds"),
                "CPU seconds": c.get("cpu_seconds"),
                "peak MiB": c.get("peak_mib"),
                "pretrain samples/CPU s": c.get("pretrain_samples_per_s"),
                "adversarial samples/CPU s": c.get("adversarial_samples_per_s"),
                "status": c["status"] if c["status"] == "ok" else c["error"],
            }
        )
    return pd.DataFrame(rows)


def _throughput_table(cells: list[dict]) -> pd.DataFrame:
    rows = []
    for c in cells:
        if c.get("kind") != "throughput" or c["status"] != "ok":
            continue
        rates = c["samples_per_s"]
        for phase in ("pretrain", "adversarial"):
            row = {"data": c["data"], "rows": c["n_rows"], "phase": phase}
            for clock, label in (("cpu_dur", "CPU"), ("dur", "wall")):
                sk = rates.get(f"skorch {clock}", {}).get(phase)
                pt = rates.get(f"plain_torch {clock}", {}).get(phase)
                row[f"skorch samples/s ({label})"] = sk
                row[f"plain torch samples/s ({label})"] = pt
                row[f"ratio ({label})"] = sk / pt if sk and pt else None
            row["loss mismatch"] = c["loss_mismatch"]
            rows.append(row)
    return pd.DataFrame(rows)


def _loading_table(cells: list[dict]) -> pd.DataFrame:
    rows = []
    for c in cells:
        if c.get("kind") != "loading" or c["status"] != "ok":
            continue
        for what in ("iteration", "pretrain", "adversarial"):
            after = c.get(f"slicing_{what}_samples_per_s")
            before = c.get(f"dataloader_{what}_samples_per_s")
            rows.append(
                {
                    "data": c["data"],
                    "rows": c["n_rows"],
                    "measure": "iterating batches only" if what == "iteration" else f"{what} epoch",
                    "DataLoader samples/CPU s (before)": before,
                    "slicing samples/CPU s (after)": after,
                    "speed-up": after / before if after and before else None,
                }
            )
    return pd.DataFrame(rows)


def _report(cache: CellCache, settings: CostSettings, out_dir: Path, env: dict) -> list[Path]:
    # In the order the cells run, which groups them by data set and sampler.
    cells = [cache.get(*key) for key, _ in _cell_specs(settings)]
    cells = [c for c in cells if c is not None]
    tables = {
        "fit_resample": _fit_table(cells, "samplers"),
        "throughput": _throughput_table(cells),
        "data_loading": _loading_table(cells),
        "scaling_rows": _fit_table(cells, "rows"),
        "scaling_image_size": _fit_table(cells, "image_size"),
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
        f"images): {fmnist[0]['seconds']:.1f} s wall, {fmnist[0]['cpu_seconds']:.1f} s CPU "
        "(issue 3 target: at most 600 s on a 2-core CPU)."
        if fmnist
        else "Default BAEGANSampler fit_resample on Fashion-MNIST: not measured in this run."
    )
    notes = [
        "Time: 'seconds' is wall time, 'CPU seconds' the process's CPU time "
        "(time.process_time). The machine is shared, so wall time includes waiting for "
        "the CPU; with one thread per process, CPU time is what the work costs on an idle "
        "core. Rates per CPU second come from a skorch callback timing each epoch's CPU "
        "time (EpochCPUTimer).",
        f"Memory: {MEMORY_METHOD}. "
        + (
            "Each fit_resample cell ran in a fresh process."
            if settings.isolate
            else "Quick mode: all cells in one process, so peak memory is only indicative."
        ),
        headline,
        "Throughput: samples/s per phase, the median epoch (the first of each phase left out when "
        f"there are more), over {settings.throughput_rounds} alternating rounds of "
        f"{settings.throughput_epochs[0]}+{settings.throughput_epochs[1]} epochs; skorch is "
        "BAEGANNet as BAEGANSampler builds it, plain torch is benchmarks/_plain_torch.py training "
        "the same networks, losses, optimizers and batch size in the same process. 'loss "
        "mismatch' is the largest relative difference between the two loops' epoch losses "
        "from the same seed: near 0 shows the reference trains exactly what BAEGANNet trains.",
        "Data loading: BAEGANNet slices shuffled batches from tensors placed on the device once "
        "(after); the 'before' is the same net with skorch's default Dataset and DataLoader "
        "(shuffled), which index and collate sample by sample. Rates per CPU second: "
        "iterating over one epoch's batches alone (median of 5), and training epochs.",
        f"Scaling with rows: make_classification (20 features, 10% minority), BAEGAN at "
        f"{'its defaults' if not settings.baegan else settings.baegan}. "
        f"Scaling with image size: Fashion-MNIST subset resized, BAEGAN "
        f"{settings.image_size_epochs[0]}+{settings.image_size_epochs[1]} epochs.",
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
    rows = tables["scaling_rows"]
    if not rows.empty:
        series = {
            name: (list(g["rows in"]), list(g["CPU seconds"]))
            for name, g in rows.dropna(subset=["CPU seconds"]).groupby("sampler")
        }
        paths.append(
            line_chart(
                series,
                "rows",
                "fit_resample CPU seconds",
                "fit_resample CPU time against rows (log-log)",
                out_dir / "cost_scaling_rows.png",
                env,
                log=True,
            )
        )
    sizes = tables["scaling_image_size"]
    if not sizes.empty:
        sizes = sizes.assign(side=[int(d[5:]) for d in sizes["data"]])
        series = {
            name: (list(g["side"]), list(g["CPU seconds"]))
            for name, g in sizes.dropna(subset=["CPU seconds"]).groupby("sampler")
        }
        paths.append(
            line_chart(
                series,
                "image side (pixels)",
                "fit_resample CPU seconds",
                "fit_resample CPU time against image size (log-log)",
                out_dir / "cost_scaling_image_size.png",
                env,
                log=True,
            )
        )
    throughput = tables["throughput"]
    if not throughput.empty:
        groups = [f"{d} {p}" for d, p in zip(throughput["data"], throughput["phase"])]
        paths.append(
            bar_chart(
                groups,
                {
                    f"skorch / plain torch ({clock})": (list(throughput[f"ratio ({clock})"]), None)
                    for clock in ("CPU", "wall")
                },
                "throughput ratio",
                "BAEGANNet throughput relative to a plain-torch loop",
                out_dir / "cost_throughput.png",
                env,
            )
        )
    return paths


def run_cost(
    settings: CostSettings,
    cache_root: Path,
    out_dir: Path,
    env: dict,
    log=print,
    run_missing: bool = True,
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

    Returns
    -------
    paths : list of Path
    """
    # The hash covers the settings only, not the prose of the report.
    cache = CellCache(cache_root, "cost", asdict(settings))
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
