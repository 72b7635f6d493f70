"""Options for the administration and audit filters (users, units, indicators)."""

from __future__ import annotations

import sqlalchemy as sa

from dashboard import scope
from dashboard.db import get_session
from dashboard.i18n import _, fmt_date
from dashboard.models import Indicator, Level, OrgUnit, User


def audit_filter_options() -> tuple[list[dict], list[dict], list[dict]]:
    session = get_session()
    users = [
        {"label": u, "value": u}
        for u in session.scalars(sa.select(User.username).order_by(User.username))
    ]
    districts = session.scalars(
        sa.select(OrgUnit)
        .join(Level)
        .where(Level.code.in_(("province", "district")))
        .order_by(Level.rank, OrgUnit.gso_code)
    )
    units = [{"label": f"{u.name} ({u.gso_code})", "value": u.id} for u in districts]
    indicators = [
        {"label": f"{i.short_name} ({i.code})", "value": i.code}
        for i in session.scalars(sa.select(Indicator).order_by(Indicator.display_order))
    ]
    return users, units, indicators


def admin_options() -> tuple[list[dict], list[dict]]:
    """The units an editor can be limited to (by GSO code: the communes of the two-tier
    structure, then the former districts, marked with their end) and the indicators, for the
    administration forms."""
    session = get_session()
    districts = [
        {
            "label": f"{d.name} ({d.gso_code})"
            if d.valid_to is None
            else _("admin.unit_until", unit=f"{d.name} ({d.gso_code})", date=fmt_date(d.valid_to)),
            "value": d.gso_code,
        }
        for d in scope.list_scope_units(session)
    ]
    indicators = [
        {"label": f"{i.short_name} ({i.code})", "value": i.code}
        for i in session.scalars(sa.select(Indicator).order_by(Indicator.display_order))
    ]
    return districts, indicators
