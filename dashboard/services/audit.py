"""The audit trail: every accepted change is written in the same transaction as the change
(`record`), and read back in words (`entries`, `log_frame`, `entry_detail`): actions and fields
named in the reader's language, values formatted (numbers, yes/no, dates, statuses, units),
times in Vietnam time."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.i18n import MESSAGES, _, fmt_date, fmt_datetime, fmt_number
from dashboard.models import AuditLog, Indicator, OrgUnit, User
from dashboard.scope import within_district

EMPTY = "–"


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


# --- reading the trail in words --------------------------------------------------------------

# Actions recorded by the services, and how they read.
ACTION_LABELS = {
    "value.set": "audit.verb.value_set",
    "value.clear": "audit.verb.value_clear",
    "report.submit": "audit.verb.report_submit",
    "report.approve": "audit.verb.report_approve",
    "report.return": "audit.verb.report_return",
    "report.reopen": "audit.verb.report_reopen",
    "user.create": "audit.verb.user_create",
    "user.update": "audit.verb.user_update",
    "user.reset_password": "audit.verb.user_reset_password",
    "period.set": "audit.verb.period_set",
    "target.set": "audit.verb.target_set",
    "target.delete": "audit.verb.target_delete",
    "unit_group.set": "audit.verb.unit_group_set",
    "embed.create": "audit.verb.embed_create",
    "embed.update": "audit.verb.embed_update",
    "embed.revoke": "audit.verb.embed_revoke",
    "embed.chart": "audit.verb.embed_chart",
}
# `<registry>.create|update|delete`: the registry is named in the label.
ROW_LABELS = {
    "create": "audit.verb.row_create",
    "update": "audit.verb.row_update",
    "delete": "audit.verb.row_delete",
}

# Field names in the recorded snapshots, and their labels.
FIELD_LABELS = {
    "group": "groups_admin.group",
    "milestones": "targets_admin.milestones",
    "legal_basis": "common.legal_basis",
    "value_bool": "edit.value_bool",
    "value_num": "common.value",
    "numerator": "common.numerator",
    "denominator": "common.denominator",
    "value_text": "audit.field.value_text",
    "status": "common.status",
    "reason": "workflow.reason",
    "username": "admin.username",
    "full_name": "admin.full_name",
    "email": "admin.email",
    "role": "admin.role",
    "unit_id": "common.unit",
    "active": "admin.active",
    "source": "audit.field.source",
    "kind": "admin.kind",
    "start": "field.started_on",
    "end": "field.ended_on",
    "deadline": "admin.deadline",
    "value": "common.target",
    "year": "common.year",
    "chart_id": "embed_admin.col.chart",
    "label": "embed_admin.col.label",
    "params": "embed_admin.col.params",
    "locked_params": "audit.field.locked_params",
    "expires_at": "embed_admin.col.expires",
    "revoked_at": "audit.field.revoked_at",
    "private": "embed_admin.private",
    # Pilot status decisions (`services.pilot_status`)
    "decided_on": "field.decided_on",
    "decision_number": "field.decision_number",
    "note": "field.note",
    # Indicators (`services.indicator_admin.snapshot`)
    **{
        name: f"indicator_admin.field.{name}"
        for name in (
            "code",
            "programme",
            "criterion",
            "pillar",
            "name_vi",
            "name_en",
            "short_vi",
            "short_en",
            "level",
            "extra_level",
            "unit_kinds",
            "value_type",
            "rollup",
            "source_filter",
            "denominator_rule",
            "unit",
        )
    },
}
# Parameters of embed links and charts.
PARAM_LABELS = {
    "period": "filter.period",
    "district": "filter.district",
    "indicator": "filter.indicator",
    "lang": "embed_admin.language",
}


def action_label(action: str, before: dict | None = None) -> str:
    """`value.set` → "Sửa giá trị" ("Nhập giá trị" when there was no value before),
    `cooperatives.create` → "Thêm bản ghi: Hợp tác xã"; an action not listed here by its verb's
    label (`audit.action.<verb>`) if there is one, else with its code."""
    from dashboard.services.registry_specs import REGISTRIES

    if action == "value.set" and not _filled(before):
        return _("audit.verb.value_new")
    key = ACTION_LABELS.get(action)
    if key is not None:
        return _(key)
    entity, _dot, verb = action.rpartition(".")
    if entity in REGISTRIES and verb in ROW_LABELS:
        return _(ROW_LABELS[verb], registry=_(f"registry.{entity}"))
    if _known(f"audit.action.{verb}"):  # an action added elsewhere, named by its verb
        return _(f"audit.action.{verb}")
    return _("audit.verb.other", action=action)


def _filled(snapshot: dict | None) -> bool:
    return bool(snapshot) and any(v not in (None, "") for v in snapshot.values())


def _known(key: str) -> bool:
    return key in MESSAGES


def field_label(entity: str, name: str) -> str:
    """A recorded field's name in words; a registry's own fields by their form labels."""
    from dashboard.services.registry_specs import REGISTRIES

    spec = REGISTRIES.get(entity)
    if spec is not None and any(f.name == name for f in spec.fields):
        return _(f"field.{name}")
    key = FIELD_LABELS.get(name)
    return _(key) if key else name


def _number(value: float) -> str:
    if float(value).is_integer():
        return fmt_number(value)
    return fmt_number(value, 2).rstrip("0").rstrip(",.")


def _date_or_time(text: str) -> str | None:
    """ISO dates and times as recorded (`2026-01-15`, `2026-01-15 03:00:00`), formatted."""
    if len(text) == 10:
        try:
            return fmt_date(dt.date.fromisoformat(text))
        except ValueError:
            return None
    if 16 <= len(text) <= 32 and text[10] in " T":
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return fmt_datetime(moment)
    return None


def value_text(entity: str, name: str, value, units: dict[int, str] | None = None) -> str:
    """A recorded value in words: numbers by `fmt_number`, yes/no, dates, statuses, roles,
    choices, units by name, parameters by label; empty → en dash."""
    from dashboard.services.registry_specs import CHOICE_PREFIX, REGISTRIES

    if value is None or value == "" or value == {}:
        return EMPTY
    spec = REGISTRIES.get(entity)
    spec_field = next((f for f in spec.fields if f.name == name), None) if spec else None
    key = None
    if name == "value_bool" and isinstance(value, bool):
        key = "common.yes" if value else "common.no"
    elif isinstance(value, bool):
        key = f"choice.bool.{str(value).lower()}"
    elif spec_field is not None and spec_field.kind == "choice" and name in CHOICE_PREFIX:
        key = f"choice.{CHOICE_PREFIX[name]}.{value}"
    elif spec is None and name == "status":
        key = f"status.{value}"
    elif name == "kind" and spec is None:
        key = f"period_kind.{value}"
    if key is not None:
        return _(key) if _known(key) else str(value)
    if name == "role" and _known(f"role.{value}"):
        return _(f"role.{value}", unit="").strip()
    if name == "unit_id" and isinstance(value, int):
        return (units or {}).get(value, str(value))
    if isinstance(value, dict):
        return "; ".join(
            f"{_(PARAM_LABELS[k]) if k in PARAM_LABELS else k}: {value_text(entity, k, v)}"
            for k, v in value.items()
        )
    if name == "year":
        return str(value)
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return _date_or_time(value) or value
    return str(value)


@dataclass(frozen=True)
class Change:
    """One field of a change: its label, the value before and after, whether it changed."""

    field: str
    label: str
    before: str
    after: str
    changed: bool


@dataclass(frozen=True)
class Entry:
    """An audit row in words."""

    id: int
    at: str
    user: str
    action: str
    unit: str
    indicator: str
    period: str
    changes: tuple[Change, ...]

    def side(self, which: str) -> str:
        """The fields with a value on one side (`before` or `after`) as `Label: value; …`."""
        parts = [
            f"{c.label}: {getattr(c, which)}" for c in self.changes if getattr(c, which) != EMPTY
        ]
        return "; ".join(parts)


def _load(text: str | None) -> dict | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return {"?": text}
    return data if isinstance(data, dict) else {"?": data}


def _field_order(entity: str) -> list[str]:
    """Fields in reading order: a registry's as its form shows them, then the rest as
    `FIELD_LABELS` lists them (snapshots are stored with sorted keys)."""
    from dashboard.services.registry_specs import REGISTRIES

    spec = REGISTRIES.get(entity)
    own = [f.name for f in spec.fields] if spec else []
    return own + [name for name in FIELD_LABELS if name not in own]


def _changes(entity: str, before: dict | None, after: dict | None, units) -> tuple[Change, ...]:
    """Every field recorded on either side, in reading order; empty on both sides left out."""
    order = {name: i for i, name in enumerate(_field_order(entity))}
    names = sorted(
        {*(before or {}), *(after or {})}, key=lambda name: (order.get(name, len(order)), name)
    )
    out = []
    for name in names:
        old = (before or {}).get(name)
        new = (after or {}).get(name)
        old_text = value_text(entity, name, old, units)
        new_text = value_text(entity, name, new, units)
        if old_text == EMPTY and new_text == EMPTY:
            continue
        changed = before is None or after is None or old != new
        out.append(Change(name, field_label(entity, name), old_text, new_text, changed))
    return tuple(out)


def _unit_ids(snapshots) -> set[int]:
    return {s["unit_id"] for s in snapshots if s and isinstance(s.get("unit_id"), int)}


def _entries(session: so.Session, rows) -> list[Entry]:
    loaded = [
        (entry, unit_name, _load(entry.before), _load(entry.after)) for entry, unit_name in rows
    ]
    ids = _unit_ids(side for _e, _u, b, a in loaded for side in (b, a))
    units = (
        dict(session.execute(sa.select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(ids))).all())
        if ids
        else {}
    )
    return [
        Entry(
            id=entry.id,
            at=fmt_datetime(entry.at),
            user=entry.username,
            action=action_label(entry.action, before),
            unit=unit_name or "",
            indicator=entry.indicator_code or "",
            period=entry.period_code or "",
            changes=_changes(entry.entity, before, after, units),
        )
        for entry, unit_name, before, after in loaded
    ]


def _select():
    return (
        sa.select(AuditLog, OrgUnit.name)
        .outerjoin(OrgUnit, OrgUnit.id == AuditLog.unit_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )


def entries(
    session: so.Session,
    *,
    username: str | None = None,
    unit_id: int | None = None,
    indicator_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = 5000,
) -> list[Entry]:
    """Audit entries in words, newest first, filtered; a unit filter includes the unit's
    communes. Dates are days in Vietnam time."""
    stmt = _select().limit(limit)
    if username:
        stmt = stmt.where(AuditLog.username == username)
    if unit_id is not None:
        stmt = stmt.where(within_district(unit_id))
    if indicator_code:
        stmt = stmt.where(AuditLog.indicator_code == indicator_code)
    if date_from is not None:
        stmt = stmt.where(AuditLog.at >= _utc_start(date_from))
    if date_to is not None:
        stmt = stmt.where(AuditLog.at < _utc_start(date_to + dt.timedelta(days=1)))
    return _entries(session, session.execute(stmt).all())


def _utc_start(day: dt.date) -> dt.datetime:
    """The stored (naive UTC) time at which `day` begins in Vietnam (UTC+7, no DST)."""
    return dt.datetime.combine(day, dt.time.min) - dt.timedelta(hours=7)


def entry_detail(session: so.Session, entry_id) -> tuple[Entry, str] | None:
    """One audit row in words, with its indicator's name (or None when there is no such row)."""
    try:
        entry_id = int(entry_id)
    except (TypeError, ValueError):
        return None
    rows = session.execute(_select().where(AuditLog.id == entry_id)).all()
    if not rows:
        return None
    [entry] = _entries(session, rows)
    indicator = ""
    if entry.indicator:
        found = session.scalar(sa.select(Indicator).where(Indicator.code == entry.indicator))
        indicator = f"{found.short_name} ({entry.indicator})" if found else entry.indicator
    return entry, indicator


LOG_COLUMNS = (
    "audit.at",
    "audit.user",
    "audit.action",
    "common.unit",
    "filter.indicator",
    "filter.period",
    "audit.before",
    "audit.after",
)


def log_frame(session: so.Session, *, with_id: bool = False, **filters) -> pd.DataFrame:
    """The audit log as a table (the page and the downloads): time (Vietnam), user, action,
    unit, indicator, period, before and after in words. `with_id` adds the row's id first
    (column `id`), for the page to open a row's detail. Filters as for `entries`."""
    found = entries(session, **filters)
    rows = [
        [e.at, e.user, e.action, e.unit, e.indicator, e.period, e.side("before"), e.side("after")]
        for e in found
    ]
    columns = [_(key) for key in LOG_COLUMNS]
    frame = pd.DataFrame(rows, columns=columns)
    if with_id:
        frame.insert(0, "id", [e.id for e in found])
    return frame
