"""AG Grid helpers: a read-only records grid and DataFrame → grid columns and rows, numbers
kept as numbers and shown in the page's language."""

from __future__ import annotations

import math

import dash_ag_grid as dag
import numpy as np

from dashboard.i18n import _, number_digits


def grid_locale() -> dict:
    """AG Grid's own labels (pagination, filters) in Vietnamese."""
    return {
        "noRowsToShow": _("common.none"),
        "page": _("grid.page"),
        "of": _("grid.of"),
        "to": "–",
        "more": _("grid.more"),
        "pageSizeSelectorLabel": _("grid.page_size"),
        "firstPage": _("grid.first_page"),
        "previousPage": _("grid.previous_page"),
        "nextPage": _("grid.next_page"),
        "lastPage": _("grid.last_page"),
        "filterOoo": _("grid.filter"),
        "contains": _("grid.contains"),
        "notContains": _("grid.not_contains"),
        "equals": _("grid.equals"),
        "notEqual": _("grid.not_equal"),
        "startsWith": _("grid.starts_with"),
        "endsWith": _("grid.ends_with"),
        "blank": _("grid.blank"),
        "notBlank": _("grid.not_blank"),
        "andCondition": _("grid.and"),
        "orCondition": _("grid.or"),
    }


def records_grid(grid_id: str, *, fit: bool = True) -> dag.AgGrid:
    """A read-only, sortable, filterable grid; `fit=False` for grids in tabs that start hidden
    (fitting columns to a hidden grid's zero width only warns)."""
    return dag.AgGrid(
        id=grid_id,
        rowData=[],
        columnDefs=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": 110},
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": 20,
            "localeText": grid_locale(),
        },
        columnSize="responsiveSizeToFit" if fit else None,
        style={"height": "460px"},
    )


# Numeric columns that are identifiers or years: sorted and filtered as numbers, shown as they
# are (`2025`, not `2.025`).
PLAIN_NUMBER_COLUMNS = ("id", "unit_id", "version")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _plain(value):
    """A cell for JSON: numpy scalars as Python numbers, NaN as None."""
    if isinstance(value, np.generic):
        value = value.item()
    return None if _missing(value) else value


def number_column(digits: int, *, percent: bool = False) -> dict:
    """Column options of a numeric column: right-aligned, number filter, numeric sort, shown
    in the page's language by `assets/dashAgGridFunctions.js` (`15.085`, `52,2%`)."""
    formatter = "viPercent" if percent else "viNumber"
    return {
        "type": "rightAligned",
        "filter": "agNumberColumnFilter",
        "cellDataType": "number",
        "valueFormatter": {"function": f"{formatter}(params.value, {digits})"},
    }


def grid_data(
    frame,
    hidden: frozenset[str] = frozenset(),
    *,
    percent: frozenset[str] = frozenset(),
    plain: frozenset[str] = frozenset(),
) -> tuple[list[dict], list[dict]]:
    """Column definitions and rows for AG Grid. Column labels are Vietnamese text, so the grid's
    field keys are positional (`c0`, `c1`, …) and the labels go to `headerName`.

    Columns of numbers stay numbers in the rows (they sort and filter as numbers) and are shown
    with the language's separators; `percent` names columns holding percents (0-100), `plain`
    numeric columns shown as they are (years, ids; `PLAIN_NUMBER_COLUMNS` and the year column
    always are)."""
    keys = [f"c{i}" for i in range(len(frame.columns))]
    plain = frozenset(plain) | {*PLAIN_NUMBER_COLUMNS, _("common.year"), _("filter.period")}
    columns = []
    for key, label in zip(keys, frame.columns, strict=True):
        column = {"field": key, "headerName": str(label), "hide": label in hidden}
        digits = number_digits(frame[label].tolist())
        if digits is not None:
            if label in plain:
                column.update(type="rightAligned", filter="agNumberColumnFilter")
            else:
                column.update(
                    number_column(1 if label in percent else digits, percent=label in percent)
                )
        columns.append(column)
    rows = [
        {key: _plain(value) for key, value in zip(keys, values, strict=True)}
        for values in frame.itertuples(index=False)
    ]
    return columns, rows
