"""Writing the audit trail: every accepted change, in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import orm as so

from dashboard.models import AuditLog, User


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
