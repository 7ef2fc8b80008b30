"""analysis.runs.kernels: warm kernels, one per run, and the code that gives a warm kernel its run.

No kernel starts here: the kernel manager and the start of a warm kernel are stood in for (the
warm kernels themselves are tested in test_warm_kernels.py).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading

import pytest

from analysis.runs import kernels
from analysis.runs.kernels import KernelPool, WarmKernel, run_setup_code


def test_the_setup_code_moves_to_the_run_sets_and_unsets_and_leaves_no_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)
    monkeypatch.setenv("ANALYSIS_RUN_PUBLIC_RECORD", "1")
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")  # restored by monkeypatch afterwards
    code = run_setup_code(
        tmp_path, {"ANALYSIS_RUN_KIND": "synthetic"}, ["ANALYSIS_RUN_PUBLIC_RECORD"]
    )
    namespace: dict = {}
    exec(code, namespace)
    assert os.getcwd() == str(tmp_path)
    assert os.environ["ANALYSIS_RUN_KIND"] == "synthetic"
    assert "ANALYSIS_RUN_PUBLIC_RECORD" not in os.environ
    assert set(namespace) == {"__builtins__"}


class _Manager:
    """A kernel manager that records what was asked of it."""

    def __init__(self, fail=False):
        self.calls, self.fail = [], fail

    def shutdown_kernel(self, now=False):
        self.calls.append(("shutdown", now))
        if self.fail:
            raise RuntimeError("already dead")

    def cleanup_resources(self):
        self.calls.append(("cleanup",))


def test_a_warm_kernel_is_shut_down_once_and_its_output_joins_the_log(tmp_path):
    stream = tmp_path / "kernel.log"
    stream.write_text("kernel says hello\n", encoding="utf-8")
    km = _Manager()
    warm = WarmKernel(km, stream, "probation-analysis")
    log = io.StringIO()
    warm.close(log)
    warm.close(log)
    assert km.calls == [("shutdown", True), ("cleanup",)]
    assert log.getvalue() == "kernel says hello\n" and not stream.exists()


def test_a_dead_kernel_is_closed_without_an_error(tmp_path):
    km = _Manager(fail=True)
    WarmKernel(km, tmp_path / "missing.log", "k").close()
    assert km.calls == [("shutdown", True), ("cleanup",)]


@pytest.fixture
def started(monkeypatch):
    """Warm kernels stood in for by numbered names."""
    names = []
    lock = threading.Lock()

    def start_warm(kernel_name, start_timeout):
        with lock:
            names.append(f"{kernel_name}-{len(names) + 1}")
            return names[-1]

    monkeypatch.setattr(kernels, "start_warm", start_warm)
    return names


def test_the_pool_hands_over_the_ready_kernel_and_starts_the_next(started):
    pool = KernelPool("k", 60)
    first = pool.take()
    second = pool.take(prestart=False)  # the one started while the first ran
    assert len(started) == 2 and {first, second} == set(started)
    third = pool.take(prestart=False)  # none was waiting: started now
    assert len(started) == 3 and third == started[2] and pool._next is None


def test_a_closed_pool_hands_nothing_over_and_closes_the_kernel_it_kept(monkeypatch):
    closed = []

    class Warm:
        def close(self):
            closed.append(self)

    monkeypatch.setattr(kernels, "start_warm", lambda name, timeout: Warm())
    pool = KernelPool("k", 60)
    pool.take()  # the next one starts in the background
    pool.close()
    for _ in range(200):  # it is closed once it has started
        if closed:
            break
        threading.Event().wait(0.01)
    assert len(closed) == 1
    with pytest.raises(RuntimeError, match="the kernel pool is closed"):
        pool.take()


def test_one_pool_per_kernel_and_timeout_and_all_closed_at_the_end(monkeypatch):
    monkeypatch.setattr(kernels, "_POOLS", {})
    first = kernels.pool_for("k", 60)
    assert kernels.pool_for("k", 60.0) is first
    assert kernels.pool_for("k", 30) is not first
    kernels.close_pools()
    assert kernels._POOLS == {} and first._closed


def test_the_preload_imports_the_loaders_every_notebook_calls_and_no_optional_library():
    code = (
        "import importlib, json, sys\n"
        f"for name in {kernels.PRELOAD!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    # what every report notebook calls: the loaders of processed tables and the display helpers
    assert {"analysis.data.tables", "analysis.report.display", "pyarrow.parquet"} <= loaded
    # libraries only some notebooks use are left to their runs
    assert not loaded & {"seaborn", "statsmodels", "itables", "analysis.extract", "dask"}


def test_every_module_the_template_imports_exists():
    # the template swallows a failed import (the run reports it, as on a cold kernel), so a
    # misspelt name here would silently cost every run its import
    code = f"import importlib\nfor name in {kernels.TEMPLATE_PRELOAD!r}:\n    importlib.import_module(name)\n"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert set(kernels.PRELOAD) < set(kernels.TEMPLATE_PRELOAD)
