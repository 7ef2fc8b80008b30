"""The youth justice scrape: corrections, derived rating, points and ISO date, and warnings.

The scrape is kept as published. Where the Inspectorate's own page states another value, the
corrections table (``data/raw/published/youth_justice_corrections.csv``: original, corrected,
source) says so, and the derived columns (``rating``, ``score_points``) use the corrected value;
``corrected`` names the columns corrected and ``correction_source`` the page. A correction
whose ``original`` is not the scraped value is not applied (the scrape changed): a warning.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from . import normalise as _n
from .ingest import failure

__all__ = ["YOUTH_MAX_SCORE", "youth_checks", "corrections_for"]

YOUTH_MAX_SCORE: int = _fw.get("youth-2018").max_score
"""Points a youth justice inspection scores its twelve standards out of (framework youth-2018)."""


def _same(original, scraped) -> bool:
    if pd.isna(scraped):
        return False
    try:
        return abs(float(original) - float(scraped)) < 1e-9
    except (TypeError, ValueError):
        return str(original).strip() == str(scraped).strip()


def corrections_for(frame, corrections) -> tuple[dict, list[dict]]:
    """``{(la_ref, column): (corrected value or None, source_url)}`` and warnings.

    A correction is applied only where its ``original`` is the scraped value; one naming an
    unknown ``la_ref`` or another original is reported, never applied.
    """
    if corrections is None or corrections.empty:
        return {}, []
    scraped = frame.set_index("la_ref")
    applied, out = {}, []
    for rec in corrections.itertuples(index=False):
        column = str(rec.corrected_column)
        where = (getattr(rec, "file_", "youth_justice_corrections"), getattr(rec, "row_", None))
        if rec.la_ref not in scraped.index:
            out.append(
                failure(
                    *where,
                    "la_ref",
                    rec.la_ref,
                    "known_report",
                    "the la_ref of a row of youth_justice_ratings; this correction is not applied",
                    severity="warning",
                )
            )
            continue
        have = scraped.at[rec.la_ref, column]
        if not _same(rec.original, have):
            out.append(
                failure(
                    *where,
                    "original",
                    rec.original,
                    "original_matches_scrape",
                    f"the scraped value of {column} for {rec.la_ref} ({have}); the scrape has "
                    "changed, so this correction is not applied. Check it against its source",
                    severity="warning",
                )
            )
            continue
        value = None if pd.isna(rec.corrected) else str(rec.corrected)
        applied[(rec.la_ref, column)] = (value, str(rec.source_url))
    return applied, out


def youth_checks(frame, context) -> list[dict]:
    """Apply corrections; derive rating, points and ISO date; warn where the scrape is odd.

    Published values are kept as they are; derived columns stay empty where they cannot be
    read, with a warning naming the row. A corrected cell is reported once, as corrected,
    with its source, instead of the warning the scraped value would raise.
    """
    applied, out = corrections_for(frame, context.get("youth_justice_corrections"))
    ratings, points, dates, corrected, sources = [], [], [], [], []
    for rec in frame.itertuples(index=False):
        where = (rec.file_, rec.row_)
        fixes = {
            c: applied[(rec.la_ref, c)]
            for c in ("overall_rating", "score_pct")
            if (rec.la_ref, c) in applied
        }
        corrected.append("; ".join(fixes) or None)
        sources.append("; ".join(sorted({src for _, src in fixes.values()})) or None)
        for column, (value, src) in fixes.items():
            out.append(
                failure(
                    *where,
                    "score_pct" if column == "score_pct" else "overall_rating",
                    getattr(rec, column),
                    "corrected",
                    f"corrected to {value if value is not None else 'empty (not stated)'} from "
                    f"{src} (youth_justice_corrections.csv); the scraped value is kept",
                    severity="warning",
                )
            )
        rating_text = (
            fixes["overall_rating"][0] if "overall_rating" in fixes else rec.overall_rating
        )
        rating = _fw.parse_rating(rating_text)
        score_pct = rec.score_pct
        if "score_pct" in fixes:
            score_pct = float(fixes["score_pct"][0]) if fixes["score_pct"][0] else np.nan
        if rating is None and "overall_rating" not in fixes:
            out.append(
                failure(
                    *where,
                    "overall_rating",
                    rec.overall_rating,
                    "is_rating",
                    "a rating (Outstanding, Good, Requires improvement, Inadequate); kept as published, with no rating derived",
                    severity="warning",
                )
            )
        ratings.append(rating)
        value = score_pct * YOUTH_MAX_SCORE / 100 if pd.notna(score_pct) else np.nan
        if pd.notna(value) and abs(value - round(value)) > 0.02 and "score_pct" not in fixes:
            out.append(
                failure(
                    *where,
                    "score_pct",
                    rec.score_pct,
                    "whole_points",
                    f"a whole number of points out of {YOUTH_MAX_SCORE}; {rec.score_pct}% is {value:.2f} points, kept unrounded",
                    severity="warning",
                )
            )
        points.append(value)
        date = _n.parse_date(rec.publication_date, day_first_two_digit_year=True)
        if date is None:
            out.append(
                failure(
                    *where,
                    "publication_date",
                    rec.publication_date,
                    "date",
                    "a date as dd/mm/yy; kept as published, with no ISO date",
                    severity="warning",
                )
            )
        dates.append(date.strftime("%Y-%m-%d") if date is not None else None)
        if isinstance(rec.la_name, str) and rec.la_name.lower().startswith(
            ("an inspection of", "inspection of")
        ):
            out.append(
                failure(
                    *where,
                    "la_name",
                    rec.la_name,
                    "service_name",
                    "the name of a youth justice service; this looks like a report title, kept as published",
                    severity="warning",
                )
            )
    frame["rating"] = pd.array(ratings, dtype=object)
    frame["score_points"] = np.asarray(points, dtype=float)
    frame["publication_date_iso"] = pd.array(dates, dtype=object)
    frame["corrected"] = pd.array(corrected, dtype=object)
    frame["correction_source"] = pd.array(sources, dtype=object)
    if len(frame):
        out.append(
            failure(
                frame["file_"].iloc[0],
                None,
                "staff ... joint_working",
                None,
                "standards_reliable",
                "standard ratings as published; in this scrape they are unreliable ('Requires improvement' never appears, some columns belong to other report layouts), so no analysis uses them",
                severity="warning",
            )
        )
    return out
