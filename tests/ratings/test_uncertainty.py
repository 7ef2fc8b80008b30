"""Pooled rating probabilities: correctness against outside references and calibration.

References: the previous independent model (``stats.band_probabilities_of_minimum``), exact
rejection sampling from the same hierarchical model, a simulated population with a known
covariance, and simulations with known true ratings (``analysis.synthetic.reliability``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from analysis import frameworks
from analysis.exceptions import InputDataError, ParameterError
from analysis.ratings.uncertainty import band_probabilities, fit_pooled, national_prior
from analysis.stats import band_probabilities_of_minimum
from analysis.synthetic.reliability import calibration_summary, simulate_ratings

EDGES = (0.0, 0.5, 0.65, 0.8)
FW = frameworks.get("pdu-2023")
STANDARDS = FW.case_based_standards
KQS = {s: [k.id for k in FW.key_questions if k.standard == s] for s in STANDARDS}


def _rows(rng, n_units, theta_mean=(0.8, 0.1, -0.7), sd=0.6, n_cases=20, empty_share=0.0):
    """Long rows (unit-major, then standard, then key question) from a simulated population."""
    out = {"n_yes": [], "n": [], "unit": [], "standard": [], "key_question": []}
    for u in range(n_units):
        for s in STANDARDS:
            theta = special.expit(rng.normal(theta_mean, sd))
            n = np.where(rng.random(3) < empty_share, 0, n_cases)
            out["n_yes"] += rng.binomial(n, theta).tolist()
            out["n"] += n.tolist()
            out["unit"] += [f"U{u}"] * 3
            out["standard"] += [s] * 3
            out["key_question"] += KQS[s]
    return out


@pytest.mark.parametrize("method", ["pooled", "national", "independent"])
def test_probabilities_sum_to_one_and_empty_groups_are_nan(method):
    rows = _rows(np.random.default_rng(1), 40, empty_share=0.3)
    rows["n"][:3] = [0, 0, 0]
    rows["n_yes"][:3] = [0, 0, 0]
    p = band_probabilities(**rows, edges=EDGES, method=method)
    assert p.shape == (40 * len(STANDARDS), 4)
    assert np.isnan(p[0]).all()
    ok = ~np.isnan(p).any(axis=1)
    assert ok.sum() > 100
    np.testing.assert_allclose(p[ok].sum(axis=1), 1.0, atol=1e-9)
    assert (p[ok] >= 0).all()


def test_independent_method_equals_the_previous_model():
    rows = _rows(np.random.default_rng(2), 30, empty_share=0.2)
    model = fit_pooled(**rows, method="independent")
    codes = pd.MultiIndex.from_arrays([rows["unit"], rows["standard"]]).factorize()[0]
    expected = band_probabilities_of_minimum(rows["n_yes"], rows["n"], codes, EDGES)
    got = band_probabilities(**rows, edges=EDGES, model=model)
    np.testing.assert_allclose(got, expected, atol=1e-12, equal_nan=True)
    assert set(model.groups["pooled_towards"]) == {"none (independent Jeffreys)"}


def _rejection_reference(mean, cov, y, n, draws, rng):
    """Exact posterior band frequencies: draw θ from the prior and answers from the binomial,
    keep the draws whose answers equal the observed ones."""
    kept = []
    for _ in range(draws // 500_000):
        theta = rng.multivariate_normal(mean, cov, 500_000)
        sim = rng.binomial(n, special.expit(theta))
        kept.append(theta[(sim == y).all(axis=1)])
    theta = np.concatenate(kept)
    band = np.searchsorted(special.logit(np.asarray(EDGES[1:])), theta.min(axis=1), "right")
    return np.bincount(band, minlength=4) / len(theta), len(theta)


@pytest.mark.parametrize(
    ("y", "n"), [((6, 5, 2), (10, 12, 8)), ((7, 7, 7), (12, 12, 12)), ((9, 3, 0), (10, 10, 0))]
)
def test_agrees_with_exact_rejection_sampling_of_the_same_model(y, n):
    kqs = KQS["assessment"]
    p = band_probabilities(y, n, ["A"] * 3, ["assessment"] * 3, kqs, EDGES, method="national")[0]
    mean, cov = national_prior(kqs)
    obs = np.asarray(n) > 0
    ref, kept = _rejection_reference(
        mean[obs],
        cov[np.ix_(obs, obs)],
        np.asarray(y)[obs],
        np.asarray(n)[obs],
        2_000_000,
        np.random.default_rng(3),
    )
    se = np.sqrt(ref * (1 - ref) / kept)
    assert kept > 1000
    assert np.all(np.abs(p - ref) <= 4 * se + 0.01), (p, ref, kept)


def test_deterministic_given_seed_and_stable_across_seeds():
    rows = _rows(np.random.default_rng(4), 60)
    a = band_probabilities(**rows, edges=EDGES, rng=7)
    b = band_probabilities(**rows, edges=EDGES, rng=7)
    c = band_probabilities(**rows, edges=EDGES, rng=8)
    np.testing.assert_array_equal(a, b)
    assert np.nanmax(np.abs(a - c)) < 0.03


def test_few_units_pool_towards_the_national_prior_and_say_so():
    rows = _rows(np.random.default_rng(6), 10)
    model = fit_pooled(**rows, min_units=30)
    assert set(model.groups["pooled_towards"]) == {
        "national prior (published figures), its mean moved to these units' average"
    }
    alone = fit_pooled(**rows, min_units=30, min_shift_units=11)
    assert set(alone.groups["pooled_towards"]) == {"national prior (published figures)"}
    assert (alone.groups["prior_scale"] >= 1).all()
    many = fit_pooled(**_rows(np.random.default_rng(6), 40), min_units=30)
    assert set(many.groups["pooled_towards"]) == {"fitted across 40 units rated together"}
    assert list(many.to_frame().columns) == [
        "standard",
        "key_question",
        "mean_pct",
        "sd_logit",
        "n_units",
        "pooled_towards",
    ]


def test_case_level_answers_estimate_their_correlation():
    rng = np.random.default_rng(7)
    n_units, n_cases, kqs = 60, 30, KQS["planning"]
    case = rng.normal(0, 1.5, (n_units, n_cases, 1))  # shared by a case's answers
    answers = rng.random((n_units, n_cases, 3)) < special.expit(0.3 + case)
    cases = pd.DataFrame(answers.reshape(-1, 3), columns=kqs).replace({True: "yes", False: "no"})
    cases["unit"] = np.repeat(np.arange(n_units), n_cases)
    rows = {
        "n_yes": answers.sum(axis=1).ravel(),
        "n": np.full(n_units * 3, n_cases),
        "unit": np.repeat(np.arange(n_units), 3),
        "standard": ["planning"] * (n_units * 3),
        "key_question": kqs * n_units,
    }
    corr = fit_pooled(**rows, cases=cases).standards["planning"].answer_corr
    assert corr[0, 1] > 0.15 and corr[1, 2] > 0.15
    independent = cases.copy()
    for k in kqs:
        independent[k] = rng.permutation(independent[k].to_numpy())
    corr0 = fit_pooled(**rows, cases=independent).standards["planning"].answer_corr
    assert np.abs(corr0[np.triu_indices(3, 1)]).max() < 0.1


def test_input_errors_name_row_column_and_value():
    rows = _rows(np.random.default_rng(8), 2)
    rows["n_yes"][4] = 25
    with pytest.raises(
        InputDataError, match=r"Row 5, column 'n_yes': value 25 is not a whole number from 0 to n"
    ):
        band_probabilities(**rows, edges=EDGES)
    rows = _rows(np.random.default_rng(8), 2)
    with pytest.raises(InputDataError, match="edges"):
        band_probabilities(**rows, edges=(0.1, 0.5))
    with pytest.raises(InputDataError, match="method 'flat'"):
        band_probabilities(**rows, edges=EDGES, method="flat")
    with pytest.raises(InputDataError, match="appears more than once"):
        band_probabilities(**{k: v + v[:1] for k, v in rows.items()}, edges=EDGES)
    with pytest.raises(InputDataError, match="'unit' column"):
        band_probabilities(**rows, edges=EDGES, cases=pd.DataFrame({"x": [1]}))
    with pytest.raises(ParameterError, match="scenario"):
        simulate_ratings("nowhere", 20, 1)


# --- calibration by simulation with known true ratings -------------------------------------


def test_equal_key_questions_fail_the_independent_model_and_pass_the_pooled_one():
    ratings = simulate_ratings("equal", 20, 3, methods=("independent", "pooled"), draws=512)
    # the probabilities alone (without the widened flag, which makes all these borderline)
    summary = calibration_summary(ratings.drop(columns="edge_flag")).set_index("method")
    flagged = calibration_summary(ratings).set_index("method")
    assert flagged.loc["pooled", "promise_kept"]
    # The previous model: about half of the ratings stated with p >= 0.8, all of them wrong.
    assert not summary.loc["independent", "promise_kept"]
    assert summary.loc["independent", "right_when_not_borderline"] < 0.2
    assert summary.loc["independent", "calibration_error"] > 0.5
    assert summary.loc["pooled", "promise_kept"]
    assert summary.loc["pooled", "right_when_not_borderline"] >= 0.9
    ece = summary["calibration_error"]
    assert ece["pooled"] < ece["independent"] / 2


@pytest.mark.parametrize("scenario", ["equal", "equal_varied", "generator", "published"])
def test_borderline_promise_holds_in_every_scenario(scenario):
    # promise_kept: share right among ratings with P(true band differs) < 0.2 is at least
    # 0.8 - 2 Monte Carlo SE (SE between replications: one fitted model per replication).
    ratings = simulate_ratings(scenario, 20, 3, methods=("pooled",), draws=512, seed=11)
    assert calibration_summary(ratings).iloc[0]["promise_kept"]  # with the widened flag
    summary = calibration_summary(ratings.drop(columns="edge_flag")).iloc[0]  # probability only
    assert summary["promise_kept"], summary.to_dict()
    assert summary["right_when_not_borderline"] >= 0.8 - 2 * summary["se_right_when_not_borderline"]


def test_a_subset_rated_with_a_population_fitted_on_all_units_matches_the_full_fit():
    rows = _rows(np.random.default_rng(9), 60)
    full_model = fit_pooled(**rows)
    full = band_probabilities(**rows, edges=EDGES, model=full_model)
    keep = np.isin(rows["unit"], [f"U{u}" for u in range(8)])
    subset = {k: np.asarray(v, dtype=object)[keep] for k, v in rows.items()}
    subset["n_yes"], subset["n"] = subset["n_yes"].astype(int), subset["n"].astype(int)
    adapted = fit_pooled(**subset, population=full_model)
    assert set(adapted.groups["pooled_towards"]) == {
        "fitted across 60 units (given population), its mean moved to these units' average"
    }
    model = fit_pooled(**subset, population=full_model, adapt=False)
    assert set(model.groups["pooled_towards"]) == {"fitted across 60 units (given population)"}
    part = band_probabilities(**subset, edges=EDGES, model=model)
    in_full = full_model.groups["unit"].isin([f"U{u}" for u in range(8)]).to_numpy()
    np.testing.assert_allclose(part, full[in_full], atol=1e-12)


def test_calibration_study_writes_its_tables_and_a_small_figure(tmp_path):
    from analysis.synthetic.reliability_study import run_calibration_study

    study = run_calibration_study(
        1,
        tmp_path,
        n_units=40,
        scenarios=("equal",),
        sample_sizes=(20,),
        methods=("independent", "pooled"),
    )
    assert list(study.summary["method"]) == ["independent", "pooled"]
    for name in ("rating_calibration_summary.csv", "rating_calibration_reliability.csv"):
        assert len(pd.read_csv(tmp_path / name)) > 0
    assert "| equal | 20 | pooled |" in (tmp_path / "rating_calibration.md").read_text()
    assert 0 < (tmp_path / "rating_reliability.png").stat().st_size < 100_000
