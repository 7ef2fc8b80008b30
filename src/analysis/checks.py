"""Column parsers, cross-table checks and pandera failure translation used by :mod:`analysis.build`.

Every check returns failure records (file, row, column, value, check, expected, severity) in
words a person can act on; none raises.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import normalise as _n
from . import schemas as _s
from .ingest import failure

__all__ = ["parse_column", "cross_checks", "pandera_failures"]

_BOOL = {
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "1": True,
    "0": False,
    "1.0": True,
    "0.0": False,
}


def _fail(failures, label, row, col, value, check, expected):
    failures.append(failure(label, row, col, value, check, expected))


def _choices_text(choices) -> str:
    return ", ".join(f"'{c}'" for c in choices)


def parse_column(
    values: pd.Series,
    kind: str,
    col: str,
    label: str,
    rows: list[int],
    context: dict,
    failures: list,
):
    """Parse one column of raw values (None for missing) by its kind; record what fails."""
    present = values.notna().to_numpy()

    def each(parser, check, expected, missing=None):
        out = []
        for i, v in enumerate(values):
            if not present[i]:
                out.append(missing)
                continue
            parsed = parser(v)
            if parsed is None:
                _fail(
                    failures,
                    label,
                    rows[i],
                    col,
                    v,
                    check,
                    expected(v) if callable(expected) else expected,
                )
                out.append(missing)
            else:
                out.append(parsed)
        return out

    if kind in ("text", "category"):
        return pd.Series(
            [str(v) if ok else None for v, ok in zip(values, present, strict=True)], dtype=object
        ).to_numpy()
    if kind.startswith("code:"):
        dtype = _s.CATEGORY_DTYPES.get(kind[5:])
        if dtype is None:
            return values.map(_n.code).astype(object)
        cats = list(dtype.categories)

        def code(v):
            c = _n.code(str(v))
            c = c if c in cats else c.replace("-", "_")
            return c if c in cats else None

        def expected(v):
            hint = _n.suggest(_n.code(str(v)), cats)
            return f"one of {_choices_text(cats)}" + (f"; did you mean '{hint}'?" if hint else "")

        return pd.Categorical(each(code, "allowed_value", expected), dtype=dtype)
    if kind.startswith("label:"):
        return _labels(values, _s.CATEGORY_DTYPES[kind[6:]], each)
    if kind == "rating":
        labels = list(_s.RATINGS)

        def expected(v):
            hint = _n.suggest(v, labels)
            return f"a rating: {_choices_text(labels)}" + (
                f"; did you mean '{hint}'?" if hint else ""
            )

        return pd.Categorical(
            each(_n.rating, "rating_label", expected), dtype=_s.CATEGORY_DTYPES["rating"]
        )
    if kind == "pct":
        return np.array(
            each(
                _n.percent, "percentage", "a percentage such as 70, '70%' or '70 per cent'", np.nan
            ),
            dtype=float,
        )
    if kind == "number":
        return np.array(each(_number, "number", "a number such as 0.21", np.nan), dtype=float)
    if kind == "count":
        return pd.array(each(_whole, "whole_number", "a whole number such as 20"), dtype="Int64")
    if kind == "date":
        parsed = each(
            _n.parse_date,
            "date",
            "a date such as 2024-09-16, 16/09/2024 or 16 September 2024 (day before month)",
        )
        return pd.to_datetime(pd.Series(parsed, dtype=object)).astype("datetime64[ns]").to_numpy()
    if kind == "bool":
        return pd.array(
            each(
                lambda v: _BOOL.get(str(v).strip().lower()),
                "true_false",
                "True or False (empty where not applicable or not linked)",
            ),
            dtype="boolean",
        )
    if kind in ("region", "region_or_national", "pdu"):
        return _match_units(values, kind, col, label, rows, context, failures)
    raise ValueError(f"Unknown column kind {kind!r} for {col}")  # pragma: no cover - schema bug


def _labels(values, dtype, each):
    """Published labels matched ignoring case, spacing, punctuation and '&' vs 'and'."""
    labels = list(dtype.categories)
    keys = {_n.name_key(c): c for c in labels}

    def expected(v):
        hint = _n.suggest(v, labels)
        return f"one of {_choices_text(labels)}" + (f"; did you mean '{hint}'?" if hint else "")

    return pd.Categorical(
        each(lambda v: keys.get(_n.name_key(v)), "allowed_value", expected), dtype=dtype
    )


def _number(v):
    if isinstance(v, bool):
        return None
    try:
        return float(str(v).replace(",", "")) if not isinstance(v, int | float) else float(v)
    except ValueError:
        return None


def _whole(v):
    x = _number(v)
    if x is None or x != x or x != int(x):
        return None
    return int(x)


def _match_units(values, kind, col, label, rows, context, failures):
    ref = context.get("reference")
    if ref is None:
        return values.astype(object)
    if kind == "pdu":
        choices = ref["pdu"].astype(str).tolist()
        aliases = context.get("aliases")
        alias_map = (
            {}
            if aliases is None
            else {_n.name_key(a): p for a, p in zip(aliases["alias"], aliases["pdu"], strict=True)}
        )
        what = "a PDU in the reference list (data/raw/reference/regions_pdus.csv)"
    else:
        choices = sorted(ref["region"].astype(str).unique())
        alias_map = {"national": "National"} if kind == "region_or_national" else {}
        what = "a region in the reference list (" + ", ".join(choices) + ")"
    keys = {_n.name_key(c): c for c in choices}
    resolved: dict = {}
    out = []
    for i, v in enumerate(values):
        if v is None or v != v:
            out.append(None)
            continue
        if v not in resolved:
            key = _n.name_key(v)
            match = keys.get(key) or alias_map.get(key)
            resolved[v] = (match, None if match else _n.suggest(v, choices))
        match, hint = resolved[v]
        if match is None:
            _fail(failures, label, rows[i], col, v, f"known_{'pdu' if kind == 'pdu' else 'region'}",
                  what + (f"; did you mean '{hint}'?" if hint else "; add it to the reference list if it is new"))  # fmt: skip
        out.append(match)
    return pd.Series(out, dtype=object).to_numpy()


# --- cross-table checks -------------------------------------------------------------------------
def cross_checks(name: str, frame: pd.DataFrame, context: dict) -> list[dict]:
    """Checks across columns and tables (unit codes, sums, n_yes <= n); errors and warnings."""
    checks = {
        "cases": _unit_consistency,
        "units": _unit_consistency,
        "published_key_questions": _key_question_checks,
        "published_figures": _figure_sums,
        "published_ratings": _published_units,
        "factors": _factor_cases,
    }
    fn = checks.get(name)
    return fn(frame, context) if fn else []


def _unit_consistency(frame, context) -> list[dict]:
    ref = context.get("reference")
    if ref is None:
        return []
    by_pdu = ref.assign(pdu=ref["pdu"].astype(str)).set_index("pdu")
    out = []
    for rec in frame[["file_", "row_", "region", "region_code", "pdu", "pdu_code"]].itertuples(
        index=False
    ):
        if not isinstance(rec.pdu, str) or rec.pdu not in by_pdu.index:
            continue
        want = by_pdu.loc[rec.pdu]
        for col, have, expect in (("region", rec.region, str(want["region"])), ("pdu_code", rec.pdu_code, want["pdu_code"]), ("region_code", rec.region_code, want["region_code"])):  # fmt: skip
            if isinstance(have, str) and have != expect:
                out.append(failure(rec.file_, rec.row_, col, have, "matches_reference", f"'{expect}', as the reference list gives for PDU '{rec.pdu}'"))  # fmt: skip
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
                out.append(failure(rec.file_, rec.row_, "region", rec.region, "matches_reference", f"'{expect}', as the reference list gives for PDU '{rec.pdu}'"))  # fmt: skip
    cases = context.get("cases")
    if cases is None:
        return out
    known = cases.drop_duplicates("case_id").set_index("case_id")[["region", "pdu"]]
    present = frame["case_id"].isin(known.index).to_numpy()
    for rec in frame[~present & frame["case_id"].notna().to_numpy()].itertuples(index=False):
        out.append(failure(rec.file_, rec.row_, "case_id", rec.case_id, "known_case", "the case_id of a case in the cases table (data/raw/synthetic/cases.csv or data/raw/cases/); kept, but it cannot be linked to a case record", severity="warning"))  # fmt: skip
    sub = frame[present]
    want = known.loc[sub["case_id"]].astype(object)
    for col in ("region", "pdu"):
        have, expect = sub[col].astype(object).to_numpy(), want[col].to_numpy()
        wrong = pd.notna(have) & pd.notna(expect) & (have != expect)
        for rec, value in zip(sub[wrong].itertuples(index=False), expect[wrong], strict=True):
            out.append(failure(rec.file_, rec.row_, col, getattr(rec, col), "matches_case", f"'{value}', as the cases table gives for case '{rec.case_id}'; kept as given", severity="warning"))  # fmt: skip
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
            out.append(failure(rec.file_, rec.row_, "key_question", rec.key_question, "matches_standard_area", f"'{rec.standard}_{rec.area}' (standard and area of this row)"))  # fmt: skip
        if pd.notna(rec.n_yes) and pd.notna(rec.n):
            if rec.n_yes > rec.n:
                out.append(failure(rec.file_, rec.row_, "n_yes", rec.n_yes, "n_yes_at_most_n", f"at most n = {rec.n} (cases answered yes cannot exceed cases counted)"))  # fmt: skip
            elif pd.notna(rec.pct_yes) and abs(100 * rec.n_yes / rec.n - rec.pct_yes) > 0.5 + 1e-9:
                out.append(failure(rec.file_, rec.row_, "pct_yes", rec.pct_yes, "pct_matches_counts", f"{100 * rec.n_yes / rec.n:.1f} (= n_yes / n); the published percentage is kept", severity="warning"))  # fmt: skip
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
            out.append(failure(rec.file_, rec.row_, "sum_of", rec.sum_of, "known_figure_ids", f"figure_id values of this file; not found: {', '.join(unknown)}"))  # fmt: skip
            continue
        total = sum(values[p] for p in parts)
        if not np.isclose(total, rec.value):
            out.append(failure(rec.file_, rec.row_, "value", f"{rec.value:g}", "adds_up",
                               f"{' + '.join(f'{values[p]:g}' for p in parts)} = {total:g} ({' + '.join(parts)}); figures do not add up as published. The published value {rec.value:g} is kept", severity="warning"))  # fmt: skip
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
            out.append(failure(rec.file_, rec.row_, "score", rec.score, "score_format", "a score as published, such as 3/21 (empty where no source states it)"))  # fmt: skip
        if rec.unit_type != "pdu":
            pdus.append(None)
            continue
        match, hint = _n.match_name(rec.unit, choices)
        match = match or alias_map.get(_n.name_key(rec.unit))
        if match is None:
            out.append(failure(rec.file_, rec.row_, "unit", rec.unit, "matches_reference_pdu",
                               "a PDU in the reference list; kept as published with pdu left empty" + (f" (closest: '{hint}'; add an alias to data/raw/reference/pdu_aliases.csv if it is the same unit)" if hint else ""), severity="warning"))  # fmt: skip
        pdus.append(match)
    frame["pdu"] = pdus
    return out


# --- pandera --------------------------------------------------------------------------------------
_CHECK_TEXT = (
    (r"^isin\((.*)\)$", lambda m: f"one of {m.group(1).strip('[]')}"),
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
