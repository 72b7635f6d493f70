"""National-scale synthetic data for benchmarking the application.

The application is built for one province (Gia Lai). This generator builds a database the size
of the whole country, so that the indicator engine, the pages and the exports can be measured on
a realistic volume. It:

1. prepares the database from scratch, like `tests/conftest.py`: on PostgreSQL every table of
   the application and `alembic_version` are DROPPED, on SQLite the file is replaced by a new
   one; then the Alembic migrations are applied;
2. loads the reference data (`seed_reference`: levels, the real Gia Lai units, the indicators of
   `dashboard/data/indicators.json`, the yearly periods 2021-2025) and the demo
   (`load_demo` with the demo password `demo-ntm-2025`), so the real Gia Lai province, its demo
   data and the demo accounts (`admin`, `viewer`, `editor-622`, ...) are one of the provinces;
3. adds synthetic provinces in one of two structures:

   - ``old`` (before 1 July 2025): 62 more provinces (63 in all), each with about 11
     district-level units (a city, usually a town, rural districts; urban districts, quận, are
     not a kind of unit here) of about 15 communes each: 682 synthetic district-level units and
     10,230 synthetic communes (8,200 rural communes, 1,400 wards, 600 townships with seed 1),
     about 10,450 communes with Gia Lai's;
   - ``two-tier`` (from 1 July 2025): 33 more provinces (34 in all) with about 97 communes each
     directly under the province (no district level): 3,201 synthetic communes, about a fifth
     of them wards.

   The counts vary by up to a fifth per province and district (deterministically, with
   ``--seed``), in pairs of opposite deviations, so the totals are exactly the means times the
   counts.
   Codes start with 9 (``901`` a province, ``90103`` a district, ``9010307`` a commune,
   ``901007`` a commune of the two-tier structure), which no real Gia Lai code does; names are
   ``Tỉnh Mẫu 01``, ``Huyện Mẫu 01-03``, ``Xã Mẫu 01-03-07``.

   Every synthetic unit is valid from 2021-01-01 with no end, so every period of 2021-2025
   counts it: this is a load shape, not a history (no merges, and the two-tier structure is
   applied to all five years although it began in July 2025);
4. fills the synthetic units as the demo fills Gia Lai, by the same rule of which indicator
   applies to which unit (`dashboard.scope.indicator_applies`):

   - values: every values-based indicator that applies to the unit, for every yearly period,
     about 92% of the cells filled (more missing in recent years: units that have not reported
     yet), improving over the years: a boolean (`value_bool`) for `share_meeting`, a numerator
     and a denominator for `ratio_of_sums`, `value_num` for `sum`;
   - registries: a few rows per unit a registry is kept for (cooperatives in rural communes;
     linkage models and plans of districts; digital services of communes and districts; pilot
     smart communes and villages; training events of provinces, districts and communes), every
     row starting within 2021-2025 and every required column filled;
   - district reports: one per synthetic district and period, most of 2021-2023 approved, a mix
     of submitted, returned and draft later. In the ``two-tier`` structure there are no
     district reports: the reporting round is per district-level unit, and the model has no
     report of a province or commune;

   every synthetic value, registry row and report is marked as demo data (``is_demo``), like
   the demo's own;
5. refreshes the planner statistics (PostgreSQL: ``ANALYZE``) and rebuilds the pre-aggregated
   figure cells (`dashboard.services.aggregates.rebuild`), which bulk loads bypass.

Volumes with the default counts and seed 1 (synthetic rows; the database holds Gia Lai's demo
rows besides): ``old`` 214,377 values, 43,872 registry rows and 3,410 district reports;
``two-tier`` 60,757 values and 11,243 registry rows. Only 11 of the 17 indicators are kept as
values (a rural commune gets 5, a ward or township 1, a district 5, a province 1; the other 6
are counted from the registries), so a national database holds about 0.2 million values, not
millions: more would need more indicators or periods, which this generator does not invent.

Rows are generated as streams and bulk-loaded over one raw DBAPI connection in one transaction:
``executemany`` in batches on SQLite (journal and synchronous writes off for this connection),
``COPY ... FROM STDIN`` on PostgreSQL (psycopg 3). Unit ids are assigned here, from the highest
id in the table, so parents are known before their children are written.

Run from the repository root (it prints the database address without its password, then the
counts and the seconds of each step):

    .venv/bin/python bench/generate.py --database-url sqlite:////tmp/bench.sqlite --structure old
    .venv/bin/python bench/generate.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench --structure two-tier

Options: ``--provinces N`` (synthetic provinces added), ``--districts N`` (mean district-level
units per province, ``old`` only), ``--communes N`` (mean communes per district, or per province
in ``two-tier``), ``--seed N``. Only a PostgreSQL server on 127.0.0.1 or localhost is accepted,
and never the databases ``postgres``, ``test``, ``template0``, ``template1``; the database must
exist. Never point it at a database whose data matters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import itertools
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.config import DEFAULT_DEMO_PASSWORD
from dashboard.db import Base, make_engine
from dashboard.migrate import upgrade
from dashboard.models import DistrictReport, Indicator, IndicatorValue, Level, OrgUnit, Period, User
from dashboard.models.registries import (
    PILOT_FIELDS,
    SERVICE_FIELDS,
    TRAINING_AUDIENCES,
    TRAINING_KINDS,
)
from dashboard.scope import indicator_applies
from dashboard.services.demo import (
    DOSSIER_SHARE,
    DOSSIER_VOLUME,
    PRODUCTS,
    SERVICE_NAMES,
    TRAINED_SHARE,
    load_demo,
)
from dashboard.services.reference import (
    FIRST_PROGRAMME,
    PROGRAMME_END,
    PROGRAMME_START,
    default_deadline,
    seed_reference,
)
from dashboard.services.registry_specs import REGISTRIES

STRUCTURES = ("old", "two-tier")
# Default sizes: synthetic provinces added beside Gia Lai, mean district-level units per
# province, mean communes per district (old) or per province (two-tier).
DEFAULTS = {
    "old": {"provinces": 62, "districts": 11, "communes": 15},
    "two-tier": {"provinces": 33, "districts": 0, "communes": 97},
}
REFUSED_DATABASES = frozenset({"postgres", "test", "template0", "template1"})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
SQLITE_BATCH = 20_000

KIND_LABELS = {
    "tinh": "Tỉnh",
    "thanh_pho": "Thành phố",
    "thi_xa": "Thị xã",
    "huyen": "Huyện",
    "xa": "Xã",
    "phuong": "Phường",
    "thi_tran": "Thị trấn",
}
# Share of wards among the communes of a city and of a town (old structure), and nationally
# (two-tier). Rural districts have one township (sometimes two) and otherwise rural communes.
WARD_SHARE = {"thanh_pho": 0.78, "thi_xa": 0.55, "two-tier": 0.21}

# Share of units meeting a boolean criterion at the end of each year (national means; each
# province is shifted by its own bias, each unit ranked by its readiness).
BOOLEAN_CURVES = {
    "GOV-FIBRE": (0.80, 0.88, 0.93, 0.96, 0.98),
    "GOV-C8_4": (0.22, 0.37, 0.52, 0.66, 0.80),
    "GOV-ADV8_4": (0.04, 0.12, 0.22, 0.33, 0.44),
    "GOV-ADV15_2": (0.30, 0.55, 0.75, 0.88, 0.95),
    "GOV-D9_5": (0.30, 0.55, 0.75, 0.88, 0.95),
    "GOV-ADVD6_5": (0.02, 0.06, 0.12, 0.18, 0.24),
    "GOV-ADVD9_2": (0.02, 0.07, 0.15, 0.22, 0.29),
}
DEFAULT_CURVE = (0.20, 0.35, 0.50, 0.65, 0.80)
# Mean share and the range of denominators of each ratio (the demo's figures for Gia Lai).
RATIO_CURVES = {
    "GOV-DOSSIER-PROV": (DOSSIER_SHARE["province"], DOSSIER_VOLUME["province"]),
    "GOV-DOSSIER-DIST": (DOSSIER_SHARE["district"], DOSSIER_VOLUME["district"]),
    "GOV-DOSSIER-COMM": (DOSSIER_SHARE["commune"], DOSSIER_VOLUME["commune"]),
    "GOV-TRAINING": (TRAINED_SHARE, (35, 120)),
}
DEFAULT_VOLUME = (50, 500)
# Cells left empty per year (not reported): about 8% overall, more in the latest years.
MISSING = {2021: 0.06, 2022: 0.06, 2023: 0.07, 2024: 0.09, 2025: 0.12}

# District reports: status weights per year (the last year's for later periods).
REPORT_MIX = {
    2021: {"approved": 100},
    2022: {"approved": 100},
    2023: {"approved": 85, "submitted": 10, "returned": 5},
    2024: {"approved": 55, "submitted": 20, "returned": 10, "draft": 15},
    2025: {"approved": 15, "submitted": 35, "returned": 10, "draft": 40},
}
RETURN_REASONS = (
    "Thiếu số liệu chỉ tiêu 8.4 của một số xã, đề nghị bổ sung.",
    "Số hồ sơ xử lý trên môi trường mạng chưa khớp với hệ thống quản lý văn bản.",
    "Chưa cập nhật sổ theo dõi hợp tác xã; đề nghị rà soát lại.",
    "Số liệu tập huấn chưa có danh sách kèm theo.",
)
PLAN_TITLE = (
    "Kế hoạch thực hiện Chương trình chuyển đổi số trong xây dựng NTM, hướng tới NTM thông minh "
    "giai đoạn 2021-2025"
)
PILOT_RESULTS = (
    "Triển khai nền tảng số cộng đồng, thanh toán không dùng tiền mặt, truy xuất nguồn gốc "
    "nông sản."
)


class UnsafeDatabase(ValueError):
    """The database address is not one this generator may wipe."""


@dataclass(slots=True)
class Unit:
    """A synthetic unit, as much as the generator needs of it (duck-types `OrgUnit` for
    `indicator_applies`: `level_id` and `kind`)."""

    id: int
    level_id: int
    level: str
    parent_id: int | None
    gso_code: str
    name: str
    short: str  # the name without its kind, e.g. "Mẫu 01-03-07"
    kind: str
    province: int  # number of the synthetic province (1, 2, ...)
    score: float  # readiness: ranks who meets a criterion first
    bias: float  # the province's shift of every share


# --- the database ------------------------------------------------------------------------------


def check_url(url: str) -> sa.engine.URL:
    """The parsed address, or `UnsafeDatabase` when the generator must not wipe it."""
    parsed = sa.engine.make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise UnsafeDatabase("SQLite needs a file (sqlite:////path/to/file.sqlite)")
        return parsed
    if backend != "postgresql":
        raise UnsafeDatabase(f"only SQLite and PostgreSQL are supported, not {backend}")
    if parsed.host not in LOCAL_HOSTS:
        raise UnsafeDatabase(f"PostgreSQL host {parsed.host!r} refused: only 127.0.0.1/localhost")
    if not parsed.database or parsed.database in REFUSED_DATABASES:
        raise UnsafeDatabase(f"database {parsed.database!r} refused: use a database of its own")
    if parsed.get_driver_name() != "psycopg":
        raise UnsafeDatabase("PostgreSQL needs the psycopg 3 driver: postgresql+psycopg://...")
    return parsed


def public_url(url: str) -> str:
    """The address without its password, for printing."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def prepare_database(url: str) -> sa.Engine:
    """An empty database at the latest schema, prepared as `tests/conftest.py` does."""
    parsed = check_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        for stale in (path, *(Path(f"{path}{s}") for s in ("-journal", "-wal", "-shm"))):
            stale.unlink(missing_ok=True)
    engine = make_engine(url)
    if parsed.get_backend_name() != "sqlite":
        with engine.begin() as conn:  # start from an empty schema every run
            Base.metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(url)
    return engine


def _sqlite_value(value):
    """A date or time as SQLAlchemy stores it in SQLite (ISO text)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class BulkWriter:
    """Streams rows into tables over one raw DBAPI connection, in one transaction: batched
    `executemany` on SQLite, `COPY ... FROM STDIN` on PostgreSQL."""

    def __init__(self, engine: sa.Engine):
        self.dialect = engine.dialect.name
        self.raw = engine.raw_connection()
        if self.dialect == "sqlite":
            cursor = self.raw.cursor()
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()

    def write(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        """Insert `rows` (tuples in the order of `columns`); returns how many."""
        names = ", ".join(columns)
        count = 0
        if self.dialect == "postgresql":
            with (
                self.raw.driver_connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
        converted = (tuple(_sqlite_value(v) for v in row) for row in rows)
        cursor = self.raw.cursor()
        while batch := list(itertools.islice(converted, SQLITE_BATCH)):
            cursor.executemany(sql, batch)
            count += len(batch)
        cursor.close()
        return count

    def execute(self, sql: str) -> None:
        cursor = self.raw.cursor()
        cursor.execute(sql)
        cursor.close()

    def commit(self) -> None:
        self.raw.commit()

    def close(self) -> None:
        if self.dialect == "sqlite":  # the connection goes back to the pool: safe settings again
            self.execute("PRAGMA journal_mode=DELETE")
            self.execute("PRAGMA synchronous=FULL")
        self.raw.close()


# --- the structure -----------------------------------------------------------------------------


def _around(rng: random.Random, mean: int, n: int) -> list[int]:
    """`n` counts of `mean` give or take a fifth (exactly `mean` below 5, so tiny scales are
    exact), in pairs of opposite deviations: they add up to exactly `n × mean`."""
    spread = mean // 5
    deltas = [0] * (n % 2)
    for _ in range(n // 2):
        delta = rng.randint(-spread, spread)
        deltas += [delta, -delta]
    rng.shuffle(deltas)
    return [mean + delta for delta in deltas]


def _district_kind(rng: random.Random, index: int) -> str:
    """The province's city first, usually a town second, sometimes a second city third, rural
    districts after (urban districts, quận, are not a kind of unit of the application)."""
    if index == 0 or (index == 2 and rng.random() < 0.3):
        return "thanh_pho"
    if index == 1 and rng.random() < 0.8:
        return "thi_xa"
    return "huyen"


def _commune_kinds(rng: random.Random, district_kind: str, count: int) -> list[str]:
    if district_kind == "huyen":
        towns = 1 + (count >= 10 and rng.random() < 0.12)
        return ["thi_tran" if i < towns else "xa" for i in range(count)]
    wards = WARD_SHARE[district_kind]
    return ["phuong" if rng.random() < wards else "xa" for _ in range(count)]


def build_units(
    structure: str, provinces: int, districts: int, communes: int, levels: dict, first_id: int, seed
) -> list[Unit]:
    """Every synthetic unit: provinces, then districts, then communes, ids ascending in that
    order (so every parent is numbered before its children)."""
    rng = random.Random(f"{seed}:structure")
    ids = itertools.count(first_id)
    units: list[Unit] = []

    def add(level: str, parent: Unit | None, code: str, short: str, kind: str, p: int) -> Unit:
        unit = Unit(
            id=next(ids),
            level_id=levels[level],
            level=level,
            parent_id=parent.id if parent else None,
            gso_code=code,
            name=f"{KIND_LABELS[kind]} {short}",
            short=short,
            kind=kind,
            province=p,
            score=rng.random(),
            bias=parent.bias if parent else rng.uniform(-0.1, 0.1),
        )
        units.append(unit)
        return unit

    tops = [
        add("province", None, f"9{p:02d}", f"Mẫu {p:02d}", "tinh", p)
        for p in range(1, provinces + 1)
    ]
    # (parent, its code's digits after the province's): the parents of communes
    parents: list[tuple[Unit, str]] = []
    if structure == "two-tier":
        parents = [(top, "") for top in tops]
    else:
        for top, count in zip(tops, _around(rng, districts, len(tops)), strict=True):
            p = top.province
            for d in range(1, count + 1):
                kind = _district_kind(rng, d - 1)
                short = f"Mẫu {p:02d}-{d:02d}"
                parents.append(
                    (add("district", top, f"9{p:02d}{d:02d}", short, kind, p), f"{d:02d}")
                )
    sizes = _around(rng, communes, len(parents))
    for (parent, digits), count in zip(parents, sizes, strict=True):
        p = parent.province
        kinds = _commune_kinds(rng, parent.kind if digits else "two-tier", count)
        for c, kind in enumerate(kinds, start=1):
            if digits:
                code, short = f"9{p:02d}{digits}{c:02d}", f"Mẫu {p:02d}-{digits}-{c:02d}"
            else:
                code, short = f"9{p:02d}{c:03d}", f"Mẫu {p:02d}-{c:03d}"
            add("commune", parent, code, short, kind, p)
    return units


UNIT_COLUMNS = ("id", "level_id", "parent_id", "gso_code", "name", "kind", "valid_from", "valid_to")


def unit_rows(units: list[Unit], level: str) -> Iterator[tuple]:
    for u in units:
        if u.level == level:
            yield (u.id, u.level_id, u.parent_id, u.gso_code, u.name, u.kind, PROGRAMME_START, None)


# --- values ------------------------------------------------------------------------------------

VALUE_COLUMNS = (
    "indicator_id",
    "unit_id",
    "period_id",
    "value_bool",
    "value_num",
    "numerator",
    "denominator",
    "is_demo",
    "version",
)


def _on_curve(curve, year: int) -> float:
    """The curve's value for `year` (a tuple for 2021-2025 or a dict by year), clamped to the
    programme's years."""
    if isinstance(curve, dict):
        return curve.get(year, curve[max(curve)] if year > max(curve) else curve[min(curve)])
    return curve[min(len(curve) - 1, max(0, year - PROGRAMME_START.year))]


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def value_rows(
    units: list[Unit], indicators: list[Indicator], periods: list[Period], seed
) -> Iterator[tuple]:
    """One row per filled cell (indicator × unit × period) of the values-based indicators that
    apply to each unit."""
    rng = random.Random(f"{seed}:values")
    for unit in units:
        for ind in indicators:
            if not indicator_applies(ind, unit):
                continue
            readiness = unit.score if rng.random() < 0.6 else rng.random()
            curve, volume = RATIO_CURVES.get(ind.code, (DEFAULT_CURVE, DEFAULT_VOLUME))
            if ind.rollup == "share_meeting":
                curve = BOOLEAN_CURVES.get(ind.code, DEFAULT_CURVE)
            size = rng.randint(*volume)
            ceiling = 1.0 if ind.unit == "người" else 0.99
            for period in periods:
                if rng.random() < MISSING.get(period.year, 0.08):
                    continue  # not reported
                share = _on_curve(curve, period.year) + unit.bias
                flag = num = den = amount = None
                if ind.rollup == "share_meeting":
                    flag = readiness < share
                elif ind.rollup == "ratio_of_sums":
                    den = float(max(1, round(size * rng.uniform(0.9, 1.1))))
                    ratio = share + (unit.score - 0.5) * 0.16 + rng.uniform(-0.03, 0.03)
                    num = float(round(den * _clamp(ratio, 0.05, ceiling)))
                else:  # sum: a count that grows over the years
                    amount = float(round(size * _clamp(0.5 + share, 0.1, 2.0)))
                yield (ind.id, unit.id, period.id, flag, amount, num, den, True, 1)


# --- registries --------------------------------------------------------------------------------


def _day(rng: random.Random, year: int) -> dt.date:
    """A day of `year`, within the programme."""
    start = max(dt.date(year, 1, 1), PROGRAMME_START)
    end = min(dt.date(year, 12, 31), PROGRAMME_END)
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _early_year(rng: random.Random, score: float) -> int:
    """A year of 2021-2025, earlier for ready units."""
    return PROGRAMME_START.year + min(4, int((1 - score) * 2.5 + rng.random() * 2.5))


def _end(rng: random.Random, start: dt.date, chance: float) -> dt.date | None:
    """Sometimes an end date (dissolved, ended) after `start`, within the programme."""
    first = start + dt.timedelta(days=90)
    if first > PROGRAMME_END or rng.random() >= chance:
        return None
    return first + dt.timedelta(days=rng.randint(0, (PROGRAMME_END - first).days))


def _pick(rng: random.Random, weights: dict):
    return rng.choices(tuple(weights), weights=tuple(weights.values()))[0]


def cooperative_rows(units: list[Unit], rng: random.Random) -> Iterator[tuple]:
    """Rural communes: most have one to three cooperatives, founded over the years."""
    for u in units:
        if u.level != "commune" or u.kind != "xa":
            continue
        for k in range(_pick(rng, {0: 25, 1: 45, 2: 22, 3: 8})):
            founded = _day(rng, _early_year(rng, u.score))
            name = f"HTX nông nghiệp {u.short} ({k + 1})"
            yield (u.id, name, founded, _end(rng, founded, 0.04), rng.randint(7, 60), True, 1)


def linkage_rows(units: list[Unit], rng: random.Random) -> Iterator[tuple]:
    """Districts: production-linkage models; about half of those on raw-material areas apply
    digital technology."""
    for u in units:
        if u.level != "district":
            continue
        for k in range(_pick(rng, {0: 10, 1: 30, 2: 30, 3: 20, 4: 10})):
            product = PRODUCTS[rng.randrange(len(PRODUCTS))]
            raw_area = rng.random() < 0.65
            digital = raw_area and rng.random() < 0.55
            started = _day(rng, _early_year(rng, u.score))
            name = f"Liên kết sản xuất, tiêu thụ {product} ({k + 1})"
            ended = _end(rng, started, 0.05)
            yield (u.id, name, product, raw_area, digital, started, ended, True, 1)


def service_rows(units: list[Unit], rng: random.Random) -> Iterator[tuple]:
    """Communes and districts: essential digital services in distinct fields, more every year."""
    for u in units:
        if u.level not in ("commune", "district"):
            continue
        count = _pick(rng, {0: 40, 1: 35, 2: 18, 3: 7})
        for field in rng.sample(SERVICE_FIELDS, count):
            year = PROGRAMME_END.year - min(4, int(u.score * 2.5 + rng.random() * 2.5))
            started = _day(rng, year)
            yield (u.id, field, SERVICE_NAMES[field], started, _end(rng, started, 0.03), True, 1)


def plan_rows(units: list[Unit], rng: random.Random) -> Iterator[tuple]:
    """Districts: nearly all issued a plan in 2021-2023; some amended it later."""
    for u in units:
        if u.level != "district" or rng.random() >= 0.96:
            continue
        issued = _day(rng, _pick(rng, {2021: 15, 2022: 65, 2023: 20}))
        yield (u.id, f"{rng.randint(20, 350)}/KH-UBND", issued, PLAN_TITLE, True, 1)
        if rng.random() < 0.15:
            amended = _day(rng, rng.choice((2024, 2025)))
            title = f"Kế hoạch điều chỉnh, bổ sung {PLAN_TITLE[0].lower()}{PLAN_TITLE[1:]}"
            yield (u.id, f"{rng.randint(20, 350)}/KH-UBND", amended, title, True, 1)


def pilot_rows(units: list[Unit], rng: random.Random) -> Iterator[tuple]:
    """Per province one or two smart-commune pilots in its readiest rural communes; smart
    villages in a few communes from 2023."""
    communes = [u for u in units if u.level == "commune"]
    by_province: dict[int, list[Unit]] = {}
    for u in communes:
        if u.kind == "xa":
            by_province.setdefault(u.province, []).append(u)
    for pool in by_province.values():
        ranked = sorted(pool, key=lambda u: (-u.score, u.gso_code))
        for u in ranked[: rng.randint(1, 2)]:
            status = rng.choice(("approved", "implementing", "implementing", "evaluated"))
            results = PILOT_RESULTS if status in ("implementing", "evaluated") else None
            name = f"Xã nông thôn mới thông minh {u.short}"
            proposed = _day(rng, rng.choice((2022, 2023, 2024)))
            kind, field = "smart_commune", "production_economy"
            yield (u.id, name, kind, field, status, proposed, results, True, 1)
    status_mix = {"proposed": 35, "approved": 30, "implementing": 25, "evaluated": 10}
    for u in communes:
        if rng.random() >= 0.04:
            continue
        field = PILOT_FIELDS[rng.randrange(len(PILOT_FIELDS))]
        status = _pick(rng, status_mix)
        proposed = _day(rng, rng.choice((2023, 2024, 2025)))
        name = f"Thôn NTM thông minh — {u.name}"
        yield (u.id, name, "smart_village", field, status, proposed, None, True, 1)


def training_rows(units: list[Unit], rng: random.Random) -> Iterator[tuple]:
    """Training, conferences and communication: provinces several a year (more each year),
    districts one to three, a quarter of the communes one."""
    labels = {"training": "Tập huấn", "conference": "Hội nghị", "communication": "Truyền thông"}
    for u in units:
        for year in range(PROGRAMME_START.year, PROGRAMME_END.year + 1):
            if u.level == "province":
                count = 4 + 2 * (year - PROGRAMME_START.year)
            elif u.level == "district":
                count = rng.randint(1, 3)
            else:
                count = int(rng.random() < 0.25)
            for i in range(count):
                kind = TRAINING_KINDS[rng.randrange(len(TRAINING_KINDS))]
                audience = TRAINING_AUDIENCES[rng.randrange(len(TRAINING_AUDIENCES))]
                title = f"{labels[kind]} chuyển đổi số trong xây dựng NTM năm {year} (đợt {i + 1})"
                high = 400 if audience == "residents" else 220
                held = _day(rng, year)
                yield (u.id, title, kind, held, audience, rng.randint(25, high), True, 1)


@dataclass(frozen=True)
class RegistryPlan:
    """How one registry is filled: its table's columns and the rows' generator."""

    name: str
    columns: tuple[str, ...]
    rows: Callable[[list[Unit], random.Random], Iterator[tuple]]


_DEMO = ("is_demo", "version")
REGISTRY_PLANS = (
    RegistryPlan(
        "cooperatives",
        ("unit_id", "name", "established_on", "dissolved_on", "members", *_DEMO),
        cooperative_rows,
    ),
    RegistryPlan(
        "linkage_models",
        (
            "unit_id",
            "name",
            "key_products",
            "raw_material_area",
            "applies_digital",
            "started_on",
            "ended_on",
            *_DEMO,
        ),
        linkage_rows,
    ),
    RegistryPlan(
        "digital_services",
        ("unit_id", "field", "name", "started_on", "ended_on", *_DEMO),
        service_rows,
    ),
    RegistryPlan(
        "district_plans",
        ("unit_id", "document_number", "issued_on", "title", *_DEMO),
        plan_rows,
    ),
    RegistryPlan(
        "pilot_models",
        ("unit_id", "name", "model_type", "field", "status", "proposed_on", "results", *_DEMO),
        pilot_rows,
    ),
    RegistryPlan(
        "training_events",
        ("unit_id", "title", "kind", "held_on", "audience", "participants", *_DEMO),
        training_rows,
    ),
)


# --- district reports --------------------------------------------------------------------------

REPORT_COLUMNS = (
    "district_id",
    "period_id",
    "status",
    "submitted_at",
    "submitted_by_id",
    "decided_at",
    "decided_by_id",
    "reason",
    "is_demo",
    "version",
)


def report_rows(
    units: list[Unit], periods: list[Period], admin_id: int | None, seed
) -> Iterator[tuple]:
    """One report per synthetic district and period: the early rounds closed, the later ones
    in progress. Synthetic districts have no editor account, so no submitter is named."""
    rng = random.Random(f"{seed}:reports")
    for u in units:
        if u.level != "district":
            continue
        for period in periods:
            mix = REPORT_MIX.get(period.year, REPORT_MIX[max(REPORT_MIX)])
            status = _pick(rng, mix)
            if status == "draft":
                yield (u.id, period.id, status, None, None, None, None, None, True, 1)
                continue
            deadline = period.deadline or default_deadline(period.end_date)
            submitted = dt.datetime.combine(deadline, dt.time(8)) + dt.timedelta(
                days=rng.randint(-20, 10), minutes=rng.randint(0, 540)
            )
            decided = decider = reason = None
            if status in ("approved", "returned"):
                decided = submitted + dt.timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 8))
                decider = admin_id
            if status == "returned":
                reason = RETURN_REASONS[rng.randrange(len(RETURN_REASONS))]
            yield (u.id, period.id, status, submitted, None, decided, decider, reason, True, 1)


# --- the whole run -----------------------------------------------------------------------------


def _sizes(structure, provinces, districts, communes) -> tuple[int, int, int]:
    if structure not in STRUCTURES:
        raise ValueError(f"structure must be one of {', '.join(STRUCTURES)}, not {structure!r}")
    default = DEFAULTS[structure]
    if structure == "two-tier" and districts:
        raise ValueError("the two-tier structure has no district level: leave districts out")
    provinces = default["provinces"] if provinces is None else provinces
    districts = default["districts"] if districts is None else districts
    communes = default["communes"] if communes is None else communes
    # The code has two digits per province and district, two or three per commune.
    if not 1 <= provinces <= 99:
        raise ValueError(f"provinces must be between 1 and 99, not {provinces}")
    widest = 999 if structure == "two-tier" else 99
    for name, value, top in (
        ("districts", districts if structure == "old" else 1, 99),
        ("communes", communes, widest),
    ):
        if value < 1 or value + value // 5 > top:  # the mean, give or take a fifth, must fit
            largest = max(v for v in range(1, top + 1) if v + v // 5 <= top)
            raise ValueError(f"{name} must be between 1 and {largest}, not {value}")
    return provinces, districts, communes


def _reference_and_demo(engine: sa.Engine) -> dict:
    """Reference data and the demo, then what the generator needs of them."""
    with so.Session(engine, expire_on_commit=False) as session:
        seed_reference(session)
        session.commit()
        load_demo(session, DEFAULT_DEMO_PASSWORD)
        levels = {lv.code: lv.id for lv in session.scalars(sa.select(Level))}
        indicators = list(
            session.scalars(
                sa.select(Indicator)
                .where(Indicator.source == "values")
                .order_by(Indicator.display_order, Indicator.code)
            )
        )
        periods = list(  # the 2021-2025 programme's years (its indicators' periods)
            session.scalars(
                sa.select(Period)
                .where(Period.kind == "year", Period.programme.has(code=FIRST_PROGRAMME))
                .order_by(Period.start_date)
            )
        )
        admin_id = session.scalar(sa.select(User.id).where(User.username == "admin"))
        max_id = session.scalar(sa.select(sa.func.max(OrgUnit.id))) or 0
    return {
        "levels": levels,
        "indicators": indicators,
        "periods": periods,
        "admin_id": admin_id,
        "first_id": max_id + 1,
    }


def date_pilot_statuses(engine: sa.Engine) -> int:
    """Each synthetic pilot's status as one dated decision, on its proposal day (the figures
    count the decision in force on a period's count date: `services.pilot_status`)."""
    with engine.begin() as conn:
        return conn.execute(
            sa.text(
                "INSERT INTO pilot_status (pilot_id, status, decided_on, decision_number, "
                "is_demo) SELECT p.id, p.status, p.proposed_on, '', p.is_demo FROM pilot_model p "
                "WHERE NOT EXISTS (SELECT 1 FROM pilot_status s WHERE s.pilot_id = p.id)"
            )
        ).rowcount


def rebuild_aggregates(engine: sa.Engine) -> bool:
    """Rebuild the pre-aggregated figure cells; False (with a warning) when the application
    has no `dashboard.services.aggregates` yet."""
    if importlib.util.find_spec("dashboard.services.aggregates") is None:
        print(
            "WARNING: dashboard.services.aggregates does not exist: pre-aggregated figures "
            "were NOT rebuilt.",
            file=sys.stderr,
        )
        return False
    from dashboard.services import aggregates, lineage

    with so.Session(engine) as session:
        lineage.rebuild(session)  # which unit each record counts for (bulk loads bypass it)
        aggregates.rebuild(session)
        session.commit()
    return True


def _counts(engine: sa.Engine) -> dict:
    """What the database holds at the end."""
    with so.Session(engine) as session:
        by_level = dict(
            session.execute(
                sa.select(Level.code, sa.func.count(OrgUnit.id))
                .join(OrgUnit, OrgUnit.level_id == Level.id)
                .group_by(Level.code)
            ).all()
        )

        def rows(model) -> int:
            return session.scalar(sa.select(sa.func.count()).select_from(model))

        return {
            "units": {code: by_level.get(code, 0) for code in ("province", "district", "commune")},
            "values": rows(IndicatorValue),
            "registry_rows": {name: rows(spec.model) for name, spec in REGISTRIES.items()},
            "reports": rows(DistrictReport),
        }


def generate(
    url: str,
    structure: str = "old",
    provinces: int | None = None,
    districts: int | None = None,
    communes: int | None = None,
    seed: int = 1,
    log: Callable[[str], None] | None = None,
) -> dict:
    """Build the benchmark database at `url` (wiped first; see the module's docstring).

    `provinces`: synthetic provinces added beside Gia Lai; `districts`: mean district-level
    units per province (old structure only); `communes`: mean communes per district (old) or
    per province (two-tier); None takes the structure's default. Returns the counts in the
    database at the end (`units` by level, `values`, `registry_rows` by registry, `reports`),
    the same for the synthetic rows alone (`synthetic`), `aggregates` (whether the
    pre-aggregated cells were rebuilt) and `seconds` per step (with `total`). `log`, when
    given, is called with a line after each step.
    """
    provinces, districts, communes = _sizes(structure, provinces, districts, communes)
    seconds: dict[str, float] = {}
    started = clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = now - clock
        clock = now
        if log:
            log(f"{name:<14} {seconds[name]:8.1f} s")

    engine = prepare_database(url)
    try:
        step("schema")
        ref = _reference_and_demo(engine)
        step("reference+demo")
        units = build_units(
            structure, provinces, districts, communes, ref["levels"], ref["first_id"], seed
        )
        synthetic: dict = {"units": {}, "registry_rows": {}}
        writer = BulkWriter(engine)
        try:
            for level in ("province", "district", "commune"):
                synthetic["units"][level] = writer.write(
                    "org_unit", UNIT_COLUMNS, unit_rows(units, level)
                )
            if writer.dialect == "postgresql":  # ids were given: move the sequence past them
                writer.execute(
                    "SELECT setval(pg_get_serial_sequence('org_unit', 'id'), "
                    "(SELECT max(id) FROM org_unit))"
                )
            step("units")
            synthetic["values"] = writer.write(
                "indicator_value",
                VALUE_COLUMNS,
                value_rows(units, ref["indicators"], ref["periods"], seed),
            )
            step("values")
            for plan in REGISTRY_PLANS:
                rng = random.Random(f"{seed}:{plan.name}")
                table = REGISTRIES[plan.name].model.__tablename__
                synthetic["registry_rows"][plan.name] = writer.write(
                    table, plan.columns, plan.rows(units, rng)
                )
            step("registries")
            synthetic["reports"] = writer.write(
                "district_report",
                REPORT_COLUMNS,
                report_rows(units, ref["periods"], ref["admin_id"], seed),
            )
            writer.commit()
            step("reports")
        finally:
            writer.close()
        date_pilot_statuses(engine)
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("ANALYZE"))
            step("analyze")
        rebuilt = rebuild_aggregates(engine)
        step("aggregates")
        counts = _counts(engine)
    finally:
        engine.dispose()
    seconds["total"] = time.perf_counter() - started
    return {
        "structure": structure,
        **counts,
        "synthetic": synthetic,
        "aggregates": rebuilt,
        "seconds": seconds,
    }


def print_table(result: dict, out=None) -> None:
    """The counts (in the database; synthetic) and the seconds of each step."""
    synthetic = result["synthetic"]
    lines = [f"{'':<22} {'in database':>12} {'synthetic':>12}"]
    for level, count in result["units"].items():
        lines.append(f"{'units: ' + level:<22} {count:>12,} {synthetic['units'][level]:>12,}")
    lines.append(f"{'values':<22} {result['values']:>12,} {synthetic['values']:>12,}")
    for name, count in result["registry_rows"].items():
        lines.append(f"{name:<22} {count:>12,} {synthetic['registry_rows'][name]:>12,}")
    lines.append(f"{'district reports':<22} {result['reports']:>12,} {synthetic['reports']:>12,}")
    lines.append("")
    for name, secs in result["seconds"].items():
        lines.append(f"{name:<22} {secs:>10.1f} s")
    if not result["aggregates"]:
        lines.append("(pre-aggregated figures not rebuilt: no dashboard.services.aggregates)")
    print("\n".join(lines), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build a national-scale synthetic database for the benchmark "
        "(the database is WIPED first)."
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--structure", choices=STRUCTURES, default="old")
    parser.add_argument("--provinces", type=int, help="synthetic provinces added to Gia Lai")
    parser.add_argument("--districts", type=int, help="mean district-level units per province")
    parser.add_argument("--communes", type=int, help="mean communes per district / province")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        check_url(args.database_url)
        _sizes(args.structure, args.provinces, args.districts, args.communes)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"database:  {public_url(args.database_url)}")
    print(f"structure: {args.structure} (seed {args.seed})")
    result = generate(
        args.database_url,
        structure=args.structure,
        provinces=args.provinces,
        districts=args.districts,
        communes=args.communes,
        seed=args.seed,
        log=print,
    )
    print()
    print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
