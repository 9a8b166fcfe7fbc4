"""The shared base of the deep samplers: BAEGAN's output did not change in the move onto it."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from imblearn_baegan import BAEGANSampler

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(DATA))

from record_baegan import cases  # noqa: E402

RECORDED = np.load(DATA / "baegan_before_base.npz")


@pytest.mark.parametrize("case", list(cases()), ids=lambda case: case[0])
def test_output_matches_the_recording_made_before_the_base(case):
    name, X, y, params = case
    X_res, y_res = BAEGANSampler(**params).fit_resample(X, y)
    np.testing.assert_array_equal(y_res[len(y):], RECORDED[f"{name}_y"])
    new, old = X_res[len(X):], RECORDED[f"{name}_X"]
    assert new.dtype == old.dtype
    if new.dtype.kind == "f":
        # Equal on the machine that recorded it; the tolerance leaves room for
        # another CPU's float rounding only.
        np.testing.assert_allclose(new, old, rtol=0, atol=1e-6)
    else:
        # Rounded columns may flip by one unit on another CPU, no more.
        assert np.abs(new.astype(np.int64) - old.astype(np.int64)).max() <= 1
        assert np.mean(new == old) > 0.99
