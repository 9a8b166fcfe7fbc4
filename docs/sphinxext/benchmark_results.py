"""Render the committed files of ``benchmarks/results/`` as reStructuredText.

At ``builder-inited`` this writes ``generated/benchmark_summary.inc`` (the
benchmarks page's opening summary, its sentences computed from the result
files), ``generated/benchmark_results.inc`` (one section per result set:
Fashion-MNIST images, tables, cost, digits, tuning, then the rest),
``generated/benchmark_headline.inc`` (the summary tables quoted in the user
guide) and
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
import hashlib
import io
import json
import math
import os
from pathlib import Path

__all__ = ["render_headline", "render_results", "render_summary", "render_tables", "setup"]

#: Tables quoted in the user guide's "SMOTE or BAEGAN" section, matched by
#: name prefix: the tabular ranks and the image scores.
_HEADLINE_PREFIXES = ("ranks", "classification")
#: Longer tables are cut on the page; the full table stays a download away.
_MAX_ROWS = 40
_INCLUDE_DIR = "generated"
#: Result sets in the order a reader asks about them: BAEGAN on images (what
#: the paper is about), on tables, what it costs, then on small images and
#: how its defaults were tuned; any others follow by name.
_ORDER = ("images_fmnist", "tabular", "cost", "images_digits", "tuning_fmnist")
#: The result sets the page's opening summary quotes.
_SUMMARISED = ("images_fmnist", "tabular", "cost")
#: Labels of the samplers that are BAEGAN variants, as the tables write them.
_VARIANT_MARKS = ("BAEGAN", "AE + latent SMOTE")
#: Most decimals a number is shown with: below, it shows as zero.
_MAX_DECIMALS = 6


def _escape(text: str) -> str:
    """Text from the result files, with reST's inline markup characters escaped."""
    for char in "\\*`|_[]":
        text = text.replace(char, "\\" + char)
    return text


def _decimals(value: float, significant: int = 4) -> int:
    """Decimals that show ``value`` with ``significant`` digits, in fixed notation."""
    if value == 0 or not math.isfinite(value):
        return 0
    magnitude = math.floor(math.log10(abs(value)))
    return min(_MAX_DECIMALS, max(0, significant - 1 - magnitude))


def _number(value: float) -> str:
    """A number in plain fixed notation, never scientific.

    Whole numbers show as integers with thousands separators; others with
    four significant digits (at least the units), e.g. ``1,234``, ``477.3``,
    ``0.8532``, ``0.0001235``.
    """
    if math.isnan(value):
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{_decimals(value)}f}"


def _mean_std(mean: float, std: float) -> str:
    """``mean ± std`` with one number of decimals for both.

    Scores and their differences (below 10) keep four decimals, as the
    markdown tables do, so that close samplers stay apart; larger values
    (seconds, megabytes) four significant digits of the mean.
    """
    decimals = 4 if abs(mean) < 10 else _decimals(mean)
    if not isinstance(std, (int, float)) or math.isnan(std):
        return f"{mean:,.{decimals}f}"
    return f"{mean:,.{decimals}f} ± {std:,.{decimals}f}"


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return _number(value)
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
            return _mean_std(mean, std)
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


def _records_table(title: str, records, download: str | None) -> list[str]:
    """:func:`_csv_table` of a result file's records, columns in order of appearance."""
    records = [r for r in records or [] if isinstance(r, dict)]
    columns = list(dict.fromkeys(k for r in records for k in r))
    return _csv_table(title, columns, records, download)


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
        download = f"{link}/{csv_path.name}" if csv_path.exists() else None
        lines += _records_table(name.replace("_", " "), records, download)
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
    """Every ``<stem>.json`` with tables, in reading order (see :data:`_ORDER`)."""
    sets = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("tables"), dict):
            sets[path.stem] = data
    first = [stem for stem in _ORDER if stem in sets]
    return {stem: sets[stem] for stem in [*first, *(s for s in sets if s not in first)]}


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


def _records(data: dict | None, table: str) -> list[dict]:
    records = ((data or {}).get("tables") or {}).get(table) or []
    return [r for r in records if isinstance(r, dict)]


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_variant(sampler: str) -> bool:
    return any(mark in sampler for mark in _VARIANT_MARKS)


def _seeds_done(row: dict) -> str:
    """``"3"`` from a ``seeds`` column of ``"3/3"`` (or a count)."""
    return str(row.get("seeds", "?")).split("/")[0]


def _images_sentence(data: dict | None) -> str | None:
    """BAEGAN on imbalanced Fashion-MNIST against the best other sampler."""
    rows = {r.get("sampler"): r for r in _records(data, "classification")}
    baegan = rows.get("BAEGAN")
    others = [
        r for name, r in rows.items()
        if name and name != "none" and not _is_variant(name) and _finite(r.get("ACSA mean"))
    ]
    if not baegan or not _finite(baegan.get("ACSA mean")) or not others:
        return None
    best = max(others, key=lambda r: r["ACSA mean"])
    difference = baegan["ACSA mean"] - best["ACSA mean"]
    stds = [r.get("ACSA std") for r in (baegan, best)]
    text = (
        f"**Images.** On imbalanced Fashion-MNIST, BAEGAN's balanced accuracy (ACSA) "
        f"behind the benchmark's CNN was {_mean_std(baegan['ACSA mean'], stds[0])} "
        f"(mean ± standard deviation over {_seeds_done(baegan)} seeds), against "
        f"{_mean_std(best['ACSA mean'], stds[1])} for {_escape(best['sampler'])}, the best "
        "sampler that is not a BAEGAN variant"
    )
    if rows.get("none") and _finite(rows["none"].get("ACSA mean")):
        text += f", and {_mean_std(rows['none']['ACSA mean'], math.nan)} without resampling"
    text += "."
    if all(_finite(std) for std in stds):
        spread = min(stds)
        within = abs(difference) < spread
        text += (
            f" The difference of the means, {difference:+.4f}, is "
            f"{'smaller' if within else 'larger'} than the spread over seeds of either "
            f"sampler ({stds[0]:.4f} and {stds[1]:.4f})"
            + (": on these seeds the two cannot be told apart." if within else ".")
        )
    return text


def _tabular_sentence(data: dict | None) -> str | None:
    """BAEGAN's mean rank against SMOTE's and the best sampler's, per classifier."""
    parts, n_sets, n_samplers = [], None, None
    for name, label in (
        ("logistic_regression", "logistic regression"),
        ("knn", "k-nearest neighbours"),
        ("hist_gradient_boosting", "histogram gradient boosting"),
    ):
        rows = {r.get("sampler"): r for r in _records(data, f"ranks_{name}")}
        column = "balanced accuracy rank"
        ranked = {k: r[column] for k, r in rows.items() if k and _finite(r.get(column))}
        if "BAEGAN" not in ranked or "SMOTE" not in ranked:
            continue
        best = min(ranked, key=ranked.get)
        n_sets = str(rows["BAEGAN"].get("datasets", "?")).split("/")[0]
        n_samplers = len(ranked)
        parts.append(
            f"{ranked['BAEGAN']:.2f} behind {label} (SMOTE {ranked['SMOTE']:.2f}; "
            f"first: {_escape(best)}, {ranked[best]:.2f})"
        )
    if not parts:
        return None
    return (
        f"**Tables.** On {n_sets} KEEL data sets, BAEGAN's mean rank in balanced accuracy "
        f"among {n_samplers} samplers (1 = best) was " + "; ".join(parts) + ". The ranks "
        "average repeated cross-validation; the tables section gives the repeats and "
        "the samplers run for fewer of them."
    )


def _cost_sentence(data: dict | None) -> str | None:
    """Time of a default fit_resample of BAEGAN and of SMOTE on Fashion-MNIST."""
    rows = {
        r.get("sampler"): r
        for r in _records(data, "fit_resample")
        if r.get("data") == "fmnist" and r.get("status") == "ok"
    }
    baegan, smote = rows.get("BAEGAN"), rows.get("SMOTE")
    if not baegan or not _finite(baegan.get("seconds")):
        return None
    text = (
        f"**Cost.** A BAEGAN ``fit_resample`` at the defaults of the version measured, on "
        f"{_number(baegan.get('rows in', math.nan))} Fashion-MNIST images took "
        f"{baegan['seconds']:,.0f} s"
    )
    if _finite(baegan.get("CPU seconds")):
        text += f" ({baegan['CPU seconds']:,.0f} s of CPU time)"
    if smote and _finite(smote.get("seconds")):
        text += f"; SMOTE's took {smote['seconds']:.2f} s"
    choices = [
        r for r in _records(data, "defaults")
        if r.get("data") == "fmnist" and r.get("status") == "ok"
    ]
    if len(choices) >= 2 and _finite(choices[-1].get("CPU seconds / first row")):
        first, last = choices[0], choices[-1]
        text += (
            f". In the cost benchmark's "
            f"defaults table, {last['settings']} took {last['CPU seconds']:,.0f} s of CPU "
            f"time, {last['CPU seconds / first row']:.2f} times the {first['CPU seconds']:,.0f} s "
            f"of {first['settings']} (measured in one run, under a different load from "
            "the cell before)"
        )
    threads = (((data or {}).get("settings") or {}).get("threads"))
    on = "one thread of a CPU" if threads == 1 else "a CPU"
    return text + (
        f". One run each, on {on}: wall time includes waiting when other work shares the "
        "CPU, and no GPU was measured."
    )


def _package_sha256() -> str | None:
    """The hash the benchmarks record for the imblearn_baegan these docs import.

    The same recipe as ``benchmarks/_env.py``'s ``package_source``: SHA-256
    over the package's ``.py`` files (relative path, then bytes) in name
    order, first 12 hex digits.
    """
    try:
        import imblearn_baegan
    except ImportError:
        return None
    folder = Path(imblearn_baegan.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _provenance_sentence(sets: dict[str, dict]) -> str | None:
    """Whether the BAEGAN cells summarised ran on the sources these docs document."""
    hashes = sorted(
        {
            cell["package_sha256"]
            for stem in _SUMMARISED
            for cell in (sets.get(stem) or {}).get("cells") or []
            if isinstance(cell, dict) and cell.get("package_sha256")
        }
    )
    if not hashes:
        return None
    current = _package_sha256()
    named = ", ".join(f"``{h}``" for h in hashes)
    if current in hashes and len(hashes) == 1:
        return (
            f"These BAEGAN results were computed with the package sources these docs "
            f"were built from (sha256 ``{current}``)."
        )
    return (
        f"The BAEGAN results above were computed with package sources {named} (sha256, "
        f"as each section's notes say); these docs were built from ``{current}``. The "
        "package may have changed since, and with it the rows BAEGAN generates for a "
        "seed: read them as those versions' numbers."
    )


def render_summary(folder: Path) -> str:
    """The benchmarks page's opening: a few sentences computed from the results.

    Parameters
    ----------
    folder : Path
        ``benchmarks/results``; it may be missing or empty.

    Returns
    -------
    text : str
        reStructuredText: one bullet per result set that has the numbers
        (Fashion-MNIST images, tables, cost) and a sentence on the package
        versions they were computed with; without results, a line saying so.
    """
    sets = _load_result_sets(folder) if folder.is_dir() else {}
    bullets = [
        sentence
        for sentence in (
            _images_sentence(sets.get("images_fmnist")),
            _tabular_sentence(sets.get("tabular")),
            _cost_sentence(sets.get("cost")),
        )
        if sentence
    ]
    if not bullets:
        return "No benchmark results have been committed yet.\n"
    lines = [f"* {sentence}" for sentence in bullets] + [""]
    provenance = _provenance_sentence(sets)
    if provenance:
        lines += [provenance, ""]
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
            table = _records_table(f"{stem.replace('_', ' ')}: {name.replace('_', ' ')}", records, None)
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
        lines += _records_table(name.replace("_", " "), records, None)
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
        "benchmark_summary.inc": render_summary(folder),
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
