"""imbalanced-learn's and scikit-learn's own estimator checks."""

from imblearn.utils.estimator_checks import (
    parametrize_with_checks as imblearn_parametrize_with_checks,
)
from sklearn.utils.estimator_checks import (
    parametrize_with_checks as sklearn_parametrize_with_checks,
)

from conftest import tiny_sampler

# Refusing sparse input is a requirement (the networks need dense tensors
# and densifying silently could exhaust memory), so imblearn's check that a
# sparse pandas DataFrame passes through cannot hold.
EXPECTED_FAILURES = {
    "check_samplers_pandas_sparse": (
        "sparse input is refused by design, with a message to densify it"
    ),
}


def _expected_failures(estimator):
    return EXPECTED_FAILURES


@imblearn_parametrize_with_checks(
    [tiny_sampler(pretrain_epochs=1, adversarial_epochs=1)],
    expected_failed_checks=_expected_failures,
)
def test_imblearn_checks(estimator, check):
    check(estimator)


@sklearn_parametrize_with_checks(
    [tiny_sampler(pretrain_epochs=1, adversarial_epochs=1)],
    expected_failed_checks=_expected_failures,
)
def test_sklearn_checks(estimator, check):
    check(estimator)
