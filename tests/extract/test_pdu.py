"""analysis.extract.pdu: the PDU inspection report (and the regional inspection sharing its
layout): ratings block, departures from the rating rule, key-question tables, prompts, sample
and figures; missing parts become warnings.

The fixtures in tests/fixtures/extract/ and the reports written here have invented units and
figures, so every expected value below is read off the text itself.
"""

from __future__ import annotations

import pytest

from analysis.extract import extract_reports, read_document
from analysis.extract.pdu import read_pdu

from .conftest import FIXTURES, YORK


def _extract(*names: str):
    return extract_reports([FIXTURES / n for n in names], write=False, progress=False)


def test_pdu_web_page_with_back_to_top_headings():
    result = _extract("pdu-web.html")
    assert result.files["layout"].tolist() == ["pdu-report"] and result.n_failed == 0
    rep = result.reports.iloc[0]
    assert (rep["unit"], rep["region"], rep["unit_type"]) == ("Testshire PDU", "North East", "pdu")
    assert (rep["publication_date"], rep["fieldwork_start"]) == ("2025-05-14", "2025-03-03")
    assert (rep["cases"], rep["cases_community"], rep["cases_licence"]) == (24, 14, 10)
    ratings = result.ratings.set_index("standard")
    assert ratings.loc["overall", "rating"] == "Requires improvement"
    assert (ratings.loc["overall", "score"], ratings.loc["overall", "max_score"]) == (5, 21)
    assert ratings.loc["leadership", "rating"] == "Good"
    assert len(ratings) == 8
    kq = result.key_questions.set_index("key_question")
    assert kq["pct_yes"].to_dict() == {
        "assessment_engagement": 75,
        "assessment_desistance": 71,
        "assessment_keeping_safe": 54,
        "planning_engagement": 67,
        "planning_desistance": 58,
        "planning_keeping_safe": 42,
    }
    assert (kq["n"] == 24).all()
    prompts = result.prompts.set_index("quantity_text")
    assert (prompts.loc["nine out of 24", "n"], prompts.loc["nine out of 24", "direction"]) == (
        9,
        "deficient",
    )
    assert prompts.loc["just over three-quarters", "approximate"]
    assert prompts.loc["10 of the 24", "standard"] == "planning"
    figures = result.figures.set_index("measure_id")["value"]
    assert figures["caseload"] == 1204 and figures["caseload-minority"] == 9.5
    assert (figures["charged"], figures["convicted"]) == (2, 4)
    # script and style text never leaks into the values
    assert not result.figures["source_text"].str.contains("9/21").any()


def test_regional_inspection_crlf_and_split_words():
    result = _extract("regional.txt")
    rep = result.reports.iloc[0]
    assert result.files["layout"].tolist() == ["region-report"]
    assert (rep["unit_type"], rep["region"]) == ("region", "North West")
    assert rep["fieldwork_start"] == "2025-01"  # 'Fieldw region ork started January 2025'
    ratings = result.ratings.set_index("standard_name")
    assert ratings.loc["Overall rating", "score"] == 4
    assert ratings.loc["Regional leadership", "standard"] == "Regional leadership"
    assert ratings.loc["Assessment", "standard"] == "assessment"
    assert result.warnings["warning"].str.contains("'Regional leadership' kept under").any()


def test_text_artefacts_are_normalised_before_reading():
    result = _extract("pdu-artefacts.txt")
    ratings = result.ratings.set_index("standard")
    assert ratings.loc["overall", "rating"] == "Inadequate"  # 'Overa<tab>all rating'
    assert result.reports["fieldwork_start"].iloc[0] == "2025-02-10"
    assert (result.reports["cases_community"].iloc[0], result.reports["cases"].iloc[0]) == (11, 20)
    prompts = result.prompts.set_index("quantity_text")
    # a non-breaking space inside 'seven out of 20' and a hyphenated line end
    assert prompts.loc["seven out of 20", "n"] == 7
    assert "classification of risk" in prompts.loc["a third", "prompt"]
    # the footnote marker stuck to '20 cases³' is not read as a number
    assert prompts.loc["12 out of 20", "n_relevant"] == 20
    # the footnote itself is not a prompt
    assert not result.prompts["prompt"].str.contains("rating band").any()
    doc = read_document(FIXTURES / "pdu-artefacts.txt")
    assert "Organisational arrangements and activity" in doc.text  # Cyrillic у repaired


def test_a_key_question_table_printed_twice_is_read_once(seeds, tmp_path):
    lines = YORK.read_text(encoding="utf-8").split("\n")
    start = next(i for i, t in enumerate(lines) if t.startswith("Key question\tPercentage"))
    doubled = lines[: start + 4] + lines[start : start + 4] + lines[start + 4 :]
    path = tmp_path / "york-twice.txt"
    path.write_text("\n".join(doubled), encoding="utf-8")
    result = extract_reports([path], write=False, progress=False, jobs=1)
    assert len(result.key_questions) == 12 and result.n_failed == 0
    assert result.warnings["warning"].str.contains("printed again").sum() == 3


def _report(score="5/21", body=""):
    return (
        "An inspection of probation services in:\n\nTestshire PDU\n\n"
        "HM Inspectorate of Probation, May 2030\n\n"
        "Ratings\n\n"
        f"Testshire Fieldwork started March 2030\tScore\t{score}\n"
        "Overall rating\tRequires improvement\n"
        "P 1.1\tLeadership\tRequires improvement\n"
        "P 2.1\tAssessment\tInadequate\n\n"
        "Recommendations\n\n"
        f"{body}"
    )


_ASSESSMENT = (
    "P 2.1. Assessment\n\n"
    "Key question\tPercentage 'Yes'\n"
    "Does assessment focus sufficiently on engaging the person on probation?\t60%\n"
    "Does assessment focus sufficiently on the factors linked to offending and desistance?\tsixty%\n"
    "Does assessment focus sufficiently on the weather?\t40%\n"
    "Does assessment focus sufficiently on keeping other people safe?\t45%\n\n"
    "Risks to children were not assessed in six out of 20 cases.\n\n"
)


def test_a_small_report_gives_its_table_key_questions_and_prompts(doc):
    body = "We inspected 12 community orders and eight releases on licence.\n\n" + _ASSESSMENT
    col = read_pdu(doc(_report(body=body), name="testshire.txt"))
    assert (col.layout, col.report["unit"], col.report["framework"]) == (
        "pdu-report",
        "Testshire PDU",
        "pdu-2023",
    )
    assert (col.report["publication_date"], col.report["fieldwork_start"]) == ("2030-05", "2030-03")
    ratings = {r["standard"]: r for r in col.ratings}
    assert list(ratings) == ["overall", "leadership", "assessment"]
    assert (ratings["overall"]["score"], ratings["overall"]["max_score"]) == (5, 21)
    assert ratings["assessment"]["standard_id"] == "P2.1"
    kq = {r["key_question"]: (r["pct_yes"], r["n"]) for r in col.key_questions}
    assert kq == {"assessment_engagement": (60, 20), "assessment_keeping_safe": (45, 20)}
    warnings = " | ".join(col.warnings)
    assert "key question assessment_desistance not read" in warnings and "'sixty%'" in warnings
    assert "key question not in framework pdu-2023: 'Does assessment focus" in warnings
    (prompt,) = col.prompts
    assert (prompt["n"], prompt["n_relevant"], prompt["direction"], prompt["area"]) == (
        6,
        20,
        "deficient",
        "keeping_safe",
    )
    figures = {f["measure_id"]: f for f in col.figures}
    assert (figures["community"]["value"], figures["community"]["in_words"]) == (12, False)
    assert (figures["licence"]["value"], figures["licence"]["in_words"]) == (8, True)
    assert figures["cases"]["value"] == 20
    assert figures["cases"]["read_as"] == "sum of community and licence cases"


def test_a_stated_sample_that_is_not_the_sum_is_kept_and_warned_about(doc):
    body = (
        "We inspected 12 community orders and eight releases on licence.\n\n"
        "Of the 21 cases inspected, most were men.\n"
    )
    col = read_pdu(doc(_report(body=body)))
    assert col.value_of("cases") == 21
    assert (
        "cases inspected: 21 stated, but 12 community + 8 licence = 20; kept as published"
        in col.warnings
    )


def test_charged_and_convicted_that_do_not_add_up_are_kept_and_warned_about(doc):
    body = (
        "Two people on probation had been charged with a new offence and a further three "
        "convicted of one. In all (four out of 20) had been convicted or charged.\n"
    )
    col = read_pdu(doc(_report(body=body)))
    assert [col.value_of(k) for k in ("charged", "convicted", "charged-or-convicted")] == [2, 3, 4]
    assert (
        "charged or convicted: 4 published, but 2 charged + 3 convicted = 5; kept as published"
        in col.warnings
    )


def test_a_score_out_of_27_is_the_2021_framework(doc):
    col = read_pdu(doc(_report(score="10/27")))
    assert col.report["framework"] == "pdu-2021"


def test_a_stated_departure_from_the_rating_rule_is_kept_on_its_standard(doc):
    body = (
        "P 1.1. Leadership\n\n"
        "The guidance would normally indicate a rating of 'Inadequate'. Given the strengths, "
        "'Requires improvement' was applied.\n"
    )
    col = read_pdu(doc(_report(body=body)))
    ratings = {r["standard"]: r for r in col.ratings}
    assert ratings["leadership"]["rule_rating"] == "Inadequate"
    assert ratings["leadership"]["departure_text"] == (
        "The guidance would normally indicate a rating of 'Inadequate'."
    )
    assert ratings["assessment"]["rule_rating"] is None


def test_missing_parts_are_warnings_not_guesses(doc):
    text = "An inspection of probation services in:\n\nTestshire PDU\n\nNothing else was saved.\n"
    col = read_pdu(doc(text))
    assert col.ratings == [] and col.key_questions == [] and col.prompts == []
    warnings = " | ".join(col.warnings)
    for part in (
        "publication date not found",
        "ratings section not found",
        "case sample not found",
        "no key-question tables found",
        "figure not found: caseload",
        "no prompt-level results found",
    ):
        assert part in warnings, part


def test_a_report_without_a_unit_stops_at_the_title(doc):
    col = read_pdu(doc("An inspection of probation services in:\n\nPublished:\n\nRatings\n"))
    assert col.report["unit"] is None and col.ratings == []
    assert col.warnings[0].startswith("no unit named in the title")


@pytest.mark.parametrize("rating", ["Good", "Inadequate"])
def test_the_text_stating_another_overall_rating_than_the_table_is_a_disagreement(doc, rating):
    body = f"Background\n\nThis led to an overall rating of ‘{rating}’.\n"
    col = read_pdu(doc(_report(body=body)))
    assert col.disagreements[0][:3] == ("overall", "Requires improvement", rating)
    assert [r["rating"] for r in col.ratings if r["standard"] == "overall"] == [
        "Requires improvement"
    ]
