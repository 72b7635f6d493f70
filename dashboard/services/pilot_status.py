"""A pilot model's status on a day, and the decisions that set it.

A pilot's status is dated: each decision (proposal, approval, implementation, evaluation) is a
`PilotStatus` row, and the status on a day is the one of the latest decision dated on or
before that day; before its first decision a pilot has none. This is the one rule, written as
SQL (`status_on_clause`, used by the figures, the charts and the registry table) with its
Python twin beside it (`status_of`, for rows already loaded). `PilotModel.status` is a copy of
the latest decision's status, kept in step here.

Decisions are recorded by `record_status`: the editor of the pilot's unit (or the office),
checked by the same policy as a change to the pilot's registry row, validated, audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.auth import policy
from dashboard.errors import NotFound, ValidationError
from dashboard.i18n import _, fmt_date
from dashboard.models import PilotModel, PilotStatus, User
from dashboard.models.registries import PILOT_STATUSES
from dashboard.services import audit, tx, workflow
from dashboard.services.parsing import FieldError, parse_choice, parse_date, parse_text

# The statuses a pilot counts as approved in (PILOT-SMART: approved, implementing, evaluated).
APPROVED_STATUSES = ("approved", "implementing", "evaluated")
# A decision number is needed for every status but the proposal.
UNNUMBERED_STATUSES = ("proposed",)
NUMBER_MAX = 60
NOTE_MAX = 2000
AUDIT_ACTION = "pilot_models.record_status"
CHOICES = "status"  # the catalogue's choice list of the statuses (`choice.status.<status>`)


# --- the status on a day ----------------------------------------------------------------------


def status_on_clause(day, pilot=PilotModel) -> sa.ScalarSelect:
    """SQL: the status of `pilot` (the entity or an alias in the enclosing query) on `day` (a
    date or a column such as `Period.count_date`): the latest decision dated on or before
    it; NULL before the first decision."""
    decision = so.aliased(PilotStatus)
    return (
        sa.select(decision.status)
        .where(decision.pilot_id == pilot.id, decision.decided_on <= day)
        .order_by(decision.decided_on.desc())
        .limit(1)
        .correlate_except(decision)
        .scalar_subquery()
    )


def approved_on_clause(day, pilot=PilotModel) -> sa.ColumnElement[bool]:
    """SQL: the pilot's status on `day` counts as approved."""
    return status_on_clause(day, pilot).in_(APPROVED_STATUSES)


def status_of(decisions: Iterable[PilotStatus], day: dt.date) -> str | None:
    """Python twin of `status_on_clause` over a pilot's loaded decisions."""
    found = None
    for decision in sorted(decisions, key=lambda d: d.decided_on):
        if decision.decided_on > day:
            break
        found = decision.status
    return found


def status_on(session: so.Session, pilot: PilotModel | int, day: dt.date) -> str | None:
    """The status of a pilot (or pilot id) on `day`, read by `status_on_clause`."""
    pilot_id = pilot if isinstance(pilot, int) else pilot.id
    return session.scalar(
        sa.select(status_on_clause(day)).select_from(PilotModel).where(PilotModel.id == pilot_id)
    )


def today() -> dt.date:
    """Today in Vietnam: the day a pilot's current status is read on."""
    return workflow.today_in_vietnam()


def history(session: so.Session, pilot: PilotModel | int) -> list[PilotStatus]:
    """The pilot's decisions, oldest first."""
    pilot_id = pilot if isinstance(pilot, int) else pilot.id
    return list(
        session.scalars(
            sa.select(PilotStatus)
            .where(PilotStatus.pilot_id == pilot_id)
            .order_by(PilotStatus.decided_on)
        )
    )


def status_label(status: str) -> str:
    """A status in words (`Đã phê duyệt`)."""
    return _(f"choice.{CHOICES}.{status}")


def decision_text(decision: PilotStatus) -> str:
    """One decision in words: `Đã phê duyệt: Quyết định số 123/QĐ-UBND ngày 10/03/2023`, or
    `Đề xuất: ngày 15/11/2022` without a number."""
    status = status_label(decision.status)
    day = fmt_date(decision.decided_on)
    if decision.decision_number:
        return _("pilot_status.decision", status=status, number=decision.decision_number, date=day)
    return _("pilot_status.decision_unnumbered", status=status, date=day)


def history_text(decisions: Iterable[PilotStatus]) -> str:
    """A pilot's decisions in words, oldest first, separated by semicolons."""
    return "; ".join(decision_text(d) for d in sorted(decisions, key=lambda d: d.decided_on))


# --- recording a decision ---------------------------------------------------------------------


def _load_pilot(session: so.Session, pilot_id) -> PilotModel:
    try:
        pilot = session.get(PilotModel, int(pilot_id))
    except (TypeError, ValueError):
        pilot = None
    if pilot is None:
        raise NotFound(_("validation.unknown_row"))
    return pilot


def _parse(status, decided_on, decision_number, note) -> dict:
    """Every field checked, all errors collected (field keys as in the form)."""
    errors: dict[str, str] = {}
    out: dict = {}
    checks = (
        ("status", lambda: parse_choice(status, _("field.status"), PILOT_STATUSES)),
        ("decided_on", lambda: parse_date(decided_on, _("field.decided_on"))),
        (
            "decision_number",
            lambda: parse_text(
                decision_number,
                _("field.decision_number"),
                required=False,
                max_length=NUMBER_MAX,
            ),
        ),
        ("note", lambda: parse_text(note, _("field.note"), required=False, max_length=NOTE_MAX)),
    )
    for name, check in checks:
        try:
            out[name] = check()
        except FieldError as exc:
            errors[name] = exc.message
    if (
        "status" in out
        and out["status"] not in UNNUMBERED_STATUSES
        and "decision_number" in out
        and not out["decision_number"]
    ):
        errors["decision_number"] = _(
            "pilot_status.number_required", status=status_label(out["status"])
        )
    if errors:
        raise ValidationError(errors)
    out["decision_number"] = out["decision_number"] or ""
    return out


def _check_day(session: so.Session, pilot: PilotModel, day: dt.date) -> None:
    """A decision is dated from the pilot's proposal to today, within its unit's lifetime, and
    at most one per day."""
    from dashboard.services.registries import check_lifetime

    params = {"date": fmt_date(day)}
    if day < pilot.proposed_on:
        raise ValidationError(
            {
                "decided_on": _(
                    "pilot_status.before_proposal", proposed=fmt_date(pilot.proposed_on), **params
                )
            }
        )
    if day > today():
        raise ValidationError({"decided_on": _("pilot_status.future", **params)})
    check_lifetime(session, pilot.unit, {"decided_on": day})
    same = next((d for d in pilot.decisions if d.decided_on == day), None)
    if same is not None:
        raise ValidationError(
            {"decided_on": _("pilot_status.duplicate", status=status_label(same.status), **params)}
        )


def _in_force_until(pilot: PilotModel, day: dt.date) -> dt.date | None:
    """The last day a decision dated `day` would govern: the day before the next decision."""
    later = [d.decided_on for d in pilot.decisions if d.decided_on > day]
    return min(later) - dt.timedelta(days=1) if later else None


def snapshot(decision: PilotStatus) -> dict:
    return {
        "status": decision.status,
        "decided_on": decision.decided_on,
        "decision_number": decision.decision_number,
        "note": decision.note,
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def keep_in_step(pilot: PilotModel) -> None:
    """Set the pilot's `status` copy to its latest decision's status."""
    latest = max(pilot.decisions, key=lambda d: d.decided_on, default=None)
    if latest is not None and pilot.status != latest.status:
        pilot.status = latest.status


def record_status(
    session: so.Session,
    actor: User | None,
    pilot_id,
    status,
    decided_on,
    decision_number=None,
    note=None,
) -> PilotStatus:
    """Record that the pilot has `status` from `decided_on` by decision `decision_number`
    (required for every status but a proposal). Refused, with nothing changed: someone who may
    not change the pilot's registry row (its unit outside their scope, or a period the decision
    would count in locked by a submitted or approved report); an unknown status; a missing
    number; a date before the pilot's proposal, after today, outside its unit's lifetime, or
    already holding a decision. Audited; the pilot's `status` copy follows."""
    policy.raise_for_write(actor)
    pilot = _load_pilot(session, pilot_id)
    policy.raise_for_write_unit(actor, pilot.unit)
    values = _parse(status, decided_on, decision_number, note)
    day = values["decided_on"]
    _check_day(session, pilot, day)
    policy.raise_for_write_unit(actor, pilot.unit, day)
    workflow.raise_for_locked_interval(session, actor, pilot.unit, day, _in_force_until(pilot, day))
    with tx.writing(session, lambda: _("validation.conflict")):
        now = _now()
        decision = PilotStatus(
            status=values["status"],
            decided_on=day,
            decision_number=values["decision_number"],
            note=values["note"],
            updated_by_id=actor.id,
            updated_at=now,
            is_demo=False,
        )
        pilot.decisions.append(decision)
        keep_in_step(pilot)
        pilot.updated_by_id = actor.id
        pilot.updated_at = now
        pilot.is_demo = False
        session.flush()
        audit.record(
            session,
            actor,
            AUDIT_ACTION,
            "pilot_models",
            entity_id=pilot.id,
            unit_id=pilot.unit_id,
            after=snapshot(decision),
        )
    return decision


# --- the decisions of a pilot's registry row --------------------------------------------------


def start_history(pilot: PilotModel, user: User | None) -> None:
    """A new pilot's first decision: its proposal, on its proposal day (no number)."""
    pilot.status = UNNUMBERED_STATUSES[0]
    pilot.decisions.append(
        PilotStatus(
            status=pilot.status,
            decided_on=pilot.proposed_on,
            decision_number="",
            updated_by_id=getattr(user, "id", None),
            updated_at=_now(),
            is_demo=False,
        )
    )


def check_proposal_day(pilot: PilotModel, new_day: dt.date | None) -> None:
    """A pilot's proposal day may move while no other decision falls on or before the new
    day (the decisions dated on the old proposal day move with it)."""
    if new_day is None or new_day == pilot.proposed_on:
        return
    earlier = [
        d for d in pilot.decisions if d.decided_on != pilot.proposed_on and d.decided_on <= new_day
    ]
    if earlier:
        first = min(earlier, key=lambda d: d.decided_on)
        raise ValidationError(
            {
                "proposed_on": _(
                    "pilot_status.proposal_after_decision",
                    date=fmt_date(new_day),
                    status=status_label(first.status),
                    decided=fmt_date(first.decided_on),
                )
            }
        )


def move_proposal(pilot: PilotModel, old_day: dt.date, new_day: dt.date) -> None:
    """Move the decisions dated on the old proposal day to the new one (after
    `check_proposal_day`)."""
    if old_day == new_day:
        return
    for decision in pilot.decisions:
        if decision.decided_on == old_day:
            decision.decided_on = new_day
    keep_in_step(pilot)
