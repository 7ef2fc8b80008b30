"""Keeping datasets apart: checks that real and synthetic rows are never pooled or mislabelled.

Every function returns failure records (file, row, column, value, check, expected, severity).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import normalise as _n
from .files import label_of
from .ingest import SUFFIXES, failure, file_failure
from .metadata import LEGACY_FOLDERS, METADATA_FILE, DatasetInfo

__all__ = ["dataset_checks", "legacy_files", "shared_ids", "usable", "coverage"]


def _where(info: DatasetInfo) -> str:
    return f"data/raw/{info.folder}/{METADATA_FILE}"


def dataset_checks(name: str, info: DatasetInfo, frame: pd.DataFrame) -> list[dict]:
    """A table's rows agree with their dataset's declared kind (``source`` never decides it)."""
    out = []
    if name == "truth" and not info.synthetic:
        out.append(
            file_failure(
                frame["file_"].iloc[0],
                "truth_is_synthetic",
                f"true effects only in a synthetic dataset; {_where(info)} declares "
                f"'{info.name}' {info.kind}. Remove the file or declare the kind that is true",
            )
        )
    if "source" not in frame.columns:
        return out
    source = frame["source"].astype(str)
    said = source.map({v: _n.name_key(v) for v in source.unique()})  # each distinct text once
    for file, rows in frame.groupby("file_", sort=False):
        said_here = said.loc[rows.index]
        if info.synthetic:
            other = said_here != "synthetic"
            severity, check = "warning", "source_matches_kind"
            text = (
                f"'synthetic', as {_where(info)} declares; the rows are treated as synthetic "
                "whatever their source says"
            )
        else:
            other = said_here == "synthetic"
            severity, check = "error", "source_matches_kind"
            text = (
                f"a source naming where these real data come from; {_where(info)} declares "
                f"'{info.name}' real but these rows say synthetic. Declare kind = "
                '"synthetic" or correct the source'
            )
        if other.any():
            first = rows[other.to_numpy()].iloc[0]
            n = int(other.sum())
            out.append(
                failure(
                    file,
                    int(first["row_"]),
                    "source",
                    first["source"],
                    check,
                    text + (f" ({n} rows)" if n > 1 else ""),
                    severity=severity,
                )
            )
    return out


def legacy_files(raw_dir: Path, datasets, claimed: set[Path]) -> list[dict]:
    """Case-level files outside any dataset (the old ``data/raw/cases/`` folders): errors."""
    names = ", ".join(f"'{info.name}' ({info.kind})" for info, _ in datasets) or "none"
    out = []
    for folder in LEGACY_FOLDERS:
        base = raw_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            if path.name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                continue
            claimed.add(path)
            out.append(
                file_failure(
                    label_of(path, raw_dir),
                    "in_a_dataset",
                    f"case-level files inside a dataset folder, data/raw/datasets/<name>/ with a "
                    f'{METADATA_FILE} saying kind = "real" or "synthetic", so that they are '
                    f"never pooled with another dataset (datasets present: {names}). "
                    "Nothing was read from this file",
                )
            )
    return out


def shared_ids(name: str, frame: pd.DataFrame) -> list[dict]:
    """A case id used by two datasets: an error naming both (a case belongs to one dataset)."""
    if name != "cases" or frame["dataset"].nunique() < 2:
        return []
    owners = frame.groupby("case_id", sort=False, observed=True)["dataset"].agg(
        lambda s: sorted(set(map(str, s)))
    )
    shared = owners[owners.map(len) > 1]
    out = []
    for rec in frame[frame["case_id"].isin(shared.index)].itertuples(index=False):
        both = " and ".join(f"'{d}'" for d in shared[rec.case_id])
        out.append(
            failure(
                rec.file_,
                rec.row_,
                "case_id",
                rec.case_id,
                "case_in_one_dataset",
                f"a case id used by one dataset only; datasets {both} both hold this case. "
                "Real and synthetic rows are never pooled: remove the copy from one of them",
            )
        )
    return out


def usable(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A reference table that later lookups can use (the first of duplicated PDU names kept).

    Duplicates are reported as errors by the reference checks, so the build stops anyway; this
    only keeps the other tables' messages readable meanwhile.
    """
    if name != "reference":
        return frame
    keys = frame["pdu"].astype(str).map(_n.name_key)
    geographic = frame["unit_type"].astype(str) == "geographic"
    clash = keys.duplicated(keep=False) & keys.isin(keys[geographic])
    return frame[~(clash & keys.duplicated())].reset_index(drop=True)


def coverage(datasets, tables: dict) -> list[dict]:
    """Warnings for a dataset with no rows, or whose cases lack their PDUs' unit context."""
    out = []
    for info, _ in datasets:
        where = f"data/raw/{info.folder}"
        rows = {
            name: frame[frame["dataset"].astype(str) == info.name]
            for name, frame in tables.items()
            if isinstance(frame, pd.DataFrame) and "dataset" in frame
        }
        if not any(len(r) for r in rows.values()):
            out.append(
                file_failure(
                    where,
                    "dataset_has_rows",
                    "case-level files (cases.csv, units.csv, unit_ratings.csv, factors.csv); "
                    f"dataset '{info.name}' has none, so there is nothing to analyse",
                    "warning",
                )
            )
            continue
        cases = rows.get("cases")
        if cases is None or not len(cases):
            continue
        pdus = set(cases["pdu"].dropna().astype(str))
        for name, what in (("units", "unit context"), ("unit_ratings", "domain-one ratings")):
            have = rows.get(name)
            have = set() if have is None else set(have["pdu"].dropna().astype(str))
            lacking = sorted(pdus - have)
            if lacking:
                shown = ", ".join(lacking[:6]) + (
                    f" and {len(lacking) - 6} more" if len(lacking) > 6 else ""
                )
                out.append(
                    failure(
                        f"{where}/{name}.csv",
                        None,
                        "pdu",
                        shown,
                        "unit_context_present",
                        f"{what} for every PDU of the dataset's cases; none for {shown}. "
                        "Results that need them (overall ratings, unit-level models) leave "
                        "those PDUs out or say what is missing",
                        severity="warning",
                    )
                )
    return out
