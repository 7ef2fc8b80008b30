"""analysis.data.checks: checks across columns and tables, and pandera's failures in words.

Small frames stand for parsed tables (each row with its ``file_`` and ``row_``). Figures are
those of ../shared/domain.md: York 2024 assessment engagement 70% of 20 cases (14); the North
East spotlight's 292 cases, 185 community and 109 licence (185 + 109 = 294).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from analysis.data.checks import cross_checks, pandera_failures
from tests.data.helpers import failure_rows, parsed

REFERENCE = pd.DataFrame(
    {
        "region_code": ["N55", "N54", "N03"],
        "region": ["Yorkshire and the Humber", "North East", "Wales"],
        "pdu_code": ["N55YRK", "N54SAH", "N03SW1"],
        "pdu": ["York", "Stockton and Hartlepool", "Cardiff & Vale"],
        "unit_type": ["geographic"] * 3,
    }
)
ALIASES = pd.DataFrame({"alias": ["Cardiff and the Vale"], "pdu": ["Cardiff & Vale"]})
CONTEXT = {"reference": REFERENCE, "aliases": ALIASES}


def test_tables_without_cross_checks_pass_untouched():
    frame = parsed("published/offending_factors_2013.csv", [{"factor": "ETE"}])
    assert cross_checks("offending_factors_2013", frame, CONTEXT) == []
    assert cross_checks("no_such_table", frame, CONTEXT) == []


# --- key questions --------------------------------------------------------------------------------
def key_question(standard="assessment", area="engagement", kq=None, n=20, n_yes=14, pct=70.0):
    return {
        "standard": standard,
        "area": area,
        "key_question": kq or f"{standard}_{area}",
        "n": n,
        "n_yes": n_yes,
        "pct_yes": pct,
    }


def kq_checks(*records: dict) -> list[tuple]:
    frame = parsed("published/key_questions.csv", list(records))
    return failure_rows(cross_checks("published_key_questions", frame, CONTEXT))


def test_york_assessment_engagement_passes():
    assert kq_checks(key_question(), key_question(pct=70.5), key_question(n_yes=pd.NA)) == []


def test_a_key_question_must_be_its_standard_and_area():
    frame = parsed(
        "published/key_questions.csv",
        [key_question("planning", "desistance", "planning_engagement")],
    )
    [error] = cross_checks("published_key_questions", frame, CONTEXT)
    assert failure_rows([error]) == [
        (2, "key_question", "planning_engagement", "matches_standard_area", "error")
    ]
    assert error["expected"] == "'planning_desistance' (standard and area of this row)"


def test_more_yes_than_cases_is_an_error():
    frame = parsed("published/key_questions.csv", [key_question(n_yes=25)])
    [error] = cross_checks("published_key_questions", frame, CONTEXT)
    assert failure_rows([error]) == [(2, "n_yes", "25", "n_yes_at_most_n", "error")]
    assert error["expected"] == "at most n = 20 (cases answered yes cannot exceed cases counted)"


def test_a_percentage_that_its_counts_do_not_give_is_kept_with_a_warning():
    """14 of 20 is 70%: 70.5 is within rounding, 70.6 and 75 are not."""
    frame = parsed("published/key_questions.csv", [key_question(pct=70.6), key_question(pct=75.0)])
    reported = cross_checks("published_key_questions", frame, CONTEXT)
    assert failure_rows(reported) == [
        (2, "pct_yes", "70.6", "pct_matches_counts", "warning"),
        (3, "pct_yes", "75.0", "pct_matches_counts", "warning"),
    ]
    assert reported[0]["expected"] == "70.0 (= n_yes / n); the published percentage is kept"


# --- published figures ---------------------------------------------------------------------------
def figures(*rows: tuple[str, float, str | None]) -> pd.DataFrame:
    return parsed(
        "published/figures.csv",
        [
            {
                "figure_id": f,
                "value": v,
                "sum_of": s,
                "value_unit": "count",
                "denominator": pd.NA,
                "note": None,
            }
            for f, v, s in rows
        ],
    )


def test_figures_that_do_not_add_up_are_kept_with_a_warning():
    frame = figures(
        ("ne25-cases", 292, "ne25-community; ne25-licence"),
        ("ne25-community", 185, None),
        ("ne25-licence", 109, None),
    )
    [warning] = cross_checks("published_figures", frame, CONTEXT)
    assert failure_rows([warning]) == [(2, "value", "292", "adds_up", "warning")]
    assert warning["expected"] == (
        "185 + 109 = 294 (ne25-community + ne25-licence); figures do not add up as published. "
        "The published value 292 is kept"
    )


def test_figures_that_add_up_pass_and_unknown_parts_are_an_error():
    adds_up = figures(
        ("cases", 294, "community;licence"), ("community", 185, ""), ("licence", 109, None)
    )
    assert cross_checks("published_figures", adds_up, CONTEXT) == []
    unknown = figures(("cases", 294, "community; custody"), ("community", 185, None))
    [error] = cross_checks("published_figures", unknown, CONTEXT)
    assert failure_rows([error]) == [
        (2, "sum_of", "community; custody", "known_figure_ids", "error")
    ]
    assert error["expected"] == "figure_id values of this file; not found: custody"


# --- units against the reference list ----------------------------------------------------------------
def unit(region="Yorkshire and the Humber", region_code="N55", pdu="York", pdu_code="N55YRK"):
    return {"region": region, "region_code": region_code, "pdu": pdu, "pdu_code": pdu_code}


def test_unit_codes_and_regions_must_be_the_reference_lists():
    frame = parsed(
        "datasets/york-2024/cases.csv",
        [
            unit(),
            unit(region="North East"),
            unit(pdu_code="N55YOR"),
            unit(pdu=None),
            unit(pdu="Narnia"),
        ],
    )
    reported = cross_checks("cases", frame, CONTEXT)
    assert failure_rows(reported) == [
        (3, "region", "North East", "matches_reference", "error"),
        (4, "pdu_code", "N55YOR", "matches_reference", "error"),
    ]
    assert reported[0]["expected"] == (
        "'Yorkshire and the Humber', as the reference list gives for PDU 'York'"
    )
    assert cross_checks("units", frame, {}) == []  # no reference list: nothing to match


# --- factors --------------------------------------------------------------------------------------
def test_factor_rows_are_matched_to_the_reference_and_to_their_cases():
    cases = pd.DataFrame(
        {"case_id": ["YRK-1"], "region": ["Yorkshire and the Humber"], "pdu": ["York"]}
    )
    frame = parsed(
        "datasets/york-2024/factors.csv",
        [
            {"case_id": "YRK-1", "region": "Yorkshire and the Humber", "pdu": "York"},
            {"case_id": "YRK-1", "region": "North East", "pdu": "York"},
            {"case_id": "YRK-1", "region": "North East", "pdu": "Stockton and Hartlepool"},
            {"case_id": "YRK-9", "region": "Yorkshire and the Humber", "pdu": "York"},
        ],
    )
    reported = cross_checks("factors", frame, {**CONTEXT, "cases": cases})
    assert failure_rows(reported) == [
        (3, "region", "North East", "matches_reference", "error"),
        (5, "case_id", "YRK-9", "known_case", "warning"),
        (3, "region", "North East", "matches_case", "warning"),
        (4, "region", "North East", "matches_case", "warning"),
        (4, "pdu", "Stockton and Hartlepool", "matches_case", "warning"),
    ]
    assert reported[2]["expected"] == (
        "'Yorkshire and the Humber', as the cases table gives for case 'YRK-1'; kept as given"
    )


# --- published ratings -----------------------------------------------------------------------------
def report(unit_name: str, unit_type="pdu", score=None) -> dict:
    standards = ("leadership", "staffing", "services", "assessment", "planning")
    standards += ("implementation_and_delivery", "reviewing")
    return {
        "region": "Wales",
        "unit": unit_name,
        "unit_type": unit_type,
        "report_year": 2024,
        "report_date": "2024-05",
        "fieldwork_start": None,
        "score": score,
        "source_url": "https://example.org/press-releases/2024/05/report",
        **dict.fromkeys(standards),
    }


def test_published_pdus_are_named_as_the_reference_list_names_them():
    frame = parsed(
        "published/published_ratings.csv",
        [
            report("York PDU"),
            report("Cardiff and the Vale PDU"),  # an alias
            report("Yrok PDU"),
            report("Wales", "region"),
        ],
    )
    reported = cross_checks("published_ratings", frame, CONTEXT)
    mine = [r for r in reported if r["check"] == "matches_reference_pdu"]
    assert failure_rows(mine) == [(4, "unit", "Yrok PDU", "matches_reference_pdu", "warning")]
    assert mine[0]["expected"] == (
        "a PDU in the reference list; kept as published with pdu left empty (closest: 'York'; "
        "add an alias to data/raw/reference/pdu_aliases.csv if it is the same unit)"
    )
    assert frame["pdu"].tolist()[:2] == ["York", "Cardiff & Vale"]
    assert frame["pdu"].iloc[2:].isna().all()  # not matched; not a PDU


def score_format(score: str) -> list[dict]:
    frame = parsed("published/published_ratings.csv", [report("York PDU", score=score)])
    return [
        r for r in cross_checks("published_ratings", frame, CONTEXT) if r["check"] == "score_format"
    ]


@pytest.mark.parametrize("score", ["3 of 21", "three", "3 / 21"])
def test_a_score_not_written_as_published_is_an_error(score):
    reported = score_format(score)
    assert failure_rows(reported) == [(2, "score", score, "score_format", "error")]
    assert (
        reported[0]["expected"]
        == "a score as published, such as 3/21 (empty where no source states it)"
    )


def test_a_score_with_words_after_the_slash_is_an_error_not_a_traceback():
    assert failure_rows(score_format("3/21 (provisional)"))[0][3] == "score_format"


# --- pandera ----------------------------------------------------------------------------------------
SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str, unique=True),
        "rosh": pa.Column(str, pa.Check.isin(["low", "medium"])),
        "pct_yes": pa.Column(float, pa.Check.le(100)),
        "n": pa.Column(int, pa.Check.in_range(1, 100)),
    }
)


def pandera_cases(frame: pd.DataFrame, schema: pa.DataFrameSchema = SCHEMA) -> pd.DataFrame:
    with pytest.raises(pa.errors.SchemaErrors) as info:
        schema.validate(frame, lazy=True)
    return info.value.failure_cases


def test_pandera_failures_name_the_file_row_and_what_was_expected():
    frame = pd.DataFrame(
        {
            "case_id": ["C1", "C2", "C2"],
            "rosh": ["low", "extreme", "medium"],
            "pct_yes": [140.0, 70.0, 25.0],
            "n": [20, 20, 0],
        }
    )
    where = frame.assign(file_=["a.csv", "a.csv", "b.csv"], row_=[2, 3, 7])
    reported = pandera_failures(pandera_cases(frame), where, [])
    assert sorted(
        (r["file"], r["row"], r["column"], r["value"], r["expected"]) for r in reported
    ) == [
        ("a.csv", 2, "pct_yes", "140.0", "a value of at most 100"),
        ("a.csv", 3, "case_id", "C2", "a value not used by any other row (duplicate)"),
        ("a.csv", 3, "rosh", "extreme", "one of 'low', 'medium'"),
        ("b.csv", 7, "case_id", "C2", "a value not used by any other row (duplicate)"),
        ("b.csv", 7, "n", "0", "a value from 1 to 100"),
    ]


def test_allowed_values_given_as_a_tuple_read_as_a_list_does():
    schema = pa.DataFrameSchema({"unit_type": pa.Column(str, pa.Check.isin(("pdu", "region")))})
    frame = pd.DataFrame({"unit_type": ["service"]})
    where = frame.assign(file_=["published/published_totals.csv"], row_=[2])
    [found] = pandera_failures(pandera_cases(frame, schema), where, [])
    assert found["expected"] == "one of 'pdu', 'region'"


def test_a_cell_the_parser_already_reported_is_not_reported_again():
    frame = pd.DataFrame({"case_id": ["C1"], "rosh": ["low"], "pct_yes": [140.0], "n": [20]})
    where = frame.assign(file_=["a.csv"], row_=[2])
    already = [{"file": "a.csv", "row": 2, "column": "pct_yes"}]
    assert pandera_failures(pandera_cases(frame), where, already) == []


def test_a_failure_of_the_whole_table_names_its_file_and_no_row():
    frame = pd.DataFrame({"case_id": ["C1"], "rosh": ["low"], "pct_yes": [70.0]})  # no n
    where = frame.assign(file_=["a.csv"], row_=[2])
    [whole] = pandera_failures(pandera_cases(frame), where, [])
    assert (whole["file"], whole["row"], whole["check"]) == ("a.csv", None, "column_in_dataframe")
    assert whole["expected"] == "column_in_dataframe"  # no sentence for it: the check's name
