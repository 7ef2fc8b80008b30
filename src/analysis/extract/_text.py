"""One place for the artefacts of real report text: PDF extraction, web copies, Windows files.

Every reader passes its text through :func:`normalise_lines`, which keeps one output line per
input line so that a value's line number still points at the source. What it repairs:

- CRLF and CR line ends (split before this function sees them);
- Unicode look-alikes inside Latin words (a Cyrillic "у" in "activitу"), non-breaking and
  other exotic spaces, soft hyphens, zero-width characters, typographic ligatures (ﬁ, ﬂ);
- footnote markers stuck to words or numbers ("rating²", "546¹"), as superscript digits;
- runs of more than :data:`MAX_GAP` spaces or tabs (one space, or one tab), so that reading
  stays linear in the size of the file;
- hyphenation at a line end ("assess-" / "ment"): the word is joined on the first line and
  removed from the next, so both lines keep their numbers; the hyphen is dropped when the
  continuation looks like the end of a broken word ("ment", "ation", "ing") and kept for a
  compound ("offence-" / "related", "multi-" / "agency").

Words split across a flattened table ("Fieldw PDU ork", "Overa all rating") are layout
specific and are read by tolerant patterns in the layout modules, not rewritten here.

>>> normalise_lines(["Organisational arrangements and activit\\u0443", "rating\\u00b2 is"])
['Organisational arrangements and activity', 'rating is']
>>> normalise_lines(["the assess-", "ment of risk"])
['the assessment', 'of risk']
>>> normalise_lines(["the multi-", "agency work"])
['the multi-agency', 'work']
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_lines", "split_lines", "strip_back_to_top", "LOOKALIKES", "MAX_GAP"]

MAX_GAP = 32
"""Longest run of spaces and tabs kept as it is; a longer run becomes one space (or one tab if
it holds a tab), so that no pattern meets a long stretch of blanks to backtrack over."""
_GAP = re.compile(rf"[ \t]{{{MAX_GAP + 1},}}")
_BACK_TO_TOP = "(back to top)"


def strip_back_to_top(line: str) -> str:
    """'Foreword (Back to top)' -> 'Foreword'; string operations, linear on any line."""
    tail = line.rstrip()
    if tail.lower().endswith(_BACK_TO_TOP):
        return tail[: -len(_BACK_TO_TOP)].rstrip()
    return line


LOOKALIKES: dict[str, str] = dict(
    zip(
        # Cyrillic small and capital letters, Greek capitals and small omicron ...
        "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u04bb"
        "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0423"
        "\u0391\u0392\u0395\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03bf",
        # ... and the Latin letters they look like
        "aeopcyxijshABEKMHOPCTXYABEHIKMNOPTo",
        strict=True,
    )
)
"""Look-alike characters replaced when they sit in or next to a Latin word."""

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000"), " ")
_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_PDF_HYPHENS = dict.fromkeys(map(ord, "\x02\ufffe"), "-")  # pdfium's marks for a broken word
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
_FOOTNOTE = re.compile(rf"(?<=[\w%.,)'\u2019])[{_SUPERSCRIPTS}]+")
_LOOKALIKE_RE = re.compile("[" + "".join(LOOKALIKES) + "]")
_LATIN_NEAR = re.compile(r"[A-Za-z]")
_HYPHEN_END = re.compile(r"(?<=[a-z])-$")
_SUFFIX = re.compile(
    r"[a-z]{0,3}(?:ation|ations|tion|tions|sion|sions|ment|ments|ing|ings|ed|ance|ence|ity|"
    r"ities|ness|ive|ives|ally|ise|ised|ize|ized|ous|ful|ible|able|ably|er|ers|ly|al)"
)
_FIRST_WORD = re.compile(r"^\s*([a-z]+)([.,;:)]?)(\s+|$)")


def split_lines(text: str) -> list[str]:
    """Split text into lines on LF, CRLF or CR (and form feeds, which mark pages in PDFs)."""
    return re.split(r"\r\n|\r|\n", text)


def _fix_lookalikes(line: str) -> str:
    def repl(m: re.Match) -> str:
        start, end = m.start(), m.end()
        # neighbours, skipping one space or tab: "activit у" keeps the gap for the layout
        window = line[max(0, start - 2) : start] + line[end : end + 2]
        return LOOKALIKES[m.group()] if _LATIN_NEAR.search(window) else m.group()

    return _LOOKALIKE_RE.sub(repl, line)


_TABLE = {**_SPACES, **_DROP, **_PDF_HYPHENS, **{ord(k): v for k, v in _LIGATURES.items()}}
_ASCII_REPAIRS = frozenset(chr(k) for k in _TABLE if k < 128)
"""The characters of the repair table that are ASCII themselves (pdfium's ``\\x02``)."""


def _gap(m: re.Match) -> str:
    return "\t" if "\t" in m.group() else " "


def _clean(line: str) -> str:
    if len(line) > MAX_GAP:
        line = _GAP.sub(_gap, line)
    if line.isascii() and _ASCII_REPAIRS.isdisjoint(line):  # most lines: only trailing space
        return line.rstrip()
    line = unicodedata.normalize("NFC", line).translate(_TABLE)
    line = _FOOTNOTE.sub("", line)
    if _LOOKALIKE_RE.search(line):
        line = _fix_lookalikes(line)
    return line.rstrip()


def normalise_lines(lines: list[str]) -> list[str]:
    """Normalise each line (see module docstring); the result has as many lines as the input.

    Parameters
    ----------
    lines : list of str
        Lines as read, without line ends.

    Returns
    -------
    list of str
        Cleaned lines, one per input line.
    """
    out = [_clean(line) for line in lines]
    for i in range(len(out) - 1):
        if _HYPHEN_END.search(out[i]):
            m = _FIRST_WORD.match(out[i + 1])
            if m:
                # 'assess-' + 'ment' is one word broken by hyphenation; 'offence-' + 'related'
                # is a compound whose hyphen belongs to the text
                broken = _SUFFIX.fullmatch(m.group(1)) is not None
                out[i] = (out[i][:-1] if broken else out[i]) + m.group(1) + m.group(2)
                out[i + 1] = out[i + 1][m.end() :]
    # a word glued to a one-letter tail after a tab ("activit\ty") from a flattened table
    return [re.sub(r"(?<=[a-z]{3})\t(?=[a-z]\s*$)", "", line) for line in out]
