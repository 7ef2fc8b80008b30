"""Which raw files feed each processed table, and how each raw column is parsed.

>>> from analysis.tables import TABLES
>>> TABLES["cases"].columns[:3]
('case_id', 'inspection_id', 'framework')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

from .schemas import (
    KEY_QUESTION_COLUMNS,
    OUTCOMES,
    STANDARD_SLUGS,
    CaseFactors,
    CaseRecords,
    OffendingFactors2013,
    PduAliases,
    PublishedFigures,
    PublishedKeyQuestions,
    PublishedRatings,
    Reference,
    SyntheticTruth,
    UnitContext,
    UnitRatings,
)

__all__ = ["Table", "TABLES", "DERIVED_COLUMNS"]


# --- how raw files map to tables ------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """A processed table: its model, where its raw files are and how each column is parsed.

    ``kinds`` maps each column to a parser: ``text``, ``category``, ``code:<dtype>``
    (a coded category from :data:`CATEGORY_DTYPES` or ``answer``), ``rating``, ``pct``,
    ``count``, ``number``, ``date``, ``bool``, ``region`` or ``pdu`` (matched to the reference),
    ``label:<dtype>`` (a published label from :data:`CATEGORY_DTYPES`, matched ignoring case,
    spacing, punctuation and '&' vs 'and').
    ``required`` is False for tables a project may leave out (synthetic data).
    """

    name: str
    model: type[pa.DataFrameModel]
    patterns: tuple[str, ...]
    kinds: dict
    description: str
    required: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.kinds)


_CASE_KINDS = {
    "case_id": "text",
    "inspection_id": "text",
    "framework": "category",
    "region": "region",
    "region_code": "text",
    "pdu": "pdu",
    "pdu_code": "text",
    "fieldwork_start": "date",
    **{c: f"code:{c}" for c in ("sentence_type", "rosh", "gender", "age_band", "ethnicity_group")},
    **dict.fromkeys(KEY_QUESTION_COLUMNS, "code:answer"),
    **dict.fromkeys(OUTCOMES, "bool"),
    "source": "category",
}
_SOURCE_KINDS = {"publication": "text", "year": "count", "address": "text"}

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "reference",
            Reference,
            ("reference/regions_pdus",),
            {
                "region_code": "text",
                "region": "category",
                "pdu_code": "text",
                "pdu": "category",
                "unit_type": "code:category",
            },
            "Regions and PDUs (Ministry of Justice probation-estate reference data, June 2025).",
        ),
        Table(
            "pdu_aliases",
            PduAliases,
            ("reference/pdu_aliases",),
            {"alias": "text", "pdu": "text", "note": "text"},
            "Spellings of PDU names used in publications, mapped to reference names.",
        ),
        Table(
            "cases",
            CaseRecords,
            ("synthetic/cases", "cases/*"),
            _CASE_KINDS,
            "Case-level inspection records (synthetic sample, plus any real records in raw/cases/).",
            required=False,
        ),
        Table(
            "units",
            UnitContext,
            ("synthetic/units", "units/*"),
            {
                "region": "region",
                "region_code": "text",
                "pdu": "pdu",
                "pdu_code": "text",
                "staff_in_post_pct": "pct",
                "vacancy_rate": "number",
                "workload_pct": "pct",
                "caseload": "count",
                "source": "category",
            },
            "Staffing and caseload context per PDU.",
            required=False,
        ),
        Table(
            "unit_ratings",
            UnitRatings,
            ("synthetic/unit_ratings", "unit_ratings/*"),
            {
                "region": "region",
                "pdu": "pdu",
                "standard": "category",
                "rating": "rating",
                "source": "category",
            },
            "Domain-one (non-case-based) ratings per PDU, long.",
            required=False,
        ),
        Table(
            "truth",
            SyntheticTruth,
            ("synthetic/truth",),
            {
                "outcome": "text",
                "term": "text",
                "true_value": "number",
                "scale": "text",
                "description": "text",
            },
            "True effects used by the synthetic generator.",
            required=False,
        ),
        Table(
            "factors",
            CaseFactors,
            ("synthetic/factors", "factors/*"),
            {
                "case_id": "text",
                "region": "region",
                "pdu": "pdu",
                "factor": "label:offending_factor",
                "sufficient_intervention": "bool",
                "sufficient_progress": "bool",
                "source": "category",
            },
            "Offending-related factors per case, with sufficient intervention and sufficient "
            "progress (synthetic sample, plus any real judgements in raw/factors/).",
            required=False,
        ),
        Table(
            "published_ratings",
            PublishedRatings,
            ("published/published_ratings",),
            {
                "region": "region_or_national",
                "unit": "text",
                "unit_type": "code:category",
                "pdu": "text",
                "report_year": "count",
                "report_date": "text",
                "year_basis": "text",
                "fieldwork_start": "text",
                "overall_rating": "rating",
                "score": "text",
                "score_note": "text",
                **dict.fromkeys(STANDARD_SLUGS, "rating"),
                "standards_basis": "text",
                "source_url": "text",
            },
            "Published adult inspection outcomes 2022-2025, one row per report.",
        ),
        Table(
            "published_key_questions",
            PublishedKeyQuestions,
            ("published/key_questions",),
            {
                "region": "region",
                "unit": "text",
                "framework": "category",
                "standard": "category",
                "area": "category",
                "key_question": "category",
                "pct_yes": "pct",
                "n": "count",
                "n_yes": "count",
                "note": "text",
                **_SOURCE_KINDS,
            },
            "Published key-question percentages with case counts (York PDU 2024).",
        ),
        Table(
            "published_figures",
            PublishedFigures,
            ("published/figures",),
            {
                "figure_id": "text",
                "region": "region",
                "unit": "text",
                "topic": "category",
                "measure": "text",
                "value": "number",
                "value_unit": "category",
                "denominator": "count",
                "sum_of": "text",
                "note": "text",
                **_SOURCE_KINDS,
            },
            "Other published figures (outcomes, staffing, User Voice, samples, 2013 scores).",
        ),
        Table(
            "offending_factors_2013",
            OffendingFactors2013,
            ("published/offending_factors_2013",),
            {
                "unit": "text",
                "factor": "text",
                "factor_group": "category",
                "n_cases": "count",
                "pct_interventions_sufficient": "pct",
                "pct_progress_sufficient": "pct",
                **_SOURCE_KINDS,
            },
            "York and North Yorkshire 2013 offending-related factor table.",
        ),
    )
}
"""Every processed table, in build order (reference first: other tables are matched to it)."""

# PublishedRatings carries a derived ``pdu`` column that raw files need not have.
DERIVED_COLUMNS = {"published_ratings": ("pdu",)}
