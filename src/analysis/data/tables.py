"""Which raw files feed each processed table, and how each raw column is parsed.

>>> from analysis.data.tables import TABLES
>>> TABLES["cases"].columns[:3]
('case_id', 'inspection_id', 'framework')
"""

from __future__ import annotations

from dataclasses import dataclass

from ._pandera import pa
from .published_schemas import PublishedTotals, YouthJusticeCorrections, YouthJusticeRatings
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
    parser_of,
)

__all__ = ["Table", "TABLES", "DERIVED_COLUMNS", "DATASET_COLUMN"]

DATASET_COLUMN = "dataset"
"""Last column of every processed case-level table: the dataset each row belongs to."""


# --- how raw files map to tables ------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """A processed table: its model, where its raw files are and how each column is parsed.

    Each column's parser is declared beside its field in the schema
    (:func:`analysis.data.schemas.column`); :attr:`kinds` reads them from there.
    ``required`` is False for tables a project may leave out. ``patterns`` are relative to
    ``data/raw`` for shared tables, and to each dataset's folder when ``per_dataset``.
    """

    name: str
    model: type[pa.DataFrameModel]
    patterns: tuple[str, ...]
    description: str
    required: bool = True
    per_dataset: bool = False
    """True for case-level tables, read from each dataset's folder (patterns relative to it)."""

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
            ("cases", "cases/*"),
            "Case-level inspection records, per dataset.",
            required=False,
            per_dataset=True,
        ),
        Table(
            "units",
            UnitContext,
            ("units", "units/*"),
            "Staffing and caseload context per PDU, per dataset.",
            required=False,
            per_dataset=True,
        ),
        Table(
            "unit_ratings",
            UnitRatings,
            ("unit_ratings", "unit_ratings/*"),
            "Domain-one (non-case-based) ratings per PDU, long, per dataset.",
            required=False,
            per_dataset=True,
        ),
        Table(
            "truth",
            SyntheticTruth,
            ("truth",),
            "True effects used by the synthetic generator (synthetic datasets only).",
            required=False,
            per_dataset=True,
        ),
        Table(
            "factors",
            CaseFactors,
            ("factors", "factors/*"),
            "Offending-related factors per case, with sufficient intervention and sufficient progress, per dataset.",
            required=False,
            per_dataset=True,
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
            "youth_justice_corrections",
            YouthJusticeCorrections,
            ("published/youth_justice_corrections",),
            "Corrections to the youth justice scrape: original value, corrected value and the "
            "Inspectorate's page that states it.",
            required=False,
        ),
        Table(
            "youth_justice_ratings",
            YouthJusticeRatings,
            ("published/youth_justice_ratings",),
            "Published youth justice inspection ratings 2021-2025, one row per report "
            "(a public scrape of the Inspectorate's reports; known problems kept and warned).",
        ),
        Table(
            "published_totals",
            PublishedTotals,
            ("published/published_totals",),
            "Totals the Inspectorate states about its reports (counts by period and rating), "
            "each with its source; the build reconciles the record against them.",
            required=False,
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
    "youth_justice_ratings": (
        "rating",
        "score_points",
        "publication_date_iso",
        "corrected",
        "correction_source",
    ),
}
