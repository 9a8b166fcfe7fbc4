"""The committed result files hold no folder of the machine that wrote them."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._env import portable  # noqa: E402

# The benchmarks' and the docs' own tests: `pytest -m "not benchmarks"` leaves them out.
pytestmark = pytest.mark.benchmarks

RESULTS = ROOT / "benchmarks" / "results"
# An absolute folder of a machine: a home, a temporary folder, a checkout.
_ABSOLUTE = re.compile(r"(?<![\w.])/(?:tmp|home|root|work|Users|opt|usr|var)/[\w.-]+/")


@pytest.mark.parametrize(
    "path",
    sorted(p for p in RESULTS.glob("*") if p.suffix in (".json", ".md", ".csv")),
    ids=lambda p: p.name,
)
def test_result_files_are_portable(path):
    found = _ABSOLUTE.findall(path.read_text())
    assert not found, f"{path.name} holds {sorted(set(found))[:3]}"


def test_tracebacks_lose_the_folders_of_other_checkouts_and_environments():
    text = (
        'File "/tmp/clone/benchmarks/images.py", line 3\n'
        'File "/opt/venv/lib/python3.11/site-packages/torch/nn.py", line 9'
    )
    assert portable(text) == (
        'File "benchmarks/images.py", line 3\nFile "site-packages/torch/nn.py", line 9'
    )
    assert portable({"cells": [("/tmp/x/imblearn_baegan/_base.py",)]}) == {
        "cells": [("/tmp/x/imblearn_baegan/_base.py",)]
    }
