"""The benchmark's national-scale generator (`bench/generate.py`), run on a tiny scale on SQLite.

Each structure is generated once per module (about two seconds each) and read by several tests.
Synthetic units are those whose GSO code starts with 9; Gia Lai's real units never do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from bench.generate import UnsafeDatabase, check_url, generate, main, public_url
from dashboard import scope
from dashboard.db import make_engine
from dashboard.models import (
    DistrictReport,
    Indicator,
    IndicatorValue,
    Level,
    OrgUnit,
    Period,
    User,
)
from dashboard.models.indicators import REPORT_STATUSES
from dashboard.services import indicators as svc
from dashboard.services.reference import PROGRAMME_END, PROGRAMME_START
from dashboard.services.registry_specs import REGISTRIES

OLD = {"structure": "old", "provinces": 3, "districts": 2, "communes": 3}
TWO_TIER = {"structure": "two-tier", "provinces": 3, "communes": 4}
END_2023 = dt.date(2023, 12, 31)
SYNTHETIC = OrgUnit.gso_code.startswith("9")


def _generate(tmp_path_factory, name: str, **kwargs) -> tuple[str, dict]:
    url = f"sqlite:///{tmp_path_factory.mktemp('bench') / name}"
    return url, generate(url, **kwargs)


@pytest.fixture(scope="module")
def old_db(tmp_path_factory):
    return _generate(tmp_path_factory, "old.sqlite", **OLD)


@pytest.fixture(scope="module")
def two_tier_db(tmp_path_factory):
    return _generate(tmp_path_factory, "two_tier.sqlite", **TWO_TIER)


@pytest.fixture(params=["old", "two-tier"])
def generated(request):
    """(structure, url, result) of each structure in turn."""
    url, result = request.getfixturevalue("old_db" if request.param == "old" else "two_tier_db")
    return request.param, url, result


@contextlib.contextmanager
def opened(url: str):
    engine = make_engine(url)
    try:
        with so.Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def level_counts(session, *where) -> Counter:
    rows = session.execute(
        sa.select(Level.code, sa.func.count(OrgUnit.id))
        .join(OrgUnit, OrgUnit.level_id == Level.id)
        .where(*where)
        .group_by(Level.code)
    )
    return Counter(dict(rows.all()))


def synthetic_units(session) -> dict[int, OrgUnit]:
    return {u.id: u for u in session.scalars(sa.select(OrgUnit).where(SYNTHETIC))}


# --- units -------------------------------------------------------------------------------------


def test_old_structure_unit_counts_and_hierarchy(old_db):
    """Catches wrong loop bounds or counts that vary at tiny scales (3 × 2 × 3 must be exact),
    units inserted under the wrong parent (ids assigned out of order), a commune hung directly
    under its province, and a returned count that is not what the database holds."""
    url, result = old_db
    with opened(url) as session:
        synthetic = level_counts(session, SYNTHETIC)
        assert synthetic == {"province": 3, "district": 6, "commune": 18}
        assert result["synthetic"]["units"] == dict(synthetic)
        assert result["units"] == dict(level_counts(session))
        units = synthetic_units(session)
        for unit in units.values():
            assert unit.valid_from == PROGRAMME_START and unit.valid_to is None
            if unit.level.code == "province":
                assert unit.parent_id is None and unit.kind == "tinh"
            else:
                parent = units[unit.parent_id]  # a synthetic parent, never a Gia Lai unit
                expected = "province" if unit.level.code == "district" else "district"
                assert parent.level.code == expected
                assert unit.gso_code.startswith(parent.gso_code)
                assert f"Mẫu {parent.name.split(' Mẫu ')[1]}-" in unit.name
        assert {u.kind for u in units.values() if u.level.code == "district"} <= {
            "huyen",
            "thi_xa",
            "thanh_pho",
        }


def test_two_tier_structure_has_communes_directly_under_provinces(two_tier_db):
    """Catches a district level made in the two-tier structure, or communes of the two-tier
    structure under a district (they belong to the province since 1 July 2025)."""
    url, result = two_tier_db
    with opened(url) as session:
        assert level_counts(session, SYNTHETIC) == {"province": 3, "commune": 12}
        assert result["synthetic"]["units"] == {"province": 3, "district": 0, "commune": 12}
        units = synthetic_units(session)
        for unit in units.values():
            if unit.level.code == "commune":
                assert units[unit.parent_id].level.code == "province"
                assert unit.kind in {"xa", "phuong"}  # no townships after 1 July 2025


def test_real_gia_lai_is_intact(generated):
    """Catches synthetic codes colliding with real ones (a synthetic unit taking the place of
    a Gia Lai unit), the demo not being loaded (no accounts, no demo rows), and synthetic
    units attached to Gia Lai: Gia Lai keeps 17 district-level units and 182 rural communes in
    2023."""
    _structure, url, _result = generated
    with opened(url) as session:
        gia_lai = session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == "64"))
        districts = session.scalars(
            sa.select(OrgUnit).where(OrgUnit.parent_id == gia_lai.id, OrgUnit.valid_on(END_2023))
        ).all()
        assert len(districts) == 17
        assert not any(d.gso_code.startswith("9") for d in districts)
        rural = session.scalar(
            sa.select(sa.func.count(OrgUnit.id)).where(
                OrgUnit.parent_id.in_([d.id for d in districts]),
                OrgUnit.kind == "xa",
                OrgUnit.valid_on(END_2023),
            )
        )
        assert rural == 182
        names = set(session.scalars(sa.select(User.username)))
        assert {"admin", "viewer", "editor-622", "editor-633"} <= names
        codes = session.scalars(sa.select(OrgUnit.gso_code).where(SYNTHETIC)).all()
        assert len(codes) == len(set(codes))


# --- values ------------------------------------------------------------------------------------


def test_values_apply_to_their_units_once_and_in_the_right_columns(generated):
    """Catches values written for indicators that do not apply to the unit (a rural-commune
    criterion on a ward, a district indicator on a commune), registry-based indicators given
    values, the same cell twice, a cell in the wrong column for its rollup, a numerator above
    its denominator, nearly every cell missing or none, and values that do not improve."""
    _structure, url, result = generated
    with opened(url) as session:
        units = synthetic_units(session)
        indicators = {i.id: i for i in session.scalars(sa.select(Indicator))}
        periods = {  # the 2021-2025 programme's years, which the generator fills
            p.id: p for p in session.scalars(sa.select(Period).where(Period.year <= 2025))
        }
        rows = session.scalars(
            sa.select(IndicatorValue).where(IndicatorValue.unit_id.in_(list(units)))
        ).all()
        assert len(rows) == result["synthetic"]["values"] > 0
        cells = Counter((v.indicator_id, v.unit_id, v.period_id) for v in rows)
        assert max(cells.values()) == 1
        met = Counter()
        for v in rows:
            ind = indicators[v.indicator_id]
            assert ind.source == "values"
            assert scope.indicator_applies(ind, units[v.unit_id]), (ind.code, v.unit_id)
            assert v.is_demo
            if ind.rollup == "share_meeting":
                assert v.value_bool is not None and v.numerator is None
                met[periods[v.period_id].year, v.value_bool] += 1
            elif ind.rollup == "ratio_of_sums":
                assert v.value_bool is None and 0 <= v.numerator <= v.denominator
                assert v.denominator > 0
        applicable = sum(
            scope.indicator_applies(ind, unit)
            for ind in indicators.values()
            if ind.source == "values"
            for unit in units.values()
        ) * len(periods)
        assert 0.8 <= len(rows) / applicable < 1.0
        share = {y: met[y, True] / (met[y, True] + met[y, False]) for y in (2021, 2025)}
        assert share[2025] > share[2021]


# --- registries and reports --------------------------------------------------------------------


def test_registry_rows_on_applicable_units_within_the_programme(generated):
    """Catches registry rows on units of a level the registry is not kept for (a linkage model
    of a commune), rows no indicator counts (a cooperative of a ward), rows starting outside
    2021-2025 or ending before they start, empty required fields and choices the forms do
    not offer; and a registry the generator forgot."""
    structure, url, result = generated
    with opened(url) as session:
        units = synthetic_units(session)
        indicators = session.scalars(sa.select(Indicator)).all()
        for name, spec in REGISTRIES.items():
            rows = session.scalars(
                sa.select(spec.model).where(spec.model.unit_id.in_(list(units)))
            ).all()
            assert len(rows) == result["synthetic"]["registry_rows"][name]
            district_only = spec.levels == ("district",)
            if structure == "two-tier" and district_only:
                assert rows == [], name  # no synthetic districts
                continue
            assert rows, f"no synthetic rows in {name}"
            readers = [i for i in indicators if i.source == name]
            for row in rows:
                unit = units[row.unit_id]
                assert unit.level.code in spec.levels, (name, unit.gso_code)
                if readers:
                    assert any(scope.indicator_applies(i, unit) for i in readers), (name, unit.kind)
                start = getattr(row, spec.start_col)
                assert PROGRAMME_START <= start <= PROGRAMME_END, (name, start)
                end = getattr(row, spec.end_col) if spec.end_col else None
                assert end is None or start < end <= PROGRAMME_END, (name, start, end)
                for field in spec.fields:
                    value = getattr(row, field.name)
                    if field.required:
                        assert value is not None and value != "", (name, field.name)
                    if field.choices and value is not None:
                        assert value in field.choices, (name, field.name, value)
                    if field.kind == "text" and value is not None:
                        assert len(value) <= field.max_length, (name, field.name)


def test_reports_per_synthetic_district_and_period(old_db, two_tier_db):
    """Catches missing or doubled reports, unknown statuses, early rounds left open, decisions
    without a decider or before the submission, returns without a reason, and reports made
    in the two-tier structure (the report is per district; there is none there)."""
    url, result = old_db
    with opened(url) as session:
        units = synthetic_units(session)
        periods = {  # the 2021-2025 programme's years, which the generator fills
            p.id: p for p in session.scalars(sa.select(Period).where(Period.year <= 2025))
        }
        admin_id = session.scalar(sa.select(User.id).where(User.username == "admin"))
        reports = session.scalars(
            sa.select(DistrictReport).where(DistrictReport.district_id.in_(list(units)))
        ).all()
        districts = [u for u in units.values() if u.level.code == "district"]
        assert len(reports) == result["synthetic"]["reports"] == len(districts) * len(periods)
        assert len({(r.district_id, r.period_id) for r in reports}) == len(reports)
        for r in reports:
            assert units[r.district_id].level.code == "district"
            assert r.status in REPORT_STATUSES
            if periods[r.period_id].year <= 2022:
                assert r.status == "approved"
            if r.status == "draft":
                assert r.submitted_at is None and r.decided_at is None
            else:
                assert r.submitted_at is not None
            if r.status in ("approved", "returned"):
                assert r.decided_by_id == admin_id and r.decided_at > r.submitted_at
            assert bool(r.reason) == (r.status == "returned")
        # Gia Lai's demo rounds of 2021 and 2022 are still there.
        assert result["reports"] == len(reports) + 17 * 2
    url, result = two_tier_db
    with opened(url) as session:
        assert result["synthetic"]["reports"] == 0
        assert session.scalar(sa.select(sa.func.count(DistrictReport.id))) == 17 * 2


# --- the application's engine on the result ---------------------------------------------------


def test_engine_counts_the_synthetic_communes(generated):
    """Catches a database the engine cannot read (a missing column, an aggregate table left
    stale by the bulk load) and synthetic communes the engine does not count: the 2023 figure
    of criterion 8.4 expects Gia Lai's 182 rural communes plus the synthetic ones, and counts
    as reported exactly the cells the generator filled."""
    _structure, url, _result = generated
    with opened(url) as session:
        period = svc.get_period(session, "2023")
        ind = svc.get_indicator(session, "GOV-C8_4")
        synthetic_xa = session.scalars(
            sa.select(OrgUnit.id).where(SYNTHETIC, OrgUnit.kind == "xa")
        ).all()
        assert synthetic_xa
        filled = session.execute(
            sa.select(IndicatorValue.unit_id, IndicatorValue.value_bool)
            .join(OrgUnit, OrgUnit.id == IndicatorValue.unit_id)
            .where(
                IndicatorValue.indicator_id == ind.id,
                IndicatorValue.period_id == period.id,
                OrgUnit.valid_on(period.end_date),
            )
        ).all()
        figure = svc.compute(session, ind, period)
        assert figure.expected == 182 + len(synthetic_xa)
        assert figure.reported == len(filled)
        assert figure.numerator == sum(1 for _uid, met in filled if met)
        rows = svc.summary(session, period)
        assert len(rows) == session.scalar(sa.select(sa.func.count(Indicator.id)))
        communes = next(prog for i, prog, _figs in rows if i.code == "GOV-DOSSIER-COMM").figure
        synthetic_communes = level_counts(session, SYNTHETIC)["commune"]
        assert communes.expected == 220 + synthetic_communes  # every kind of commune


# --- determinism, arguments and safety ---------------------------------------------------------


def _fingerprint(url: str) -> tuple:
    with opened(url) as session:
        units = session.execute(
            sa.select(OrgUnit.gso_code, OrgUnit.kind).where(SYNTHETIC).order_by(OrgUnit.gso_code)
        ).all()
        values = session.execute(
            sa.select(
                sa.func.count(IndicatorValue.id),
                sa.func.sum(IndicatorValue.numerator),
                sa.func.sum(sa.case((IndicatorValue.value_bool.is_(True), 1), else_=0)),
            )
        ).one()
        return tuple(units), tuple(values)


def test_same_seed_same_data_other_seed_other_data(old_db, tmp_path_factory):
    """Catches randomness that is not seeded (the global `random`, iteration over a set), so
    two runs of the benchmark would not measure the same database; and a seed that is
    ignored."""
    url, _result = old_db
    again, _ = _generate(tmp_path_factory, "again.sqlite", **OLD)
    other, _ = _generate(tmp_path_factory, "other.sqlite", **OLD, seed=2)
    assert _fingerprint(again) == _fingerprint(url)
    assert _fingerprint(other) != _fingerprint(url)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@10.0.0.5:5432/bench_gen",  # another host
        "postgresql+psycopg://postgres@db.example.org/bench_gen",
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",  # the test suite's database
        "postgresql+psycopg://postgres@localhost/template0",
        "postgresql+psycopg://postgres@localhost/template1",
        "postgresql+psycopg://postgres@127.0.0.1:5432/",
        "sqlite://",  # in memory: nothing would be left to benchmark
        "mysql://root@127.0.0.1/bench",
    ],
)
def test_refuses_databases_it_must_not_wipe(url):
    """Catches the generator dropping the tables of a remote server, of the maintenance
    database or of the test suite's database: it refuses before connecting."""
    with pytest.raises(UnsafeDatabase):
        check_url(url)
    with pytest.raises(UnsafeDatabase):
        generate(url, **OLD)


def test_accepts_a_local_database_of_its_own_and_hides_the_password():
    """Catches a check so strict the benchmark cannot run, and a password printed."""
    check_url("postgresql+psycopg://postgres@127.0.0.1:5432/bench_gen")
    check_url("postgresql+psycopg://postgres@localhost/bench_gen")
    shown = public_url("postgresql+psycopg://bench:s3cret@127.0.0.1:5432/bench_gen")
    assert "s3cret" not in shown and "bench_gen" in shown


def test_sizes_are_checked():
    """Catches sizes that would overflow the two digits of a code (codes colliding) and a
    district level asked of the two-tier structure."""
    with pytest.raises(ValueError, match="district"):
        generate("sqlite:///unused.sqlite", structure="two-tier", districts=3)
    with pytest.raises(ValueError, match="communes"):
        generate("sqlite:///unused.sqlite", structure="old", communes=90)
    with pytest.raises(ValueError, match="structure"):
        generate("sqlite:///unused.sqlite", structure="three-tier")


def test_command_line_prints_counts(tmp_path, capsys):
    """Catches a command line that does not reach `generate` or prints no table."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["--database-url", url, "--provinces", "1", "--districts", "1"]) == 0
    out = capsys.readouterr().out
    assert url in out
    assert "units: commune" in out and "total" in out


def test_every_pilot_has_its_status_as_a_dated_decision(generated):
    """Catches synthetic pilots without a dated decision: the figures count the decision in
    force on a period's count date, so the national benchmark would count no approved pilot."""
    from dashboard.models import PilotModel, PilotStatus

    _structure, url, _result = generated
    with opened(url) as session:
        pilots = session.scalars(sa.select(PilotModel)).all()
        latest: dict[int, PilotStatus] = {}
        for s in session.scalars(sa.select(PilotStatus).order_by(PilotStatus.decided_on)):
            latest[s.pilot_id] = s
    assert pilots
    for pilot in pilots:
        assert pilot.id in latest, pilot.name
        assert latest[pilot.id].status == pilot.status, pilot.name
        assert latest[pilot.id].decided_on >= pilot.proposed_on, pilot.name
