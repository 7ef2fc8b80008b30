"""analysis.extract.adult2013: the 2013 Inspection of Adult Offending Work report of a
probation trust (section scores, sample, progress scale, outcomes, offending-related factors).

The fixture tests/fixtures/extract/adult-2013.txt has an invented trust and figures; every
expected value is read off it.
"""

from __future__ import annotations

import pytest

from analysis.extract import extract_reports, read_document
from analysis.extract.adult2013 import read_adult_2013

from .conftest import FIXTURES


def test_2013_fixture():
    result = extract_reports([FIXTURES / "adult-2013.txt"], write=False, progress=False)
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


@pytest.fixture(scope="module")
def fixture_figures():
    col = read_adult_2013(read_document(FIXTURES / "adult-2013.txt"))
    return col, {f["measure_id"]: f for f in col.figures}


def test_the_five_section_scores_of_the_summary(fixture_figures):
    _, figures = fixture_figures
    scores = {k: f["value"] for k, f in figures.items() if f["topic"] == "section_scores"}
    assert scores == {
        "assisting-sentencing": 75,
        "delivering-sentence": 80,
        "reducing-reoffending": 70,
        "protecting-public": 65,
        "victims": 90,
    }
    assert figures["victims"]["source_text"] == "Delivering effective work for victims 90%"
    assert figures["victims"]["read_as"] == "summary table line"


def test_the_progress_scale_and_the_share_not_reoffending(fixture_figures):
    col, figures = fixture_figures
    assert col.report["cases"] == 40 and col.warnings == []
    progress = {
        k: (f["value"], f["in_words"]) for k, f in figures.items() if k.startswith("progress-")
    }
    assert progress == {
        "progress-good": (10, False),
        "progress-some": (12, False),
        "progress-insufficient": (8, True),
        "progress-deterioration": (2, True),
    }
    outcome = figures["no-further-offence"]
    assert round(outcome["value"], 2) == 66.67  # two-thirds
    assert (outcome["approximate"], outcome["bound"], outcome["denominator"]) == (
        True,
        "upper",
        40,
    )


def test_each_factor_row_gives_cases_and_two_percentages_over_them(fixture_figures):
    _, figures = fixture_figures
    factor = {k: (f["value"], f["denominator"]) for k, f in figures.items() if "factor-" in k}
    assert factor == {
        "factor-thinking-and-behaviour-cases": (30, None),
        "factor-thinking-and-behaviour-interventions": (60, 30),
        "factor-thinking-and-behaviour-progress": (40, 30),
        "factor-ete-cases": (5, None),
        "factor-ete-interventions": (80, 5),
        "factor-ete-progress": (60, 5),
    }
    assert figures["factor-thinking-and-behaviour-cases"]["read_as"] == (
        "factor table line (most prevalent)"
    )


def test_the_trust_from_the_title(doc):
    col = read_adult_2013(
        doc("Inspection of Adult Offending Work:\nTestshire Probation Trust\n\nMarch 2014\n")
    )
    assert (col.report["unit"], col.report["unit_type"]) == ("Testshire Probation Trust", "trust")
    assert col.report["publication_date"] == "2014-03"


def test_missing_parts_are_warnings_and_the_file_names_the_unit(doc):
    col = read_adult_2013(doc("Inspection of Adult Offending Work\n\nNothing more.\n", "trust.txt"))
    assert col.report["unit"] == "trust" and col.report["cases"] is None
    assert col.figures == []
    for warning in (
        "trust name not found",
        "publication month not found near the foreword",
        "section score not found: Assisting sentencing",
        "figure not found: cases",
        "figure not found: no-further-offence",
        "offending-related factor table not found",
    ):
        assert warning in col.warnings, warning
