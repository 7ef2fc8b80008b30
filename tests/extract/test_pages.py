"""analysis.extract.pages: press releases and report pages that state their findings in prose,
one report per unit a release names."""

from __future__ import annotations

from analysis.extract import read_document
from analysis.extract._collect import Collected
from analysis.extract.identity import unit_key
from analysis.extract.pages import PRESS_SENTENCES, add_prose, press_units, read_page

from .conftest import FIXTURES, PAGES, extract, overall_by_report, write

PRESS = (FIXTURES / "pdu-press.txt").read_text(encoding="utf-8")


def test_a_release_naming_several_units_gives_each_its_own_report(tmp_path):
    text = (
        "Three probation services rated ‘Inadequate’\n\n"
        "Probation Delivery Units (PDUs*) in three towns have each been rated ‘Inadequate’ "
        "following inspections by HM Inspectorate of Probation.\n\n"
        "Alphaton PDU, Betaville PDU and Gammaford and Delta PDU each received the lowest "
        "rating possible (‘Inadequate’).\n\n"
        "Alphaton PDU received one out of a possible 27 inspection points.\n"
    )
    result = extract(write(tmp_path / "trio.txt", text))
    assert sorted(result.reports["unit"]) == [
        "Alphaton PDU",
        "Betaville PDU",
        "Gammaford and Delta PDU",
    ]
    assert (
        set(overall_by_report(result).values()) == {"Inadequate"}
        and len(overall_by_report(result)) == 3
    )
    score = result.figures[result.figures["measure_id"] == "score"]
    assert score["report_id"].str.startswith("alphaton").tolist() == [True]


def test_a_truncated_page_warns_that_the_rating_is_not_stated(tmp_path):
    cut = PRESS[: PRESS.index("has received")]
    result = extract(write(tmp_path / "cut.txt", cut + "Testshire is a PDU"))
    assert result.files["status"].tolist() == ["error"]  # no sentence names the unit
    result = extract(
        write(
            tmp_path / "title.txt",
            "An inspection of probation services in Testshire PDU\n\nForeword\n",
        )
    )
    assert overall_by_report(result) == {}
    assert result.warnings["warning"].str.contains("overall rating not stated").any()


def test_partial_report_gives_what_it_has_and_warns_about_the_rest():
    result = extract(FIXTURES / "foreword-only.txt")
    assert result.files["status"].tolist() == ["ok"]
    rep = result.reports.iloc[0]
    assert (rep["unit"], rep["region"], rep["publication_date"]) == (
        "Smallville PDU",
        "Wales",
        "2025-03",
    )
    for table in ("ratings", "key_questions", "prompts", "figures"):
        assert len(result.tables[table]) == 0  # no empty rows
    # an opening without a ratings table is read as prose: it says what it does not state
    warnings = " | ".join(result.warnings["warning"])
    assert "overall rating not stated" in warnings


def test_each_real_press_release_names_the_units_its_index_gives(pages_index):
    releases = [row for row in pages_index if row["kind"].endswith("-press")]
    assert len(releases) == 35
    for row in releases:
        mentions = press_units(read_document(PAGES / row["file"]))
        wanted = [(unit_key(u), row["kind"]) for u in row["unit"].split(";")]
        assert [(unit_key(m.unit), m.kind) for m in mentions] == wanted, row["file"]


def test_a_press_release_gives_its_unit_date_region_rating_score_and_percentage():
    (col,) = read_page(read_document(FIXTURES / "pdu-press.txt"), "pdu-press")
    report = col.report
    assert (report["unit"], report["unit_type"], report["region"]) == (
        "Testshire PDU",
        "pdu",
        "North East",
    )
    assert report["publication_date"] == "2025-05-14"
    (overall,) = col.ratings  # not Sampleton's, not the 2022 rating
    assert (overall["standard"], overall["rating"]) == ("overall", "Requires improvement")
    assert (overall["score"], overall["max_score"]) == (5, 21)
    assert overall["read_as"] == "overall rating stated in prose"
    figures = {f["measure_id"]: f for f in col.figures}
    assert (figures["score"]["value"], figures["score"]["denominator"]) == (5.0, 21.0)
    assert figures["score"]["in_words"]
    pct = figures["prose-pct-cases-1"]
    assert (pct["value"], pct["value_unit"]) == (54.0, "percent")
    assert pct["read_as"] == "percentage stated in prose"


def test_a_unit_named_after_the_first_sentences_is_not_the_release_s_unit(doc):
    filler = "".join(f"Sentence number {k} says nothing. " for k in range(PRESS_SENTENCES))
    late = f"News\n\n{filler}Testshire Probation Delivery Unit (PDU) has received an overall rating of ‘Good’.\n"
    assert press_units(doc(late)) == []
    early = "News\n\nTestshire Probation Delivery Unit (PDU) has received an overall rating of ‘Good’.\n"
    (mention,) = press_units(doc(early))
    assert (mention.unit, mention.kind, mention.line) == ("Testshire PDU", "pdu-press", 2)


def test_an_undated_release_is_read_with_a_warning(doc):
    text = "News\n\nTestshire Probation Delivery Unit (PDU) has received an overall rating of ‘Good’.\n"
    (col,) = read_page(doc(text), "pdu-press")
    assert col.report["publication_date"] is None
    assert any("publication date not stated" in w for w in col.warnings)


def test_prose_that_differs_from_a_ratings_table_is_a_disagreement_and_the_table_kept(doc):
    page = doc("Title\n\nThis led to an overall rating of ‘Inadequate’.\n")
    col = Collected(page, "pdu-report")
    col.ratings.append({"standard": "overall", "rating": "Good"})
    add_prose(col, "Testshire PDU", ["Testshire PDU"], check_only=True)
    assert col.ratings == [{"standard": "overall", "rating": "Good"}]
    assert col.disagreements == [
        ("overall", "Good", "Inadequate", "This led to an overall rating of ‘Inadequate’.")
    ]
    assert col.figures == []
