"""Administration by the NTM Coordination Office: users, periods and deadlines, targets by scope
(the province, a unit or a commune group, with yearly milestones) and the communes' groups.

Every command checks `policy.raise_for_administer`, validates its input with Vietnamese messages,
changes inside one transaction and writes an audit row (never a password)."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.auth import policy
from dashboard.auth.passwords import check_password, hash_password
from dashboard.errors import Conflict, NotFound, ValidationError
from dashboard.i18n import MESSAGES, _, fmt_date, fmt_datetime, fmt_number
from dashboard.models import (
    Indicator,
    Level,
    OrgUnit,
    Period,
    Programme,
    Target,
    UnitGroup,
    User,
)
from dashboard.models.indicators import PERIOD_KINDS
from dashboard.models.users import ROLES
from dashboard.services import audit, period_kinds, periods
from dashboard.services.parsing import FieldError, parse_date, parse_number, parse_text

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
# An address mail can be delivered to: one @, no spaces, a dot in the domain (RFC 5321 length).
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def clean_email(value, errors: dict[str, str]) -> str | None:
    """The address trimmed, or None when empty; a malformed one is reported under `email`."""
    text = str(value or "").strip()
    if not text:
        return None
    if len(text) > 254 or not EMAIL.match(text):
        errors["email"] = _("admin.bad_email")
        return None
    return text


def user_snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "role": user.role,
        "unit_id": user.unit_id,
        "active": user.active,
        "full_name": user.full_name,
        "email": user.email,
    }


def _check_role_scope(session, role, district_code, errors) -> OrgUnit | None:
    if role not in ROLES:
        errors["role"] = _("validation.bad_choice", field=_("admin.role"))
        return None
    district = scope.find_scope_unit(session, district_code)
    if policy.role_is_scoped(role) and district is None:
        errors["district"] = _("admin.editor_needs_district")
    return district if policy.role_is_scoped(role) else None


def _check_password(password, username, errors, field="password") -> None:
    """Put the password policy's complaints (if any) under `field`."""
    problems = check_password(password, username)
    if problems:
        errors[field] = " ".join(problems)


def create_user(
    session: so.Session,
    actor,
    *,
    username,
    role,
    district_code=None,
    full_name="",
    password=None,
    email=None,
) -> User:
    policy.raise_for_administer(actor)
    errors: dict[str, str] = {}
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        errors["username"] = _("admin.bad_username")
    elif session.scalar(sa.select(User.id).where(User.username == username)):
        errors["username"] = _("admin.username_taken")
    district = _check_role_scope(session, role, district_code, errors)
    _check_password(password, username, errors)
    address = clean_email(email, errors)
    if len(full_name or "") > 200:
        errors["full_name"] = _("validation.too_long", field=_("admin.full_name"), max=200)
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        role=role,
        unit=district,
        full_name=(full_name or "").strip(),
        email=address,
        password_hash=hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor, "user.create", "user", entity_id=user.id, after=user_snapshot(user)
    )
    session.commit()
    return user


def _get_user(session, user_id) -> User:
    try:
        user = session.get(User, int(user_id))
    except (TypeError, ValueError):
        user = None
    if user is None:
        raise NotFound(_("admin.unknown_user"))
    return user


def update_user(
    session: so.Session,
    actor,
    user_id,
    *,
    role,
    district_code=None,
    active=True,
    full_name=None,
    email=None,
) -> User:
    """Change role, scope, name or active flag. An administrator cannot lock themselves out.
    A change of role, scope or active flag ends the account's sessions (a name change does
    not)."""
    policy.raise_for_administer(actor)
    user = _get_user(session, user_id)
    errors: dict[str, str] = {}
    district = _check_role_scope(session, role, district_code, errors)
    if user.id == actor.id and (not policy.role_administers(role) or not active):
        errors["role"] = _("admin.not_yourself")
    address = clean_email(email, errors) if email is not None else user.email
    if errors:
        raise ValidationError(errors)
    before = user_snapshot(user)
    access_before = (user.role, user.unit_id, bool(user.active))
    user.role, user.unit, user.active = role, district, bool(active)
    if (role, district.id if district else None, bool(active)) != access_before:
        user.end_sessions()
    if full_name is not None:
        user.full_name = str(full_name).strip()[:200]
    user.email = address
    audit.record(
        session,
        actor,
        "user.update",
        "user",
        entity_id=user.id,
        before=before,
        after=user_snapshot(user),
    )
    session.commit()
    return user


def reset_password(session: so.Session, actor, user_id, password) -> User:
    """Set a new password (checked against the password policy) and end the account's
    sessions."""
    policy.raise_for_administer(actor)
    user = _get_user(session, user_id)
    errors: dict[str, str] = {}
    _check_password(password, user.username, errors)
    if errors:
        raise ValidationError(errors)
    user.password_hash = hash_password(password)
    user.end_sessions()
    audit.record(
        session,
        actor,
        "user.reset_password",
        "user",
        entity_id=user.id,
        after={"username": user.username},
    )
    session.commit()
    return user


def set_period(
    session: so.Session, actor, *, code, kind="year", start=None, end=None, deadline=None
) -> Period:
    """Create a period (year, half or quarter) or change an existing one's deadline."""
    policy.raise_for_administer(actor)
    errors: dict[str, str] = {}
    code = (code or "").strip()
    period = session.scalar(sa.select(Period).where(Period.code == code)) if code else None
    try:
        deadline_date = parse_date(deadline, _("admin.deadline"))
    except FieldError as exc:
        errors["deadline"] = exc.message
        deadline_date = None
    if period is None:
        if not re.fullmatch(r"\d{4}(-(H[12]|Q[1-4]))?", code):
            errors["code"] = _("admin.bad_period_code")
        if kind not in PERIOD_KINDS:
            errors["kind"] = _("validation.bad_choice", field=_("admin.kind"))
        try:
            start_date = parse_date(start, _("field.started_on"))
            end_date = parse_date(end, _("field.ended_on"))
        except FieldError as exc:
            errors["start"] = exc.message
            start_date = end_date = None
        if start_date and end_date and end_date < start_date:
            errors["end"] = _("validation.date_order")
        span = period_kinds.span_of(code) if "code" not in errors else None
        if span is not None and "kind" not in errors and kind != span[0]:
            errors["kind"] = _(
                "admin.period_kind_mismatch", code=code, kind=_(f"period_kind.{span[0]}")
            )
        elif span is not None and start_date and end_date and (start_date, end_date) != span[1:]:
            errors["start"] = _(
                "admin.period_span_mismatch",
                code=code,
                start=fmt_date(span[1]),
                end=fmt_date(span[2]),
            )
        if start_date and end_date and "end" not in errors and "start" not in errors:
            programme = periods.programme_for(session, start_date, end_date)
            if programme is None:
                errors["start"] = _("admin.period_outside_programmes")
            else:
                try:
                    periods.count_date_for(programme, start_date, end_date)
                except ValueError:
                    errors["start"] = _(
                        "admin.period_level_ended",
                        level=programme.reporting_level.name_vi,
                        date=fmt_date(programme.reporting_level.valid_to),
                    )
    elif deadline_date and deadline_date < period.end_date:
        errors["deadline"] = _("admin.deadline_before_end")
    if errors:
        raise ValidationError(errors)
    if period is None:
        period = Period(
            code=code,
            kind=kind,
            year=start_date.year,
            start_date=start_date,
            end_date=end_date,
            deadline=deadline_date,
        )
        periods.configure(session, period)
        session.add(period)
        before = None
    else:
        before = {"deadline": period.deadline}
        period.deadline = deadline_date
    session.flush()
    audit.record(
        session,
        actor,
        "period.set",
        "period",
        entity_id=period.id,
        period_code=period.code,
        before=before,
        after={
            "kind": period.kind,
            "start": period.start_date,
            "end": period.end_date,
            "deadline": period.deadline,
        },
    )
    session.commit()
    return period


# --- targets by scope ------------------------------------------------------------------------

# A commune group's code: "1", "2", "3" or another short code of the office (letters, digits).
GROUP_CODE = re.compile(r"^[0-9A-Za-z]{1,8}$")
# The value of the scope choice for the whole province ("unit:<GSO code>", "group:<code>" else).
PROVINCE_CHOICE = "province"
# The groups offered even before any commune is put in one (nhóm 1, 2, 3 of 2026-2035).
DEFAULT_GROUPS = ("1", "2", "3")
# One milestone of the text form "2023: 60; 2024: 75" (a comma is a decimal separator).
_MILESTONE = re.compile(r"^\s*(\d{1,4})\s*[:=]\s*(\S.*?)\s*$")


def _year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _programme_of_year(session: so.Session, year: int) -> Programme | None:
    """The programme whose years (start_date.year..end_date.year) hold `year`."""
    first, last = _year_span(year)
    return session.scalar(
        sa.select(Programme)
        .where(Programme.start_date <= last, Programme.end_date >= first)
        .order_by(Programme.start_date)
        .limit(1)
    )


def _lowest_level(session: so.Session) -> Level | None:
    """The lowest level of the hierarchy (highest rank: the communes), the level of groups."""
    return session.scalar(sa.select(Level).order_by(Level.rank.desc()).limit(1))


def _level_name(level: Level) -> str:
    """A level in words ("Cấp xã"), its stored name when the catalogue has none."""
    key = f"level.{level.code}"
    return _(f"level.{level.code}") if key in MESSAGES else level.name_vi


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _unit_label(unit: OrgUnit) -> str:
    text = f"{unit.name} ({unit.gso_code})"
    if unit.valid_to is None:
        return text
    return _("admin.unit_until", unit=text, date=fmt_date(unit.valid_to))


def _form_number(value: float) -> str:
    """A number as a form shows it back: no grouping, decimal comma (`parse_number` reads it)."""
    return format(float(value), "f").rstrip("0").rstrip(".").replace(".", ",")


def _number_text(value: float) -> str:
    if float(value).is_integer():
        return fmt_number(value)
    return fmt_number(value, 2).rstrip("0").rstrip(",.")


def _target_year(session: so.Session, raw, errors: dict[str, str]):
    """The target year and its programme; a year outside every programme is refused."""
    label = _("common.year")
    try:
        year = parse_number(raw, label, integer=True)
    except FieldError as exc:
        errors["year"] = exc.message
        return None, None
    year = int(year)
    programme = _programme_of_year(session, year) if 1 <= year <= 9998 else None
    if programme is None:
        errors["year"] = _("targets_admin.year_outside_programmes", year=year)
    return year, programme


def _unit_in_year(session: so.Session, code: str, year: int) -> OrgUnit | None:
    """The version of the unit with GSO code `code` in force in `year`: the one in force on
    1 January (districts in 2025), else the first that begins during the year."""
    first, last = _year_span(year)
    versions = session.scalars(
        sa.select(OrgUnit)
        .where(
            OrgUnit.gso_code == code,
            OrgUnit.valid_from <= last,
            sa.or_(OrgUnit.valid_to.is_(None), OrgUnit.valid_to >= first),
        )
        .order_by(OrgUnit.valid_from)
    ).all()
    on_first = [u for u in versions if u.is_valid_on(first)]
    return (on_first or versions or [None])[0]


def _scope_fits(ind: Indicator, unit: OrgUnit) -> bool:
    """A unit can have a target of `ind` when its figure exists: the unit is at or above the
    lowest level the indicator counts over (and of a counted kind when at that level)."""
    levels = [ind.level, *([ind.extra_level] if ind.extra_level is not None else [])]
    if unit.level.rank > max(level.rank for level in levels):
        return False
    if unit.level_id in {level.id for level in levels}:
        return scope.indicator_applies(ind, unit)
    return True


def _target_scope(session, ind, year, scope_code, group, errors):
    """(unit, group) of a target: one unit by GSO code (the version in force in `year`), one
    commune group, or neither: the province in force on 1 January."""
    from dashboard.services.indicators import level_label

    code = str(scope_code or "").strip()
    group = str(group or "").strip()
    if code and group:
        errors["scope"] = _("targets_admin.unit_and_group")
        return None, None
    if group:
        if not GROUP_CODE.match(group):
            errors["scope"] = _("targets_admin.bad_group")
            return None, None
        lowest = _lowest_level(session)
        if ind is not None and (lowest is None or ind.level_id != lowest.id):
            errors["scope"] = _(
                "targets_admin.group_needs_commune_level", level=_lower_first(level_label(ind))
            )
        return None, group
    if year is None:  # no year of a programme: no unit version to look for
        return None, None
    if code:
        unit = _unit_in_year(session, code, year)
        if unit is None:
            known = session.scalar(sa.select(OrgUnit.id).where(OrgUnit.gso_code == code).limit(1))
            errors["scope"] = (
                _("targets_admin.unit_not_in_year", code=code, year=year)
                if known
                else _("validation.unknown_unit")
            )
            return None, None
    else:
        unit = scope.province_on(session, dt.date(year, 1, 1))
        if unit is None:
            errors["scope"] = _("targets_admin.no_province", year=year)
            return None, None
    if ind is not None and not _scope_fits(ind, unit):
        errors["scope"] = _(
            "targets_admin.unit_below_level",
            level=_lower_first(level_label(ind)),
            unit=unit.name,
        )
    return unit, None


def parse_milestones(raw, *, ind, year, programme, errors) -> dict[int, float]:
    """Milestones from text ("2023: 60; 2024: 75", parts split by semicolons or lines) or a
    dict {year: value}: years before the target year within its programme, values read by
    `parse_number`, shares at most 100. A problem goes under `milestones`."""
    if raw is None or raw == {} or (isinstance(raw, str) and not raw.strip()):
        return {}
    if isinstance(raw, dict):
        items = [(str(key), value) for key, value in raw.items()]
    elif isinstance(raw, str):
        items = []
        for part in re.split(r"[;\n]+", raw):
            if not part.strip():
                continue
            match = _MILESTONE.match(part)
            if match is None:
                errors["milestones"] = _("targets_admin.bad_milestones", part=part.strip()[:40])
                return {}
            items.append(match.groups())
    else:
        errors["milestones"] = _("targets_admin.bad_milestones", part=str(raw)[:40])
        return {}
    found: dict[int, float] = {}
    for key, value in items:
        try:
            mark_year = int(key.strip())
        except ValueError:
            errors["milestones"] = _("targets_admin.bad_milestones", part=key[:40])
            return {}
        if mark_year in found:
            errors["milestones"] = _("targets_admin.milestone_twice", year=mark_year)
            return {}
        if year is not None and programme is not None:
            start = programme.start_date.year
            if not start <= mark_year < year:
                errors["milestones"] = _(
                    "targets_admin.milestone_year", year=mark_year, target_year=year, start=start
                )
                return {}
        try:
            number = parse_number(value, _("targets_admin.milestone_label", year=mark_year))
        except FieldError as exc:
            errors["milestones"] = exc.message
            return {}
        if ind is not None and ind.is_share and number > 100:
            errors["milestones"] = _("targets_admin.milestone_share", year=mark_year)
            return {}
        found[mark_year] = number
    return found


def _target_snapshot(target: Target) -> dict:
    return {
        "unit_id": target.scope_unit_id,
        "group": target.commune_group,
        "value": target.target_value,
        "year": target.target_year,
        "milestones": {str(y): v for y, v in target.milestones.items()} or None,
    }


def set_target(
    session: so.Session,
    actor,
    *,
    indicator_code,
    value,
    year,
    scope_code=None,
    group=None,
    milestones=None,
) -> Target:
    """Set the target of an indicator for a scope and a year (one per indicator, scope and
    year: saving again updates it). The scope is one unit by GSO code (`scope_code`: the
    province, a district or a commune, its version in force in the year), one commune group
    (`group`: every commune of the group; commune-level indicators only), or neither: the
    province. `milestones`: the values to reach by the end of earlier years of the programme."""
    policy.raise_for_administer(actor)
    errors: dict[str, str] = {}
    ind = session.scalar(sa.select(Indicator).where(Indicator.code == str(indicator_code or "")))
    if ind is None:
        errors["indicator"] = _("validation.unknown_indicator")
    try:
        number = parse_number(value, _("common.target"))
        if ind is not None and ind.is_share and number > 100:
            errors["value"] = _("validation.share_over_100")
    except FieldError as exc:
        errors["value"] = exc.message
    year, programme = _target_year(session, year, errors)
    if ind is not None and programme is not None and not scope.in_force(ind, *_year_span(year)):
        errors["year"] = _("targets_admin.indicator_not_in_force", year=year)
    in_programme = year if programme is not None else None
    unit, group = _target_scope(session, ind, in_programme, scope_code, group, errors)
    marks = parse_milestones(milestones, ind=ind, year=year, programme=programme, errors=errors)
    if errors:
        raise ValidationError(errors)
    key = Target.key_for(unit.id if unit is not None else None, group)
    target = session.scalar(
        sa.select(Target).where(
            Target.indicator_id == ind.id, Target.scope_key == key, Target.target_year == year
        )
    )
    before = _target_snapshot(target) if target is not None else None
    level_id = unit.level_id if unit is not None else _lowest_level(session).id
    if target is None:
        target = Target(
            indicator=ind,
            level_id=level_id,
            scope_key=key,
            target_year=year,
            comparator=">=",
            source=_("admin.target_source"),
        )
        session.add(target)
    target.level_id = level_id
    target.scope_unit = unit
    target.commune_group = group
    target.target_value = number
    target.milestones = marks
    try:
        session.flush()
    except sa.exc.IntegrityError:  # saved by someone else at the same moment
        session.rollback()
        raise Conflict(_("validation.conflict")) from None
    audit.record(
        session,
        actor,
        "target.set",
        "target",
        entity_id=target.id,
        unit_id=unit.id if unit is not None else None,
        indicator_code=ind.code,
        before=before,
        after=_target_snapshot(target),
    )
    session.commit()
    return target


def _get_target(session: so.Session, target_id) -> Target:
    try:
        target = session.get(Target, int(target_id))
    except (TypeError, ValueError):
        target = None
    if target is None:
        raise NotFound(_("targets_admin.unknown_target"))
    return target


def delete_target(session: so.Session, actor, target_id) -> None:
    """Remove a target (a wrong one): audited with what it was."""
    policy.raise_for_administer(actor)
    target = _get_target(session, target_id)
    before = _target_snapshot(target)
    code, unit_id, entity_id = target.indicator.code, target.scope_unit_id, target.id
    if target in target.indicator.targets:
        target.indicator.targets.remove(target)
    session.delete(target)
    session.flush()
    audit.record(
        session,
        actor,
        "target.delete",
        "target",
        entity_id=entity_id,
        unit_id=unit_id,
        indicator_code=code,
        before=before,
    )
    session.commit()


def scope_label(target: Target) -> str:
    """The scope of a target in words: the unit's name or "Nhóm 1"."""
    if target.scope_unit is not None:
        return target.scope_unit.name
    return _("targets_admin.group", group=target.commune_group)


def scope_choice(target: Target) -> str:
    """The scope of a target as the value of the page's scope choice."""
    if target.commune_group is not None:
        return f"group:{target.commune_group}"
    if target.scope_unit is None or target.scope_unit.parent_id is None:
        return PROVINCE_CHOICE
    return f"unit:{target.scope_unit.gso_code}"


def parse_scope_choice(value) -> tuple[str | None, str | None]:
    """(scope_code, group) of a value of the scope choice; empty: the province."""
    text = str(value or "").strip()
    if text in ("", PROVINCE_CHOICE):
        return None, None
    kind, _sep, code = text.partition(":")
    if kind == "unit" and code:
        return code, None
    if kind == "group" and code:
        return None, code
    raise ValidationError({"scope": _("validation.bad_choice", field=_("targets_admin.scope"))})


def milestones_text(target: Target) -> str:
    """The milestones as the form reads them back: "2023: 60; 2024: 75"."""
    return "; ".join(f"{y}: {_form_number(v)}" for y, v in target.milestones.items())


def target_form_values(session: so.Session, actor, target_id) -> dict:
    policy.raise_for_administer(actor)
    target = _get_target(session, target_id)
    return {
        "indicator": target.indicator.code,
        "scope": scope_choice(target),
        "year": str(target.target_year),
        "value": _form_number(target.target_value),
        "milestones": milestones_text(target),
    }


def target_description(session: so.Session, actor, target_id) -> dict:
    """What a target is, to ask before deleting it: indicator, scope, year."""
    policy.raise_for_administer(actor)
    target = _get_target(session, target_id)
    return {
        "indicator": target.indicator.code,
        "scope": scope_label(target),
        "year": target.target_year,
    }


def _group_codes(session: so.Session) -> list[str]:
    codes = {
        *DEFAULT_GROUPS,
        *session.scalars(sa.select(UnitGroup.group_code).distinct()),
        *session.scalars(
            sa.select(Target.commune_group).where(Target.commune_group.is_not(None)).distinct()
        ),
    }
    return sorted(codes, key=lambda c: (len(c), c))


def target_scope_options(session: so.Session) -> list[dict]:
    """The scope choice of the targets form: the whole province, the commune groups, then
    every district and commune by GSO code (the service takes the version in force in the
    target's year)."""
    below_province = sa.select(Level.id).where(
        Level.rank > sa.select(sa.func.min(Level.rank)).scalar_subquery()
    )
    return [
        {"label": _("targets_admin.whole_province"), "value": PROVINCE_CHOICE},
        *(
            {"label": _("targets_admin.group_option", group=g), "value": f"group:{g}"}
            for g in _group_codes(session)
        ),
        *(
            {"label": _unit_label(u), "value": f"unit:{u.gso_code}"}
            for u in scope.latest_units(session, below_province)
        ),
    ]


# --- commune groups over time -----------------------------------------------------------------


def commune_options(session: so.Session) -> list[dict]:
    """The communes (units of the lowest level) by GSO code, for the commune-group form."""
    lowest = _lowest_level(session)
    if lowest is None:
        return []
    return [
        {"label": _unit_label(u), "value": u.gso_code}
        for u in scope.latest_units(session, [lowest.id])
    ]


def _group_snapshot(row: UnitGroup) -> dict:
    return {
        "unit_id": row.unit_id,
        "group": row.group_code,
        "start": row.valid_from,
        "end": row.valid_to,
        "legal_basis": row.legal_basis or None,
    }


def set_unit_group(
    session: so.Session, actor, *, unit_code, group, valid_from, valid_to=None, legal_basis=""
) -> UnitGroup:
    """Put a commune in a group from `valid_from` (to `valid_to`, open if None). The commune's
    earlier group row still in force on `valid_from` ends the day before; a row of the same
    commune from the same day is corrected; a later row the new one would overlap is refused."""
    policy.raise_for_administer(actor)
    errors: dict[str, str] = {}
    group = str(group or "").strip()
    if not GROUP_CODE.match(group):
        errors["group"] = _("targets_admin.bad_group")
    try:
        start = parse_date(valid_from, _("groups_admin.valid_from"))
    except FieldError as exc:
        errors["valid_from"], start = exc.message, None
    try:
        end = parse_date(valid_to, _("groups_admin.valid_to"), required=False)
    except FieldError as exc:
        errors["valid_to"], end = exc.message, None
    if start and end and end < start:
        errors["valid_to"] = _("validation.date_order")
    try:
        basis = parse_text(legal_basis, _("common.legal_basis"), required=False, max_length=300)
    except FieldError as exc:
        errors["legal_basis"], basis = exc.message, None
    code = str(unit_code or "").strip()
    unit = None
    lowest = _lowest_level(session)
    if not code:
        errors["unit"] = _("validation.required", field=_("groups_admin.commune"))
    elif start is not None and lowest is not None:
        unit = session.scalar(
            sa.select(OrgUnit).where(
                OrgUnit.gso_code == code, OrgUnit.level_id == lowest.id, OrgUnit.valid_on(start)
            )
        )
        if unit is None:
            other = session.scalar(
                sa.select(OrgUnit).where(OrgUnit.gso_code == code).order_by(OrgUnit.valid_from)
            )
            if other is None:
                errors["unit"] = _("validation.unknown_unit")
            elif other.level_id != lowest.id:
                errors["unit"] = _(
                    "groups_admin.not_commune",
                    code=code,
                    level=_lower_first(_level_name(other.level)),
                )
            else:
                errors["unit"] = _("groups_admin.commune_not_on", code=code, date=fmt_date(start))
    rows = []
    if unit is not None:
        rows = session.scalars(
            sa.select(UnitGroup).where(UnitGroup.unit_id == unit.id).order_by(UnitGroup.valid_from)
        ).all()
        later = [r for r in rows if r.valid_from > start and (end is None or r.valid_from <= end)]
        if later:
            errors["valid_to"] = _(
                "groups_admin.overlaps_later",
                group=later[0].group_code,
                date=fmt_date(later[0].valid_from),
            )
    if errors:
        raise ValidationError(errors)
    for earlier in rows:  # still in force on `start`: ends the day before
        if earlier.valid_from < start and (earlier.valid_to is None or earlier.valid_to >= start):
            closed = {"end": earlier.valid_to}
            earlier.valid_to = start - dt.timedelta(days=1)
            audit.record(
                session,
                actor,
                "unit_group.set",
                "unit_group",
                entity_id=earlier.id,
                unit_id=unit.id,
                before={**_group_snapshot(earlier), **closed},
                after=_group_snapshot(earlier),
            )
    row = next((r for r in rows if r.valid_from == start), None)
    before = _group_snapshot(row) if row is not None else None
    if row is None:
        row = UnitGroup(unit_id=unit.id, valid_from=start)
        session.add(row)
    row.group_code, row.valid_to, row.legal_basis = group, end, basis or ""
    session.flush()
    audit.record(
        session,
        actor,
        "unit_group.set",
        "unit_group",
        entity_id=row.id,
        unit_id=unit.id,
        before=before,
        after=_group_snapshot(row),
    )
    session.commit()
    return row


def users_frame(session: so.Session):
    import pandas as pd

    rows = []
    for u in session.scalars(sa.select(User).order_by(User.username)):
        rows.append(
            {
                "id": u.id,
                _("admin.username"): u.username,
                _("admin.full_name"): u.full_name,
                _("admin.email"): u.email or "",
                _("admin.role"): _(f"role.{u.role}", unit="").strip(),
                _("admin.scope"): u.unit.name if u.unit else "",
                _("admin.active"): _("choice.bool.true") if u.active else _("choice.bool.false"),
                _("admin.last_login"): fmt_datetime(u.last_login_at) if u.last_login_at else "",
            }
        )
    return pd.DataFrame(rows)


def user_form_values(session: so.Session, actor, user_id) -> dict:
    policy.raise_for_administer(actor)
    user = _get_user(session, user_id)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email or "",
        "role": user.role,
        "district": user.unit.gso_code if user.unit else None,
        "active": user.active,
    }


def periods_frame(session: so.Session):
    import pandas as pd

    def fmt(day):
        return fmt_date(day) if day else ""

    return pd.DataFrame(
        [
            {
                _("admin.code"): p.code,
                _("admin.kind"): _(f"period_kind.{p.kind}"),
                _("field.started_on"): fmt(p.start_date),
                _("field.ended_on"): fmt(p.end_date),
                _("admin.deadline"): fmt(p.deadline),
            }
            for p in session.scalars(sa.select(Period).order_by(Period.start_date, Period.code))
        ]
    )


def targets_frame(session: so.Session):
    """The targets: indicator, scope (a unit's name, "Nhóm 1"), level, year, value and
    milestones; `id` first (hidden on the page, to select a row)."""
    import pandas as pd

    rows = []
    targets = session.scalars(
        sa.select(Target)
        .join(Indicator, Indicator.id == Target.indicator_id)
        .join(Level, Level.id == Target.level_id)
        .order_by(
            Indicator.display_order,
            Level.rank,
            Target.commune_group,
            Target.scope_key,
            Target.target_year,
        )
    )
    for t in targets:
        rows.append(
            {
                "id": t.id,
                _("common.code"): t.indicator.code,
                _("filter.indicator"): t.indicator.short_name,
                _("targets_admin.scope"): scope_label(t),
                _("common.level"): _level_name(t.level),
                _("common.year"): t.target_year,
                _("common.target"): t.target_value,
                _("targets_admin.milestones"): "; ".join(
                    f"{y}: {_number_text(v)}" for y, v in t.milestones.items()
                ),
            }
        )
    return pd.DataFrame(rows)


def groups_frame(session: so.Session):
    """The communes' groups over time: commune, group, from, until, legal basis."""
    import pandas as pd

    rows = session.execute(
        sa.select(UnitGroup, OrgUnit)
        .join(OrgUnit, OrgUnit.id == UnitGroup.unit_id)
        .order_by(OrgUnit.gso_code, UnitGroup.valid_from)
    ).all()
    columns = [
        _("groups_admin.commune"),
        _("groups_admin.group"),
        _("groups_admin.valid_from"),
        _("groups_admin.valid_to"),
        _("common.legal_basis"),
    ]
    return pd.DataFrame(
        [
            [
                f"{unit.name} ({unit.gso_code})",
                _("targets_admin.group", group=row.group_code),
                fmt_date(row.valid_from),
                fmt_date(row.valid_to) if row.valid_to else "",
                row.legal_basis or "",
            ]
            for row, unit in rows
        ],
        columns=columns,
    )
