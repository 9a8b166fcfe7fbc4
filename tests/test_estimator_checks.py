"""imbalanced-learn's and scikit-learn's own estimator checks."""

from conftest import FAMILY, tiny
from imblearn.utils.estimator_checks import (
    parametrize_with_checks as imblearn_parametrize_with_checks,
)
from sklearn.utils.estimator_checks import (
    parametrize_with_checks as sklearn_parametrize_with_checks,
)

# One epoch of each phase: the checks test the contract, not the networks.
_FAST = {
    "BAEGANSampler": dict(pretrain_epochs=1, adversarial_epochs=1),
    "BAGANSampler": dict(pretrain_epochs=1, adversarial_epochs=1),
    "CGANSampler": dict(epochs=1),
    "DeepSMOTESampler": dict(epochs=1),
}
_ESTIMATORS = [tiny(name, **_FAST[name]) for name in FAMILY]

# Every check of both suites passes, the sparse ones included; a check that
# starts failing must be fixed or listed here with the reason.
EXPECTED_FAILURES: dict[str, str] = {}


def _expected_failures(estimator):
    return EXPECTED_FAILURES


@imblearn_parametrize_with_checks(
    _ESTIMATORS,
    expected_failed_checks=_expected_failures,
)
def test_imblearn_checks(estimator, check):
    check(estimator)


@sklearn_parametrize_with_checks(
    _ESTIMATORS,
    expected_failed_checks=_expected_failures,
)
def test_sklearn_checks(estimator, check):
    check(estimator)
