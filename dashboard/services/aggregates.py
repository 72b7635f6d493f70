"""Pre-aggregated figures, kept current in the transaction of every change, and the data
version the figure cache keys on.

A figure is a sum over units (see `indicators.Figure`). Its parts are stored per indicator ×
period × district in `figure_cell` (units outside any district: district key 0), so a page's
figures for every indicator and year are one small grouped query, at provincial or national
scale, instead of one query over the unit-level records per indicator. Approval is not stored:
whether a district's report is approved is joined when the cells are read, as the direct path
does.

Keeping the cells current is not left to each write path. Session events watch every flush:
a change to a value, a registry row (or a dated value of one: a pilot's status decision), a
district report, a target, or to units, levels, indicators and periods marks what it
affects, and before the transaction commits the marked
cells are recomputed from the records with the direct query (`indicators._unit_facts`, the
same rule) and the data version is increased, in that transaction. A bulk statement on one of
these tables (the demo loader's `insert`) marks everything. Loaders that write without the
ORM (the benchmark's generator) call `rebuild` themselves.

Two writers of the same district at once: the version row is updated first, so the second
waits for the first to commit and then recomputes from the committed records (PostgreSQL's
READ COMMITTED reads each statement's latest committed state; SQLite has one writer). Nothing
is lost either way.

`indicators.aggregate_direct` stays the reference: `tests/test_aggregates.py` checks on random
data that both give the same figures.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.models import (
    DataVersion,
    DistrictReport,
    FigureCell,
    Indicator,
    IndicatorValue,
    Level,
    OrgUnit,
    Period,
    PilotModel,
    PilotStatus,
    Programme,
    Target,
    UnitChange,
    UnitHeir,
)
from dashboard.models.aggregates import NO_DISTRICT
from dashboard.services import indicators as svc
from dashboard.services.registry_specs import REGISTRIES

log = logging.getLogger(__name__)

VERSION_ROW = 1
MARKS = "figure_marks"
STATE = "figure_state"
BUSY = "figure_refreshing"

# Changes to these rebuild every cell (rare: reference data), when they touch what a figure
# counts (a new or deleted row, or one of these attributes); other changes (names, deadlines,
# descriptions) only increase the version.
_STRUCTURE = (OrgUnit, UnitChange, UnitHeir, Level, Indicator, Period, Programme)
_COUNTED = {
    OrgUnit: ("level_id", "parent_id", "kind", "valid_from", "valid_to"),
    Indicator: (
        "level_id",
        "extra_level_id",
        "unit_kinds",
        "rollup",
        "source",
        "source_filter",
        "denominator_rule",
        "valid_from",
        "valid_to",
        "programme_id",
    ),
    Period: ("start_date", "end_date", "kind", "counted_on", "programme_id"),
    Programme: ("reporting_level_id", "start_date", "end_date"),
    UnitChange: ("predecessor_id", "successor_id", "date", "heir"),
}
_REGISTRY_SOURCE = {spec.model: name for name, spec in REGISTRIES.items()}
# Dated values of registry rows (a pilot's status decisions): a change to one is a change to
# its row, for the row's source and unit. Each maps to its row's model and the column naming it.
_ROW_HISTORY = {PilotStatus: (PilotModel, "pilot_id")}
_WATCHED_TABLES = {
    cls.__table__.name
    for cls in (
        *_STRUCTURE,
        IndicatorValue,
        DistrictReport,
        Target,
        *_REGISTRY_SOURCE,
        *_ROW_HISTORY,
    )
}


# --- the version ------------------------------------------------------------------------------


def state(session: so.Session) -> tuple[int, bool]:
    """(data version, cells stale?) as this transaction sees it, read once per transaction."""
    found = session.info.get(STATE)
    if found is None:
        row = session.execute(
            sa.select(DataVersion.version, DataVersion.cells_stale).where(
                DataVersion.id == VERSION_ROW
            )
        ).first()
        found = (int(row[0]), bool(row[1])) if row else (0, True)
        session.info[STATE] = found
    return found


def version(session: so.Session) -> int:
    """The data version: it changes whenever anything a figure is computed from changes."""
    return state(session)[0]


def bump(session: so.Session) -> None:
    """Increase the data version in the session's transaction (locking its row until commit,
    which orders concurrent writers)."""
    done = session.execute(
        sa.update(DataVersion)
        .where(DataVersion.id == VERSION_ROW)
        .values(version=DataVersion.version + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount == 0:
        session.execute(sa.insert(DataVersion).values(id=VERSION_ROW, version=2, cells_stale=True))
    session.info.pop(STATE, None)


def pending(session: so.Session) -> bool:
    """Whether the session holds changes to watched data not yet reflected in the cells."""
    if session.info.get(MARKS):
        return True
    if any(_watched(obj) for obj in (*session.new, *session.deleted)):
        return True
    return any(_watched(obj) and session.is_modified(obj) for obj in session.dirty)


def usable(session: so.Session) -> bool:
    """Whether figures may be read from the cells: they are built and this transaction has no
    change that they do not reflect yet (then the direct path answers)."""
    if pending(session):
        return False
    return not state(session)[1]


# --- reading ------------------------------------------------------------------------------------


def read(
    session: so.Session,
    inds: list[Indicator],
    periods: list[Period],
    district_id: int | None = None,
    *,
    by_district: bool = False,
    approved_only: bool = False,
) -> dict[int, dict]:
    """The sums of each indicator's figure per period (or per (period, district id) when
    `by_district`; district None for the units of no district), summed over the cells in one
    query: indicator id → {key: `indicators.Sums`}."""
    cell = FigureCell
    report = DistrictReport
    outside = cell.district_key == NO_DISTRICT
    approved = sa.or_(outside, report.status == "approved")

    def counted(column):
        if not approved_only:
            return sa.func.sum(column)
        return sa.func.sum(sa.case((approved, column), else_=None))

    group = [cell.indicator_id, cell.period_id]
    if by_district:
        group.append(cell.district_key)
    stmt = (
        sa.select(
            *group,
            counted(cell.num),
            counted(cell.den),
            counted(cell.den_all),
            sa.func.sum(cell.expected),
            counted(cell.reported),
            sa.func.sum(sa.case((approved, cell.expected), else_=0)),
            sa.func.count(sa.case((outside, None), else_=cell.district_key)),
            sa.func.count(sa.case((sa.and_(approved, ~outside), cell.district_key), else_=None)),
        )
        .select_from(cell)
        .outerjoin(
            report,
            sa.and_(report.district_id == cell.district_key, report.period_id == cell.period_id),
        )
        .where(
            cell.indicator_id.in_([i.id for i in inds]),
            cell.period_id.in_([p.id for p in periods]),
        )
        .group_by(*group)
    )
    if district_id is not None:
        stmt = stmt.where(cell.district_key == district_id)
    out: dict[int, dict] = defaultdict(dict)
    for row in session.execute(stmt).all():
        if by_district:
            key = (row[1], None if row[2] == NO_DISTRICT else row[2])
            sums = row[3:]
        else:
            key, sums = row[1], row[2:]
        out[row[0]][key] = svc.Sums(*sums)
    return out


# --- writing ------------------------------------------------------------------------------------


def _cells_select(session: so.Session, ind: Indicator, periods: list[Period], districts=None):
    """SELECT of the cells of `ind` for `periods` (and `districts`, None: all), from the
    records, by the direct path's rule."""
    f = svc._unit_facts(session, ind, periods, districts)
    key = sa.func.coalesce(f.c.did, NO_DISTRICT)
    rep = f.c.rep == 1
    return sa.select(
        sa.literal(ind.id, sa.Integer),
        f.c.pid,
        key,
        sa.func.count(),
        sa.func.coalesce(sa.func.sum(f.c.rep), 0),
        sa.func.sum(sa.case((rep, f.c.num), else_=None)),
        sa.func.sum(sa.case((rep, f.c.den), else_=None)),
        sa.func.sum(f.c.den),
    ).group_by(f.c.pid, key)


_COLUMNS = ["indicator_id", "period_id", "district_key", "expected", "reported", "num", "den"]
_COLUMNS.append("den_all")


def refresh(
    session: so.Session,
    inds: Iterable[Indicator],
    periods: list[Period],
    districts: set[int | None] | None = None,
) -> None:
    """Recompute the cells of `inds` × `periods` (× `districts`: ids, None for the units of no
    district; None for all) from the records, in the session's transaction."""
    if not periods:
        return
    table = FigureCell.__table__
    period_ids = [p.id for p in periods]
    session.info[BUSY] = True
    try:
        for ind in inds:
            gone = sa.delete(table).where(
                table.c.indicator_id == ind.id, table.c.period_id.in_(period_ids)
            )
            if districts is not None:
                keys = [NO_DISTRICT if d is None else d for d in districts]
                gone = gone.where(table.c.district_key.in_(keys))
            session.execute(gone)
            select = _cells_select(session, ind, periods, districts)
            session.execute(sa.insert(table).from_select(_COLUMNS, select))
    finally:
        session.info.pop(BUSY, None)


def rebuild(session: so.Session) -> None:
    """Recompute every cell from the records (after a bulk load, or when they are stale) and
    increase the data version; the caller commits."""
    session.info.pop(MARKS, None)
    bump(session)
    session.execute(sa.delete(FigureCell.__table__))
    periods = list(session.scalars(sa.select(Period)))
    refresh(session, session.scalars(sa.select(Indicator)).all(), periods)
    session.execute(
        sa.update(DataVersion).where(DataVersion.id == VERSION_ROW).values(cells_stale=False)
    )
    session.info.pop(STATE, None)


def rebuild_if_stale(session: so.Session) -> bool:
    """Rebuild the cells when they are marked stale (after the migration that created them);
    True when it did. The caller commits."""
    if not state(session)[1]:
        return False
    rebuild(session)
    return True


# --- what a change affects --------------------------------------------------------------------


def _watched(obj) -> bool:
    return isinstance(obj, (*_STRUCTURE, IndicatorValue, DistrictReport, Target)) or (
        type(obj) in _REGISTRY_SOURCE or type(obj) in _ROW_HISTORY
    )


def _old(obj, attr: str):
    """The value `attr` had before this flush's change (None when unchanged or new)."""
    history = sa.inspect(obj).attrs[attr].history
    return history.deleted[0] if history.deleted else None


def _marks(session: so.Session) -> dict:
    return session.info.setdefault(
        MARKS, {"full": False, "any": False, "values": set(), "registries": set(), "reports": set()}
    )


def _note(session: so.Session, obj, deleted: bool = False) -> None:
    if not _watched(obj):
        return
    if not deleted and obj in session.dirty and not session.is_modified(obj):
        return
    marks = _marks(session)
    marks["any"] = True
    if isinstance(obj, _STRUCTURE):
        counted = _COUNTED.get(type(obj))
        attrs = sa.inspect(obj).attrs
        added_or_gone = deleted or obj in session.new or counted is None
        if added_or_gone or any(attrs[name].history.has_changes() for name in counted):
            marks["full"] = True
    elif isinstance(obj, IndicatorValue):
        for unit in {obj.unit_id, _old(obj, "unit_id")} - {None}:
            marks["values"].add((obj.indicator_id, obj.period_id, unit))
    elif isinstance(obj, DistrictReport):
        marks["reports"].add((obj.period_id, obj.district_id))
    elif type(obj) in _REGISTRY_SOURCE:
        for unit in {obj.unit_id, _old(obj, "unit_id")} - {None}:
            marks["registries"].add((_REGISTRY_SOURCE[type(obj)], unit))
    elif type(obj) in _ROW_HISTORY:
        _note_history(session, obj, marks)


def _note_history(session: so.Session, obj, marks: dict) -> None:
    """A dated value of a registry row (a pilot's status decision) changed: mark the row's
    source for the row's unit, as a change to the row itself would."""
    row_model, fk_column = _ROW_HISTORY[type(obj)]
    row_ids = {getattr(obj, fk_column), _old(obj, fk_column)} - {None}
    source = _REGISTRY_SOURCE[row_model]
    with session.no_autoflush:
        for row_id in row_ids:
            row = session.get(row_model, row_id)
            if row is None:  # deleted with its row, which marked its unit
                continue
            for unit in {row.unit_id, _old(row, "unit_id")} - {None}:
                marks["registries"].add((source, unit))


@sa.event.listens_for(so.Session, "after_flush")
def _after_flush(session: so.Session, _context) -> None:
    for obj in session.new:
        _note(session, obj)
    for obj in session.dirty:
        _note(session, obj)
    for obj in session.deleted:
        _note(session, obj, deleted=True)


@sa.event.listens_for(so.Session, "do_orm_execute")
def _bulk_statement(state: so.ORMExecuteState) -> None:
    """A bulk INSERT/UPDATE/DELETE (or raw SQL that writes) on watched tables marks
    everything: no flush reports its rows."""
    session = state.session
    if session.info.get(BUSY) or getattr(state.statement, "is_select", False):
        return
    statement = state.statement
    table = getattr(statement, "table", None)
    if table is not None:
        if getattr(table, "name", None) in _WATCHED_TABLES:
            _marks(session).update(full=True, any=True)
        return
    text = str(statement).lstrip()[:10].upper()
    if text.startswith(("INSERT", "UPDATE", "DELETE", "TRUNCATE")):
        _marks(session).update(full=True, any=True)


@sa.event.listens_for(so.Session, "before_commit")
def _before_commit(session: so.Session) -> None:
    if session.info.get(BUSY):
        return
    session.flush()  # so the last changes are marked
    marks = session.info.pop(MARKS, None)
    if not marks or not marks["any"]:
        return
    if marks["full"]:
        rebuild(session)
        return
    bump(session)  # first: a concurrent writer of the same cells waits here for our commit
    if state(session)[1]:
        return  # stale cells are not read; `rebuild_if_stale` will build them
    _apply(session, marks)
    session.info.pop(STATE, None)


def _owners(session: so.Session, unit_ids: set[int]) -> dict[tuple[int, int], int | None]:
    """(unit id, period id) → the reporting unit whose cells the unit's records count in for
    that period (None: none), by the rules of the engine: the unit the records passed to by
    the period's count date (`services.lineage`), then its reporting unit."""
    if not unit_ids:
        return {}
    heir = so.aliased(OrgUnit)
    owner = scope.district_owner(Programme.reporting_level_id, heir)
    stmt = (
        sa.select(UnitHeir.unit_id, Period.id, owner)
        .select_from(Period)
        .outerjoin(Programme, Programme.id == Period.programme_id)
        .join(
            UnitHeir,
            sa.and_(UnitHeir.unit_id.in_(unit_ids), UnitHeir.valid_on(Period.count_date)),
        )
        .join(heir, heir.id == UnitHeir.heir_id)
    )
    return {(unit, period): did for unit, period, did in session.execute(stmt).all()}


def _apply(session: so.Session, marks: dict) -> None:
    units = {u for *_k, u in marks["values"]} | {u for _s, u in marks["registries"]}
    owners = _owners(session, units)
    periods = {p.id: p for p in session.scalars(sa.select(Period))}
    indicators = {i.id: i for i in session.scalars(sa.select(Indicator))}
    # (indicator id, period id) → districts to recompute
    work: dict[tuple[int, int], set[int | None]] = defaultdict(set)
    for ind_id, period_id, unit in marks["values"]:
        work[(ind_id, period_id)].add(owners.get((unit, period_id)))
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    for ind in indicators.values():
        by_source[ind.source].append(ind)
    for source, unit in marks["registries"]:
        for ind in by_source.get(source, []):
            for period_id in periods:
                work[(ind.id, period_id)].add(owners.get((unit, period_id)))
    for period_id, district_id in marks["reports"]:
        for ind in indicators.values():
            if ind.source != "values":  # registries count "none" once the report is sent
                work[(ind.id, period_id)].add(district_id)
    for (ind_id, period_id), districts in work.items():
        if ind_id in indicators and period_id in periods:
            refresh(session, [indicators[ind_id]], [periods[period_id]], districts)


@sa.event.listens_for(so.Session, "after_soft_rollback")
def _after_rollback(session: so.Session, _previous) -> None:
    session.info.pop(MARKS, None)
    session.info.pop(STATE, None)


@sa.event.listens_for(so.Session, "after_commit")
def _after_commit(session: so.Session) -> None:
    session.info.pop(STATE, None)
