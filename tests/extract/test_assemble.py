"""analysis.extract._assemble: the tables assembled from each file's reports, one report per
identity; copies compared value by value and every disagreement a row of ``conflicts``.

Every page here is written in the real site layout with invented units and our own words.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.cli import main
from analysis.extract import extract_reports
from analysis.extract._assemble import assemble
from analysis.extract._collect import Collected

from .conftest import FIXTURES, YORK, extract, overall_by_report, write

WEB = (FIXTURES / "pdu-web.html").read_text(encoding="utf-8")
PRESS = (FIXTURES / "pdu-press.txt").read_text(encoding="utf-8")


def test_two_pdu_pages_without_a_colon_stay_two_pdu_reports(tmp_path):
    other = (
        WEB.replace("Testshire", "Otherton")
        .replace(
            "overall rating of &lsquo;Requires improvement&rsquo;",
            "overall rating of &lsquo;Inadequate&rsquo;",
        )
        .replace(
            "<tr><td>Overall rating</td><td>Requires improvement</td></tr>",
            "<tr><td>Overall rating</td><td>Inadequate</td></tr>",
        )
    )
    result = extract(FIXTURES / "pdu-web.html", write(tmp_path / "otherton.html", other))
    assert sorted(result.reports["unit"]) == ["Otherton PDU", "Testshire PDU"]
    assert set(result.reports["unit_type"]) == {"pdu"}
    assert not result.files["status"].eq("duplicate").any() and result.conflicts.empty
    assert overall_by_report(result) == {
        "testshire-pdu-2025-05-14": "Requires improvement",
        "otherton-pdu-2025-05-14": "Inadequate",
    }
    assert result.exit_code == 0


def test_the_same_pdu_in_two_years_is_two_reports(tmp_path):
    earlier = PRESS.replace("14 May 2025", "10 June 2023")
    result = extract(FIXTURES / "pdu-press.txt", write(tmp_path / "testshire-2023.txt", earlier))
    assert sorted(result.reports["publication_date"]) == ["2023-06-10", "2025-05-14"]
    assert result.conflicts.empty


def test_undated_pages_of_one_unit_are_kept_apart_with_a_warning(tmp_path):
    a = PRESS.replace("Published:\n14 May 2025\n", "")
    b = a.replace("five points", "six points")
    result = extract(write(tmp_path / "a.txt", a), write(tmp_path / "b.txt", b))
    assert len(result.reports) == 2 and result.reports["report_id"].is_unique
    assert result.conflicts.empty
    assert result.warnings["warning"].str.contains("publication date not stated").sum() == 2


def test_a_press_release_and_its_report_are_two_publications(tmp_path):
    result = extract(FIXTURES / "pdu-web.html", FIXTURES / "pdu-press.txt")
    assert sorted(result.reports["layout"]) == ["pdu-press", "pdu-report"]
    assert result.conflicts.empty


def test_a_table_and_prose_that_disagree_are_a_conflict_and_exit_1(tmp_path, capsys):
    page = WEB.replace(
        "overall rating of &lsquo;Requires improvement&rsquo;",
        "overall rating of &lsquo;Inadequate&rsquo;",
    )
    path = write(tmp_path / "testshire.html", page)
    result = extract(path)
    c = result.conflicts
    assert c["item"].tolist() == ["overall (ratings table / text)"]
    assert (c["value_kept"].iloc[0], c["value_other"].iloc[0][:10]) == (
        "Requires improvement",
        "Inadequate",
    )
    assert result.exit_code == 1
    assert main(["extract", str(path), "--out", str(tmp_path / "o"), "--quiet"]) == 1
    assert "conflict: testshire-pdu-2025-05-14 ratings overall" in capsys.readouterr().out


def test_a_conflict_between_true_copies_is_listed_and_exit_1(seeds, tmp_path):
    text = YORK.read_text(encoding="utf-8")
    copy = write(tmp_path / "york-copy.txt", text.replace("Score\t3/21", "Score\t5/21", 1))
    result = extract(YORK, copy)
    assert result.files["status"].tolist() == ["ok", "duplicate"]
    assert len(result.reports) == 1 and result.exit_code == 1
    assert "conflict: york-pdu-2024-12" in repr(result)


@pytest.mark.parametrize(
    "change, why",
    [
        (
            lambda t: t.replace(
                "keeping other people safe?\t25%", "keeping other people safe?\t33%", 1
            ),
            "33%",
        ),
        (
            lambda t: t.replace(
                "Does assessment focus sufficiently on the factors linked to offending and desistance?\t80%\n",
                "",
                1,
            ),
            "missing",
        ),
    ],
)
def test_an_imperfect_report_fails_alone_and_the_others_are_written(seeds, tmp_path, change, why):
    bad = write(tmp_path / "york-imperfect.txt", change(YORK.read_text(encoding="utf-8")))
    out = tmp_path / "out"
    result = extract_reports([bad, FIXTURES / "pdu-web.html"], out=out, progress=False, jobs=1)
    files = result.files.set_index("file")
    assert files.loc["york-imperfect.txt", "status"] == "error"
    assert files.loc["york-imperfect.txt", "message"].startswith(str(bad))
    assert why in files.loc["york-imperfect.txt", "message"]
    assert files.loc["pdu-web.html", "status"] == "ok"
    assert result.exit_code == 1 and (out / "reports.csv").is_file()
    assert set(result.rating_check["report_id"]) == {"testshire-pdu-2025-05-14"}


def test_a_pdf_dated_by_month_and_its_web_page_dated_by_day_are_one_report(seeds, tmp_path):
    text = YORK.read_text(encoding="utf-8")
    web_dated = text.replace(
        "HM Inspectorate of Probation, December 2024", "Published: 05 December 2024", 1
    )
    result = extract(YORK, write(tmp_path / "york-page.txt", web_dated))
    assert result.files["status"].tolist() == ["ok", "duplicate"] and len(result.reports) == 1
    assert result.conflicts.empty and result.exit_code == 0  # one date, two precisions
    assert result.warnings["warning"].str.contains("another precision").any()
    year_only = text.replace("HM Inspectorate of Probation, December 2024", "", 1)
    result = extract(YORK, write(tmp_path / "york-undated.txt", year_only))
    assert len(result.reports) == 2  # no date: kept apart, never merged


def test_text_and_pdf_of_one_report_are_one_report_without_conflicts(seeds, york_pdf):
    both = extract_reports(
        [seeds / "003_f44d0456c80d8b57.txt", york_pdf], write=False, progress=False
    )
    assert len(both.reports) == 1
    assert both.reports["other_sources"].iloc[0] == york_pdf.name
    assert both.files["status"].tolist() == ["ok", "duplicate"]
    assert len(both.conflicts) == 0


def test_conflicting_values_between_two_copies_are_listed_not_merged(seeds, tmp_path):
    text = (seeds / "003_f44d0456c80d8b57.txt").read_text(encoding="utf-8")
    changed = text.replace(
        "Does planning focus sufficiently on keeping other people safe?\t35%",
        "Does planning focus sufficiently on keeping other people safe?\t45%",
    )
    assert changed != text
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(changed, encoding="utf-8")
    result = extract_reports([tmp_path / "a.txt", tmp_path / "b.txt"], write=False, progress=False)
    kq = result.conflicts[result.conflicts["table"] == "key_questions"]
    assert kq["item"].tolist() == ["planning_keeping_safe"]
    assert kq["value_kept"].iloc[0].startswith("(35.0") and kq["file_other"].iloc[0] == "b.txt"
    kept = result.key_questions.set_index("key_question").loc["planning_keeping_safe", "pct_yes"]
    assert kept == 35


def _status(name: str, layout: str = "pdu-press") -> dict:
    return {
        "file": name,
        "path": f"in/{name}",
        "kind": "txt",
        "layout": layout,
        "status": "ok",
        "report_id": None,
        "message": None,
        "seconds": 0.0,
    }


def _collected(doc, name, *, unit="Testshire PDU", layout="pdu-press", date="2030-05-14", score=5):
    col = Collected(doc(f"{name} of {unit}\n", name), layout)
    unit_type = layout.split("-")[0]
    col.report.update(unit=unit, unit_type=unit_type, publication_date=date)
    if score is not None:
        col.figure(
            "score",
            "ratings",
            "overall score",
            score,
            "count",
            line=0,
            source_text="s",
            read_as="score stated in prose",
            denominator=21,
        )
    return col


def test_report_ids_name_the_unit_the_date_and_a_press_release(doc):
    tables = assemble(
        [
            (_status("a.txt"), [_collected(doc, "a.txt")]),
            (_status("b.txt", "pdu-report"), [_collected(doc, "b.txt", layout="pdu-report")]),
            (_status("c.txt"), [_collected(doc, "c.txt", date=None)]),
        ]
    )
    ids = tables["reports"]["report_id"].tolist()
    assert ids[:2] == ["testshire-pdu-press-2030-05-14", "testshire-pdu-2030-05-14"]
    sha = tables["reports"]["sha256"].iloc[2]
    assert ids[2] == f"testshire-pdu-press-undated-{sha[:8]}"
    assert tables["files"]["report_id"].tolist() == ids


def test_a_copy_is_marked_duplicate_and_each_differing_value_is_a_conflict(doc):
    tables = assemble(
        [
            (_status("a.txt"), [_collected(doc, "a.txt", score=5)]),
            (_status("b.txt"), [_collected(doc, "b.txt", score=6)]),
        ]
    )
    (report,) = tables["reports"].itertuples(index=False)
    assert (report.source_file, report.other_sources) == ("a.txt", "b.txt")
    files = tables["files"].set_index("file")
    assert files.loc["b.txt", "status"] == "duplicate"
    assert files.loc["b.txt", "message"] == (
        "same report as a.txt (same unit, kind and date); values compared, not merged"
    )
    conflict = tables["conflicts"].iloc[0].to_dict()
    assert conflict == {
        "report_id": "testshire-pdu-press-2030-05-14",
        "table": "figures",
        "item": "score",
        "value_kept": "(5.0, 21.0)",
        "file_kept": "a.txt",
        "value_other": "(6.0, 21.0)",
        "file_other": "b.txt",
    }
    assert len(tables["conflicts"]) == 1
    assert tables["figures"]["value"].tolist() == [5.0]  # the first file's values are kept


def test_two_reports_printed_alike_but_of_other_kinds_keep_apart_ids(doc):
    youth = _collected(doc, "b.txt", unit="Testshire", layout="youth-report")
    pdu = _collected(doc, "a.txt", unit="Testshire", layout="pdu-report")
    tables = assemble([(_status("a.txt"), [pdu]), (_status("b.txt"), [youth])])
    ids = tables["reports"]["report_id"].tolist()
    assert ids[0] == "testshire-2030-05-14"
    assert ids[1] == f"testshire-2030-05-14-{youth.doc.sha256[:8]}"


def test_a_unit_not_in_the_reference_list_is_warned_about_with_the_closest_name(doc):
    col = _collected(doc, "a.txt", unit="Cardiff and the Vale PDU")
    tables = assemble([(_status("a.txt"), [col])])
    assert tables["warnings"]["warning"].tolist() == [
        "unit 'Cardiff and the Vale PDU' is not in the reference list of regions and PDUs "
        "(closest: 'Cardiff & Vale'); kept under its printed name"
    ]
    assert tables["files"]["n_warnings"].tolist() == [1]
    known = assemble([(_status("a.txt"), [_collected(doc, "a.txt", unit="North Wales PDU")])])
    assert known["warnings"].empty


def test_a_file_that_failed_is_listed_with_its_message_as_a_warning():
    status = {**_status("bad.txt"), "status": "error", "message": "bad.txt: the file is empty"}
    tables = assemble([(status, [])])
    assert tables["reports"].empty
    assert tables["files"][["file", "status"]].values.tolist() == [["bad.txt", "error"]]
    warning = tables["warnings"].iloc[0]
    assert (warning["file"], warning["warning"]) == ("bad.txt", "bad.txt: the file is empty")
    assert pd.isna(warning["report_id"])


def test_sample_columns_come_from_the_figures_when_the_report_has_none(doc):
    col = _collected(doc, "a.txt", score=None)
    for measure, value in (("cases", 20), ("community", 12), ("licence", 8)):
        col.figure(measure, "sample", measure, value, "count", line=0, source_text="s", read_as="r")
    report = assemble([(_status("a.txt"), [col])])["reports"].iloc[0]
    assert (report["cases"], report["cases_community"], report["cases_licence"]) == (20, 12, 8)
