"""What `analysis rate` writes for programs: one tidy CSV, a folder of CSVs, documented JSON."""

import io
import json
import re

import pandas as pd
import pytest

from analysis import cli, config

YORK = config.PROJECT_ROOT / "examples" / "york-2024.csv"
RATINGS_ONLY = YORK.with_name("york-2024-ratings-only.csv")
DOC = config.PROJECT_ROOT / "docs" / "ratings.md"


def _csv(capsys, path=YORK) -> pd.DataFrame:
    assert cli.main(["rate", str(path), "--format", "csv"]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


def _documented() -> tuple[dict[str, list[str]], list[str]]:
    """The column lists ("columns of NAME: ...") and the JSON keys table of docs/ratings.md."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## What `analysis rate` writes", 1)[1].split("\n## ", 1)[0]
    columns = {}
    for match in re.finditer(r"^columns of (\w+): (.+?)(?:\n\n|\Z)", section, re.M | re.S):
        columns[match.group(1)] = [c.strip() for c in match.group(2).split(",")]
    keys = re.findall(r"^\| `(\w+)` \|", section, re.M)
    return columns, keys


def test_csv_is_one_table_with_everything_the_text_says(capsys):
    table = _csv(capsys)
    # one header: no row repeats the column names (the old output had a second header)
    assert not (table["unit"] == "unit").any()
    york = table.set_index("standard")
    assert set(table["unit"]) == {"York"}
    assert list(table["standard"]) == [
        "leadership",
        "staffing",
        "services",
        "assessment",
        "planning",
        "implementation_and_delivery",
        "reviewing",
        "overall",
    ]
    for case_standard in ("assessment", "planning", "implementation_and_delivery", "reviewing"):
        assert york.loc[case_standard, "rating"] == "Inadequate"
        assert york.loc[case_standard, "published_rating"] == "Inadequate"
        assert york.loc[case_standard, "status"] == "agrees"
        assert york.loc[case_standard, "n_applicable"] == 20
    assert york.loc["assessment", "lowest_pct_given"] == "25%"  # as written in the file
    overall = york.loc["overall"]
    assert (overall["rating"], overall["overall_score"], overall["max_score"]) == (
        "Inadequate",
        3,
        21,
    )
    # the CSV holds the probability the text prints ("Overall: ... (probability NN%")
    assert cli.main(["rate", str(YORK)]) == 0
    printed = re.search(r"^Overall: .*\(probability (\d+)%", capsys.readouterr().out, re.M)
    assert round(100 * overall["p_computed"]) == int(printed.group(1)) > 90
    # the leadership departure, which the old CSV left out
    leadership = york.loc["leadership"]
    assert leadership["status"] == "departure"
    assert bool(leadership["departure_from_guidance"]) is True
    assert leadership["published_rating"] == "Requires improvement"
    assert leadership["guidance_rating"] == "Inadequate"
    assert "would normally indicate Inadequate" in leadership["note"]
    assert table["departure_from_guidance"].sum() == 1
    assert not table["differs_from_published"].any()
    # the bands line of the text output
    assert set(table["rating_bands"]) == {
        "Outstanding from 80%, Good from 65%, Requires improvement from 50%, Inadequate from 0%"
    }
    assert set(table["bands_confirmed"]) == {False}


def test_csv_marks_a_difference_as_a_column(tmp_path, capsys):
    changed = tmp_path / "york.csv"
    changed.write_text(
        YORK.read_text(encoding="utf-8").replace(
            "York,Planning,engagement,70,20,Inadequate", "York,Planning,engagement,70,20,Good"
        ),
        encoding="utf-8",
    )
    table = _csv(capsys, changed).set_index("standard")
    assert bool(table.loc["planning", "differs_from_published"]) is True
    assert table.loc["planning", "published_rating"] == "Good"
    assert table["differs_from_published"].sum() == 1


def test_csv_of_published_ratings_only_carries_the_note(capsys):
    table = _csv(capsys, RATINGS_ONLY)
    assert table.loc[table["standard"] == "overall", "basis"].item() == (
        "published standard ratings"
    )
    assert table["table_notes"].str.contains("no key-question percentages").all()


def test_csv_into_a_folder_writes_one_file_per_table(tmp_path, capsys):
    out = tmp_path / "york"
    out.mkdir()
    assert cli.main(["rate", str(YORK), "--format", "csv", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["comparison.csv", "overall.csv", "ratings.csv", "standards.csv"]
    assert len(pd.read_csv(out / "standards.csv")) == 4
    assert pd.read_csv(out / "overall.csv")["overall_score"].tolist() == [3]
    assert "departure" in set(pd.read_csv(out / "comparison.csv")["status"])
    assert len(pd.read_csv(out / "ratings.csv")) == 8


def test_out_ending_in_a_separator_makes_the_folder(tmp_path, capsys):
    out = tmp_path / "new"
    assert cli.main(["rate", str(YORK), "--format", "csv", "--out", f"{out}/"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "comparison.csv",
        "overall.csv",
        "ratings.csv",
        "standards.csv",
    ]


def test_a_folder_for_text_or_json_is_refused_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "new"
    code = cli.main(["rate", str(YORK), "--format", "json", "--out", f"{out}/"])
    err = capsys.readouterr().err
    assert code != 0 and "only with --format csv" in err and "--out" in err
    assert not out.exists()


def test_out_file_is_the_tidy_table(tmp_path, capsys):
    target = tmp_path / "york.csv"
    assert cli.main(["rate", str(YORK), "--format", "csv", "--out", str(target)]) == 0
    assert f"wrote {target}" in capsys.readouterr().out
    assert len(pd.read_csv(target)) == 8


def test_documented_csv_columns_are_the_columns_written(capsys):
    columns, _ = _documented()
    written = list(_csv(capsys).columns)
    documented = columns["ratings"]
    optional = {"table_notes"}  # only when the run has notes
    assert written == [c for c in documented if c not in optional]
    written_notes = list(_csv(capsys, RATINGS_ONLY).columns)
    # without percentages there is no probability model: its columns are absent
    model = {"edge_in_reach", "probability_model", "pooled_towards", "prior_scale", "prior_shared"}
    assert written_notes == [c for c in documented if c not in model | {"p_computed_independent"}]


@pytest.mark.parametrize("path", [YORK, RATINGS_ONLY])
def test_json_has_the_documented_keys_and_columns(capsys, path):
    columns, keys = _documented()
    assert cli.main(["rate", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == keys
    assert out["schema_version"] == 1
    assert out["rating_bands"][0] == {"rating": "Outstanding", "from_pct": 80.0}
    for table in ("standards", "overall", "comparison", "differences", "ambiguous", "departures"):
        expected = columns.get(table, columns["comparison"])
        for record in out[table]:
            assert list(record) == expected, table
    assert [r["standard"] for r in out["departures"]] == ["leadership"]
    assert {r["standard"] for r in out["ratings"]} >= {"leadership", "overall"}
