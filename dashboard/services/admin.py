"""Administration by the NTM Coordination Office: users, periods and deadlines, targets.

Every command checks `policy.raise_for_administer`, validates its input with Vietnamese messages,
changes inside one transaction and writes an audit row (never a password)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import orm as so
from werkzeug.security import generate_password_hash

from dashboard import scope
from dashboard.auth import policy
from dashboard.auth.passwords import check_password
from dashboard.errors import NotFound, ValidationError
from dashboard.i18n import _, fmt_date, fmt_datetime
from dashboard.models import Indicator, OrgUnit, Period, Target, User
from dashboard.models.indicators import PERIOD_KINDS
from dashboard.models.users import ROLES
from dashboard.services import audit, periods
from dashboard.services.parsing import FieldError, parse_date, parse_number

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


def _user_snapshot(user: User) -> dict:
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
        password_hash=generate_password_hash(password),
        active=True,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor, "user.create", "user", entity_id=user.id, after=_user_snapshot(user)
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
    before = _user_snapshot(user)
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
        after=_user_snapshot(user),
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
    user.password_hash = generate_password_hash(password)
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


def set_target(session: so.Session, actor, *, indicator_code, value, year=2025) -> Target:
    """Set the target of an indicator (at the level it counts over) for a year."""
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
    try:
        year = int(year)
        if not 2021 <= year <= 2025:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = _("validation.unknown_period")
    if errors:
        raise ValidationError(errors)
    target = session.scalar(
        sa.select(Target).where(
            Target.indicator_id == ind.id,
            Target.level_id == ind.level_id,
            Target.target_year == year,
        )
    )
    before = {"value": target.target_value} if target else None
    if target is None:
        target = Target(
            indicator=ind,
            level_id=ind.level_id,
            target_year=year,
            comparator=">=",
            source=_("admin.target_source"),
        )
        session.add(target)
    target.target_value = number
    session.flush()
    audit.record(
        session,
        actor,
        "target.set",
        "target",
        entity_id=target.id,
        indicator_code=ind.code,
        before=before,
        after={"value": number, "year": year},
    )
    session.commit()
    return target


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
    import pandas as pd

    from dashboard.services.indicators import level_label

    rows = []
    for ind in session.scalars(sa.select(Indicator).order_by(Indicator.display_order)):
        for t in ind.targets:
            rows.append(
                {
                    _("common.code"): ind.code,
                    _("filter.indicator"): ind.short_name,
                    _("common.level"): level_label(ind),
                    _("common.target"): t.target_value,
                    _("common.year"): t.target_year,
                }
            )
    return pd.DataFrame(rows)
