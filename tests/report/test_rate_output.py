"""analysis.report.rate_output: what ``analysis rate`` writes, from a stand-in rating result.

The stand-in has the tables and methods of :class:`analysis.ratings.table.TableRating` that the
writer uses; the expected CSV text (four decimals, formula-safe cells) is written out by hand.
The command's own output is tested in tests/ratings/test_rate_output.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.report.rate_output import FORMATS, is_folder, rating_text, write_rating_tables


@pytest.fixture
def result():
    tidy = pd.DataFrame({"unit": ["=York"], "standard": ["assessment"], "pct_yes": [41.666666]})
    return SimpleNamespace(
        tidy=lambda: tidy,
        to_json_dict=lambda: {"units": [{"unit": "York", "rating": "Inadequate"}]},
        to_text=lambda: "York: Inadequate",
        standards=pd.DataFrame({"unit": ["York"], "rating": ["Inadequate"]}),
        overall=pd.DataFrame({"unit": ["York"], "overall_rating": ["+Inadequate"]}),
        comparison=pd.DataFrame({"unit": [], "agrees": []}),
    )


def test_the_three_formats_end_in_a_newline(result):
    assert FORMATS == ("table", "csv", "json")
    assert rating_text(result, "table") == "York: Inadequate\n"
    assert rating_text(result, "csv") == "unit,standard,pct_yes\n'=York,assessment,41.6667\n"
    text = rating_text(result, "json")
    assert text.endswith("}\n") and json.loads(text) == result.to_json_dict()
    assert text.startswith('{\n  "units": [')  # indented by two


def test_out_names_a_folder_when_it_exists():
    assert is_folder(Path.cwd())
    assert not is_folder(Path("no-such-folder") / "ratings.csv")


def test_out_ending_in_a_separator_names_a_folder_not_made_yet():
    assert is_folder("no-such-folder/")
    assert not is_folder("no-such-folder")


def test_one_safe_csv_per_table_in_a_folder_made_on_the_way(tmp_path, result):
    folder = tmp_path / "out" / "ratings"
    paths = write_rating_tables(result, folder)
    assert [p.name for p in paths] == [
        "ratings.csv",
        "standards.csv",
        "overall.csv",
        "comparison.csv",
    ]
    assert all(p.parent == folder for p in paths)
    assert (folder / "ratings.csv").read_text(encoding="utf-8") == rating_text(result, "csv")
    assert (folder / "overall.csv").read_text(
        encoding="utf-8"
    ) == "unit,overall_rating\nYork,'+Inadequate\n"
    assert (folder / "comparison.csv").read_text(encoding="utf-8") == "unit,agrees\n"
    assert not list(folder.glob(".*.tmp"))
