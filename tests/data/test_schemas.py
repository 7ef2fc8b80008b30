"""analysis.data.schemas: the pandera models accept the processed tables and reject broken ones."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from analysis import frameworks
from analysis.data import schemas, tables


@pytest.mark.parametrize("name", list(tables.TABLES))
def test_model_accepts_processed_table(small_processed_dir, name):
    frame = pd.read_parquet(small_processed_dir / f"{name}.parquet")
    if tables.TABLES[name].per_dataset:
        assert frame.columns[-1] == tables.DATASET_COLUMN
        frame = frame.drop(columns=[tables.DATASET_COLUMN])
    tables.TABLES[name].model.validate(frame, lazy=True)


def test_case_columns_follow_the_contract():
    fw = frameworks.get("pdu-2023")
    cols = schemas.CASE_COLUMNS
    assert cols[:13] == (
        "case_id", "inspection_id", "framework", "region", "region_code", "pdu", "pdu_code",
        "fieldwork_start", "sentence_type", "rosh", "gender", "age_band", "ethnicity_group",
    )  # fmt: skip
    assert cols[13:25] == fw.key_question_ids
    assert cols[25:31] == schemas.OUTCOMES
    assert cols[-1] == "source"
    assert tables.TABLES["cases"].columns == cols


def test_case_model_rejects_bad_values_all_at_once(small_processed_dir):
    cases = pd.read_parquet(small_processed_dir / "cases.parquet").head(4).copy()
    cases.loc[1, "case_id"] = cases.loc[0, "case_id"]
    cases["rosh"] = cases["rosh"].cat.add_categories("extreme")
    cases.loc[2, "rosh"] = "extreme"
    with pytest.raises(pa.errors.SchemaErrors) as info:
        schemas.CaseRecords.validate(cases, lazy=True)
    checks = set(info.value.failure_cases["check"].astype(str))
    assert "field_uniqueness" in checks
    assert any(c.startswith("isin") for c in checks)


def test_factor_model_rejects_duplicates_and_unknown_factors(small_processed_dir):
    factors = pd.read_parquet(small_processed_dir / "factors.parquet").head(4).copy()
    factors.loc[1, ["case_id", "factor"]] = factors.loc[0, ["case_id", "factor"]]
    factors["factor"] = factors["factor"].cat.add_categories("astrology")
    factors.loc[2, "factor"] = "astrology"
    with pytest.raises(pa.errors.SchemaErrors) as info:
        schemas.CaseFactors.validate(factors, lazy=True)
    checks = set(info.value.failure_cases["check"].astype(str))
    assert "multiple_fields_uniqueness" in checks
    assert any(c.startswith("isin") for c in checks)


def test_rating_dtype_is_ordered_worst_first():
    dtype = schemas.CATEGORY_DTYPES["rating"]
    assert dtype.ordered and list(dtype.categories) == list(reversed(frameworks.RATINGS))
    ratings = pd.Series(["Good", "Inadequate"], dtype=dtype)
    assert (ratings < "Good").tolist() == [False, True]


def test_ordered_case_mix_categories(small_processed_dir):
    cases = pd.read_parquet(small_processed_dir / "cases.parquet")
    assert cases["rosh"].cat.ordered and list(cases["rosh"].cat.categories) == list(
        schemas.ROSH_LEVELS
    )
    assert cases["age_band"].cat.ordered
    for kq in schemas.KEY_QUESTION_COLUMNS:
        assert list(cases[kq].cat.categories) == ["yes", "no", "not_applicable"]
    for outcome in schemas.OUTCOMES:
        assert cases[outcome].dtype == "boolean"
    assert cases["fieldwork_start"].dtype == "datetime64[ns]"
