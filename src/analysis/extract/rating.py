"""Rate every extracted key-question table with the framework's rules; list differences.

Uses the public rating engine (:func:`analysis.ratings.key_question_scores_from_percentages`,
:func:`analysis.ratings.standard_ratings`, :func:`analysis.ratings.overall_ratings`,
:func:`analysis.ratings.compare_published`). Domain-one ratings are not computed from cases,
so the published ones feed the overall score. A stated departure from the rule (York:
leadership "would normally indicate" Inadequate) is reported beside the comparison.
"""

from __future__ import annotations

import pandas as pd

from .. import frameworks, ratings
from ..data.extracted import columns, empty_table
from ..exceptions import InputDataError

__all__ = ["check_ratings", "check_ratings_per_report"]


def check_ratings(key_questions: pd.DataFrame, ratings_table: pd.DataFrame) -> pd.DataFrame:
    """Computed vs published ratings for every report with a key-question table.

    Parameters
    ----------
    key_questions, ratings_table : DataFrame
        The extracted ``key_questions`` and ``ratings`` tables.

    Returns
    -------
    DataFrame
        The ``rating_check`` table (see :data:`analysis.data.extracted.TABLES`).
    """
    out, _ = check_ratings_per_report(key_questions, ratings_table)
    return out


def check_ratings_per_report(
    key_questions: pd.DataFrame, ratings_table: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, str]]:
    """:func:`check_ratings`, one report at a time: a report whose table cannot be rated
    (a percentage no whole count of its sample prints, a missing key question) is left out
    with the reason, ``{report_id: message}``, and never stops the others."""
    out: list[dict] = []
    failed: dict[str, str] = {}
    for (report_id, fid), kq in key_questions.groupby(["report_id", "framework"], sort=False):
        try:
            out += _check_one(report_id, fid, kq, ratings_table)
        except InputDataError as err:
            failed[report_id] = str(err)
    if not out:
        return empty_table("rating_check"), failed
    dtypes = columns("rating_check")
    return pd.DataFrame(out, columns=list(dtypes)).astype(dtypes), failed


def _check_one(report_id: str, fid: str, kq: pd.DataFrame, ratings_table: pd.DataFrame) -> list:
    out = []
    fw = frameworks.get(fid)
    table = kq.assign(unit=report_id)[["unit", "key_question", "pct_yes", "n"]]
    table = table.astype({"pct_yes": float, "n": "Int64"})
    if table["n"].isna().any():
        return out
    scores = ratings.key_question_scores_from_percentages(table, fw, by="unit")
    std = ratings.standard_ratings(scores, fw, by="unit")
    pub = ratings_table[ratings_table["report_id"] == report_id].assign(unit=report_id)
    known = pub["standard"].isin([*fw.standard_slugs, "overall"])
    pub = pub[known]
    domain_one = pub[~pub["standard"].isin([*fw.case_based_standards, "overall"])]
    overall = ratings.overall_ratings(
        std, fw, by="unit", other_ratings=domain_one[["unit", "standard", "rating"]]
    )
    computed = ratings.rated_items(std, overall)
    comparison = ratings.compare_published(
        computed, pub[["unit", "standard", "rating"]], by="unit", framework=fw
    )
    rule = pub.set_index("standard")["rule_rating"].to_dict()
    departure = pub.set_index("standard")["departure_text"].to_dict()
    for row in comparison.itertuples(index=False):
        note = None
        if isinstance(departure.get(row.standard), str):
            note = f"stated departure from the rating rule: {departure[row.standard]}"
        elif pd.notna(row.agrees) and not row.agrees:
            note = "computed from the extracted key-question table; the report states no reason"
        elif pd.isna(row.computed_rating) and row.standard in fw.case_based_standards:
            note = "no key-question table was extracted for this standard"
        elif pd.isna(row.computed_rating) and row.standard == "overall":
            note = "not computed: a case-supervision standard has no extracted table"
        elif row.standard not in fw.case_based_standards and row.standard != "overall":
            note = "not rated from cases: the published rating is used in the overall score"
        out.append(
            {
                "report_id": report_id,
                "framework": fid,
                "standard": row.standard,
                "computed_rating": None
                if pd.isna(row.computed_rating)
                else str(row.computed_rating),
                "published_rating": None
                if pd.isna(row.published_rating)
                else str(row.published_rating),
                "agrees": row.agrees,
                "band_difference": row.band_difference,
                "rule_rating": rule.get(row.standard)
                if isinstance(rule.get(row.standard), str)
                else None,
                "note": note,
            }
        )
    return out
