"""
=================================================
Tuning BAEGAN's hyperparameters with GridSearchCV
=================================================

Every constructor argument of :class:`~imblearn_baegan.BAEGANSampler` is a
scikit-learn parameter, so a pipeline exposes it as ``<step>__<name>``. The
search refits the sampler on the training part of every split, so the score
it reports is measured on rows the sampler never saw.

The grid here searches what tends to matter for a classifier behind an
over-sampler: how many rows to add (``sampling_strategy``, with
:class:`~imblearn_baegan.FractionOfMajority`), how many of them are
generated rather than copied from real rows (``generated_fraction``), and
whether the adversarial phase runs at all (``adversarial_epochs``). The
first two are used only when generating, so with the sampler's ``memory``
the search trains the networks once per fold and value of
``adversarial_epochs``, not once per candidate.
"""

# %%
# Data and pipeline
# -----------------
# A binary table with a rare class. The scaler comes before the sampler, so
# that BAEGAN and the classifier see standardised columns.
import tempfile
from collections import Counter

from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from imblearn_baegan import BAEGANSampler, FractionOfMajority

X, y = make_classification(
    n_samples=600,
    n_features=8,
    n_informative=4,
    weights=[0.94, 0.06],
    class_sep=0.8,
    random_state=1,
)
counts = Counter(y.tolist())
print(sorted(counts.items()), f"minority / majority: {counts[1] / counts[0]:.3f}")

cache = tempfile.mkdtemp()
pipeline = Pipeline(
    [
        ("scaler", StandardScaler()),
        (
            "baegan",
            BAEGANSampler(
                latent_dim=4,
                hidden_dims=(32,),
                discriminator_hidden_dims=(32,),
                pretrain_epochs=10,
                random_state=0,
                memory=cache,
            ),
        ),
        ("classifier", LogisticRegression(max_iter=1000)),
    ]
)

# %%
# The grid
# --------
# ``FractionOfMajority(f)`` brings the minority class to at least ``f``
# times the majority's size; a fraction below the printed ratio adds no row
# at all, so the grid also asks whether over-sampling helps.
# ``adversarial_epochs=0`` is the autoencoder-plus-latent-SMOTE baseline.
from sklearn.model_selection import GridSearchCV, StratifiedKFold

param_grid = {
    "baegan__sampling_strategy": [FractionOfMajority(f) for f in (0.05, 0.25, 1.0)],
    "baegan__generated_fraction": [0.5, 1.0],
    "baegan__adversarial_epochs": [0, 10],
}
cv = StratifiedKFold(n_splits=4, shuffle=True, random_state=0)
search = GridSearchCV(pipeline, param_grid, scoring="balanced_accuracy", cv=cv)
search.fit(X, y)
print("best parameters:", search.best_params_)
print(f"best balanced accuracy: {search.best_score_:.3f}")

# %%
# The cache trained one set of networks per fold and per value of
# ``adversarial_epochs``, plus one for the refit on all rows; without it,
# every candidate in every fold would train its own.
from pathlib import Path

n_candidates = len(search.cv_results_["params"])
trainings = len(list(Path(cache).rglob("*.pt")))
print(
    f"networks trained: {trainings}, for {n_candidates} candidates x "
    f"{cv.get_n_splits()} folds + 1 refit = {n_candidates * cv.get_n_splits() + 1} fits"
)

# %%
# All candidates
# --------------
import pandas as pd

results = pd.DataFrame(search.cv_results_)
names = {
    f"param_baegan__{name}": name
    for name in ("sampling_strategy", "generated_fraction", "adversarial_epochs")
}
table = results[[*names, "mean_test_score", "std_test_score", "mean_fit_time"]].rename(
    columns=names
)
table["sampling_strategy"] = table["sampling_strategy"].map(lambda s: s.fraction)
table = table.rename(columns={"sampling_strategy": "fraction of majority"})
table.sort_values("mean_test_score", ascending=False).round(3)

# %%
# How far apart are the candidates?
# ---------------------------------
# A grid is worth searching only where its candidates differ by more than
# the noise of the folds. The sentences below are computed from
# ``cv_results_`` of this run: the best candidate against the worst, and how
# much each parameter moves the mean score when the others vary with it.
import numpy as np

best, worst = results["mean_test_score"].idxmax(), results["mean_test_score"].idxmin()
gap = results.loc[best, "mean_test_score"] - results.loc[worst, "mean_test_score"]
noise = results["std_test_score"].mean()
folds = [f"split{i}_test_score" for i in range(cv.get_n_splits())]
paired = results.loc[best, folds].to_numpy() - results.loc[worst, folds].to_numpy()
print(
    f"The best candidate's mean balanced accuracy is {gap:.3f} above the worst's, "
    f"{gap / noise:.1f} times the mean standard deviation over folds ({noise:.3f}); "
    f"it is higher on {int((paired > 0).sum())} of {len(paired)} folds."
)
for column in ("fraction of majority", "generated_fraction", "adversarial_epochs"):
    means = table.groupby(column)["mean_test_score"].mean()
    print(
        f"{column}: mean score {means.min():.3f} to {means.max():.3f} over its values "
        f"(a spread of {means.max() - means.min():.3f}; "
        f"{'more' if means.max() - means.min() > noise else 'less'} than the fold noise)"
    )

# %%
# A heat map of the mean scores
# -----------------------------
import matplotlib.pyplot as plt

pivot = table.pivot_table(
    index="fraction of majority",
    columns=["adversarial_epochs", "generated_fraction"],
    values="mean_test_score",
)
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
image = ax.imshow(pivot.to_numpy(), cmap="viridis")
ax.set_xticks(
    range(pivot.shape[1]),
    [f"adv. epochs {a}\ngen. fraction {g}" for a, g in pivot.columns],
    fontsize="small",
)
ax.set_yticks(range(pivot.shape[0]), pivot.index)
ax.set_ylabel("fraction of majority")
for (i, j), value in np.ndenumerate(pivot.to_numpy()):
    ax.text(j, i, f"{value:.3f}", ha="center", va="center", color="white")
fig.colorbar(image, ax=ax, label="balanced accuracy")
plt.show()

# %%
# Four folds and tiny networks give a noisy estimate: before trusting a
# winner on real data, repeat the cross-validation
# (:class:`~sklearn.model_selection.RepeatedStratifiedKFold`) and compare
# the gap between candidates with the spread over folds, as above.
# :ref:`searching` says more on searches with the cache. The cache folder
# can go once the search is done.
import shutil

shutil.rmtree(cache)
