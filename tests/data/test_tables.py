"""analysis.data.tables: which raw files feed each processed table, in build order.

The columns each table reads are checked against the headers of the committed raw files
(data/raw/), read here with the csv module.
"""

from __future__ import annotations

import csv

import pytest

from analysis import config
from analysis.data.metadata import DATASET_TABLES
from analysis.data.tables import DATASET_COLUMN, DERIVED_COLUMNS, TABLES


def header(name: str) -> list[str]:
    table = TABLES[name]
    base = config.SYNTHETIC_DIR if table.per_dataset else config.RAW_DIR
    with open(base / f"{table.patterns[0]}.csv", encoding="utf-8-sig", newline="") as handle:
        return [column.replace("%", "pct") for column in next(csv.reader(handle))]


@pytest.mark.parametrize("name", list(TABLES))
def test_each_table_reads_the_columns_of_its_committed_file_in_order(name):
    derived = DERIVED_COLUMNS.get(name, ())
    assert header(name) == [c for c in TABLES[name].columns if c not in derived]


def test_derived_columns_are_columns_of_their_tables():
    assert set(DERIVED_COLUMNS) == {"published_ratings", "youth_justice_ratings"}
    for name, derived in DERIVED_COLUMNS.items():
        assert set(derived) <= set(TABLES[name].columns), name


def test_tables_come_in_the_order_the_build_matches_them():
    order = list(TABLES)
    assert order[:2] == ["reference", "pdu_aliases"]  # every unit name is matched to these
    assert order.index("cases") < order.index("factors")  # factors link to their cases
    assert order.index("youth_justice_corrections") < order.index("youth_justice_ratings")
    assert order.index("published_totals") > max(
        order.index("published_ratings"), order.index("youth_justice_ratings")
    )  # stated totals are reconciled against the record


def test_case_level_tables_are_the_datasets_and_may_be_left_out():
    per_dataset = {name for name, table in TABLES.items() if table.per_dataset}
    assert per_dataset == set(DATASET_TABLES)
    optional = {name for name, table in TABLES.items() if not table.required}
    assert optional == per_dataset | {"youth_justice_corrections", "published_totals"}
    assert DATASET_COLUMN == "dataset"


def test_case_level_files_may_be_split_across_a_folder():
    for name in ("cases", "units", "unit_ratings", "factors"):
        assert TABLES[name].patterns == (name, f"{name}/*")
    assert TABLES["truth"].patterns == ("truth",)
