"""analysis.frameworks.model: the framework objects (standards, key questions, the band rules,
the provenance of every rule) and how a framework file's contents are built and checked.

Expected bands and scores are those of ``frameworks/pdu-2023.toml`` (standard bands 80 / 65 /
50 / 0 on the lowest key question; overall bands 18 / 11 / 4 / 0 out of 21) and
../shared/domain.md, section 4 (a band applies from its lower bound, on the unrounded
percentage).
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import frameworks
from analysis.exceptions import FrameworkDefinitionError
from analysis.frameworks.model import KeyQuestion, Provenance, build_framework

FW = frameworks.get("pdu-2023")
BANDS = [
    {"rating": "Outstanding", "min_pct": 80.0},
    {"rating": "Good", "min_pct": 65.0},
    {"rating": "Requires improvement", "min_pct": 50.0},
    {"rating": "Inadequate", "min_pct": 0.0},
]
TINY = {
    "id": "tiny",
    "name": "A <tiny> framework",
    "provenance": {"source": "a test", "confirmed": False},
    "standards": [
        {"id": "A1", "slug": "leading", "name": "Leading", "domain": 1},
        {"id": "B1", "slug": "checking", "name": "Checking", "domain": 2, "case_based": True},
        {"id": "B2", "slug": "court", "name": "Court", "domain": 2, "case_based": True},
    ],
    "key_questions": [
        {"standard": "checking", "area": area, "text": f"Is {area} checked?"}
        for area in frameworks.AREAS
    ],
    "rating_bands": {"source": "bands", "confirmed": False, "bands": BANDS},
    "rating_scores": {
        "source": "scores",
        "confirmed": True,
        "scores": {"Outstanding": 3, "Good": 2, "Requires improvement": 1, "Inadequate": 0},
    },
    "overall_bands": {
        "source": "overall",
        "confirmed": False,
        "max_score": 9,
        "bands": [
            {"rating": "Outstanding", "min_score": 8},
            {"rating": "Good", "min_score": 5},
            {"rating": "Requires improvement", "min_score": 2},
            {"rating": "Inadequate", "min_score": 0},
        ],
    },
}


def _raw(**changes):
    raw = copy.deepcopy(TINY)
    raw.update(changes)
    return raw


# --- the band rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pct,rating",
    [
        (0, "Inadequate"),
        (49.99, "Inadequate"),
        (50, "Requires improvement"),
        (64.9, "Requires improvement"),
        (65, "Good"),
        (79.99, "Good"),
        (80, "Outstanding"),
        (100, "Outstanding"),
    ],
)
def test_boundary_convention_lower_bound_inclusive_unrounded(pct, rating):
    assert FW.band_for_pct(pct) == rating


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_bands_cover_0_to_100_without_gap_or_overlap(pct):
    matches = [r for r, lo in FW.rating_bands if pct >= lo]
    assert len(matches) >= 1  # no gap
    assert (
        FW.band_for_pct(pct) == matches[0]
    )  # the highest band whose lower bound is met, exactly one
    hi = {r: h for (r, _), h in zip(FW.rating_bands, [100.0001, 80, 65, 50], strict=True)}
    assert sum(lo <= pct < hi[r] for r, lo in FW.rating_bands) == 1  # no overlap


def test_a_percentage_outside_0_to_100_is_refused_at_both_ends():
    """Guards the range check of band_for_pct (100 is allowed; just above or below is not)."""
    fw = frameworks.get("pdu-2023")
    assert fw.band_for_pct(100) == "Outstanding" and fw.band_for_pct(0) == "Inadequate"
    for bad in (100.5, 100.0001, -0.1):
        with pytest.raises(ValueError, match="between 0 and 100"):
            fw.band_for_pct(bad)


def test_a_missing_percentage_has_no_band_and_a_framework_without_bands_none_at_all():
    assert FW.band_for_pct(float("nan")) is None
    with pytest.raises(ValueError, match="'adult-2013' has no rating bands"):
        frameworks.get("adult-2013").band_for_pct(50)


def test_overall_bands_start_at_their_lowest_score():
    # Inadequate 0-3, Requires improvement 4-10, Good 11-17, Outstanding 18-21
    edges = {0: "Inadequate", 3: "Inadequate", 4: "Requires improvement"}
    edges |= {10: "Requires improvement", 11: "Good", 17: "Good"}
    edges |= {18: "Outstanding", 21: "Outstanding"}
    assert {score: FW.overall_rating(score) for score in edges} == edges


def test_overall_rating_of_a_missing_impossible_or_unbanded_score():
    assert FW.overall_rating(float("nan")) is None
    with pytest.raises(ValueError, match="Score -1 is below the lowest overall band"):
        FW.overall_rating(-1)
    with pytest.raises(ValueError, match="'adult-2013' has no overall bands"):
        frameworks.get("adult-2013").overall_rating(3)


def test_band_edges_are_fractions_worst_band_first():
    assert FW.band_edges == (0.0, 0.5, 0.65, 0.8)


# --- lookups --------------------------------------------------------------------------------


def test_standard_lookup_is_tolerant():
    fw = frameworks.get("pdu-2023")
    assert fw.standard("Implementation and Delivery").slug == "implementation_and_delivery"
    assert fw.standard("P2.1").slug == "assessment"
    with pytest.raises(KeyError, match="Known standards"):
        fw.standard("Court work")


def test_key_question_ids_join_standard_and_area():
    assert KeyQuestion("planning", "keeping_safe", "text").id == "planning_keeping_safe"
    assert FW.key_question_ids[-1] == "reviewing_keeping_safe"  # the file's last


def test_standards_by_kind():
    fw = build_framework(_raw(), "tiny.toml")
    assert fw.standard_slugs == ("leading", "checking", "court")
    assert fw.case_based_standards == ("checking", "court")
    assert fw.standards_with_key_questions == ("checking",)  # court has no key questions
    assert fw.standard("b2").name == "Court" and fw.standard("checking").domain == 2


def test_provenance_reads_as_confirmed_or_unconfirmed():
    assert str(Provenance("York PDU report", True)) == "confirmed: York PDU report"
    assert str(Provenance("widely cited", False, seed="003")) == "UNCONFIRMED: widely cited"


# --- presentation ---------------------------------------------------------------------------


def test_tables_of_standards_key_questions_and_rules():
    fw = build_framework(_raw(), "tiny.toml")
    standards = fw.standards_table()
    assert list(standards.columns) == ["id", "slug", "name", "domain", "case_based"]
    assert standards["case_based"].tolist() == [False, True, True]
    kq = fw.key_questions_table()
    assert kq.iloc[2].tolist() == [
        "checking_keeping_safe",
        "checking",
        "keeping_safe",
        "Is keeping_safe checked?",
    ]
    rules = fw.rules_table()
    assert rules["rule"].tolist() == ["framework", "rating_bands", "rating_scores", "overall_bands"]
    assert rules["confirmed"].tolist() == [False, False, True, False]


def test_the_representations_name_bands_scores_and_every_rules_provenance():
    fw = build_framework(_raw(), "tiny.toml")
    assert repr(fw).splitlines() == [
        "<Framework tiny: A <tiny> framework>",
        "  rated unit: ; 3 standards, score out of 9",
        "  key questions: 3",
        "  standard bands: Outstanding >= 80%, Good >= 65%, Requires improvement >= 50%, "
        "Inadequate >= 0%",
        "  framework: UNCONFIRMED: a test",
        "  rating_bands: UNCONFIRMED: bands",
        "  rating_scores: confirmed: scores",
        "  overall_bands: UNCONFIRMED: overall",
    ]
    html = fw._repr_html_()
    assert html.startswith("<p><b>tiny</b>: A &lt;tiny&gt; framework</p>")
    assert html.count("<table") == 2


# --- building a framework from a file's contents --------------------------------------------


def test_a_framework_is_built_with_its_defaults():
    fw = build_framework(_raw(), "tiny.toml")
    assert (fw.origin, fw.has_ratings, fw.scoring, fw.max_score) == (
        "tiny.toml",
        True,
        "lowest_key_question",
        9,
    )
    assert fw.rating_scores["Good"] == 2 and fw.guidance_rules == ()
    assert fw.overall_rating(5) == "Good" and fw.band_for_pct(65) == "Good"


def _bands(*lowers):
    return [{"rating": r, "min_pct": lo} for r, lo in zip(frameworks.RATINGS, lowers, strict=True)]


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"standards": [{"id": "A1", "slug": "a", "name": "A"}]},
            "tiny.toml: a standard or key question lacks field 'domain'.",
        ),
        (
            {"key_questions": [{"standard": "court", "area": "safety", "text": "?"}]},
            "key question 'court_safety' has area 'safety'; expected one of engagement",
        ),
        (
            {"key_questions": [{"standard": "courts", "area": "engagement", "text": "?"}]},
            "names standard 'courts', which framework 'tiny' does not have (standards: leading, "
            "checking, court)",
        ),
        (
            {"provenance": {"source": "a test"}},
            "tiny.toml: [provenance] needs 'source' and 'confirmed' (provenance of every rule); "
            "missing 'confirmed'.",
        ),
        (
            {"rating_bands": {"source": "s", "confirmed": False, "bands": _bands(80, 50, 65, 0)}},
            "[rating_bands] lower bounds must fall strictly from best to worst, end at 0 and not "
            "pass 100; got [80.0, 50.0, 65.0, 0.0].",
        ),
        (
            {"rating_bands": {"source": "s", "confirmed": False, "bands": _bands(80, 65, 50, 5)}},
            "lower bounds must fall strictly from best to worst, end at 0",
        ),
        (
            {"rating_bands": {"source": "s", "confirmed": False, "bands": _bands(101, 65, 50, 0)}},
            "not pass 100",
        ),
        (
            {
                "rating_scores": {
                    "source": "s",
                    "confirmed": False,
                    "scores": {"Outstanding": 3, "Good": 2, "Requires improvement": 1},
                }
            },
            "rating_scores must give a score for each of Outstanding, Good, Requires improvement, "
            "Inadequate; got ['Good', 'Outstanding', 'Requires improvement'].",
        ),
    ],
)
def test_a_bad_definition_is_explained_naming_the_file(changes, message):
    with pytest.raises(FrameworkDefinitionError) as err:
        build_framework(_raw(**changes), "tiny.toml")
    assert message in str(err.value)


def test_a_missing_name_is_named():
    raw = _raw()
    del raw["name"]
    with pytest.raises(FrameworkDefinitionError, match="tiny.toml: missing required field 'name'"):
        build_framework(raw, "tiny.toml")


def test_duplicate_slugs_and_a_maximum_score_that_does_not_add_up_are_refused():
    raw = _raw()
    raw["standards"][2]["slug"] = "checking"
    with pytest.raises(FrameworkDefinitionError, match="duplicate standard slugs"):
        build_framework(raw, "tiny.toml")
    raw = _raw()
    raw["overall_bands"]["max_score"] = 12
    raw["overall_bands"]["bands"][0]["min_score"] = 11
    with pytest.raises(
        FrameworkDefinitionError,
        match="max_score is 12 but 3 standards at up to 3 points make 9",
    ):
        build_framework(raw, "tiny.toml")


def test_a_framework_without_ratings_needs_no_scores():
    raw = _raw(has_ratings=False, scoring="section_mean")
    for key in ("rating_bands", "rating_scores", "overall_bands"):
        del raw[key]
    fw = build_framework(raw, "tiny.toml")
    assert (fw.has_ratings, fw.rating_bands, fw.overall_bands, fw.max_score) == (
        False,
        (),
        (),
        None,
    )
    assert list(fw.provenance) == ["framework"]
