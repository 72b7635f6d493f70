"""Administration of published charts: each chart's setting (private, parameters locked for its
public embeds) and the signed embed links (create, edit, revoke, list).

Every command checks `policy.raise_for_administer` first, validates its input with Vietnamese
messages (the chart id against `charts.CHARTS`, parameters through `charts.resolve`), checks the
version the administrator saw (a stale one is a `Conflict`, nothing saved), writes inside
`tx.writing` and records an audit row in the same transaction. The signing of tokens, their
URLs and the snippets belong to `dashboard.services.embeds`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import charts
from dashboard.auth import policy
from dashboard.errors import Conflict, NotFound, ValidationError
from dashboard.i18n import VIETNAM_TIME, _
from dashboard.models import AuditLog, User
from dashboard.models.embeds import EmbedChart, EmbedLink
from dashboard.services import audit, tx
from dashboard.services.parsing import FieldError, parse_bool, parse_date, parse_text

MAX_LABEL = 200
MAX_LIFETIME = dt.timedelta(days=3 * 365 + 1)  # a link lives at most about three years
STATUSES = ("active", "expired", "revoked")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- reading ---------------------------------------------------------------------------------


def _json_dict(text: str | None) -> dict:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def link_status(link: EmbedLink, now: dt.datetime | None = None) -> str:
    """`revoked`, `expired` or `active`."""
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at is not None and link.expires_at <= (now or _now()):
        return "expired"
    return "active"


@dataclass(frozen=True)
class LinkRow:
    """One stored embed link as the administration page lists it."""

    id: int
    version: int
    chart_id: str
    label: str
    params: dict
    created_at: dt.datetime | None
    created_by: str
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_by: str
    status: str
    last_viewed_at: dt.datetime | None
    view_count: int


@dataclass(frozen=True)
class ChartRow:
    """One embeddable chart with its setting (the defaults when none was saved: public, no
    locked parameter, `version` None)."""

    chart_id: str
    title_key: str
    page: str
    params: tuple[str, ...]
    private: bool
    locked_params: dict
    version: int | None
    updated_at: dt.datetime | None
    updated_by: str


def _names(session: so.Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    users = session.scalars(sa.select(User).where(User.id.in_(ids)))
    return {u.id: u.username for u in users}


def list_links(session: so.Session) -> list[LinkRow]:
    """Every stored link, newest first."""
    links = list(session.scalars(sa.select(EmbedLink).order_by(EmbedLink.id.desc())))
    names = _names(session, [x for link in links for x in (link.created_by_id, link.revoked_by_id)])
    now = _now()
    return [
        LinkRow(
            id=link.id,
            version=link.version,
            chart_id=link.chart_id,
            label=link.label or "",
            params=_json_dict(link.params),
            created_at=link.created_at,
            created_by=names.get(link.created_by_id, ""),
            expires_at=link.expires_at,
            revoked_at=link.revoked_at,
            revoked_by=names.get(link.revoked_by_id, ""),
            status=link_status(link, now),
            last_viewed_at=link.last_viewed_at,
            view_count=link.view_count or 0,
        )
        for link in links
    ]


def get_link(session: so.Session, link_id) -> EmbedLink:
    try:
        number = int(link_id)
    except (TypeError, ValueError, OverflowError):
        number = 0
    link = session.get(EmbedLink, number) if 0 < number < 2**31 else None
    if link is None:
        raise NotFound(_("embed_admin.unknown_link"))
    return link


def _settings(session: so.Session) -> dict[str, EmbedChart]:
    return {row.chart_id: row for row in session.scalars(sa.select(EmbedChart))}


def list_charts(session: so.Session) -> list[ChartRow]:
    """Every chart of the catalogue, in its order, with its saved setting or the defaults."""
    settings = _settings(session)
    names = _names(session, [s.updated_by_id for s in settings.values()])
    rows = []
    for chart_id, spec in charts.CHARTS.items():
        setting = settings.get(chart_id)
        rows.append(
            ChartRow(
                chart_id=chart_id,
                title_key=spec.title_key,
                page=spec.page,
                params=spec.params,
                private=bool(setting.private) if setting else False,
                locked_params=_json_dict(setting.locked_params) if setting else {},
                version=setting.version if setting else None,
                updated_at=setting.updated_at if setting else None,
                updated_by=names.get(setting.updated_by_id, "") if setting else "",
            )
        )
    return rows


def get_chart(session: so.Session, chart_id: str) -> ChartRow:
    spec = _spec(chart_id)
    return next(row for row in list_charts(session) if row.chart_id == spec.chart_id)


# --- validation ------------------------------------------------------------------------------


def _spec(chart_id) -> charts.ChartSpec:
    spec = charts.CHARTS.get(chart_id) if isinstance(chart_id, str) else None
    if spec is None:
        raise ValidationError({"chart": _("embed_admin.unknown_chart")})
    return spec


def _clean_params(
    session: so.Session, spec: charts.ChartSpec, params, *, lock: bool
) -> dict[str, str]:
    """Parameters checked against the chart: only those it reads, each a known value (through
    `charts.resolve`). For a link an empty value is left out and stands for the default (latest
    period, whole province, first indicator); a locked parameter needs a value."""
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise ValidationError({"params": _("embed_admin.bad_params")})
    unknown = [str(k) for k in params if k not in spec.params]
    if unknown:
        raise ValidationError({"params": _("embed_admin.param_not_read", param=", ".join(unknown))})
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key in spec.params:
        if key not in params:
            continue
        value = params[key]
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            errors[key] = _("embed_admin.bad_params")
            continue
        value = str(value).strip()
        if value:
            cleaned[key] = value
        elif lock:
            errors[key] = _("embed_admin.lock_needs_value", param=param_label(key))
    if errors:
        raise ValidationError(errors)
    charts.resolve(session, spec, cleaned, approved_only=True)  # ValidationError naming the key
    return cleaned


def param_label(key: str) -> str:
    """The name of a chart parameter, as its picker is labelled."""
    return {
        "period": _("filter.period"),
        "district": _("filter.district"),
        "indicator": _("filter.indicator"),
    }.get(key, key)


def _label(value, errors: dict[str, str]) -> str:
    try:
        return parse_text(value, _("embed_admin.label"), required=False, max_length=MAX_LABEL) or ""
    except FieldError as exc:
        errors["label"] = exc.message
        return ""


def parse_expiry(value, now: dt.datetime | None = None) -> dt.datetime:
    """The expiry as a naive UTC time. A date (or `YYYY-MM-DD`, `DD/MM/YYYY`) means the end of
    that day in Vietnam time; a datetime is taken as naive UTC. It must lie in the future and
    at most about three years ahead. Raises `FieldError`."""
    label = _("embed_admin.expires_at")
    now = now or _now()
    if isinstance(value, dt.datetime):
        expires = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    else:
        day = parse_date(value, label)
        if day > (now + MAX_LIFETIME).date():  # before any arithmetic on far-off days
            raise FieldError(_("embed_admin.expiry_too_far", years=3))
        local_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, VIETNAM_TIME)
        expires = local_midnight.astimezone(dt.UTC).replace(tzinfo=None)
    if expires <= now:
        raise FieldError(_("embed_admin.expiry_past"))
    if expires > now + MAX_LIFETIME:
        raise FieldError(_("embed_admin.expiry_too_far", years=3))
    return expires


def _expiry(value, errors: dict[str, str]) -> dt.datetime | None:
    try:
        return parse_expiry(value)
    except FieldError as exc:
        errors["expires_at"] = exc.message
        return None


def _expected(version) -> int:
    if isinstance(version, bool):
        version = None
    try:
        return int(version)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError({"version": _("rules.version_required")}) from None


def _link_snapshot(link: EmbedLink) -> dict:
    return {
        "chart_id": link.chart_id,
        "label": link.label,
        "params": _json_dict(link.params),
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
    }


def _chart_snapshot(setting: EmbedChart | None) -> dict | None:
    if setting is None:
        return None
    return {"private": bool(setting.private), "locked_params": _json_dict(setting.locked_params)}


def _dump(params: dict) -> str:
    return json.dumps(params, ensure_ascii=False, sort_keys=True)


def _last_change(session: so.Session, entity: str, entity_id: int) -> dict:
    """Who last changed a link or a chart setting and when (from the audit trail), as message
    parameters `user` and `at`."""
    entry = session.scalar(
        sa.select(AuditLog)
        .where(AuditLog.entity == entity, AuditLog.entity_id == entity_id)
        .order_by(AuditLog.id.desc())
        .limit(1)
    )
    if entry is None:
        return audit.changed_by(session, None, None)
    return audit.changed_by(session, entry.user_id, entry.at)


def _link_conflict(session: so.Session, link_id: int):
    """After a lost race: who changed the link last, and its status now."""

    def message() -> str:
        session.expire_all()
        link = session.get(EmbedLink, link_id)
        if link is None:
            return _("rules.conflict_deleted")
        return _(
            "embed_admin.conflict_link",
            status=status_label(link_status(link)),
            **_last_change(session, "embed_link", link_id),
        )

    return message


def _chart_conflict(session: so.Session, chart_id: str):
    def message() -> str:
        session.expire_all()
        setting = session.scalar(sa.select(EmbedChart).where(EmbedChart.chart_id == chart_id))
        if setting is None:
            return _("embed_admin.conflict_chart_reset")
        return _("embed_admin.conflict_chart", **_last_change(session, "embed_chart", setting.id))

    return message


def status_label(status: str) -> str:
    return {
        "active": _("embed_admin.status.active"),
        "expired": _("embed_admin.status.expired"),
        "revoked": _("embed_admin.status.revoked"),
    }.get(status, status)


# --- links -----------------------------------------------------------------------------------


def create_link(
    session: so.Session, user: User | None, chart_id, params, label, expires_at
) -> EmbedLink:
    """Store a signed embed link of `chart_id` with every parameter it reads fixed to `params`
    (empty: the default), a label and an expiry."""
    policy.raise_for_administer(user)
    spec = _spec(chart_id)
    errors: dict[str, str] = {}
    label = _label(label, errors)
    expires = _expiry(expires_at, errors)
    try:
        cleaned = _clean_params(session, spec, params, lock=False)
    except ValidationError as exc:
        errors = {**exc.errors, **errors}
    if errors:
        raise ValidationError(errors)
    now = _now()
    with tx.writing(session, lambda: _("validation.conflict")):
        link = EmbedLink(
            chart_id=spec.chart_id,
            label=label,
            params=_dump(cleaned),
            expires_at=expires,
            created_at=now,
            created_by_id=user.id,
            updated_at=now,
            view_count=0,
        )
        session.add(link)
        session.flush()
        audit.record(
            session,
            user,
            "embed.create",
            "embed_link",
            entity_id=link.id,
            period_code=cleaned.get("period") or None,
            after=_link_snapshot(link),
        )
    return link


_KEEP = object()


def _raise_for_stale_link(session: so.Session, link: EmbedLink, expected_version) -> None:
    if link.version != _expected(expected_version):
        raise Conflict(_link_conflict(session, link.id)())
    if link.revoked_at is not None:
        raise Conflict(_("embed_admin.already_revoked"))


def update_link(
    session: so.Session,
    user: User | None,
    link_id,
    expected_version,
    *,
    params=_KEEP,
    label=_KEEP,
    expires_at=_KEEP,
) -> EmbedLink:
    """Change the parameters, label or expiry of a link seen at `expected_version` (an
    expired link may be given a new expiry; a revoked one stays revoked)."""
    policy.raise_for_administer(user)
    link = get_link(session, link_id)
    _raise_for_stale_link(session, link, expected_version)
    spec = _spec(link.chart_id)
    errors: dict[str, str] = {}
    new_label = link.label if label is _KEEP else _label(label, errors)
    new_expiry = link.expires_at if expires_at is _KEEP else _expiry(expires_at, errors)
    new_params = _json_dict(link.params)
    if params is not _KEEP:
        try:
            new_params = _clean_params(session, spec, params, lock=False)
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
    if errors:
        raise ValidationError(errors)
    before = _link_snapshot(link)
    with tx.writing(session, _link_conflict(session, link.id)):
        link.label = new_label
        link.expires_at = new_expiry
        link.params = _dump(new_params)
        link.updated_at = _now()
        session.flush()
        audit.record(
            session,
            user,
            "embed.update",
            "embed_link",
            entity_id=link.id,
            period_code=new_params.get("period") or None,
            before=before,
            after=_link_snapshot(link),
        )
    return link


def revoke_link(session: so.Session, user: User | None, link_id, expected_version) -> EmbedLink:
    """Revoke one link (for good); the other links of the chart keep working."""
    policy.raise_for_administer(user)
    link = get_link(session, link_id)
    _raise_for_stale_link(session, link, expected_version)
    before = _link_snapshot(link)
    with tx.writing(session, _link_conflict(session, link.id)):
        now = _now()
        link.revoked_at, link.revoked_by_id, link.updated_at = now, user.id, now
        session.flush()
        audit.record(
            session,
            user,
            "embed.revoke",
            "embed_link",
            entity_id=link.id,
            before=before,
            after=_link_snapshot(link),
        )
    return link


# --- chart settings --------------------------------------------------------------------------


def set_chart(
    session: so.Session, user: User | None, chart_id, private, locked_params, expected_version
) -> EmbedChart:
    """Save whether a chart is private and which parameters its public embeds always use
    (only parameters the chart reads; an empty value fixes the default). `expected_version`:
    the setting's version the administrator saw, None when they saw the defaults (no setting
    saved yet)."""
    policy.raise_for_administer(user)
    spec = _spec(chart_id)
    errors: dict[str, str] = {}
    try:
        is_private = parse_bool(private, _("embed_admin.private"))
    except FieldError as exc:
        errors["private"] = exc.message
    try:
        locked = _clean_params(session, spec, locked_params, lock=True)
    except ValidationError as exc:
        errors = {**exc.errors, **errors}
    if errors:
        raise ValidationError(errors)
    setting = session.scalar(sa.select(EmbedChart).where(EmbedChart.chart_id == spec.chart_id))
    conflict = _chart_conflict(session, spec.chart_id)
    if setting is None and expected_version is not None:
        _expected(expected_version)
        raise Conflict(conflict())
    if setting is not None and (
        expected_version is None or setting.version != _expected(expected_version)
    ):
        raise Conflict(conflict())
    before = _chart_snapshot(setting)
    with tx.writing(session, conflict):
        if setting is None:
            setting = EmbedChart(chart_id=spec.chart_id)
            session.add(setting)
        setting.private = is_private
        setting.locked_params = _dump(locked)
        setting.updated_at = _now()
        setting.updated_by_id = user.id
        session.flush()
        audit.record(
            session,
            user,
            "embed.chart",
            "embed_chart",
            entity_id=setting.id,
            before=before,
            after=_chart_snapshot(setting),
        )
    return setting
