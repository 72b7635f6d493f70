"""Deterministic demonstration data for every unit and year 2021-2025, marked as demo.

It reproduces the end-2023 status reported by the province: 17/17 district-level units issued
plans; fibre to the centre of 100% of rural communes; 95 of 182 communes meet criterion 8.4;
100% meet advanced criterion 15.2; 100% of district-level units meet criterion 9.5. Biển Hồ
(Pleiku) is the smart-commune pilot. Every other number is invented but plausible, and the
same on every run (a seeded generator, units in GSO-code order).
"""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.auth import policy
from dashboard.auth.passwords import hash_password, password_matches
from dashboard.models import (
    AuditLog,
    Cooperative,
    DigitalService,
    DistrictPlan,
    DistrictReport,
    Indicator,
    IndicatorValue,
    Level,
    LinkageModel,
    OrgUnit,
    Period,
    PilotModel,
    PilotStatus,
    TrainingEvent,
    User,
)
from dashboard.models.registries import PILOT_FIELDS, PILOT_STATUSES, SERVICE_FIELDS
from dashboard.services.registry_specs import REGISTRIES

SEED = 20212025

# Rural communes meeting a criterion, per year (2024-2025 count over the 180 communes of then).
# Commune editors of the two-tier structure (GSO codes of communes from 1/7/2025): the new
# Xã Biển Hồ (formed from four communes) and Phường Quy Nhơn (former Bình Định area).
DEMO_COMMUNE_EDITORS = ("23590", "21583")
C8_4_MET = {2021: 41, 2022: 68, 2023: 95, 2024: 121, 2025: 146}
ADV8_4_SHARE = {2021: 0.04, 2022: 0.12, 2023: 0.22, 2024: 0.33, 2025: 0.44}
ADV15_2_SHARE = {2021: 0.35, 2022: 0.78, 2023: 1.0, 2024: 1.0, 2025: 1.0}
FIBRE_SHARE = {2021: 0.87, 2022: 0.96, 2023: 1.0, 2024: 1.0, 2025: 1.0}
# 2G and 3G/4G coverage: the whole province by 2023 (the article); earlier years invented.
MOBILE_SHARE = {2021: 0.95, 2022: 0.98, 2023: 1.0, 2024: 1.0, 2025: 1.0}
D9_5_MET = {2021: 6, 2022: 13, 2023: 17, 2024: 17, 2025: 17}
ADVD6_5_MET = {2021: 0, 2022: 1, 2023: 2, 2024: 3, 2025: 4}
ADVD9_2_MET = {2021: 0, 2022: 1, 2023: 3, 2024: 4, 2025: 5}
DOSSIER_SHARE = {  # mean share of work dossiers processed online, by level
    "province": {2021: 0.58, 2022: 0.71, 2023: 0.82, 2024: 0.88, 2025: 0.92},
    "district": {2021: 0.46, 2022: 0.58, 2023: 0.67, 2024: 0.74, 2025: 0.79},
    "commune": {2021: 0.28, 2022: 0.37, 2023: 0.46, 2024: 0.53, 2025: 0.59},
}
TRAINED_SHARE = {2021: 0.12, 2022: 0.34, 2023: 0.58, 2024: 0.79, 2025: 0.93}
DOSSIER_VOLUME = {"province": (42000, 61000), "district": (7000, 21000), "commune": (600, 3200)}

PRODUCTS = (
    "cà phê",
    "hồ tiêu",
    "mía",
    "sắn",
    "chanh dây",
    "lúa",
    "bò thịt",
    "rau an toàn",
    "điều",
    "mắc ca",
    "dược liệu",
    "heo",
)


class DemoNotAllowed(RuntimeError):
    pass


# A plausible name of an essential digital service per field (registry data, in Vietnamese).
SERVICE_NAMES = {
    "health": "Khám, chữa bệnh từ xa và sổ sức khỏe điện tử",
    "education": "Học trực tuyến và sổ liên lạc điện tử",
    "community_monitoring": "Phản ánh, giám sát cộng đồng qua ứng dụng",
    "security_order": "Camera giám sát an ninh trật tự",
    "environment": "Quan trắc và phản ánh môi trường trực tuyến",
    "culture": "Thư viện số và giới thiệu di sản văn hóa",
}

# The entity name the audit trail gives each kind of demo-marked row (`AuditLog.entity`).
AUDITED_ENTITIES = {
    "indicator_value": IndicatorValue,
    "district_report": DistrictReport,
    **{spec.name: spec.model for spec in REGISTRIES.values()},
}


def _valid(units: list[OrgUnit], day: dt.date) -> list[OrgUnit]:
    return [u for u in units if u.is_valid_on(day)]


def demo_present(session: so.Session) -> bool:
    """True when the database holds demo values (a demo has been loaded and not cleared)."""
    return (
        session.scalar(
            sa.select(IndicatorValue.id).where(IndicatorValue.is_demo.is_(True)).limit(1)
        )
        is not None
    )


def clear_demo(session: so.Session) -> None:
    """Delete every demo-marked row (values, registry rows, reports) together with the audit
    rows that describe those rows; nothing else. Demo accounts stay (what users did as them
    keeps its author), and so does every row users created or changed: saving through a
    service clears `is_demo`. A demo pilot's status decisions go with it (a pilot whose status
    a user recorded is the user's, with its whole history). Flushes; does not commit."""
    demo_pilots = sa.select(PilotModel.id).where(PilotModel.is_demo.is_(True))
    session.execute(sa.delete(PilotStatus).where(PilotStatus.pilot_id.in_(demo_pilots)))
    for entity, model in AUDITED_ENTITIES.items():
        demo_ids = sa.select(model.id).where(model.is_demo.is_(True))
        session.execute(
            sa.delete(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id.in_(demo_ids))
        )
    for model in AUDITED_ENTITIES.values():
        session.execute(sa.delete(model).where(model.is_demo.is_(True)))
    session.flush()


def load_demo(session: so.Session, password: str, reset: bool = False) -> dict[str, int]:
    """Make the demo usable, in one transaction, and commit. Returns row counts: `values`,
    `registry_rows`, `reports` inserted, `users` (demo accounts), and `kept` (1 when the demo
    data already present was left as it is).

    - Demo accounts are created or updated (password `password`, the demo role and district,
      active), never deleted. A username held by a non-demo account stops everything
      (`DemoNotAllowed`) before any change.
    - Without `reset`, demo data already in the database is left alone, with every change
      users made to it; otherwise the deterministic demo data is inserted.
    - With `reset`, the demo-marked rows and their audit rows are deleted first (`clear_demo`)
      and the demo data is inserted afresh.
    - Demo values and reports never overwrite rows users entered: a cell (indicator, unit,
      period) or report (district, period) that already holds a row is skipped.
    """
    try:
        counts = _load(session, password, reset)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    if counts["kept"] == 0 and session.get_bind().dialect.name == "postgresql":
        # Fresh statistics, so the planner sees thousands of rows rather than none.
        session.execute(sa.text("ANALYZE"))
        session.commit()
    return counts


def _load(session: so.Session, password: str, reset: bool) -> dict[str, int]:
    levels = {lv.code: lv.id for lv in session.scalars(sa.select(Level))}
    # The demo covers the 2021-2025 programme on the district structure: the units that existed
    # before the district level ended. Ordered in Python, not by the database's collation, so
    # every database gets the same data.
    structure_end = session.scalar(sa.select(Level.valid_to).where(Level.code == "district"))
    units = sorted(
        (
            u
            for u in session.scalars(sa.select(OrgUnit))
            if structure_end is None or u.valid_from <= structure_end
        ),
        key=lambda u: (u.gso_code, u.valid_from),
    )
    districts = [u for u in units if u.level_id == levels["district"]]
    # Commune editors of the two-tier structure (`DEMO_COMMUNE_EDITORS`).
    after = structure_end + dt.timedelta(days=1) if structure_end is not None else None
    communes_after = (
        list(
            session.scalars(
                sa.select(OrgUnit)
                .where(
                    OrgUnit.level_id == levels["commune"],
                    OrgUnit.gso_code.in_(DEMO_COMMUNE_EDITORS),
                    OrgUnit.valid_on(after),
                )
                .order_by(OrgUnit.gso_code)
            )
        )
        if after is not None
        else []
    )
    wanted = _demo_users(password, districts, communes_after)
    _raise_for_taken_usernames(session, wanted)
    if reset:
        clear_demo(session)
    elif demo_present(session):
        users = _upsert_users(session, wanted, password)
        return {"values": 0, "registry_rows": 0, "reports": 0, "users": len(users), "kept": 1}
    users = _upsert_users(session, wanted, password)
    counts = _insert_demo_rows(session, units, levels, users)
    return {**counts, "users": len(users), "kept": 0}


def _raise_for_taken_usernames(session: so.Session, wanted: list[User]) -> None:
    """Refuse to turn a real account into a demo account."""
    taken = session.scalars(
        sa.select(User.username).where(
            User.username.in_([u.username for u in wanted]), User.is_demo.is_(False)
        )
    ).all()
    if taken:
        raise DemoNotAllowed(
            f"Demo accounts not loaded: {', '.join(sorted(taken))} already exist as real accounts."
        )


def _upsert_users(session: so.Session, wanted: list[User], password: str) -> list[User]:
    """The demo accounts, created or brought back to their demo settings. An account whose
    password or access changes has its open sessions ended."""
    names = [w.username for w in wanted]
    existing = {
        u.username: u
        for u in session.scalars(
            sa.select(User).where(User.is_demo.is_(True), User.username.in_(names))
        )
    }
    users = []
    for new in wanted:
        user = existing.get(new.username)
        if user is None:
            session.add(new)
            users.append(new)
            continue
        access = (new.role, new.unit_id, True)
        changed = (user.role, user.unit_id, bool(user.active)) != access
        if not password_matches(user.password_hash, password):
            user.password_hash = new.password_hash
            changed = True
        user.role, user.unit_id, user.active = access
        user.full_name = new.full_name
        if changed:
            user.end_sessions()
        users.append(user)
    session.flush()
    return users


def _insert_demo_rows(session, units: list[OrgUnit], levels: dict, users: list[User]) -> dict:
    """Insert the deterministic demo values, registry rows and closed reports."""
    rng = random.Random(SEED)
    province = next(u for u in units if u.level_id == levels["province"])
    districts = [u for u in units if u.level_id == levels["district"]]
    communes = [u for u in units if u.level_id == levels["commune"]]
    rural = [u for u in communes if u.kind == "xa"]
    periods = sorted(
        session.scalars(sa.select(Period).where(Period.kind == "year", Period.year.in_(C8_4_MET))),
        key=lambda p: p.start_date,
    )
    # A fixed "readiness" score per unit orders who meets a criterion first.
    score = {u.id: rng.random() for u in units}
    bien_ho = next(u for u in rural if u.name == "Xã Biển Hồ")
    score[bien_ho.id] = 2.0  # the pilot commune leads everywhere

    values = _values(session, rng, score, periods, province, districts, communes, rural)
    taken = set(
        session.execute(
            sa.select(IndicatorValue.indicator_id, IndicatorValue.unit_id, IndicatorValue.period_id)
        ).all()
    )
    values = [v for v in values if (v["indicator_id"], v["unit_id"], v["period_id"]) not in taken]
    if values:
        session.execute(sa.insert(IndicatorValue), values)

    registry_rows = _registries(rng, score, province, districts, communes, rural, bien_ho)
    for row in registry_rows:
        row.is_demo = True
    session.add_all(registry_rows)

    have = set(session.execute(sa.select(DistrictReport.district_id, DistrictReport.period_id)))
    reports = [r for r in _reports(rng, periods, users) if (r.district_id, r.period_id) not in have]
    session.add_all(reports)
    session.flush()
    return {"values": len(values), "registry_rows": len(registry_rows), "reports": len(reports)}


def _values(session, rng, score, periods, province, districts, communes, rural) -> list[dict]:
    """The demo values of every period, as rows for a bulk insert (all marked as demo)."""
    inds = {i.code: i for i in session.scalars(sa.select(Indicator))}
    values: list[dict] = []

    def add(code: str, unit: OrgUnit, period: Period, **cols) -> None:
        values.append(
            {
                "indicator_id": inds[code].id,
                "unit_id": unit.id,
                "period_id": period.id,
                "is_demo": True,
                "version": 1,
                **cols,
            }
        )

    def top(pool: list[OrgUnit], count: int) -> set[int]:
        ranked = sorted(pool, key=lambda u: (-score[u.id], u.gso_code))
        return {u.id for u in ranked[:count]}

    for period in periods:
        year, end = period.year, period.count_date
        rural_now = _valid(rural, end)
        communes_now = _valid(communes, end)
        districts_now = _valid(districts, end)
        n = len(rural_now)
        met = {
            "GOV-C8_4": top(rural_now, C8_4_MET[year]),
            "GOV-ADV8_4": top(rural_now, round(ADV8_4_SHARE[year] * n)),
            "GOV-ADV15_2": top(rural_now, round(ADV15_2_SHARE[year] * n)),
            "GOV-FIBRE": top(rural_now, round(FIBRE_SHARE[year] * n)),
        }
        for code, ids in met.items():
            for u in rural_now:
                add(code, u, period, value_bool=u.id in ids)
        covered = top(communes_now, round(MOBILE_SHARE[year] * len(communes_now)))
        for u in communes_now:
            add("GOV-MOBILE", u, period, value_bool=u.id in covered)
        for code, table in (
            ("GOV-D9_5", D9_5_MET),
            ("GOV-ADVD6_5", ADVD6_5_MET),
            ("GOV-ADVD9_2", ADVD9_2_MET),
        ):
            ids = top(districts_now, table[year])
            for u in districts_now:
                add(code, u, period, value_bool=u.id in ids)
        for level, code, pool in (
            ("province", "GOV-DOSSIER-PROV", [province]),
            ("district", "GOV-DOSSIER-DIST", districts_now),
            ("commune", "GOV-DOSSIER-COMM", communes_now),
        ):
            low, high = DOSSIER_VOLUME[level]
            for u in pool:
                total = rng.randint(low, high)
                share = DOSSIER_SHARE[level][year] + (score[u.id] - 0.5) * 0.16
                share = min(0.99, max(0.05, share + rng.uniform(-0.03, 0.03)))
                add(
                    code, u, period, numerator=float(round(total * share)), denominator=float(total)
                )
        for u in districts_now:
            managers = rng.randint(35, 120)
            share = min(1.0, max(0.0, TRAINED_SHARE[year] + rng.uniform(-0.08, 0.08)))
            add(
                "GOV-TRAINING",
                u,
                period,
                numerator=float(round(managers * share)),
                denominator=float(managers),
            )
    return values


# The demo's units (the district structure) end on this day: no demo row is dated after it,
# as the app refuses rows outside their unit's lifetime.
DEMO_LAST_DAY = dt.date(2025, 6, 30)


def _date(rng: random.Random, year: int) -> dt.date:
    return min(dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)), DEMO_LAST_DAY)


def _registries(rng, score, province, districts, communes, rural, bien_ho) -> list:
    rows: list = []
    # District plans: all 17 issued between Sep 2022 and Jun 2023.
    for i, d in enumerate(districts):
        issued = dt.date(2022, 9, 1) + dt.timedelta(days=17 * i + rng.randrange(10))
        rows.append(
            DistrictPlan(
                unit_id=d.id,
                document_number=f"{100 + 7 * i}/KH-UBND",
                issued_on=issued,
                title="Kế hoạch thực hiện Chương trình chuyển đổi số trong xây dựng NTM, hướng tới "
                "NTM thông minh giai đoạn 2021-2025",
            )
        )
    # Cooperatives: rural communes gain cooperatives over the years (about 72% by 2025).
    for u in rural:
        if score[u.id] < 0.26 and u.id != bien_ho.id:
            continue
        for k in range(1 + (score[u.id] > 0.7)):
            year = 2019 + int((1 - min(score[u.id], 1.0)) * 7) + k
            rows.append(
                Cooperative(
                    unit_id=u.id,
                    name=f"HTX nông nghiệp {u.name.removeprefix('Xã ')} {k + 1}",
                    established_on=_date(rng, min(year, 2025)),
                    members=rng.randint(7, 60),
                    # the better-placed communes' first cooperatives went digital
                    applies_digital=k == 0 and score[u.id] > 0.55,
                    ecommerce=k == 0 and score[u.id] > 0.8,
                )
            )
    # Linkage models: most districts have one or more; about half of those tied to
    # raw-material areas apply digital technology.
    for d in districts:
        count = 0 if score[d.id] < 0.2 else 1 + int(score[d.id] * 3)
        for k in range(count):
            raw_area = rng.random() < 0.65
            product = PRODUCTS[rng.randrange(len(PRODUCTS))]
            rows.append(
                LinkageModel(
                    unit_id=d.id,
                    name=f"Liên kết sản xuất, tiêu thụ {product} ({k + 1})",
                    key_products=product,
                    raw_material_area=raw_area,
                    applies_digital=(digital := raw_area and rng.random() < 0.55),
                    ecommerce=digital and k == 0,
                    started_on=_date(rng, rng.choice((2020, 2021, 2022, 2023, 2024))),
                )
            )
    # Essential digital services: communes and districts, starting 2022-2025.
    for u in [*districts, *communes]:
        threshold = 0.55 if u in districts else 0.6
        if score[u.id] < threshold:
            continue
        start_year = 2025 - int((min(score[u.id], 1.0) - threshold) / (1 - threshold) * 3.99)
        field = SERVICE_FIELDS[rng.randrange(len(SERVICE_FIELDS))]
        rows.append(
            DigitalService(
                unit_id=u.id,
                field=field,
                name=SERVICE_NAMES[field],
                started_on=_date(rng, start_year),
            )
        )
    # Pilots: Biển Hồ smart commune (2022), then field pilots selected from 2024.
    # Each with its dated decisions (`PilotStatus`): Biển Hồ proposed in November 2022,
    # approved in 2023, implementing from 2024, so 2022 counts no approved smart commune.
    rows.append(
        PilotModel(
            unit_id=bien_ho.id,
            name="Xã nông thôn mới thông minh Biển Hồ",
            model_type="smart_commune",
            field="production_economy",
            status="implementing",
            proposed_on=dt.date(2022, 11, 15),
            results="Triển khai nền tảng số cộng đồng, thanh toán không dùng tiền mặt, truy xuất "
            "nguồn gốc nông sản.",
            decisions=[
                _decision("proposed", dt.date(2022, 11, 15)),
                _decision("approved", dt.date(2023, 4, 12), "245/QĐ-UBND"),
                _decision("implementing", dt.date(2024, 1, 15), "38/QĐ-UBND"),
            ],
        )
    )
    candidates = sorted(rural, key=lambda u: (-score[u.id], u.gso_code))[1:7]
    statuses = ("approved", "approved", "implementing", "proposed", "proposed", "evaluated")
    for i, (u, field) in enumerate(zip(candidates, PILOT_FIELDS, strict=True)):
        proposed_on = _date(rng, 2024)
        rows.append(
            PilotModel(
                unit_id=u.id,
                name=f"Thôn NTM thông minh — {u.name}",
                model_type="smart_village",
                field=field,
                status=statuses[i],
                proposed_on=proposed_on,
                decisions=_pilot_history(proposed_on, statuses[i], u.valid_to, 410 + 23 * i),
            )
        )
    # Training events: province, districts and communes, 2021-2025.
    audiences = ("state_agency", "ntm_cadre", "residents")
    kinds = ("training", "conference", "communication")
    hosts = [province, *districts]
    for year in range(2021, 2026):
        for i in range(6 + 2 * (year - 2021)):
            host = hosts[rng.randrange(len(hosts))]
            audience = audiences[rng.randrange(3)]
            kind = kinds[rng.randrange(3)]
            label = {"training": "Tập huấn", "conference": "Hội nghị"}.get(kind, "Truyền thông")
            high = 400 if audience == "residents" else 220
            rows.append(
                TrainingEvent(
                    unit_id=host.id,
                    kind=kind,
                    audience=audience,
                    held_on=_date(rng, year),
                    title=f"{label} chuyển đổi số trong xây dựng NTM năm {year} (đợt {i + 1})",
                    participants=rng.randint(25, high),
                )
            )
    return rows


# Days from a village pilot's proposal to each later decision (approval, implementation,
# evaluation), when its unit lasts that long.
PILOT_STEPS = (60, 240, 420)


def _decision(status: str, day: dt.date, number: str = "") -> PilotStatus:
    """A demo status decision (the numbers are invented)."""
    return PilotStatus(status=status, decided_on=day, decision_number=number, is_demo=True)


def _pilot_history(
    proposed_on: dt.date, final: str, unit_end: dt.date | None, number: int
) -> list[PilotStatus]:
    """A village pilot's decisions, from its proposal to its final status, one step after
    another (`PILOT_STEPS`), none after its unit's last day or the demo's."""
    last = min(DEMO_LAST_DAY, unit_end or DEMO_LAST_DAY)
    out = [_decision("proposed", proposed_on)]
    for k, status in enumerate(PILOT_STATUSES[1 : PILOT_STATUSES.index(final) + 1]):
        day = min(proposed_on + dt.timedelta(days=PILOT_STEPS[k]), last - dt.timedelta(days=2 - k))
        day = max(day, out[-1].decided_on + dt.timedelta(days=1))
        out.append(_decision(status, day, f"{number + k}/QĐ-UBND"))
    return out


def _reports(rng: random.Random, periods: list[Period], users: list[User]) -> list:
    """The 2021 and 2022 rounds are closed: every district's report approved (a few sent
    late). Later rounds are left open for the demonstration of the workflow."""
    admin = next(u for u in users if policy.role_administers(u.role))
    out = []
    for period in periods:
        if period.year > 2022:
            continue
        reporting = scope.reporting_level_id(period)
        for editor in users:
            if not policy.role_is_scoped(editor.role) or editor.unit is None:
                continue
            if editor.unit.level_id != reporting or not editor.unit.is_valid_on(period.count_date):
                continue  # this editor's unit does not report in this period
            offset = rng.randint(-20, 6)  # days from the deadline; positive: late
            submitted = dt.datetime.combine(period.deadline, dt.time(9)) + dt.timedelta(
                days=offset, minutes=rng.randint(0, 480)
            )
            out.append(
                DistrictReport(
                    district_id=editor.unit_id,
                    period_id=period.id,
                    status="approved",
                    submitted_at=submitted,
                    submitted_by_id=editor.id,
                    decided_at=submitted + dt.timedelta(days=rng.randint(2, 12)),
                    decided_by_id=admin.id,
                    is_demo=True,
                )
            )
    return out


def _demo_users(
    password: str, districts: list[OrgUnit], communes_after: list[OrgUnit]
) -> list[User]:
    """The office, a viewer, a province approver, an editor per district (2021-2025) and the
    commune editors of the two-tier structure."""
    hashed = hash_password(password)

    def account(username: str, full_name: str, role: str, unit: OrgUnit | None = None) -> User:
        return User(
            username=username,
            full_name=full_name,
            role=role,
            unit_id=unit.id if unit is not None else None,
            password_hash=hashed,
            is_demo=True,
        )

    return [
        account("admin", "Văn phòng Điều phối NTM tỉnh (demo)", "admin"),
        account("viewer", "Lãnh đạo UBND tỉnh (demo)", "viewer"),
        *(
            account(f"editor-{u.gso_code}", f"Cán bộ {u.name} (demo)", "editor", u)
            for u in districts
        ),
        account(
            "approver", "Phòng phê duyệt báo cáo, Văn phòng Điều phối NTM tỉnh (demo)", "approver"
        ),
        *(
            account(f"editor-{u.gso_code}", f"Cán bộ {u.name} (demo)", "editor", u)
            for u in communes_after
        ),
    ]
