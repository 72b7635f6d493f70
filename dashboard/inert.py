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
import math
import re

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


TitleRows = list[tuple[str, str]]


def _title_lines(title: TitleRows | None) -> list[list[str]]:
    """Title rows (label, value), neutralised, then one blank row; nothing without a title."""
    if not title:
        return []
    return [[neutralise_text(str(k)), neutralise_text(str(v))] for k, v in title] + [[]]


def csv_bytes(frame: pd.DataFrame, title: TitleRows | None = None) -> bytes:
    """The frame as UTF-8 CSV with a byte-order mark (Excel reads Vietnamese right), inert.
    Every text cell is quoted: where Excel's list separator is `;` (Vietnamese regional
    settings) it would otherwise split `a;=cmd…` into a cell that is a formula. With `title`,
    the file starts with those (label, value) rows and a blank row, then the table's header."""
    head = io.StringIO()
    writer = csv.writer(head, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    for line in _title_lines(title):
        writer.writerow(line)
    text = neutralise_frame(frame).to_csv(
        index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n"
    )
    return (head.getvalue() + text).encode("utf-8-sig")


def xlsx_clean(value):
    """Text without the control characters an XLSX file cannot hold; anything else unchanged."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _cell_value(value):
    """A frame's cell as openpyxl stores it: text cleaned, numpy numbers as Python numbers,
    gaps (None, NaN, pd.NA) empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return xlsx_clean(value)


MIN_WIDTH, MAX_WIDTH = 8, 60


def xlsx_bytes(
    frame: pd.DataFrame,
    sheet_name: str = "Du lieu",
    title: TitleRows | None = None,
    formats: dict[str, str] | None = None,
) -> bytes:
    """The frame as one XLSX sheet, inert: no cell of text is stored as a formula. Numbers stay
    numbers; `formats` gives a column's display format (`#,##0`, `0.0%`: Excel shows them with
    the reader's own separators). With `title`, (label, value) rows and a blank row come first.
    The header is bold and stays in view (frozen), columns are as wide as their content."""
    safe = neutralise_frame(frame)
    formats = {neutralise_text(k): v for k, v in (formats or {}).items()}
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    bold = Font(bold=True)
    widths = [len(str(c)) for c in safe.columns]
    lines = _title_lines(title)
    for number, line in enumerate(lines, start=1):
        sheet.append([xlsx_clean(v) for v in line])
        if line:
            sheet.cell(row=number, column=1).font = bold
    header_row = len(lines) + 1
    sheet.append([xlsx_clean(c) for c in safe.columns])
    for cell in sheet[header_row]:
        cell.font = bold
    column_formats = [formats.get(c) for c in safe.columns]
    for values in safe.itertuples(index=False):
        row = [_cell_value(v) for v in values]
        sheet.append(row)
        for i, value in enumerate(row):
            if value is not None:
                widths[i] = max(widths[i], len(str(value)))
    for i, number_format in enumerate(column_formats, start=1):
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=i, max_col=i):
                cell.number_format = number_format
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(
            MIN_WIDTH, min(MAX_WIDTH, width + 2)
        )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
