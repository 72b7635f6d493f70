"""Indicators faithful to their texts: the legal basis each one names, and which units each
figure counts (stated from the same field the engine counts by)."""

from __future__ import annotations

import pytest

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
