"""Reading what the browser sends back as state (counters, grid rows, selected rows): a shape
no page sends is a `MalformedRequest` (400), checked before anything is written."""

from __future__ import annotations

from dashboard.errors import MalformedRequest
from dashboard.i18n import _


def bump(counter) -> int:
    """The next value of a refresh counter kept in a `dcc.Store` (1 when it holds no number)."""
    if isinstance(counter, int) and not isinstance(counter, bool) and 0 <= counter < 2**31:
        return counter + 1
    return 1


def records(value, *keys: str) -> list[dict]:
    """A list of objects (grid rows, selected rows), each with `keys`, or `MalformedRequest`."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(item, dict) and all(k in item for k in keys) for item in value
    ):
        raise MalformedRequest(_("faults.bad_callback", part="state"))
    return value


def grid_rows(value) -> list[dict]:
    """The data-entry grid's rows as the page sends them back: objects with a unit id and the
    bookkeeping the grid keeps (`_orig`, `_ver`: objects; `_app`: a list)."""
    rows = records(value, "unit_id")
    for row in rows:
        kinds = {"_orig": dict, "_ver": dict, "_app": list, "_err": dict}
        if any(key in row and not isinstance(row[key], kind) for key, kind in kinds.items()):
            raise MalformedRequest(_("faults.bad_callback", part="rowData"))
    return rows


def pattern_id(value, *keys: str) -> dict:
    """A pattern-matching component id (`{"type": …, "name": …}`) with `keys`."""
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in keys):
        raise MalformedRequest(_("faults.bad_callback", part="id"))
    return value
