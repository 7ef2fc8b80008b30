"""analysis.synthetic.generate: a seeded, honest synthetic sample whose truth can be recovered."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.data import schemas
from analysis.exceptions import ParameterError
from analysis.synthetic.generate import (
    simulate,
    write_sample,
)
from analysis.synthetic.parameters import CASE_MIX_EFFECTS, OUTCOME_MODEL


def quality_score(cases):
    """Share of applicable key questions answered yes, computed here independently of the package."""
    kq = [c for c in cases.columns if c.endswith(("_engagement", "_desistance", "_keeping_safe"))]
    answers = cases[kq].astype("object")
    yes = (answers == "yes").sum(axis=1)
    applicable = answers.isin(["yes", "no"]).sum(axis=1)
    return (yes / applicable.where(applicable > 0)).rename("quality_score")


@pytest.fixture(scope="module")
def default_sample():
    return simulate()


def test_deterministic_for_a_seed():
    a, b = simulate(seed=7, cases_per_pdu=3), simulate(seed=7, cases_per_pdu=3)
    pd.testing.assert_frame_equal(a.cases, b.cases)
    pd.testing.assert_frame_equal(a.unit_ratings, b.unit_ratings)
    assert not simulate(seed=8, cases_per_pdu=3).cases.equals(a.cases)


def test_contract_and_synthetic_flags(default_sample):
    cases = default_sample.cases
    assert tuple(cases.columns) == schemas.CASE_COLUMNS
    schemas.CaseRecords.validate(cases, lazy=True)
    for frame in (cases, default_sample.units, default_sample.unit_ratings, default_sample.truth):
        assert frame.attrs["synthetic"] is True
    for frame in (cases, default_sample.units, default_sample.unit_ratings):
        assert set(frame["source"].astype(str)) == {"synthetic"}
    assert "SYNTHETIC" in repr(default_sample)


def test_pdus_in_their_real_regions(default_sample):
    ref = pd.read_csv("data/raw/reference/regions_pdus.csv")
    ref = ref[ref["unit_type"] == "geographic"].set_index("pdu")["region"]
    pairs = default_sample.cases[["pdu", "region"]].astype(str).drop_duplicates()
    assert len(pairs) == 108
    assert (pairs["region"].to_numpy() == ref.loc[pairs["pdu"]].to_numpy()).all()


def test_staffing_context_shifts_quality(default_sample):
    cases, units = default_sample.cases, default_sample.units
    q = quality_score(cases).groupby(cases["pdu"].astype(str)).mean()
    vac = units.set_index(units["pdu"].astype(str))["vacancy_rate"].loc[q.index]
    assert np.corrcoef(vac, q)[0, 1] < 0


def test_truth_is_recovered_by_logistic_regression():
    """Simulation with known truth: statsmodels' logit recovers each per-10-points effect."""
    sample = simulate(seed=11, cases_per_pdu=150)
    cases = sample.cases
    x = pd.DataFrame(
        {
            "quality_per10": 10 * quality_score(cases),
            "licence": (cases["sentence_type"] == "licence").astype(float),
            "rosh_high": cases["rosh"].isin(["high", "very_high"]).astype(float),
            "female": (cases["gender"] == "female").astype(float),
            "age_18_24": (cases["age_band"] == "18-24").astype(float),
            "age_50_plus": (cases["age_band"] == "50+").astype(float),
        }
    )
    truth = sample.truth.set_index(["outcome", "term"])["true_value"]
    for outcome, model in OUTCOME_MODEL.items():
        y = cases[outcome]
        keep = y.notna().to_numpy() & x["quality_per10"].notna().to_numpy()
        fit = sm.Logit(y[keep].astype(float).to_numpy(), sm.add_constant(x[keep])).fit(disp=0)
        est, se = fit.params["quality_per10"], fit.bse["quality_per10"]
        assert truth[(outcome, "quality_score_per_10pts")] == model["per10"]
        assert abs(est - model["per10"]) < 3 * se, (outcome, est, model["per10"], se)
        for term, beta in CASE_MIX_EFFECTS[outcome].items():
            assert abs(fit.params[term] - beta) < 4 * fit.bse[term], (outcome, term)


def test_write_sample(tmp_path):
    paths = write_sample(tmp_path / "syn", seed=3, cases_per_pdu=2)
    assert [p.name for p in paths] == [
        "cases.csv",
        "units.csv",
        "unit_ratings.csv",
        "factors.csv",
        "truth.csv",
        "metadata.json",
    ]
    meta = json.loads((tmp_path / "syn" / "metadata.json").read_text())
    assert meta["synthetic"] is True and meta["seed"] == 3 and "never" in meta["warning"].lower()
    cases = pd.read_csv(tmp_path / "syn" / "cases.csv")
    assert (cases["source"] == "synthetic").all() and len(cases) == 216


@pytest.mark.parametrize(
    "kwargs", [{"cases_per_pdu": 0}, {"outcome_pdu_sd": -1.0}, {"regions": ["Atlantis"]}]
)
def test_bad_parameters(kwargs):
    with pytest.raises(ParameterError):
        simulate(**kwargs)


def test_regions_subset_and_pdu_outcome_sd():
    sample = simulate(seed=5, cases_per_pdu=4, regions=["North East"], outcome_pdu_sd=0.5)
    assert set(sample.cases["region"].astype(str)) == {"North East"}
    truth = sample.truth.set_index(["outcome", "term"])["true_value"]
    assert truth[("complied", "outcome_pdu_sd")] == 0.5
