"""analysis.ratings.quality: case quality score and bands (issue 4)."""

import numpy as np
import pandas as pd
import pytest

from analysis.exceptions import InputDataError
from analysis.ratings import QUALITY_BANDS, quality_band, quality_scores
from analysis.synthetic.generate import simulate


def quality_score(cases):
    """Share of applicable key questions answered yes, computed here independently of the package."""
    kq = [c for c in cases.columns if c.endswith(("_engagement", "_desistance", "_keeping_safe"))]
    answers = cases[kq].astype("object")
    yes = (answers == "yes").sum(axis=1)
    applicable = answers.isin(["yes", "no"]).sum(axis=1)
    return (yes / applicable.where(applicable > 0)).rename("quality_score")


def test_score_equals_the_generators_own_definition():
    cases = simulate(seed=21, cases_per_pdu=5).cases
    ours = quality_scores(cases)
    np.testing.assert_allclose(ours["quality_score"], quality_score(cases), rtol=0, atol=0)
    assert ours.attrs["synthetic"]


def test_per_standard_and_per_area_shares_by_hand():
    row = {kq: "no" for kq in
           __import__("analysis").frameworks.get("pdu-2023").key_question_ids}  # fmt: skip
    row.update(assessment_engagement="yes", assessment_desistance="yes", planning_engagement="yes",
               reviewing_engagement="not_applicable", reviewing_desistance="not_applicable",
               reviewing_keeping_safe="not_applicable")  # fmt: skip
    out = quality_scores(pd.DataFrame([row])).iloc[0]
    assert out["n_applicable"] == 9 and out["n_yes"] == 3
    assert out["quality_score"] == pytest.approx(3 / 9)
    assert out["standard_assessment"] == pytest.approx(2 / 3)
    assert out["standard_planning"] == pytest.approx(1 / 3)
    assert np.isnan(out["standard_reviewing"])
    assert out["area_engagement"] == pytest.approx(2 / 3)  # reviewing engagement not applicable
    assert out["area_keeping_safe"] == 0
    assert out["quality_band"] == "inadequate"


def test_band_cut_offs_are_lower_bound_inclusive():
    bands = quality_band([0.0, 0.4999, 0.5, 0.7999, 0.8, 1.0, np.nan])
    assert list(bands.categories) == list(QUALITY_BANDS)
    assert bands.tolist()[:6] == [
        "inadequate",
        "inadequate",
        "adequate",
        "adequate",
        "high",
        "high",
    ]
    assert pd.isna(bands[6])
    with pytest.raises(InputDataError, match="cuts"):
        quality_band([0.5], cuts=(0.8, 0.5))


def test_bad_answers_and_missing_columns_are_named():
    with pytest.raises(InputDataError, match="'assessment_engagement', row 1: answer 'Yes'"):
        quality_scores(
            pd.DataFrame({"assessment_engagement": ["yes", "Yes"]}),
            key_questions=["assessment_engagement"],
        )
    with pytest.raises(InputDataError, match="planning_engagement"):
        quality_scores(pd.DataFrame({"assessment_engagement": ["yes"]}))
