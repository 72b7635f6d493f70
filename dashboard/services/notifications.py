"""In-app notifications about district reports, and their optional e-mail.

- A transition notifies, in its own transaction (`on_transition`): the district's editors when
  the report is returned (with the reason), reopened (with the reason) or approved; the
  Coordination Office (administrators) when it is submitted. The one who acted is not notified.
- "Deadline approaching": an editor whose district's report of a period is still draft or
  returned, `REMIND_DAYS` days or fewer before its deadline, gets one reminder per period and
  deadline (`remind`, `remind_all`; idempotent through `dedupe_key`, also under concurrency).
- Each user reads and marks only their own notifications (`for_user`, `mark_read`).
- Messages are stored as `kind` + `params` and put into words when shown (`shown`), in the
  reader's language; e-mail (`send_emails`, after the commit) in Vietnamese and English.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so
from sqlalchemy.dialects import postgresql, sqlite

from dashboard.auth import policy
from dashboard.i18n import _, fmt_date, fmt_datetime
from dashboard.models import DistrictReport, Notification, OrgUnit, Period, Programme, User
from dashboard.services import mail

log = logging.getLogger(__name__)

REMIND_DAYS = 7  # "deadline approaching": this many days before the deadline, or fewer
PENDING_STATUSES = ("draft", "returned")  # a report still to be sent
LIST_LIMIT = 30

# Which transition notifies whom, under which kind.
ACTION_KINDS = {
    "submit": "submitted",
    "return": "returned",
    "reopen": "reopened",
    "approve": "approved",
}
FOR_OFFICE = {"submitted"}
# Each kind's message (parameters: district, period, reason, deadline).
MESSAGE_KEYS = {
    "submitted": "notify.submitted",
    "returned": "notify.returned",
    "reopened": "notify.reopened",
    "approved": "notify.approved",
    "deadline": "notify.deadline",
}
ENTRY_PATH = "/nhap-lieu"
PROGRESS_PATH = "/tien-do-bao-cao"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- who is told ------------------------------------------------------------------------------


def _active_users(session: so.Session) -> list[User]:
    return list(session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.id)))


def district_editors(session: so.Session, district: OrgUnit) -> list[User]:
    """The active accounts limited to `district` (its editors), by the policy's scope."""
    out = []
    for user in _active_users(session):
        unit = policy.scope_unit(user)
        if unit is not None and unit.id == district.id:
            out.append(user)
    return out


def office(session: so.Session) -> list[User]:
    """The Coordination Office: the active administrators."""
    return [u for u in _active_users(session) if policy.can_administer(u)]


def recipients(session: so.Session, kind: str, district: OrgUnit, actor: User | None):
    """Who is told of `kind` about `district`'s report, the actor left out."""
    people = office(session) if kind in FOR_OFFICE else district_editors(session, district)
    actor_id = getattr(actor, "id", None)
    return [u for u in people if u.id != actor_id]


# --- writing ---------------------------------------------------------------------------------


def _params(district: OrgUnit, period: Period, **extra) -> str:
    data = {"district": district.name, "district_code": district.gso_code, "period": period.code}
    data.update({k: v for k, v in extra.items() if v not in (None, "")})
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def on_transition(
    session: so.Session,
    actor: User | None,
    action: str,
    district: OrgUnit,
    period: Period,
    reason: str | None,
) -> list[Notification]:
    """The notifications of a transition, added to the session (the caller commits them with
    the transition). Returns them, flushed (with their ids)."""
    kind = ACTION_KINDS.get(action)
    if kind is None:
        return []
    params = _params(district, period, reason=reason)
    now = _now()
    created = [
        Notification(
            user_id=user.id,
            kind=kind,
            district_id=district.id,
            period_id=period.id,
            params=params,
            created_at=now,
        )
        for user in recipients(session, kind, district, actor)
    ]
    session.add_all(created)
    session.flush()
    return created


def _insert_once(session: so.Session, values: dict) -> int | None:
    """Insert a notification unless one with its `dedupe_key` exists (also when another
    process inserts it at the same moment); the new row's id, or None."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Notification.id)
    )
    return session.execute(stmt).scalar()


def _reminders_due(session: so.Session, district: OrgUnit, today: dt.date):
    """The periods whose deadline is `today` to `REMIND_DAYS` days ahead, in which `district`
    reports (it is at the period's reporting level and exists on its count date), and whose
    report of `district` is not sent yet."""
    soon = today + dt.timedelta(days=REMIND_DAYS)
    exists = Period.count_date >= district.valid_from
    if district.valid_to is not None:
        exists = sa.and_(exists, Period.count_date <= district.valid_to)
    return session.execute(
        sa.select(Period)
        .join(Programme, Programme.id == Period.programme_id)
        .where(Programme.reporting_level_id == district.level_id, exists)
        .outerjoin(
            DistrictReport,
            sa.and_(
                DistrictReport.period_id == Period.id, DistrictReport.district_id == district.id
            ),
        )
        .where(
            Period.deadline >= today,
            Period.deadline <= soon,
            sa.or_(DistrictReport.id.is_(None), DistrictReport.status.in_(PENDING_STATUSES)),
        )
        .order_by(Period.deadline)
    ).scalars()


def remind(session: so.Session, user: User | None, today: dt.date) -> list[int]:
    """Create the "deadline approaching" reminders `user` (an editor) is due on `today`, once
    per period and deadline, and commit them. Returns the new notifications' ids."""
    district = policy.scope_unit(user)
    if district is None:
        return []
    created = []
    for period in _reminders_due(session, district, today):
        new_id = _insert_once(
            session,
            {
                "user_id": user.id,
                "kind": "deadline",
                "district_id": district.id,
                "period_id": period.id,
                "params": _params(district, period, deadline=period.deadline.isoformat()),
                "created_at": _now(),
                "dedupe_key": f"deadline:{user.id}:{period.id}:{period.deadline.isoformat()}",
            },
        )
        if new_id is not None:
            created.append(new_id)
    if created:
        session.commit()
    return created


def remind_all(session: so.Session, today: dt.date) -> list[int]:
    """`remind` for every active editor (for a daily `ntm-dashboard remind`)."""
    created = []
    for user in _active_users(session):
        created += remind(session, user, today)
    return created


# --- reading ---------------------------------------------------------------------------------


def _own(user: User | None):
    """The condition "belongs to `user`"; nothing for an account that may not read."""
    if not policy.can_read(user):
        return sa.false()
    return Notification.user_id == user.id


def for_user(session: so.Session, user: User | None, limit: int = LIST_LIMIT) -> list[Notification]:
    """The user's own notifications, newest first."""
    return list(
        session.scalars(
            sa.select(Notification)
            .where(_own(user))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: so.Session, user: User | None) -> int:
    return session.scalar(
        sa.select(sa.func.count(Notification.id)).where(_own(user), Notification.read_at.is_(None))
    )


def mark_read(session: so.Session, user: User | None, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own unread notifications read (all, or those of `ids`); ids of other
    users' notifications change nothing. Returns how many were marked."""
    stmt = sa.update(Notification).where(_own(user), Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids)))
    count = session.execute(
        stmt.values(read_at=_now()), execution_options={"synchronize_session": False}
    ).rowcount
    session.commit()
    return count


@dataclass(frozen=True)
class Shown:
    """A notification as shown: text, time, link, whether it is unread."""

    id: int
    text: str
    at: str
    href: str
    unread: bool


def _data(notification: Notification) -> dict:
    try:
        data = json.loads(notification.params or "{}")
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def text_of(notification: Notification, lang: str | None = None) -> str:
    """The message in `lang` (default: the request's language)."""
    data = _data(notification)
    key = MESSAGE_KEYS.get(notification.kind)
    if key is None:
        return notification.kind
    deadline = data.get("deadline")
    return _(
        key,
        lang=lang,
        district=data.get("district", ""),
        period=data.get("period", ""),
        reason=data.get("reason") or "–",
        deadline=fmt_date(dt.date.fromisoformat(deadline)) if deadline else "–",
    )


def link_of(notification: Notification) -> str:
    """The data-entry page of the district and period (the progress page without them)."""
    from urllib.parse import urlencode

    data = _data(notification)
    if not data.get("district_code") or not data.get("period"):
        return PROGRESS_PATH
    return (
        f"{ENTRY_PATH}?{urlencode({'district': data['district_code'], 'period': data['period']})}"
    )


def shown(notification: Notification) -> Shown:
    return Shown(
        id=notification.id,
        text=text_of(notification),
        at=fmt_datetime(notification.created_at),
        href=link_of(notification),
        unread=notification.read_at is None,
    )


# --- e-mail ----------------------------------------------------------------------------------


def _mail_of(notification: Notification, address: str) -> mail.Mail:
    text_vi = text_of(notification, lang="vi")
    text_en = text_of(notification, lang="en")
    link = link_of(notification)
    return mail.Mail(
        to=address,
        subject=_("notify.email_subject", lang="vi", text=text_vi)[:200],
        body=_("notify.email_body", lang="vi", text=text_vi, link=link)
        + "\n\n---\n\n"
        + _("notify.email_body", lang="en", text=text_en, link=link),
    )


def send_emails(session: so.Session, ids: list[int], settings: mail.MailSettings) -> int:
    """E-mail the notifications `ids` not e-mailed yet to their recipients who have an address,
    then record `emailed_at`. Call after the notifications are committed: a failure (server
    down, address refused, database error while recording) is logged and changes nothing else.
    Returns how many were sent."""
    if not settings.enabled or not ids:
        return 0
    try:
        rows = session.execute(
            sa.select(Notification, User)
            .join(User, User.id == Notification.user_id)
            .where(Notification.id.in_(ids), Notification.emailed_at.is_(None))
            .order_by(Notification.id)
        ).all()
        # Users have no e-mail column yet: an account without an address gets no mail.
        pending = [(n, u.email) for n, u in rows]
        pending = [(n, address) for n, address in pending if address]
        results = mail.send_all(settings, [_mail_of(n, address) for n, address in pending])
        now = _now()
        sent = [n for (n, _address), ok in zip(pending, results, strict=True) if ok]
        for notification in sent:
            notification.emailed_at = now
        session.commit()
        return len(sent)
    except Exception:  # e-mail must never undo or break the change that caused it
        session.rollback()
        log.exception("Notification e-mail failed")
        return 0
