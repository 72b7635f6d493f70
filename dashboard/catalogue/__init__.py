"""More of the message catalogue, one module per area (each defines `MESSAGES` in the same
shape as `dashboard.i18n.MESSAGES`). `dashboard.i18n` merges them at import; a key defined
twice is an error at start-up, not a silent override."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def _modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
    ]


def collect() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for module in _modules():
        for key, entry in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"Message key {key!r} is defined twice ({module.__name__})")
            merged[key] = entry
    return merged


def sources() -> dict[str, str]:
    """The module defining each key of the catalogue modules (for the key check's report)."""
    return {key: module.__name__ for module in _modules() for key in module.MESSAGES}
