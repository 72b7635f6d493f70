"""The seed CSVs of Gia Lai's units and their links, read as files (no database, no app)."""

import csv
import datetime as dt
import itertools
from collections import Counter, defaultdict
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parent.parent / "dashboard" / "data"
BEFORE_REFORM = dt.date(2025, 6, 30)
REFORM = dt.date(2025, 7, 1)
NOVEMBER_2024 = dt.date(2024, 11, 1)


def read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def units() -> list[dict[str, str]]:
    return read("gia_lai_units.csv")


@pytest.fixture(scope="module")
def changes() -> list[dict[str, str]]:
    return read("gia_lai_unit_changes.csv")


def day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def valid_on(row: dict[str, str], when: dt.date) -> bool:
    end = day(row["valid_to"])
    return day(row["valid_from"]) <= when and (end is None or when <= end)


def state(units: list[dict[str, str]], when: dt.date, level: str) -> list[dict[str, str]]:
    return [row for row in units if row["level"] == level and valid_on(row, when)]


def version(units: list[dict[str, str]], code: str, when: dt.date) -> dict[str, str]:
    (row,) = [row for row in units if row["gso_code"] == code and valid_on(row, when)]
    return row


def test_state_on_2025_06_30_is_the_old_province_with_17_districts(units):
    # Bug: the rows of the old state end too early or the new rows start too early.
    assert [(r["gso_code"], r["name"]) for r in state(units, BEFORE_REFORM, "province")] == [
        ("64", "Tỉnh Gia Lai")
    ]
    assert len(state(units, BEFORE_REFORM, "district")) == 17
    communes = state(units, BEFORE_REFORM, "commune")
    assert len(communes) == 218
    kinds = Counter(row["kind"] for row in communes)
    assert kinds == {"xã": 180, "phường": 24, "thị trấn": 14}


def test_state_on_2025_07_01_is_the_new_province_without_districts(units):
    # Bug: an old unit left open after the reform, a district kept, or a unit under a district.
    assert [(r["gso_code"], r["name"]) for r in state(units, REFORM, "province")] == [
        ("52", "Tỉnh Gia Lai")
    ]
    assert state(units, REFORM, "district") == []
    communes = state(units, REFORM, "commune")
    assert len(communes) == 135
    assert Counter(row["kind"] for row in communes) == {"xã": 110, "phường": 25}
    assert {row["parent_gso_code"] for row in communes} == {"52"}
    assert {row["valid_from"] for row in communes} == {"2025-07-01"}
    assert {row["valid_to"] for row in communes} == {""}


def test_kind_matches_the_name_prefix(units):
    # Bug: a kind taken from a package field that calls every commune-level unit "xã".
    prefixes = {"xã": "Xã ", "phường": "Phường ", "thị trấn": "Thị trấn ", "tỉnh": "Tỉnh "}
    for row in units:
        if row["kind"] in prefixes:
            assert row["name"].startswith(prefixes[row["kind"]]), row


def follow_heirs(changes, code: str, start: dt.date) -> list[tuple[str, str, str]]:
    """The chain of (date, successor code, successor name) taken by a unit's records."""
    chain = []
    for row in sorted(changes, key=lambda r: r["date"]):
        if day(row["date"]) > start and row["predecessor_gso_code"] == code and row["heir"] == "1":
            chain.append((row["date"], row["successor_gso_code"], row["successor_name"]))
            code = row["successor_gso_code"]
    return chain


def test_bien_ho_and_tan_son_lead_to_the_new_bien_ho(units, changes):
    # Bug: records of Tân Sơn (merged in 2024) or of the old Biển Hồ lost at the 2025 reform.
    new_bien_ho = ("2025-07-01", "23590", "Xã Biển Hồ")
    assert follow_heirs(changes, "23590", dt.date(2020, 2, 1)) == [new_bien_ho]
    assert follow_heirs(changes, "23593", dt.date(2020, 2, 1)) == [
        ("2024-11-01", "23590", "Xã Biển Hồ"),
        new_bien_ho,
    ]
    new = version(units, "23590", REFORM)
    assert (new["valid_from"], new["parent_gso_code"]) == ("2025-07-01", "52")
    old = version(units, "23590", BEFORE_REFORM)
    assert (old["valid_to"], old["parent_gso_code"]) == ("2025-06-30", "622")


def test_every_old_commune_has_exactly_one_heir_on_2025_07_01(units, changes):
    # Bug: an old commune without a successor (its records vanish) or with two heirs.
    reform_links = [row for row in changes if row["date"] == "2025-07-01"]
    heirs = Counter(
        row["predecessor_gso_code"]
        for row in reform_links
        if row["heir"] == "1" and row["predecessor_gso_code"] != "64"
    )
    old_communes = {row["gso_code"] for row in state(units, BEFORE_REFORM, "commune")}
    assert set(heirs) == old_communes
    assert set(heirs.values()) == {1}
    links_per_predecessor = Counter(row["predecessor_gso_code"] for row in reform_links)
    for row in reform_links:
        if links_per_predecessor[row["predecessor_gso_code"]] > 1:
            assert row["kind"] == "split", row


def test_reform_links_kinds_and_legal_basis(changes):
    # Bug: a wrong link kind (several units into one called rename) or a wrong legal basis.
    reform_links = [row for row in changes if row["date"] == "2025-07-01"]
    per_successor = Counter(row["successor_gso_code"] for row in reform_links)
    renamed = set()
    for row in reform_links:
        if row["predecessor_gso_code"] == "64":
            assert (row["kind"], row["successor_gso_code"], row["heir"]) == ("merge", "52", "1")
            continue
        assert row["legal_basis"] == "Nghị quyết 1664/NQ-UBTVQH15"
        if per_successor[row["successor_gso_code"]] > 1:
            assert row["kind"] in {"merge", "split"}, row
        if row["kind"] == "rename":
            renamed.add(row["predecessor_name"])
    # The eight old Gia Lai communes the resolution leaves as they were.
    assert renamed == {
        "Xã Ia O",
        "Xã Ia Púch",
        "Xã Ia Mơ",
        "Xã Ia Pnôn",
        "Xã Ia Nan",
        "Xã Ia Dom",
        "Xã Ia Chia",
        "Xã KRong",
    }


def test_districts_are_abolished_without_links(units, changes):
    # Bug: districts linked to the new province as if they had been merged into it.
    districts = {row["gso_code"] for row in units if row["level"] == "district"}
    linked = {row["predecessor_gso_code"] for row in changes} | {
        row["successor_gso_code"] for row in changes
    }
    assert not districts & linked
    assert {row["valid_to"] for row in units if row["level"] == "district"} == {"2025-06-30"}


def test_heir_values_and_the_2024_split(changes):
    # Bug: heir missing or not 0/1, or both parts of Xã Đăk HLơ inheriting its records.
    assert {row["heir"] for row in changes} <= {"0", "1"}
    heirs: Counter = Counter()
    for row in changes:
        heirs[(row["date"], row["predecessor_gso_code"])] += int(row["heir"])
    assert set(heirs.values()) == {1}
    split = {
        row["successor_name"]: row["heir"]
        for row in changes
        if row["date"] == "2024-11-01" and row["predecessor_gso_code"] == "23674"
    }
    assert split == {"Xã Kông Bơ La": "1", "Xã Nghĩa An": "0"}


def test_versions_of_a_code_do_not_overlap(units):
    # Bug: a reused GSO code valid twice on one day (the loader would pick either version).
    by_code = defaultdict(list)
    for row in units:
        assert not row["valid_to"] or row["valid_from"] <= row["valid_to"], row
        by_code[row["gso_code"]].append(row)
    for rows in by_code.values():
        rows.sort(key=lambda row: row["valid_from"])
        for earlier, later in itertools.pairwise(rows):
            assert earlier["valid_to"], (earlier, later)
            assert day(earlier["valid_to"]) < day(later["valid_from"]), (earlier, later)


def test_parents_come_first_and_cover_their_children(units):
    # Bug: a child row before its parent's (the loader resolves parents in file order).
    seen: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in units:
        parent = row["parent_gso_code"]
        if parent:
            start, end = day(row["valid_from"]), day(row["valid_to"]) or dt.date.max
            assert any(
                valid_on(p, start) and (day(p["valid_to"]) or dt.date.max) >= end
                for p in seen[parent]
            ), row
        seen[row["gso_code"]].append(row)


def test_links_join_a_unit_that_ends_to_one_that_starts(units, changes):
    # Bug: a link whose predecessor is still valid on the date or whose successor is not new.
    # In 2024 Xã Biển Hồ and Xã Nghĩa An absorbed others and went on unchanged.
    continuing = {("2024-11-01", "23590"), ("2024-11-01", "23662")}
    for row in changes:
        date = day(row["date"])
        before = [
            r
            for r in units
            if r["gso_code"] == row["predecessor_gso_code"]
            and r["name"] == row["predecessor_name"]
            and day(r["valid_to"]) == date - dt.timedelta(days=1)
        ]
        assert len(before) == 1, row
        successor = version(units, row["successor_gso_code"], date)
        assert successor["name"] == row["successor_name"], row
        if (row["date"], row["successor_gso_code"]) in continuing:
            assert day(successor["valid_from"]) < date, row
        else:
            assert day(successor["valid_from"]) == date, row
