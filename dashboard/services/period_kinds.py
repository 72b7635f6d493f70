"""Years and their parts: half-years ("2026-H1") and quarters ("2026-Q3"). Each rule once.

A period's code names its span: "2026" the year, "2026-H1" and "2026-H2" its halves,
"2026-Q1" to "2026-Q4" its quarters (the only codes the Coordination Office can create).

- The kind a code names (`kind_of`), the order kinds are listed in (`KIND_ORDER`).
- The end of a period as a fractional year (`end_of`): the time axis of projections, on which
  a half-year and a year are placed by the day they end (end of 2026-H1 = 2026.5, end of the
  year 2026 = 2027.0).
- The name of a half-year or quarter (`part_name`: "6 tháng đầu năm 2026", "Quý 3/2026"), which
  `periods.label` uses to name every period ("2025 (tính đến 30/06/2025)").
"""

from __future__ import annotations

import datetime as dt
import re

from dashboard.i18n import _
from dashboard.models.indicators import PERIOD_KINDS

YEAR = "year"
# Years first, then half-years, then quarters (pickers list them in this order).
KIND_ORDER: tuple[str, ...] = PERIOD_KINDS
# How many months one part of each kind spans.
MONTHS = {"year": 12, "half": 6, "quarter": 3}

_CODE = re.compile(r"(\d{4})(?:-([HQ])([1-4]))?")
_KIND_OF_LETTER = {"H": "half", "Q": "quarter"}
# The name of each part ("6 tháng đầu năm 2026", "Quý 3/2026"), by kind and number.
_NAME_KEYS = {
    ("half", 1): "period_kinds.name.first_half",
    ("half", 2): "period_kinds.name.second_half",
}
_QUARTER_KEY = "period_kinds.name.quarter"
# The trend of a kind, said after the chart's title ("· theo 6 tháng").
TREND_KEYS = {"half": "period_kinds.trend.half", "quarter": "period_kinds.trend.quarter"}


def parse(code) -> tuple[str, int, int] | None:
    """(kind, year, part number) of a period code ("2026-Q3" → ("quarter", 2026, 3); a year
    is part 1 of 1), or None when the code names no year or part of one."""
    match = _CODE.fullmatch(str(code or "").strip())
    if match is None:
        return None
    year = int(match.group(1))
    if match.group(2) is None:
        return YEAR, year, 1
    kind, number = _KIND_OF_LETTER[match.group(2)], int(match.group(3))
    if number * MONTHS[kind] > 12:  # "2026-H3"
        return None
    return kind, year, number


def span_of(code) -> tuple[str, dt.date, dt.date] | None:
    """(kind, first day, last day) a period code names: "2026-H1" → ("half", 1/1/2026,
    30/6/2026); None for a code that names no period."""
    parts = parse(code)
    if parts is None:
        return None
    kind, year, number = parts
    months = MONTHS[kind]
    first = dt.date(year, (number - 1) * months + 1, 1)
    after = (
        dt.date(year + 1, 1, 1) if number * months == 12 else dt.date(year, number * months + 1, 1)
    )
    return kind, first, after - dt.timedelta(days=1)


def kind_of(code) -> str | None:
    """The kind of period a code names ("year", "half", "quarter"), or None."""
    parts = parse(code)
    return parts[0] if parts is not None else None


def end_of(code) -> float | None:
    """The end of the period named `code` as a fractional year: 2027.0 for the year 2026,
    2026.5 for 2026-H1, 2026.75 for 2026-Q3; None for a code that names no period."""
    parts = parse(code)
    if parts is None:
        return None
    kind, year, number = parts
    return year + number * MONTHS[kind] / 12


def kind_rank(kind: str) -> int:
    """A kind's place in `KIND_ORDER` (unknown kinds last)."""
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def part_name(period) -> str | None:
    """The name of a half-year or quarter: "6 tháng đầu năm 2026", "6 tháng cuối năm 2026",
    "Quý 3/2026"; None for a year or a code of no known part (named by its code)."""
    parts = parse(period.code)
    if period.kind == YEAR or parts is None or parts[0] != period.kind:
        return None
    kind, year, number = parts
    key = _NAME_KEYS.get((kind, number), _QUARTER_KEY)
    return _(key, year=year, number=number) if key == _QUARTER_KEY else _(key, year=year)


def trend_note(kind: str | None) -> str:
    """What a trend of `kind` runs over, to add to its title ("theo quý"); empty for years."""
    key = TREND_KEYS.get(kind or YEAR)
    return _(key) if key else ""
