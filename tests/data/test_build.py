"""analysis.data.build: atomic, validated build from data/raw to data/processed (issue 3, section 1)."""

from __future__ import annotations

import hashlib
import json
import shutil

import pandas as pd
import pytest

from analysis import config
from analysis.data import schemas, tables
from analysis.data.build import BuildReport, build
from analysis.exceptions import InputDataError, ValidationFailed
from tests.conftest import tree_digest


def test_build_writes_every_table_and_a_manifest(small_raw_dir, small_processed_dir):
    manifest = json.loads((small_processed_dir / "manifest.json").read_text())
    assert manifest["schema_version"] == schemas.SCHEMA_VERSION
    assert set(manifest["tables"]) == set(tables.TABLES)
    assert manifest["synthetic"] is True
    assert {"cases", "units", "unit_ratings", "truth", "factors"} <= set(
        manifest["synthetic_tables"]
    )
    assert "published_key_questions" not in manifest["synthetic_tables"]
    for entry in manifest["inputs"]:
        # hashes recomputed here independently of the build code
        digest = hashlib.sha256((small_raw_dir / entry["file"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], entry["file"]
    for name, entry in manifest["tables"].items():
        frame = pd.read_parquet(small_processed_dir / entry["file"])
        assert len(frame) == entry["rows"], name
        extra = ["dataset"] if tables.TABLES[name].per_dataset else []
        assert list(frame.columns) == [*tables.TABLES[name].columns, *extra], name


def test_rows_match_the_raw_files(small_raw_dir, small_processed_dir):
    raw_cases = pd.read_csv(small_raw_dir / "synthetic" / "cases.csv")
    cases = pd.read_parquet(small_processed_dir / "cases.parquet")
    assert len(cases) == len(raw_cases) == 108 * 6
    assert (cases["source"] == "synthetic").all()
    assert cases["case_id"].tolist() == raw_cases["case_id"].tolist()


def test_report_is_readable(raw_copy, tmp_path):
    report = build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
    assert isinstance(report, BuildReport)
    text = repr(report)
    assert "cases" in text and "(SYNTHETIC)" in text and "warnings:" in text
    assert list(report.warnings.columns) == [
        "file",
        "row",
        "column",
        "value",
        "check",
        "expected",
        "severity",
    ]
    assert set(report.files["table"]) == set(tables.TABLES)


def test_build_never_writes_raw(raw_copy, tmp_path):
    before = tree_digest(raw_copy)
    build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
    assert tree_digest(raw_copy) == before


def test_failed_build_leaves_previous_processed_data(raw_copy, processed_copy):
    before = tree_digest(processed_copy)
    (raw_copy / "published" / "key_questions.csv").write_text("region\n", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        build(raw_dir=raw_copy, processed_dir=processed_copy)
    assert tree_digest(processed_copy) == before
    assert not list(processed_copy.parent.glob(".processed.tmp-*")), "temporary folder left behind"


def test_successful_rebuild_replaces_processed_and_keeps_readme(raw_copy, processed_copy):
    (processed_copy / "README.md").write_text("kept\n", encoding="utf-8")
    (processed_copy / "cases.parquet").write_bytes(b"old")
    build(raw_dir=raw_copy, processed_dir=processed_copy)
    assert (processed_copy / "README.md").read_text() == "kept\n"
    assert pd.read_parquet(processed_copy / "cases.parquet").shape[0] == 108 * 6
    # only the folder's lock (documented, kept beside it) remains; no temporary copies
    left = [p.name for p in processed_copy.parent.glob(".processed.*")]
    assert left in ([], [".processed.data-lock"])


def test_rebuild_refuses_to_delete_files_it_did_not_write(raw_copy, processed_copy):
    (processed_copy / "stale.parquet").write_bytes(b"old")
    before = tree_digest(processed_copy)
    with pytest.raises(
        InputDataError, match="holds files `analysis build` did not write: stale.parquet"
    ):
        build(raw_dir=raw_copy, processed_dir=processed_copy)
    assert tree_digest(processed_copy) == before


def test_processed_inside_raw_is_refused(raw_copy):
    with pytest.raises(InputDataError, match="data/raw is never written"):
        build(raw_dir=raw_copy, processed_dir=raw_copy / "processed")


def test_missing_raw_dir(tmp_path):
    with pytest.raises(InputDataError, match="does not exist"):
        build(raw_dir=tmp_path / "nope", processed_dir=tmp_path / "out")


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_xlsx_and_parquet_inputs_give_the_same_table(
    raw_copy, tmp_path, small_processed_dir, suffix
):
    source = raw_copy / "published" / "key_questions.csv"
    frame = pd.read_csv(source)
    if suffix == ".xlsx":
        frame.to_excel(source.with_suffix(suffix), index=False)
    else:
        frame.to_parquet(source.with_suffix(suffix), index=False)
    source.unlink()
    build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
    got = pd.read_parquet(tmp_path / "out" / "published_key_questions.parquet")
    want = pd.read_parquet(small_processed_dir / "published_key_questions.parquet")
    pd.testing.assert_frame_equal(got, want)


def test_committed_raw_data_builds(tmp_path):
    """`make data` on the committed raw data: builds with only the documented warnings."""
    report = build(raw_dir=config.RAW_DIR, processed_dir=tmp_path / "processed")
    cases = pd.read_csv(config.RAW_DIR / "synthetic" / "cases.csv", usecols=["case_id"])
    assert report.rows["cases"] == len(cases)
    assert 108 * 20 <= len(cases) <= 108 * 80  # 20-80 cases in each of the 108 PDUs
    assert report.rows["published_key_questions"] == 12
    assert report.rows["reference"] == 113
    factors = pd.read_csv(config.RAW_DIR / "synthetic" / "factors.csv")
    assert report.rows["factors"] == len(factors) > len(cases)
    documented = {
        "adds_up",
        "matches_reference_pdu",
        "round_covered",  # Yorkshire and the Humber 2024: 10 of 11 PDU reports listed
        "whole_points",  # youth scrape: Ceredigion's score is not whole points of 36
        "corrected",  # youth scrape: three cells corrected from the Inspectorate's pages
        "service_name",  # youth scrape: a report title as a service name
        "record_matches_stated_total",  # stated totals the record does not reach (Hull, ...)
        "standards_reliable",  # youth scrape: standard columns unreliable
        "score_maximum_known",  # East and West Lincolnshire 2025: 2/25
        "score_matches_ratings",
        "wording_matches_count",  # York 2024: 'few' cases, but 14 of 19
    }
    assert set(report.warnings["check"]) <= documented
    # East and West Lincolnshire 2025: '2/25' as reported; seven ratings sum to 2 out of 21
    scores = report.warnings[report.warnings["check"].str.startswith("score_")]
    assert set(scores["value"]) == {"2/25"} and len(scores) == 2
    # North East 292; East Midlands 330; York 8 vs 3 + 6
    assert (report.warnings["check"] == "adds_up").sum() == 3


def test_the_summary_calls_a_table_synthetic_only_when_its_datasets_are(raw_copy, tmp_path):
    from tests.runs.test_disclosure_leaks import PDUS, write_tiny

    write_tiny(raw_copy, "tiny-real", "real")  # beside the synthetic sample: one cases table
    mixed = build(raw_dir=raw_copy, processed_dir=tmp_path / "mixed")
    lines = {line.split()[0]: line for line in repr(mixed).splitlines()[1:]}
    n_real = sum(n for _, _, n, _, _ in PDUS)
    assert "(SYNTHETIC)" not in lines["cases"] and f"({n_real} real, " in lines["cases"]
    assert "(SYNTHETIC)" in lines["truth"]  # the generator's truth: synthetic rows only
    assert mixed.table_kinds["cases"]["real"] == n_real
    shutil.rmtree(raw_copy / "synthetic")  # the real dataset alone: never called synthetic
    real = build(raw_dir=raw_copy, processed_dir=tmp_path / "real")
    text = repr(real)
    assert "SYNTHETIC" not in text and "dataset 'tiny-real': REAL" in text
    assert "(real)" in [line for line in text.splitlines() if line.split()[0] == "cases"][0]
