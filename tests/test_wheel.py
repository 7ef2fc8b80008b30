"""The wheel is the package: built from the checkout, installed outside it, it runs.

The wheel is built from the checkout (``pip wheel``) and installed without dependencies into a
fresh virtual environment in a temporary folder; the dependencies come from the test run's own
environment through a ``.pth`` file (and their data files through ``JUPYTER_PATH``), so the test needs no network and takes seconds, while the
package itself is imported from the wheel only (the test checks where it was imported from).
From a folder outside the checkout it runs ``analysis --help``, ``analysis frameworks`` and one
report export, which needs the template files the wheel must carry.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "tests" / "fixtures" / "notebooks" / "ok.ipynb"


def _run(args, cwd, env=None, timeout=300):
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh environment outside the checkout holding the wheel; its bin folder."""
    tmp = tmp_path_factory.mktemp("wheel")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp / "dist"),
            str(ROOT),
        ],
        tmp,
    )
    (wheel,) = (tmp / "dist").glob("probation_analysis-*.whl")
    env_dir = tmp / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        tmp,
    )
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp
        ).strip()
    )
    (purelib / "zz_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return env_dir / "bin", tmp


def _env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANALYSIS_", "PYTHON"))}
    # the dependencies' data files (nbconvert's base templates) live with the dependencies
    jupyter = str(Path(sys.prefix) / "share" / "jupyter")
    return {**env, "ANALYSIS_PROJECT_ROOT": str(tmp / "project"), "JUPYTER_PATH": jupyter}


def test_the_package_comes_from_the_wheel(installed):
    bin_dir, tmp = installed
    where = _run(
        [str(bin_dir / "python"), "-c", "import analysis; print(analysis.__file__)"], tmp, _env(tmp)
    )
    assert str(tmp / "env") in where and str(ROOT) not in where
    lazy = "import analysis; print(analysis.extract.__name__, analysis.io.__name__)"
    assert _run([str(bin_dir / "python"), "-c", lazy], tmp, _env(tmp)).split() == [
        "analysis.extract",
        "analysis.io",
    ]


def test_help_and_frameworks_run_outside_the_checkout(installed):
    bin_dir, tmp = installed
    assert "COMMAND" in _run([str(bin_dir / "analysis"), "--help"], tmp, _env(tmp))
    listed = _run([str(bin_dir / "analysis"), "frameworks"], tmp, _env(tmp))
    assert "pdu-2023" in listed and "youth-2018" in listed


def test_a_report_exports_with_the_templates_the_wheel_carries(installed):
    bin_dir, tmp = installed
    code = (
        "import sys, json; from analysis.report import export_html; "
        "r = export_html(sys.argv[1], sys.argv[2]); print(json.dumps(str(r.html)))"
    )
    out = tmp / "report.html"
    _run([str(bin_dir / "python"), "-c", code, str(NOTEBOOK), str(out)], tmp, _env(tmp))
    html = out.read_text("utf-8")
    assert "<html" in html and "</html>" in html and len(html) > 1000
