"""`analysis rate`: inputs that are read (labels as printed, Excel percentages, per-row n_yes,
explicit not applicable), rounded percentages that leave a rating ambiguous, and the
rating-guidance departure for York PDU 2024 (seed 003). Each writes nothing.

Expected figures come from the York report (seed 003) or are worked out by hand in the
comments from the band rule (Outstanding >= 80, Good >= 65, RI >= 50, unrounded).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import cli, config
from analysis.ratings import rate_table
from tests.conftest import tree_digest
from tests.ratings.test_rate_bad_inputs import _xlsx

YORK = config.PROJECT_ROOT / "examples" / "york-2024.csv"
H = "unit,standard,area,pct_yes,n,published_rating\n"


@pytest.fixture(autouse=True, scope="module")
def _project_data_untouched():
    """Raw data, processed data, reports and examples: byte-for-byte the same after every case."""
    folders = [config.RAW_DIR, config.PROCESSED_DIR, config.REPORTS_DIR, YORK.parent]
    before = [tree_digest(f) for f in folders]
    yield
    assert [tree_digest(f) for f in folders] == before


CASE_IDS = [f"RT-A{i}" for i in range(1, 20)] + ["RT-55"]


def _write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def _rate(path, *args):
    """Run `analysis rate` on ``path``; return (exit code, stdout), checking nothing is written."""
    before = tree_digest(path.parent)
    return_code = cli.main(["rate", str(path), *args])
    assert tree_digest(path.parent) == before
    return return_code


def _standard(result, slug):
    return result.standards.set_index("standard").loc[slug]


def test_rt_a1_per_cent_in_words_and_a2_standard_ids_as_printed(tmp_path, capsys):
    # RT-A1 '71 per cent', RT-A2 'P2.1 Assessment', 'P 2.1' and 'P2.1'
    path = _write(
        tmp_path,
        H
        + "X,P2.1 Assessment,engagement,71 per cent,17,\n"
        + "X,P 2.1,desistance,82 per cent,17,\n"
        + "X,P2.1,keeping safe,76%,17,\n",
    )
    result = rate_table(path)
    row = _standard(result, "assessment")
    # 71% of 17 can only be 12 (70.6%): Good; printed 71% also Good -> not ambiguous
    assert row["rating"] == "Good" and row["lowest_pct_given"] == "71%"
    assert not row["ambiguous"]
    assert _rate(path) == 0
    assert "71% (n=17)" in capsys.readouterr().out


def test_rt_a3_area_as_printed_and_a4_question_text_as_printed(tmp_path):
    fw_text = "Does assessment focus sufficiently on keeping other people safe?"
    path = _write(
        tmp_path,
        "unit,standard,area,key_question,pct_yes,n\n"
        "X,Assessment,Keeping other people safe,,25,20\n"
        "X,Assessment,Engagement,,70,20\n"
        f'X,,,"{fw_text.replace("keeping other people safe", "the factors linked to offending and desistance")}",80,20\n',
    )
    result = rate_table(path)
    kq = result.key_questions.set_index("key_question")
    assert kq.loc["assessment_keeping_safe", "n_yes"] == 5
    assert kq.loc["assessment_desistance", "n_yes"] == 16
    assert _standard(result, "assessment")["rating"] == "Inadequate"
    assert _rate(path) == 0


def test_rt_a5_excel_percent_formatted_cells_are_read_as_shown(tmp_path):
    # stored 0.70, shown 70%: must be read as 70, not 0.7
    rows = [
        ["unit", "standard", "area", "pct_yes", "n"],
        ["X", "Assessment", "engagement", 0.70, 20],
        ["X", "Assessment", "desistance", 80, 20],
        ["X", "Assessment", "keeping safe", 0.65, 20],
    ]
    path = _write(tmp_path, _xlsx(rows, percent_cells=["D2", "D4"]), "t.xlsx")
    result = rate_table(path)
    kq = result.key_questions.set_index("key_question")
    assert list(kq.loc[["assessment_engagement", "assessment_keeping_safe"], "n_yes"]) == [14, 13]
    assert _standard(result, "assessment")["rating"] == "Good"  # 65% is Good
    assert _rate(path) == 0


def test_rt_55_a_count_with_a_thousands_separator_is_read_as_the_build_reads_it(tmp_path):
    # '1,000' cases is 1000, as the build reads it (D-66); 700 of 1,000 is 70%
    text = H + 'York,Assessment,engagement,70,"1,000",\n'
    text += "York,Assessment,desistance,80,20,\nYork,Assessment,keeping safe,25,20,\n"
    kq = rate_table(_write(tmp_path, text)).key_questions.set_index("key_question")
    assert kq.loc["assessment_engagement", ["n_applicable", "n_yes"]].tolist() == [1000, 700]


def test_rt_a6_byte_order_mark_is_read(tmp_path):
    path = _write(tmp_path, "\ufeff" + YORK.read_text(encoding="utf-8"))
    assert rate_table(path).overall.iloc[0]["overall_score"] == 3
    assert _rate(path) == 0


def test_rt_a7_each_rows_own_n_yes_is_used(tmp_path):
    # 14/20 = 70%, 80% of 20, 13/20 = 65%: lowest 65% -> Good. Ignoring the n_yes column
    # (the old behaviour when one row lacked it) rated the standard on 80% alone: Outstanding.
    path = _write(
        tmp_path,
        "unit,standard,area,pct_yes,n,n_yes\n"
        "X,Assessment,engagement,,20,14\n"
        "X,Assessment,desistance,80,20,\n"
        "X,Assessment,keeping safe,,20,13\n",
    )
    row = _standard(rate_table(path), "assessment")
    assert (
        row["rating"] == "Good" and row["lowest_pct"] == 65 and row["lowest_pct_given"] == "13/20"
    )
    assert _rate(path) == 0


def test_rt_a8_explicit_not_applicable_is_left_out(tmp_path, capsys):
    path = _write(
        tmp_path,
        H
        + "X,Reviewing,engagement,75,12,\n"
        + "X,Reviewing,desistance,n/a,,\n"
        + "X,Reviewing,keeping safe,not applicable,0,\n",
    )
    row = _standard(rate_table(path), "reviewing")
    assert row["rating"] == "Good" and row["lowest_key_question"] == "reviewing_engagement"
    assert _rate(path) == 0


def test_rt_a9_counts_that_straddle_a_band_edge_are_ambiguous_not_a_difference(tmp_path, capsys):
    # 65% of 200 prints for 129, 130 or 131 cases: 64.5% (RI) to 65.5% (Good)
    path = _write(
        tmp_path,
        H
        + "X,Assessment,engagement,65,200,Requires improvement\n"
        + "X,Assessment,desistance,80,200,\n"
        + "X,Assessment,keeping safe,90,200,\n",
    )
    result = rate_table(path)
    row = _standard(result, "assessment")
    assert row["ambiguous"] and row["possible_ratings"] == "Good or Requires improvement"
    assert "from 64.5% to 65.5%" in row["ambiguity"]
    assert result.differences.empty
    assert list(result.ambiguous["standard"]) == ["assessment"]
    assert _rate(path) == 0
    out = capsys.readouterr().out
    assert "Good (ambiguous)" in out and "Difference:" not in out
    assert "Not a difference: assessment computed Good, published Requires improvement" in out


def test_rt_a10_printed_on_an_edge_but_unrounded_below_is_ambiguous(tmp_path):
    # 65% of 34 can only be 22 = 64.7%: RI unrounded, Good on the printed figure
    path = _write(
        tmp_path,
        H
        + "X,Assessment,engagement,65,34,Good\n"
        + "X,Assessment,desistance,79,34,\n"
        + "X,Assessment,keeping safe,85,34,\n",
    )
    result = rate_table(path)
    row = _standard(result, "assessment")
    assert row["rating"] == "Requires improvement" and row["lowest_pct"] == pytest.approx(
        100 * 22 / 34
    )
    assert row["possible_ratings"] == "Good or Requires improvement"
    assert "22 of 34" in row["ambiguity"] and "printed 65% is Good" in row["ambiguity"]
    assert result.differences.empty and len(result.ambiguous) == 1


def test_rt_a11_the_value_given_is_shown_never_re_rounded(tmp_path, capsys):
    path = _write(
        tmp_path,
        H
        + "X,Assessment,engagement,64.7,34,\n"
        + "X,Assessment,desistance,79,34,\n"
        + "X,Assessment,keeping safe,85,34,\n",
    )
    result = rate_table(path)
    row = _standard(result, "assessment")
    assert row["lowest_pct_given"] == "64.7%" and row["rating"] == "Requires improvement"
    assert not row["ambiguous"]  # 64.7 with one decimal is 22/34 only, printed RI too
    assert _rate(path) == 0
    out = capsys.readouterr().out
    assert "64.7% (n=34)" in out and "65% (n=34)" not in out


def test_rt_a12_published_ratings_only_gives_a_clear_answer(tmp_path, capsys):
    lines = [
        line
        for line in YORK.read_text(encoding="utf-8").splitlines()
        if ",,,," in line or line.startswith("unit")
    ]
    lines += [f"York,{s},,,,Inadequate" for s in ("P2.1", "P2.2", "P2.3", "P2.4")]
    path = _write(tmp_path, "\n".join(lines) + "\n")
    result = rate_table(path)
    assert result.standards.empty
    assert result.overall.iloc[0]["overall_score"] == 3
    assert result.overall.iloc[0]["basis"] == "published standard ratings"
    assert list(result.departures["standard"]) == ["leadership"]
    assert _rate(path) == 0
    out = capsys.readouterr().out
    assert "has published ratings but no key-question percentages" in out
    assert "Overall from the published standard ratings: score 3/21, Inadequate" in out


def test_rt_a13_york_reports_the_leadership_departure_and_keeps_3_of_21(tmp_path, capsys):
    path = _write(tmp_path, YORK.read_text(encoding="utf-8"), "york-2024.csv")
    result = rate_table(path)
    overall = result.overall.iloc[0]
    assert (overall["overall_score"], overall["overall_rating"]) == (3, "Inadequate")
    departure = result.departures.iloc[0]
    assert departure["standard"] == "leadership"
    assert departure["published_rating"] == "Requires improvement"
    assert departure["guidance_rating"] == "Inadequate"
    assert result.differences.empty and result.ambiguous.empty
    assert _rate(path, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["standard"] for d in data["departures"]] == ["leadership"]
    assert "the Inspectorate has not confirmed" in data["departures"][0]["note"]


def test_rt_a14_rows_of_empty_cells_are_skipped(tmp_path):
    text = YORK.read_text(encoding="utf-8").replace(
        "\nYork,Planning,engagement", "\n,,,,,\nYork,Planning,engagement"
    )
    path = _write(tmp_path, text)
    assert rate_table(path).overall.iloc[0]["overall_score"] == 3


def test_rt_a15_extra_columns_are_not_read(tmp_path):
    lines = YORK.read_text(encoding="utf-8").splitlines()
    text = "\n".join(f"{line},{'notes' if i == 0 else 'see p. 12'}" for i, line in enumerate(lines))
    path = _write(tmp_path, text + "\n")
    assert rate_table(path).overall.iloc[0]["overall_score"] == 3


def test_rt_a18_blank_lines_above_the_header_are_skipped(tmp_path, capsys):
    text = "\n\n" + YORK.read_text(encoding="utf-8").replace(
        "York,Planning,engagement,70,", "York,Planning,engagement,seventy,"
    )
    path = _write(tmp_path, text)
    # a row is still named by its line in the file: Planning engagement is on line 7
    assert _rate(path) == 2
    assert (
        f"{path}, row 7, column pct_yes: 'seventy' is not a percentage" in capsys.readouterr().err
    )
    path = _write(tmp_path, "\n\n" + YORK.read_text(encoding="utf-8"))
    assert rate_table(path).overall.iloc[0]["overall_score"] == 3
    assert _rate(path) == 0


def test_rt_a19_empty_cells_beyond_the_header_are_not_read(tmp_path):
    # as Excel may save a CSV: each data row with two more (empty) cells than the header
    lines = YORK.read_text(encoding="utf-8").splitlines()
    text = "\n".join([lines[0], *(f"{line},," for line in lines[1:])]) + "\n"
    path = _write(tmp_path, text)
    assert rate_table(path).overall.iloc[0]["overall_score"] == 3
    assert _rate(path) == 0


def test_rt_a16_csv_output_escapes_a_unit_name_that_is_a_formula(tmp_path, capsys):
    text = YORK.read_text(encoding="utf-8").replace("York,", '"=HYPERLINK(""http://x"")",')
    path = _write(tmp_path, text)
    assert _rate(path, "--format", "csv") == 0
    out = capsys.readouterr().out
    assert '"\'=HYPERLINK(""http://x"")"' in out
    assert "\n=HYPERLINK" not in out and '\n"=HYPERLINK' not in out


def test_guidance_that_does_not_apply_gives_no_departure(tmp_path):
    """Planning Good: not every case-supervision standard is Inadequate, so no guidance."""
    text = YORK.read_text(encoding="utf-8")
    for area, pct in (("engagement", 70), ("desistance", 70), ("keeping safe", 35)):
        text = text.replace(f"York,Planning,{area},{pct},20,", f"York,Planning,{area},70,20,")
    path = _write(
        tmp_path,
        text.replace(
            "York,Planning,engagement,70,20,Inadequate", "York,Planning,engagement,70,20,Good"
        ),
    )
    result = rate_table(path)
    assert _standard(result, "planning")["rating"] == "Good"
    assert result.departures.empty
    status = result.comparison.set_index("standard")["status"]
    assert status["leadership"] == "not rated from cases"


def test_rt_a17_a_standard_with_no_applicable_key_question_is_not_rated(tmp_path, capsys):
    path = _write(
        tmp_path,
        H
        + "".join(
            f"X,Reviewing,{a},not applicable,,\n"
            for a in ("engagement", "desistance", "keeping safe")
        ),
    )
    result = rate_table(path)
    assert pd.isna(_standard(result, "reviewing")["rating"])
    assert result.overall.empty  # nothing rated, so no overall score
    assert _rate(path) == 0
    out = capsys.readouterr().out
    assert "Reviewing" in out and "not rated" in out
    assert "Overall: not computed; no standard ratings for this unit." in out
