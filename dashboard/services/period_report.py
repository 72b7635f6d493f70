"""The period report for the provincial People's Committee: what it contains, gathered once.

`parse_query` checks the request (period, optional district, data mode); `build` collects every
figure of the report through the services that compute them everywhere else, so the PDF
(`report_pdf`), the XLSX (`report_xlsx`) and the pages show the same numbers:

- each pillar's indicators against target: `indicators.summary` (figure, target, gap, status,
  coverage), in approved-only mode with the same flag as the pages;
- figures per district: `indicators.aggregate(by_district=True)`, the source of the pages'
  charts by district;
- the reporting rate and the districts not yet approved: `workflow.completeness`;
- the "as of" stamp: `workflow.as_of`; the share of approved districts: `workflow.approval`;
- registry counts of the pilots and the training events: `registries.counts_by`.

Nothing here counts a figure itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import orm as so

from dashboard import scope
from dashboard.errors import ValidationError
from dashboard.i18n import _, fmt_date, fmt_datetime, fmt_number
from dashboard.models import Indicator, OrgUnit, Period
from dashboard.security import PLAIN_QUERY_VALUE
from dashboard.services import indicators as svc
from dashboard.services import periods, targets, workflow
from dashboard.services import registries as reg
from dashboard.services.registry_specs import CHOICE_PREFIX

MODES = ("all", "approved")
FORMATS = ("pdf", "xlsx")
# The pillars of the report, in order, and which pillars' indicators go in the district table.
REPORT_PILLARS = ("government", "economy", "society", "pilot")
TABLE_PILLARS = ("government", "economy", "society")


# --- the request -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportQuery:
    """What a report covers: a period, the whole province or one district, a data mode."""

    period: Period
    district: OrgUnit | None = None
    approved_only: bool = False

    @property
    def district_id(self) -> int | None:
        return self.district.id if self.district is not None else None

    @property
    def mode(self) -> str:
        return "approved" if self.approved_only else "all"

    def filename(self, fmt: str) -> str:
        """An ASCII file name: `bao-cao-2023-toan-tinh.pdf`,
        `bao-cao-2023-622-da-phe-duyet.xlsx`."""
        where = self.district.gso_code if self.district is not None else "toan-tinh"
        tail = "-da-phe-duyet" if self.approved_only else ""
        return f"bao-cao-{self.period.code}-{where}{tail}.{fmt}"


def _plain(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_query(session: so.Session, period, district=None, mode=None) -> ReportQuery:
    """The report's query from request values; unknown values are refused with a
    `ValidationError` naming each bad field (`period`, `district`, `mode`)."""
    errors: dict[str, str] = {}
    period_code = _plain(period)
    found = None
    if PLAIN_QUERY_VALUE.fullmatch(period_code):
        found = svc.get_period(session, period_code)
    if found is None:
        errors["period"] = _("validation.unknown_period")
    district_code = _plain(district)
    unit = None
    if district_code:
        if PLAIN_QUERY_VALUE.fullmatch(district_code):
            unit = scope.find_reporting_unit(session, found, district_code) if found else None
        if unit is None:
            errors["district"] = _("validation.unknown_unit")
    mode_value = _plain(mode) or "all"
    if mode_value not in MODES:
        errors["mode"] = _("validation.unknown_mode")
    if errors:
        raise ValidationError(errors)
    return ReportQuery(found, unit, mode_value == "approved")


# --- the content -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of a pillar against its target, with the texts the pages show."""

    indicator: Indicator
    progress: svc.Progress
    target_text: str
    gap_text: str
    status_text: str
    projected_text: str
    level_text: str

    @property
    def figure(self) -> svc.Figure:
        return self.progress.figure


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a label, its value (None: no figure) and the text shown beside it."""

    key: str
    label: str
    value: float | None
    text: str
    target: float | None = None  # the unit's own target (`targets.target_for`)


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: by district against a target (`percent`, `target`), or counts
    of a registry (no target). `highlight` is the key of the bar to outline."""

    title: str
    bars: list[Bar]
    percent: bool = False
    target: float | None = None
    highlight: str | None = None
    note: str = ""
    kind: str = "district"  # "district": bars by district; "count": counts of a registry


@dataclass(frozen=True)
class PillarSection:
    pillar: str
    title: str
    lines: list[IndicatorLine]
    charts: list[Chart]


@dataclass(frozen=True)
class DistrictRow:
    """A district of the district table: its report status and one figure per indicator."""

    code: str
    name: str
    status: str
    figures: dict[str, svc.Figure | None]
    targets: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class PeriodReport:
    query: ReportQuery
    generated_at: dt.datetime  # naive UTC, like every stored time
    as_of: workflow.AsOf
    approval: workflow.Approval
    reports: list[workflow.ReportRow]  # the districts in scope
    sections: list[PillarSection]
    table_indicators: list[Indicator]
    districts: list[DistrictRow]
    extra_charts: list[Chart] = field(default_factory=list)

    @property
    def count_charts(self) -> list[Chart]:
        """The registry counts (pilots, training), wherever they are shown."""
        charts = [c for s in self.sections for c in s.charts] + self.extra_charts
        return [c for c in charts if c.kind == "count"]

    # Texts of the cover, the running header and the footer.

    @property
    def period(self) -> Period:
        return self.query.period

    @property
    def units(self) -> str:
        """The units that report in the period, as counted in sentences: `huyện`, `xã, phường`."""
        return periods.reporting_noun(self.period)

    @property
    def title(self) -> str:
        return _("period_report.title", period=periods.label(self.period))

    @property
    def scope_text(self) -> str:
        district = self.query.district
        if district is None:
            return _("filter.all_units")
        return f"{district.name} ({district.gso_code})"

    @property
    def mode_text(self) -> str:
        if self.query.approved_only:
            return _("approval.mode_approved")
        return _("period_report.mode_all")

    @property
    def period_text(self) -> str:
        start, end = self.period.start_date, self.period.end_date
        text = _(
            "period_report.period_range",
            period=self.period.code,
            start=fmt_date(start),
            end=fmt_date(end),
        )
        note = periods.cut_short_note(self.period)
        return f"{text}. {note}" if note else text

    @property
    def generated_text(self) -> str:
        return fmt_datetime(self.generated_at)

    @property
    def approved_at_text(self) -> str:
        if self.as_of.approved_at is None:
            return _("period_report.none_approved", units=self.units)
        return fmt_datetime(self.as_of.approved_at)

    @property
    def data_updated_text(self) -> str:
        return fmt_datetime(self.as_of.data_updated_at)

    @property
    def as_of_text(self) -> str:
        """The stamp of every page: the last approval and the last change it covers."""
        if self.as_of.approved_at is None:
            return _("period_report.as_of_none", period=self.period.code, units=self.units)
        return _(
            "period_report.as_of",
            period=self.period.code,
            approved=fmt_datetime(self.as_of.approved_at),
            updated=fmt_datetime(self.as_of.data_updated_at),
        )

    # The reporting round.

    @property
    def submitted(self) -> int:
        return sum(r.status in ("submitted", "approved") for r in self.reports)

    @property
    def approved(self) -> int:
        return sum(r.status == "approved" for r in self.reports)

    @property
    def total(self) -> int:
        return len(self.reports)

    @property
    def reporting_text(self) -> str:
        """`Kỳ 2023: 3/17 huyện đã gửi, 1/17 đã phê duyệt; …` (the progress page's summary)."""
        return workflow.progress_summary(None, self.period, self.reports)

    def cover_rows(self) -> list[tuple[str, str]]:
        """(label, text) of the cover, the same in the PDF and the XLSX."""
        return [
            (_("filter.period"), self.period_text),
            (_("period_report.cover.scope"), self.scope_text),
            (_("period_report.cover.mode"), self.mode_text),
            (_("period_report.cover.generated"), self.generated_text),
            (_("period_report.cover.approved_at"), self.approved_at_text),
            (_("period_report.cover.updated_at"), self.data_updated_text),
            (_("period_report.cover.reporting"), self.reporting_text),
            (_("period_report.cover.approval"), self.approval.note),
        ]

    @property
    def not_approved(self) -> list[workflow.ReportRow]:
        return [r for r in self.reports if r.status != "approved"]


def _line(ind: Indicator, prog: svc.Progress) -> IndicatorLine:
    return IndicatorLine(
        indicator=ind,
        progress=prog,
        target_text=svc.target_text(ind, prog),
        gap_text=svc.gap_text(prog),
        status_text=svc.status_text(prog),
        projected_text=svc.projected_text(prog),
        level_text=svc.level_text(ind),
    )


def _district_chart(ind, rows: list[DistrictRow], highlight: str | None, period) -> Chart:
    """Bars by unit, each against the unit's own target; a target line only when every unit
    has the same one (never the province's target drawn over single units)."""
    bars = [
        Bar(
            r.code,
            r.name,
            r.figures[ind.code].value if r.figures.get(ind.code) else None,
            r.figures[ind.code].display if r.figures.get(ind.code) else "–",
            r.targets.get(ind.code),
        )
        for r in rows
    ]
    own = {bar.target for bar in bars}
    return Chart(
        title=f"{ind.short_name} — {period.code}",
        bars=bars,
        percent=ind.rollup in svc.PERCENT_ROLLUPS,
        target=own.pop() if len(own) == 1 and None not in own else None,
        highlight=highlight,
    )


def _count_chart(session, query: ReportQuery, name: str, column: str, title: str, **kw) -> Chart:
    """Counts of a registry's rows in force at the period's end (approved-only as the page)."""
    pairs = reg.counts_by(
        session, name, column, period=query.period, approved_only=query.approved_only, **kw
    )
    return Chart(
        title=title,
        bars=[
            Bar(key, _(f"choice.{CHOICE_PREFIX[column]}.{key}"), value, fmt_number(value))
            for key, value in pairs
        ],
        note=_(
            "period_report.province_wide",
            end=fmt_date(query.period.end_date),
        ),
        kind="count",
    )


def build(session: so.Session, query: ReportQuery, now: dt.datetime | None = None):
    """Everything the report shows, computed by the services (see the module's docstring)."""
    period, district_id = query.period, query.district_id
    approved_only = query.approved_only
    rows = svc.summary(session, period, district_id, approved_only=approved_only)
    all_reports = workflow.completeness(session, period)
    reports = all_reports
    if query.district is not None:
        reports = [r for r in all_reports if r.district_code == query.district.gso_code]

    # Figures by district of the indicators counted below the province.
    by_pillar = {p: [(i, prog) for i, prog, _f in rows if i.pillar == p] for p in REPORT_PILLARS}
    district_inds = [
        ind for p in REPORT_PILLARS for ind, _p in by_pillar[p] if ind.level.code != "province"
    ]
    status_of = {r.district_code: r.status for r in all_reports}
    districts = svc.reporting_units(session, period)
    results = {
        ind.code: dict(
            svc.aggregate(session, ind, [period], by_district=True, approved_only=approved_only)
        )
        for ind in district_inds
    }
    district_rows = [
        DistrictRow(
            code=d.gso_code,
            name=d.name,
            status=status_of.get(d.gso_code, "draft"),
            figures={code: found.get(d.id) for code, found in results.items()},
            targets={
                ind.code: getattr(targets.target_for(ind, d, period.year), "target_value", None)
                for ind in district_inds
            },
        )
        for d in districts
    ]
    highlight = query.district.gso_code if query.district is not None else None

    sections = []
    for pillar in REPORT_PILLARS:
        lines = [_line(ind, prog) for ind, prog in by_pillar[pillar]]
        charts = [
            _district_chart(ind, district_rows, highlight, period)
            for ind, _prog in by_pillar[pillar]
            if ind.level.code != "province"
            and (svc.target_for(ind) is not None or pillar == "pilot")
        ]
        if pillar == "pilot" and query.district is None:
            charts.append(
                _count_chart(
                    session,
                    query,
                    "pilot_models",
                    "status",
                    f"{_('pillar.pilot')} — {_('pilots.by_status')}",
                )
            )
        if lines or charts:
            sections.append(PillarSection(pillar, _(f"pillar.{pillar}"), lines, charts))

    extra = []
    if query.district is None:  # registry counts exist for the whole province only
        extra.append(
            _count_chart(
                session,
                query,
                "training_events",
                "audience",
                _("training.by_audience"),
                sum_of="participants",
            )
        )
    return PeriodReport(
        query=query,
        generated_at=now or dt.datetime.now(dt.UTC).replace(tzinfo=None),
        as_of=workflow.as_of(session, period, district_id),
        approval=workflow.approval(session, period, district_id, approved_only),
        reports=reports,
        sections=sections,
        table_indicators=[i for i in district_inds if i.pillar in TABLE_PILLARS],
        districts=district_rows,
        extra_charts=extra,
    )
