"""Set-up shared by the runner's tests: the workspace kernel, a fixed source hash, a stand-in
processed folder. A test module asks for them with ``pytest.mark.usefixtures``."""

from __future__ import annotations

import sys

import pytest

from analysis import config
from analysis.runs import kernels, planning


@pytest.fixture(scope="module")
def workspace_kernel():
    """The workspace kernel, registered into this environment (sys.prefix) if it is missing;
    the module's warm kernels are closed after its last test."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(config.KERNEL_NAME)
    except NoSuchKernel:
        from ipykernel.kernelspec import install

        install(
            kernel_name=config.KERNEL_NAME,
            prefix=sys.prefix,
            display_name=f"Python ({config.KERNEL_NAME})",
        )
    yield config.KERNEL_NAME
    kernels.close_pools()


@pytest.fixture()
def stable_source_hash(monkeypatch):
    """Other modules of the package may be edited while the suite runs; the source hash's own
    behaviour is tested in test_planning.py (test_source_hash_changes_with_the_code)."""
    monkeypatch.setattr(planning, "_source_hash", lambda root=None: "fixed-for-tests")


@pytest.fixture()
def data_dir(tmp_path):
    """A processed folder with one stand-in file: the runs' input hash, not real data."""
    folder = tmp_path / "processed"
    folder.mkdir()
    (folder / "cases.parquet").write_bytes(b"stand-in data")
    return folder
