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

from dashboard.models import Indicator, Level, OrgUnit, Programme, UnitChange

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


def district_owner(district_level_id, unit=OrgUnit):
    """SQL: the id of the reporting unit a unit row belongs to, given the reporting level
    (an id, or a column such as `Programme.reporting_level_id`): its own id at that level,
    else its parent's (the reporting level is the unit's or its parent's; None above it)."""
    return sa.case((unit.level_id == district_level_id, unit.id), else_=unit.parent_id)


def reporting_unit(unit: OrgUnit | None, level_id: int | None) -> OrgUnit | None:
    """Python twin of `district_owner`: the unit itself or its ancestor at the reporting level
    `level_id` (None above that level or without one)."""
    node = unit
    while node is not None and level_id is not None:
        if node.level_id == level_id:
            return node
        node = node.parent
    return None


def is_district(unit=OrgUnit) -> sa.ColumnElement[bool]:
    """SQL: the unit is at the district level (a subquery on levels, no join needed)."""
    return unit.level_id.in_(sa.select(Level.id).where(Level.code == DISTRICT_LEVEL))


def list_districts(session: so.Session, on: dt.date | None = None) -> list[OrgUnit]:
    """District-level units valid on `on` (default: any time), ordered by GSO code."""
    stmt = sa.select(OrgUnit).where(is_district())
    if on is not None:
        stmt = stmt.where(OrgUnit.valid_on(on))
    return list(session.scalars(stmt.order_by(OrgUnit.gso_code, OrgUnit.valid_from)))


def list_units_at(session: so.Session, level_id: int, on: dt.date) -> list[OrgUnit]:
    """The units of level `level_id` valid on `on`, ordered by GSO code."""
    stmt = sa.select(OrgUnit).where(OrgUnit.level_id == level_id, OrgUnit.valid_on(on))
    return list(session.scalars(stmt.order_by(OrgUnit.gso_code, OrgUnit.valid_from)))


def district_name(district_level_id: int | None, parent):
    """SQL: the name of the unit of level `district_level_id` a unit belongs to (its own at that
    level, else its parent's when the parent is at that level; none above it: a commune of the
    two-tier structure has no district), given an alias `parent` of `OrgUnit` outer-joined on
    `OrgUnit.parent_id`."""
    return sa.case(
        (OrgUnit.level_id == district_level_id, OrgUnit.name),
        (parent.level_id == district_level_id, parent.name),
        else_=None,
    )


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


def find_unit_at(session: so.Session, level_id: int, code, on: dt.date) -> OrgUnit | None:
    """The unit of level `level_id` with GSO code `code` valid on `on`, or None."""
    code = str(code or "").strip()
    if not code:
        return None
    return session.scalar(
        sa.select(OrgUnit).where(
            OrgUnit.level_id == level_id, OrgUnit.gso_code == code, OrgUnit.valid_on(on)
        )
    )


def reporting_level_id(period) -> int | None:
    """The level whose units report in `period`: its programme's reporting level (None for a
    period outside any programme)."""
    programme = period.programme
    return programme.reporting_level_id if programme is not None else None


def find_reporting_unit(session: so.Session, period, code) -> OrgUnit | None:
    """The unit with GSO code `code` that reports in `period` (a district before the two-tier
    reform, a commune after it), valid on the period's count date, or None."""
    level = reporting_level_id(period)
    return find_unit_at(session, level, code, period.count_date) if level is not None else None


def scope_levels() -> sa.Select:
    """SQL: the levels an editor account can be limited to, those that report in some
    programme (districts for 2021-2025, communes after the reform)."""
    return sa.select(Programme.reporting_level_id)


def find_scope_unit(session: so.Session, code, on: dt.date | None = None) -> OrgUnit | None:
    """The unit an editor account can be limited to, by GSO code: a unit of a level that
    reports in some programme (a district of 2021-2025, a commune of the two-tier structure),
    its latest version with that code (with `on`: the version in force that day). None when no
    such unit has the code."""
    code = str(code or "").strip()
    if not code:
        return None
    stmt = sa.select(OrgUnit).where(OrgUnit.gso_code == code, OrgUnit.level_id.in_(scope_levels()))
    if on is not None:
        stmt = stmt.where(OrgUnit.valid_on(on))
    return session.scalar(stmt.order_by(OrgUnit.valid_from.desc()).limit(1))


def province_on(session: so.Session, day: dt.date) -> OrgUnit | None:
    """The province (the unit without parent) in force on `day`."""
    return session.scalar(
        sa.select(OrgUnit)
        .where(OrgUnit.parent_id.is_(None), OrgUnit.valid_on(day))
        .order_by(OrgUnit.valid_from)
        .limit(1)
    )


def list_scope_units(session: so.Session) -> list[OrgUnit]:
    """The units an editor account can be limited to (`find_scope_unit`): the latest version
    of each code at a level that reports in some programme, current units first (by level and
    GSO code), then the units that have ended."""
    return latest_units(session, scope_levels())


def latest_units(session: so.Session, levels) -> list[OrgUnit]:
    """The latest version of each GSO code among the units of `levels` (ids or a select of
    them): current units first (by level and code), then those that have ended."""
    units = session.scalars(
        sa.select(OrgUnit)
        .join(Level, Level.id == OrgUnit.level_id)
        .where(OrgUnit.level_id.in_(levels))
        .order_by(Level.rank, OrgUnit.gso_code, OrgUnit.valid_from.desc())
    ).all()
    latest: dict[str, OrgUnit] = {}
    for unit in units:
        latest.setdefault(unit.gso_code, unit)
    return sorted(latest.values(), key=lambda u: (u.valid_to is not None, u.level.rank, u.gso_code))


def unit_code_known(session: so.Session, code) -> bool:
    """Whether a unit of a reporting level (a district of 2021-2025, a commune after the reform)
    ever had GSO code `code` (to tell "does not report then" from "unknown")."""
    return find_scope_unit(session, code) is not None


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


def in_force(ind: Indicator, start: dt.date, end: dt.date) -> bool:
    """Python twin of `indicator_in_force`: `ind` is in force on at least one day of
    [start, end]."""
    return ind.valid_from <= end and (ind.valid_to is None or ind.valid_to >= start)


def in_force_clause(ind: Indicator, start, end) -> sa.ColumnElement[bool]:
    """SQL twin of `in_force` for one indicator over a period given as columns or dates."""
    if ind.valid_to is None:
        return sa.literal(ind.valid_from) <= end
    return sa.and_(sa.literal(ind.valid_from) <= end, sa.literal(ind.valid_to) >= start)


def indicator_in_force(start: dt.date, end: dt.date, indicator=Indicator):
    """SQL: the indicator is in force on at least one day of [start, end]."""
    return sa.and_(
        indicator.valid_from <= end,
        sa.or_(indicator.valid_to.is_(None), indicator.valid_to >= start),
    )


# --- a unit's lifetime ------------------------------------------------------------------------


def lifetime(session: so.Session, unit: OrgUnit) -> tuple[dt.date | None, dt.date | None]:
    """When the unit existed: (first day, last day), None where open. A unit's `valid_from`
    is its first day when a recorded change created it on that day or when it is later than
    where the unit list starts (a unit of the two-tier structure, with or without recorded
    predecessors); a unit valid from the list's start existed before it."""
    created = session.scalar(
        sa.select(sa.func.count(UnitChange.id)).where(
            UnitChange.successor_id == unit.id, UnitChange.date == unit.valid_from
        )
    )
    list_start = session.scalar(sa.select(sa.func.min(OrgUnit.valid_from)))
    first = unit.valid_from if created or unit.valid_from != list_start else None
    return first, unit.valid_to
