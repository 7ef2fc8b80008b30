"""Cross-table checks and pandera failure translation used by :mod:`analysis.data.build`.

Every check returns failure records (file, row, column, value, check, expected, severity) in
words a person can act on; none raises.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import normalise as _n
from .consistency import alias_checks, reference_checks, score_checks
from .ingest import failure
from .published_checks import rounds, source_warnings, wording_conflicts
from .reconcile import coverage_checks, totals_checks
from .youth import youth_checks

__all__ = ["cross_checks", "pandera_failures"]


# --- cross-table checks -------------------------------------------------------------------------
def cross_checks(name: str, frame: pd.DataFrame, context: dict) -> list[dict]:
    """Checks across columns and tables (unit codes, sums, n_yes <= n); errors and warnings."""
    checks = {
        "reference": (reference_checks,),
        "pdu_aliases": (alias_checks,),
        "cases": (_unit_consistency,),
        "units": (_unit_consistency,),
        "published_key_questions": (_key_question_checks,),
        "published_figures": (_figure_sums, wording_conflicts),
        "published_ratings": (
            _published_units,
            score_checks,
            source_warnings,
            rounds,
            coverage_checks,
        ),
        "published_totals": (totals_checks,),
        "factors": (_factor_cases,),
        "youth_justice_ratings": (youth_checks,),
    }
    return [problem for fn in checks.get(name, ()) for problem in fn(frame, context)]


def _unit_consistency(frame, context) -> list[dict]:
    ref = context.get("reference")
    if ref is None:
        return []
    by_pdu: dict[str, list] = {}
    for row in ref.assign(pdu=ref["pdu"].astype(str)).to_dict("records"):
        by_pdu.setdefault(row["pdu"], []).append(row)
    units = ["region", "region_code", "pdu", "pdu_code"]
    # each combination of unit columns is judged once; rows are then reported in row order
    codes, combos = pd.MultiIndex.from_frame(frame[units].astype(object)).factorize()
    wrong: dict[int, list[tuple[str, str, str]]] = {}
    for j, (region, region_code, pdu, pdu_code) in enumerate(combos):
        if not isinstance(pdu, str) or pdu not in by_pdu:
            continue
        same = [w for w in by_pdu[pdu] if str(w["region"]) == region]
        want = (same or by_pdu[pdu])[0]
        found = [
            (col, have, expect)
            for col, have, expect in (
                ("region", region, str(want["region"])),
                ("pdu_code", pdu_code, want["pdu_code"]),
                ("region_code", region_code, want["region_code"]),
            )
            if isinstance(have, str) and have != expect
        ]
        if found:
            wrong[j] = [
                (col, have, f"'{expect}', as the reference list gives for PDU '{pdu}'")
                for col, have, expect in found
            ]
    out = []
    if not wrong:
        return out
    files, rows = frame["file_"].to_numpy(), frame["row_"].to_numpy()
    for i in np.flatnonzero(np.isin(codes, list(wrong))):
        for col, have, expected in wrong[codes[i]]:
            out.append(failure(files[i], int(rows[i]), col, have, "matches_reference", expected))
    return out


def _factor_cases(frame, context) -> list[dict]:
    """The PDU lies in the region given (error); the case is in the cases table (warnings).

    Links to case records are warnings, so that a broken case record is reported once, in its
    own file, and factor judgements stay usable on their own.
    """
    out = []
    ref = context.get("reference")
    if ref is not None:
        region_of = dict(zip(ref["pdu"].astype(str), ref["region"].astype(str), strict=True))
        for rec in frame[frame["pdu"].notna() & frame["region"].notna()].itertuples(index=False):
            expect = region_of.get(rec.pdu)
            if expect is not None and rec.region != expect:
                out.append(
                    failure(
                        rec.file_,
                        rec.row_,
                        "region",
                        rec.region,
                        "matches_reference",
                        f"'{expect}', as the reference list gives for PDU '{rec.pdu}'",
                    )
                )
    cases = context.get("cases")
    if cases is None:
        return out
    known = cases.drop_duplicates("case_id").set_index("case_id")[["region", "pdu"]]
    present = frame["case_id"].isin(known.index).to_numpy()
    for rec in frame[~present & frame["case_id"].notna().to_numpy()].itertuples(index=False):
        out.append(
            failure(
                rec.file_,
                rec.row_,
                "case_id",
                rec.case_id,
                "known_case",
                "the case_id of a case in the cases table of the same dataset; kept, but it cannot be linked to a case record",
                severity="warning",
            )
        )
    sub = frame[present]
    want = known.loc[sub["case_id"]].astype(object)
    for col in ("region", "pdu"):
        have, expect = sub[col].astype(object).to_numpy(), want[col].to_numpy()
        wrong = pd.notna(have) & pd.notna(expect) & (have != expect)
        for rec, value in zip(sub[wrong].itertuples(index=False), expect[wrong], strict=True):
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    col,
                    getattr(rec, col),
                    "matches_case",
                    f"'{value}', as the cases table gives for case '{rec.case_id}'; kept as given",
                    severity="warning",
                )
            )
    return out


def _key_question_checks(frame, context) -> list[dict]:
    out = []
    for rec in frame.itertuples(index=False):
        if (
            rec.standard
            and rec.area
            and rec.key_question
            and rec.key_question != f"{rec.standard}_{rec.area}"
        ):
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "key_question",
                    rec.key_question,
                    "matches_standard_area",
                    f"'{rec.standard}_{rec.area}' (standard and area of this row)",
                )
            )
        if pd.notna(rec.n_yes) and pd.notna(rec.n):
            if rec.n_yes > rec.n:
                out.append(
                    failure(
                        rec.file_,
                        rec.row_,
                        "n_yes",
                        rec.n_yes,
                        "n_yes_at_most_n",
                        f"at most n = {rec.n} (cases answered yes cannot exceed cases counted)",
                    )
                )
            elif pd.notna(rec.pct_yes) and abs(100 * rec.n_yes / rec.n - rec.pct_yes) > 0.5 + 1e-9:
                out.append(
                    failure(
                        rec.file_,
                        rec.row_,
                        "pct_yes",
                        rec.pct_yes,
                        "pct_matches_counts",
                        f"{100 * rec.n_yes / rec.n:.1f} (= n_yes / n); the published percentage is kept",
                        severity="warning",
                    )
                )
    return out


def _figure_sums(frame, context) -> list[dict]:
    values = dict(zip(frame["figure_id"], frame["value"], strict=True))
    out = []
    for rec in frame.itertuples(index=False):
        if not isinstance(rec.sum_of, str) or not rec.sum_of:
            continue
        parts = [p.strip() for p in rec.sum_of.split(";") if p.strip()]
        unknown = [p for p in parts if p not in values]
        if unknown:
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "sum_of",
                    rec.sum_of,
                    "known_figure_ids",
                    f"figure_id values of this file; not found: {', '.join(unknown)}",
                )
            )
            continue
        total = sum(values[p] for p in parts)
        if not np.isclose(total, rec.value):
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "value",
                    f"{rec.value:g}",
                    "adds_up",
                    f"{' + '.join(f'{values[p]:g}' for p in parts)} = {total:g} ({' + '.join(parts)}); figures do not add up as published. The published value {rec.value:g} is kept",
                    severity="warning",
                )
            )
    return out


def _published_units(frame, context) -> list[dict]:
    ref = context.get("reference")
    if ref is None:
        return []
    choices = ref["pdu"].astype(str).tolist()
    aliases = context.get("aliases")
    alias_map = (
        {}
        if aliases is None
        else {_n.name_key(a): p for a, p in zip(aliases["alias"], aliases["pdu"], strict=True)}
    )
    out, pdus = [], []
    for rec in frame.itertuples(index=False):
        if isinstance(rec.score, str) and not re.fullmatch(r"\d+/\d+", rec.score):
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "score",
                    rec.score,
                    "score_format",
                    "a score as published, such as 3/21 (empty where no source states it)",
                )
            )
        if rec.unit_type != "pdu":
            pdus.append(None)
            continue
        match, hint = _n.match_name(rec.unit, choices)
        match = match or alias_map.get(_n.name_key(rec.unit))
        if match is None:
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "unit",
                    rec.unit,
                    "matches_reference_pdu",
                    "a PDU in the reference list; kept as published with pdu left empty"
                    + (
                        f" (closest: '{hint}'; add an alias to data/raw/reference/pdu_aliases.csv if it is the same unit)"
                        if hint
                        else ""
                    ),
                    severity="warning",
                )
            )
        pdus.append(match)
    frame["pdu"] = pdus
    return out


# --- pandera --------------------------------------------------------------------------------------
_CHECK_TEXT = (
    (r"^isin\((.*)\)$", lambda m: f"one of {m.group(1).strip('[]()').rstrip(',')}"),
    (r"^greater_than_or_equal_to\((.*)\)$", lambda m: f"a value of at least {m.group(1)}"),
    (r"^less_than_or_equal_to\((.*)\)$", lambda m: f"a value of at most {m.group(1)}"),
    (r"^greater_than\((.*)\)$", lambda m: f"a value above {m.group(1)}"),
    (r"^in_range\((.*), (.*)\)$", lambda m: f"a value from {m.group(1)} to {m.group(2)}"),
    (r"^field_uniqueness$", lambda m: "a value not used by any other row (duplicate)"),
    (
        r"^multiple_fields_uniqueness$",
        lambda m: "a combination of values not used by any other row (duplicate)",
    ),
    (r"^not_nullable$", lambda m: "a value (the cell is empty)"),
    (r"^str_matches\('(.*)'\)$", lambda m: f"text of the form {m.group(1)}"),
    (r"^str_length\(.*\)$", lambda m: "non-empty text"),
    (r"^dtype\('(.*)'\)$", lambda m: f"values of type {m.group(1)}"),
)


def _expected(check: str) -> str:
    for pattern, text in _CHECK_TEXT:
        m = re.match(pattern, str(check))
        if m:
            return text(m)
    return str(check)


def pandera_failures(cases: pd.DataFrame, frame: pd.DataFrame, already: list[dict]) -> list[dict]:
    """Translate pandera's ``failure_cases`` into failure records with file row numbers."""
    seen = {(f["file"], f["row"], f["column"]) for f in already}
    out = []
    for rec in cases.itertuples(index=False):
        idx = rec.index
        if idx is None or (isinstance(idx, float) and np.isnan(idx)):
            file, row = frame["file_"].iloc[0] if len(frame) else "", None
        else:
            file, row = frame["file_"].iloc[int(idx)], int(frame["row_"].iloc[int(idx)])
        column = rec.column if isinstance(rec.column, str) else None
        if (file, row, column) in seen:
            continue  # already reported by the parser with a better message
        seen.add((file, row, column))
        out.append(
            failure(file, row, column, rec.failure_case, str(rec.check), _expected(rec.check))
        )
    return out
