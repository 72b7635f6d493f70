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
from dashboard.i18n import _, fmt_number, fmt_pct, fmt_share
from dashboard.models import (
    DistrictReport,
    Indicator,
    IndicatorValue,
    Level,
    OrgUnit,
    Period,
    Target,
    User,
)
from dashboard.services.registry_specs import REGISTRIES

PERCENT_ROLLUPS = {"share_meeting", "ratio_of_sums", "share_with_rows", "share_of_rows"}
COUNTING_ROLLUPS = {"share_meeting", "share_with_rows", "share_of_rows"}


@dataclass(frozen=True)
class Figure:
    """One computed figure. `value` is a percent for shares and ratios, else a count."""

    indicator: str
    period: str
    numerator: float | None
    denominator: float | None
    expected: int = 0
    reported: int = 0
    rollup: str = "share_meeting"
    unit: str = ""

    @property
    def is_percent(self) -> bool:
        return self.rollup in PERCENT_ROLLUPS

    @property
    def value(self) -> float | None:
        if self.is_percent:
            if not self.denominator or self.numerator is None:
                return None
            return 100.0 * self.numerator / self.denominator
        return self.numerator

    @property
    def display(self) -> str:
        """`95/182 (52,2%)` for counts of units, `85,3%` for ratios, `3` for counts."""
        if self.rollup in COUNTING_ROLLUPS:
            return fmt_share(self.numerator, self.denominator)
        if self.is_percent:
            return fmt_pct(self.value)
        return fmt_number(self.value)

    @property
    def detail(self) -> str:
        """Numerator and denominator of a ratio of sums, e.g. `12.345/14.470 hồ sơ`."""
        if self.rollup == "ratio_of_sums" and self.denominator:
            return (
                f"{fmt_number(self.numerator)}/{fmt_number(self.denominator)} {self.unit}".strip()
            )
        return ""


@dataclass(frozen=True)
class Progress:
    """A figure set against its target, with the value projected to the target year."""

    figure: Figure
    target: Target | None
    projected: float | None

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
        if self.target is None:
            return None
        if self.met:
            return True
        if self.projected is None:
            return None
        return self.projected >= self.target.target_value


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


def list_periods(session: so.Session, kind: str = "year") -> list[Period]:
    stmt = sa.select(Period).where(Period.kind == kind).order_by(Period.start_date)
    return list(session.scalars(stmt))


def latest_period(session: so.Session) -> Period | None:
    """The latest yearly period that has any reported value (else the latest yearly period)."""
    stmt = (
        sa.select(Period)
        .join(IndicatorValue, IndicatorValue.period_id == Period.id)
        .where(Period.kind == "year")
        .order_by(Period.end_date.desc())
        .limit(1)
    )
    period = session.scalar(stmt)
    if period is None:
        periods = list_periods(session)
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


def district_by_code(session: so.Session, code: str | None) -> OrgUnit | None:
    """The district with GSO code `code` (its latest state), or None."""
    return scope.find_district(session, code)


def target_for(indicator: Indicator) -> Target | None:
    """The end-of-programme target of the indicator at the level it counts over."""
    targets = sorted(indicator.targets, key=lambda t: t.target_year)
    return targets[-1] if targets else None


# --- the aggregate query ---------------------------------------------------------------------


def _split_filter(ind: Indicator) -> tuple[str, str]:
    row_filter, _sep, numerator = ind.source_filter.partition(":")
    return row_filter, numerator


def district_column(session: so.Session) -> sa.ColumnElement:
    """SQL: the id of the district the `OrgUnit` row of a query belongs to."""
    return scope.district_owner(level_id(session, "district"))


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


def aggregate(
    session: so.Session,
    ind: Indicator,
    periods: list[Period],
    *,
    by_district: bool = False,
    district_id: int | None = None,
    approved_only: bool = False,
) -> list[Figure | tuple[int | None, Figure]]:
    """Compute `ind` for each period (and each district when `by_district`).

    Returns one `Figure` per period in the order given, or `(district_id, Figure)` pairs when
    `by_district` is true. Units are those valid at each period's end. With `approved_only`,
    only records of districts whose report for the period is approved count (the denominators
    of unit counts stay all units, so the figure shows what is published).
    """
    if not periods:
        return []
    d_level = level_id(session, "district")
    district = scope.district_owner(d_level)
    group_col = district if by_district else sa.null()
    unit_valid = OrgUnit.valid_on(Period.end_date)
    where = [Period.id.in_([p.id for p in periods])]
    if district_id is not None:
        where.append(district == district_id)

    if ind.source == "values":
        value = so.aliased(IndicatorValue)
        on = sa.and_(
            value.indicator_id == ind.id, value.period_id == Period.id, value.unit_id == OrgUnit.id
        )
        if approved_only:
            on = sa.and_(on, approved_clause(district))
        if ind.rollup == "share_meeting":
            num = sa.func.sum(sa.case((value.value_bool.is_(True), 1), else_=0))
            den = sa.func.count(OrgUnit.id)
        elif ind.rollup == "ratio_of_sums":
            num = sa.func.sum(value.numerator)
            den = sa.func.sum(value.denominator)
        else:  # sum
            num = sa.func.sum(value.value_num)
            den = sa.literal(None)
        cols = [num, den, sa.func.count(OrgUnit.id), sa.func.count(value.id)]
        stmt = (
            sa.select(Period.id, group_col, *cols)
            .select_from(Period)
            .join(OrgUnit, unit_valid)
            .outerjoin(value, on)
            .where(scope.applies_clause(ind), *where)
        )
    else:
        spec = REGISTRIES[ind.source]
        reg = spec.model
        row_filter, numerator_cond = _split_filter(ind)
        conds = [spec.valid_on(Period.end_date)]
        if row_filter:
            conds.append(spec.conditions[row_filter])
        if ind.rollup == "share_with_rows":
            has_row = sa.exists().where(reg.unit_id == OrgUnit.id, *conds)
            if approved_only:  # unapproved districts' rows do not count; their units still do
                has_row = sa.and_(has_row, approved_clause(district))
            num = sa.func.sum(sa.case((has_row, 1), else_=0))
            cols = [num, sa.func.count(OrgUnit.id), sa.func.count(OrgUnit.id), sa.literal(0)]
            stmt = (
                sa.select(Period.id, group_col, *cols)
                .select_from(Period)
                .join(OrgUnit, unit_valid)
                .where(scope.applies_clause(ind), *where)
            )
        else:  # share_of_rows, count_rows: the registry rows themselves are counted
            if ind.rollup == "share_of_rows":
                num = sa.func.sum(sa.case((spec.conditions[numerator_cond], 1), else_=0))
                den = sa.func.count(reg.id)
            else:
                num = sa.func.count(reg.id)
                den = sa.literal(None)
            cols = [num, den, sa.func.count(reg.id), sa.literal(0)]
            if approved_only:
                where.append(approved_clause(district))
            stmt = (
                sa.select(Period.id, group_col, *cols)
                .select_from(Period)
                .join(reg, sa.and_(*conds))
                .join(OrgUnit, sa.and_(OrgUnit.id == reg.unit_id, unit_valid))
                .where(*where)
            )

    group = [Period.id, district] if by_district else [Period.id]
    rows = session.execute(stmt.group_by(*group)).all()
    code_of = {p.id: p.code for p in periods}

    def make(pid, numer, denom, expected, reported) -> Figure:
        if ind.rollup in {"count_rows", "share_with_rows", "share_meeting"}:
            numer = numer or 0
        return Figure(
            indicator=ind.code,
            period=code_of[pid],
            numerator=float(numer) if numer is not None else None,
            denominator=float(denom) if denom is not None else None,
            expected=int(expected or 0),
            reported=int(reported or 0),
            rollup=ind.rollup,
            unit=ind.unit,
        )

    if by_district:
        return [(row[1], make(row[0], *row[2:])) for row in rows]
    found = {row[0]: make(row[0], *row[2:]) for row in rows}
    return [found.get(p.id) or make(p.id, None, None, 0, 0) for p in periods]


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
) -> list[Figure]:
    """The figure for every yearly period (or the `periods` given), oldest first."""
    if periods is None:
        periods = list_periods(session)
    return aggregate(session, ind, periods, district_id=district_id, approved_only=approved_only)


def project(figures: list[Figure], upto_year: int, target_year: int) -> float | None:
    """Value expected in `target_year` at the pace so far (least-squares line over the years
    up to `upto_year` that have a value), capped at 0-100 for percents."""
    points = [(int(f.period[:4]), f.value) for f in figures if f.value is not None]
    points = [(x, y) for x, y in points if x <= upto_year]
    if not points:
        return None
    if len(points) == 1 or upto_year >= target_year:
        return points[-1][1]
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    value = points[-1][1] + slope * (target_year - points[-1][0])
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
    """The figure for `period` against its target, and the yearly trend it was projected from."""
    figures = trend(session, ind, district_id, periods, approved_only)
    current = next((f for f in figures if f.period == period.code), None)
    if current is None:
        current = compute(session, ind, period, district_id, approved_only)
    target = target_for(ind)
    projected = None
    if target is not None:
        projected = project(figures, period.year, target.target_year)
    return Progress(current, target, projected), figures


def by_district(
    session: so.Session, ind: Indicator, period: Period, approved_only: bool = False
) -> pd.DataFrame:
    """One row per district valid at the period's end: code, name, figure columns."""
    results = dict(aggregate(session, ind, [period], by_district=True, approved_only=approved_only))
    rows = []
    for district in list_districts(session, period.end_date):
        fig = results.get(district.id)
        rows.append(
            {
                "district_code": district.gso_code,
                "district": district.name,
                "numerator": fig.numerator if fig else None,
                "denominator": fig.denominator if fig else None,
                "value": fig.value if fig else None,
                "display": fig.display if fig else "–",
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
    d_level = level_id(session, "district")
    parent = so.aliased(OrgUnit)
    district = scope.district_owner(d_level)
    base = [OrgUnit.valid_on(period.end_date)]
    if district_id is not None:
        base.append(district == district_id)
    district_name = scope.district_name(d_level, parent).label("district")

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
                    approved_clause(district, period.id) if approved_only else sa.true(),
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
                    _("common.district"): r.district,
                    _("common.code"): r.gso_code,
                    _("common.unit"): r.name,
                    _("common.kind"): _(f"kind.{r.kind}"),
                    _("common.value"): _value_display(ind, r),
                    _("common.numerator"): r.numerator,
                    _("common.denominator"): r.denominator,
                    _("common.updated_by"): r.username or "",
                    _("common.updated_at"): r.updated_at.strftime("%d/%m/%Y %H:%M")
                    if r.updated_at
                    else "",
                }
            )
        frame = pd.DataFrame(out)
        if ind.rollup != "ratio_of_sums" and not frame.empty:
            frame = frame.drop(columns=[_("common.numerator"), _("common.denominator")])
        return frame

    spec = REGISTRIES[ind.source]
    reg = spec.model
    row_filter, _num = _split_filter(ind)
    conds = [spec.valid_on(period.end_date)]
    if row_filter:
        conds.append(spec.conditions[row_filter])
    if approved_only:
        conds.append(approved_clause(district, period.id))
    if ind.rollup == "share_with_rows":
        count = (
            sa.select(sa.func.count(reg.id))
            .where(reg.unit_id == OrgUnit.id, *conds)
            .correlate(OrgUnit)
            .scalar_subquery()
        )
        stmt = (
            sa.select(district_name, OrgUnit.gso_code, OrgUnit.name, OrgUnit.kind, count)
            .select_from(OrgUnit)
            .outerjoin(parent, parent.id == OrgUnit.parent_id)
            .where(scope.applies_clause(ind), *base)
            .order_by(OrgUnit.gso_code)
        )
        label = _(f"registry.{ind.source}")
        return pd.DataFrame(
            [
                {
                    _("common.district"): r[0],
                    _("common.code"): r[1],
                    _("common.unit"): r[2],
                    _("common.kind"): _(f"kind.{r[3]}"),
                    label: int(r[4]),
                    _("common.value"): _("common.yes") if r[4] else _("common.no"),
                }
                for r in session.execute(stmt).all()
            ]
        )
    stmt = (
        sa.select(district_name, OrgUnit.gso_code, OrgUnit.name, reg)
        .select_from(reg)
        .join(OrgUnit, OrgUnit.id == reg.unit_id)
        .outerjoin(parent, parent.id == OrgUnit.parent_id)
        .where(*conds, *base)
        .order_by(OrgUnit.gso_code, reg.id)
    )
    from dashboard.services.registries import row_to_display

    out = []
    for r in session.execute(stmt).all():
        row = {_("common.district"): r[0], _("common.code"): r[1], _("common.unit"): r[2]}
        row.update(row_to_display(spec, r[3]))
        out.append(row)
    return pd.DataFrame(out)


def _value_display(ind: Indicator, r) -> str:
    if ind.value_type == "boolean":
        if r.value_bool is None:
            return _("common.none")
        return _("common.yes") if r.value_bool else _("common.no")
    if ind.value_type == "ratio":
        if not r.denominator:
            return _("common.none")
        return fmt_pct(100.0 * (r.numerator or 0) / r.denominator)
    return fmt_number(r.value_num) if r.value_num is not None else _("common.none")


# --- summaries for pages and exports ---------------------------------------------------------


def summary(
    session: so.Session,
    period: Period,
    district_id: int | None = None,
    pillar: str | None = None,
    exclude: tuple[str, ...] = (),
    approved_only: bool = False,
) -> list[tuple[Indicator, Progress, list[Figure]]]:
    """Every indicator (of a pillar) with its figure, target, projection and yearly trend."""
    out = []
    periods = list_periods(session)
    for ind in list_indicators(session, pillar):
        if district_id is not None and ind.level.code == "province":
            continue
        if pillar is None and ind.pillar in exclude:
            continue
        prog, figures = progress(session, ind, period, district_id, periods, approved_only)
        out.append((ind, prog, figures))
    return out


def level_label(ind: Indicator) -> str:
    code = ind.level.code + ("+" + ind.extra_level.code if ind.extra_level else "")
    return _(f"level.{code}")


def summary_frame(rows: list[tuple[Indicator, Progress, list[Figure]]]) -> pd.DataFrame:
    """The summary as a table, in Vietnamese column names (for display and export)."""
    data = []
    for ind, prog, _figures in rows:
        fig = prog.figure
        target = prog.target
        data.append(
            {
                _("common.code"): ind.code,
                _("filter.indicator"): ind.name_vi,
                _("common.level"): level_label(ind),
                _("common.legal_basis"): ind.legal_basis,
                _("filter.period"): fig.period,
                _("common.current"): fig.display,
                _("common.numerator"): fig.numerator,
                _("common.denominator"): fig.denominator,
                _("common.target"): _target_text(ind, target),
                _("common.gap"): _gap_text(fig, prog),
                _("common.projection", year=target.target_year if target else 2025): (
                    _format_value(fig, prog.projected) if prog.projected is not None else ""
                ),
                _("common.status"): status_text(prog),
            }
        )
    return pd.DataFrame(data)


def _format_value(fig: Figure, value: float | None) -> str:
    return fmt_pct(value) if fig.is_percent else fmt_number(value)


def _target_text(ind: Indicator, target: Target | None) -> str:
    if target is None:
        return _("common.no_target")
    value = (
        fmt_pct(target.target_value)
        if ind.rollup in PERCENT_ROLLUPS
        else fmt_number(target.target_value)
    )
    return f"≥ {value} ({target.target_year})"


def _gap_text(fig: Figure, prog: Progress) -> str:
    if prog.gap is None:
        return ""
    if prog.gap <= 0:
        return _("common.gap_reached")
    if fig.is_percent:
        return _("common.points", value=fmt_number(prog.gap, 1))
    return _format_value(fig, prog.gap)


def status_text(prog: Progress) -> str:
    if prog.target is None:
        return ""
    if prog.on_track is None:
        return _("common.no_projection")
    return _("common.on_track") if prog.on_track else _("common.off_track")


def target_text(ind: Indicator) -> str:
    return _target_text(ind, target_for(ind))


def gap_text(prog: Progress) -> str:
    return _gap_text(prog.figure, prog)


def projected_text(prog: Progress) -> str:
    if prog.projected is None:
        return ""
    return _format_value(prog.figure, prog.projected)
