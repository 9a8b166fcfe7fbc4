"""A cache of trained networks to trust: keys that normalise, entries that check themselves."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import torch
from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from imblearn_baegan import BAEGANSampler, _memory, reduce_memory

FAST = dict(
    pretrain_epochs=1,
    adversarial_epochs=1,
    hidden_dims=(8,),
    latent_dim=3,
    discriminator_hidden_dims=(8,),
    batch_size=32,
    random_state=0,
)


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=160, n_features=5, weights=[0.8], random_state=0)


def _entries(folder) -> list[Path]:
    return sorted(Path(folder).rglob("*.pt"))


def test_a_grid_of_numpy_integers_trains_and_shares_entries(data, tmp_path):
    X, y = data
    pipe = Pipeline(
        [("sampler", BAEGANSampler(**FAST, memory=tmp_path)), ("clf", LogisticRegression())]
    )
    grid = {
        "sampler__pretrain_epochs": np.arange(1, 3),
        "sampler__batch_size": np.linspace(16, 32, 2).astype(int),
        "sampler__generated_fraction": np.array([0.5, 1.0]),
    }
    cv = StratifiedKFold(2, shuffle=True, random_state=0)
    GridSearchCV(pipe, grid, cv=cv, scoring="balanced_accuracy").fit(X, y)
    # Two folds and a refit for each of the four training settings;
    # generated_fraction is read after training, so it shares them.
    assert len(_entries(tmp_path)) == 2 * 4 + 1
    a = BAEGANSampler(**{**FAST, "pretrain_epochs": np.int64(1)})._training_params()
    b = BAEGANSampler(**{**FAST, "pretrain_epochs": 1, "hidden_dims": [8]})._training_params()
    assert a == b


def test_a_change_of_the_source_code_misses(data, tmp_path, monkeypatch):
    X, y = data
    BAEGANSampler(**FAST, memory=tmp_path).fit_resample(X, y)
    monkeypatch.setattr(_memory, "_source_hash", lambda: "another version of the package")
    sampler = BAEGANSampler(**FAST, memory=tmp_path)
    sampler.fit_resample(X, y)
    assert not sampler.memory_hit_
    assert len(_entries(tmp_path)) == 2


def test_the_key_holds_the_versions_and_the_device_type(data):
    X, y = data
    c = (y == 1).astype(np.int64)
    header = _memory.NetCache.header(X, c, {"lr": 1e-3}, 0, "cuda:1")
    assert header["device"] == "cuda"
    assert header["torch"] == str(torch.__version__) and header["skorch"]
    assert header["code"] == _memory._source_hash()


def test_an_entry_whose_header_differs_is_retrained_with_a_warning(data, tmp_path):
    X, y = data
    reference = BAEGANSampler(**FAST, memory=tmp_path).fit_resample(X, y)[0]
    (path,) = _entries(tmp_path)
    entry = torch.load(path, weights_only=True)
    entry["header"]["torch"] = "1.0.0"
    torch.save(entry, path)
    sampler = BAEGANSampler(**FAST, memory=tmp_path)
    with pytest.warns(UserWarning, match="its torch differ.*training them again"):
        X_res = sampler.fit_resample(X, y)[0]
    assert not sampler.memory_hit_
    np.testing.assert_array_equal(X_res, reference)
    again = BAEGANSampler(**FAST, memory=tmp_path)
    again.fit_resample(X, y)
    assert again.memory_hit_


def _three_entries(data, folder) -> list[Path]:
    X, y = data
    paths = []
    for i, seed in enumerate((0, 1, 2)):
        BAEGANSampler(**{**FAST, "random_state": seed}, memory=folder).fit_resample(X, y)
        (new,) = set(_entries(folder)) - set(paths)
        # Entries used one after the other, a minute apart.
        os.utime(new, (time.time() - 300 + 60 * i,) * 2)
        paths.append(new)
    return paths


def test_reduce_memory_keeps_the_most_recently_used(data, tmp_path):
    oldest, middle, newest = _three_entries(data, tmp_path)
    report = reduce_memory(tmp_path, items_limit=2)
    assert report["removed"] == 1 and report["kept"] == 2
    assert _entries(tmp_path) == sorted([middle, newest])
    # The removed entry's lock is young: a worker may be training it again.
    lock = oldest.parent / f"{oldest.stem}.lock"
    assert lock.exists() and (newest.parent / f"{newest.stem}.lock").exists()
    os.utime(lock, (time.time() - 2 * 3600,) * 2)
    reduce_memory(tmp_path, items_limit=2)
    assert not lock.exists()
    report = reduce_memory(tmp_path, bytes_limit=newest.stat().st_size)
    assert _entries(tmp_path) == [newest] and report["bytes"] == newest.stat().st_size


def test_reduce_memory_by_age_and_to_nothing(data, tmp_path):
    oldest, middle, newest = _three_entries(data, tmp_path)
    reduce_memory(tmp_path, age_limit=timedelta(seconds=270))
    assert _entries(tmp_path) == sorted([middle, newest])
    assert reduce_memory(str(tmp_path), items_limit=0) == {"removed": 2, "kept": 0, "bytes": 0}
    assert _entries(tmp_path) == []


def test_a_load_counts_as_a_use(data, tmp_path):
    X, y = data
    first, second, third = _three_entries(data, tmp_path)
    BAEGANSampler(**FAST, memory=tmp_path).fit_resample(X, y)  # loads the first entry
    reduce_memory(tmp_path, items_limit=1)
    assert _entries(tmp_path) == [first]


def test_sizes_are_read_in_bytes_or_with_a_unit():
    assert _memory._bytes("2K") == 2048 and _memory._bytes("1.5M") == 3 * 2**19
    with pytest.raises(ValueError, match="bytes_limit"):
        _memory._bytes("a lot")


def test_the_same_rows_under_other_categorical_columns_do_not_share_networks(tmp_path):
    # Two 0/1 columns, one categorical: swapping which one stores the same
    # bytes under the same parameters, for networks of other units.
    import pandas as pd

    rng = np.random.RandomState(0)
    y = (np.arange(120) % 4 == 0).astype(int)
    u, v = rng.randint(0, 2, 120), rng.randint(0, 2, 120)
    first = pd.DataFrame({"u": pd.Categorical(u), "v": v})
    second = pd.DataFrame({"u": u, "v": pd.Categorical(v)})
    BAEGANSampler(**FAST, memory=tmp_path).fit_resample(first, y)
    other = BAEGANSampler(**FAST, memory=tmp_path)
    other.fit_resample(second, y)
    assert not other.memory_hit_ and len(_entries(tmp_path)) == 2
