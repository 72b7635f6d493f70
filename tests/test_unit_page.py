"""The unit page `/don-vi?ma=<GSO code>&tu=<first day of a version>`: details, lineage and the
records counted for the unit, rendered through Dash's router as a browser asks for it; and the
one-line lineage notes of `services.unit_profile`."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.models import Cooperative, Level, OrgUnit, UnitChange
from dashboard.services import unit_profile
from dashboard.services.registry_specs import REGISTRIES

pytestmark = pytest.mark.db

MERGE_DAY = "01/11/2024"
REFORM_DAY = "01/07/2025"


def render(dash_caller, search: str) -> dict:
    """The page's content for `/don-vi<search>`, as Dash's router callback returns it."""
    response = dash_caller.post(
        "_pages_content.children",
        inputs=[
            {"id": "_pages_location", "property": "pathname", "value": "/don-vi"},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]["_pages_content"]["children"]


def find(tree, component_id):
    """The props of the component with `component_id` in a rendered tree, or None."""
    if isinstance(tree, dict):
        props = tree.get("props", {})
        if props.get("id") == component_id:
            return props
        for value in props.values():
            found = find(value, component_id) if isinstance(value, dict | list) else None
            if found is not None:
                return found
    elif isinstance(tree, list):
        for item in tree:
            found = find(item, component_id)
            if found is not None:
                return found
    return None


def text(tree) -> str:
    """Every text of a rendered tree, joined by single spaces."""
    return " ".join(_texts(tree).split())


def _texts(tree) -> str:
    if isinstance(tree, str):
        return tree
    if isinstance(tree, list):
        return " ".join(_texts(item) for item in tree)
    if isinstance(tree, dict):  # a component, or the props `find` returns
        return _texts(tree.get("props", tree).get("children", ""))
    return "" if tree is None else str(tree)


def hrefs(tree) -> list[str]:
    found = []
    if isinstance(tree, dict):
        props = tree.get("props", tree)
        if props.get("href"):
            found.append(props["href"])
        for value in props.values():
            if isinstance(value, dict | list):
                found += hrefs(value)
    elif isinstance(tree, list):
        for item in tree:
            found += hrefs(item)
    return found


def test_new_bien_ho_lists_its_four_predecessors_and_the_reform_date(client, auth, dash_caller):
    # Catches predecessors not read from the unit changes (or of the wrong version of code 23590).
    auth.login("viewer")
    page = render(dash_caller, "?ma=23590&tu=2025-07-01")
    predecessors = find(page, "unit-predecessors")
    assert predecessors is not None
    shown = text(predecessors)
    for name in ("Xã Biển Hồ", "Xã Hà Bầu", "Xã Chư Đăng Ya", "Xã Nghĩa Hưng"):
        assert name in shown
    assert shown.count(REFORM_DAY) == 4
    assert "Sáp nhập" in shown and "1664/NQ-UBTVQH15" in shown
    assert text(find(page, "unit-validity")) == f"từ {REFORM_DAY}"
    assert "Tỉnh Gia Lai" in text(find(page, "unit-parent"))
    assert "/don-vi?ma=23590&tu=2020-02-01" in hrefs(find(page, "unit-versions"))
    assert "/don-vi?ma=23692&tu=2020-02-01" in hrefs(predecessors)


def test_old_tan_son_shows_its_successor_bien_ho_and_the_merge_date(client, auth, dash_caller):
    # Catches successors missing, the wrong date, or the records' heir not named.
    auth.login("viewer")
    page = render(dash_caller, "?ma=23593")
    successors = text(find(page, "unit-successors"))
    assert "Xã Biển Hồ" in successors and MERGE_DAY in successors
    assert "Có" in successors  # its records passed to Biển Hồ
    assert text(find(page, "unit-validity")) == "đến 31/10/2024"
    went = find(page, "unit-records-went-to")
    assert MERGE_DAY in text(went) and "/don-vi?ma=23590&tu=2020-02-01" in hrefs(went)
    assert find(page, "unit-new-notice") is None


def test_a_new_commune_without_predecessor_says_there_is_no_history(
    client, auth, dash_caller, session
):
    # Catches a new unit of the former Bình Định area shown as if it had history (or no notice).
    communes = sa.select(Level.id).where(Level.code == "commune").scalar_subquery()
    with_predecessor = sa.select(UnitChange.successor_id)
    unit = session.scalar(
        sa.select(OrgUnit)
        .where(
            OrgUnit.level_id == communes,
            OrgUnit.valid_from == dt.date(2025, 7, 1),
            OrgUnit.id.not_in(with_predecessor),
        )
        .order_by(OrgUnit.gso_code)
        .limit(1)
    )
    assert unit is not None, "the demo has no new commune without predecessor"
    code = unit.gso_code
    auth.login("viewer")
    page = render(dash_caller, f"?ma={code}")
    notice = text(find(page, "unit-new-notice"))
    assert f"Đơn vị mới thành lập từ {REFORM_DAY}" in notice
    assert "không có số liệu của đơn vị này trước ngày đó" in notice
    assert find(page, "unit-predecessors") is None


def test_tan_son_rows_count_for_old_bien_ho_from_the_merge(client, auth, dash_caller, session):
    # Catches registry rows of a merged unit not attributed to its heir through UnitHeir, or
    # attributed before the merge date / when they ended before it.
    tan_son = session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == "23593"))
    models = [spec.model for spec in REGISTRIES.values()]
    in_demo = sum(
        session.scalar(sa.select(sa.func.count()).where(m.unit_id == tan_son.id)) for m in models
    )
    # The demo holds no row of Tân Sơn (checked here); the test adds one that lives on after the
    # merge and one that ended before it.
    assert in_demo == 0
    session.add_all(
        [
            Cooperative(
                unit_id=tan_son.id, name="HTX Tân Sơn Xanh", established_on=dt.date(2023, 3, 1)
            ),
            Cooperative(
                unit_id=tan_son.id,
                name="HTX Tân Sơn Cũ",
                established_on=dt.date(2021, 3, 1),
                dissolved_on=dt.date(2024, 6, 30),
            ),
        ]
    )
    session.commit()
    auth.login("viewer")
    page = render(dash_caller, "?ma=23590&tu=2020-02-01")
    table = find(page, "unit-registry-cooperatives")
    shown = text(table)
    assert "HTX Tân Sơn Xanh (từ Xã Tân Sơn)" in shown
    assert f"tính cho đơn vị này từ {MERGE_DAY}" in shown
    assert "HTX Tân Sơn Cũ" not in shown  # dissolved before the merge: stays with Tân Sơn
    assert "/don-vi?ma=23593&tu=2020-02-01" in hrefs(table)
    own = render(dash_caller, "?ma=23593")
    assert "HTX Tân Sơn Cũ" in text(find(own, "unit-registry-cooperatives"))


def test_unknown_code_says_so_in_vietnamese(client, auth, dash_caller):
    # Catches an unknown code raising (a 500 page) instead of a plain message.
    auth.login("viewer")
    assert client.get("/don-vi?ma=99999").status_code == 200
    page = render(dash_caller, "?ma=99999&tu=khong-phai-ngay")
    assert "Không tìm thấy đơn vị hành chính có mã “99999”" in text(find(page, "unit-unknown"))
    assert find(page, "unit-lookup") is not None


def test_logged_out_request_is_sent_to_login(client):
    # Catches the unit page readable without an account.
    response = client.get("/don-vi?ma=23590")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_lineage_notes_for_grids(session):
    # Catches the one-line note of a merged unit or of a unit formed by merger worded wrong.
    tan_son = unit_profile.find_unit(session, "23593")
    new_bien_ho = unit_profile.find_unit(session, "23590", "2025-07-01")
    old_bien_ho = unit_profile.find_unit(session, "23590", "2020-02-01")
    assert unit_profile.lineage_note(session, tan_son) == f"Sáp nhập vào Xã Biển Hồ từ {MERGE_DAY}"
    assert (
        unit_profile.lineage_note(session, new_bien_ho)
        == f"Hình thành từ 4 đơn vị ngày {REFORM_DAY}"
    )
    assert unit_profile.lineage_note(session, old_bien_ho) == (
        f"Nhận sáp nhập Xã Tân Sơn từ {MERGE_DAY}; sáp nhập vào Xã Biển Hồ từ {REFORM_DAY}"
    )
