"""Periods and programmes: which programme a period belongs to, which level reports in it, and
the day its figures count units on. Each rule once.

- A period belongs to the programme whose span holds it (`programme_for`).
- Its reports come from the units of the programme's reporting level (`reporting_level`).
- Its figures count the units and registry rows in force on its last day, unless the reporting
  level ended before that day: then on the level's last day (`count_date_for`). 2025 on the
  district structure is counted on 30/6/2025, the day before the two-tier reform.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.i18n import _
from dashboard.models import Level, Period, Programme


def programme_for(session: so.Session, start: dt.date, end: dt.date) -> Programme | None:
    """The programme whose span holds [start, end], or None."""
    return session.scalar(
        sa.select(Programme)
        .where(Programme.start_date <= start, Programme.end_date >= end)
        .order_by(Programme.start_date)
        .limit(1)
    )


def reporting_code(period: Period) -> str:
    """The code of the level that reports in `period` ("district" for 2021-2025, "commune"
    after the reform; "district" for a period outside any programme)."""
    programme = period.programme
    return programme.reporting_level.code if programme is not None else "district"


def reporting_noun(period: Period) -> str:
    """The units that report in `period`, as counted in sentences: `huyện`, `xã, phường`."""
    return _(f"noun.reporting.{reporting_code(period)}")


def reporting_level(session: so.Session, period: Period) -> Level | None:
    """The level whose units report in `period` (`scope.reporting_level_id`)."""
    level_id = scope.reporting_level_id(period)
    return session.get(Level, level_id) if level_id is not None else None


def count_date_for(programme: Programme | None, start: dt.date, end: dt.date) -> dt.date | None:
    """The day a period [start, end] of `programme` counts units on, when not `end`: the last
    day of the programme's reporting level if that level ends inside the period. None: `end`.
    Raises ValueError when the reporting level no longer exists on the period's first day."""
    if programme is None:
        return None
    level = programme.reporting_level
    if level.valid_to is None or level.valid_to >= end:
        return None
    if level.valid_to < start:
        raise ValueError(f"the level {level.code} ended on {level.valid_to}")
    return level.valid_to


def configure(session: so.Session, period: Period) -> None:
    """Set the period's programme and count date from its dates (raises ValueError when no
    programme holds it or its reporting level no longer exists)."""
    programme = programme_for(session, period.start_date, period.end_date)
    if programme is None:
        raise ValueError(f"no programme holds {period.start_date} - {period.end_date}")
    period.programme = programme
    period.counted_on = count_date_for(programme, period.start_date, period.end_date)


def label(period: Period) -> str:
    """The period's name — a year by its code, a half-year or quarter in words ("6 tháng đầu
    năm 2026", "Quý 3/2026": `period_kinds.part_name`) — with its count date when the figures
    stop before its last day: "2025 (tính đến 30/06/2025)". Every place that names a period's
    figures uses it."""
    from dashboard.i18n import _, fmt_date
    from dashboard.services import period_kinds

    name = period_kinds.part_name(period) or period.code
    if period.cut_short:
        return _("period.with_count_date", period=name, date=fmt_date(period.counted_on))
    return name


def cut_short_note(period: Period) -> str | None:
    """A sentence explaining why the period's figures stop early, or None."""
    from dashboard.i18n import _, fmt_date

    if not period.cut_short:
        return None
    return _("period.cut_short_note", period=period.code, date=fmt_date(period.counted_on))
