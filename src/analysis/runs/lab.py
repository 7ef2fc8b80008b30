"""Start JupyterLab on the project's notebooks: loopback only, a free port, a token.

``make lab`` runs ``python -m analysis.runs.lab``. The server listens on 127.0.0.1 only, on a free
port unless one is given, and asks for a token (a fresh random one unless given), so nobody
else on the machine or the network can run code in it. The notebooks open on the workspace
kernel (``probation-analysis``) registered by ``make install``. The browser test starts it the
same way.

>>> command = lab_command(port=8899, token="abc", notebook_dir="notebooks")
>>> command[1:4], "--ServerApp.ip=127.0.0.1" in command
(['-m', 'jupyterlab', '--no-browser'], True)
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
from pathlib import Path

__all__ = ["free_port", "lab_command", "main"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that is free now (the system picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def lab_command(
    *, port: int, token: str, notebook_dir: str | os.PathLike[str], open_browser: bool = False
) -> list[str]:
    """The command line that starts JupyterLab on 127.0.0.1:``port`` with ``token``.

    Parameters
    ----------
    port : int
    token : str
        Required in every request (``?token=...`` or an ``Authorization: token ...`` header).
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
        f"--IdentityProvider.token={token}",
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
    parser.add_argument("--token", default=None, help="default: a fresh random token")
    parser.add_argument("--notebook-dir", default=str(config.NOTEBOOKS_DIR))
    parser.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    args = parser.parse_args(argv)
    port = args.port or free_port()
    token = args.token or secrets.token_urlsafe(24)
    print(f"JupyterLab: http://127.0.0.1:{port}/lab?token={token}", flush=True)
    command = lab_command(
        port=port, token=token, notebook_dir=args.notebook_dir, open_browser=not args.no_browser
    )
    os.execv(command[0], command)
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
