"""The synthetic sample's ratings against the real published ones.

Real figures come from ``data/raw/published/published_ratings.csv`` (one row per published
adult inspection report, each with its source address); only PDU reports are used. The
tolerance for a synthetic share is the 95% Wilson interval of the published share: a synthetic
sample whose share falls inside it cannot be told apart from the published record by that
record's own sampling error. The tables are shown in ``docs/methods.md`` ("Synthetic data",
"Calibration against published ratings").

* :func:`published_pdu_ratings`: the published PDU reports, checked;
* :func:`published_rounds_table`: overall ratings by report year (the rounds);
* :func:`overall_comparison_table`: synthetic overall ratings against the published ones;
* :func:`leadership_guidance_table`: leadership where all four case-supervision standards
  are Inadequate, synthetic against published.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from .. import frameworks as _fw
from ..data.provenance import mark_synthetic
from ..exceptions import InputDataError
from ..stats import wilson_interval

__all__ = [
    "PUBLISHED_SOURCE",
    "published_ratings_path",
    "published_pdu_ratings",
    "published_rounds_table",
    "overall_comparison_table",
    "leadership_guidance_table",
]

PUBLISHED_SOURCE = "data/raw/published/published_ratings.csv (PDU reports, 2022-2025)"
_PDU_2023 = _fw.get("pdu-2023")
CASE_STANDARDS = _PDU_2023.case_based_standards
RATING_COLUMNS = ("overall_rating", *_PDU_2023.standard_slugs)
"""The published table's rating columns: one per pdu-2023 standard, leadership first."""
REQUIRED = ("unit", "unit_type", "report_year", *RATING_COLUMNS)


def published_ratings_path() -> Path:
    """``data/raw/published/published_ratings.csv`` under the configured raw folder."""
    return config.RAW_DIR / "published" / "published_ratings.csv"


def published_pdu_ratings(path: str | Path | None = None) -> pd.DataFrame:
    """The published PDU reports with canonical rating labels.

    Parameters
    ----------
    path : str or Path, optional
        Default :func:`published_ratings_path`.

    Returns
    -------
    DataFrame
        ``[row, unit, report_year, overall_rating, leadership, staffing, services, assessment,
        planning, implementation_and_delivery, reviewing]``; ``row`` is the row as a
        spreadsheet shows it (header is row 1); ``report_year`` is a nullable integer.

    Raises
    ------
    InputDataError
        If the file is missing or unreadable, lacks a column, or holds a rating that is not one
        of the four labels; the message names the file, row, column and value.
    """
    path = Path(path) if path is not None else published_ratings_path()
    if not path.is_file():
        raise InputDataError(
            f"{path}: the published ratings file is missing; the synthetic sample is "
            "calibrated against it. Restore data/raw/published/published_ratings.csv."
        )
    try:
        table = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputDataError(f"{path}: could not be read as a UTF-8 CSV file ({exc}).") from exc
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise InputDataError(
            f"{path}: column(s) {', '.join(missing)} missing; expected the columns "
            f"{', '.join(REQUIRED)}."
        )
    table.insert(0, "row", np.arange(2, len(table) + 2))
    table = table[table["unit_type"].str.strip().str.lower() == "pdu"].copy()
    problems = []
    for col in RATING_COLUMNS:
        text = table[col].str.strip()
        parsed = text.map(_fw.parse_rating)
        bad = (text != "") & parsed.isna()
        if col == "overall_rating":
            bad |= text == ""
        problems += [
            f"row {r}, column {col}: {v!r}"
            for r, v in zip(table.loc[bad, "row"], table.loc[bad, col], strict=True)
        ]
        table[col] = parsed
    if problems:
        raise InputDataError(
            f"{path}: {len(problems)} rating(s) not recognised ({'; '.join(problems)}); "
            f"expected one of {', '.join(_fw.RATINGS)} (overall_rating may not be empty). "
            "Nothing was changed."
        )
    year = pd.to_numeric(table["report_year"].str.strip(), errors="coerce")
    table["report_year"] = pd.array(year.round(), dtype="Int64")
    return table[["row", "unit", "report_year", *RATING_COLUMNS]].reset_index(drop=True)


def published_rounds_table(path: str | Path | None = None) -> pd.DataFrame:
    """Published PDU overall ratings by report year, plus all years together.

    Returns
    -------
    DataFrame
        ``[round, n_reports, n_outstanding, n_good, n_requires_improvement, n_inadequate,
        share_inadequate, source]``; ``round`` is the report year, ``year not stated`` or
        ``all``.
    """
    table = published_pdu_ratings(path)
    rounds = table["report_year"].astype("string").fillna("year not stated")
    rows = []
    for name in [*sorted(set(rounds) - {"year not stated"}), "year not stated", "all"]:
        sub = table if name == "all" else table[rounds == name]
        counts = sub["overall_rating"].value_counts()
        rows.append(
            {
                "round": name,
                "n_reports": len(sub),
                **{f"n_{_slug(r)}": int(counts.get(r, 0)) for r in _fw.RATINGS},
                "share_inadequate": counts.get("Inadequate", 0) / len(sub),
                "source": PUBLISHED_SOURCE,
            }
        )
    return pd.DataFrame(rows)


def overall_comparison_table(
    sample_overall: pd.Series, path: str | Path | None = None
) -> pd.DataFrame:
    """Synthetic overall ratings against the published PDU ratings, with the tolerance.

    Parameters
    ----------
    sample_overall : Series
        One overall rating per synthetic PDU (``rate(...).overall["overall_rating"]``).
    path : str or Path, optional
        The published ratings file (default :func:`published_ratings_path`).

    Returns
    -------
    DataFrame
        ``[rating, synthetic_n, synthetic_share, published_n, published_share, tolerance_low,
        tolerance_high, within_tolerance, published_source]``, best rating first. The
        tolerance is the 95% Wilson interval of the published share.
    """
    published = published_pdu_ratings(path)["overall_rating"]
    synthetic = sample_overall.astype("object")
    rows = []
    for rating in _fw.RATINGS:
        k, n = int((published == rating).sum()), len(published)
        low, high = (float(v) for v in wilson_interval(k, n))
        share = float((synthetic == rating).mean())
        rows.append(
            {
                "rating": rating,
                "synthetic_n": int((synthetic == rating).sum()),
                "synthetic_share": share,
                "published_n": k,
                "published_share": k / n,
                "tolerance_low": low,
                "tolerance_high": high,
                "within_tolerance": bool(low <= share <= high),
                "published_source": f"{k} of {n} PDU reports, {PUBLISHED_SOURCE}",
            }
        )
    return mark_synthetic(pd.DataFrame(rows))


def leadership_guidance_table(
    standards: pd.DataFrame, unit_ratings: pd.DataFrame, path: str | Path | None = None
) -> pd.DataFrame:
    """Leadership where all four case-supervision standards are Inadequate.

    Parameters
    ----------
    standards : DataFrame
        Synthetic standard ratings with ``pdu``, ``standard`` and ``rating``
        (``rate(...).standards``).
    unit_ratings : DataFrame
        Synthetic domain-one ratings (``SyntheticSample.unit_ratings``).
    path : str or Path, optional
        The published ratings file.

    Returns
    -------
    DataFrame
        One row per sample (``synthetic``, ``published``): ``[sample, n_units,
        n_leadership_inadequate, share, ci_low, ci_high]``; the published row counts the PDU
        reports that name all four case-supervision ratings, all Inadequate, and a leadership
        rating.
    """
    std = standards[standards["standard"].astype(str).isin(CASE_STANDARDS)]
    wide = std.pivot_table(
        index=std["pdu"].astype(str),
        columns=std["standard"].astype(str),
        values="rating",
        aggfunc="first",
        observed=True,
    ).astype("object")
    four = wide.index[(wide.reindex(columns=list(CASE_STANDARDS)) == "Inadequate").all(axis=1)]
    lead = unit_ratings[unit_ratings["standard"].astype(str) == "leadership"]
    lead = lead.set_index(lead["pdu"].astype(str))["rating"].astype("object")
    synthetic = lead.reindex(four)
    published = published_pdu_ratings(path)
    chosen = (published[list(CASE_STANDARDS)] == "Inadequate").all(axis=1) & published[
        "leadership"
    ].notna()
    rows = []
    pairs = (("synthetic", synthetic), ("published", published.loc[chosen, "leadership"]))
    for sample, values in pairs:
        k, n = int((values == "Inadequate").sum()), len(values)
        low, high = (float(v) for v in wilson_interval(k, n))
        rows.append(
            {
                "sample": sample,
                "n_units": n,
                "n_leadership_inadequate": k,
                "share": k / n if n else np.nan,
                "ci_low": low,
                "ci_high": high,
            }
        )
    return pd.DataFrame(rows)


def _slug(rating: str) -> str:
    return rating.lower().replace(" ", "_")
