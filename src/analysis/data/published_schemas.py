"""Schemas of the youth justice scrape and of the tables that check and correct the record.

``youth_justice_ratings`` (the scrape, as published, with derived columns),
``youth_justice_corrections`` (corrections to it, with their sources) and ``published_totals``
(totals the Inspectorate states about its own reports). Each
column's type, checks and parser are declared here, as in :mod:`analysis.data.schemas`.
"""

from __future__ import annotations

import pandas as pd
from pandera.typing import Series

from ..frameworks import RATINGS
from .schemas import Strict, column

__all__ = [
    "PublishedTotals",
    "YOUTH_CORRECTABLE",
    "YOUTH_STANDARD_COLUMNS",
    "YouthJusticeCorrections",
    "YouthJusticeRatings",
]


YOUTH_STANDARD_COLUMNS = (
    "staff",
    "partnerships_and_services",
    "information_and_facilities",
    "assessment",
    "planning",
    "reviewing",
    "implementation_and_delivery",
    "resettlement_policy_and_provision",
    "governance_and_leadership",
    "outofcourt_disposal_policy_and_provision",
    "policy_and_provision",
    "joint_working",
)
"""Standard columns of the youth justice scrape, as scraped (unreliable: see its notice)."""


class YouthJusticeRatings(Strict):
    """Published youth justice inspection ratings 2021-2025, one row per report, as scraped.

    ``overall_rating``, ``score_pct`` and ``publication_date`` are kept exactly as published;
    ``rating``, ``score_points`` and ``publication_date_iso`` are derived by the build (see the
    data dictionary), and every row the derivation cannot read is a build warning.
    """

    la_name: Series[str] = column("text")
    la_ref: Series[str] = column("text", unique=True)
    score_pct: Series[float] = column("pct", ge=0, le=100)
    overall_rating: Series[str] = column("text")
    publication_date: Series[str] = column("text")
    report_url: Series[str] = column("text")
    staff: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    partnerships_and_services: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    information_and_facilities: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    assessment: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    planning: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    reviewing: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    implementation_and_delivery: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    resettlement_policy_and_provision: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    governance_and_leadership: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    outofcourt_disposal_policy_and_provision: Series[pd.CategoricalDtype] = column(
        "rating", nullable=True
    )
    policy_and_provision: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    joint_working: Series[pd.CategoricalDtype] = column("rating", nullable=True)
    rating: Series[pd.CategoricalDtype] = column("text", isin=RATINGS, nullable=True)
    score_points: Series[float] = column("number", ge=0, le=36, nullable=True)
    publication_date_iso: Series[str] = column("text", nullable=True)
    corrected: Series[str] = column("text", nullable=True)
    correction_source: Series[str] = column("text", nullable=True)


class PublishedTotals(Strict):
    """Totals the Inspectorate states about its own reports, each with its statement and address.

    A row counts the reports of one kind (``unit_type``) in ``table`` published from
    ``period_start`` to ``period_end`` (``YYYY-MM``), of one ``rating`` (empty: any rating).
    """

    total_id: Series[str] = column("text", unique=True)
    table: Series[pd.CategoricalDtype] = column(
        "code:category", isin=("published_ratings", "youth_justice_ratings")
    )
    unit_type: Series[pd.CategoricalDtype] = column(
        "code:category", isin=("pdu", "region", "national", "service")
    )
    period_start: Series[str] = column("text", str_matches=r"^\d{4}(-\d{2})?$")
    period_end: Series[str] = column("text", str_matches=r"^\d{4}(-\d{2})?$")
    rating: Series[pd.CategoricalDtype] = column("rating", isin=RATINGS, nullable=True)
    stated_count: Series[pd.Int64Dtype] = column("count", ge=0)
    statement: Series[str] = column("text")
    source_url: Series[str] = column("text")
    note: Series[str] = column("text", nullable=True)


YOUTH_CORRECTABLE = ("overall_rating", "score_pct")
"""Columns of the youth scrape that a row of the corrections table may correct."""


class YouthJusticeCorrections(Strict):
    """Corrections to the youth justice scrape: the scraped value, the corrected one, the source.

    ``corrected`` is empty where the scraped value is wrong and the right one is not stated in
    the sources consulted; ``source_quote`` is at most 25 words of the sentence that states it.
    """

    la_ref: Series[str] = column("text")
    corrected_column: Series[pd.CategoricalDtype] = column("code:category", isin=YOUTH_CORRECTABLE)
    original: Series[str] = column("text")
    corrected: Series[str] = column("text", nullable=True)
    source_url: Series[str] = column("text")
    source_quote: Series[str] = column("text")
    note: Series[str] = column("text", nullable=True)

    class Config:
        unique = ["la_ref", "corrected_column"]
