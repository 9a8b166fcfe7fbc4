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

__all__ = [
    "render_guide",
    "render_headline",
    "render_results",
    "render_summary",
    "render_tables",
    "setup",
]

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
        _escape(c[:-5] if c.endswith(" mean") and c[:-5] + " std" in columns else c) for c in shown
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
        lines += [
            more
            + (
                f"; the whole table is :download:`{Path(download).name} <{download}>`."
                if download
                else "."
            ),
            "",
        ]
    return lines


def _records_table(title: str, records, download: str | None) -> list[str]:
    """:func:`_csv_table` of a result file's records, columns in order of appearance."""
    records = [r for r in records or [] if isinstance(r, dict)]
    columns = list(dict.fromkeys(k for r in records for k in r))
    return _csv_table(title, columns, records, download)


def _read_csv(path: Path) -> tuple[list[str], list[dict]]:
    """Columns and rows of a CSV whose leading ``#`` lines are provenance."""
    text = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
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
        f":{k.replace('_', ' ')}: ``{v}``"
        if k == "command"
        else f":{k.replace('_', ' ')}: {_escape(str(v))}"
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
        lines.append(
            "Raw files: "
            + ", ".join(f":download:`{p.name} <{link}/{p.name}>`" for p in files)
            + "."
        )
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
        r
        for name, r in rows.items()
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
        f"(mean ± standard deviation over {_count(_seeds_done(baegan), 'seed')}), against "
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
        f"**Tables.** On {_count(n_sets, 'KEEL data set')}, BAEGAN's mean rank in balanced accuracy "
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
        r
        for r in _records(data, "defaults")
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
    threads = ((data or {}).get("settings") or {}).get("threads")
    gpu = (((data or {}).get("meta") or {}).get("hardware") or {}).get("cuda")
    on = f"a {_escape(str(gpu))} GPU" if gpu else "one thread of a CPU" if threads == 1 else "a CPU"
    return text + (
        f". One run each, on {on}: wall time includes waiting when other work shares the "
        + ("machine." if gpu else "CPU, and no GPU was measured.")
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
            table = _records_table(
                f"{stem.replace('_', ' ')}: {name.replace('_', ' ')}", records, None
            )
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


#: The image benchmark's rerun of the BAEGAN paper's comparison.
_PAPER_TABLES = ("paper_comparison", "paper_claims")


def render_tables(folder: Path, stem: str, names: tuple[str, ...] | None = None) -> str:
    """The tables of one result set, for a user-guide page that discusses it.

    Parameters
    ----------
    folder : Path
        ``benchmarks/results``; it may be missing or empty.
    stem : str
        The result set, e.g. ``"search"`` for ``search.json``.
    names : tuple of str, optional
        The tables to show, in this order; by default all of them.

    Returns
    -------
    text : str
        reStructuredText: the tables, each followed by a link to the result
        set on the benchmarks page, or a note that they have not been run yet.
    """
    data = _load_result_sets(folder).get(stem) if folder.is_dir() else None
    tables = (data or {}).get("tables") or {}
    chosen = [n for n in (names or tables) if n in tables]
    if not chosen:
        command = stem.split("_")[0] + (
            f" --dataset {stem.split('_', 1)[1]}" if "_" in stem else ""
        )
        return (
            ".. note::\n\n   This benchmark has not been committed yet; "
            f"``python benchmarks/run.py {command}`` writes it.\n"
        )
    lines: list[str] = []
    for name in chosen:
        lines += _records_table(name.replace("_", " "), tables[name], None)
    lines += [f"From :ref:`benchmark-{stem}` on the benchmarks page, with its settings.", ""]
    return "\n".join(lines) + "\n"


# -- sentences for the user guide ---------------------------------------------
#
# Each ``_*_sentence`` function below reads one or more result sets (the
# parsed ``<stem>.json``, or None when it has not been committed) and returns
# reStructuredText, or None when the numbers it needs are missing. Sentences
# compare (above, below, within one seed-to-seed standard deviation) rather
# than assert a direction, so that new results cannot leave them saying the
# opposite of the tables.

#: Labels of the cost benchmark's data sets, as the guide names them.
_COST_DATA = {"tabular": "table", "digits": "8x8 digit", "fmnist": "Fashion-MNIST"}
#: Parameters whose value in a result file says nothing about the defaults.
_NOT_SETTINGS = {"image_shape", "device", "verbose", "memory", "random_state", "callbacks"}
_WITHIN = "within one seed-to-seed standard deviation of"
_WITHIN_NOTE = (
    'Here, "within one seed-to-seed standard deviation" means that the difference '
    "of two means is at most the larger of their standard deviations over seeds (or "
    "over repeats): too small to tell apart on these runs."
)


def _package_defaults() -> dict | None:
    """The constructor defaults of the BAEGANSampler these docs document."""
    try:
        from imblearn_baegan import BAEGANSampler
    except ImportError:
        return None
    return BAEGANSampler().get_params()


def _plain(value):
    """Tuples as lists, so that settings read from JSON compare equal."""
    return list(value) if isinstance(value, tuple) else value


def _at_defaults(params: dict | None, defaults: dict | None) -> bool:
    """Whether ``params`` (a result file's settings) equal the package's defaults.

    Only the parameters that ``params`` names, and that say something about
    the sampler (not ``image_shape``, ``device`` ...), are compared.
    """
    if not isinstance(params, dict) or not defaults:
        return False
    keys = [k for k in params if k not in _NOT_SETTINGS and k != "sampler"]
    return bool(keys) and all(
        k in defaults and _plain(defaults[k]) == _plain(params[k]) for k in keys
    )


def _defaults_label(defaults: dict | None) -> str:
    """``"the current defaults (20+20 epochs, ``generated_fraction=0.5``)"``.

    The defaults named are those that set most of a fit's cost and of what
    it generates.
    """
    if not defaults:
        return "the defaults"
    parts = []
    if "pretrain_epochs" in defaults and "adversarial_epochs" in defaults:
        parts.append(f"{defaults['pretrain_epochs']}+{defaults['adversarial_epochs']} epochs")
    if "generated_fraction" in defaults:
        parts.append(f"``generated_fraction={defaults['generated_fraction']}``")
    return "the current defaults" + (f" ({', '.join(parts)})" if parts else "")


def _short(value: float, significant: int = 2) -> str:
    """A time or ratio with ``significant`` digits, and no decimals from 10 up."""
    if not _finite(value):
        return "—"
    if abs(value) >= 10:
        return f"{value:,.0f}"
    return f"{value:,.{_decimals(value, significant)}f}"


def _std(values: list[float]) -> float:
    """Sample standard deviation (``ddof=1``); NaN below two values."""
    if len(values) < 2:
        return math.nan
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _relation(difference: float, spread: float) -> str:
    """``"above"``, ``"below"`` or ``"within one seed-to-seed standard deviation of"``."""
    if _finite(spread) and abs(difference) <= spread:
        return _WITHIN
    if difference == 0:
        return "level with"
    return "above" if difference > 0 else "below"


def _count(n, word: str) -> str:
    """``"1 seed"``, ``"3 seeds"``, ``"18 data sets"``; ``n`` may be a string."""
    return f"{n} {word}" if str(n) == "1" else f"{n} {word}s"


def _join(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _hardware(data: dict | None) -> str:
    """Where a result set ran, from its ``meta.hardware``."""
    hardware = ((data or {}).get("meta") or {}).get("hardware") or {}
    if hardware.get("cuda"):
        return f"a {_escape(str(hardware['cuda']))} GPU"
    threads = hardware.get("torch_threads")
    details = [_escape(str(hardware["cpu"]))] if hardware.get("cpu") else []
    if hardware.get("cores_visible"):
        details.append(f"{hardware['cores_visible']} cores visible")
    where = "a CPU" + (f" ({', '.join(details)})" if details else "")
    if threads:
        where = f"{'one torch thread' if threads == 1 else f'{threads} torch threads'} of {where}"
    return where


def _settings_note(data: dict | None, defaults: dict | None) -> str | None:
    """Which of BAEGAN's settings in a result set differ from the package's defaults now."""
    # The table's BAEGAN cells say what they ran with; a result file
    # rewritten from older cells records today's settings.
    ran = [
        c["sampler_params"]
        for c in (data or {}).get("cells", [])
        if c.get("sampler") == "baegan" and isinstance(c.get("sampler_params"), dict)
    ]
    resolved = ran[0] if ran else ((data or {}).get("settings") or {}).get("baegan_resolved")
    if not isinstance(resolved, dict) or not defaults:
        return None
    # A default of "auto" resolves per data set: a number in the results may be
    # what "auto" gives there.
    changed = [
        (key, value, defaults[key])
        for key, value in resolved.items()
        if key in defaults
        and key not in _NOT_SETTINGS
        and defaults[key] != "auto"
        and _plain(defaults[key]) != _plain(value)
    ]
    if not changed:
        return None
    then = ", ".join(f"``{k}={v!r}``" for k, v, _ in changed)
    now = ", ".join(f"``{k}={v!r}``" for k, _, v in changed)
    chosen = ((data or {}).get("settings") or {}).get("baegan") or {}
    whose = (
        "" if any(k in chosen for k, _, _ in changed) else ", the defaults of the version measured"
    )
    return f"BAEGAN ran there with {then}{whose}; the defaults are now {now}."


# -- images ---------------------------------------------------------------------


def _image_seed_scores(data: dict | None) -> dict[str, dict]:
    """ACSA per seed of each sampler of an image result set, by table label.

    The cells name samplers by key, the tables by label; a key belongs to
    the label whose ``ACSA mean`` and seed count its cells reproduce.
    """
    by_key: dict = {}
    for cell in (data or {}).get("cells") or []:
        if not isinstance(cell, dict) or cell.get("status") != "ok":
            continue
        score = (cell.get("scores") or {}).get("acsa")
        if _finite(score) and cell.get("sampler") is not None and cell.get("seed") is not None:
            by_key.setdefault(cell["sampler"], {})[cell.get("seed")] = score
    matched = {}
    for row in _records(data, "classification"):
        mean = row.get("ACSA mean")
        if not _finite(mean):
            continue
        std = row.get("ACSA std")
        keys = [
            key
            for key, seeds in by_key.items()
            if str(len(seeds)) == _seeds_done(row)
            and abs(sum(seeds.values()) / len(seeds) - mean) < 1e-9
            and (not _finite(std) or abs(_std(list(seeds.values())) - std) < 1e-9)
        ]
        if len(keys) > 1:  # the same scores: prefer the key spelt like the label
            keys = [key for key in keys if _slug(key) == _slug(row.get("sampler"))]
        if len(keys) == 1:
            matched[row.get("sampler")] = by_key[keys[0]]
    return matched


def _slug(name) -> str:
    """``"ae_latent_smote"`` for ``"AE + latent SMOTE"``."""
    return "_".join("".join(c if c.isalnum() else " " for c in str(name).lower()).split())


def _seed_count(mine: dict, theirs: dict) -> str:
    """``"higher on 2 of 3 seeds"`` (ties named), or ``""`` below two shared seeds."""
    common = sorted(set(mine) & set(theirs), key=str)
    if len(common) < 2:
        return ""
    wins = sum(mine[s] > theirs[s] for s in common)
    losses = sum(mine[s] < theirs[s] for s in common)
    if wins + losses == len(common):
        return f"higher on {wins} of {_count(len(common), 'seed')}"
    return f"higher on {wins} and lower on {losses} of {_count(len(common), 'seed')}"


def _spread(*rows: dict) -> float:
    """The larger of the rows' ACSA standard deviations over seeds (NaN if none)."""
    return max((r.get("ACSA std") for r in rows if _finite(r.get("ACSA std"))), default=math.nan)


def _versus_all(name: str, rows: dict, others: list[str], seeds: dict) -> str:
    """``"within one ... of RandomOverSampler's 0.8534 ± 0.0063 (...) and ...; above ..."``.

    The samplers in ``others`` are grouped by how ``name`` compares with them,
    in the order the relations first occur.
    """
    groups: dict[str, list[str]] = {}
    for other in others:
        row, other_row = rows[name], rows[other]
        relation = _relation(row["ACSA mean"] - other_row["ACSA mean"], _spread(row, other_row))
        text = f"{_escape(other)}'s {_mean_std(other_row['ACSA mean'], other_row.get('ACSA std', math.nan))}"
        count = _seed_count(seeds.get(name) or {}, seeds.get(other) or {})
        groups.setdefault(relation, []).append(text + (f" ({count})" if count else ""))
    return "; ".join(f"{relation} {_join(texts)}" for relation, texts in groups.items())


def _image_guide_sentence(data: dict | None, name: str, defaults: dict | None = None) -> str | None:
    """BAEGAN's balanced accuracy on one image set, against each classic sampler."""
    rows = {
        r.get("sampler"): r for r in _records(data, "classification") if _finite(r.get("ACSA mean"))
    }
    baegan = rows.get("BAEGAN")
    classic = [n for n in rows if n and n != "none" and not _is_variant(n)]
    if not baegan or not classic:
        return None
    seeds = _image_seed_scores(data)
    classic.sort(key=lambda n: -rows[n]["ACSA mean"])
    counts = ((data or {}).get("settings") or {}).get("counts")
    what = name
    if isinstance(counts, list) and counts and all(_finite(c) for c in counts):
        what += f" ({sum(counts):,} training images, classes of {max(counts):,} down to {min(counts):,})"
    text = (
        f"On {what}, BAEGAN's balanced accuracy (ACSA) behind the benchmark's CNN was "
        f"{_mean_std(baegan['ACSA mean'], baegan.get('ACSA std', math.nan))} (mean ± standard "
        f"deviation over {_count(_seeds_done(baegan), 'seed')}): {_versus_all('BAEGAN', rows, classic, seeds)}"
    )
    if "none" in rows:
        text += (
            f". Without resampling the CNN scored {_mean_std(rows['none']['ACSA mean'], math.nan)}"
        )
    text += "."
    direct = [n for n in rows if n and "direct decoding" in n]
    if direct:
        row = rows[direct[0]]
        text += (
            f" With the paper's direct decoding BAEGAN scored "
            f"{_mean_std(row['ACSA mean'], row.get('ACSA std', math.nan))}, "
            f"{_relation(row['ACSA mean'] - baegan['ACSA mean'], _spread(row, baegan))} "
            + (
                f"BAEGAN with ``decoding={decoding!r}``."
                if (
                    decoding := ((data.get("settings") or {}).get("baegan_resolved") or {}).get(
                        "decoding"
                    )
                )
                else "the default decoding."
            )
        )
    note = _settings_note(data, _package_defaults() if defaults is None else defaults)
    return text + (f" {note}" if note else "")


def _fd_sentence(data: dict | None) -> str | None:
    """How close each sampler's images are to real ones (Fréchet distance)."""
    column = "average over classes"
    rows = {str(r.get("images")): r[column] for r in _records(data, "fd") if _finite(r.get(column))}
    baegan = rows.get("generated: BAEGAN")
    if baegan is None:
        return None
    others = []
    for label in ("SMOTE", "RandomOverSampler"):
        if f"generated: {label}" in rows:
            others.append((label, rows[f"generated: {label}"]))
    direct = [k for k in rows if k.startswith("generated:") and "direct decoding" in k]
    text = (
        "In the features of a CNN trained on all the real training images, the Fréchet "
        "distance between a minority class's new images and its real test images "
        f"(averaged over the minority classes; lower is closer) was {_number(baegan)} for BAEGAN's"
    )
    parts = [
        f"{_number(v)} for {_escape(k)}'s"
        + (" copies of real images" if k == "RandomOverSampler" else "")
        for k, v in others
    ]
    if direct:
        parts.append(f"{_number(rows[direct[0]])} with the paper's direct decoding")
    if "real vs real" in rows:
        parts.append(f"{_number(rows['real vs real'])} between two draws of real training images")
    if parts:
        text += ", against " + _join(parts)
    text += "."
    if others and others[0][0] == "SMOTE":
        closer = (
            "closer to"
            if baegan < others[0][1]
            else "further from"
            if baegan > others[0][1]
            else "as close to"
        )
        text += f" BAEGAN's images were {closer} the real ones than SMOTE's pixel blends."
    return text + " The spread over seeds, class by class, is in the benchmark's table."


#: The package's deep samplers, as the image tables label them.
_FAMILY_LABELS = ("BAEGAN", "DeepSMOTE", "BAGAN-GP", "conditional GAN")
#: The simple samplers each deep sampler is held against.
_SIMPLE_LABELS = ("none", "RandomOverSampler", "SMOTE")


def _family_sentences(data: dict | None, name: str) -> list[str]:
    """Each deep sampler's balanced accuracy on one image set against the simple samplers.

    One sentence per deep sampler, and one on the best of them against
    random over-sampling; none when the numbers are missing.
    """
    rows = {
        r.get("sampler"): r for r in _records(data, "classification") if _finite(r.get("ACSA mean"))
    }
    deep = [n for n in _FAMILY_LABELS if n in rows]
    simple = [n for n in _SIMPLE_LABELS if n in rows]
    if not deep or not simple:
        return []
    seeds = _image_seed_scores(data)
    fd = {
        str(r.get("images")): r["average over classes"]
        for r in _records(data, "fd")
        if _finite(r.get("average over classes"))
    }

    def distance(n: str) -> str:
        if f"generated: {n}" not in fd:
            return ""
        others = [
            f"{_escape(o)}'s {_number(fd[f'generated: {o}'])}"
            for o in ("SMOTE",)
            if f"generated: {o}" in fd
        ]
        if "real vs real" in fd:
            others.append(f"{_number(fd['real vs real'])} between real images")
        return (
            f" Its images' Fréchet distance to real ones was {_number(fd[f'generated: {n}'])}"
            + (f" ({_join(others)}; lower is closer)" if others else "")
            + "."
        )

    sentences = [
        f"On {name}, {_escape(n)}'s balanced accuracy (ACSA) was "
        f"{_mean_std(rows[n]['ACSA mean'], rows[n].get('ACSA std', math.nan))} over "
        f"{_count(_seeds_done(rows[n]), 'seed')}: {_versus_all(n, rows, simple, seeds)}.{distance(n)}"
        for n in deep
    ]
    if "RandomOverSampler" in rows:
        best = max(deep, key=lambda n: rows[n]["ACSA mean"])
        gap = rows[best]["ACSA mean"] - rows["RandomOverSampler"]["ACSA mean"]
        spread = _spread(rows[best], rows["RandomOverSampler"])
        beyond = _finite(spread) and abs(gap) > spread
        sentences.append(
            f"The best deep sampler on {name}, {_escape(best)}, "
            f"{'leads' if gap >= 0 else 'trails'} random over-sampling by {_short(abs(gap))} in "
            f"ACSA, {'more' if beyond else 'not more'} than one seed-to-seed standard deviation "
            f"({_short(spread)})."
        )
    return sentences


# -- tables -----------------------------------------------------------------------

_CLASSIFIERS = (
    ("logistic_regression", "logistic regression"),
    ("knn", "k-nearest neighbours"),
    ("hist_gradient_boosting", "histogram gradient boosting"),
)


def _tabular_guide_sentence(data: dict | None, defaults: dict | None = None) -> str | None:
    """BAEGAN's mean rank against SMOTE's, per classifier, with the leaders."""
    column = "balanced accuracy rank"
    parts, n_sets, n_samplers = [], None, None
    for name, label in _CLASSIFIERS:
        rows = {r.get("sampler"): r for r in _records(data, f"ranks_{name}")}
        ranked = {k: r[column] for k, r in rows.items() if k and _finite(r.get(column))}
        if "BAEGAN" not in ranked or "SMOTE" not in ranked:
            continue
        n_sets = str(rows["BAEGAN"].get("datasets", "?")).split("/")[0]
        n_samplers = len(ranked)
        difference = ranked["BAEGAN"] - ranked["SMOTE"]
        word = (
            "better than" if difference < 0 else "worse than" if difference > 0 else "the same as"
        )
        first = min(ranked.values())
        leaders = _join([_escape(k) for k, v in ranked.items() if v == first])
        parts.append(
            f"{ranked['BAEGAN']:.2f} behind {label}, {word} SMOTE's {ranked['SMOTE']:.2f} "
            f"(first: {leaders}, {first:.2f})"
        )
    if not parts:
        return None
    return (
        f"On {_count(n_sets, 'KEEL data set')}, BAEGAN's mean rank in balanced accuracy among "
        f"{n_samplers} samplers (1 = best) was " + "; ".join(parts) + ". A mean rank "
        "says which sampler did better on more data sets, not by how much: the "
        "per-data-set scores, with their spread over repeats of the cross-validation, "
        "are in the tables section of the benchmarks page."
    ) + (
        f" {note}"
        if (note := _settings_note(data, _package_defaults() if defaults is None else defaults))
        else ""
    )


# -- ablations and the AE + latent SMOTE baseline --------------------------------------


def _image_ablation_sentence(data: dict | None, name: str) -> str | None:
    """Each BAEGAN variant against BAEGAN on one image set, seed caveat computed."""
    rows = {
        r.get("sampler"): r for r in _records(data, "classification") if _finite(r.get("ACSA mean"))
    }
    baegan = rows.get("BAEGAN")
    variants = [n for n in rows if n and n != "BAEGAN" and _is_variant(n)]
    if not baegan or not variants:
        return None
    seeds = _image_seed_scores(data)
    spread = baegan.get("ACSA std", math.nan)
    all_seeds = _seeds_done(baegan)
    parts = []
    for variant in variants:
        row = rows[variant]
        done = _seeds_done(row)
        mine, theirs = seeds.get(variant) or {}, seeds.get("BAEGAN") or {}
        common = sorted(set(mine) & set(theirs), key=str)
        if done != all_seeds and common:
            gap = sum(mine[s] - theirs[s] for s in common) / len(common)
            which = "seed " + _join([str(s) for s in common])
            within = _finite(spread) and abs(gap) <= spread
            parts.append(
                f"{_escape(variant)}, run on {which} only, scored {gap:+.4f} against BAEGAN on "
                f"{'that seed' if len(common) == 1 else 'those seeds'}: a gap "
                f"{'within' if within else 'larger than'} BAEGAN's seed-to-seed standard "
                f"deviation ({spread:.4f})"
                + (", so that seed alone cannot tell them apart" if within else "")
            )
        else:
            both = _spread(row, baegan)
            parts.append(
                f"{_escape(variant)} scored {_mean_std(row['ACSA mean'], row.get('ACSA std', math.nan))} "
                f"over {_count(done, 'seed')}, {_relation(row['ACSA mean'] - baegan['ACSA mean'], both)} BAEGAN's "
                f"{_mean_std(baegan['ACSA mean'], spread)}"
            )
    return f"On {name} (balanced accuracy behind the benchmark's CNN): " + "; ".join(parts) + "."


def _tabular_ablation_sentence(data: dict | None) -> str | None:
    """Variants run on fewer repeats than BAEGAN: how often the gap beats the noise."""
    counts: dict[str, list[int]] = {}
    for name, _ in _CLASSIFIERS:
        for row in _records(data, f"balanced_accuracy_{name}"):
            mean, std = row.get("BAEGAN mean"), row.get("BAEGAN std")
            if not (_finite(mean) and _finite(std)):
                continue
            for key, value in row.items():
                variant = key[:-5] if key.endswith(" mean") else None
                if (
                    not variant
                    or variant == "BAEGAN"
                    or not _is_variant(variant)
                    or not _finite(value)
                ):
                    continue
                if _finite(row.get(f"{variant} std")):
                    continue  # as many repeats as BAEGAN: the ranks speak for it
                tally = counts.setdefault(variant, [0, 0, 0])
                tally[0] += 1
                if abs(value - mean) > std:
                    tally[1 if value > mean else 2] += 1
    if not counts:
        return None
    parts = [
        f"{_escape(v)} on {t[1] + t[2]} of {t[0]} (higher on {t[1]}, lower on {t[2]})"
        for v, t in counts.items()
    ]
    return (
        f"On the KEEL tables, {_join([_escape(v) for v in counts])} ran one repeat of the "
        "cross-validation where BAEGAN ran more. Counting the data sets and classifiers "
        "where a variant's balanced accuracy differs from BAEGAN's by more than BAEGAN's "
        "standard deviation over repeats: " + "; ".join(parts) + ". Elsewhere the gap is "
        "within the spread of BAEGAN's own repeats."
    )


def _ae_latent_smote_sentence(
    images: dict[str, dict | None], tabular: dict | None, cost: dict | None
) -> str | None:
    """AE + latent SMOTE against BAEGAN: scores, fit time, and when to pick it."""
    label = "AE + latent SMOTE"
    quality, within_all, compared = [], True, 0
    for name, data in images.items():
        rows = {
            r.get("sampler"): r
            for r in _records(data, "classification")
            if _finite(r.get("ACSA mean"))
        }
        if label not in rows or "BAEGAN" not in rows:
            continue
        ae, baegan = rows[label], rows["BAEGAN"]
        relation = _relation(ae["ACSA mean"] - baegan["ACSA mean"], _spread(ae, baegan))
        within_all &= relation == _WITHIN
        compared += 1
        quality.append(
            f"on {name} its balanced accuracy, {_mean_std(ae['ACSA mean'], ae.get('ACSA std', math.nan))}, "
            f"was {relation} BAEGAN's {_mean_std(baegan['ACSA mean'], baegan.get('ACSA std', math.nan))}"
        )
    ranks = []
    for name, classifier in _CLASSIFIERS:
        rows = {
            r.get("sampler"): r.get("balanced accuracy rank")
            for r in _records(tabular, f"ranks_{name}")
        }
        if _finite(rows.get(label)) and _finite(rows.get("BAEGAN")):
            ranks.append(f"{rows[label]:.2f} against {rows['BAEGAN']:.2f} behind {classifier}")
    if ranks:
        quality.append("on the KEEL tables its mean rank was " + "; ".join(ranks))
    times, fractions = [], []
    fits = {key: row.get("CPU seconds") for key, row in _cost_rows(cost).items()}
    names = _cost_data_names(cost)
    for key in _COST_DATA:
        ae, baegan = fits.get((key, label)), fits.get((key, "BAEGAN"))
        if _finite(ae) and _finite(baegan) and baegan > 0:
            fractions.append(ae / baegan)
            times.append(f"{ae / baegan:.0%} on {names[key]}")
    resampling = []
    for name, data in images.items():
        rows = {
            r.get("sampler"): r.get("resample s mean") for r in _records(data, "classification")
        }
        if _finite(rows.get(label)) and _finite(rows.get("BAEGAN")) and rows["BAEGAN"] > 0:
            fractions.append(rows[label] / rows["BAEGAN"])
            resampling.append(f"{rows[label] / rows['BAEGAN']:.0%} on {name}")
    if not quality and not fractions:
        return None
    text = f"{label} (``adversarial_epochs=0``): " + ("; ".join(quality) if quality else "")
    if times or resampling:
        text += (
            ". Its fit (the same pre-training epochs, and no adversarial ones) took, "
            + "; ".join(
                part
                for part in (
                    times
                    and "as a share of BAEGAN's CPU time in the cost benchmark, " + _join(times),
                    resampling
                    and "as a share of BAEGAN's resampling time in the image benchmarks, "
                    + _join(resampling),
                )
                if part
            )
        )
    text += "."
    if compared and within_all and fractions:
        text += (
            " On every image set measured it was within noise of BAEGAN at a fraction of the "
            "time, so it is the one to try first, and the one to keep on large data or on a "
            "CPU without a GPU, unless a validation on your data shows the adversarial phase "
            "paying off."
        )
    elif compared:
        text += (
            " On at least one image set the two were further apart than the seed-to-seed "
            "noise: compare both in a validation on your data before giving up the "
            "adversarial phase."
        )
    return text


# -- tuning -----------------------------------------------------------------------------


def _tuning_cells(data: dict | None) -> dict[str, dict]:
    """ACSA per seed of each tuning candidate, by the candidate's label."""
    candidates = ((data or {}).get("settings") or {}).get("candidates") or {}
    by_label: dict[str, dict] = {}
    for cell in (data or {}).get("cells") or []:
        if not isinstance(cell, dict) or cell.get("status") != "ok":
            continue
        score = (cell.get("scores") or {}).get("acsa")
        if not _finite(score):
            continue
        for label, spec in candidates.items():
            params = {k: v for k, v in (spec or {}).items() if k != "sampler"}
            if spec.get("sampler") == cell.get("sampler") and params == (cell.get("params") or {}):
                by_label.setdefault(label, {})[cell.get("seed")] = score
                break
    return by_label


def _tuning_labels(
    data: dict | None, defaults: dict | None
) -> tuple[str | None, str | None, str | None]:
    """Labels of the candidate at the package's defaults, of RandomOverSampler and of the starting point."""
    settings = (data or {}).get("settings") or {}
    base = settings.get("baegan") or {}
    chosen = reference = start = None
    for label, spec in (settings.get("candidates") or {}).items():
        spec = spec or {}
        if spec.get("sampler") == "ros":
            reference = label
        if spec.get("sampler") != "baegan":
            continue
        if set(spec) == {"sampler"}:
            start = label
        if chosen is None and _at_defaults({**base, **spec}, defaults):
            chosen = label
    return chosen, reference, start


def _paired(a: dict, b: dict) -> list[float]:
    return [a[s] - b[s] for s in sorted(set(a) & set(b), key=str)]


def _tuning_sentence(data: dict | None, defaults: dict | None = None) -> str | None:
    """The defaults against RandomOverSampler on validation images, with how they were chosen."""
    defaults = _package_defaults() if defaults is None else defaults
    chosen, reference, start = _tuning_labels(data, defaults)
    cells = _tuning_cells(data)
    if not chosen or not reference or chosen not in cells or reference not in cells:
        return None
    gains = _paired(cells[chosen], cells[reference])
    if not gains:
        return None
    mean, spread = sum(gains) / len(gains), _std(gains)
    validation = ((data or {}).get("settings") or {}).get("validation_per_class")
    text = (
        "On validation images of imbalanced Fashion-MNIST"
        + (
            f" ({validation:,} a class, drawn from the training pool; the test set is never read)"
            if _finite(validation)
            else ""
        )
        + f", the CNN trained after {_defaults_label(defaults)} scored {mean:+.4f}"
        + (f" ± {spread:.4f}" if _finite(spread) else "")
        + f" in balanced accuracy against {_escape(reference)}, seed by seed over "
        f"{len(gains)} training subsets (higher on {sum(g > 0 for g in gains)} of {len(gains)})"
    )
    if start and start in cells and start != chosen:
        first = _paired(cells[start], cells[reference])
        if first:
            text += (
                f"; after the paper's settings, where tuning started, "
                f"{sum(first) / len(first):+.4f} over {_count(len(first), 'seed')}"
            )
    text += "."
    # How the defaults were chosen: settings dropped after the seeds every
    # candidate ran on, then the survivors compared on the same validation sets.
    baegan = [
        label
        for label in cells
        if label != reference
        and ((data.get("settings") or {}).get("candidates") or {}).get(label, {}).get("sampler")
        == "baegan"
    ]
    screening = set.intersection(*(set(cells[label]) for label in baegan)) if baegan else set()
    dropped = [label for label in baegan if set(cells[label]) == screening]
    if screening and dropped and len(cells[chosen]) > len(screening):
        rest = [
            cells[chosen][s] - cells[reference][s]
            for s in cells[chosen]
            if s not in screening and s in cells[reference]
        ]
        which = "seed " + _join([str(s) for s in sorted(screening, key=str)])
        text += (
            f" How they were chosen matters for reading this: {len(dropped)} of the "
            f"{len(baegan)} BAEGAN settings tried were run on {which} only and dropped "
            "there, and the defaults were picked among the rest on the same validation "
            "sets that give these numbers, so the gain is an optimistic estimate."
        )
        if len(rest) > 1:
            rest_mean, rest_std = sum(rest) / len(rest), _std(rest)
            within = _finite(rest_std) and abs(rest_mean) <= rest_std
            text += (
                f" On the {_count(len(rest), 'seed')} not used to screen, the gain was {rest_mean:+.4f} ± "
                f"{rest_std:.4f}: {'within one seed-to-seed standard deviation of zero' if within else 'more than one seed-to-seed standard deviation from zero'}."
            )
    if len(gains) > 2:
        largest = max(gains, key=abs)
        without = (sum(gains) - largest) / (len(gains) - 1)
        text += f" Without its largest difference ({largest:+.4f}) the mean gain is {without:+.4f}."
    return text


def _tuning_alternatives_sentence(data: dict | None, defaults: dict | None = None) -> str | None:
    """The defaults against every other BAEGAN setting run on all of their seeds."""
    defaults = _package_defaults() if defaults is None else defaults
    chosen, reference, _ = _tuning_labels(data, defaults)
    cells = _tuning_cells(data)
    if not chosen or chosen not in cells:
        return None
    candidates = ((data or {}).get("settings") or {}).get("candidates") or {}
    parts = []
    for label, scores in cells.items():
        if label == chosen or (candidates.get(label) or {}).get("sampler") != "baegan":
            continue
        if not set(cells[chosen]) <= set(scores):
            continue
        differences = _paired(cells[chosen], scores)
        mean, spread = sum(differences) / len(differences), _std(differences)
        within = _finite(spread) and abs(mean) <= spread
        parts.append(
            f"{mean:+.4f} ± {spread:.4f} against {_escape(label)} (higher on "
            f"{sum(d > 0 for d in differences)} of {_count(len(differences), 'seed')}; "
            f"{'within' if within else 'beyond'} one seed-to-seed standard deviation)"
        )
    if not parts:
        return None
    return (
        f"On the same validation images, paired seed by seed, {_defaults_label(defaults)} "
        "scored " + "; ".join(parts) + " in balanced accuracy."
    )


# -- cost ---------------------------------------------------------------------------------


def _cost_rows(data: dict | None) -> dict[tuple, dict]:
    return {
        (r.get("data"), r.get("sampler")): r
        for r in _records(data, "fit_resample")
        if r.get("status") == "ok"
    }


def _cost_data_names(data: dict | None) -> dict[str, str]:
    """``"the abalone19 table (4,174 rows, 9 columns)"``, ``"467 8x8 digits"`` ..."""
    rows = _cost_rows(data)
    table = ((data or {}).get("settings") or {}).get("tabular_dataset")
    names = {}
    for key, name in _COST_DATA.items():
        shape = rows.get((key, "none")) or rows.get((key, "SMOTE")) or {}
        n_rows, features = shape.get("rows in"), shape.get("features")
        if key == "tabular":
            name = f"the {_escape(str(table))} table" if table else "a table"
            if _finite(n_rows) and _finite(features):
                name += f" ({_number(n_rows)} rows, {_number(features)} columns)"
        elif _finite(n_rows):
            side = math.isqrt(int(features)) if _finite(features) else 0
            pixels = f" of {side}x{side}" if side and side * side == features else ""
            name = f"{_number(n_rows)} {name} images" + ("" if key == "digits" else pixels)
        names[key] = name
    return names


def _family_cost_sentence(data: dict | None, defaults: dict | None = None) -> str | None:
    """Each deep sampler's default fit on Fashion-MNIST, in CPU time against BAEGAN's.

    Only when BAEGAN's measured fit ran at the package's current defaults.
    """
    defaults = _package_defaults() if defaults is None else defaults
    ran = [
        c.get("sampler_params")
        for c in (data or {}).get("cells") or []
        if isinstance(c, dict)
        and c.get("table") == "samplers"
        and c.get("data") == "fmnist"
        and c.get("sampler") == "baegan"
    ]
    if not ran or not _at_defaults(ran[0], defaults):
        return None
    rows = _cost_rows(data)
    baegan = rows.get(("fmnist", "BAEGAN"), {}).get("CPU seconds")
    others = [
        (n, rows[("fmnist", n)]["CPU seconds"])
        for n in _FAMILY_LABELS[1:]
        if _finite(rows.get(("fmnist", n), {}).get("CPU seconds"))
    ]
    if not _finite(baegan) or not others:
        return None
    parts = [
        f"{_escape(n)} {_short(cpu)} ({_short(cpu / baegan)} times BAEGAN's)" for n, cpu in others
    ]
    return (
        f"A fit at the defaults on {_cost_data_names(data)['fmnist']} took {_short(baegan)} CPU "
        f"seconds for BAEGAN, {_join(parts)}; each was measured once, in a fresh process on "
        f"{_hardware(data)}."
    )


def _fit_time_sentence(data: dict | None, defaults: dict | None = None) -> str | None:
    """Fit times per data type, at the package's defaults where measured."""
    defaults = _package_defaults() if defaults is None else defaults
    rows = _cost_rows(data)
    at_defaults, others = {}, {}
    for cell in (data or {}).get("cells") or []:
        if (
            isinstance(cell, dict)
            and cell.get("table") == "defaults"
            and cell.get("status") == "ok"
        ):
            if _at_defaults(cell.get("params"), defaults):
                at_defaults[cell.get("data")] = cell
            elif _finite(cell.get("cpu_seconds")):
                others.setdefault(cell.get("data"), []).append(cell)
    fits, smote = [], []
    names = _cost_data_names(data)
    for key in _COST_DATA:
        name = names[key]
        cell = at_defaults.get(key)
        if cell and _finite(cell.get("cpu_seconds")):
            fits.append(f"{_short(cell['cpu_seconds'])} s on {name}")
        elif _finite((rows.get((key, "BAEGAN")) or {}).get("CPU seconds")):
            fits.append(
                f"{_short(rows[(key, 'BAEGAN')]['CPU seconds'])} s on {name}, at the "
                "defaults of the version measured"
            )
        if _finite((rows.get((key, "SMOTE")) or {}).get("CPU seconds")):
            smote.append(f"{_short(rows[(key, 'SMOTE')]['CPU seconds'])} s")
    if not fits:
        return None
    where = _hardware(data)
    text = (
        f"In the cost benchmark, on {where}, one BAEGAN ``fit_resample`` at "
        f"{_defaults_label(defaults)} took, in CPU time, {_join(fits)}"
    )
    if len(smote) == len(fits):
        text += f"; SMOTE's took {_join(smote)}"
    text += "."
    ratios = [
        other["cpu_seconds"] / at_defaults[key]["cpu_seconds"]
        for key, cells in others.items()
        for other in cells
        if key in at_defaults
        and _finite(at_defaults[key].get("cpu_seconds"))
        and at_defaults[key]["cpu_seconds"] > 0
    ]
    if ratios:
        settings = sorted(
            {
                ", ".join(f"``{k}={v}``" for k, v in (other.get("params") or {}).items())
                for cells in others.values()
                for other in cells
            }
        )
        text += (
            f" With {_join(settings)} a fit took {_short(min(ratios))} to {_short(max(ratios))} "
            "times as much CPU time."
        )
    return text + (
        " One run per cell, CPU time of the process: on another machine, or with more "
        "threads, the seconds differ, and wall time also counts waiting for a shared CPU."
    )


def _epoch_cost_sentence(data: dict | None) -> str | None:
    """How much dearer an adversarial epoch is than a pre-training one, per data type."""
    rows, names = _cost_rows(data), _cost_data_names(data)
    parts = []
    for key in _COST_DATA:
        row = rows.get((key, "BAEGAN")) or {}
        pre, adv = row.get("pretrain samples/CPU s"), row.get("adversarial samples/CPU s")
        if _finite(pre) and _finite(adv) and adv > 0:
            parts.append(f"{pre / adv:.1f} on {names[key]}")
    if not parts:
        return None
    return (
        "In the cost benchmark's per-epoch rates (rows per CPU second), an adversarial "
        "epoch cost as much CPU time as this many pre-training epochs: " + _join(parts) + "."
    )


def _cpu_rule_sentence(data: dict | None, defaults: dict | None = None) -> str | None:
    """Seconds per 1,000 rows or images at the default epochs, from the scaling tables."""
    defaults = _package_defaults() if defaults is None else defaults
    pe, ae = (defaults or {}).get("pretrain_epochs"), (defaults or {}).get("adversarial_epochs")
    if not (_finite(pe) and _finite(ae)):
        return None

    def per_thousand(row: dict) -> tuple[float, float, float] | None:
        pre, adv = row.get("pretrain samples/CPU s"), row.get("adversarial samples/CPU s")
        if not (_finite(pre) and _finite(adv) and pre > 0 and adv > 0):
            return None
        return 1000 / pre, 1000 / adv, 1000 * (pe / pre + ae / adv)

    tables = [
        (r, per_thousand(r))
        for r in _records(data, "scaling_rows")
        if r.get("sampler") == "BAEGAN" and r.get("status") == "ok"
    ]
    tables = [(r, t) for r, t in tables if t]
    images = [
        (r, per_thousand(r))
        for r in _records(data, "scaling_image_size")
        if r.get("sampler") == "BAEGAN" and r.get("status") == "ok"
    ]
    images = [(r, t) for r, t in images if t and _finite(r.get("features"))]
    if not tables and not images:
        return None
    sentences = []
    if tables:
        fits = [t[2] for _, t in tables]
        sizes = sorted(r["rows in"] for r, _ in tables if _finite(r.get("rows in")))
        columns = sorted({int(r["features"]) for r, _ in tables if _finite(r.get("features"))})
        sentences.append(
            f"A table costs about {_short(min(fits))} to {_short(max(fits))} s of CPU time per "
            f"1,000 rows for a fit at {pe}+{ae} epochs ({_short(min(t[0] for _, t in tables))} to "
            f"{_short(max(t[0] for _, t in tables))} s per 1,000 rows per pre-training epoch, "
            f"{_short(min(t[1] for _, t in tables))} to {_short(max(t[1] for _, t in tables))} s per "
            "adversarial epoch)"
            + (f", measured from {_number(sizes[0])} to {_number(sizes[-1])} rows" if sizes else "")
            + (f" of {_join([str(c) for c in columns])} columns" if columns else "")
            + "."
        )
        sparse = [
            r
            for r in _records(data, "sparse")
            if r.get("status") == "ok"
            and all(
                _finite(r.get(k))
                for k in (
                    "rows in",
                    "features",
                    "CPU s per pre-training epoch",
                    "CPU s per adversarial epoch",
                )
            )
        ]
        if sparse:
            row = sparse[0]
            per_row = 1000 / row["rows in"]
            pre, adv = (
                row["CPU s per pre-training epoch"] * per_row,
                row["CPU s per adversarial epoch"] * per_row,
            )
            density = f" (density {row['density']})" if _finite(row.get("density")) else ""
            fit = pe * pre + ae * adv
            dense = [t[2] for _, t in tables]
            than = (
                ""
                if not dense
                else (
                    ", more than the table above"
                    if fit > max(dense)
                    else ", less than the table above"
                    if fit < min(dense)
                    else ", within the range of the table above"
                )
            )
            sentences.append(
                f"A sparse table of {_number(row['features'])} columns{density} cost "
                f"{_short(pre)} s per 1,000 rows per pre-training epoch and {_short(adv)} s per "
                f"adversarial epoch, about {_short(fit)} s per 1,000 rows for a fit at "
                f"{pe}+{ae} epochs{than}: the width of the rows counts, not only their number."
                if than
                else f"A sparse table of {_number(row['features'])} columns{density} cost "
                f"{_short(pre)} s per 1,000 rows per pre-training epoch and {_short(adv)} s per "
                f"adversarial epoch, about {_short(fit)} s per 1,000 rows for a fit at {pe}+{ae} epochs."
            )
        else:
            sentences.append("The number of columns was not varied.")
    if images:
        parts = []
        for row, t in sorted(images, key=lambda item: item[0]["features"]):
            side = math.isqrt(int(row["features"]))
            name = (
                f"{side}x{side}"
                if side * side == row["features"]
                else f"{_number(row['features'])} pixels"
            )
            parts.append(f"{_short(t[2])} s at {name}")
        sentences.append(
            f"An image fit at {pe}+{ae} epochs costs about " + _join(parts) + " per 1,000 "
            "single-channel images, with the default network widths."
        )
        same = [
            per_thousand(
                {
                    "pretrain samples/CPU s": c.get("pretrain_samples_per_s"),
                    "adversarial samples/CPU s": c.get("adversarial_samples_per_s"),
                }
            )
            for c in (data or {}).get("cells") or []
            if isinstance(c, dict)
            and c.get("sampler") == "baegan"
            and c.get("status") == "ok"
            and c.get("n_features") == 784
        ]
        same = [t[2] for t in same if t]
        if len(same) > 1 and min(same) > 0:
            sentences.append(
                f"The {len(same)} BAEGAN cells of the benchmark with 28x28 images ran at "
                f"per-epoch rates up to {_short(max(same) / min(same))} times apart, so read "
                "these as orders of magnitude."
            )
    sentences.append(
        f"Measured on {_hardware(data)}, each epoch timed by the process's CPU "
        "time: another CPU, more threads or other work on the machine change the rates."
    )
    return " ".join(sentences)


def _gpu_sentence(sets: dict[str, dict]) -> str:
    """Which committed results ran on a GPU: none, so far, or those that did."""
    gpus = {
        stem: ((data.get("meta") or {}).get("hardware") or {}).get("cuda")
        for stem, data in sets.items()
    }
    measured = {stem: gpu for stem, gpu in gpus.items() if gpu}
    if not measured:
        return (
            "No GPU timings exist for this package yet: every committed benchmark result "
            "records that no CUDA device was used, so every time quoted in these pages is "
            "a CPU time, and what a GPU gains has not been measured."
        )
    named = _join(
        [f"{stem.replace('_', ' ')} (on {_escape(str(gpu))})" for stem, gpu in measured.items()]
    )
    return f"These benchmark results were measured on a GPU: {named}; the others on a CPU."


def render_guide(folder: Path, defaults: dict | None = None) -> dict[str, str]:
    """The user guide's sentences computed from the result files, by include file.

    Parameters
    ----------
    folder : Path
        ``benchmarks/results``; it may be missing or empty.
    defaults : dict, optional
        The sampler's defaults to compare the results with; by default those
        of the installed ``imblearn_baegan``.

    Returns
    -------
    includes : dict
        Include file name -> reStructuredText. A sentence whose numbers are
        missing becomes a note saying which benchmark would give them.
    """
    sets = _load_result_sets(folder) if folder.is_dir() else {}
    defaults = _package_defaults() if defaults is None else defaults
    fmnist, digits = sets.get("images_fmnist"), sets.get("images_digits")
    tabular, cost, tuning = sets.get("tabular"), sets.get("cost"), sets.get("tuning_fmnist")

    def block(sentences, missing: str, bullets: bool = False) -> str:
        sentences = [s for s in sentences if s]
        if not sentences:
            return f"*{missing}*\n"
        note = [_WITHIN_NOTE] if any(_WITHIN in s or "seed-to-seed" in s for s in sentences) else []
        if bullets:
            return "\n".join(f"* {s}" for s in sentences) + "".join(f"\n\n{n}" for n in note) + "\n"
        return "\n\n".join(sentences + note) + "\n"

    def images(data, name):
        parts = [_image_guide_sentence(data, name, defaults), _fd_sentence(data)]
        return " ".join(p for p in parts if p) or None

    names = {"fmnist": "imbalanced Fashion-MNIST", "digits": "imbalanced 8x8 digits"}
    return {
        "guide_results.inc": block(
            [
                images(fmnist, names["fmnist"])
                and "**Images, the paper's protocol.** " + images(fmnist, names["fmnist"]),
                images(digits, names["digits"])
                and "**Small images.** " + images(digits, names["digits"]),
                _tabular_guide_sentence(tabular, defaults)
                and "**Tables.** " + _tabular_guide_sentence(tabular, defaults),
            ],
            "No image or table benchmark has been committed yet.",
            bullets=True,
        ),
        "guide_ablations.inc": block(
            [
                _image_ablation_sentence(fmnist, names["fmnist"]),
                _image_ablation_sentence(digits, names["digits"]),
                _tabular_ablation_sentence(tabular),
            ],
            "No ablation has been run by this package's benchmarks yet.",
            bullets=True,
        ),
        "guide_ae_latent_smote.inc": block(
            [
                _ae_latent_smote_sentence(
                    {names["fmnist"]: fmnist, names["digits"]: digits}, tabular, cost
                )
            ],
            "The AE + latent SMOTE baseline has not been benchmarked yet.",
        ),
        "guide_tuning.inc": block(
            [_tuning_sentence(tuning, defaults)],
            "The tuning benchmark has not been committed yet, or did not run the current defaults.",
        ),
        "guide_tuning_alternatives.inc": block(
            [_tuning_alternatives_sentence(tuning, defaults)],
            "The tuning benchmark has not compared the current defaults with other settings yet.",
        ),
        "guide_fit_times.inc": block(
            [_fit_time_sentence(cost, defaults)], "The cost benchmark has not been committed yet."
        ),
        "guide_epoch_cost.inc": block(
            [_epoch_cost_sentence(cost)], "The cost benchmark has not timed epochs yet."
        ),
        "guide_cpu_rule.inc": block(
            [_cpu_rule_sentence(cost, defaults)],
            "The cost benchmark's scaling tables have not been committed yet.",
        ),
        "guide_gpu.inc": block([_gpu_sentence(sets)], ""),
        "guide_family.inc": block(
            [
                *_family_sentences(fmnist, names["fmnist"]),
                *_family_sentences(digits, names["digits"]),
                _family_cost_sentence(cost, defaults),
            ],
            "The image benchmark has not compared the deep samplers yet.",
            bullets=True,
        ),
    }


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
        **{
            f"family_{name}.inc": render_tables(folder, f"images_{name}", _PAPER_TABLES)
            for name in ("fmnist", "digits")
        },
        **render_guide(folder),
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
