"""Schemas of every table the workspace reads: pandera models plus how each raw column is parsed.

Each processed table has a :class:`pandera.pandas.DataFrameModel` (typed, constrained fields)
and a :class:`Table` entry in :data:`TABLES` saying which raw files feed it and how each column
is read (its *kind*). :mod:`analysis.build` parses with the kinds, then validates lazily with
the model, so every failure is reported at once.

>>> from analysis import schemas
>>> schemas.KEY_QUESTION_COLUMNS[:2]
('assessment_engagement', 'assessment_desistance')
>>> schemas.CASE_COLUMNS[:3]
('case_id', 'inspection_id', 'framework')
>>> schemas.SCHEMA_VERSION
'1.1.0'
>>> schemas.OFFENDING_FACTORS[:2]
('thinking and behaviour', 'alcohol misuse')
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from . import frameworks as _fw

__all__ = [
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

SCHEMA_VERSION = "1.1.0"
"""Version of the processed data contract; bump the major part when a column changes meaning
(1.1.0 added the ``factors`` table)."""

ANSWERS = ("yes", "no", "not_applicable")
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
    "answer": pd.CategoricalDtype(ANSWERS),
    "rating": pd.CategoricalDtype(list(reversed(RATINGS)), ordered=True),
    "offending_factor": pd.CategoricalDtype(OFFENDING_FACTORS),
}
"""Categorical dtypes shared by the processed tables (ratings ordered worst first, so that
``Inadequate < Good``, as in :data:`analysis.ratings.RATING_DTYPE`)."""

_CHECK = {"coerce": False, "strict": True, "ordered": True}


def _answer(**kw):
    return pa.Field(isin=ANSWERS, **kw)


# --- case-level inspection records (domain.md §7) ----------------------------------------------
class _Strict(pa.DataFrameModel):
    """Base of every schema: columns exactly as declared, in order, never silently coerced."""

    class Config:
        coerce = False
        strict = True
        ordered = True


class CaseRecords(_Strict):
    """One row per inspected case (the contract in ``docs/data-dictionary.md``)."""

    case_id: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    inspection_id: Series[str]
    framework: Series[pd.CategoricalDtype] = pa.Field(isin=tuple(_fw.available()))
    region: Series[pd.CategoricalDtype]
    region_code: Series[str]
    pdu: Series[pd.CategoricalDtype]
    pdu_code: Series[str]
    fieldwork_start: Series[pa.DateTime] = pa.Field(nullable=True)
    sentence_type: Series[pd.CategoricalDtype] = pa.Field(isin=SENTENCE_TYPES)
    rosh: Series[pd.CategoricalDtype] = pa.Field(isin=ROSH_LEVELS)
    gender: Series[pd.CategoricalDtype] = pa.Field(isin=GENDERS)
    age_band: Series[pd.CategoricalDtype] = pa.Field(isin=AGE_BANDS)
    ethnicity_group: Series[pd.CategoricalDtype] = pa.Field(isin=ETHNICITY_GROUPS)
    assessment_engagement: Series[pd.CategoricalDtype] = _answer()
    assessment_desistance: Series[pd.CategoricalDtype] = _answer()
    assessment_keeping_safe: Series[pd.CategoricalDtype] = _answer()
    planning_engagement: Series[pd.CategoricalDtype] = _answer()
    planning_desistance: Series[pd.CategoricalDtype] = _answer()
    planning_keeping_safe: Series[pd.CategoricalDtype] = _answer()
    implementation_and_delivery_engagement: Series[pd.CategoricalDtype] = _answer()
    implementation_and_delivery_desistance: Series[pd.CategoricalDtype] = _answer()
    implementation_and_delivery_keeping_safe: Series[pd.CategoricalDtype] = _answer()
    reviewing_engagement: Series[pd.CategoricalDtype] = _answer()
    reviewing_desistance: Series[pd.CategoricalDtype] = _answer()
    reviewing_keeping_safe: Series[pd.CategoricalDtype] = _answer()
    new_offence: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    progress_offending_factors: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    progress_risk_factors: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    complied: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    proven_reoffence_12m: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    sentence_completed: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    source: Series[pd.CategoricalDtype]


# --- unit-level tables --------------------------------------------------------------------------
class UnitContext(_Strict):
    """Staffing and caseload context per PDU."""

    region: Series[pd.CategoricalDtype]
    region_code: Series[str]
    pdu: Series[pd.CategoricalDtype]
    pdu_code: Series[str] = pa.Field(unique=True)
    staff_in_post_pct: Series[float] = pa.Field(ge=0, le=200, nullable=True)
    vacancy_rate: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    workload_pct: Series[float] = pa.Field(ge=0, le=300, nullable=True)
    caseload: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    source: Series[pd.CategoricalDtype]


class UnitRatings(_Strict):
    """Long table of non-case-based (domain one) ratings per PDU."""

    region: Series[pd.CategoricalDtype]
    pdu: Series[pd.CategoricalDtype]
    standard: Series[pd.CategoricalDtype] = pa.Field(isin=STANDARD_SLUGS)
    rating: Series[pd.CategoricalDtype] = pa.Field(isin=RATINGS)
    source: Series[pd.CategoricalDtype]

    class Config:
        unique = ["pdu", "standard"]


class PublishedRatings(_Strict):
    """Published adult inspection outcomes, one row per report, exactly as published."""

    region: Series[pd.CategoricalDtype]
    unit: Series[str]
    unit_type: Series[pd.CategoricalDtype] = pa.Field(isin=("pdu", "region", "national"))
    pdu: Series[pd.CategoricalDtype] = pa.Field(nullable=True)
    report_year: Series[pd.Int64Dtype] = pa.Field(ge=2000, le=2100, nullable=True)
    report_date: Series[str] = pa.Field(nullable=True)
    year_basis: Series[str] = pa.Field(nullable=True)
    fieldwork_start: Series[str] = pa.Field(nullable=True)
    overall_rating: Series[pd.CategoricalDtype] = pa.Field(isin=RATINGS, nullable=True)
    score: Series[str] = pa.Field(nullable=True)
    score_note: Series[str] = pa.Field(nullable=True)
    leadership: Series[pd.CategoricalDtype] = pa.Field(isin=RATINGS, nullable=True)
    staffing: Series[pd.CategoricalDtype] = pa.Field(isin=RATINGS, nullable=True)
    services: Series[pd.CategoricalDtype] = pa.Field(isin=RATINGS, nullable=True)
    assessment: Series[pd.CategoricalDtype] = pa.Field(isin=RATINGS, nullable=True)
    planning: Series[pd.CategoricalDtype] = pa.Field(isin=RATINGS, nullable=True)
    implementation_and_delivery: Series[pd.CategoricalDtype] = pa.Field(isin=RATINGS, nullable=True)
    reviewing: Series[pd.CategoricalDtype] = pa.Field(isin=RATINGS, nullable=True)
    standards_basis: Series[str] = pa.Field(nullable=True)
    source_url: Series[str]


_SOURCE_FIELDS = ("publication", "year", "address")


class PublishedKeyQuestions(_Strict):
    """Published key-question percentages with their case counts."""

    region: Series[pd.CategoricalDtype]
    unit: Series[str]
    framework: Series[pd.CategoricalDtype] = pa.Field(isin=tuple(_fw.available()))
    standard: Series[pd.CategoricalDtype] = pa.Field(isin=STANDARD_SLUGS)
    area: Series[pd.CategoricalDtype] = pa.Field(isin=_fw.AREAS)
    key_question: Series[pd.CategoricalDtype] = pa.Field(isin=KEY_QUESTION_COLUMNS)
    pct_yes: Series[float] = pa.Field(ge=0, le=100)
    n: Series[pd.Int64Dtype] = pa.Field(gt=0)
    n_yes: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    note: Series[str] = pa.Field(nullable=True)
    publication: Series[str]
    year: Series[pd.Int64Dtype] = pa.Field(ge=2000, le=2100)
    address: Series[str] = pa.Field(nullable=True)

    class Config:
        unique = ["unit", "framework", "key_question", "publication"]


class PublishedFigures(_Strict):
    """Other published figures, one row per figure (counts, percentages, scores), with wording kept."""

    figure_id: Series[str] = pa.Field(unique=True)
    region: Series[pd.CategoricalDtype]
    unit: Series[str]
    topic: Series[pd.CategoricalDtype]
    measure: Series[str]
    value: Series[float]
    value_unit: Series[pd.CategoricalDtype] = pa.Field(isin=("count", "percent", "days", "ratio"))
    denominator: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    sum_of: Series[str] = pa.Field(nullable=True)
    note: Series[str] = pa.Field(nullable=True)
    publication: Series[str]
    year: Series[pd.Int64Dtype] = pa.Field(ge=2000, le=2100)
    address: Series[str] = pa.Field(nullable=True)


class OffendingFactors2013(_Strict):
    """York and North Yorkshire 2013: offending-related factors, interventions and progress."""

    unit: Series[str]
    factor: Series[str] = pa.Field(unique=True)
    factor_group: Series[pd.CategoricalDtype] = pa.Field(isin=("most prevalent", "other common"))
    n_cases: Series[pd.Int64Dtype] = pa.Field(gt=0)
    pct_interventions_sufficient: Series[float] = pa.Field(ge=0, le=100)
    pct_progress_sufficient: Series[float] = pa.Field(ge=0, le=100)
    publication: Series[str]
    year: Series[pd.Int64Dtype] = pa.Field(ge=2000, le=2100)
    address: Series[str] = pa.Field(nullable=True)


class Reference(_Strict):
    """Regions and PDUs with their nDelius codes (reference data users may replace)."""

    region_code: Series[str]
    region: Series[pd.CategoricalDtype]
    pdu_code: Series[str] = pa.Field(unique=True)
    pdu: Series[pd.CategoricalDtype]
    unit_type: Series[pd.CategoricalDtype] = pa.Field(isin=("geographic", "functional"))


class PduAliases(_Strict):
    """Other spellings of PDU names found in publications, mapped to the reference name."""

    alias: Series[str] = pa.Field(unique=True)
    pdu: Series[str]
    note: Series[str] = pa.Field(nullable=True)


class SyntheticTruth(_Strict):
    """True effects of the synthetic generator (never estimates)."""

    outcome: Series[str]
    term: Series[str]
    true_value: Series[float]
    scale: Series[str]
    description: Series[str]


class CaseFactors(_Strict):
    """One row per case and offending-related factor that applies to it, with two judgements."""

    case_id: Series[str] = pa.Field(str_length={"min_value": 1})
    region: Series[pd.CategoricalDtype]
    pdu: Series[pd.CategoricalDtype]
    factor: Series[pd.CategoricalDtype] = pa.Field(isin=OFFENDING_FACTORS)
    sufficient_intervention: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    sufficient_progress: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    source: Series[pd.CategoricalDtype]

    class Config:
        unique = ["case_id", "factor"]


CASE_COLUMNS: tuple[str, ...] = tuple(CaseRecords.to_schema().columns)
"""Column order of case-level records."""


def __getattr__(name: str):
    # The raw-file registry lives in analysis.tables (it needs the models above).
    if name in ("TABLES", "Table", "DERIVED_COLUMNS"):
        from . import tables

        return getattr(tables, name)
    raise AttributeError(f"module 'analysis.schemas' has no attribute {name!r}")
