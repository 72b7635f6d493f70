"""The indicator engine: figures computed from unit-level records, aggregated in the database.

A figure is always computed for a period from the units valid at the period's end, so a 2023
figure counts the 182 rural communes of 2023 and a 2025 figure the 180 of 2025. Nothing here
loads a whole table into Python: each function issues one grouped query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.i18n import _, fmt_datetime, fmt_number, fmt_pct, fmt_share
from dashboard.models import (
    DistrictReport,
    Indicator,
    IndicatorValue,
    Level,
    OrgUnit,
    Period,
    Programme,
    Target,
    UnitHeir,
    User,
)
from dashboard.services import periods as periods_svc
from dashboard.services.registry_specs import REGISTRIES
from dashboard.services.targets import target_for

PERCENT_ROLLUPS = {"share_meeting", "ratio_of_sums", "share_with_rows", "share_of_rows"}
COUNTING_ROLLUPS = {"share_meeting", "share_with_rows", "share_of_rows"}


# A unit's noun in figures ("7/8 xã"), by the level the indicator counts over.
LEVEL_NOUNS = {
    "province": "noun.province",
    "district": "noun.district",
    "commune": "noun.commune",
    "commune+district": "noun.unit",
}


@dataclass(frozen=True)
class Figure:
    """One computed figure and what it covers. `value` is a percent for shares and ratios, else
    a count; None when there is no figure (nothing reported, or nothing approved yet).

    The one rule of what a figure counts (every page, export, embed and the API use it):
    - `expected`: units in scope the indicator applies to, valid at the period's end;
    - `reported`: those that reported (a value; for registries a row in force, or a submitted or
      approved report of their district, which declares the registry complete). A missing value
      is "not reported", never "not met": shares count over reported units unless the
      indicator's `denominator_rule` is "expected", when missing units count as not met;
    - approved-only mode: only units whose district report is approved count, numerator and
      denominator (`approved` of `expected`); with none approved there is no published figure.
    """

    indicator: str
    period: str
    numerator: float | None
    denominator: float | None
    expected: int = 0
    reported: int = 0
    rollup: str = "share_meeting"
    unit: str = ""
    approved: int | None = None
    districts: int = 0
    districts_approved: int = 0
    approved_only: bool = False
    level: str = "commune"
    denominator_rule: str = "reported"
    reporting: str = "district"  # the level whose reports are approved (the period's)
    kinds: tuple[str, ...] = ()  # the unit kinds counted (`Indicator.kinds`; empty: all)

    @property
    def is_percent(self) -> bool:
        return self.rollup in PERCENT_ROLLUPS

    @property
    def published(self) -> bool:
        """False in approved-only mode while no unit in scope is approved."""
        return not self.approved_only or bool(self.approved)

    @property
    def base(self) -> int:
        """The units the figure is computed over: the approved ones, or all expected."""
        return (self.approved or 0) if self.approved_only else self.expected

    @property
    def missing(self) -> int:
        """Units of the base that have not reported."""
        return max(0, self.base - self.reported)

    @property
    def complete(self) -> bool:
        """Every expected unit counts: all reported (and, approved-only, all approved)."""
        return self.expected > 0 and self.base == self.expected and self.missing == 0

    @property
    def value(self) -> float | None:
        if not self.published or self.reported == 0:
            return None
        if self.is_percent:
            if not self.denominator or self.numerator is None:
                return None
            return 100.0 * self.numerator / self.denominator
        return self.numerator

    @property
    def noun(self) -> str:
        """The units counted: `xã` for rural communes only, `đơn vị cấp xã` when wards and
        townships count too (`population_label` says the same in words)."""
        if self.level == "commune" and not self.kinds:
            return _("noun.commune_level")
        return _(LEVEL_NOUNS.get(self.level, "noun.unit"))

    @property
    def display(self) -> str:
        """`84/166 xã (50,6%)` for counts of units, `85,3%` for ratios, `3` for counts; says
        so when there is no figure."""
        if not self.published:
            return _("figure.not_published")
        if self.value is None:
            return _("figure.not_reported") if self.reported == 0 else "–"
        if self.rollup in {"share_meeting", "share_with_rows"}:
            share = fmt_pct(100.0 * self.numerator / self.denominator)
            count = f"{fmt_number(self.numerator)}/{fmt_number(self.denominator)}"
            return f"{count} {self.noun} ({share})"
        if self.rollup == "share_of_rows":
            return fmt_share(self.numerator, self.denominator)
        if self.is_percent:
            return fmt_pct(self.value)
        return fmt_number(self.value)

    @property
    def detail(self) -> str:
        """Numerator and denominator of a ratio of sums, e.g. `12.345/14.470 hồ sơ`."""
        if self.rollup == "ratio_of_sums" and self.denominator and self.value is not None:
            return (
                f"{fmt_number(self.numerator)}/{fmt_number(self.denominator)} {self.unit}".strip()
            )
        return ""

    @property
    def coverage(self) -> str:
        """Who the figure covers: `166/182 xã đã báo cáo (91,2%)`, and in approved-only mode
        `1/17 huyện đã phê duyệt`; missing units that count as not met are said so."""
        parts = []
        if self.approved_only and not self.level.startswith("province"):
            parts.append(
                _(
                    "figure.districts_approved",
                    approved=fmt_number(self.districts_approved),
                    total=fmt_number(self.districts),
                    unit=_(f"noun.reporting.{self.reporting}"),
                )
            )
            if not self.published:
                return parts[0]
        if self.expected:
            parts.append(
                _(
                    "figure.reported",
                    reported=fmt_number(self.reported),
                    base=fmt_number(self.base),
                    noun=self.noun,
                    rate=fmt_pct(100.0 * self.reported / self.base if self.base else 0),
                )
            )
        if self.missing and self.denominator_rule == "expected" and self.value is not None:
            parts.append(
                _("figure.missing_as_not_met", missing=fmt_number(self.missing), noun=self.noun)
            )
        return " · ".join(parts)


@dataclass(frozen=True)
class Progress:
    """A figure set against its target, with the value projected to the target year from the
    years whose figures are complete (all units reported; approved-only: all approved)."""

    figure: Figure
    target: Target | None
    projected: float | None
    basis_years: tuple[str, ...] = ()
    year: int | None = None  # the period's year (its milestone)
    # a district's or commune's figure: compared with its own target, never the province's
    own_scope: bool = False

    @property
    def milestone(self) -> float | None:
        """The target's milestone for the period's year, when one is set before its last year."""
        if self.target is None or self.year is None or self.year == self.target.target_year:
            return None
        return self.target.milestone(self.year)

    @property
    def gap(self) -> float | None:
        if self.target is None or self.figure.value is None:
            return None
        return max(0.0, self.target.target_value - self.figure.value)

    @property
    def met(self) -> bool | None:
        if self.target is None or self.figure.value is None:
            return None
        return self.figure.value >= self.target.target_value

    @property
    def on_track(self) -> bool | None:
        """Met on a complete figure, or projected to meet the target from complete years;
        None when neither can be said."""
        if self.target is None:
            return None
        if self.met and self.figure.complete:
            return True
        if self.projected is None:
            return None
        return self.projected >= self.target.target_value

    @property
    def basis(self) -> str:
        """Which figures the projection and status stand on, e.g. `Dự báo từ số liệu đầy đủ
        các năm 2021, 2022`."""
        if self.target is None:
            return ""
        if not self.basis_years:
            return _("figure.no_basis")
        parts = any(len(code) > 4 for code in self.basis_years)  # half-years or quarters
        if self.figure.approved_only:
            key = "figure.basis_approved_periods" if parts else "figure.basis_approved"
        else:
            key = "figure.basis_complete_periods" if parts else "figure.basis_complete"
        return _(key, years=", ".join(self.basis_years))


# --- lookups ---------------------------------------------------------------------------------


def get_indicator(session: so.Session, code: str | None) -> Indicator | None:
    if not code:
        return None
    return session.scalar(
        sa.select(Indicator)
        .options(so.selectinload(Indicator.targets))
        .where(Indicator.code == str(code))
    )


def list_indicators(session: so.Session, pillar: str | None = None) -> list[Indicator]:
    stmt = (
        sa.select(Indicator)
        .options(so.selectinload(Indicator.targets))
        .order_by(Indicator.display_order)
    )
    if pillar:
        stmt = stmt.where(Indicator.pillar == pillar)
    return list(session.scalars(stmt))


def get_period(session: so.Session, code: str | None) -> Period | None:
    if not code:
        return None
    return session.scalar(sa.select(Period).where(Period.code == str(code)))


def list_periods(session: so.Session, kind: str | None = "year") -> list[Period]:
    """The periods of `kind` ("year", "half", "quarter"), oldest first. `kind=None`: every
    period, years first, then half-years, then quarters (`period_kinds.KIND_ORDER`), each
    kind oldest first."""
    from dashboard.services import period_kinds

    stmt = sa.select(Period).order_by(Period.start_date)
    if kind is not None:
        return list(session.scalars(stmt.where(Period.kind == kind)))
    return sorted(session.scalars(stmt), key=lambda p: period_kinds.kind_rank(p.kind))


def latest_period(session: so.Session, kind: str = "year") -> Period | None:
    """The latest period of `kind` (default: yearly) that has any reported value (else the
    latest period of that kind)."""
    stmt = (
        sa.select(Period)
        .join(IndicatorValue, IndicatorValue.period_id == Period.id)
        .where(Period.kind == kind)
        .order_by(Period.end_date.desc())
        .limit(1)
    )
    period = session.scalar(stmt)
    if period is None:
        periods = list_periods(session, kind)
        period = periods[-1] if periods else None
    return period


def level_id(session: so.Session, code: str) -> int:
    """The id of a level, remembered for the life of the session (levels do not change)."""
    cache = session.info.setdefault("level_ids", {})
    if code not in cache:
        cache[code] = session.scalar(sa.select(Level.id).where(Level.code == code))
    return cache[code]


def list_districts(session: so.Session, day: dt.date | None = None) -> list[OrgUnit]:
    """District-level units valid on `day` (default: any time), ordered by GSO code."""
    return scope.list_districts(session, day)


def reporting_units(session: so.Session, period: Period) -> list[OrgUnit]:
    """The units that report in `period` (its programme's reporting level), valid on its count
    date, ordered by GSO code."""
    level = periods_svc.reporting_level(session, period)
    if level is None:
        return []
    return scope.list_units_at(session, level.id, period.count_date)


def district_by_code(session: so.Session, code: str | None) -> OrgUnit | None:
    """The district with GSO code `code` (its latest state), or None."""
    return scope.find_district(session, code)


# --- the aggregate query ---------------------------------------------------------------------


def _split_filter(ind: Indicator) -> tuple[str, str]:
    row_filter, _sep, numerator = ind.source_filter.partition(":")
    return row_filter, numerator


def district_column(session: so.Session, period: Period | None = None) -> sa.ColumnElement:
    """SQL: the id of the reporting unit (a district before the two-tier reform, a commune
    after it) the `OrgUnit` row of a query belongs to in `period`, by its programme's
    reporting level. Without `period` the query joins `Programme` (see `_with_programme`)."""
    if period is not None:
        level = periods_svc.reporting_level(session, period)
        return scope.district_owner(level.id if level is not None else None)
    return scope.district_owner(Programme.reporting_level_id)


def _with_programme(stmt):
    """Join each `Period` row of `stmt` to its programme (outer: a period without one has no
    reporting units)."""
    return stmt.outerjoin(Programme, Programme.id == Period.programme_id)


def is_published(district: sa.ColumnElement, report_status: sa.ColumnElement):
    """SQL: published, given the status of the district's report for the period (joined):
    approved, or a province-level record (no district). The join form of `approved_clause`."""
    return sa.or_(district.is_(None), report_status == "approved")


def approved_clause(district: sa.ColumnElement, period_ref=None) -> sa.ColumnElement[bool]:
    """SQL condition, the one rule of "published": the district's report for the period
    (`Period` in the query, or the period id given) is approved. Province-level records (no
    district) are published by the province office directly."""
    report = so.aliased(DistrictReport)
    return sa.or_(
        district.is_(None),
        sa.exists().where(
            report.district_id == district,
            report.period_id == (Period.id if period_ref is None else period_ref),
            report.status == "approved",
        ),
    )


def _flag(cond) -> sa.ColumnElement[int]:
    return sa.case((cond, 1), else_=0)


def _district_filter(district: sa.ColumnElement, district_ids) -> sa.ColumnElement[bool]:
    """SQL: the unit belongs to one of `district_ids` (None: to no district). The exact rule is
    `district`; the id/parent test beside it lets the database use its indexes."""
    ids = [d for d in district_ids if d is not None]
    conds = []
    if ids:
        near = sa.or_(OrgUnit.id.in_(ids), OrgUnit.parent_id.in_(ids))
        conds.append(sa.and_(near, district.in_(ids)))
    if None in district_ids:
        conds.append(district.is_(None))
    return sa.or_(*conds) if conds else sa.false()


def _unit_facts(
    session: so.Session, ind: Indicator, periods: list[Period], district_id, unit_ids=None
):
    """One row per (period, unit the indicator applies to, valid at the period's end): its
    district, whether it is approved and has reported, and its contribution (`num`, `den`) to
    the figure. Every figure is an aggregate of these rows, so the rule is written once.

    `district_id`: one district's id, a collection of ids (None in it: the units of no
    district), or None for every unit. `unit_ids`: only these units (None: no such limit)."""
    district = district_column(session)
    # The district's report for the period (at most one), joined once: whether it is approved
    # (`is_published`, the published rule) and, for registries, whether it was sent.
    report = DistrictReport  # plain entities: aliases cost more to build than the query runs
    report_on = sa.and_(report.district_id == district, report.period_id == Period.id)
    approved = _flag(is_published(district, report.status))
    where = [
        Period.id.in_([p.id for p in periods]),
        scope.applies_clause(ind),
        scope.in_force_clause(ind, Period.start_date, Period.end_date),
    ]
    if isinstance(district_id, set | frozenset | list | tuple):
        where.append(_district_filter(district, set(district_id)))
    elif district_id is not None:
        where.append(_district_filter(district, [district_id]))
    if unit_ids is not None:
        where.append(OrgUnit.id.in_(sorted(unit_ids)))
    if ind.source == "values":
        value = IndicatorValue
        on = sa.and_(
            value.indicator_id == ind.id, value.period_id == Period.id, value.unit_id == OrgUnit.id
        )
        if ind.rollup == "share_meeting":
            has = value.value_bool.is_not(None)
            num = _flag(value.value_bool.is_(True))
            den = sa.literal(1)
        elif ind.rollup == "ratio_of_sums":
            has = sa.and_(value.numerator.is_not(None), value.denominator.is_not(None))
            num, den = value.numerator, value.denominator
        else:  # sum
            has = value.value_num.is_not(None)
            num, den = value.value_num, sa.cast(sa.null(), sa.Float)
        stmt = sa.select(
            Period.id.label("pid"),
            OrgUnit.id.label("uid"),
            district.label("did"),
            approved.label("ap"),
            _flag(has).label("rep"),
            num.label("num"),
            den.label("den"),
        ).select_from(Period)
        stmt = _with_programme(stmt).join(OrgUnit, OrgUnit.valid_on(Period.count_date))
        stmt = stmt.outerjoin(value, on)
        return stmt.outerjoin(report, report_on).where(*where).subquery()

    spec = REGISTRIES[ind.source]
    reg = spec.model
    row_filter, numerator_cond = _split_filter(ind)
    # A row counts for the unit its own unit's records passed to by the count date (itself
    # while it exists; the successor after a merge: `services.lineage`).
    heir = UnitHeir
    conds = [
        heir.heir_id == OrgUnit.id,
        heir.valid_on(Period.count_date),
        spec.valid_on(Period.count_date),
    ]
    if row_filter:
        conds.append(spec.condition(row_filter, Period.count_date))

    def count(*extra):
        return (
            sa.select(sa.func.count(reg.id))
            .select_from(reg)
            .join(heir, heir.unit_id == reg.unit_id)
            .where(*conds, *extra)
            .scalar_subquery()
        )

    rows = count()
    # A unit without rows has reported "none" only once its district's report is sent.
    sent = report.status.in_(("submitted", "approved"))
    if ind.rollup == "share_with_rows":
        num, den = _flag(rows > 0), sa.literal(1)
    elif ind.rollup == "share_of_rows":
        num, den = count(spec.condition(numerator_cond, Period.count_date)), rows
    else:  # count_rows
        num, den = rows, sa.cast(sa.null(), sa.Float)
    stmt = sa.select(
        Period.id.label("pid"),
        OrgUnit.id.label("uid"),
        district.label("did"),
        approved.label("ap"),
        _flag(sa.or_(rows > 0, sent)).label("rep"),
        num.label("num"),
        den.label("den"),
    ).select_from(Period)
    stmt = _with_programme(stmt).join(OrgUnit, OrgUnit.valid_on(Period.count_date))
    return stmt.outerjoin(report, report_on).where(*where).subquery()


def aggregate(
    session: so.Session,
    ind: Indicator,
    periods: list[Period],
    *,
    by_district: bool = False,
    district_id: int | None = None,
    approved_only: bool = False,
) -> list[Figure | tuple[int | None, Figure]]:
    """Compute `ind` for each period (and each district when `by_district`), in one query.

    Returns one `Figure` per period in the order given, or `(district_id, Figure)` pairs when
    `by_district` is true. See `Figure` for what is counted. The figures are read from the
    pre-aggregated cells (`services.aggregates`) when they are current, else computed from the
    records by `aggregate_direct`, the reference both must agree with.
    """
    from dashboard.services import aggregates

    if not periods:
        return []
    if not aggregates.usable(session):
        return aggregate_direct(
            session,
            ind,
            periods,
            by_district=by_district,
            district_id=district_id,
            approved_only=approved_only,
        )
    sums = aggregates.read(
        session, [ind], periods, district_id, by_district=by_district, approved_only=approved_only
    )
    return _figures(ind, periods, sums.get(ind.id, {}), by_district, approved_only)


def aggregate_many(
    session: so.Session,
    inds: list[Indicator],
    periods: list[Period],
    district_id: int | None = None,
    approved_only: bool = False,
) -> dict[int, list[Figure]]:
    """`aggregate` for several indicators at once (one query on the cells): indicator id →
    one figure per period, in the order given."""
    from dashboard.services import aggregates

    if not inds or not periods:
        return {ind.id: [] for ind in inds}
    if not aggregates.usable(session):
        return {
            ind.id: aggregate(
                session, ind, periods, district_id=district_id, approved_only=approved_only
            )
            for ind in inds
        }
    sums = aggregates.read(session, inds, periods, district_id, approved_only=approved_only)
    return {
        ind.id: _figures(ind, periods, sums.get(ind.id, {}), False, approved_only) for ind in inds
    }


@dataclass(frozen=True)
class Sums:
    """What a figure is made of, summed over the units it covers (see `Figure`): `den` over
    the units counted, `den_all` over every unit of the base (for "expected" denominators)."""

    num: float | None = None
    den: float | None = None
    den_all: float | None = None
    expected: int = 0
    reported: int = 0
    approved: int = 0
    districts: int = 0
    districts_approved: int = 0


def uses_all_units(ind: Indicator) -> bool:
    """Whether the indicator's denominator is every unit of the base (missing = not met)."""
    return ind.denominator_rule == "expected" and ind.rollup in {"share_meeting", "share_with_rows"}


def _figure(
    ind: Indicator, period_code: str, sums: Sums, approved_only: bool, reporting: str = "district"
) -> Figure:
    reported = int(sums.reported or 0)
    numer = sums.num
    denom = sums.den_all if uses_all_units(ind) else sums.den
    if ind.rollup in {"count_rows", "share_with_rows", "share_meeting", "share_of_rows"}:
        numer = numer or 0
    return Figure(
        indicator=ind.code,
        period=period_code,
        numerator=float(numer) if numer is not None and reported else None,
        denominator=float(denom) if denom is not None and reported else None,
        expected=int(sums.expected or 0),
        reported=reported,
        rollup=ind.rollup,
        unit=ind.unit,
        approved=int(sums.approved or 0) if approved_only else None,
        districts=int(sums.districts or 0),
        districts_approved=int(sums.districts_approved or 0),
        approved_only=approved_only,
        level=ind.level.code + (f"+{ind.extra_level.code}" if ind.extra_level else ""),
        denominator_rule=ind.denominator_rule,
        reporting=reporting,
        kinds=ind.kinds,
    )


def _figures(ind, periods, sums: dict, by_district: bool, approved_only: bool):
    """Figures from sums keyed by period id (or by (period id, district id) `by_district`)."""
    code_of = {p.id: p.code for p in periods}
    level_of = {p.id: periods_svc.reporting_code(p) for p in periods}
    if by_district:
        return [
            (key[1], _figure(ind, code_of[key[0]], sums_, approved_only, level_of[key[0]]))
            for key, sums_ in sums.items()
        ]
    return [
        _figure(ind, p.code, sums.get(p.id) or Sums(), approved_only, level_of[p.id])
        for p in periods
    ]


def aggregate_direct(
    session: so.Session,
    ind: Indicator,
    periods: list[Period],
    *,
    by_district: bool = False,
    district_id: int | None = None,
    approved_only: bool = False,
    unit_ids=None,
) -> list[Figure | tuple[int | None, Figure]]:
    """`aggregate` computed from the unit-level records in one grouped query: the reference
    the pre-aggregated cells are checked against. `unit_ids`: over these units only (a figure
    the cells do not hold, e.g. a unit's predecessors: `services.rebase`)."""
    if not periods:
        return []
    f = _unit_facts(session, ind, periods, district_id, unit_ids)
    counted = f.c.rep == 1
    if approved_only:
        counted = sa.and_(counted, f.c.ap == 1)
    in_base = f.c.ap == 1 if approved_only else sa.true()
    group = [f.c.pid, f.c.did] if by_district else [f.c.pid]
    stmt = sa.select(
        *group,
        sa.func.sum(sa.case((counted, f.c.num), else_=None)),
        sa.func.sum(sa.case((counted, f.c.den), else_=None)),
        sa.func.sum(sa.case((in_base, f.c.den), else_=None)),
        sa.func.count(),
        sa.func.sum(_flag(counted)),
        sa.func.sum(f.c.ap),
        sa.func.count(sa.distinct(f.c.did)),
        sa.func.count(sa.distinct(sa.case((f.c.ap == 1, f.c.did), else_=None))),
    ).group_by(*group)
    width = len(group)
    sums = {
        (tuple(row[:width]) if by_district else row[0]): Sums(*row[width:])
        for row in session.execute(stmt).all()
    }
    return _figures(ind, periods, sums, by_district, approved_only)


def compute(
    session: so.Session,
    ind: Indicator,
    period: Period,
    district_id: int | None = None,
    approved_only: bool = False,
) -> Figure:
    """The figure of `ind` for one period (province-wide, or one district)."""
    return aggregate(session, ind, [period], district_id=district_id, approved_only=approved_only)[
        0
    ]


def trend(
    session: so.Session,
    ind: Indicator,
    district_id: int | None = None,
    periods: list[Period] | None = None,
    approved_only: bool = False,
    kind: str | None = None,
) -> list[Figure]:
    """The figure for every period of `kind` ("year", "half", "quarter"; default: yearly) in
    which the indicator is in force (or the `periods` given), oldest first."""
    if periods is None:
        periods = [
            p
            for p in list_periods(session, kind or "year")
            if scope.in_force(ind, p.start_date, p.end_date)
        ]
    return aggregate(session, ind, periods, district_id=district_id, approved_only=approved_only)


def project(figures: list[Figure], upto: int | str, target_year: int) -> float | None:
    """Value expected at the end of `target_year` at the pace so far: a least-squares line
    over the figures with a value that end by the end of `upto` (a year, or a period code such
    as "2026-H1"), each placed at its period's end as a fractional year (`period_kinds.end_of`:
    end of 2026-H1 = 2026.5, end of 2026 = 2027.0); one such figure is its own projection.
    Capped at 0-100 for percents. `progress` passes only complete figures of one kind."""
    from dashboard.services import period_kinds

    last = period_kinds.end_of(str(upto))
    points = [(period_kinds.end_of(f.period), f.value) for f in figures if f.value is not None]
    points = [(x, y) for x, y in points if x is not None and last is not None and x <= last]
    if not points:
        return None
    target_end = period_kinds.end_of(str(target_year))
    if len(points) == 1 or last >= target_end:
        return points[-1][1]
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if not sxx:  # every figure ends on the same day: no pace to follow
        return points[-1][1]
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    value = points[-1][1] + slope * (target_end - points[-1][0])
    if figures and figures[0].is_percent:
        value = min(100.0, value)
    return max(0.0, value)


def progress(
    session: so.Session,
    ind: Indicator,
    period: Period,
    district_id: int | None = None,
    periods: list[Period] | None = None,
    approved_only: bool = False,
) -> tuple[Progress, list[Figure]]:
    """The figure for `period` against its target, and the trend of the period's own kind (a
    half-year's: the half-years) it was projected from."""
    figures = trend(session, ind, district_id, periods, approved_only, kind=period.kind)
    current = next((f for f in figures if f.period == period.code), None)
    if current is None:
        current = compute(session, ind, period, district_id, approved_only)
    unit = session.get(OrgUnit, district_id) if district_id is not None else None
    return progress_of(ind, period, current, figures, unit), figures


def progress_of(
    ind: Indicator,
    period: Period,
    current: Figure,
    figures: list[Figure],
    unit: OrgUnit | None = None,
) -> Progress:
    """`current` (the figure over `unit`, None: the province) against the target of that
    scope for the period's year (`targets.target_for`; a quarter's is its year's), projected
    from the complete `figures` of the period's own kind that end by the period's end."""
    from dashboard.services import period_kinds

    target = target_for(ind, unit, period.year)
    projected = None
    basis: tuple[str, ...] = ()
    if target is not None:
        kind, end = period_kinds.kind_of(period.code), period_kinds.end_of(period.code)
        complete = [f for f in figures if f.complete and f.value is not None]
        complete = [
            f
            for f in complete
            if period_kinds.kind_of(f.period) == kind
            and end is not None
            and period_kinds.end_of(f.period) <= end
        ]
        basis = tuple(f.period for f in complete)
        projected = project(complete, period.code, target.target_year)
    return Progress(current, target, projected, basis, period.year, unit is not None)


def by_district(
    session: so.Session, ind: Indicator, period: Period, approved_only: bool = False
) -> pd.DataFrame:
    """One row per reporting unit of the period (districts before the two-tier reform, communes
    after it) valid on its count date: code, name, figure columns."""
    results = dict(aggregate(session, ind, [period], by_district=True, approved_only=approved_only))
    rows = []
    for district in reporting_units(session, period):
        fig = results.get(district.id)
        own = target_for(ind, district, period.year)
        rows.append(
            {
                "district_code": district.gso_code,
                "district": district.name,
                "numerator": fig.numerator if fig else None,
                "denominator": fig.denominator if fig else None,
                "value": fig.value if fig else None,
                "display": fig.display if fig else "–",
                "expected": fig.expected if fig else 0,
                "reported": fig.reported if fig else 0,
                "approved": fig.approved if fig else None,
                "coverage": fig.coverage if fig else "",
                "target": own.target_value if own is not None else None,
            }
        )
    return pd.DataFrame(rows)


# --- the records behind a figure -------------------------------------------------------------


def records(
    session: so.Session,
    ind: Indicator,
    period: Period,
    district_id: int | None = None,
    approved_only: bool = False,
) -> pd.DataFrame:
    """The unit-level records a figure is computed from, one row per unit (or registry row)."""
    reporting = periods_svc.reporting_level(session, period)
    d_level = reporting.id if reporting is not None else None
    parent = so.aliased(OrgUnit)
    district = scope.district_owner(d_level)
    base = [OrgUnit.valid_on(period.count_date)]
    if district_id is not None:
        base.append(district == district_id)
    if approved_only:  # only the units whose figures are published
        base.append(approved_clause(district, period.id))
    district_name = scope.district_name(d_level, parent).label("district")
    # The column of the unit that reports for each row: "Huyện" for 2021-2025, "Xã, phường"
    # after the reform (where it is the row's own unit).
    owner_col = _(f"column.reporting.{periods_svc.reporting_code(period)}")

    if ind.source == "values":
        value = so.aliased(IndicatorValue)
        stmt = (
            sa.select(
                district_name,
                OrgUnit.gso_code,
                OrgUnit.name,
                OrgUnit.kind,
                value.value_bool,
                value.value_num,
                value.numerator,
                value.denominator,
                User.username,
                value.updated_at,
            )
            .select_from(OrgUnit)
            .outerjoin(parent, parent.id == OrgUnit.parent_id)
            .outerjoin(
                value,
                sa.and_(
                    value.indicator_id == ind.id,
                    value.period_id == period.id,
                    value.unit_id == OrgUnit.id,
                ),
            )
            .outerjoin(User, User.id == value.updated_by_id)
            .where(scope.applies_clause(ind), *base)
            .order_by(OrgUnit.gso_code)
        )
        rows = session.execute(stmt).all()
        out = []
        for r in rows:
            out.append(
                {
                    owner_col: r.district,
                    _("common.code"): r.gso_code,
                    _("common.unit"): r.name,
                    _("common.kind"): _(f"kind.{r.kind}"),
                    _("common.value"): _value_display(ind, r),
                    _("common.numerator"): r.numerator,
                    _("common.denominator"): r.denominator,
                    _("common.updated_by"): r.username or "",
                    _("common.updated_at"): fmt_datetime(r.updated_at) if r.updated_at else "",
                }
            )
        frame = pd.DataFrame(out)
        if ind.rollup != "ratio_of_sums" and not frame.empty:
            frame = frame.drop(columns=[_("common.numerator"), _("common.denominator")])
        return frame

    spec = REGISTRIES[ind.source]
    reg = spec.model
    row_filter, _num = _split_filter(ind)
    conds = [spec.valid_on(period.count_date)]
    if row_filter:
        conds.append(spec.condition(row_filter, period.count_date))
    if ind.rollup == "share_with_rows":
        facts = _unit_facts(session, ind, [period], district_id)
        stmt = (
            sa.select(
                district_name,
                OrgUnit.gso_code,
                OrgUnit.name,
                OrgUnit.kind,
                facts.c.num,
                facts.c.rep,
            )
            .select_from(facts)
            .join(OrgUnit, OrgUnit.id == facts.c.uid)
            .outerjoin(parent, parent.id == OrgUnit.parent_id)
            .where(*base)
            .order_by(OrgUnit.gso_code)
        )
        return pd.DataFrame(
            [
                {
                    owner_col: r[0],
                    _("common.code"): r[1],
                    _("common.unit"): r[2],
                    _("common.kind"): _(f"kind.{r[3]}"),
                    _("common.value"): _("common.yes")
                    if r[4]
                    else (_("common.no") if r[5] else _("figure.not_reported_unit")),
                }
                for r in session.execute(stmt).all()
            ]
        )
    stmt = (
        sa.select(district_name, OrgUnit.gso_code, OrgUnit.name, reg)
        .select_from(reg)
        .join(  # listed under the unit the row counts for (`services.lineage`)
            UnitHeir,
            sa.and_(UnitHeir.unit_id == reg.unit_id, UnitHeir.valid_on(period.count_date)),
        )
        .join(OrgUnit, OrgUnit.id == UnitHeir.heir_id)
        .outerjoin(parent, parent.id == OrgUnit.parent_id)
        .where(*conds, *base)
        .order_by(OrgUnit.gso_code, reg.id)
    )
    from dashboard.services.registries import row_to_display

    out = []
    for r in session.execute(stmt).all():
        row = {owner_col: r[0], _("common.code"): r[1], _("common.unit"): r[2]}
        row.update(row_to_display(spec, r[3]))
        out.append(row)
    return pd.DataFrame(out)


def _value_display(ind: Indicator, r) -> str:
    if ind.value_type == "boolean":
        if r.value_bool is None:
            return _("figure.not_reported_unit")
        return _("common.yes") if r.value_bool else _("common.no")
    if ind.value_type == "ratio":
        if r.numerator is None or r.denominator is None:
            return _("figure.not_reported_unit")
        if not r.denominator:
            return "–"
        return fmt_pct(100.0 * r.numerator / r.denominator)
    return fmt_number(r.value_num) if r.value_num is not None else _("figure.not_reported_unit")


# --- summaries for pages and exports ---------------------------------------------------------


def summary(
    session: so.Session,
    period: Period,
    district_id: int | None = None,
    pillar: str | None = None,
    exclude: tuple[str, ...] = (),
    approved_only: bool = False,
) -> list[tuple[Indicator, Progress, list[Figure]]]:
    """Every indicator (of a pillar) with its figure, target, projection and the trend of the
    period's kind (years, half-years or quarters), computed together (one query on the
    pre-aggregated cells)."""
    periods = list_periods(session, period.kind)
    unit = session.get(OrgUnit, district_id) if district_id is not None else None
    inds = [
        ind
        for ind in list_indicators(session, pillar)
        if not (district_id is not None and ind.level.code == "province")
        and not (pillar is None and ind.pillar in exclude)
        and scope.in_force(ind, period.start_date, period.end_date)
    ]
    yearly = any(p.id == period.id for p in periods)
    trends = aggregate_many(
        session, inds, periods if yearly else [*periods, period], district_id, approved_only
    )
    out = []
    for ind in inds:
        figures = trends[ind.id]
        current = next(f for f in figures if f.period == period.code)
        if not yearly:
            figures = [f for f in figures if f.period != period.code]
        in_force = {p.code for p in periods if scope.in_force(ind, p.start_date, p.end_date)}
        figures = [f for f in figures if f.period in in_force or f.period == period.code]
        out.append((ind, progress_of(ind, period, current, figures, unit), figures))
    return out


def level_label(ind: Indicator) -> str:
    code = ind.level.code + ("+" + ind.extra_level.code if ind.extra_level else "")
    return _(f"level.{code}")


def population_label(ind: Indicator) -> str:
    """Which units a figure counts, from the indicator's `unit_kinds` (the same field the
    engine counts by): `chỉ xã` for the indicators of rural communes only, `mọi đơn vị cấp xã`
    when wards and townships count too; empty above the commune level."""
    if ind.kinds:
        return _("population.only", kinds=", ".join(_(f"kind.{k}").lower() for k in ind.kinds))
    if ind.level.code == "commune":
        return _("population.all_communes")
    return ""


def level_text(ind: Indicator) -> str:
    """The level and, at the commune level, the units counted: `Cấp xã · chỉ xã`."""
    population = population_label(ind)
    return f"{level_label(ind)} · {population}" if population else level_label(ind)


def summary_frame(rows: list[tuple[Indicator, Progress, list[Figure]]]) -> pd.DataFrame:
    """The summary as a table, in Vietnamese column names (for display and export)."""
    data = []
    for ind, prog, _figures in rows:
        fig = prog.figure
        target = prog.target
        data.append(
            {
                _("common.code"): ind.code,
                _("filter.indicator"): ind.name,
                _("common.level"): level_text(ind),
                _("common.legal_basis"): ind.legal_basis,
                _("filter.period"): fig.period,
                _("common.current"): fig.display,
                _("figure.coverage"): fig.coverage,
                _("figure.units_expected"): fig.expected,
                _("figure.units_reported"): fig.reported,
                _("figure.units_approved"): fig.approved,
                _("common.numerator"): fig.numerator,
                _("common.denominator"): fig.denominator,
                _("common.target"): target_text(ind, prog),
                _("common.gap"): _gap_text(fig, prog),
                _("common.projection", year=target.target_year if target else 2025): (
                    _format_value(fig, prog.projected) if prog.projected is not None else ""
                ),
                _("common.status"): status_text(prog),
                _("figure.basis"): prog.basis,
            }
        )
    frame = pd.DataFrame(data)
    if not any(prog.figure.approved_only for _i, prog, _f in rows):
        frame = frame.drop(columns=[_("figure.units_approved")], errors="ignore")
    return frame


def _format_value(fig: Figure, value: float | None) -> str:
    return fmt_pct(value) if fig.is_percent else fmt_number(value)


def _target_value(ind: Indicator, value: float) -> str:
    return fmt_pct(value) if ind.rollup in PERCENT_ROLLUPS else fmt_number(value)


def _gap_text(fig: Figure, prog: Progress) -> str:
    """The figure against its target in words: `Còn thiếu 12,3 điểm phần trăm`, `Còn thiếu 1 mô
    hình`, `Đã đạt mục tiêu` (exactly), `Đã vượt mục tiêu`; empty without a figure or target."""
    if prog.gap is None:
        return ""
    if prog.gap <= 0:
        exceeded = fig.value is not None and fig.value > prog.target.target_value
        return _("meaning.gap.exceeded") if exceeded else _("common.gap_reached")
    if fig.is_percent:
        digits = 0 if round(prog.gap, 1) == round(prog.gap) else 1
        return _("common.points", value=fmt_number(prog.gap, digits))
    return _("meaning.gap.count", value=f"{fmt_number(prog.gap)} {fig.unit}".strip())


def status_text(prog: Progress) -> str:
    if prog.target is None:
        return ""
    if prog.on_track is None:
        return _("common.no_projection")
    return _("common.on_track") if prog.on_track else _("common.off_track")


def target_text(ind: Indicator, prog: Progress) -> str:
    """The target `prog` is compared with, e.g. `≥ 90% (2025)`, with the milestone of the
    period's year when one is set (`≥ 90% (2025); mốc 2023: ≥ 60%`). A district or commune
    without a target of its own says so (the province's target is not its own)."""
    target = prog.target
    if target is None:
        if prog.own_scope and ind.targets:
            return _("target_scope.none_own")
        return _("common.no_target")
    text = f"≥ {_target_value(ind, target.target_value)} ({target.target_year})"
    if prog.milestone is not None:
        milestone = _target_value(ind, prog.milestone)
        text += "; " + _("target_scope.milestone", year=prog.year, value=f"≥ {milestone}")
    return text


def gap_text(prog: Progress) -> str:
    return _gap_text(prog.figure, prog)


def projected_text(prog: Progress) -> str:
    if prog.projected is None:
        return ""
    return _format_value(prog.figure, prog.projected)
