"""The open-data API, `/api/v1/...`: approved figures, indicator definitions and units.

- `GET /api/v1/kpis?period=YYYY[&district=CODE][&format=csv][&lang=en]`: one row per indicator,
  approved figures only (`indicators.summary(..., approved_only=True)`), with the units
  expected, reported and approved, the target and the time of the latest approval (`as_of`).
- `GET /api/v1/indicators[?lang=en]`: definitions, legal basis, unit, rollup, targets.
- `GET /api/v1/units?period=YYYY[&format=csv][&lang=en]`: the units in existence at the end of
  the period, with their parent and validity.
- `GET /api/v1/openapi.json[?lang=en]`: the OpenAPI 3.1 document of the above.

`period` is any period's code: a year ("2024"), a half-year ("2026-H1") or a quarter
("2026-Q3"), once the Coordination Office has created it. Answers say the period's kind, first
and last day (`period_kind`, `period_start`, `period_end`), and its name in the answer's
language (`period_name`: "6 tháng đầu năm 2026"). No endpoint returns a series over periods,
so there is no `kind` parameter: a period's code already names its kind.

No login (the path is public in `dashboard.auth.login`). Every answer has a strong `ETag` (a
hash of the body) and `Cache-Control: public, max-age=300`, and answers `If-None-Match` with
304; `Access-Control-Allow-Origin: *` lets any page read it. A parameter that is unknown,
repeated or bad gets 400 with `{"error": message, "field": name}`, the message in Vietnamese
(English with `lang=en`). Requests are limited per client address to `API_RATE_LIMIT` (default
"120 per minute") across the whole API, counted by the application's limiter; over the limit:
429 with `Retry-After`. CSV answers are written by `dashboard.inert`, so no cell runs as a
formula.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time

import pandas as pd
import sqlalchemy as sa
from flask import Blueprint, Flask, Response, current_app, g, request
from flask_limiter.util import get_remote_address
from limits import parse_many
from sqlalchemy import orm as so

from dashboard import cache, scope
from dashboard.config import ConfigError
from dashboard.db import get_session
from dashboard.i18n import LANGUAGES, _
from dashboard.inert import csv_bytes
from dashboard.models import Level, OrgUnit, Period
from dashboard.models.indicators import PERIOD_KINDS, PILLARS, ROLLUPS, VALUE_TYPES
from dashboard.security import PLAIN_QUERY_VALUE
from dashboard.services import indicators as svc
from dashboard.services import period_kinds, periods, workflow

API_PREFIX = "/api/v1"
DEFAULT_RATE_LIMIT = "120 per minute"
CACHE_CONTROL = "public, max-age=300"
FORMATS = ("json", "csv")
# A period's code: a year, a half-year or a quarter (`services.period_kinds`).
PERIOD_PATTERN = "^[0-9]{4}(-(H[12]|Q[1-4]))?$"

# The query parameters each endpoint accepts; anything else is a 400.
PARAMS: dict[str, tuple[str, ...]] = {
    "kpis": ("period", "district", "format", "lang"),
    "indicators": ("lang",),
    "units": ("period", "format", "lang"),
    "openapi": ("lang",),
}

# Field names of the rows, in order (also the CSV header).
KPI_FIELDS = (
    "code",
    "pillar",
    "name_vi",
    "name_en",
    "value",
    "numerator",
    "denominator",
    "units_expected",
    "units_reported",
    "units_approved",
    "target",
    "met",
    "period",
    "counted_on",
    "as_of",
    "name",
    "district",
    "value_kind",
    "published",
    "target_year",
    "period_kind",
    "period_start",
    "period_end",
)
UNIT_FIELDS = (
    "gso_code",
    "name",
    "kind",
    "kind_name",
    "level",
    "parent_gso_code",
    "valid_from",
    "valid_to",
)

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)


class BadParameter(Exception):
    """A query parameter the API cannot answer; `field` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# --- parameters ------------------------------------------------------------------------------


def _clip(text: str, limit: int = 40) -> str:
    """User input quoted in a message, kept short."""
    return text if len(text) <= limit else text[:limit] + "…"


def _request_lang() -> str:
    """The `lang` parameter when it is a supported language, else Vietnamese (never fails).
    Unlike pages, the API ignores the `lang` cookie: an answer that may be cached publicly
    depends on its URL alone."""
    values = request.args.getlist("lang")
    return values[0] if len(values) == 1 and values[0] in LANGUAGES else LANGUAGES[0]


def _params(endpoint: str) -> dict[str, str]:
    """The query parameters of `endpoint`, each given at most once, `lang` applied to
    `flask.g.lang`. Empty values count as not given. Raises `BadParameter`."""
    g.lang = _request_lang()
    allowed = PARAMS[endpoint]
    values: dict[str, str] = {}
    for name in request.args:
        if name not in allowed:
            raise BadParameter(
                name,
                _("api.error.unknown_parameter", name=_clip(name), allowed=", ".join(allowed)),
            )
        given = request.args.getlist(name)
        if len(given) > 1:
            raise BadParameter(name, _("api.error.repeated_parameter", name=name))
        if not PLAIN_QUERY_VALUE.fullmatch(given[0].strip() or "-"):
            # Codes, years and words only: nothing the database would refuse (a NUL byte).
            raise BadParameter(name, _("api.error.bad_value", name=name))
        if given[0].strip():
            values[name] = given[0].strip()
    lang = values.get("lang")
    if lang is not None and lang not in LANGUAGES:
        raise BadParameter("lang", _("api.error.bad_lang", value=_clip(lang)))
    if lang is not None:
        g.lang = lang
    fmt = values.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise BadParameter(
            "format", _("api.error.bad_format", value=_clip(fmt), formats=", ".join(FORMATS))
        )
    return values


def _period(session: so.Session, code: str | None) -> Period:
    """The period `code` (a year, half-year or quarter); 400 when missing or unknown, naming
    the periods there are (years first, then half-years and quarters)."""
    if code is None:
        raise BadParameter("period", _("api.error.period_required"))
    every = svc.list_periods(session, kind=None)
    found = next((p for p in every if p.code == code), None)
    if found is None:
        known = ", ".join(p.code for p in every)
        # A code that reads as a part of a year is not called a year in the message.
        key = "api.error.unknown_period"
        if period_kinds.kind_of(code) not in (None, period_kinds.YEAR):
            key = "period_kinds.api.unknown_period"
        raise BadParameter("period", _(key, value=_clip(code), periods=known))
    return found


def _period_fields(period: Period) -> dict:
    """What an answer says of its period: kind, first and last day."""
    return {
        "period_kind": period.kind,
        "period_start": _date(period.start_date),
        "period_end": _date(period.end_date),
    }


def _district(session: so.Session, code: str | None, period: Period) -> OrgUnit | None:
    """The district with GSO code `code` in existence at the period's end, None when no code is
    given; 400 when unknown or not in existence then."""
    if code is None:
        return None
    district = scope.find_reporting_unit(session, period, code)
    if district is not None:
        return district
    if scope.unit_code_known(session, code):
        message = _("api.error.district_not_valid", value=_clip(code), period=period.code)
    else:
        message = _("api.error.unknown_district", value=_clip(code))
    raise BadParameter("district", message)


# --- values ----------------------------------------------------------------------------------


def _number(value) -> int | float | None:
    """A JSON number: whole values as integers, no NaN or infinity (those are null)."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() else value


def _timestamp(value: dt.datetime | None) -> str | None:
    """A stored (naive UTC) time as ISO 8601 with `Z`."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- answers ---------------------------------------------------------------------------------


def _cached(body: bytes, mimetype: str, filename: str | None = None) -> Response:
    """A cacheable answer: strong ETag of the body, `If-None-Match` answered with 304."""
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = CACHE_CONTROL
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.add_etag()
    return response.make_conditional(request)


CSV_TYPE = "text/csv"


def _json_body(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _json(payload) -> Response:
    return _cached(_json_body(payload), "application/json")


def _cell(value) -> str:
    """A CSV cell written as the JSON answer writes the value (`17`, `77.7`, `true`), empty for
    null. Written here as text, so that no column is re-read as floats (`17.0`)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _csv_body(rows: list[dict], fields: tuple[str, ...]) -> bytes:
    data = [[_cell(row[f]) for f in fields] for row in rows]
    return csv_bytes(pd.DataFrame(data, columns=list(fields), dtype=object))


def _csv(rows: list[dict], fields: tuple[str, ...], filename: str) -> Response:
    return _cached(_csv_body(rows, fields), CSV_TYPE, filename)


def _error(status: int, message: str, field: str | None = None) -> Response:
    payload = {"error": message}
    if field is not None:
        payload["field"] = field
    response = Response(
        json.dumps(payload, ensure_ascii=False), status=status, mimetype="application/json"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<path:_rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(_rest: str):
    """Any other path under the API: a JSON 404 (not the dashboard's HTML page)."""
    g.lang = _request_lang()
    return _error(404, _("api.error.not_found"))


@bp.errorhandler(BadParameter)
def _bad_parameter(exc: BadParameter):
    return _error(400, exc.message, exc.field)


@bp.errorhandler(429)
def _too_many_requests(_exc):
    """Over `API_RATE_LIMIT`: JSON in the request's language, seconds to wait in
    `Retry-After`."""
    g.lang = _request_lang()
    seconds = 60
    limiter = current_app.extensions.get("login_limiter")
    try:
        current = limiter.current_limit if limiter is not None else None
        if current is not None:
            seconds = max(1, math.ceil(current.reset_at - time.time()))
    except Exception:  # the limiter's storage failing here only costs the exact wait
        seconds = 60
    response = _error(429, _("api.error.rate_limited", seconds=seconds))
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.after_request
def _open_to_every_origin(response: Response) -> Response:
    """Open data: any page may read the answers (and their ETag and Retry-After)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Retry-After"
    return response


# --- endpoints -------------------------------------------------------------------------------


def kpi_rows(
    session: so.Session, period: Period, district: OrgUnit | None, as_of: str | None
) -> list[dict]:
    """The approved figure of every indicator for `period` (province, or one district);
    `as_of` is the time of the latest approval in scope."""
    district_id = district.id if district is not None else None
    rows = []
    for ind, prog, _figures in svc.summary(session, period, district_id, approved_only=True):
        fig = prog.figure
        target = prog.target
        rows.append(
            {
                "code": ind.code,
                "pillar": ind.pillar,
                "name_vi": ind.name_vi,
                "name_en": ind.name_en,
                "value": _number(fig.value),
                "numerator": _number(fig.numerator) if fig.published else None,
                "denominator": _number(fig.denominator) if fig.published else None,
                "units_expected": fig.expected,
                "units_reported": fig.reported,
                "units_approved": fig.approved,
                "target": _number(target.target_value) if target is not None else None,
                "met": prog.met,
                "period": period.code,
                "counted_on": period.count_date.isoformat(),
                "as_of": as_of,
                "name": ind.name,
                "district": district.gso_code if district is not None else None,
                "value_kind": "percent" if fig.is_percent else "count",
                "published": fig.published,
                "target_year": target.target_year if target is not None else None,
                **_period_fields(period),
            }
        )
    return rows


@bp.get("/kpis")
def kpis():
    params = _params("kpis")
    body, mimetype, filename = cache.remembered(
        "api-kpis", tuple(sorted(params.items())), lambda: _kpis_answer(params)
    )
    return _cached(body, mimetype, filename)


def _kpis_answer(params: dict) -> tuple[bytes, str, str | None]:
    """The body of `/kpis` for `params`: its bytes, type and download name."""
    session = get_session()
    period = _period(session, params.get("period"))
    district = _district(session, params.get("district"), period)
    stamp = workflow.as_of(session, period, district.id if district is not None else None)
    as_of = _timestamp(stamp.approved_at)
    rows = kpi_rows(session, period, district, as_of)
    if params.get("format") == "csv":
        suffix = f"-{district.gso_code}" if district is not None else ""
        return _csv_body(rows, KPI_FIELDS), CSV_TYPE, f"kpis-{period.code}{suffix}.csv"
    payload = {
        "period": period.code,
        "counted_on": period.count_date.isoformat(),
        "district": district.gso_code if district is not None else None,
        "as_of": as_of,
        "data_updated_at": _timestamp(stamp.data_updated_at),
        **_period_fields(period),
        "period_name": periods.label(period),
        "data": rows,
    }
    return _json_body(payload), "application/json", None


def indicator_rows(session: so.Session) -> list[dict]:
    rows = []
    for ind in svc.list_indicators(session):
        rows.append(
            {
                "code": ind.code,
                "pillar": ind.pillar,
                "name_vi": ind.name_vi,
                "name_en": ind.name_en,
                "name": ind.name,
                "short_name_vi": ind.short_vi,
                "short_name_en": ind.short_en or None,
                "short_name": ind.short_name,
                "level": ind.level.code,
                "extra_level": ind.extra_level.code if ind.extra_level is not None else None,
                "unit_kinds": list(ind.kinds),
                "unit": ind.unit or None,
                "value_type": ind.value_type,
                "rollup": ind.rollup,
                "value_kind": "percent" if ind.rollup in svc.PERCENT_ROLLUPS else "count",
                "denominator_rule": ind.denominator_rule,
                "legal_basis": ind.legal_basis or None,
                "valid_from": _date(ind.valid_from),
                "valid_to": _date(ind.valid_to),
                "targets": [
                    {
                        "value": _number(t.target_value),
                        "comparator": t.comparator,
                        "year": t.target_year,
                        "level": t.level.code,
                        "scope": (
                            {"unit": t.scope_unit.gso_code, "name": t.scope_unit.name}
                            if t.scope_unit is not None
                            else {"commune_group": t.commune_group}
                        ),
                        "milestones": {str(y): _number(v) for y, v in t.milestones.items()},
                    }
                    for t in sorted(
                        ind.targets, key=lambda t: (t.target_year, t.level.rank, t.scope_key)
                    )
                ],
            }
        )
    return rows


@bp.get("/indicators")
def indicators():
    _params("indicators")
    return _json({"data": indicator_rows(get_session())})


def unit_rows(session: so.Session, period: Period) -> list[dict]:
    """Every unit in existence on the period's last day, by level, then GSO code."""
    parent = so.aliased(OrgUnit)
    stmt = (
        sa.select(
            OrgUnit.gso_code,
            OrgUnit.name,
            OrgUnit.kind,
            Level.code,
            parent.gso_code,
            OrgUnit.valid_from,
            OrgUnit.valid_to,
        )
        .select_from(OrgUnit)
        .join(Level, Level.id == OrgUnit.level_id)
        .outerjoin(parent, parent.id == OrgUnit.parent_id)
        .where(OrgUnit.valid_on(period.count_date))
        .order_by(Level.rank, OrgUnit.gso_code, OrgUnit.valid_from)
    )
    return [
        {
            "gso_code": code,
            "name": name,
            "kind": kind,
            "kind_name": _(f"kind.{kind}"),
            "level": level,
            "parent_gso_code": parent_code,
            "valid_from": _date(valid_from),
            "valid_to": _date(valid_to),
        }
        for code, name, kind, level, parent_code, valid_from, valid_to in session.execute(stmt)
    ]


@bp.get("/units")
def units():
    params = _params("units")
    session = get_session()
    period = _period(session, params.get("period"))
    rows = unit_rows(session, period)
    if params.get("format") == "csv":
        return _csv(rows, UNIT_FIELDS, f"units-{period.code}.csv")
    return _json(
        {
            "period": period.code,
            **_period_fields(period),
            "period_name": periods.label(period),
            "data": rows,
        }
    )


@bp.get("/openapi.json")
def openapi():
    _params("openapi")
    return _json(openapi_document())


# --- the OpenAPI document --------------------------------------------------------------------


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def _parameter(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def openapi_document() -> dict:
    """The OpenAPI 3.1 description of the API, its texts in the request's language."""
    ok = _("api.doc.response.ok")
    cache_headers = {
        "ETag": {"$ref": "#/components/headers/ETag"},
        "Cache-Control": {"$ref": "#/components/headers/CacheControl"},
        "Access-Control-Allow-Origin": {"$ref": "#/components/headers/AllowOrigin"},
    }
    errors = {
        "304": {"$ref": "#/components/responses/NotModified"},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "429": {"$ref": "#/components/responses/TooManyRequests"},
    }

    def params(*names: str) -> list[dict]:
        return [{"$ref": f"#/components/parameters/{name}"} for name in names]

    def json_ok(schema: str, csv: bool = False) -> dict:
        content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
        if csv:
            content["text/csv"] = {"schema": {"type": "string"}}
        return {"description": ok, "headers": cache_headers, "content": content}

    period_properties = {
        "period_kind": {
            "type": "string",
            "enum": list(PERIOD_KINDS),
            "description": _("period_kinds.api.field.period_kind"),
        },
        "period_start": {
            "type": "string",
            "format": "date",
            "description": _("period_kinds.api.field.period_start"),
        },
        "period_end": {
            "type": "string",
            "format": "date",
            "description": _("period_kinds.api.field.period_end"),
        },
    }
    period_name = {"type": "string", "description": _("period_kinds.api.field.period_name")}
    kpi_properties = {
        "code": {"type": "string"},
        "pillar": {"type": "string", "enum": list(PILLARS)},
        "name_vi": {"type": "string"},
        "name_en": {"type": "string"},
        "value": _nullable("number", description=_("api.doc.field.value")),
        "numerator": _nullable("number"),
        "denominator": _nullable("number"),
        "units_expected": {
            "type": "integer",
            "minimum": 0,
            "description": _("api.doc.field.units_expected"),
        },
        "units_reported": {
            "type": "integer",
            "minimum": 0,
            "description": _("api.doc.field.units_reported"),
        },
        "units_approved": _nullable(
            "integer", minimum=0, description=_("api.doc.field.units_approved")
        ),
        "target": _nullable("number"),
        "met": _nullable("boolean", description=_("api.doc.field.met")),
        "period": {"type": "string"},
        "counted_on": {
            "type": "string",
            "format": "date",
            "description": _("api.doc.field.counted_on"),
        },
        "as_of": _nullable("string", format="date-time", description=_("api.doc.field.as_of")),
        "name": {"type": "string"},
        "district": _nullable("string"),
        "value_kind": {"type": "string", "enum": ["percent", "count"]},
        "published": {"type": "boolean", "description": _("api.doc.field.published")},
        "target_year": _nullable("integer"),
        **period_properties,
    }
    indicator_properties = {
        "code": {"type": "string"},
        "pillar": {"type": "string", "enum": list(PILLARS)},
        "name_vi": {"type": "string"},
        "name_en": {"type": "string"},
        "name": {"type": "string"},
        "short_name_vi": {"type": "string"},
        "short_name_en": _nullable("string"),
        "short_name": {"type": "string"},
        "level": {"type": "string"},
        "extra_level": _nullable("string"),
        "unit_kinds": {"type": "array", "items": {"type": "string"}},
        "unit": _nullable("string"),
        "value_type": {"type": "string", "enum": list(VALUE_TYPES)},
        "rollup": {"type": "string", "enum": list(ROLLUPS)},
        "value_kind": {"type": "string", "enum": ["percent", "count"]},
        "denominator_rule": {"type": "string", "enum": ["reported", "expected"]},
        "legal_basis": _nullable("string"),
        "valid_from": {"type": "string", "format": "date"},
        "valid_to": _nullable("string", format="date"),
        "targets": {"type": "array", "items": {"$ref": "#/components/schemas/Target"}},
    }
    unit_properties = {
        "gso_code": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"type": "string"},
        "kind_name": {"type": "string"},
        "level": {"type": "string"},
        "parent_gso_code": _nullable("string"),
        "valid_from": {"type": "string", "format": "date"},
        "valid_to": _nullable("string", format="date"),
    }

    def obj(properties: dict) -> dict:
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }

    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("api.doc.title"),
            "version": "1.0.0",
            "description": _("api.doc.description"),
        },
        "servers": [{"url": API_PREFIX}],
        "paths": {
            "/kpis": {
                "get": {
                    "operationId": "getKpis",
                    "summary": _("api.doc.kpis.summary"),
                    "description": _("api.doc.kpis.description"),
                    "parameters": params("period", "district", "format", "lang"),
                    "responses": {"200": json_ok("KpiList", csv=True), **errors},
                }
            },
            "/indicators": {
                "get": {
                    "operationId": "getIndicators",
                    "summary": _("api.doc.indicators.summary"),
                    "description": _("api.doc.indicators.description"),
                    "parameters": params("lang"),
                    "responses": {"200": json_ok("IndicatorList"), **errors},
                }
            },
            "/units": {
                "get": {
                    "operationId": "getUnits",
                    "summary": _("api.doc.units.summary"),
                    "description": _("api.doc.units.description"),
                    "parameters": params("period", "format", "lang"),
                    "responses": {"200": json_ok("UnitList", csv=True), **errors},
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": _("api.doc.openapi.summary"),
                    "parameters": params("lang"),
                    "responses": {
                        "200": {
                            "description": ok,
                            "headers": cache_headers,
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        **errors,
                    },
                }
            },
        },
        "components": {
            "parameters": {
                "period": _parameter(
                    "period",
                    _("api.doc.param.period"),
                    {
                        "type": "string",
                        "pattern": PERIOD_PATTERN,
                        "examples": ["2024", "2026-H1", "2026-Q3"],
                    },
                    required=True,
                ),
                "district": _parameter(
                    "district",
                    _("api.doc.param.district"),
                    {"type": "string", "pattern": "^[0-9]+$", "examples": ["622"]},
                ),
                "format": _parameter(
                    "format",
                    _("api.doc.param.format"),
                    {"type": "string", "enum": list(FORMATS), "default": "json"},
                ),
                "lang": _parameter(
                    "lang",
                    _("api.doc.param.lang"),
                    {"type": "string", "enum": list(LANGUAGES), "default": "vi"},
                ),
            },
            "headers": {
                "ETag": {"schema": {"type": "string"}},
                "CacheControl": {"schema": {"type": "string", "examples": [CACHE_CONTROL]}},
                "AllowOrigin": {"schema": {"type": "string", "const": "*"}},
                "RetryAfter": {"schema": {"type": "integer", "minimum": 1}},
            },
            "responses": {
                "NotModified": {
                    "description": _("api.doc.response.not_modified"),
                    "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
                },
                "BadRequest": {
                    "description": _("api.doc.response.bad_request"),
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "TooManyRequests": {
                    "description": _("api.doc.response.rate_limited"),
                    "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}},
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}, "field": {"type": "string"}},
                    "required": ["error"],
                    "additionalProperties": False,
                },
                "Kpi": obj(kpi_properties),
                "KpiList": obj(
                    {
                        "period": {"type": "string"},
                        "counted_on": {"type": "string", "format": "date"},
                        "district": _nullable("string"),
                        "as_of": _nullable("string", format="date-time"),
                        "data_updated_at": _nullable("string", format="date-time"),
                        **period_properties,
                        "period_name": period_name,
                        "data": {"type": "array", "items": {"$ref": "#/components/schemas/Kpi"}},
                    }
                ),
                "Target": obj(
                    {
                        "value": {"type": "number"},
                        "comparator": {"type": "string"},
                        "year": {"type": "integer"},
                        "level": {"type": "string"},
                        "scope": {  # one unit (its GSO code and name) or a commune group
                            "type": "object",
                            "properties": {
                                "unit": {"type": "string"},
                                "name": {"type": "string"},
                                "commune_group": {"type": "string"},
                            },
                            "additionalProperties": False,
                        },
                        "milestones": {
                            "type": "object",
                            "additionalProperties": {"type": "number"},
                        },
                    }
                ),
                "Indicator": obj(indicator_properties),
                "IndicatorList": obj(
                    {
                        "data": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Indicator"},
                        }
                    }
                ),
                "Unit": obj(unit_properties),
                "UnitList": obj(
                    {
                        "period": {"type": "string"},
                        **period_properties,
                        "period_name": period_name,
                        "data": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}},
                    }
                ),
            },
        },
    }


# --- set-up ----------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Register the API and limit it per client address to `API_RATE_LIMIT` requests, counted
    across all its endpoints by the application's limiter (Redis when configured)."""
    app.register_blueprint(bp)
    limiter = app.extensions.get("login_limiter")
    if limiter is None:
        return
    rate = app.config.get("API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    try:
        parse_many(rate)
    except ValueError as exc:
        raise ConfigError(
            f"API_RATE_LIMIT must be a rate limit such as '120 per minute'; got {rate!r}."
        ) from exc
    limiter.shared_limit(rate, scope="api-v1", key_func=get_remote_address)(bp)
