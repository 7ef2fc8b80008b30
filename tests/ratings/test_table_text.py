"""analysis.ratings._table_text: the plain-text account of a rated table for a terminal.

The result is built by hand (its standards, overall and comparison tables), so that each line
is checked against the figures given; bands and their flags are those of
``frameworks/pdu-2023.toml``.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis import frameworks
from analysis.ratings._table_text import table_text

FW = frameworks.get("pdu-2023")
STANDARD_COLUMNS = [
    *("unit", "standard", "standard_name", "lowest_pct_given", "n_applicable", "rating"),
    *("ambiguous", "possible_ratings", "ambiguity", "p_outstanding", "p_good"),
    *("p_requires_improvement", "p_inadequate", "p_computed", "borderline", "published_rating"),
    *("pooled_towards", "prior_scale", "prior_shared", "p_computed_independent"),
    "edge_in_reach",
]


def _standard(unit, slug, **values):
    row = dict.fromkeys(STANDARD_COLUMNS)
    row.update(unit=unit, standard=slug, standard_name=FW.standard(slug).name, **values)
    return row


def _standards(rows):
    frame = pd.DataFrame(rows, columns=STANDARD_COLUMNS)
    for column in ("ambiguous", "borderline", "edge_in_reach"):
        frame[column] = frame[column].astype("boolean")
    return frame


def _result(standards, overall, comparison, notes=()):
    return SimpleNamespace(
        framework=FW,
        standards=standards,
        overall=pd.DataFrame(overall),
        comparison=pd.DataFrame(
            comparison,
            columns=["unit", "standard", "computed_rating", "published_rating", "status", "note"],
        ),
        notes=list(notes),
    )


@pytest.fixture
def rated_unit():
    """Unit A: assessment Good (ambiguous, 65% of 200), planning Inadequate, both rated on the
    national prior; overall 3/21."""
    standards = _standards(
        [
            _standard(
                "A", "assessment", lowest_pct_given="65%", n_applicable=200, rating="Good",
                ambiguous=True, possible_ratings="Good or Requires improvement",
                ambiguity="the rounded percentages allow 64.5% to 65.5%", p_outstanding=0.0,
                p_good=0.55, p_requires_improvement=0.45, p_inadequate=0.0, p_computed=0.55,
                borderline=True, published_rating="Requires improvement",
                pooled_towards="national prior", prior_scale=2.5, prior_shared=0.0,
                p_computed_independent=0.5,
                edge_in_reach=True,
            ),
            _standard(
                "A", "planning", lowest_pct_given="13/20", n_applicable=20, rating="Inadequate",
                ambiguous=False, p_outstanding=0.0, p_good=0.004, p_requires_improvement=0.016,
                p_inadequate=0.98, p_computed=0.98, borderline=False, published_rating="Good",
                pooled_towards="national prior",
                prior_scale=1.0, prior_shared=2.25, p_computed_independent=0.9,
                edge_in_reach=False,
            ),
            _standard("A", "reviewing", n_applicable=0),
        ]
    )  # fmt: skip
    overall = {
        "unit": ["A"], "overall_score": [3], "max_score": [21], "overall_rating": ["Inadequate"],
        "missing_standards": [""], "p_computed": [0.974], "basis": ["computed"],
        "possible_ratings": ["Requires improvement or Inadequate"],
    }  # fmt: skip
    comparison = [
        (
            "A",
            "assessment",
            "Good",
            "Requires improvement",
            "ambiguous",
            "published RI is possible",
        ),
        ("A", "planning", "Inadequate", "Good", "differs", None),
        ("A", "leadership", None, "Good", "departure", "published Good, but the guidance ..."),
        ("A", "staffing", None, "Inadequate", "follows guidance", "a rule (source: a report)"),
    ]
    return _result(standards, overall, comparison, notes=["Read from a test table."])


def test_the_heading_names_the_framework_its_bands_and_the_notes(rated_unit):
    lines = table_text(rated_unit).splitlines()
    assert lines[:4] == [
        "Framework pdu-2023: Adult probation PDU inspections (2023 onwards)",
        "Bands (lowest key question, unrounded): Outstanding from 80%, Good from 65%, "
        "Requires improvement from 50%, Inadequate from 0% (UNCONFIRMED)",
        "Note: Read from a test table.",
        "",
    ]
    assert lines[4] == "Unit: A"


def test_each_standard_is_a_row_with_what_was_given_and_its_probabilities(rated_unit):
    lines = table_text(rated_unit).splitlines()
    head = next(i for i, line in enumerate(lines) if "P(O / G / RI / I)" in line)
    header, assessment, planning, reviewing = (lines[head + i].split() for i in range(4))
    assert header[:3] == ["standard", "lowest", "key"]
    assert assessment == [
        *("Assessment", "65%", "(n=200)", "Good", "(ambiguous)", "0%", "/", "55%", "/", "45%"),
        *("/", "0%", "True", "Requires", "improvement"),
    ]
    assert planning == [
        *("Planning", "13/20", "(n=20)", "Inadequate", "0%", "/", "0%", "/", "2%", "/", "98%"),
        *("False", "Good"),
    ]
    assert reviewing == ["Reviewing", "not", "rated", "-", "/", "-", "/", "-", "/", "-", "-", "-"]


def test_the_prior_is_named_with_how_far_it_moved_each_rating(rated_unit):
    text = table_text(rated_unit)
    # widened up to 2.5 and a shared shift of SD 1.5; moved assessment 55 - 50 = +5 points,
    # planning 98 - 90 = +8
    assert (
        "Probabilities lean on: national prior; widened where this unit's data sit far from it "
        "(its spread ×2.5; its key questions free to sit higher or lower together (SD 1.5 "
        "logits)). Points it moved the probability of each computed rating, against "
        "independent flat priors: assessment +5, planning +8."
    ) in text
    assert (
        "Borderline because a key question's 95% interval reaches a band edge: assessment." in text
    )


def test_the_overall_line_and_its_ambiguity(rated_unit):
    assert (
        "Overall: score 3/21, Inadequate (probability 97%; overall bands UNCONFIRMED). Ambiguous: "
        "with the rounded percentages it can be Requires improvement or Inadequate."
    ) in table_text(rated_unit).splitlines()


def test_every_ambiguity_difference_and_departure_is_said(rated_unit):
    lines = table_text(rated_unit).splitlines()
    assert lines[-5:] == [
        "Ambiguous: assessment can be Good or Requires improvement: the rounded percentages "
        "allow 64.5% to 65.5%.",
        "Not a difference: assessment computed Good, published Requires improvement; published "
        "RI is possible.",
        "Difference: planning computed Inadequate, published Good.",
        "Departure from guidance: leadership published Good, but the guidance ....",
        "Follows guidance: staffing: a rule (source: a report).",
    ]


def test_agreement_is_said_when_every_comparable_rating_agrees():
    standards = _standards(
        [_standard("B", "assessment", lowest_pct_given="25%", n_applicable=20, rating="Inadequate",
                   ambiguous=False, p_inadequate=1.0, p_computed=1.0, borderline=False)]
    )  # fmt: skip
    overall = {"unit": ["B"], "missing_standards": ["leadership, staffing"]}
    comparison = [
        ("B", "assessment", "Inadequate", "Inadequate", "agrees", None),
        ("B", "leadership", None, "Good", "not rated from cases", None),
    ]
    lines = table_text(_result(standards, overall, comparison)).splitlines()
    assert "Overall: not computed; no rating for leadership, staffing." in lines
    assert lines[-1] == (
        "Computed ratings agree with the 1 published rating(s) they can be checked against "
        "(assessment)."
    )
    assert not any(line.startswith("Probabilities lean on") for line in lines)  # no prior given


def test_units_appear_in_order_with_nothing_rated_said_plainly():
    overall = {
        "unit": ["C"], "overall_score": [3], "max_score": [21], "overall_rating": ["Inadequate"],
        "missing_standards": [""], "p_computed": [1.0], "basis": ["published standard ratings"],
        "possible_ratings": [np.nan],
    }  # fmt: skip
    comparison = [("D", "overall", None, "Good", "no published rating", None)]
    text = table_text(_result(_standards([]), overall, comparison))
    assert text.index("Unit: C") < text.index("Unit: D")
    assert (
        "Overall from the published standard ratings: score 3/21, Inadequate (probability 100%; "
        "overall bands UNCONFIRMED)."
    ) in text
    d_block = text.split("Unit: D", 1)[1]
    assert d_block.strip() == "Overall: not computed; no standard ratings for this unit."
