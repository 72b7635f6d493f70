"""Indicators, targets, reporting periods and the values reported per unit and period."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from sqlalchemy import orm as so
from sqlalchemy.ext.hybrid import hybrid_property

from dashboard.db import Base

PILLARS = ("government", "economy", "society", "pilot")
VALUE_TYPES = ("count", "boolean", "ratio", "category")
# sum: total of counts; share_meeting: units meeting / units valid in the period;
# ratio_of_sums: sum of numerators / sum of denominators; share_with_rows: units having at least
# one matching registry row / units valid; share_of_rows: matching registry rows / registry rows;
# count_rows: number of matching registry rows.
ROLLUPS = (
    "sum",
    "share_meeting",
    "ratio_of_sums",
    "share_with_rows",
    "share_of_rows",
    "count_rows",
)
PERIOD_KINDS = ("year", "half", "quarter")


class Programme(Base):
    """A programme (2021-2025 digital transformation in NTM; the 2026-2035 national target
    programme): its span, legal basis, the indicators it owns and the level that reports."""

    __tablename__ = "programme"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    name_vi: so.Mapped[str] = so.mapped_column(sa.String(300))
    name_en: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    legal_basis: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    start_date: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    end_date: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    # The level whose units submit reports in this programme's periods (district for
    # 2021-2025, commune after the two-tier reform).
    reporting_level_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("level.id"))

    reporting_level = so.relationship("Level", lazy="joined")

    @property
    def name(self) -> str:
        from dashboard.i18n import current_lang

        return self.name_en if current_lang() == "en" and self.name_en else self.name_vi


class Indicator(Base):
    __tablename__ = "indicator"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    # The programme whose indicator set holds it (None: shown with every programme).
    programme_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("programme.id"))
    name_vi: so.Mapped[str] = so.mapped_column(sa.String(300))
    name_en: so.Mapped[str] = so.mapped_column(sa.String(300))
    short_vi: so.Mapped[str] = so.mapped_column(sa.String(120))
    short_en: so.Mapped[str] = so.mapped_column(sa.String(120), default="", server_default="")
    pillar: so.Mapped[str] = so.mapped_column(sa.String(16), index=True)
    level_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("level.id"))
    # Comma-separated unit kinds counted (e.g. "xa" for rural communes only); empty: all kinds.
    unit_kinds: so.Mapped[str] = so.mapped_column(sa.String(100), default="")
    # For indicators counted over two levels (communes and districts), the second level.
    extra_level_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("level.id"))
    value_type: so.Mapped[str] = so.mapped_column(sa.String(16))
    unit: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    legal_basis: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    rollup: so.Mapped[str] = so.mapped_column(sa.String(20))
    # "values" (reported per unit and period) or the name of a registry.
    source: so.Mapped[str] = so.mapped_column(sa.String(32), default="values")
    # Registry filter for share_with_rows / share_of_rows (see services.indicators).
    source_filter: so.Mapped[str] = so.mapped_column(sa.String(64), default="")
    valid_from: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    valid_to: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)
    display_order: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    # What a share counts over: "reported" (the units that reported; missing units are shown
    # as not reported) or "expected" (the definition requires every unit: missing units count
    # in the denominator and are listed).
    denominator_rule: so.Mapped[str] = so.mapped_column(
        sa.String(16), default="reported", server_default="reported"
    )
    # What the indicator means, as JSON text: {"vi": {field: text}, "en": {...}} with the fields
    # of `services.metadata.FIELDS` (definition, numerator, denominator, method, source,
    # agency, frequency); loaded from indicators.json and validated there.
    meta: so.Mapped[str] = so.mapped_column(sa.Text, default="{}", server_default="{}")

    programme: so.Mapped[Programme | None] = so.relationship()
    level = so.relationship("Level", foreign_keys=[level_id], lazy="joined")
    extra_level = so.relationship("Level", foreign_keys=[extra_level_id], lazy="joined")
    targets: so.Mapped[list[Target]] = so.relationship(
        back_populates="indicator", order_by="Target.target_year"
    )

    @property
    def name(self) -> str:
        """The full name in the request's language."""
        from dashboard.i18n import current_lang

        return self.name_en if current_lang() == "en" and self.name_en else self.name_vi

    @property
    def short_name(self) -> str:
        """The short name in the request's language (English falls back to the full name)."""
        from dashboard.i18n import current_lang

        if current_lang() == "en":
            return self.short_en or self.name_en or self.short_vi
        return self.short_vi

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k in self.unit_kinds.split(",") if k)

    @property
    def is_share(self) -> bool:
        return self.rollup in {"share_meeting", "share_with_rows", "share_of_rows"}


class Target(Base):
    """A target for an indicator: the value its figure over the scope should reach by
    `target_year` (percent for shares), with optional yearly milestones.

    The scope is one unit (`scope_unit`: the province, a district, a commune) or one commune
    group (`commune_group`: every commune of the group in the year); `level` is the level of
    the unit(s) the scope covers. `scope_key` names the scope ("unit:<id>", "group:<code>"):
    one target per indicator, scope and year. Which target a figure is compared with is
    decided in one place, `services.targets.target_for`."""

    __tablename__ = "target"
    __table_args__ = (
        sa.UniqueConstraint(
            "indicator_id", "scope_key", "target_year", name="uq_target_scope_year"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    indicator_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("indicator.id"))
    level_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("level.id"))
    scope_unit_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    commune_group: so.Mapped[str | None] = so.mapped_column(sa.String(8))
    scope_key: so.Mapped[str] = so.mapped_column(sa.String(40))
    target_value: so.Mapped[float] = so.mapped_column(sa.Float)
    comparator: so.Mapped[str] = so.mapped_column(sa.String(2), default=">=")
    target_year: so.Mapped[int] = so.mapped_column(sa.Integer)
    source: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    # {"2023": 60.0, "2024": 75.0}: the value to reach by the end of each year before the last
    milestones_json: so.Mapped[str | None] = so.mapped_column("milestones", sa.Text)

    indicator: so.Mapped[Indicator] = so.relationship(back_populates="targets")
    level = so.relationship("Level", lazy="joined")
    scope_unit = so.relationship("OrgUnit", lazy="joined")

    @staticmethod
    def key_for(unit_id: int | None, group: str | None) -> str:
        return f"unit:{unit_id}" if unit_id is not None else f"group:{group}"

    @property
    def milestones(self) -> dict[int, float]:
        if not self.milestones_json:
            return {}
        return {int(year): float(value) for year, value in json.loads(self.milestones_json).items()}

    @milestones.setter
    def milestones(self, values: dict[int, float]) -> None:
        ordered = {str(year): float(values[year]) for year in sorted(values)}
        self.milestones_json = json.dumps(ordered) if ordered else None

    def milestone(self, year: int) -> float | None:
        """The value to reach by the end of `year`: its milestone, the target in its year."""
        if year == self.target_year:
            return self.target_value
        return self.milestones.get(year)


class Period(Base):
    """A reporting period (a year by default; half-years and quarters are possible)."""

    __tablename__ = "period"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(16), unique=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(10))
    year: so.Mapped[int] = so.mapped_column(sa.Integer, index=True)
    start_date: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    end_date: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    # Reports are due by this date (configurable; default: the 15th of the month after the end).
    deadline: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)
    programme_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("programme.id"))
    # The day units and registry rows are counted on, when not the period's last day: a period
    # of a structure that ended before the period did (2025 on the districts: 30/6/2025).
    counted_on: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)

    programme: so.Mapped[Programme | None] = so.relationship(lazy="joined")

    @hybrid_property
    def count_date(self) -> dt.date:
        """The day a figure of this period counts units and registry rows on."""
        return self.counted_on or self.end_date

    @count_date.inplace.expression
    @classmethod
    def _count_date_expression(cls) -> sa.ColumnElement[dt.date]:
        return sa.func.coalesce(cls.counted_on, cls.end_date)

    @property
    def cut_short(self) -> bool:
        """Whether the period's figures stop before its last day (`counted_on`)."""
        return self.counted_on is not None and self.counted_on < self.end_date


class IndicatorValue(Base):
    """The value of one indicator for one unit and period, with who changed it last."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "unit_id", "period_id", name="uq_value_cell"),
        sa.Index("ix_value_indicator_period", "indicator_id", "period_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    indicator_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("indicator.id"))
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    period_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("period.id"))
    value_bool: so.Mapped[bool | None] = so.mapped_column(sa.Boolean)
    value_num: so.Mapped[float | None] = so.mapped_column(sa.Float)
    numerator: so.Mapped[float | None] = so.mapped_column(sa.Float)
    denominator: so.Mapped[float | None] = so.mapped_column(sa.Float)
    value_text: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    note: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    is_demo: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    updated_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    version: so.Mapped[int] = so.mapped_column(sa.Integer, default=1)

    indicator: so.Mapped[Indicator] = so.relationship()
    unit = so.relationship("OrgUnit")
    period: so.Mapped[Period] = so.relationship()
    updated_by = so.relationship("User")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


REPORT_STATUSES = ("draft", "submitted", "returned", "approved")


class DistrictReport(Base):
    """A district's report for one period: draft → submitted → approved or returned.

    A submitted or approved report locks the district's records of that period for editors.
    No row means the report is still a draft.
    """

    __tablename__ = "district_report"
    __table_args__ = (sa.UniqueConstraint("district_id", "period_id", name="uq_report_cell"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    district_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    period_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("period.id"), index=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default="draft")
    submitted_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    submitted_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    decided_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    decided_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    reason: so.Mapped[str | None] = so.mapped_column(sa.String(1000))
    is_demo: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    version: so.Mapped[int] = so.mapped_column(sa.Integer, default=1)

    district = so.relationship("OrgUnit")
    period: so.Mapped[Period] = so.relationship()
    submitted_by = so.relationship("User", foreign_keys=[submitted_by_id])
    decided_by = so.relationship("User", foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
