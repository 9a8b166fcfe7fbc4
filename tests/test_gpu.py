"""The CUDA path, run where torch sees a GPU: ``python -m pytest -m gpu``.

Without CUDA every test here is skipped; the rest of the suite checks the
CPU path and the placement logic with CUDA mocked.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import FAMILY, tiny
from sklearn.base import clone
from sklearn.datasets import make_classification

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
]


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=300, n_features=8, weights=[0.85], random_state=0)


@pytest.mark.parametrize("name", list(FAMILY))
def test_each_sampler_trains_on_cuda(data, name):
    sampler = tiny(name, device="cuda")
    X_res, y_res = sampler.fit_resample(*data)
    assert all(p.is_cuda for p in sampler.net_.module_.parameters())
    assert X_res.dtype == data[0].dtype and np.isfinite(X_res).all()
    assert np.bincount(y_res)[0] == np.bincount(y_res)[1]


@pytest.mark.parametrize("name", list(FAMILY))
def test_rows_on_the_host_or_on_the_device_train_the_same_networks(data, name):
    X, y = data[0].astype(np.float32), data[1]
    sampler = tiny(name, device="cuda")
    sampler.fit_resample(X, y)
    weights = []
    for placement in ("host", "device"):
        net = clone(sampler.net_).set_params(data_placement=placement).fit(X, y)
        weights.append(torch.cat([p.detach().flatten().cpu() for p in net.module_.parameters()]))
    torch.testing.assert_close(weights[0], weights[1], rtol=1e-4, atol=1e-5)


def test_trained_on_the_gpu_loaded_on_a_machine_without_one(data, tmp_path):
    sampler = tiny("BAEGANSampler", device="cuda")
    sampler.fit_resample(*data)
    codes = sampler.encode(data[0][:20])
    path = tmp_path / "sampler.pkl"
    path.write_bytes(pickle.dumps(sampler))
    np.save(tmp_path / "codes.npy", codes)
    np.save(tmp_path / "X.npy", data[0][:20])
    script = textwrap.dedent(
        f"""
        import pickle, warnings, numpy as np, torch
        assert not torch.cuda.is_available()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sampler = pickle.loads(open({str(path)!r}, "rb").read())
        assert any("DeviceWarning" in type(w.message).__name__ for w in caught)
        codes = sampler.encode(np.load({str(tmp_path / "X.npy")!r}))
        np.testing.assert_allclose(codes, np.load({str(tmp_path / "codes.npy")!r}), atol=1e-4)
        assert sampler.generate(10, label=1, random_state=0).shape == (10, 8)
        """
    )
    env = {"CUDA_VISIBLE_DEVICES": "", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
    )
    assert result.returncode == 0, result.stderr


def test_the_cache_keeps_gpu_and_cpu_networks_apart(data, tmp_path):
    gpu = tiny("BAEGANSampler", device="cuda", memory=tmp_path)
    gpu.fit_resample(*data)
    cpu = tiny("BAEGANSampler", device="cpu", memory=tmp_path)
    cpu.fit_resample(*data)
    assert not cpu.memory_hit_
    assert len(list(Path(tmp_path).rglob("*.pt"))) == 2
    again = tiny("BAEGANSampler", device="cuda:0", memory=tmp_path)
    again.fit_resample(*data)
    assert again.memory_hit_
