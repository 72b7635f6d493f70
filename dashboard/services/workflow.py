"""Reporting rounds: a district's report per period goes draft → submitted → approved, or is
returned with a reason; an admin can reopen it. Submitted and approved reports lock the
district's records of that period for editors. Every transition is audited and notifies the
people concerned (in the same transaction; e-mail, when configured, after the commit).

Deadlines are days in Vietnam time: a report not submitted once the period's deadline has passed
is overdue by `today − deadline` days; a report submitted after it was late by
`submission day − deadline` days. "Today" is a parameter (default `today_in_vietnam()`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.auth import policy
from dashboard.errors import Conflict, ValidationError
from dashboard.i18n import VIETNAM_TIME, _, fmt_date, fmt_datetime, fmt_number, fmt_pct
from dashboard.models import DistrictReport, OrgUnit, Period, User
from dashboard.services import audit, mail, notifications, periods, tx

# action: (statuses it starts from, status it leads to)
TRANSITIONS = {
    "submit": (("draft", "returned"), "submitted"),
    "approve": (("submitted",), "approved"),
    "return": (("submitted",), "returned"),
    "reopen": (("submitted", "approved"), "draft"),
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def today_in_vietnam(now: dt.datetime | None = None) -> dt.date:
    """The date in Vietnam (UTC+7) at `now` (an aware time; default: the current time)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(VIETNAM_TIME).date()


def vietnam_day(stored: dt.datetime) -> dt.date:
    """The Vietnam date of a stored time (naive UTC, as every time in the database)."""
    return stored.replace(tzinfo=dt.UTC).astimezone(VIETNAM_TIME).date()


def get_report(session: so.Session, district_id: int, period_id: int) -> DistrictReport | None:
    return session.scalar(
        sa.select(DistrictReport).where(
            DistrictReport.district_id == district_id, DistrictReport.period_id == period_id
        )
    )


def status_of(session: so.Session, district_id: int, period_id: int) -> str:
    report = get_report(session, district_id, period_id)
    return report.status if report else "draft"


def reporting_unit(session: so.Session, unit: OrgUnit, period: Period) -> OrgUnit | None:
    """The unit whose report for `period` covers `unit`'s records: its district before the
    two-tier reform, the commune itself after it (the period's reporting level)."""
    level = periods.reporting_level(session, period)
    return scope.reporting_unit(unit, level.id if level is not None else None)


def is_locked(session: so.Session, unit: OrgUnit, period: Period) -> bool:
    owner = reporting_unit(session, unit, period)
    if owner is None:
        return False
    return policy.is_locking(status_of(session, owner.id, period.id))


def locks(session: so.Session, unit: OrgUnit, periods_: list[Period]) -> list[policy.Lock]:
    """The submitted or approved reports covering `unit` among `periods_`, oldest first (one
    query for all the periods)."""
    owners = {p.id: (p, reporting_unit(session, unit, p)) for p in periods_}
    owners = {pid: (p, owner) for pid, (p, owner) in owners.items() if owner is not None}
    if not owners:
        return []
    rows = session.execute(
        sa.select(
            DistrictReport.period_id, DistrictReport.district_id, DistrictReport.status
        ).where(
            DistrictReport.period_id.in_(owners),
            DistrictReport.status.in_(policy.LOCKING_STATUSES),
        )
    ).all()
    found = [
        (owners[pid][0], policy.Lock(owners[pid][1].name, owners[pid][0].code, status))
        for pid, did, status in rows
        if owners[pid][1].id == did
    ]
    return [lock for _p, lock in sorted(found, key=lambda item: item[0].start_date)]


def raise_for_locked(session: so.Session, user: User | None, unit: OrgUnit, period: Period):
    """Editors may not change a district's records of a submitted or approved period."""
    if policy.can_bypass_locks(user):
        return
    policy.raise_for_locks(user, locks(session, unit, [period]))


def periods_overlapping(
    session: so.Session, start: dt.date | None, end: dt.date | None
) -> list[Period]:
    """The periods that share at least one day with [start, end] (None: open on that side)."""
    stmt = sa.select(Period)
    if start is not None:
        stmt = stmt.where(Period.end_date >= start)
    if end is not None:
        stmt = stmt.where(Period.start_date <= end)
    return list(session.scalars(stmt.order_by(Period.start_date)))


def raise_for_locked_interval(
    session: so.Session,
    user: User | None,
    unit: OrgUnit,
    start: dt.date | None,
    end: dt.date | None,
) -> None:
    """Editors may not change a record in force on any day of a locked period of the unit's
    district: a record valid from `start` to `end` (None: open) counts in every period it
    overlaps, including those after it began when it has no end."""
    if policy.can_bypass_locks(user):
        return
    policy.raise_for_locks(user, locks(session, unit, periods_overlapping(session, start, end)))


def period_of_day(session: so.Session, day: dt.date) -> Period | None:
    """The yearly period containing `day`."""
    return session.scalar(
        sa.select(Period).where(
            Period.kind == "year", Period.start_date <= day, Period.end_date >= day
        )
    )


def _load(session: so.Session, district_code_or_id, period_code: str):
    """The reporting unit (by id or GSO code) and the period of a report; the unit must be at
    the period's reporting level and exist on its count date."""
    errors: dict[str, str] = {}
    period = session.scalar(sa.select(Period).where(Period.code == str(period_code or "")))
    if period is None:
        errors["period"] = _("validation.unknown_period")
    district = None
    level = periods.reporting_level(session, period) if period is not None else None
    if isinstance(district_code_or_id, int):
        district = session.get(OrgUnit, district_code_or_id)
        if district is not None and period is not None:
            wrong_level = level is None or district.level_id != level.id
            if wrong_level or not district.is_valid_on(period.count_date):
                district = None
    elif period is not None and level is not None:
        district = scope.find_unit_at(session, level.id, district_code_or_id, period.count_date)
    if district is None:
        errors["district"] = _("validation.unknown_unit")
    if errors:
        raise ValidationError(errors)
    return district, period


@dataclass(frozen=True)
class Timing:
    """Where a report stands against its period's deadline.

    `state`: `on_time` or `late` (submitted or approved, by the submission day), `overdue` (not
    submitted and the deadline has passed), `due` (not submitted, deadline today or later),
    `open` (not submitted, no deadline) or `unknown` (sent, but no submission time recorded, or
    no deadline to compare with). `days_late`: days after the deadline (late or overdue);
    `days_left`: days until the deadline (due)."""

    deadline: dt.date | None
    state: str
    days_late: int | None = None
    days_left: int | None = None

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def on_time(self) -> bool | None:
        """True or False once submitted against a deadline, else None."""
        return {"on_time": True, "late": False}.get(self.state)

    @property
    def label(self) -> str:
        if self.state == "on_time":
            return _("workflow.on_time")
        if self.state == "late":
            return _("workflow.late")
        if self.state == "overdue":
            return _("progress.overdue")
        if self.state == "due":
            if self.days_left == 0:
                return _("progress.due_today")
            return _("progress.due_in", days=fmt_number(self.days_left))
        if self.state == "open":
            return _("workflow.not_submitted")
        return "–"


def timing(
    deadline: dt.date | None, status: str, submitted_at: dt.datetime | None, today: dt.date
) -> Timing:
    """The report's timing (see `Timing`). Submitted and approved reports are judged by their
    last submission; draft and returned ones (a returned or reopened report must be sent again)
    by `today`."""
    if policy.is_locking(status):
        if submitted_at is None or deadline is None:
            return Timing(deadline, "unknown")
        late = (vietnam_day(submitted_at) - deadline).days
        return Timing(deadline, "late", days_late=late) if late > 0 else Timing(deadline, "on_time")
    if deadline is None:
        return Timing(None, "open")
    if today > deadline:
        return Timing(deadline, "overdue", days_late=(today - deadline).days)
    return Timing(deadline, "due", days_left=(deadline - today).days)


@dataclass(frozen=True)
class ReportRow:
    district_code: str
    district: str
    status: str
    submitted_at: dt.datetime | None
    reason: str | None
    filled: int
    expected: int
    timing: Timing

    @property
    def share_filled(self) -> float:
        return 100.0 * self.filled / self.expected if self.expected else 0.0

    @property
    def deadline(self) -> dt.date | None:
        return self.timing.deadline

    @property
    def on_time(self) -> bool | None:
        return self.timing.on_time

    @property
    def overdue(self) -> bool:
        return self.timing.overdue

    @property
    def days_late(self) -> int | None:
        return self.timing.days_late


def transition(
    session: so.Session,
    user: User | None,
    action: str,
    district_code_or_id,
    period_code: str,
    reason: str | None = None,
    expected_status: str | None = None,
) -> DistrictReport:
    """Apply `action` (submit, approve, return, reopen). Checks the policy (submit: the
    district's editor or an admin; the rest: admin), the state machine, the reason where one is
    needed, and `expected_status` (the status the user saw) against lost updates.

    The audit row and the in-app notifications are written in the transition's transaction;
    e-mail (when SMTP is configured) is sent after the commit and never undoes it."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("error.bad_request")})
    if action == "submit":
        policy.raise_for_write(user)
    district, period = _load(session, district_code_or_id, period_code)
    if action == "submit":
        policy.raise_for_submit(user, district, period.count_date)
    elif action == "reopen":
        policy.raise_for_administer(user)
    else:
        policy.raise_for_decide(user)
    reason = (reason or "").strip() or None
    if action in ("return", "reopen") and not reason:
        raise ValidationError({"reason": _("workflow.reason_required")})
    if reason and len(reason) > 1000:
        raise ValidationError(
            {"reason": _("validation.too_long", field=_("workflow.reason"), max=1000)}
        )
    report = get_report(session, district.id, period.id)
    current = report.status if report else "draft"
    if expected_status is not None and expected_status != current:
        raise Conflict(_("workflow.changed", status=_(f"status.{current}")))
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise ValidationError(
            {
                "status": _(
                    "workflow.bad_transition",
                    current=_(f"status.{current}"),
                    action=_(f"workflow.action.{action}"),
                )
            }
        )

    def changed() -> str:
        now_status = status_of(session, district.id, period.id)
        return _("workflow.changed", status=_(f"status.{now_status}"))

    with tx.writing(session, changed):
        if report is None:
            report = DistrictReport(district_id=district.id, period_id=period.id, status="draft")
            session.add(report)
        before = {"status": current}
        report.status = target
        now = _now()
        if action == "submit":
            report.submitted_at, report.submitted_by_id = now, user.id
            report.reason = None
        else:
            report.decided_at, report.decided_by_id = now, user.id
            report.reason = reason
        session.flush()
        audit.record(
            session,
            user,
            f"report.{action}",
            "district_report",
            entity_id=report.id,
            unit_id=district.id,
            period_code=period.code,
            before=before,
            after={"status": target, "reason": reason},
        )
        created = notifications.on_transition(session, user, action, district, period, reason)
    notifications.send_emails(session, [n.id for n in created], mail.current_settings())
    return report


def completeness(
    session: so.Session, period: Period, today: dt.date | None = None
) -> list[ReportRow]:
    """Each district's status for the period, its timing against the deadline on `today`
    (default: today in Vietnam), and how many of the values expected from it (value indicators
    × its units valid in the period) are filled in."""
    from dashboard.models import Indicator, IndicatorValue

    end = period.count_date
    level = periods.reporting_level(session, period)
    districts = scope.list_units_at(session, level.id, end) if level is not None else []
    reports = {
        r.district_id: r
        for r in session.scalars(
            sa.select(DistrictReport).where(DistrictReport.period_id == period.id)
        )
    }
    owner = scope.district_owner(level.id if level is not None else None)
    expected_rows = session.execute(
        sa.select(owner, sa.func.count())
        .select_from(OrgUnit)
        .join(
            Indicator,
            sa.and_(
                Indicator.source == "values",
                scope.applies_join(),
                scope.indicator_in_force(period.start_date, period.end_date),
            ),
        )
        .where(OrgUnit.valid_on(end))
        .group_by(owner)
    ).all()
    filled_rows = session.execute(
        sa.select(owner, sa.func.count(IndicatorValue.id))
        .select_from(IndicatorValue)
        .join(OrgUnit, OrgUnit.id == IndicatorValue.unit_id)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(
            IndicatorValue.period_id == period.id,
            OrgUnit.valid_on(end),
            Indicator.source == "values",
            scope.applies_join(),
            scope.indicator_in_force(period.start_date, period.end_date),
        )
        .group_by(owner)
    ).all()
    expected = dict(expected_rows)
    filled = dict(filled_rows)
    today = today or today_in_vietnam()
    rows = []
    for d in districts:
        report = reports.get(d.id)
        status = report.status if report else "draft"
        submitted = report.submitted_at if report else None
        rows.append(
            ReportRow(
                district_code=d.gso_code,
                district=d.name,
                status=status,
                submitted_at=submitted,
                reason=report.reason if report else None,
                filled=int(filled.get(d.id, 0)),
                expected=int(expected.get(d.id, 0)),
                timing=timing(period.deadline, status, submitted, today),
            )
        )
    return rows


def approved_district_ids(session: so.Session, period_id: int) -> set[int]:
    return set(
        session.scalars(
            sa.select(DistrictReport.district_id).where(
                DistrictReport.period_id == period_id, DistrictReport.status == "approved"
            )
        )
    )


# The progress table's columns (message keys), in order.
PROGRESS_COLUMNS = (
    "common.code",
    "common.district",
    "common.status",
    "progress.timing",
    "progress.days_late",
    "admin.deadline",
    "progress.submitted_at",
    "progress.filled",
    "workflow.reason",
)


def progress_frame(
    session, period, rows: list[ReportRow] | None = None, today: dt.date | None = None
) -> pd.DataFrame:
    """The progress table of a period, one row per district, as the page and the downloads
    show it: status, timing (on time, late, overdue…), days late (a whole number; empty when
    not late), deadline, submission time (Vietnam), values filled, reason."""
    rows = completeness(session, period, today) if rows is None else rows
    days_late = _("progress.days_late")
    frame = pd.DataFrame(
        [
            {
                _("common.code"): r.district_code,
                _("common.district"): r.district,
                _("common.status"): _(f"status.{r.status}"),
                _("progress.timing"): r.timing.label,
                days_late: None,
                _("admin.deadline"): fmt_date(r.deadline),
                _("progress.submitted_at"): fmt_datetime(r.submitted_at),
                _("progress.filled"): f"{r.filled}/{r.expected} ({fmt_pct(r.share_filled)})",
                _("workflow.reason"): r.reason or "",
            }
            for r in rows
        ],
        columns=[_(key) for key in PROGRESS_COLUMNS],
    )
    # Whole numbers and gaps (not floats with NaN): `318`, never `318.0`.
    frame[days_late] = pd.Series([r.days_late for r in rows], dtype=object, index=frame.index)
    return frame


def progress_summary(
    session, period, rows: list[ReportRow] | None = None, today: dt.date | None = None
) -> str:
    """One line: districts submitted and approved, values filled, and against the deadline
    how many districts are overdue and how many sent late (as of `today`)."""
    today = today or today_in_vietnam()
    rows = completeness(session, period, today) if rows is None else rows
    submitted = sum(policy.is_locking(r.status) for r in rows)
    approved = sum(r.status == "approved" for r in rows)
    filled = sum(r.filled for r in rows)
    expected = sum(r.expected for r in rows)
    text = _(
        "progress.summary",
        period=period.code,
        submitted=submitted,
        approved=approved,
        total=len(rows),
        filled=fmt_pct(100.0 * filled / expected if expected else 0),
        unit=periods.reporting_noun(period),
    )
    if period.deadline is None:
        return text
    deadline_text = _(
        "progress.summary_deadline",
        deadline=fmt_date(period.deadline),
        today=fmt_date(today),
        overdue=sum(r.overdue for r in rows),
        late=sum(r.timing.state == "late" for r in rows),
        total=len(rows),
        unit=periods.reporting_noun(period),
    )
    return f"{text} {deadline_text}"


@dataclass(frozen=True)
class Approval:
    """How much of a period's data (in a scope) is approved."""

    approved: int
    total: int
    approved_only: bool
    unit: str = ""  # the reporting units, as counted in sentences (`huyện`)

    @property
    def includes_unapproved(self) -> bool:
        return not self.approved_only and self.approved < self.total

    @property
    def note(self) -> str:
        unit = self.unit or _("noun.reporting.district")
        if self.approved_only:
            return _("approval.only", approved=self.approved, total=self.total, unit=unit)
        if self.approved < self.total:
            pending = self.total - self.approved
            return _("approval.includes", pending=pending, total=self.total, unit=unit)
        return _("approval.all_approved", total=self.total, unit=unit)


def _reporting_level_id(session: so.Session, period: Period) -> int | None:
    level = periods.reporting_level(session, period)
    return level.id if level is not None else None


def approval(
    session: so.Session, period: Period, district_id: int | None = None, approved_only: bool = False
) -> Approval:
    """Approved districts among those in scope (one district, or all valid in the period)."""
    stmt = (
        sa.select(sa.func.count(OrgUnit.id), sa.func.count(DistrictReport.id))
        .select_from(OrgUnit)
        .outerjoin(
            DistrictReport,
            sa.and_(
                DistrictReport.district_id == OrgUnit.id,
                DistrictReport.period_id == period.id,
                DistrictReport.status == "approved",
            ),
        )
        .where(
            OrgUnit.level_id == _reporting_level_id(session, period),
            OrgUnit.valid_on(period.count_date),
        )
    )
    if district_id is not None:
        stmt = stmt.where(OrgUnit.id == district_id)
    total, approved = session.execute(stmt).one()
    return Approval(int(approved), int(total), approved_only, periods.reporting_noun(period))


@dataclass(frozen=True)
class AsOf:
    """When published figures of a period (in a scope) were last approved and last changed."""

    period: str
    approved_at: dt.datetime | None
    data_updated_at: dt.datetime | None


def as_of(session: so.Session, period: Period, district_id: int | None = None) -> AsOf:
    """The last approval of a district report of `period` in scope (one district, or all),
    and the last change to a value those approved reports cover."""
    from dashboard.models import IndicatorValue
    from dashboard.services.indicators import approved_clause, district_column

    approved = sa.select(sa.func.max(DistrictReport.decided_at)).where(
        DistrictReport.period_id == period.id, DistrictReport.status == "approved"
    )
    if district_id is not None:
        approved = approved.where(DistrictReport.district_id == district_id)
    district = district_column(session, period)
    updated = (
        sa.select(sa.func.max(IndicatorValue.updated_at))
        .join(OrgUnit, OrgUnit.id == IndicatorValue.unit_id)
        .where(IndicatorValue.period_id == period.id, approved_clause(district, period.id))
    )
    if district_id is not None:
        updated = updated.where(district == district_id)
    return AsOf(period.code, session.scalar(approved), session.scalar(updated))
