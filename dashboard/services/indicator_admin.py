"""The Coordination Office's indicator sets: an indicator of a programme (the 2026-2035 commune
criteria among them) created, changed and ended as data, by the office only.

Every command checks `policy.raise_for_administer`, validates its input with Vietnamese
messages (a `ValidationError` whose keys are the fields below), changes inside one transaction
and writes an audit row with the indicator before and after. The rules of each field are those
of the shipped file (`metadata.check_field`, `metadata.check_counting`, `metadata.check_text`,
`metadata.check_criterion`), plus what only the database knows: the programme and its span,
the levels in force, the unit kinds of a level, the values and targets already stored.

Fields (keyword arguments): `code` (creation only: it never changes), `programme` (a programme's
code), `criterion` (the number of one of the programme's criteria, `reference.criteria`),
`pillar`, `name_vi`, `name_en`, `short_vi`, `short_en`, `level`, `extra_level`, `unit_kinds`
(comma-separated or a list), `value_type`, `rollup`, `source`, `source_filter`,
`denominator_rule`, `unit`, `legal_basis` (blank: the criterion's), `valid_from`, `valid_to`
(blank: the programme's first and last day), and the meaning texts `<field>_<lang>` of
`metadata.FIELDS` × `metadata.LANGS` (`definition_vi`, `method_en`…; blank removes one).

Once values or targets exist, the fields that decide what is counted (`LOCKED`) are refused:
the office ends the indicator and creates another. The validity may change, but it must keep
every period with stored values and every target year in force, so nothing stored stops
counting without a word. An indicator created or changed here is marked
(`metadata.EDITED_BY_OFFICE`): the seed leaves it as the office made it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.auth import policy
from dashboard.errors import Conflict, NotFound, ValidationError
from dashboard.i18n import _, fmt_date, fmt_number
from dashboard.models import Indicator, IndicatorValue, Level, OrgUnit, Period, Programme, Target
from dashboard.models.indicators import PILLARS, VALUE_TYPES
from dashboard.services import audit, metadata, reference
from dashboard.services.parsing import FieldError, parse_date, parse_number, parse_text
from dashboard.services.registry_specs import REGISTRIES

# Free text, with the file's limits (`metadata.ITEM_FIELDS`).
TEXTS = ("name_vi", "name_en", "short_vi", "short_en", "unit", "legal_basis")
# Values chosen from a list, checked by the file's rules.
CHOICES = ("pillar", "level", "extra_level", "value_type", "rollup", "source", "denominator_rule")
# The fields that decide what is counted: refused once values or targets exist.
LOCKED = (
    "programme",
    "value_type",
    "rollup",
    "source",
    "source_filter",
    "level",
    "extra_level",
    "unit_kinds",
    "denominator_rule",
)
MEANING = tuple(f"{name}_{lang}" for name in metadata.FIELDS for lang in metadata.LANGS)
FIELDS = (
    "programme",
    "criterion",
    *TEXTS,
    *CHOICES,
    "unit_kinds",
    "source_filter",
    "valid_from",
    "valid_to",
    *MEANING,
)
# What the file's check calls a field named otherwise here.
SPEC_NAMES = {"denominator_rule": "denominator"}
# Required when an indicator is created (the others have a default).
REQUIRED = ("code", "programme", "pillar", "name_vi", "name_en", "short_vi", "level")
REQUIRED += ("value_type", "rollup")
SOURCES = ("values", *REGISTRIES)

# Each field's label in messages.
LABELS = {
    "code": "indicator_admin.field.code",
    "programme": "indicator_admin.field.programme",
    "criterion": "indicator_admin.field.criterion",
    "pillar": "indicator_admin.field.pillar",
    "name_vi": "indicator_admin.field.name_vi",
    "name_en": "indicator_admin.field.name_en",
    "short_vi": "indicator_admin.field.short_vi",
    "short_en": "indicator_admin.field.short_en",
    "level": "indicator_admin.field.level",
    "extra_level": "indicator_admin.field.extra_level",
    "unit_kinds": "indicator_admin.field.unit_kinds",
    "value_type": "indicator_admin.field.value_type",
    "rollup": "indicator_admin.field.rollup",
    "source": "indicator_admin.field.source",
    "source_filter": "indicator_admin.field.source_filter",
    "denominator_rule": "indicator_admin.field.denominator_rule",
    "unit": "indicator_admin.field.unit",
    "legal_basis": "common.legal_basis",
    "valid_from": "indicator_admin.field.valid_from",
    "valid_to": "indicator_admin.field.valid_to",
    "definition": "meaning.field.definition",
    "numerator": "meaning.field.numerator",
    "denominator": "meaning.field.denominator",
    "method": "meaning.field.method",
    "source_text": "meaning.field.source",
    "agency": "meaning.field.agency",
    "frequency": "meaning.field.frequency",
}
VALUE_TYPE_LABELS = {
    "boolean": "indicator_admin.value_type.boolean",
    "ratio": "indicator_admin.value_type.ratio",
    "count": "indicator_admin.value_type.count",
    "category": "indicator_admin.value_type.category",
}
ROLLUP_LABELS = {
    "share_meeting": "indicator_admin.rollup.share_meeting",
    "ratio_of_sums": "indicator_admin.rollup.ratio_of_sums",
    "sum": "indicator_admin.rollup.sum",
    "share_with_rows": "indicator_admin.rollup.share_with_rows",
    "share_of_rows": "indicator_admin.rollup.share_of_rows",
    "count_rows": "indicator_admin.rollup.count_rows",
}
DENOMINATOR_LABELS = {
    "reported": "indicator_admin.denominator.reported",
    "expected": "indicator_admin.denominator.expected",
}
LANG_LABELS = {"vi": "indicator_admin.lang.vi", "en": "indicator_admin.lang.en"}


def label(name: str) -> str:
    """A field's label; a meaning text's with its language: "Định nghĩa (tiếng Việt)"."""
    if name in MEANING:
        field, lang = name.rsplit("_", 1)
        key = LABELS["source_text" if field == "source" else field]
        return f"{_(key)} ({_(LANG_LABELS[lang])})"
    return _(LABELS[name])


def value_type_label(value: str) -> str:
    return _(VALUE_TYPE_LABELS[value]) if value in VALUE_TYPE_LABELS else value


def rollup_label(value: str) -> str:
    return _(ROLLUP_LABELS[value]) if value in ROLLUP_LABELS else value


def source_label(value: str) -> str:
    return _("indicator_admin.source.values") if value == "values" else _(f"registry.{value}")


def _message(name: str, problem: metadata.Problem) -> str:
    """A rule's `Problem` in Vietnamese, for the field `name` of the form."""
    d = problem.detail
    kind = problem.kind
    if kind in ("missing", "empty"):
        return _("validation.required", field=label(name))
    if kind == "too_long":
        return _("validation.too_long", field=label(name), max=d["max"])
    if kind == "code":
        return _("indicator_admin.bad_code")
    if kind == "kinds":
        return _("indicator_admin.bad_kind", kind=d["value"])
    if kind == "rollup":
        allowed = ", ".join(rollup_label(r) for r in d["allowed"].split(", "))
        return _(
            "indicator_admin.bad_rollup",
            rollup=rollup_label(d["rollup"]),
            source=source_label(d["source"]),
            allowed=allowed,
        )
    if kind == "pairing":
        return _(
            "indicator_admin.bad_pairing",
            rollup=rollup_label(d["rollup"]),
            needs=value_type_label(d["needs"]),
        )
    if kind == "filter":
        known = ", ".join(REGISTRIES[d["source"]].conditions) if d["source"] in REGISTRIES else ""
        if not known:
            return _("indicator_admin.bad_filter_none", source=source_label(d["source"]))
        return _("indicator_admin.bad_filter", source=source_label(d["source"]), known=known)
    if kind == "level":
        return _(
            "indicator_admin.bad_registry_level",
            source=source_label(d["source"]),
            level=_(f"level.{d['level']}"),
        )
    if kind == "criterion":
        return _("indicator_admin.bad_criterion")
    return _("validation.bad_choice", field=label(name))


# --- reading the input ------------------------------------------------------------------------


def _text(raw) -> object:
    """A form value: text trimmed, None as empty; anything else as sent (the rules refuse it)."""
    if raw is None:
        return ""
    return raw.strip() if isinstance(raw, str) else raw


def _kinds(raw) -> object:
    """Unit kinds as stored: "xa,phuong" from a list or comma-separated text, each once."""
    if isinstance(raw, list | tuple):
        if not all(isinstance(k, str) for k in raw):
            return raw
        parts = list(raw)
    else:
        text = _text(raw)
        if not isinstance(text, str):
            return text
        parts = text.split(",")
    found: list[str] = []
    for part in (p.strip() for p in parts):
        if part and part not in found:
            found.append(part)
    return ",".join(found)


def _checked(name: str, value, errors: dict[str, str]):
    """`value` of a field with a rule in the file's check, or None with the message put under
    `name` in `errors`."""
    problem = metadata.check_field(SPEC_NAMES.get(name, name), value)
    if problem is not None:
        errors[name] = _message(name, problem)
        return None
    return value


def _free_text(name: str, raw, errors: dict[str, str], limit: int) -> str | None:
    try:
        return parse_text(raw, label(name), required=False, max_length=limit) or ""
    except FieldError as exc:
        errors[name] = exc.message
        return None


def _date(name: str, raw, errors: dict[str, str]) -> dt.date | None:
    try:
        return parse_date(raw, label(name), required=False)
    except FieldError as exc:
        errors[name] = exc.message
        return None


def _criterion(raw, errors: dict[str, str]) -> int | None:
    text = _text(raw)
    if text == "":
        return None
    try:
        return int(parse_number(text, label("criterion"), integer=True, minimum=1))
    except FieldError:
        errors["criterion"] = _("indicator_admin.bad_criterion")
        return None


def _read(given: dict, errors: dict[str, str]) -> dict:
    """The fields given, each read and checked alone (the checks between fields follow)."""
    out: dict = {}
    for name, raw in given.items():
        if name in TEXTS:
            value = _free_text(name, raw, errors, metadata.ITEM_FIELDS[name][2])
            if value is not None:
                out[name] = _checked(name, value, errors)
        elif name in CHOICES:
            value = _text(raw)
            if value == "" and name == "extra_level":
                out[name] = None
            elif value == "" and name in ("source", "denominator_rule"):
                out[name] = "values" if name == "source" else "reported"
            elif value == "":
                errors[name] = _("validation.required", field=label(name))
            else:
                out[name] = _checked(name, value, errors)
        elif name == "unit_kinds":
            out[name] = _checked(name, _kinds(raw), errors)
        elif name == "source_filter":
            out[name] = _checked(name, _text(raw), errors)
        elif name == "programme":
            value = _text(raw)
            out[name] = value if isinstance(value, str) else None
            if not isinstance(value, str):
                errors[name] = _("validation.bad_choice", field=label(name))
        elif name == "criterion":
            out[name] = _criterion(raw, errors)
        elif name in ("valid_from", "valid_to"):
            out[name] = _date(name, raw, errors)
        elif name in MEANING:
            value = _free_text(name, raw, errors, metadata.MAX_TEXT)
            if value is not None:
                out[name] = value
    return {name: value for name, value in out.items() if name not in errors}


# --- the indicator as the form and the audit see it -------------------------------------------


def _meaning(ind: Indicator) -> dict[str, str]:
    stored = metadata.stored(ind)
    out = {}
    for lang in metadata.LANGS:
        texts = stored.get(lang) or {}
        for name in metadata.FIELDS:
            if texts.get(name):
                out[f"{name}_{lang}"] = texts[name]
    return out


def current(ind: Indicator) -> dict:
    """The indicator's fields as this module names them."""
    return {
        "code": ind.code,
        "programme": ind.programme.code if ind.programme is not None else "",
        "criterion": metadata.criterion_of(ind),
        "pillar": ind.pillar,
        "name_vi": ind.name_vi,
        "name_en": ind.name_en,
        "short_vi": ind.short_vi,
        "short_en": ind.short_en or "",
        "level": ind.level.code,
        "extra_level": ind.extra_level.code if ind.extra_level is not None else None,
        "unit_kinds": ind.unit_kinds or "",
        "value_type": ind.value_type,
        "rollup": ind.rollup,
        "source": ind.source,
        "source_filter": ind.source_filter or "",
        "denominator_rule": ind.denominator_rule,
        "unit": ind.unit or "",
        "legal_basis": ind.legal_basis or "",
        "valid_from": ind.valid_from,
        "valid_to": ind.valid_to,
        **_meaning(ind),
    }


def snapshot(ind: Indicator) -> dict:
    """What the audit records of an indicator: its fields, the validity as `start` / `end`."""
    fields = current(ind)
    fields["start"] = fields.pop("valid_from")
    fields["end"] = fields.pop("valid_to")
    return {name: value for name, value in fields.items() if value not in (None, "")}


# --- the checks between fields ----------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """What is already stored for an indicator: values (by period) and targets (by year)."""

    values: int
    periods: tuple[Period, ...]
    target_years: tuple[int, ...]

    @property
    def any(self) -> bool:
        return bool(self.values or self.target_years)


def stored(session: so.Session, ind: Indicator | None) -> Stored:
    if ind is None or ind.id is None:
        return Stored(0, (), ())
    count = session.scalar(
        sa.select(sa.func.count(IndicatorValue.id)).where(IndicatorValue.indicator_id == ind.id)
    )
    periods = session.scalars(
        sa.select(Period)
        .where(
            Period.id.in_(
                sa.select(IndicatorValue.period_id).where(IndicatorValue.indicator_id == ind.id)
            )
        )
        .order_by(Period.start_date)
    ).all()
    years = session.scalars(
        sa.select(Target.target_year)
        .where(Target.indicator_id == ind.id)
        .distinct()
        .order_by(Target.target_year)
    ).all()
    return Stored(int(count or 0), tuple(periods), tuple(years))


def _level(session: so.Session, code: str | None) -> Level | None:
    if not code:
        return None
    return session.scalar(sa.select(Level).where(Level.code == code))


def _check_levels(session, merged: dict, errors: dict[str, str]) -> tuple[Level, Level | None]:
    """The levels exist and are in force on the indicator's first day; its unit kinds are
    kinds of units of its level."""
    level = _level(session, merged["level"])
    extra = _level(session, merged["extra_level"])
    first = merged["valid_from"]
    for name, found in (("level", level), ("extra_level", extra)):
        if merged[name] and found is None:
            errors[name] = _("validation.bad_choice", field=label(name))
        elif found is not None and first is not None and not found.is_valid_on(first):
            errors[name] = _(
                "indicator_admin.level_ended",
                level=_(f"level.{found.code}"),
                date=fmt_date(found.valid_to),
            )
    if level is not None and merged["unit_kinds"] and "unit_kinds" not in errors:
        kinds = set(
            session.scalars(sa.select(OrgUnit.kind).where(OrgUnit.level_id == level.id).distinct())
        )
        for kind in merged["unit_kinds"].split(","):
            if kind not in kinds:
                errors["unit_kinds"] = _(
                    "indicator_admin.kind_not_at_level",
                    kind=_(f"kind.{kind}"),
                    level=_(f"level.{level.code}"),
                )
                break
    return level, extra


def _check_validity(
    programme: Programme, merged: dict, kept: Stored, errors: dict[str, str]
) -> None:
    """Inside the programme, in order, and keeping every stored value and target in force."""
    start, end = merged["valid_from"], merged["valid_to"]
    if start is None or end is None:
        return
    if end < start:
        errors["valid_to"] = _("validation.date_order")
        return
    span = {"start": fmt_date(programme.start_date), "end": fmt_date(programme.end_date)}
    if start < programme.start_date or start > programme.end_date:
        errors["valid_from"] = _("indicator_admin.outside_programme", **span)
    if end > programme.end_date:
        errors["valid_to"] = _("indicator_admin.outside_programme", **span)
    validity = SimpleNamespace(valid_from=start, valid_to=end)
    for period in kept.periods:
        if not scope.in_force(validity, period.start_date, period.end_date):
            errors.setdefault(
                "valid_to" if period.start_date > end else "valid_from",
                _("indicator_admin.validity_drops_values", period=period.code),
            )
    for year in kept.target_years:
        if not scope.in_force(validity, dt.date(year, 1, 1), dt.date(year, 12, 31)):
            errors.setdefault(
                "valid_to" if year > end.year else "valid_from",
                _("indicator_admin.validity_drops_targets", year=year),
            )


def _check_together(session, merged: dict, errors: dict[str, str], kept: Stored):
    """The checks between fields; returns (programme, level, extra level)."""
    programme = None
    if merged.get("programme"):
        programme = session.scalar(
            sa.select(Programme).where(Programme.code == merged["programme"])
        )
        if programme is None:
            errors["programme"] = _("indicator_admin.unknown_programme")
    if programme is not None:
        if merged["valid_from"] is None:
            merged["valid_from"] = programme.start_date
        if merged["valid_to"] is None:
            merged["valid_to"] = programme.end_date
        if merged["criterion"] is not None:
            if metadata.check_criterion(programme.code, merged["criterion"]) is not None:
                errors["criterion"] = _("indicator_admin.bad_criterion")
            elif not merged["legal_basis"]:
                found = reference.criterion(programme.code, merged["criterion"])
                merged["legal_basis"] = found.legal_basis
        _check_validity(programme, merged, kept, errors)
    if not merged["legal_basis"] and "legal_basis" not in errors:
        errors["legal_basis"] = _("indicator_admin.legal_basis_needed")
    level, extra = _check_levels(session, merged, errors)
    counting = ("source", "source_filter", "value_type", "rollup", "level", "extra_level")
    if not any(name in errors for name in counting) and merged["level"]:
        problem = metadata.check_counting(
            source=merged["source"],
            source_filter=merged["source_filter"],
            value_type=merged["value_type"],
            rollup=merged["rollup"],
            levels=tuple(x for x in (merged["level"], merged["extra_level"]) if x),
        )
        if problem is not None:
            name = "level" if problem.field == "level" else problem.field
            errors[name] = _message(name, problem)
    return programme, level, extra


# --- the commands -------------------------------------------------------------------------------


def _unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    extra = sorted(set(fields) - set(allowed))
    if extra:
        raise TypeError(f"unknown indicator fields: {', '.join(extra)}")


def _require(names, given: dict, errors: dict[str, str]) -> None:
    for name in names:
        if not given.get(name) and name not in errors:
            errors[name] = _("validation.required", field=label(name))


def get(session: so.Session, code) -> Indicator:
    ind = session.scalar(sa.select(Indicator).where(Indicator.code == str(code or "").strip()))
    if ind is None:
        raise NotFound(_("validation.unknown_indicator"))
    return ind


def _apply(ind: Indicator, merged: dict, programme, level, extra) -> None:
    ind.programme = programme
    ind.level = level
    ind.extra_level = extra
    for name in TEXTS:
        setattr(ind, name, merged[name])
    for name in ("pillar", "value_type", "rollup", "source", "source_filter", "unit_kinds"):
        setattr(ind, name, merged[name])
    ind.denominator_rule = merged["denominator_rule"]
    ind.valid_from, ind.valid_to = merged["valid_from"], merged["valid_to"]
    meta = metadata.stored(ind)
    for name in MEANING:
        field, lang = name.rsplit("_", 1)
        texts = meta.setdefault(lang, {})
        if merged.get(name):
            texts[field] = merged[name]
        else:
            texts.pop(field, None)
    if merged["criterion"] is None:
        meta.pop(metadata.CRITERION, None)
    else:
        meta[metadata.CRITERION] = merged["criterion"]
    meta[metadata.EDITED_BY_OFFICE] = True
    ind.meta = metadata.meta_json(meta)


def _flush(session: so.Session) -> None:
    try:
        session.flush()
    except sa.exc.IntegrityError:  # the same code saved by someone else at the same moment
        session.rollback()
        raise Conflict(_("validation.conflict")) from None


def create_indicator(session: so.Session, actor, **fields) -> Indicator:
    """A new indicator of a programme (see the module for the fields): the office only."""
    policy.raise_for_administer(actor)
    _unknown(fields, ("code", *FIELDS))
    errors: dict[str, str] = {}
    given = _read(fields, errors)
    code = _text(fields.get("code"))
    if isinstance(code, str):
        code = code.upper()
    code = _checked("code", code, errors) if code != "" else None
    _require(REQUIRED, {**given, "code": code}, errors)
    if code and session.scalar(sa.select(Indicator.id).where(Indicator.code == code)):
        errors["code"] = _("indicator_admin.code_taken", code=code)
    merged = {
        "criterion": None,
        "extra_level": None,
        "unit_kinds": "",
        "source": "values",
        "source_filter": "",
        "denominator_rule": "reported",
        "short_en": "",
        "unit": "",
        "legal_basis": "",
        "valid_from": None,
        "valid_to": None,
        "name_en": "",
        **{name: None for name in ("programme", "pillar", "name_vi", "short_vi")},
        **{name: None for name in ("level", "value_type", "rollup")},
        **given,
    }
    if not errors:
        programme, level, extra = _check_together(session, merged, errors, stored(session, None))
    if errors:
        raise ValidationError(errors)
    order = session.scalar(sa.select(sa.func.max(Indicator.display_order))) or 0
    ind = Indicator(code=code, display_order=order + 1, meta="{}")
    _apply(ind, merged, programme, level, extra)
    session.add(ind)
    _flush(session)
    audit.record(
        session,
        actor,
        "indicator.indicator_create",
        "indicator",
        entity_id=ind.id,
        indicator_code=ind.code,
        after=snapshot(ind),
    )
    session.commit()
    return ind


def update_indicator(session: so.Session, actor, code, **fields) -> Indicator:
    """Change the fields given of an indicator (the others stay): the office only. The fields
    that decide what is counted are refused once values or targets exist."""
    policy.raise_for_administer(actor)
    _unknown(fields, FIELDS)
    ind = get(session, code)
    errors: dict[str, str] = {}
    given = _read(fields, errors)
    _require([name for name in REQUIRED if name in fields], given, errors)
    before = current(ind)
    merged = {**before, **given}
    kept = stored(session, ind)
    changed = [name for name in LOCKED if name in given and given[name] != before[name]]
    if kept.any and changed:
        reason = _(
            "indicator_admin.locked",
            code=ind.code,
            values=fmt_number(kept.values),
            targets=fmt_number(len(kept.target_years)),
        )
        for name in changed:
            errors[name] = reason
    if not errors:
        programme, level, extra = _check_together(session, merged, errors, kept)
    if errors:
        raise ValidationError(errors)
    recorded = snapshot(ind)
    _apply(ind, merged, programme, level, extra)
    _flush(session)
    audit.record(
        session,
        actor,
        "indicator.indicator_update",
        "indicator",
        entity_id=ind.id,
        indicator_code=ind.code,
        before=recorded,
        after=snapshot(ind),
    )
    session.commit()
    return ind


def end_indicator(session: so.Session, actor, code, valid_to) -> Indicator:
    """End an indicator's validity on `valid_to` (it is not counted in periods after it): the
    office only; refused when a period with stored values or a target year would fall after
    it, or outside the programme."""
    policy.raise_for_administer(actor)
    ind = get(session, code)
    errors: dict[str, str] = {}
    try:
        end = parse_date(valid_to, label("valid_to"))
    except FieldError as exc:
        raise ValidationError({"valid_to": exc.message}) from None
    merged = {**current(ind), "valid_to": end}
    if ind.programme is None:
        errors["programme"] = _("indicator_admin.unknown_programme")
    else:
        _check_validity(ind.programme, merged, stored(session, ind), errors)
    if errors:
        raise ValidationError(errors)
    recorded = snapshot(ind)
    ind.valid_to = end
    meta = metadata.stored(ind)
    meta[metadata.EDITED_BY_OFFICE] = True
    ind.meta = metadata.meta_json(meta)
    _flush(session)
    audit.record(
        session,
        actor,
        "indicator.indicator_end",
        "indicator",
        entity_id=ind.id,
        indicator_code=ind.code,
        before=recorded,
        after=snapshot(ind),
    )
    session.commit()
    return ind


# --- what the page shows ----------------------------------------------------------------------


def programmes(session: so.Session) -> list[Programme]:
    return list(session.scalars(sa.select(Programme).order_by(Programme.start_date)))


def default_programme(session: so.Session, today: dt.date) -> Programme | None:
    """The programme in force `today`, else the latest."""
    found = programmes(session)
    in_force = [p for p in found if p.start_date <= today <= p.end_date]
    return (in_force or found or [None])[-1]


def criterion_text(programme_code: str | None, number: int | None) -> str:
    found = reference.criterion(programme_code, number)
    return found.label if found is not None else ""


def validity_text(ind: Indicator) -> str:
    end = fmt_date(ind.valid_to) if ind.valid_to else _("indicator_admin.open_end")
    return f"{fmt_date(ind.valid_from)} – {end}"


def rows(session: so.Session, actor, programme_code: str | None) -> list[dict]:
    """The indicators of a programme for the page's grid: code, names, criterion, pillar,
    level, validity, how many values and targets are stored, whether the office changed it."""
    policy.raise_for_administer(actor)
    counts = dict(
        session.execute(
            sa.select(IndicatorValue.indicator_id, sa.func.count(IndicatorValue.id)).group_by(
                IndicatorValue.indicator_id
            )
        ).all()
    )
    targets = dict(
        session.execute(
            sa.select(Target.indicator_id, sa.func.count(Target.id)).group_by(Target.indicator_id)
        ).all()
    )
    stmt = (
        sa.select(Indicator)
        .join(Programme, Programme.id == Indicator.programme_id)
        .where(Programme.code == str(programme_code or ""))
        .order_by(Indicator.display_order, Indicator.code)
    )
    from dashboard.services.indicators import level_text

    out = []
    for ind in session.scalars(stmt):
        number = metadata.criterion_of(ind)
        out.append(
            {
                "code": ind.code,
                "name": ind.name,
                "criterion": criterion_text(programme_code, number),
                "criterion_number": number,
                "pillar": _(f"pillar.{ind.pillar}") if ind.pillar in PILLARS else ind.pillar,
                "level": level_text(ind),
                "validity": validity_text(ind),
                "values": int(counts.get(ind.id, 0)),
                "targets": int(targets.get(ind.id, 0)),
                "office": _("common.yes") if metadata.edited_by_office(ind) else "",
            }
        )
    return out


def form_values(session: so.Session, actor, code) -> dict:
    """The indicator as the form shows it (dates ISO, kinds a list, the criterion a number);
    `locked` when values or targets exist."""
    policy.raise_for_administer(actor)
    ind = get(session, code)
    values = current(ind)
    values["valid_from"] = ind.valid_from.isoformat()
    values["valid_to"] = ind.valid_to.isoformat() if ind.valid_to else ""
    values["unit_kinds"] = list(ind.kinds)
    values["extra_level"] = values["extra_level"] or ""
    for name in MEANING:
        values.setdefault(name, "")
    values["locked"] = stored(session, ind).any
    return values


def choice_options() -> dict[str, list[dict]]:
    """The options of the form's lists, labelled in the request's language."""
    return {
        "pillar": [{"label": _(f"pillar.{p}"), "value": p} for p in PILLARS],
        "level": [{"label": _(f"level.{lv}"), "value": lv} for lv in metadata.LEVELS],
        "value_type": [
            {"label": value_type_label(v), "value": v} for v in VALUE_TYPES if v != "category"
        ],
        "rollup": [{"label": rollup_label(r), "value": r} for r in ROLLUP_LABELS],
        "source": [{"label": source_label(s), "value": s} for s in SOURCES],
        "denominator_rule": [
            {"label": _(key), "value": rule} for rule, key in DENOMINATOR_LABELS.items()
        ],
        "unit_kinds": [{"label": _(f"kind.{k}"), "value": k} for k in metadata.unit_kinds()],
    }


def criterion_options(programme_code: str | None) -> list[dict]:
    return [{"label": c.label, "value": c.number} for c in reference.criteria(programme_code)]
