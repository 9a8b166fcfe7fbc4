"""The docs extension that renders committed benchmark results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "sphinxext"))

from benchmark_results import render_tables


def test_render_tables_shows_every_table_of_one_result_set(tmp_path):
    assert "has not been committed yet" in render_tables(tmp_path, "search")
    tables = {"cost": [{"data": "digits", "wall s": 12.5}], "scores": [{"mode": "x"}]}
    (tmp_path / "search.json").write_text(json.dumps({"tables": tables}))
    text = render_tables(tmp_path, "search")
    assert text.count(".. csv-table::") == 2
    assert "   digits,12.50" in text.splitlines()
    assert ":ref:`benchmark-search`" in text


# -- sentences of the user guide, from small fake result sets ------------------------

import math  # noqa: E402

import benchmark_results as br  # noqa: E402

DEFAULTS = {
    "pretrain_epochs": 20,
    "adversarial_epochs": 20,
    "generated_fraction": 0.5,
    "decoding": "residual",
    "latent_dim": "auto",
    "hidden_dims": (128, 64),
}
WITHIN = "within one seed-to-seed standard deviation of"


def _image_set(baegan=(0.85, 0.86, 0.84), ros=(0.85, 0.855, 0.845), variant_seeds=(0,)):
    """An image result set: classification rows and the per-seed cells behind them."""
    samplers = {
        "baegan": ("BAEGAN", baegan),
        "ros": ("RandomOverSampler", ros),
        "smote": ("SMOTE", (0.80, 0.81, 0.79)),
        "none": ("none", (0.7, 0.7, 0.7)),
        "ae_latent_smote": ("AE + latent SMOTE", (0.84, 0.86, 0.85)),
        "baegan_s": ("BAEGAN-S", tuple(0.70 for _ in variant_seeds)),
    }
    rows, cells = [], []
    for key, (label, scores) in samplers.items():
        mean = sum(scores) / len(scores)
        rows.append(
            {
                "sampler": label,
                "seeds": f"{len(scores)}/3",
                "ACSA mean": mean,
                "ACSA std": br._std(list(scores)),
                "resample s mean": 10.0 if "BAEGAN" in label else 4.0,
            }
        )
        seeds = variant_seeds if key == "baegan_s" else range(len(scores))
        cells += [
            {"sampler": key, "seed": s, "status": "ok", "scores": {"acsa": v}}
            for s, v in zip(seeds, scores)
        ]
    fd = [
        {"images": "real vs real", "average over classes": 1.5},
        {"images": "generated: BAEGAN", "average over classes": 9.0},
        {"images": "generated: SMOTE", "average over classes": 12.0},
    ]
    settings = {
        "counts": [400, 100, 40],
        "baegan_resolved": {
            "pretrain_epochs": 40,
            "decoding": "residual",
            "latent_dim": 32,
            "image_shape": [1, 8, 8],
        },
    }
    return {"tables": {"classification": rows, "fd": fd}, "cells": cells, "settings": settings}


def test_relation_compares_with_the_spread():
    assert br._relation(0.001, 0.01) == WITHIN
    assert br._relation(0.02, 0.01) == "above"
    assert br._relation(-0.02, 0.01) == "below"
    assert br._relation(-0.02, math.nan) == "below"


def test_image_sentence_compares_rather_than_asserts():
    text = br._image_guide_sentence(_image_set(), "toy images", DEFAULTS)
    assert "540 training images, classes of 400 down to 40" in text
    assert f"{WITHIN} RandomOverSampler's 0.8500 ± 0.0050" in text
    assert "above SMOTE's" in text and "higher on 3 of 3 seeds" in text
    assert "``pretrain_epochs=40``" in text and "``pretrain_epochs=20``" in text
    assert "latent_dim" not in text  # "auto" may resolve to the number measured
    # BAEGAN well below: the sentence says so.
    low = br._image_guide_sentence(_image_set(baegan=(0.70, 0.71, 0.69)), "toy images", DEFAULTS)
    assert "below RandomOverSampler's" in low and "higher on 0 of 3 seeds" in low
    assert br._image_guide_sentence(None, "toy images", DEFAULTS) is None
    assert br._image_guide_sentence({"tables": {}}, "toy images", DEFAULTS) is None


def test_fd_sentence():
    text = br._fd_sentence(_image_set())
    assert "9.000 for BAEGAN's" in text or "9 for BAEGAN's" in text
    assert "closer to the real ones than SMOTE's" in text
    data = _image_set()
    data["tables"]["fd"][1]["average over classes"] = 20.0
    assert "further from the real ones" in br._fd_sentence(data)
    assert br._fd_sentence({"tables": {"fd": []}}) is None


def _ranks(baegan, smote, first=("ADASYN", 2.0)):
    return [
        {"sampler": "BAEGAN", "datasets": "5/5", "balanced accuracy rank": baegan},
        {"sampler": "SMOTE", "datasets": "5/5", "balanced accuracy rank": smote},
        {"sampler": first[0], "datasets": "5/5", "balanced accuracy rank": first[1]},
    ]


def test_tabular_sentence_says_better_or_worse():
    data = {
        "tables": {
            "ranks_knn": _ranks(3.0, 4.0),
            "ranks_logistic_regression": _ranks(4.0, 3.0, ("SMOTE", 3.0)),
        }
    }
    text = br._tabular_guide_sentence(data, DEFAULTS)
    assert (
        "3.00 behind k-nearest neighbours, better than SMOTE's 4.00 (first: ADASYN, 2.00)" in text
    )
    assert (
        "4.00 behind logistic regression, worse than SMOTE's 3.00 (first: SMOTE and SMOTE"
        not in text
    )
    assert "worse than SMOTE's 3.00" in text and "On 5 KEEL data sets" in text
    assert br._tabular_guide_sentence({"tables": {}}, DEFAULTS) is None


def test_ablation_sentence_weighs_one_seed_against_the_spread():
    text = br._image_ablation_sentence(_image_set(), "toy images")
    assert "BAEGAN-S, run on seed 0 only, scored -0.1500 against BAEGAN" in text
    assert "larger than BAEGAN's seed-to-seed standard deviation (0.0100)" in text
    close = _image_set()
    for cell in close["cells"]:
        if cell["sampler"] == "baegan_s":
            cell["scores"]["acsa"] = 0.845
    for row in close["tables"]["classification"]:
        if row["sampler"] == "BAEGAN-S":
            row["ACSA mean"] = 0.845
    assert "a gap within BAEGAN's seed-to-seed standard deviation" in br._image_ablation_sentence(
        close, "toy"
    )
    assert f"AE + latent SMOTE scored 0.8500 ± 0.0100 over 3 seeds, {WITHIN}" in text
    assert br._image_ablation_sentence(None, "toy") is None


def test_tabular_ablation_counts_gaps_beyond_the_repeats():
    rows = [
        {
            "dataset": "a",
            "BAEGAN mean": 0.80,
            "BAEGAN std": 0.01,
            "BAEGAN-L mean": 0.70,
            "BAEGAN-L std": math.nan,
        },
        {
            "dataset": "b",
            "BAEGAN mean": 0.80,
            "BAEGAN std": 0.01,
            "BAEGAN-L mean": 0.805,
            "BAEGAN-L std": math.nan,
        },
    ]
    text = br._tabular_ablation_sentence({"tables": {"balanced_accuracy_knn": rows}})
    assert "BAEGAN-L on 1 of 2 (higher on 0, lower on 1)" in text
    assert br._tabular_ablation_sentence({"tables": {}}) is None


def test_ae_latent_smote_sentence_advises_only_when_within_noise():
    cost = {
        "tables": {
            "fit_resample": [
                {"data": "fmnist", "sampler": "BAEGAN", "CPU seconds": 100.0, "status": "ok"},
                {
                    "data": "fmnist",
                    "sampler": "AE + latent SMOTE",
                    "CPU seconds": 37.0,
                    "status": "ok",
                },
                {
                    "data": "fmnist",
                    "sampler": "none",
                    "rows in": 900,
                    "features": 784,
                    "status": "ok",
                },
            ]
        }
    }
    text = br._ae_latent_smote_sentence({"toy images": _image_set()}, None, cost)
    assert f"was {WITHIN} BAEGAN's" in text
    assert "37% on 900 Fashion-MNIST images of 28x28" in text
    assert "40% on toy images" in text  # resampling time 4 against 10
    assert "try first" in text
    worse = _image_set()
    for row in worse["tables"]["classification"]:
        if row["sampler"] == "AE + latent SMOTE":
            row["ACSA mean"] = 0.5
    text = br._ae_latent_smote_sentence({"toy images": worse}, None, cost)
    assert "below BAEGAN's" in text and "try first" not in text
    assert br._ae_latent_smote_sentence({"toy": None}, None, None) is None


def _tuning(chosen=(0.87, 0.86, 0.85, 0.88), ros=(0.86, 0.86, 0.84, 0.86)):
    candidates = {
        "RandomOverSampler": {"sampler": "ros"},
        "the paper's settings": {"sampler": "baegan"},
        "wider": {"sampler": "baegan", "conv_width": 64},
        "the defaults": {"sampler": "baegan", "decoding": "residual", "generated_fraction": 0.5},
        "longer": {
            "sampler": "baegan",
            "decoding": "residual",
            "pretrain_epochs": 40,
            "adversarial_epochs": 40,
        },
    }
    cells = []
    for label, scores in (
        ("RandomOverSampler", ros),
        ("the defaults", chosen),
        ("longer", (0.86, 0.85, 0.86, 0.87)),
        ("the paper's settings", (0.82, 0.83)),
        ("wider", (0.80,)),
    ):
        spec = candidates[label]
        params = {k: v for k, v in spec.items() if k != "sampler"}
        cells += [
            {
                "sampler": spec["sampler"],
                "params": params,
                "seed": s,
                "status": "ok",
                "scores": {"acsa": v},
            }
            for s, v in enumerate(scores)
        ]
    base = {
        "decoding": "direct",
        "pretrain_epochs": 20,
        "adversarial_epochs": 20,
        "generated_fraction": 1.0,
        "image_shape": [1, 28, 28],
    }
    return {
        "settings": {"baegan": base, "candidates": candidates, "validation_per_class": 50},
        "cells": cells,
    }


def test_tuning_sentence_gives_the_gain_and_how_it_was_chosen():
    text = br._tuning_sentence(_tuning(), DEFAULTS)
    assert "scored +0.0100 ± 0.0082 in balanced accuracy against RandomOverSampler" in text
    assert "over 4 training subsets (higher on 3 of 4)" in text
    assert "1 of the 4 BAEGAN settings tried were run on seed 0 only" in text
    assert "On the 3 seeds not used to screen, the gain was +0.0100 ± 0.0100: within one" in text
    assert "Without its largest difference (+0.0200) the mean gain is +0.0067" in text
    # Defaults that no candidate ran: no sentence.
    assert br._tuning_sentence(_tuning(), {**DEFAULTS, "generated_fraction": 0.25}) is None
    assert br._tuning_sentence(None, DEFAULTS) is None


def test_tuning_alternatives_sentence():
    text = br._tuning_alternatives_sentence(_tuning(), DEFAULTS)
    assert "+0.0050 ± 0.0100 against longer (higher on 3 of 4 seeds; within one" in text
    assert "wider" not in text  # not run on all the defaults' seeds
    assert br._tuning_alternatives_sentence({"settings": {}}, DEFAULTS) is None


def _cost(cuda=None):
    rows = [
        {"data": "tabular", "sampler": "none", "rows in": 4000, "features": 9, "status": "ok"},
        {"data": "tabular", "sampler": "SMOTE", "CPU seconds": 0.002, "status": "ok"},
        {
            "data": "tabular",
            "sampler": "BAEGAN",
            "CPU seconds": 30.0,
            "status": "ok",
            "pretrain samples/CPU s": 60000.0,
            "adversarial samples/CPU s": 20000.0,
        },
    ]
    cells = [
        {
            "table": "defaults",
            "data": "tabular",
            "status": "ok",
            "cpu_seconds": 16.0,
            "params": {"pretrain_epochs": 20, "adversarial_epochs": 20, "generated_fraction": 0.5},
        },
        {
            "table": "defaults",
            "data": "tabular",
            "status": "ok",
            "cpu_seconds": 32.0,
            "params": {"pretrain_epochs": 40, "adversarial_epochs": 40, "generated_fraction": 1.0},
        },
        {
            "sampler": "baegan",
            "status": "ok",
            "n_features": 784,
            "pretrain_samples_per_s": 2000.0,
            "adversarial_samples_per_s": 1000.0,
        },
        {
            "sampler": "baegan",
            "status": "ok",
            "n_features": 784,
            "pretrain_samples_per_s": 1000.0,
            "adversarial_samples_per_s": 500.0,
        },
    ]
    scaling = [
        {
            "sampler": "BAEGAN",
            "status": "ok",
            "rows in": n,
            "features": 20,
            "pretrain samples/CPU s": 50000.0,
            "adversarial samples/CPU s": 10000.0,
        }
        for n in (1000, 4000)
    ]
    sizes = [
        {
            "sampler": "BAEGAN",
            "status": "ok",
            "features": 784,
            "pretrain samples/CPU s": 2000.0,
            "adversarial samples/CPU s": 1000.0,
        }
    ]
    hardware = {"cpu": "Toy CPU", "cores_visible": 2, "torch_threads": 1, "cuda": cuda}
    return {
        "meta": {"hardware": hardware},
        "settings": {"tabular_dataset": "abalone19"},
        "tables": {"fit_resample": rows, "scaling_rows": scaling, "scaling_image_size": sizes},
        "cells": cells,
    }


def test_fit_time_sentence_quotes_the_defaults_per_data_type():
    text = br._fit_time_sentence(_cost(), DEFAULTS)
    assert "one torch thread of a CPU (Toy CPU, 2 cores visible)" in text
    assert "16 s on the abalone19 table (4,000 rows, 9 columns)" in text
    assert "SMOTE's took 0.0020 s" in text
    assert "a fit took 2.0 to 2.0 times as much CPU time" in text
    # Defaults no cell measured: the version's own defaults, said so.
    other = br._fit_time_sentence(_cost(), {**DEFAULTS, "pretrain_epochs": 10})
    assert (
        "30 s on the abalone19 table (4,000 rows, 9 columns), at the defaults of the version measured"
        in other
    )
    assert br._fit_time_sentence(None, DEFAULTS) is None


def test_epoch_cost_and_cpu_rule():
    assert "3.0 on the abalone19 table" in br._epoch_cost_sentence(_cost())
    assert br._epoch_cost_sentence(None) is None
    text = br._cpu_rule_sentence(_cost(), DEFAULTS)
    # 20 / 50,000 + 20 / 10,000 CPU s per row: 2.4 s per 1,000 rows.
    assert "about 2.4 to 2.4 s of CPU time per 1,000 rows for a fit at 20+20 epochs" in text
    assert "from 1,000 to 4,000 rows of 20 columns. The number of columns was not varied." in text
    assert "30 s at 28x28 per 1,000 single-channel images" in text
    assert "ran at per-epoch rates up to 2.0 times apart" in text
    assert "Toy CPU" in text
    assert br._cpu_rule_sentence({"tables": {}}, DEFAULTS) is None
    wide = _cost()
    wide["tables"]["sparse"] = [
        {
            "rows in": 20000,
            "features": 30000,
            "density": 0.001,
            "status": "ok",
            "CPU s per pre-training epoch": 20.0,
            "CPU s per adversarial epoch": 40.0,
        }
    ]
    text = br._cpu_rule_sentence(wide, DEFAULTS)
    assert (
        "A sparse table of 30,000 columns (density 0.001) cost 1.0 s per 1,000 rows per pre-training"
        in text
    )
    assert (
        "2.0 s per adversarial epoch, about 60 s per 1,000 rows for a fit at 20+20 epochs, more than"
        in text
    )
    wide["tables"]["sparse"][0].update(
        {"CPU s per pre-training epoch": 1.0, "CPU s per adversarial epoch": 1.0}
    )
    assert "less than the table above" in br._cpu_rule_sentence(wide, DEFAULTS)
    assert "not varied" not in text


def test_gpu_sentence_reads_the_hardware():
    assert br._gpu_sentence({"cost": _cost()}).startswith("No GPU timings exist")
    assert "cost (on Toy GPU)" in br._gpu_sentence(
        {"cost": _cost(cuda="Toy GPU"), "tabular": _cost()}
    )


def test_render_guide_without_results_writes_notes(tmp_path):
    includes = br.render_guide(tmp_path, DEFAULTS)
    assert set(includes) >= {
        "guide_results.inc",
        "guide_cpu_rule.inc",
        "guide_gpu.inc",
        "guide_tuning.inc",
    }
    assert "has not been committed yet" in includes["guide_fit_times.inc"]
    assert includes["guide_gpu.inc"].startswith("No GPU timings exist")
    (tmp_path / "images_fmnist.json").write_text(json.dumps(_image_set()))
    text = br.render_guide(tmp_path, DEFAULTS)["guide_results.inc"]
    assert text.startswith("* **Images, the paper's protocol.**")
    assert "means that the difference of two means" in text


def test_render_tables_shows_the_tables_asked_for_in_their_order(tmp_path):
    tables = {
        "classification": [{"sampler": "x"}],
        "paper_comparison": [{"sampler": "BAEGAN"}],
        "paper_claims": [{"claim": "BAEGAN above DeepSMOTE on ACSA", "verdict": "holds"}],
    }
    (tmp_path / "images_fmnist.json").write_text(json.dumps({"tables": tables}))
    text = br.render_tables(tmp_path, "images_fmnist", ("paper_claims", "paper_comparison"))
    assert text.count(".. csv-table::") == 2 and "classification" not in text
    assert text.index("paper claims") < text.index("paper comparison")
    assert "``python benchmarks/run.py images --dataset digits`` writes it" in br.render_tables(
        tmp_path, "images_digits", ("paper_claims",)
    )


def test_family_sentences_hold_each_deep_sampler_against_the_simple_ones():
    data = _image_set()
    data["tables"]["classification"].append(
        {"sampler": "DeepSMOTE", "seeds": "3/3", "ACSA mean": 0.75, "ACSA std": 0.01}
    )
    text = " ".join(br._family_sentences(data, "toy images"))
    assert (
        "On toy images, DeepSMOTE's balanced accuracy (ACSA) was 0.7500 ± 0.0100 over 3 seeds: "
        "above none's" in text
    )
    assert "below RandomOverSampler's" in text and "BAEGAN's balanced accuracy" in text
    # Why a sampler falls behind: how far its images are from real ones.
    assert (
        "Its images' Fréchet distance to real ones was 9 (SMOTE's 12 and 1.500 between real "
        "images; lower is closer)." in text
    )
    # BAEGAN 0.85 against random over-sampling's 0.85, spread 0.01: within noise.
    assert (
        "The best deep sampler on toy images, BAEGAN, leads random over-sampling by 0 "
        "in ACSA, not more than one seed-to-seed standard deviation (0.010)." in text
    )
    assert br._family_sentences(None, "toy images") == []


def test_family_cost_sentence_needs_baegan_at_the_current_defaults():
    data = _cost()
    data["tables"]["fit_resample"] += [
        {"data": "fmnist", "sampler": "none", "rows in": 9000, "features": 784, "status": "ok"},
        {"data": "fmnist", "sampler": "BAEGAN", "CPU seconds": 300.0, "status": "ok"},
        {"data": "fmnist", "sampler": "DeepSMOTE", "CPU seconds": 150.0, "status": "ok"},
    ]
    cell = {
        "table": "samplers",
        "data": "fmnist",
        "sampler": "baegan",
        "sampler_params": {
            "pretrain_epochs": 20,
            "adversarial_epochs": 20,
            "generated_fraction": 0.5,
        },
    }
    data["cells"].append(cell)
    text = br._family_cost_sentence(data, DEFAULTS)
    assert (
        "on 9,000 Fashion-MNIST images of 28x28 took 300 CPU seconds for BAEGAN, "
        "DeepSMOTE 150 (0.50 times BAEGAN's)" in text
    )
    cell["sampler_params"]["pretrain_epochs"] = 40
    assert br._family_cost_sentence(data, DEFAULTS) is None
