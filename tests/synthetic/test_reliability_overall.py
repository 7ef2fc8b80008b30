"""analysis.synthetic.reliability_overall: overall-rating probabilities against known true ratings.

A few units and one or two replications only (the full study is in ``make validate``). The
overall rule is the framework's: the three domain-one standards count 3 points (Requires
improvement each), the four case-based standards 0 to 3 each, and the total falls in the bands
Inadequate 0-3, Requires improvement 4-10, Good 11-17, Outstanding 18-21.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.exceptions import ParameterError
from analysis.frameworks import get
from analysis.synthetic.reliability_overall import DOMAIN_ONE_POINTS, simulate_overall

COLUMNS = [
    "scenario", "n_cases", "method", "replication", "unit", "true_band", "rating_band",
    "p_computed", "right", "brier", "near_edge", "p_inadequate", "true_score",
]  # fmt: skip


@pytest.fixture(scope="module")
def overall():
    return simulate_overall("spread", 40, 2, n_units=8, methods=("independent", "pooled"), draws=64)


def test_domain_one_counts_three_standards_at_requires_improvement():
    assert DOMAIN_ONE_POINTS == 3 * get("pdu-2023").rating_scores["Requires improvement"]


def test_one_row_per_unit_replication_and_method(overall):
    assert list(overall.columns) == COLUMNS
    assert len(overall) == 8 * 2 * 2
    assert (
        overall.groupby(["method", "replication"])["unit"]
        .apply(list)
        .map(lambda units: units == list(range(8)))
        .all()
    )


def test_true_bands_follow_the_overall_score_bands(overall):
    score = overall["true_score"].to_numpy()
    assert score.min() >= 3 and score.max() <= 3 + 4 * 3
    expected = np.select([score < 4, score < 11, score < 18], [0, 1, 2], 3)
    np.testing.assert_array_equal(overall["true_band"], expected)
    # within one point of the Inadequate / Requires improvement boundary (between 3 and 4)
    assert ((overall["near_edge"] == "I/RI") == (score <= 5)).all()
    assert set(overall["near_edge"]) <= {"", "I/RI"}


def test_probabilities_are_of_the_rating_given_and_the_methods_rate_alike(overall):
    for column in ("p_computed", "p_inadequate"):  # sums of band probabilities, to rounding
        assert overall[column].between(0, 1 + 1e-12).all(), column
    assert overall["brier"].between(0, 2 + 1e-12).all()
    assert (overall["right"] == (overall["rating_band"] == overall["true_band"])).all()
    inadequate = overall["rating_band"] == 0
    np.testing.assert_allclose(
        overall.loc[inadequate, "p_computed"], overall.loc[inadequate, "p_inadequate"]
    )
    # a method changes the probabilities, never the ratings or the truth
    by_method = {m: g.reset_index(drop=True) for m, g in overall.groupby("method")}
    for column in ("true_band", "rating_band", "true_score"):
        assert by_method["independent"][column].equals(by_method["pooled"][column])


@pytest.mark.parametrize(
    "scenario, kwargs, message",
    [
        ("nowhere", {}, "scenario 'nowhere' is not one of"),
        ("published", {"methods": ("bayes",)}, r"methods must be among .* \(got \['bayes'\]\)"),
        ("published", {"replications": 0}, r"replications 1 or more \(got 0\)"),
    ],
)
def test_unknown_scenarios_and_methods_and_no_replication_are_refused(scenario, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        simulate_overall(scenario, 20, **{"replications": 1, **kwargs})
