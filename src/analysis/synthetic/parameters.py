"""Parameters of the synthetic generator and the truth table they imply.

Every value is documented in ``docs/methods.md`` ("Synthetic data"); the truth table is what
the models are checked against (``data/raw/synthetic/truth.csv``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.provenance import mark_synthetic
from .factors import factor_truth_rows

__all__ = [
    "CASE_MIX",
    "PRACTICE",
    "OUTCOME_MODEL",
    "CASE_MIX_EFFECTS",
    "LINKED_SHARE",
    "DOMAIN_ONE",
    "SAMPLE_SIZE",
    "latent_sd",
    "truth_table",
]

DESCRIPTIONS = {
    "per10": "Log odds ratio per 10 percentage points of case quality score (share of "
    "applicable key questions answered yes), conditional on case mix",
    "intercept": "Log odds at quality score 0 for the reference case mix (community, low or "
    "medium RoSH, male, aged 25-49)",
    "outcome_pdu_sd": "SD of a PDU random intercept in this outcome (0: outcomes independent "
    "across cases given covariates)",
}
"""Descriptions of the truth table's terms."""

# --- parameters (all documented in docs/methods.md) ----------------------------------------------
CASE_MIX = {
    "licence_share": 0.40,
    "rosh": {"community": (0.22, 0.52, 0.24, 0.02), "licence": (0.06, 0.42, 0.45, 0.07)},
    "male_share": 0.87,
    "age_band": (0.18, 0.36, 0.34, 0.12),
    "ethnicity_group": (0.80, 0.05, 0.06, 0.04, 0.02, 0.03),
}
PRACTICE = {
    "pdu_sd": 0.55,  # between-PDU SD of latent practice quality (logit scale)
    "case_sd": 0.85,  # within-PDU (case and practitioner) SD
    "vacancy_effect": -0.25,  # per SD of vacancy rate
    "workload_effect": -0.20,  # per SD of workload
    "area_intercept": {"engagement": 0.85, "desistance": 0.15, "keeping_safe": -0.80},
    "stage_effect": {
        "assessment": 0.50,
        "planning": 0.40,
        "implementation_and_delivery": -0.50,
        "reviewing": -0.30,
    },
    "kq_sd": 0.35,  # case-by-question noise
    "pdu_kq_sd": 0.50,  # PDU-by-question deviations (a PDU's own strengths and gaps)
    # No RoSH term: keeping-safe deficits are "across ... all categories of risk" (seed 003).
    "reviewing_not_due": 0.20,  # share of cases with no review due (reviewing not applicable)
}
# Outcomes: logit P = intercept + per10 * (10 * quality score) + case mix terms.
OUTCOME_MODEL = {
    "new_offence": {"intercept": -0.05, "per10": -0.10},
    "progress_offending_factors": {"intercept": -1.55, "per10": 0.22},
    "progress_risk_factors": {"intercept": -1.25, "per10": 0.20},
    "complied": {"intercept": -0.10, "per10": 0.15},
    "proven_reoffence_12m": {"intercept": -0.15, "per10": -0.085},
    "sentence_completed": {"intercept": -0.45, "per10": 0.16},
}
CASE_MIX_EFFECTS = {  # log odds; reference: community, low/medium RoSH, male, aged 25-49
    "new_offence": {
        "licence": 0.30,
        "rosh_high": 0.10,
        "female": -0.30,
        "age_18_24": 0.40,
        "age_50_plus": -0.60,
    },
    "progress_offending_factors": {
        "licence": -0.10,
        "rosh_high": -0.20,
        "female": 0.20,
        "age_18_24": -0.10,
        "age_50_plus": 0.10,
    },
    "progress_risk_factors": {
        "licence": -0.10,
        "rosh_high": -0.25,
        "female": 0.10,
        "age_18_24": -0.10,
        "age_50_plus": 0.10,
    },
    "complied": {
        "licence": -0.20,
        "rosh_high": -0.15,
        "female": 0.25,
        "age_18_24": -0.35,
        "age_50_plus": 0.30,
    },
    "proven_reoffence_12m": {
        "licence": 0.35,
        "rosh_high": 0.10,
        "female": -0.35,
        "age_18_24": 0.45,
        "age_50_plus": -0.65,
    },
    "sentence_completed": {
        "licence": -0.15,
        "rosh_high": -0.20,
        "female": 0.25,
        "age_18_24": -0.40,
        "age_50_plus": 0.35,
    },
}
LINKED_SHARE = 0.90  # share of cases linked to police/probation records (else NA)
DOMAIN_ONE = {
    "cuts": (-1.3, 1.1, 3.0),  # Inadequate | RI | Good | Outstanding on the latent scale
    "sd": 0.45,
    "quality_weight": 0.6,
    "context_weight": {"leadership": 0.4, "staffing": 0.7, "services": 0.4},
    # Where all case-supervision standards are Inadequate, leadership is Inadequate (the
    # guidance, seed 003) except in this share, which keeps its own rating, at most RI.
    "leadership_override": 0.4,
}
"""Domain-one ratings: an ordered latent per standard, then the leadership guidance."""
SAMPLE_SIZE = {
    "mean": 44.0,  # cases at the reference caseload; published rounds read 42-50 per PDU
    "reference_caseload": 1700,
    "caseload_elasticity": 0.6,  # bigger PDUs, bigger samples
    "sd": 0.10,  # log-scale scatter at a given caseload
    "min": 20,  # York 2024 read 20 cases
    "max": 80,
}
"""Cases inspected per PDU when no fixed size is asked for (docs/methods.md, step 1)."""


def latent_sd() -> float:
    """SD of a case's latent practice quality (PDU part, context and case part combined)."""
    keys = ("pdu_sd", "case_sd", "vacancy_effect", "workload_effect")
    return float(np.sqrt(sum(PRACTICE[k] ** 2 for k in keys)))


def truth_table(outcome_pdu_sd: float) -> pd.DataFrame:
    rows = []
    for name, model in OUTCOME_MODEL.items():
        rows.append(
            (
                name,
                "quality_score_per_10pts",
                model["per10"],
                "log_odds_ratio",
                DESCRIPTIONS["per10"],
            )
        )
        rows.append(
            (
                name,
                "intercept",
                model["intercept"],
                "log_odds",
                DESCRIPTIONS["intercept"],
            )
        )
        for term, beta in CASE_MIX_EFFECTS[name].items():
            rows.append(
                (name, term, beta, "log_odds_ratio", f"Case-mix term {term} (vs reference level)")
            )
        rows.append(
            (
                name,
                "outcome_pdu_sd",
                float(outcome_pdu_sd),
                "log_odds_sd",
                DESCRIPTIONS["outcome_pdu_sd"],
            )
        )
    for key in ("pdu_sd", "case_sd", "vacancy_effect", "workload_effect"):
        rows.append(
            (
                "key_questions",
                key,
                float(PRACTICE[key]),
                "logit",
                f"Latent practice quality parameter {key}",
            )
        )
    rows += factor_truth_rows(latent_sd())
    frame = pd.DataFrame(rows, columns=["outcome", "term", "true_value", "scale", "description"])
    return mark_synthetic(frame)
