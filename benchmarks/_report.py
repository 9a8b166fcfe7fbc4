"""Result files: markdown, JSON, CSV and PNG, each stamped with its provenance."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from ._env import portable, portable_env

__all__ = ["other_settings_note", "save_figure", "source_note", "summarise", "write_results"]


def source_note(cells: list[dict]) -> str:
    """Which imblearn_baegan sources the cells that depend on it were computed with.

    Only those cells record a hash (see :func:`benchmarks._samplers.fingerprint`);
    more than one hash means the table mixes package versions.
    """
    hashes = [c["package_sha256"] for c in cells if "package_sha256" in c]
    counts = pd.Series(hashes, dtype=object).value_counts()
    parts = ", ".join(f"sha256 {sha} ({n} cells)" for sha, n in counts.items())
    warning = (
        " Mixed versions: run the benchmark again to redo the stale cells."
        if len(counts) > 1
        else ""
    )
    return f"imblearn_baegan source of the cells: {parts or 'none yet'}.{warning}"


def other_settings_note(other_parameters: dict, labels: dict[str, str]) -> str:
    """Which samplers a report shows with other parameters than the current ones, and how."""
    if not other_parameters:
        return "Every deep sampler's cells ran with its current parameters."
    parts = [
        f"{labels[key]} ("
        + ", ".join(f"{name}={ran!r}, now {now!r}" for name, (ran, now) in sorted(diff.items()))
        + ")"
        for key, diff in other_parameters.items()
    ]
    return (
        "Shown with other parameters than the current ones, since no cell has run with "
        "those yet: " + "; ".join(parts) + ". Run the benchmark again to redo them."
    )


def summarise(values) -> tuple[float, float, int]:
    """Mean, sample standard deviation and count of the finite values.

    The standard deviation is NaN below two values, the mean below one.
    """
    series = pd.Series(list(values), dtype=float).dropna()
    std = series.std(ddof=1) if len(series) > 1 else math.nan
    mean = series.mean() if len(series) else math.nan
    return float(mean), float(std), len(series)


def _merge_mean_std(table: pd.DataFrame) -> pd.DataFrame:
    """Show each ``"<x> mean"``/``"<x> std"`` column pair as one ``"<x>"`` column."""
    merged = {}
    for column in table.columns:
        if column.endswith(" std") and column[:-4] + " mean" in table.columns:
            continue
        if column.endswith(" mean") and column[:-5] + " std" in table.columns:
            std = table[column[:-5] + " std"]
            merged[column[:-5]] = [
                "—" if math.isnan(m) else f"{m:.4f}" if math.isnan(s) else f"{m:.4f} ± {s:.4f}"
                for m, s in zip(table[column].astype(float), std.astype(float))
            ]
        else:
            merged[column] = table[column]
    return pd.DataFrame(merged)


def _provenance_lines(env: dict) -> list[str]:
    hardware = env["hardware"]
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items())
    return [
        f"command: {env['command']}",
        f"date: {env['date']}",
        f"git commit: {env['git_commit']}",
        f"imblearn_baegan source: sha256 {env['package_source']['sha256']} "
        f"({env['package_source']['path']})",
        f"hardware: {hardware['cpu']}, {hardware['cores_visible']} cores visible, "
        f"{hardware['memory_gib']} GiB, torch threads {hardware['torch_threads']}, "
        f"CUDA {hardware['cuda']}, load average {hardware['load_average_1min']} at start",
        f"versions: {versions}",
    ]


def _format_number(value: float) -> str:
    if math.isnan(value):
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def _markdown_table(table: pd.DataFrame) -> str:
    def cell(value) -> str:
        if value is None:
            return "—"
        if isinstance(value, float):
            return _format_number(value)
        return str(value).replace("|", "\\|")

    header = "| " + " | ".join(cell(c) for c in table.columns) + " |"
    rule = "| " + " | ".join("---" for _ in table.columns) + " |"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def write_results(
    out_dir: Path,
    stem: str,
    *,
    title: str,
    env: dict,
    settings: dict,
    tables: dict[str, pd.DataFrame],
    notes: list[str],
    cells: list[dict],
    csv_tables: dict[str, pd.DataFrame] | None = None,
) -> list[Path]:
    """Write ``<stem>.md``, ``<stem>.json`` and one ``<stem>_<table>.csv`` per table.

    The markdown and JSON carry the provenance, settings, notes and tables
    (the JSON also every raw cell), without this machine's folders (see
    :func:`benchmarks._env.portable`): the files are committed. In markdown,
    ``"<x> mean"`` and ``"<x> std"`` columns are shown together as
    ``mean ± std``. Each CSV starts with ``#`` lines giving the provenance:
    read it with ``pandas.read_csv(path, comment="#")``.

    Parameters
    ----------
    out_dir : Path
        Folder to write to.
    stem : str
        Common file-name stem, e.g. ``"images_fmnist"``.
    title : str
        Heading of the markdown file.
    env : dict
        From :func:`benchmarks._env.environment`.
    settings : dict
        The benchmark's settings.
    tables : dict of str to DataFrame
        Named tables, in display order.
    notes : list of str
        Sentences shown under the heading (what is missing, how to read).
    cells : list of dict
        Raw per-cell results, for the JSON.
    csv_tables : dict of str to DataFrame or None, default=None
        Tables too long for the markdown: written to CSV and JSON only.

    Returns
    -------
    paths : list of Path
        The files written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    env, settings = portable_env(env), portable(settings)
    notes, cells = portable(notes), portable(cells)
    all_tables = {**tables, **(csv_tables or {})}
    provenance = _provenance_lines(env)
    md = [f"# {title}", "", *[f"- {line}" for line in provenance], ""]
    md += [f"{note}\n" for note in notes]
    for name, table in tables.items():
        md += [f"## {name.replace('_', ' ')}", "", _markdown_table(_merge_mean_std(table)), ""]
    md += ["## settings", "", "```json", json.dumps(settings, indent=2, default=str), "```", ""]
    paths = [out_dir / f"{stem}.md", out_dir / f"{stem}.json"]
    paths[0].write_text("\n".join(md))
    paths[1].write_text(
        json.dumps(
            {
                "meta": env,
                "settings": settings,
                "notes": notes,
                "tables": {k: t.to_dict(orient="records") for k, t in all_tables.items()},
                "cells": cells,
            },
            indent=2,
            default=str,
        )
    )
    for name, table in all_tables.items():
        path = out_dir / f"{stem}_{name}.csv"
        header = "".join(f"# {line}\n" for line in provenance)
        path.write_text(header + table.to_csv(index=False))
        paths.append(path)
    return paths


def save_figure(fig, path: Path, env: dict) -> Path:
    """Save a matplotlib figure as PNG with its provenance.

    The command, date, commit, hardware and versions go in the PNG's text
    chunks, without this machine's folders, not on the image: a reader
    sees the figure, and the result file beside it says how it was made.
    """
    import matplotlib.pyplot as plt

    env = portable_env(env)
    metadata = {"Description": "\n".join(_provenance_lines(env)), "Source": env["command"]}
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata=metadata, bbox_inches="tight")
    plt.close(fig)
    return path
