"""Options for the administration and audit filters (users, units, indicators)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from dashboard import scope
from dashboard.db import get_session
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
    """Districts (by GSO code) and indicators with a target, for the administration forms."""
    session = get_session()
    districts = [
        {"label": f"{d.name} ({d.gso_code})", "value": d.gso_code}
        for d in scope.list_districts(session, dt.date.today())
    ]
    indicators = [
        {"label": f"{i.short_name} ({i.code})", "value": i.code}
        for i in session.scalars(sa.select(Indicator).order_by(Indicator.display_order))
    ]
    return districts, indicators
