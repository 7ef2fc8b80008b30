"""analysis.runs.engine: the papermill engine the runner registers, and how a worker is set up.

No kernel starts here (the runs that execute are in test_runner.py); signal handlers changed by
a test are put back after it.
"""

from __future__ import annotations

import os
import signal

import pytest

from analysis.runs import engine


@pytest.fixture(scope="module")
def warmed():
    """The worker's initializer, run once here (it imports papermill, nbconvert and the export)."""
    engine.warm_up()
    from papermill.engines import papermill_engines

    return papermill_engines


def test_a_kernel_start_is_retried_once_first_over_unix_sockets():
    assert engine.KERNEL_START_ATTEMPTS == 2
    if os.name == "posix":
        assert engine.TRANSPORTS == ("ipc", "tcp")
    assert issubclass(engine.KernelStartError, RuntimeError)


def test_warm_up_registers_the_engine_once(warmed):
    from papermill.engines import NBClientEngine

    registered = warmed.get_engine(engine.ENGINE_NAME)
    assert issubclass(registered, NBClientEngine)
    engine.warm_up()  # again: the same engine stays
    assert warmed.get_engine(engine.ENGINE_NAME) is registered


def test_kernels_get_one_blas_thread_unless_the_caller_chose(warmed, monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    engine.warm_up()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    assert os.environ["OMP_NUM_THREADS"] == "4"


def test_a_worker_ignores_ctrl_c_and_stops_its_run_on_sigterm():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        # the parent's watcher looks again only after an hour: it never fires in this test
        engine.install_worker_signals(parent=os.getppid(), interval=3600)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        handler = signal.getsignal(signal.SIGTERM)
        assert handler is engine._stop_on_sigterm
    finally:
        signal.signal(signal.SIGINT, before[0])
        signal.signal(signal.SIGTERM, before[1])
