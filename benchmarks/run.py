"""Command line of the benchmarks.

Examples
--------
Tiny end-to-end run of everything, into a temporary folder::

    python benchmarks/run.py all --quick

The real runs, resumable, results into benchmarks/results/::

    nice -n 10 python benchmarks/run.py tabular --seeds 3
    nice -n 10 python benchmarks/run.py cost
    nice -n 10 python benchmarks/run.py cost --tables memory
    nice -n 10 python benchmarks/run.py cost --tables sparse
    nice -n 10 python benchmarks/run.py images --dataset digits --seeds 3
    nice -n 10 python benchmarks/run.py images --dataset fmnist --seeds 3
    nice -n 10 python benchmarks/run.py tuning --dataset fmnist --seeds 3 \\
        --candidates ros,defaults,residual
    nice -n 10 python benchmarks/run.py search

``search`` runs its serial searches with as many torch threads as the
process has cores (what a user's serial search gets), unless ``--threads``
says otherwise; it is not part of ``all``, whose benchmarks use one thread.
Its modes can be run at different times, e.g. the cheap ones first::

    nice -n 10 python benchmarks/run.py search --modes smote,baegan_cache,baegan_cache_jobs2
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    # Run as a script: make the `benchmarks` package importable. Appended,
    # not prepended, so that an imblearn_baegan put first on PYTHONPATH (a
    # frozen copy for long runs) wins over the working tree's.
    sys.path.append(str(_ROOT))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Benchmarks of BAEGANSampler against other over-samplers.",
    )
    parser.add_argument(
        "benchmark",
        choices=("images", "tabular", "mixed", "cost", "tuning", "search", "all", "readme"),
        help="'readme' runs nothing: it rewrites the README's table of the paper's "
        "comparison from the result files",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny settings, end to end in under 2 minutes; writes to a "
        "temporary folder unless --out is given",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=None,
        help="seeds (images) or CV repeats (tabular): 0..N-1; default 3, 1 with --quick",
    )
    parser.add_argument(
        "--dataset",
        choices=("fmnist", "digits"),
        action="append",
        help="image data set(s); default both, digits only with --quick",
    )
    parser.add_argument(
        "--samplers",
        default=None,
        help="comma-separated sampler keys: images and tabular run them in the order "
        "given, cost runs only their missing cells (default all; the keys are those of "
        "LABELS in benchmarks/_samplers.py)",
    )
    parser.add_argument(
        "--candidates",
        default=None,
        help="tuning: comma-separated candidate keys (default all; see benchmarks/tuning.py)",
    )
    parser.add_argument(
        "--tables",
        default=None,
        help="cost: comma-separated tables whose missing cells to run (default all: the keys of "
        "TABLES in benchmarks/cost.py); the results show every cell done",
    )
    parser.add_argument(
        "--modes",
        default=None,
        help="search: comma-separated modes whose missing cells to run (default all: "
        "baegan,baegan_jobs2,baegan_cache,baegan_cache_jobs2,smote); the results show every "
        "cell done",
    )
    parser.add_argument(
        "--validation",
        action="store_true",
        help="tabular: score on a validation split of each training fold, never the test "
        "folds (the protocol that chooses the table defaults); writes tabular_validation",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="run no cell: rewrite the result files from the cells already cached "
        "(and from the result files' own cells)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="result folder (default benchmarks/results)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="cell cache (default benchmarks/cache, or <out>/cache with --quick)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per process for torch, BLAS and OpenMP (default 1; for search, the "
        "cores visible, which its n_jobs=2 searches split among their workers)",
    )
    parser.add_argument(
        "--fmnist-path",
        default="/usr/share/datasets/fashion-mnist",
        help="folder of the Fashion-MNIST IDX files",
    )
    return parser


def _log(message: str) -> None:
    print(f"{datetime.now():%H:%M:%S} {message}", flush=True)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _pick(parser: argparse.ArgumentParser, what: str, text: str | None, allowed) -> list[str]:
    """The comma-separated keys of ``text``, in order; empty when not given.

    Exits with a usage error naming any key not in ``allowed``.
    """
    keys = [key.strip() for key in (text or "").split(",") if key.strip()]
    unknown = sorted(set(keys) - set(allowed))
    if unknown:
        parser.error(f"unknown {what} {unknown}; choose from {', '.join(allowed)}")
    return keys


def main(argv: list[str] | None = None) -> list[Path]:
    """Run the chosen benchmarks; returns the result files written."""
    parser = _parser()
    args = parser.parse_args(argv)
    from benchmarks._env import environment, limit_threads

    if args.threads is None:
        # A serial grid search uses every core unless told otherwise: the
        # search benchmark measures what a user gets.
        args.threads = _cores() if args.benchmark == "search" else 1
    # Before numpy, scikit-learn and torch spin up their thread pools.
    limit_threads(args.threads)

    if args.benchmark == "readme":
        from benchmarks._readme import sync_readme

        readme = _ROOT / "README.md"
        changed = sync_readme(readme, args.out or _ROOT / "benchmarks" / "results")
        _log(f"{readme.name} {'rewritten' if changed else 'already up to date'}")
        return [readme] if changed else []

    from benchmarks._data import load_digits_split, load_fashion_mnist
    from benchmarks._samplers import CNN_ANCHORS, IMAGE_SAMPLERS, SAMPLERS, TABLE_ANCHORS
    from benchmarks.cost import TABLES, cost_settings, run_cost
    from benchmarks.images import image_settings, run_images
    from benchmarks.mixed import MIXED_SAMPLERS, mixed_settings, run_mixed
    from benchmarks.search import MODES, run_search, search_settings
    from benchmarks.tabular import run_tabular, tabular_settings
    from benchmarks.tuning import CANDIDATES, QUICK_CANDIDATES, run_tuning, tuning_settings

    known = {
        "mixed": tuple(MIXED_SAMPLERS),
        "images": (*SAMPLERS, *CNN_ANCHORS),
        "tabular": (*SAMPLERS, *TABLE_ANCHORS),
        "all": (*SAMPLERS, *CNN_ANCHORS, *TABLE_ANCHORS),
    }.get(args.benchmark, SAMPLERS)
    samplers = _pick(parser, "samplers", args.samplers, known) or list(known)
    candidates = _pick(parser, "candidates", args.candidates, CANDIDATES) or list(
        QUICK_CANDIDATES if args.quick else CANDIDATES
    )
    tables = _pick(parser, "tables", args.tables, TABLES)
    modes = _pick(parser, "modes", args.modes, MODES) or list(MODES)
    if args.quick and args.out is None:
        args.out = Path(tempfile.mkdtemp(prefix="baegan-benchmarks-quick-"))
    out = args.out or _ROOT / "benchmarks" / "results"
    cache = args.cache or (out / "cache" if args.quick else _ROOT / "benchmarks" / "cache")
    seeds = list(range(args.seeds if args.seeds is not None else (1 if args.quick else 3)))
    datasets = args.dataset or (["digits"] if args.quick else ["digits", "fmnist"])
    run_missing = not args.report_only
    env = environment()
    _log(f"results -> {out}; cache -> {cache}")
    start = time.perf_counter()
    paths: list[Path] = []
    if args.benchmark in ("tabular", "all"):
        settings = tabular_settings(args.quick, args.validation)
        on_tables = [key for key in samplers if key not in CNN_ANCHORS]
        paths += run_tabular(settings, seeds, on_tables, cache, out, env, _log, run_missing)
    if args.benchmark in ("mixed", "all"):
        settings = mixed_settings(args.quick)
        chosen = _pick(parser, "samplers", args.samplers, MIXED_SAMPLERS) or list(MIXED_SAMPLERS)
        paths += run_mixed(settings, seeds, chosen, cache, out, env, _log, run_missing)
    if args.benchmark in ("cost", "all"):
        settings = cost_settings(args.quick, args.threads, args.fmnist_path)
        chosen = _pick(parser, "samplers", args.samplers, SAMPLERS) or None
        paths += run_cost(settings, cache, out, env, _log, run_missing, tables or None, chosen)
    if args.benchmark == "search":
        settings = search_settings(args.quick, args.threads)
        paths += run_search(settings, modes, cache, out, env, _log, run_missing)
    if args.benchmark in ("images", "tuning", "all"):
        for name in datasets:
            data = load_fashion_mnist(args.fmnist_path) if name == "fmnist" else load_digits_split()
            if args.benchmark in ("images", "all"):
                settings = image_settings(data, args.quick)
                on_images = [key for key in samplers if key in IMAGE_SAMPLERS or key in CNN_ANCHORS]
                paths += run_images(
                    data, settings, seeds, on_images, cache, out, env, _log, run_missing
                )
            if args.benchmark in ("tuning", "all"):
                settings = tuning_settings(data, args.quick)
                paths += run_tuning(
                    data, settings, seeds, candidates, cache, out, env, _log, run_missing
                )
    _log(f"done in {time.perf_counter() - start:.1f} s; {len(paths)} result files in {out}")
    return paths


if __name__ == "__main__":
    main()
