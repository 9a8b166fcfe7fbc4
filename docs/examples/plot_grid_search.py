"""
=================================================
Tuning BAEGAN's hyperparameters with GridSearchCV
=================================================

Every constructor argument of :class:`~imblearn_baegan.BAEGANSampler` is a
scikit-learn parameter, so a pipeline exposes it as ``<step>__<name>``: here
``baegan__latent_dim`` and ``baegan__adversarial_epochs``. The search refits
the sampler on the training part of every split, so the score it reports is
measured on rows the sampler never saw.
"""

# %%
# Data and pipeline
# -----------------
from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from imblearn_baegan import BAEGANSampler

X, y = make_classification(
    n_samples=400,
    n_features=8,
    n_informative=5,
    weights=[0.9, 0.1],
    random_state=1,
)
pipeline = Pipeline(
    [
        (
            "baegan",
            BAEGANSampler(
                hidden_dims=(32,),
                discriminator_hidden_dims=(32,),
                pretrain_epochs=5,
                random_state=0,
            ),
        ),
        ("classifier", LogisticRegression(max_iter=1000)),
    ]
)

# %%
# The grid
# --------
# ``adversarial_epochs=0`` is the autoencoder-plus-latent-SMOTE baseline, so
# the search also tells whether the adversarial phase pays off on this data.
from sklearn.model_selection import GridSearchCV, StratifiedKFold

param_grid = {
    "baegan__latent_dim": [4, 8],
    "baegan__adversarial_epochs": [0, 5],
}
search = GridSearchCV(
    pipeline,
    param_grid,
    scoring="balanced_accuracy",
    cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
)
search.fit(X, y)
print("best parameters:", search.best_params_)
print(f"best balanced accuracy: {search.best_score_:.3f}")

# %%
# All candidates
# --------------
import pandas as pd

results = pd.DataFrame(search.cv_results_)
columns = [
    "param_baegan__latent_dim",
    "param_baegan__adversarial_epochs",
    "mean_test_score",
    "std_test_score",
    "mean_fit_time",
]
results[columns].sort_values("mean_test_score", ascending=False).round(3)

# %%
# A heat map of the mean scores
# -----------------------------
import matplotlib.pyplot as plt

table = results.pivot_table(
    index="param_baegan__latent_dim",
    columns="param_baegan__adversarial_epochs",
    values="mean_test_score",
)
fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
image = ax.imshow(table.to_numpy(), cmap="viridis")
ax.set_xticks(range(table.shape[1]), table.columns)
ax.set_yticks(range(table.shape[0]), table.index)
ax.set_xlabel("adversarial_epochs")
ax.set_ylabel("latent_dim")
for (i, j), value in pd.DataFrame(table.to_numpy()).stack().items():
    ax.text(j, i, f"{value:.3f}", ha="center", va="center", color="white")
fig.colorbar(image, ax=ax, label="balanced accuracy")
plt.show()

# %%
# With three folds and tiny networks the differences are within the noise
# of the split; on real data, search over more epochs and repeat the
# cross-validation before trusting a winner.
