"""Moving editor accounts to the units of a new structure (the two-tier structure from
1/7/2025): proposals from the units' lineage, and the move itself.

An account limited to a unit that is not in force on a day (a district editor after the
district level ended) can be moved to a unit in force on that day, or deactivated. Proposals
follow the recorded changes: the successors of the account's unit and, for a district, of its
communes, up to that day; the unit that takes over the most of their records (the heir) first.
Moving changes the account's unit only: its role stays, and records keep their units (the
2021-2025 records stay the district's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.auth import policy
from dashboard.errors import ValidationError
from dashboard.i18n import _, fmt_date
from dashboard.models import Level, OrgUnit, UnitChange, UnitHeir, User
from dashboard.services import audit
from dashboard.services.admin import user_snapshot

# The choice that deactivates an account instead of moving it.
DEACTIVATE = "deactivate"


@dataclass(frozen=True)
class Candidate:
    """A unit in force an account could move to; `inherits`: how many of the account's units
    (its unit and, for a district, its communes) pass their records to it."""

    unit: OrgUnit
    inherits: int


@dataclass(frozen=True)
class Proposal:
    """An account whose unit is not in force on the day, the units it could move to (the heir
    first) and the one proposed when there is an obvious one (else None: a choice is needed)."""

    user: User
    unit: OrgUnit
    candidates: tuple[Candidate, ...]
    proposed: OrgUnit | None


@dataclass(frozen=True)
class Moved:
    """One applied row: the account, its unit before, and its unit after (None: deactivated)."""

    user: User
    before: OrgUnit | None
    after: OrgUnit | None


def units_in_force(session: so.Session, on: dt.date) -> list[OrgUnit]:
    """The units an account can be moved to on `on`: in force that day, at a level that
    reports in some programme; by level and GSO code."""
    return list(
        session.scalars(
            sa.select(OrgUnit)
            .join(Level, Level.id == OrgUnit.level_id)
            .where(OrgUnit.valid_on(on), OrgUnit.level_id.in_(scope.scope_levels()))
            .order_by(Level.rank, OrgUnit.gso_code)
        )
    )


def find_target(session: so.Session, code, on: dt.date) -> OrgUnit | None:
    """The unit with GSO code `code` an account can be moved to on `on`, or None."""
    return scope.find_scope_unit(session, code, on)


def proposals(session: so.Session, on: dt.date) -> list[Proposal]:
    """For each active scoped account whose unit is not in force on `on` because it ended
    before (not one of a unit yet to begin), by username: the units in force on `on` its
    unit's territory went to (following the changes dated up to `on`; for a district, those of
    its communes), the heir first, and the proposed one: the heir of the account's own unit,
    else the only candidate, else none (a choice is needed)."""
    users = [
        u
        for u in session.scalars(
            sa.select(User)
            .where(User.active.is_(True), User.unit_id.is_not(None))
            .order_by(User.username)
        )
        if policy.role_is_scoped(u.role) and u.unit.valid_to is not None and u.unit.valid_to < on
    ]
    if not users:
        return []
    levels = set(session.scalars(scope.scope_levels()))
    by_predecessor: dict[int, list[UnitChange]] = {}
    for change in session.scalars(
        sa.select(UnitChange)
        .options(so.joinedload(UnitChange.successor))
        .where(UnitChange.date <= on)
        .order_by(UnitChange.date, UnitChange.id)
    ):
        by_predecessor.setdefault(change.predecessor_id, []).append(change)
    unit_ids = {u.unit_id for u in users}
    children: dict[int, list[OrgUnit]] = {}
    for child in session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id.in_(unit_ids))):
        children.setdefault(child.parent_id, []).append(child)
    roots_of = {uid: [uid, *(c.id for c in children.get(uid, []))] for uid in unit_ids}
    all_roots = {rid for roots in roots_of.values() for rid in roots}
    heir_of = dict(
        session.execute(
            sa.select(UnitHeir.unit_id, UnitHeir.heir_id).where(
                UnitHeir.unit_id.in_(all_roots), UnitHeir.valid_on(on)
            )
        ).all()
    )
    out = []
    for user in users:
        roots = [user.unit, *children.get(user.unit_id, [])]
        found = _reached(roots, by_predecessor, on)
        found = {uid: unit for uid, unit in found.items() if unit.level_id in levels}
        inherits = {uid: 0 for uid in found}
        for rid in roots_of[user.unit_id]:
            heir = heir_of.get(rid)
            if heir in inherits:
                inherits[heir] += 1
        candidates = tuple(
            Candidate(unit, inherits[uid])
            for uid, unit in sorted(
                found.items(), key=lambda item: (-inherits[item[0]], item[1].gso_code)
            )
        )
        own_heir = found.get(heir_of.get(user.unit_id))
        if own_heir is not None:
            proposed = own_heir
        elif len(candidates) == 1:
            proposed = candidates[0].unit
        else:
            proposed = None
        out.append(Proposal(user, user.unit, candidates, proposed))
    return out


def _reached(
    roots: list[OrgUnit], by_predecessor: dict[int, list[UnitChange]], on: dt.date
) -> dict[int, OrgUnit]:
    """The units in force on `on` reached from `roots` (themselves when in force) through the
    changes (dated up to `on`), passing through units that have ended."""
    found: dict[int, OrgUnit] = {}
    seen = {u.id for u in roots}
    queue = list(roots)
    while queue:
        node = queue.pop(0)
        if node.is_valid_on(on):
            found[node.id] = node
            continue
        for change in by_predecessor.get(node.id, []):
            if change.successor_id not in seen:
                seen.add(change.successor_id)
                queue.append(change.successor)
    return found


def _clean_on(on) -> dt.date:
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    try:
        return dt.date.fromisoformat(str(on or "").strip())
    except ValueError:
        raise ValidationError({"on": _("account_moves.bad_on")}) from None


def move(session: so.Session, actor, moves, on) -> list[Moved]:
    """Move each account `(username, unit_code)` to the unit with that GSO code in force on
    `on`, or deactivate it (`unit_code` = `DEACTIVATE`); administrators only. All or nothing:
    any bad row refuses the whole batch with a `ValidationError` naming the row, and nothing is
    changed. Roles stay; each moved account's sessions end; each row is audited (before and
    after); records keep their units."""
    policy.raise_for_administer(actor)
    on = _clean_on(on)
    rows = list(moves or [])
    if not rows:
        raise ValidationError({"moves": _("account_moves.nothing_chosen")})
    errors: dict[str, str] = {}
    plan: list[tuple[User, OrgUnit | None]] = []
    first_row: dict[str, int] = {}
    for number, item in enumerate(rows, start=1):
        key = f"row{number}"
        if (
            not isinstance(item, list | tuple)
            or len(item) != 2
            or not all(isinstance(part, str) for part in item)
        ):
            errors[key] = _("account_moves.bad_row", row=number)
            continue
        username, code = item[0].strip().lower(), item[1].strip()
        names = {"row": number, "username": username or "–"}
        if username in first_row:
            errors[key] = _("account_moves.duplicate", first=first_row[username], **names)
            continue
        first_row[username] = number
        user = session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            errors[key] = _("account_moves.unknown_user", **names)
            continue
        if not policy.role_is_scoped(user.role):
            role = _(f"role.{user.role}", unit="").strip()
            errors[key] = _("account_moves.not_scoped", role=role, **names)
            continue
        if not user.active:
            errors[key] = _("account_moves.inactive", **names)
            continue
        if code == DEACTIVATE:
            plan.append((user, None))
            continue
        if not code:
            errors[key] = _("account_moves.no_unit", **names)
            continue
        target = find_target(session, code, on)
        if target is None:
            errors[key] = _("account_moves.unknown_unit", code=code, date=fmt_date(on), **names)
        elif target.id == user.unit_id:
            errors[key] = _("account_moves.same_unit", unit=target.name, **names)
        else:
            plan.append((user, target))
    if errors:
        raise ValidationError(errors)
    done = []
    for user, target in plan:
        before_unit = user.unit
        before = user_snapshot(user)
        if target is None:
            user.active = False
            action = "user.deactivate"
        else:
            user.unit = target
            action = "user.move_unit"
        user.end_sessions()
        session.flush()
        unit = target or before_unit
        audit.record(
            session,
            actor,
            action,
            "user",
            entity_id=user.id,
            unit_id=unit.id if unit is not None else None,
            before=before,
            after=user_snapshot(user),
        )
        done.append(Moved(user, before_unit, target))
    session.commit()
    return done


def obvious_moves(found: list[Proposal]) -> list[tuple[str, str]]:
    """The proposals with an obvious unit, as `(username, unit_code)` rows for `move`."""
    return [(p.user.username, p.proposed.gso_code) for p in found if p.proposed is not None]


def unit_label(unit: OrgUnit) -> str:
    return f"{unit.name} ({unit.gso_code})"


def old_unit_label(unit: OrgUnit) -> str:
    """The account's unit and when it ended (`Thành phố Pleiku (622), đến 30/06/2025`)."""
    if unit.valid_to is None:
        return unit_label(unit)
    return _("account_moves.until", unit=unit_label(unit), date=fmt_date(unit.valid_to))
