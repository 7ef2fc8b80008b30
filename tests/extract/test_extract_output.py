"""Where `analysis extract` writes: only a folder it owns, under a lock, one whole run at a time.

Catalogue X-1 to X-6. Refusals go through the command, so each test checks the exit status,
the message the user sees and that nothing changed.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from analysis import config
from analysis.cli import main
from analysis.extract.run import COMMAND, extract_reports
from analysis.io.folders import MARK
from analysis.io.locks import FolderLock, lock_beside
from tests.conftest import tree_digest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
WEB = str(FIXTURES / "pdu-web.html")
SPOTLIGHT = str(FIXTURES / "spotlight-web.html")


def _extract(out: Path, capsys, *files: str) -> tuple[int, str]:
    code = main(["extract", *(files or (WEB,)), "--out", str(out), "--quiet"])
    return code, capsys.readouterr().err


def test_the_published_folder_is_refused_and_kept_byte_for_byte(capsys):
    """X-1: `--out data/raw/published` never overwrites the hand-transcribed tables."""
    published = config.RAW_DIR / "published"
    before = tree_digest(published)
    code, err = _extract(published, capsys)
    assert code == 2 and "Traceback" not in err
    assert f"Refusing to write the extracted tables to {published.resolve()}" in err
    assert "it is not empty and was not made by `analysis extract`" in err
    assert "figures.csv" in err and "Nothing was written." in err
    assert tree_digest(published) == before
    assert not (published / MARK).exists()


@pytest.mark.parametrize(
    "where,why",
    [
        (lambda: config.RAW_DIR, "it is not empty and was not made by `analysis extract`"),
        (lambda: config.PROJECT_ROOT, "it is or contains the project root"),
        (lambda: config.PROJECT_ROOT / "docs" / "x", "it lies inside the project"),
        (lambda: config.PROCESSED_DIR, "it is or lies inside the processed data folder"),
    ],
)
def test_folders_it_does_not_own_are_refused(where, why, capsys):
    folder = where()
    existed = folder.exists()
    code, err = _extract(folder, capsys)
    assert code == 2 and why in err
    assert folder.exists() == existed


def test_someone_elses_folder_is_refused(tmp_path, capsys):
    """X-2."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("precious", "utf-8")
    before = tree_digest(mine)
    code, err = _extract(mine, capsys)
    assert code == 2 and "it holds notes.txt" in err
    assert tree_digest(mine) == before


def test_its_own_folder_is_replaced_whole_and_marked(tmp_path, capsys):
    """X-3: a second run replaces the first; the folder holds only the second run's files."""
    out = tmp_path / "extracted"
    assert _extract(out, capsys, WEB, SPOTLIGHT)[0] == 0
    first = (out / "figures.csv").read_text("utf-8")
    mark = json.loads((out / MARK).read_text("utf-8"))
    assert mark["made_by"] == COMMAND and "figures.csv" in mark["files"]
    assert _extract(out, capsys, WEB)[0] == 0
    assert (out / "figures.csv").read_text("utf-8") != first
    assert not list(tmp_path.glob(".extracted.tmp-*")) and not list(
        tmp_path.glob(".extracted.old-*")
    )


def test_a_file_added_to_its_folder_is_never_deleted(tmp_path, capsys):
    """X-4."""
    out = tmp_path / "extracted"
    assert _extract(out, capsys)[0] == 0
    (out / "my-notes.md").write_text("keep", "utf-8")
    before = tree_digest(out)
    code, err = _extract(out, capsys)
    assert code == 2 and "it holds files `analysis extract` did not write: my-notes.md" in err
    assert tree_digest(out) == before


def test_a_full_disk_keeps_the_previous_tables_whole(tmp_path, monkeypatch):
    """X-5: ENOSPC while writing the third table: the first run's tables are all kept."""
    out = tmp_path / "extracted"
    extract_reports([WEB, SPOTLIGHT], out=out, progress=False)
    before = tree_digest(out)
    from analysis.io import atomic

    real = atomic.write_text_atomic

    def full(path, text, encoding="utf-8"):
        if Path(path).name == "figures.csv":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, text, encoding)

    monkeypatch.setattr("analysis.extract.run.write_text_atomic", full)
    with pytest.raises(Exception, match="No space left on device") as info:
        extract_reports([WEB], out=out, progress=False)
    assert "Nothing was replaced; the previous tables are kept" in str(info.value)
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".extracted.tmp-*"))


def test_a_second_extraction_into_the_same_folder_is_refused(tmp_path, capsys):
    """X-6: another extraction holds the folder's lock."""
    out = tmp_path / "extracted"
    with FolderLock(lock_beside(out.resolve()), "analysis extract other.pdf"):
        code, err = _extract(out, capsys)
    assert code == 2 and f"Another `analysis extract` is writing {out.resolve()}" in err
    assert "running `analysis extract other.pdf`" in err
    assert not out.exists()
