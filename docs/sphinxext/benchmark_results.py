"""Render the committed files of ``benchmarks/results/`` as reStructuredText.

At ``builder-inited`` this writes ``generated/benchmark_results.inc`` (the
whole benchmarks page body), ``generated/benchmark_headline.inc`` (the
summary tables quoted in the user guide) and
``generated/benchmark_search.inc`` (the search benchmark's tables, for the
"Searching at scale" page) under the docs source folder. The
benchmark scripts write, per run, ``<stem>.json`` (provenance, notes and
tables), ``<stem>.md``, ``<stem>_<table>.csv`` and ``<stem>_*.png``; a
result set is keyed by its JSON, and CSV or PNG files that no JSON claims
are shown on their own. An empty or missing folder gives a short note, so
the docs build before any benchmark has run.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path

__all__ = ["render_headline", "render_results", "render_tables", "setup"]

#: Tables quoted in the user guide's "SMOTE or BAEGAN" section, matched by
#: name prefix: the tabular ranks and the image scores.
_HEADLINE_PREFIXES = ("ranks", "classification")
#: Longer tables are cut on the page; the full table stays a download away.
_MAX_ROWS = 40
_INCLUDE_DIR = "generated"


def _escape(text: str) -> str:
    """Text from the result files, with reST's inline markup characters escaped."""
    for char in "\\*`|_[]":
        text = text.replace(char, "\\" + char)
    return text


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return "—" if math.isnan(value) else f"{value:.4g}"
    return _escape(str(value))


def _merge_mean_std(columns: list[str], rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Show ``"<x> mean"`` and ``"<x> std"`` columns as one ``"<x>"`` column."""
    shown: list[str] = []
    for column in columns:
        if column.endswith(" std") and column[:-4] + " mean" in columns:
            continue
        shown.append(column)

    def value(row: dict, column: str) -> str:
        if column.endswith(" mean") and column[:-5] + " std" in columns:
            mean, std = row.get(column), row.get(column[:-5] + " std")
            if not isinstance(mean, (int, float)) or math.isnan(mean):
                return "—"
            if not isinstance(std, (int, float)) or math.isnan(std):
                return f"{mean:.4f}"
            return f"{mean:.4f} ± {std:.4f}"
        return _cell(row.get(column))

    header = [
        _escape(c[:-5] if c.endswith(" mean") and c[:-5] + " std" in columns else c)
        for c in shown
    ]
    return header, [[value(row, c) for c in shown] for row in rows]


def _csv_table(title: str, columns: list[str], rows: list[dict], download: str | None) -> list[str]:
    """A ``csv-table`` directive with the rows inline."""
    if not columns:
        return []
    header, body = _merge_mean_std(columns, rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body[:_MAX_ROWS])
    lines = [f".. csv-table:: {title}", "   :header-rows: 1", "   :class: benchmark-table", ""]
    lines += ["   " + line for line in buffer.getvalue().splitlines()]
    lines.append("")
    if len(body) > _MAX_ROWS:
        more = f"The first {_MAX_ROWS} of {len(body)} rows are shown"
        lines += [more + (f"; the whole table is :download:`{Path(download).name} <{download}>`." if download else "."), ""]
    return lines


def _read_csv(path: Path) -> tuple[list[str], list[dict]]:
    """Columns and rows of a CSV whose leading ``#`` lines are provenance."""
    text = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    reader = csv.DictReader(text)
    rows = []
    for row in reader:
        parsed = {}
        for key, raw in row.items():
            try:
                parsed[key] = float(raw)
            except (TypeError, ValueError):
                parsed[key] = raw
        rows.append(parsed)
    return list(reader.fieldnames or []), rows


def _heading(text: str, underline: str) -> list[str]:
    return [text, underline * len(text), ""]


def _image(link: str, alt: str) -> list[str]:
    return [f".. image:: {link}", f"   :alt: {alt}", "   :width: 100%", ""]


def _result_set(stem: str, data: dict, folder: Path, link: str, claimed: set[str]) -> list[str]:
    """Provenance, notes, tables, figures and downloads of one ``<stem>.json``."""
    md = folder / f"{stem}.md"
    title = stem.replace("_", " ")
    if md.exists():
        first = md.read_text(encoding="utf-8").splitlines()[:1]
        if first and first[0].startswith("# "):
            title = _escape(first[0][2:].strip())
    lines = [f".. _benchmark-{stem}:", "", *_heading(title, "-")]
    meta = data.get("meta") or {}
    fields = [(k, meta.get(k)) for k in ("command", "date", "git_commit")]
    hardware = meta.get("hardware")
    if isinstance(hardware, dict):
        fields.append(("hardware", ", ".join(f"{k} {v}" for k, v in hardware.items())))
    fields = [(k, v) for k, v in fields if v]
    lines += [
        f":{k.replace('_', ' ')}: ``{v}``" if k == "command" else f":{k.replace('_', ' ')}: {_escape(str(v))}"
        for k, v in fields
    ]
    lines.append("")
    for note in data.get("notes") or []:
        lines += [_escape(str(note)), ""]
    for name, records in (data.get("tables") or {}).items():
        csv_path = folder / f"{stem}_{name}.csv"
        claimed.add(csv_path.name)
        records = [r for r in records or [] if isinstance(r, dict)]
        columns = list(dict.fromkeys(k for r in records for k in r))
        download = f"{link}/{csv_path.name}" if csv_path.exists() else None
        lines += _csv_table(name.replace("_", " "), columns, records, download)
    for png in sorted(folder.glob(f"{stem}_*.png")):
        claimed.add(png.name)
        lines += _image(f"{link}/{png.name}", png.stem.replace("_", " "))
    files = [p for p in (md, folder / f"{stem}.json") if p.exists()]
    files += sorted(folder.glob(f"{stem}_*.csv"))
    claimed.update(p.name for p in files)
    if files:
        lines.append("Raw files: " + ", ".join(f":download:`{p.name} <{link}/{p.name}>`" for p in files) + ".")
        lines.append("")
    return lines


def _load_result_sets(folder: Path) -> dict[str, dict]:
    sets = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("tables"), dict):
            sets[path.stem] = data
    return sets


def render_results(folder: Path, link: str) -> str:
    """The benchmarks page body for the files in ``folder``.

    Parameters
    ----------
    folder : Path
        ``benchmarks/results``; it may be missing or empty.
    link : str
        The same folder as a path relative to the including document.

    Returns
    -------
    text : str
        reStructuredText, one section per result set.
    """
    if not folder.is_dir() or not any(folder.iterdir()):
        return (
            ".. note::\n\n   No benchmark results have been committed yet: "
            "``benchmarks/results/`` is empty. Run the benchmarks (see "
            "``benchmarks/README.md``) and rebuild the docs.\n"
        )
    claimed: set[str] = set()
    lines: list[str] = []
    for stem, data in _load_result_sets(folder).items():
        lines += _result_set(stem, data, folder, link, claimed)
    loose_csv = [p for p in sorted(folder.glob("*.csv")) if p.name not in claimed]
    loose_png = [p for p in sorted(folder.glob("*.png")) if p.name not in claimed]
    if loose_csv or loose_png:
        lines += [".. _benchmark-other:", "", *_heading("Other results", "-")]
        for path in loose_csv:
            columns, rows = _read_csv(path)
            lines += _csv_table(path.stem.replace("_", " "), columns, rows, f"{link}/{path.name}")
        for path in loose_png:
            lines += _image(f"{link}/{path.name}", path.stem.replace("_", " "))
    if not lines:
        lines = ["``benchmarks/results/`` holds no table or figure yet.", ""]
    return "\n".join(lines) + "\n"


def render_headline(folder: Path) -> str:
    """The summary tables of every result set, for the user guide.

    Parameters
    ----------
    folder : Path
        ``benchmarks/results``; it may be missing or empty.

    Returns
    -------
    text : str
        reStructuredText: the tables whose names start with ``ranks`` or
        ``classification``, each with a link to
        its full result set, or a note that there are none yet.
    """
    lines: list[str] = []
    sets = _load_result_sets(folder) if folder.is_dir() else {}
    for stem, data in sets.items():
        for name, records in data["tables"].items():
            if not name.startswith(_HEADLINE_PREFIXES):
                continue
            records = [r for r in records or [] if isinstance(r, dict)]
            columns = list(dict.fromkeys(k for r in records for k in r))
            table = _csv_table(f"{stem.replace('_', ' ')}: {name.replace('_', ' ')}", columns, records, None)
            if table:
                lines += table + [f"From :ref:`benchmark-{stem}` on the benchmarks page.", ""]
    if not lines:
        lines = [
            ".. note::",
            "",
            "   No benchmark results have been committed yet, so no table appears "
            "here; :doc:`/benchmarks` will show them once they are.",
            "",
        ]
    return "\n".join(lines) + "\n"


def render_tables(folder: Path, stem: str) -> str:
    """Every table of one result set, for a user-guide page that discusses it.

    Parameters
    ----------
    folder : Path
        ``benchmarks/results``; it may be missing or empty.
    stem : str
        The result set, e.g. ``"search"`` for ``search.json``.

    Returns
    -------
    text : str
        reStructuredText: the tables, each followed by a link to the result
        set on the benchmarks page, or a note that it has not been run yet.
    """
    data = _load_result_sets(folder).get(stem) if folder.is_dir() else None
    if data is None:
        return (
            ".. note::\n\n   This benchmark has not been committed yet; "
            f"``python benchmarks/run.py {stem}`` writes it.\n"
        )
    lines: list[str] = []
    for name, records in data["tables"].items():
        records = [r for r in records or [] if isinstance(r, dict)]
        columns = list(dict.fromkeys(k for r in records for k in r))
        lines += _csv_table(name.replace("_", " "), columns, records, None)
    lines += [f"From :ref:`benchmark-{stem}` on the benchmarks page, with its settings.", ""]
    return "\n".join(lines) + "\n"


def _write_includes(app) -> None:
    source = Path(app.srcdir)
    folder = (source / app.config.benchmark_results_dir).resolve()
    target = source / _INCLUDE_DIR
    target.mkdir(exist_ok=True)
    # Paths in the included text resolve against benchmarks.rst, at the top
    # of the source folder; Sphinx reads an absolute path as relative to the
    # source folder, so a relative one is needed even for a folder elsewhere.
    link = Path(os.path.relpath(folder, source)).as_posix()
    outputs = {
        "benchmark_results.inc": render_results(folder, link),
        "benchmark_headline.inc": render_headline(folder),
        "benchmark_search.inc": render_tables(folder, "search"),
    }
    for name, text in outputs.items():
        path = target / name
        # Rewriting an unchanged file would make Sphinx reread every page
        # that includes it.
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def setup(app):
    """Register the ``benchmark_results_dir`` option and the generator."""
    app.add_config_value("benchmark_results_dir", "../benchmarks/results", "env")
    app.connect("builder-inited", _write_includes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
