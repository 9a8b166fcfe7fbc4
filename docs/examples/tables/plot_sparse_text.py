"""
===========================================
Sparse text features: TF-IDF in, sparse out
===========================================

:class:`~imblearn_baegan.BAEGANSampler` takes scipy sparse matrices, as
imbalanced-learn's :class:`~imblearn.over_sampling.SMOTE` does, and returns
the same format. The matrix is never densified whole: the networks see one
dense mini-batch at a time, and the generated rows are made sparse again.
Each generated row keeps as many values as the class's real rows hold on
average: those that stand out most from zero.

No data set is downloaded here: a small synthetic corpus stands in for text.
Each class draws its words from a distribution of its own, the documents
become word counts, and scikit-learn's
:class:`~sklearn.feature_extraction.text.TfidfTransformer` weighs them.
"""

# %%
# A bag-of-words corpus with a rare class
# ---------------------------------------
# A vocabulary of 1,500 words with Zipf frequencies shared by both classes;
# each class also favours a small topic of its own, and the rare class's
# topic overlaps the common one's, so that the classes are not trivially
# separable.
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

rng = np.random.RandomState(0)
n_words, n_common, n_rare = 1500, 540, 60
background = 1.0 / np.arange(1, n_words + 1) ** 1.1
background /= background.sum()
topics = rng.permutation(n_words)
common_topic, rare_topic = topics[:40], topics[30:70]


def word_distribution(topic, weight):
    p = (1 - weight) * background
    p[topic] += weight / len(topic)
    return p


distributions = [word_distribution(common_topic, 0.15), word_distribution(rare_topic, 0.15)]
y = np.r_[np.zeros(n_common, int), np.ones(n_rare, int)]
rows, words = [], []
for doc, label in enumerate(y):
    length = rng.poisson(40) + 5
    rows.append(np.full(length, doc))
    words.append(rng.choice(n_words, size=length, p=distributions[label]))
# Repeated (document, word) pairs add up: CSR construction sums duplicates.
counts = sparse.csr_matrix(
    (np.ones(sum(map(len, rows))), (np.concatenate(rows), np.concatenate(words))),
    shape=(len(y), n_words),
)
X = TfidfTransformer().fit_transform(counts)


def describe(matrix) -> str:
    density = matrix.nnz / (matrix.shape[0] * matrix.shape[1])
    return (
        f"{type(matrix).__name__} of shape {matrix.shape}, {matrix.nnz:,} stored values, "
        f"density {density:.2%}, {matrix.nnz / matrix.shape[0]:.1f} values per row"
    )


print(describe(X))
print(f"class counts: {np.bincount(y).tolist()}")

# %%
# Three pipelines
# ---------------
# No resampling, SMOTE and BAEGAN, each followed by a logistic regression,
# which accepts sparse input. The BAEGAN networks are small so that this
# page builds quickly; their first layer has one weight per word and hidden
# unit, the only part of the cost that grows with the vocabulary.
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression

from imblearn_baegan import BAEGANSampler

baegan = BAEGANSampler(
    latent_dim=8,
    hidden_dims=(32,),
    discriminator_hidden_dims=(16,),
    pretrain_epochs=10,
    adversarial_epochs=10,
    batch_size=32,
    random_state=0,
)
samplers = {"none": None, "SMOTE": SMOTE(random_state=0), "BAEGAN": baegan}


def pipeline(sampler):
    classifier = LogisticRegression(max_iter=2000)
    return make_pipeline(classifier) if sampler is None else make_pipeline(sampler, classifier)


# %%
# The resampled matrices stay sparse
# ----------------------------------
# Both samplers return a CSR matrix for a CSR matrix. SMOTE's new rows lie
# between two real rows, so they hold the words of both; BAEGAN's keep the
# rare class's mean number of values per row.
from sklearn.base import clone

resampled = {}
for name, sampler in samplers.items():
    if sampler is None:
        continue
    X_res, y_res = clone(sampler).fit_resample(X, y)
    resampled[name] = X_res[len(y) :][y_res[len(y) :] == 1]
    print(f"{name}: {describe(X_res)}")
real = X[y == 1]
print(f"real rows of the rare class: {real.nnz / real.shape[0]:.1f} values per row")
for name, new in resampled.items():
    print(f"{name}'s new rows: {new.nnz / new.shape[0]:.1f} values per row")

# %%
# Values per row, real and new
# ----------------------------
# With ``generated_fraction=0.5`` (the default), half of BAEGAN's new rows
# are generated, each with at most the rare class's mean number of values,
# and half are copies of real rows, with their own numbers of values.
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
per_row = {"real (rare class)": np.diff(real.indptr)}
per_row.update({f"new ({name})": np.diff(new.tocsr().indptr) for name, new in resampled.items()})
bins = np.arange(0, max(v.max() for v in per_row.values()) + 3, 2)
for label, values in per_row.items():
    ax.hist(values, bins=bins, histtype="step", linewidth=1.5, density=True, label=label)
ax.set_xlabel("stored values per row")
ax.set_ylabel("share of rows")
ax.legend(fontsize="small")
plt.show()

# %%
# Cross-validation
# ----------------
# Stratified 5-fold cross-validation; the sampler resamples the training
# folds only.
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_validate

cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scoring = {"balanced accuracy": "balanced_accuracy", "F1 (rare class)": "f1"}
rows, folds = [], {}
for name, sampler in samplers.items():
    scores = cross_validate(pipeline(sampler), X, y, cv=cv, scoring=scoring)
    folds[name] = scores["test_balanced accuracy"]
    row = {"pipeline": name, "fit time (s)": scores["fit_time"].mean()}
    row.update({metric: scores[f"test_{metric}"].mean() for metric in scoring})
    rows.append(row)
results = pd.DataFrame(rows).set_index("pipeline")
results.round(3)

# %%
# Reading the result
# ------------------
# Computed from this build's folds: BAEGAN against each other pipeline,
# fold by fold, the mean difference in balanced accuracy weighed against
# the standard deviation of the differences, and the cost of each fit.
for other in ("none", "SMOTE"):
    difference = folds["BAEGAN"] - folds[other]
    mean, spread = difference.mean(), difference.std(ddof=1)
    if abs(mean) <= spread:
        verdict = "within the noise of the folds"
    else:
        verdict = "above" if mean > 0 else "below"
    print(
        f"BAEGAN against {other}: {mean:+.3f} in balanced accuracy (fold-by-fold "
        f"standard deviation {spread:.3f}; higher on {int((difference > 0).sum())} of "
        f"{len(difference)} folds): {verdict}"
    )
fit = results["fit time (s)"]
print(f"a BAEGAN pipeline took {fit['BAEGAN'] / fit['SMOTE']:.0f} times as long to fit as SMOTE's")
dense_mib = X.shape[0] * X.shape[1] * 8 / 2**20
stored_mib = (X.data.nbytes + X.indices.nbytes + X.indptr.nbytes) / 2**20
print(
    f"the input takes {stored_mib:.2f} MiB as CSR against {dense_mib:.1f} MiB dense: "
    f"{dense_mib / stored_mib:.0f} times less"
)


# %%
# The sparse output keeps memory near the input's; whether its rows help a
# text classifier more than SMOTE's is a question for
# :func:`~imblearn_baegan.compare_samplers` on your own corpus.
