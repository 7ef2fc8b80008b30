"""Assemble the tables from each file's reports: one report per identity, conflicts listed.

Two files are copies of one report only when their identities agree (see
:mod:`analysis.extract.identity`); every value on which copies, or a report's table and its own
text, disagree is a row of ``conflicts``. A report whose key-question table cannot be rated
marks its file failed and never stops the others.
"""

from __future__ import annotations

import re

import pandas as pd

from ..data.extracted import TABLES, columns, validate_table
from ._collect import Collected
from .identity import Identity, reference_name, unit_type_of
from .rating import check_ratings_per_report

__all__ = ["assemble"]

_KEYS = {
    "ratings": (("standard",), ("rating", "score", "max_score", "rule_rating")),
    "key_questions": (("key_question",), ("pct_yes", "n")),
    "figures": (("measure_id",), ("value", "denominator")),
    "prompts": (("standard", "quantity_text", "pct"), ("n", "n_relevant", "direction")),
}
_REPORT_FIELDS = (
    "unit",
    "unit_type",
    "region",
    "framework",
    "fieldwork_start",
    "fieldwork_end",
    "publication_date",
    "cases",
    "cases_community",
    "cases_licence",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _identity(col: Collected) -> Identity:
    r = col.report
    unit_type = r.get("unit_type") or unit_type_of(r["unit"])
    reference, _ = reference_name(r["unit"], unit_type)
    date = r.get("publication_date") or r.get("fieldwork_start") or r.get("fieldwork_end")
    return Identity(
        unit=r["unit"],
        unit_type=unit_type,
        kind=col.layout,
        date=date,
        reference=reference,
        region=r.get("region"),
        sha256=col.doc.sha256,
    )


def _report_id(col: Collected, identity: Identity) -> str:
    """'york-pdu-2024-12'; a press release adds '-press'; an undated file its hash's start."""
    press = "-press" if identity.kind.endswith("-press") else ""
    date = identity.date or f"undated-{identity.sha256[:8]}"
    return f"{_slug(identity.unit)}{press}-{date}"


def _index(col: Collected, table: str, keys: tuple, values: tuple) -> dict:
    return {
        tuple(r.get(k) for k in keys): tuple(r.get(v) for v in values) for r in getattr(col, table)
    }


def _refines(field: str, a, b) -> bool:
    """'2024-12' and '2024-12-05' are one date printed to two precisions."""
    if not (field.endswith(("_date", "_start", "_end")) and a and b and a != b):
        return False
    return str(a).startswith(str(b)) or str(b).startswith(str(a))


def _conflicts(report_id: str, kept: Collected, other: Collected) -> list[dict]:
    out = []

    def add(table, item, a, b):
        out.append(
            {
                "report_id": report_id,
                "table": table,
                "item": item,
                "value_kept": None if a is None else str(a),
                "file_kept": kept.doc.path.name,
                "value_other": None if b is None else str(b),
                "file_other": other.doc.path.name,
            }
        )

    for field in _REPORT_FIELDS:
        a, b = kept.report.get(field), other.report.get(field)
        if _refines(field, a, b):
            other.warn(
                f"{field}: {a} in {kept.doc.path.name}, {b} in {other.doc.path.name} (the "
                "same date to another precision; not a conflict)"
            )
        elif a != b:
            add("reports", field, a, b)
    for table, (keys, values) in _KEYS.items():
        a, b = _index(kept, table, keys, values), _index(other, table, keys, values)
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key) != b.get(key):
                add(table, " / ".join(map(str, key)), a.get(key), b.get(key))
    return out


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    return validate_table(name, pd.DataFrame(rows, columns=list(columns(name))))


def _disagreements(report_id: str, col: Collected) -> list[dict]:
    """A ratings table and the report's own text that disagree, as conflicts rows."""
    name = col.doc.path.name
    return [
        {
            "report_id": report_id,
            "table": "key_questions" if standard.startswith("key question") else "ratings",
            "item": f"{standard} ("
            + ("printed twice" if standard.startswith("key question") else "ratings table / text")
            + ")",
            "value_kept": table,
            "file_kept": name,
            "value_other": f"{prose} (stated: {sentence})",
            "file_other": name,
        }
        for standard, table, prose, sentence in col.disagreements
    ]


def assemble(results: list[tuple[dict, list[Collected]]]) -> dict[str, pd.DataFrame]:
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    kept: dict[str, Collected] = {}
    by_key: dict[tuple, str] = {}
    others: dict[str, list[str]] = {}
    for status, cols in results:
        counts = {"n_ratings": 0, "n_key_questions": 0, "n_prompts": 0, "n_figures": 0}
        ids, duplicates, n_warnings = [], [], 0
        for col in cols:
            identity = _identity(col)
            key = identity.key()
            rid = by_key.get(key)
            for t in ("ratings", "key_questions", "prompts", "figures"):
                counts[f"n_{t}"] += len(getattr(col, t))
            n_warnings += len(col.warnings)
            if rid is not None:
                duplicates.append(rid)
                ids.append(rid)
                others[rid].append(status["file"])
                rows["conflicts"] += _conflicts(rid, kept[rid], col)
            else:
                rid = _report_id(col, identity)
                while rid in kept:  # a different report with the same printed name and date
                    rid = (
                        f"{rid}-{identity.sha256[:8]}"
                        if identity.sha256[:8] not in rid
                        else rid + "x"
                    )
                by_key[key] = rid
                kept[rid] = col
                others[rid] = []
                ids.append(rid)
                rows["conflicts"] += _disagreements(rid, col)
                if identity.reference is None and identity.unit_type in ("pdu", "region"):
                    _, near = reference_name(identity.unit, identity.unit_type)
                    col.warn(
                        f"unit {identity.unit!r} is not in the reference list of regions and "
                        "PDUs"
                        + (f" (closest: {near!r})" if near else "")
                        + "; kept under its printed name"
                    )
                    n_warnings += 1
            rows["warnings"] += [
                {"file": status["file"], "report_id": rid, "warning": w} for w in col.warnings
            ]
        if cols:
            status["report_id"] = "; ".join(ids)
            if duplicates and len(duplicates) == len(cols):
                status["status"] = "duplicate"
                status["message"] = (
                    f"same report as {', '.join(kept[r].doc.path.name for r in duplicates)} "
                    "(same unit, kind and date); values compared, not merged"
                )
        elif status["message"]:
            rows["warnings"].append(
                {"file": status["file"], "report_id": None, "warning": status["message"]}
            )
        rows["files"].append({**status, **counts, "n_warnings": n_warnings})
    for rid, col in kept.items():
        report = {c: col.report.get(c) for c in columns("reports")}
        report.update(
            report_id=rid,
            layout=col.layout,
            source_file=col.doc.path.name,
            sha256=col.doc.sha256,
            other_sources="; ".join(others[rid]) or None,
            n_warnings=len(col.warnings),
        )
        for field, measure in (
            ("cases", "cases"),
            ("cases_community", "community"),
            ("cases_licence", "licence"),
        ):
            if report.get(field) is None and col.value_of(measure) is not None:
                report[field] = int(col.value_of(measure))
        rows["reports"].append(report)
        for table in ("ratings", "key_questions", "prompts", "figures"):
            rows[table] += [{"report_id": rid, **r} for r in getattr(col, table)]
    tables = {name: _frame(name, rows[name]) for name in TABLES if name != "rating_check"}
    tables["rating_check"], failed = check_ratings_per_report(
        tables["key_questions"], tables["ratings"]
    )
    if failed:
        files = tables["files"]
        extra = []
        for rid, message in failed.items():
            name = kept[rid].doc.path.name
            where = files["file"].eq(name)
            path = files.loc[where, "path"].iloc[0]
            text = (
                f"{path}: its key-question table cannot be rated ({message}); its values are "
                "kept as published and no rating check was made for it"
            )
            files.loc[where, "status"] = "error"
            files.loc[where, "message"] = text
            extra.append({"file": name, "report_id": rid, "warning": text})
        tables["warnings"] = _frame("warnings", [*rows["warnings"], *extra])
    return {name: tables[name] for name in TABLES}
