"""The synthetic sample's ratings against the published ones (analysis.synthetic.published).

Outside references: the published ratings file itself, counted here with the csv module; the
Inspectorate's own totals quoted in domain.md §6 and the data README (10 of 17 PDU reports of
2022 Inadequate; 43 Requires improvement, 40 Inadequate and 1 Good over all 84 reports); and
statsmodels' Wilson interval for the tolerances.
"""

from __future__ import annotations

import csv
import shutil

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis import config
from analysis.exceptions import InputDataError
from analysis.ratings import rate
from analysis.synthetic.generate import simulate
from analysis.synthetic.published import (
    leadership_guidance_table,
    overall_comparison_table,
    published_pdu_ratings,
    published_ratings_path,
    published_rounds_table,
)
from tests.conftest import tree_digest

RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")


def published_rows() -> list[dict]:
    with open(published_ratings_path(), encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def default_rated():
    sample = simulate()
    return sample, rate(sample.cases, by="pdu", other_ratings=sample.unit_ratings)


def test_published_counts_agree_with_the_inspectorate_totals():
    rows = published_rows()
    every = [r["overall_rating"] for r in rows]
    assert (every.count("Requires improvement"), every.count("Inadequate")) == (43, 40)
    assert every.count("Good") == 1 and len(rows) == 84
    rounds = published_rounds_table().set_index("round")
    assert rounds.loc["2022", ["n_reports", "n_inadequate"]].tolist() == [17, 10]
    pdu = [r for r in rows if r["unit_type"] == "pdu"]
    assert rounds.loc["all", "n_reports"] == len(pdu) == 78
    assert rounds.loc["all", "n_inadequate"] == sum(
        r["overall_rating"] == "Inadequate" for r in pdu
    )
    assert rounds.drop(index="all")["n_reports"].sum() == 78


def test_committed_sample_matches_the_published_distribution():
    """The committed sample (data/raw/synthetic, rated from the files on disk): every overall
    share within its tolerance, and the sample is what simulate() gives."""
    raw = config.RAW_DIR / "synthetic"
    cases = pd.read_csv(raw / "cases.csv", dtype=str)
    ratings = pd.read_csv(raw / "unit_ratings.csv", dtype=str)
    overall = rate(cases, by="pdu", other_ratings=ratings).overall["overall_rating"]
    table = overall_comparison_table(overall)
    assert list(table.columns) == [
        "rating",
        "synthetic_n",
        "synthetic_share",
        "published_n",
        "published_share",
        "tolerance_low",
        "tolerance_high",
        "within_tolerance",
        "published_source",
    ]
    assert table["rating"].tolist() == list(RATINGS)
    assert table["within_tolerance"].all(), table.to_string()
    sample = simulate()
    fresh = rate(sample.cases, by="pdu", other_ratings=sample.unit_ratings).overall
    assert (fresh["overall_rating"].astype(str).to_numpy() == overall.astype(str).to_numpy()).all()


def test_generator_expectation_matches_the_published_share():
    """Over ten seeds the mean Inadequate share is within 0.05 of the published 39 of 78."""
    shares = []
    for seed in range(10):
        s = simulate(seed=seed)
        overall = rate(s.cases, by="pdu", other_ratings=s.unit_ratings).overall
        shares.append((overall["overall_rating"].astype(str) == "Inadequate").mean())
    assert abs(np.mean(shares) - 39 / 78) <= 0.05, shares


def test_leadership_guidance_table(default_rated):
    sample, result = default_rated
    table = leadership_guidance_table(result.standards, sample.unit_ratings).set_index("sample")
    assert table.loc["published", ["n_units", "n_leadership_inadequate"]].tolist() == [5, 3]
    low, high = proportion_confint(3, 5, method="wilson")
    assert table.loc["published", "ci_low"] == pytest.approx(low)
    assert low <= table.loc["synthetic", "share"] <= high
    assert table.loc["synthetic", "n_units"] > 30


# --- bad inputs (docs/bad-input-catalogue.md, synthetic data S-4 to S-6) ---------------------------
@pytest.fixture
def published_copy(tmp_path):
    path = tmp_path / "published_ratings.csv"
    shutil.copy(published_ratings_path(), path)
    return path


def test_missing_published_file(tmp_path):
    missing = tmp_path / "published_ratings.csv"
    before = tree_digest(tmp_path)
    with pytest.raises(InputDataError) as err:
        published_rounds_table(missing)
    assert str(err.value) == (
        f"{missing}: the published ratings file is missing; the synthetic sample is calibrated "
        "against it. Restore data/raw/published/published_ratings.csv."
    )
    assert tree_digest(tmp_path) == before


def test_unrecognised_rating_names_row_column_and_value(published_copy):
    text = published_copy.read_text(encoding="utf-8").splitlines(keepends=True)
    assert text[3].count(",Inadequate,") >= 1  # row 4 as a spreadsheet shows it
    text[3] = text[3].replace(",Inadequate,", ",Excellent,", 1)
    published_copy.write_text("".join(text), encoding="utf-8")
    before = tree_digest(published_copy.parent)
    with pytest.raises(InputDataError) as err:
        published_pdu_ratings(published_copy)
    message = str(err.value)
    assert message.startswith(
        f"{published_copy}: 1 rating(s) not recognised (row 4, column overall_rating: "
        "'Excellent'); expected"
    )
    assert "expected one of Outstanding, Good, Requires improvement, Inadequate" in message
    assert tree_digest(published_copy.parent) == before


def test_missing_rating_column(published_copy):
    rows = published_copy.read_text(encoding="utf-8").splitlines(keepends=True)
    rows[0] = rows[0].replace(",leadership,", ",leadrship,")
    published_copy.write_text("".join(rows), encoding="utf-8")
    before = tree_digest(published_copy.parent)
    with pytest.raises(InputDataError, match=r"column\(s\) leadership missing; expected"):
        published_pdu_ratings(published_copy)
    assert tree_digest(published_copy.parent) == before
