"""Cost that follows the classes: class-aware epochs, bounded memory, only the asked generation."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import torch
from conftest import tiny
from sklearn.datasets import make_classification

from imblearn_baegan import BAEGANSampler
from imblearn_baegan._batches import Batches, RowData, epoch_quotas

RARE = 0.02


@pytest.fixture(scope="module")
def large():
    """A table twenty times larger than a tiny epoch, 2% in the minority."""
    return make_classification(
        n_samples=4000, n_features=6, weights=[1 - RARE], flip_y=0, random_state=0
    )


@pytest.mark.parametrize(
    "counts, cap, expected",
    [
        ([100, 300], None, [100, 300]),
        ([100, 300], 400, [100, 300]),
        ([100, 318_400], 16_384, [100, 16_284]),
        ([6_400, 1_273_600], 8_000, [4_000, 4_000]),
        ([10, 50, 5_000, 20_000], 1_000, [10, 50, 470, 470]),
    ],
)
def test_epoch_quotas_show_rare_classes_whole_and_cap_the_others_alike(counts, cap, expected):
    quotas = epoch_quotas(counts, cap)
    assert quotas.tolist() == expected
    assert cap is None or quotas.sum() <= cap


def _batches(y, cap, batch_size=50, seed=0):
    X = torch.zeros(len(y), 1)
    data = RowData(X, torch.as_tensor(y), None, "cpu")
    return Batches(data, batch_size, True, torch.Generator().manual_seed(seed), cap)


def test_every_batch_holds_its_share_of_the_rare_class():
    y = np.repeat([0, 1], [9_900, 100])
    batches = _batches(y, cap=1_000)
    assert len(batches) == 20
    counts = [int(c.sum()) for _, c in batches]
    # 100 rare rows over 20 batches: five in each, every epoch.
    assert counts == [5] * 20


def test_each_epoch_draws_the_large_class_afresh():
    y = np.repeat([0, 1], [9_900, 100])
    batches = _batches(y, cap=1_000)
    seen = [set(batches._order().tolist()) for _ in range(3)]
    rare = set(np.flatnonzero(y == 1).tolist())
    assert all(rare <= epoch for epoch in seen)
    assert seen[0] != seen[1] != seen[2]
    assert len(seen[0] | seen[1] | seen[2]) > 2_000


def test_a_table_that_fits_in_an_epoch_is_shuffled_whole_as_before():
    y = np.repeat([0, 1], [900, 100])
    with_cap, without = _batches(y, cap=5_000, seed=3), _batches(y, cap=None, seed=3)
    assert with_cap.quotas is None
    assert torch.equal(with_cap._order(), without._order())


def test_the_epochs_of_every_sampler_follow_the_classes(large, make_sampler):
    X, y = large
    sampler = make_sampler(rows_per_epoch=400, batch_size=50)
    sampler.fit_resample(X, y)
    history = sampler.net_.history
    assert {epoch["train_batch_count"] for epoch in history} == {8}
    full = make_sampler(rows_per_epoch=None, batch_size=50)
    full.fit_resample(X, y)
    assert full.net_.history[-1, "train_batch_count"] == 80


def test_focal_weights_follow_the_rows_an_epoch_shows(large):
    X, y = large
    sampler = tiny("BAEGANSampler", rows_per_epoch=400)
    sampler.fit_resample(X, y)
    alpha = sampler.net_.adversarial_criterion_.alpha
    # 80 minority rows and 320 of the majority per epoch.
    torch.testing.assert_close(alpha, torch.tensor([400 / (2 * 320), 400 / (2 * 80)]))


def test_the_networks_do_not_depend_on_sampling_strategy(large, make_sampler):
    X, y = large
    a = make_sampler(rows_per_epoch=400)
    a.fit_resample(X, y)
    b = make_sampler(rows_per_epoch=400, sampling_strategy=0.5)
    b.fit_resample(X, y)
    for name, param in a.net_.module_.state_dict().items():
        torch.testing.assert_close(param, b.net_.module_.state_dict()[name], rtol=0, atol=0)


def test_generation_encodes_and_decodes_only_the_class_it_makes(large, monkeypatch):
    X, y = large
    sampler = tiny("BAEGANSampler")
    sampler.fit_resample(X, y)
    sizes = []
    encode = sampler.net_.encode
    monkeypatch.setattr(
        sampler.net_, "encode", lambda rows, **kw: sizes.append(len(rows)) or encode(rows, **kw)
    )
    sampler.generate(100, label=1, random_state=0)
    assert sizes == [int((y == 1).sum())]


def test_a_large_table_is_never_copied_whole():
    # Beyond its own output, a fit holds a few label-sized arrays (class
    # indices, their order for the epochs' draws): bytes per row that do not
    # grow with the columns. A float64 copy of these float32 rows would add
    # 240 bytes a row; half the input's 120 is the bound.
    X, y = make_classification(
        n_samples=32_000, n_features=30, weights=[0.98], flip_y=0, random_state=0
    )
    X = X.astype(np.float32)
    sampler = BAEGANSampler(
        pretrain_epochs=1,
        adversarial_epochs=1,
        hidden_dims=(8,),
        rows_per_epoch=2_000,
        generated_fraction=1.0,
        random_state=0,
    )
    sampler.fit_resample(X[:500], y[:500])
    tracemalloc.start()
    X_res, y_res = sampler.fit_resample(X, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    beyond_output = peak - X_res.nbytes - y_res.nbytes
    assert beyond_output / len(X) < 60, beyond_output / len(X)


def test_an_epoch_smaller_than_the_classes_still_shows_each_class():
    assert epoch_quotas([10, 100, 1_000], 2).tolist() == [1, 1, 1]
