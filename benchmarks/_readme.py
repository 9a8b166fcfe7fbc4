"""The README's one table of results, written from the committed result files.

The README quotes a single result: the BAEGAN paper's comparison rerun on
Fashion-MNIST. It lives between two markers and is rewritten from
``images_fmnist.json`` by ``python benchmarks/run.py readme``; a test fails
when the README's copy differs from what the committed results give, so the
two cannot drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ._paper import PAPER_METRICS
from ._report import _markdown_table, _merge_mean_std

__all__ = ["README_END", "README_START", "paper_block", "sync_readme"]

README_START = "<!-- paper-comparison: written by `python benchmarks/run.py readme` -->"
README_END = "<!-- /paper-comparison -->"

_SOURCE = "images_fmnist"


def _signed(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:+.4f}"


def paper_block(results: Path) -> str:
    """Markdown for the README: the comparison and its claims, from ``results``.

    Parameters
    ----------
    results : Path
        The folder of the committed result files.

    Returns
    -------
    text : str
        The block between the markers (markers excluded); a line saying the
        benchmark has not run when the result file lacks the tables.
    """
    path = results / f"{_SOURCE}.json"
    tables = json.loads(path.read_text(encoding="utf-8"))["tables"] if path.exists() else {}
    if "paper_comparison" not in tables or "paper_claims" not in tables:
        return (
            "*The image benchmark has not rerun the paper's comparison yet: "
            "`python benchmarks/run.py images --dataset fmnist`.*"
        )
    comparison = pd.DataFrame(tables["paper_comparison"])
    counts = sorted(set(comparison["seeds"]))
    seeds = (
        f"{counts[0]} seeds"
        if len(counts) == 1
        else f"{' to '.join(map(str, counts[:: len(counts) - 1]))} seeds (the seeds column "
        "says which row has how many)"
    )
    for label in PAPER_METRICS.values():
        comparison[f"paper {label}"] = comparison.pop(f"{label} paper")
    claims = pd.DataFrame(tables["paper_claims"])
    claims["paper difference"] = claims["paper difference"].map(_signed)
    claims["difference"] = claims["difference"].map(_signed)
    claims = claims.rename(columns={"difference": "difference here", "spread": "seed std"})
    return "\n\n".join(
        [
            f"Imbalanced Fashion-MNIST, the same CNN after every sampler, mean ± standard "
            f"deviation over {seeds}, from "
            f"[`{_SOURCE}.md`](benchmarks/results/{_SOURCE}.md), which has the settings and "
            "hardware. The paper's values come from other papers, classifiers and protocols, "
            "and its BAGAN is the original, not BAGAN-GP; it does not report the simple "
            "samplers.",
            _markdown_table(_merge_mean_std(comparison)),
            "Each of the paper's claims, checked: it holds when BAEGAN is above by more than "
            "the larger seed-to-seed standard deviation of the two samplers, is reversed when "
            "below by more, and is within noise otherwise.",
            _markdown_table(claims),
            *_memorisation(tables),
        ]
    )


def _memorisation(tables: dict) -> list[str]:
    """The sentence beside the README's figure of generated images: how many are near copies."""
    rows = {r["sampler"]: r for r in tables.get("memorisation", [])}
    if "BAEGAN" not in rows:
        return []
    baegan = rows["BAEGAN"]
    ratio = baegan["nearest-training distance, generated / held-out real (median) mean"]
    return [
        f"The images below are BAEGAN's. {baegan['near copies (share) mean']:.0%} of the images "
        "it generates are near copies of a training image, and the median one lies "
        f"{ratio:.2f} times as far from its nearest training image as a held-out real image "
        f"does (mean over {baegan['seeds']} seeds): its residual decoding adds a small change "
        "to a real image, so most of its images are close cousins of random over-sampling's "
        "copies."
    ]


def sync_readme(readme: Path, results: Path) -> bool:
    """Rewrite the README's block from ``results``; True when the text changed.

    Raises
    ------
    ValueError
        When the README lacks the markers.
    """
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"{readme} lacks the markers {README_START!r} ... {README_END!r}")
    new = text[: start + len(README_START)] + "\n" + paper_block(results) + "\n" + text[end:]
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text
