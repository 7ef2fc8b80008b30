"""`make lab` keeps its token off the command line: another local user cannot read it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.runs import lab

TOKEN = "tok-" + "7f3a9c" * 4


def test_the_command_line_carries_no_token_and_main_passes_it_in_the_environment(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: calls.append((path, argv, env)))
    monkeypatch.setenv(lab.TOKEN_ENV, TOKEN)
    lab.main(["--port", "8899", "--no-browser", "--notebook-dir", "notebooks"])
    (path, argv, env) = calls[0]
    assert not any(TOKEN in part for part in argv), argv
    assert not any("token" in part.lower() for part in argv[1:]), argv
    assert env["JUPYTER_TOKEN"] == TOKEN and lab.TOKEN_ENV not in env


def _sleeper(token: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"],
        env=lab.lab_environment(token),
    )


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc (Linux)")
def test_the_servers_token_is_readable_by_its_owner_only():
    server = _sleeper(TOKEN)
    try:
        time.sleep(0.2)
        proc = Path(f"/proc/{server.pid}")
        assert TOKEN not in (proc / "cmdline").read_bytes().decode(errors="replace")
        assert TOKEN.encode() in (proc / "environ").read_bytes()  # the owner can
        info = (proc / "environ").stat()
        assert info.st_mode & 0o077 == 0, oct(info.st_mode)  # nobody else by mode
        assert info.st_uid == os.getuid()
    finally:
        server.kill()
        server.wait()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="switching user needs root"
)
def test_another_user_cannot_read_the_token():
    import pwd

    nobody = pwd.getpwnam("nobody")
    cat = shutil.which("cat") or "/bin/cat"
    server = _sleeper(TOKEN)

    def become_nobody():
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)

    def as_nobody(path: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [cat, path], preexec_fn=become_nobody, capture_output=True, timeout=30, cwd="/"
        )

    try:
        time.sleep(0.2)
        cmdline = as_nobody(f"/proc/{server.pid}/cmdline")
        assert cmdline.returncode == 0 and b"time.sleep" in cmdline.stdout  # the list is public
        assert TOKEN.encode() not in cmdline.stdout
        environ = as_nobody(f"/proc/{server.pid}/environ")
        assert environ.returncode != 0 and b"Permission denied" in environ.stderr, environ
        assert TOKEN.encode() not in environ.stdout
    finally:
        server.kill()
        server.wait()
