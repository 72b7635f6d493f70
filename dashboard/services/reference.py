"""Reference data every installation needs: levels, programmes, Gia Lai's units and their lineage,
indicators, targets, periods.

`seed_reference()` is idempotent: it inserts what is missing and updates what changed, keyed by
natural keys (level code, GSO code + valid_from, indicator code, period code); an indicator the
Coordination Office created or changed is left as the office made it (`seed_indicators`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.models import Indicator, Level, OrgUnit, Period, Programme, Target, UnitChange
from dashboard.services import lineage, metadata, periods
from dashboard.services.registry_specs import REGISTRIES

# The 2021-2025 programme, whose indicator set `indicators.json` holds (see `structure.json`).
PROGRAMME_START = dt.date(2021, 1, 1)
PROGRAMME_END = dt.date(2025, 12, 31)
PROGRAMME_YEARS = tuple(range(2021, 2026))
FIRST_PROGRAMME = "cds-ntm-2021-2025"
KIND_SLUGS = {
    "tỉnh": "tinh",
    "thành phố": "thanh_pho",
    "thị xã": "thi_xa",
    "huyện": "huyen",
    "xã": "xa",
    "phường": "phuong",
    "thị trấn": "thi_tran",
}


def data_text(name: str) -> str:
    return resources.files("dashboard").joinpath("data", name).read_text(encoding="utf-8")


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def structure() -> dict:
    """`structure.json`: the levels (with validity) and the programmes (with their criteria)."""
    return json.loads(data_text("structure.json"))


@dataclass(frozen=True)
class Criterion:
    """One criterion of a programme's set (the 2026-2035 commune set of Decision 51/2025/QĐ-TTg:
    10 criteria): its number, names and legal basis."""

    number: int
    name_vi: str
    name_en: str
    legal_basis: str

    @property
    def name(self) -> str:
        from dashboard.i18n import current_lang

        return self.name_en if current_lang() == "en" and self.name_en else self.name_vi

    @property
    def label(self) -> str:
        """Number and name in the request's language: `7. Khoa học, công nghệ và chuyển đổi số`."""
        return f"{self.number}. {self.name}"


@lru_cache(maxsize=16)
def criteria(programme_code: str | None) -> tuple[Criterion, ...]:
    """The criteria of a programme, as `structure.json` lists them, by number; none for a
    programme without criteria or an unknown one. The one place the criteria are read: an
    indicator names its criterion by number (`metadata.criterion_of`)."""
    for item in structure()["programmes"]:
        if item["code"] == programme_code:
            found = (
                Criterion(c["number"], c["name_vi"], c["name_en"], c["legal_basis"])
                for c in item.get("criteria", ())
            )
            return tuple(sorted(found, key=lambda c: c.number))
    return ()


def criterion(programme_code: str | None, number: int | None) -> Criterion | None:
    """The criterion `number` of a programme, or None."""
    return next((c for c in criteria(programme_code) if c.number == number), None)


def seed_levels(session: so.Session) -> dict[str, Level]:
    existing = {lv.code: lv for lv in session.scalars(sa.select(Level))}
    for item in structure()["levels"]:
        level = existing.get(item["code"])
        if level is None:
            level = existing[item["code"]] = Level(code=item["code"], rank=item["rank"])
            session.add(level)
        level.name_vi = item["name_vi"]
        level.valid_from = _date(item["valid_from"] or "")
        level.valid_to = _date(item["valid_to"] or "")
    session.flush()
    return existing


def seed_programmes(session: so.Session, levels: dict[str, Level]) -> dict[str, Programme]:
    existing = {p.code: p for p in session.scalars(sa.select(Programme))}
    for item in structure()["programmes"]:
        programme = existing.get(item["code"])
        if programme is None:
            programme = existing[item["code"]] = Programme(code=item["code"])
            session.add(programme)
        programme.name_vi = item["name_vi"]
        programme.name_en = item["name_en"]
        programme.legal_basis = item["legal_basis"]
        programme.start_date = _date(item["start"])
        programme.end_date = _date(item["end"])
        programme.reporting_level = levels[item["reporting_level"]]
    session.flush()
    return existing


def seed_units(session: so.Session, levels: dict[str, Level]) -> None:
    """Load `gia_lai_units.csv` and `gia_lai_unit_changes.csv` (generated from the GSO list)."""
    rows = list(csv.DictReader(data_text("gia_lai_units.csv").splitlines()))
    existing = {(u.gso_code, u.valid_from): u for u in session.scalars(sa.select(OrgUnit))}
    by_code: dict[str, list[OrgUnit]] = {}
    for row in rows:  # parents come before children in the file
        valid_from = _date(row["valid_from"])
        unit = existing.get((row["gso_code"], valid_from))
        if unit is None:
            unit = OrgUnit(gso_code=row["gso_code"], valid_from=valid_from)
            session.add(unit)
        unit.name = row["name"]
        unit.kind = KIND_SLUGS[row["kind"]]
        unit.level = levels[row["level"]]
        unit.valid_to = _date(row["valid_to"])
        if row["parent_gso_code"]:
            unit.parent = _valid_version(by_code[row["parent_gso_code"]], valid_from)
        by_code.setdefault(row["gso_code"], []).append(unit)
    session.flush()

    changes = list(csv.DictReader(data_text("gia_lai_unit_changes.csv").splitlines()))
    have = {(c.predecessor_id, c.successor_id): c for c in session.scalars(sa.select(UnitChange))}
    for row in changes:
        day = _date(row["date"])
        before = _valid_version(by_code[row["predecessor_gso_code"]], day - dt.timedelta(days=1))
        after = _valid_version(by_code[row["successor_gso_code"]], day)
        change = have.get((before.id, after.id))
        if change is None:
            change = UnitChange(predecessor=before, successor=after)
            session.add(change)
        change.date = day
        change.kind = row["kind"]
        change.legal_basis = row["legal_basis"]
        change.heir = row.get("heir", "1") != "0"
    session.flush()
    lineage.rebuild(session)


def _valid_version(versions: list[OrgUnit], day: dt.date) -> OrgUnit:
    for unit in versions:
        if unit.is_valid_on(day):
            return unit
    raise ValueError(f"no version of unit {versions[0].gso_code} valid on {day}")


def load_indicator_spec(text: str | None = None) -> list[dict]:
    """The indicators of `indicators.json` (or of `text`), checked by
    `metadata.validate_spec`: an unknown or missing field, a wrong type or value raises
    `metadata.IndicatorSpecError` naming the indicator and the field."""
    try:
        spec = json.loads(data_text("indicators.json") if text is None else text)
    except ValueError as exc:
        raise metadata.IndicatorSpecError("-", "-", f"not valid JSON ({exc})") from exc
    return metadata.validate_spec(spec, frozenset({"values", *REGISTRIES}), FIRST_PROGRAMME)


def seed_indicators(
    session: so.Session, levels: dict[str, Level], programmes: dict[str, Programme]
) -> None:
    """Insert or update the indicators and targets of `indicators.json` (checked first, so a bad
    file changes nothing), their meaning (`Indicator.meta`) included.

    The rule between the file and the Coordination Office: an indicator missing from the
    database is inserted as shipped; one still as shipped is brought to the file's content
    (a province target of the file is added when missing; a stored one, which the office may
    have changed, is kept); one the office created or changed
    (`services.indicator_admin` marks it, `metadata.edited_by_office`) is the office's and is
    left as it is, its targets included, at every seed (`init-db`, and `load-demo`, which
    runs it)."""
    items = load_indicator_spec()
    existing = {i.code: i for i in session.scalars(sa.select(Indicator))}
    for order, item in enumerate(items):
        ind = existing.get(item["code"])
        if ind is None:
            ind = Indicator(code=item["code"])
            session.add(ind)
        elif metadata.edited_by_office(ind):
            continue
        ind.name_vi = item["name_vi"]
        ind.name_en = item["name_en"]
        ind.short_vi = item["short_vi"]
        ind.short_en = item.get("short_en", "")
        ind.pillar = item["pillar"]
        ind.level = levels[item["level"]]
        ind.extra_level = levels[item["extra_level"]] if item.get("extra_level") else None
        ind.unit_kinds = item.get("unit_kinds", "")
        ind.value_type = item["value_type"]
        ind.unit = item.get("unit", "")
        ind.legal_basis = item.get("legal_basis", "")
        ind.rollup = item["rollup"]
        ind.source = item.get("source", "values")
        ind.source_filter = item.get("source_filter", "")
        ind.denominator_rule = item.get("denominator", "reported")
        ind.meta = metadata.meta_json(item["meta"])
        programme = programmes[item.get("programme", FIRST_PROGRAMME)]
        ind.programme = programme
        ind.valid_from = programme.start_date
        ind.valid_to = programme.end_date
        ind.display_order = order
        session.flush()
        have = {(t.scope_key, t.target_year): t for t in ind.targets}
        for tgt in item["targets"]:
            # The file's targets are the province's: scoped to the province of their year.
            province = scope.province_on(session, dt.date(tgt["year"], 1, 1))
            if province is None:
                raise ValueError(f"no province in force on 1/1/{tgt['year']}")
            key = Target.key_for(province.id, None)
            if (key, tgt["year"]) in have:
                continue  # a stored target is the office's to change (`admin.set_target`)
            session.add(
                Target(
                    indicator=ind,
                    level=province.level,
                    scope_unit=province,
                    scope_key=key,
                    target_year=tgt["year"],
                    target_value=float(tgt["value"]),
                    comparator=">=",
                    source="Quyết định 924/QĐ-TTg; Kế hoạch của UBND tỉnh Gia Lai",
                )
            )
    session.flush()


def default_deadline(end_date: dt.date) -> dt.date:
    """Reports are due on the 15th of the month after the period ends (changeable per period)."""
    first_next = (end_date.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_next.replace(day=15)


def seed_periods(session: so.Session) -> None:
    """The yearly periods each programme lists in `structure.json` (others, 6-monthly or
    quarterly ones included, are added as data); every period's programme and count date."""
    have = {p.code: p for p in session.scalars(sa.select(Period))}
    for item in structure()["programmes"]:
        for year in item["years"]:
            if str(year) not in have:
                have[str(year)] = Period(
                    code=str(year),
                    kind="year",
                    year=year,
                    start_date=dt.date(year, 1, 1),
                    end_date=dt.date(year, 12, 31),
                    deadline=default_deadline(dt.date(year, 12, 31)),
                )
                session.add(have[str(year)])
    session.flush()
    for period in have.values():
        if period.deadline is None:
            period.deadline = default_deadline(period.end_date)
        periods.configure(session, period)
    session.flush()


def seed_reference(session: so.Session) -> None:
    """Insert or update all reference data; the caller commits."""
    levels = seed_levels(session)
    programmes = seed_programmes(session, levels)
    seed_units(session, levels)
    seed_indicators(session, levels, programmes)
    seed_periods(session)
