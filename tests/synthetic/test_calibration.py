"""analysis.synthetic.calibration: the synthetic sample against its published calibration targets.

Outside references: the published ratings file (counted with the csv module) and statsmodels'
Wilson interval for the targets; the 2013 York and North Yorkshire factor table (read with the
csv module); measures counted here from the cases themselves.
"""

from __future__ import annotations

import csv
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis import config
from analysis.data import schemas
from analysis.synthetic import CALIBRATION_TARGETS, calibration_table, factor_calibration_table
from analysis.synthetic.generate import simulate
from tests.synthetic.test_published import published_rows

COLUMNS = ["measure", "simulated", "target_low", "target_high", "within_target", "target_source"]


@pytest.fixture(scope="module")
def default_sample():
    return simulate()


@pytest.fixture(scope="module")
def small_sample():
    """Four cases in each of the seven North East PDUs (28 cases)."""
    return simulate(seed=3, cases_per_pdu=4, regions=["North East"])


def test_calibration_against_targets(default_sample):
    """Marginal rates and the rating distribution (via analysis.ratings) within their targets."""
    table = calibration_table(default_sample)
    assert list(table.columns) == [
        "measure",
        "simulated",
        "target_low",
        "target_high",
        "within_target",
        "target_source",
    ]
    assert len(table) == 23
    outside = table[~table["within_target"]]
    assert outside.empty, outside.to_string()


def test_keeping_safe_weaker_than_engagement(default_sample):
    table = calibration_table(default_sample).set_index("measure")["simulated"]
    assert (
        table["% yes, keeping-safe key questions"]
        < table["% yes, desistance key questions"]
        < table["% yes, engagement key questions"]
    )


def test_per_factor_calibration(default_sample):
    """Prevalence within 3 points and both percentages within 5 points of the 2013 table."""
    table = factor_calibration_table(default_sample).set_index("factor")
    assert list(table.index) == list(schemas.OFFENDING_FACTORS)
    gaps = pd.DataFrame(
        {
            "cases": table["pct_cases"] - table["target_pct_cases"],
            "intervention": table["pct_intervention"] - table["target_pct_intervention"],
            "progress": table["pct_progress"] - table["target_pct_progress"],
        }
    ).abs()
    assert (gaps["cases"] < 3).all(), gaps
    assert (gaps[["intervention", "progress"]] < 5).all().all(), gaps
    assert table.loc["finance", "target_source"].startswith("assumed")


def test_calibration_targets_are_the_published_wilson_intervals():
    """The static targets in CALIBRATION_TARGETS are recomputed here from the file."""
    pdu = [r["overall_rating"] for r in published_rows() if r["unit_type"] == "pdu"]
    targets = {m: (lo, hi) for m, lo, hi, _ in CALIBRATION_TARGETS}
    expected = {
        "share of PDUs overall Inadequate": pdu.count("Inadequate"),
        "share of PDUs overall Requires improvement": pdu.count("Requires improvement"),
        "share of PDUs overall Good": pdu.count("Good"),
        "share of PDUs overall Outstanding": pdu.count("Outstanding"),
        "share of PDUs overall RI or Inadequate": pdu.count("Inadequate")
        + pdu.count("Requires improvement"),
    }
    for measure, k in expected.items():
        low, high = proportion_confint(k, len(pdu), method="wilson")
        assert targets[measure] == pytest.approx((low, high), abs=6e-4), measure


def test_every_target_is_a_range_with_a_source():
    assert len({m for m, *_ in CALIBRATION_TARGETS}) == len(CALIBRATION_TARGETS) == 23
    for measure, low, high, source in CALIBRATION_TARGETS:
        assert low <= high and source, measure


def test_the_measures_are_counted_from_the_cases_and_checked_against_their_targets(small_sample):
    table = calibration_table(small_sample)
    assert list(table.columns) == COLUMNS and table.attrs["synthetic"] is True
    assert [tuple(r) for r in table[COLUMNS[:1] + COLUMNS[2:4] + COLUMNS[5:]].to_numpy()] == [
        (m, lo, hi, src) for m, lo, hi, src in CALIBRATION_TARGETS
    ]
    got = table.set_index("measure")["simulated"]
    cases = small_sample.cases
    answers = cases[[c for c in cases.columns if c.endswith("_engagement")]].astype(object)
    engagement = (
        100 * (answers == "yes").to_numpy().sum() / answers.isin(["yes", "no"]).to_numpy().sum()
    )
    assert got["mean cases inspected per PDU"] == 4 == got["most cases inspected in a PDU"]
    assert got["share of cases on licence"] == pytest.approx(
        (cases["sentence_type"] == "licence").mean()
    )
    assert got["share of cases male"] == pytest.approx((cases["gender"] == "male").mean())
    assert got["% yes, engagement key questions"] == pytest.approx(engagement)
    assert got["share of cases reviewing not applicable"] == pytest.approx(
        (cases["reviewing_engagement"] == "not_applicable").mean()
    )
    assert got["% new offence (charged or convicted)"] == pytest.approx(
        100 * cases["new_offence"].dropna().astype(float).mean()
    )
    published = small_sample.factors[small_sample.factors["factor"].astype(str) != "finance"]
    assert got["offending-related factors per case (nine published factors)"] == pytest.approx(
        len(published) / len(cases)
    )
    shares = [f"share of PDUs overall {r}" for r in ("Inadequate", "Requires improvement", "Good")]
    assert got[shares + ["share of PDUs overall Outstanding"]].sum() == pytest.approx(1.0)
    assert got["share of PDUs overall RI or Inadequate"] == pytest.approx(got[shares[:2]].sum())
    within = (table["target_low"] <= table["simulated"]) & (
        table["simulated"] <= table["target_high"]
    )
    assert (table["within_target"] == within).all()
    assert not table.set_index("measure").loc["mean cases inspected per PDU", "within_target"]


def _published_factors() -> dict[str, tuple[int, int, int]]:
    path = config.RAW_DIR / "published" / "offending_factors_2013.csv"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {
            r["factor"]: (int(r["n_cases"]), int(r["pct_interventions_sufficient"]),
                          int(r["pct_progress_sufficient"]))
            for r in csv.DictReader(handle)
        }  # fmt: skip


def test_factor_table_counts_each_factor_against_the_2013_table():
    """Four cases: accommodation for two (one sufficient intervention, both progress), ETE for
    one (neither), nothing else."""
    factors = pd.DataFrame(
        {
            "factor": ["accommodation", "accommodation", "ETE"],
            "sufficient_intervention": [True, False, False],
            "sufficient_progress": [True, True, False],
        }
    )
    sample = SimpleNamespace(cases=pd.DataFrame({"case_id": list("abcd")}), factors=factors)
    table = factor_calibration_table(sample).set_index("factor")
    assert list(table.index) == list(schemas.OFFENDING_FACTORS) and table.attrs["synthetic"]
    published = _published_factors()
    accommodation, ete = table.loc["accommodation"], table.loc["ETE"]
    assert (accommodation["n_cases"], accommodation["pct_cases"]) == (2, 50.0)
    assert (accommodation["pct_intervention"], accommodation["pct_progress"]) == (50.0, 100.0)
    assert accommodation["target_pct_cases"] == pytest.approx(
        100 * published["accommodation"][0] / 49
    )
    assert accommodation["target_pct_intervention"] == published["accommodation"][1]
    assert accommodation["target_pct_progress"] == published["accommodation"][2]
    assert accommodation["target_source"] == (
        f"York and North Yorkshire 2013: {published['accommodation'][0]} of 49 cases"
    )
    assert (ete["n_cases"], ete["pct_cases"], ete["pct_intervention"]) == (1, 25.0, 0.0)
    nothing = table.loc["thinking and behaviour"]
    assert nothing["n_cases"] == 0 and pd.isna(nothing["pct_intervention"])
    assert table.loc["finance", "target_source"] == "assumed (not in the 2013 table)"
    assert np.isfinite(table.loc["finance", "target_pct_cases"])
