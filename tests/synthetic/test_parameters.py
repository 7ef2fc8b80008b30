"""analysis.synthetic.parameters: the generator's parameters and the truth table they imply.

Outside reference: the values documented in docs/methods.md ("Synthetic data", steps 2 to 8),
typed here as the document gives them, so a parameter that drifts from its documentation fails.
"""

from __future__ import annotations

import math

import pytest

from analysis.data import schemas
from analysis.synthetic import parameters as p

# docs/methods.md step 6: (beta per 10 points of quality score, intercept)
DOCUMENTED_OUTCOMES = {
    "new_offence": (-0.10, -0.05),
    "progress_offending_factors": (0.22, -1.55),
    "progress_risk_factors": (0.20, -1.25),
    "complied": (0.15, -0.10),
    "proven_reoffence_12m": (-0.085, -0.15),
    "sentence_completed": (0.16, -0.45),
}


def test_latent_sd_combines_the_four_documented_parts():
    # step 8: 1.06 = sqrt(0.55^2 + 0.85^2 + 0.25^2 + 0.20^2)
    assert p.latent_sd() == pytest.approx(math.sqrt(0.55**2 + 0.85**2 + 0.25**2 + 0.20**2))
    assert round(p.latent_sd(), 2) == 1.06


def test_case_mix_shares_are_the_documented_ones_and_each_sums_to_one():
    mix = p.CASE_MIX
    assert (mix["licence_share"], mix["male_share"]) == (0.40, 0.87)
    assert mix["rosh"] == {
        "community": (0.22, 0.52, 0.24, 0.02),
        "licence": (0.06, 0.42, 0.45, 0.07),
    }
    assert mix["age_band"] == (0.18, 0.36, 0.34, 0.12)
    assert mix["ethnicity_group"] == (0.80, 0.05, 0.06, 0.04, 0.02, 0.03)
    for shares in (*mix["rosh"].values(), mix["age_band"], mix["ethnicity_group"]):
        assert sum(shares) == pytest.approx(1.0)


def test_practice_parameters_are_the_documented_ones():
    practice = p.PRACTICE
    assert practice["area_intercept"] == {
        "engagement": 0.85,
        "desistance": 0.15,
        "keeping_safe": -0.80,
    }
    assert practice["stage_effect"] == {
        "assessment": 0.50,
        "planning": 0.40,
        "implementation_and_delivery": -0.50,
        "reviewing": -0.30,
    }
    assert (practice["pdu_kq_sd"], practice["kq_sd"], practice["reviewing_not_due"]) == (
        0.50,
        0.35,
        0.20,
    )


def test_domain_one_and_sample_size_parameters_are_the_documented_ones():
    d1 = p.DOMAIN_ONE
    assert d1["cuts"] == (-1.3, 1.1, 3.0) and list(d1["cuts"]) == sorted(d1["cuts"])
    assert (d1["quality_weight"], d1["sd"], d1["leadership_override"]) == (0.6, 0.45, 0.4)
    assert d1["context_weight"] == {"leadership": 0.4, "staffing": 0.7, "services": 0.4}
    assert (p.SAMPLE_SIZE["min"], p.SAMPLE_SIZE["max"]) == (20, 80)  # York 2024 read 20 cases
    assert p.LINKED_SHARE == 0.90  # 10% of cases not linked to records


def test_the_truth_table_states_every_outcome_effect():
    truth = p.truth_table(outcome_pdu_sd=0.4)
    assert list(truth.columns) == ["outcome", "term", "true_value", "scale", "description"]
    assert truth.attrs["synthetic"] is True
    values = truth.set_index(["outcome", "term"])["true_value"]
    scales = truth.set_index(["outcome", "term"])["scale"]
    for outcome, (per10, intercept) in DOCUMENTED_OUTCOMES.items():
        assert values[(outcome, "quality_score_per_10pts")] == per10
        assert values[(outcome, "intercept")] == intercept
        assert values[(outcome, "outcome_pdu_sd")] == 0.4
        assert scales[(outcome, "quality_score_per_10pts")] == "log_odds_ratio"
        assert scales[(outcome, "outcome_pdu_sd")] == "log_odds_sd"
        assert (truth["outcome"] == outcome).sum() == 8  # slope, intercept, 5 case mix, PDU SD
    # step 6: proven reoffending's case-mix terms
    for term, beta in {
        "licence": 0.35,
        "female": -0.35,
        "age_18_24": 0.45,
        "age_50_plus": -0.65,
    }.items():
        assert values[("proven_reoffence_12m", term)] == beta


def test_the_truth_table_states_the_practice_and_factor_parameters():
    values = p.truth_table(0.0).set_index(["outcome", "term"])["true_value"]
    assert values[("new_offence", "outcome_pdu_sd")] == 0.0
    practice = {"pdu_sd": 0.55, "case_sd": 0.85, "vacancy_effect": -0.25, "workload_effect": -0.20}
    for term, value in practice.items():
        assert values[("key_questions", term)] == value
    # step 8: intervention one for one on the latent quality; progress log OR 1.5 for every factor
    assert values[("sufficient_intervention", "latent_practice_quality")] == 1.0
    for factor in schemas.OFFENDING_FACTORS:
        assert values[("sufficient_progress", f"sufficient_intervention [{factor}]")] == 1.5
