"""What the application knows about one administrative unit: the unit and the other versions of
its GSO code, its lineage (`services.lineage`), the indicator values stored for it and the
registry rows that count for it.

Which registry rows count for which unit on a day is the `UnitHeir` rule of `services.lineage`
(the one `services.indicators` joins): a unit's page lists its own rows and the rows of the
units whose records passed to it, from the day they passed. Queries only; the page lays out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.i18n import _, fmt_date
from dashboard.models import Indicator, IndicatorValue, OrgUnit, Period, UnitHeir
from dashboard.services import lineage
from dashboard.services.registry_specs import REGISTRIES, RegistrySpec

ONE_DAY = dt.timedelta(days=1)


# --- the unit and its versions ----------------------------------------------------------------


def versions(session: so.Session, code) -> list[OrgUnit]:
    """Every unit that has had GSO code `code`, oldest first (empty when none)."""
    code = str(code or "").strip()
    if not code:
        return []
    return list(
        session.scalars(
            sa.select(OrgUnit).where(OrgUnit.gso_code == code).order_by(OrgUnit.valid_from)
        )
    )


def parse_day(value) -> dt.date | None:
    """An ISO date (`2025-07-01`) from a query string, or None when absent or malformed."""
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]) if value else None
    except ValueError:
        return None


def find_unit(session: so.Session, code, valid_from=None) -> OrgUnit | None:
    """The version of the unit with GSO code `code` that starts on `valid_from` (an ISO date or
    a date); else the version in force that day; else the latest one. None for an unknown
    code."""
    found = versions(session, code)
    if not found:
        return None
    day = valid_from if isinstance(valid_from, dt.date) else parse_day(valid_from)
    if day is not None:
        for unit in found:
            if unit.valid_from == day:
                return unit
        for unit in found:
            if unit.is_valid_on(day):
                return unit
    return found[-1]


def lookup_options(session: so.Session) -> list[tuple[str, str]]:
    """(GSO code, label) of every code, by code, for a lookup's suggestions: the names its
    versions had, oldest first, and whether it is no longer in use (one query)."""
    by_code: dict[str, list[OrgUnit]] = {}
    for unit in session.scalars(sa.select(OrgUnit).order_by(OrgUnit.gso_code, OrgUnit.valid_from)):
        by_code.setdefault(unit.gso_code, []).append(unit)
    options = []
    for code, units in by_code.items():
        label = " / ".join(dict.fromkeys(u.name for u in units))
        if units[-1].valid_to is not None:
            label = _("unit_page.lookup.ended", name=label)
        options.append((code, label))
    return options


def validity_text(session: so.Session, unit: OrgUnit) -> str:
    """`từ 01/07/2025`, `đến 30/06/2025`, `từ 01/11/2024 đến 30/06/2025`: the unit's lifetime
    (`scope.lifetime`: a unit in the list from its start existed before it, so has no first
    day); "in force" when open at both ends."""
    first, last = scope.lifetime(session, unit)
    if first and last:
        return _("unit_page.valid.between", start=fmt_date(first), end=fmt_date(last))
    if first:
        return _("unit_page.valid.from", start=fmt_date(first))
    if last:
        return _("unit_page.valid.to", end=fmt_date(last))
    return _("unit_page.valid.always")


def change_kind(kind: str) -> str:
    """A change's kind (merge, split, rename) in words."""
    labels = {
        "merge": _("unit_page.change.merge"),
        "split": _("unit_page.change.split"),
        "rename": _("unit_page.change.rename"),
    }
    return labels.get(kind, kind)


def is_new_without_history(session: so.Session, unit: OrgUnit) -> bool:
    """A unit that began after the unit list's start with no predecessor in the application:
    nothing of its territory is held before its first day."""
    return not lineage.has_history_before(session, unit)


def came_with_new_province(unit: OrgUnit) -> bool:
    """Whether the unit began on the day its province (the top of its hierarchy) did: a unit of
    the province formed by the two-tier reform."""
    top = unit
    while top.parent is not None:
        top = top.parent
    return top is not unit and top.valid_from == unit.valid_from


def records_went_to(session: so.Session, unit: OrgUnit) -> OrgUnit | None:
    """The unit a unit that ended passes its records to, the day after its last (None while
    it exists, or when nobody took them over)."""
    if unit.valid_to is None:
        return None
    return lineage.heir_of(session, unit, unit.valid_to + ONE_DAY)


# --- a one-line summary of the lineage, for grids ---------------------------------------------


def _by_date(links: list[lineage.Link]) -> list[tuple[dt.date, list[lineage.Link]]]:
    groups: dict[dt.date, list[lineage.Link]] = {}
    for link in links:
        groups.setdefault(link.date, []).append(link)
    return sorted(groups.items())


def _incoming(unit: OrgUnit, day: dt.date, links: list[lineage.Link]) -> str:
    date = fmt_date(day)
    first = links[0]
    if day == unit.valid_from:  # the change created the unit
        if len(links) > 1:
            return _("unit_page.note.formed_from_many", count=len(links), date=date)
        if first.kind == "rename":
            return _("unit_page.note.renamed_from", name=first.unit.name, date=date)
        return _("unit_page.note.formed_from_one", name=first.unit.name, date=date)
    if len(links) > 1:
        return _("unit_page.note.absorbed_many", count=len(links), date=date)
    if first.kind == "split":
        return _("unit_page.note.received_part", name=first.unit.name, date=date)
    return _("unit_page.note.absorbed_one", name=first.unit.name, date=date)


def _outgoing(links: list[lineage.Link], day: dt.date) -> str:
    date = fmt_date(day)
    if len(links) > 1:
        heirs = [link.unit.name for link in links if link.heir]
        if heirs:
            return _("unit_page.note.split_into_heir", count=len(links), date=date, name=heirs[0])
        return _("unit_page.note.split_into", count=len(links), date=date)
    link = links[0]
    if link.kind == "rename":
        return _("unit_page.note.renamed_to", name=link.unit.name, date=date)
    if link.kind == "split":
        return _("unit_page.note.part_to", name=link.unit.name, date=date)
    return _("unit_page.note.merged_into", name=link.unit.name, date=date)


def lineage_note(session: so.Session, unit: OrgUnit) -> str:
    """One line on where the unit came from and went: "Sáp nhập vào Xã Biển Hồ từ 01/11/2024",
    "Hình thành từ 4 đơn vị ngày 01/07/2025", "Nhận sáp nhập Xã Tân Sơn từ 01/11/2024; sáp
    nhập vào Xã Biển Hồ từ 01/07/2025"; "Thành lập mới từ 01/07/2025" for a unit without
    history, "Chấm dứt hoạt động từ 01/07/2025" for one that ended without successor; empty
    when nothing changed."""
    parts: list[str] = []
    incoming = lineage.predecessors(session, unit)
    if not incoming and is_new_without_history(session, unit):
        parts.append(_("unit_page.note.new", date=fmt_date(unit.valid_from)))
    parts += [_incoming(unit, day, links) for day, links in _by_date(incoming)]
    outgoing = lineage.successors(session, unit)
    parts += [_outgoing(links, day) for day, links in _by_date(outgoing)]
    if not outgoing and unit.valid_to is not None:
        parts.append(_("unit_page.note.ended", date=fmt_date(unit.valid_to + ONE_DAY)))
    return "; ".join(
        part if i == 0 else part[:1].lower() + part[1:] for i, part in enumerate(parts)
    )


# --- the records: values stored for the unit --------------------------------------------------


@dataclass(frozen=True)
class StoredValue:
    period: Period
    indicator: Indicator
    value: IndicatorValue


def stored_values(session: so.Session, unit: OrgUnit) -> list[StoredValue]:
    """The indicator values stored for the unit itself, by period then indicator order."""
    rows = session.execute(
        sa.select(IndicatorValue, Indicator, Period)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Period, Period.id == IndicatorValue.period_id)
        .where(IndicatorValue.unit_id == unit.id)
        .order_by(Period.start_date, Period.code, Indicator.display_order, Indicator.code)
    ).all()
    return [StoredValue(period, ind, value) for value, ind, period in rows]


# --- the records: registry rows that count for the unit --------------------------------------


@dataclass(frozen=True)
class RegistryRow:
    """A registry row counted for the unit: `source` is the unit it was recorded for (the unit
    itself, or a predecessor whose records passed to it: `inherited`), `counts_from` the first
    day it counts for the unit, `periods` the codes of the periods whose figures count it for
    the unit."""

    spec: RegistrySpec
    row: object
    source: OrgUnit
    inherited: bool
    counts_from: dt.date
    periods: tuple[str, ...]


def _overlaps(spec: RegistrySpec) -> sa.ColumnElement[bool]:
    """SQL: the row is in force on some day of the `UnitHeir` interval it is joined on."""
    start = getattr(spec.model, spec.start_col)
    cond = sa.or_(UnitHeir.valid_to.is_(None), start <= UnitHeir.valid_to)
    if spec.end_col is None:
        return cond
    end = getattr(spec.model, spec.end_col)
    return sa.and_(cond, sa.or_(end.is_(None), end >= UnitHeir.valid_from))


def _periods_counting(session: so.Session, spec: RegistrySpec, unit: OrgUnit) -> dict:
    """Registry row id → the codes of the periods whose figures count it for `unit`: the row in
    force on the period's count date and its records counting for `unit` that day (the same
    conditions as `services.indicators`)."""
    reg = spec.model
    rows = session.execute(
        sa.select(reg.id, Period.code)
        .select_from(reg)
        .join(UnitHeir, UnitHeir.unit_id == reg.unit_id)
        .join(
            Period,
            sa.and_(UnitHeir.valid_on(Period.count_date), spec.valid_on(Period.count_date)),
        )
        .where(UnitHeir.heir_id == unit.id)
        .order_by(Period.start_date, Period.code)
    ).all()
    out: dict[int, list[str]] = {}
    for row_id, code in rows:
        out.setdefault(row_id, []).append(code)
    return out


def registry_rows(session: so.Session, unit: OrgUnit) -> dict[str, list[RegistryRow]]:
    """Per registry (in the registries' order, only those with rows): the rows that count for
    the unit on some day of its lifetime — its own, and those of the units whose records passed
    to it (`UnitHeir`), from the day they passed. Oldest first."""
    out: dict[str, list[RegistryRow]] = {}
    for name, spec in REGISTRIES.items():
        reg = spec.model
        start = getattr(reg, spec.start_col)
        stmt = (
            sa.select(reg, OrgUnit, UnitHeir.valid_from)
            .join(UnitHeir, UnitHeir.unit_id == reg.unit_id)
            .join(OrgUnit, OrgUnit.id == reg.unit_id)
            .where(UnitHeir.heir_id == unit.id, _overlaps(spec))
            .order_by(start, reg.id)
        )
        found = session.execute(stmt).all()
        if not found:
            continue
        periods = _periods_counting(session, spec, unit)
        out[name] = [
            RegistryRow(
                spec=spec,
                row=row,
                source=source,
                inherited=source.id != unit.id,
                counts_from=max(getattr(row, spec.start_col), passed_on),
                periods=tuple(periods.get(row.id, ())),
            )
            for row, source, passed_on in found
        ]
    return out


# --- everything the page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    unit: OrgUnit
    versions: list[OrgUnit]
    validity: str
    predecessors: list[lineage.Link]
    successors: list[lineage.Link]
    new_without_history: bool
    with_new_province: bool
    records_went_to: OrgUnit | None
    values: list[StoredValue]
    registries: dict[str, list[RegistryRow]]


def profile(session: so.Session, code, valid_from=None) -> Profile | None:
    """The unit with GSO code `code` (the version starting on `valid_from`, see `find_unit`)
    and all the page shows of it; None for an unknown code."""
    unit = find_unit(session, code, valid_from)
    if unit is None:
        return None
    return Profile(
        unit=unit,
        versions=versions(session, unit.gso_code),
        validity=validity_text(session, unit),
        predecessors=lineage.predecessors(session, unit),
        successors=lineage.successors(session, unit),
        new_without_history=is_new_without_history(session, unit),
        with_new_province=came_with_new_province(unit),
        records_went_to=records_went_to(session, unit),
        values=stored_values(session, unit),
        registries=registry_rows(session, unit),
    )
