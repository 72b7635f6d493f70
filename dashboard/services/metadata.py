"""What each indicator means, and the rules an indicator's fields must follow.

Every indicator of `dashboard/data/indicators.json` carries `meta`: in Vietnamese and English,
its definition, numerator and denominator (for shares and ratios), method of calculation, data
source, responsible agency and frequency, and optionally the criterion of its programme it
belongs to (`"criterion": 7`, a number of the programme's `criteria` in `structure.json`). The
legal basis stays in the indicator's own `legal_basis`. `validate_spec` checks the whole file
(every indicator's fields, their types and allowed values, how it counts, and `meta`) and raises
`IndicatorSpecError` naming the indicator and the field, so a typo stops `init-db` /
`load-demo` instead of becoming a wrong figure. The seed stores the checked `meta` in
`Indicator.meta` (JSON text); `describe` reads it back for the pages.

The rules are written once, as checks that return a `Problem` (`check_field`,
`check_counting`, `check_text`, `check_criterion`): the file's check turns a problem into an
English error naming the field, the office's indicator form (`services.indicator_admin`) into
a Vietnamese message.

`Indicator.meta` holds two more keys the application writes: `criterion` (above) and
`edited_by_office` (true once the Coordination Office created or changed the indicator: the
seed then leaves it as the office made it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache

from dashboard.models.indicators import PILLARS, ROLLUPS, VALUE_TYPES
from dashboard.services.indicators import PERCENT_ROLLUPS
from dashboard.services.registry_specs import REGISTRIES

LANGS = ("vi", "en")
FIELDS = ("definition", "numerator", "denominator", "method", "source", "agency", "frequency")
# Shares and ratios (the rollups that give a percent) say what they divide by what.
RATIO_FIELDS = ("numerator", "denominator")
MAX_TEXT = 1200
LEVELS = ("province", "district", "commune")
DENOMINATOR_RULES = ("reported", "expected")
# An indicator's code: capital letters and digits, in parts joined by "-" or "_" (GOV-C8_4).
CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)*$")
# The keys of `meta` besides the languages: the criterion (the file may give it) and the
# office's mark (written by the application only).
CRITERION = "criterion"
EDITED_BY_OFFICE = "edited_by_office"

# How each kind of source counts: rollup → the value type it reads. Values reported per unit:
# met / not met, a sum of numerators over a sum of denominators, or a total. Registries: units
# with a matching row, matching rows among rows, or rows.
VALUE_ROLLUPS = {"share_meeting": "boolean", "ratio_of_sums": "ratio", "sum": "count"}
REGISTRY_ROLLUPS = {"share_with_rows": "boolean", "share_of_rows": "boolean", "count_rows": "count"}

# The fields of one indicator in the file: name → (type, required, max length or allowed values).
_TEXT = str
ITEM_FIELDS: dict[str, tuple[type, bool, object]] = {
    "code": (_TEXT, True, 40),
    "programme": (_TEXT, False, 32),
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


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field: `kind` names the rule broken (missing, type, too_long,
    choice, empty, code, kinds, source, pairing, filter, level, criterion), `detail` its
    particulars; `text` says it in English (the file's errors)."""

    field: str
    kind: str
    detail: dict = dataclass_field(default_factory=dict)

    @property
    def text(self) -> str:
        d = self.detail
        if self.kind == "type":
            return f"must be {_type_name(d['expected'])}"
        if self.kind == "too_long":
            return f"longer than {d['max']} characters"
        if self.kind == "choice":
            return f"{d['value']!r} is not one of {', '.join(d['allowed'])}"
        if self.kind == "source":
            return f"{d['value']!r} is neither 'values' nor a registry"
        return _ENGLISH[self.kind].format(**d)


_ENGLISH = {
    "missing": "missing",
    "empty": "is empty",
    "code": "{value!r} is not a code (capital letters and digits, parts joined by - or _)",
    "kinds": "{value!r} is not a known unit kind (known: {allowed})",
    "pairing": "{rollup!r} of {source!r} reads values of type {needs!r}, not {value_type!r}",
    "rollup": "{rollup!r} cannot count {source!r} (use one of {allowed})",
    "filter": "{value!r} is not a filter of {source!r} ({reason})",
    "level": "{source!r} has no rows of units at the {level!r} level",
    "criterion": "{value!r} is not a criterion of programme {programme!r} ({allowed})",
    "unknown_meta": "unknown language (use 'vi', 'en')",
    "unknown_text": "unknown field (known: {allowed})",
    "text": "must be text",
}


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


def unit_kinds() -> tuple[str, ...]:
    """The unit kinds an indicator may count (`Indicator.unit_kinds`): those of the units."""
    from dashboard.services.reference import KIND_SLUGS

    return tuple(KIND_SLUGS.values())


def check_field(name: str, value) -> Problem | None:
    """The rule of one field of `ITEM_FIELDS` for a value given: its type, length, allowed
    values; a code's pattern; known unit kinds (comma-separated)."""
    kind, _required, rule = ITEM_FIELDS[name]
    if not _is(value, kind):
        return Problem(name, "type", {"expected": kind})
    if kind is str and isinstance(rule, int) and len(value) > rule:
        return Problem(name, "too_long", {"max": rule})
    if isinstance(rule, tuple) and value not in rule:
        return Problem(name, "choice", {"value": value, "allowed": rule})
    if name == "code":
        if not value.strip():
            return Problem(name, "empty")
        if not CODE.match(value):
            return Problem(name, "code", {"value": value})
    if name == "unit_kinds" and value:
        known = unit_kinds()
        for part in value.split(","):
            if part not in known:
                return Problem(name, "kinds", {"value": part, "allowed": ", ".join(known)})
    return None


def missing(name: str) -> Problem:
    return Problem(name, "missing")


def check_counting(
    *,
    source: str,
    source_filter: str,
    value_type: str,
    rollup: str,
    levels: tuple[str, ...],
    sources: frozenset[str] = frozenset({"values", *REGISTRIES}),
) -> Problem | None:
    """Whether the engine can count an indicator so described (each field already checked
    alone): the source exists; the rollup is one of the source's and reads the value type
    given; a registry's filter names its conditions (`row filter[:numerator]`, the numerator
    for `share_of_rows` only, and required there); values take no filter; a registry holds
    rows of units at the indicator's `levels`."""
    if source not in sources:
        return Problem("source", "source", {"value": source})
    rollups = VALUE_ROLLUPS if source == "values" else REGISTRY_ROLLUPS
    if rollup not in rollups:
        detail = {"rollup": rollup, "source": source, "allowed": ", ".join(rollups)}
        return Problem("rollup", "rollup", detail)
    if rollups[rollup] != value_type:
        detail = {"rollup": rollup, "source": source, "needs": rollups[rollup]}
        return Problem("value_type", "pairing", {**detail, "value_type": value_type})
    if source == "values":
        if source_filter:
            reason = "values take no filter"
            return Problem("source_filter", "filter", _filter(source_filter, source, reason))
        return None
    spec = REGISTRIES[source]
    row_filter, _sep, numerator = source_filter.partition(":")
    for name in (row_filter, numerator):
        if name and name not in spec.conditions:
            known = ", ".join(spec.conditions) or "none"
            reason = f"unknown condition {name!r}; known: {known}"
            return Problem("source_filter", "filter", _filter(source_filter, source, reason))
    if rollup == "share_of_rows" and not numerator:
        reason = "share_of_rows needs 'rows:numerator'"
        return Problem("source_filter", "filter", _filter(source_filter, source, reason))
    if rollup != "share_of_rows" and numerator:
        reason = f"{rollup} takes a row filter only"
        return Problem("source_filter", "filter", _filter(source_filter, source, reason))
    for level in levels:
        if level not in spec.levels:
            return Problem("level", "level", {"source": source, "level": level})
    return None


def _filter(value: str, source: str, reason: str) -> dict:
    return {"value": value, "source": source, "reason": reason}


def check_criterion(programme: str, value) -> Problem | None:
    """A criterion's number is one of its programme's (`reference.criteria`)."""
    from dashboard.services.reference import criteria

    numbers = [c.number for c in criteria(programme)]
    if isinstance(value, bool) or not isinstance(value, int) or value not in numbers:
        allowed = ", ".join(str(n) for n in numbers) or "the programme has none"
        return Problem(
            CRITERION, "criterion", {"value": value, "programme": programme, "allowed": allowed}
        )
    return None


def check_text(where: str, text) -> Problem | None:
    """One text of `meta`: text, not empty, at most `MAX_TEXT` characters."""
    if not isinstance(text, str):
        return Problem(where, "text")
    if not text.strip():
        return Problem(where, "empty")
    if len(text) > MAX_TEXT:
        return Problem(where, "too_long", {"max": MAX_TEXT})
    return None


def required_texts(rollup: str) -> tuple[str, ...]:
    """The texts of `meta` the file must give: all, but numerator and denominator for
    percents only."""
    return tuple(f for f in FIELDS if f not in RATIO_FIELDS or rollup in PERCENT_ROLLUPS)


def _raise(code: str, problem: Problem | None) -> None:
    if problem is not None:
        raise IndicatorSpecError(code, problem.field, problem.text)


def validate_meta(code: str, rollup: str, meta) -> dict[str, dict[str, str]]:
    """The `meta` of one indicator, checked: both languages, every required field, no unknown
    field, non-empty text of at most `MAX_TEXT` characters. The criterion (if any) is left to
    `validate_indicator`, which knows the programme."""
    if not isinstance(meta, Mapping):
        raise IndicatorSpecError(code, "meta", "must be an object with 'vi' and 'en'")
    for lang in meta:
        if lang not in LANGS and lang != CRITERION:
            _raise(code, Problem(f"meta.{lang}", "unknown_meta"))
    required = required_texts(rollup)
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        texts = meta.get(lang)
        if texts is None:
            raise IndicatorSpecError(code, f"meta.{lang}", "missing")
        if not isinstance(texts, Mapping):
            raise IndicatorSpecError(code, f"meta.{lang}", "must be an object of texts")
        for name in texts:
            if name not in FIELDS:
                where = f"meta.{lang}.{name}"
                _raise(code, Problem(where, "unknown_text", {"allowed": ", ".join(FIELDS)}))
        for name in required:
            if name not in texts:
                raise IndicatorSpecError(code, f"meta.{lang}.{name}", "missing")
        for name, text in texts.items():
            _raise(code, check_text(f"meta.{lang}.{name}", text))
        out[lang] = {name: texts[name].strip() for name in FIELDS if name in texts}
    return out


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


def validate_indicator(
    item, position: int, sources: frozenset[str], programme: str | None = None
) -> dict:
    """One indicator of the file, checked; returns it with `meta` normalised (its criterion
    kept). `programme`: the programme of indicators that name none."""
    if not isinstance(item, Mapping):
        raise IndicatorSpecError(f"#{position + 1}", "", "must be an object")
    code = item.get("code") if isinstance(item.get("code"), str) else f"#{position + 1}"
    for name in item:
        if name not in ITEM_FIELDS:
            raise IndicatorSpecError(
                code, name, f"unknown field (known: {', '.join(sorted(ITEM_FIELDS))})"
            )
    for name, (_kind, required, _rule) in ITEM_FIELDS.items():
        if name not in item:
            if required:
                _raise(code, missing(name))
            continue
        _raise(code, check_field(name, item[name]))
    levels = (item["level"], *([item["extra_level"]] if item.get("extra_level") else []))
    problem = check_counting(
        source=item.get("source", "values"),
        source_filter=item.get("source_filter", ""),
        value_type=item["value_type"],
        rollup=item["rollup"],
        levels=levels,
        sources=sources,
    )
    _raise(code, problem)
    _check_targets(code, item["targets"])
    meta = validate_meta(code, item["rollup"], item["meta"])
    if CRITERION in item["meta"]:
        owner = item.get("programme", programme)
        problem = check_criterion(owner or "", item["meta"][CRITERION])
        if problem is not None:
            raise IndicatorSpecError(code, f"meta.{CRITERION}", problem.text)
        meta[CRITERION] = item["meta"][CRITERION]
    return {**item, "meta": meta}


def validate_spec(spec, sources: frozenset[str], programme: str | None = None) -> list[dict]:
    """The indicators of `indicators.json` (parsed), each checked; `sources` are the allowed
    values of `source` ("values" and the registry names), `programme` the programme of the
    indicators that name none. Raises `IndicatorSpecError`."""
    if not isinstance(spec, Mapping) or not isinstance(spec.get("indicators"), list):
        raise IndicatorSpecError("-", "indicators", "the file must hold a list 'indicators'")
    out: list[dict] = []
    seen: set[str] = set()
    for position, item in enumerate(spec["indicators"]):
        checked = validate_indicator(item, position, sources, programme)
        if checked["code"] in seen:
            raise IndicatorSpecError(checked["code"], "code", "defined twice")
        seen.add(checked["code"])
        out.append(checked)
    return out


def meta_json(meta: Mapping) -> str:
    """`meta` as stored in `Indicator.meta`: JSON text, UTF-8 kept readable."""
    return json.dumps(meta, ensure_ascii=False, sort_keys=True)


@lru_cache(maxsize=256)
def _parse(text: str) -> dict:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def stored(ind) -> dict:
    """A copy of the stored `meta` of `ind` (empty when there is none or it is unreadable)."""
    return json.loads(json.dumps(_parse(getattr(ind, "meta", "") or "")))


def criterion_of(ind) -> int | None:
    """The number of the criterion of its programme `ind` belongs to, or None."""
    value = _parse(getattr(ind, "meta", "") or "").get(CRITERION)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def edited_by_office(ind) -> bool:
    """Whether the Coordination Office created or changed `ind` (the seed then leaves it)."""
    return _parse(getattr(ind, "meta", "") or "").get(EDITED_BY_OFFICE) is True


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
