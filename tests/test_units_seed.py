"""Gia Lai's units as seeded from the GSO list: counts per state, validity, merge links, the
two-tier structure from 1 July 2025 and the lineage the figures follow."""

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.models import Level, OrgUnit, UnitChange

pytestmark = pytest.mark.db

BEFORE = dt.date(2023, 12, 31)
AFTER = dt.date(2025, 6, 30)  # the last day of the district structure
TWO_TIER = dt.date(2025, 7, 1)


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
    assert [u.name for u in reused] == ["Xã Đăk HLơ", "Xã Kông Bơ La", "Xã Kông Bơ La"]
    assert reused[1].valid_from == dt.date(2024, 11, 1)
    assert reused[2].valid_from == TWO_TIER  # and again in the two-tier structure


def test_reference_seed_is_idempotent(session):
    from dashboard.services.reference import seed_reference

    before = session.scalar(sa.select(sa.func.count(OrgUnit.id)))
    seed_reference(session)
    session.commit()
    # 239 units of the district structure (2020-2025) + the new province and its 135 units.
    assert session.scalar(sa.select(sa.func.count(OrgUnit.id))) == before == 239 + 136
    # The derived lineage is rebuilt, not duplicated.
    from dashboard.models import UnitHeir
    from dashboard.services import aggregates

    heirs = session.scalar(sa.select(sa.func.count(UnitHeir.id)))
    version = aggregates.version(session)
    seed_reference(session)
    session.commit()
    assert session.scalar(sa.select(sa.func.count(UnitHeir.id))) == heirs
    # Nothing changed, nothing written: a reseed (every `init-db`) does not rebuild the figures.
    assert aggregates.version(session) == version


def test_two_tier_structure_from_july_2025(session):
    # Catches: the new province's units missing, or the old structure still open after 30/6/2025.
    assert count(session, "province", TWO_TIER) == 1
    assert count(session, "district", TWO_TIER) == 0
    assert count(session, "commune", TWO_TIER) == 135
    assert count(session, "commune", TWO_TIER, "xa") == 110
    assert count(session, "commune", TWO_TIER, "phuong") == 25
    province = session.scalar(
        sa.select(OrgUnit).join(Level).where(Level.code == "province", OrgUnit.valid_on(TWO_TIER))
    )
    assert (province.gso_code, province.name) == ("52", "Tỉnh Gia Lai")
    district = session.scalar(sa.select(Level).where(Level.code == "district"))
    assert district.valid_to == AFTER


def test_bien_ho_and_tan_son_records_follow_the_crosswalk(session):
    # Catches: merged units' records vanishing from later figures (heirs not derived or not
    # chained across the 2024 and 2025 changes).
    from dashboard.services import lineage

    tan_son = session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == "23593"))
    old, new = session.scalars(
        sa.select(OrgUnit).where(OrgUnit.gso_code == "23590").order_by(OrgUnit.valid_from)
    ).all()
    assert lineage.heir_of(session, tan_son, dt.date(2024, 10, 31)) == tan_son
    assert lineage.heir_of(session, tan_son, dt.date(2024, 11, 1)) == old
    assert lineage.heir_of(session, tan_son, AFTER) == old
    assert lineage.heir_of(session, tan_son, TWO_TIER) == new
    assert lineage.heir_of(session, old, TWO_TIER) == new
    assert new.parent.gso_code == "52"
    assert sorted(link.unit.name for link in lineage.predecessors(session, new)) == [
        "Xã Biển Hồ",
        "Xã Chư Đăng Ya",
        "Xã Hà Bầu",
        "Xã Nghĩa Hưng",
    ]
    # A split passes the records to its one heir only (Đăk HLơ → Kông Bơ La, not Nghĩa An).
    dak_hlo = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == "23674").order_by(OrgUnit.valid_from)
    )
    heir = lineage.heir_of(session, dak_hlo, dt.date(2025, 1, 1))
    assert heir.name == "Xã Kông Bơ La"
