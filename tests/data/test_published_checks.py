"""Published adult ratings: derived framework and ISO dates, doubtful sources, round coverage;
the youth justice scrape copied unchanged from ../shared (its corrections and derived columns
are tested in tests/data/test_youth.py).

Expected values come from the committed real tables themselves (data/raw/published/), read
here with pandas independently of the build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.data.build import build
from analysis.data.published_checks import _framework, _iso_date
from tests.conftest import tree_digest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed") / "processed"
    report = build(processed_dir=out)
    return report, out


def test_framework_from_denominator_then_year_then_fieldwork():
    assert _framework("pdu", "3/21", 2024) == (
        "pdu-2023",
        "derived from the score's denominator (21)",
    )
    assert _framework("pdu", "0/27", 2022)[0] == "pdu-2021"
    assert _framework("pdu", "2/27", 2023)[0] == "pdu-2021"  # the 27-point framework ran into 2023
    # every 2023 report is of the 27-point framework (the current programme began October 2023)
    assert _framework("pdu", None, 2023) == (
        "pdu-2021",
        "derived from the publication year (2023 or before)",
    )
    assert _framework("pdu", None, 2022)[0] == "pdu-2021"
    assert _framework("pdu", None, 2025)[0] == "pdu-2023"
    # a misprinted score does not block the date rule, and the basis says so
    fid, basis = _framework("pdu", "2/25", 2025)
    assert fid == "pdu-2023" and "out of 25 matches no adult framework" in basis
    # an undated report takes the year its fieldwork started
    fieldwork = "Y&H round fieldwork 01 Jul - 25 Oct 2024 (regional spotlight)"
    assert _framework("pdu", None, None, fieldwork)[0] == "pdu-2023"
    assert _framework("pdu", None, None, "2023-10")[0] is None  # October 2023: either
    assert _framework("pdu", None, None, None)[0] is None
    assert _framework("region", "3/21", 2024)[0] is None


def test_national_split_by_round_has_no_unknown_framework(built):
    _, out = built
    processed = pd.read_parquet(out / "published_ratings.parquet")
    pdus = processed[processed["unit_type"] == "pdu"]
    assert len(pdus) == 78
    assert pdus["framework"].value_counts(dropna=False).to_dict() == {
        "pdu-2023": 42,
        "pdu-2021": 36,
    }
    raw = pd.read_csv("data/raw/published/published_ratings.csv")
    assert (raw.loc[raw["report_year"] == 2023, "unit_type"] == "pdu").sum() == len(
        processed[(processed["report_year"] == 2023) & (processed["framework"] == "pdu-2021")]
    )


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("2024-10-09", 2024, ("2024-10-09", "day")),
        ("2022-08", 2022, ("2022-08", "month")),
        ("2022 (before 17 May 2022)", 2022, ("2022", "year")),
        ("between Oct 2024 and Feb 2025 (inferred)", None, (None, "none")),
        (None, 2025, ("2025", "year")),
        (None, None, (None, "none")),
    ],
)
def test_iso_dates_keep_only_what_is_stated(text, year, expected):
    assert _iso_date(text, year) == expected


def test_published_values_are_kept_and_derivations_added(built):
    _, out = built
    raw = pd.read_csv("data/raw/published/published_ratings.csv", dtype=str)
    processed = pd.read_parquet(out / "published_ratings.parquet")
    assert len(processed) == len(raw)
    assert processed["score"].fillna("").tolist() == raw["score"].fillna("").tolist()
    assert processed["overall_rating"].astype(str).tolist() == raw["overall_rating"].tolist()
    by_score = processed[processed["score"].notna()]
    for score, fid in zip(by_score["score"], by_score["framework"], strict=True):
        denominator = int(score.split("/")[1])
        expected = {27: "pdu-2021", 21: "pdu-2023"}.get(denominator)
        if expected:
            assert fid == expected
        else:  # a misprinted score: the date rule decides
            assert fid == "pdu-2023"
    assert set(processed["date_precision"]) <= {"day", "month", "year", "none"}
    iso = processed["report_date_iso"].dropna()
    assert iso.str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").all()


def test_doubtful_sources_and_incomplete_rounds_are_warned_not_fixed(built):
    report, out = built
    warnings = report.warnings
    # The 2022 West Sussex row cites a BBC article filed under 'uk-england-kent' that covers
    # West Kent and West Sussex: a county section names no PDU, so no warning.
    assert warnings[warnings["check"] == "source_names_unit"].empty
    rounds = warnings[warnings["check"] == "round_covered"]
    assert len(rounds) == 1 and "Hull and East Riding" in rounds["expected"].iloc[0]
    assert "11 PDUs of Yorkshire and the Humber" in rounds["expected"].iloc[0]
    processed = pd.read_parquet(out / "published_ratings.parquet")
    assert len(processed) == 84  # no row invented


def test_source_naming_another_pdu_in_full_is_still_warned():
    from analysis.data.published_checks import source_warnings

    reference = pd.DataFrame({"pdu": ["West Kent", "West Sussex", "East Kent"]})
    frame = pd.DataFrame(
        {
            "file_": ["f", "f"],
            "row_": [2, 3],
            "unit_type": ["pdu", "pdu"],
            "unit": ["West Sussex PDU", "West Sussex PDU"],
            "source_url": [
                "https://example.org/news/uk-england-kent-61394579",
                "https://example.org/press-releases/2024/west-kent-pdu-rated",
            ],
        }
    )
    found = source_warnings(frame, {"reference": reference})
    assert [f["row"] for f in found] == [3]


def test_the_shared_youth_file_is_copied_unchanged():
    shared = config.SHARED_DIR / "data" / "youth_justice_ratings.csv"
    try:
        original = open(shared, "rb").read()
    except FileNotFoundError:
        pytest.skip("../shared/data is not beside the project")
    assert open("data/raw/published/youth_justice_ratings.csv", "rb").read() == original


def test_build_never_writes_raw(tmp_path):
    before = tree_digest(Path("data/raw"))
    build(processed_dir=tmp_path / "p")
    assert tree_digest(Path("data/raw")) == before
    shutil.rmtree(tmp_path / "p")


def test_wording_that_contradicts_its_count_keeps_both_readings(built):
    """York 2024: risk-of-harm factors improved 'in few cases (14 of 19 relevant cases)'."""
    report, out = built
    found = report.warnings[report.warnings["check"] == "wording_matches_count"]
    assert found[["file", "row", "value"]].values.tolist() == [
        ["published/figures.csv", 11, "14 of 19"]
    ]
    figures = pd.read_parquet(out / "published_figures.parquet")
    row = figures[figures["figure_id"] == "york24-progress-risk"].iloc[0]
    assert row["value"] == 14 and row["denominator"] == 19  # the count stays the value
    assert "few cases" in row["note"]  # the wording stays beside it
