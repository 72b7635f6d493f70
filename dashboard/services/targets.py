"""Which target a figure is compared with: the one rule every page, chart, export and the API
use (`target_for`).

A target belongs to a scope and a year: one unit (the province, a district, a commune) or one
commune group (every commune of that group in the year, `UnitGroup`), with optional yearly
milestones. A figure over a unit is compared with that unit's own target, or for a commune
with its group's; never with a target of another scope — a district without a target of its
own has no status, not the province's. The province-wide figure is compared with the target
of the province (a unit without parent). Of a scope's targets, a figure of year Y takes the
first whose year is Y or later: a 2025 target for 2021-2025, a 2030 one for 2026-2030.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.models import Indicator, OrgUnit, Target, UnitGroup


def group_of(session: so.Session, unit: OrgUnit, day: dt.date) -> str | None:
    """The commune group (nhóm 1/2/3…) of `unit` on `day`, or None when it has none."""
    return session.scalar(
        sa.select(UnitGroup.group_code)
        .where(UnitGroup.unit_id == unit.id, UnitGroup.valid_on(day))
        .order_by(UnitGroup.valid_from.desc())
        .limit(1)
    )


def _covers(session: so.Session, target: Target, unit: OrgUnit | None, year: int | None) -> bool:
    if unit is None:  # the province-wide figure: the province's own target
        return target.scope_unit is not None and target.scope_unit.parent_id is None
    if target.scope_unit_id is not None:
        return target.scope_unit_id == unit.id
    if target.commune_group is None or target.level_id != unit.level_id:
        return False
    day = dt.date(year if year is not None else target.target_year, 12, 31)
    if not unit.is_valid_on(day):
        day = unit.valid_to or day
    return group_of(session, unit, day) == target.commune_group


def target_for(ind: Indicator, unit: OrgUnit | None = None, year: int | None = None):
    """The target a figure of `ind` over `unit` (None: the province) in `year` is compared
    with: of the targets of its scope, the first of year `year` or later (without `year`, the
    last one); None when the scope has no target."""
    session = so.object_session(ind)
    found = [t for t in ind.targets if _covers(session, t, unit, year)]
    if year is not None:
        found = [t for t in found if t.target_year >= year]
        found.sort(key=lambda t: t.target_year)
        return found[0] if found else None
    found.sort(key=lambda t: t.target_year)
    return found[-1] if found else None


def common_value(frame: pd.DataFrame) -> float | None:
    """The target value every row of a by-unit frame shares (one line on a chart), or None
    when rows have different targets or some have none."""
    if frame.empty or "target" not in frame:
        return None
    values = frame["target"].tolist()
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values):
        return None
    return float(values[0]) if len(set(values)) == 1 else None
