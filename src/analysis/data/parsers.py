"""Column parsers for raw files, registered by name and named beside each schema field.

Each schema field says how its raw values are read (``column("pct", ...)`` in
:mod:`analysis.data.schemas`); the build looks the parser up here with :func:`parse_column`.
A parser name may take an argument after a colon (``code:rosh``, ``label:offending_factor``).
Parsers record a failure (file, row, column, value, check, expected) for every value they
cannot read and never raise for bad data.

>>> sorted(PARSERS)[:4]
['bool', 'category', 'code', 'count']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..frameworks.dtypes import RATING_DTYPE
from ..io import numbers as _num
from . import normalise as _n
from . import schemas as _s
from .ingest import failure

__all__ = ["ColumnInput", "PARSERS", "parser", "parse_column", "finish_column"]

_BOOL = {
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "1": True,
    "0": False,
    "1.0": True,
    "0.0": False,
}


_COMMA_ADVICE = ', or set decimal = "," in the dataset.toml of a dataset whose files all use commas'
"""How a dataset declares decimal commas, added to the sentence for a decimal comma."""


@dataclass
class ColumnInput:
    """One raw column on its way to a parser, with where its values came from."""

    values: pd.Series
    """Raw values, None where the cell was empty."""
    column: str
    file: str
    rows: list[int]
    context: dict
    """Tables already built that parsers match against (``reference``, ``aliases``)."""
    failures: list
    """Where failure records go."""

    state: dict = field(default_factory=dict)
    """What a check of the whole column keeps between the chunks of one file's column (the
    same dict is passed with each chunk; :func:`finish_column` reports on it at the end)."""

    def each(self, read: Callable, check: str = "", expected="", missing=None) -> np.ndarray:
        """Apply ``read`` to every present value; a None result is recorded as a failure, as is
        a :class:`~analysis.io.numbers.NumberProblem` it raises (with its own check and words;
        a decimal comma is told how this dataset could declare one).

        Each distinct text is read once (columns of a case file repeat a few values over many
        rows); failures are still recorded row by row, in row order.
        """
        codes, uniques = pd.factorize(np.asarray(self.values, dtype=object))
        if not all(isinstance(u, str) for u in uniques):  # 1, 1.0 and True are one key
            return self._each_value(read, check, expected, missing)
        out = np.empty(len(uniques) + 1, dtype=object)
        out[-1] = missing  # code -1: an empty cell
        why: dict[int, tuple[str, str]] = {}
        for j, value in enumerate(uniques):
            parsed, problem = self._read(read, value, check, expected)
            if problem is not None:
                why[j] = problem
                parsed = missing
            out[j] = parsed
        if why:
            for i in np.flatnonzero(np.isin(codes, list(why))):
                self.fail(int(i), uniques[codes[i]], *why[codes[i]])
        return out[codes]

    @staticmethod
    def _read(read: Callable, value, check: str, expected) -> tuple[object, tuple | None]:
        """``(parsed, None)``, or ``(None, (check, expected))`` for a value ``read`` refuses."""
        try:
            parsed = read(value)
        except _num.NumberProblem as problem:
            advice = _COMMA_ADVICE if "has a decimal comma" in problem.expected else ""
            return None, (problem.check, problem.expected + advice)
        if parsed is None:
            return None, (check, expected(value) if callable(expected) else expected)
        return parsed, None

    def _each_value(self, read: Callable, check: str, expected, missing) -> np.ndarray:
        out = np.empty(len(self.values), dtype=object)
        for i, value in enumerate(self.values):
            if value is None or value != value:
                out[i] = missing
                continue
            parsed, problem = self._read(read, value, check, expected)
            if problem is not None:
                self.fail(i, value, *problem)
                parsed = missing
            out[i] = parsed
        return out

    def fail(self, i: int, value, check: str, expected: str) -> None:
        self.failures.append(failure(self.file, self.rows[i], self.column, value, check, expected))


Parser = Callable[[ColumnInput, str], object]
PARSERS: dict[str, Parser] = {}
"""Parser name -> function ``(column, argument) -> array of parsed values``."""


def parser(name: str) -> Callable[[Parser], Parser]:
    """Register a column parser under ``name``."""

    def register(fn: Parser) -> Parser:
        PARSERS[name] = fn
        return fn

    return register


def parse_column(kind: str, column: ColumnInput):
    """Parse one raw column with the parser its schema field names (``name`` or ``name:arg``)."""
    name, _, argument = kind.partition(":")
    try:
        fn = PARSERS[name]
    except KeyError:  # pragma: no cover - a schema naming an unknown parser is a code error
        raise ValueError(f"Column {column.column!r} names unknown parser {kind!r}") from None
    return fn(column, argument)


def _choices_text(choices) -> str:
    return ", ".join(f"'{c}'" for c in choices)


def _did_you_mean(value, choices) -> str:
    hint = _n.suggest(value, choices)
    return f"; did you mean '{hint}'?" if hint else ""


@parser("text")
@parser("category")
def _text(column: ColumnInput, argument: str):
    present = column.values.notna().to_numpy()
    values = [str(v) if ok else None for v, ok in zip(column.values, present, strict=True)]
    return pd.Series(values, dtype=object).to_numpy()


@parser("code")
def _code(column: ColumnInput, argument: str):
    """A coded category (``code:rosh``): case ignored, spaces as underscores, 'very-high' read."""
    dtype = _s.CATEGORY_DTYPES.get(argument)
    if dtype is None:
        return column.values.map(_n.code).astype(object)
    cats = list(dtype.categories)

    def read(value):
        code = _n.code(str(value))
        code = code if code in cats else code.replace("-", "_")
        return code if code in cats else None

    def expected(value):
        return f"one of {_choices_text(cats)}" + _did_you_mean(_n.code(str(value)), cats)

    return pd.Categorical(column.each(read, "allowed_value", expected), dtype=dtype)


@parser("label")
def _label(column: ColumnInput, argument: str):
    """A published label (``label:offending_factor``), matched as :func:`normalise.name_key`."""
    dtype = _s.CATEGORY_DTYPES[argument]
    labels = list(dtype.categories)
    keys = {_n.name_key(c): c for c in labels}

    def expected(value):
        return f"one of {_choices_text(labels)}" + _did_you_mean(value, labels)

    read = lambda value: keys.get(_n.name_key(value))  # noqa: E731
    return pd.Categorical(column.each(read, "allowed_value", expected), dtype=dtype)


@parser("rating")
def _rating(column: ColumnInput, argument: str):
    labels = list(_fw.RATINGS)

    def expected(value):
        return f"a rating: {_choices_text(labels)}" + _did_you_mean(value, labels)

    parsed = column.each(_fw.parse_rating, "rating_label", expected)
    return pd.Categorical(parsed, dtype=RATING_DTYPE)


def _decimal(column: ColumnInput) -> str:
    """The decimal mark of the column's file: '.' unless its dataset.toml says ','."""
    return getattr(column.context.get("dataset"), "decimal", ".")


def _numbers(column: ColumnInput, read: Callable, missing=None) -> list:
    """Every present value read with ``read`` (an :mod:`analysis.io.numbers` reader)."""
    decimal = _decimal(column)
    return column.each(lambda value: read(value, decimal), missing=missing)


def _blank_is_missing(read: Callable) -> Callable:
    def read_or_blank(value, decimal):
        if isinstance(value, str) and not _n.clean_text(value):
            return np.nan
        return read(value, decimal)

    return read_or_blank


@parser("pct")
def _pct(column: ColumnInput, argument: str):
    out = np.array(_numbers(column, _blank_is_missing(_num.percentage), np.nan), dtype=float)
    _fractions(column, out)
    return out


def _fractions(column: ColumnInput, parsed: np.ndarray) -> None:
    """Note whether every value lies in (0, 1] with a fraction: 0.7 meant as 70%.

    The column of a file is judged whole, across its chunks: :func:`finish_column` reports it.
    """
    state = column.state
    present = parsed[~np.isnan(parsed)]
    state["present"] = state.get("present", False) or len(present) > 0
    state["small"] = state.get("small", True) and bool((present <= 1).all())
    at = np.flatnonzero((parsed > 0) & (parsed < 1))
    if len(at) and "first" not in state:
        i = int(at[0])
        state["first"] = (column.file, column.rows[i], column.column, column.values.iloc[i])


def finish_column(state: dict, failures: list) -> None:
    """Report what a check of a file's whole column found (see :attr:`ColumnInput.state`)."""
    if state.get("present") and state.get("small") and "first" in state:
        file, row, col, value = state["first"]
        failures.append(
            failure(
                file,
                row,
                col,
                value,
                "percentage_scale",
                "percentages on the 0-100 scale (70 for 70%); every value in this column lies "
                "between 0 and 1, as fractions do. Write 70 or '70%' (or format the Excel cells "
                "as percentages); a value of 0.7 would be read as 0.7%",
            )
        )


@parser("number")
def _number_column(column: ColumnInput, argument: str):
    return np.array(_numbers(column, _num.number, np.nan), dtype=float)


@parser("count")
def _count(column: ColumnInput, argument: str):
    return pd.array(_numbers(column, _num.count), dtype="Int64")


@parser("date")
def _date(column: ColumnInput, argument: str):
    expected = "a date such as 2024-09-16, 16/09/2024 or 16 September 2024 (day before month)"
    parsed = column.each(_n.parse_date, "date", expected)
    return pd.to_datetime(pd.Series(parsed, dtype=object)).astype("datetime64[ns]").to_numpy()


@parser("bool")
def _bool(column: ColumnInput, argument: str):
    read = lambda value: _BOOL.get(str(value).strip().lower())  # noqa: E731
    expected = "True or False (empty where not applicable or not linked)"
    return pd.array(column.each(read, "true_false", expected), dtype="boolean")


def _alias_map(context: dict) -> dict[str, str]:
    aliases = context.get("aliases")
    if aliases is None:
        return {}
    pairs = zip(aliases["alias"], aliases["pdu"], strict=True)
    return {_n.name_key(alias): pdu for alias, pdu in pairs}


@parser("pdu")
def _pdu(column: ColumnInput, argument: str):
    """A PDU of the reference list, matched by name or by an alias."""
    ref = column.context.get("reference")
    if ref is None:
        return column.values.astype(object)
    what = "a PDU in the reference list (data/raw/reference/regions_pdus.csv)"
    choices = ref["pdu"].astype(str).tolist()
    return _match_units(column, choices, _alias_map(column.context), "known_pdu", what)


@parser("region")
def _region(column: ColumnInput, argument: str):
    """A region of the reference list; ``region:national`` also accepts 'National'."""
    ref = column.context.get("reference")
    if ref is None:
        return column.values.astype(object)
    choices = sorted(ref["region"].astype(str).unique())
    extra = {"national": "National"} if argument == "national" else {}
    what = "a region in the reference list (" + ", ".join(choices) + ")"
    return _match_units(column, choices, extra, "known_region", what)


def _match_units(column: ColumnInput, choices, extra: dict, check: str, what: str):
    keys = {_n.name_key(c): c for c in choices}
    resolved: dict = {}
    out = []
    for i, value in enumerate(column.values):
        if value is None or value != value:
            out.append(None)
            continue
        if value not in resolved:
            key = _n.name_key(value)
            match = keys.get(key) or extra.get(key)
            resolved[value] = (match, None if match else _n.suggest(value, choices))
        match, hint = resolved[value]
        if match is None:
            advice = (
                f"; did you mean '{hint}'?"
                if hint
                else "; add it to the reference list if it is new"
            )
            column.fail(i, value, check, what + advice)
        out.append(match)
    return pd.Series(out, dtype=object).to_numpy()
