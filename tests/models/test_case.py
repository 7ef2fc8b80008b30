"""analysis.models.case against direct statsmodels fits of the same specification (issue 4)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.multitest import multipletests

from analysis.exceptions import InputDataError, ParameterError
from analysis.models import RESULT_COLUMNS, associations
from analysis.synthetic.generate import simulate


def quality_score(cases):
    """Share of applicable key questions answered yes, computed here independently of the package."""
    kq = [c for c in cases.columns if c.endswith(("_engagement", "_desistance", "_keeping_safe"))]
    answers = cases[kq].astype("object")
    yes = (answers == "yes").sum(axis=1)
    applicable = answers.isin(["yes", "no"]).sum(axis=1)
    return (yes / applicable.where(applicable > 0)).rename("quality_score")


FORMULA_CASE_MIX = "C(rosh) + C(sentence_type) + C(gender) + C(age_band)"


@pytest.fixture(scope="module")
def cases():
    return simulate(seed=404, cases_per_pdu=10).cases


def _frame(cases, outcome="new_offence"):
    """Reference data built independently: simulate.quality_score, outcome as float."""
    df = cases.copy()
    df["y"] = df[outcome].astype("Float64").astype(float)
    df["quality_score_per_10pts"] = 10 * quality_score(cases)
    df["pdu_code_int"] = pd.factorize(df["pdu"].astype(str))[0]
    return df.dropna(subset=["y", "quality_score_per_10pts"])


def _formula_name(term):
    if "[" in term:
        var, level = term.rstrip("]").split("[")
        return f"C({var})[T.{level}]"
    return term


def test_robust_cr1_equals_statsmodels_cluster_logit(cases):
    table = associations(
        cases, outcome="new_offence", cluster="robust_cr1", include_covariates=True
    )
    df = _frame(cases)
    ref = smf.logit(f"y ~ quality_score_per_10pts + {FORMULA_CASE_MIX}", data=df).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": df["pdu_code_int"]}
    )
    names = [_formula_name(t) for t in table["term"]]
    np.testing.assert_allclose(table["estimate"], ref.params[names], rtol=0, atol=1e-8)
    np.testing.assert_allclose(table["std_error"], ref.bse[names], rtol=0, atol=1e-8)
    np.testing.assert_allclose(table["p_value"], ref.pvalues[names], rtol=1e-6, atol=1e-12)
    ci = np.exp(ref.conf_int().loc[names])
    np.testing.assert_allclose(table["ci_low"], ci[0], rtol=1e-8)
    np.testing.assert_allclose(table["ci_high"], ci[1], rtol=1e-8)
    assert table["n"].iloc[0] == ref.nobs
    assert table["n_clusters"].iloc[0] == df["pdu"].nunique()


@pytest.mark.parametrize(
    ("cluster", "cov_type"), [("gee_sandwich", "robust"), ("gee", "bias_reduced")]
)
def test_gee_equals_statsmodels_gee(cases, cluster, cov_type):
    table = associations(
        cases, outcome="sentence_completed", cluster=cluster, include_covariates=True
    )
    df = _frame(cases, "sentence_completed")
    formula = f"y ~ quality_score_per_10pts + {FORMULA_CASE_MIX}"
    start = smf.logit(formula, data=df).fit(disp=0).params  # same start values as the package
    model = smf.gee(formula, groups="pdu_code_int", data=df, family=sm.families.Binomial(),
                    cov_struct=sm.cov_struct.Exchangeable())  # fmt: skip
    ref = model.fit(maxiter=100, start_params=start.to_numpy(), cov_type=cov_type)
    names = [_formula_name(t) for t in table["term"]]
    np.testing.assert_allclose(table["estimate"], ref.params[names], rtol=0, atol=1e-8)
    np.testing.assert_allclose(table["std_error"], ref.bse[names], rtol=0, atol=1e-8)
    assert table["model"].str.startswith("gee_exchangeable").all()
    if cluster == "gee":  # t intervals with G - 1 degrees of freedom
        t = stats.t.ppf(0.975, df["pdu"].nunique() - 1)
        beta, se = ref.params[names], ref.bse[names]
        np.testing.assert_allclose(table["ci_high"], np.exp(beta + t * se), rtol=1e-8)


def test_unadjusted_plain_logit_equals_statsmodels(cases):
    table = associations(cases, outcome="complied", covariates=None, cluster="none")
    df = _frame(cases, "complied")
    ref = smf.logit("y ~ quality_score_per_10pts", data=df).fit(disp=0)
    assert table["estimate"].iloc[0] == pytest.approx(ref.params.iloc[1], abs=1e-8)
    assert table["std_error"].iloc[0] == pytest.approx(ref.bse.iloc[1], abs=1e-8)


def test_average_marginal_effects_equal_statsmodels_margeff(cases):
    df = _frame(cases)
    # continuous exposure: mean dP/dx per 10 points, delta-method SE from the cluster-robust covariance
    table = associations(cases, outcome="new_offence", cluster="robust_cr1")
    X = pd.get_dummies(df[["quality_score_per_10pts", "rosh", "sentence_type", "gender", "age_band"]],
                       drop_first=True, dtype=float)  # fmt: skip
    ref = sm.Logit(df["y"], sm.add_constant(X)).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": df["pdu_code_int"]}
    )
    me = ref.get_margeff(at="overall", method="dydx")
    assert table["ame_pp"].iloc[0] == pytest.approx(100 * me.margeff[0], abs=1e-8)
    half = (table["ame_ci_high"].iloc[0] - table["ame_ci_low"].iloc[0]) / 2
    assert half == pytest.approx(100 * 1.959963984540054 * me.margeff_se[0], abs=1e-8)
    # binary key question, Yes vs No: discrete change (statsmodels dummy=True)
    kq = "planning_keeping_safe"
    table = associations(cases, outcome="new_offence", exposure=kq, cluster="robust_cr1")
    df2 = cases.copy()
    df2["y"] = df2["new_offence"].astype("Float64").astype(float)
    df2 = df2[df2[kq] != "not_applicable"].dropna(subset=["y"])
    X = pd.get_dummies(
        df2[["rosh", "sentence_type", "gender", "age_band"]], drop_first=True, dtype=float
    )
    X.insert(0, kq, (df2[kq] == "yes").astype(float))
    ref = sm.Logit(df2["y"], sm.add_constant(X)).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": pd.factorize(df2["pdu"].astype(str))[0]}
    )
    me = ref.get_margeff(at="overall", method="dydx", dummy=True)
    assert table["ame_pp"].iloc[0] == pytest.approx(100 * me.margeff[0], abs=1e-8)
    assert table["estimate"].iloc[0] == pytest.approx(ref.params[kq], abs=1e-8)


def test_band_marginal_effect_is_counterfactual_difference_of_predictions(cases):
    table = associations(cases, outcome="sentence_completed", exposure="quality_band")
    df = _frame(cases, "sentence_completed")
    score = df["quality_score_per_10pts"] / 10
    df["band"] = pd.Categorical(np.where(score >= 0.8, "high", np.where(score >= 0.5, "adequate", "inadequate")),
                                categories=["inadequate", "adequate", "high"])  # fmt: skip
    ref = smf.logit(f"y ~ C(band) + {FORMULA_CASE_MIX}", data=df).fit(disp=0)
    base = ref.predict(
        df.assign(
            band=pd.Categorical(["inadequate"] * len(df), categories=df["band"].cat.categories)
        )
    )
    for level in ("adequate", "high"):
        alt = ref.predict(
            df.assign(band=pd.Categorical([level] * len(df), categories=df["band"].cat.categories))
        )
        row = table[table["term"] == f"quality_band[{level}]"].iloc[0]
        assert row["ame_pp"] == pytest.approx(100 * float(np.mean(alt - base)), abs=1e-8)
        assert row["estimate"] == pytest.approx(ref.params[f"C(band)[T.{level}]"], abs=1e-8)


def test_key_questions_multiplicity_equals_multipletests(cases):
    table = associations(cases, outcome="new_offence", exposure="key_question")
    assert len(table) == 12
    p = table["p_value"].to_numpy()
    np.testing.assert_allclose(table["p_holm"], multipletests(p, method="holm")[1], rtol=1e-12)
    np.testing.assert_allclose(table["p_bh"], multipletests(p, method="fdr_bh")[1], rtol=1e-12)
    np.testing.assert_allclose(table["p_adjusted"], table["p_holm"])
    bh = associations(cases, outcome="new_offence", exposure="key_question", adjust="bh")
    np.testing.assert_allclose(bh["p_adjusted"], bh["p_bh"])
    # not-applicable reviewing answers leave that key question's model
    n = table.set_index("term")["n"]
    assert n["reviewing_engagement"] < n["assessment_engagement"]


def test_table_shape_columns_and_synthetic_label(cases):
    table = associations(cases, outcome=["new_offence", "complied"], exposure="standard")
    assert tuple(table.columns) == RESULT_COLUMNS
    assert len(table) == 8
    assert (table["source"] == "synthetic").all() and table.attrs["synthetic"]
    area = associations(cases, outcome="complied", exposure="area")
    assert area["term"].tolist() == [
        f"area_{a}_per_10pts" for a in ("engagement", "desistance", "keeping_safe")
    ]


def test_missing_or_constant_columns_name_the_column(cases):
    with pytest.raises(InputDataError, match="'reconviction'"):
        associations(cases, outcome="reconviction")
    # a covariate with one value is left out of the adjustment, and the rows say so
    one_gender = associations(cases.assign(gender="male"), outcome="new_offence")
    assert one_gender["warning"].str.startswith("gender left out of the adjustment").all()
    assert one_gender["estimate"].notna().all()
    # an outcome with one value gives rows that say it cannot be modelled, not a failed batch
    constant = associations(cases.assign(new_offence=False), outcome="new_offence")
    assert constant["estimate"].isna().all()
    assert constant["warning"].str.contains("has one value only").all()
    with pytest.raises(InputDataError, match="'ethnicity'"):
        associations(cases, covariates=["ethnicity"])
    with pytest.raises(ParameterError, match="cluster="):
        associations(cases, cluster="random")
    with pytest.raises(ParameterError, match="exposure="):
        associations(cases, exposure="quality")


def test_a_model_that_cannot_be_fitted_is_a_nan_row_not_a_crash(cases):
    bad = cases.copy()
    kq = "planning_engagement"  # perfectly separates the outcome
    bad[kq] = pd.Categorical(np.where(bad["new_offence"].fillna(False), "no", "yes"), categories=["yes", "no", "not_applicable"])  # fmt: skip
    table = associations(bad, outcome="new_offence", exposure="key_question")
    row = table.set_index("term").loc[kq]
    assert np.isnan(row["odds_ratio"]) and "separation" in row["warning"]
    assert table["odds_ratio"].notna().sum() == 11
    tiny = cases.head(12)
    out = associations(tiny, outcome="new_offence")
    assert np.isnan(out["odds_ratio"].iloc[0]) and out["warning"].iloc[0].startswith(
        "too few events"
    )


def test_a_covariate_level_that_separates_the_outcome_is_merged_and_said(cases):
    data = cases.copy()
    data.loc[data["rosh"] == "very_high", "new_offence"] = False
    table = associations(data, outcome="new_offence", include_covariates=True)
    assert "rosh[very_high]" not in set(table["term"]) and "rosh[high]" in set(table["term"])
    assert "risk of serious harm: level very high merged into high" in table["warning"].iloc[0]
    assert table["converged"].all() and table["odds_ratio"].notna().all()
    # the merged model is the model with very_high recoded as high (statsmodels reference)
    df = _frame(data)
    df["rosh"] = df["rosh"].astype(str).replace({"very_high": "high"})
    df["rosh"] = pd.Categorical(df["rosh"], categories=["low", "medium", "high"], ordered=True)
    ref = smf.logit(f"y ~ quality_score_per_10pts + {FORMULA_CASE_MIX}", data=df).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": df["pdu_code_int"]}
    )
    assert table.set_index("term").loc["quality_score_per_10pts", "estimate"] == pytest.approx(
        ref.params["quality_score_per_10pts"], abs=1e-8
    )
    # covariate rows are not part of the multiplicity family
    assert table.loc[table["term"] != "quality_score_per_10pts", "p_adjusted"].isna().all()


def test_mixed_model_through_associations_equals_the_direct_fit(cases):
    from analysis.models.mixed import fit_random_intercept

    table = associations(cases, outcome="complied", cluster="mixed", include_covariates=True)
    df = _frame(cases, "complied")
    X = pd.get_dummies(
        df[["rosh", "sentence_type", "gender", "age_band"]], drop_first=True, dtype=float
    )
    X.insert(0, "quality_score_per_10pts", df["quality_score_per_10pts"])
    X.insert(0, "Intercept", 1.0)
    fit = fit_random_intercept(df["y"].to_numpy(), X.to_numpy(), df["pdu"].astype(str).to_numpy())
    np.testing.assert_allclose(table["estimate"], fit.params, atol=1e-8)
    np.testing.assert_allclose(table["std_error"], np.sqrt(np.diag(fit.cov)), atol=1e-8)
    assert (table["model"] == "mixed_random_intercept").all()
    assert "PDU random-intercept SD" in table["warning"].iloc[0]


def test_non_binary_outcome_is_named(cases):
    data = cases.assign(score=np.arange(len(cases)) % 3)
    with pytest.raises(InputDataError, match="'score', row 2: value 2 is not binary"):
        associations(data, outcome="score")


def test_a_band_with_no_cases_is_a_nan_row_and_the_other_band_is_fitted(cases):
    from analysis.ratings import quality_scores

    data = cases[quality_scores(cases)["quality_band"] != "high"]
    table = associations(data, outcome="new_offence", exposure="quality_band")
    rows = table.set_index("term")
    assert rows.loc["quality_band[adequate]", "odds_ratio"] > 0
    assert np.isnan(rows.loc["quality_band[high]", "odds_ratio"])
    assert rows.loc["quality_band[high]", "warning"].startswith("no cases with quality_band[high]")


def test_a_reference_level_with_no_events_is_merged_into_the_next_and_said(cases):
    data = cases.copy()
    data.loc[data["rosh"] == "low", "new_offence"] = False
    table = associations(data, outcome="new_offence", include_covariates=True)
    row = table.set_index("term").loc["quality_score_per_10pts"]
    assert "risk of serious harm: reference level low merged into medium" in row["warning"]
    assert row["converged"] and np.isfinite(row["odds_ratio"])
    assert "rosh[medium]" not in set(table["term"]) and "rosh[high]" in set(table["term"])
    # the merged model is the model with low recoded as medium (statsmodels reference)
    df = _frame(data)
    df["rosh"] = df["rosh"].astype(str).replace({"low": "medium"})
    df["rosh"] = pd.Categorical(
        df["rosh"], categories=["medium", "high", "very_high"], ordered=True
    )
    ref = smf.logit(f"y ~ quality_score_per_10pts + {FORMULA_CASE_MIX}", data=df).fit(disp=0)
    assert row["estimate"] == pytest.approx(ref.params["quality_score_per_10pts"], abs=1e-8)


@pytest.mark.parametrize("cluster", ["robust_cr1", "gee", "mixed"])
def test_within_pdu_adds_the_pdu_mean_of_the_exposure_and_equals_statsmodels(cases, cluster):
    table = associations(
        cases, outcome="new_offence", cluster=cluster, within_pdu=True, include_covariates=True
    )
    assert "within-PDU association" in table["warning"].iloc[0]
    assert "quality_score_per_10pts[pdu_mean]" in set(table["term"])
    df = _frame(cases)
    df["pdu_mean"] = df.groupby("pdu_code_int")["quality_score_per_10pts"].transform("mean")
    formula = f"y ~ quality_score_per_10pts + {FORMULA_CASE_MIX} + pdu_mean"
    row = table.set_index("term").loc["quality_score_per_10pts"]
    if cluster == "robust_cr1":
        ref = smf.logit(formula, data=df).fit(
            disp=0, cov_type="cluster", cov_kwds={"groups": df["pdu_code_int"]}
        )
        assert row["std_error"] == pytest.approx(ref.bse["quality_score_per_10pts"], abs=1e-8)
    elif cluster == "gee":
        start = smf.logit(formula, data=df).fit(disp=0).params
        ref = smf.gee(
            formula, groups="pdu_code_int", data=df, family=sm.families.Binomial(),
            cov_struct=sm.cov_struct.Exchangeable(),
        ).fit(maxiter=100, start_params=start.to_numpy(), cov_type="bias_reduced")  # fmt: skip
        assert row["std_error"] == pytest.approx(ref.bse["quality_score_per_10pts"], abs=1e-8)
    else:  # the random-intercept fit has no statsmodels equivalent: compare with the direct fit
        from analysis.models.mixed import fit_random_intercept

        X = np.column_stack([np.ones(len(df)), df["quality_score_per_10pts"],
                             pd.get_dummies(df[["rosh", "sentence_type", "gender", "age_band"]],
                                            drop_first=True).to_numpy(float), df["pdu_mean"]])  # fmt: skip
        ref = fit_random_intercept(df["y"].to_numpy(), X, df["pdu_code_int"].to_numpy())
        assert row["estimate"] == pytest.approx(ref.params[1], abs=1e-6)
        return
    assert row["estimate"] == pytest.approx(ref.params["quality_score_per_10pts"], abs=1e-8)


def test_within_pdu_removes_pdu_level_confounding():
    from analysis.models.within_study import within_pdu_sample

    sample = within_pdu_sample(3, 108)
    within = associations(sample.cases, outcome="y", within_pdu=True).iloc[0]
    naive = associations(sample.cases, outcome="y").iloc[0]
    truth = sample.truth["population_averaged"]
    assert np.log(within["ci_low"]) <= truth <= np.log(within["ci_high"])
    assert abs(within["estimate"] - truth) < abs(naive["estimate"] - truth)


def test_gee_that_does_not_converge_falls_back_to_independence_and_says_so(cases, monkeypatch):
    from analysis.models import _fit

    real = _fit._gee_once

    def exchangeable_fails(y, X, groups, cov_type, structure):
        model, params, cov, converged = real(y, X, groups, cov_type, structure)
        return model, params, cov, converged and type(structure).__name__ != "Exchangeable"

    monkeypatch.setattr(_fit, "_gee_once", exchangeable_fails)
    table = associations(cases, outcome="sentence_completed", cluster="gee")
    row = table.iloc[0]
    assert row["converged"] and np.isfinite(row["ci_low"])
    assert "did not converge: fitted with the independence working correlation" in row["warning"]
    df = _frame(cases, "sentence_completed")
    ref = smf.logit(f"y ~ quality_score_per_10pts + {FORMULA_CASE_MIX}", data=df).fit(disp=0)
    assert row["estimate"] == pytest.approx(ref.params["quality_score_per_10pts"], abs=1e-8)
