"""Calibration of the synthetic generator: simulated rates and ratings against published targets.

Targets come from domain.md §6, the seed publications and the published ratings; each row names
its source. Targets on PDU ratings are the 95% Wilson intervals of the published shares in
``data/raw/published/published_ratings.csv`` (tests/synthetic/test_published.py recomputes them
from that file). The table is shown in docs/methods.md ("Synthetic data") and checked in
tests/synthetic/test_generate.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..data.provenance import mark_synthetic
from ..ratings.quality import quality_scores
from .factors import FACTOR_SAMPLE_2013, factor_targets
from .generate import SyntheticSample, simulate
from .published import leadership_guidance_table

__all__ = ["CALIBRATION_TARGETS", "calibration_table", "factor_calibration_table"]


_PUBLISHED = "published_ratings.csv, PDU reports 2022-2025: Wilson 95% interval of"

CALIBRATION_TARGETS = (
    # measure, low, high, source of the target
    (
        "mean cases inspected per PDU",
        42,
        50,
        "seeds 000 and 001: 546 cases over 11 PDUs (49.6), 292 over 7 (41.7)",
    ),
    ("fewest cases inspected in a PDU", 20, 80, "York 2024 (seed 003): 20 cases; bound 20-80"),
    ("most cases inspected in a PDU", 20, 80, "bound 20-80 (assumed upper bound)"),
    (
        "share of cases on licence",
        0.35,
        0.45,
        "brief: about 60% community / 40% licence (York 2024: 8 of 20)",
    ),
    ("share of cases male", 0.85, 0.90, "brief: 85-90% male"),
    ("share of cases RoSH medium or high", 0.75, 1.00, "brief: RoSH mostly medium/high"),
    ("% yes, engagement key questions", 55, 80, "domain.md §6: engagement typically 55-80%"),
    (
        "% yes, desistance key questions",
        40,
        65,
        "brief: 40-65%; national 2025 implementation desistance 32%",
    ),
    ("% yes, keeping-safe key questions", 20, 40, "domain.md §6: 18-35% in published inspections"),
    ("share of cases reviewing not applicable", 0.15, 0.25, "brief: 15-25% with no review due"),
    (
        "share of case-supervision standard ratings RI or Inadequate",
        0.85,
        1.00,
        "domain.md §6; York 2024: 4 of 4 Inadequate",
    ),
    ("share of PDUs overall RI or Inadequate", 0.931, 0.998, f"{_PUBLISHED} 77 of 78"),
    ("share of PDUs overall Inadequate", 0.392, 0.608, f"{_PUBLISHED} 39 of 78"),
    ("share of PDUs overall Requires improvement", 0.379, 0.596, f"{_PUBLISHED} 38 of 78"),
    ("share of PDUs overall Good", 0.002, 0.069, f"{_PUBLISHED} 1 of 78"),
    ("share of PDUs overall Outstanding", 0.000, 0.047, f"{_PUBLISHED} 0 of 78"),
    (
        "share of PDUs with four Inadequate case standards whose leadership is Inadequate",
        0.231,
        0.882,
        f"{_PUBLISHED} 3 of 5 such reports naming leadership (seed 003: the guidance "
        "'would normally indicate' Inadequate)",
    ),
    ("% new offence (charged or convicted)", 25, 50, "York 2024: 8 of 20 (40%)"),
    (
        "reoffending, high-quality minus inadequate cases (points)",
        -20,
        -8,
        "HMIP research bulletin Aug 2023: about 14 points lower",
    ),
    (
        "completion, high-quality minus inadequate cases (points)",
        16,
        32,
        "HMIP research bulletin Aug 2023: about 24 points higher",
    ),
    (
        "offending-related factors per case (nine published factors)",
        3.5,
        4.5,
        "York and North Yorkshire 2013 (seed 002): 197 case-factor pairs in 49 cases (4.0)",
    ),
    (
        "% sufficient intervention, case-factor pairs (nine published factors)",
        50,
        64,
        "York and North Yorkshire 2013: 56.8% of 197 pairs (factor percentages weighted by cases)",
    ),
    (
        "% sufficient progress, case-factor pairs (nine published factors)",
        38,
        52,
        "York and North Yorkshire 2013: 45.1% of 197 pairs (factor percentages weighted by cases)",
    ),
)
"""Calibration targets for the default sample, each with its source."""


def calibration_table(sample: SyntheticSample | None = None) -> pd.DataFrame:
    """Simulated marginal rates and rating distribution against their calibration targets.

    High-quality cases have a quality score of at least 0.8 and inadequate cases under 0.5
    (the standard bands applied to a single case). Ratings come from :func:`analysis.ratings.rate`.

    Returns
    -------
    DataFrame
        ``[measure, simulated, target_low, target_high, within_target, target_source]``.
    """
    from ..ratings import rate

    sample = sample if sample is not None else simulate()
    cases = sample.cases
    fw = _fw.get("pdu-2023")
    answers = cases[list(fw.key_question_ids)].astype("object")

    def pct_yes(area: str) -> float:
        cols = [k.id for k in fw.key_questions if k.area == area]
        sub = answers[cols]
        return (
            100
            * (sub == "yes").to_numpy().sum()
            / sub.isin(_fw.APPLICABLE_ANSWERS).to_numpy().sum()
        )

    result = rate(cases, by="pdu", other_ratings=sample.unit_ratings)
    std = result.standards["rating"].astype("object")
    sizes = cases.groupby("pdu", observed=True).size()
    guidance = leadership_guidance_table(result.standards, sample.unit_ratings)
    overall = result.overall["overall_rating"].astype("object")
    quality = quality_scores(cases)["quality_score"]
    high, low = quality >= 0.8, quality < 0.5

    def contrast(outcome: str) -> float:
        y = cases[outcome].astype("Float64")
        return 100 * (y[high].mean() - y[low].mean())

    simulated = [
        sizes.mean(),
        sizes.min(),
        sizes.max(),
        (cases["sentence_type"] == "licence").mean(),
        (cases["gender"] == "male").mean(),
        cases["rosh"].isin(["medium", "high"]).mean(),
        pct_yes("engagement"),
        pct_yes("desistance"),
        pct_yes("keeping_safe"),
        (answers["reviewing_engagement"] == "not_applicable").mean(),
        std.isin(["Requires improvement", "Inadequate"]).mean(),
        overall.isin(["Requires improvement", "Inadequate"]).mean(),
        (overall == "Inadequate").mean(),
        (overall == "Requires improvement").mean(),
        (overall == "Good").mean(),
        (overall == "Outstanding").mean(),
        guidance.set_index("sample").loc["synthetic", "share"],
        100 * cases["new_offence"].astype("Float64").mean(),
        contrast("proven_reoffence_12m"),
        contrast("sentence_completed"),
        *_factor_measures(sample),
    ]
    rows = [
        {
            "measure": m,
            "simulated": float(v),
            "target_low": lo,
            "target_high": hi,
            "within_target": bool(lo <= v <= hi),
            "target_source": src,
        }
        for (m, lo, hi, src), v in zip(CALIBRATION_TARGETS, simulated, strict=True)
    ]
    return mark_synthetic(pd.DataFrame(rows))


def _factor_measures(sample: SyntheticSample) -> list[float]:
    factors = sample.factors
    if factors is None:
        return [np.nan] * 3
    published = factors[
        factors["factor"].astype(str).isin([f for f in factor_targets() if f != "finance"])
    ]
    return [
        len(published) / len(sample.cases),
        100 * published["sufficient_intervention"].astype("Float64").mean(),
        100 * published["sufficient_progress"].astype("Float64").mean(),
    ]


def factor_calibration_table(sample: SyntheticSample | None = None) -> pd.DataFrame:
    """Per offending-related factor: simulated prevalence and percentages against their targets.

    Targets are the York and North Yorkshire 2013 table (49 cases; seed 002), except finance,
    which that table does not list (its targets are assumptions, ``target_source`` says so).
    With 49 cases the published percentages themselves carry intervals of about ±14 points.

    Returns
    -------
    DataFrame
        ``[factor, n_cases, pct_cases, target_pct_cases, pct_intervention,
        target_pct_intervention, pct_progress, target_pct_progress, target_source]``.
    """
    sample = sample if sample is not None else simulate()
    factors = sample.factors
    rows = []
    for name, (n_2013, pct_int, pct_prog) in factor_targets().items():
        sub = factors[factors["factor"].astype(str) == name]
        rows.append(
            {
                "factor": name,
                "n_cases": len(sub),
                "pct_cases": 100 * len(sub) / len(sample.cases),
                "target_pct_cases": 100 * n_2013 / FACTOR_SAMPLE_2013,
                "pct_intervention": 100 * sub["sufficient_intervention"].astype("Float64").mean(),
                "target_pct_intervention": float(pct_int),
                "pct_progress": 100 * sub["sufficient_progress"].astype("Float64").mean(),
                "target_pct_progress": float(pct_prog),
                "target_source": "assumed (not in the 2013 table)"
                if name == "finance"
                else f"York and North Yorkshire 2013: {n_2013} of 49 cases",
            }
        )
    return mark_synthetic(pd.DataFrame(rows))
