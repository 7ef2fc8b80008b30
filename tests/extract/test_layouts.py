"""analysis.extract.layouts: which layout a document has, and the reader for it; pages that
are not an inspection report of a unit recognised and skipped, saying what they are."""

from __future__ import annotations

import pytest

from analysis.extract import UnrecognisedLayoutError, detect_layout, read_document
from analysis.extract.layouts import LAYOUTS, NOT_REPORTS, not_a_report

from .conftest import FIXTURES, PAGES, extract, write


def test_unrecognised_layout_names_the_file(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("Minutes of the board meeting\n\nApologies were received.\n", encoding="utf-8")
    with pytest.raises(UnrecognisedLayoutError, match=r"minutes\.txt: not a recognised"):
        detect_layout(read_document(path))


def test_a_page_of_another_inspectorate_is_an_error_for_that_file(tmp_path):
    prisons = write(
        tmp_path / "prisons.txt",
        "HM Inspectorate of Prisons\n\nReport on an unannounced inspection of HMP Testshire\n\n"
        "Inspectors found the prison was not safe enough.\n",
    )
    result = extract(prisons, FIXTURES / "pdu-press.txt")
    files = result.files.set_index("file")
    assert files.loc["prisons.txt", "status"] == "error"
    assert (
        "prisons.txt: not a recognised inspection report layout"
        in files.loc["prisons.txt", "message"]
    )
    assert files.loc["pdu-press.txt", "status"] == "ok"


@pytest.mark.parametrize(
    "headline, what",
    [
        ("A thematic inspection of work with people who have committed domestic abuse", "thematic"),
        ("Annual report 2030: findings across probation", "annual report"),
        ("12 March 2030 - What we learned this year", "blog"),
        ("An effective practice guide to sentence planning", "guide"),
    ],
)
def test_pages_that_are_not_an_inspection_report_are_skipped_saying_what_they_are(
    tmp_path, headline, what
):
    page = f"Skip to content\n\n{headline}\n\nEvery PDU we inspected has been rated 'Inadequate'.\n"
    result = extract(write(tmp_path / "page.txt", page))
    assert result.files["status"].tolist() == ["skipped"]
    assert what in result.files["message"].iloc[0] and result.reports.empty


def test_every_real_page_has_the_layout_its_index_gives(pages_index):
    assert len(pages_index) == 56
    for row in pages_index:
        wanted = "not-a-report" if row["kind"] == "other" else row["kind"]
        assert detect_layout(read_document(PAGES / row["file"])) == wanted, row["file"]


@pytest.mark.parametrize(
    ("fixture", "layout"),
    [
        ("spotlight-web.html", "spotlight"),
        ("adult-2013.txt", "adult-2013"),
        ("pdu-web.html", "pdu-report"),
        ("regional.txt", "region-report"),
        ("region-web.txt", "region-report"),
        ("pdu-press.txt", "pdu-press"),
        ("foreword-only.txt", "pdu-report"),
    ],
)
def test_each_fixture_has_its_layout(fixture, layout):
    assert detect_layout(read_document(FIXTURES / fixture)) == layout


def test_the_signs_come_before_the_title(doc):
    assert detect_layout(doc("Effective practice guide\n\nOn planning\n")) == "practice-guide"
    assert LAYOUTS["practice-guide"] is None and LAYOUTS["not-a-report"] is None
    assert set(NOT_REPORTS) == {"practice-guide", "not-a-report"}


def test_a_report_with_a_ratings_table_is_read_from_its_table_else_from_its_prose():
    tabled = LAYOUTS["pdu-report"](read_document(FIXTURES / "pdu-web.html"))
    assert len(tabled) == 1 and len(tabled[0].key_questions) == 6
    assert tabled[0].ratings[0]["read_as"] == "ratings table line"
    opening = LAYOUTS["pdu-report"](read_document(FIXTURES / "region-web.txt"))
    assert [c.layout for c in opening] == ["region-report"]
    assert opening[0].key_questions == []
    assert opening[0].ratings[0]["read_as"] == "overall rating stated in prose"


@pytest.mark.parametrize(
    ("text", "headline_only", "what"),
    [
        ("Skip to content\n\nOur annual report 2031\n", True, "an annual report"),
        ("Consultation on youth inspections\n", True, "a consultation"),
        ("When and how we inspect\n", True, "a methodology page"),
        ("Inspection announcement: Testshire\n", True, "an announcement"),
        ("Testshire news\n\nRead the thematic inspection of courts.\n", True, None),
        (
            "Testshire news\n\nRead the thematic inspection of courts.\n",
            False,
            "a thematic inspection",
        ),
    ],
)
def test_not_a_report_says_what_the_page_is(doc, text, headline_only, what):
    assert not_a_report(doc(text), headline_only=headline_only) == what
