"""The tables that ``analysis extract`` writes into ``data/raw/extracted/``, and their reading.

The contract of the extracted raw tables lives here, in the data stage: extraction writes them
(:mod:`analysis.extract`) and the build validates and loads them (:func:`read_extracted`)
like any other raw input, as ``extracted_<table>`` in ``data/processed/``. Each table is a
pandera model on the base of every schema (:data:`analysis.data.schemas.Strict`: the columns
exactly as declared, in order), declared as a small table of its columns: the name, the pandas
dtype (``?`` after it where the value may be missing) and the one-line meaning.

Every value table ends with the same four provenance columns: ``source_text`` (the sentence or
table line the value came from, whitespace collapsed), ``location`` (``line N`` or
``page P, line N``), ``read_as`` (how it was read) and ``source_file``.

>>> list(columns("key_questions"))[:4]
['report_id', 'framework', 'standard', 'area']
>>> columns("key_questions")["pct_yes"], TABLES["key_questions"].to_schema().columns["n"].nullable
(Float64Dtype(), True)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
from pandera.typing import Series

from ..exceptions import ValidationFailed
from ..io import numbers as _num
from ._pandera import pa
from .checks import pandera_failures
from .csv_cells import unescape_frame
from .ingest import failure
from .schemas import Strict

__all__ = [
    "TABLES",
    "FILE_NAMES",
    "FOLDER",
    "columns",
    "empty_table",
    "validate_table",
    "describe_tables",
    "read_extracted",
]

FOLDER = "extracted"
"""Folder under data/raw that extraction writes and the build reads."""


def _models(**specs: str) -> dict[str, type[pa.DataFrameModel]]:
    """Table name -> its pandera model, from a spec of the table's columns: a line per column,
    in order, giving its name, its pandas dtype (``string``, ``Int64``, ``Float64`` or
    ``boolean``; ``?`` after it where the value may be missing) and its one-line meaning."""
    models = {}
    for name, spec in specs.items():
        lines = [line.split(maxsplit=2) for line in spec.splitlines() if line.strip()]
        dtypes = {col: dtype.rstrip("?") for col, dtype, _ in lines}
        body = {
            "__module__": __name__,
            "__doc__": f"The extracted ``{name}`` table.",
            "__annotations__": {col: Series[dtype] for col, dtype in dtypes.items()},
        }
        for col, dtype, meaning in lines:
            body[col] = pa.Field(
                nullable=dtype.endswith("?"), description=meaning, metadata={"dtype": dtypes[col]}
            )
        models[name] = type(name.title().replace("_", ""), (Strict,), body)
    return models


_PROVENANCE = """
    source_text         string    sentence or table line the value was read from
    location            string    'line N' (text, web page) or 'page P, line N' (PDF)
    read_as             string    how the value was read, e.g. 'count in words'
    source_file         string    name of the file it was read from
    """

_QUANTITY = """
    approximate         boolean   true where the wording gives a bound, not a figure
    bound               string?   lower ('just over'), upper ('almost'), about; else missing
    in_words            boolean   true where the figure was written in words
    """

TABLES: dict[str, type[pa.DataFrameModel]] = _models(
    reports="""
        report_id           string    unit and date, e.g. 'york-pdu-2024-12'; one per report
        unit                string    inspected unit as the report names it
        unit_type           string    pdu, region, national, youth or trust
        region              string?   probation region, where the report names it
        framework           string?   framework id (pdu-2023, pdu-2021, adult-2013)
        layout              string    kind of publication: pdu-report, pdu-press, region-report, region-press, national-report, youth-report, youth-press, adult-2013, spotlight
        fieldwork_start     string?   ISO date to the precision stated (YYYY-MM[-DD])
        fieldwork_end       string?   ISO date to the precision stated
        publication_date    string?   ISO date to the precision stated
        cases               Int64?    cases in the sample, as stated (or community + licence)
        cases_community     Int64?    cases on a community sentence
        cases_licence       Int64?    cases released on licence
        court_reports       Int64?    court reports reviewed
        unpaid_work_cases   Int64?    unpaid work cases inspected
        victim_cases        Int64?    statutory victim cases inspected
        resettlement_cases  Int64?    cases subject to resettlement provision
        source_file         string    file the kept values come from
        sha256              string    sha256 of that file
        other_sources       string?   other files holding the same report ('; ')
        n_warnings          Int64     warnings raised while reading this report
        """,
    ratings="""
        report_id           string    report (see reports)
        standard            string    framework slug, 'overall', or the printed name if unknown
        standard_id         string?   number as printed, e.g. 'P1.1'
        standard_name       string?   name as printed
        rating              string    published rating
        score               Int64?    overall score as printed (overall row only)
        max_score           Int64?    maximum score as printed (overall row only)
        rule_rating         string?   rating the rules 'would normally indicate', if stated
        departure_text      string?   sentence stating a departure from the rating rule
        """
    + _PROVENANCE,
    key_questions="""
        report_id           string    report (see reports)
        framework           string    framework id
        standard            string    standard slug
        area                string    engagement, desistance or keeping_safe
        key_question        string    key-question id, e.g. 'planning_keeping_safe'
        question_text       string    question as printed
        pct_yes             Float64   percentage 'Yes' as printed
        n                   Int64?    cases the percentage is over (the sample; see n_basis)
        n_basis             string?   where n comes from
        """
    + _PROVENANCE,
    prompts="""
        report_id           string    report (see reports)
        standard            string    standard slug of the section the sentence is in
        area                string?   engagement, desistance or keeping_safe, from the wording
        prompt              string    the sentence stating the result
        quantity_text       string    the figure as written ('eight out of 15')
        n                   Float64?  cases counted, where a count is given
        n_relevant          Float64?  relevant cases (denominator), where given
        pct                 Float64?  percentage stated or implied by the count or fraction
        direction           string    what the figure counts: sufficient or deficient work
        pct_sufficient      Float64?  pct if direction is sufficient, else 100 - pct
        """
    + _QUANTITY
    + _PROVENANCE,
    figures="""
        report_id           string    report (see reports)
        measure_id          string    stable key, e.g. 'charged', 'uv-fair', 'factor-ete-progress'
        topic               string    sample, ratings, outcomes, staffing, caseload, user_voice, ...
        measure             string    what the value measures
        value               Float64   the value as published
        value_unit          string    count, percent, days, fte
        denominator         Float64?  denominator where stated
        """
    + _QUANTITY
    + _PROVENANCE,
    rating_check="""
        report_id           string    report (see reports)
        framework           string    framework whose rules were applied
        standard            string    standard slug or 'overall'
        computed_rating     string?   rating by the framework's rules from the extracted table
        published_rating    string?   rating as published
        agrees              boolean?  computed equals published; missing if either is missing
        band_difference     Int64?    published minus computed, in bands
        rule_rating         string?   rating the report says its rules 'would normally indicate'
        note                string?   why they differ, where the report says so
        """,
    conflicts="""
        report_id           string    report given in more than one file
        table               string    table holding the value
        item                string    which value (key columns)
        value_kept          string?   value in the file kept
        file_kept           string    file kept
        value_other         string?   value in the other file
        file_other          string    other file
        """,
    files="""
        file                string    file name as given
        path                string    path as given
        kind                string?   txt, pdf or html
        layout              string?   layout recognised
        status              string    ok, duplicate, skipped (not a report) or error
        report_id           string?   report the file holds
        n_ratings           Int64     ratings read
        n_key_questions     Int64     key-question percentages read
        n_prompts           Int64     prompt-level results read
        n_figures           Int64     figures read
        n_warnings          Int64     warnings
        seconds             Float64   time taken to read the file
        message             string?   why a file was skipped or could not be read
        """,
    warnings="""
        file                string    file name
        report_id           string?   report, where known
        warning             string    what is missing or does not add up
        """,
)
"""Table name -> its model. ``files`` and ``warnings`` are the log of a run; the others are
data."""

FILE_NAMES = {name: f"{name}.csv" for name in TABLES}
"""Table name -> file name inside the output folder."""


def columns(name: str) -> dict[str, pd.api.extensions.ExtensionDtype]:
    """Column -> pandas dtype of a table, in column order."""
    fields = TABLES[name].to_schema().columns
    return {col: pd.api.types.pandas_dtype(f.metadata["dtype"]) for col, f in fields.items()}


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    return pd.DataFrame({col: pd.Series(dtype=dtype) for col, dtype in columns(name).items()})


def describe_tables() -> pd.DataFrame:
    """All tables and columns as one tidy frame ``[table, column, dtype, nullable, description]``."""
    rows = [
        (table, col, f.metadata["dtype"], f.nullable, f.description)
        for table, model in TABLES.items()
        for col, f in model.to_schema().columns.items()
    ]
    return pd.DataFrame(rows, columns=["table", "column", "dtype", "nullable", "description"])


def _true_false(value) -> bool:
    """True or False, as pandas writes them (any case); anything else is refused with a
    :class:`~analysis.io.numbers.NumberProblem`, as a bad number is."""
    word = str(value).strip().lower()
    if word not in ("true", "false"):
        raise _num.NumberProblem("true_false", "True or False (empty where not known)")
    return word == "true"


_READERS = {"Int64": _num.count, "Float64": _num.number, "boolean": _true_false}
"""How a cell is read into its column's dtype: numbers as the build reads its own
(:mod:`analysis.io.numbers`, the same words for the same bad value); text as written."""


def validate_table(name: str, frame: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Check a frame against its table's model; return it with the declared dtypes.

    Each cell is read into its column's dtype, then the table is validated lazily with its
    model; pandera's failures are worded as the build's (:func:`~analysis.data.checks.pandera_failures`).
    Rows are numbered as lines of the CSV file: the first data row is row 2.

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
        Listing every problem: columns missing, not the table's or out of order (one failure
        naming them, with the expected order), values that cannot be read as the column's
        dtype, missing values in a required column.
    """
    where = file or FILE_NAMES[name]
    dtypes = columns(name)
    problem = _columns_problem(name, [str(c) for c in frame.columns], list(dtypes), where)
    if problem is not None:
        raise ValidationFailed(
            f"{where}: columns are not those of the {name} table", pd.DataFrame([problem])
        )
    rows = [int(i) + 2 for i in frame.index]
    cells = frame.astype(object).where(frame.notna(), None)
    problems: list[dict] = []
    checked = pd.DataFrame(
        {col: _read(cells[col], dtype, where, rows, problems) for col, dtype in dtypes.items()}
    )
    try:
        TABLES[name].validate(checked, lazy=True)
    except pa.errors.SchemaErrors as err:
        located = checked.assign(file_=where, row_=rows)
        for found in pandera_failures(err.failure_cases, located, problems):
            problems.append({**found, "value": None} if found["check"] == "not_nullable" else found)
    if problems:
        raise ValidationFailed(
            f"{where}: {len(problems)} problem(s) in the {name} table", pd.DataFrame(problems)
        )
    return checked.set_axis(frame.index)


def _columns_problem(name: str, found: list[str], expected: list[str], where: str) -> dict | None:
    """One failure naming the columns that are not the table's, or None if they are."""
    if found == expected:
        return None
    unknown = [c for c in found if c not in expected]
    missing = [c for c in expected if c not in found]
    why = [f"not in the {name} table: {', '.join(unknown)}"] if unknown else []
    why += [f"missing: {', '.join(missing)}"] if missing else []
    named = unknown + missing or [next(f for f, e in zip(found, expected, strict=False) if f != e)]
    expected_text = "; ".join([f"{', '.join(expected)} in this order", *why])
    return failure(
        where, None, ", ".join(named), ", ".join(found), "columns in order", expected_text
    )


def _read(cells: pd.Series, dtype, where: str, rows: list[int], problems: list[dict]):
    """A column's cells as ``dtype``; a cell that cannot be read is a problem, left missing."""
    read = _READERS.get(str(dtype), str)
    out = []
    for row, value in zip(rows, cells, strict=True):
        try:
            out.append(None if value is None else read(value))
        except _num.NumberProblem as problem:
            problems.append(failure(where, row, cells.name, value, problem.check, problem.expected))
            out.append(None)
    return pd.array(out, dtype=dtype)


def read_extracted(raw_dir, claimed: set) -> tuple[dict[str, pd.DataFrame], list[dict], list[dict]]:
    """Read and check every extracted table under ``raw_dir/extracted`` (if there is one).

    Returns ``(tables, inputs, problems)``: tables named ``extracted_<table>``, input records
    (file, table, rows, sha256) and failure records naming the file, row and column. Every
    path read is added to ``claimed``. Extracted values are real published figures.
    """
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
            problems += [{**rec, "severity": "error"} for rec in err.failures.to_dict("records")]
            continue
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
            expected = f"a CSV written by analysis extract ({err})"
            problems.append(failure(label, None, None, None, "readable", expected))
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        inputs.append(
            {"file": label, "table": f"extracted_{name}", "rows": len(checked), "sha256": digest}
        )
        tables[f"extracted_{name}"] = checked.reset_index(drop=True)
    return tables, inputs, problems
