"""Helpers for the data tests: a small real-looking dataset, builds that must fail cleanly, and
parsed tables as the cross-table checks receive them.

The York dataset is made here, not read from the code under test: 20 cases whose answers give
exactly the key-question percentages published for York PDU in December 2024
(data/raw/published/key_questions.csv, transcribed from the report; n = 20), with York's
published domain-one ratings (Requires improvement for leadership, staffing and services).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from analysis.data.build import build
from analysis.exceptions import InputDataError, ValidationFailed
from tests.conftest import tree_digest

YORK = {"region": "Yorkshire and the Humber", "region_code": "N55", "pdu": "York"}
YORK_CODE = "N55YRK"
YORK_DOMAIN_ONE = {
    "leadership": "Requires improvement",
    "staffing": "Requires improvement",
    "services": "Requires improvement",
}


def published_york(raw: Path) -> dict[str, float]:
    """York 2024's published key-question percentages, read from the committed CSV."""
    with open(raw / "published" / "key_questions.csv", encoding="utf-8-sig") as handle:
        return {row["key_question"]: float(row["pct_yes"]) for row in csv.DictReader(handle)}


def write_york(
    raw: Path,
    name: str = "york-2024",
    kind: str = "real",
    source: str | None = None,
    toml_extra: str = "",
) -> Path:
    """Write a real-looking York dataset under ``raw/datasets/<name>/``; return its folder."""
    folder = raw / "datasets" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.toml").write_text(
        f'kind = "{kind}"\ndescription = "York PDU case records"\n'
        f'source = "case records"\nlicence = "internal"\n{toml_extra}',
        encoding="utf-8",
    )
    source = source or "York PDU case records 2024"
    pcts = published_york(raw)
    header = [
        "case_id",
        "inspection_id",
        "framework",
        "region",
        "region_code",
        "pdu",
        "pdu_code",
        "fieldwork_start",
        "sentence_type",
        "rosh",
        "gender",
        "age_band",
        "ethnicity_group",
        *pcts,
        "new_offence",
        "progress_offending_factors",
        "progress_risk_factors",
        "complied",
        "proven_reoffence_12m",
        "sentence_completed",
        "source",
    ]
    rows = []
    for i in range(20):
        answers = ["yes" if i < round(p * 20 / 100) else "no" for p in pcts.values()]
        rows.append(
            [
                f"YRK24-{i + 1:03d}",
                "YRK-2024",
                "pdu-2023",
                YORK["region"],
                "N55",
                "York",
                YORK_CODE,
                "2024-09-16",
                "community" if i % 2 else "licence",
                "medium",
                "male" if i % 3 else "female",
                "25-34",
                "white",
                *answers,
                "False",
                "True",
                "True",
                "True",
                "",
                "",
                source,
            ]
        )
    _csv(folder / "cases.csv", header, rows)
    _csv(
        folder / "units.csv",
        [
            "region",
            "region_code",
            "pdu",
            "pdu_code",
            "staff_in_post_pct",
            "vacancy_rate",
            "workload_pct",
            "caseload",
            "source",
        ],
        [[YORK["region"], "N55", "York", YORK_CODE, "", "", "", "543", source]],
    )
    _csv(
        folder / "unit_ratings.csv",
        ["region", "pdu", "standard", "rating", "source"],
        [[YORK["region"], "York", s, r, source] for s, r in YORK_DOMAIN_ONE.items()],
    )
    return folder


def _csv(path: Path, header: list, rows: list) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def refused(raw: Path, processed: Path, match: str, **kwargs) -> str:
    """A build refused with InputDataError matching ``match``; raw and processed unchanged."""
    before = tree_digest(raw), tree_digest(processed)
    with pytest.raises(InputDataError, match=match) as info:
        build(raw_dir=raw, processed_dir=processed, **kwargs)
    assert (tree_digest(raw), tree_digest(processed)) == before, "a refused build changed files"
    return str(info.value)


def failing(raw: Path, processed: Path):
    """A build stopped by validation; raw and processed unchanged; returns the failures table."""
    before = tree_digest(raw), tree_digest(processed)
    with pytest.raises(ValidationFailed) as info:
        build(raw_dir=raw, processed_dir=processed)
    assert (tree_digest(raw), tree_digest(processed)) == before, "a failed build changed files"
    assert "Nothing was written" in str(info.value)
    return info.value.failures


def passing(raw: Path, processed: Path):
    """A build that succeeds; raw unchanged; returns the BuildReport."""
    before = tree_digest(raw)
    report = build(raw_dir=raw, processed_dir=processed)
    assert tree_digest(raw) == before, "build modified data/raw"
    return report


def one(failures, check: str):
    """The failure records of one check (at least one must exist)."""
    rows = failures[failures["check"] == check]
    assert len(rows), f"no {check!r} failure in:\n{failures.to_string()}"
    return rows


def parsed(file: str, records: list[dict]) -> pd.DataFrame:
    """Records as the build hands a parsed table to its checks: each row with its ``file_``
    and its file row ``row_`` (the header is row 1, so data rows count from 2)."""
    frame = pd.DataFrame(records)
    frame["file_"] = file
    frame["row_"] = range(2, len(frame) + 2)
    return frame


def failure_rows(records: list[dict]) -> list[tuple]:
    """Failure records as (row, column, value, check, severity)."""
    return [(r["row"], r["column"], r["value"], r["check"], r["severity"]) for r in records]
