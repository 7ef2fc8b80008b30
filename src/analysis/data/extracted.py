"""The tables that ``analysis extract`` writes into ``data/raw/extracted/``, and their reading.

The contract of the extracted raw tables lives here, in the data stage: extraction writes them
(:mod:`analysis.extract`) and the build validates and loads them (:func:`read_extracted`)
like any other raw input, as ``extracted_<table>`` in ``data/processed/``.

Every value table ends with the same four provenance columns: ``source_text`` (the sentence or
table line the value came from, whitespace collapsed), ``location`` (``line N`` or
``page P, line N``), ``read_as`` (how it was read) and ``source_file``.

>>> [c.name for c in TABLES["key_questions"]][:4]
['report_id', 'framework', 'standard', 'area']
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..exceptions import ValidationFailed
from ..io import numbers as _num
from .ingest import failure

__all__ = [
    "Column",
    "TABLES",
    "FILE_NAMES",
    "FOLDER",
    "empty_table",
    "validate_table",
    "describe_tables",
    "read_extracted",
]

FOLDER = "extracted"
"""Folder under data/raw that extraction writes and the build reads."""


@dataclass(frozen=True)
class Column:
    """One column: name, pandas dtype, whether it may be missing, one-line meaning."""

    name: str
    dtype: str
    nullable: bool
    description: str


_PROVENANCE = (
    Column("source_text", "string", False, "sentence or table line the value was read from"),
    Column("location", "string", False, "'line N' (text, web page) or 'page P, line N' (PDF)"),
    Column("read_as", "string", False, "how the value was read, e.g. 'count in words'"),
    Column("source_file", "string", False, "name of the file it was read from"),
)
_QUANTITY = (
    Column("approximate", "boolean", False, "true where the wording gives a bound, not a figure"),
    Column("bound", "string", True, "lower ('just over'), upper ('almost'), about; else missing"),
    Column("in_words", "boolean", False, "true where the figure was written in words"),
)
_S, _I, _F, _B = "string", "Int64", "Float64", "boolean"

TABLES: dict[str, tuple[Column, ...]] = {
    "reports": (
        Column("report_id", _S, False, "unit and date, e.g. 'york-pdu-2024-12'; one per report"),
        Column("unit", _S, False, "inspected unit as the report names it"),
        Column("unit_type", _S, False, "pdu, region, national, youth or trust"),
        Column("region", _S, True, "probation region, where the report names it"),
        Column("framework", _S, True, "framework id (pdu-2023, pdu-2021, adult-2013)"),
        Column(
            "layout",
            _S,
            False,
            "kind of publication: pdu-report, pdu-press, region-report, region-press, national-report, youth-report, youth-press, adult-2013, spotlight",
        ),
        Column("fieldwork_start", _S, True, "ISO date to the precision stated (YYYY-MM[-DD])"),
        Column("fieldwork_end", _S, True, "ISO date to the precision stated"),
        Column("publication_date", _S, True, "ISO date to the precision stated"),
        Column("cases", _I, True, "cases in the sample, as stated (or community + licence)"),
        Column("cases_community", _I, True, "cases on a community sentence"),
        Column("cases_licence", _I, True, "cases released on licence"),
        Column("court_reports", _I, True, "court reports reviewed"),
        Column("unpaid_work_cases", _I, True, "unpaid work cases inspected"),
        Column("victim_cases", _I, True, "statutory victim cases inspected"),
        Column("resettlement_cases", _I, True, "cases subject to resettlement provision"),
        Column("source_file", _S, False, "file the kept values come from"),
        Column("sha256", _S, False, "sha256 of that file"),
        Column("other_sources", _S, True, "other files holding the same report ('; ')"),
        Column("n_warnings", _I, False, "warnings raised while reading this report"),
    ),
    "ratings": (
        Column("report_id", _S, False, "report (see reports)"),
        Column("standard", _S, False, "framework slug, 'overall', or the printed name if unknown"),
        Column("standard_id", _S, True, "number as printed, e.g. 'P1.1'"),
        Column("standard_name", _S, True, "name as printed"),
        Column("rating", _S, False, "published rating"),
        Column("score", _I, True, "overall score as printed (overall row only)"),
        Column("max_score", _I, True, "maximum score as printed (overall row only)"),
        Column("rule_rating", _S, True, "rating the rules 'would normally indicate', if stated"),
        Column("departure_text", _S, True, "sentence stating a departure from the rating rule"),
        *_PROVENANCE,
    ),
    "key_questions": (
        Column("report_id", _S, False, "report (see reports)"),
        Column("framework", _S, False, "framework id"),
        Column("standard", _S, False, "standard slug"),
        Column("area", _S, False, "engagement, desistance or keeping_safe"),
        Column("key_question", _S, False, "key-question id, e.g. 'planning_keeping_safe'"),
        Column("question_text", _S, False, "question as printed"),
        Column("pct_yes", _F, False, "percentage 'Yes' as printed"),
        Column("n", _I, True, "cases the percentage is over (the sample; see n_basis)"),
        Column("n_basis", _S, True, "where n comes from"),
        *_PROVENANCE,
    ),
    "prompts": (
        Column("report_id", _S, False, "report (see reports)"),
        Column("standard", _S, False, "standard slug of the section the sentence is in"),
        Column("area", _S, True, "engagement, desistance or keeping_safe, from the wording"),
        Column("prompt", _S, False, "the sentence stating the result"),
        Column("quantity_text", _S, False, "the figure as written ('eight out of 15')"),
        Column("n", _F, True, "cases counted, where a count is given"),
        Column("n_relevant", _F, True, "relevant cases (denominator), where given"),
        Column("pct", _F, True, "percentage stated or implied by the count or fraction"),
        Column("direction", _S, False, "what the figure counts: sufficient or deficient work"),
        Column("pct_sufficient", _F, True, "pct if direction is sufficient, else 100 - pct"),
        *_QUANTITY,
        *_PROVENANCE,
    ),
    "figures": (
        Column("report_id", _S, False, "report (see reports)"),
        Column(
            "measure_id", _S, False, "stable key, e.g. 'charged', 'uv-fair', 'factor-ete-progress'"
        ),
        Column(
            "topic", _S, False, "sample, ratings, outcomes, staffing, caseload, user_voice, ..."
        ),
        Column("measure", _S, False, "what the value measures"),
        Column("value", _F, False, "the value as published"),
        Column("value_unit", _S, False, "count, percent, days, fte"),
        Column("denominator", _F, True, "denominator where stated"),
        *_QUANTITY,
        *_PROVENANCE,
    ),
    "rating_check": (
        Column("report_id", _S, False, "report (see reports)"),
        Column("framework", _S, False, "framework whose rules were applied"),
        Column("standard", _S, False, "standard slug or 'overall'"),
        Column(
            "computed_rating", _S, True, "rating by the framework's rules from the extracted table"
        ),
        Column("published_rating", _S, True, "rating as published"),
        Column("agrees", _B, True, "computed equals published; missing if either is missing"),
        Column("band_difference", _I, True, "published minus computed, in bands"),
        Column(
            "rule_rating", _S, True, "rating the report says its rules 'would normally indicate'"
        ),
        Column("note", _S, True, "why they differ, where the report says so"),
    ),
    "conflicts": (
        Column("report_id", _S, False, "report given in more than one file"),
        Column("table", _S, False, "table holding the value"),
        Column("item", _S, False, "which value (key columns)"),
        Column("value_kept", _S, True, "value in the file kept"),
        Column("file_kept", _S, False, "file kept"),
        Column("value_other", _S, True, "value in the other file"),
        Column("file_other", _S, False, "other file"),
    ),
    "files": (
        Column("file", _S, False, "file name as given"),
        Column("path", _S, False, "path as given"),
        Column("kind", _S, True, "txt, pdf or html"),
        Column("layout", _S, True, "layout recognised"),
        Column("status", _S, False, "ok, duplicate, skipped (not a report) or error"),
        Column("report_id", _S, True, "report the file holds"),
        Column("n_ratings", _I, False, "ratings read"),
        Column("n_key_questions", _I, False, "key-question percentages read"),
        Column("n_prompts", _I, False, "prompt-level results read"),
        Column("n_figures", _I, False, "figures read"),
        Column("n_warnings", _I, False, "warnings"),
        Column("seconds", _F, False, "time taken to read the file"),
        Column("message", _S, True, "why a file was skipped or could not be read"),
    ),
    "warnings": (
        Column("file", _S, False, "file name"),
        Column("report_id", _S, True, "report, where known"),
        Column("warning", _S, False, "what is missing or does not add up"),
    ),
}
"""Table name -> ordered columns. ``files`` and ``warnings`` are the log of a run; the
others are data."""

FILE_NAMES = {name: f"{name}.csv" for name in TABLES}
"""Table name -> file name inside the output folder."""


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in TABLES[name]})


def validate_table(name: str, frame: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Check a frame against its declared columns; return it with the declared dtypes.

    Parameters
    ----------
    name : str
        Table name, a key of :data:`TABLES`.
    frame : DataFrame
        The table, for example as read back from CSV.
    file : str, optional
        File name to put in messages.

    Raises
    ------
    ValidationFailed
        Listing every problem: missing or extra columns (with the expected order), values
        that do not convert to the column's dtype, missing values in a required column.
    """
    spec = TABLES[name]
    where = file or FILE_NAMES[name]
    problems: list[dict] = []
    expected = [c.name for c in spec]
    if list(frame.columns) != expected:
        problems.append(
            failure(
                where,
                None,
                ", ".join(map(str, frame.columns)),
                None,
                "columns in order",
                ", ".join(expected),
            )
        )
        raise ValidationFailed(
            f"{where}: columns are not those of the {name} table", pd.DataFrame(problems)
        )
    out = frame.copy()
    for col in spec:
        series = frame[col.name]
        refused = len(problems)
        if col.dtype in (_F, _I):
            out[col.name] = _numbers(series, col, where, problems)
        else:
            try:
                if col.dtype == "boolean":
                    series = series.map(
                        lambda v: (
                            {"true": True, "false": False}.get(str(v).lower(), v)
                            if isinstance(v, str)
                            else v
                        )
                    )
                out[col.name] = series.astype(col.dtype)
            except (TypeError, ValueError) as err:
                problems.append(failure(where, None, col.name, str(err)[:80], "dtype", col.dtype))
                continue
        refused_rows = {p["row"] for p in problems[refused:]}
        if not col.nullable:
            for row in out.index[out[col.name].isna()]:
                if int(row) + 2 in refused_rows:
                    continue  # already reported as a number that could not be read
                problems.append(
                    failure(where, int(row) + 2, col.name, None, "required", col.description)
                )
    if problems:
        raise ValidationFailed(
            f"{where}: {len(problems)} problem(s) in the {name} table", pd.DataFrame(problems)
        )
    return out


def _numbers(
    series: pd.Series, col: Column, where: str, problems: list[dict]
) -> pd.api.extensions.ExtensionArray:
    """A numeric column read cell by cell with :mod:`analysis.io.numbers`, as the build reads
    numbers; each cell it refuses is a problem naming the row, the value and what was expected."""
    read = _num.number if col.dtype == _F else _num.count
    values = []
    for index, value in series.items():
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            values.append(None)
            continue
        try:
            values.append(read(value))
        except _num.NumberProblem as problem:
            problems.append(
                failure(
                    where, int(index) + 2, col.name, str(value), problem.check, problem.expected
                )
            )
            values.append(None)
    return pd.array(values, dtype=col.dtype)


def describe_tables() -> pd.DataFrame:
    """All tables and columns as one tidy frame ``[table, column, dtype, nullable, description]``."""
    rows = [
        {
            "table": t,
            "column": c.name,
            "dtype": c.dtype,
            "nullable": c.nullable,
            "description": c.description,
        }
        for t, cols in TABLES.items()
        for c in cols
    ]
    return pd.DataFrame(rows, columns=["table", "column", "dtype", "nullable", "description"])


def read_extracted(raw_dir, claimed: set) -> tuple[dict[str, pd.DataFrame], list[dict], list[dict]]:
    """Read and check every extracted table under ``raw_dir/extracted`` (if there is one).

    Returns ``(tables, inputs, problems)``: tables named ``extracted_<table>``, input records
    (file, table, rows, sha256) and failure records naming the file, row and column. Every
    path read is added to ``claimed``. Extracted values are real published figures.
    """
    import hashlib
    from pathlib import Path

    from .csv_cells import unescape_frame

    folder = Path(raw_dir) / FOLDER
    tables, inputs, problems = {}, [], []
    if not folder.is_dir():
        return tables, inputs, problems
    for name, file_name in FILE_NAMES.items():
        path = folder / file_name
        if not path.is_file():
            continue
        claimed.add(path)
        label = f"{FOLDER}/{file_name}"
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
            frame = unescape_frame(frame)  # written formula-safe by analysis extract
            checked = validate_table(name, frame, file=label)
        except ValidationFailed as err:
            for rec in err.failures.to_dict("records"):
                problems.append({**rec, "severity": "error"})
            continue
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
            problems.append(
                failure(
                    label,
                    None,
                    None,
                    None,
                    "readable",
                    f"a CSV written by analysis extract ({err})",
                )
            )
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        inputs.append(
            {"file": label, "table": f"extracted_{name}", "rows": len(checked), "sha256": digest}
        )
        tables[f"extracted_{name}"] = checked.reset_index(drop=True)
    return tables, inputs, problems
