"""Offending-related factors of the synthetic sample (analysis.synthetic.factors via simulate).

Outside references: the generator's known truth (odds ratio per factor), the York and North
Yorkshire 2013 table (seed 002) for the calibration targets, scipy's quadrature for the
intercepts, and scipy.stats.fisher_exact / statsmodels Table2x2 for one factor's 2x2 table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate
from scipy.special import expit
from scipy.stats import fisher_exact, norm
from statsmodels.stats.contingency_tables import Table2x2

from analysis.data import schemas
from analysis.models import factor_associations
from analysis.synthetic import factors as sf
from analysis.synthetic.factors import factor_truth
from analysis.synthetic.generate import simulate


def quality_score(cases):
    """Share of applicable key questions answered yes, computed here independently of the package."""
    kq = [c for c in cases.columns if c.endswith(("_engagement", "_desistance", "_keeping_safe"))]
    answers = cases[kq].astype("object")
    yes = (answers == "yes").sum(axis=1)
    applicable = answers.isin(["yes", "no"]).sum(axis=1)
    return (yes / applicable.where(applicable > 0)).rename("quality_score")


COLUMNS = ["case_id", "region", "pdu", "factor", "sufficient_intervention", "sufficient_progress"]


@pytest.fixture(scope="module")
def default_sample():
    return simulate()


@pytest.fixture(scope="module")
def large_sample():
    return simulate(seed=11, cases_per_pdu=150)  # 16,200 cases


def _associations(factors: pd.DataFrame) -> pd.DataFrame:
    return factor_associations(
        factors, intervention="sufficient_intervention", progress="sufficient_progress"
    )


def test_targets_are_the_published_2013_table():
    published = pd.read_csv("data/raw/published/offending_factors_2013.csv")
    assert list(published["factor"]) == list(schemas.OFFENDING_FACTORS[:9])
    assert schemas.OFFENDING_FACTORS[9] == "finance"  # listed in the brief, not in the 2013 table
    for rec in published.itertuples():
        assert sf.factor_targets()[rec.factor] == (
            rec.n_cases,
            rec.pct_interventions_sufficient,
            rec.pct_progress_sufficient,
        )


def test_contract_and_links_to_cases(default_sample):
    factors, cases = default_sample.factors, default_sample.cases
    assert list(factors.columns) == [*COLUMNS, "source"]
    schemas.CaseFactors.validate(factors, lazy=True)
    assert factors.attrs["synthetic"] is True and set(factors["source"]) == {"synthetic"}
    linked = factors.merge(cases[["case_id", "region", "pdu"]].astype(str), on="case_id")
    assert len(linked) == len(factors)
    assert (linked["region_x"].astype(str) == linked["region_y"]).all()
    assert (linked["pdu_x"].astype(str) == linked["pdu_y"]).all()
    assert list(factors["factor"].cat.categories) == list(schemas.OFFENDING_FACTORS)
    assert default_sample.metadata["n_factor_rows"] == len(factors)


def test_factors_do_not_disturb_the_other_tables(monkeypatch, default_sample):
    """A child random stream: changing the factor model leaves every other table as it was."""
    monkeypatch.setattr(sf, "FACTOR_LOG_OR", dict.fromkeys(schemas.OFFENDING_FACTORS, -1.0))
    monkeypatch.setitem(sf.factor_targets(), "accommodation", (40, 20, 10))
    other = simulate()
    for name in ("cases", "units", "unit_ratings"):
        pd.testing.assert_frame_equal(getattr(other, name), getattr(default_sample, name))
    assert not other.factors.equals(default_sample.factors)


def test_deterministic_for_a_seed():
    a, b = simulate(seed=4, cases_per_pdu=3), simulate(seed=4, cases_per_pdu=3)
    pd.testing.assert_frame_equal(a.factors, b.factors)
    assert not simulate(seed=5, cases_per_pdu=3).factors.equals(a.factors)


def test_intercepts_meet_the_targets_by_quadrature():
    """Each intercept solves its target: checked with scipy's adaptive quadrature."""
    sd = 1.06
    params = sf.factor_parameters(sd)
    for factor in ("attitudes to offending", "accommodation"):
        p = params.loc[factor]
        p_int, _ = integrate.quad(
            lambda c, p=p: (
                expit(p["intervention_intercept"] + sf.INTERVENTION_PER_LATENT * c)
                * norm.pdf(c, scale=sd)
            ),
            -np.inf,
            np.inf,
        )
        assert 100 * p_int == pytest.approx(p["pct_intervention"], abs=1e-3)
        p_prog = p_int * expit(p["progress_intercept"] + p["log_or"]) + (1 - p_int) * expit(
            p["progress_intercept"]
        )
        assert 100 * p_prog == pytest.approx(p["pct_progress"], abs=1e-3)


def test_intervention_follows_practice_quality(default_sample):
    factors, cases = default_sample.factors, default_sample.cases
    quality = quality_score(cases).set_axis(cases["case_id"])
    q = quality.loc[factors["case_id"]].to_numpy()
    sufficient = factors["sufficient_intervention"].to_numpy(dtype=bool)
    assert q[sufficient].mean() > q[~sufficient].mean() + 0.05


def test_truth_table_rows(default_sample):
    truth = factor_truth(default_sample.truth)
    assert list(truth.columns) == ["factor", "true_log_odds_ratio", "true_odds_ratio"]
    assert list(truth["factor"]) == list(schemas.OFFENDING_FACTORS)
    assert (truth["true_log_odds_ratio"] == [sf.FACTOR_LOG_OR[f] for f in truth["factor"]]).all()
    terms = set(default_sample.truth["term"])
    for factor in schemas.OFFENDING_FACTORS:
        assert {f"intercept [{factor}]", f"prevalence [{factor}]"} <= terms


def test_factor_associations_recover_the_true_odds_ratio(large_sample):
    """Simulation with known truth: every factor's odds ratio within 4 SE of its truth, and the
    truth inside the 95% interval for at least 9 of the 10 factors."""
    table = _associations(large_sample.factors).merge(
        factor_truth(large_sample.truth), left_on="term", right_on="factor"
    )
    assert len(table) == 10 and (table["correction"] == 0).all()
    se = (np.log(table["ci_high"]) - np.log(table["ci_low"])) / (2 * norm.ppf(0.975))
    z = (np.log(table["odds_ratio"]) - table["true_log_odds_ratio"]) / se
    assert (z.abs() < 4).all(), table.assign(z=z)[["term", "odds_ratio", "true_odds_ratio"]]
    covered = (table["ci_low"] <= table["true_odds_ratio"]) & (
        table["true_odds_ratio"] <= table["ci_high"]
    )
    assert covered.sum() >= 9, table[["term", "odds_ratio", "ci_low", "ci_high"]]


def test_one_factor_against_scipy_and_statsmodels(large_sample):
    """Odds ratio, Woolf interval and Fisher p on one factor against the outside references."""
    factors = large_sample.factors
    sub = factors[factors["factor"] == "accommodation"]
    x = sub["sufficient_intervention"].to_numpy(dtype=bool)
    y = sub["sufficient_progress"].to_numpy(dtype=bool)
    counts = np.array([[(x & y).sum(), (x & ~y).sum()], [(~x & y).sum(), (~x & ~y).sum()]])
    row = _associations(factors).set_index("term").loc["accommodation"]
    assert [row["a"], row["b"], row["c"], row["d"]] == counts.ravel().tolist()
    ref = Table2x2(counts)
    assert row["odds_ratio"] == pytest.approx(ref.oddsratio, rel=1e-12)
    low, high = ref.oddsratio_confint()
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert row["p_value"] == pytest.approx(fisher_exact(counts)[1], rel=1e-9)
