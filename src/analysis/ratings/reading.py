"""Read the table that ``analysis rate`` rates: a CSV or Excel sheet of published percentages.

One row per key question, with labels as reports print them: ``standard`` ("Assessment",
"P2.1 Assessment", "P2.1"), ``area`` ("engagement", "Keeping other people safe") or
``key_question`` (an id such as ``planning_desistance``, or the question as printed),
``pct_yes`` ("70", "70%", "71 per cent", or "not applicable"), ``n`` (applicable cases) and
optionally ``n_yes``, ``unit`` and ``published_rating``. Rows for standards not rated from
cases (leadership, ...) and for ``overall`` carry only ``standard`` and ``published_rating``.
Every problem is an :class:`~analysis.exceptions.InputDataError` naming the file, the row (as
a spreadsheet numbers it: header = row 1), the column and the value; nothing is guessed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import frameworks as _fw
from ..data.normalise import clean_header, suggest
from ..data.reference import did_you_mean
from ..exceptions import InputDataError
from ..io import numbers as _num
from ._cells import read_cells, too_wide
from ._common import require_rating

__all__ = ["read_rating_table", "COLUMN_ALIASES"]

COLUMN_ALIASES = {
    "unit": ("unit", "pdu", "unit_name"),
    "standard": ("standard",),
    "area": ("area",),
    "key_question": ("key_question", "question"),
    "pct_yes": ("pct_yes", "percentage_yes", "pct", "percentage", "per_cent_yes"),
    "n": ("n", "cases", "n_cases", "n_applicable", "applicable_cases"),
    "n_yes": ("n_yes", "yes", "cases_yes"),
    "published_rating": ("published_rating", "rating", "published"),
}
"""Accepted headers (after lower-casing; '%' read as 'pct'; other punctuation as '_')."""

_AREA_ALIASES = {
    "engagement": "engagement",
    "engaging": "engagement",
    "engaging the person on probation": "engagement",
    "desistance": "desistance",
    "supporting desistance": "desistance",
    "keeping safe": "keeping_safe",
    "keeping other people safe": "keeping_safe",
    "safety": "keeping_safe",
}
_NOT_APPLICABLE = {"not applicable", "n/a", "na", "not_applicable"}
_STANDARD_ID = re.compile(r"^(P?)\s*(\d+)\s*\.\s*(\d+)\.?(\s+.*)?$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def read_rating_table(
    path, framework: str | _fw.Framework = "pdu-2023"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a hand-written CSV (UTF-8) or Excel (.xlsx) table of key-question percentages.

    Excel cells formatted as percentages (stored 0.70, shown 70%) are read as shown (70).

    Returns
    -------
    (key_questions, published)
        ``key_questions``: ``[unit, key_question, pct_yes, pct_given, n, n_yes, where,
        source]`` where ``pct_given`` is the percentage as written and ``where`` names the
        row; ``published``: ``[unit, standard, rating, where]`` with canonical labels
        (``standard`` is a slug or ``overall``).

    Raises
    ------
    InputDataError
        Naming the file, row, column and value.
    """
    fw = _fw.get(framework)
    path = Path(path)
    header, rows = read_cells(path)
    columns = _columns(header, path)
    kq_rows, pub_rows = [], []
    for number, cells in rows:
        where = f"{path}, row {number}"
        try:
            kq_row, pub_row = _read_row(cells, columns, fw, path, where)
        except InputDataError as err:
            if len(cells) <= len(header):
                raise
            raise InputDataError(
                f"{err} This row has {too_wide(len(cells), len(header))}, so its values may "
                "be in the wrong columns."
            ) from None
        if kq_row is not None:
            kq_rows.append(kq_row)
        if pub_row is not None:
            pub_rows.append(pub_row)
    _check_unit_names([r["unit"] for r in kq_rows + pub_rows], path)
    kq = pd.DataFrame(
        kq_rows, columns=["unit", "key_question", "pct_yes", "pct_given", "n", "n_yes", "where"]
    )
    kq["source"] = f"table entered by hand: {path.name}"
    pub = pd.DataFrame(pub_rows, columns=["unit", "standard", "rating", "where"])
    for (unit, standard), block in pub.groupby(["unit", "standard"], sort=False):
        if block["rating"].nunique() > 1:
            raise InputDataError(
                f"{path}: unit {unit!r} gives different published ratings for {standard!r}: "
                + "; ".join(
                    f"{r} ({w.rsplit(', ', 1)[-1]})" for r, w in block[["rating", "where"]].values
                )
                + "."
            )
    pub = pub.drop_duplicates(["unit", "standard"]).reset_index(drop=True)
    if kq.empty and pub.empty:
        raise InputDataError(f"{path}: no key-question figures and no published ratings found.")
    return kq, pub


def _read_row(
    cells: list[str], columns: dict[str, int], fw: _fw.Framework, path: Path, where: str
) -> tuple[dict | None, dict | None]:
    """A row's key-question figures and its published rating (None where it gives none)."""
    row = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}
    for name, value in row.items():
        if _CONTROL.search(value):
            raise InputDataError(
                f"{where}, column {name}: {value!r} contains a control character (such as "
                "a NUL byte); retype the value."
            )
    if not any(row.values()):
        return None, None  # a row of empty cells carries nothing
    unit = row.get("unit", path.stem) if "unit" in columns else path.stem
    if not unit:
        raise InputDataError(f"{where}, column unit: empty; name the unit on every row.")
    kq_id = _row_key_question(row, fw, where)
    standard = next((k.standard for k in fw.key_questions if k.id == kq_id), None)
    if kq_id is None and row.get("standard"):
        standard = _row_standard(row["standard"], fw, where)
    figures = [row.get(c, "") for c in ("pct_yes", "n", "n_yes")]
    if not kq_id and any(figures):
        raise InputDataError(
            f"{where}: figures {', '.join(f for f in figures if f)} are given, but no key "
            "question: give 'area' (engagement, desistance, keeping safe) or 'key_question'"
            + _standard_hint(standard, fw)
        )
    kq_row = _figures(row, unit, kq_id, where) if kq_id else None
    label = row.get("published_rating", "")
    if not label:
        return kq_row, None
    try:
        rating = require_rating(label)
    except InputDataError as err:
        hint = did_you_mean(suggest(label, _fw.RATINGS))
        raise InputDataError(f"{where}, column published_rating: {err}{hint}") from None
    if standard is None:
        raise InputDataError(
            f"{where}, column standard: empty, but a published rating {label!r} is "
            "given; name its standard (or 'overall')."
        )
    return kq_row, {"unit": unit, "standard": standard, "rating": rating, "where": where}


def _check_unit_names(units: list[str], path: Path) -> None:
    """Refuse unit names that differ only in case or spacing: they would become two units."""
    seen: dict[str, str] = {}
    for unit in dict.fromkeys(units):
        key = " ".join(unit.lower().split())
        if key in seen:
            raise InputDataError(
                f"{path}, column unit: {seen[key]!r} and {unit!r} differ only in case or "
                "spacing; write the unit's name the same way on every row."
            )
        seen[key] = unit


# --- columns and labels ---------------------------------------------------------------------


def _columns(header: list[str], path: Path) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        key = clean_header(raw)
        name = next((c for c, names in COLUMN_ALIASES.items() if key in names), None)
        if name is None:
            continue  # other columns (notes, sources) are not read
        if name in columns:
            raise InputDataError(
                f"{path}, row 1: columns {header[columns[name]]!r} and {raw!r} both give "
                f"{name!r}; keep one."
            )
        columns[name] = i
    if "standard" not in columns and "key_question" not in columns:
        raise InputDataError(
            f"{path}: needs a 'standard' column (with 'area') or a 'key_question' column; "
            f"found {header}.{_hint(header, columns)}"
        )
    if ("area" in columns or "key_question" in columns) and not {"pct_yes", "n_yes"} & set(columns):
        raise InputDataError(
            f"{path}: has key questions ('area' or 'key_question') but no 'pct_yes' (or "
            f"'n_yes') column to read their figures from; found {header}.{_hint(header, columns)}"
        )
    return columns


def _hint(header: list[str], columns: dict[str, int]) -> str:
    """Suggestions for headers that were not recognised but look like a known one."""
    known = [n for names in COLUMN_ALIASES.values() for n in names]
    used = set(columns.values())
    hints = [(h, suggest(clean_header(h), known)) for i, h in enumerate(header) if i not in used]
    return "".join(f" Did you mean {m!r} for {h!r}?" for h, m in hints if m)


def _standard_hint(standard: str | None, fw) -> str:
    """The end of the no-key-question message: whether ``standard`` has key questions at all."""
    if not standard:
        return "."
    if standard not in fw.standards_with_key_questions:
        return f"; {standard} is not rated from key questions."
    return f"; {standard} has a key question per area, so the row needs its area."


def _row_key_question(row: dict, fw: _fw.Framework, where: str) -> str | None:
    text = row.get("key_question", "")
    if text:
        if text in fw.key_question_ids:
            return text
        wanted = " ".join(text.lower().split())
        for k in fw.key_questions:
            if " ".join(k.text.lower().split()) == wanted:
                return k.id
        raise InputDataError(
            f"{where}, column key_question: {text!r} is not a key question of {fw.id}; "
            f"expected an id ({', '.join(fw.key_question_ids)}) or a question as printed."
        )
    area_text = " ".join(row.get("area", "").replace("_", " ").lower().split())
    if not area_text:
        return None
    if area_text not in _AREA_ALIASES:
        raise InputDataError(
            f"{where}, column area: {row['area']!r} is not an area; expected engagement, "
            "desistance or keeping safe."
        )
    if not row.get("standard"):
        raise InputDataError(f"{where}, column standard: empty; name the standard of this area.")
    standard = _row_standard(row["standard"], fw, where)
    kq = f"{standard}_{_AREA_ALIASES[area_text]}"
    if kq not in fw.key_question_ids:
        raise InputDataError(
            f"{where}, column standard: {row['standard']!r} has no key questions in {fw.id} "
            "(it is not rated from cases)."
        )
    return kq


def _row_standard(text: str, fw: _fw.Framework, where: str) -> str:
    """A standard's slug from a label as printed: 'Assessment', 'P2.1 Assessment', 'P 2.1'."""
    text = " ".join(text.split())
    if text.lower() in ("overall", "overall rating"):
        return "overall"
    try:
        return fw.standard(text).slug
    except KeyError as err:
        message = err.args[0]
    match = _STANDARD_ID.match(text)
    if match:
        number = f"{match.group(2)}.{match.group(3)}"
        by_id = [s for s in fw.standards if s.id.upper().lstrip("P") == number]
        name = (match.group(4) or "").strip()
        if by_id:
            standard = by_id[0]
            if not name or _same(name, standard.name) or _same(name, standard.slug):
                return standard.slug
            raise InputDataError(
                f"{where}, column standard: {text!r}: {standard.id} is {standard.name!r} in "
                f"{fw.id}, not {name!r}."
            )
        if name:
            try:
                return fw.standard(name).slug
            except KeyError:
                pass
    raise InputDataError(f"{where}, column standard: {message}")


def _same(a: str, b: str) -> bool:
    def norm(t: str) -> str:
        return " ".join(t.lower().replace("_", " ").split())

    return norm(a) == norm(b)


# --- figures --------------------------------------------------------------------------------


def _figures(row: dict, unit: str, kq_id: str, where: str) -> dict:
    pct_text, n_text, n_yes_text = (row.get(c, "") for c in ("pct_yes", "n", "n_yes"))
    if pct_text.lower().replace("_", " ") in _NOT_APPLICABLE:
        if n_text not in ("", "0") or n_yes_text not in ("", "0"):
            raise InputDataError(
                f"{where}: key question {kq_id} is marked 'not applicable' but n = {n_text!r}, "
                f"n_yes = {n_yes_text!r}; leave them empty (or 0)."
            )
        pct, given, n_text = float("nan"), "not applicable", "0"
    elif pct_text:
        given = _percentage_text(pct_text, where)
        pct = float(given)
    else:
        pct, given = float("nan"), ""
    counts = {c: _count(t, c, where) for c, t in (("n", n_text), ("n_yes", n_yes_text))}
    return {
        "unit": unit,
        "key_question": kq_id,
        "pct_yes": pct,
        "pct_given": given,
        "n": counts["n"],
        "n_yes": counts["n_yes"],
        "where": where,
    }


def _read(read, text: str, where: str, column: str, wrong: str, low: float, high: float, bound):
    """``read(text)`` (an :mod:`analysis.io.numbers` reader) between ``low`` and ``high``;
    an error naming the row, the column and the value otherwise."""
    try:
        value = read(text)
    except _num.NumberProblem as problem:
        raise InputDataError(
            f"{where}, column {column}: {text!r} {wrong}; expected {problem}."
        ) from None
    if not low <= value <= high:
        raise InputDataError(f"{where}, column {column}: {text!r} should be {bound}.")
    return value


def _percentage_text(text: str, where: str) -> str:
    """The number in a percentage as written ('71 per cent' -> '71'); an error otherwise."""
    wrong = "is not a percentage (nor 'not applicable')"
    _read(_num.percentage, text, where, "pct_yes", wrong, 0, 100, "between 0 and 100")
    return _num.percentage_text(text)


def _count(text: str, column: str, where: str) -> float:
    """A whole number of cases, at least 0 (NaN where the cell is empty); an error otherwise."""
    if not text:
        return float("nan")
    wrong, bound = "should be a whole number of cases", "a whole number of cases, at least 0"
    return float(_read(_num.count, text, where, column, wrong, 0, _num.MAX_COUNT, bound))
