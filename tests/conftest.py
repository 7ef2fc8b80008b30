"""Shared fixtures: small processed data built from a small synthetic sample, raw copies to break,
and the report notebooks run once on it for the whole test run."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import config


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (relative path -> hash); {} if it does not exist."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def append_frame(ws, frame) -> None:
    """Write ``frame``'s header and rows into the worksheet ``ws``, a missing value as an empty cell."""
    ws.append(list(frame.columns))
    for rec in frame.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in rec])


@pytest.fixture(scope="session")
def small_raw_dir(tmp_path_factory) -> Path:
    """A copy of the committed raw data whose synthetic sample has 6 cases per PDU (seed 20241)."""
    from analysis.synthetic.generate import write_sample

    raw = tmp_path_factory.mktemp("small") / "raw"
    shutil.copytree(config.RAW_DIR, raw, ignore=shutil.ignore_patterns("synthetic"))
    write_sample(raw / "synthetic", seed=20241, cases_per_pdu=6)
    return raw


@pytest.fixture(scope="session")
def small_processed_dir(small_raw_dir) -> Path:
    """Processed data built from a small synthetic sample (6 cases per PDU) plus the real
    embedded raw data (reference list, published figures). Read-only: do not modify."""
    from analysis.data.build import build

    processed = small_raw_dir.parent / "processed"
    build(raw_dir=small_raw_dir, processed_dir=processed)
    return processed


REPORTS_REGION = "Yorkshire and the Humber"
"""The region whose reports ``small_reports`` holds beside the national ones."""


@pytest.fixture(scope="session")
def small_reports(small_processed_dir, tmp_path_factory, worker_id) -> Path:
    """Every report notebook for national and ``REPORTS_REGION``, run by the project's runner on
    ``small_processed_dir``: made once for the whole test run and shared by the xdist workers
    (the first to ask runs it under a lock, the others read it). Read-only: do not modify."""
    from filelock import FileLock

    from analysis.runs.runner import run_reports

    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    out, done = root / "small_reports", root / "small_reports.done"
    with FileLock(str(root / "small_reports.lock")):
        if not done.is_file():
            shutil.rmtree(out, ignore_errors=True)
            summary = run_reports(
                regions=["national", REPORTS_REGION],
                jobs=2,
                processed_dir=small_processed_dir,
                reports_dir=out,
                progress=False,
            )
            failed = [f"{r.region_slug}/{r.notebook}: {r.error}" for r in summary.failed]
            done.write_text("\n".join(failed), encoding="utf-8")
    failed = done.read_text(encoding="utf-8")
    assert not failed, f"a report run failed:\n{failed}"
    return out


@pytest.fixture
def raw_copy(tmp_path, small_raw_dir) -> Path:
    """A fresh, writable copy of raw data (small synthetic sample) for a test to break."""
    raw = tmp_path / "raw"
    shutil.copytree(small_raw_dir, raw)
    return raw


@pytest.fixture
def processed_copy(tmp_path, small_processed_dir) -> Path:
    """A writable copy of ``small_processed_dir`` (a previous good build)."""
    out = tmp_path / "processed"
    shutil.copytree(small_processed_dir, out)
    return out


@pytest.fixture(autouse=True)
def _fresh_provenance(monkeypatch):
    """Each test starts outside any run and with no dataset loaded (what reader_kind reads)."""
    from analysis.data import provenance

    monkeypatch.delenv(provenance.RUN_KIND_ENV, raising=False)
    monkeypatch.delenv(provenance.RUN_DATASET_ENV, raising=False)
    monkeypatch.delenv(provenance.RUN_PUBLIC_ENV, raising=False)
    monkeypatch.setattr(provenance, "_LOADED", set())
