"""Schemas of every table the workspace reads: pandera models plus how each raw column is parsed.

Each processed table has a :class:`pandera.pandas.DataFrameModel` (typed, constrained fields)
and a :class:`Table` entry in :data:`TABLES` saying which raw files feed it and how each column
is read (its *kind*). :mod:`analysis.data.build` parses with the kinds, then validates lazily with
the model, so every failure is reported at once.

>>> from analysis.data import schemas
>>> schemas.KEY_QUESTION_COLUMNS[:2]
('assessment_engagement', 'assessment_desistance')
>>> schemas.CASE_COLUMNS[:3]
('case_id', 'inspection_id', 'framework')
>>> schemas.SCHEMA_VERSION
'1.3.0'
>>> schemas.OFFENDING_FACTORS[:2]
('thinking and behaviour', 'alcohol misuse')
"""

from __future__ import annotations

import pandas as pd
from pandera.typing import Series

from .. import frameworks as _fw
from ..frameworks.dtypes import ANSWER_DTYPE, RATING_DTYPE
from ._pandera import pa

__all__ = [
    "Strict",
    "SCHEMA_VERSION",
    "ANSWERS",
    "SENTENCE_TYPES",
    "ROSH_LEVELS",
    "GENDERS",
    "AGE_BANDS",
    "ETHNICITY_GROUPS",
    "OUTCOMES",
    "OFFENDING_FACTORS",
    "KEY_QUESTION_COLUMNS",
    "CASE_COLUMNS",
    "CATEGORY_DTYPES",
    "CaseRecords",
    "UnitContext",
    "UnitRatings",
    "PublishedRatings",
    "PublishedKeyQuestions",
    "PublishedFigures",
    "OffendingFactors2013",
    "Reference",
    "PduAliases",
    "SyntheticTruth",
    "CaseFactors",
]

SCHEMA_VERSION = "1.3.0"
"""Version of the processed data contract; bump the major part when a column changes meaning
(1.1.0 added the ``factors`` table; 1.2.0 the ``dataset`` column of case-level tables; 1.3.0
the ``published_totals`` and ``youth_justice_corrections`` tables and the youth corrections)."""

ANSWERS = _fw.ANSWERS
SENTENCE_TYPES = ("community", "licence")
ROSH_LEVELS = ("low", "medium", "high", "very_high")
GENDERS = ("male", "female")
AGE_BANDS = ("18-24", "25-34", "35-49", "50+")
ETHNICITY_GROUPS = ("white", "black", "asian", "mixed", "other", "not_recorded")
OUTCOMES = (
    "new_offence",
    "progress_offending_factors",
    "progress_risk_factors",
    "complied",
    "proven_reoffence_12m",
    "sentence_completed",
)
OFFENDING_FACTORS = (
    "thinking and behaviour",
    "alcohol misuse",
    "attitudes to offending",
    "lifestyle and associates",
    "emotional well-being",
    "drug misuse",
    "difficulties handling relationships",
    "accommodation",
    "ETE",
    "finance",
)
"""Offending-related factors of the 2013 adult framework (York and North Yorkshire 2013 table,
seed 002, in its order, plus finance), labelled as published ("ETE": education, training and
employment)."""
RATINGS = _fw.RATINGS
KEY_QUESTION_COLUMNS: tuple[str, ...] = _fw.get("pdu-2023").key_question_ids
STANDARD_SLUGS: tuple[str, ...] = _fw.get("pdu-2023").standard_slugs

CATEGORY_DTYPES = {
    "sentence_type": pd.CategoricalDtype(SENTENCE_TYPES),
    "rosh": pd.CategoricalDtype(ROSH_LEVELS, ordered=True),
    "gender": pd.CategoricalDtype(GENDERS),
    "age_band": pd.CategoricalDtype(AGE_BANDS, ordered=True),
    "ethnicity_group": pd.CategoricalDtype(ETHNICITY_GROUPS),
    "answer": ANSWER_DTYPE,
    "rating": RATING_DTYPE,
    "offending_factor": pd.CategoricalDtype(OFFENDING_FACTORS),
}
"""Categorical dtypes shared by the processed tables (ratings ordered worst first)."""


def column(parse: str, **checks):
    """A schema field that also names how its raw values are parsed.

    ``parse`` is a parser registered in :mod:`analysis.data.parsers` (``text``, ``pct``,
    ``code:rosh``, …); ``checks`` are pandera's field checks. The build reads the parser from the
    field's metadata, so a column's type, checks and parsing are declared in one place.
    """
    return pa.Field(metadata={"parse": parse}, **checks)


def parser_of(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """Column name -> parser name, in column order, from a model's field metadata."""
    columns = model.to_schema().columns
    return {name: (col.metadata or {})["parse"] for name, col in columns.items()}


# --- case-level inspection records (domain.md §7) ----------------------------------------------
class _Strict(pa.DataFrameModel):
    """Base of every schema: columns exactly as declared, in order, never silently coerced."""

    class Config:
        coerce = False
        strict = True
        ordered = True


class _CaseContext(_Strict):
    """Who and where: the first columns of a case record."""

    case_id: Series[str] = column("text", unique=True, str_length={"min_value": 1})
    inspection_id: Series[str] = column("text")
    framework: Series[pd.CategoricalDtype] = column("category", isin=tuple(_fw.available()))
    region: Series[pd.CategoricalDtype] = column("region")
    region_code: Series[str] = column("text")
    pdu: Series[pd.CategoricalDtype] = column("pdu")
    pdu_code: Series[str] = column("text")
    fieldwork_start: Series[pa.DateTime] = column("date", nullable=True)
    sentence_type: Series[pd.CategoricalDtype] = column("code:sentence_type", isin=SENTENCE_TYPES)
    rosh: Series[pd.CategoricalDtype] = column("code:rosh", isin=ROSH_LEVELS)
    gender: Series[pd.CategoricalDtype] = column("code:gender", isin=GENDERS)
    age_band: Series[pd.CategoricalDtype] = column("code:age_band", isin=AGE_BANDS)
    ethnicity_group: Series[pd.CategoricalDtype] = column(
        "code:ethnicity_group", isin=ETHNICITY_GROUPS
    )


_CaseAnswers = type(
    "_CaseAnswers",
    (_CaseContext,),
    {
        "__module__": __name__,
        "__doc__": "The answer to each key question of the framework (read from its TOML file).",
        "__annotations__": dict.fromkeys(KEY_QUESTION_COLUMNS, Series[pd.CategoricalDtype]),
        **{kq: column("code:answer", isin=ANSWERS) for kq in KEY_QUESTION_COLUMNS},
    },
)


class CaseRecords(_CaseAnswers):
    """One row per inspected case (the contract in ``docs/data-dictionary.md``).

    Context columns, then one answer column per key question of the ``pdu-2023`` framework in
    framework order (``assessment_engagement`` … ``reviewing_keeping_safe``), then outcomes.
    """

    new_offence: Series[pd.BooleanDtype] = column("bool", nullable=True)
    progress_offending_factors: Series[pd.BooleanDtype] = column("bool", nullable=True)
    progress_risk_factors: Series[pd.BooleanDtype] = column("bool", nullable=True)
    complied: Series[pd.BooleanDtype] = column("bool", nullable=True)
    proven_reoffence_12m: Series[pd.BooleanDtype] = column("bool", nullable=True)
    sentence_completed: Series[pd.BooleanDtype] = column("bool", nullable=True)
    source: Series[pd.CategoricalDtype] = column("category")


# --- unit-level tables --------------------------------------------------------------------------
class UnitContext(_Strict):
    """Staffing and caseload context per PDU."""

    region: Series[pd.CategoricalDtype] = column("region")
    region_code: Series[str] = column("text")
    pdu: Series[pd.CategoricalDtype] = column("pdu")
    pdu_code: Series[str] = column("text", unique=True)
    staff_in_post_pct: Series[float] = column("pct", ge=0, le=200, nullable=True)
    vacancy_rate: Series[float] = column("number", ge=0, le=1, nullable=True)
    workload_pct: Series[float] = column("pct", ge=0, le=300, nullable=True)
    caseload: Series[pd.Int64Dtype] = column("count", ge=0, nullable=True)
    source: Series[pd.CategoricalDtype] = column("category")


class UnitRatings(_Strict):
    """Long table of non-case-based (domain one) ratings per PDU."""

    region: Series[pd.CategoricalDtype] = column("region")
    pdu: Series[pd.CategoricalDtype] = column("pdu")
    standard: Series[pd.CategoricalDtype] = column("category", isin=STANDARD_SLUGS)
    rating: Series[pd.CategoricalDtype] = column("rating", isin=RATINGS)
    source: Series[pd.CategoricalDtype] = column("category")

    class Config:
        unique = ["pdu", "standard"]


class PublishedRatings(_Strict):
    """Published adult inspection outcomes, one row per report, exactly as published."""

    region: Series[pd.CategoricalDtype] = column("region:national")
    unit: Series[str] = column("text")
    unit_type: Series[pd.CategoricalDtype] = column(
        "code:category", isin=("pdu", "region", "national")
    )
    pdu: Series[pd.CategoricalDtype] = column("text", nullable=True)
    report_year: Series[pd.Int64Dtype] = column("count", ge=2000, le=2100, nullable=True)
    report_date: Series[str] = column("text", nullable=True)
    year_basis: Series[str] = column("text", nullable=True)
    fieldwork_start: Series[str] = column("text", nullable=True)
    overall_rating: Series[pd.CategoricalDtype] = column("rating", isin=RATINGS, nullable=True)
    score: Series[str] = column("text", nullable=True)
    score_note: Series[str] = column("text", nullable=True)
    leadership: Series[pd.CategoricalDtype] = column("rating", isin=RATINGS, nullable=True)
    staffing: Series[pd.CategoricalDtype] = column("rating", isin=RATINGS, nullable=True)
    services: Series[pd.CategoricalDtype] = column("rating", isin=RATINGS, nullable=True)
    assessment: Series[pd.CategoricalDtype] = column("rating", isin=RATINGS, nullable=True)
    planning: Series[pd.CategoricalDtype] = column("rating", isin=RATINGS, nullable=True)
    implementation_and_delivery: Series[pd.CategoricalDtype] = column(
        "rating", isin=RATINGS, nullable=True
    )
    reviewing: Series[pd.CategoricalDtype] = column("rating", isin=RATINGS, nullable=True)
    standards_basis: Series[str] = column("text", nullable=True)
    source_url: Series[str] = column("text")
    framework: Series[str] = column("text", nullable=True)
    framework_basis: Series[str] = column("text")
    report_date_iso: Series[str] = column("text", nullable=True)
    date_precision: Series[str] = column("text", isin=("day", "month", "year", "none"))


_SOURCE_FIELDS = ("publication", "year", "address")


class PublishedKeyQuestions(_Strict):
    """Published key-question percentages with their case counts."""

    region: Series[pd.CategoricalDtype] = column("region")
    unit: Series[str] = column("text")
    framework: Series[pd.CategoricalDtype] = column("category", isin=tuple(_fw.available()))
    standard: Series[pd.CategoricalDtype] = column("category", isin=STANDARD_SLUGS)
    area: Series[pd.CategoricalDtype] = column("category", isin=_fw.AREAS)
    key_question: Series[pd.CategoricalDtype] = column("category", isin=KEY_QUESTION_COLUMNS)
    pct_yes: Series[float] = column("pct", ge=0, le=100)
    n: Series[pd.Int64Dtype] = column("count", gt=0)
    n_yes: Series[pd.Int64Dtype] = column("count", ge=0, nullable=True)
    note: Series[str] = column("text", nullable=True)
    publication: Series[str] = column("text")
    year: Series[pd.Int64Dtype] = column("count", ge=2000, le=2100)
    address: Series[str] = column("text", nullable=True)

    class Config:
        unique = ["unit", "framework", "key_question", "publication"]


class PublishedFigures(_Strict):
    """Other published figures, one row per figure (counts, percentages, scores), with wording kept."""

    figure_id: Series[str] = column("text", unique=True)
    region: Series[pd.CategoricalDtype] = column("region")
    unit: Series[str] = column("text")
    topic: Series[pd.CategoricalDtype] = column("category")
    measure: Series[str] = column("text")
    value: Series[float] = column("number")
    value_unit: Series[pd.CategoricalDtype] = column(
        "category", isin=("count", "percent", "days", "ratio")
    )
    denominator: Series[pd.Int64Dtype] = column("count", ge=0, nullable=True)
    sum_of: Series[str] = column("text", nullable=True)
    note: Series[str] = column("text", nullable=True)
    publication: Series[str] = column("text")
    year: Series[pd.Int64Dtype] = column("count", ge=2000, le=2100)
    address: Series[str] = column("text", nullable=True)


class OffendingFactors2013(_Strict):
    """York and North Yorkshire 2013: offending-related factors, interventions and progress."""

    unit: Series[str] = column("text")
    factor: Series[str] = column("text", unique=True)
    factor_group: Series[pd.CategoricalDtype] = column(
        "category", isin=("most prevalent", "other common")
    )
    n_cases: Series[pd.Int64Dtype] = column("count", gt=0)
    pct_interventions_sufficient: Series[float] = column("pct", ge=0, le=100)
    pct_progress_sufficient: Series[float] = column("pct", ge=0, le=100)
    publication: Series[str] = column("text")
    year: Series[pd.Int64Dtype] = column("count", ge=2000, le=2100)
    address: Series[str] = column("text", nullable=True)


class Reference(_Strict):
    """Regions and PDUs with their nDelius codes (reference data users may replace)."""

    region_code: Series[str] = column("text")
    region: Series[pd.CategoricalDtype] = column("category")
    pdu_code: Series[str] = column("text", unique=True)
    pdu: Series[pd.CategoricalDtype] = column("category")
    unit_type: Series[pd.CategoricalDtype] = column(
        "code:category", isin=("geographic", "functional")
    )


class PduAliases(_Strict):
    """Other spellings of PDU names found in publications, mapped to the reference name."""

    alias: Series[str] = column("text", unique=True)
    pdu: Series[str] = column("text")
    note: Series[str] = column("text", nullable=True)


class SyntheticTruth(_Strict):
    """True effects of the synthetic generator (never estimates)."""

    outcome: Series[str] = column("text")
    term: Series[str] = column("text")
    true_value: Series[float] = column("number")
    scale: Series[str] = column("text")
    description: Series[str] = column("text")


class CaseFactors(_Strict):
    """One row per case and offending-related factor that applies to it, with two judgements."""

    case_id: Series[str] = column("text", str_length={"min_value": 1})
    region: Series[pd.CategoricalDtype] = column("region")
    pdu: Series[pd.CategoricalDtype] = column("pdu")
    factor: Series[pd.CategoricalDtype] = column("label:offending_factor", isin=OFFENDING_FACTORS)
    sufficient_intervention: Series[pd.BooleanDtype] = column("bool", nullable=True)
    sufficient_progress: Series[pd.BooleanDtype] = column("bool", nullable=True)
    source: Series[pd.CategoricalDtype] = column("category")

    class Config:
        unique = ["case_id", "factor"]


CASE_COLUMNS: tuple[str, ...] = tuple(CaseRecords.to_schema().columns)
"""Column order of case-level records."""


Strict = _Strict
"""The base of every schema, for the schema modules beside this one."""
