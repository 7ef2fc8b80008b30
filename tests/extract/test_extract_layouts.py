"""Hand-made fixtures for each layout, for text artefacts, and for partial and unknown reports.

The fixtures in tests/fixtures/extract/ have invented units and figures, so every expected
value below is read off the fixture itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.extract import UnrecognisedLayoutError, detect_layout, extract_reports, read_document
from analysis.io.folders import MARK

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"


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


def test_web_page_rating_check_reports_computed_against_published():
    check = _extract("pdu-web.html").rating_check.set_index("standard")
    # assessment: lowest 54% -> Requires improvement, as published
    assert check.loc["assessment", "computed_rating"] == "Requires improvement"
    assert check.loc["assessment", "agrees"]
    # planning: lowest 42% -> Inadequate, as published
    assert check.loc["planning", "agrees"]
    # reviewing has no extracted table: no computed rating, so no comparison
    assert check.loc["reviewing", "published_rating"] == "Inadequate"
    assert check[["computed_rating", "agrees"]].loc["reviewing"].isna().all()
    assert check.loc["reviewing", "note"] == "no key-question table was extracted for this standard"
    assert check.loc["overall", "note"].startswith("not computed")


def test_spotlight_web_page():
    result = _extract("spotlight-web.html")
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


def test_2013_fixture():
    result = _extract("adult-2013.txt")
    rep = result.reports.iloc[0]
    assert (rep["unit"], rep["framework"], rep["publication_date"], rep["cases"]) == (
        "Testshire Probation Trust",
        "adult-2013",
        "2014-03",
        40,
    )
    f = result.figures.set_index("measure_id")
    assert (
        f.loc["progress-insufficient", "value"] == 8 and f.loc["progress-insufficient", "in_words"]
    )
    assert f.loc["no-further-offence", "bound"] == "upper"  # 'Almost two-thirds'
    assert f.loc["factor-ete-progress", "value"] == 60
    assert f.loc["factor-ete-progress", "read_as"] == "factor table line (other common)"


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


def test_partial_report_gives_what_it_has_and_warns_about_the_rest():
    result = _extract("foreword-only.txt")
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


def test_unrecognised_layout_names_the_file(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("Minutes of the board meeting\n\nApologies were received.\n", encoding="utf-8")
    with pytest.raises(UnrecognisedLayoutError, match=r"minutes\.txt: not a recognised"):
        detect_layout(read_document(path))


def test_folder_input_and_atomic_output(tmp_path):
    out = tmp_path / "extracted"
    result = extract_reports([FIXTURES], out=out, progress=False)
    assert result.n_failed == 0 and len(result.reports) == 8
    written = sorted(p.name for p in out.iterdir())
    assert "extraction-report.md" in written and "prompts.csv" in written
    # no temporary files left; the one hidden file is the folder's mark of who made it
    assert [p for p in written if p.startswith(".")] == [MARK]
    assert "ExtractionResult: 8 file(s)" in repr(result)


def test_worker_processes_give_the_same_tables_in_input_order():
    one = extract_reports([FIXTURES], write=False, progress=False, jobs=1)
    two = extract_reports([FIXTURES], write=False, progress=False, jobs=2)
    for name, frame in one.tables.items():
        other = two.tables[name]
        if name == "files":
            frame, other = frame.drop(columns="seconds"), other.drop(columns="seconds")
        assert frame.equals(other), name


def test_docs_list_every_table_and_column():
    from analysis import config
    from analysis.extract import TABLES

    doc = (config.DOCS_DIR / "extraction.md").read_text(encoding="utf-8")
    for name, columns in TABLES.items():
        assert f"### `{name}`" in doc, name
        for column in columns:
            assert f"| `{column.name}` | {column.dtype} |" in doc, (name, column.name)
