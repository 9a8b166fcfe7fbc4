"""Searching at scale: the network cache, generating more, threads and parallel backends."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
import torch
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from skorch.callbacks import Callback

from imblearn_baegan import BAEGANSampler, FractionOfMajority
from imblearn_baegan._memory import NetCache

FAST = dict(
    pretrain_epochs=2,
    adversarial_epochs=2,
    hidden_dims=(16,),
    latent_dim=4,
    discriminator_hidden_dims=(8,),
    batch_size=32,
    random_state=0,
)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=240, n_features=6, n_informative=4, weights=[0.8, 0.2], random_state=0
    )
    return X, y


def _entries(folder: Path) -> list[Path]:
    return sorted(Path(folder).rglob("*.pt"))


def _search(memory, n_jobs=1, grid=None):
    pipe = Pipeline(
        [("sampler", BAEGANSampler(**FAST, memory=memory)), ("clf", LogisticRegression())]
    )
    grid = grid or {
        "sampler__sampling_strategy": [FractionOfMajority(0.5), FractionOfMajority(1.0)],
        "sampler__decoding": ["residual", "direct"],
    }
    return GridSearchCV(
        pipe,
        grid,
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="balanced_accuracy",
        n_jobs=n_jobs,
    )


# -- the cache of trained networks ----------------------------------------------


@pytest.mark.parametrize("image_shape", [None, (1, 2, 3)])
def test_cached_output_is_identical(data, tmp_path, image_shape, make_sampler):
    X, y = data
    reference = make_sampler(image_shape=image_shape).fit_resample(X, y)
    first = make_sampler(image_shape=image_shape, memory=tmp_path)
    second = make_sampler(image_shape=image_shape, memory=str(tmp_path))
    for sampler in (first, second):
        X_res, y_res = sampler.fit_resample(X, y)
        np.testing.assert_array_equal(X_res, reference[0])
        np.testing.assert_array_equal(y_res, reference[1])
    assert (first.memory_hit_, second.memory_hit_) == (False, True)
    assert len(_entries(tmp_path)) == 1
    assert second.net_.history[-1]["train_loss"] == first.net_.history[-1]["train_loss"]
    np.testing.assert_array_equal(
        second.generate(9, 1, random_state=0), first.generate(9, 1, random_state=0)
    )


def test_generation_settings_share_one_training(data, tmp_path, make_sampler):
    X, y = data
    make_sampler(memory=tmp_path).fit_resample(X, y)
    changes = [
        {"generated_fraction": 0.5},
        {"sampling_strategy": FractionOfMajority(0.5)},
        {"verbose": 0},
    ]
    if isinstance(make_sampler(), BAEGANSampler):
        changes += [{"decoding": "direct"}, {"k_neighbors": 2}, {"generation": "prior"}]
    for params in changes:
        sampler = make_sampler(memory=tmp_path).set_params(**params)
        sampler.fit_resample(X, y)
        assert sampler.memory_hit_, params
    assert len(_entries(tmp_path)) == 1


@pytest.mark.parametrize("change", ["lr", "epochs", "seed", "row", "label"])
def test_what_training_depends_on_is_a_miss(data, tmp_path, change):
    X, y = data
    BAEGANSampler(**FAST, memory=tmp_path).fit_resample(X, y)
    params = dict(FAST)
    X2, y2 = X.copy(), y.copy()
    if change == "lr":
        params["lr"] = 2e-3
    elif change == "epochs":
        params["adversarial_epochs"] = 1
    elif change == "seed":
        params["random_state"] = 1
    elif change == "row":
        X2[0, 0] += 1e-9
    else:
        y2[np.flatnonzero(y2 == 0)[0]] = 1
    sampler = BAEGANSampler(**params, memory=tmp_path)
    sampler.fit_resample(X2, y2)
    assert not sampler.memory_hit_
    assert len(_entries(tmp_path)) == 2


def test_device_type_is_in_the_key_but_not_its_index(data):
    X, y = data
    c = np.searchsorted(np.unique(y), y)
    params = BAEGANSampler(**FAST)._training_params()
    assert "lr" in params and "device" not in params
    keys = {
        device: NetCache.key(NetCache.header(X, c, params, 0, device), X, c)
        for device in ("cpu", "cuda", "cuda:1")
    }
    assert keys["cpu"] != keys["cuda"] == keys["cuda:1"]


def test_entries_hold_cpu_tensors_only(data, tmp_path):
    X, y = data
    BAEGANSampler(**FAST, memory=tmp_path).fit_resample(X, y)
    (entry,) = _entries(tmp_path)
    tensors = torch.load(entry, weights_only=True)["modules"]
    devices = {t.device.type for state in tensors.values() for t in state.values()}
    assert devices == {"cpu"}
    assert {"module", "discriminator"} <= set(tensors)


def test_joblib_memory_is_accepted(data, tmp_path):
    X, y = data
    sampler = BAEGANSampler(**FAST, memory=joblib.Memory(tmp_path, verbose=0))
    sampler.fit_resample(X, y)
    assert len(_entries(tmp_path)) == 1
    assert BAEGANSampler(**FAST, memory=joblib.Memory(None)).fit_resample(X, y)[0].shape


@pytest.mark.parametrize("damage", ["truncate", "garbage", "wrong_shapes"])
def test_a_damaged_entry_is_retrained_with_a_warning(data, tmp_path, damage):
    X, y = data
    reference = BAEGANSampler(**FAST, memory=tmp_path).fit_resample(X, y)
    (entry,) = _entries(tmp_path)
    if damage == "truncate":
        entry.write_bytes(entry.read_bytes()[:100])
    elif damage == "garbage":
        entry.write_bytes(b"not a torch file")
    else:
        BAEGANSampler(**dict(FAST, latent_dim=3), memory=tmp_path).fit_resample(X, y)
        other = next(p for p in _entries(tmp_path) if p != entry)
        entry.write_bytes(other.read_bytes())
    sampler = BAEGANSampler(**FAST, memory=tmp_path)
    with pytest.warns(UserWarning, match="were not used.*training them again"):
        X_res, _ = sampler.fit_resample(X, y)
    assert not sampler.memory_hit_
    np.testing.assert_array_equal(X_res, reference[0])
    again = BAEGANSampler(**FAST, memory=tmp_path)
    again.fit_resample(X, y)
    assert again.memory_hit_


@pytest.mark.parametrize(
    "params, match",
    [
        ({"callbacks": [Callback()]}, "callbacks"),
        ({"random_state": None}, "random_state=None"),
        ({"random_state": np.random.RandomState(0)}, "random_state=RandomState"),
    ],
)
def test_settings_that_cannot_be_keyed_skip_the_cache(data, tmp_path, params, match):
    X, y = data
    sampler = BAEGANSampler(**{**FAST, **params}, memory=tmp_path)
    with pytest.warns(UserWarning, match=f"memory is ignored: .*{match}"):
        sampler.fit_resample(X, y)
    assert not sampler.memory_hit_
    assert _entries(tmp_path) == []


def test_concurrent_fits_share_one_training(data, tmp_path):
    X, y = data
    reference = BAEGANSampler(**FAST).fit_resample(X, y)[0]
    samplers = [BAEGANSampler(**FAST, memory=tmp_path) for _ in range(3)]
    outputs = [None] * 3
    barrier = threading.Barrier(3)

    def fit(i):
        barrier.wait()
        outputs[i] = samplers[i].fit_resample(X, y)[0]

    threads = [threading.Thread(target=fit, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for out in outputs:
        np.testing.assert_array_equal(out, reference)
    assert sorted(s.memory_hit_ for s in samplers) == [False, True, True]
    assert len(_entries(tmp_path)) == 1


def test_grid_over_generation_trains_once_per_fold(data, tmp_path):
    X, y = data
    plain = _search(None).fit(X, y)
    cached = _search(tmp_path).fit(X, y)
    # Three folds and the refit on all rows.
    assert len(_entries(tmp_path)) == 4
    np.testing.assert_array_equal(
        cached.cv_results_["mean_test_score"], plain.cv_results_["mean_test_score"]
    )
    assert cached.best_params_ == plain.best_params_


# -- generating more from a fitted sampler -------------------------------------


def test_generate_matches_fit_resample(data, make_sampler):
    X, y = data
    sampler = make_sampler(generated_fraction=1.0)
    X_res, _ = sampler.fit_resample(X, y)
    rng = np.random.RandomState(0)
    rng.randint(np.iinfo(np.int32).max)  # the seed fit_resample draws first
    n_new = sampler.sampling_strategy_[1]
    np.testing.assert_array_equal(sampler.generate(n_new, 1, random_state=rng), X_res[len(X) :])


def test_generate_any_amount_reproducibly(data, make_sampler):
    X, y = data
    sampler = make_sampler(image_shape=(1, 2, 3))
    sampler.fit_resample(X.astype(np.float32), y)
    for n in (1, 7, 2500):
        rows = sampler.generate(n, label=1, random_state=3)
        assert rows.shape == (n, X.shape[1]) and rows.dtype == np.float32
        np.testing.assert_array_equal(rows, sampler.generate(n, label=1, random_state=3))
    assert not np.array_equal(
        sampler.generate(5, 1, random_state=3), sampler.generate(5, 1, random_state=4)
    )


def test_generate_keeps_pandas_columns(data, make_sampler):
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    sampler = make_sampler()
    sampler.fit_resample(frame, y)
    rows = sampler.generate(4, 1, random_state=0)
    assert list(rows.columns) == list(frame.columns) and len(rows) == 4


def test_generate_refuses_bad_requests(data, make_sampler):
    X, y = data
    sampler = make_sampler()
    with pytest.raises(Exception, match="not fitted"):
        sampler.generate(3, 1)
    sampler.fit_resample(X, y)
    with pytest.raises(ValueError, match="Class 0 was not over-sampled.*rows of 1"):
        sampler.generate(3, 0)
    with pytest.raises(ValueError, match="Class 'cat' was not over-sampled"):
        sampler.generate(3, "cat")
    for n in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="n_samples must be a positive integer"):
            sampler.generate(n, 1)


# -- the amount of synthetic data as a parameter ------------------------------


def test_fraction_of_majority():
    y = np.array(["a"] * 100 + ["b"] * 10 + ["c"] * 60)
    assert FractionOfMajority(0.5)(y) == {"b": 50, "c": 60}
    assert FractionOfMajority(1.0)(y) == {"b": 100, "c": 100}
    assert repr(FractionOfMajority(0.25)) == "FractionOfMajority(0.25)"
    assert joblib.hash(clone(FractionOfMajority(0.5), safe=False)) == joblib.hash(
        FractionOfMajority(0.5)
    )
    for bad in (0, 1.5, -0.1, "half", True):
        with pytest.raises(ValueError, match="fraction must be a number in"):
            FractionOfMajority(bad)


@pytest.mark.parametrize(
    "make",
    [
        lambda s: SMOTE(sampling_strategy=s, random_state=0),
        lambda s: BAEGANSampler(**FAST, sampling_strategy=s),
    ],
)
def test_fraction_of_majority_drives_any_sampler(make):
    X, y = make_classification(
        n_samples=300, n_classes=3, n_informative=4, weights=[0.7, 0.2, 0.1], random_state=0
    )
    counts = np.bincount(y)
    _, y_res = make(FractionOfMajority(0.5)).fit_resample(X, y)
    expected = np.maximum(counts, round(0.5 * counts.max()))
    np.testing.assert_array_equal(np.bincount(y_res), expected)


# -- threads and parallel backends --------------------------------------------


class _RecordThreads(Callback):
    def __init__(self, seen, barrier=None):
        self.seen = seen
        self.barrier = barrier

    def on_epoch_end(self, net, **kwargs):
        self.seen.append(torch.get_num_threads())
        if self.barrier is not None and len(net.history) == 1:
            self.barrier.wait()


@pytest.fixture(scope="module")
def images():
    X, y = make_classification(n_samples=96, n_features=784, weights=[0.8], random_state=0)
    return X, y


def test_fits_in_threads_share_the_threads(images):
    # Networks with much work a step take their share of the threads.
    X, y = images
    conv = dict(
        FAST,
        image_shape=(1, 28, 28),
        conv_width=32,
        batch_size=64,
        pretrain_epochs=1,
        adversarial_epochs=2,
    )
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        seen = [[], []]
        # Both fits end their first epoch before either starts its second.
        barrier = threading.Barrier(2)
        samplers = [BAEGANSampler(**conv, callbacks=[_RecordThreads(s, barrier)]) for s in seen]
        threads = [threading.Thread(target=s.fit_resample, args=(X, y)) for s in samplers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [s[1] for s in seen] == [1, 1], seen
        assert all(n <= 2 for s in seen for n in s)
        assert torch.get_num_threads() == 2
        serial = []
        BAEGANSampler(**conv, callbacks=[_RecordThreads(serial)]).fit_resample(X, y)
        assert set(serial) == {2}
    finally:
        torch.set_num_threads(before)


def test_small_perceptrons_train_on_one_thread(data):
    X, y = data
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        seen = []
        BAEGANSampler(**FAST, callbacks=[_RecordThreads(seen)]).fit_resample(X, y)
        assert set(seen) == {1}
        assert torch.get_num_threads() == 2
        # Wide layers on large batches are worth the threads again.
        wide = dict(FAST, hidden_dims=(2048, 2048), batch_size=128)
        seen = []
        BAEGANSampler(**wide, callbacks=[_RecordThreads(seen)]).fit_resample(X, y)
        assert set(seen) == {2}
    finally:
        torch.set_num_threads(before)


def _same_results(search, reference):
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"], reference.cv_results_["mean_test_score"]
    )
    assert search.best_params_ == reference.best_params_


@pytest.fixture(scope="module")
def serial_search(data):
    X, y = data
    return _search(None).fit(X, y)


def test_loky_workers_get_their_share_of_the_cores():
    n_jobs = 2
    threads = joblib.Parallel(n_jobs=n_jobs)(
        joblib.delayed(torch.get_num_threads)() for _ in range(n_jobs)
    )
    assert max(threads) <= max(1, joblib.cpu_count() // n_jobs)


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_parallel_search_matches_serial(data, tmp_path, serial_search, backend):
    X, y = data
    with joblib.parallel_config(backend=backend):
        search = _search(tmp_path, n_jobs=2).fit(X, y)
    _same_results(search, serial_search)
    assert len(_entries(tmp_path)) == 4


def test_dask_search_matches_serial(data, tmp_path, serial_search):
    distributed = pytest.importorskip(
        "distributed", reason="the [distributed] extra is not installed"
    )
    X, y = data
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
        joblib.parallel_config(backend="dask"),
    ):
        # Dask's workers start torch with the one thread each was given.
        assert set(client.run(torch.get_num_threads).values()) == {1}
        search = _search(tmp_path, n_jobs=-1).fit(X, y)
    _same_results(search, serial_search)
    assert len(_entries(tmp_path)) == 4


def test_ray_search_matches_serial(data, tmp_path, serial_search):
    ray = pytest.importorskip("ray", reason="the [distributed] extra is not installed")
    from ray.util.joblib import register_ray

    X, y = data
    register_ray()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with joblib.parallel_config(backend="ray"):
                search = _search(tmp_path, n_jobs=2).fit(X, y)
    finally:
        ray.shutdown()
    _same_results(search, serial_search)
    assert len(_entries(tmp_path)) == 4
