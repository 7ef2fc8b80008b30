"""The kernel template process: imports the workspace once, then forks one fresh kernel per run.

Started by :class:`analysis.runs.forking.Zygote` as ``python -m analysis.runs._zygote
MODULE ...``. It imports ``ipykernel`` and the modules named on its command line (the warm
kernels' :data:`~analysis.runs.kernels.TEMPLATE_PRELOAD`), and runs no other code: no kernel, no
socket, no user code. Then, for each request read from its standard input (one JSON object a
line: ``connection_file``, ``cwd``, ``env``, ``log``), it forks a child that becomes one
kernel: a new session, its output to ``log``, the run's working directory and environment,
fresh random seeds, and ``ipykernel`` started on ``connection_file`` watching this process
(so the kernel exits if the template is gone). It answers each request with the child's
process id on a private pipe (``{"pid": N}``, or ``{"error": "..."}``) and exits when its
standard input closes (its worker is gone). Children are reaped by the system
(``SIGCHLD`` ignored), so a kernel that dies leaves no zombie.

A forked kernel shares the template's imported modules (copy-on-write), so it starts in a
fraction of a second with the libraries already loaded, and nothing a run does reaches the
template or another kernel: each kernel is a separate process, used by one run.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys


def _become_kernel(request: dict, private: int) -> None:
    """In the forked child: turn into one kernel, and never return."""
    code = 1
    try:
        os.close(private)
        os.setsid()
        out = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(out)
        quiet = os.open(os.devnull, os.O_RDONLY)
        os.dup2(quiet, 0)
        os.close(quiet)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _reseed()
        from ipykernel.kernelapp import IPKernelApp

        sys.argv = ["ipykernel_launcher", "-f", request["connection_file"]]
        app = IPKernelApp.instance()
        app.initialize(
            ["-f", request["connection_file"], f"--IPKernelApp.parent_handle={os.getppid()}"]
        )
        app.start()
        code = 0
    except BaseException:  # noqa: BLE001 - the kernel's own log says why it stopped
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _reseed() -> None:
    """Fresh random state in the child, as a newly started interpreter would have."""
    import random

    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


def main(argv: list[str]) -> int:
    private = os.dup(1)  # answers go here; stray output of imports goes to the log (fd 2)
    os.dup2(2, 1)
    for name in argv:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the run's own import will report it, as on a cold kernel
            pass
    import ipykernel.kernelapp  # noqa: F401 - imported once here, shared by every kernel

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    answers = os.fdopen(private, "w", encoding="utf-8", buffering=1)
    answers.write(json.dumps({"ready": os.getpid()}) + "\n")
    for line in sys.stdin:
        try:
            request = json.loads(line)
            pid = os.fork()
        except Exception as exc:  # noqa: BLE001 - a bad request or no process left: say so
            answers.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
            continue
        if pid == 0:
            _become_kernel(request, private)
        answers.write(json.dumps({"pid": pid}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
