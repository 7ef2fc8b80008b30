"""The published record against the reference list (coverage per round) and against the totals
the Inspectorate states (data/raw/published/published_totals.csv)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.data.build import build
from analysis.data.reconcile import reconcile_totals, report_interval, round_coverage_table


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed") / "processed"
    report = build(processed_dir=out)
    tables = {
        name: pd.read_parquet(out / f"{name}.parquet")
        for name in ("published_ratings", "youth_justice_ratings", "reference", "published_totals")
    }
    return report, tables


def _rec(**kw):
    base = dict(report_date_iso=None, report_date=None, report_year=None, fieldwork_start=None)
    return SimpleNamespace(**{**base, **kw})


def test_report_intervals_keep_only_what_the_record_says():
    assert report_interval(_rec(report_date_iso="2024-10-09"))[:2] == (
        date(2024, 10, 9),
        date(2024, 10, 9),
    )
    assert report_interval(_rec(report_date_iso="2024-02"))[:2] == (
        date(2024, 2, 1),
        date(2024, 2, 29),
    )
    assert report_interval(_rec(report_date="between Oct 2024 and Feb 2025 (inferred)"))[:2] == (
        date(2024, 10, 1),
        date(2025, 2, 28),
    )
    assert report_interval(_rec(report_year=2023))[:2] == (date(2023, 1, 1), date(2023, 12, 31))
    before = _rec(report_date_iso="2022", report_date="2022 (before 17 May 2022)")
    assert report_interval(before)[:2] == (date(2022, 1, 1), date(2022, 5, 17))
    start, end, basis = report_interval(_rec(fieldwork_start="March 2025"))
    assert start == date(2025, 1, 1) and basis == "after fieldwork started"
    assert report_interval(_rec()) == (None, None, "not dated")


def test_coverage_per_region_and_round(built):
    _, t = built
    table = round_coverage_table(t["published_ratings"], t["reference"])
    current = table[table["framework"] == "pdu-2023"].set_index("region")
    assert sorted(current.index) == [
        "East Midlands",
        "East of England",
        "Kent, Surrey and Sussex",
        "North East",
        "Wales",
        "Yorkshire and the Humber",
    ]
    yh = current.loc["Yorkshire and the Humber"]
    assert (yh["n_pdus_inspected"], yh["n_pdus_reference"]) == (10, 11)
    assert yh["missing"] == "Hull and East Riding" and yh["complete"] is False
    assert current.drop(index="Yorkshire and the Humber")["complete"].all()
    earlier = table[table["framework"] == "pdu-2021"]
    assert earlier["complete"].isna().all()  # a selection of PDUs, never flagged
    assert table["n_reports"].sum() == 78


def test_stated_totals_reconcile_or_say_what_is_missing(built):
    report, t = built
    result = reconcile_totals(
        t["published_totals"],
        {k: t[k] for k in ("published_ratings", "youth_justice_ratings")},
        round_coverage_table(t["published_ratings"], t["reference"]),
    ).set_index("total_id")
    # "10 of the 17 PDU reports we published in 2022": the record agrees
    assert result.loc["pdu-2022-reports", ["stated_count", "record_likely"]].tolist() == [17, 17]
    assert result.loc["pdu-2022-inadequate", "agrees"]
    # annual report, Feb 2024 to Feb 2025: 24 PDU reports, 10 RI and 14 Inadequate
    feb = result.loc["pdu-feb2024-feb2025-reports"]
    assert (feb["stated_count"], feb["record_likely"], feb["agrees"]) == (24, 23, False)
    assert "Hull and East Riding" in feb["probably_missing"]
    assert result.loc["pdu-feb2024-feb2025-inadequate", "agrees"]
    assert not result.loc["pdu-feb2024-feb2025-requires-improvement", "agrees"]
    assert (
        "Yorkshire and the Humber"
        in result.loc["region-feb2024-feb2025-reports", "probably_missing"]
    )
    # "every PDU I have inspected has been rated Inadequate or Requires improvement"
    assert result.loc["pdu-mar2024-sep2025-good", "record_likely"] == 0
    # the build warns once per total that does not match, naming the source
    warned = report.warnings[report.warnings["check"] == "record_matches_stated_total"]
    assert len(warned) == int((~result["agrees"]).sum())
    assert warned["expected"].str.contains("https://").all()


def test_a_report_removed_from_the_record_is_noticed(built):
    _, t = built
    published = t["published_ratings"]
    lost = published[~((published["unit"] == "Lambeth PDU") & (published["report_year"] == 2022))]
    result = reconcile_totals(
        t["published_totals"], {"published_ratings": lost, "youth_justice_ratings": None}
    ).set_index("total_id")
    assert result.loc["pdu-2022-reports", "record_likely"] == 16
    assert not result.loc["pdu-2022-inadequate", "agrees"]
    assert "1 Inadequate report fewer" in result.loc["pdu-2022-inadequate", "probably_missing"]
