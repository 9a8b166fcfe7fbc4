"""Benchmark results in the docs, read from ``benchmarks/results/`` when the docs are built.

What the directives of :mod:`result_directives` show, without Sphinx: four
directives, so that every number a page shows comes from a committed result
file and cannot drift from it:

``.. result-table:: <stem> <table>``
    A table of ``<stem>.json``, with ``:columns:`` (the
    table's own names; a ``"<x> mean"``/``"<x> std"`` pair is one column
    ``<x>``, shown as mean ± std), ``:rows:`` (values of the first column
    to keep) and ``:caption:``; lists are separated by semicolons, as names hold
    commas.
``.. result-provenance:: <stem>``
    A folded section with the command, date, commit, hardware, versions
    and notes of ``<stem>.json``.
``.. result-sentence:: <name>``
    A few plain sentences computed from the results (:data:`SENTENCES`).
``.. result-summary:: <name>``
    A table computed from several result files (:data:`SUMMARIES`).

A result file that is missing gives a line saying so and how to run it,
not a failed build.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results"
_COMMANDS = {
    "tabular": "tabular --seeds 3",
    "tabular_validation": "tabular --validation --seeds 1",
    "mixed": "mixed --seeds 3",
    "cost": "cost",
    "search": "search",
    "images_fmnist": "images --dataset fmnist --seeds 3",
    "images_digits": "images --dataset digits --seeds 3",
    "tuning_fmnist": "tuning --dataset fmnist --seeds 5",
}


@functools.cache
def load(stem: str, folder: Path = RESULTS) -> dict | None:
    """The result file ``<stem>.json``, or ``None`` when it is missing."""
    path = folder / f"{stem}.json"
    return json.loads(path.read_text()) if path.exists() else None


def table(result: dict | None, name: str) -> list[dict]:
    """The records of one table of a result file (empty when missing)."""
    return list(((result or {}).get("tables") or {}).get(name) or [])


def finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def number(value, digits: int = 4) -> str:
    """A value as a table shows it: 4 decimals below 10, fewer above, '—' when missing."""
    if not finite(value):
        return "—" if value is None or isinstance(value, float) else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.{digits}f}"


def mean_std(mean, std=None) -> str:
    if not finite(mean):
        return "—"
    return number(mean) if not finite(std) else f"{number(mean)} ± {number(std)}"


def merged(records: list[dict]) -> tuple[list[str], list[dict]]:
    """Columns and rows with each ``"<x> mean"``/``"<x> std"`` pair shown as one ``<x>``."""
    columns: list[str] = []
    for record in records:
        for key in record:
            base = key[:-5] if key.endswith(" mean") else key[:-4] if key.endswith(" std") else key
            paired = key != base and f"{base} mean" in record
            name = base if paired else key
            if name not in columns:
                columns.append(name)
    rows = []
    for record in records:
        row = {}
        for column in columns:
            if f"{column} mean" in record:
                row[column] = mean_std(record[f"{column} mean"], record.get(f"{column} std"))
            elif column.endswith("rank") and finite(record.get(column)):
                # Mean ranks read best with two decimals.
                row[column] = f"{record[column]:.2f}"
            else:
                row[column] = number(record.get(column))
        rows.append(row)
    return columns, rows


def table_lines(records: list[dict], columns=None, rows=None, caption: str = "") -> list[str]:
    """reStructuredText of a list-table of ``records``."""
    names, shown = merged(records)
    if rows:
        first = names[0]
        shown = [r for r in shown if r[first] in rows]
    names = [c for c in (columns or names) if c in names]
    if not shown or not names:
        return []
    lines = [f".. list-table:: {caption}".rstrip(), "   :header-rows: 1", ""]
    for row in [{c: c for c in names}, *shown]:
        for i, column in enumerate(names):
            text = _escape(str(row[column])) or " "
            lines.append(f"   {'* -' if i == 0 else '  -'} {text}")
    return [*lines, ""]


def _escape(text: str) -> str:
    """A cell's text with the characters reStructuredText would read as markup escaped."""
    for char in ("\\", "*", "`", "|", "_"):
        text = text.replace(char, "\\" + char)
    return text


def missing(stem: str) -> list[str]:
    """What a page shows where a benchmark has not run: the fact, and in a fold, the command."""
    command = _COMMANDS.get(stem, stem)
    return [
        "*Not measured yet.*",
        "",
        ".. dropdown:: How to measure it",
        "   :color: light",
        "",
        f"   From a clone: ``python benchmarks/run.py {command}``.",
        "",
    ]


def provenance_lines(result: dict | None, stem: str) -> list[str]:
    if result is None:
        return missing(stem)
    meta, hardware = result["meta"], result["meta"]["hardware"]
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    gpu = hardware.get("cuda") or "none"
    lines = [
        ".. dropdown:: How these results were measured",
        "   :color: light",
        "",
        f"   - command: ``{meta['command']}``",
        f"   - date: {meta['date'][:10]}, commit ``{meta['git_commit'][:10]}``",
        f"   - hardware: {hardware['cpu']}, {hardware['cores_visible']} cores, GPU: {gpu}",
        f"   - versions: {versions}",
        "",
    ]
    for note in result.get("notes") or []:
        lines += ["   " + _escape(note.replace("\n", " ")), ""]
    return lines


# -- sentences ----------------------------------------------------------------------------


def _rank(records: list[dict], sampler: str, column: str):
    row = next((r for r in records if r.get("sampler") == sampler), None)
    return None if row is None else row.get(column)


def tables_sentence() -> str:
    """BAEGAN's mean rank on the KEEL tables behind each classifier, beside SMOTE's."""
    result = load("tabular")
    if result is None:
        return ""
    parts = []
    for key, label in (
        ("knn", "k-nearest neighbours"),
        ("logistic_regression", "logistic regression"),
        ("hist_gradient_boosting", "gradient boosting"),
    ):
        records = table(result, f"ranks_{key}")
        baegan = _rank(records, "BAEGAN", "balanced accuracy rank")
        smote = _rank(records, "SMOTE", "balanced accuracy rank")
        ranked = sum(finite(r.get("balanced accuracy rank")) for r in records)
        if finite(baegan) and finite(smote):
            parts.append(f"{label} {baegan:.2f} of {ranked} (SMOTE {smote:.2f})")
    if not parts:
        return ""
    return (
        "On the 18 KEEL tables, BAEGAN's mean rank in balanced accuracy among the samplers "
        "and anchors ranked (1 is best; the anchors are no resampling with a tuned "
        "threshold, and with class weights where the classifier takes them) was, behind "
        f"{'; behind '.join(parts)}."
    )


_VERY_IMBALANCED = "imbalance ratio 30 or more"


def defaults_sentence() -> str:
    """The table defaults against the image defaults and the former ones, on the test folds."""
    result = load("tabular")
    parts = []
    for key, label in (
        ("baegan_20_20_half", "the image defaults (20+20 epochs, half the new rows copied)"),
        ("baegan_40_40_all", "the former defaults (40+40 epochs, every new row generated)"),
    ):
        records = table(result, f"defaults_against_{key}")
        if not records:
            continue
        column = next(c for c in records[0] if c.endswith(" mean"))
        diffs = {
            group: ", ".join(
                f"{r['classifier']} {r[column]:+.4f} ± {r[column[:-5] + ' std']:.4f}"
                for r in records
                if r.get("tables", "all") == group and finite(r[column])
            )
            for group in ("all", _VERY_IMBALANCED)
        }
        text = f"against {label}: {diffs['all']}"
        if diffs[_VERY_IMBALANCED]:
            text += f" (on the tables with an {_VERY_IMBALANCED}: {diffs[_VERY_IMBALANCED]})"
        parts.append(text)
    if not parts:
        return ""
    return (
        "In balanced accuracy on the test folds, paired by data set (mean ± standard deviation "
        "over the 18 tables), the table defaults differ " + "; ".join(parts) + "."
    )


# Labels with a comma, as a list in a sentence cannot hold them.
_SPOKEN = {"CTGAN, 300 epochs": "CTGAN at 300 epochs", "none, tuned threshold": "a tuned threshold"}


def _rank_parts(records: list[dict], others: tuple[str, ...]) -> list[str]:
    """'behind <classifier>, BAEGAN <rank> (<rival> <rank>, ...)' per classifier."""
    parts = []
    for classifier in ("gradient boosting", "logistic regression"):
        column = f"{classifier} rank"
        baegan = _rank(records, "BAEGAN", column)
        if not finite(baegan):
            continue
        rivals = ", ".join(
            f"{_SPOKEN.get(name, name)} {_rank(records, name, column):.2f}"
            for name in others
            if finite(_rank(records, name, column))
        )
        parts.append(f"behind {classifier}, BAEGAN {baegan:.2f} ({rivals})")
    return parts


def mixed_sentence() -> str:
    """BAEGAN on mixed tables against SMOTENC, random over-sampling, CTGAN and a tuned threshold."""
    result = load("mixed")
    records = table(result, "ranks_balanced_accuracy")
    if not records:
        return ""
    others = ("SMOTENC", "RandomOverSampler", "CTGAN, 300 epochs", "none, tuned threshold")
    # A tuned threshold needs two classes: where it is ranked, so are only such tables.
    two_class = " two-class" if _rank(records, "none, tuned threshold", "tables") else ""
    text = (
        f"On {records[0].get('tables')} real{two_class} tables with categorical columns, the "
        "mean ranks in balanced accuracy (1 is best) were: "
        f"{'; '.join(_rank_parts(records, others))}."
    )
    shared = table(result, "ranks_balanced_accuracy_shared_tables")
    if shared:
        text += (
            f" CTGAN at its default epochs ran on {shared[0].get('tables')} of the tables; "
            f"there: {'; '.join(_rank_parts(shared, others))}."
        )
    ahead = []
    for key, classifier in (
        ("hist_gradient_boosting", "gradient boosting"),
        ("logistic_regression", "logistic regression"),
    ):
        pairs = [
            (r["BAEGAN mean"], r["CTGAN, 300 epochs mean"])
            for r in table(result, f"balanced_accuracy_{key}")
            if finite(r.get("BAEGAN mean")) and finite(r.get("CTGAN, 300 epochs mean"))
        ]
        if pairs:
            above = sum(b > c for b, c in pairs)
            ahead.append(f"{above} of {len(pairs)} tables behind {classifier}")
    if ahead:
        text += (
            " BAEGAN's balanced accuracy was above that of CTGAN at its default epochs on "
            f"{' and on '.join(ahead)}."
        )
    ratios = [r["CTGAN / BAEGAN"] for r in table(result, "fit_cost")]
    if ratios and all(finite(r) for r in ratios):
        text += (
            f" CTGAN's default fit took {min(ratios):.0f} to {max(ratios):.0f} times "
            "BAEGAN's CPU time on the same tables."
        )
    fidelity = {r["sampler"]: r for r in table(result, "fidelity")}
    baegan = fidelity.get("BAEGAN")
    smotenc = fidelity.get("SMOTENC")
    if baegan and smotenc and finite(baegan.get("categorical TVD mean")):
        text += (
            " The total variation distance of the generated rows' categories from held-out "
            f"minority rows was {baegan['categorical TVD mean']:.3f} for BAEGAN and "
            f"{smotenc['categorical TVD mean']:.3f} for SMOTENC; every generated category was "
            f"valid ({baegan['valid categories mean']:.0%} for BAEGAN)."
        )
    return text


def _rows(result, sampler: str) -> dict:
    return {r["rows in"]: r for r in table(result, "scaling_rows") if r.get("sampler") == sampler}


def scaling_sentence() -> str:
    """What a fit costs on large, very imbalanced tables, and how it grows."""
    result = load("cost")
    baegan, smote = _rows(result, "BAEGAN"), _rows(result, "SMOTE")
    sizes = sorted(n for n, r in baegan.items() if finite(r.get("CPU seconds")))
    if len(sizes) < 2:
        return ""
    small, large = sizes[-2], sizes[-1]
    text = (
        f"At its defaults BAEGAN's fit_resample took {baegan[small]['CPU seconds']:.0f} CPU "
        f"seconds on {small:,} rows (0.5% in the minority) and "
        f"{baegan[large]['CPU seconds']:.0f} on {large:,}, "
        f"{baegan[large]['CPU seconds'] / baegan[small]['CPU seconds']:.2f} times as much for "
        f"{large / small:.0f} times the rows"
    )
    if large in smote and finite(smote[large].get("CPU seconds")):
        text += f" (SMOTE: {smote[large]['CPU seconds']:.1f} s)"
    text += "."
    ratios = [
        r[f"{phase} step / plain torch"]
        for r in baegan.values()
        for phase in ("pretrain", "adversarial")
        if finite(r.get(f"{phase} step / plain torch"))
    ]
    if ratios:
        text += (
            " A training step took between "
            f"{min(ratios):.2f} and {max(ratios):.2f} times the step of a hand-written torch "
            "loop over the same networks and batch."
        )
    beyond = [r.get("peak minus output MiB") for r in baegan.values()]
    beyond = [b for b in beyond if finite(b)]
    if beyond:
        text += (
            f" Memory beyond the input and the output stayed under {max(beyond):.0f} MiB at "
            "every size."
        )
    return text


def threads_sentence() -> str:
    """A small fit on a busy machine, with the threads the package chooses and with all."""
    records = table(load("cost"), "threads")
    ratio = {r["threads"]: r.get("seconds / idle") for r in records if "busy" in r["machine"]}
    sized, every = ratio.get("sized by the package"), ratio.get("all of torch's")
    if not (finite(sized) and finite(every)):
        return ""
    return (
        "Beside two busy processes, BAEGAN's fit on imbalanced 8x8 digits took "
        f"{sized:.1f} times its idle wall time on the threads the package chooses, and "
        f"{every:.1f} times on all of torch's."
    )


def cpu_rule_sentence() -> str:
    """Seconds to expect on a CPU, from the cost benchmark's tables."""
    result = load("cost")
    baegan = _rows(result, "BAEGAN")
    parts = []
    sizes = sorted(n for n, r in baegan.items() if finite(r.get("CPU seconds")))
    if sizes:
        first = baegan[sizes[0]]
        parts.append(
            f"a table of {sizes[0]:,} rows and 30 columns about {first['CPU seconds']:.0f} CPU "
            f"seconds, and any larger one about {baegan[sizes[-1]]['CPU seconds']:.0f} (each "
            "epoch shows at most 16,384 rows)"
        )
    fit = table(result, "fit_resample")
    fmnist = [r for r in fit if r.get("data") == "fmnist" and r.get("sampler") == "BAEGAN"]
    if fmnist and finite(fmnist[0].get("CPU seconds")):
        parts.append(
            f"the {fmnist[0]['rows in']:,} Fashion-MNIST images of the image benchmark about "
            f"{fmnist[0]['CPU seconds']:.0f}"
        )
    if not parts:
        return ""
    return "On one core of the benchmark machine, a default BAEGAN fit costs " + (
        "; ".join(parts) + "."
    )


def gpu_sentence() -> str:
    """Which result files were measured on a GPU."""
    on_gpu = [
        path.stem
        for path in sorted(RESULTS.glob("*.json"))
        if ((json.loads(path.read_text()).get("meta") or {}).get("hardware") or {}).get("cuda")
    ]
    if not on_gpu:
        return (
            "No result file of the package was measured on a GPU yet: every number in these "
            "pages comes from a CPU."
        )
    return "Measured on a GPU: " + ", ".join(on_gpu) + "."


def images_sentence() -> str:
    """BAEGAN on imbalanced Fashion-MNIST against the simple samplers."""
    records = table(load("images_fmnist"), "paper_comparison")
    rows = {r["sampler"]: r for r in records}
    baegan = rows.get("BAEGAN")
    if not baegan:
        return ""
    others = [
        f"{name} {mean_std(rows[name]['ACSA mean'], rows[name].get('ACSA std'))}"
        for name in ("RandomOverSampler", "SMOTE", "none")
        if name in rows
    ]
    return (
        "On imbalanced Fashion-MNIST, with the same CNN after each sampler, BAEGAN's balanced "
        f"accuracy (ACSA) was {mean_std(baegan['ACSA mean'], baegan.get('ACSA std'))} over "
        f"{baegan['seeds']} seeds, against " + ", ".join(others) + "."
    )


def anchors_sentence() -> str:
    """BAEGAN on Fashion-MNIST against what an image classifier's user would do instead."""
    rows = {r["sampler"]: r for r in table(load("images_fmnist"), "classification")}
    names = (
        "none, class-weighted CE",
        "none, logit-adjusted CE",
        "RandomOverSampler + augmentation",
        "BAEGAN + augmentation",
    )
    if "BAEGAN" not in rows or not any(finite(rows.get(n, {}).get("ACSA mean")) for n in names):
        return ""

    def acsa(name: str, shown: str) -> str:
        row = rows.get(name, {})
        if not finite(row.get("ACSA mean")):
            return f"{shown} not measured yet"
        return f"{shown} {mean_std(row['ACSA mean'], row.get('ACSA std'))} ({row['seeds']} seeds)"

    return (
        "Against what an image classifier's user would do instead of a deep sampler, on "
        "the same subsets and seeds, in ACSA: "
        f"{acsa('BAEGAN', 'BAEGAN')}; without resampling, "
        f"{acsa(names[0], 'a class-weighted loss')} and "
        f"{acsa(names[1], 'a logit-adjusted loss')}, each trained for the balanced set's "
        "number of gradient steps; with augmentation in the classifier's batches, "
        f"{acsa(names[2], 'random over-sampling')} and {acsa(names[3], 'BAEGAN')}."
    )


def memorisation_sentence() -> str:
    """How many of BAEGAN's generated Fashion-MNIST images are near copies of training images."""
    rows = {r["sampler"]: r for r in table(load("images_fmnist"), "memorisation")}
    baegan = rows.get("BAEGAN")
    if not baegan:
        return ""
    share = baegan["near copies (share) mean"]
    ratio = baegan["nearest-training distance, generated / held-out real (median) mean"]
    return (
        f"{share:.0%} of the images BAEGAN generates are near copies of a training image, and "
        f"the median one lies {ratio:.2f} times as far from its nearest training image as a "
        f"held-out real image does (mean over {baegan['seeds']} seeds): its default residual "
        "decoding adds a small change to a real image, so most of its images are close "
        "cousins of the rows random over-sampling copies."
    )


def _verdict_across_tables(differences: list[float]) -> str:
    """A paired difference over tables: its mean, how often positive, and a Wilcoxon verdict."""
    from scipy import stats

    if not differences:
        return "not measured yet"
    higher = sum(d > 0 for d in differences)
    mean = sum(differences) / len(differences)
    verdict = "level"
    if len(differences) >= 6 and any(differences):
        p = stats.wilcoxon(differences).pvalue
        if p < 0.05:
            verdict = "ahead" if mean > 0 else "behind"
    return f"{mean:+.3f}, higher on {higher} of {len(differences)} tables: {verdict}"


def _table_differences(records, key, baegan, other, score) -> list[float]:
    """BAEGAN minus ``other`` per table, each the mean over the table's other keys."""
    by_table: dict = {}
    for record in records:
        if record["sampler"] in (baegan, other) and finite(record.get(score)):
            cell = by_table.setdefault(record[key], {}).setdefault(record["sampler"], [])
            cell.append(record[score])
    return [
        sum(cells[baegan]) / len(cells[baegan]) - sum(cells[other]) / len(cells[other])
        for cells in by_table.values()
        if baegan in cells and other in cells
    ]


def _fit_cost(data: str) -> str:
    rows = {r["sampler"]: r for r in table(load("cost"), "fit_resample") if r["data"] == data}
    if "BAEGAN" not in rows or "SMOTE" not in rows:
        return "—"
    return (
        f"{number(rows['BAEGAN']['CPU seconds'])} CPU s (SMOTE "
        f"{number(rows['SMOTE']['CPU seconds'], 3)} s), {rows['BAEGAN']['rows in']:,} rows"
    )


def verdict_lines() -> list[str]:
    """The landing page's table: BAEGAN against what a user would try instead, by kind of data.

    Images: mean ACSA difference over seeds, "ahead" or "behind" when it
    exceeds the larger seed standard deviation of the two, "level" otherwise.
    Tables: the per-table mean difference in balanced accuracy (over
    classifiers and repeats), "ahead" or "behind" when a two-sided Wilcoxon
    signed-rank test over the tables gives p < 0.05.
    """
    images = {r["sampler"]: r for r in table(load("images_fmnist"), "classification")}

    def image_cell(other: str) -> str:
        if "BAEGAN" not in images or other not in images:
            return "not measured yet"
        b, o = images["BAEGAN"], images[other]
        difference = b["ACSA mean"] - o["ACSA mean"]
        spread = max(b["ACSA std"], o["ACSA std"])
        verdict = "ahead" if difference > spread else "behind" if difference < -spread else "level"
        return f"{difference:+.3f} (seed std {spread:.3f}): {verdict}"

    keel = table(load("tabular"), "scores")
    mixed = table(load("mixed"), "scores")
    seeds = images.get("BAEGAN", {}).get("seeds", "?")

    def label(records, key, kind) -> str:
        tables = len({r[key] for r in records})
        classifiers = len({r["classifier"] for r in records})
        plural = "s" if classifiers > 1 else ""
        return f"{tables} {kind}, balanced accuracy, {classifiers} classifier{plural}"

    def fit(records, other) -> str:
        seconds = {
            name: [r["cpu_seconds"] for r in records if r["sampler"] == name]
            for name in ("baegan", other)
        }
        if not all(seconds.values()):
            return "—"
        mean = {name: sum(v) / len(v) for name, v in seconds.items()}
        return (
            f"{number(mean['baegan'])} CPU s a fit ({other.upper()} "
            f"{number(mean[other], 2)} s), mean over the tables"
        )

    records = [
        {
            "data": f"Fashion-MNIST images, ACSA, {str(seeds).split('/')[0]} seeds",
            "against SMOTE": image_cell("SMOTE"),
            "against random over-sampling": image_cell("RandomOverSampler"),
            "against a re-weighted loss or a tuned threshold": "logit-adjusted loss "
            + image_cell("none, logit-adjusted CE"),
            "BAEGAN's fit": _fit_cost("fmnist"),
        },
        {
            "data": label(keel, "dataset", "numeric KEEL tables"),
            "against SMOTE": _verdict_across_tables(
                _table_differences(keel, "dataset", "baegan", "smote", "balanced_accuracy mean")
            ),
            "against random over-sampling": _verdict_across_tables(
                _table_differences(keel, "dataset", "baegan", "ros", "balanced_accuracy mean")
            ),
            "against a re-weighted loss or a tuned threshold": "tuned threshold "
            + _verdict_across_tables(
                _table_differences(
                    keel, "dataset", "baegan", "none_threshold", "balanced_accuracy mean"
                )
            ),
            "BAEGAN's fit": _fit_cost("tabular"),
        },
        {
            "data": label(mixed, "table", "real tables with categorical columns"),
            "against SMOTE": "SMOTENC "
            + _verdict_across_tables(
                _table_differences(mixed, "table", "baegan", "smotenc", "balanced_accuracy")
            ),
            "against random over-sampling": _verdict_across_tables(
                _table_differences(mixed, "table", "baegan", "ros", "balanced_accuracy")
            ),
            "against a re-weighted loss or a tuned threshold": "tuned threshold "
            + _verdict_across_tables(
                _table_differences(mixed, "table", "baegan", "threshold", "balanced_accuracy")
            ),
            "BAEGAN's fit": fit(mixed, "smotenc"),
        },
    ]
    measured = [bool(images), bool(keel), bool(mixed)]
    return table_lines([record for record, kept in zip(records, measured) if kept])


#: Tables computed from several result files, for ``.. result-summary:: <name>``.
SUMMARIES = {"verdicts": verdict_lines}


SENTENCES = {
    "tables": tables_sentence,
    "defaults": defaults_sentence,
    "mixed": mixed_sentence,
    "scaling": scaling_sentence,
    "threads": threads_sentence,
    "cpu-rule": cpu_rule_sentence,
    "gpu": gpu_sentence,
    "images": images_sentence,
    "memorisation": memorisation_sentence,
    "anchors": anchors_sentence,
}
