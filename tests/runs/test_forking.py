"""analysis.runs.forking: kernels forked from a template that imported the workspace once.

A real template process and real kernels (each a few tenths of a second): what a run relies on
is that a forked kernel is a separate, fresh process with the run's directory and settings,
and that none outlives its template.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

import pytest
from jupyter_client.manager import KernelManager

from analysis.runs import forking

pytestmark = pytest.mark.usefixtures("workspace_kernel")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("template")
    found = forking.Zygote(("json",), str(log_dir / "template.log"))
    yield found
    found.close()


def _kernel(template, tmp_path, env=None):
    km = KernelManager(kernel_name="probation-analysis")
    km.kernel_id = "k-" + tmp_path.name
    km.provisioner = forking.ForkedProvisioner(
        kernel_id=km.kernel_id,
        kernel_spec=km.kernel_spec,
        parent=km,
        zygote=template,
        kernel_log=str(tmp_path / "kernel.log"),
    )
    km.transport = "ipc"
    km.ip = str(tmp_path / "k")
    km.start_kernel(cwd=str(tmp_path), env={**os.environ, **(env or {})})
    client = km.blocking_client()
    client.start_channels()
    client.wait_for_ready(timeout=30)
    return km, client


def _run(client, code: str) -> str:
    found = []

    def keep(msg):
        if msg["msg_type"] == "stream":
            found.append(msg["content"]["text"])

    reply = client.execute_interactive(code, timeout=30, output_hook=keep)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(found).strip()


def test_only_this_interpreters_ipykernel_is_forked():
    assert forking.forkable([sys.executable, "-m", "ipykernel_launcher", "-f", "{c}"])
    assert not forking.forkable(["/usr/bin/false", "-m", "ipykernel_launcher", "-f", "{c}"])
    assert not forking.forkable([sys.executable, "-m", "other_kernel", "-f", "{c}"])
    assert not forking.forkable([])
    # the interpreter a virtual environment links to is the same file, but not the same
    # environment: its kernel has other packages
    base = os.path.realpath(sys.executable)
    if os.path.dirname(base) != os.path.dirname(os.path.abspath(sys.executable)):
        assert not forking.forkable([base, "-m", "ipykernel_launcher", "-f", "{c}"])
    sibling = os.path.join(os.path.dirname(sys.executable), "python3")
    if os.path.exists(sibling):  # another name for this interpreter, in its own folder
        assert forking.forkable([sibling, "-m", "ipykernel_launcher", "-f", "{c}"])


def test_each_forked_kernel_is_a_fresh_process_in_its_own_directory(template, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    km1, c1 = _kernel(template, first, {"RUN_SETTING": "one"})
    km2, c2 = _kernel(template, second, {"RUN_SETTING": "two"})
    try:
        code = (
            "import os, random, sys; "
            "print(os.getpid(), os.getcwd(), os.environ['RUN_SETTING'], random.random(), "
            "'json' in sys.modules)"
        )
        _run(c1, "x_here = 1")
        one, two = _run(c1, code).split(), _run(c2, code).split()
        assert one[0] != two[0] and {one[0], two[0]}.isdisjoint({str(os.getpid())})
        assert (one[1], one[2], two[1], two[2]) == (str(first), "one", str(second), "two")
        assert one[3] != two[3], "each kernel's random state is its own"
        assert one[4] == two[4] == "True", "the template's imports are there"
        assert _run(c1, "print('x_here' in globals())") == "True"
        assert _run(c2, "print('x_here' in globals())") == "False", "a name never crosses"
    finally:
        for km, client in ((km1, c1), (km2, c2)):
            client.stop_channels()
            km.shutdown_kernel(now=True)


def test_a_kernel_that_dies_is_seen_dead(template, tmp_path):
    km, client = _kernel(template, tmp_path)
    pid = km.provisioner.pid
    client.execute("import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    deadline = time.monotonic() + 20
    while km.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    client.stop_channels()
    assert not km.is_alive()
    km.shutdown_kernel(now=True)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # reaped by the system, no zombie left


def test_kernels_stop_with_their_template_and_a_gone_template_is_an_error(tmp_path):
    own = forking.Zygote(("json",), str(tmp_path / "template.log"))
    km, client = _kernel(own, tmp_path)
    pid = km.provisioner.pid
    client.stop_channels()
    own.close()  # a worker that has gone: its kernels follow
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("a kernel outlived its template")
    with pytest.raises(forking.ZygoteError, match="has exited"):
        own.fork(connection_file="x", cwd=str(tmp_path), env={}, log=os.devnull)


def test_a_silent_template_is_an_error_and_is_not_asked_again(tmp_path):
    (tmp_path / "slow_module.py").write_text("import time\ntime.sleep(30)\n")
    with pytest.raises(forking.ZygoteError, match=r"did not start: .*no answer within 0.5 s"):
        forking.Zygote(("slow_module",), str(tmp_path / "template.log"), timeout=0.5)

    own = forking.Zygote(("json",), str(tmp_path / "other.log"))
    own.answer_timeout = 0.5
    os.kill(own.pid, signal.SIGSTOP)  # alive but answering nothing
    try:
        with pytest.raises(forking.ZygoteError, match="no answer within 0.5 s"):
            own.fork(connection_file="x", cwd=str(tmp_path), env={}, log=os.devnull)
        own.process.wait(timeout=10)  # stopped for good: its late answer is never misread
        assert not own.alive()
    finally:
        own.close()


def _prepared(kernel_names, monkeypatch) -> int:
    """How many templates :func:`prepare_template` starts for ``kernel_names``."""
    import threading

    from analysis.runs import kernels

    monkeypatch.setattr(forking, "_ZYGOTES", {})
    kernels.prepare_template(kernel_names)
    for thread in threading.enumerate():
        if thread.name == "kernel-template":
            thread.join(60)
    started = len(forking._ZYGOTES)
    forking.close_zygote()
    return started


def test_a_template_starts_only_for_a_kernel_it_can_stand_in_for(tmp_path, monkeypatch):
    from analysis import config

    other = tmp_path / "kernels" / "other-python"
    other.mkdir(parents=True)
    base = os.path.realpath(sys.executable)  # the interpreter a virtual environment links to
    argv = [base, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (other / "kernel.json").write_text(json.dumps({"argv": argv, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))

    assert _prepared(["other-python", "no-such-kernel"], monkeypatch) == 0
    assert _prepared(["no-such-kernel", config.KERNEL_NAME], monkeypatch) == 1
