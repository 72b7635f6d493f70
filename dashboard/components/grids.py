"""AG Grid helpers: a read-only records grid and DataFrame → grid columns and rows."""

from __future__ import annotations

import dash_ag_grid as dag

from dashboard.i18n import _


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


def grid_data(frame, hidden: frozenset[str] = frozenset()) -> tuple[list[dict], list[dict]]:
    """Column definitions and rows for AG Grid. Column labels are Vietnamese text, so the grid's
    field keys are positional (`c0`, `c1`, …) and the labels go to `headerName`."""
    keys = [f"c{i}" for i in range(len(frame.columns))]
    columns = [
        {"field": key, "headerName": str(label), "hide": label in hidden}
        for key, label in zip(keys, frame.columns, strict=True)
    ]
    rows = [dict(zip(keys, values, strict=True)) for values in frame.itertuples(index=False)]
    return columns, rows
