"""Parsing user input (text from forms, cells or files) into typed values with Vietnamese errors.

Each parser returns the parsed value or raises `FieldError` carrying the message for the field.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from dashboard.i18n import _


class FieldError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Whole numbers are stored in 32-bit integer columns; larger ones are refused as input.
MAX_INTEGER = 2_147_483_647
# C0 control characters other than tab, line feed and carriage return (NUL included).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_number(
    value, label: str, *, required: bool = True, integer: bool = False, minimum: float | None = 0
) -> float | None:
    """Accept numbers and text such as `1.234`, `1234,5`, `1.234,5`, `12 345` (Vietnamese or
    plain: a dot followed by groups of three digits groups thousands, a comma is the decimal
    separator)."""
    if _blank(value):
        if required:
            raise FieldError(_("validation.required", field=label))
        return None
    if isinstance(value, bool):
        raise FieldError(_("validation.not_number", field=label))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):  # 1.234.567 or 1.234,5
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"-?\d+,\d+", text):  # 12,5 (decimal comma)
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise FieldError(_("validation.not_number", field=label)) from None
    if math.isnan(number) or math.isinf(number):
        raise FieldError(_("validation.not_number", field=label))
    if integer and number != int(number):
        raise FieldError(_("validation.not_integer", field=label))
    if integer and abs(number) > MAX_INTEGER:
        raise FieldError(
            _("rules.too_large", field=label, max=f"{MAX_INTEGER:,}".replace(",", "."))
        )
    if minimum is not None and number < minimum:
        raise FieldError(_("validation.negative", field=label))
    return number


TRUE_WORDS = {"true", "1", "yes", "có", "co", "đạt", "dat", "x", "met"}
FALSE_WORDS = {"false", "0", "no", "không", "khong", "không đạt", "khong dat", "not met"}


def parse_bool(value, label: str, *, required: bool = True) -> bool | None:
    if isinstance(value, bool):
        return value
    if _blank(value):
        if required:
            raise FieldError(_("validation.required", field=label))
        return None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise FieldError(_("validation.bad_choice", field=label))


def parse_date(value, label: str, *, required: bool = True) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _blank(value):
        if required:
            raise FieldError(_("validation.required", field=label))
        return None
    text = str(value).strip()[:10]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise FieldError(_("validation.bad_date", field=label))


def parse_text(value, label: str, *, required: bool = True, max_length: int = 200) -> str | None:
    if _blank(value):
        if required:
            raise FieldError(_("validation.required", field=label))
        return None
    text = str(value).strip()
    if len(text) > max_length:
        raise FieldError(_("validation.too_long", field=label, max=max_length))
    if _CONTROL.search(text):
        raise FieldError(_("rules.control_characters", field=label))
    return text


def parse_choice(value, label: str, choices: tuple[str, ...], *, required: bool = True):
    if _blank(value):
        if required:
            raise FieldError(_("validation.required", field=label))
        return None
    text = str(value).strip()
    if text not in choices:
        raise FieldError(_("validation.bad_choice", field=label))
    return text
