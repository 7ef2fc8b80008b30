"""analysis.data.datasets: loaders return the validated processed tables, filtered and flagged."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import datasets, schemas
from analysis.exceptions import InputDataError


def test_load_cases_contract(small_processed_dir):
    cases = datasets.load_cases(processed_dir=small_processed_dir)
    assert tuple(cases.columns) == schemas.CASE_COLUMNS
    assert cases.attrs["synthetic"] is True
    assert cases["case_id"].is_unique


def test_region_filter_matches_names_tolerantly(small_processed_dir):
    ne = datasets.load_cases(region="north east", processed_dir=small_processed_dir)
    assert set(ne["region"].astype(str)) == {"North East"}
    assert len(ne) == 7 * 6  # seven PDUs in the North East (reference list; seed 001)
    assert list(ne["region"].cat.categories) == ["North East"]
    assert ne.attrs["synthetic"] is True


def test_unknown_region_suggests(small_processed_dir):
    with pytest.raises(InputDataError, match="Did you mean 'Yorkshire and the Humber'"):
        datasets.load_cases(region="Yorkshire", processed_dir=small_processed_dir)


def test_unit_tables(small_processed_dir):
    units = datasets.load_units(processed_dir=small_processed_dir)
    assert len(units) == 108 and units["vacancy_rate"].between(0, 1).all()
    ratings = datasets.load_unit_ratings(region="Wales", processed_dir=small_processed_dir)
    assert set(ratings["standard"].astype(str)) == {"leadership", "staffing", "services"}
    assert len(ratings) == 3 * 6


def test_published_tables_are_real_and_sourced(small_processed_dir):
    kq = datasets.load_published_key_questions(processed_dir=small_processed_dir)
    assert list(kq.columns[:8]) == [
        "region",
        "unit",
        "standard",
        "area",
        "key_question",
        "pct_yes",
        "n",
        "source",
    ]
    assert kq.attrs.get("synthetic") is not True
    york = kq.set_index("key_question")["pct_yes"]
    # York PDU 2024 published table (seed 003; domain.md §3)
    assert (
        york["assessment_keeping_safe"] == 25
        and york["implementation_and_delivery_keeping_safe"] == 20
    )
    assert kq["source"].str.startswith("published: ").all()
    ratings = datasets.load_published_ratings(
        region="Yorkshire and the Humber", processed_dir=small_processed_dir
    )
    assert "York" in set(ratings["pdu"].dropna())
    figures = datasets.load_published_figures(processed_dir=small_processed_dir)
    assert figures.set_index("figure_id").loc["york24-caseload", "value"] == 543


def test_reference_and_regions(small_processed_dir):
    assert len(datasets.regions(processed_dir=small_processed_dir)) == 12
    ref = datasets.load_reference(processed_dir=small_processed_dir)
    assert (ref["unit_type"] == "geographic").sum() == 108


def test_load_factors(small_processed_dir):
    factors = datasets.load_factors(processed_dir=small_processed_dir)
    assert list(factors.columns) == [
        "case_id",
        "region",
        "pdu",
        "factor",
        "sufficient_intervention",
        "sufficient_progress",
        "source",
    ]
    assert factors.attrs["synthetic"] is True
    assert list(factors["factor"].cat.categories) == list(schemas.OFFENDING_FACTORS)
    assert factors["sufficient_progress"].dtype == "boolean"
    cases = datasets.load_cases(processed_dir=small_processed_dir)
    assert set(factors["case_id"]) <= set(cases["case_id"])
    wales = datasets.load_factors(region="wales", processed_dir=small_processed_dir)
    assert set(wales["region"].astype(str)) == {"Wales"} and wales.attrs["synthetic"] is True
    assert len(wales) == (factors["region"] == "Wales").sum()
    with pytest.raises(InputDataError, match="Did you mean 'North East'"):
        datasets.load_factors(region="North Eats", processed_dir=small_processed_dir)


def test_truth_is_flagged_synthetic(small_processed_dir):
    truth = datasets.load_truth(processed_dir=small_processed_dir)
    assert truth.attrs["synthetic"] is True
    assert set(truth["outcome"]) >= set(schemas.OUTCOMES)


def test_copies_are_independent(small_processed_dir):
    a = datasets.load_cases(processed_dir=small_processed_dir)
    a.loc[0, "case_id"] = "changed"
    b = datasets.load_cases(processed_dir=small_processed_dir)
    assert b.loc[0, "case_id"] != "changed"


def test_not_built_yet(tmp_path):
    with pytest.raises(InputDataError, match="run `analysis build`"):
        datasets.load_cases(processed_dir=tmp_path)


def test_manifest(small_processed_dir):
    assert (
        datasets.manifest(processed_dir=small_processed_dir)["schema_version"]
        == schemas.SCHEMA_VERSION
    )


def test_rebuild_is_picked_up(processed_copy):
    first = datasets.load_units(processed_dir=processed_copy)
    changed = pd.read_parquet(processed_copy / "units.parquet").head(3)
    changed.to_parquet(processed_copy / "units.parquet", index=False)
    import os

    os.utime(processed_copy / "units.parquet", (1, 1))
    assert len(datasets.load_units(processed_dir=processed_copy)) == 3
    assert isinstance(first, pd.DataFrame)
