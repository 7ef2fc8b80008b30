"""analysis.models.unit against direct statsmodels GLM and OrderedModel fits (issue 4)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel

from analysis.models import rating_context_models, unit_outcome_models
from analysis.models.unit import UNIT_COLUMNS
from analysis.synthetic.generate import simulate


@pytest.fixture(scope="module")
def sample():
    return simulate(seed=31, cases_per_pdu=12)


def _unit_rates(cases, outcome, kq):
    """Aggregate independently with pandas groupby."""
    df = pd.DataFrame({"pdu": cases["pdu"].astype(str), "y": cases[outcome].astype("Float64"),
                       "yes": cases[kq].astype(str) == "yes", "app": cases[kq].astype(str) != "not_applicable"})  # fmt: skip
    g = df.groupby("pdu")
    return pd.DataFrame({"events": g["y"].sum().astype(float), "n": g["y"].count().astype(float),
                         "pct": 100 * g["yes"].sum() / g["app"].sum()})  # fmt: skip


@pytest.mark.parametrize("scale", ["X2", None])
def test_unit_glm_equals_statsmodels(sample, scale):
    table = unit_outcome_models(sample.cases, outcome="sentence_completed", scale=scale)
    assert tuple(table.columns) == UNIT_COLUMNS and len(table) == 12
    for kq in ("planning_keeping_safe", "reviewing_desistance"):
        ref_data = _unit_rates(sample.cases, "sentence_completed", kq)
        X = sm.add_constant(ref_data["pct"] / 10)
        if scale is None:  # two-column binomial response is the textbook form
            endog = np.column_stack([ref_data["events"], ref_data["n"] - ref_data["events"]])
            ref = sm.GLM(endog, X, family=sm.families.Binomial()).fit()
        else:
            ref = sm.GLM(ref_data["events"] / ref_data["n"], X, family=sm.families.Binomial(),
                         var_weights=ref_data["n"]).fit(scale="X2", use_t=True)  # fmt: skip
        row = table.set_index("term").loc[f"{kq}_per_10pts"]
        if scale is not None:  # few units: t on the residual degrees of freedom
            low, high = np.exp(np.asarray(ref.conf_int())[1])
            assert row["ci_low"] == pytest.approx(low, rel=1e-8)
            assert row["ci_high"] == pytest.approx(high, rel=1e-8)
            assert row["p_value"] == pytest.approx(ref.pvalues.iloc[1], rel=1e-8)
        assert row["estimate"] == pytest.approx(ref.params.iloc[1], abs=1e-8)
        assert row["std_error"] == pytest.approx(ref.bse.iloc[1], abs=1e-8)
        assert row["n_clusters"] == len(ref_data)


def test_ordinal_model_equals_statsmodels(sample):
    table = rating_context_models(sample.unit_ratings, sample.units, standards=["staffing"])
    data = sample.unit_ratings[sample.unit_ratings["standard"] == "staffing"].merge(
        sample.units, on="pdu"
    )
    X = pd.DataFrame({"v": data["vacancy_rate"] / 0.1, "w": data["workload_pct"] / 10})
    endog = data["rating"].astype(str).astype(pd.CategoricalDtype(["Inadequate", "Requires improvement", "Good", "Outstanding"], ordered=True))  # fmt: skip
    endog = endog.cat.remove_unused_categories().reset_index(drop=True)
    ref = OrderedModel(endog, X, distr="logit").fit(method="bfgs", disp=0, maxiter=500)
    np.testing.assert_allclose(table["estimate"], ref.params[["v", "w"]], atol=1e-6)
    np.testing.assert_allclose(table["std_error"], ref.bse[["v", "w"]], rtol=1e-5)
    assert (table["source"] == "synthetic").all()


def test_a_standard_with_one_rating_is_a_nan_row(sample):
    ratings = sample.unit_ratings.copy()
    ratings["rating"] = ratings["rating"].astype(str)
    ratings.loc[ratings["standard"] == "services", "rating"] = "Inadequate"
    table = rating_context_models(ratings, sample.units)
    services = table[table["outcome"] == "services"]
    assert (
        services["odds_ratio"].isna().all()
        and services["warning"].str.contains("fewer than two").all()
    )
    assert table[table["outcome"] != "services"]["odds_ratio"].notna().all()
