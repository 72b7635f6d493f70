"""The one place that decides who may do what.

Pages and callbacks ask `can_*` to decide what to show; every service that writes calls the
matching `raise_for_*` again, so a replayed request, an import or a CLI command gets the same
answer as the user interface.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.errors import PermissionDenied
from dashboard.i18n import _, fmt_date
from dashboard.models import Level, OrgUnit, User

ROLE_ADMIN = "admin"
ROLE_VIEWER = "viewer"
ROLE_EDITOR = "editor"
# Province approvers (after the two-tier reform, the province approves communes' reports):
# they read everything and approve or return submitted reports; they write no records.
ROLE_APPROVER = "approver"


def role_is_scoped(role: str | None) -> bool:
    """Whether accounts of `role` are limited to one unit (a district before the two-tier
    reform, a commune after it) and need one."""
    return role == ROLE_EDITOR


def role_administers(role: str | None) -> bool:
    return role == ROLE_ADMIN


def _usable(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def can_read(user: User | None) -> bool:
    """Every active, logged-in account reads every page, district and period."""
    return _usable(user)


def can_edit_anything(user: User | None) -> bool:
    """Whether the user may write at all (decides whether edit controls are shown)."""
    return _usable(user) and user.role in {ROLE_ADMIN, ROLE_EDITOR}


def can_administer(user: User | None) -> bool:
    return _usable(user) and user.role == ROLE_ADMIN


def can_decide(user: User | None) -> bool:
    """Approve or return submitted reports: the office (admins) and the province approvers."""
    return _usable(user) and user.role in {ROLE_ADMIN, ROLE_APPROVER}


def raise_for_decide(user: User | None) -> None:
    if not can_decide(user):
        raise PermissionDenied(_("error.403"))


# A district report in one of these statuses locks the district's records of its period.
LOCKING_STATUSES = ("submitted", "approved")


@dataclass(frozen=True)
class Lock:
    """A report that locks records: the district's name, the period's code, the status."""

    district: str
    period: str
    status: str


def can_bypass_locks(user: User | None) -> bool:
    """Submitted and approved reports lock records for everyone but the administrators."""
    return can_administer(user)


def is_locking(status: str | None) -> bool:
    return status in LOCKING_STATUSES


def can_edit_under(user: User | None, status: str | None) -> bool:
    """Whether the user may change records of a period whose report has `status`."""
    return not is_locking(status) or can_bypass_locks(user)


def raise_for_locks(user: User | None, locks: Iterable[Lock]) -> None:
    """Refuse an editor's change that touches a period locked by a submitted or approved
    report; the message names the first such report."""
    if can_bypass_locks(user):
        return
    for lock in locks:
        raise PermissionDenied(
            _(
                "workflow.locked",
                district=lock.district,
                period=lock.period,
                status=_(f"status.{lock.status}"),
            )
        )


def can_choose_data_mode(user: User | None) -> bool:
    """Viewers and admins switch between all data and approved data only; editors always work
    on all data of their district."""
    return _usable(user) and user.role in {ROLE_ADMIN, ROLE_VIEWER}


def scope_unit(user: User | None) -> OrgUnit | None:
    """The unit an account is limited to (an editor's district), or None for province-wide
    accounts and for accounts that may not write."""
    if _usable(user) and role_is_scoped(user.role):
        return user.unit
    return None


# What a page needs (`access=` in `dash.register_page`): None for every reader.
PAGE_ACCESS = {None: can_read, "write": can_edit_anything, "administer": can_administer}


def can_open(user: User | None, access: str | None) -> bool:
    """Whether the account may open (and see in the navigation) a page needing `access`."""
    check = PAGE_ACCESS.get(access)
    return bool(check is not None and check(user))


def can_write_unit(user: User | None, unit: OrgUnit | None, on: dt.date | None = None) -> bool:
    """Admins write everywhere; editors write the records of their unit and the units below it
    (a district and its communes; a commune), dated while their unit exists (`on`: the day the
    record counts on; a district editor keeps the district's 2021-2025 records, not the
    communes of the two-tier structure); nobody else."""
    if unit is None or not _usable(user):
        return False
    if user.role == ROLE_ADMIN:
        return True
    if user.role == ROLE_EDITOR:
        if not scope.in_district(unit, user.unit_id):
            return False
        return on is None or scope_exists_on(user, on)
    return False


def scope_exists_on(user: User | None, day: dt.date) -> bool:
    """Whether an editor's unit exists on `day` (accounts without a unit: True)."""
    unit = getattr(user, "unit", None)
    return unit is None or unit.is_valid_on(day)


def raise_for_write(user: User | None) -> None:
    """Refuse accounts that may not write anything (anonymous, inactive, viewers)."""
    if not _usable(user):
        raise PermissionDenied(_("auth.not_logged_in"))
    if not can_edit_anything(user):
        raise PermissionDenied(_("auth.read_only"))


def raise_for_write_unit(user: User | None, unit: OrgUnit, on: dt.date | None = None) -> None:
    """Refuse a write to `unit`'s records (counted on `on`, when known) outside the user's
    scope; the message says whether the unit or the date is the reason."""
    raise_for_write(user)
    if can_write_unit(user, unit):
        if on is None or can_write_unit(user, unit, on):
            return
        raise PermissionDenied(
            _("auth.scope_ended", unit=user.unit.name, date=fmt_date(user.unit.valid_to))
        )
    raise PermissionDenied(_("auth.forbidden_unit", unit=unit.name))


def raise_for_submit(user: User | None, district: OrgUnit, on: dt.date | None = None) -> None:
    """The reporting unit's own editor, or an admin, submits its report."""
    raise_for_write_unit(user, district, on)


def raise_for_administer(user: User | None) -> None:
    if not can_administer(user):
        raise PermissionDenied(_("error.403"))


def writable_units(session: so.Session, user: User | None, levels: tuple[str, ...] = ()):
    """The units the user may write (optionally only at `levels`), ordered by GSO code."""
    if not can_edit_anything(user):
        return []
    stmt = sa.select(OrgUnit).join(Level)
    if levels:
        stmt = stmt.where(Level.code.in_(levels))
    if user.role == ROLE_EDITOR:
        stmt = stmt.where(scope.within_district(user.unit_id))
    return list(session.scalars(stmt.order_by(Level.rank, OrgUnit.gso_code, OrgUnit.valid_from)))


def may_preview_embeds(user: User | None) -> bool:
    """The embed builder's preview frames embeds from the app's own pages: administrators only
    (for everyone else an embed may be framed only by `EMBED_ALLOWED_ORIGINS`)."""
    return can_administer(user)


def may_view_chart(private: bool, link_ok: bool) -> bool:
    """Who sees an embedded chart (no login): a public chart, anyone; a private chart, only
    through a valid signed embed link."""
    return link_ok or not private
