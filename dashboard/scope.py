"""Scope rules, each written once, with a SQL twin beside its Python twin.

- "unit within a district": the district itself and the units below it (`in_district`,
  `within_district`);
- "indicator applies to a unit": the indicator's level (or its extra level) and unit kinds
  (`indicator_applies`, `applies_clause`);
- "the district with this GSO code" on a date (`find_district`), and the district a unit belongs
  to (`district_of`);
- "a unit's lifetime" (`lifetime`).

Every check and query that needs one of these rules calls the helper here: policy, services,
exports, imports and pages agree because there is one copy. This module imports only models,
so `auth` and `services` may both use it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.models import Indicator, Level, OrgUnit, UnitChange

DISTRICT_LEVEL = "district"


# --- unit within a district -------------------------------------------------------------------


def in_district(unit: OrgUnit | None, district: OrgUnit | int | None) -> bool:
    """True when `unit` is `district` or lies below it in the hierarchy."""
    district_id = district if isinstance(district, int) or district is None else district.id
    node = unit
    while node is not None and district_id is not None:
        if node.id == district_id:
            return True
        node = node.parent
    return False


def within_district(district_id: int, unit=OrgUnit) -> sa.ColumnElement[bool]:
    """SQL twin of `in_district` for `unit` (the `OrgUnit` entity or an alias): the district
    and the units whose parent it is (the hierarchy below a district has one level)."""
    return sa.or_(unit.id == district_id, unit.parent_id == district_id)


def units_in_district(session: so.Session, district: OrgUnit, on: dt.date) -> list[OrgUnit]:
    """The district, then the units below it valid on `on`, ordered by GSO code."""
    below = session.scalars(
        sa.select(OrgUnit)
        .where(OrgUnit.parent_id == district.id, OrgUnit.valid_on(on))
        .order_by(OrgUnit.gso_code, OrgUnit.valid_from)
    )
    return [district, *below]


def district_of(unit: OrgUnit | None) -> OrgUnit | None:
    """The district-level unit a unit belongs to (itself for a district; none above)."""
    node = unit
    while node is not None and node.level.code != DISTRICT_LEVEL:
        node = node.parent
    return node


def district_owner(district_level_id: int | None):
    """SQL: the id of the district a unit row belongs to (its own id for a district)."""
    return sa.case((OrgUnit.level_id == district_level_id, OrgUnit.id), else_=OrgUnit.parent_id)


def is_district(unit=OrgUnit) -> sa.ColumnElement[bool]:
    """SQL: the unit is at the district level (a subquery on levels, no join needed)."""
    return unit.level_id.in_(sa.select(Level.id).where(Level.code == DISTRICT_LEVEL))


def list_districts(session: so.Session, on: dt.date | None = None) -> list[OrgUnit]:
    """District-level units valid on `on` (default: any time), ordered by GSO code."""
    stmt = sa.select(OrgUnit).where(is_district())
    if on is not None:
        stmt = stmt.where(OrgUnit.valid_on(on))
    return list(session.scalars(stmt.order_by(OrgUnit.gso_code, OrgUnit.valid_from)))


def district_name(district_level_id: int | None, parent):
    """SQL: the name of the district a unit belongs to (its own for a district), given an alias
    `parent` of `OrgUnit` outer-joined on `OrgUnit.parent_id`."""
    return sa.case((OrgUnit.level_id == district_level_id, OrgUnit.name), else_=parent.name)


def find_district(session: so.Session, code, on: dt.date | None = None) -> OrgUnit | None:
    """The district-level unit with GSO code `code`, as it was on `on` (default: the latest
    one with that code), or None."""
    code = str(code or "").strip()
    if not code:
        return None
    stmt = sa.select(OrgUnit).where(is_district(), OrgUnit.gso_code == code)
    if on is not None:
        stmt = stmt.where(OrgUnit.valid_on(on))
    return session.scalar(stmt.order_by(OrgUnit.valid_from.desc()).limit(1))


def district_code_known(session: so.Session, code) -> bool:
    """Whether any district ever had GSO code `code` (to tell "not valid then" from "unknown")."""
    return find_district(session, code) is not None


# --- indicator applies to a unit --------------------------------------------------------------


def indicator_applies(ind: Indicator, unit: OrgUnit) -> bool:
    """True when `ind` is counted over `unit`: the unit is at the indicator's level and of one of
    its kinds (if it names any), or at its extra level."""
    if unit.level_id == ind.level_id and (not ind.kinds or unit.kind in ind.kinds):
        return True
    return ind.extra_level_id is not None and unit.level_id == ind.extra_level_id


def applies_clause(ind: Indicator, unit=OrgUnit) -> sa.ColumnElement[bool]:
    """SQL twin of `indicator_applies` for one indicator."""
    main = unit.level_id == ind.level_id
    if ind.kinds:
        main = sa.and_(main, unit.kind.in_(ind.kinds))
    if ind.extra_level_id:
        return sa.or_(main, unit.level_id == ind.extra_level_id)
    return main


def applies_join(unit=OrgUnit, indicator=Indicator) -> sa.ColumnElement[bool]:
    """SQL twin of `indicator_applies` across indicators (for joins of units × indicators)."""
    listed = sa.literal(",") + indicator.unit_kinds + sa.literal(",")
    kinds_ok = sa.or_(
        indicator.unit_kinds == "", listed.contains(sa.literal(",") + unit.kind + sa.literal(","))
    )
    return sa.or_(
        sa.and_(indicator.level_id == unit.level_id, kinds_ok),
        indicator.extra_level_id == unit.level_id,
    )


def indicator_in_force(start: dt.date, end: dt.date, indicator=Indicator):
    """SQL: the indicator is in force on at least one day of [start, end]."""
    return sa.and_(
        indicator.valid_from <= end,
        sa.or_(indicator.valid_to.is_(None), indicator.valid_to >= start),
    )


# --- a unit's lifetime ------------------------------------------------------------------------


def lifetime(session: so.Session, unit: OrgUnit) -> tuple[dt.date | None, dt.date | None]:
    """When the unit existed: (first day, last day), None where open. A unit's `valid_from`
    is a first day only when a recorded merge or split created it on that day; otherwise it is
    where the unit list starts, and the unit existed before it."""
    created = session.scalar(
        sa.select(sa.func.count(UnitChange.id)).where(
            UnitChange.successor_id == unit.id, UnitChange.date == unit.valid_from
        )
    )
    return (unit.valid_from if created else None), unit.valid_to
