"""analysis.runs._failures: the error records a failed run's manifest keeps, in words a person can act on."""

from __future__ import annotations

import errno
import json
from types import SimpleNamespace

from analysis.runs._failures import (
    cell_error,
    excerpt,
    interrupted_error,
    is_write_failure,
    locate_failing_cell,
    other_error,
    write_error,
)
from analysis.runs.engine import KernelStartError


def test_a_long_cell_is_cut_to_twelve_lines():
    source = "\n".join(f"line {i}" for i in range(1, 15))
    assert excerpt(source).splitlines() == [f"line {i}" for i in range(1, 13)] + ["..."]
    assert excerpt("x = 1") == "x = 1" and excerpt(None) == ""


def test_a_cell_error_names_the_cell_and_what_it_raised():
    exc = SimpleNamespace(cell_index=3, exec_count=2, source="raise ValueError('bad')",
                          ename="ValueError", evalue="bad")  # fmt: skip
    assert cell_error(exc) == {
        "kind": "cell",
        "cell_index": 3,
        "execution_count": 2,
        "cell_source": "raise ValueError('bad')",
        "ename": "ValueError",
        "evalue": "bad",
        "message": "Cell 3 of the executed notebook raised ValueError: bad",
    }


def test_the_failing_cell_is_counted_as_the_notebook_was_written(tmp_path):
    cells = [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "outputs": []},
        {"cell_type": "code", "metadata": {"tags": ["injected-parameters"]}, "outputs": []},
        {"cell_type": "markdown", "metadata": {"tags": ["papermill-error-cell-tag"]}},
        {"cell_type": "code", "metadata": {}, "outputs": [{"output_type": "stream"}]},
        {"cell_type": "code", "metadata": {}, "outputs": [{"output_type": "error"}]},
    ]
    executed = tmp_path / "executed.ipynb"
    executed.write_text(json.dumps({"cells": cells}), "utf-8")
    error = {"ename": "KeyError", "evalue": "'pdu'", "message": "old"}
    locate_failing_cell(error, executed)
    # index 4 in the executed notebook; without the two papermill cells, the 3rd as written
    assert (error["cell_index"], error["source_cell_index"], error["cell_number"]) == (4, 2, 3)
    assert error["message"] == "Cell 3 of the notebook raised KeyError: 'pdu'"
    unchanged = {"message": "old"}
    locate_failing_cell(unchanged, tmp_path / "missing.ipynb")
    assert unchanged == {"message": "old"}


def test_a_kernel_start_error_is_described_by_its_cause():
    try:
        try:
            raise LookupError("No such kernel named nope")
        except LookupError as cause:
            raise KernelStartError("LookupError: No such kernel named nope") from cause
    except KernelStartError as exc:
        record = other_error("kernel-start", exc)
    assert record["kind"] == "kernel-start" and record["ename"] == "LookupError"
    assert record["message"] == "Kernel start failed: LookupError: No such kernel named nope"
    assert "LookupError" in record["traceback"]
    assert other_error("export", ValueError("x"))["message"] == "Export failed: ValueError: x"


def test_a_write_failure_is_an_error_of_the_file_system_only():
    assert is_write_failure(OSError(errno.ENOSPC, "No space left on device"))
    assert is_write_failure(PermissionError(errno.EACCES, "Permission denied"))
    assert not is_write_failure(TimeoutError(errno.ETIMEDOUT, "timed out"))
    assert not is_write_failure(OSError("no errno"))
    assert not is_write_failure(ValueError("x"))


def test_a_write_error_names_the_file_not_its_temporary_sibling():
    exc = OSError(errno.ENOSPC, "No space left on device", "/r/wales/.ok.html.3f2a.tmp")
    assert write_error(exc, "the report") == {
        "kind": "write",
        "ename": "OSError",
        "evalue": str(exc),
        "message": "Could not write /r/wales/ok.html: No space left on device. The previous "
        "version of the file, if any, was kept.",
    }
    plain = write_error(OSError("read-only"), "/r/index.html")
    assert plain["message"].startswith("Could not write /r/index.html: read-only.")


def test_an_interrupted_run_says_how_and_that_it_runs_again():
    assert interrupted_error("Ctrl-C") == {
        "kind": "interrupted",
        "message": "The run was interrupted (Ctrl-C) before it finished; the next batch runs it again.",
    }
    assert "before it started" in interrupted_error("signal SIGTERM", started=False)["message"]
