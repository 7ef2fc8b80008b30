"""The documented real-data path, end to end: a real dataset is read alone, labelled real, and
never pooled with the synthetic sample (catalogue section 'Data and build', D-38 to D-58)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from analysis import ratings
from analysis.data import available_datasets, datasets, is_synthetic, provenance
from analysis.exceptions import InputDataError
from tests.conftest import tree_digest
from tests.data.helpers import YORK, failing, one, passing, published_york, write_york


def _york_pcts(cases: pd.DataFrame) -> dict[str, float]:
    kq = ratings.key_question_scores(cases, "pdu-2023", by="pdu")
    return dict(zip(kq["key_question"].astype(str), kq["pct_yes"], strict=True))


def test_real_dataset_alone_gives_reports_on_those_data(raw_copy, tmp_path):
    """D-57: only real data present (the synthetic sample removed)."""
    shutil.rmtree(raw_copy / "synthetic")
    write_york(raw_copy)
    out = tmp_path / "processed"
    report = passing(raw_copy, out)
    assert report.datasets == {"york-2024": "real"} and report.synthetic_tables == []
    assert [(d.name, d.kind) for d in available_datasets(out)] == [("york-2024", "real")]
    cases = datasets.load_cases(processed_dir=out)
    assert len(cases) == 20 and set(cases["pdu"].astype(str)) == {"York"}
    assert cases.attrs == {"dataset": "york-2024", "dataset_kind": "real", "synthetic": False}
    assert not is_synthetic(cases) and provenance.dataset_kind(cases) == "real"
    # the percentages computed from the loaded cases are York 2024's published ones
    assert _york_pcts(cases) == published_york(raw_copy)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["synthetic"] is False
    assert manifest["datasets"]["york-2024"]["kind"] == "real"
    assert manifest["datasets"]["york-2024"]["rows"]["cases"] == 20


def test_real_and_synthetic_datasets_are_kept_apart(raw_copy, tmp_path):
    """D-54, D-57: with the synthetic sample present, each dataset is read alone."""
    write_york(raw_copy)
    out = tmp_path / "processed"
    report = passing(raw_copy, out)
    assert report.datasets == {"synthetic": "synthetic", "york-2024": "real"}
    with pytest.raises(InputDataError, match="Several datasets were built; choose one") as info:
        datasets.load_cases(processed_dir=out)
    assert "'synthetic' (synthetic), 'york-2024' (real)" in str(info.value)
    real = datasets.load_cases(
        region="Yorkshire and the Humber", processed_dir=out, dataset="york-2024"
    )  # noqa: E501
    york_real = real[real["pdu"] == "York"]
    assert len(york_real) == 20 and not is_synthetic(real)
    assert _york_pcts(york_real) == published_york(raw_copy)  # no synthetic row mixed in
    synth = datasets.load_cases(processed_dir=out, dataset="synthetic")
    assert len(synth) == 108 * 6 and is_synthetic(synth)
    assert synth.attrs["dataset_kind"] == "synthetic" and synth.attrs["synthetic"] is True
    assert not set(synth["case_id"]) & set(real["case_id"])
    units = datasets.load_units(processed_dir=out, dataset="york-2024")
    assert units["pdu"].astype(str).tolist() == ["York"] and units.attrs["dataset"] == "york-2024"
    factors = datasets.load_factors(processed_dir=out, dataset="york-2024")
    assert len(factors) == 0 and factors.attrs["dataset_kind"] == "real"
    rated = ratings.rate(
        york_real,
        by="pdu",
        other_ratings=datasets.load_unit_ratings(processed_dir=out, dataset="york-2024"),
    )
    # York PDU 2024 as published: 3/21, Inadequate (data/raw/published/published_ratings.csv)
    overall = rated.overall.iloc[0]
    assert overall["overall_score"] == 3 and overall["overall_rating"] == "Inadequate"


def test_published_tables_are_marked_real(small_processed_dir):
    kq = datasets.load_published_key_questions(processed_dir=small_processed_dir)
    assert kq.attrs["dataset_kind"] == "real" and kq.attrs["synthetic"] is False
    ref = datasets.load_reference(processed_dir=small_processed_dir)
    assert ref.attrs == {"dataset": "reference", "dataset_kind": "real", "synthetic": False}


def test_unknown_dataset_name_suggests(small_processed_dir):
    """D-55."""
    with pytest.raises(
        InputDataError, match="Unknown dataset 'synthtic'. Did you mean 'synthetic'"
    ):
        datasets.load_cases(processed_dir=small_processed_dir, dataset="synthtic")


def test_processed_data_from_before_datasets_asks_for_a_rebuild(processed_copy):
    """D-56: a build from older code (no datasets in the manifest, no dataset column)."""
    manifest = json.loads((processed_copy / "manifest.json").read_text())
    del manifest["datasets"]
    (processed_copy / "manifest.json").write_text(json.dumps(manifest))
    before = tree_digest(processed_copy)
    with pytest.raises(InputDataError, match="built before datasets were recorded. Run `analysis"):
        datasets.load_cases(processed_dir=processed_copy)
    assert tree_digest(processed_copy) == before


def test_legacy_case_folder_is_refused_not_pooled(raw_copy, processed_copy):
    """D-38: real case files dropped in the old data/raw/cases/ would have been pooled."""
    folder = write_york(raw_copy, name="tmp")
    (raw_copy / "cases").mkdir()
    shutil.move(folder / "cases.csv", raw_copy / "cases" / "york.csv")
    shutil.rmtree(folder)
    rows = one(failing(raw_copy, processed_copy), "in_a_dataset")
    assert rows["file"].tolist() == ["cases/york.csv"]
    assert "data/raw/datasets/<name>/ with a dataset.toml" in rows["expected"].iloc[0]
    assert "datasets present: 'synthetic' (synthetic)" in rows["expected"].iloc[0]


def test_real_rows_saying_synthetic_are_an_error(raw_copy, processed_copy):
    """D-48."""
    write_york(raw_copy, source="synthetic")
    rows = one(failing(raw_copy, processed_copy), "source_matches_kind")
    assert set(rows["file"]) == {
        "datasets/york-2024/cases.csv",
        "datasets/york-2024/units.csv",
        "datasets/york-2024/unit_ratings.csv",
    }  # noqa: E501
    first = rows[rows["file"].str.endswith("cases.csv")].iloc[0]
    assert first["row"] == 2 and first["value"] == "synthetic"
    assert "declares 'york-2024' real but these rows say synthetic" in first["expected"]
    assert first["expected"].endswith("(20 rows)")


def test_relabelled_synthetic_sample_stays_synthetic(raw_copy, tmp_path):
    """D-49: the synthetic files' source changed to 'simulated': still synthetic, with a note."""
    path = raw_copy / "synthetic" / "cases.csv"
    path.write_text(path.read_text().replace(",synthetic\n", ",simulated\n"))
    out = tmp_path / "processed"
    report = passing(raw_copy, out)
    rows = one(report.warnings, "source_matches_kind")
    assert rows["file"].tolist() == ["synthetic/cases.csv"]
    assert (
        "the rows are treated as synthetic whatever their source says" in rows["expected"].iloc[0]
    )
    cases = datasets.load_cases(processed_dir=out)
    assert set(cases["source"].astype(str)) == {"simulated"}
    assert is_synthetic(cases) and cases.attrs["dataset_kind"] == "synthetic"
    assert provenance.data_source(cases) == "synthetic"


def test_truth_in_a_real_dataset_is_an_error(raw_copy, processed_copy):
    """D-50."""
    folder = write_york(raw_copy)
    shutil.copy(raw_copy / "synthetic" / "truth.csv", folder / "truth.csv")
    rows = one(failing(raw_copy, processed_copy), "truth_is_synthetic")
    assert rows["file"].tolist() == ["datasets/york-2024/truth.csv"]
    assert "only in a synthetic dataset" in rows["expected"].iloc[0]


def test_case_in_two_datasets_names_both(raw_copy, processed_copy):
    """D-51: a real dataset holding a copy of a synthetic case."""
    folder = write_york(raw_copy)
    synthetic_id = pd.read_csv(raw_copy / "synthetic" / "cases.csv")["case_id"].iloc[0]
    text = (folder / "cases.csv").read_text().replace("YRK24-001", synthetic_id)
    (folder / "cases.csv").write_text(text)
    rows = one(failing(raw_copy, processed_copy), "case_in_one_dataset")
    assert set(rows["file"]) == {"synthetic/cases.csv", "datasets/york-2024/cases.csv"}
    assert "datasets 'synthetic' and 'york-2024' both hold this case" in rows["expected"].iloc[0]


def test_york_dataset_matches_the_reference(raw_copy, tmp_path):
    """The test dataset itself is consistent with the reference list (a sanity check)."""
    ref = pd.read_csv(raw_copy / "reference" / "regions_pdus.csv")
    york = ref[ref["pdu"] == YORK["pdu"]].iloc[0]
    assert york["region"] == YORK["region"] and york["region_code"] == YORK["region_code"]
