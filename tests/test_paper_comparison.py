"""The benchmarks' rerun of the BAEGAN paper's comparison, and the README table made from it."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The benchmarks are a folder of the repository, not part of the package.
sys.path.insert(0, str(ROOT))

from benchmarks._paper import claims_table, comparison_table  # noqa: E402
from benchmarks._readme import README_END, README_START, paper_block, sync_readme  # noqa: E402

# The benchmarks' and the docs' own tests: `pytest -m "not benchmarks"` leaves them out.
pytestmark = pytest.mark.benchmarks

_METRICS = ("acsa", "macro_f1", "gmean_macro")


def _cells(scores: dict[str, list[float]]) -> list[dict]:
    """Image-benchmark cells with the same score on every metric, one per seed."""
    return [
        {
            "kind": "sampler",
            "status": "ok",
            "sampler": key,
            "seed": seed,
            "scores": dict.fromkeys(_METRICS, value),
        }
        for key, values in scores.items()
        for seed, value in enumerate(values)
    ]


def _verdicts(table) -> dict[str, str]:
    return {row["claim"]: row["verdict"] for row in table.to_dict("records")}


def test_claims_hold_fall_within_noise_or_are_reversed_against_the_seed_spread():
    cells = _cells(
        {
            "baegan": [0.80, 0.82, 0.84],  # std 0.02
            "deepsmote": [0.70, 0.71, 0.72],  # 0.11 below: holds
            "bagan": [0.81, 0.83, 0.80],  # 0.007 below: within noise
            "cgan": [0.90, 0.91, 0.92],  # 0.09 above: reversed
        }
    )
    verdicts = _verdicts(claims_table(cells, "fmnist"))
    assert len(verdicts) == 9
    for metric in ("ACSA", "macro F1", "G-mean (macro)"):
        assert verdicts[f"BAEGAN above DeepSMOTE on {metric}"] == "holds"
        assert verdicts[f"BAEGAN above BAGAN-GP on {metric}"] == "within noise"
        assert verdicts[f"BAEGAN above conditional GAN on {metric}"] == "reversed"
    row = claims_table(cells, "fmnist").iloc[0]
    assert row["BAEGAN higher on seeds"] == "0/3" and math.isclose(row["spread"], 0.02)
    # The paper's own difference: BAEGAN .8799 against its CGAN's .6528 on ACSA.
    assert math.isclose(row["paper difference"], 0.8799 - 0.6528)


def test_claims_say_when_they_rest_on_one_seed_or_are_not_measured():
    cells = _cells({"baegan": [0.8], "deepsmote": [0.7], "bagan": [0.9]})
    verdicts = _verdicts(claims_table(cells, "digits"))
    assert verdicts["BAEGAN above DeepSMOTE on ACSA"] == "holds (one seed)"
    assert verdicts["BAEGAN above BAGAN-GP on ACSA"] == "does not hold (one seed)"
    assert verdicts["BAEGAN above conditional GAN on ACSA"] == "not measured yet"


def test_comparison_shows_the_papers_values_only_on_its_data_set():
    cells = _cells({"baegan": [0.8, 0.9], "none": [0.5, 0.6]})
    fmnist = {r["sampler"]: r for r in comparison_table(cells, "fmnist").to_dict("records")}
    assert fmnist["BAEGAN"]["ACSA paper"] == 0.8799 and math.isnan(fmnist["none"]["ACSA paper"])
    assert math.isclose(fmnist["BAEGAN"]["ACSA mean"], 0.85) and fmnist["BAEGAN"]["seeds"] == 2
    assert fmnist["DeepSMOTE"]["seeds"] == 0 and math.isnan(fmnist["DeepSMOTE"]["ACSA mean"])
    digits = comparison_table(cells, "digits")
    assert not any("paper" in column for column in digits.columns)


def test_readme_table_is_what_the_committed_results_give():
    # The README's block is written from the results; stale means a test failure.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(README_START) + len(README_START)
    block = readme[start : readme.index(README_END)].strip()
    assert block == paper_block(ROOT / "benchmarks" / "results").strip(), (
        "README.md's table differs from benchmarks/results: run python benchmarks/run.py readme"
    )


def test_sync_readme_rewrites_the_block_from_the_results(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# title\n\n{README_START}\nstale line\n{README_END}\n\nafter\n")
    results = tmp_path / "results"
    results.mkdir()
    assert sync_readme(readme, results)
    assert "has not rerun the paper's comparison" in readme.read_text()
    cells = _cells({"baegan": [0.8, 0.9], "deepsmote": [0.7, 0.75]})
    tables = {
        "paper_comparison": comparison_table(cells, "fmnist").to_dict("records"),
        "paper_claims": claims_table(cells, "fmnist").to_dict("records"),
    }
    (results / "images_fmnist.json").write_text(json.dumps({"tables": tables}))
    assert sync_readme(readme, results)
    text = readme.read_text()
    assert text.startswith("# title\n") and text.endswith("\nafter\n") and "stale line" not in text
    assert "| BAEGAN above DeepSMOTE on ACSA | +0.0436 | +0.1250 |" in text
    assert not sync_readme(readme, results)  # nothing left to change
    readme.write_text("no markers")
    with pytest.raises(ValueError, match="lacks the markers"):
        sync_readme(readme, results)
