"""Extracted reports beside the published ratings table: agreements and differences per report.

``compare_published(reports, ratings, published)`` takes the extracted ``reports`` and
``ratings`` tables (``analysis.data.load_extracted``) and the published ratings table
(``analysis.data.load_published_ratings``) and returns one row per extracted report and rated
item (overall rating, score, each standard the published table has a column for).

A report is paired with a published row by unit (the names' keys, see
:func:`analysis.extract.identity.unit_key`) and year: the extracted publication date's year
against ``report_year``. An undated extracted report is paired only when the published table
holds exactly one report of that unit; otherwise every row says it is ambiguous. Nothing is
paired by guess. :func:`per_report` counts the statuses of each report (one row per report).
"""

from __future__ import annotations

import pandas as pd

from ..data.schemas import STANDARD_SLUGS
from .identity import unit_key

__all__ = ["compare_published", "per_report", "COMPARED", "STATUSES"]

COMPARED = ("overall", "score", *STANDARD_SLUGS)
"""Items compared: the overall rating, the score and the standards with a published column."""

STATUSES = {
    "agrees": "extracted and published values are the same",
    "differs": "extracted and published values differ",
    "not extracted": "the published table gives a value the extracted report does not",
    "not published": "the extracted report gives a value the published table does not",
    "no published report": "no published row for this unit (and year)",
    "ambiguous": "the extracted report has no date and the unit has several published reports",
}
"""What each ``status`` means."""

_COLUMNS = [
    "report_id",
    "unit",
    "layout",
    "publication_date",
    "published_unit",
    "report_year",
    "item",
    "extracted",
    "published",
    "agrees",
    "status",
    "source_text",
]


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text.capitalize() if text.lower() in _RATINGS else text or None


_RATINGS = {"outstanding", "good", "requires improvement", "inadequate"}


def _extracted_items(ratings: pd.DataFrame, report_id: str) -> dict[str, tuple[str | None, str]]:
    mine = ratings[ratings["report_id"] == report_id]
    out: dict[str, tuple[str | None, str]] = {}
    for row in mine.itertuples(index=False):
        if row.standard in COMPARED and row.standard not in out:
            out[row.standard] = (_text(row.rating), str(row.source_text))
        if row.standard == "overall" and not pd.isna(row.score):
            top = "" if pd.isna(row.max_score) else f"/{int(row.max_score)}"
            out["score"] = (f"{int(row.score)}{top}", str(row.source_text))
    return out


def compare_published(
    reports: pd.DataFrame, ratings: pd.DataFrame, published: pd.DataFrame
) -> pd.DataFrame:
    """Agreements and differences between extracted reports and the published table.

    Parameters
    ----------
    reports, ratings : DataFrame
        The extracted ``reports`` and ``ratings`` tables.
    published : DataFrame
        The published ratings table (columns ``unit``, ``report_year``, ``overall_rating``,
        ``score`` and one per standard).

    Returns
    -------
    DataFrame
        One row per extracted report and item, columns ``report_id, unit, layout,
        publication_date, published_unit, report_year, item, extracted, published, agrees,
        status, source_text``; ``status`` is one of :data:`STATUSES`, ``agrees`` is missing
        where either value is.
    """
    pub = published.assign(_key=published["unit"].map(unit_key))
    rows = []
    for rep in reports.itertuples(index=False):
        key = unit_key(rep.unit)
        same_unit = pub[pub["_key"] == key]
        if "unit_type" in pub.columns:  # a youth service is not the PDU of the same name
            same_unit = same_unit[same_unit["unit_type"].fillna(rep.unit_type) == rep.unit_type]
        date = rep.publication_date if isinstance(rep.publication_date, str) else None
        base = {
            "report_id": rep.report_id,
            "unit": rep.unit,
            "layout": rep.layout,
            "publication_date": date,
        }
        if date:
            match = same_unit[same_unit["report_year"].astype(str).str[:4] == date[:4]]
        else:
            match = same_unit
        extracted = _extracted_items(ratings, rep.report_id)
        if len(match) != 1:
            status = "ambiguous" if len(match) > 1 else "no published report"
            for item, (value, source) in extracted.items():
                rows.append(
                    {
                        **base,
                        "published_unit": None,
                        "report_year": None,
                        "item": item,
                        "extracted": value,
                        "published": None,
                        "agrees": None,
                        "status": status,
                        "source_text": source,
                    }
                )
            continue
        p = match.iloc[0]
        for item in COMPARED:
            column = "overall_rating" if item == "overall" else item
            published_value = _text(p[column]) if column in p.index else None
            value, source = extracted.get(item, (None, None))
            if value is None and published_value is None:
                continue
            if value is None:
                status, agrees = "not extracted", None
            elif published_value is None:
                status, agrees = "not published", None
            else:
                if item == "score" and "/" not in published_value:
                    value = value.split("/")[0]  # the table gives the score alone
                agrees = value == published_value
                status = "agrees" if agrees else "differs"
            rows.append(
                {
                    **base,
                    "published_unit": p["unit"],
                    "report_year": None if pd.isna(p["report_year"]) else str(p["report_year"]),
                    "item": item,
                    "extracted": value,
                    "published": published_value,
                    "agrees": agrees,
                    "status": status,
                    "source_text": source,
                }
            )
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    return frame.astype({"agrees": "boolean"}).astype(
        {c: "string" for c in _COLUMNS if c != "agrees"}
    )


def per_report(table: pd.DataFrame, reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per extracted report: how its items compare with the published table.

    ``table`` is what :func:`compare_published` returns. Columns: ``report_id``, ``unit``,
    ``publication_date``, ``published_unit``, ``report_year``, ``items`` and one count per
    :data:`STATUSES` entry, in that order; reports in the order they were compared. With the
    extracted ``reports`` table, a report that states no rating appears too, with 0 items.

    >>> t = pd.DataFrame({"report_id": ["a", "a", "b"], "unit": ["X", "X", "Y"],
    ...                   "publication_date": ["2024-01-02"] * 3, "published_unit": ["X", "X", None],
    ...                   "report_year": ["2024", "2024", None], "item": ["overall", "score", "overall"],
    ...                   "status": ["agrees", "differs", "no published report"]})
    >>> per_report(t)[["report_id", "items", "agrees", "differs", "no published report"]]
      report_id  items  agrees  differs  no published report
    0         a      2       1        1                    0
    1         b      1       0        0                    1
    """
    keys = ["report_id", "unit", "publication_date", "published_unit", "report_year"]
    columns = [*keys, "items", *STATUSES]
    if reports is not None:
        missing = reports[~reports["report_id"].isin(table["report_id"])]
        blank = missing[["report_id", "unit", "publication_date"]].assign(
            published_unit=None, report_year=None, status=pd.NA
        )
        table = pd.concat([table, blank], ignore_index=True) if len(blank) else table
    if table.empty:
        return pd.DataFrame(columns=columns)
    frame = table[keys + ["status"]].astype(object).where(table[keys + ["status"]].notna(), "")
    items = frame[frame["status"] != ""]
    counts = pd.crosstab(items["report_id"], items["status"])
    firsts = frame.drop_duplicates("report_id").set_index("report_id")[keys[1:]]
    out = firsts.join(counts.reindex(columns=list(STATUSES), fill_value=0))
    out.insert(len(keys) - 1, "items", counts.sum(axis=1).reindex(out.index))
    out[["items", *STATUSES]] = out[["items", *STATUSES]].fillna(0).astype(int)
    out = out.reset_index()[columns]
    return out.replace({"": None})
