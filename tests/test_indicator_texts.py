"""Indicators faithful to their texts: the legal basis each one names, and which units each
figure counts (stated from the same field the engine counts by)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dashboard import scope
from dashboard.services import indicators as svc

pytestmark = pytest.mark.db


def test_indicators_name_only_the_legal_basis_they_have(session):
    """Catches GOV-FIBRE labelled as criterion 8.2 (which is "xã có dịch vụ viễn thông,
    internet", not fibre), and the seed's mobile coverage status missing as an indicator."""
    fibre = svc.get_indicator(session, "GOV-FIBRE")
    assert "8.2" not in fibre.legal_basis and "Văn phòng Điều phối" in fibre.legal_basis
    mobile = svc.get_indicator(session, "GOV-MOBILE")
    assert mobile.kinds == () or set(mobile.kinds) >= {"xa", "phuong", "thi_tran"}
    period = svc.get_period(session, "2023")
    prog = {i.code: p for i, p, _f in svc.summary(session, period)}["GOV-MOBILE"]
    units = len(scope.list_units_at(session, mobile.level_id, period.count_date))
    # every commune-level unit (xã, phường, thị trấn) counts, all covered in 2023 (the article)
    assert (prog.figure.numerator, prog.figure.denominator) == (units, units)


def test_each_figure_states_the_units_it_counts(session):
    """Catches an indicator of rural communes only and one over every commune-level unit
    described alike (SOC-ESSENTIAL and GOV-DOSSIER-COMM count wards, GOV-C8_4 does not), or a
    statement that disagrees with what the figure counts."""
    period = svc.get_period(session, "2023")
    rows = {i.code: (i, p) for i, p, _f in svc.summary(session, period)}
    c84, c84_prog = rows["GOV-C8_4"]
    assert svc.level_text(c84) == "Cấp xã · chỉ xã"
    dossiers, dossiers_prog = rows["GOV-DOSSIER-COMM"]
    assert svc.level_text(dossiers) == "Cấp xã · mọi đơn vị cấp xã (xã, phường, thị trấn)"
    essential = rows["SOC-ESSENTIAL"][0]
    assert svc.level_text(essential).endswith("· mọi đơn vị cấp xã (xã, phường, thị trấn)")
    assert svc.level_text(svc.get_indicator(session, "GOV-D9_5")) == "Cấp huyện"
    communes = scope.list_units_at(session, c84.level_id, period.count_date)
    rural = [u for u in communes if u.kind == "xa"]
    assert c84_prog.figure.expected == len(rural) < len(communes)
    assert dossiers_prog.figure.expected == len(communes)


def test_cooperatives_count_for_eco_coop_only_with_digital_or_ecommerce_use(session):
    """Catches ECO-COOP counting every cooperative (the programme's indicator is cooperatives
    applying digital technology or e-commerce), a registry that cannot record that use, and
    the looser count lost instead of kept as ECO-COOP-ANY."""
    from dashboard.models import Cooperative, User
    from dashboard.services import registries

    period = svc.get_period(session, "2024")
    strict = svc.get_indicator(session, "ECO-COOP")
    loose = svc.get_indicator(session, "ECO-COOP-ANY")
    assert strict.targets and not loose.targets  # the 70% target is the programme's indicator
    admin = session.scalar(sa.select(User).where(User.username == "admin"))
    with_coop = set(session.scalars(sa.select(Cooperative.unit_id)))
    commune = next(
        u
        for u in scope.list_units_at(session, strict.level_id, period.count_date)
        if u.kind == "xa" and u.id not in with_coop
    )

    def counted(ind) -> int:
        return svc.compute(session, ind, period).numerator

    before = (counted(strict), counted(loose))
    plain = registries.create_row(
        session, admin, "cooperatives", commune.id,
        {"name": "HTX Thử", "established_on": "2022-03-01"},
    )  # fmt: skip
    assert (counted(strict), counted(loose)) == (before[0], before[1] + 1)
    registries.update_row(
        session, admin, "cooperatives", plain.id, commune.id,
        {"name": "HTX Thử", "established_on": "2022-03-01", "ecommerce": "có"},
        plain.version,
    )  # fmt: skip
    session.expire_all()
    assert (counted(strict), counted(loose)) == (before[0] + 1, before[1] + 1)
    assert session.get(Cooperative, plain.id).ecommerce is True
