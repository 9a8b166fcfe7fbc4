"""Each paper ablation is one parameter away, and each really changes training."""

import numpy as np
import pytest
from conftest import tiny_sampler


def _prior_mismatch(sampler, X, y):
    """How far each class's codes are from N(0, I): mean offset plus spread error."""
    codes = sampler.encode(X)
    total = 0.0
    for label in sampler.classes_:
        z = codes[y == label]
        total += np.linalg.norm(z.mean(0)) + np.abs(z.std(0) - 1).mean()
    return total


def test_adversarial_stage_moves_codes_towards_the_prior(multiclass_data):
    X, y = multiclass_data
    settings = dict(
        pretrain_epochs=3,
        latent_dim=2,
        hidden_dims=(32,),
        discriminator_hidden_dims=(32, 32),
        batch_size=32,
    )
    ae_only = tiny_sampler(adversarial_epochs=0, **settings)
    baegan = tiny_sampler(adversarial_epochs=25, **settings)
    ae_only.fit_resample(X, y)
    baegan.fit_resample(X, y)
    assert _prior_mismatch(baegan, X, y) < 0.85 * _prior_mismatch(ae_only, X, y)


def test_adversarial_stage_changes_the_samples(multiclass_data):
    """The generator is the encoder, so phase (b) changes what phase (c) decodes."""
    X, y = multiclass_data
    ae_only = tiny_sampler(adversarial_epochs=0).fit_resample(X, y)[0]
    with_gan = tiny_sampler(adversarial_epochs=2).fit_resample(X, y)[0]
    assert not np.allclose(ae_only[len(X) :], with_gan[len(X) :])
    phases = tiny_sampler(adversarial_epochs=0)
    phases.fit_resample(X, y)
    assert phases.net_.history[:, "discriminator_loss"] == [None, None]


def test_no_pretraining_starts_adversarial(binary_data):
    X, y = binary_data
    sampler = tiny_sampler(pretrain_epochs=0, adversarial_epochs=3)
    sampler.fit_resample(X, y)
    assert sampler.net_.history[:, "phase"] == ["adversarial"] * 3
    assert len(sampler.net_.history[0, "batches", :, "discriminator_loss"]) > 0
    full = tiny_sampler(pretrain_epochs=2, adversarial_epochs=1)
    full.fit_resample(X, y)
    assert full.net_.history[:, "phase"] == ["pretrain", "pretrain", "adversarial"]


def test_plain_loss_drops_focal_and_gradient_penalty(binary_data):
    X, y = binary_data
    plain = tiny_sampler(adversarial_loss="plain")
    focal = tiny_sampler()
    plain.fit_resample(X, y)
    focal.fit_resample(X, y)
    assert plain.net_.gp_weight == 0.0 and plain.net_.adversarial_criterion_.gamma == 0.0
    assert plain.net_.adversarial_criterion_.alpha is None
    assert focal.net_.gp_weight == 10.0 and focal.net_.adversarial_criterion_.gamma == 2.0
    d_plain = plain.net_.history[2:, "discriminator_loss"]
    d_focal = focal.net_.history[2:, "discriminator_loss"]
    assert not np.allclose(d_plain, d_focal)


def test_balanced_alpha_weights_rare_classes_up(multiclass_data):
    X, y = multiclass_data
    sampler = tiny_sampler()
    sampler.fit_resample(X, y)
    alpha = sampler.net_.adversarial_criterion_.alpha.cpu().numpy()
    counts = np.bincount(y)
    np.testing.assert_allclose(alpha, len(y) / (3 * counts), rtol=1e-6)
    assert alpha[2] > alpha[1] > alpha[0]
    unweighted = tiny_sampler(focal_alpha=None)
    unweighted.fit_resample(X, y)
    assert unweighted.net_.adversarial_criterion_.alpha is None


def test_sampling_from_the_prior_replaces_latent_smote(multiclass_data):
    X, y = multiclass_data
    smote = tiny_sampler()
    prior = tiny_sampler(generation="prior")
    X_smote = smote.fit_resample(X, y)[0][len(X) :]
    X_prior = prior.fit_resample(X, y)[0][len(X) :]
    assert prior.k_neighbors_ == {} and smote.k_neighbors_ == {1: 5, 2: 5}
    assert X_smote.shape == X_prior.shape and not np.allclose(X_smote, X_prior)


def test_residual_decoding_keeps_real_detail(digits_imbalanced):
    """Residual rows are a real row plus the decoder's predicted change."""
    X, y = digits_imbalanced
    direct = tiny_sampler(image_shape=(1, 8, 8), decoding="direct")
    residual = tiny_sampler(image_shape=(1, 8, 8), decoding="residual")
    X_direct = direct.fit_resample(X, y)[0][len(X) :]
    X_residual = residual.fit_resample(X, y)[0][len(X) :]
    assert X_direct.shape == X_residual.shape
    assert X_residual.min() >= X.min() and X_residual.max() <= X.max()
    X_rare = X[y == 2]

    def nearest(new):
        return np.min(np.linalg.norm(new[:, None] - X_rare[None], axis=2), axis=1).mean()

    # Starting from real rows, they stay much closer to real rows than
    # rows decoded by tiny, blurry networks.
    assert nearest(X_residual) < 0.75 * nearest(X_direct)


def test_prior_draws_are_decoded_directly_whatever_the_decoding(binary_data):
    """A draw from the prior has no real row to add a change to."""
    X, y = binary_data
    residual = tiny_sampler(decoding="residual", generation="prior").fit_resample(X, y)[0]
    direct = tiny_sampler(decoding="direct", generation="prior").fit_resample(X, y)[0]
    np.testing.assert_array_equal(residual, direct)


def _copies_of_real_rows(X_new, X_real) -> int:
    real = {row.tobytes() for row in X_real}
    return sum(row.tobytes() in real for row in X_new)


@pytest.mark.parametrize("fraction", [0.25, 0.5])
def test_generated_fraction_leaves_the_rest_to_copies_of_real_rows(multiclass_data, fraction):
    X, y = multiclass_data
    sampler = tiny_sampler(generated_fraction=fraction)
    X_res, y_res = sampler.fit_resample(X, y)
    X_new, y_new = X_res[len(X) :], y_res[len(X) :]
    for label, n_new in sampler.sampling_strategy_.items():
        rows = X_new[y_new == label]
        assert len(rows) == n_new
        n_generated = int(np.ceil(fraction * n_new))
        assert _copies_of_real_rows(rows, X[y == label]) == n_new - n_generated


@pytest.mark.parametrize("image_shape, share", [(None, 0.75), ((1, 2, 4), 0.5)])
def test_auto_defaults_follow_the_kind_of_data(multiclass_data, image_shape, share):
    # Three quarters of the new rows generated on tables, half on images;
    # 40+40 epochs on tables, 20+20 on images.
    X, y = multiclass_data
    sampler = tiny_sampler(
        generated_fraction="auto",
        pretrain_epochs="auto",
        adversarial_epochs=1,
        image_shape=image_shape,
        conv_width=2,
    )
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.generated_fraction_ == share
    assert sampler.pretrain_epochs_ == (40 if image_shape is None else 20)
    assert sampler.adversarial_epochs_ == 1
    assert len(sampler.net_.history) == sampler.pretrain_epochs_ + 1
    n_new = sum(sampler.sampling_strategy_.values())
    n_generated = sum(int(np.ceil(share * n)) for n in sampler.sampling_strategy_.values())
    assert _copies_of_real_rows(X_res[len(X) :], X) == n_new - n_generated
