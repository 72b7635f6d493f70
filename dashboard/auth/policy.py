"""The one place that decides who may do what.

Pages and callbacks ask `can_*` to decide what to show; every service that writes calls the
matching `raise_for_*` again, so a replayed request, an import or a CLI command gets the same
answer as the user interface.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.errors import PermissionDenied
from dashboard.i18n import _
from dashboard.models import Level, OrgUnit, User

ROLE_ADMIN = "admin"
ROLE_VIEWER = "viewer"
ROLE_EDITOR = "editor"


def role_is_scoped(role: str | None) -> bool:
    """Whether accounts of `role` are limited to one district (and need one)."""
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


def can_write_unit(user: User | None, unit: OrgUnit | None) -> bool:
    """Admins write everywhere; editors write their district and its communes; nobody else."""
    if unit is None or not _usable(user):
        return False
    if user.role == ROLE_ADMIN:
        return True
    if user.role == ROLE_EDITOR:
        return scope.in_district(unit, user.unit_id)
    return False


def raise_for_write(user: User | None) -> None:
    """Refuse accounts that may not write anything (anonymous, inactive, viewers)."""
    if not _usable(user):
        raise PermissionDenied(_("auth.not_logged_in"))
    if not can_edit_anything(user):
        raise PermissionDenied(_("auth.read_only"))


def raise_for_write_unit(user: User | None, unit: OrgUnit) -> None:
    raise_for_write(user)
    if not can_write_unit(user, unit):
        raise PermissionDenied(_("auth.forbidden_unit", unit=unit.name))


def raise_for_submit(user: User | None, district: OrgUnit) -> None:
    """The district's own editor, or an admin, submits the district's report."""
    raise_for_write_unit(user, district)


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
