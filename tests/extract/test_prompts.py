"""analysis.extract._prompts: prompt-level results, one row per figure in a sentence of a
case-supervision section, with the area and the direction read from the wording."""

from __future__ import annotations

import pytest

from analysis.extract._collect import Collected
from analysis.extract._prompts import area_of, paragraphs, read_prompts


def test_paragraphs_group_bullets_and_wrapped_lines():
    lines = [
        "Intro line one",
        "continues here",
        "",
        "- first bullet",
        "  wraps on",
        "\u2022 second",
        "",
        "Last para",
    ]
    assert paragraphs(lines, 0, len(lines)) == [
        (0, "Intro line one continues here"),
        (3, "first bullet wraps on"),
        (5, "second"),
        (7, "Last para"),
    ]
    assert paragraphs(lines, 3, 5) == [(3, "first bullet wraps on")]


@pytest.mark.parametrize(
    ("sentence", "area"),
    [
        ("Risk of harm was assessed well.", "keeping_safe"),
        ("Services to reduce risk were used.", "keeping_safe"),  # the safety words come first
        ("Work with victims was timely.", "keeping_safe"),
        ("Motivation to comply was analysed.", "engagement"),
        ("Plans addressed the factors linked to offending.", "desistance"),
        ("The weather was fine.", None),
    ],
)
def test_area_of_the_wording(sentence, area):
    assert area_of(sentence) == area


_SECTION = (
    "P 2.1. Assessment\n"
    "\n"
    "- Risk of harm was not assessed in eight out of 20 cases; engagement was sufficient in "
    "15 of 20 cases.\n"
    "- Almost half of the cases (45 per cent) had a plan for desistance.\n"
    "\n"
    "Key question\tPercentage 'Yes'\n"
    "\n"
    "Does assessment focus sufficiently on engaging the person on probation?\t60%\n"
    "\n"
    "\u00b2 The rating for the standard is driven by the lowest score, 10 of 20.\n"
)


def test_each_figure_in_a_sentence_is_a_prompt_with_its_direction(doc):
    col = Collected(doc(_SECTION, "york.txt"), "pdu-report")
    assert read_prompts(col, "assessment", 1, 10, skip={7}) == 3
    rows = [
        (r["quantity_text"], r["n"], r["n_relevant"], r["pct"], r["direction"], r["pct_sufficient"])
        for r in col.prompts
    ]
    assert rows == [
        ("eight out of 20", 8, 20, 40.0, "deficient", 60.0),
        ("15 of 20", 15, 20, 75.0, "sufficient", 75.0),
        # 'almost half' restated precisely in brackets is read once, from the precise figure
        ("45 per cent", None, None, 45.0, "sufficient", 45.0),
    ]
    first = col.prompts[0]
    assert (first["standard"], first["area"], first["in_words"]) == (
        "assessment",
        "keeping_safe",
        True,
    )
    assert first["prompt"] == (
        "Risk of harm was not assessed in eight out of 20 cases; engagement was sufficient in "
        "15 of 20 cases."
    )
    assert (first["location"], first["read_as"], first["source_file"]) == (
        "line 3",
        "count in a sentence",
        "york.txt",
    )
    assert col.prompts[2]["area"] == "desistance"
    assert col.prompts[2]["read_as"] == "percent in a sentence"


def test_table_lines_given_to_skip_are_not_prompts(doc):
    col = Collected(doc(_SECTION), "pdu-report")
    read_prompts(col, "assessment", 1, 10, skip=set())
    assert [r["quantity_text"] for r in col.prompts][-1] == "60%"
    col = Collected(doc(_SECTION), "pdu-report")
    read_prompts(col, "assessment", 1, 10, skip={7})
    assert "60%" not in [r["quantity_text"] for r in col.prompts]


def test_an_approximate_figure_keeps_its_bound(doc):
    col = Collected(
        doc("Head\n\nContingency plans were sufficient in just over two-thirds of cases.\n"), "x"
    )
    assert read_prompts(col, "planning", 0, 3, skip=set()) == 1
    (row,) = col.prompts
    assert (row["approximate"], row["bound"], round(row["pct"], 1)) == (True, "lower", 66.7)
    assert row["area"] == "keeping_safe"
