"""Excel round trip for a district's period values: download a template, fill it in, upload it.

- `excel_template.build_template` writes the template (one row per unit, one input column per
  value-indicator field, prefilled, protected, with the very hidden `_mau` sheet);
- `excel_upload.parse_upload` reads an uploaded copy back into `values.Cell`s, reporting every
  problem; `excel_upload.import_upload` writes the changed cells, all or nothing;
- this module holds what both sides of the file share: `Problem`, `UploadError` and the bounded
  reading of an xlsx file (`check_archive`, `stream_cells` and their limits), and it re-exports
  the public names of the other two, so `from dashboard.services import excel` is all callers
  need. (`excel_upload` imports this module, so its names are resolved on first use.)
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from dashboard.errors import ValidationError
from dashboard.i18n import _, fmt_number
from dashboard.services.excel_template import (  # noqa: F401  (re-exported)
    CODE_ROW,
    DATA_SHEET,
    FIELDS,
    FIRST_DATA_ROW,
    FIRST_INPUT_COLUMN,
    HEADER_ROW,
    HELP_SHEET,
    META_SHEET,
    TEMPLATE_VERSION,
    TITLE_ROW,
    build_template,
)

MAX_UNPACKED_BYTES = 10 * 1024 * 1024  # all members of the archive, uncompressed
MAX_RATIO = 100  # uncompressed / compressed size of one member (above RATIO_FROM bytes)
RATIO_FROM = 256 * 1024
MAX_MEMBERS = 500  # members of the archive
MAX_CELL_PARTS = 1000  # XML elements inside one cell (rich-text runs)

EXCEL_ERRORS = frozenset(
    {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
        "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    }
)  # fmt: skip
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_ROW = f"{{{SHEET_MAIN_NS}}}row"


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


# --- bounded reading ----------------------------------------------------------------------------

# What a damaged archive, XML or cell reference raises inside openpyxl, zipfile or the parser.
_BROKEN = (
    KeyError, IndexError, TypeError, ValueError, OSError, EOFError, RuntimeError, SyntaxError,
    NotImplementedError, zipfile.BadZipFile, zlib.error,
)  # fmt: skip


@dataclass(frozen=True)
class Limits:
    """How much one sheet may hold: rows present, cells present in one row, cells present."""

    rows: int
    row_cells: int
    cells: int


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


_UPLOAD_NAMES = frozenset(
    {
        "MAX_CELLS",
        "MAX_COLUMNS",
        "MAX_EXTRA_ROWS",
        "MAX_META_ROWS",
        "MAX_PROBLEMS",
        "Upload",
        "import_upload",
        "parse_upload",
    }
)


def __getattr__(name: str):
    """The names defined in `excel_upload` (which imports this module), resolved on first use."""
    if name in _UPLOAD_NAMES:
        from dashboard.services import excel_upload

        return getattr(excel_upload, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
