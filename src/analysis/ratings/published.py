"""Published figures: scores from published percentages, computed vs published ratings, 2013 sections.

Published ratings can differ from the rule (York PDU 2024 applied Requires improvement to
leadership where its guidance "would normally indicate" Inadequate): :func:`compare_published`
keeps both and lists every difference; nothing here overwrites a published figure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..data.provenance import data_source, mark
from ..exceptions import InputDataError
from ..frameworks.dtypes import RATING_DTYPE
from ..rounding import consistent_counts, decimals_of, impossible_message, nearest_count
from ._common import by_columns, keep_dataset, require_rating, scores_frame

__all__ = [
    "key_question_scores_from_percentages",
    "compare_published",
    "rated_items",
    "section_scores",
]


def key_question_scores_from_percentages(
    table: pd.DataFrame,
    framework: str | _fw.Framework = "pdu-2023",
    by: str | Sequence[str] | None = "pdu",
) -> pd.DataFrame:
    """Key-question scores from published percentages and their case counts, row by row.

    ``table`` has ``key_question`` (an id such as ``planning_keeping_safe``), ``n`` (applicable
    cases) and ``pct_yes`` and/or ``n_yes``. Each row is read on its own: a row's ``n_yes``,
    when given, is used as given (and must agree with its ``pct_yes``, if any); otherwise the
    printed ``pct_yes`` stands for the counts of ``n`` that print as it
    (:mod:`analysis.rounding`), and ``n_yes`` is the nearest of them. A key question
    with ``n = 0`` and no percentage had no applicable case (explicitly not applicable).
    Optional columns: ``pct_given`` (the percentage as the user wrote it, whose decimals set
    the rounding) and ``where`` (how to name the row in a message, e.g. ``"york.csv, row 3"``).

    Returns
    -------
    DataFrame
        The columns of :func:`key_question_scores` with, before ``source``, ``pct_given`` (the
        value given, never re-rounded) and ``n_yes_low``, ``n_yes_high`` (the counts
        consistent with it). Key questions of standards absent from the table get n = 0.

    Raises
    ------
    InputDataError
        Naming the row: an unknown or repeated key question; a missing, negative or fractional
        n; a missing, non-finite or out-of-range percentage; a percentage no count of n
        prints as; n_yes above n or disagreeing with pct_yes; a standard with some but not
        all of its key questions.
    """
    fw = _fw.get(framework)
    by = by_columns(by)
    df = table.reset_index(drop=True).copy()
    by_cols = by or ["_unit"]
    if not by:
        df["_unit"] = 0
    missing = [c for c in (*by, "key_question", "n") if c not in df.columns]
    if "pct_yes" not in df.columns and "n_yes" not in df.columns:
        missing.append("pct_yes (or n_yes)")
    if missing:
        raise InputDataError(
            f"Column(s) {', '.join(missing)} required; columns are {list(df.columns)}."
        )
    where = df["where"] if "where" in df.columns else pd.Series([f"row {i + 1}" for i in df.index])
    cols = ["_n", "_y", "_lo", "_hi", "_given"]
    counts = [_row_counts(row, where[i], fw) for i, row in df.iterrows()]
    df[cols] = pd.DataFrame(counts, columns=cols, index=df.index, dtype=object)
    dup = df.duplicated([*by_cols, "key_question"], keep=False)
    if dup.any():
        rows = ", ".join(where[dup].astype(str))
        raise InputDataError(f"A key question appears more than once for the same unit: {rows}.")
    _check_whole_standards(df, fw, by_cols, by)
    keys = df[by_cols].drop_duplicates().sort_values(by_cols).reset_index(drop=True)
    grid = keys.merge(pd.DataFrame({"key_question": list(fw.key_question_ids)}), how="cross")
    merged = grid.merge(
        df[[*by_cols, "key_question", *cols]], on=[*by_cols, "key_question"], how="left"
    )
    shape = (len(keys), len(fw.key_questions))
    out = scores_frame(
        keys,
        fw,
        merged["_n"].fillna(0).to_numpy(dtype=float).reshape(shape),
        merged["_y"].fillna(0).to_numpy(dtype=float).reshape(shape),
    )
    out["pct_given"] = merged["_given"].to_numpy(dtype=object)
    out["n_yes_low"] = pd.array(merged["_lo"].to_numpy(dtype=float)).astype("Int64")
    out["n_yes_high"] = pd.array(merged["_hi"].to_numpy(dtype=float)).astype("Int64")
    out = out.drop(columns=["_unit"]) if not by else out
    return keep_dataset(mark(out, data_source(table)), table)


def _row_counts(row, where: str, fw: _fw.Framework) -> tuple:
    """(n, n_yes, lowest, highest consistent n_yes, value given) for one row, or an error."""
    kq = row["key_question"]
    if kq not in fw.key_question_ids:
        raise InputDataError(
            f"{where}, column key_question: {kq!r} is not a key question of {fw.id}; "
            f"expected one of {', '.join(fw.key_question_ids)}."
        )
    n = _whole(row["n"], where, "n")
    if n is None:
        raise InputDataError(
            f"{where}, column n: missing; give the number of applicable cases for {kq} "
            "(0 if no case was applicable)."
        )
    n_yes = _whole(row.get("n_yes"), where, "n_yes")
    given = row.get("pct_given", np.nan)
    pct = _float(row.get("pct_yes"), where)
    if isinstance(given, str) and not given.strip():
        given = np.nan
    if given != given and pct == pct:
        given = f"{pct:.15g}"  # 65.0 -> '65', 64.9 -> '64.9': the value, never re-rounded
    if n_yes is not None and n_yes > n:
        raise InputDataError(
            f"{where}, column n_yes: {n_yes} is more than n = {n} (cases answered yes cannot "
            "exceed the cases counted)."
        )
    if n == 0 and pct != pct and not n_yes:  # 0 of 0: no applicable case
        return 0, 0, np.nan, np.nan, "not applicable"
    if pct != pct and n_yes is None:
        raise InputDataError(
            f"{where}, column pct_yes: no percentage for key question {kq} (n = {n}). Give "
            "pct_yes or n_yes; write 'not applicable' (with n empty or 0) only if no case was "
            "applicable. A key question is never dropped or taken as 0%."
        )
    if n == 0:
        raise InputDataError(
            f"{where}, column n: 0 applicable cases, but a percentage or n_yes is given for {kq}."
        )
    if pct == pct:
        if not 0 <= pct <= 100:
            raise InputDataError(f"{where}, column pct_yes: {given} should be between 0 and 100.")
        low, high = consistent_counts(pct, n, decimals_of(given if isinstance(given, str) else pct))
        if low > high:
            raise InputDataError(f"{where}, column pct_yes: {impossible_message(str(given), n)}.")
        if n_yes is not None and not low <= n_yes <= high:
            raise InputDataError(
                f"{where}, columns pct_yes and n_yes disagree: {n_yes} of {n} is "
                f"{100 * n_yes / n:.4g}%, which does not print as {given}%."
            )
    if n_yes is not None:
        return n, n_yes, n_yes, n_yes, given
    return n, nearest_count(pct, n, low, high), low, high, given


def _float(value, where: str) -> float:
    if value is None or value is pd.NA:
        return np.nan
    if isinstance(value, str):
        if not value.strip():
            return np.nan
        try:
            value = float(value)
        except ValueError:
            raise InputDataError(f"{where}, column pct_yes: {value!r} is not a number.") from None
    value = float(value)
    if np.isinf(value):
        raise InputDataError(f"{where}, column pct_yes: {value!r} is not a finite percentage.")
    return value


def _whole(value, where: str, column: str) -> int | None:
    """A whole number of cases, None when missing; an error for anything else."""
    if value is None or value is pd.NA or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputDataError(f"{where}, column {column}: {value!r} is not a number.") from None
    if number != number:
        return None
    if not np.isfinite(number) or number < 0 or number != int(number):
        raise InputDataError(
            f"{where}, column {column}: {value!r} should be a whole number of cases, at least 0."
        )
    return int(number)


def _check_whole_standards(df: pd.DataFrame, fw: _fw.Framework, by_cols, by) -> None:
    """A standard is rated only when all its key questions are given (or not applicable)."""
    kq_standard = {k.id: k.standard for k in fw.key_questions}
    for key, block in df.groupby(by_cols, sort=False):
        present = set(block["key_question"])
        for standard in {kq_standard[k] for k in present}:
            wanted = [k.id for k in fw.key_questions if k.standard == standard]
            absent = [k for k in wanted if k not in present]
            if absent:
                unit = f"unit {key[0] if isinstance(key, tuple) else key!r}: " if by else ""
                if "where" in block.columns:
                    rows = list(block.loc[block["key_question"].isin(wanted), "where"].astype(str))
                    file, _, _ = rows[0].rpartition(", row ")
                    numbers = ", ".join(r.rpartition(", row ")[2] for r in rows)
                    unit = f"{file}, row(s) {numbers}: {unit}"
                raise InputDataError(
                    f"{unit}standard {standard!r} has {len(wanted) - len(absent)} of its "
                    f"{len(wanted)} key questions; missing {', '.join(absent)}. A standard is "
                    "rated only when each key question is given or marked 'not applicable'."
                )


# --- published vs computed --------------------------------------------------------------------


def rated_items(standards: pd.DataFrame, overall: pd.DataFrame, by: str = "unit") -> pd.DataFrame:
    """Standard and overall ratings as one long table ``[by, standard, rating]``, the form
    :func:`compare_published` takes (the overall rating as standard ``overall``; units left
    unrated are dropped)."""
    return pd.concat(
        [
            standards[[by, "standard", "rating"]],
            overall[[by, "overall_rating"]]
            .rename(columns={"overall_rating": "rating"})
            .assign(standard="overall"),
        ]
    ).dropna(subset=["rating"])


def compare_published(
    computed: pd.DataFrame,
    published: pd.DataFrame,
    by: str | Sequence[str] | None = "pdu",
    framework: str | _fw.Framework = "pdu-2023",
    only_differences: bool = False,
) -> pd.DataFrame:
    """Set computed ratings beside published ones, keeping both, and flag every difference.

    ``computed`` and ``published`` are long tables ``[*by, standard, rating]`` (``standard``
    may be ``overall``); standards are matched by slug, id or name.

    Returns
    -------
    DataFrame
        ``[*by, standard, computed_rating, published_rating, agrees, band_difference]`` where
        ``band_difference`` is published minus computed in bands (+1: published one band
        better). Rows where either side is missing have ``agrees`` missing.
    """
    fw = _fw.get(framework)
    by = by_columns(by)

    def tidy(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        out = frame[[*by, "standard", "rating"]].copy()
        out["standard"] = [s if s == "overall" else fw.standard(s).slug for s in out["standard"]]
        labels = [require_rating(r) for r in out["rating"]]
        out[name] = pd.Categorical(labels, dtype=RATING_DTYPE)
        return out.drop(columns="rating")

    merged = tidy(computed, "computed_rating").merge(
        tidy(published, "published_rating"), on=[*by, "standard"], how="outer"
    )
    both = merged["computed_rating"].notna() & merged["published_rating"].notna()
    diff = merged["published_rating"].cat.codes - merged["computed_rating"].cat.codes
    merged["agrees"] = pd.array(np.where(both, diff == 0, False), dtype="boolean")
    merged.loc[~both, "agrees"] = pd.NA
    merged["band_difference"] = pd.array(np.where(both, diff, 0), dtype="Int64")
    merged.loc[~both, "band_difference"] = pd.NA
    order = {s: i for i, s in enumerate([*fw.standard_slugs, "overall"])}
    merged = merged.sort_values(
        [*by, "standard"], key=lambda c: c.map(order) if c.name == "standard" else c
    )
    if only_differences:
        merged = merged[merged["agrees"].eq(False).fillna(False)]
    return merged.reset_index(drop=True)


# --- the 2013 framework -------------------------------------------------------------------------


def section_scores(
    question_scores: pd.DataFrame,
    framework: str | _fw.Framework = "adult-2013",
    by: str | Sequence[str] | None = "unit",
) -> pd.DataFrame:
    """Section scores of the 2013 framework: the mean, over a section's questions, of % sufficient.

    ``question_scores`` has ``section`` (slug, id or name), ``question`` and ``pct_sufficient``.

    Returns ``[*by, section, section_name, n_questions, section_score]``.
    """
    fw = _fw.get(framework)
    by = by_columns(by)
    df = question_scores.copy()
    df["section"] = [fw.standard(s).slug for s in df["section"]]
    pct = pd.to_numeric(df["pct_sufficient"])
    if ((pct < 0) | (pct > 100)).any():
        raise InputDataError("pct_sufficient must lie between 0 and 100.")
    out = (
        df.assign(pct_sufficient=pct)
        .groupby([*by, "section"], sort=False, observed=True)["pct_sufficient"]
        .agg(n_questions="count", section_score="mean")
        .reset_index()
    )
    out.insert(len(by) + 1, "section_name", [fw.standard(s).name for s in out["section"]])
    return out
