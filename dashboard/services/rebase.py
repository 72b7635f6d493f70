"""One unit's figures over time, in two ways:

- **as reported** (`REPORTED`): the figures of the unit itself, only for the periods it existed
  in. A commune created on 1/7/2025 has none before it.
- **on today's units** (`TODAY`): history re-based through the crosswalk. A period before the
  unit existed counts the units whose records passed to it (`UnitHeir`, the rule the figures
  already use for registry rows: `services.lineage`). Biển Hồ's 2023 figure is the figure of the
  communes merged into it, as they reported then.

A unit split off without being the heir of its predecessor has no re-based history: the
predecessor's records went to the heir (`lineage.rebuild`). Each predecessor counts only for the
indicators that applied to it (`scope.applies_clause`): a thị trấn merged into a xã is not
counted by an indicator over xã only.

Figures are computed from the records by `indicators.aggregate_direct` (the cells hold figures
by reporting unit, not by a unit's predecessors), one query per indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.models import Indicator, OrgUnit, Period, UnitHeir
from dashboard.services import indicators as engine

TODAY = "today"
REPORTED = "reported"
MODES = (TODAY, REPORTED)


def record_sources(session: so.Session, unit: OrgUnit) -> set[int]:
    """Ids of the units whose records count for `unit` on some day: itself, and the units whose
    records passed to it by the crosswalk (the `UnitHeir` rows naming it as heir)."""
    ids = set(session.scalars(sa.select(UnitHeir.unit_id).where(UnitHeir.heir_id == unit.id)))
    return ids | {unit.id}


def sources_for(session: so.Session, unit: OrgUnit, mode: str) -> set[int]:
    """The units a figure of `unit` counts in `mode` (`TODAY`: its record sources; else itself).
    Raises ValueError for an unknown mode."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    return record_sources(session, unit) if mode == TODAY else {unit.id}


def has_rebased_history(session: so.Session, unit: OrgUnit) -> bool:
    """Whether the two modes differ for `unit`: other units' records pass to it."""
    return len(record_sources(session, unit)) > 1


def unit_indicators(session: so.Session, unit: OrgUnit) -> list[Indicator]:
    """The indicators counted over `unit` itself (`scope.indicator_applies`), in display order."""
    inds = session.scalars(sa.select(Indicator).order_by(Indicator.display_order, Indicator.code))
    return [ind for ind in inds if scope.indicator_applies(ind, unit)]


@dataclass(frozen=True)
class Series:
    """One indicator's figures for `unit`, period by period: `figures[i]` is for `periods[i]`
    (None when the indicator was not in force then); `rebased[i]` whether that figure counts
    predecessors' records (the period is counted before the unit began)."""

    indicator: Indicator
    periods: list[Period]
    figures: list[engine.Figure | None]
    rebased: list[bool]


def series(
    session: so.Session,
    unit: OrgUnit,
    mode: str,
    *,
    periods: list[Period] | None = None,
    approved_only: bool = False,
) -> list[Series]:
    """For each indicator counted over `unit`, its figures for every period (default: the
    yearly periods, oldest first) in `mode`. Nothing is counted for a period after the unit
    ended: its records count for its heir then."""
    if periods is None:
        periods = engine.list_periods(session)
    sources = sources_for(session, unit, mode)
    out = []
    for ind in unit_indicators(session, unit):
        live = [
            p
            for p in periods
            if scope.in_force(ind, p.start_date, p.end_date) and _not_after(unit, p)
        ]
        found = dict(
            zip(
                (p.id for p in live),
                engine.aggregate_direct(
                    session, ind, live, unit_ids=sources, approved_only=approved_only
                ),
                strict=True,
            )
        )
        out.append(
            Series(
                indicator=ind,
                periods=list(periods),
                figures=[found.get(p.id) for p in periods],
                rebased=[
                    mode == TODAY and p.id in found and p.count_date < unit.valid_from
                    for p in periods
                ],
            )
        )
    return out


def _not_after(unit: OrgUnit, period: Period) -> bool:
    """Whether the period counts units on a day before `unit` ended (or it has not ended)."""
    return unit.valid_to is None or period.count_date <= unit.valid_to


def predecessors_named(session: so.Session, unit: OrgUnit) -> list[OrgUnit]:
    """The units other than `unit` whose records pass to it, by name (for the re-based note)."""
    ids = record_sources(session, unit) - {unit.id}
    if not ids:
        return []
    return list(
        session.scalars(sa.select(OrgUnit).where(OrgUnit.id.in_(ids)).order_by(OrgUnit.name))
    )
