"""analysis.data.published_schemas: the youth scrape, its corrections and the stated totals.

That each model accepts its processed table is tested with every model in
tests/data/test_schemas.py; here, that each rejects what it must, every failure at once.
"""

from __future__ import annotations

import csv

import pandas as pd
import pandera.pandas as pa
import pytest

from analysis import config
from analysis.data.published_schemas import (
    YOUTH_CORRECTABLE,
    YOUTH_STANDARD_COLUMNS,
    PublishedTotals,
    YouthJusticeCorrections,
    YouthJusticeRatings,
)

PUBLISHED = config.RAW_DIR / "published"


def first_rows(processed, name: str, n: int = 3) -> pd.DataFrame:
    return pd.read_parquet(processed / f"{name}.parquet").head(n).copy()


def failed_checks(model, frame: pd.DataFrame) -> set[tuple[str, str]]:
    with pytest.raises(pa.errors.SchemaErrors) as info:
        model.validate(frame, lazy=True)
    cases = info.value.failure_cases
    return set(zip(cases["column"].astype(str), cases["check"].astype(str), strict=True))


def test_the_standard_columns_are_the_scrapes_as_headed():
    with open(PUBLISHED / "youth_justice_ratings.csv", encoding="utf-8-sig", newline="") as handle:
        scraped = next(csv.reader(handle))
    assert scraped[6:] == list(YOUTH_STANDARD_COLUMNS)
    columns = YouthJusticeRatings.to_schema().columns
    assert set(YOUTH_STANDARD_COLUMNS) <= set(columns)


def test_corrections_only_correct_columns_that_may_be_corrected():
    assert YOUTH_CORRECTABLE == ("overall_rating", "score_pct")
    with open(PUBLISHED / "youth_justice_corrections.csv", encoding="utf-8", newline="") as handle:
        corrected = {row["corrected_column"] for row in csv.DictReader(handle)}
    assert corrected <= set(YOUTH_CORRECTABLE)


def changed(frame: pd.DataFrame, changes: dict) -> pd.DataFrame:
    """``frame`` with ``{(row, column): value}`` set, a category added where one is needed."""
    for (row, name), value in changes.items():
        values = frame[name]
        if isinstance(values.dtype, pd.CategoricalDtype) and value not in values.cat.categories:
            frame[name] = values.cat.add_categories(value)
        frame.loc[row, name] = value
    return frame


@pytest.mark.parametrize(
    ("name", "model", "changes", "checks"),
    [
        (
            "youth_justice_ratings",
            YouthJusticeRatings,
            {
                (0, "score_points"): 37.0,  # more than 36
                (1, "score_pct"): 101.0,
                (2, "la_ref"): "newcastleyjs",  # the first row's, as scraped
                (1, "rating"): "Satisfactory",
            },
            {
                ("score_points", "less_than_or_equal_to(36)"),
                ("score_pct", "less_than_or_equal_to(100)"),
                ("la_ref", "field_uniqueness"),
                ("rating", "isin(('Outstanding', 'Good', 'Requires improvement', 'Inadequate'))"),
            },
        ),
        (
            "published_totals",
            PublishedTotals,
            {(0, "period_start"): "2024/25", (1, "stated_count"): -1, (2, "table"): "youth"},
            {
                ("period_start", r"str_matches('^\d{4}(-\d{2})?$')"),
                ("stated_count", "greater_than_or_equal_to(0)"),
                ("table", "isin(('published_ratings', 'youth_justice_ratings'))"),
            },
        ),
        (
            "youth_justice_corrections",
            YouthJusticeCorrections,
            # rows 0 and 1 both correct an overall_rating (west-sussex-yjs, portsmouth-yot)
            {(1, "la_ref"): "west-sussex-yjs", (2, "corrected_column"): "rating"},
            {
                ("la_ref", "multiple_fields_uniqueness"),
                ("corrected_column", "multiple_fields_uniqueness"),
                ("corrected_column", "isin(('overall_rating', 'score_pct'))"),
            },
        ),
    ],
    ids=["youth", "totals", "corrections"],
)
def test_each_model_rejects_every_broken_value_at_once(
    small_processed_dir, name, model, changes, checks
):
    frame = changed(first_rows(small_processed_dir, name), changes)
    assert failed_checks(model, frame) == checks
