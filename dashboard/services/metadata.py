"""What each indicator means, and the check of `indicators.json` when it is loaded.

Every indicator of `dashboard/data/indicators.json` carries `meta`: in Vietnamese and English,
its definition, numerator and denominator (for shares and ratios), method of calculation, data
source, responsible agency and frequency. The legal basis stays in the indicator's own
`legal_basis`. `validate_spec` checks the whole file (every indicator's fields, their types and
allowed values, and `meta`) and raises `IndicatorSpecError` naming the indicator and the field,
so a typo stops `init-db` / `load-demo` instead of becoming a wrong figure. The seed stores the
checked `meta` in `Indicator.meta` (JSON text); `describe` reads it back for the pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache

from dashboard.models.indicators import PILLARS, ROLLUPS, VALUE_TYPES
from dashboard.services.indicators import PERCENT_ROLLUPS

LANGS = ("vi", "en")
FIELDS = ("definition", "numerator", "denominator", "method", "source", "agency", "frequency")
# Shares and ratios (the rollups that give a percent) say what they divide by what.
RATIO_FIELDS = ("numerator", "denominator")
MAX_TEXT = 1200
LEVELS = ("province", "district", "commune")
DENOMINATOR_RULES = ("reported", "expected")

# The fields of one indicator in the file: name → (type, required, max length or allowed values).
_TEXT = str
ITEM_FIELDS: dict[str, tuple[type, bool, object]] = {
    "code": (_TEXT, True, 40),
    "pillar": (_TEXT, True, PILLARS),
    "level": (_TEXT, True, LEVELS),
    "extra_level": (_TEXT, False, LEVELS),
    "unit_kinds": (_TEXT, False, 100),
    "value_type": (_TEXT, True, VALUE_TYPES),
    "rollup": (_TEXT, True, ROLLUPS),
    "source": (_TEXT, False, 32),
    "source_filter": (_TEXT, False, 64),
    "denominator": (_TEXT, False, DENOMINATOR_RULES),
    "unit": (_TEXT, False, 40),
    "short_vi": (_TEXT, True, 120),
    "short_en": (_TEXT, False, 120),
    "name_vi": (_TEXT, True, 300),
    "name_en": (_TEXT, True, 300),
    "legal_basis": (_TEXT, True, 200),
    "targets": (list, True, None),
    "meta": (dict, True, None),
}
TARGET_FIELDS = {"value": ((int, float), True), "year": (int, True), "level": (str, False)}


class IndicatorSpecError(ValueError):
    """`indicators.json` is not what the application needs; the message names the indicator
    and the field."""

    def __init__(self, code: str, field: str, problem: str) -> None:
        self.code = code
        self.field = field
        self.problem = problem
        super().__init__(f"indicators.json: indicator {code}: field {field!r}: {problem}")


def _type_name(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", list: "a list", dict: "an object", int: "a whole number"}
    names[float] = "a number"
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _is(value, kind) -> bool:
    """`isinstance`, where a boolean is not a number."""
    if isinstance(value, bool):
        return kind is bool
    return isinstance(value, kind)


def validate_meta(code: str, rollup: str, meta) -> dict[str, dict[str, str]]:
    """The `meta` of one indicator, checked: both languages, every required field, no unknown
    field, non-empty text of at most `MAX_TEXT` characters."""
    if not isinstance(meta, Mapping):
        raise IndicatorSpecError(code, "meta", "must be an object with 'vi' and 'en'")
    for lang in meta:
        if lang not in LANGS:
            raise IndicatorSpecError(code, f"meta.{lang}", "unknown language (use 'vi', 'en')")
    required = [f for f in FIELDS if f not in RATIO_FIELDS or rollup in PERCENT_ROLLUPS]
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        texts = meta.get(lang)
        if texts is None:
            raise IndicatorSpecError(code, f"meta.{lang}", "missing")
        if not isinstance(texts, Mapping):
            raise IndicatorSpecError(code, f"meta.{lang}", "must be an object of texts")
        for name in texts:
            if name not in FIELDS:
                raise IndicatorSpecError(
                    code, f"meta.{lang}.{name}", f"unknown field (known: {', '.join(FIELDS)})"
                )
        for name in required:
            if name not in texts:
                raise IndicatorSpecError(code, f"meta.{lang}.{name}", "missing")
        for name, text in texts.items():
            where = f"meta.{lang}.{name}"
            if not isinstance(text, str):
                raise IndicatorSpecError(code, where, "must be text")
            if not text.strip():
                raise IndicatorSpecError(code, where, "is empty")
            if len(text) > MAX_TEXT:
                raise IndicatorSpecError(code, where, f"longer than {MAX_TEXT} characters")
        out[lang] = {name: texts[name].strip() for name in FIELDS if name in texts}
    return out


def _check_field(code: str, name: str, value, kind, rule) -> None:
    if not _is(value, kind):
        raise IndicatorSpecError(code, name, f"must be {_type_name(kind)}")
    if kind is str and isinstance(rule, int) and len(value) > rule:
        raise IndicatorSpecError(code, name, f"longer than {rule} characters")
    if isinstance(rule, tuple) and value not in rule:
        raise IndicatorSpecError(code, name, f"{value!r} is not one of {', '.join(rule)}")


def _check_targets(code: str, targets: list) -> None:
    for i, target in enumerate(targets):
        where = f"targets[{i}]"
        if not isinstance(target, Mapping):
            raise IndicatorSpecError(code, where, "must be an object")
        for name in target:
            if name not in TARGET_FIELDS:
                raise IndicatorSpecError(code, f"{where}.{name}", "unknown field")
        for name, (kind, required) in TARGET_FIELDS.items():
            if name not in target:
                if required:
                    raise IndicatorSpecError(code, f"{where}.{name}", "missing")
                continue
            if not _is(target[name], kind):
                raise IndicatorSpecError(code, f"{where}.{name}", f"must be {_type_name(kind)}")
        if "level" in target and target["level"] not in LEVELS:
            raise IndicatorSpecError(code, f"{where}.level", f"{target['level']!r} is unknown")


def validate_indicator(item, position: int, sources: frozenset[str]) -> dict:
    """One indicator of the file, checked; returns it with `meta` normalised."""
    if not isinstance(item, Mapping):
        raise IndicatorSpecError(f"#{position + 1}", "", "must be an object")
    code = item.get("code") if isinstance(item.get("code"), str) else f"#{position + 1}"
    for name in item:
        if name not in ITEM_FIELDS:
            raise IndicatorSpecError(
                code, name, f"unknown field (known: {', '.join(sorted(ITEM_FIELDS))})"
            )
    for name, (kind, required, rule) in ITEM_FIELDS.items():
        if name not in item:
            if required:
                raise IndicatorSpecError(code, name, "missing")
            continue
        _check_field(code, name, item[name], kind, rule)
    if not item["code"].strip():
        raise IndicatorSpecError(code, "code", "is empty")
    source = item.get("source", "values")
    if source not in sources:
        raise IndicatorSpecError(code, "source", f"{source!r} is neither 'values' nor a registry")
    _check_targets(code, item["targets"])
    return {**item, "meta": validate_meta(code, item["rollup"], item["meta"])}


def validate_spec(spec, sources: frozenset[str]) -> list[dict]:
    """The indicators of `indicators.json` (parsed), each checked; `sources` are the allowed
    values of `source` ("values" and the registry names). Raises `IndicatorSpecError`."""
    if not isinstance(spec, Mapping) or not isinstance(spec.get("indicators"), list):
        raise IndicatorSpecError("-", "indicators", "the file must hold a list 'indicators'")
    out: list[dict] = []
    seen: set[str] = set()
    for position, item in enumerate(spec["indicators"]):
        checked = validate_indicator(item, position, sources)
        if checked["code"] in seen:
            raise IndicatorSpecError(checked["code"], "code", "defined twice")
        seen.add(checked["code"])
        out.append(checked)
    return out


def meta_json(meta: Mapping[str, Mapping[str, str]]) -> str:
    """`meta` as stored in `Indicator.meta`: JSON text, UTF-8 kept readable."""
    return json.dumps(meta, ensure_ascii=False, sort_keys=True)


@lru_cache(maxsize=256)
def _parse(text: str) -> dict:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def texts(ind, lang: str) -> dict[str, str]:
    """The stored meaning of `ind` in `lang`, each field falling back to Vietnamese; `{}` when
    the database has not been given the metadata yet (run `ntm-dashboard init-db`)."""
    data = _parse(getattr(ind, "meta", "") or "")
    vi = data.get("vi") or {}
    chosen = data.get(lang) or {}
    out = {}
    for name in FIELDS:
        text = chosen.get(name) or vi.get(name)
        if isinstance(text, str) and text:
            out[name] = text
    return out
