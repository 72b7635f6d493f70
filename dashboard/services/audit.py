"""Writing the audit trail: every accepted change, in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.i18n import _, fmt_datetime
from dashboard.models import AuditLog, OrgUnit, User
from dashboard.scope import within_district


def _json(data: dict | None) -> str | None:
    if data is None:
        return None
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


def record(
    session: so.Session,
    user: User | None,
    action: str,
    entity: str,
    *,
    entity_id: int | None = None,
    unit_id: int | None = None,
    indicator_code: str | None = None,
    period_code: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLog:
    entry = AuditLog(
        at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        user_id=getattr(user, "id", None),
        username=getattr(user, "username", None) or "system",
        action=action,
        entity=entity,
        entity_id=entity_id,
        unit_id=unit_id,
        indicator_code=indicator_code,
        period_code=period_code,
        before=_json(before),
        after=_json(after),
    )
    session.add(entry)
    return entry


def changed_by(session: so.Session, user_id: int | None, at: dt.datetime | None) -> dict:
    """Who last changed a record and when, as message parameters `user` and `at`."""
    user = session.get(User, user_id) if user_id else None
    name = (user.full_name or user.username) if user is not None else _("rules.someone")
    return {"user": name, "at": fmt_datetime(at)}


def _describe(text: str | None) -> str:
    """A JSON snapshot as `key: value` pairs for reading."""
    if not text:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    return ", ".join(f"{k}: {'' if v is None else v}" for k, v in data.items())


def log_frame(
    session: so.Session,
    *,
    username: str | None = None,
    unit_id: int | None = None,
    indicator_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = 5000,
):
    """Audit entries, newest first, filtered; a unit filter includes the unit's communes."""
    stmt = (
        sa.select(AuditLog, OrgUnit.name)
        .outerjoin(OrgUnit, OrgUnit.id == AuditLog.unit_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    if username:
        stmt = stmt.where(AuditLog.username == username)
    if unit_id is not None:
        stmt = stmt.where(within_district(unit_id))
    if indicator_code:
        stmt = stmt.where(AuditLog.indicator_code == indicator_code)
    if date_from is not None:
        stmt = stmt.where(AuditLog.at >= dt.datetime.combine(date_from, dt.time.min))
    if date_to is not None:
        stmt = stmt.where(AuditLog.at <= dt.datetime.combine(date_to, dt.time.max))
    rows = [
        {
            _("audit.at"): entry.at.strftime("%d/%m/%Y %H:%M:%S"),
            _("audit.user"): entry.username,
            _("audit.action"): _(f"audit.action.{entry.action.split('.')[-1]}")
            + f" ({entry.action})",
            _("common.unit"): unit_name or "",
            _("filter.indicator"): entry.indicator_code or "",
            _("filter.period"): entry.period_code or "",
            _("audit.before"): _describe(entry.before),
            _("audit.after"): _describe(entry.after),
        }
        for entry, unit_name in session.execute(stmt).all()
    ]
    columns = [
        _("audit.at"),
        _("audit.user"),
        _("audit.action"),
        _("common.unit"),
        _("filter.indicator"),
        _("filter.period"),
        _("audit.before"),
        _("audit.after"),
    ]
    return pd.DataFrame(rows, columns=columns)
