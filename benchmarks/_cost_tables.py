"""The cost benchmark's tables and figures, made from its cells.

Each function reads the cells of one table (see :data:`benchmarks.cost.TABLES`)
and returns a DataFrame of the rows the result files show; :func:`charts`
draws the two scaling figures from those tables.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pandas as pd

from imblearn_baegan._base import AUTO_ROWS_PER_EPOCH

from ._plots import line_chart
from ._samplers import DEEP_SAMPLERS, LABELS

__all__ = [
    "categories_table",
    "charts",
    "fit_table",
    "memory_table",
    "quality_table",
    "rows_table",
    "sparse_table",
    "threads_table",
]


def _of(cells: list[dict], table: str) -> list[dict]:
    """The cells of one ``table``, in their order."""
    return [c for c in cells if c.get("table") == table]


def _status(cell: dict) -> str:
    """``"ok"``, or the cell's error."""
    return cell["status"] if cell["status"] == "ok" else cell["error"]


def _epochs(cell: dict) -> str:
    """The epochs a deep sampler's cell trained for: ``"27"``, ``"20+20"``, or why not known."""
    if cell["sampler"] not in DEEP_SAMPLERS:
        return "—"
    params = cell.get("sampler_params")
    if not params:
        return "not recorded"
    if params.get("epochs") is not None:
        return str(params["epochs"])
    pre, adv = cell.get("epochs_run") or (
        params.get("pretrain_epochs"),
        params.get("adversarial_epochs"),
    )
    return f"{pre}+{adv}"


def fit_table(cells: list[dict], table: str) -> pd.DataFrame:
    """One row per fit_resample cell of ``table``: time, memory and training rates."""
    rows = []
    for c in _of(cells, table):
        rows.append(
            {
                "data": c["data"],
                "sampler": LABELS[c["sampler"]],
                "epochs": _epochs(c),
                "rows in": c.get("n_rows"),
                "features": c.get("n_features"),
                "rows out": c.get("n_rows_out"),
                "seconds": c.get("seconds"),
                "CPU seconds": c.get("cpu_seconds"),
                "peak MiB": c.get("peak_mib"),
                "pretrain samples/CPU s": c.get("pretrain_samples_per_s"),
                "adversarial samples/CPU s": c.get("adversarial_samples_per_s"),
                "status": _status(c),
            }
        )
    return pd.DataFrame(rows)


_MIB = 2**20
_MEMORY_COLUMNS = (
    "rows in",
    "features",
    "input MiB",
    "output MiB",
    "peak MiB",
    "peak / input",
    "marginal peak / input",
    "seconds",
    "status",
)


def memory_table(cells: list[dict]) -> pd.DataFrame:
    """BAEGAN's peak memory against the input's own bytes, one row per size.

    'peak / input' counts every byte the call added, the resampled output
    included. 'marginal peak / input' is the peak's growth per extra input
    byte since the row above: what 'peak / input' tends to once the fixed
    costs (torch's kernels, the networks) no longer count.
    """
    rows, previous = [], None
    for c in _of(cells, "memory"):
        row = dict.fromkeys(_MEMORY_COLUMNS)
        row.update({"rows in": c.get("n_rows"), "features": c.get("n_features")})
        row["status"] = _status(c)
        if c["status"] == "ok" and c["peak_mib"] is not None:
            peak, size = c["peak_mib"] * _MIB, c["input_bytes"]
            row.update(
                {
                    "input MiB": size / _MIB,
                    "output MiB": c["output_bytes"] / _MIB,
                    "peak MiB": c["peak_mib"],
                    "peak / input": peak / size,
                    "seconds": c["seconds"],
                }
            )
            if previous is not None:
                row["marginal peak / input"] = (peak - previous[0]) / (size - previous[1])
            previous = (peak, size)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(_MEMORY_COLUMNS))


_SPARSE_COLUMNS = (
    "rows in",
    "features",
    "density",
    "input CSR MiB",
    "dense float64 MiB",
    "epochs",
    "peak MiB",
    "peak resident MiB",
    "seconds",
    "CPU seconds",
    "CPU s per pre-training epoch",
    "CPU s per adversarial epoch",
    "CPU s at default epochs (estimated)",
    "rows out",
    "output",
    "output density",
    "values per generated row",
    "values per minority row",
    "status",
)


def sparse_table(cells: list[dict]) -> pd.DataFrame:
    """BAEGAN on a text-like CSR matrix: memory against the dense size, and time.

    'CPU s at default epochs (estimated)' replaces the measured epochs'
    CPU time with the median epoch of each phase times the default number
    of epochs; the rest of the call (validation, generation) is kept.
    """
    rows = []
    for c in _of(cells, "sparse"):
        row = dict.fromkeys(_SPARSE_COLUMNS)
        n_rows, n_features = c.get("n_rows"), c.get("n_features")
        row.update({"rows in": n_rows, "features": n_features})
        row["status"] = _status(c)
        if n_rows and n_features:
            row.update(
                {
                    "density": c["stored"] / (n_rows * n_features),
                    "input CSR MiB": c["input_bytes"] / _MIB,
                    "dense float64 MiB": c["dense_bytes"] / _MIB,
                    "epochs": "+".join(map(str, c["epochs"])),
                }
            )
        if c["status"] == "ok":
            epochs = c["epoch_cpu_seconds"]
            medians = {phase: statistics.median(t) if t else 0.0 for phase, t in epochs.items()}
            in_epochs = sum(sum(t) for t in epochs.values())
            n_pre, n_adv = c["default_epochs"]
            row.update(
                {
                    "peak MiB": c["peak_mib"],
                    "peak resident MiB": c["resident_peak_mib"],
                    "seconds": c["seconds"],
                    "CPU seconds": c["cpu_seconds"],
                    "CPU s per pre-training epoch": medians["pretrain"] or None,
                    "CPU s per adversarial epoch": medians["adversarial"] or None,
                    "CPU s at default epochs (estimated)": c["cpu_seconds"]
                    - in_epochs
                    + n_pre * medians["pretrain"]
                    + n_adv * medians["adversarial"],
                    "rows out": c["n_rows_out"],
                    "output": c["output_format"] if c["output_sparse"] else "dense",
                    "output density": c["output_stored"] / (c["n_rows_out"] * n_features),
                    "values per generated row": c["stored_per_generated_row"],
                    "values per minority row": c["stored_per_minority_row"],
                }
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(_SPARSE_COLUMNS))


def _plain_fit_seconds(cell: dict) -> float | None:
    """CPU seconds BAEGAN's training steps would take in the hand-written loop.

    The steps of the fit (batches per epoch times epochs, per phase) times
    the reference loop's seconds per step.
    """
    plain, package = cell.get("plain_step_cpu_seconds"), cell.get("step_cpu_seconds")
    params = cell.get("sampler_params") or {}
    if not plain or not package:
        return None
    cap = params.get("rows_per_epoch")
    cap = AUTO_ROWS_PER_EPOCH if cap == "auto" else cap or cell["n_rows"]
    rows = min(cell["n_rows"], cap)
    steps = -(-rows // params["batch_size"])
    pre, adv = cell["epochs_run"]
    return steps * (pre * plain["pretrain"] + adv * plain["adversarial"])


def rows_table(cells: list[dict]) -> pd.DataFrame:
    """Fit time and memory on large, very imbalanced tables; BAEGAN's steps against plain torch."""
    rows = []
    for c in _of(cells, "rows"):
        row = {
            "rows in": c.get("n_rows"),
            "sampler": LABELS[c["sampler"]],
            "epochs": _epochs(c),
            "CPU seconds": c.get("cpu_seconds"),
            "seconds": c.get("seconds"),
            "input MiB": c.get("input_bytes", 0) / _MIB or None,
            "output MiB": c.get("output_bytes", 0) / _MIB or None,
            "peak MiB": c.get("peak_mib"),
        }
        if c.get("peak_mib") is not None and c.get("output_bytes"):
            row["peak minus output MiB"] = c["peak_mib"] - c["output_bytes"] / _MIB
        for phase in ("pretrain", "adversarial"):
            package = (c.get("step_cpu_seconds") or {}).get(phase)
            plain = (c.get("plain_step_cpu_seconds") or {}).get(phase)
            if package and plain:
                row[f"{phase} step ms"] = 1e3 * package
                row[f"{phase} step / plain torch"] = package / plain
        row["status"] = _status(c)
        rows.append(row)
    return pd.DataFrame(rows)


def categories_table(cells: list[dict]) -> pd.DataFrame:
    """BAEGAN on a table with one categorical column of growing cardinality, or none."""
    rows = []
    for c in _of(cells, "categories"):
        n_categories = int(c["data"].split(":")[2])
        rows.append(
            {
                "rows in": c.get("n_rows"),
                "categories of the column": n_categories or "no such column",
                "CPU seconds": c.get("cpu_seconds"),
                "seconds": c.get("seconds"),
                "input MiB": c.get("input_bytes", 0) / _MIB or None,
                "peak MiB": c.get("peak_mib"),
                "status": _status(c),
            }
        )
    return pd.DataFrame(rows)


def threads_table(cells: list[dict]) -> pd.DataFrame:
    """A fit alone and beside two busy processes, with its wall time over the idle one's."""
    threads = _of(cells, "threads")
    alone = {
        c["threads"]: c["seconds"] for c in threads if c["status"] == "ok" and c["load"] == "idle"
    }
    rows = []
    for c in threads:
        base = alone.get(c["threads"])
        rows.append(
            {
                "threads": "sized by the package" if c["threads"] == "auto" else "all of torch's",
                "machine": "idle" if c["load"] == "idle" else "two busy processes beside",
                "seconds": c.get("seconds"),
                "CPU seconds": c.get("cpu_seconds"),
                "seconds / idle": c["seconds"] / base if base and c.get("seconds") else None,
                "status": _status(c),
            }
        )
    return pd.DataFrame(rows)


def _data_label(data: str) -> str:
    """A cell's data as a reader names it: "AER Fertility", "1,280,000 synthetic rows"."""
    if data == "fertility":
        return "AER Fertility"
    if data.startswith("rows:"):
        return f"{int(data[5:]):,} synthetic rows"
    return data


def quality_table(cells: list[dict]) -> pd.DataFrame:
    """Test balanced accuracy on the large tables, behind each classifier, per sampler."""
    rows = []
    for c in _of(cells, "large_quality"):
        scores = c.get("balanced_accuracy") or {}
        sampler = "SMOTENC" if c["data"] == "fertility" and c["sampler"] == "smote" else None
        rows.append(
            {
                "data": _data_label(c["data"]),
                "training rows": c.get("n_rows"),
                "sampler": sampler or LABELS[c["sampler"]],
                "balanced accuracy, gradient boosting": scores.get("hist_gradient_boosting"),
                "balanced accuracy, logistic regression": scores.get("logistic_regression"),
                "fit CPU seconds": c.get("cpu_seconds"),
                "status": _status(c),
            }
        )
    return pd.DataFrame(rows)


def charts(tables: dict, cells: list[dict], out_dir: Path, env: dict) -> list[Path]:
    """The figures of fit time against rows (with plain torch's) and against image size."""
    paths = []
    rows = tables["scaling_rows"]
    if not rows.empty:
        series = {
            name: (list(g["rows in"]), list(g["CPU seconds"]))
            for name, g in rows.dropna(subset=["CPU seconds"]).groupby("sampler", sort=False)
        }
        plain = [(c["n_rows"], _plain_fit_seconds(c)) for c in _of(cells, "rows")]
        plain = [(n, s) for n, s in plain if s]
        if plain:
            series["BAEGAN's steps in plain torch"] = ([n for n, _ in plain], [s for _, s in plain])
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
    return paths
