"""analysis.extract.identity: which report a file holds (unit, unit type, kind and date), read
as a key, never guessed.

Hand-made pages are written in the real site layout with invented units and our own words; the
real page openings are read where they are and checked against their index.
"""

from __future__ import annotations

import pytest

from analysis.extract import extract_reports, read_document
from analysis.extract.identity import (
    Identity,
    clean_unit,
    headline,
    is_heading_word,
    read_date,
    read_region,
    read_title,
    reference_name,
    unit_key,
    unit_type_of,
)

from .conftest import FIXTURES, PAGES, write

WEB = (FIXTURES / "pdu-web.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "title, unit",
    [
        ("An inspection of probation services in North Testshire PDU", "North Testshire PDU"),
        ("An inspection of probation services in: North Testshire PDU", "North Testshire PDU"),
        ("An inspection of Probation Services – Testshire region", "Testshire region"),
        ("Dynamic Inspection of Public Protection in Testshire region", "Testshire region"),
    ],
)
def test_the_title_gives_the_unit_with_or_without_a_colon(tmp_path, title, unit):
    doc = read_document(write(tmp_path / "page.txt", f"Skip to content\n\n{title}\n\nPublished:\n"))
    assert read_title(doc).unit == unit


def test_the_page_address_gives_the_date_where_the_text_does_not(tmp_path):
    page = WEB.replace("<dt>Published:</dt><dd>14 May 2025</dd>", "")
    result = extract_reports(
        [write(tmp_path / "addressed.html", page)], write=False, progress=False, jobs=1
    )
    assert result.reports["publication_date"].tolist() == ["2025"]


def test_the_pdf_title_gives_the_unit_on_the_next_line_skipping_headings(doc):
    mention = read_title(doc("An inspection of probation services in:\n\nContents\nYork PDU\n"))
    assert (mention.unit, mention.kind, mention.line) == ("York PDU", "pdu-report", 3)


def test_a_pdu_title_naming_a_region_is_a_regional_report(doc):
    mention = read_title(
        doc("An inspection of probation services in:\n\nThe Probation Service – Testshire region\n")
    )
    assert (mention.unit, mention.kind) == (
        "The Probation Service – Testshire region",
        "region-report",
    )


def test_a_sentence_after_the_title_is_never_a_unit(doc):
    mention = read_title(
        doc("An inspection of probation services in:\n\nThe region was rated ‘Good’ overall.\n")
    )
    assert (mention.unit, mention.kind) == ("", "pdu-report")
    assert read_title(doc("Probation news\n\nNothing here is a title.\n")) is None


def test_a_national_title_gives_its_month_and_the_unit_the_foreword_names(doc):
    text = (
        "National Inspection – April 2030\n\n"
        "We inspected the sufficiency of national arrangements across the Testshire Service "
        "(TS) for keeping people safe.\n"
    )
    mention = read_title(doc(text))
    assert (mention.unit, mention.kind, mention.date) == (
        "national arrangements across the Testshire Service (TS)",
        "national-report",
        "2030-04",
    )
    unnamed = read_title(doc("National Inspection – April 2030\n\nForeword\n"))
    assert unnamed.unit == "national arrangements of the Probation Service"


def test_a_youth_title_gives_the_service_as_the_text_names_it(doc):
    text = (
        "An inspection of youth justice work with children and victims in Testshire\n\n"
        "Testshire Youth Justice Service (YJS) works with children across the county.\n"
    )
    mention = read_title(doc(text))
    assert (mention.unit, mention.kind) == ("Testshire Youth Justice Service (YJS)", "youth-report")


def test_each_real_report_page_title_names_the_unit_its_index_gives(pages_index):
    reports = [row for row in pages_index if row["kind"].endswith("-report")]
    assert len(reports) == 14
    for row in reports:
        mention = read_title(read_document(PAGES / row["file"]))
        assert mention is not None, row["file"]
        assert (unit_key(mention.unit), mention.kind) == (unit_key(row["unit"]), row["kind"])
    for row in pages_index:
        if row["kind"].endswith("-press"):
            assert read_title(read_document(PAGES / row["file"])) is None, row["file"]


@pytest.mark.parametrize(
    ("printed", "clean"),
    [
        ("Essex North Probation Delivery Unit (PDU)*", "Essex North PDU"),
        ("Tameside (PDU*)", "Tameside"),
        ("  Testshire \n  PDU , ", "Testshire PDU"),
        ("Testshire Youth Justice Service (YJS)", "Testshire Youth Justice Service (YJS)"),
    ],
)
def test_clean_unit_tidies_the_printed_name(printed, clean):
    assert clean_unit(printed) == clean


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Cardiff and the Vale Probation Delivery Unit (PDU)", "cardiff and vale"),
        ("Cardiff & Vale", "cardiff and vale"),
        ("East Midlands region of the Probation Service", "east midlands"),
        ("The Probation Service – East Midlands region", "east midlands"),
        ("Trafford Youth Justice Service (YJS)", "trafford"),
        ("Brighton and Hove Youth Offending Service (YOS)", "brighton and hove"),
    ],
)
def test_unit_key_drops_the_words_titles_and_releases_add(name, key):
    assert unit_key(name) == key


@pytest.mark.parametrize(
    ("name", "kind", "unit_type"),
    [
        ("Anything", "region-press", "region"),
        ("Anything", "youth-report", "youth"),
        ("Anything", "national-report", "national"),
        ("Devon Youth Justice Service (YJS)", None, "youth"),
        ("Testshire YOS", None, "youth"),
        ("South West National Probation Service", None, "region"),
        ("East Midlands region", None, "region"),
        ("Testshire PDU", None, "pdu"),
    ],
)
def test_unit_type_from_the_kind_or_else_the_name(name, kind, unit_type):
    assert unit_type_of(name, kind) == unit_type


def test_reference_name_matches_the_reference_list_or_suggests_the_closest():
    assert reference_name("North Wales PDU", "pdu") == ("North Wales", None)
    assert reference_name("Cardiff and the Vale PDU", "pdu") == (None, "Cardiff & Vale")
    assert reference_name("The Probation Service – North East region", "region") == (
        "North East",
        None,
    )
    assert reference_name("Trafford Youth Justice Service (YJS)", "youth") == (None, None)


def _identity(date, *, unit="York PDU", reference="York", sha="a" * 64):
    return Identity(unit, "pdu", "pdu-report", date, reference, None, sha)


def test_identity_key_is_one_report_to_the_month_and_never_merges_undated_files():
    # a PDF printing the month and its web page printing the day are one report
    assert _identity("2024-12").key() == _identity("2024-12-05", sha="b" * 64).key()
    assert _identity("2024-12").key() == ("york", "pdu", "pdu-report", "2024-12")
    assert _identity("2024-12").key() != _identity("2023-12").key()
    # a date known only to the year is not a month
    assert _identity("2024").key() != _identity("2024-12").key()
    # undated: the file's own hash, so two undated files of one unit stay apart
    assert _identity(None).key() != _identity(None, sha="b" * 64).key()
    assert _identity(None, reference=None, unit="Testshire PDU").key()[0] == "testshire"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Title\n\nPublished: 18 March 2025\n", "2025-03-18"),
        ("Title\n\nPublished:\n\n14 May 2025\n", "2025-05-14"),
        ("Title\n\nHM Inspectorate of Probation, December 2024\n", "2024-12"),
        ("Title\n\nThese reports were published on 30 March 2023.\n", "2023-03-30"),
        ("Title\n\nSee the report (also published on 01 June 2023).\n", "2023-06-01"),
        (
            "Title\n\nThis publication is available at:\n"
            "https://www.justiceinspectorates.gov.uk/hmiprobation/media/press-releases/2023/07/x/\n",
            "2023-07",
        ),
        (
            "Title\n\nhttps://hmiprobation.justiceinspectorates.gov.uk/document/testshire-pdu-2025\n",
            "2025",
        ),
    ],
)
def test_read_date_from_date_lines_or_the_page_address(doc, text, date):
    assert read_date(doc(text))[0] == date


def test_a_date_in_a_sentence_about_another_report_is_not_read(doc):
    text = "Title\n\nThe other is Sampleton PDU (published on 29 June 2023).\n"
    assert read_date(doc(text)) == (None, None)


def test_read_date_says_where_it_read_the_date(doc):
    assert read_date(doc("Title\n\nPublished:\n14 May 2025\n")) == (
        "2025-05-14",
        "Published: 14 May 2025",
    )
    page = doc(WEB.replace("<dt>Published:</dt><dd>14 May 2025</dd>", ""), name="page.html")
    assert read_date(page) == (
        "2025",
        "https://hmiprobation.justiceinspectorates.gov.uk/document/"
        "an-inspection-of-probation-services-in-testshire-pdu-2025/",
    )


def test_real_pages_stating_their_publication_day_give_that_date(pages_index):
    # the days are those the index's year_evidence quotes from each page
    stated = {
        "pdu-kirklees-2023-press.txt": "2023-03-30",
        "pdu-sheffield-2023-press.txt": "2023-03-30",
        "pdu-north-ne-lincolnshire-2023-press.txt": "2023-03-30",
        "pdu-blackburn-with-darwen-2023-press.txt": "2023-06-01",
        "pdu-leicester-leicestershire-rutland-2023-press.txt": "2023-02-09",
    }
    evidence = {row["file"]: row["year_evidence"] for row in pages_index}
    for name, date in stated.items():
        assert "published on" in evidence[name]
        assert read_date(read_document(PAGES / name))[0] == date, name


def test_read_region_from_the_page_or_the_unit(doc):
    page = doc("Title\n\nThe Probation Service – North East region\n")
    assert read_region(page) == "North East"
    assert read_region(doc("Title\n"), "Testshire and Borders region") == "Testshire and Borders"
    assert read_region(doc("Title\n"), "Testshire PDU") is None


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Published:", True),
        ("Foreword (Back to top)", True),
        ("Chief Inspector’s judgement", True),
        ("Contents", True),
        ("Foreword to the second edition", False),
        ("Testshire PDU", False),
    ],
)
def test_is_heading_word(text, heading):
    assert is_heading_word(text) is heading


def test_headline_skips_the_banner_licence_lines_and_labels(doc):
    text = (
        "Skip to content\n\nAre you OK with cookies?\n\nThis publication is available at:\n"
        "https://example.org\n\nPublished:\n\nTestshire PDU rated ‘Good’\n"
    )
    assert headline(doc(text)) == (9, "Testshire PDU rated ‘Good’")
