"""Start JupyterLab on the project's notebooks: loopback only, a free port, a token.

``make lab`` runs ``python -m analysis.runs.lab``. The server listens on 127.0.0.1 only, on a free
port unless one is given, and asks for a token (a fresh random one, or ``$ANALYSIS_LAB_TOKEN``),
so nobody else on the machine or the network can run code in it. The token never appears on a
command line (which every local user can read from the process list): the server gets it in
its environment (``JUPYTER_TOKEN``), which only its owner (and root) can read. The notebooks open on the workspace
kernel (``probation-analysis``) registered by ``make install``. The browser test starts it the
same way.

>>> command = lab_command(port=8899, notebook_dir="notebooks")
>>> command[1:4], "--ServerApp.ip=127.0.0.1" in command
(['-m', 'jupyterlab', '--no-browser'], True)
>>> lab_environment("abc", base={})
{'JUPYTER_TOKEN': 'abc'}
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
from pathlib import Path

__all__ = ["TOKEN_ENV", "free_port", "lab_command", "lab_environment", "main"]

TOKEN_ENV = "ANALYSIS_LAB_TOKEN"
"""Environment variable giving ``make lab`` a token of the user's choice (default: random)."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that is free now (the system picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def lab_environment(token: str, base: dict | None = None) -> dict[str, str]:
    """The server's environment: ``base`` (default: this process's) with its token.

    The token is required in every request (``?token=...`` or an ``Authorization: token ...``
    header). A process's environment is readable by its owner only (``/proc/<pid>/environ`` is
    mode 0400), unlike its command line.
    """
    return {**(os.environ if base is None else base), "JUPYTER_TOKEN": token}


def lab_command(
    *, port: int, notebook_dir: str | os.PathLike[str], open_browser: bool = False
) -> list[str]:
    """The command line that starts JupyterLab on 127.0.0.1:``port`` (no token on it).

    Start it with :func:`lab_environment` as its environment, which carries the token.

    Parameters
    ----------
    port : int
    notebook_dir : path
        Folder shown in JupyterLab's file browser.
    open_browser : bool
        Whether JupyterLab should open the user's web browser.

    Returns
    -------
    list of str
    """
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        *([] if open_browser else ["--no-browser"]),
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={Path(notebook_dir).resolve()}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # CI and fresh machines run as root; the server still listens on loopback only
        *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
    ]


def main(argv: list[str] | None = None) -> int:
    """Start JupyterLab (``make lab``); prints the address with its token, then serves."""
    from .. import config

    parser = argparse.ArgumentParser(prog="python -m analysis.runs.lab", description=__doc__)
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    parser.add_argument("--notebook-dir", default=str(config.NOTEBOOKS_DIR))
    parser.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    args = parser.parse_args(argv)
    port = args.port or free_port()
    token = os.environ.pop(TOKEN_ENV, "") or secrets.token_urlsafe(24)
    print(f"JupyterLab: http://127.0.0.1:{port}/lab?token={token}", flush=True)
    command = lab_command(
        port=port, notebook_dir=args.notebook_dir, open_browser=not args.no_browser
    )
    os.execve(command[0], command, lab_environment(token))
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
