"""Excel round trip for a district's period values: download a template, fill it in, upload it.

- `excel_template.build_template` writes the template (one row per unit, one input column per
  value-indicator field, prefilled, protected, with the very hidden `_mau` sheet);
- `excel_read` holds what reading any uploaded file needs: `Problem`, `UploadError` and the
  bounded reading of an xlsx file (`check_archive`, `stream_cells` and their limits);
- `excel_upload.parse_upload` reads an uploaded copy back into `values.Cell`s, reporting every
  problem; `excel_upload.import_upload` writes the changed cells, all or nothing.

This module only re-exports their public names, so `from dashboard.services import excel` is
all callers need.
"""

from __future__ import annotations

from dashboard.services.excel_read import (
    EXCEL_ERRORS,
    MAX_CELL_PARTS,
    MAX_MEMBERS,
    MAX_PROBLEMS,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    RATIO_FROM,
    Limits,
    Problem,
    UploadError,
    check_archive,
    refuse,
    stream_cells,
)
from dashboard.services.excel_template import (
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
from dashboard.services.excel_upload import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_EXTRA_ROWS,
    MAX_META_ROWS,
    Upload,
    import_upload,
    parse_upload,
)

__all__ = [
    "CODE_ROW",
    "DATA_SHEET",
    "EXCEL_ERRORS",
    "FIELDS",
    "FIRST_DATA_ROW",
    "FIRST_INPUT_COLUMN",
    "HEADER_ROW",
    "HELP_SHEET",
    "MAX_CELLS",
    "MAX_CELL_PARTS",
    "MAX_COLUMNS",
    "MAX_EXTRA_ROWS",
    "MAX_MEMBERS",
    "MAX_META_ROWS",
    "MAX_PROBLEMS",
    "MAX_RATIO",
    "MAX_UNPACKED_BYTES",
    "META_SHEET",
    "RATIO_FROM",
    "TEMPLATE_VERSION",
    "TITLE_ROW",
    "Limits",
    "Problem",
    "Upload",
    "UploadError",
    "build_template",
    "check_archive",
    "import_upload",
    "parse_upload",
    "refuse",
    "stream_cells",
]
