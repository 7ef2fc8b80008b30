"""Departures from the rating decision guidance that published standard ratings reveal.

Reports that publish no key-question table still publish standard ratings (in the report or
its press release). Wherever a framework's guidance rule (``[[guidance_rules]]``) applies to a
report's published case-supervision ratings, this module says whether the published rating of
the rule's standard follows it, departs from it, or is not published; in the last case it
works out, from the framework's overall bands, what the published overall rating implies.

>>> import pandas as pd
>>> row = {"unit": "York PDU", "report_year": 2024, "framework": "pdu-2023",
...        "overall_rating": "Inadequate", "leadership": "Requires improvement",
...        "staffing": None, "services": None, "assessment": "Inadequate",
...        "planning": "Inadequate", "implementation_and_delivery": "Inadequate",
...        "reviewing": "Inadequate"}
>>> guidance_check(pd.DataFrame([row]))["status"].tolist()
['departure']
"""

from __future__ import annotations

import pandas as pd

from .. import frameworks as _fw

__all__ = [
    "GUIDANCE_COLUMNS",
    "guidance_check",
    "guidance_output",
    "guidance_sentences",
    "published_guidance",
]

GUIDANCE_COLUMNS = [
    "unit",
    "report_year",
    "framework",
    "rule",
    "standard",
    "published_rating",
    "guidance_rating",
    "overall_rating",
    "status",
    "note",
]
"""Columns of :func:`guidance_check`."""


def _rating(value) -> str | None:
    return _fw.parse_rating(value) if value is not None and value == value else None


def _implication(fw, row, rule) -> str:
    """What the overall bands require of the unpublished standards, with and without the guidance."""
    overall = _rating(row.get("overall_rating"))
    if overall is None or not fw.overall_bands or not fw.rating_scores:
        return "the published overall rating cannot be checked against the bands"
    scores = fw.rating_scores
    bands = dict(fw.overall_bands)
    order = [r for r, _ in fw.overall_bands]
    low = bands[overall]
    high = bands[order[order.index(overall) - 1]] - 1 if order.index(overall) else fw.max_score
    known = {s: _rating(row.get(s)) for s in fw.standard_slugs if s != rule.standard}
    unknown = [s for s, r in known.items() if r is None]
    fixed = sum(scores[r] for r in known.values() if r is not None)
    cap = max(scores.values()) * len(unknown)
    names = " and ".join(fw.standard(s).name.lower() for s in unknown) or "no other standard"
    better = [r for r in _fw.RATINGS if _fw.RATINGS.index(r) < _fw.RATINGS.index(rule.indicates)]

    def need(rating: str) -> str:
        lo, hi = max(low - fixed - scores[rating], 0), min(high - fixed - scores[rating], cap)
        if lo > hi:
            return f"with {rule.standard} {rating}, no ratings of {names} give it"
        return f"with {rule.standard} {rating}, {names} must score {lo} to {hi} of {cap} points together"

    cases = [need(rule.indicates), *(need(r) for r in better[-1:])]
    return (
        f"the published overall {overall} ({low} to {high} of {fw.max_score} under the "
        f"configured bands) does not settle it: {'; '.join(cases)}"
    )


def guidance_check(published: pd.DataFrame, *, unit: str = "unit") -> pd.DataFrame:
    """Every report whose published case ratings meet a guidance rule's condition.

    ``published`` is the wide published ratings table (one row per report, a ``framework``
    column, standard columns by slug). Reports whose framework has no guidance rule, or whose
    case ratings do not meet (or cannot be shown to meet) a rule's condition, are left out.

    Returns
    -------
    DataFrame
        :data:`GUIDANCE_COLUMNS`; ``status`` is ``departure`` (published better than the
        guidance indicates), ``follows guidance`` or ``not published`` (the standard's rating
        is not in the record; ``note`` then says what the overall bands imply).
    """
    rows = []
    for _, row in published.iterrows():
        fid = row.get("framework")
        if fid is None or fid != fid or str(fid) not in _fw.available():
            continue
        fw = _fw.get(str(fid))
        for rule in fw.guidance_rules:
            case = {s: _rating(row.get(s)) for s in fw.case_based_standards}
            if rule.applies(case) is not True:
                continue
            pub = _rating(row.get(rule.standard))
            if pub is None:
                status, note = "not published", _implication(fw, row, rule)
            elif rule.departs(pub):
                status = "departure"
                note = (
                    f"published {pub}; the guidance would normally indicate {rule.indicates}. "
                    f"Rule: {rule.sentence()}"
                )
            else:
                status, note = "follows guidance", rule.sentence()
            rows.append(
                {
                    "unit": row.get(unit),
                    "report_year": row.get("report_year"),
                    "framework": str(fid),
                    "rule": rule.id,
                    "standard": rule.standard,
                    "published_rating": pub,
                    "guidance_rating": rule.indicates,
                    "overall_rating": _rating(row.get("overall_rating")),
                    "status": status,
                    "note": note,
                }
            )
    return pd.DataFrame(rows, columns=GUIDANCE_COLUMNS)


def guidance_sentences(check: pd.DataFrame) -> list[str]:
    """One sentence per report where a guidance rule applies, departures first."""
    order = {"departure": 0, "not published": 1, "follows guidance": 2}
    out = []
    for rec in check.sort_values("status", key=lambda s: s.map(order), kind="stable").itertuples(
        index=False
    ):
        year = (
            ""
            if rec.report_year is None or rec.report_year != rec.report_year
            else f" ({int(rec.report_year)})"
        )
        head = f"{rec.unit}{year}: every case-supervision standard is rated Inadequate"
        if rec.status == "departure":
            out.append(
                f"{head}, and {rec.standard} was published {rec.published_rating} where the "
                f"guidance would normally indicate {rec.guidance_rating}: a departure."
            )
        elif rec.status == "not published":
            out.append(
                f"{head}; its {rec.standard} rating is not in the record, so whether it departs "
                f"from the guidance is not known: {rec.note}."
            )
        else:
            out.append(
                f"{head}, and {rec.standard} was published {rec.published_rating}, as the guidance indicates."
            )
    return out


def published_guidance(processed_dir=None) -> pd.DataFrame:
    """:func:`guidance_check` of every published report built into ``data/processed``.

    What ``analysis rate --published`` prints. Raises InputDataError if the data are not built.
    """
    from ..data import load_published_ratings

    return guidance_check(load_published_ratings(processed_dir=processed_dir))


def guidance_output(fmt: str = "table", *, published: bool = True, processed_dir=None):
    """What ``analysis rate --published`` prints: text, JSON, or for ``csv`` the table itself
    (the command writes it formula-safe).

    Raises
    ------
    ParameterError
        If ``published`` is False (``analysis rate`` was given neither a FILE nor --published).
    """
    from ..exceptions import ParameterError

    if not published:
        raise ParameterError(
            "analysis rate needs a FILE of key-question percentages, or --published."
        )
    check = published_guidance(processed_dir)
    if fmt == "csv":
        return check
    if fmt == "json":
        return check.to_json(orient="records", indent=2) + "\n"
    departures = int((check["status"] == "departure").sum())
    lines = [
        f"Published reports where the rating decision guidance applies: {len(check)}; "
        f"departures: {departures}.",
        *(f"- {line}" for line in guidance_sentences(check)),
    ]
    return "\n".join(lines) + "\n"
