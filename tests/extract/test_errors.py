"""analysis.extract.errors: the errors of report extraction, one family under the workspace's
input-data error, each naming the file."""

from __future__ import annotations

import pytest

from analysis.exceptions import AnalysisError, InputDataError
from analysis.extract import detect_layout, read_document
from analysis.extract.errors import ExtractionError, UnreadableFileError, UnrecognisedLayoutError


@pytest.mark.parametrize("error", [UnreadableFileError, UnrecognisedLayoutError])
def test_each_error_is_an_extraction_error_and_an_input_data_error(error):
    assert issubclass(error, ExtractionError)
    assert issubclass(error, InputDataError) and issubclass(error, AnalysisError)
    assert issubclass(error, ValueError)


def test_a_file_that_cannot_be_read_and_one_of_no_known_layout_raise_their_own_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFileError) as unreadable:
        read_document(empty)
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping list\n\neggs\n", encoding="utf-8")
    with pytest.raises(UnrecognisedLayoutError) as unknown:
        detect_layout(read_document(notes))
    assert str(unreadable.value).startswith(str(empty))
    assert str(unknown.value).startswith(str(notes))
    assert not isinstance(unknown.value, UnreadableFileError)
