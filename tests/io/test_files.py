"""Regular files only (analysis.io.files): a named pipe is refused, never read (never hangs)."""

from __future__ import annotations

import os
import shutil
import signal

import pytest

from analysis.data.build import build
from analysis.exceptions import ValidationFailed
from analysis.io.files import not_regular, read_small_text


def test_a_pipe_is_named_and_refused(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    assert not_regular(pipe) == "a named pipe (reading it would wait for a writer)"
    with pytest.raises(OSError, match="is a named pipe"):
        read_small_text(pipe)


@pytest.mark.parametrize("name", ["dataset.toml", "metadata.json"])
def test_a_pipe_as_the_datasets_declaration_does_not_hang_the_build(name, raw_copy, tmp_path):
    """D-87: before, the build waited for a writer for ever."""
    folder = raw_copy / "synthetic"
    (folder / name).unlink(missing_ok=True)
    os.mkfifo(folder / name)

    def hung(signum, frame):
        raise TimeoutError(f"the build hung reading the pipe {name}")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    try:
        build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
    except ValidationFailed as err:
        said = " ".join(err.failures["expected"].astype(str))
        assert "named pipe" in said or "dataset.toml" in said
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        (folder / name).unlink()
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
