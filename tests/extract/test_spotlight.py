"""analysis.extract.spotlight: the regional effective-practice spotlight (region, fieldwork
dates, publication, sample counts, pieces of effective practice); a total that is not the sum
of its parts is kept as published and warned about.

The fixture and the pages written here have invented regions and figures.
"""

from __future__ import annotations

from analysis.extract import extract_reports
from analysis.extract.spotlight import read_spotlight

from .conftest import FIXTURES


def test_spotlight_web_page():
    result = extract_reports([FIXTURES / "spotlight-web.html"], write=False, progress=False)
    rep = result.reports.iloc[0]
    assert (rep["unit"], rep["region"], rep["publication_date"]) == (
        "Testshire region",
        "Testshire",
        "2025",
    )
    assert (rep["fieldwork_start"], rep["fieldwork_end"]) == ("2025-01-06", "2025-03-28")
    values = result.figures.set_index("measure_id")["value"].to_dict()
    assert values == {
        "cases": 120,
        "community": 70,
        "licence": 50,
        "court-reports": 80,
        "resettlement": 40,
        "upw": 12,
        "victim": 11,
        "effective-practice": 33,
    }
    # 70 + 50 = 120: nothing to warn about but the invented unit, not in the reference list
    assert result.warnings["warning"].str.contains("not in the reference list").all()


_PAGE = (
    "Effective Practice Spotlight: The Probation Service – Testshire region\n\n"
    "Published: 14 July 2030\n\n"
    "Fieldwork took place between 06 January 2030 and 28 March 2030.\n"
    "We reviewed 100 cases, 60 of which were subject to a community sentence and 38 to release "
    "on licence.\n"
    "In Northtown PDU we found twelve pieces of effective practice.\n"
)


def test_a_total_that_is_not_its_parts_is_kept_and_warned_about(doc):
    col = read_spotlight(doc(_PAGE))
    report = col.report
    assert (report["unit"], report["region"], report["publication_date"]) == (
        "Testshire region",
        "Testshire",
        "2030-07-14",
    )
    assert (report["cases"], report["cases_community"], report["cases_licence"]) == (100, 60, 38)
    assert report["court_reports"] is None
    assert (
        "cases reviewed: 100 published, but 60 community + 38 licence = 98 (line 6); kept as "
        "published"
    ) in col.warnings
    assert "figure not found: court-reports" in col.warnings


def _per_pdu(col):
    return [f for f in col.figures if f["measure_id"].startswith("effective-practice-")]


def test_pieces_of_effective_practice_per_pdu(doc):
    (pdu,) = _per_pdu(read_spotlight(doc(_PAGE)))
    assert pdu["measure_id"].endswith("northtown-pdu")
    assert (pdu["value"], pdu["in_words"], pdu["location"]) == (12, True, "line 7")
    assert pdu["read_as"] == "number in a sentence (pattern)"


def test_the_pdu_of_pieces_of_effective_practice_is_named_without_the_sentence_s_words(doc):
    (pdu,) = _per_pdu(read_spotlight(doc(_PAGE)))
    assert pdu["measure_id"] == "effective-practice-northtown-pdu"
    assert pdu["measure"] == "pieces of effective practice, Northtown PDU"


def test_a_page_without_a_region_or_dates_says_so(doc):
    col = read_spotlight(doc("Effective Practice Spotlight\n\nWe reviewed 10 cases.\n", "spot.txt"))
    assert (col.report["unit"], col.report["region"]) == ("spot", None)
    assert col.report["publication_date"] is None
    for warning in (
        "region not found in the title (expected 'Effective Practice Spotlight: ... region')",
        "fieldwork dates not found",
        "publication date not in the text; the fieldwork dates identify the report",
    ):
        assert warning in col.warnings
    assert col.report["cases"] == 10
