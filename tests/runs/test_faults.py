"""Faults a long batch can meet: Ctrl-C, SIGTERM, kill -9, two runners at once.

Each test runs ``analysis reports`` as a separate process on the fixture notebook
``tests/fixtures/notebooks/sleeps.ipynb`` (it sleeps ``$FIXTURE_SLEEP`` seconds), stops it while
runs are in flight, checks what the user sees, then runs the batch again and checks that it
completes and that nothing outside the runner's own outputs changed (checksums of the input
data, the notebooks and any file a user left beside the reports).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import cli
from tests.conftest import tree_digest

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
SLEEPS = str(FIXTURES / "sleeps.ipynb")
SRC = Path(__file__).parents[2] / "src"


@pytest.fixture()
def batch(tmp_path):
    """Input data, an empty reports folder, and digests of everything the runner must not touch."""
    data = tmp_path / "processed"
    data.mkdir()
    (data / "cases.parquet").write_bytes(b"stand-in data")
    reports = tmp_path / "reports"
    before = {"data": tree_digest(data), "notebooks": tree_digest(FIXTURES)}
    yield data, reports
    assert {"data": tree_digest(data), "notebooks": tree_digest(FIXTURES)} == before


def _args(data: Path, reports: Path, regions=("national", "wales", "london"), jobs: int = 2):
    return [
        "reports",
        "--regions",
        *regions,
        "--notebooks",
        SLEEPS,
        "--jobs",
        str(jobs),
        "--processed",
        str(data),
        "--reports",
        str(reports),
        "--quiet",
    ]


def _start(args: list[str], sleep: float) -> subprocess.Popen:
    env = {
        **os.environ,
        "FIXTURE_SLEEP": str(sleep),
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # a shell's background jobs ignore SIGINT; a terminal's Ctrl-C does not
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _statuses(reports: Path) -> dict[str, str]:
    out = {}
    for path in sorted((reports / "_runs").glob("*.json")):
        try:
            out[path.stem] = json.loads(path.read_text("utf-8"))["status"]
        except (OSError, ValueError, KeyError, TypeError):
            out[path.stem] = "?"
    return out


def _wait_for(predicate, timeout: float = 90.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _running(reports: Path, n: int):
    return lambda: list(_statuses(reports).values()).count("running") >= n


def _rerun(data: Path, reports: Path, capsys, **kw) -> str:
    os.environ["FIXTURE_SLEEP"] = "0"
    try:
        code = cli.main(_args(data, reports, **kw))
    finally:
        del os.environ["FIXTURE_SLEEP"]
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _alive(pids: list[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.append(pid)
    return out


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _descendants(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def _templates(pid: int) -> list[int]:
    """The kernel templates (``analysis.runs._zygote``) the workers of runner ``pid`` started."""
    return [p for p in _descendants(pid) if b"analysis.runs._zygote" in _cmdline(p)]


def _kernels(pid: int) -> list[int]:
    """The kernels of runner ``pid``: started ones (an ipykernel command line, by the runner
    itself with one job, or by its workers) and the ones its kernel templates forked."""
    started = [p for p in _descendants(pid) if b"ipykernel" in _cmdline(p)]
    return started + [k for t in _templates(pid) for k in _children(t)]


def _user_file(reports: Path) -> tuple[Path, bytes]:
    """A file a user keeps in the reports folder: the runner must leave it alone."""
    note = reports / "national" / "my-notes.txt"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_bytes(b"kept by the user")
    return note, note.read_bytes()


def test_ctrl_c_mid_batch_records_interrupted_runs_and_the_rerun_completes(batch, capsys):
    data, reports = batch
    proc = _start(_args(data, reports), sleep=60)
    _wait_for(_running(reports, 2), what="two runs in flight")
    note, kept = _user_file(reports)
    _wait_for(lambda: len(_kernels(proc.pid)) >= 2, what="two kernels")
    workers, kernels = _children(proc.pid) + _templates(proc.pid), _kernels(proc.pid)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 10, "the batch did not stop promptly"
    # no worker or kernel outlives the batch (they may take a moment to be reaped)
    _wait_for(lambda: not _alive(workers + kernels), timeout=15, what="workers and kernels to exit")
    assert proc.returncode == 130, out + err
    assert "Interrupted (Ctrl-C): the next run repeats what is left." in err
    assert "Traceback" not in err
    statuses = _statuses(reports)
    assert sorted(statuses.values()) == ["interrupted", "interrupted"]  # the queued one never ran
    manifest = json.loads((reports / "_runs" / "national__sleeps.json").read_text("utf-8"))
    assert manifest["error"]["kind"] == "interrupted"
    assert "interrupted (Ctrl-C) before it finished" in manifest["error"]["message"]
    index = (reports / "index.html").read_text("utf-8")
    assert index.count(">Interrupted</span>") == 2
    assert not list(reports.rglob("*.tmp"))
    out = _rerun(data, reports, capsys)
    assert "3 runs: 3 ok, 0 failed" in out
    assert set(_statuses(reports).values()) == {"ok"}
    assert note.read_bytes() == kept


def test_kill_9_of_the_runner_then_rerun(batch, capsys):
    data, reports = batch
    two = ("national", "wales")
    proc = _start(_args(data, reports, regions=two), sleep=60)
    _wait_for(_running(reports, 2), what="two runs in flight")
    note, kept = _user_file(reports)
    holder = json.loads((reports / ".analysis-reports.lock.holder.json").read_text("utf-8"))
    assert holder["pid"] == proc.pid and holder["command"] == "analysis reports"
    _wait_for(lambda: len(_kernels(proc.pid)) >= 2, what="two kernels")
    workers, kernels = _children(proc.pid) + _templates(proc.pid), _kernels(proc.pid)
    proc.kill()
    proc.wait(timeout=30)  # its workers still hold the pipes until they stop
    proc.stdout.close()
    proc.stderr.close()
    # its workers notice that the runner died, stop their runs and record them
    _wait_for(
        lambda: "running" not in _statuses(reports).values(), timeout=60, what="orphans to stop"
    )
    assert sorted(_statuses(reports).values()) == ["interrupted", "interrupted"]
    # no orphan keeps running: the workers and their kernels are gone
    _wait_for(lambda: not _alive(workers + kernels), timeout=60, what="orphans to exit")
    out = _rerun(data, reports, capsys, regions=two)
    assert "2 runs: 2 ok, 0 failed" in out
    assert f"NOTE Took over the lock on {reports.resolve()} left by process {proc.pid}" in out
    assert note.read_bytes() == kept


def test_a_second_runner_refuses_then_sigterm_stops_the_first(batch, capsys):
    data, reports = batch
    first = _start(_args(data, reports, regions=("national",), jobs=1), sleep=60)
    _wait_for(_running(reports, 1), what="the first runner's run")
    _wait_for(lambda: len(_kernels(first.pid)) == 1, what="its kernel")
    kernels = _kernels(first.pid) + _templates(first.pid)
    before = tree_digest(reports)
    assert cli.main(_args(data, reports, regions=("wales",))) == 2
    err = capsys.readouterr().err
    assert (
        f"Another `analysis reports` is writing to {reports.resolve()}: process {first.pid}" in err
    )
    assert "Nothing was run. Wait for it to finish, or add --wait" in err
    assert tree_digest(reports) == before  # the refused runner wrote nothing
    first.send_signal(signal.SIGTERM)
    out, err = first.communicate(timeout=60)
    assert first.returncode == 130, out + err
    assert "Interrupted (signal SIGTERM)" in err
    _wait_for(lambda: not _alive(kernels), timeout=15, what="its kernel and template to exit")
    assert _statuses(reports) == {"national__sleeps": "interrupted"}
    out = _rerun(data, reports, capsys, regions=("national",))
    assert "1 runs: 1 ok" in out
