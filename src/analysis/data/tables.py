"""Which raw files feed each processed table, and how each raw column is parsed.

>>> from analysis.data.tables import TABLES
>>> TABLES["cases"].columns[:3]
('case_id', 'inspection_id', 'framework')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

from .schemas import (
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
    YouthJusticeRatings,
    parser_of,
)

__all__ = ["Table", "TABLES", "DERIVED_COLUMNS"]


# --- how raw files map to tables ------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """A processed table: its model, where its raw files are and how each column is parsed.

    Each column's parser is declared beside its field in the schema
    (:func:`analysis.data.schemas.column`); :attr:`kinds` reads them from there.
    ``required`` is False for tables a project may leave out (synthetic data).
    """

    name: str
    model: type[pa.DataFrameModel]
    patterns: tuple[str, ...]
    description: str
    required: bool = True

    @property
    def kinds(self) -> dict[str, str]:
        """Column -> parser name (see :mod:`analysis.data.parsers`), in column order."""
        return parser_of(self.model)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.kinds)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "reference",
            Reference,
            ("reference/regions_pdus",),
            "Regions and PDUs (Ministry of Justice probation-estate reference data, June 2025).",
        ),
        Table(
            "pdu_aliases",
            PduAliases,
            ("reference/pdu_aliases",),
            "Spellings of PDU names used in publications, mapped to reference names.",
        ),
        Table(
            "cases",
            CaseRecords,
            ("synthetic/cases", "cases/*"),
            "Case-level inspection records (synthetic sample, plus any real records in raw/cases/).",
            required=False,
        ),
        Table(
            "units",
            UnitContext,
            ("synthetic/units", "units/*"),
            "Staffing and caseload context per PDU.",
            required=False,
        ),
        Table(
            "unit_ratings",
            UnitRatings,
            ("synthetic/unit_ratings", "unit_ratings/*"),
            "Domain-one (non-case-based) ratings per PDU, long.",
            required=False,
        ),
        Table(
            "truth",
            SyntheticTruth,
            ("synthetic/truth",),
            "True effects used by the synthetic generator.",
            required=False,
        ),
        Table(
            "factors",
            CaseFactors,
            ("synthetic/factors", "factors/*"),
            "Offending-related factors per case, with sufficient intervention and sufficient progress (synthetic sample, plus any real judgements in raw/factors/).",
            required=False,
        ),
        Table(
            "published_ratings",
            PublishedRatings,
            ("published/published_ratings",),
            "Published adult inspection outcomes 2022-2025, one row per report.",
        ),
        Table(
            "published_key_questions",
            PublishedKeyQuestions,
            ("published/key_questions",),
            "Published key-question percentages with case counts (York PDU 2024).",
        ),
        Table(
            "published_figures",
            PublishedFigures,
            ("published/figures",),
            "Other published figures (outcomes, staffing, User Voice, samples, 2013 scores).",
        ),
        Table(
            "offending_factors_2013",
            OffendingFactors2013,
            ("published/offending_factors_2013",),
            "York and North Yorkshire 2013 offending-related factor table.",
        ),
        Table(
            "youth_justice_ratings",
            YouthJusticeRatings,
            ("published/youth_justice_ratings",),
            "Published youth justice inspection ratings 2021-2025, one row per report "
            "(a public scrape of the Inspectorate's reports; known problems kept and warned).",
        ),
    )
}
"""Every processed table, in build order (reference first: other tables are matched to it)."""

# PublishedRatings carries a derived ``pdu`` column that raw files need not have.
DERIVED_COLUMNS = {
    "published_ratings": (
        "pdu",
        "framework",
        "framework_basis",
        "report_date_iso",
        "date_precision",
    ),
    "youth_justice_ratings": ("rating", "score_points", "publication_date_iso"),
}
