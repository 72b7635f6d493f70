"""Locks cover time, not only rows: a registry row counts in every period it is in force, so an
editor may not create, change, dissolve, re-date or delete it while any of those periods is
locked by a submitted or approved report; and a row's dates lie within its unit's lifetime."""

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.errors import PermissionDenied, ValidationError
from dashboard.models import Cooperative, OrgUnit, User
from dashboard.services import indicators as svc
from dashboard.services import registries, workflow

pytestmark = pytest.mark.db

TRA_DA = "23596"  # Xã Trà Đa, Pleiku
TAN_SON = "23593"  # Xã Tân Sơn, Pleiku: merged into Biển Hồ on 1 November 2024
KONG_BO_LA = "23674"  # Xã Kông Bơ La: created on 1 November 2024


def user(session, name):
    return session.scalar(sa.select(User).where(User.username == name))


def unit(session, code):
    """The latest version of the unit in the district structure (before 1/7/2025)."""
    return session.scalar(
        sa.select(OrgUnit)
        .where(OrgUnit.gso_code == code, OrgUnit.valid_from < dt.date(2025, 7, 1))
        .order_by(OrgUnit.valid_from.desc())
    )


def coop_2021_display(session) -> str:
    """What `/xuat/by-district.csv?indicator=ECO-COOP&period=2021` shows for Pleiku."""
    frame = svc.by_district(
        session, svc.get_indicator(session, "ECO-COOP"), svc.get_period(session, "2021")
    )
    return frame.set_index("district_code").loc["622", "display"]


def old_row(session, admin, code=TRA_DA, start="2020-06-01"):
    """A cooperative from before the programme, entered by the office (admins bypass locks)."""
    return registries.create_row(
        session,
        admin,
        "cooperatives",
        unit(session, code).id,
        {"name": "HTX cũ", "established_on": start},
    )


def test_editor_cannot_add_a_row_that_counts_in_an_approved_year(session):
    """Catches the reproduced bug: a Pleiku editor adds a cooperative dated 2020-06-01 and the
    approved 2021 figure for Pleiku goes from 1/8 to 2/8 while the report stays approved."""
    before = coop_2021_display(session)
    with pytest.raises(PermissionDenied) as err:
        registries.create_row(
            session,
            user(session, "editor-622"),
            "cooperatives",
            unit(session, TRA_DA).id,
            {"name": "HTX Trà Đa", "established_on": "2020-06-01"},
        )
    assert "2021" in err.value.message and "khóa" in err.value.message
    session.rollback()
    assert coop_2021_display(session) == before


def test_editor_may_add_a_row_that_starts_in_an_open_year(session):
    """Catches a lock rule that refuses everything: 2023-2025 are open in the demo data."""
    row = registries.create_row(
        session,
        user(session, "editor-622"),
        "cooperatives",
        unit(session, TRA_DA).id,
        {"name": "HTX mới", "established_on": "2023-03-01"},
    )
    assert row.id is not None


def test_a_row_that_ended_before_the_first_period_is_locked_by_nothing(session):
    """Catches intervals computed from the start date alone: a row of 2019 counts nowhere."""
    row = registries.create_row(
        session,
        user(session, "editor-622"),
        "cooperatives",
        unit(session, TRA_DA).id,
        {"name": "HTX 2019", "established_on": "2019-01-01", "dissolved_on": "2019-12-31"},
    )
    assert row.dissolved_on == dt.date(2019, 12, 31)


@pytest.mark.parametrize(
    ("change", "data"),
    [
        ("dissolve inside the locked year", {"dissolved_on": "2021-06-30"}),
        ("dissolve after the locked years", {"dissolved_on": "2024-06-30"}),
        ("move the start into an open year", {"established_on": "2023-01-01"}),
        ("rename", {"name": "HTX đổi tên"}),
    ],
)
def test_editor_cannot_change_a_row_in_force_in_a_locked_year(session, change, data):
    """Catches the reproduced bug: a pre-2021 row could be dissolved, re-dated or changed by an
    editor although it counts in the approved 2021 and 2022 figures."""
    row = old_row(session, user(session, "admin"))
    before = coop_2021_display(session)
    form = {"name": row.name, "established_on": "2020-06-01", **data}
    with pytest.raises(PermissionDenied):
        registries.update_row(
            session,
            user(session, "editor-622"),
            "cooperatives",
            row.id,
            row.unit_id,
            form,
            expected_version=row.version,
        )
    session.rollback()
    stored = session.get(Cooperative, row.id)
    assert (stored.name, stored.established_on, stored.dissolved_on) == (
        "HTX cũ",
        dt.date(2020, 6, 1),
        None,
    ), change
    assert coop_2021_display(session) == before


def test_editor_cannot_delete_a_row_in_force_in_a_locked_year(session):
    """Catches registry delete in a locked period (and rows dated before the first period)."""
    row = old_row(session, user(session, "admin"))
    with pytest.raises(PermissionDenied):
        registries.delete_row(
            session, user(session, "editor-622"), "cooperatives", row.id, row.version
        )
    session.rollback()
    assert session.get(Cooperative, row.id) is not None


def test_editor_cannot_move_an_open_year_row_into_a_locked_year(session):
    """Catches a check of the old dates only: the new interval counts too."""
    editor = user(session, "editor-622")
    row = registries.create_row(
        session,
        editor,
        "cooperatives",
        unit(session, TRA_DA).id,
        {"name": "HTX", "established_on": "2024-02-01"},
    )
    with pytest.raises(PermissionDenied):
        registries.update_row(
            session,
            editor,
            "cooperatives",
            row.id,
            row.unit_id,
            {"name": "HTX", "established_on": "2022-02-01"},
            expected_version=row.version,
        )


def test_submitting_a_later_year_locks_rows_that_run_into_it(session):
    """Catches locks that look at the start year only: a 2023 row without an end counts in
    2024 too, so a submitted 2024 report locks it."""
    editor = user(session, "editor-622")
    row = registries.create_row(
        session,
        editor,
        "cooperatives",
        unit(session, TRA_DA).id,
        {"name": "HTX", "established_on": "2023-02-01"},
    )
    workflow.transition(session, editor, "submit", "622", "2024")
    with pytest.raises(PermissionDenied) as err:
        registries.update_row(
            session,
            editor,
            "cooperatives",
            row.id,
            row.unit_id,
            {"name": "HTX", "established_on": "2023-02-01", "dissolved_on": "2023-12-31"},
            expected_version=row.version,
        )
    assert "2024" in err.value.message


def test_admin_may_correct_a_locked_row(session):
    """Catches a lock that also binds the office, whose bypass is in policy."""
    admin = user(session, "admin")
    row = old_row(session, admin)
    registries.update_row(
        session,
        admin,
        "cooperatives",
        row.id,
        row.unit_id,
        {"name": "HTX cũ", "established_on": "2020-06-01", "dissolved_on": "2021-06-30"},
        expected_version=row.version,
    )
    assert session.get(Cooperative, row.id).dissolved_on == dt.date(2021, 6, 30)


def test_row_dates_lie_within_the_units_lifetime(session):
    """Catches rows on a commune merged away in November 2024 dated after that, and rows on a
    commune created then dated before it existed."""
    admin = user(session, "admin")
    tan_son = unit(session, TAN_SON)
    assert tan_son.valid_to == dt.date(2024, 10, 31)
    with pytest.raises(ValidationError) as err:
        registries.create_row(
            session,
            admin,
            "cooperatives",
            tan_son.id,
            {"name": "HTX", "established_on": "2024-12-01"},
        )
    assert "Xã Tân Sơn" in err.value.errors["established_on"]
    with pytest.raises(ValidationError) as err:
        registries.create_row(
            session,
            admin,
            "cooperatives",
            tan_son.id,
            {"name": "HTX", "established_on": "2023-01-01", "dissolved_on": "2025-01-01"},
        )
    assert "dissolved_on" in err.value.errors
    kong_bo_la = unit(session, KONG_BO_LA)
    assert kong_bo_la.valid_from == dt.date(2024, 11, 1)
    with pytest.raises(ValidationError) as err:
        registries.create_row(
            session,
            admin,
            "cooperatives",
            kong_bo_la.id,
            {"name": "HTX", "established_on": "2023-01-01"},
        )
    assert "thành lập" in err.value.errors["established_on"]
    # Within the lifetime, and before the unit list starts for units not created by a change.
    registries.create_row(
        session, admin, "cooperatives", tan_son.id, {"name": "HTX", "established_on": "2015-01-01"}
    )
