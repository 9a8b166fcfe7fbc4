"""Building blocks: focal loss, gradient penalty, latent SMOTE, the prior, scaling."""

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from imblearn_baegan._latent import LatentPrior, LatentSMOTE
from imblearn_baegan._losses import FocalLoss, class_logit, gradient_penalty
from imblearn_baegan._scaling import MinMaxScaling


def test_focal_loss_down_weights_easy_rows():
    logit = torch.tensor([4.0, 0.1])
    target = torch.ones(2)
    c = torch.zeros(2, dtype=torch.long)
    per_row = [FocalLoss(gamma=2.0)(logit[i : i + 1], target[:1], c[:1]) for i in range(2)]
    bce = [F.binary_cross_entropy_with_logits(logit[i : i + 1], target[:1]) for i in range(2)]
    # The easy row (logit 4) loses far more of its weight than the hard one.
    assert per_row[0] / bce[0] < 0.01 < per_row[1] / bce[1]


def test_focal_loss_alpha_is_a_weighted_mean():
    logit, target = torch.tensor([0.0, 2.0]), torch.ones(2)
    c = torch.tensor([0, 1])
    per_row = F.binary_cross_entropy_with_logits(logit, target, reduction="none")
    weighted = FocalLoss(gamma=0.0, alpha=torch.tensor([1.0, 3.0]))(logit, target, c)
    assert torch.isclose(weighted, (per_row[0] + 3 * per_row[1]) / 4)


def test_focal_loss_scale_does_not_depend_on_which_classes_a_batch_holds():
    # Same per-row loss everywhere: a batch of common rows and a batch with a
    # rare, heavily weighted row must give the same loss, as torch's
    # weighted cross-entropy does.
    focal = FocalLoss(gamma=2.0, alpha=torch.tensor([0.5, 20.0]))
    logit, target = torch.full((4,), 0.3), torch.ones(4)
    common = focal(logit, target, torch.tensor([0, 0, 0, 0]))
    with_rare = focal(logit, target, torch.tensor([0, 0, 0, 1]))
    assert torch.isclose(common, with_rare)


@pytest.mark.parametrize("gamma", [0.0, 0.25, 0.5, 1.0, 2.0])
def test_focal_loss_gradient_is_finite_when_the_discriminator_saturates(gamma):
    # With gamma < 1, d/dp (1 - p)**gamma is infinite at p = 1, which a
    # saturated logit reaches in float32.
    logit = torch.tensor([20.0, -30.0, 100.0], requires_grad=True)
    target = torch.tensor([1.0, 0.0, 1.0])
    loss = FocalLoss(gamma=gamma, alpha=torch.ones(1))(
        logit, target, torch.zeros(3, dtype=torch.long)
    )
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(logit.grad).all()


def test_focal_loss_matches_its_formula():
    logit, target = torch.tensor([1.5, -0.5, 0.2]), torch.tensor([1.0, 1.0, 0.0])
    p_t = torch.sigmoid(torch.where(target > 0.5, logit, -logit))
    expected = (-((1 - p_t) ** 0.5) * torch.log(p_t)).mean()
    got = FocalLoss(gamma=0.5)(logit, target, torch.zeros(3, dtype=torch.long))
    assert torch.isclose(got, expected)


def test_class_logit_picks_the_row_class():
    logits = torch.arange(6.0).view(2, 3)
    assert class_logit(logits, torch.tensor([2, 0])).tolist() == [2.0, 3.0]


def test_gradient_penalty_is_zero_for_a_flat_critic_and_grows_with_slope():
    flat = torch.nn.Linear(2, 2)
    torch.nn.init.zeros_(flat.weight)
    steep = torch.nn.Linear(2, 2)
    with torch.no_grad():
        steep.weight.fill_(3.0)
    z_real, z_fake = torch.randn(8, 2), torch.randn(8, 2)
    c = torch.zeros(8, dtype=torch.long)
    assert gradient_penalty(flat, z_real, z_fake, c).item() == 0.0
    # Gradient of 3*z1 + 3*z2 has squared norm 18 everywhere.
    assert np.isclose(gradient_penalty(steep, z_real, z_fake, c).item(), 18.0)


def test_latent_smote_interpolates_between_neighbours():
    z = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 10.0], [11.0, 10.0]])
    new, base = LatentSMOTE(z, 1).draw(200, np.random.RandomState(0))
    assert np.all(np.linalg.norm(new - z[base], axis=1) <= 1.0)
    # With one neighbour each, new codes stay on the two short segments.
    on_first = (new[:, 1] == 0.0) & (new[:, 0] >= 0) & (new[:, 0] <= 1)
    on_second = (new[:, 1] == 10.0) & (new[:, 0] >= 10) & (new[:, 0] <= 11)
    assert np.all(on_first | on_second) and on_first.any() and on_second.any()


def test_prior_draws_standard_normal_codes():
    generator = torch.Generator().manual_seed(0)
    z = LatentPrior(latent_dim=3).sample(torch.zeros(5000, dtype=torch.long), generator)
    assert z.shape == (5000, 3)
    assert z.mean(0).abs().max() < 0.1 and (z.std(0) - 1).abs().max() < 0.1


def test_scaling_round_trip_and_clipping():
    X = np.array([[0.0, 5.0, -1.0], [4.0, 5.0, 1.0]])
    per_column = MinMaxScaling(per_column=True).fit(X)
    np.testing.assert_allclose(per_column.inverse_transform(per_column.transform(X)), X)
    np.testing.assert_array_equal(
        per_column.inverse_transform(np.array([[1.5, 0.7, -0.5]])), [[4.0, 5.0, -1.0]]
    )
    shared = MinMaxScaling(per_column=False).fit(X)
    np.testing.assert_allclose(shared.transform(X)[0], [1 / 6, 1.0, 0.0])


def test_prior_and_penalty_draw_from_the_given_generator_only():
    prior, c = LatentPrior(latent_dim=2), torch.zeros(4, dtype=torch.long)
    d = torch.nn.Linear(2, 1)
    z = torch.randn(4, 2)
    before = torch.random.get_rng_state()
    draws = [
        (
            prior.sample(c, torch.Generator().manual_seed(1)),
            gradient_penalty(d, z, z + 1, c, torch.Generator().manual_seed(1)),
        )
        for _ in range(2)
    ]
    assert torch.equal(torch.random.get_rng_state(), before)
    assert torch.equal(draws[0][0], draws[1][0]) and torch.equal(draws[0][1], draws[1][1])


def test_scaling_batches_on_a_device_equal_scaling_on_the_host():
    X = np.random.RandomState(0).randint(0, 256, size=(20, 6)).astype(np.uint8)
    scaling = MinMaxScaling(per_column=False).fit(X)
    np.testing.assert_array_equal(
        scaling.transform_tensor(torch.as_tensor(X)).numpy(), scaling.transform(X)
    )
    flags = MinMaxScaling(per_column=True).fit(np.array([[True, False], [False, False]]))
    np.testing.assert_array_equal(flags.data_range_, [1.0, 1.0])


@pytest.mark.parametrize(
    "dtype", [np.uint8, np.int16, np.float16, np.float32, np.float64, np.int64]
)
def test_float32_scaling_stays_within_a_few_float32_steps_of_float64(dtype):
    # The stated tolerance of scaling in float32 instead of float64: a few
    # float32 steps of [0, 1], whatever the input's dtype.
    rng = np.random.RandomState(0)
    X = (rng.rand(500, 4) * 200).astype(dtype)
    scaling = MinMaxScaling(per_column=True).fit(X)
    exact = (X.astype(np.float64) - scaling.data_min_) / scaling.data_range_
    scaled = scaling.transform(X)
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, exact, rtol=0, atol=4 * np.finfo(np.float32).eps)


def test_large_values_in_a_narrow_range_keep_their_precision():
    # Timestamps in seconds: float32 alone would round them to 128 s.
    t = 1.7e9 + np.arange(0, 1000, dtype=np.float64)[:, None]
    scaling = MinMaxScaling(per_column=True).fit(t)
    np.testing.assert_allclose(scaling.transform(t)[:, 0], np.arange(1000) / 999, atol=1e-6)
