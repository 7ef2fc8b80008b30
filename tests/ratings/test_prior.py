"""analysis.ratings.prior: the national prior of the rating model, built from published
key-question percentages.

Expected figures: York PDU 2024's percentages (../shared/domain.md, section 3) and the prior's
mean and SD per area as docs/ratings.md tabulates them ("Few units, or one unit from published
percentages").
"""

import numpy as np
import pytest

from analysis.exceptions import InputDataError
from analysis.ratings.prior import (
    NATIONAL_PRIOR_FIGURES,
    PRIOR_CORRELATION,
    PRIOR_MIN_SD,
    national_prior,
)


def test_york_figures_are_the_published_ones():
    """domain.md §3, York PDU 2024 % yes per standard (assessment, planning, delivery, reviewing)."""
    york = {
        area: [pct for a, pct, source in NATIONAL_PRIOR_FIGURES if a == area and "York" in source]
        for area in ("engagement", "desistance", "keeping_safe")
    }
    assert york == {
        "engagement": [70, 70, 55, 50],
        "desistance": [80, 70, 30, 55],
        "keeping_safe": [25, 35, 20, 25],
    }
    assert all(source for _, _, source in NATIONAL_PRIOR_FIGURES)


def test_means_and_floored_sds_are_those_documented():
    # docs/ratings.md: engagement 0.58 (64.1%), desistance 0.17 (54.2%), keeping safe -1.02
    # (26.5%); SD from the figures 0.53, 0.98 and 0.34, all raised to the floor of 1.0
    mean, cov = national_prior(
        ["assessment_engagement", "planning_desistance", "reviewing_keeping_safe"]
    )
    np.testing.assert_allclose(mean, [0.58, 0.17, -1.02], atol=0.005)
    np.testing.assert_allclose(100 / (1 + np.exp(-mean)), [64.1, 54.2, 26.5], atol=0.05)
    assert PRIOR_MIN_SD == 1.0
    np.testing.assert_allclose(np.diag(cov), [1.0, 1.0, 1.0])


def test_key_questions_are_correlated_as_assumed():
    mean, cov = national_prior(["planning_engagement", "planning_desistance"])
    assert PRIOR_CORRELATION == 0.5  # assumed: no published figure gives it
    np.testing.assert_allclose(cov, [[1.0, 0.5], [0.5, 1.0]])
    # the same area gives the same mean, whichever standard asks
    same, _ = national_prior(["assessment_engagement", "reviewing_engagement"])
    assert same[0] == same[1] == pytest.approx(mean[0])


def test_a_key_question_not_in_the_framework_is_named():
    with pytest.raises(InputDataError, match="'planning_safety' is not in framework 'pdu-2023'"):
        national_prior(["planning_engagement", "planning_safety"])
    with pytest.raises(InputDataError, match="not in framework 'youth-2018'"):
        national_prior(["planning_engagement"], framework="youth-2018")  # no key questions
