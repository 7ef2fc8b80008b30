"""A batch of reports reads one state of the processed data: a build during it refuses or waits.

``analysis reports`` holds the processed data's read lock (:func:`analysis.io.locks.data_lock`)
from the first run to the index, so ``analysis build`` on the same folder cannot replace the
data between one region's reports and the next (catalogue R-46, R-47).
"""

from __future__ import annotations

import threading

import pytest

from analysis import cli
from analysis.data.build import build
from analysis.exceptions import InputDataError
from tests.conftest import tree_digest
from tests.runs.test_faults import _args, _running, _start

pytestmark = pytest.mark.slow


def test_a_build_during_a_batch_is_refused_and_the_data_is_unchanged(
    raw_copy, processed_copy, tmp_path, capsys
):
    """R-46: exit 2 from `analysis build`, the batch's data byte for byte as it was."""
    reports = tmp_path / "reports"
    proc = _start(_args(processed_copy, reports, regions=("national",), jobs=1), sleep=30)
    try:
        from tests.runs.test_faults import _wait_for

        _wait_for(_running(reports, 1), what="the batch to start")
        before = tree_digest(processed_copy)
        code = cli.main(["build", "--raw", str(raw_copy), "--processed", str(processed_copy)])
        err = capsys.readouterr().err
        assert code == 2 and "Traceback" not in err
        assert "is in use: a batch of reports reading it (`analysis reports`)" in err
        assert "add --wait to wait for it" in err
        assert tree_digest(processed_copy) == before
    finally:
        proc.kill()
        proc.wait()


def test_a_build_with_wait_runs_once_the_batch_has_ended(raw_copy, processed_copy, tmp_path):
    """R-47: `analysis build --wait 60` waits for the batch, then builds."""
    reports = tmp_path / "reports"
    proc = _start(_args(processed_copy, reports, regions=("national",), jobs=1), sleep=3)
    from tests.runs.test_faults import _wait_for

    _wait_for(_running(reports, 1), what="the batch to start")
    done = threading.Event()
    try:
        with pytest.raises(InputDataError):
            build(raw_dir=raw_copy, processed_dir=processed_copy)
        build(raw_dir=raw_copy, processed_dir=processed_copy, wait=120)
        done.set()
        built = (processed_copy / "manifest.json").stat().st_mtime
        # the batch released the data after its index; its process may still be closing
        # the kernel it kept ready, so it is waited for rather than required to be gone
        assert proc.wait(timeout=120) == 0
        index = reports / "index.html"
        assert index.is_file() and index.stat().st_mtime <= built, (
            "the build replaced the data before the batch had written its index"
        )
    finally:
        proc.kill()
        proc.wait()
