"""analysis.models.small_sample: CR2 covariance, t critical values, few-PDU warnings and fallback."""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import linalg, stats
from scipy.special import expit

from analysis.models import associations
from analysis.models.small_sample import cluster_count_note, cr2_covariance, p_value, t_critical
from analysis.synthetic.generate import simulate


def _clustered(seed=5, n_groups=7, k_extra=2):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(8, 20, size=n_groups)
    g = np.repeat(np.arange(n_groups), sizes)
    X = np.column_stack([np.ones(g.size), rng.normal(size=(g.size, k_extra))])
    eta = -0.5 + X[:, 1] * 0.7 + rng.normal(0, 0.8, n_groups)[g]
    y = (rng.random(g.size) < expit(eta)).astype(float)
    return y, X, g


def _cr2_direct(y, X, g, beta, power=0.5):
    """CR2 and Bell-McCaffrey df written straight from the formulas with full n-by-n matrices."""
    p = expit(X @ beta)
    W = np.diag(p * (1 - p))
    Xw = linalg.sqrtm(W).real @ X
    e = np.linalg.solve(linalg.sqrtm(W).real, y - p)
    bread = np.linalg.inv(Xw.T @ Xw)
    k, n = X.shape[1], len(y)
    meat = np.zeros((k, k))
    H_full = Xw @ bread @ Xw.T
    columns = {j: [] for j in range(k)}
    for c in np.unique(g):
        m = g == c
        A = linalg.fractional_matrix_power(np.eye(m.sum()) - H_full[np.ix_(m, m)], -power).real
        s = Xw[m].T @ A @ e[m]
        meat += np.outer(s, s)
        for j in range(k):  # column of G: (I - H)[:, g] A_g Xw_g B^-1 c
            col = (np.eye(n) - H_full)[:, m] @ (A @ Xw[m] @ bread[:, j])
            columns[j].append(col)
    df = []
    for j in range(k):
        G = np.column_stack(columns[j])
        M = G.T @ G
        df.append(np.trace(M) ** 2 / np.trace(M @ M))
    return bread @ meat @ bread, np.array(df)


@pytest.mark.parametrize("power", [0.5, 1.0])
def test_cr2_and_cr3_equal_the_formula_with_full_matrices(power):
    y, X, g = _clustered()
    beta = np.asarray(sm.Logit(y, X).fit(disp=0).params)
    ours = cr2_covariance(X, y, beta, g, power=power)
    assert ours.capped == 0
    cov, df = _cr2_direct(y, X, g, beta, power)
    np.testing.assert_allclose(ours.cov, cov, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.df, df, rtol=1e-9)
    assert np.all(ours.df <= len(np.unique(g)) - 1 + 1e-9)


def test_cr2_without_the_adjustment_is_the_plain_sandwich_of_statsmodels():
    """CR2 is larger than the uncorrected sandwich (CR0) from statsmodels, never smaller."""
    y, X, g = _clustered(seed=11)
    res = sm.Logit(y, X).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": g, "use_correction": False}
    )
    ours = cr2_covariance(X, y, np.asarray(res.params), g).cov
    cr0 = np.asarray(res.cov_params())
    assert np.all(np.diag(ours) > np.diag(cr0))
    # with a vanishing leverage (many tiny clusters of one case) CR2 tends to CR0
    single = np.arange(len(y))
    res1 = sm.Logit(y, X).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": single, "use_correction": False}
    )
    ours1 = cr2_covariance(X, y, np.asarray(res1.params), single).cov
    np.testing.assert_allclose(np.diag(ours1), np.diag(res1.cov_params()), rtol=0.15)


def test_t_critical_values_and_p_values_are_scipys():
    assert t_critical(0.05, 5) == pytest.approx(stats.t.ppf(0.975, 5), abs=1e-12)
    assert t_critical(0.10, None) == pytest.approx(stats.norm.ppf(0.95), abs=1e-12)
    assert p_value(0.5, 0.2, 7) == pytest.approx(2 * stats.t.sf(2.5, 7), abs=1e-14)


def test_few_pdu_note_only_below_thirty():
    assert cluster_count_note(30, 10, "x") == ""
    assert "few PDUs (12 < 30)" in cluster_count_note(12, 10, "x")


@pytest.fixture(scope="module")
def wales():
    return simulate(seed=8, cases_per_pdu=30, regions=["Wales"]).cases


def test_a_region_with_few_pdus_is_warned_and_uses_t_intervals(wales):
    n_pdus = wales["pdu"].nunique()
    table = associations(wales, outcome="new_offence", exposure="quality_score")
    row = table.iloc[0]
    assert row["n_clusters"] == n_pdus < 30
    assert f"few PDUs ({n_pdus} < 30)" in row["warning"]
    assert f"CR3 (jackknife) covariance and t with {n_pdus - 1} df" in row["warning"]
    # the interval is the t interval with G - 1 df around the estimate
    half = np.log(row["ci_high"]) - row["estimate"]
    assert half == pytest.approx(stats.t.ppf(0.975, n_pdus - 1) * row["std_error"], rel=1e-10)
    alt = associations(wales, outcome="new_offence", cluster="robust_cr2").iloc[0]
    assert alt["estimate"] == pytest.approx(row["estimate"], abs=1e-12)
    assert alt["std_error"] < row["std_error"]  # CR2 shrinks residuals less than CR3
    df = float(alt["warning"].split(" df for ")[0].split("(")[-1])
    assert 1 <= df <= n_pdus - 1
    half = np.log(alt["ci_high"]) - alt["estimate"]
    assert half == pytest.approx(stats.t.ppf(0.975, df) * alt["std_error"], rel=5e-3)  # df to 0.1


def test_no_more_pdus_than_parameters_drops_covariates_and_says_which(wales):
    n_pdus = wales["pdu"].nunique()
    assert n_pdus <= 10  # 10 parameters with the full case mix
    table = associations(wales, outcome="new_offence", include_covariates=True)
    warning = table["warning"].iloc[0]
    assert "cannot be estimated with the full case mix" in warning
    assert "age band" in warning.split("(")[-1]  # dropped from the end of the list, in words
    assert len(table) < n_pdus  # parameters now fewer than PDUs
    assert table["term"].str.startswith("rosh").any()  # RoSH kept
    # the fitted model equals the plain logit with the reduced adjustment set
    terms = "".join(table["term"])
    kept = [c for c in ("rosh", "sentence_type", "gender", "age_band") if c + "[" in terms]
    ref = associations(wales, outcome="new_offence", covariates=kept, include_covariates=True)
    np.testing.assert_allclose(table["estimate"], ref["estimate"], atol=1e-12)


def test_too_few_pdus_even_unadjusted_falls_back_to_the_random_intercept_model(wales):
    two = wales[wales["pdu"].isin(wales["pdu"].unique()[:2])].copy()
    two["pdu"] = two["pdu"].astype(str)
    table = associations(two, outcome="new_offence", covariates=None, cluster="gee")
    assert table["model"].iloc[0] == "mixed_random_intercept"
    assert "random-intercept model" in table["warning"].iloc[0]


def test_report_sentence_carries_the_few_pdu_caution(wales):
    from analysis.models import few_pdu_sentence

    row = associations(wales, outcome="new_offence").iloc[0]
    sentence = few_pdu_sentence(row)
    n_pdus = wales["pdu"].nunique()
    assert sentence.startswith(f"With only {n_pdus} PDUs the interval is approximate")
    assert f"t with {n_pdus - 1} df" in sentence
    assert "adjusted for" in sentence and sentence.endswith("dropped).")
    national = associations(simulate(seed=8, cases_per_pdu=5).cases, outcome="new_offence")
    assert few_pdu_sentence(national.iloc[0]) == ""


def test_few_pdu_sentence_says_nothing_about_an_interval_that_was_not_computed():
    from analysis.models import few_pdu_sentence

    warning = "few PDUs (6 < 30): intervals use the CR3 (jackknife) covariance and t with 5 df"
    row = {"n_clusters": 6, "warning": warning, "ci_low": 0.8, "ci_high": 1.1}
    assert few_pdu_sentence(row).startswith("With only 6 PDUs the interval is approximate")
    assert few_pdu_sentence({**row, "ci_low": float("nan"), "ci_high": float("nan")}) == ""
