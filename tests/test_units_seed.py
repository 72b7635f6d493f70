"""Gia Lai's units as seeded from the GSO list: counts per state, validity and merge links."""

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.models import Level, OrgUnit, UnitChange

pytestmark = pytest.mark.db

BEFORE = dt.date(2023, 12, 31)
AFTER = dt.date(2025, 12, 31)


def count(session, level: str, day: dt.date, kind: str | None = None) -> int:
    stmt = (
        sa.select(sa.func.count(OrgUnit.id))
        .join(Level)
        .where(Level.code == level, OrgUnit.valid_on(day))
    )
    if kind:
        stmt = stmt.where(OrgUnit.kind == kind)
    return session.scalar(stmt)


def test_state_2021_2024_has_17_districts_220_communes_182_xa(session):
    assert count(session, "province", BEFORE) == 1
    assert count(session, "district", BEFORE) == 17
    assert count(session, "commune", BEFORE) == 220
    assert count(session, "commune", BEFORE, "xa") == 182
    assert count(session, "commune", BEFORE, "phuong") == 24
    assert count(session, "commune", BEFORE, "thi_tran") == 14


def test_state_after_november_2024_has_218_communes_180_xa(session):
    assert count(session, "district", AFTER) == 17
    assert count(session, "commune", AFTER) == 218
    assert count(session, "commune", AFTER, "xa") == 180


def test_district_codes_and_kinds(session):
    rows = session.execute(
        sa.select(OrgUnit.gso_code, OrgUnit.kind, OrgUnit.name)
        .join(Level)
        .where(Level.code == "district")
        .order_by(OrgUnit.gso_code)
    ).all()
    codes = [r.gso_code for r in rows]
    assert codes == [str(c) for c in [*range(622, 636), 637, 638, 639]]
    kinds = {r.gso_code: r.kind for r in rows}
    assert kinds["622"] == "thanh_pho"
    assert kinds["623"] == kinds["624"] == "thi_xa"
    assert sum(1 for k in kinds.values() if k == "huyen") == 14
    names = {r.gso_code: r.name for r in rows}
    assert names["622"] == "Thành phố Pleiku"
    assert names["633"] == "Huyện Chư Sê"


def test_merges_of_november_2024_are_linked(session):
    changes = session.scalars(sa.select(UnitChange)).all()
    pairs = {(c.predecessor.name, c.successor.name, c.kind) for c in changes}
    assert ("Xã Tân Sơn", "Xã Biển Hồ", "merge") in pairs
    assert ("Xã Kông Pla", "Xã Kông Bơ La", "merge") in pairs
    assert ("Xã Đăk HLơ", "Xã Kông Bơ La", "split") in pairs
    assert ("Xã Đăk HLơ", "Xã Nghĩa An", "split") in pairs
    tan_son = session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == "23593"))
    assert tan_son.valid_to == dt.date(2024, 10, 31)
    # The code 23674 is reused: two units, one before and one after the change.
    reused = session.scalars(
        sa.select(OrgUnit).where(OrgUnit.gso_code == "23674").order_by(OrgUnit.valid_from)
    ).all()
    assert [u.name for u in reused] == ["Xã Đăk HLơ", "Xã Kông Bơ La"]
    assert reused[1].valid_from == dt.date(2024, 11, 1)


def test_reference_seed_is_idempotent(session):
    from dashboard.services.reference import seed_reference

    before = session.scalar(sa.select(sa.func.count(OrgUnit.id)))
    seed_reference(session)
    session.commit()
    assert session.scalar(sa.select(sa.func.count(OrgUnit.id))) == before == 239
