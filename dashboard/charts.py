"""Every chart the pages show, built once: the pages' callbacks and the public embeds
(`/nhung/<chart-id>`) call the same builders, so an embedded chart is the page's chart.

`CHARTS` lists the embeddable charts under stable ids (listed in the README). A chart is built
from a `ChartQuery` (period, district, indicator, approved-only); `resolve` turns query-string
parameters into one, refusing unknown values with a Vietnamese message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from flask import current_app
from sqlalchemy import orm as so

from dashboard.components import unit_picker
from dashboard.components.figures import count_bar, district_bar, empty_figure, trend_line
from dashboard.components.maps import boundaries_url, district_map, load_boundaries
from dashboard.errors import ValidationError
from dashboard.i18n import _
from dashboard.models import Indicator, OrgUnit, Period
from dashboard.services import indicators as svc
from dashboard.services import periods, targets
from dashboard.services import registries as reg
from dashboard.services.registry_specs import CHOICE_PREFIX

PILLAR_PAGES = {"government": "/chinh-quyen-so", "economy": "/kinh-te-so", "society": "/xa-hoi-so"}


@dataclass(frozen=True)
class ChartQuery:
    period: Period
    district: OrgUnit | None = None
    indicator: Indicator | None = None
    approved_only: bool = False

    @property
    def district_id(self) -> int | None:
        return self.district.id if self.district is not None else None


# --- indicator charts ------------------------------------------------------------------------


def trend_figure(ind: Indicator, figures, district: OrgUnit | None, title: str) -> go.Figure:
    """The trend of `ind` over periods of one kind (figures already computed) against the
    target of its scope (the unit's own, the province's; none when the scope has none)."""
    target = svc.target_for(ind, district)
    return trend_line(
        [(f.period, f.value, f.display) for f in figures],
        percent=ind.rollup in svc.PERCENT_ROLLUPS,
        target=target.target_value if target else None,
        target_year=target.target_year if target else None,
        title=title,
        series_name=district.name if district else None,
    )


def trend_chart(session: so.Session, q: ChartQuery, *, scoped_title: bool = True) -> go.Figure:
    ind = q.indicator
    figures = svc.trend(session, ind, q.district_id, approved_only=q.approved_only)
    scope_name = q.district.name if q.district else _("chart.province")
    title = f"{ind.short_name} — {scope_name}" if scoped_title else ind.short_name
    return trend_figure(ind, figures, q.district, title)


def _district_frame(session: so.Session, q: ChartQuery):
    """The figures by district, computed once per request for the charts that share them (the
    ranking and the map); the frame is copied so no chart changes another's."""
    from dashboard.services import aggregates

    if not aggregates.usable(session):
        return svc.by_district(session, q.indicator, q.period, q.approved_only)
    memo = session.info.setdefault("district_frames", {})
    key = (q.indicator.id, q.period.id, q.approved_only, aggregates.version(session))
    if key not in memo:
        memo[key] = svc.by_district(session, q.indicator, q.period, q.approved_only)
    return memo[key].copy()


def by_district_chart(session: so.Session, q: ChartQuery, *, sort: bool = False) -> go.Figure:
    """Bars per unit, each coloured against its own target (a line when all share one); the
    chosen unit is outlined."""
    ind = q.indicator
    if ind.level.code == "province":
        return empty_figure(_("level.province"))
    frame = _district_frame(session, q)
    return district_bar(
        frame,
        percent=ind.rollup in svc.PERCENT_ROLLUPS,
        target=targets.common_value(frame),
        title=f"{ind.short_name} — {periods.label(q.period)}",
        sort=sort,
        highlight=q.district.gso_code if q.district else None,
    )


def ranking_chart(session: so.Session, q: ChartQuery) -> go.Figure:
    return by_district_chart(session, q, sort=True)


def map_chart(session: so.Session, q: ChartQuery) -> go.Figure:
    """The districts coloured by their figure against the target (a choropleth on the
    boundaries of `BOUNDARIES_GEOJSON`; a message instead when that file is missing or invalid).
    The chosen district is outlined; `customdata[0]` of a clicked district is its GSO code."""
    ind = q.indicator
    if ind.level.code == "province":
        return empty_figure(_("level.province"))
    boundaries = load_boundaries(current_app.config.get("BOUNDARIES_GEOJSON"))
    if boundaries is None:  # say so without computing figures nobody will see
        return district_map(pd.DataFrame(), None, percent=False)
    frame = _district_frame(session, q)
    drawn = {f["id"] for f in boundaries["features"]}
    if not frame.empty and not frame["district_code"].astype(str).isin(drawn).any():
        # e.g. the communes after the two-tier reform on a file of the former districts
        units = periods.reporting_noun(q.period)
        return empty_figure(_("map.no_boundaries_for_units", units=units))
    return district_map(
        frame,
        boundaries,
        percent=ind.rollup in svc.PERCENT_ROLLUPS,
        target=targets.common_value(frame),
        unit=ind.unit,
        highlight=q.district.gso_code if q.district else None,
        geojson_url=boundaries_url(current_app.config.get("BOUNDARIES_GEOJSON")),
    )


# --- registry charts -------------------------------------------------------------------------


def _labelled(pairs, field: str):
    return [_(f"choice.{CHOICE_PREFIX[field]}.{k}") for k, _v in pairs], [v for _k, v in pairs]


def _registry_counts(session, q: ChartQuery | None, name: str, column: str, **kwargs):
    if q is None:
        return reg.counts_by(session, name, column, **kwargs)
    return reg.counts_by(
        session, name, column, period=q.period, approved_only=q.approved_only, **kwargs
    )


def pilot_status_chart(session: so.Session, q: ChartQuery | None = None) -> go.Figure:
    return count_bar(*_labelled(_registry_counts(session, q, "pilot_models", "status"), "status"))


def pilot_field_chart(session: so.Session, q: ChartQuery | None = None) -> go.Figure:
    pairs = _registry_counts(session, q, "pilot_models", "field")
    return count_bar(*_labelled(pairs, "field"), horizontal=True)


def training_audience_chart(session: so.Session, q: ChartQuery | None = None) -> go.Figure:
    pairs = _registry_counts(session, q, "training_events", "audience", sum_of="participants")
    return count_bar(*_labelled(pairs, "audience"), horizontal=True)


def training_year_chart(session: so.Session, q: ChartQuery | None = None) -> go.Figure:
    approved_only = q.approved_only if q is not None else False
    pairs = reg.counts_by(
        session,
        "training_events",
        "held_on",
        sum_of="participants",
        by_year=True,
        approved_only=approved_only,
    )
    return count_bar([k for k, _v in pairs], [v for _k, v in pairs])


# --- the catalogue of embeddable charts ------------------------------------------------------


@dataclass(frozen=True)
class ChartSpec:
    chart_id: str
    title_key: str  # message key of the chart's title
    page: str  # the full dashboard page the chart comes from
    params: tuple[str, ...]  # query parameters the chart reads (besides `lang`)
    pillar: str | None  # indicators offered: of this pillar; None: every non-pilot indicator
    build: Callable[[so.Session, ChartQuery], go.Figure]


def _spec(chart_id, title_key, page, params, pillar, build) -> tuple[str, ChartSpec]:
    return chart_id, ChartSpec(chart_id, title_key, page, params, pillar, build)


_IND = ("period", "district", "indicator")
_REG = ("period",)
CHARTS: dict[str, ChartSpec] = dict(
    [
        _spec(
            "tong-quan-xu-huong",
            "chart.title.trend",
            "/",
            _IND,
            None,
            lambda s, q: trend_chart(s, q, scoped_title=False),
        ),
        _spec("tong-quan-xep-hang", "chart.title.ranking", "/", _IND, None, ranking_chart),
        _spec("tong-quan-ban-do", "chart.title.map", "/", _IND, None, map_chart),
        *(
            item
            for pillar, page in PILLAR_PAGES.items()
            for item in (
                _spec(
                    f"{page[1:]}-theo-huyen",
                    "chart.title.by_district",
                    page,
                    _IND,
                    pillar,
                    by_district_chart,
                ),
                _spec(f"{page[1:]}-xu-huong", "chart.title.trend", page, _IND, pillar, trend_chart),
            )
        ),
        _spec(
            "mo-hinh-thi-diem-trang-thai",
            "pilots.by_status",
            "/mo-hinh-thi-diem",
            _REG,
            None,
            pilot_status_chart,
        ),
        _spec(
            "mo-hinh-thi-diem-linh-vuc",
            "pilots.by_field",
            "/mo-hinh-thi-diem",
            _REG,
            None,
            pilot_field_chart,
        ),
        _spec(
            "dao-tao-doi-tuong",
            "training.by_audience",
            "/dao-tao",
            _REG,
            None,
            training_audience_chart,
        ),
        _spec("dao-tao-theo-nam", "training.by_year", "/dao-tao", (), None, training_year_chart),
    ]
)


def indicators_for(session: so.Session, spec: ChartSpec) -> list[Indicator]:
    """The indicators a chart may show."""
    if "indicator" not in spec.params:
        return []
    if spec.pillar is not None:
        return svc.list_indicators(session, spec.pillar)
    return [i for i in svc.list_indicators(session) if i.pillar != "pilot"]


def resolve(
    session: so.Session, spec: ChartSpec, args: Mapping[str, str], *, approved_only: bool
) -> ChartQuery:
    """The query of a chart from its parameters; an unknown period, district or indicator is
    refused (`ValidationError` naming the parameter), parameters the chart does not read are
    ignored. Defaults: the latest period with data, the whole province, the first indicator."""
    errors: dict[str, str] = {}
    if "period" in spec.params and args.get("period"):
        period = svc.get_period(session, args["period"])
        if period is None:
            errors["period"] = _("validation.unknown_period")
    else:
        period = svc.latest_period(session)
    district = None
    if "district" in spec.params and args.get("district"):
        district = unit_picker.resolve(session, period, args["district"])
        if district is None:
            errors["district"] = _("validation.unknown_unit")
    indicator = None
    offered = indicators_for(session, spec)
    if offered:
        indicator = offered[0]
        code = args.get("indicator")
        if code:
            indicator = next((i for i in offered if i.code == code), None)
            if indicator is None:
                errors["indicator"] = _("validation.unknown_indicator")
    if period is None:  # also: no period at all
        errors.setdefault("period", _("validation.unknown_period"))
    if errors:
        raise ValidationError(errors)
    return ChartQuery(period, district, indicator, approved_only)
