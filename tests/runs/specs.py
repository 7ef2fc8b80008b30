"""A run spec made by hand, for the runner's tests that need no planning (no tests here)."""

from __future__ import annotations

from pathlib import Path

from analysis.runs.spec import RunSpec


def run_spec(**kw) -> RunSpec:
    """A national run of ``nb.ipynb`` into ``/tmp/r`` (no file is read or written), with ``kw``."""
    base = dict(
        key="k", notebook=Path("nb.ipynb"), notebook_relpath="nb.ipynb", notebook_stem="nb",
        notebook_sha256="x", region=None, region_slug="national", reports_dir=Path("/tmp/r"),
        folder="f",
    )  # fmt: skip
    return RunSpec(**{**base, **kw})
