"""analysis.ratings.overall: the overall score (the sum of standard scores) in the framework's
overall band, with the probability of each band.

Expected figures are worked by hand from ``frameworks/pdu-2023.toml``: standard scores
Outstanding 3, Good 2, Requires improvement 1, Inadequate 0; overall bands Inadequate 0-3,
Requires improvement 4-10, Good 11-17, Outstanding 18-21. The convolution is also checked
against a Monte Carlo simulation of the same posteriors.
"""

import numpy as np
import pandas as pd
import pytest

from analysis import frameworks, ratings
from analysis.exceptions import InputDataError
from analysis.frameworks.dtypes import RATING_DTYPE
from analysis.ratings import PROB_COLUMNS, published
from analysis.ratings.published import key_question_scores_from_percentages

FW = frameworks.get("pdu-2023")
CASE_KQS = [k.id for k in FW.key_questions if k.standard in FW.case_based_standards]
CASE_BASED = list(FW.case_based_standards)
CERTAIN = {
    "Outstanding": (1, 0, 0, 0),
    "Good": (0, 1, 0, 0),
    "Requires improvement": (0, 0, 1, 0),
    "Inadequate": (0, 0, 0, 1),
}


def _standards(ratings_and_probs, unit="A"):
    """A table shaped like standard_ratings' output: {slug: (rating, (pO, pG, pRI, pI))}."""
    frame = pd.DataFrame(
        {
            "pdu": unit,
            "standard": list(ratings_and_probs),
            "rating": pd.Categorical(
                [r for r, _ in ratings_and_probs.values()], dtype=RATING_DTYPE
            ),
        }
    )
    frame[PROB_COLUMNS] = [list(p) for _, p in ratings_and_probs.values()]
    return frame


def _domain_one(rating, unit="A"):
    return pd.DataFrame(
        {"pdu": unit, "standard": ["leadership", "staffing", "services"], "rating": rating}
    )


def _inadequate_but(**changed):
    """The four case-based standards, certainly Inadequate except those ``changed``."""
    table = {s: ("Inadequate", CERTAIN["Inadequate"]) for s in CASE_BASED}
    table.update(changed)
    return _standards(table)


def test_overall_missing_when_domain_one_absent(york_cases):
    overall = ratings.rate(york_cases, by="pdu").overall.iloc[0]
    assert pd.isna(overall["overall_score"]) and pd.isna(overall["overall_rating"])
    assert overall["missing_standards"] == "leadership, staffing, services"


def test_overall_band_probabilities_match_monte_carlo(york_table, york_domain_one):
    """Convolution of standard-band probabilities vs simulation of the same posteriors."""
    rng = np.random.default_rng(3)
    table = york_table
    table.loc[table["key_question"] == "planning_keeping_safe", "pct_yes"] = 55
    table.loc[table["key_question"] == "assessment_keeping_safe", "pct_yes"] = 60
    kq = published.key_question_scores_from_percentages(table, by="pdu")
    # The convolution is checked on the independent Jeffreys posteriors, simulated below.
    std = ratings.standard_ratings(kq, by="pdu", probability_model="independent")
    overall = ratings.overall_ratings(std, by="pdu", other_ratings=york_domain_one).iloc[0]
    draws = rng.beta(kq["n_yes"] + 0.5, kq["n_applicable"] - kq["n_yes"] + 0.5, size=(200_000, 12))
    mins = draws.reshape(200_000, 4, 3).min(axis=2) * 100
    score = 3 + sum(np.select([m >= 80, m >= 65, m >= 50], [3, 2, 1], 0) for m in mins.T)
    lowers = [lo for _, lo in reversed(FW.overall_bands)]
    band = np.searchsorted(lowers, score, side="right") - 1
    mc = np.bincount(band, minlength=4)[::-1] / band.size
    exact = overall[["p_outstanding", "p_good", "p_requires_improvement", "p_inadequate"]].to_numpy(
        dtype=float
    )
    np.testing.assert_allclose(exact, mc, atol=0.005)


def test_overall_ratings_use_the_joint_model_and_say_so():
    pcts = [40, 45, 30, 50, 55, 35, 45, 40, 25, 55, 50, 30]
    table = pd.DataFrame({"pdu": "A", "key_question": CASE_KQS, "pct_yes": pcts, "n": 20})
    kq = key_question_scores_from_percentages(table, by="pdu")
    std = ratings.standard_ratings(kq, by="pdu")
    assert "case_score_distribution" in std.attrs
    domain_one = _domain_one("Requires improvement")
    overall = ratings.overall_ratings(std, by="pdu", other_ratings=domain_one)
    row = overall.iloc[0]
    assert row["overall_model"].startswith("joint")
    probs = row[["p_outstanding", "p_good", "p_requires_improvement", "p_inadequate"]]
    assert probs.sum() == pytest.approx(1.0)
    # without the joint model the same standards are convolved as independent, and said
    plain = std.copy()
    plain.attrs = {}
    independent = ratings.overall_ratings(plain, by="pdu", other_ratings=domain_one).iloc[0]
    assert independent["overall_model"].startswith("standards independent")
    assert independent["overall_rating"] == row["overall_rating"]


# --- scores and bands worked by hand ---------------------------------------------------------


def test_york_scores_3_of_21_inadequate_with_certain_standards():
    """Seed 003: domain one RI (3 x 1) and four Inadequate standards (4 x 0) make 3/21."""
    row = ratings.overall_ratings(
        _inadequate_but(), other_ratings=_domain_one("Requires improvement")
    )
    row = row.iloc[0]
    assert (row["overall_score"], row["max_score"], row["overall_rating"]) == (3, 21, "Inadequate")
    assert (row["n_standards_rated"], row["missing_standards"]) == (7, "")
    assert row[PROB_COLUMNS].tolist() == [0, 0, 0, 1] and row["p_computed"] == 1
    assert not row["borderline"]
    assert row["overall_model"] == "standards independent (no joint model for this unit)"


def test_an_uncertain_standard_spreads_the_score_over_two_bands():
    # assessment RI or Inadequate with probability 1/2 each: 3 + 1 = 4 (RI) or 3 (Inadequate)
    std = _inadequate_but(assessment=("Requires improvement", (0, 0, 0.5, 0.5)))
    row = ratings.overall_ratings(std, other_ratings=_domain_one("Requires improvement")).iloc[0]
    assert (row["overall_score"], row["overall_rating"]) == (4, "Requires improvement")
    np.testing.assert_allclose(row[PROB_COLUMNS].to_numpy(dtype=float), [0, 0, 0.5, 0.5])
    assert row["p_computed"] == pytest.approx(0.5) and row["borderline"]


def test_probabilities_within_one_band_add_up():
    # assessment Good (0.8) or RI (0.2): 3 + 2 = 5 or 3 + 1 = 4, both Requires improvement
    std = _inadequate_but(assessment=("Good", (0, 0.8, 0.2, 0)))
    row = ratings.overall_ratings(std, other_ratings=_domain_one("Requires improvement")).iloc[0]
    assert (row["overall_score"], row["overall_rating"]) == (5, "Requires improvement")
    assert row["p_requires_improvement"] == pytest.approx(1.0) and not row["borderline"]


def test_the_good_edge_at_11_and_the_borderline_threshold():
    # domain one Good (6), planning, delivery and reviewing RI (3), assessment Good (2): 11, Good;
    # assessment RI with probability 0.3 gives 10, Requires improvement
    ri = ("Requires improvement", CERTAIN["Requires improvement"])
    std = _standards(
        {"assessment": ("Good", (0, 0.7, 0.3, 0)), **dict.fromkeys(CASE_BASED[1:], ri)}
    )
    row = ratings.overall_ratings(std, other_ratings=_domain_one("Good")).iloc[0]
    assert (row["overall_score"], row["overall_rating"]) == (11, "Good")
    np.testing.assert_allclose(row[PROB_COLUMNS].to_numpy(dtype=float), [0, 0.7, 0.3, 0])
    assert row["borderline"]  # P(true band differs) 0.3 is at least the default 0.2
    calm = ratings.overall_ratings(std, other_ratings=_domain_one("Good"), borderline_at=0.35)
    assert not calm.iloc[0]["borderline"]


def test_a_computed_rating_takes_precedence_over_a_given_one():
    other = pd.concat(
        [
            _domain_one("Requires improvement"),
            pd.DataFrame({"pdu": ["A"], "standard": ["assessment"], "rating": ["Outstanding"]}),
        ]
    )
    row = ratings.overall_ratings(_inadequate_but(), other_ratings=other).iloc[0]
    assert row["overall_score"] == 3  # assessment counts as computed (Inadequate, 0), not 3


def test_given_ratings_are_read_as_printed():
    other = pd.DataFrame(
        {
            "pdu": "A",
            "standard": ["Leadership", "P1.2", "services"],
            "rating": ["requires improvement", "GOOD", " Inadequate "],
        }
    )
    row = ratings.overall_ratings(_inadequate_but(), other_ratings=other).iloc[0]
    assert (row["overall_score"], row["overall_rating"]) == (3, "Inadequate")  # 1 + 2 + 0
    other.loc[2, "rating"] = "Satisfactory"
    with pytest.raises(InputDataError, match="Unknown rating label 'Satisfactory'"):
        ratings.overall_ratings(_inadequate_but(), other_ratings=other)


def test_a_missing_standard_leaves_score_rating_and_probabilities_empty():
    other = _domain_one("Good").iloc[[0, 2]]  # no staffing rating
    row = ratings.overall_ratings(_inadequate_but(), other_ratings=other).iloc[0]
    assert (row["n_standards_rated"], row["missing_standards"]) == (6, "staffing")
    assert pd.isna(row["overall_score"]) and pd.isna(row["overall_rating"])
    assert row[PROB_COLUMNS].isna().all() and np.isnan(row["p_computed"])
    assert row["borderline"] is pd.NA


def test_units_are_rated_apart():
    a = _inadequate_but()
    b = _standards({s: ("Good", CERTAIN["Good"]) for s in CASE_BASED}, unit="B")
    other = pd.concat([_domain_one("Good"), _domain_one("Good", unit="B")])
    out = ratings.overall_ratings(pd.concat([a, b]), other_ratings=other).set_index("pdu")
    assert (
        out.loc["A", "overall_score"] == 6
        and out.loc["A", "overall_rating"] == "Requires improvement"
    )
    assert out.loc["B", "overall_score"] == 14 and out.loc["B", "overall_rating"] == "Good"


def test_a_joint_distribution_of_the_case_based_scores_replaces_the_convolution():
    # every case-based standard RI as computed (4 points), but the joint model says the four
    # are together either all Inadequate (0) or all RI (4), with probability 1/2 each
    ri = ("Requires improvement", (0, 0, 0.9, 0.1))
    std = _standards(dict.fromkeys(CASE_BASED, ri))
    joint = [0.0] * 13
    joint[0] = joint[4] = 0.5
    std.attrs["case_score_distribution"] = {"A": tuple(joint)}
    row = ratings.overall_ratings(std, other_ratings=_domain_one("Requires improvement")).iloc[0]
    assert (row["overall_score"], row["overall_rating"]) == (7, "Requires improvement")
    # 3 + 0 = 3 (Inadequate) or 3 + 4 = 7 (RI)
    np.testing.assert_allclose(row[PROB_COLUMNS].to_numpy(dtype=float), [0, 0, 0.5, 0.5])
    assert row["overall_model"] == "joint (standards of a unit move together)"


def test_all_cases_as_one_unit():
    std = _inadequate_but().drop(columns="pdu")
    other = _domain_one("Requires improvement").drop(columns="pdu")
    out = ratings.overall_ratings(std, by=None, other_ratings=other)
    assert len(out) == 1 and out.iloc[0]["overall_score"] == 3


def test_a_framework_without_overall_bands_is_refused():
    with pytest.raises(InputDataError, match="'adult-2013' has no overall rating"):
        ratings.overall_ratings(_inadequate_but(), framework="adult-2013")
