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
from ._common import by_columns, require_rating, scores_frame

__all__ = ["key_question_scores_from_percentages", "compare_published", "section_scores"]


def key_question_scores_from_percentages(
    table: pd.DataFrame,
    framework: str | _fw.Framework = "pdu-2023",
    by: str | Sequence[str] | None = "pdu",
) -> pd.DataFrame:
    """Key-question scores from published percentages and their case counts.

    ``table`` has ``key_question`` (an id such as ``planning_keeping_safe``), ``pct_yes`` and
    ``n`` (applicable cases); an ``n_yes`` column, when present, is used as given. Otherwise
    ``n_yes = round(pct_yes × n / 100)``. Key questions absent from the table get n = 0.

    Raises
    ------
    InputDataError
        Unknown key question, a percentage outside 0–100, n negative, or n_yes above n.
    """
    fw = _fw.get(framework)
    by = by_columns(by)
    df = table.copy()
    if not by:
        df["_unit"] = 0
        by_cols = ["_unit"]
    else:
        by_cols = by
    unknown = sorted(set(df["key_question"]) - set(fw.key_question_ids))
    if unknown:
        raise InputDataError(
            f"Unknown key question(s) {unknown}; expected {list(fw.key_question_ids)}."
        )
    for col in ("pct_yes", "n"):
        if col not in df.columns and not (col == "pct_yes" and "n_yes" in df.columns):
            raise InputDataError(f"Column {col!r} is required; columns are {list(df.columns)}.")
    n = pd.to_numeric(df["n"], errors="raise").to_numpy(dtype=float)
    if "n_yes" in df.columns and df["n_yes"].notna().all():
        n_yes = pd.to_numeric(df["n_yes"]).to_numpy(dtype=float)
    else:
        pct = pd.to_numeric(df["pct_yes"]).to_numpy(dtype=float)
        bad = (pct < 0) | (pct > 100)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputDataError(f"Row {i + 1}: pct_yes {pct[i]!r} is outside 0–100.")
        n_yes = np.round(pct * n / 100)
    bad = (n < 0) | (n_yes < 0) | (n_yes > n)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputDataError(
            f"Row {i + 1}: n_yes {n_yes[i]:g} must lie between 0 and n = {n[i]:g}."
        )
    df["_n"], df["_y"] = n, n_yes
    keys = df[by_cols].drop_duplicates().sort_values(by_cols).reset_index(drop=True)
    grid = keys.merge(pd.DataFrame({"key_question": list(fw.key_question_ids)}), how="cross")
    merged = grid.merge(
        df[[*by_cols, "key_question", "_n", "_y"]], on=[*by_cols, "key_question"], how="left"
    )
    if merged.duplicated([*by_cols, "key_question"]).any():
        raise InputDataError("A key question appears more than once for the same unit.")
    shape = (len(keys), len(fw.key_questions))
    out = scores_frame(
        keys,
        fw,
        merged["_n"].fillna(0).to_numpy().reshape(shape),
        merged["_y"].fillna(0).to_numpy().reshape(shape),
    )
    out = out.drop(columns=["_unit"]) if not by else out
    return mark(out, data_source(table))


# --- published vs computed --------------------------------------------------------------------


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


# --- a unit's published table, as `analysis rate` reads it ------------------------------------

_AREA_ALIASES = {
    "engagement": "engagement",
    "engaging": "engagement",
    "desistance": "desistance",
    "keeping safe": "keeping_safe",
    "keeping other people safe": "keeping_safe",
    "safety": "keeping_safe",
}


def read_rating_table(
    path, framework: str | _fw.Framework = "pdu-2023"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a hand-written CSV of key-question percentages and published ratings.

    One row per key question: ``standard`` (slug, id or name), ``area`` (engagement,
    desistance, keeping safe) or a ``key_question`` id instead of both, ``pct_yes``, ``n``
    (applicable cases) and optionally ``n_yes``. Optional ``unit`` (default: the file name) and
    ``published_rating`` (the published rating of that row's standard; rows for standards not
    rated from cases, such as leadership, carry only ``standard`` and ``published_rating``).

    Returns
    -------
    (key_questions, published)
        ``key_questions``: ``[unit, key_question, pct_yes, n, n_yes, source]``;
        ``published``: ``[unit, standard, rating]`` with canonical labels.

    Raises
    ------
    InputDataError
        Naming the file, row (as numbered in a spreadsheet, header = row 1), column and value.
    """
    from pathlib import Path

    fw = _fw.get(framework)
    path = Path(path)
    if not path.is_file():
        raise InputDataError(f"{path}: no such file.")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputDataError(f"{path}: cannot be read as a UTF-8 CSV ({err}).") from None
    df.columns = [c.strip().lower().replace(" ", "_") for c in df.columns]
    if "standard" not in df.columns and "key_question" not in df.columns:
        raise InputDataError(
            f"{path}: needs a 'standard' (with 'area') or a 'key_question' column; found {list(df.columns)}."
        )
    if "unit" not in df.columns:
        df["unit"] = path.stem
    kq_rows, pub_rows = [], []
    for i, row in df.iterrows():
        where = f"{path}, row {i + 2}"
        kq_id = _row_key_question(row, fw, where)
        standard = kq_id.rsplit("_", 1)[0] if kq_id else None
        if kq_id is None and row.get("standard", "").strip():
            standard = _row_standard(row["standard"], fw, where)
        pct, n, n_yes = (row.get(c, "").strip() for c in ("pct_yes", "n", "n_yes"))
        if kq_id and (pct or n_yes):
            kq_rows.append(
                {
                    "unit": row["unit"],
                    "key_question": kq_id,
                    "pct_yes": _number(pct.rstrip("%"), where, "pct_yes", 0, 100)
                    if pct
                    else np.nan,
                    "n": _number(n, where, "n", 0, None),
                    "n_yes": _number(n_yes, where, "n_yes", 0, None) if n_yes else np.nan,
                }
            )
        label = row.get("published_rating", "").strip()
        if label:
            try:
                rating = require_rating(label)
            except InputDataError as err:
                raise InputDataError(f"{where}, column published_rating: {err}") from None
            pub_rows.append(
                {"unit": row["unit"], "standard": standard or "overall", "rating": rating}
            )
    kq = pd.DataFrame(kq_rows, columns=["unit", "key_question", "pct_yes", "n", "n_yes"])
    kq["source"] = f"table entered by hand: {path.name}"
    pub = pd.DataFrame(pub_rows, columns=["unit", "standard", "rating"]).drop_duplicates()
    clash = pub[pub.duplicated(["unit", "standard"], keep=False)]
    if len(clash):
        first = clash.iloc[0]
        raise InputDataError(
            f"{path}: unit {first['unit']!r} gives different published ratings for {first['standard']!r}: "
            f"{', '.join(clash[clash['standard'] == first['standard']]['rating'])}."
        )
    return kq, pub


def _row_key_question(row, fw: _fw.Framework, where: str) -> str | None:
    if row.get("key_question", "").strip():
        kq = row["key_question"].strip()
        if kq not in fw.key_question_ids:
            raise InputDataError(
                f"{where}, column key_question: {kq!r} is not a key question of {fw.id}; "
                f"expected one of {', '.join(fw.key_question_ids)}."
            )
        return kq
    area_text = " ".join(row.get("area", "").replace("_", " ").lower().split())
    if not area_text:
        return None
    if area_text not in _AREA_ALIASES:
        raise InputDataError(
            f"{where}, column area: {row['area']!r} is not an area; expected engagement, desistance or keeping safe."
        )
    standard = _row_standard(row.get("standard", ""), fw, where)
    kq = f"{standard}_{_AREA_ALIASES[area_text]}"
    if kq not in fw.key_question_ids:
        raise InputDataError(f"{where}: standard {standard!r} has no key questions in {fw.id}.")
    return kq


def _row_standard(text: str, fw: _fw.Framework, where: str) -> str:
    if text.strip().lower() in ("overall", "overall rating"):
        return "overall"
    try:
        return fw.standard(text.strip()).slug
    except KeyError as err:
        raise InputDataError(f"{where}, column standard: {err.args[0]}") from None


def _number(text: str, where: str, column: str, low: float, high: float | None) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputDataError(f"{where}, column {column}: {text!r} is not a number.") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise InputDataError(f"{where}, column {column}: {value:g} should be {bound}.")
    return value
