"""AG Grid helpers: a read-only records grid and DataFrame → grid columns and rows."""

from __future__ import annotations

import dash_ag_grid as dag

from dashboard.i18n import _


def records_grid(grid_id: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=grid_id,
        rowData=[],
        columnDefs=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": 110},
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": 20,
            "localeText": {"noRowsToShow": _("common.none")},
        },
        columnSize="responsiveSizeToFit",
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
