"""Reading an uploaded xlsx file within limits, and reporting what is wrong with it.

What the upload (`excel_upload`) needs of the file itself, whatever the template says:

- `Problem`, `UploadError`, `refuse` and `Found` describe and collect what is wrong
  (at most `MAX_PROBLEMS` listed, the rest counted);
- `open_workbook` checks the zip's directory before openpyxl sees the file (`check_archive`:
  size, members, unpacked size, compression ratio) and opens the workbook read-only;
- `stream_cells` streams one sheet's cells, stopping as soon as a `Limits` is passed;
- `read_input` reads one input cell and `same_input` compares two. Formulas are not accepted:
  a read-only stream gives either the formula or its cached result, not both, and a cached
  result may be stale or missing, so the user is asked for values ("nhập giá trị, không nhập
  công thức"); error values (`#DIV/0!`) are refused too.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace

import openpyxl
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from dashboard.errors import ValidationError
from dashboard.i18n import _, fmt_number

MAX_UNPACKED_BYTES = 10 * 1024 * 1024  # all members of the archive, uncompressed
MAX_RATIO = 100  # uncompressed / compressed size of one member (above RATIO_FROM bytes)
RATIO_FROM = 256 * 1024
MAX_MEMBERS = 500  # members of the archive
MAX_CELL_PARTS = 1000  # XML elements inside one cell (rich-text runs)
MAX_PROBLEMS = 200  # problems listed; the others are counted

EXCEL_ERRORS = frozenset(
    {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
        "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    }
)  # fmt: skip
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_ROW = f"{{{SHEET_MAIN_NS}}}row"


# --- problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file: where (sheet, row, column letter), the unit of
    that row when known, and why."""

    sheet: str
    row: int | None
    column: str | None
    reason: str
    unit: str | None = None

    @property
    def where(self) -> str:
        """`Số liệu!F7`, `Số liệu, dòng 7`, `Số liệu`, or `` for the whole file."""
        if self.row is not None and self.column:
            return f"{self.sheet}!{self.column}{self.row}"
        if self.row is not None:
            return f"{self.sheet}, {_('excel.row', row=self.row)}"
        return self.sheet

    @property
    def label(self) -> str:
        """`where` followed by the unit: `Số liệu!F7 (Xã Trà Đa)`."""
        return f"{self.where} ({self.unit})" if self.unit else self.where

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}" if self.label else self.reason


class UploadError(ValidationError):
    """The upload was refused and nothing was written; `problems` lists the problems found
    (at most `MAX_PROBLEMS`), `more` counts those left out."""

    def __init__(self, problems: list[Problem], more: int = 0):
        errors: dict[str, str] = {}
        for n, problem in enumerate(problems):
            key = problem.label or "file"
            errors[key if key not in errors else f"{key}#{n}"] = problem.reason
        if more:
            errors["more"] = _("xl.error.more", count=more)
        super().__init__(errors)
        self.problems = problems
        self.more = more


def refuse(reason: str, sheet: str = "") -> UploadError:
    """A refusal of the whole file (or sheet) for one reason."""
    return UploadError([Problem(sheet, None, None, reason)])


class Found:
    """The problems found so far: the first `MAX_PROBLEMS` kept, the others counted."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0
        self._seen: set[Problem] = set()

    def add(self, problem: Problem) -> None:
        if problem in self._seen:  # (the same problem found twice is listed once)
            return
        if len(self.items) < MAX_PROBLEMS:
            self._seen.add(problem)
            self.items.append(problem)
        else:
            self.more += 1

    def raise_if_any(self, sheet: str, names: dict[int, str]) -> None:
        """Raise `UploadError` with every problem, the rows of `sheet` named by their unit."""
        if self.items:
            named = [
                replace(p, unit=names.get(p.row)) if p.sheet == sheet and p.unit is None else p
                for p in self.items
            ]
            raise UploadError(named, self.more)


# --- the archive --------------------------------------------------------------------------------

# What a damaged archive, XML or cell reference raises inside openpyxl, zipfile or the parser.
_BROKEN = (
    KeyError, IndexError, TypeError, ValueError, OSError, EOFError, RuntimeError, SyntaxError,
    NotImplementedError, zipfile.BadZipFile, zlib.error,
)  # fmt: skip


def _size_mb(n: int) -> str:
    mb = n / (1024 * 1024)
    if mb >= 1:
        return fmt_number(mb, 0 if mb.is_integer() else 1)
    return fmt_number(mb, 3)


def check_archive(data: bytes, max_bytes: int) -> None:
    """Refuse, before anything is unpacked, a file above `max_bytes`, a file that is not a zip
    holding a workbook, and one whose members would unpack beyond `MAX_UNPACKED_BYTES`,
    `MAX_MEMBERS` or `MAX_RATIO` (a "zip bomb"). Each refusal names the limit."""
    if len(data) > max_bytes:
        size, limit = _size_mb(len(data)), _size_mb(max_bytes)
        raise refuse(_("excel.error.too_large", size=size, limit=limit))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except _BROKEN:
        raise refuse(_("excel.error.not_xlsx")) from None
    if not any(info.filename == "xl/workbook.xml" for info in infos):
        raise refuse(_("excel.error.not_xlsx"))
    if len(infos) > MAX_MEMBERS:
        raise refuse(_("xl.error.members", count=len(infos), limit=MAX_MEMBERS))
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        size, limit = _size_mb(unpacked), _size_mb(MAX_UNPACKED_BYTES)
        raise refuse(_("xl.error.unpacked", size=size, limit=limit))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
            shown = fmt_number(ratio)
            raise refuse(_("xl.error.ratio", member=info.filename, ratio=shown, limit=MAX_RATIO))


def open_workbook(data: bytes, max_bytes: int):
    """The workbook, read-only (formulas as text), after the archive's checks; the caller
    closes it. Raises `UploadError` when a check fails or openpyxl cannot open the file."""
    check_archive(data, max_bytes)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
    except Exception:  # openpyxl raises many kinds of errors for broken files
        raise refuse(_("excel.error.not_xlsx")) from None


# --- bounded reading of a sheet -----------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """How much one sheet may hold: rows present, cells present in one row, cells present."""

    rows: int
    row_cells: int
    cells: int


def stream_cells(ws, sheet: str, limits: Limits) -> Iterator[dict]:
    """Each cell record of a read-only sheet as openpyxl parses it (`row`, `column`, `value`,
    `data_type`; formulas as text, data type "f"), in file order. Raises `UploadError` naming
    the limit as soon as the sheet holds more than `limits` allows, or `excel.error.not_xlsx`
    when it cannot be parsed; memory is bounded by the limits, whatever the file holds."""
    wb = ws.parent
    parser = WorkSheetParser(
        None,
        ws._shared_strings,
        data_only=False,
        epoch=wb.epoch,
        date_formats=wb._date_formats,
        timedelta_formats=wb._timedelta_formats,
    )
    try:
        with ws._get_source() as source:
            yield from _walk(source, parser, sheet, limits)
    except _BROKEN:
        raise refuse(_("excel.error.not_xlsx")) from None


def _over(key: str, sheet: str, limit: int, **params) -> UploadError:
    return refuse(_(key, sheet=sheet, limit=fmt_number(limit), **params), sheet)


def _walk(source, parser, sheet: str, limits: Limits) -> Iterator[dict]:
    """The streaming loop: counts rows and cells as their start tags arrive, parses each cell
    at its end tag, and drops every finished element (only open elements are kept)."""
    rows = cells = in_row = parts = 0
    open_elements: list = []
    in_cell = False
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            if in_cell:
                parts += 1
                if parts > MAX_CELL_PARTS:
                    raise _over("xl.error.cell_parts", sheet, MAX_CELL_PARTS)
            elif element.tag == _CELL:
                in_cell, parts, cells, in_row = True, 0, cells + 1, in_row + 1
                if in_row > limits.row_cells:
                    raise _over("xl.error.columns", sheet, limits.row_cells, row=parser.row_counter)
                if cells > limits.cells:
                    raise _over("xl.error.cells", sheet, limits.cells)
            elif element.tag == _ROW:
                rows, in_row = rows + 1, 0
                if rows > limits.rows:
                    raise _over("xl.error.rows", sheet, limits.rows)
                number = element.get("r")
                parser.row_counter = int(number) if number else parser.row_counter + 1
                parser.col_counter = 0
            continue
        open_elements.pop()
        if element.tag == _CELL:
            in_cell = False
            yield parser.parse_cell(element)
        if not in_cell and open_elements:
            del open_elements[-1][:]


# --- input cells --------------------------------------------------------------------------------


def blank(value) -> bool:
    """Whether a cell value is empty (None, or text of white space only)."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_input(grid, row: int, letter: str):
    """(value, problem reason) of the cell at `row`, `letter` of `grid` ({(row, column):
    (value, data type)}): the value (None when empty; text NFC-normalised and stripped), or
    why it cannot be used (a formula, an error value)."""
    value, data_type = grid.get((row, column_index_from_string(letter)), (None, None))
    if data_type == "f":
        text = str(getattr(value, "text", value) or "")
        shown = text if len(text) <= 40 else text[:39] + "…"
        return None, _("xl.error.formula", formula=shown)
    if data_type == "e" or (isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS):
        return None, _("excel.error.formula_error", error=str(value).strip())
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip() or None
    return value, None


def same_input(a, b) -> bool:
    """Whether two cell values are the same input (numbers by value, text after NFC/strip)."""
    if isinstance(a, int | float) and isinstance(b, int | float):
        return not isinstance(a, bool) and not isinstance(b, bool) and float(a) == float(b)
    if isinstance(a, str) and isinstance(b, str):
        return unicodedata.normalize("NFC", a).strip() == unicodedata.normalize("NFC", b).strip()
    return a is None and b is None
