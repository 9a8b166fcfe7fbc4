"""Numeric input gives the output it gave before categorical columns and the float32 scaling.

The recording was made by commit 4c46d99, whose scaling computed in
float64. Scaling in float32 moves a generated value by at most a few
float32 steps of its column's range, so float columns must agree within
1e-5 of the column's range; integer columns, images and labels exactly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import imblearn_baegan

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(DATA))

from record_family import cases  # noqa: E402

RECORDED = np.load(DATA / "family_4c46d99.npz")


@pytest.mark.parametrize("case", list(cases()), ids=lambda case: case[0])
def test_numeric_output_matches_the_recording(case):
    key, name, X, y, params = case
    X_res, y_res = getattr(imblearn_baegan, name)(**params).fit_resample(X, y)
    np.testing.assert_array_equal(y_res[len(y) :], RECORDED[f"{key}_y"])
    new, old = X_res[len(X) :], RECORDED[f"{key}_X"]
    assert new.dtype == old.dtype
    if new.dtype.kind == "f":
        span = X.max(axis=0) - X.min(axis=0)
        gap = np.abs(new - old) / span
        assert gap.max() <= 1e-5, gap.max()
    else:
        # Rounded values may flip by one unit on another CPU, no more.
        assert np.abs(new.astype(np.int64) - old.astype(np.int64)).max() <= 1
        assert np.mean(new == old) > 0.99
