"""analysis.data.youth: the youth justice scrape kept as published, corrected where a source says so.

The built tests read the scrape and its corrections from the committed CSV files (copied into
the small build of tests/conftest.py); the small frames below are worked by hand: a youth
inspection scores twelve standards out of 36 points (../shared/domain.md), so 72.22% is
26 points (72.22 x 36 / 100 = 25.9992) and 54.17% is 19.50, not a whole number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import config, frameworks
from analysis.data.youth import YOUTH_MAX_SCORE, corrections_for, youth_checks
from tests.data.helpers import parsed

PUBLISHED = config.RAW_DIR / "published"
SCRAPE = "published/youth_justice_ratings.csv"
WEST_SUSSEX = "https://example.org/press-releases/2022/06/west-sussex-yjs"
BRIDGEND = "https://example.org/press-releases/2022/06/bridgend-yjs"


def test_the_maximum_is_the_frameworks():
    assert YOUTH_MAX_SCORE == frameworks.get("youth-2018").max_score == 36


# --- the committed scrape, built ------------------------------------------------------------------
def test_youth_scrape_kept_as_published_with_derivations(small_processed_dir):
    warnings = pd.read_parquet(small_processed_dir / "build_warnings.parquet")
    raw = pd.read_csv(PUBLISHED / "youth_justice_ratings.csv", dtype=str)
    youth = pd.read_parquet(small_processed_dir / "youth_justice_ratings.parquet")
    assert len(youth) == len(raw) == 83
    assert youth["overall_rating"].tolist() == raw["overall_rating"].tolist()
    assert youth["publication_date"].tolist() == raw["publication_date"].tolist()
    expected_points = raw["score_%"].astype(float) * 36 / 100
    assert (youth["score_points"] - expected_points).abs().max() < 1e-9
    assert youth["publication_date_iso"].iloc[0] == "2025-02-18"  # 18/02/25, day first
    # Portsmouth's overall_rating is a footnote; the Inspectorate published Good (corrected).
    footnote = youth[youth["overall_rating"].str.startswith("1 The resettlement")]
    assert footnote["rating"].tolist() == ["Good"] and len(footnote) == 1
    assert "portsmouth-yot" in footnote["correction_source"].iloc[0]
    checks = warnings[warnings["file"].str.contains("youth")]
    assert sorted(checks["check"]) == [
        "corrected",
        "corrected",
        "corrected",
        "service_name",
        "standards_reliable",
        "whole_points",
    ]


def test_youth_corrections_keep_original_and_say_where_they_come_from(small_processed_dir):
    youth = pd.read_parquet(small_processed_dir / "youth_justice_ratings.parquet").set_index(
        "la_ref"
    )
    corrections = pd.read_csv(PUBLISHED / "youth_justice_corrections.csv")
    assert len(corrections) == 3
    west = youth.loc["west-sussex-yjs"]
    assert west["overall_rating"] == "Requires Improvement"  # as scraped, kept
    assert west["rating"] == "Good" and west["corrected"] == "overall_rating"
    assert west["correction_source"].endswith("press-releases/2022/06/west-sussex-yjs")
    bridgend = youth.loc["bridgend-jys"]
    assert bridgend["score_pct"] == 4.56 and pd.isna(bridgend["score_points"])
    assert bridgend["rating"] == "Requires improvement"
    untouched = youth.drop(index=["west-sussex-yjs", "portsmouth-yot", "bridgend-jys"])
    assert untouched["corrected"].isna().all()


# --- corrections ------------------------------------------------------------------------------------
def test_a_correction_whose_original_is_not_the_scrape_is_not_applied():
    frame = pd.DataFrame({"la_ref": ["a"], "overall_rating": ["Good"], "score_pct": [50.0]})
    corrections = pd.DataFrame(
        {
            "la_ref": ["a", "b"],
            "corrected_column": ["overall_rating", "overall_rating"],
            "original": ["Inadequate", "Good"],
            "corrected": ["Good", "Good"],
            "source_url": ["u", "u"],
            "file_": ["c.csv", "c.csv"],
            "row_": [2, 3],
        }
    )
    applied, warnings = corrections_for(frame, corrections)
    assert applied == {}
    assert sorted(w["check"] for w in warnings) == ["known_report", "original_matches_scrape"]


SCRAPED = ("la_name", "la_ref", "overall_rating", "score_pct", "publication_date")
CORRECTION = ("la_ref", "corrected_column", "original", "corrected", "source_url")


def scrape(*rows: tuple) -> pd.DataFrame:
    """Rows of the scrape, each given as the values of :data:`SCRAPED`."""
    return parsed(SCRAPE, [dict(zip(SCRAPED, row, strict=True)) for row in rows])


def corrections(*rows: tuple) -> pd.DataFrame:
    """Rows of the corrections table, each given as the values of :data:`CORRECTION`."""
    records = [dict(zip(CORRECTION, row, strict=True)) for row in rows]
    return parsed("published/youth_justice_corrections.csv", records)


def test_a_correction_applies_where_its_original_is_the_scraped_value():
    frame = scrape(
        ("West Sussex", "wsx", "Requires Improvement ", 72.22, "01/06/22"),
        ("Bridgend", "bgd", "Requires improvement", 4.56, "01/06/22"),
    )
    found = corrections(
        ("wsx", "overall_rating", "Requires Improvement", "Good", WEST_SUSSEX),
        ("bgd", "score_pct", "4.56", None, BRIDGEND),  # read from CSV as text; not stated
    )
    applied, warnings = corrections_for(frame, found)
    assert applied == {
        ("wsx", "overall_rating"): ("Good", WEST_SUSSEX),
        ("bgd", "score_pct"): (None, BRIDGEND),
    }
    assert warnings == []
    assert corrections_for(frame, None) == ({}, [])
    assert corrections_for(frame, found.iloc[:0]) == ({}, [])


# --- derived columns and warnings -----------------------------------------------------------------
def texts(column: pd.Series) -> list:
    """A derived column's values, None where it is empty."""
    return [None if pd.isna(value) else value for value in column]


@pytest.fixture
def checked():
    frame = scrape(
        ("Testshire", "tst", "Good", 72.22, "18/02/25"),
        (
            "An inspection of youth justice services in Ceredigion",
            "crd",
            "Requires Improvement",
            54.17,
            "04/02/25",
        ),
        ("West Sussex", "wsx", "Requires Improvement", 72.22, "01/06/22"),
        ("Bridgend", "bgd", "Requires improvement", 4.56, "01/06/22"),
        ("Otherton", "oth", "Satisfactory", 50.0, "February 2025"),
    )
    context = {
        "youth_justice_corrections": corrections(
            ("wsx", "overall_rating", "Requires Improvement", "Good", WEST_SUSSEX),
            ("bgd", "score_pct", "4.56", None, BRIDGEND),
        )
    }
    warnings = youth_checks(frame, context)
    return frame.set_index("la_ref"), warnings


def test_the_rating_points_and_date_are_derived_and_the_scrape_kept(checked):
    frame, _ = checked
    assert texts(frame["rating"]) == [
        "Good",
        "Requires improvement",
        "Good",
        "Requires improvement",
        None,
    ]
    assert frame["overall_rating"].tolist()[:3] == [
        "Good",
        "Requires Improvement",
        "Requires Improvement",
    ]
    np.testing.assert_allclose(
        frame["score_points"].to_numpy(), [25.9992, 19.5012, 25.9992, np.nan, 18.0]
    )
    assert frame["score_pct"].tolist() == [72.22, 54.17, 72.22, 4.56, 50.0]
    assert texts(frame["publication_date_iso"]) == [
        "2025-02-18",
        "2025-02-04",
        "2022-06-01",
        "2022-06-01",
        None,
    ]


def test_corrected_cells_name_the_column_and_the_source(checked):
    frame, warnings = checked
    assert texts(frame["corrected"]) == [None, None, "overall_rating", "score_pct", None]
    assert texts(frame["correction_source"]) == [None, None, WEST_SUSSEX, BRIDGEND, None]
    corrected = [w for w in warnings if w["check"] == "corrected"]
    assert [(w["row"], w["column"], w["value"], w["expected"]) for w in corrected] == [
        (
            4,
            "overall_rating",
            "Requires Improvement",
            f"corrected to Good from {WEST_SUSSEX} (youth_justice_corrections.csv); the "
            "scraped value is kept",
        ),
        (
            5,
            "score_pct",
            "4.56",
            f"corrected to empty (not stated) from {BRIDGEND} (youth_justice_corrections.csv); "
            "the scraped value is kept",
        ),
    ]


def test_what_cannot_be_derived_is_warned_about_once_per_row(checked):
    _, warnings = checked
    assert [
        (w["row"], w["column"], w["check"], w["severity"])
        for w in warnings
        if w["check"] != "corrected"
    ] == [
        (3, "score_pct", "whole_points", "warning"),
        (3, "la_name", "service_name", "warning"),
        (6, "overall_rating", "is_rating", "warning"),
        (6, "publication_date", "date", "warning"),
        (None, "staff ... joint_working", "standards_reliable", "warning"),
    ]
    points = next(w for w in warnings if w["check"] == "whole_points")
    assert points["expected"] == (
        "a whole number of points out of 36; 54.17% is 19.50 points, kept unrounded"
    )
