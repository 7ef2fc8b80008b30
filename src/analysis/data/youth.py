"""The youth justice scrape: derived rating, points and ISO date, and warnings where it is odd."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from . import normalise as _n
from .ingest import failure

__all__ = ["YOUTH_MAX_SCORE", "youth_checks"]

YOUTH_MAX_SCORE = 36
"""Youth justice inspections score twelve standards out of 36 points (framework youth-2018)."""


def youth_checks(frame, context) -> list[dict]:
    """Derive rating, points and ISO date from the scrape; warn where the scrape is odd.

    Published values are kept as they are; derived columns stay empty where they cannot be
    read, with a warning naming the row.
    """
    out = []
    ratings, points, dates = [], [], []
    for rec in frame.itertuples(index=False):
        where = (rec.file_, rec.row_)
        rating = _fw.parse_rating(rec.overall_rating)
        if rating is None:
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
        value = rec.score_pct * YOUTH_MAX_SCORE / 100 if pd.notna(rec.score_pct) else np.nan
        if pd.notna(value) and abs(value - round(value)) > 0.02:
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
