"""The docs extension shows the result files' numbers, and says when there are none."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "sphinxext"))

import results  # noqa: E402

# The benchmarks' and the docs' own tests: `pytest -m "not benchmarks"` leaves them out.
pytestmark = pytest.mark.benchmarks

META = {
    "command": "python benchmarks/run.py cost",
    "date": "2026-12-03T10:00:00+00:00",
    "git_commit": "0123456789abcdef",
    "hardware": {"cpu": "Toy CPU", "cores_visible": 2, "cuda": None},
    "versions": {"torch": "2.13.0"},
}


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A results folder of toy files, read by the extension instead of the real one."""
    monkeypatch.setattr(results, "RESULTS", tmp_path)
    results.load.cache_clear()
    monkeypatch.setattr(results, "load", lambda stem: _load(tmp_path, stem))

    def write(stem, tables, notes=(), meta=None):
        data = {"meta": meta or META, "notes": list(notes), "tables": tables}
        (tmp_path / f"{stem}.json").write_text(json.dumps(data))

    return write


def _load(folder, stem):
    path = folder / f"{stem}.json"
    return json.loads(path.read_text()) if path.exists() else None


def test_mean_and_std_columns_are_shown_together():
    records = [{"sampler": "BAEGAN", "ACSA mean": 0.86081, "ACSA std": 0.0030, "seeds": 3}]
    columns, rows = results.merged(records)
    assert columns == ["sampler", "ACSA", "seeds"]
    assert rows == [{"sampler": "BAEGAN", "ACSA": "0.8608 ± 0.0030", "seeds": "3"}]


def test_numbers_keep_their_scale_and_missing_ones_show_a_dash():
    assert results.number(0.123456) == "0.1235"
    assert results.number(12.345) == "12.3"
    assert results.number(1234.5) == "1,234"
    assert results.number(20_000) == "20,000"
    assert results.number(float("nan")) == results.number(None) == "—"
    assert results.mean_std(0.5, float("nan")) == "0.5000"


def test_a_table_keeps_the_rows_and_columns_asked_for():
    records = [
        {"sampler": "BAEGAN", "rank": 2.0, "mean": 0.8},
        {"sampler": "SMOTE", "rank": 1.5, "mean": 0.81},
    ]
    lines = results.table_lines(records, columns=["sampler", "rank"], rows=["SMOTE"])
    text = "\n".join(lines)
    assert "SMOTE" in text and "BAEGAN" not in text and "0.81" not in text
    assert text.startswith(".. list-table::")


def test_a_missing_result_says_how_to_run_it(folder):
    assert "python benchmarks/run.py mixed --seeds 3" in "".join(results.missing("mixed"))
    assert results.mixed_sentence() == ""
    assert "Not measured yet" in "".join(results.provenance_lines(None, "cost"))


def test_provenance_folds_the_command_hardware_and_notes(folder):
    folder("cost", {}, notes=["One process per cell."])
    text = "\n".join(results.provenance_lines(results.load("cost"), "cost"))
    assert ".. dropdown::" in text and "``python benchmarks/run.py cost``" in text
    assert "Toy CPU, 2 cores, GPU: none" in text and "One process per cell." in text


def test_the_scaling_sentence_reads_the_large_tables(folder):
    rows = [
        {
            "rows in": 320_000,
            "sampler": "BAEGAN",
            "CPU seconds": 40.0,
            "peak minus output MiB": 90.0,
            "pretrain step / plain torch": 1.1,
            "adversarial step / plain torch": 1.05,
        },
        {
            "rows in": 1_280_000,
            "sampler": "BAEGAN",
            "CPU seconds": 50.0,
            "peak minus output MiB": 120.0,
        },
        {"rows in": 1_280_000, "sampler": "SMOTE", "CPU seconds": 2.5},
    ]
    folder("cost", {"scaling_rows": rows})
    text = results.scaling_sentence()
    assert "40 CPU seconds on 320,000 rows" in text and "50 on 1,280,000" in text
    assert "1.25 times as much for 4 times the rows (SMOTE: 2.5 s)" in text
    assert "between 1.05 and 1.10 times" in text and "under 120 MiB" in text


def test_the_mixed_sentence_names_every_rival_it_has(folder):
    ranks = [
        {
            "sampler": "BAEGAN",
            "tables": 7,
            "gradient boosting rank": 3.0,
            "logistic regression rank": 2.5,
        },
        {"sampler": "SMOTENC", "gradient boosting rank": 4.0, "logistic regression rank": 4.5},
    ]
    fidelity = [
        {"sampler": "BAEGAN", "categorical TVD mean": 0.05, "valid categories mean": 1.0},
        {"sampler": "SMOTENC", "categorical TVD mean": 0.12},
    ]
    # CTGAN at its default epochs ran on two of the seven tables.
    shared = [
        {"sampler": "BAEGAN", "tables": 2, "gradient boosting rank": 1.5},
        {"sampler": "CTGAN, 300 epochs", "gradient boosting rank": 2.5},
    ]
    fit_cost = [
        {"table": "a", "CTGAN / BAEGAN": 8.0},
        {"table": "b", "CTGAN / BAEGAN": 12.4},
    ]
    folder(
        "mixed",
        {
            "ranks_balanced_accuracy": ranks,
            "ranks_balanced_accuracy_shared_tables": shared,
            "fidelity": fidelity,
            "fit_cost": fit_cost,
            "balanced_accuracy_hist_gradient_boosting": [
                {"table": "a", "BAEGAN mean": 0.8, "CTGAN, 300 epochs mean": 0.7},
                {"table": "b", "BAEGAN mean": 0.6, "CTGAN, 300 epochs mean": 0.7},
            ],
        },
    )
    text = results.mixed_sentence()
    assert "On 7 real tables" in text
    assert "behind gradient boosting, BAEGAN 3.00 (SMOTENC 4.00)" in text
    assert "ran on 2 of the tables; there: behind gradient boosting, BAEGAN 1.50" in text
    assert "(CTGAN at 300 epochs 2.50)" in text
    assert "CTGAN's default fit took 8 to 12 times BAEGAN's CPU time" in text
    assert "above that of CTGAN at its default epochs on 1 of 2 tables behind gradient" in text
    assert "0.050 for BAEGAN and 0.120 for SMOTENC" in text


def test_the_defaults_sentence_gives_the_very_imbalanced_tables_apart(folder):
    column = "BAEGAN minus BAEGAN, 20+20 epochs, generated_fraction=0.5"
    rows = [
        ("all", 0.004, 0.011),
        ("imbalance ratio below 30", 0.002, 0.008),
        ("imbalance ratio 30 or more", 0.0107, 0.0178),
    ]
    records = [
        {
            "classifier": "k-nearest neighbours",
            "tables": group,
            f"{column} mean": mean,
            f"{column} std": std,
        }
        for group, mean, std in rows
    ]
    folder("tabular", {"defaults_against_baegan_20_20_half": records})
    text = results.defaults_sentence()
    assert "half the new rows copied): k-nearest neighbours +0.0040 ± 0.0110 (on the" in text
    assert "imbalance ratio 30 or more: k-nearest neighbours +0.0107 ± 0.0178)" in text
    assert "+0.0020" not in text


def test_the_gpu_sentence_says_when_nothing_ran_on_a_gpu(folder):
    folder("cost", {})
    assert "No result file" in results.gpu_sentence()
    folder("images_fmnist", {}, meta={**META, "hardware": {**META["hardware"], "cuda": "H200"}})
    assert results.gpu_sentence() == "Measured on a GPU: images_fmnist."


def test_the_real_results_render_without_errors():
    # Every sentence and every table the pages name, on the committed files.
    results.load.cache_clear()
    for sentence in results.SENTENCES.values():
        assert isinstance(sentence(), str)
    pages = (ROOT / "docs").rglob("*.rst")
    for page in pages:
        for line in page.read_text().splitlines():
            if line.strip().startswith(".. result-table::"):
                stem, name = line.split("::", 1)[1].split()
                if results.load(stem) is not None:
                    assert results.table(results.load(stem), name), (page.name, stem, name)


def _verdict_cells(lines: list[str]) -> list[str]:
    return [
        line.strip().removeprefix("*").strip()[1:].strip()
        for line in lines
        if line.strip().startswith(("* -", "-"))
    ]


def test_the_verdicts_follow_their_rules(folder):
    def image(sampler, mean, std):
        return {"sampler": sampler, "seeds": "3/3", "ACSA mean": mean, "ACSA std": std}

    folder(
        "images_fmnist",
        {
            "classification": [
                image("BAEGAN", 0.86, 0.003),
                image("SMOTE", 0.84, 0.004),
                image("RandomOverSampler", 0.858, 0.006),
            ]
        },
    )
    keel = [
        {
            "dataset": f"t{k}",
            "sampler": sampler,
            "classifier": "knn",
            "balanced_accuracy mean": 0.8 + shift + 0.001 * k,
        }
        for k in range(8)
        for sampler, shift in (("baegan", 0.01), ("smote", 0.0), ("ros", 0.01 - 0.002 * (k % 2)))
    ]
    folder("tabular", {"scores": keel})
    cells = _verdict_cells(results.verdict_lines())
    row = {cells[i]: cells[i + 1 : i + 5] for i in range(5, len(cells), 5)}
    images, tables = (
        row["Fashion-MNIST images, ACSA, 3 seeds"],
        row["8 numeric KEEL tables, balanced accuracy, 1 classifier"],
    )
    # 0.02 above SMOTE beyond the seed std; 0.002 above ROS, within it.
    assert images[0].endswith("ahead") and images[1].endswith("level")
    # Higher on all 8 tables is beyond a Wilcoxon test's noise; half and half is not.
    assert tables[0] == "+0.010, higher on 8 of 8 tables: ahead"
    assert tables[1].endswith("higher on 4 of 8 tables: level")
    assert images[2] == "logit-adjusted loss not measured yet"
    assert tables[2] == "tuned threshold not measured yet"
    # No mixed-type results, no row for them.
    assert len(row) == 2


def test_the_memorisation_sentence_gives_the_share_of_near_copies(folder):
    record = {
        "sampler": "BAEGAN",
        "seeds": 3,
        "near copies (share) mean": 0.74,
        "nearest-training distance, generated / held-out real (median) mean": 0.372,
    }
    folder("images_fmnist", {"memorisation": [record]})
    text = results.memorisation_sentence()
    assert text.startswith("74% of the images BAEGAN generates are near copies")
    assert "0.37 times as far" in text


def test_the_anchors_sentence_names_every_anchor_and_what_is_missing(folder):
    def row(sampler, mean, seeds="3/3"):
        return {"sampler": sampler, "seeds": seeds, "ACSA mean": mean, "ACSA std": 0.001}

    folder(
        "images_fmnist",
        {
            "classification": [
                row("BAEGAN", 0.86),
                row("none, logit-adjusted CE", 0.861),
                row("RandomOverSampler + augmentation", 0.873, "2/3"),
            ]
        },
    )
    text = results.anchors_sentence()
    assert "in ACSA: BAEGAN 0.8600 ± 0.0010 (3/3 seeds)" in text
    assert "a logit-adjusted loss 0.8610 ± 0.0010 (3/3 seeds)" in text
    assert "random over-sampling 0.8730 ± 0.0010 (2/3 seeds) and BAEGAN not measured" in text
    assert "a class-weighted loss not measured yet" in text
