"""Spreadsheet downloads that cannot run anything when opened (OWASP "CSV Injection").

A spreadsheet program reads a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula, so text typed by a user (a registry name, an audit note) could become a live
`=HYPERLINK(...)` or DDE call in a download. Every CSV and XLSX download is built by the two
writers here, which pass the frame through `neutralise_frame` first:

- text that starts with one of those characters gets a leading single quote (`'=1+1`), as
  OWASP recommends; the quote shows, which is the point: the reader sees the text as typed;
- numbers, booleans, dates and missing values are left alone, so a negative number stays a
  number in both formats;
- text that is only a signed number ("-5", "+3,5") is left alone too: a spreadsheet reads it as
  that number, which evaluates nothing, and a quote would only get in the way of the reader;
- in XLSX, neutralised text never starts with `=`, so openpyxl stores it as a string cell, and
  the control characters XML cannot hold are removed instead of failing the download.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-]\d+(?:[.,]\d+)?")
# A formula after a `;` or tab inside a text: Excel set to `;` as list separator (Vietnamese
# regional settings) splits the text there, and the piece after it would run.
_INNER_TRIGGER = re.compile(r"([;\t])(?=[=+\-@])")


def neutralise_text(value):
    """`value` with a `'` before anything a spreadsheet would evaluate (at the start, or after
    a `;` or tab inside the text); anything else (numbers, dates, None, plain text) is
    returned unchanged."""
    if not isinstance(value, str):
        return value
    value = _INNER_TRIGGER.sub(r"\1'", value)
    if not value.startswith(TRIGGERS) or _SIGNED_NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names are neutralised; numeric columns
    keep their dtype and values."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            # Built as objects directly: `map` would re-infer the type and turn whole numbers
            # beside gaps into floats (`7.0`).
            col = out[column]
            out[column] = pd.Series(
                [neutralise_text(v) for v in col], index=col.index, dtype=object
            )
    out.columns = [neutralise_text(c) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with a byte-order mark (Excel reads Vietnamese right), inert.
    Every text cell is quoted: where Excel's list separator is `;` (Vietnamese regional
    settings) it would otherwise split `a;=cmd…` into a cell that is a formula."""
    text = neutralise_frame(frame).to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC)
    return text.encode("utf-8-sig")


def xlsx_clean(value):
    """Text without the control characters an XLSX file cannot hold; anything else unchanged."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "Du lieu") -> bytes:
    """The frame as one XLSX sheet, inert: no cell of text is stored as a formula."""
    safe = neutralise_frame(frame)
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(xlsx_clean)
    safe.columns = [xlsx_clean(c) for c in safe.columns]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet_name)
    return buffer.getvalue()
