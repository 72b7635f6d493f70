"""Lineage of units: who came before and after a unit, and whose records count for whom.

The merges, splits and renames are stored as `UnitChange` rows. From them `rebuild()` derives the
`UnitHeir` table the figures join through: a registry row or a value of a unit that no longer
exists counts, from the change date, for the unit that took over its records (the change's
`heir`). One rule, in one place: the figures join `UnitHeir` and `heir_of` reads the same
derived rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.models import OrgUnit, UnitChange, UnitHeir

ONE_DAY = dt.timedelta(days=1)


def rebuild(session: so.Session) -> int:
    """Derive `unit_heir` from the units and their changes (idempotent); returns its rows.

    For every unit: itself for its lifetime, then, following the heir links forward, each
    successor from the change date to the successor's own end. A unit whose territory passed to
    several successors (a split) passes its records to the one marked heir only."""
    units = {u.id: u for u in session.scalars(sa.select(OrgUnit))}
    heirs: dict[int, list[UnitChange]] = {}
    for change in session.scalars(
        sa.select(UnitChange).where(UnitChange.heir.is_(True)).order_by(UnitChange.date)
    ):
        heirs.setdefault(change.predecessor_id, []).append(change)
    rows: list[dict] = []
    for unit in units.values():
        rows.append(
            {
                "unit_id": unit.id,
                "heir_id": unit.id,
                "valid_from": unit.valid_from,
                "valid_to": unit.valid_to,
            }
        )
        seen = {unit.id}
        node = unit
        while True:
            links = [c for c in heirs.get(node.id, []) if c.successor_id not in seen]
            if not links:
                break
            change = links[0]
            successor = units[change.successor_id]
            seen.add(successor.id)
            rows.append(
                {
                    "unit_id": unit.id,
                    "heir_id": successor.id,
                    "valid_from": max(change.date, successor.valid_from),
                    "valid_to": successor.valid_to,
                }
            )
            node = successor

    def key(row) -> tuple:
        return (row["unit_id"], row["heir_id"], row["valid_from"], row["valid_to"])

    have = session.execute(
        sa.select(UnitHeir.unit_id, UnitHeir.heir_id, UnitHeir.valid_from, UnitHeir.valid_to)
    ).all()
    if len(have) == len(rows) and set(map(tuple, have)) == set(map(key, rows)):
        return len(rows)  # unchanged: no write (every write rebuilds the figure cells)
    session.execute(sa.delete(UnitHeir))
    if rows:
        session.execute(sa.insert(UnitHeir), rows)
    session.flush()
    return len(rows)


def heir_of(session: so.Session, unit: OrgUnit, day: dt.date) -> OrgUnit | None:
    """The unit `unit`'s records count for on `day` (itself while it exists), or None."""
    return session.scalar(
        sa.select(OrgUnit)
        .join(UnitHeir, UnitHeir.heir_id == OrgUnit.id)
        .where(UnitHeir.unit_id == unit.id, UnitHeir.valid_on(day))
    )


@dataclass(frozen=True)
class Link:
    """One change seen from a unit: the other unit, the date, the kind, the legal basis, and
    whether records passed along this link."""

    unit: OrgUnit
    date: dt.date
    kind: str
    legal_basis: str
    heir: bool


def predecessors(session: so.Session, unit: OrgUnit) -> list[Link]:
    """The units that gave territory to `unit` (directly), oldest change first."""
    rows = session.scalars(
        sa.select(UnitChange)
        .where(UnitChange.successor_id == unit.id)
        .order_by(UnitChange.date, UnitChange.id)
    )
    return [Link(c.predecessor, c.date, c.kind, c.legal_basis or "", bool(c.heir)) for c in rows]


def successors(session: so.Session, unit: OrgUnit) -> list[Link]:
    """The units `unit`'s territory went to (directly), oldest change first."""
    rows = session.scalars(
        sa.select(UnitChange)
        .where(UnitChange.predecessor_id == unit.id)
        .order_by(UnitChange.date, UnitChange.id)
    )
    return [Link(c.successor, c.date, c.kind, c.legal_basis or "", bool(c.heir)) for c in rows]


def has_history_before(session: so.Session, unit: OrgUnit) -> bool:
    """Whether the app holds anything of `unit`'s territory before it began: a predecessor,
    or a start before the unit list's own."""
    if predecessors(session, unit):
        return True
    first = session.scalar(sa.select(sa.func.min(OrgUnit.valid_from)))
    return first is not None and unit.valid_from <= first
