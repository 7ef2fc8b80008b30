"""analysis.data.validate: every raw file read, parsed and validated at once, nothing written.

A small raw folder is made once (and afresh where a test changes it): the committed reference
list and York's published key questions, plus the York dataset ``write_york`` makes (20
real-looking cases whose answers give York 2024's published percentages: assessment keeping
safe 25%, so 5 of 20 yes).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.data.schemas import CASE_COLUMNS
from analysis.data.validate import sha256_file, validate_raw
from analysis.exceptions import InputDataError
from tests.conftest import tree_digest
from tests.data.helpers import write_york

KQ = "published/key_questions.csv"


def york_raw(folder: Path, dataset: bool = True) -> Path:
    raw = folder / "raw"
    shutil.copytree(config.RAW_DIR / "reference", raw / "reference")
    (raw / "published").mkdir()
    shutil.copy(config.RAW_DIR / KQ, raw / KQ)
    if dataset:
        write_york(raw)
    return raw


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """(raw folder, its digest before, tables, inputs, problems) of one validation."""
    raw = york_raw(tmp_path_factory.mktemp("validate"))
    before = tree_digest(raw)
    return (raw, before, *validate_raw(raw))


def errors(problems: list[dict]) -> list[tuple]:
    return sorted((p["file"], p["check"]) for p in problems if p["severity"] == "error")


def test_sha256_of_a_file_or_none(tmp_path):
    """The digest of b'abc' is the first example of FIPS 180-2."""
    (tmp_path / "abc.csv").write_bytes(b"abc")
    assert sha256_file(tmp_path / "abc.csv") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert sha256_file(tmp_path / "missing.csv") is None
    assert sha256_file(tmp_path) is None  # a folder cannot be read


def test_a_missing_raw_folder_is_refused(tmp_path):
    missing = tmp_path / "nope"
    words = (
        f"Raw data folder {missing} does not exist. Run `analysis simulate` or restore data/raw."
    )
    with pytest.raises(InputDataError, match=f"^{re.escape(words)}$"):
        validate_raw(missing)


def test_a_dataset_is_read_checked_and_labelled(validated):
    _, _, tables, _, problems = validated
    assert [(info.name, info.kind) for info in tables["datasets"]] == [("york-2024", "real")]
    cases = tables["cases"]
    assert list(cases.columns) == [*CASE_COLUMNS, "dataset"]
    assert len(cases) == 20 and set(cases["dataset"]) == {"york-2024"}
    assert (cases["assessment_keeping_safe"] == "yes").sum() == 5
    assert cases["rosh"].dtype == pd.CategoricalDtype(
        ["low", "medium", "high", "very_high"], ordered=True
    )
    assert tables["units"]["caseload"].tolist() == [543]
    assert len(tables["reference"]) == 113 and len(tables["published_key_questions"]) == 12
    assert not [p for p in problems if p["file"].startswith("datasets/")]


def test_every_required_table_missing_is_named_at_once(validated):
    problems = validated[-1]
    assert errors(problems) == [
        ("data/raw/published/figures.csv", "file_present"),
        ("data/raw/published/offending_factors_2013.csv", "file_present"),
        ("data/raw/published/published_ratings.csv", "file_present"),
        ("data/raw/published/youth_justice_ratings.csv", "file_present"),
    ]


def test_each_file_read_is_recorded_with_its_rows_and_digest(validated):
    raw, _, _, inputs, _ = validated
    recorded = {entry["file"]: entry for entry in inputs}
    cases = raw / "datasets" / "york-2024" / "cases.csv"
    assert recorded["datasets/york-2024/cases.csv"] == {
        "file": "datasets/york-2024/cases.csv",
        "table": "cases",
        "rows": 20,
        "sha256": hashlib.sha256(cases.read_bytes()).hexdigest(),
    }
    assert recorded[KQ]["rows"] == 12 and recorded[KQ]["table"] == "published_key_questions"


def test_nothing_is_written(validated):
    raw, before, *_ = validated
    assert tree_digest(raw) == before
    assert sorted(p.name for p in raw.parent.iterdir()) == ["raw"]


def test_a_misspelt_column_is_named_once_and_an_unknown_one_ignored(tmp_path):
    raw = york_raw(tmp_path, dataset=False)
    frame = pd.read_csv(raw / KQ, dtype=str, keep_default_na=False)
    frame = frame.rename(columns={"pct_yes": "pct_yse"}).assign(comments="checked")
    frame.to_csv(raw / KQ, index=False, lineterminator="\n")
    _, _, problems = validate_raw(raw)
    mine = [(p["column"], p["check"], p["severity"]) for p in problems if p["file"] == KQ]
    assert mine == [
        ("pct_yes", "column_present", "error"),
        ("comments", "column_known", "warning"),  # 'pct_yse' is the suggestion, not unknown
    ]
